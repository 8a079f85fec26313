//! The Declaration sheet of an evaluator's return (`domain::declaration` says what it is for and
//! the law it serves): written with the return, read back when it is collected.

use umya_spreadsheet as xl;

use crate::domain::Matrix;
use crate::domain::declaration::{Answer, Declaration, Missing, yes_no};
use crate::xlsx::cellref::{CellRef, col_name};
use crate::xlsx::create::SetText;
use crate::xlsx::returns::{at, bold, heading, unlocked};
use crate::xlsx::workbook::{Value, Workbook};

/// The declaration's sheet and the defined names of its cells.
pub const DECLARATION: &str = "Declaration";
const DECLARED_CONFIDENTIAL: &str = "DeclarationConfidential";
const DECLARED_NAME: &str = "DeclarationName";
const DECLARED_DATE: &str = "DeclarationDate";
const DECLARATION_HEADER_ROW: u32 = 6;

/// The Declaration sheet of a return (see `domain::declaration` for the law it serves): a Yes/No
/// and the nature of any conflict for every bidder, the confidentiality undertaking, the name and
/// the date, each a yellow cell. `counted` is what the evaluator returns ("scores", "figures").
/// Returns the defined names of its cells.
pub(crate) fn sheet(book: &mut xl::Workbook, m: &Matrix, counted: &str) -> std::result::Result<Vec<(&'static str, String)>, String> {
    let sheet = book.new_sheet(DECLARATION).map_err(|e| e.to_string())?;
    sheet.cell_mut("A1").set_text("Declaration of interests and confidentiality");
    sheet.style_mut("A1").font_mut().set_bold(true).set_size(14.0);
    sheet.cell_mut("A3").set_text(format!(
        "Complete this sheet before you look at the bids. For each bidder, say whether you have a conflict of interest: any personal, professional or financial interest, direct or indirect, that might be seen to compromise your impartiality (a job or contract with the bidder, shares, family or friends who work there, past work for it). Where you answer Yes, say what it is. None of your {counted} counts until this declaration is complete, and none counts for a bidder you declare a conflict with."
    ));
    sheet.style_mut("A3").alignment_mut().set_wrap_text(true);
    sheet.add_merge_cells("A3:C3");
    sheet.row_dimension_mut(3).set_height(90.0);
    for (col, h) in ["Bidder", "Conflict of interest (Yes/No)", "Nature of the conflict (if Yes)"].iter().enumerate() {
        heading(sheet, &at(DECLARATION_HEADER_ROW, col as u32 + 1), h);
    }
    let mut row = DECLARATION_HEADER_ROW + 1;
    for bid in &m.bids {
        sheet.cell_mut(at(row, 1)).set_text(bid.bidder.trim());
        unlocked(sheet, &at(row, 2), "@");
        unlocked(sheet, &at(row, 3), "@");
        row += 1;
    }
    let last_bidder = row - 1;
    row += 1;
    let confidential = at(row, 2);
    sheet.cell_mut(at(row, 1)).set_text("I will keep the bids and the evaluation confidential (Yes/No)");
    let name = at(row + 1, 2);
    sheet.cell_mut(at(row + 1, 1)).set_text("Name");
    let date = at(row + 2, 2);
    sheet.cell_mut(at(row + 2, 1)).set_text("Date (YYYY-MM-DD)");
    for r in row..=row + 2 {
        bold(sheet, &at(r, 1));
        sheet.style_mut(&*at(r, 1)).alignment_mut().set_wrap_text(true);
    }
    // Wrapped text does not grow its row by itself in every program: two lines' room.
    sheet.row_dimension_mut(DECLARATION_HEADER_ROW).set_height(32.0);
    sheet.row_dimension_mut(row).set_height(32.0);
    unlocked(sheet, &confidential, "@");
    unlocked(sheet, &name, "@");
    unlocked(sheet, &date, "yyyy-mm-dd");
    let mut dvs = xl::DataValidations::default();
    let mut dv = xl::DataValidation::default();
    dv.set_type(xl::DataValidationValues::List);
    dv.set_formula1("\"Yes,No\"");
    dv.set_allow_blank(true);
    dv.set_show_error_message(true);
    dv.set_error_title("Yes or No");
    dv.set_error_message("Enter Yes or No");
    dv.sequence_of_references_mut().set_sqref(format!("B{}:B{last_bidder} {confidential}", DECLARATION_HEADER_ROW + 1));
    dvs.add_data_validation_list(dv);
    sheet.set_data_validations(dvs);
    for (col, w) in [(1, 40.0), (2, 16.0), (3, 60.0)] {
        sheet.column_dimension_mut(&col_name(col)).set_width(w);
    }
    sheet.sheet_protection_mut().set_sheet(true);
    sheet.sheet_protection_mut().set_format_columns(false).set_format_rows(false);
    let absolute = |cell: &str| {
        let c = CellRef::parse(cell).expect("a cell");
        format!("{DECLARATION}!${}${}", col_name(c.col), c.row)
    };
    Ok(vec![(DECLARED_CONFIDENTIAL, absolute(&confidential)), (DECLARED_NAME, absolute(&name)), (DECLARED_DATE, absolute(&date))])
}

/// Where a declaration's answers are, for pointing at what is missing.
#[derive(Clone, Debug)]
pub struct DeclarationLayout {
    pub sheet: String,
    /// Per answer: its Yes/No cell and its nature cell.
    pub answers: Vec<(CellRef, CellRef)>,
    pub confidential: Option<CellRef>,
    pub name: Option<CellRef>,
    pub date: Option<CellRef>,
    /// Where a line for a missing bidder would go.
    pub table: CellRef,
}

impl DeclarationLayout {
    /// The cell to fill for `missing`.
    pub fn cell(&self, missing: &Missing) -> Option<CellRef> {
        match missing {
            Missing::Bidder(_) => Some(self.table),
            Missing::Conflict(i) => self.answers.get(*i).map(|a| a.0),
            Missing::Nature(i) => self.answers.get(*i).map(|a| a.1),
            Missing::Confidential => self.confidential,
            Missing::Name => self.name,
            Missing::Date => self.date,
        }
    }
}

/// A date as an evaluator enters it: a date cell (a serial number), or text `YYYY-MM-DD` or
/// `DD/MM/YYYY`.
fn date_of(v: &Value) -> Option<chrono::NaiveDate> {
    match v {
        // Excel's day 0 is 30 December 1899 (its 1900 leap-year error is before day 61).
        Value::Number(n) if *n >= 61.0 && *n < 2_958_466.0 => {
            chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(n.trunc() as u64))
        }
        Value::Text(t) => {
            let t = t.trim();
            chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").or_else(|_| chrono::NaiveDate::parse_from_str(t, "%d/%m/%Y")).ok()
        }
        _ => None,
    }
}

/// A return's declaration, or `None` where it has no Declaration sheet (a return made before
/// tenderkit asked for one).
pub fn read_declaration(wb: &Workbook) -> Option<(Declaration, DeclarationLayout)> {
    let sheet = wb.sheets().iter().find(|s| s.name.eq_ignore_ascii_case(DECLARATION))?;
    let s = wb.sheet(&sheet.name).ok()?;
    let named = |name: &str| wb.defined_range(name).filter(|(sh, _)| sh.eq_ignore_ascii_case(DECLARATION)).map(|(_, r)| r.start);
    let mut layout = DeclarationLayout {
        sheet: s.name.clone(),
        confidential: named(DECLARED_CONFIDENTIAL),
        name: named(DECLARED_NAME),
        date: named(DECLARED_DATE),
        table: CellRef::new(DECLARATION_HEADER_ROW + 1, 1),
        answers: Vec::new(),
    };
    let mut d = Declaration::default();
    let end = layout.confidential.map_or(s.last_row(), |c| c.row.saturating_sub(1));
    for row in DECLARATION_HEADER_ROW + 1..=end {
        let bidder = s.text(CellRef::new(row, 1));
        if bidder.trim().is_empty() {
            continue;
        }
        let (yes, nature) = (CellRef::new(row, 2), CellRef::new(row, 3));
        d.answers.push(Answer { bidder: bidder.trim().to_string(), conflict: yes_no(&s.text(yes)), nature: s.text(nature).trim().to_string() });
        layout.answers.push((yes, nature));
    }
    d.confidential = layout.confidential.and_then(|c| yes_no(&s.text(c)));
    d.name = layout.name.map(|c| s.text(c).trim().to_string()).unwrap_or_default();
    d.date = layout.date.and_then(|c| date_of(s.value(c)));
    Some((d, layout))
}

/// The edits that complete a return's declaration as `name` on `date`: No for every bidder but
/// those in `conflicts` (bidder, nature), Yes to confidentiality. An evaluator does this in Excel;
/// the examples and tests do it here. `None` where the return has no Declaration sheet.
pub fn declaration_edits(wb: &Workbook, name: &str, date: chrono::NaiveDate, conflicts: &[(&str, &str)]) -> Option<crate::xlsx::Edits> {
    let (d, layout) = read_declaration(wb)?;
    let mut edits = crate::xlsx::Edits::default();
    let sheet = layout.sheet.as_str();
    for (a, (yes, nature)) in d.answers.iter().zip(&layout.answers) {
        let conflict = conflicts.iter().find(|(b, _)| crate::domain::same_name(b, &a.bidder));
        edits.set(sheet, *yes, crate::xlsx::CellEdit::Text(if conflict.is_some() { "Yes" } else { "No" }.into()));
        if let Some((_, why)) = conflict {
            edits.set(sheet, *nature, crate::xlsx::CellEdit::Text((*why).into()));
        }
    }
    edits.set(sheet, layout.confidential?, crate::xlsx::CellEdit::Text("Yes".into()));
    edits.set(sheet, layout.name?, crate::xlsx::CellEdit::Text(name.into()));
    edits.set(sheet, layout.date?, crate::xlsx::CellEdit::Text(date.to_string()));
    Some(edits)
}

/// The rows a printed declaration repeats on every page: its table's headings.
pub(crate) fn print_titles() -> String {
    format!("${DECLARATION_HEADER_ROW}:${DECLARATION_HEADER_ROW}")
}
