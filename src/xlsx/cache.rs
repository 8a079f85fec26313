//! Which formula results to cache when a workbook is written, beyond the figures scoring sets:
//! every formula of the sheets an edit list marks as tenderkit's own (`Edits::own_sheet`): a
//! matrix's Checks and Summary sheets when its figures are written (their verdicts and labels
//! follow the scores, so a saved result may be stale), a return's sheet. A buyer's own formulas
//! are never touched, cached or not. Results come from
//! [`evaluate`](crate::xlsx::evaluate); a formula it cannot evaluate keeps what it had (Excel
//! recalculates on open all the same).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use crate::xlsx::cellref::{CellRange, CellRef};
use crate::xlsx::evaluate::{Cells, Evaluator, V};
use crate::xlsx::formula::shifted;
use crate::xlsx::patch::{CellEdit, Computed, Edits};
use crate::xlsx::workbook::{Value, Workbook};

/// A sheet's shared formulas: group index to the master cell and its formula text.
type Masters = HashMap<u32, (CellRef, String)>;

struct View<'a> {
    wb: &'a Workbook,
    edits: &'a Edits,
    /// Sheets whose formulas are all worked out again, saved results or not.
    recompute: Vec<String>,
    /// A formula cell whose edit only caches a result is worked out from its formula instead.
    formulas_first: bool,
    /// Per sheet, each shared formula's master cell and text.
    masters: Mutex<HashMap<String, Masters>>,
}

#[inline]
fn from_value(v: &Value) -> V {
    match v {
        Value::Empty => V::Empty,
        Value::Number(n) => V::Num(*n),
        Value::Text(t) => V::Text(t.to_string()),
        Value::Bool(b) => V::Bool(*b),
        Value::Error(e) => V::Err(match e.as_str() {
            "#N/A" => "#N/A",
            "#DIV/0!" => "#DIV/0!",
            "#REF!" => "#REF!",
            "#NAME?" => "#NAME?",
            "#NUM!" => "#NUM!",
            _ => "#VALUE!",
        }),
    }
}

fn from_computed(c: &Computed) -> V {
    match c {
        Computed::Number(n) => V::Num(*n),
        Computed::Text(t) => V::Text(t.clone()),
        Computed::Bool(b) => V::Bool(*b),
    }
}

fn edited(e: &CellEdit) -> V {
    match e {
        CellEdit::Number(n) => V::Num(*n),
        CellEdit::Text(t) => V::Text(t.clone()),
        CellEdit::Clear => V::Empty,
        CellEdit::Result(c) | CellEdit::Formula { result: c, .. } => from_computed(c),
    }
}

impl View<'_> {
    fn edited(&self, e: &CellEdit, has_formula: impl FnOnce() -> bool) -> Option<V> {
        if self.formulas_first && matches!(e, CellEdit::Result(_)) && has_formula() {
            return None;
        }
        Some(edited(e))
    }
}

impl Cells for View<'_> {
    fn value(&self, sheet: &str, at: CellRef) -> Option<V> {
        let s = self.wb.sheet(sheet).ok()?;
        if let Some(e) = self.edits.get(sheet, at) {
            return self.edited(e, || s.cell(at).is_some_and(|c| c.has_formula()));
        }
        let Some(cell) = s.cell(at) else { return Some(V::Empty) };
        if cell.has_formula() && (matches!(cell.value, Value::Empty) || self.recompute.iter().any(|r| r == sheet)) {
            return None;
        }
        Some(from_value(&cell.value))
    }

    fn formula(&self, sheet: &str, at: CellRef) -> Option<String> {
        let s = self.wb.sheet(sheet).ok()?;
        let cell = s.cell(at)?;
        match (s.formula(cell), s.shared(cell)) {
            (Some(f), _) if !f.is_empty() => Some(f.to_string()),
            // A shared formula's follower holds no text: its master's, moved to this cell.
            (Some(_), Some(si)) => {
                let mut masters = self.masters.lock().unwrap_or_else(|e| e.into_inner());
                let of_sheet = masters.entry(sheet.to_string()).or_insert_with(|| {
                    s.cells().filter_map(|c| Some((s.shared(c)?, (c.at, s.formula(c).filter(|f| !f.is_empty())?.to_string())))).collect()
                });
                let (from, f) = of_sheet.get(&si)?;
                shifted(f, i64::from(at.row) - i64::from(from.row), i64::from(at.col) - i64::from(from.col))
            }
            _ => None,
        }
    }

    fn name(&self, name: &str) -> Option<(String, CellRange)> {
        self.wb.defined_range(name)
    }

    fn shared(&self) -> Option<&(dyn Cells + Sync)> {
        Some(self)
    }

    fn row(&self, sheet: &str, row: u32, cols: std::ops::RangeInclusive<u32>) -> Vec<Option<V>> {
        // A Checks formula reads 200,000 cells: the sheet and the row are found once, and the
        // row's edits and cells (both in column order) are walked side by side.
        let Ok(s) = self.wb.sheet(sheet) else { return cols.map(|_| None).collect() };
        let recompute = self.recompute.iter().any(|r| r == sheet);
        let (first, last) = (*cols.start(), *cols.end());
        let mut edits = self
            .edits
            .sheet_cells(sheet)
            .into_iter()
            .flat_map(|e| e.range(CellRef::new(row, first)..=CellRef::new(row, last)))
            .peekable();
        let cells = s.row(row).map_or(&[][..], |r| &r.cells[..]);
        let sorted = cells.windows(2).all(|w| w[0].at.col < w[1].at.col);
        let mut next = if sorted { cells.partition_point(|c| c.at.col < first) } else { 0 };
        let saved = |cell: &crate::xlsx::workbook::Cell| {
            if cell.has_formula() && (matches!(cell.value, Value::Empty) || recompute) { None } else { Some(from_value(&cell.value)) }
        };
        if sorted && edits.peek().is_none() {
            // No edit in the row (a workbook scored again): its cells are walked alone, and a
            // row of scores with no gap taken as it is.
            let wanted = (last - first) as usize + 1;
            if let Some(run) = cells.get(next..next + wanted)
                && run.first().is_some_and(|c| c.at.col == first)
                && run.last().is_some_and(|c| c.at.col == last)
            {
                return run.iter().map(saved).collect();
            }
            return cols
                .map(|col| {
                    while next < cells.len() && cells[next].at.col < col {
                        next += 1;
                    }
                    match cells.get(next).filter(|c| c.at.col == col) {
                        Some(cell) => saved(cell),
                        None => Some(V::Empty),
                    }
                })
                .collect();
        }
        cols.map(|col| {
            while edits.peek().is_some_and(|(at, _)| at.col < col) {
                edits.next();
            }
            let found = if sorted {
                while next < cells.len() && cells[next].at.col < col {
                    next += 1;
                }
                cells.get(next).filter(|c| c.at.col == col)
            } else {
                // Cells out of column order (rare, but a file may have them): looked for one by one.
                cells.iter().find(|c| c.at.col == col)
            };
            if let Some((_, e)) = edits.next_if(|(at, _)| at.col == col) {
                return self.edited(e, || found.is_some_and(|c| c.has_formula()));
            }
            found.map_or(Some(V::Empty), saved)
        })
        .collect()
    }
}

/// The results to cache, by sheet: for cells `edits` does not set, and in place of the figures it
/// sets beside a buyer's formula where the formula gives them otherwise (`as_the_formulas_give`).
pub(crate) fn results(wb: &Workbook, edits: &Edits) -> BTreeMap<String, BTreeMap<CellRef, CellEdit>> {
    let recompute: Vec<String> = edits.own_sheets().filter(|s| wb.sheet(s).is_ok()).map(str::to_string).collect();
    let sheets = recompute.clone();
    let view = View { wb, edits, recompute: recompute.clone(), formulas_first: false, masters: Mutex::default() };
    let mut eval = Evaluator::new(&view);
    let mut out: BTreeMap<String, BTreeMap<CellRef, CellEdit>> = BTreeMap::new();
    for name in sheets {
        let Ok(sheet) = wb.sheet(&name) else { continue };
        for cell in sheet.cells() {
            let Some(f) = sheet.formula(cell) else { continue };
            if f.is_empty() || edits.get(&name, cell.at).is_some() {
                continue;
            }
            let result = eval.cell(&name, cell.at);
            // A result already saved as it is stays byte for byte as it was.
            if result.as_ref() == Some(&from_value(&cell.value)) {
                continue;
            }
            let computed = match result {
                Some(V::Num(n)) if n.is_finite() => Computed::Number(n),
                Some(V::Text(t)) => Computed::Text(t),
                Some(V::Bool(b)) => Computed::Bool(b),
                _ => continue,
            };
            out.entry(name.clone()).or_default().insert(cell.at, CellEdit::Result(computed));
        }
    }
    as_the_formulas_give(wb, edits, &mut out);
    out
}

/// Figures computed for formulas the workbook keeps (a buyer's weighted score, total) are cached as
/// the formula itself gives them, since that is what the cell shows: the same figure summed or
/// multiplied in another order can differ in its last bit (50 against 49.99999999999999). A saved
/// result equal to the figure stays as saved; otherwise the formula is worked out over the new
/// figures, in its own order, and that result is cached. Where it cannot be worked out here, the
/// figure stays as computed (Excel recalculates on open all the same).
fn as_the_formulas_give(wb: &Workbook, edits: &Edits, out: &mut BTreeMap<String, BTreeMap<CellRef, CellEdit>>) {
    if edits.in_formula_order {
        return;
    }
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    let view = View { wb, edits, recompute: Vec::new(), formulas_first: true, masters: Mutex::default() };
    let mut eval = Evaluator::new(&view);
    let own: Vec<&str> = edits.own_sheets().collect();
    let mut found = wb.sheets_in_turn();
    for (name, at, edit) in edits.iter() {
        let CellEdit::Result(Computed::Number(n)) = edit else { continue };
        if own.contains(&name) {
            continue;
        }
        let Some(cell) = found.sheet(name).and_then(|s| s.cell(at)) else { continue };
        if !cell.has_formula() {
            continue;
        }
        let result = match cell.value {
            Value::Number(v) if close(v, *n) => v,
            _ => match eval.cell(name, at) {
                Some(V::Num(m)) if m.is_finite() => m,
                _ => continue,
            },
        };
        if result == *n {
            continue;
        }
        out.entry(name.to_string()).or_default().insert(at, CellEdit::Result(Computed::Number(result)));
    }
}
