//! Evaluators' score returns: one workbook per evaluator, written from the matrix and the panel,
//! and read back. The same table layout is used for the evaluator sheets kept in the moderated
//! matrix, so both are read by one reader.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use umya_spreadsheet as xl;

use crate::domain::moderation::{EvaluatorReturn, ReturnedCosts, ReturnedScore};
use crate::domain::name_key;
use crate::domain::panel::{Panel, Role};
use crate::domain::{CostComponent, Matrix};
use crate::error::{Error, Result};
use crate::xlsx::cellref::{CellRef, col_name};
use crate::xlsx::create::SetText;
use crate::xlsx::headings::{self, PRICE_HEADINGS, PriceRole};
use crate::xlsx::layout::norm;
use crate::xlsx::matrix::entry;
use crate::xlsx::workbook::{Sheet, Workbook};

/// Labels of the header block (column A), their values in column B.
pub const LABEL_TENDER: &str = "Tender reference";
pub const LABEL_EVALUATOR: &str = "Evaluator";
/// The defined name of the cell recording who a return was issued to.
pub const ISSUED_TO: &str = "IssuedTo";
const ISSUED_TO_CELL: &str = "Z1";
pub const LABEL_ROLE: &str = "Role";
/// Where each return's table starts.
const HEADER_ROW: u32 = 11;

/// What every return says about the tender.
pub struct ReturnContext<'a> {
    pub reference: &'a str,
    pub title: &'a str,
    /// When the returns were issued (RFC 3339).
    pub issued: &'a str,
}

/// `Jane O'Neil` -> `jane-o-neil`.
pub fn slug(name: &str) -> String {
    let s: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let parts: Vec<&str> = s.split('-').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() { "evaluator".into() } else { parts.join("-") }
}

/// Each evaluator's return file name, in panel order: the name made safe (at most 60
/// characters) and the role. Names that make the same file name ("Morag Campbell" and
/// "Morag-Campbell") are told apart by a number, so no return overwrites another.
pub fn file_names(panel: &Panel) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    panel
        .evaluators
        .iter()
        .map(|ev| {
            let base: String = slug(&ev.name).chars().take(60).collect();
            let base = base.trim_end_matches('-');
            let mut name = format!("{base}-{}.xlsx", ev.role.name());
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{n}-{}.xlsx", ev.role.name());
                n += 1;
            }
            name
        })
        .collect()
}

pub(crate) fn bold(sheet: &mut xl::Worksheet, cell: &str) {
    sheet.style_mut(cell).font_mut().set_bold(true);
}

pub(crate) fn heading(sheet: &mut xl::Worksheet, cell: &str, text: &str) {
    sheet.cell_mut(cell).set_text(text);
    let style = sheet.style_mut(cell);
    style.font_mut().set_bold(true);
    style.set_background_color("FFD9E1F2");
    style.alignment_mut().set_wrap_text(true);
}

pub(crate) fn unlocked(sheet: &mut xl::Worksheet, cell: &str, format: &str) {
    let style = sheet.style_mut(cell);
    style.set_background_color("FFFFF2CC");
    style.protection_mut().set_locked(false);
    style.number_format_mut().set_format_code(format);
    style.alignment_mut().set_wrap_text(true);
}

pub(crate) fn at(row: u32, col: u32) -> String {
    CellRef::new(row, col).to_string()
}

/// The components a commercial return asks for: the matrix's own.
fn components(m: &Matrix) -> Vec<CostComponent> {
    m.bids
        .first()
        .map(|b| b.costs.iter().map(|c| c.component).collect::<Vec<_>>())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| vec![CostComponent::Acquisition, CostComponent::Operating, CostComponent::EndOfLife])
}

fn component_heading(c: CostComponent) -> &'static str {
    match c {
        CostComponent::Acquisition => "Acquisition cost (£)",
        CostComponent::Operating => "Operating cost (£)",
        CostComponent::EndOfLife => "End-of-life cost (£)",
        CostComponent::Price => "Price (£)",
    }
}

/// Writes evaluator `e`'s return to `out` (atomically).
pub fn write_return(ctx: &ReturnContext, panel: &Panel, e: usize, m: &Matrix, out: &Path) -> Result<()> {
    crate::fsio::write_bytes(out, &return_bytes(ctx, panel, e, m, out)?)
}

/// Evaluator `e`'s return, as the bytes of a workbook (`out` names it in messages).
pub fn return_bytes(ctx: &ReturnContext, panel: &Panel, e: usize, m: &Matrix, out: &Path) -> Result<Vec<u8>> {
    let ev = &panel.evaluators[e];
    let werr = |e: String| Error::Write { path: out.to_path_buf(), source: std::io::Error::other(e) };
    let mut book = xl::new_file();
    {
        let sheet = book.sheet_mut(0).map_err(|e| werr(e.to_string()))?;
        sheet.set_name("Return");
        let title = match ev.role {
            Role::Quality => "Quality score return",
            Role::Commercial => "Commercial (price) return",
        };
        sheet.cell_mut("A1").set_text(format!("{title}: {}", ctx.title));
        sheet.style_mut("A1").font_mut().set_bold(true).set_size(14.0);
        let header: [(&str, String); 6] = [
            (LABEL_TENDER, ctx.reference.to_string()),
            ("Tender", ctx.title.to_string()),
            (LABEL_EVALUATOR, ev.name.trim().to_string()),
            (LABEL_ROLE, ev.role.name().to_string()),
            ("Scale", if ev.role == Role::Quality { m.scale.values_text() } else { "amounts in pounds, as tendered".into() }),
            ("Issued", ctx.issued.to_string()),
        ];
        for (i, (label, value)) in header.iter().enumerate() {
            let row = 3 + i as u32;
            sheet.cell_mut(at(row, 1)).set_text(*label);
            bold(sheet, &at(row, 1));
            sheet.cell_mut(at(row, 2)).set_text(value.as_str());
        }
        // Who the return was issued to, in a hidden, locked cell: collecting refuses a return
        // whose Evaluator cell was changed to name someone else.
        sheet.cell_mut(ISSUED_TO_CELL).set_text(ev.name.trim());
        sheet.column_dimension_mut("Z").set_hidden(true);
        let instructions = match ev.role {
            Role::Quality => {
                "Score each bid on its own, using the scale on the Scale sheet, before the moderation meeting; do not agree scores with other panel members first. For every score, say which features of the submission earned it (not just 'good' or 'acceptable'), and what would have scored higher. Return this file unchanged apart from the yellow cells. First complete the Declaration sheet: no score counts without it."
            }
            Role::Commercial => {
                "Enter each bid's costs from its price schedule, as tendered, and check its arithmetic. Note any errors, qualifications or missing prices. Do not score quality: the guidance keeps the commercial and quality evaluations apart. Return this file unchanged apart from the yellow cells. First complete the Declaration sheet: no figure counts without it."
            }
        };
        sheet.cell_mut("A9").set_text(instructions);
        sheet.style_mut("A9").alignment_mut().set_wrap_text(true);
        sheet.add_merge_cells("A9:F9");
        sheet.row_dimension_mut(9).set_height(60.0);
        let mut dvs = xl::DataValidations::default();
        match ev.role {
            Role::Quality => {
                for (col, h) in ["Ref", "Criterion", "Bidder", "Score", "Justification"].iter().enumerate() {
                    heading(sheet, &at(HEADER_ROW, col as u32 + 1), h);
                }
                let criteria: Vec<_> = m.criteria().collect();
                let mut row = HEADER_ROW + 1;
                for c in panel.criteria_of(e, m) {
                    for bid in &m.bids {
                        sheet.cell_mut(at(row, 1)).set_text(criteria[c].1.reference.as_str());
                        sheet.cell_mut(at(row, 2)).set_text(criteria[c].1.title.as_str());
                        sheet.style_mut(&*at(row, 2)).alignment_mut().set_wrap_text(true);
                        sheet.cell_mut(at(row, 3)).set_text(bid.bidder.as_str());
                        unlocked(sheet, &at(row, 4), "0.##");
                        unlocked(sheet, &at(row, 5), "@");
                        row += 1;
                    }
                }
                let values = m.scale.points().iter().map(|p| crate::domain::scale::fmt_number(p.value)).collect::<Vec<_>>().join(",");
                let mut dv = xl::DataValidation::default();
                dv.set_type(xl::DataValidationValues::List);
                dv.set_formula1(format!("\"{values}\""));
                dv.set_allow_blank(true);
                dv.set_show_error_message(true);
                dv.set_error_title("Not on the scoring scale");
                dv.set_error_message(format!("Enter one of {}", m.scale.values_text()));
                dv.sequence_of_references_mut().set_sqref(format!("D{}:D{}", HEADER_ROW + 1, row.max(HEADER_ROW + 2) - 1));
                dvs.add_data_validation_list(dv);
                for (col, w) in [(1, 8.0), (2, 45.0), (3, 32.0), (4, 8.0), (5, 70.0)] {
                    sheet.column_dimension_mut(&col_name(col)).set_width(w);
                }
            }
            Role::Commercial => {
                let comps = components(m);
                let mut headings: Vec<&str> = vec!["Bidder"];
                headings.extend(comps.iter().map(|c| component_heading(*c)));
                let total_col = comps.len() as u32 + 2;
                if comps.len() > 1 {
                    headings.push("Whole-life cost (£)");
                }
                headings.push("Notes");
                for (col, h) in headings.iter().enumerate() {
                    heading(sheet, &at(HEADER_ROW, col as u32 + 1), h);
                }
                let notes_col = headings.len() as u32;
                for (b, bid) in m.bids.iter().enumerate() {
                    let row = HEADER_ROW + 1 + b as u32;
                    sheet.cell_mut(at(row, 1)).set_text(bid.bidder.as_str());
                    for k in 0..comps.len() as u32 {
                        unlocked(sheet, &at(row, 2 + k), "£#,##0.00");
                    }
                    if comps.len() > 1 {
                        let (first, last) = (col_name(2), col_name(total_col - 1));
                        sheet
                            .cell_mut(at(row, total_col))
                            .set_formula(format!("IF(COUNT({first}{row}:{last}{row})=0,\"\",SUM({first}{row}:{last}{row}))"));
                        sheet.style_mut(&*at(row, total_col)).number_format_mut().set_format_code("£#,##0.00");
                    }
                    unlocked(sheet, &at(row, notes_col), "@");
                }
                sheet.column_dimension_mut("A").set_width(34.0);
                for col in 2..notes_col {
                    sheet.column_dimension_mut(&col_name(col)).set_width(18.0);
                }
                sheet.column_dimension_mut(&col_name(notes_col)).set_width(60.0);
            }
        }
        // An empty <dataValidations> is a schema error Excel reports as unreadable content.
        if !dvs.data_validation_list().is_empty() {
            sheet.set_data_validations(dvs);
        }
        sheet.sheet_protection_mut().set_sheet(true);
        sheet.sheet_protection_mut().set_format_columns(false).set_format_rows(false);
    }
    {
        let scale = book.new_sheet("Scale").map_err(|e| werr(e.to_string()))?;
        for (col, h) in ["Score", "Descriptor", "Meaning"].iter().enumerate() {
            heading(scale, &at(1, col as u32 + 1), h);
        }
        for (i, p) in m.scale.points().iter().enumerate() {
            let row = 2 + i as u32;
            scale.cell_mut(at(row, 1)).set_value_number(p.value);
            scale.cell_mut(at(row, 2)).set_text(p.descriptor.as_str());
            scale.cell_mut(at(row, 3)).set_text(p.meaning.as_str());
            scale.style_mut(&*at(row, 3)).alignment_mut().set_wrap_text(true);
        }
        scale.column_dimension_mut("B").set_width(16.0);
        scale.column_dimension_mut("C").set_width(90.0);
        scale.sheet_protection_mut().set_sheet(true);
    }
    let counted = match ev.role {
        Role::Quality => "scores",
        Role::Commercial => "figures",
    };
    let declared = crate::xlsx::declaration::sheet(&mut book, m, counted).map_err(werr)?;
    for (name, cell) in [("TenderReference", "Return!$B$3"), ("Evaluator", "Return!$B$5"), ("Role", "Return!$B$6"), (ISSUED_TO, "Return!$Z$1")]
        .into_iter()
        .map(|(n, c)| (n, c.to_string()))
        .chain(declared)
    {
        let mut dn = xl::DefinedName::default();
        dn.set_name(name);
        dn.set_address(cell);
        book.add_defined_names(dn);
    }
    // The return opens on its declaration: it is completed before the bids are looked at.
    book.workbook_view_mut().set_active_tab(2);
    // Printed for the tender file: the return's table headings repeat on every page.
    let reference = format!("{} {}: {}", ctx.reference, ctx.title, ev.name.trim());
    crate::xlsx::print::setup(&mut book, 0, &reference, &format!("${HEADER_ROW}:${HEADER_ROW}"), "");
    crate::xlsx::print::setup(&mut book, 1, &reference, "$1:$1", "");
    crate::xlsx::print::setup(&mut book, 2, &reference, &crate::xlsx::declaration::print_titles(), "");
    // umya writes formulas without results; the return's own totals get theirs.
    let skeleton = crate::xlsx::create::umya_bytes(&book).map_err(werr)?;
    let wb = crate::xlsx::Workbook::from_bytes(out, skeleton)?;
    let mut edits = crate::xlsx::Edits::default();
    edits.own_sheet("Return");
    wb.to_bytes(&edits)
}

/// Where each returned value is in its file, for pointing at it.
#[derive(Clone, Debug, Default)]
pub struct ReturnLayout {
    pub path: PathBuf,
    pub sheet: String,
    /// (criterion ref, bidder), normalised -> (score cell, justification cell).
    pub scores: HashMap<(String, String), (CellRef, CellRef)>,
    /// (bidder, component), bidder normalised -> amount cell.
    pub costs: HashMap<(String, CostComponent), CellRef>,
    /// The cell naming the evaluator, and the one naming the tender.
    pub evaluator_cell: Option<CellRef>,
    pub tender_cell: Option<CellRef>,
}

/// The value beside a label in column A of the first rows.
pub fn labelled(sheet: &Sheet, label: &str) -> Option<(String, CellRef)> {
    let want = norm(label);
    (1..=20)
        .find_map(|row| (norm(&sheet.text(CellRef::new(row, 1))) == want).then(|| (sheet.text(CellRef::new(row, 2)), CellRef::new(row, 2))))
}

#[derive(Clone, Copy, PartialEq)]
enum Col {
    Ref,
    Criterion,
    Bidder,
    Score,
    Justification,
    Cost(CostComponent),
    Notes,
}

fn classify(text: &str) -> Option<Col> {
    let n = norm(text);
    let words: Vec<&str> = n.split(' ').collect();
    let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
    Some(if n == "ref" || n == "reference" || n == "q no" {
        Col::Ref
    } else if has(&["justification", "justifications", "comment", "comments", "reason", "reasons", "rationale"]) {
        Col::Justification
    } else if has(&["notes", "note"]) {
        Col::Notes
    } else if has(&["criterion", "criteria", "question"]) {
        Col::Criterion
    } else if has(&["bidder", "tenderer", "supplier"]) {
        Col::Bidder
    } else if has(&["score", "mark"]) {
        Col::Score
    } else {
        match headings::classify(PRICE_HEADINGS, text)?.0 {
            PriceRole::Cost(c) => Col::Cost(c),
            _ => return None,
        }
    })
}

/// Reads a return table (a return file's `Return` sheet, or an evaluator sheet of a moderated
/// matrix) from `sheet`.
pub fn read_table(sheet: &Sheet, path: &Path) -> (EvaluatorReturn, ReturnLayout) {
    let tender_label = labelled(sheet, LABEL_TENDER);
    let tender = tender_label.as_ref().map(|x| x.0.clone()).unwrap_or_default();
    let evaluator = labelled(sheet, LABEL_EVALUATOR);
    let role = labelled(sheet, LABEL_ROLE).and_then(|(r, _)| Role::parse(&r));
    let mut layout = ReturnLayout {
        path: path.to_path_buf(),
        sheet: sheet.name.clone(),
        evaluator_cell: evaluator.as_ref().map(|e| e.1),
        tender_cell: tender_label.map(|t| t.1),
        ..ReturnLayout::default()
    };
    let mut r = EvaluatorReturn {
        tender,
        evaluator: evaluator.map(|e| e.0).unwrap_or_default(),
        issued_to: None,
        role,
        scores: Vec::new(),
        costs: Vec::new(),
    };
    let header = (1..=sheet.last_row().min(40)).find_map(|row| {
        let cols: Vec<(u32, Col)> =
            (1..=sheet.last_col()).filter_map(|c| classify(&sheet.value(CellRef::new(row, c)).text()).map(|x| (c, x))).collect();
        let has = |want: &dyn Fn(&Col) -> bool| cols.iter().any(|(_, x)| want(x));
        (has(&|x| *x == Col::Bidder) && has(&|x| matches!(x, Col::Score | Col::Cost(_)))).then_some((row, cols))
    });
    let Some((header_row, cols)) = header else { return (r, layout) };
    let col = |want: Col| cols.iter().find(|(_, x)| *x == want).map(|(c, _)| *c);
    let text = |row: u32, c: Option<u32>| c.map(|c| sheet.text(CellRef::new(row, c))).unwrap_or_default();
    let bidder = col(Col::Bidder).expect("found above");
    let costs: Vec<(CostComponent, u32)> =
        cols.iter().filter_map(|(c, x)| if let Col::Cost(k) = x { Some((*k, *c)) } else { None }).collect();
    for row in header_row + 1..=sheet.last_row() {
        let name = text(row, Some(bidder));
        if name.is_empty() {
            continue;
        }
        if let Some(score) = col(Col::Score) {
            let criterion = text(row, col(Col::Ref)).to_string();
            let criterion = if criterion.is_empty() { text(row, col(Col::Criterion)) } else { criterion };
            let justification_at = CellRef::new(row, col(Col::Justification).unwrap_or(score + 1));
            layout.scores.insert((norm(&criterion), name_key(&name)), (CellRef::new(row, score), justification_at));
            r.scores.push(ReturnedScore {
                criterion,
                bidder: name.clone(),
                score: entry(sheet.value(CellRef::new(row, score))),
                justification: text(row, col(Col::Justification)),
            });
        } else {
            let mut amounts = Vec::new();
            for &(k, c) in &costs {
                layout.costs.insert((name_key(&name), k), CellRef::new(row, c));
                amounts.push((k, entry(sheet.value(CellRef::new(row, c)))));
            }
            r.costs.push(ReturnedCosts { bidder: name, amounts, note: text(row, col(Col::Notes)) });
        }
    }
    (r, layout)
}

/// Reads an evaluator's return file.
pub fn read_return(path: &Path) -> Result<(EvaluatorReturn, ReturnLayout)> {
    read_return_from(&Workbook::open(path)?)
}

/// Reads an evaluator's return from its workbook (opened from a file or from bytes).
pub fn read_return_from(wb: &Workbook) -> Result<(EvaluatorReturn, ReturnLayout)> {
    let path = wb.path();
    let name = wb.sheets().iter().find(|s| s.name.eq_ignore_ascii_case("Return")).or_else(|| wb.sheets().first()).map(|s| s.name.clone());
    let Some(name) = name else {
        return Err(Error::MissingSheet {
            path: path.to_path_buf(),
            role: "Return",
            detail: "the workbook has no sheets".into(),
            fix: "use the file `tenderkit returns new` made".into(),
        });
    };
    let sheet = wb.sheet(&name)?;
    let (mut ret, layout) = read_table(sheet, path);
    if let Some((s, range)) = wb.defined_range(ISSUED_TO) {
        ret.issued_to = wb.sheet(&s).ok().map(|s| s.text(range.start)).filter(|t| !t.is_empty());
    }
    Ok((ret, layout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("Jane O'Neil"), "jane-o-neil");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("  "), "evaluator");
    }
}
