//! Quality tables with one row per bidder and a column per criterion (design matrices, project
//! choices, AHP supplier selections): where the weights row, the criterion names and the bidders'
//! rows are. The walk along the criterion columns is the one every quality table has
//! (`quality.rs`).

use crate::domain::Subject;
use crate::error::Result;
use crate::xlsx::cellref::CellRef;
use crate::xlsx::headings::{QualityRole, ROW_LABELS, RowRole, classify, quality_heading};
use crate::xlsx::layout::{Orientation, WeightUnit, headings_in_row};
use crate::xlsx::matrix::quality::QualityRead;
use crate::xlsx::matrix::{BidderColumns, QualityColumns, QualityLayout, Reader};
use crate::xlsx::workbook::{Sheet, Value};

impl Reader<'_> {
    /// One row per bidder: a row of weights (labelled Weighting) with criterion names above it,
    /// and below it a row per bidder with a score under each criterion.
    pub(super) fn bidders_in_rows(&self, sheet: &Sheet) -> Result<Option<QualityRead>> {
        let h = &self.hints.quality;
        let numbers_right =
            |row: u32, col: u32| sheet.row_cells(row).iter().filter(|c| c.at.col > col && matches!(c.value, Value::Number(_))).count();
        // The weights row and its label column. A table with no weightings (every criterion
        // counting the same, as the layout file says) has its criterion names in their place.
        let equal = h.weights == Some(WeightUnit::Equal);
        let found = match h.weights_row.or(h.header_row.filter(|_| equal)) {
            Some(row) => {
                let label = self.col(&h.bidder, "quality.bidder")?.unwrap_or(1);
                Some((row, label))
            }
            None => (1..=sheet.last_row().min(50)).find_map(|row| {
                sheet.row_cells(row).iter().filter(|c| c.at.col <= 10).find_map(|c| {
                    let (role, _, _) = quality_heading(c.value.text().trim())?;
                    (role == QualityRole::Weight && numbers_right(row, c.at.col) >= 2).then_some((row, c.at.col))
                })
            }),
        };
        let Some((weights_row, label_col)) = found else { return Ok(None) };
        let weight_cols: Vec<u32> = sheet
            .row_cells(weights_row)
            .iter()
            .filter(|c| {
                c.at.col > label_col
                    && (matches!(c.value, Value::Number(_)) || c.has_formula() || equal && !c.value.text().trim().is_empty())
            })
            .map(|c| c.at.col)
            .collect();
        // Criterion names: the nearest row above with text over most weight columns, or the row
        // just below (weights written above their criteria).
        let named = |r: u32| {
            let texts = weight_cols.iter().filter(|&&c| !sheet.text(CellRef::new(r, c)).is_empty()).count();
            texts * 2 > weight_cols.len()
        };
        let header_row = match h.header_row {
            Some(r) => r,
            None => match (1..weights_row).rev().find(|&r| named(r)).or_else(|| Some(weights_row + 1).filter(|&r| named(r))) {
                Some(r) => r,
                None => return Ok(None),
            },
        };
        let bidder_col = self.col(&h.bidder, "quality.bidder")?.unwrap_or(label_col);
        let first_col = self.col(&h.first_column, "quality.first_column")?.or(weight_cols.first().copied()).unwrap_or(label_col + 1);
        let last_col = self.col(&h.last_column, "quality.last_column")?.unwrap_or_else(|| sheet.last_col());
        // The merged range a name cell starts, if any.
        let merge = |r: u32| sheet.merged.iter().find(|m| m.start == CellRef::new(r, bidder_col));
        // A bidder's name merged down over sub-rows: the rows its scores are summed over.
        let lines = |r: u32| merge(r).map_or(1, |m| m.end.row - r + 1);
        // Bidder rows: below the weights, each with a name, up to a blank row or a total. A row
        // under the last bidder's merged name is that bidder's (`next` is the first row past it).
        let mut next = 0;
        let rows: Vec<u32> = match (h.first_row, h.last_row) {
            (Some(a), Some(b)) => {
                let mut rows: Vec<u32> = Vec::new();
                for r in a..=b {
                    if r >= next && !sheet.text(CellRef::new(r, bidder_col)).is_empty() {
                        rows.push(r);
                        next = r + lines(r);
                    }
                }
                rows
            }
            (first, last) => {
                let mut rows: Vec<u32> = Vec::new();
                for r in first.unwrap_or(weights_row.max(header_row) + 1)..=last.unwrap_or_else(|| sheet.last_row()) {
                    if r < next {
                        continue;
                    }
                    let name = sheet.text(CellRef::new(r, bidder_col));
                    // A text merged from the name column across the table (a title, a copyright
                    // line under it) is not a bidder.
                    let across = merge(r).is_some_and(|m| m.end.col > bidder_col);
                    if name.is_empty() || across {
                        if rows.is_empty() {
                            continue;
                        }
                        break;
                    }
                    // A heading over the names ("Supplier Name", "Projects") is not a bidder.
                    let numbers = weight_cols.iter().any(|&c| matches!(sheet.value(CellRef::new(r, c)), Value::Number(_)));
                    if (quality_heading(&name).is_some() || !numbers) && rows.is_empty() {
                        continue;
                    }
                    match classify(ROW_LABELS, &name).map(|x| x.0) {
                        Some(RowRole::Skip) => continue,
                        Some(_) => break,
                        None => {
                            rows.push(r);
                            next = r + lines(r);
                        }
                    }
                }
                rows
            }
        };
        if rows.is_empty() {
            return Ok(None);
        }
        let criterion_heading =
            headings_in_row(sheet, header_row, quality_heading).into_iter().find(|(c, x)| *c <= label_col && x.0 == QualityRole::Reference);
        let bidders = rows
            .iter()
            .map(|&r| {
                let at = CellRef::new(r, bidder_col);
                BidderColumns { name: self.text(sheet, at, || Subject::Bids), name_cell: at, score: r, lines: lines(r), weighted: None, total: None }
            })
            .collect();
        let cols = QualityColumns {
            section: None,
            reference: criterion_heading.map(|_| header_row),
            criterion: Some(header_row),
            section_weight: None,
            weight: weights_row,
            effective_weight: None,
            pass_mark: None,
        };
        let layout =
            QualityLayout::unfilled(&sheet.name, Orientation::BiddersInRows, header_row, Some(weights_row).filter(|_| !equal), cols, bidders, h.weights.unwrap_or_default());
        let total_hint = self.col(&h.total, "quality.total")?;
        let mut read = self.fill(sheet, layout, first_col..=last_col, Vec::new())?;
        if let Some(col) = total_hint.or(read.layout.total_row) {
            read.layout.total_row = Some(col);
            for b in &mut read.layout.bidders {
                b.total = Some(CellRef::new(b.score, col));
            }
        }
        Ok(Some(read))
    }
}
