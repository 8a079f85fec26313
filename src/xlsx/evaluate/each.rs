//! A SUMPRODUCT band worked out a whole operation at a time over typed values. Its arguments are
//! compiled once per total into trees over the band's cells; a band runs each operation as one
//! loop over numbers or logicals where that is all there is (a Checks formula's
//! `(header="Score")*ISNUMBER(scores)*ISNA(MATCH(scores,ScaleValues,0))` over 200,000 scores),
//! reading the scores once however often the formula names them. Every element goes through the
//! functions the arrays go through ([`binary`], [`each`], [`is`], [`matched`], [`left`]), in the
//! same order, so a total is the arrays' to the bit; what is not compiled here is worked out as
//! arrays.

use std::borrow::Cow;

use super::{Cells, Evaluator, Op, V, add_product, binary, each, factor, is, left, left_count, matched, number, scalar, unary};
use crate::xlsx::cellref::CellRange;
use crate::xlsx::formula::Expr;

/// One argument, compiled.
enum Node {
    /// Worked out once: one value, or one row spread down the band's rows.
    Fixed(Col),
    /// The `n`th range over the banded rows the total reads.
    Cells(usize),
    /// A unary operator, NOT or ABS: one value to one value.
    Each(fn(V) -> V, Box<Node>),
    Is(fn(&V) -> bool, Box<Node>),
    Binary(Op, Box<Node>, Box<Node>),
    Match(Box<Node>, Vec<V>),
    Left(Box<Node>, usize),
}

/// How a node spreads: over the band's rows or one row, over this many columns (1 or the
/// total's width).
#[derive(Clone, Copy, PartialEq)]
struct Shape {
    tall: bool,
    cols: usize,
}

/// A node's values over a band, row by row: `rows` is 1 (spread down) or the band's height, `cols`
/// 1 (spread across) or the total's width.
#[derive(Clone)]
struct Col {
    rows: usize,
    cols: usize,
    values: Values,
}

/// Values of one kind where they are (a loop over them needs no look at each), else any.
#[derive(Clone)]
enum Values {
    Num(Vec<f64>),
    Bool(Vec<bool>),
    Any(Vec<V>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Num(x) => x.len(),
            Values::Bool(x) => x.len(),
            Values::Any(x) => x.len(),
        }
    }

    /// The `i`th value, as the arrays hold it.
    fn with<R>(&self, i: usize, f: impl FnOnce(&V) -> R) -> R {
        match self {
            Values::Num(x) => f(&V::Num(x[i])),
            Values::Bool(x) => f(&V::Bool(x[i])),
            Values::Any(x) => f(&x[i]),
        }
    }

    /// Numbers and logicals as arithmetic takes them (`plain`); `None` for any values.
    fn plain(&self) -> Option<Cow<'_, [f64]>> {
        match self {
            Values::Num(x) => Some(Cow::Borrowed(x)),
            Values::Bool(x) => Some(Cow::Owned(x.iter().map(|&b| f64::from(u8::from(b))).collect())),
            Values::Any(_) => None,
        }
    }

    /// The `i`th value, owned.
    fn get(&self, i: usize) -> V {
        match self {
            Values::Num(x) => V::Num(x[i]),
            Values::Bool(x) => V::Bool(x[i]),
            Values::Any(x) => x[i].clone(),
        }
    }
}

/// Values made one at a time, kept typed while they are all of one kind.
struct Made(Values);

impl Made {
    fn with_capacity(n: usize) -> Made {
        Made(Values::Num(Vec::with_capacity(n)))
    }

    #[inline]
    fn push(&mut self, v: V) {
        match (&mut self.0, v) {
            (Values::Num(x), V::Num(n)) => x.push(n),
            (Values::Bool(x), V::Bool(b)) => x.push(b),
            (Values::Any(x), v) => x.push(v),
            // The first value sets the kind (nothing made yet, whatever the kind was).
            (Values::Num(x), V::Bool(b)) if x.is_empty() => {
                let mut bools = Vec::with_capacity(x.capacity());
                bools.push(b);
                self.0 = Values::Bool(bools);
            }
            (kind, v) => {
                let n = kind.len();
                let mut any: Vec<V> = Vec::with_capacity(n.max(16) * 2);
                any.extend((0..n).map(|i| kind.get(i)));
                any.push(v);
                self.0 = Values::Any(any);
            }
        }
    }
}

impl Col {
    fn one(v: V) -> Col {
        let mut m = Made::with_capacity(1);
        m.push(v);
        Col { rows: 1, cols: 1, values: m.0 }
    }

    fn len(&self) -> usize {
        self.rows * self.cols
    }

    /// Each value through `f`, as `map1` goes.
    fn map(&self, f: impl Fn(&V) -> V) -> Col {
        let mut m = Made::with_capacity(self.len());
        for i in 0..self.values.len() {
            m.push(self.values.with(i, &f));
        }
        Col { rows: self.rows, cols: self.cols, values: m.0 }
    }

    /// Element by element with `b` through `op`, a single row or column spread over the other's
    /// shape (the shapes were checked when compiled), as `map2` goes.
    fn binary(&self, b: &Col, op: Op) -> Col {
        let (rows, cols) = (self.rows.max(b.rows), self.cols.max(b.cols));
        let at = |x: &Col, r: usize, c: usize| if x.rows > 1 { r * x.cols } else { 0 } + if x.cols > 1 { c } else { 0 };
        // Arithmetic on numbers and logicals, what a Checks formula multiplies, straight through
        // (as `binary` takes them) while every result is a number; else value by value.
        if let (Op::Arith(f), Some(x), Some(y)) = (op, self.values.plain(), b.values.plain()) {
            let mut out = Vec::with_capacity(rows * cols);
            'all: {
                for r in 0..rows {
                    for c in 0..cols {
                        match f(x[at(self, r, c)], y[at(b, r, c)]) {
                            V::Num(n) => out.push(n),
                            _ => break 'all,
                        }
                    }
                }
                return Col { rows, cols, values: Values::Num(out) };
            }
        }
        let mut m = Made::with_capacity(rows * cols);
        for r in 0..rows {
            for c in 0..cols {
                m.push(binary(op, self.values.get(at(self, r, c)), b.values.get(at(b, r, c))));
            }
        }
        Col { rows, cols, values: m.0 }
    }
}

/// A SUMPRODUCT's arguments compiled, with the ranges over the banded rows they read.
pub(super) struct Products {
    args: Vec<Node>,
    ranges: Vec<(String, CellRange)>,
}

impl Node {
    /// The node's values over the band whose ranges are `cells`.
    fn band<'a>(&'a self, cells: &'a [Col]) -> Cow<'a, Col> {
        Cow::Owned(match self {
            Node::Fixed(c) => return Cow::Borrowed(c),
            Node::Cells(n) => return Cow::Borrowed(&cells[*n]),
            Node::Each(f, x) => x.band(cells).map(|v| f(v.clone())),
            Node::Is(f, x) => {
                let x = x.band(cells);
                let values = Values::Bool((0..x.values.len()).map(|i| x.values.with(i, f)).collect());
                Col { rows: x.rows, cols: x.cols, values }
            }
            Node::Binary(op, a, b) => a.band(cells).binary(&b.band(cells), *op),
            Node::Match(x, within) => x.band(cells).map(|v| matched(v, within.iter())),
            Node::Left(x, count) => x.band(cells).map(|v| left(v, *count)),
        })
    }
}

impl<C: Cells + ?Sized> Evaluator<'_, C> {
    /// SUMPRODUCT(`args`) in `sheet`, banded over `rows`, compiled; `None` where an argument does
    /// what is not worked out element by element here (its bands are then worked out as arrays).
    pub(super) fn products(&mut self, sheet: &str, args: &[Expr], rows: (u32, u32)) -> Option<Products> {
        // What is worked out once is worked out whole, not cut to a band.
        self.band = None;
        let mut ranges = Vec::new();
        let mut nodes = Vec::with_capacity(args.len());
        let mut shape: Option<Shape> = None;
        for a in args {
            let (node, s) = self.node(sheet, a, rows, &mut ranges)?;
            // Arguments of one shape only: others are the arrays' business (#VALUE! or not).
            if !s.tall || shape.is_some_and(|x| x != s) {
                return None;
            }
            shape = Some(s);
            nodes.push(node);
        }
        shape?;
        Some(Products { args: nodes, ranges })
    }

    /// The band now set of `p`, its products added to `total` in the arrays' order.
    pub(super) fn products_band(&mut self, sheet: &str, p: &Products, mut total: f64, whole: &mut bool) -> Option<V> {
        let mut cells = Vec::with_capacity(p.ranges.len());
        for (s, r) in &p.ranges {
            let s = if s.is_empty() { sheet } else { s.as_str() };
            let V::Array(rows) = self.range(s, *r)? else { return None };
            let (height, width) = (rows.len(), rows.first().map_or(0, Vec::len));
            cells.push(Col { rows: height, cols: width, values: Values::Any(rows.into_iter().flatten().collect()) });
        }
        let args: Vec<Cow<Col>> = p.args.iter().map(|a| a.band(&cells)).collect();
        let n = args.first()?.len();
        for i in 0..n {
            let mut product = 1.0;
            for a in &args {
                match a.values.with(i, |v| factor(product, v)) {
                    Ok(x) => product = x,
                    Err(e) => return Some(V::Err(e)),
                }
            }
            add_product(&mut total, whole, product);
        }
        Some(V::Num(total))
    }

    fn node(&mut self, sheet: &str, e: &Expr, rows: (u32, u32), ranges: &mut Vec<(String, CellRange)>) -> Option<(Node, Shape)> {
        let mut reads = Vec::new();
        if !self.reads(e, false, &mut reads) {
            return None;
        }
        if reads.iter().all(|r| r.rows != rows) {
            let col = match self.eval(sheet, e)? {
                V::Array(mut lines) if lines.len() == 1 => {
                    let row = lines.pop()?;
                    let mut m = Made::with_capacity(row.len());
                    let cols = row.len();
                    row.into_iter().for_each(|v| m.push(v));
                    Col { rows: 1, cols, values: m.0 }
                }
                V::Array(_) => return None,
                v => Col::one(v),
            };
            return (col.cols > 0).then(|| {
                let shape = Shape { tall: false, cols: col.cols };
                (Node::Fixed(col), shape)
            });
        }
        let mut tall = |s: Option<&str>, r: CellRange| {
            let n = ranges.iter().position(|(rs, rr)| rs == s.unwrap_or("") && *rr == r).unwrap_or_else(|| {
                ranges.push((s.unwrap_or("").to_string(), r));
                ranges.len() - 1
            });
            let cols = (r.end.col - r.start.col + 1) as usize;
            (Node::Cells(n), Shape { tall: true, cols })
        };
        Some(match e {
            Expr::Ref { sheet: s, cell } => tall(s.as_deref(), CellRange::parse(cell)?),
            Expr::Name(n) => {
                let (s, r) = self.cells.name(n)?;
                tall(Some(&s), r)
            }
            Expr::Unary(op, x) => {
                let (x, s) = self.node(sheet, x, rows, ranges)?;
                (Node::Each(unary(op), Box::new(x)), s)
            }
            Expr::Binary(op, a, b) => {
                let ((a, sa), (b, sb)) = (self.node(sheet, a, rows, ranges)?, self.node(sheet, b, rows, ranges)?);
                let cols = sa.cols.max(sb.cols);
                // As arrays spread: a single row or column over the other's shape, nothing else.
                if ![sa.cols, sb.cols].iter().all(|&w| w == 1 || w == cols) {
                    return None;
                }
                (Node::Binary(Op::of(op), Box::new(a), Box::new(b)), Shape { tall: sa.tall || sb.tall, cols })
            }
            Expr::Call(name, args) => match (name.to_ascii_uppercase().as_str(), args.as_slice()) {
                ("MATCH", [x, within, kind]) => {
                    let (x, s) = self.node(sheet, x, rows, ranges)?;
                    if number(&scalar(self.eval(sheet, kind)?)) != Ok(0.0) {
                        return None;
                    }
                    let within = match self.eval(sheet, within)? {
                        V::Array(lines) => lines.into_iter().flatten().collect(),
                        v => vec![v],
                    };
                    (Node::Match(Box::new(x), within), s)
                }
                ("LEFT", [x, count @ ..]) if count.len() <= 1 => {
                    let (x, s) = self.node(sheet, x, rows, ranges)?;
                    let count = match count.first() {
                        Some(c) => left_count(Some(&self.eval(sheet, c)?))?,
                        None => left_count(None)?,
                    };
                    (Node::Left(Box::new(x), count), s)
                }
                (f, [x]) => {
                    let (x, s) = self.node(sheet, x, rows, ranges)?;
                    match (is(f), each(f)) {
                        (Some(f), _) => (Node::Is(f, Box::new(x)), s),
                        (_, Some(f)) => (Node::Each(f, Box::new(x)), s),
                        _ => return None,
                    }
                }
                _ => return None,
            },
            _ => return None,
        })
    }
}
