//! Totals over more cells than are worth holding, worked out a band of rows at a time. A Checks
//! formula counts over every score: 200,000 cells at 500 bids, two million at 5,000, and as whole
//! arrays its operands were tens of megabytes each, what memory peaked at. A band is the same
//! formula over fewer rows, taken in row order: counts add up, and SUMPRODUCT's running sum meets
//! its products in the order the whole array would give them, so the result is the same to the bit.

use super::{Cells, Evaluator, V, apply, sumproduct};
use crate::xlsx::cellref::{CellRange, CellRef};
use crate::xlsx::formula::Expr;

/// When totals are banded, and how wide a band is.
#[derive(Clone)]
pub(super) struct Banding {
    /// Totals over more cells than this are banded (those not worth remembering whole).
    over: usize,
    /// About this many cells of each argument are read at a time...
    cells: usize,
    /// ... in at least this many rows: what is read whole (a header row over every column) is
    /// read again each band ...
    min_rows: usize,
    /// ... but no more than this many cells of each (a band of 16 rows over a 5,000-bid matrix's
    /// 10,000 columns held 14 MiB).
    max_cells: usize,
}

impl Default for Banding {
    fn default() -> Self {
        Banding { over: super::REMEMBERED_RANGE, cells: 8192, min_rows: 16, max_cells: 32_768 }
    }
}

/// The rows a total reads element by element (`rows`), and the band of them read now.
pub(super) struct Band {
    rows: (u32, u32),
    now: (u32, u32),
}

/// `r` cut to the band when it spans the banded rows (whatever its sheet and columns: the
/// arguments line up row by row); whether it was cut.
pub(super) fn cut(band: Option<&Band>, r: CellRange) -> (CellRange, bool) {
    match band {
        Some(b) if (r.start.row, r.end.row) == b.rows => {
            (CellRange { start: CellRef::new(b.now.0, r.start.col), end: CellRef::new(b.now.1, r.end.col) }, true)
        }
        _ => (r, false),
    }
}

/// Which arguments of a total are cut to the band (read element by element over the rows) and
/// which stay whole (a criterion); `None` for a function not worked out in bands.
fn cut_args(name: &str, n: usize) -> Option<Vec<bool>> {
    Some(match name {
        "SUMPRODUCT" | "COUNT" | "COUNTA" if n > 0 => vec![true; n],
        "COUNTBLANK" if n == 1 => vec![true],
        "COUNTIF" if n == 2 => vec![true, false],
        "COUNTIFS" if n > 0 && n % 2 == 0 => (0..n).map(|i| i % 2 == 0).collect(),
        _ => return None,
    })
}

/// A total worked out in bands: `name(args)` in `sheet` over `rows`, `step` rows a band (the last
/// takes what is left over).
#[derive(Clone, Copy)]
struct Total<'e> {
    sheet: &'e str,
    name: &'e str,
    args: &'e [Expr],
    rows: (u32, u32),
    step: u32,
}

impl Total<'_> {
    fn bands(&self) -> u32 {
        (self.rows.1 - self.rows.0 + 1) / self.step
    }

    /// The first and last rows of band `k`.
    fn band(&self, k: u32) -> (u32, u32) {
        let first = self.rows.0 + k * self.step;
        (first, if k + 1 == self.bands() { self.rows.1 } else { first + self.step - 1 })
    }
}

/// A range an argument reads: its rows and columns, and whether element by element.
pub(super) struct Read {
    pub(super) rows: (u32, u32),
    cols: u32,
    each: bool,
}

impl<C: Cells + ?Sized> Evaluator<'_, C> {
    /// The total `name(args)` worked out band by band, or `None` where it is not (a small range,
    /// a function or an argument that does not go element by element): the caller reads it whole.
    pub(super) fn banded(&mut self, sheet: &str, name: &str, args: &[Expr]) -> Option<Option<V>> {
        let cuts = cut_args(name, args.len())?;
        let mut reads: Vec<Vec<Read>> = Vec::with_capacity(args.len());
        for (a, &c) in args.iter().zip(&cuts) {
            let mut r = Vec::new();
            self.reads(a, c, &mut r).then_some(())?;
            reads.push(r);
        }
        // The rows: those every tall range read element by element spans.
        let tall = reads.iter().flatten().filter(|r| r.each && r.rows.1 > r.rows.0);
        let rows = tall.clone().next()?.rows;
        let cols = tall.clone().map(|r| r.cols).max()?;
        let height = rows.1 - rows.0 + 1;
        if tall.clone().any(|r| r.rows != rows) || (height as usize).saturating_mul(cols as usize) <= self.banding.over {
            return None;
        }
        // Every cut argument runs over those rows, and nothing read whole (a criterion, a lookup
        // list) spans them, so cutting them cuts nothing else.
        let runs = |r: &Vec<Read>| r.iter().any(|x| x.each && x.rows == rows);
        if reads.iter().zip(&cuts).any(|(r, &c)| c && !runs(r)) || reads.iter().flatten().any(|x| !x.each && x.rows == rows) {
            return None;
        }
        let b = &self.banding;
        let step = ((b.cells / cols as usize).max(b.min_rows).min((b.max_cells / cols as usize).max(1)) as u32).min(height);
        // A total worked out inside another's band (in its criterion) has bands of its own: the
        // outer band is put back for the rest of the outer arguments.
        let outer = self.band.take();
        let v = self.in_bands(Total { sheet, name, args, rows, step });
        self.band = outer;
        Some(v)
    }

    /// `t` band by band. Where the cells can be shared with a thread beside this one, it works out
    /// the later half of the bands while this one works out the first; its totals are taken where
    /// they add up exactly.
    fn in_bands(&mut self, t: Total) -> Option<V> {
        let bands = t.bands();
        let shared = self.cells.shared().filter(|_| bands >= 4 && !self.beside && crate::parallel::cores() > 1);
        let Some(shared) = shared else {
            return self.bands(t, 0..bands, 0.0).map(Run::result);
        };
        let half = bands / 2;
        let banding = self.banding.clone();
        let (first, later) = crate::parallel::join(
            || self.bands(t, 0..half, 0.0),
            || {
                let mut beside = Evaluator::new(shared);
                beside.banding = banding;
                beside.beside = true;
                beside.bands(t, half..bands, 0.0)
            },
        );
        match (first?, later) {
            (Run::Ended(v), _) => Some(v),
            // Whatever the total before, the first error (or text) is the result.
            (Run::Total { .. }, Some(Run::Ended(v))) => {
                taken_from_beside();
                Some(v)
            }
            (Run::Total { total: a, whole: true }, Some(Run::Total { total: b, whole: true })) => {
                taken_from_beside();
                Some(V::Num(a + b))
            }
            // Given up beside (a formula to work out), or totals that may round otherwise apart:
            // the later bands are worked out here, going on from the first.
            (Run::Total { total, .. }, _) => self.bands(t, half..bands, total).map(Run::result),
        }
    }

    /// Bands `which` of `t`, going on from `total`.
    fn bands(&mut self, t: Total, which: std::ops::Range<u32>, mut total: f64) -> Option<Run> {
        let mut whole = true;
        let products = if t.name == "SUMPRODUCT" { self.products(t.sheet, t.args, t.rows) } else { None };
        for k in which {
            self.band = Some(Band { rows: t.rows, now: t.band(k) });
            let v = match &products {
                Some(p) => self.products_band(t.sheet, p, total, &mut whole),
                None => {
                    let vals: Vec<V> = t.args.iter().map(|a| self.eval(t.sheet, a)).collect::<Option<_>>()?;
                    if t.name == "SUMPRODUCT" { sumproduct(&vals, total, &mut whole) } else { apply(t.name, vals).map(|v| add(v, total)) }
                }
            };
            match v? {
                V::Num(n) => {
                    // A count is a whole number; SUMPRODUCT said whether its products were.
                    whole &= n.fract() == 0.0 && n.abs() <= super::EXACT;
                    total = n;
                }
                other => return Some(Run::Ended(other)),
            }
        }
        Some(Run::Total { total, whole })
    }

    /// The ranges `e` reads, with whether each is read element by element (`each`: the argument
    /// is cut); false where a function in such a place does not go element by element.
    pub(super) fn reads(&self, e: &Expr, each: bool, out: &mut Vec<Read>) -> bool {
        let mut push = |r: CellRange| {
            out.push(Read { rows: (r.start.row, r.end.row), cols: r.end.col.saturating_sub(r.start.col) + 1, each });
            true
        };
        match e {
            Expr::Num { .. } | Expr::Str(_) => true,
            Expr::Error(_) => false,
            Expr::Ref { cell, .. } => match cell.split_once(':') {
                Some(_) => CellRange::parse(cell).is_some_and(&mut push),
                None => CellRef::parse(cell).is_some_and(|at| push(CellRange { start: at, end: at })),
            },
            Expr::Name(n) if n.eq_ignore_ascii_case("TRUE") || n.eq_ignore_ascii_case("FALSE") => true,
            Expr::Name(n) => self.cells.name(n).is_some_and(|(_, r)| push(r)),
            Expr::Unary(_, x) => self.reads(x, each, out),
            Expr::Binary(_, a, b) => self.reads(a, each, out) && self.reads(b, each, out),
            Expr::Call(f, args) => {
                let f = f.to_ascii_uppercase();
                let first_each = match f.as_str() {
                    _ if !each => false,
                    "NOT" | "ABS" | "ISNUMBER" | "ISTEXT" | "ISBLANK" | "ISNA" | "MATCH" | "LEFT" => true,
                    _ => return false,
                };
                args.iter().enumerate().all(|(i, a)| self.reads(a, first_each && i == 0, out))
            }
        }
    }
}

#[cfg(test)]
thread_local! {
    /// How many totals took the later bands as worked out beside (the tests see that they do).
    static TAKEN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn taken_from_beside() {
    #[cfg(test)]
    TAKEN.with(|t| t.set(t.get() + 1));
}

/// Where some bands of a total leave it.
enum Run {
    /// A band gave an error (or a value not a number): the total's result, whatever came before.
    Ended(V),
    /// The total so far; `whole` when it and everything added to it are whole numbers of at most
    /// 2^52, so that it adds to another such total exactly.
    Total { total: f64, whole: bool },
}

impl Run {
    fn result(self) -> V {
        match self {
            Run::Ended(v) => v,
            Run::Total { total, .. } => V::Num(total),
        }
    }
}

/// A band's count added to the bands' before it.
fn add(v: V, total: f64) -> V {
    match v {
        V::Num(n) => V::Num(total + n),
        v => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Cells in columns A to D of rows 1 to 40: numbers, text, blanks, errors and formulas, with
    /// a scale named `Scale` and a header row; every total is worked out whole and in bands.
    struct Grid(HashMap<CellRef, V>, HashMap<CellRef, String>);

    impl Cells for Grid {
        fn value(&self, _: &str, at: CellRef) -> Option<V> {
            if self.1.contains_key(&at) {
                return None;
            }
            Some(self.0.get(&at).cloned().unwrap_or(V::Empty))
        }
        fn formula(&self, _: &str, at: CellRef) -> Option<String> {
            self.1.get(&at).cloned()
        }
        fn name(&self, name: &str) -> Option<(String, CellRange)> {
            (name == "Scale").then(|| ("S".to_string(), CellRange::parse("F1:F3").unwrap()))
        }
        fn shared(&self) -> Option<&(dyn Cells + Sync)> {
            Some(self)
        }
    }

    fn grid(error_at: Option<u32>) -> Grid {
        let mut g = Grid(HashMap::new(), HashMap::new());
        for (i, s) in [0.0, 2.0, 4.0].into_iter().enumerate() {
            g.0.insert(CellRef::new(i as u32 + 1, 6), V::Num(s));
        }
        for c in 1..=4 {
            g.0.insert(CellRef::new(1, c), V::Text(if c % 2 == 1 { "Score" } else { "Weighted" }.into()));
        }
        for r in 2..=40u32 {
            for c in 1..=4u32 {
                let v = match (r * 7 + c * 3) % 9 {
                    0 => V::Empty,
                    1 => V::Text("x".into()),
                    2 => V::Num(-1.5),
                    3 => V::Num(0.1 * f64::from(r)),
                    4 => V::Bool(true),
                    _ => V::Num(f64::from((r + c) % 5)),
                };
                g.0.insert(CellRef::new(r, c), v);
            }
            // A formula cell in the block, read through its own formula (which reads rows 2:40
            // itself, and must not be cut to the band of the total that reads it).
            if r % 10 == 0 {
                g.0.remove(&CellRef::new(r, 2));
                g.1.insert(CellRef::new(r, 2), "COUNTA(C2:C40)/10".into());
            }
        }
        if let Some(r) = error_at {
            g.0.insert(CellRef::new(r, 3), V::Err("#DIV/0!"));
        }
        g
    }

    fn both(g: &Grid, formula: &str) -> (Option<V>, Option<V>, bool) {
        let e = crate::xlsx::formula::parse(formula).unwrap();
        let mut whole = Evaluator::new(g);
        whole.banding.over = usize::MAX;
        let narrow = || Banding { over: 8, cells: 9, min_rows: 2, max_cells: 1 << 20 };
        let Expr::Call(name, args) = &e else { panic!("{formula}") };
        let mut bands = Evaluator::new(g);
        bands.banding = narrow();
        let was_banded = bands.banded("S", &name.to_ascii_uppercase(), args).is_some();
        let mut bands = Evaluator::new(g);
        bands.banding = narrow();
        let in_bands = bands.eval("S", &e);
        // Bands capped by their cells (one row each here) give the same, to the bit.
        let mut capped = Evaluator::new(g);
        capped.banding = Banding { min_rows: 16, max_cells: 4, ..narrow() };
        assert_eq!(format!("{:?}", capped.eval("S", &e)), format!("{in_bands:?}"), "{formula} in bands of one row");
        (whole.eval("S", &e), in_bands, was_banded)
    }

    #[test]
    fn a_total_in_bands_is_the_whole_arrays_to_the_bit() {
        let banded = [
            "SUMPRODUCT((A1:D1=\"Score\")*ISNUMBER(A2:D40)*ISNA(MATCH(A2:D40,Scale,0)))",
            "SUMPRODUCT((A1:D1=\"Score\")*ISTEXT(A2:D40))",
            "SUMPRODUCT((A1:D1=\"Score\")*ISBLANK(A2:D40))",
            "SUMPRODUCT(A2:A40,C2:C40)",
            "SUMPRODUCT(A2:D40*1.1,B2:E40)",
            "SUMPRODUCT(--NOT(ISNUMBER(B2:B40)))",
            "SUMPRODUCT(ISNUMBER(A2:A40)*ISNUMBER(C2:C40)*(C2:C40<=0))",
            "SUMPRODUCT(ABS(A2:A40-C2:C40)<1)",
            "SUMPRODUCT(--(LEFT(A2:A40,1)=\"x\"))",
            "COUNTBLANK(A2:D40)",
            "COUNTA(A2:D40)",
            "COUNT(A2:D40,B2:B40)",
            "COUNTIF(A2:D40,\">=2\")",
            "COUNTIF(A2:D40,\"x\")",
            "COUNTIFS(A2:A40,\"<>x\",C2:C40,\">0\")",
            // A total in a criterion, banded over rows of its own while the outer one is.
            "COUNTIFS(A2:A40,\">\"&SUMPRODUCT(A3:B30,C3:D30)/20,C2:C40,\">0\")",
            // No formula cell among them (column B has some): the later bands are taken as
            // worked out beside, whole numbers added; fractions are added here in order.
            "SUMPRODUCT((C1:D1=\"Score\")*ISNUMBER(C2:D40)*ISNA(MATCH(C2:D40,Scale,0)))",
            "SUMPRODUCT(C2:C40,D2:D40)",
            "COUNTIF(C2:D40,\">=2\")",
            // Worked out a whole operation at a time: a division by an empty cell, a header row
            // spread over a column spread across, percentages, NOT of text, and of numbers.
            "SUMPRODUCT(--ISNUMBER(A2:A40/C2:C40))",
            "SUMPRODUCT(A2:A40/C2:C40)",
            "SUMPRODUCT((A1:D1=\"Score\")*(A2:A40>1))",
            "SUMPRODUCT(C2:D40%,-C2:D40)",
            "SUMPRODUCT(--NOT(A2:D40))",
            "SUMPRODUCT(--NOT(C2:C40),TRUE*C2:C40)",
            // Arguments of two shapes (#VALUE!): worked out as arrays.
            "SUMPRODUCT(A2:A40,C2:D40)",
        ];
        // Each SUMPRODUCT here but the one of arguments in two shapes is worked out a whole
        // operation at a time (`each`), not as arrays.
        let g = grid(None);
        for f in banded.iter().filter(|f| f.starts_with("SUMPRODUCT")) {
            let Expr::Call(_, args) = crate::xlsx::formula::parse(f).unwrap() else { panic!("{f}") };
            let compiled = Evaluator::new(&g).products("S", &args, (2, 40)).is_some();
            assert_eq!(compiled, *f != "SUMPRODUCT(A2:A40,C2:D40)", "{f}");
        }
        let taken = TAKEN.with(|t| t.get());
        for error_at in [None, Some(2), Some(17), Some(40)] {
            let g = grid(error_at);
            for f in banded {
                let (whole, bands, was_banded) = both(&g, f);
                assert!(was_banded, "{f} is worked out in bands");
                assert!(whole.is_some(), "{f}");
                match (&whole, &bands) {
                    (Some(V::Num(a)), Some(V::Num(b))) => assert_eq!(a.to_bits(), b.to_bits(), "{f} with an error at {error_at:?}"),
                    _ => assert_eq!(whole, bands, "{f} with an error at {error_at:?}"),
                }
            }
        }
        if crate::parallel::cores() > 1 {
            assert!(TAKEN.with(|t| t.get()) > taken, "some totals took the bands worked out beside");
        }
        // The first error in row order is SUMPRODUCT's result, as the whole array gives it.
        assert_eq!(both(&grid(Some(2)), "SUMPRODUCT(--ISNUMBER(A2:A40),C2:C40)").1, Some(V::Err("#DIV/0!")));
        assert!(matches!(both(&grid(None), "SUMPRODUCT(--ISNUMBER(A2:A40),C2:C40)").1, Some(V::Num(_))));
        assert_eq!(both(&grid(None), "SUMPRODUCT(A2:D40*1.1,B2:E40)").1, Some(V::Err("#VALUE!")));
    }

    #[test]
    fn what_cannot_be_cut_by_rows_is_read_whole() {
        let g = grid(None);
        for f in [
            // Rows that differ, a lookup list over the same rows, a total inside, a scalar counted
            // beside the range, SUM (its arguments are added one after the other).
            "SUMPRODUCT(A2:A40,C3:C41)",
            "SUMPRODUCT(--ISNA(MATCH(A2:A40,B2:B40,0)))",
            "SUMPRODUCT(A2:A40*SUM(B2:B40))",
            "COUNTA(A2:D40,\"x\")",
            "SUM(A2:D40)",
            "COUNTIF(A2:A40,B2:B40)",
            "SUMPRODUCT(IF(A2:A40>1,1,0))",
            // Too few cells to be worth it.
            "COUNTA(A2:A4)",
        ] {
            let (whole, bands, was_banded) = both(&g, f);
            assert!(!was_banded, "{f} is read whole");
            assert_eq!(whole, bands, "{f}");
        }
    }
}
