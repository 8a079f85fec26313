//! Which formula results to cache when a workbook is written, beyond the figures scoring sets:
//! every formula of the sheets an edit list marks as tenderkit's own (`Edits::own_sheet`): a
//! matrix's Checks and Summary sheets when its figures are written (their verdicts and labels
//! follow the scores, so a saved result may be stale), a return's sheet. A buyer's own formulas
//! are never touched, cached or not. Results come from
//! [`evaluate`](crate::xlsx::evaluate); a formula it cannot evaluate keeps what it had (Excel
//! recalculates on open all the same).

use std::collections::BTreeMap;

use crate::xlsx::cellref::{CellRange, CellRef};
use crate::xlsx::evaluate::{Cells, Evaluator, V};
use crate::xlsx::patch::{CellEdit, Computed, Edits};
use crate::xlsx::workbook::{Value, Workbook};

struct View<'a> {
    wb: &'a Workbook,
    edits: &'a Edits,
    /// Sheets whose formulas are all worked out again, saved results or not.
    recompute: Vec<String>,
}

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

impl Cells for View<'_> {
    fn value(&self, sheet: &str, at: CellRef) -> Option<V> {
        if let Some(e) = self.edits.get(sheet, at) {
            return Some(edited(e));
        }
        let s = self.wb.sheet(sheet).ok()?;
        let Some(cell) = s.cell(at) else { return Some(V::Empty) };
        if cell.formula.is_some() && (cell.value == Value::Empty || self.recompute.iter().any(|r| r == sheet)) {
            return None;
        }
        Some(from_value(&cell.value))
    }

    fn formula(&self, sheet: &str, at: CellRef) -> Option<String> {
        // A shared formula's followers hold no text: not evaluated.
        self.wb.sheet(sheet).ok()?.cell(at)?.formula.clone().filter(|f| !f.is_empty())
    }

    fn name(&self, name: &str) -> Option<(String, CellRange)> {
        self.wb.defined_range(name)
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
        cols.map(|col| {
            while edits.peek().is_some_and(|(at, _)| at.col < col) {
                edits.next();
            }
            if let Some((_, e)) = edits.next_if(|(at, _)| at.col == col) {
                return Some(edited(e));
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
            let Some(cell) = found else { return Some(V::Empty) };
            if cell.formula.is_some() && (cell.value == Value::Empty || recompute) {
                return None;
            }
            Some(from_value(&cell.value))
        })
        .collect()
    }
}

/// The results to cache, by sheet, for cells `edits` does not already set.
pub(crate) fn results(wb: &Workbook, edits: &Edits) -> BTreeMap<String, BTreeMap<CellRef, CellEdit>> {
    let recompute: Vec<String> = edits.own_sheets().filter(|s| wb.sheet(s).is_ok()).map(str::to_string).collect();
    let sheets = recompute.clone();
    let view = View { wb, edits, recompute: recompute.clone() };
    let mut eval = Evaluator::new(&view);
    let mut out: BTreeMap<String, BTreeMap<CellRef, CellEdit>> = BTreeMap::new();
    for name in sheets {
        let Ok(sheet) = wb.sheet(&name) else { continue };
        for cell in sheet.cells() {
            let Some(f) = &cell.formula else { continue };
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
    out
}
