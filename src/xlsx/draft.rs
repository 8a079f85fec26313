//! The layout file `layout` writes when detection found no quality or price table: a draft, so a
//! buyer is never left at a dead end. Every sheet with its likely header rows and the heading in
//! each column, then each key of the layout file commented out with the columns whose headings
//! look like it (or `NOT FOUND`), so filling in a few letters is all that is left.

use std::fmt::Write as _;

use crate::xlsx::cellref::col_name;
use crate::xlsx::headings::{PRICE_HEADINGS, PriceRole, QualityRole, classify, quality_heading};
use crate::xlsx::workbook::{Sheet, Value, Workbook};

/// Rows looked at for headings: tables start near the top.
const ROWS_LOOKED_AT: u32 = 60;
/// Header rows listed per sheet, and columns shown per row.
const ROWS_SHOWN: usize = 3;
const COLUMNS_SHOWN: usize = 14;

/// A row of headings: its number and its text cells (column, text).
struct HeaderRow {
    row: u32,
    cells: Vec<(u32, String)>,
    quality: usize,
    price: usize,
}

fn text_cells(sheet: &Sheet, row: u32) -> Vec<(u32, String)> {
    sheet
        .row_cells(row)
        .iter()
        .filter_map(|c| match &c.value {
            Value::Text(t) if !t.trim().is_empty() => Some((c.at.col, t.split_whitespace().collect::<Vec<_>>().join(" "))),
            _ => None,
        })
        .collect()
}

/// The rows of `sheet` most like a table's headings, in row order.
fn header_rows(sheet: &Sheet) -> Vec<HeaderRow> {
    let mut rows: Vec<HeaderRow> = (1..=sheet.last_row().min(ROWS_LOOKED_AT))
        .filter_map(|row| {
            let cells = text_cells(sheet, row);
            if cells.len() < 2 {
                return None;
            }
            let quality = cells.iter().filter(|(_, t)| quality_heading(t).is_some()).count();
            let price = cells.iter().filter(|(_, t)| classify(PRICE_HEADINGS, t).is_some()).count();
            Some(HeaderRow { row, cells, quality, price })
        })
        .collect();
    rows.sort_by_key(|r| (std::cmp::Reverse(r.quality.max(r.price)), std::cmp::Reverse(r.cells.len()), r.row));
    rows.truncate(ROWS_SHOWN);
    rows.sort_by_key(|r| r.row);
    rows
}

fn shorten(t: &str) -> String {
    if t.chars().count() <= 30 { t.to_string() } else { format!("{}...", t.chars().take(27).collect::<String>()) }
}

/// Columns of `row` whose headings `pick` accepts, as `B 'Question'`.
fn candidates(row: &HeaderRow, pick: &dyn Fn(&str) -> bool) -> Vec<String> {
    row.cells.iter().filter(|(_, t)| pick(t)).map(|(c, t)| format!("{} '{}'", col_name(*c), shorten(t))).collect()
}

fn line(o: &mut String, entry: &str, comment: &str) {
    let _ = writeln!(o, "{entry:<34} # {comment}");
}

fn key(o: &mut String, key: &str, example: &str, found: &[String], what: &str) {
    let entry = format!("# {key} = {example}");
    let note = if found.is_empty() { format!("NOT FOUND: {what}") } else { format!("candidates: {}", found.join(", ")) };
    let _ = writeln!(o, "{entry:<34} # {note}");
}

/// The first column letter in `found` (`"C"` from `C 'Weighting'`), quoted, or `example`.
fn first(found: &[String], example: &str) -> String {
    found.first().and_then(|f| f.split(' ').next()).map(|c| format!("\"{c}\"")).unwrap_or_else(|| example.to_string())
}

/// The draft layout file for a workbook in which no table was found.
pub fn draft_toml(wb: &Workbook) -> String {
    let file = wb.path().file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let mut o = String::new();
    let _ = writeln!(o, "# tenderkit found no quality or price table in {file}: this is a DRAFT layout file to fill in.");
    o.push_str("# Below: each sheet's likely heading rows, with the text of each column; then every key, commented\n");
    o.push_str("# out, with the columns whose headings look like it. Uncomment the keys, put the right sheet, row and\n");
    o.push_str("# column letters, and pass the file back: tenderkit validate MATRIX.xlsx --layout layout.toml\n");
    let mut best_quality: Option<(String, HeaderRow)> = None;
    let mut best_price: Option<(String, HeaderRow)> = None;
    for entry in wb.sheets().iter().filter(|s| s.is_worksheet) {
        o.push('\n');
        let Ok(sheet) = wb.sheet(&entry.name) else {
            let _ = writeln!(o, "# sheet \"{}\": could not be read", entry.name);
            continue;
        };
        let rows = header_rows(sheet);
        let _ = writeln!(
            o,
            "# sheet \"{}\" ({} rows, {} columns){}",
            entry.name,
            sheet.last_row(),
            sheet.last_col(),
            if rows.is_empty() { ": no row of headings in its first 60 rows" } else { "" }
        );
        for r in &rows {
            let shown: Vec<String> =
                r.cells.iter().take(COLUMNS_SHOWN).map(|(c, t)| format!("{} '{}'", col_name(*c), shorten(t))).collect();
            let more = if r.cells.len() > COLUMNS_SHOWN { format!(" and {} more", r.cells.len() - COLUMNS_SHOWN) } else { String::new() };
            let _ = writeln!(o, "#   row {}: {}{more}", r.row, shown.join(" | "));
        }
        for r in rows {
            if r.quality > 0 && best_quality.as_ref().is_none_or(|(_, b)| r.quality > b.quality) {
                best_quality = Some((entry.name.clone(), r));
            } else if r.price > 0 && best_price.as_ref().is_none_or(|(_, b)| r.price > b.price) {
                best_price = Some((entry.name.clone(), r));
            }
        }
    }
    let role = |want: QualityRole| move |t: &str| quality_heading(t).is_some_and(|(r, _, _)| r == want);
    o.push_str("\n# [quality]\n");
    match &best_quality {
        Some((sheet, r)) => {
            let _ = writeln!(o, "{:<34} # the sheet whose headings look most like a quality table", format!("# sheet = \"{sheet}\""));
            let _ = writeln!(o, "{:<34} # its row of headings", format!("# header_row = {}", r.row));
            for (name, want, what) in [
                ("reference", QualityRole::Reference, "no Ref or Q No. heading"),
                ("criterion", QualityRole::Criterion, "no Criterion or Question heading"),
                ("weight", QualityRole::Weight, "no Weighting heading"),
                ("pass_mark", QualityRole::PassMark, "no Pass mark heading"),
            ] {
                let found = candidates(r, &role(want));
                key(&mut o, name, &first(&found, "\"B\""), &found, what);
            }
            let scores = candidates(r, &role(QualityRole::Score));
            let mut example = scores
                .iter()
                .filter_map(|s| s.split(' ').next())
                .map(|c| format!("{{ name = \"...\", score = \"{c}\" }}"))
                .collect::<Vec<_>>()
                .join(", ");
            if example.is_empty() {
                example = "{ name = \"...\", score = \"C\" }".into();
            }
            key(&mut o, "bidders", &format!("[{example}]"), &scores, "no Score headings: one column of scores per bidder");
        }
        None => {
            line(&mut o, "# sheet = \"...\"", "NOT FOUND: no row headed like Criterion, Weighting and Score;");
            line(&mut o, "# header_row = 1", "give the sheet and the row of headings, then the columns:");
            o.push_str("# criterion = \"B\"\n# weight = \"C\"\n# bidders = [{ name = \"...\", score = \"D\" }]\n");
        }
    }
    o.push_str("\n# [price]\n");
    let price_role = |pick: fn(PriceRole) -> bool| move |t: &str| classify(PRICE_HEADINGS, t).is_some_and(|(r, _)| pick(r));
    match &best_price {
        Some((sheet, r)) => {
            let _ = writeln!(o, "{:<34} # the sheet whose headings look most like a price table", format!("# sheet = \"{sheet}\""));
            let _ = writeln!(o, "{:<34} # its row of headings", format!("# header_row = {}", r.row));
            let found = candidates(r, &price_role(|x| x == PriceRole::Bidder));
            key(&mut o, "bidder", &first(&found, "\"A\""), &found, "no Bidder or Supplier heading");
            let found = candidates(r, &price_role(|x| matches!(x, PriceRole::Cost(_) | PriceRole::WholeLife)));
            key(&mut o, "price", &first(&found, "\"B\""), &found, "no Price, Cost or Whole-life cost heading");
        }
        None => {
            line(&mut o, "# sheet = \"...\"", "NOT FOUND: no row headed like Bidder and Price;");
            line(&mut o, "# header_row = 1", "for a price table give its sheet, row of headings and columns:");
            o.push_str("# bidder = \"A\"\n# price = \"B\"\n");
        }
    }
    o.push('\n');
    line(&mut o, "# [split]", "the price:quality split, if the workbook does not state it");
    o.push_str("# price = 40\n# quality = 60\n");
    o
}
