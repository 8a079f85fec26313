//! The workbook side of a rescale: the cell edits that carry a [`Rescaled`] matrix into the
//! workbook. Scores get their new values; weighted-score formulas that hard-code the old maximum
//! are rewritten to use the named `ScaleMax`; the scale's maximum, legend and the score cells'
//! data validation follow the new scale. Nothing is guessed: a formula or rule that is not
//! understood is left as it is and reported.

use serde::Serialize;

use crate::domain::rescale::Rescaled;
use crate::domain::scale::fmt_number;
use crate::domain::{Scale, scoring};
use crate::opc::xml::escape;
use crate::xlsx::cellref::{CellRange, CellRef};
use crate::xlsx::formula::{WeightedFormula, recognise_weighted, replace_span};
use crate::xlsx::matrix::{ReadMatrix, place};
use crate::xlsx::patch::{CellEdit, Computed, Edits};
use crate::xlsx::workbook::{NameValue, Workbook, quote_sheet};

/// Something the rescale left as it was, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LeftAlone {
    /// `Quality!H5` or a range.
    pub place: String,
    /// The formula or rule as it is.
    pub what: String,
    pub why: String,
}

#[derive(Debug, Default, Serialize)]
pub struct RescalePlan {
    #[serde(skip)]
    pub edits: Edits,
    /// Weighted-score formulas that already divide by a named maximum.
    pub named_formulas: usize,
    /// Weighted-score formulas rewritten from a literal maximum to `ScaleMax`: (cell, old, new).
    pub rewritten: Vec<(String, String, String)>,
    /// Weighted-score cells holding values rather than formulas (their values are rewritten).
    pub value_cells: usize,
    pub validations_updated: usize,
    /// Where the scale's legend was rewritten, if the workbook has one.
    pub legend: Option<String>,
    pub left_alone: Vec<LeftAlone>,
}

/// A list rule for `sqref`; `p` is the sheet's namespace prefix.
fn list_validation(p: &str, sqref: &str, formula1: &str, scale: &Scale) -> String {
    let values = scale.values_text();
    format!(
        "<{p}dataValidation type=\"list\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\" errorTitle=\"Not on the scoring scale\" error=\"{}\" promptTitle=\"Score\" prompt=\"{}\" sqref=\"{}\"><{p}formula1>{}</{p}formula1></{p}dataValidation>",
        escape(&format!("Enter one of the scale's scores: {values}.")),
        escape(&format!("One of {values}")),
        escape(sqref),
        escape(formula1)
    )
}

/// Plans the edits that put `rescaled` into the workbook `read` came from.
pub fn plan(wb: &Workbook, read: &ReadMatrix, rescaled: &Rescaled) -> crate::Result<RescalePlan> {
    let old_max = read.matrix.scale.max();
    let to = &rescaled.matrix.scale;
    let q = read.layout.quality_table(wb.path())?;
    let sheet = wb.sheet(&q.sheet)?;
    let mut plan = RescalePlan::default();
    let figures = scoring::compute(&rescaled.matrix);
    let mut edits = read.layout.figure_edits(wb, &rescaled.matrix, &figures);
    // A cell shown as a percentage holds a hundredth of what it shows.
    let shown = |at: CellRef, n: f64| {
        let percent = sheet.cell(at).is_some_and(|c| wb.is_percent(c).unwrap_or(false));
        CellEdit::Number(if percent { n / 100.0 } else { n })
    };

    for m in &rescaled.mapped {
        let at = q.score_cell(m.criterion, m.bid);
        edits.set(&q.sheet, at, shown(at, m.to));
    }
    if let Some(col) = q.cols.pass_mark {
        for ((_, c), &row) in rescaled.matrix.criteria().zip(&q.criterion_rows) {
            if let Some(pm) = c.pass_mark.number() {
                let at = q.at(row, col);
                edits.set(&q.sheet, at, shown(at, pm));
            }
        }
    }

    // Weighted-score formulas.
    let mut recognised_masters = std::collections::HashSet::new();
    let mut shared_children = Vec::new();
    for (b, bidder) in q.bidders.iter().enumerate() {
        let Some(col) = bidder.weighted else { continue };
        for (i, &row) in q.criterion_rows.iter().enumerate() {
            let at = q.at(row, col);
            let score = q.at(row, bidder.score);
            let place = place(&q.sheet, at);
            let Some(cell) = sheet.cell(at) else { continue };
            let Some(formula) = sheet.formula(cell) else {
                plan.value_cells += 1;
                continue;
            };
            if formula.is_empty() {
                shared_children.push((place, sheet.shared(cell)));
                continue;
            }
            match recognise_weighted(formula, score, old_max) {
                WeightedFormula::Named(_) => {
                    plan.named_formulas += 1;
                    recognised_masters.extend(sheet.shared(cell));
                }
                WeightedFormula::Literal { span, .. } => {
                    let new = replace_span(formula, &span, "ScaleMax");
                    edits.set(
                        &q.sheet,
                        at,
                        CellEdit::Formula { formula: new.clone(), result: Computed::from(figures.bids[b].weighted[i]) },
                    );
                    plan.rewritten.push((place, format!("={formula}"), format!("={new}")));
                    recognised_masters.extend(sheet.shared(cell));
                }
                WeightedFormula::NotUnderstood(why) => plan.left_alone.push(LeftAlone { place, what: format!("={formula}"), why }),
            }
        }
    }
    for (place, shared) in shared_children {
        // A cell sharing another's formula follows its master's rewrite.
        match shared.filter(|si| recognised_masters.contains(si)) {
            Some(_) => plan.named_formulas += 1,
            None => plan.left_alone.push(LeftAlone {
                place,
                what: "a shared formula".into(),
                why: "its master formula is not a weighted-score formula tenderkit recognised".into(),
            }),
        }
    }

    // The named maximum, and the scale's values and legend.
    let max = to.max();
    let values_array = format!("{{{}}}", to.points().iter().map(|p| fmt_number(p.value)).collect::<Vec<_>>().join(","));
    match wb.defined_value("ScaleMax") {
        Some(NameValue::Range(s, range)) => {
            let is_formula = wb.sheet(&s)?.cell(range.start).is_some_and(|c| c.has_formula());
            if !is_formula {
                edits.set(&s, range.start, CellEdit::Number(max));
            }
        }
        _ => edits.set_name("ScaleMax", &fmt_number(max)),
    }
    // Where no legend is rewritten (there is none, or no room for the new scale), the workbook
    // carries the scale as a named constant instead, or it would be read back on the old one.
    let legend_written = match &read.layout.settings.scale_values {
        Some((s, range)) => {
            let legend = wb.sheet(s)?;
            let old_rows = range.end.row - range.start.row + 1;
            let new_rows = to.points().len() as u32;
            let col = range.start.col;
            let below_free = (range.end.row + 1..range.start.row + new_rows)
                .all(|r| (col..col + 3).all(|c| legend.value(CellRef::new(r, c)).text().is_empty()));
            if new_rows > old_rows && !below_free {
                plan.left_alone.push(LeftAlone {
                    place: place(s, range),
                    what: "the scale legend".into(),
                    why: format!(
                        "the new scale has {new_rows} scores but the rows below the legend are not empty; the scale is kept in the defined name ScaleValues instead: update the legend by hand"
                    ),
                });
                false
            } else {
                for r in 0..old_rows.max(new_rows) {
                    let row = range.start.row + r;
                    match to.points().get(r as usize) {
                        Some(p) => {
                            edits.set(s, CellRef::new(row, col), CellEdit::Number(p.value));
                            for (offset, text) in [(1, &p.descriptor), (2, &p.meaning)] {
                                let at = CellRef::new(row, col + offset);
                                edits.set(s, at, if text.is_empty() { CellEdit::Clear } else { CellEdit::Text(text.clone()) });
                            }
                        }
                        None => (0..3).for_each(|offset| edits.set(s, CellRef::new(row, col + offset), CellEdit::Clear)),
                    }
                }
                let new_range = CellRange { start: range.start, end: CellRef::new(range.start.row + new_rows - 1, col) };
                if wb.defined_range("ScaleValues").is_some() {
                    edits.set_name(
                        "ScaleValues",
                        &format!("{}!{}:{}", quote_sheet(s), new_range.start.absolute(), new_range.end.absolute()),
                    );
                }
                plan.legend = Some(place(s, CellRange { start: range.start, end: CellRef::new(new_range.end.row, col + 2) }));
                true
            }
        }
        None => false,
    };
    if !legend_written {
        edits.set_name("ScaleValues", &values_array);
    }

    // Data validation on the score cells. A rule may also cover the score columns' heading and
    // blank rows inside the criteria block; anything else it covers would change meaning.
    let score_cells: std::collections::HashSet<CellRef> = q.score_cells().collect();
    let block = q.header_row + 1..=q.total_row.unwrap_or_else(|| q.criterion_rows.iter().copied().max().unwrap_or(q.header_row));
    let score_cols: std::collections::HashSet<u32> = q.bidders.iter().map(|b| b.score).collect();
    let criteria_in_rows = q.orientation == crate::xlsx::layout::Orientation::CriteriaInRows;
    let harmless = |c: &CellRef| {
        score_cells.contains(c)
            || (criteria_in_rows && score_cols.contains(&c.col) && block.contains(&c.row) && sheet.value(*c).text().is_empty())
    };
    for (index, rule) in sheet.validations.iter().enumerate() {
        let cells: Vec<CellRef> = rule.sqref.iter().flat_map(|r| r.cells().collect::<Vec<_>>()).collect();
        if !cells.iter().any(|c| score_cells.contains(c)) {
            continue;
        }
        let sqref = rule.sqref.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(" ");
        if !cells.iter().all(harmless) {
            let what = [rule.kind.as_str(), rule.operator.as_str(), rule.formula1.as_str(), rule.formula2.as_str()]
                .iter()
                .filter(|x| !x.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            plan.left_alone.push(LeftAlone {
                place: place(&q.sheet, &sqref),
                what: format!("a data-validation rule ({what})"),
                why: "it also covers cells that are not scores; update it by hand".into(),
            });
            continue;
        }
        let formula1 = if rule.formula1.contains("ScaleValues") {
            rule.formula1.clone()
        } else {
            format!("\"{}\"", to.points().iter().map(|p| fmt_number(p.value)).collect::<Vec<_>>().join(","))
        };
        edits.replace_validation(&q.sheet, index, list_validation(&sheet.prefix, &sqref, &formula1, to));
        plan.validations_updated += 1;
    }
    plan.edits = edits;
    Ok(plan)
}
