//! Evaluating the formulas a workbook has no saved result for, so every formula tenderkit writes
//! carries its value: a viewer that does not recalculate (a mail preview, a phone, pandas) shows it.
//! Numbers tenderkit computes itself are cached by the code that scores; this covers the rest
//! (the Checks sheet's verdicts, the overall check, chart labels, a return's totals), text and
//! booleans included. It evaluates the functions those formulas use, as Excel defines them, and
//! gives up (`None`) on anything else, so a result is cached only where it is known; the tests hold
//! every cached value to LibreOffice's recalculation.

use std::collections::{HashMap, HashSet};

use crate::xlsx::cellref::{CellRange, CellRef};
use crate::xlsx::formula::{Expr, parse};

mod band;
mod each;

/// A value as a formula sees it.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum V {
    Num(f64),
    Text(String),
    Bool(bool),
    /// A cell with nothing in it (not a formula showing "").
    #[default]
    Empty,
    Err(&'static str),
    /// A range or an array result, row by row.
    Array(Vec<Vec<V>>),
}

/// What the evaluator reads: cell values (with whatever edits are pending) and defined names.
pub trait Cells {
    /// The value of a cell; `None` for a formula cell with no result yet (the evaluator works it
    /// out from `formula`).
    fn value(&self, sheet: &str, at: CellRef) -> Option<V>;
    fn formula(&self, sheet: &str, at: CellRef) -> Option<String>;
    /// A defined name that stands for cells.
    fn name(&self, name: &str) -> Option<(String, CellRange)>;
    /// One row of a range, as [`Cells::value`] gives each cell (a source may find the sheet once).
    fn row(&self, sheet: &str, row: u32, cols: std::ops::RangeInclusive<u32>) -> Vec<Option<V>> {
        cols.map(|col| self.value(sheet, CellRef::new(row, col))).collect()
    }
    /// The same cells for a thread beside this one, which works out half the bands of a long
    /// total; `None` where they cannot be shared (the total is then worked out here alone).
    fn shared(&self) -> Option<&(dyn Cells + Sync)> {
        None
    }
}

/// Evaluates formula cells on demand, remembering results and refusing cycles.
pub struct Evaluator<'a, C: Cells + ?Sized> {
    cells: &'a C,
    /// Results worked out, by sheet and cell: found without making a key (a Summary formula
    /// reads 1,000 of them).
    done: HashMap<String, HashMap<CellRef, Option<V>>>,
    busy: HashSet<(String, CellRef)>,
    /// Totals over ranges already worked out, by sheet and the call's [`key`]: a Checks formula
    /// states its count twice (`IF(n=0,"PASS",n&" ...")`), and a count over 200,000 scores is the
    /// cost.
    totals: HashMap<(String, String), Option<V>>,
    /// Ranges read, by sheet: every Summary row counts over the same two columns of 500 bids.
    ranges: HashMap<String, HashMap<CellRange, V>>,
    /// The rows a total is being worked out over a band at a time, and the band now read.
    band: Option<band::Band>,
    banding: band::Banding,
    /// Working out bands beside another evaluator: a formula cell with no value is given up on
    /// (`None`), not worked out, so that what this one gives is what the other would have.
    beside: bool,
}

const MAX_RANGE: usize = 2_000_000;
/// Ranges up to this many cells are remembered once read; a Checks range of every score (200,000
/// at 500 bids) is read once per formula and not held.
const REMEMBERED_RANGE: usize = 1 << 16;

impl<'a, C: Cells + ?Sized> Evaluator<'a, C> {
    pub fn new(cells: &'a C) -> Self {
        Evaluator {
            cells,
            done: HashMap::new(),
            busy: HashSet::new(),
            totals: HashMap::new(),
            ranges: HashMap::new(),
            band: None,
            banding: band::Banding::default(),
            beside: false,
        }
    }

    /// The result of the formula in `sheet`!`at`, or `None` where it cannot be known here.
    pub fn cell(&mut self, sheet: &str, at: CellRef) -> Option<V> {
        if let Some(v) = self.cells.value(sheet, at) {
            return Some(v);
        }
        if self.beside {
            return None;
        }
        if let Some(v) = self.done.get(sheet).and_then(|d| d.get(&at)) {
            return v.clone();
        }
        let key = (sheet.to_string(), at);
        if !self.busy.insert(key.clone()) {
            return None;
        }
        // A formula the range reads is its own: the band a total is cut to is not its business.
        let band = self.band.take();
        let result = self.cells.formula(sheet, at).and_then(|f| parse(&f).ok()).and_then(|e| self.eval(sheet, &e)).map(scalar);
        self.band = band;
        self.busy.remove(&key);
        self.done.entry(key.0).or_default().insert(at, result.clone());
        result
    }

    fn range(&mut self, sheet: &str, r: CellRange) -> Option<V> {
        let (r, cut) = band::cut(self.band.as_ref(), r);
        let (rows, cols) = (r.end.row.checked_sub(r.start.row)? + 1, r.end.col.checked_sub(r.start.col)? + 1);
        let size = rows as usize * cols as usize;
        if size > MAX_RANGE {
            return None;
        }
        if !cut && let Some(v) = self.ranges.get(sheet).and_then(|m| m.get(&r)) {
            return Some(v.clone());
        }
        let mut out = Vec::with_capacity(rows as usize);
        for row in r.start.row..=r.end.row {
            let values = self.cells.row(sheet, row, r.start.col..=r.end.col);
            // A row of values is taken as it is (in place); a formula in it is worked out.
            if values.iter().all(Option::is_some) {
                out.push(values.into_iter().map(Option::unwrap_or_default).collect());
                continue;
            }
            let mut line = Vec::with_capacity(cols as usize);
            for (col, v) in (r.start.col..=r.end.col).zip(values) {
                line.push(match v {
                    Some(v) => v,
                    None => self.cell(sheet, CellRef::new(row, col))?,
                });
            }
            out.push(line);
        }
        // Only a range read whole is remembered: a cell given up on (or in a cycle) gave `None`.
        let v = V::Array(out);
        if size <= REMEMBERED_RANGE && !cut {
            self.ranges.entry(sheet.to_string()).or_default().insert(r, v.clone());
        }
        Some(v)
    }

    fn reference(&mut self, sheet: &str, cell: &str) -> Option<V> {
        let r = match cell.split_once(':') {
            Some(_) => CellRange::parse(cell)?,
            None => {
                let at = CellRef::parse(cell)?;
                return self.cell(sheet, at);
            }
        };
        self.range(sheet, r)
    }

    fn eval(&mut self, sheet: &str, e: &Expr) -> Option<V> {
        Some(match e {
            Expr::Num { value, .. } => V::Num(*value),
            Expr::Str(s) => V::Text(s.clone()),
            Expr::Error(_) => return None,
            Expr::Ref { sheet: s, cell } => {
                let target = s.as_deref().unwrap_or(sheet).to_string();
                self.reference(&target, cell)?
            }
            Expr::Name(n) => match n.to_ascii_uppercase().as_str() {
                "TRUE" => V::Bool(true),
                "FALSE" => V::Bool(false),
                _ => {
                    let (s, r) = self.cells.name(n)?;
                    if r.start == r.end { self.cell(&s, r.start)? } else { self.range(&s, r)? }
                }
            },
            Expr::Unary(op, x) => map1(self.eval(sheet, x)?, unary(op)),
            Expr::Binary(op, a, b) => {
                let (a, b) = (self.eval(sheet, a)?, self.eval(sheet, b)?);
                let op = Op::of(op);
                map2(a, b, |x, y| binary(op, x, y))?
            }
            Expr::Call(name, args) => {
                let name = name.to_ascii_uppercase();
                if !TOTALS.contains(&name.as_str()) || !args.iter().any(over_range) {
                    return self.call(sheet, &name, args);
                }
                let mut k = String::new();
                key(e, &mut k);
                let k = (sheet.to_string(), k);
                if let Some(v) = self.totals.get(&k) {
                    return v.clone();
                }
                let v = self.call(sheet, &name, args);
                self.totals.insert(k, v.clone());
                return v;
            }
        })
    }

    fn call(&mut self, sheet: &str, name: &str, args: &[Expr]) -> Option<V> {
        // IF evaluates only the branch it takes.
        if name == "IF" {
            let cond = truth(&scalar(self.eval(sheet, args.first()?)?))?;
            return match (cond, args.get(1), args.get(2)) {
                (true, Some(t), _) => self.eval(sheet, t),
                (false, _, Some(f)) => self.eval(sheet, f),
                (false, _, None) => Some(V::Bool(false)),
                (true, None, _) => None,
            };
        }
        if let Some(v) = self.banded(sheet, name, args) {
            return v;
        }
        let vals: Vec<V> = args.iter().map(|a| self.eval(sheet, a)).collect::<Option<_>>()?;
        apply(name, vals)
    }
}

/// A function applied to its arguments' values.
fn apply(name: &str, mut vals: Vec<V>) -> Option<V> {
    let one = |vals: &[V], i: usize| vals.get(i).cloned().map(scalar);
    Some(match name {
        "AND" | "OR" => {
            let mut bools = Vec::new();
            for v in &vals {
                for x in flat(v) {
                    match x {
                        V::Err(e) => return Some(V::Err(e)),
                        V::Empty | V::Text(_) if matches!(v, V::Array(_)) => {}
                        x => bools.push(truth(x)?),
                    }
                }
            }
            V::Bool(if name == "AND" { bools.iter().all(|b| *b) } else { bools.iter().any(|b| *b) })
        }
        "NOT" | "ABS" => map1(std::mem::take(vals.first_mut()?), each(name)?),
        "ISNUMBER" | "ISTEXT" | "ISBLANK" | "ISNA" => {
            let is = is(name)?;
            map1(std::mem::take(vals.first_mut()?), |v| V::Bool(is(&v)))
        }
        "SUM" | "PRODUCT" | "MIN" | "MAX" | "AVERAGE" => {
            let numbers = match counted(&vals) {
                Ok(n) => n,
                Err(e) => return Some(V::Err(e)),
            };
            // Left to right, as Excel goes, so a result is the formula's to the last bit.
            let fold = |first: f64, f: fn(f64, f64) -> f64| numbers.iter().fold(first, |a, &b| f(a, b));
            V::Num(match name {
                "SUM" => fold(0.0, |a, b| a + b),
                "PRODUCT" if numbers.is_empty() => 0.0,
                "PRODUCT" => fold(1.0, |a, b| a * b),
                "MIN" if numbers.is_empty() => 0.0,
                "MIN" => fold(f64::INFINITY, f64::min),
                "MAX" if numbers.is_empty() => 0.0,
                "MAX" => fold(f64::NEG_INFINITY, f64::max),
                _ if numbers.is_empty() => return Some(V::Err("#DIV/0!")),
                _ => fold(0.0, |a, b| a + b) / numbers.len() as f64,
            })
        }
        "COUNT" => V::Num(vals.iter().flat_map(flat).filter(|x| matches!(x, V::Num(_))).count() as f64),
        "COUNTA" => V::Num(vals.iter().flat_map(flat).filter(|x| **x != V::Empty).count() as f64),
        "COUNTBLANK" => {
            V::Num(flat(vals.first()?).into_iter().filter(|x| **x == V::Empty || matches!(x, V::Text(t) if t.is_empty())).count() as f64)
        }
        "SUMPRODUCT" => sumproduct(&vals, 0.0, &mut true)?,
        "COUNTIF" => {
            let crit = criterion(&one(&vals, 1)?)?;
            V::Num(flat(vals.first()?).iter().filter(|x| crit.matches(x)).count() as f64)
        }
        "COUNTIFS" => {
            let pairs: Vec<(Vec<&V>, Criterion)> =
                vals.chunks(2).map(|p| Some((flat(p.first()?), criterion(&scalar(p.get(1)?.clone()))?))).collect::<Option<_>>()?;
            let n = pairs.first()?.0.len();
            if pairs.iter().any(|(r, _)| r.len() != n) {
                return Some(V::Err("#VALUE!"));
            }
            V::Num((0..n).filter(|&i| pairs.iter().all(|(r, c)| c.matches(&r[i]))).count() as f64)
        }
        "MATCH" => {
            if one(&vals, 2).map(|m| number(&m)) != Some(Ok(0.0)) {
                return None;
            }
            let lookup = std::mem::take(vals.first_mut()?);
            let within = flat(vals.get(1)?);
            map1(lookup, |v| matched(&v, within.iter().copied()))
        }
        "TEXT" => {
            let n = match number(&one(&vals, 0)?) {
                Ok(n) => n,
                Err(e) => return Some(V::Err(e)),
            };
            let decimals = match text(&one(&vals, 1)?).as_str() {
                "0" => 0,
                "0.0" => 1,
                "0.00" => 2,
                _ => return None,
            };
            // As Excel holds and rounds it: 15 significant digits, half away from zero.
            V::Text(if n.is_finite() { crate::domain::figure::fixed(n, decimals) } else { String::new() })
        }
        "LEFT" => {
            let count = left_count(vals.get(1))?;
            map1(vals.first()?.clone(), |v| left(&v, count))
        }
        _ => return None,
    })
}

/// A unary operator on one value (of an array, each).
fn unary(op: &str) -> fn(V) -> V {
    match op {
        "-" => |v| number(&v).map_or_else(V::Err, |n| V::Num(-n)),
        "%" => |v| number(&v).map_or_else(V::Err, |n| V::Num(n / 100.0)),
        _ => |v| number(&v).map_or_else(V::Err, V::Num),
    }
}

/// NOT and ABS, on one value (of an array, each).
fn each(name: &str) -> Option<fn(V) -> V> {
    Some(match name {
        "NOT" => |v| truth(&v).map_or(V::Err("#VALUE!"), |b| V::Bool(!b)),
        "ABS" => |v| number(&v).map_or_else(V::Err, |n| V::Num(n.abs())),
        _ => return None,
    })
}

/// The IS functions: what each asks of one value.
fn is(name: &str) -> Option<fn(&V) -> bool> {
    Some(match name {
        "ISNUMBER" => |v| matches!(v, V::Num(_)),
        "ISTEXT" => |v| matches!(v, V::Text(_)),
        "ISBLANK" => |v| *v == V::Empty,
        "ISNA" => |v| *v == V::Err("#N/A"),
        _ => return None,
    })
}

/// MATCH(v, within, 0) for one value: its place in the list, from 1.
fn matched<'a>(v: &V, mut within: impl Iterator<Item = &'a V>) -> V {
    match within.position(|w| equal(v, w)) {
        Some(i) if *v != V::Empty => V::Num(i as f64 + 1.0),
        _ => V::Err("#N/A"),
    }
}

/// LEFT's count: its second argument (1 where there is none).
fn left_count(v: Option<&V>) -> Option<usize> {
    match v {
        Some(v) => Some(number(&scalar(v.clone())).ok()? as usize),
        None => Some(1),
    }
}

fn left(v: &V, count: usize) -> V {
    V::Text(text(v).chars().take(count).collect())
}

/// SUMPRODUCT's products added to `total` in order, element by element (a banded total goes on
/// from the band before, so its result is the whole array's to the last bit). `whole` is cleared
/// unless every product and running total is a whole number of at most 2^52: such totals add up
/// exactly in any order, so bands worked out apart may be added together.
fn sumproduct(vals: &[V], mut total: f64, whole: &mut bool) -> Option<V> {
    let arrays: Vec<Vec<&V>> = vals.iter().map(flat).collect();
    let n = arrays.first()?.len();
    if arrays.iter().any(|a| a.len() != n) {
        return Some(V::Err("#VALUE!"));
    }
    for i in 0..n {
        let mut product = 1.0;
        for a in &arrays {
            match factor(product, a[i]) {
                Ok(p) => product = p,
                Err(e) => return Some(V::Err(e)),
            }
        }
        add_product(&mut total, whole, product);
    }
    Some(V::Num(total))
}

/// A SUMPRODUCT product so far times one more element: a number multiplies, an error is the
/// result, anything else (text, a logical, nothing) makes it 0.
fn factor(product: f64, v: &V) -> Result<f64, &'static str> {
    match v {
        V::Num(x) => Ok(product * x),
        V::Err(e) => Err(e),
        _ => Ok(0.0),
    }
}

fn add_product(total: &mut f64, whole: &mut bool, product: f64) {
    *total += product;
    // A product past 2^53 leaves the total past 2^52, so the cast (no call, unlike `fract`) is
    // exact wherever it decides.
    *whole &= (product as i64) as f64 == product && total.abs() <= EXACT;
}

/// Whole numbers up to this add up exactly, however they are grouped (two of them stay under 2^53).
const EXACT: f64 = (1u64 << 52) as f64;

/// Functions whose result is one value however many cells they read: worth remembering.
const TOTALS: [&str; 9] = ["SUM", "SUMPRODUCT", "COUNT", "COUNTA", "COUNTBLANK", "COUNTIF", "COUNTIFS", "MIN", "MAX"];

/// Whether an argument reads a range (or a name, which may be one).
fn over_range(e: &Expr) -> bool {
    match e {
        Expr::Ref { cell, .. } => cell.contains(':'),
        Expr::Name(_) => true,
        Expr::Call(_, args) => args.iter().any(over_range),
        Expr::Unary(_, x) => over_range(x),
        Expr::Binary(_, a, b) => over_range(a) || over_range(b),
        _ => false,
    }
}

/// The formula text of `e` in one spelling, wherever in the formula it stands: functions,
/// references and names in one case, a number by its bits (not its span). Two calls with the same
/// key total the same cells the same way.
fn key(e: &Expr, out: &mut String) {
    match e {
        Expr::Num { value, .. } => out.push_str(&format!("#{:x}", value.to_bits())),
        Expr::Str(s) => {
            out.push('"');
            out.push_str(&s.replace('"', "\"\""));
            out.push('"');
        }
        Expr::Ref { sheet, cell } => {
            if let Some(s) = sheet {
                out.push('\'');
                out.push_str(&s.replace('\'', "''").to_lowercase());
                out.push_str("'!");
            }
            out.push_str(&cell.to_ascii_lowercase());
        }
        Expr::Name(n) => {
            out.push('@');
            out.push_str(&n.to_ascii_lowercase());
        }
        Expr::Error(x) => out.push_str(x),
        Expr::Call(f, args) => {
            out.push_str(&f.to_ascii_lowercase());
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                key(a, out);
            }
            out.push(')');
        }
        Expr::Unary(op, x) => {
            out.push('(');
            out.push_str(op);
            key(x, out);
            out.push(')');
        }
        Expr::Binary(op, a, b) => {
            out.push('(');
            key(a, out);
            out.push_str(op);
            key(b, out);
            out.push(')');
        }
    }
}

/// An array of one element is that element (a formula's result in one cell).
fn scalar(v: V) -> V {
    match v {
        V::Array(rows) => rows.into_iter().next().and_then(|r| r.into_iter().next()).unwrap_or(V::Empty),
        v => v,
    }
}

/// Every value of an argument, borrowed (a Checks formula's range holds 200,000).
fn flat(v: &V) -> Vec<&V> {
    match v {
        V::Array(rows) => rows.iter().flatten().collect(),
        v => vec![v],
    }
}

/// The numbers SUM, PRODUCT, MIN, MAX and AVERAGE take, in order: typed arguments count (a
/// logical as 0 or 1); cells of text, logicals or nothing in a range do not; an error is the result.
fn counted(vals: &[V]) -> Result<Vec<f64>, &'static str> {
    let mut out = Vec::new();
    for v in vals {
        for x in flat(v) {
            match x {
                V::Num(n) => out.push(*n),
                V::Err(e) => return Err(e),
                V::Bool(b) if !matches!(v, V::Array(_)) => out.push(f64::from(u8::from(*b))),
                _ => {}
            }
        }
    }
    Ok(out)
}

fn map1(v: V, f: impl Fn(V) -> V) -> V {
    match v {
        V::Array(rows) => V::Array(rows.into_iter().map(|r| r.into_iter().map(&f).collect()).collect()),
        v => f(v),
    }
}

/// Element by element, a single row or column spread over the other operand's shape.
fn map2(a: V, b: V, f: impl Fn(V, V) -> V) -> Option<V> {
    let shape = |v: &V| match v {
        V::Array(r) => (r.len(), r.first().map_or(0, |x| x.len())),
        _ => (1, 1),
    };
    let ((ar, ac), (br, bc)) = (shape(&a), shape(&b));
    if (ar, ac) == (1, 1) && (br, bc) == (1, 1) {
        return Some(f(scalar(a), scalar(b)));
    }
    let rows = ar.max(br);
    let cols = ac.max(bc);
    if (ar != rows && ar != 1) || (br != rows && br != 1) || (ac != cols && ac != 1) || (bc != cols && bc != 1) {
        return None;
    }
    // Arrays of one shape are combined in place: a Checks formula's operands hold 200,000 values
    // each (two million at 5,000 bids), and a third array beside them is what memory peaks at.
    if (ar, ac) == (br, bc) {
        if let (V::Array(mut x), V::Array(y)) = (a, b) {
            for (xr, yr) in x.iter_mut().zip(y) {
                for (xv, yv) in xr.iter_mut().zip(yr) {
                    *xv = f(std::mem::take(xv), yv);
                }
            }
            return Some(V::Array(x));
        }
        return None;
    }
    let at = |v: &V, r: usize, c: usize| match v {
        V::Array(x) => x[r.min(x.len() - 1)][c.min(x[0].len() - 1)].clone(),
        v => v.clone(),
    };
    // A row or column spread over an operand of the whole shape (a Checks formula's header row
    // over every score): that operand is combined in place, the other read where it spreads.
    if (br, bc) == (rows, cols)
        && let V::Array(mut y) = b
    {
        for (r, yr) in y.iter_mut().enumerate() {
            for (c, yv) in yr.iter_mut().enumerate() {
                *yv = f(at(&a, r, c), std::mem::take(yv));
            }
        }
        return Some(V::Array(y));
    }
    if (ar, ac) == (rows, cols)
        && let V::Array(mut x) = a
    {
        for (r, xr) in x.iter_mut().enumerate() {
            for (c, xv) in xr.iter_mut().enumerate() {
                *xv = f(std::mem::take(xv), at(&b, r, c));
            }
        }
        return Some(V::Array(x));
    }
    Some(V::Array((0..rows).map(|r| (0..cols).map(|c| f(at(&a, r, c), at(&b, r, c))).collect()).collect()))
}

fn number(v: &V) -> Result<f64, &'static str> {
    match v {
        V::Num(n) => Ok(*n),
        V::Bool(b) => Ok(f64::from(u8::from(*b))),
        V::Empty => Ok(0.0),
        V::Text(t) => t.trim().parse().map_err(|_| "#VALUE!"),
        V::Err(e) => Err(e),
        V::Array(_) => Err("#VALUE!"),
    }
}

/// A number or a logical as arithmetic takes it.
fn plain(v: &V) -> Option<f64> {
    match v {
        V::Num(n) => Some(*n),
        V::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

fn truth(v: &V) -> Option<bool> {
    match v {
        V::Bool(b) => Some(*b),
        V::Num(n) => Some(*n != 0.0),
        V::Empty => Some(false),
        V::Text(t) if t.eq_ignore_ascii_case("TRUE") => Some(true),
        V::Text(t) if t.eq_ignore_ascii_case("FALSE") => Some(false),
        _ => None,
    }
}

/// A value as `&` joins it: a number in Excel's General format.
fn text(v: &V) -> String {
    match v {
        V::Num(n) => general(*n),
        V::Text(t) => t.clone(),
        V::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        V::Empty | V::Array(_) => String::new(),
        V::Err(e) => (*e).into(),
    }
}

/// Excel's General format for a number: up to 15 significant digits, no trailing zeros.
pub fn general(n: f64) -> String {
    if n == 0.0 {
        return "0".into();
    }
    let s = format!("{:.*e}", 14, n);
    let rounded: f64 = s.parse().unwrap_or(n);
    let magnitude = rounded.abs().log10().floor() as i32;
    let decimals = (14 - magnitude).clamp(0, 30) as usize;
    let mut out = format!("{rounded:.decimals$}");
    if out.contains('.') {
        out = out.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if out == "-0" { "0".into() } else { out }
}

fn equal(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::Num(x), V::Num(y)) => x == y,
        (V::Text(x), V::Text(y)) => text_order(x, y).is_eq(),
        (V::Bool(x), V::Bool(y)) => x == y,
        _ => false,
    }
}

/// Text in order without case. ASCII is compared in place: a Checks formula compares a header
/// row with "Score" once for every band of scores, and lower-cased copies were its cost.
fn text_order(x: &str, y: &str) -> std::cmp::Ordering {
    if x.is_ascii() && y.is_ascii() {
        x.bytes().map(|b| b.to_ascii_lowercase()).cmp(y.bytes().map(|b| b.to_ascii_lowercase()))
    } else {
        x.to_lowercase().cmp(&y.to_lowercase())
    }
}

/// Comparison, as Excel orders values: numbers < text < logicals, text without case; an empty cell
/// is 0 against a number, "" against text, FALSE against a logical.
fn compare(a: &V, b: &V) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    let rank = |v: &V| match v {
        V::Num(_) => 0,
        V::Text(_) => 1,
        V::Bool(_) => 2,
        _ => 3,
    };
    // An empty cell takes the other side's kind (0, "" or FALSE); looked at in place, as a Checks
    // formula compares 200,000 cells.
    Some(match (a, b) {
        (V::Num(x), V::Num(y)) => x.partial_cmp(y)?,
        (V::Num(x), V::Empty) => x.partial_cmp(&0.0)?,
        (V::Empty, V::Num(y)) => 0.0.partial_cmp(y)?,
        (V::Text(x), V::Text(y)) => text_order(x, y),
        (V::Text(x), V::Empty) => text_order(x, ""),
        (V::Empty, V::Text(y)) => text_order("", y),
        (V::Empty, V::Empty) => Ordering::Equal,
        (V::Bool(x), V::Bool(y)) => x.cmp(y),
        (V::Bool(x), V::Empty) => x.cmp(&false),
        (V::Empty, V::Bool(y)) => false.cmp(y),
        _ if rank(a) != rank(b) => rank(a).cmp(&rank(b)),
        _ => Ordering::Equal,
    })
}

/// A binary operator, read once per formula rather than once per element of an array.
#[derive(Clone, Copy)]
enum Op {
    Concat,
    Compare(fn(std::cmp::Ordering) -> bool),
    Arith(fn(f64, f64) -> V),
    Unknown,
}

impl Op {
    fn of(op: &str) -> Op {
        use std::cmp::Ordering::*;
        match op {
            "&" => Op::Concat,
            "=" => Op::Compare(|o| o == Equal),
            "<>" => Op::Compare(|o| o != Equal),
            "<" => Op::Compare(|o| o == Less),
            ">" => Op::Compare(|o| o == Greater),
            "<=" => Op::Compare(|o| o != Greater),
            ">=" => Op::Compare(|o| o != Less),
            "+" => Op::Arith(|x, y| V::Num(x + y)),
            "-" => Op::Arith(|x, y| V::Num(x - y)),
            "*" => Op::Arith(|x, y| V::Num(x * y)),
            "/" => Op::Arith(|x, y| if y == 0.0 { V::Err("#DIV/0!") } else { V::Num(x / y) }),
            "^" => Op::Arith(|x, y| V::Num(x.powf(y))),
            _ => Op::Unknown,
        }
    }
}

fn binary(op: Op, a: V, b: V) -> V {
    // Numbers and logicals, what a Checks formula's arrays mostly hold, go straight through.
    if let Op::Arith(f) = op
        && let (Some(x), Some(y)) = (plain(&a), plain(&b))
    {
        return f(x, y);
    }
    if let V::Err(e) = a {
        return V::Err(e);
    }
    if let V::Err(e) = b {
        return V::Err(e);
    }
    match op {
        Op::Concat => V::Text(text(&a) + &text(&b)),
        Op::Compare(holds) => match compare(&a, &b) {
            Some(ord) => V::Bool(holds(ord)),
            None => V::Err("#VALUE!"),
        },
        Op::Arith(f) => match (number(&a), number(&b)) {
            (Ok(x), Ok(y)) => f(x, y),
            (Err(e), _) | (_, Err(e)) => V::Err(e),
        },
        Op::Unknown => V::Err("#VALUE!"),
    }
}

/// A COUNTIF criterion: `"<0"`, `">100"`, `"<>PASS"`, `"Yes"`, or a value.
struct Criterion {
    op: &'static str,
    /// The comparison `op` makes, read once (a COUNTIFS runs it over whole columns).
    holds: fn(std::cmp::Ordering) -> bool,
    value: V,
}

fn criterion(v: &V) -> Option<Criterion> {
    let V::Text(t) = v else {
        return Some(Criterion { op: "=", holds: |o| o.is_eq(), value: v.clone() });
    };
    let (op, rest) = ["<=", ">=", "<>", "<", ">", "="].iter().find_map(|op| t.strip_prefix(op).map(|r| (*op, r))).unwrap_or(("=", t));
    if rest.contains(['*', '?', '~']) {
        return None;
    }
    let value = match rest.trim().parse::<f64>() {
        Ok(n) => V::Num(n),
        Err(_) => V::Text(rest.to_string()),
    };
    let Op::Compare(holds) = Op::of(op) else { return None };
    Some(Criterion { op, holds, value })
}

impl Criterion {
    fn matches(&self, cell: &V) -> bool {
        match (&self.value, cell) {
            // Against a number, only numbers count (text "5" does not).
            (V::Num(_), V::Num(_)) => compare(cell, &self.value).is_some_and(self.holds),
            (V::Num(_), _) => self.op == "<>",
            (V::Text(t), _) if t.is_empty() => {
                let blank = *cell == V::Empty || *cell == V::Text(String::new());
                if self.op == "<>" { !blank } else { self.op == "=" && blank }
            }
            (V::Text(_), V::Text(_)) => compare(cell, &self.value).is_some_and(self.holds),
            (V::Text(_), _) => self.op == "<>",
            (v, c) => {
                let eq = equal(v, c);
                if self.op == "<>" { !eq } else { eq }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Grid(HashMap<(String, CellRef), V>, HashMap<(String, CellRef), String>);

    impl Cells for Grid {
        fn value(&self, sheet: &str, at: CellRef) -> Option<V> {
            if self.1.contains_key(&(sheet.to_string(), at)) {
                return None;
            }
            Some(self.0.get(&(sheet.to_string(), at)).cloned().unwrap_or(V::Empty))
        }
        fn formula(&self, sheet: &str, at: CellRef) -> Option<String> {
            self.1.get(&(sheet.to_string(), at)).cloned()
        }
        fn name(&self, name: &str) -> Option<(String, CellRange)> {
            (name == "Scale").then(|| ("S".to_string(), CellRange::parse("A1:A3").unwrap()))
        }
    }

    fn eval(formula: &str, values: &[(&str, V)]) -> Option<V> {
        let mut g = Grid(HashMap::new(), HashMap::new());
        for (a, v) in values {
            g.0.insert(("S".into(), CellRef::parse(a).unwrap()), v.clone());
        }
        g.1.insert(("S".into(), CellRef::parse("Z99").unwrap()), formula.into());
        Evaluator::new(&g).cell("S", CellRef::parse("Z99").unwrap())
    }

    #[test]
    fn totals_are_remembered_by_the_formula_in_one_spelling() {
        let k = |f: &str| {
            let mut out = String::new();
            key(&parse(f).unwrap(), &mut out);
            out
        };
        assert_eq!(k("SUM('My Sheet'!$A$1:$A$3)"), k("sum('my sheet'!$a$1:$a$3)"));
        assert_eq!(k("COUNTIF(Scores,\">=1\")"), k("countif(SCORES,\">=1\")"));
        assert_ne!(k("SUM(A1:A3)"), k("SUM(A1:A4)"));
        assert_ne!(k("COUNTIF(A1:A3,\"a\"\"b\")"), k("COUNTIF(A1:A3,\"a\")"));
        assert_ne!(k("SUM(A1:A3)*0.1"), k("SUM(A1:A3)*0.10000000000000002"));
        assert_ne!(k("SUMPRODUCT(-A1:A3)"), k("SUMPRODUCT(A1:A3%)"));
    }

    #[test]
    fn the_functions_the_checks_use() {
        let scale = [("A1", V::Num(0.0)), ("A2", V::Num(2.0)), ("A3", V::Num(4.0))];
        let mut cells = scale.to_vec();
        cells.extend([("B1", V::Num(3.0)), ("B2", V::Text("x".into())), ("B3", V::Empty), ("B4", V::Num(4.0))]);
        assert_eq!(eval("SUMPRODUCT(ISNUMBER(B1:B4)*ISNA(MATCH(B1:B4,Scale,0)))", &cells), Some(V::Num(1.0)));
        assert_eq!(eval("SUMPRODUCT(--ISTEXT(B1:B4))", &cells), Some(V::Num(1.0)));
        assert_eq!(eval("COUNTBLANK(B1:B4)&\" left\"", &cells), Some(V::Text("1 left".into())));
        assert_eq!(eval("IF(COUNTIF(B1:B4,\">3\")=1,\"PASS\",\"no\")", &cells), Some(V::Text("PASS".into())));
        assert_eq!(eval("\"sum \"&TEXT(SUM(B1:B4),\"0.00\")", &cells), Some(V::Text("sum 7.00".into())));
        // A blank is not >=0: COUNTIF's numeric criteria count numbers only.
        assert_eq!(eval("COUNTIFS(B1:B4,\"<>x\",A1:A4,\">=0\")", &cells), Some(V::Num(2.0)));
        assert_eq!(eval("AND(B1=3,LEFT(\"PASSED\",4)=\"pass\")", &cells), Some(V::Bool(true)));
        assert_eq!(eval("IF(COUNT(C1:E1)=0,\"\",SUM(C1:E1))", &cells), Some(V::Text(String::new())));
        assert_eq!(eval("PRODUCT(B1,B4)", &cells), Some(V::Num(12.0)));
        assert_eq!(eval("PRODUCT(B1:B4)", &cells), Some(V::Num(12.0)));
        assert_eq!(eval("PRODUCT(C1:C2)", &cells), Some(V::Num(0.0)));
        assert_eq!(eval("MIN(B1:B4)+MAX(B1:B4)", &cells), Some(V::Num(7.0)));
        assert_eq!(eval("AVERAGE(B1:B4)", &cells), Some(V::Num(3.5)));
        assert_eq!(eval("AVERAGE(C1:C2)", &cells), Some(V::Err("#DIV/0!")));
        assert_eq!(eval("SUM(B1:B4,TRUE)", &cells), Some(V::Num(8.0)));
        // Unknown functions are not guessed at.
        assert_eq!(eval("VLOOKUP(1,A1:A3,1,0)", &cells), None);
    }

    #[test]
    fn numbers_join_text_as_excel_shows_them() {
        assert_eq!(general(50.0), "50");
        assert_eq!(general(33.33), "33.33");
        assert_eq!(general(0.1 + 0.2), "0.3");
        assert_eq!(general(-2.5), "-2.5");
        assert_eq!(eval("TEXT(99.995,\"0.00\")", &[]), Some(V::Text("100.00".into())));
        assert_eq!(eval("TEXT(-2.675,\"0.00\")", &[]), Some(V::Text("-2.68".into())));
    }
}
