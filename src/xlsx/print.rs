//! How the sheets tenderkit creates print and read: landscape A4, one page wide, heading rows
//! (and label columns) repeated on every page, a footer with the tender reference, the sheet
//! name and "page x of y"; columns as wide as their labels (within bounds) and rows tall enough
//! for their wrapped text. Only sheets tenderkit builds get this: a buyer's own workbook keeps its
//! print setup byte for byte.

use umya_spreadsheet as xl;

/// Characters of text that fit in a column `width` wide (Excel's width is in characters of the
/// default font; bold and wider glyphs take a little more).
fn chars_per_line(width: f64) -> f64 {
    (width * 0.95).max(1.0)
}

/// Lines `text` takes in a column `width` wide, wrapping at spaces.
pub fn lines(text: &str, width: f64) -> u32 {
    let per = chars_per_line(width);
    text.split('\n')
        .map(|para| {
            let mut lines = 1u32;
            let mut used = 0.0;
            for word in para.split_whitespace() {
                let w = word.chars().count() as f64;
                if used > 0.0 && used + 1.0 + w > per {
                    lines += 1;
                    used = w;
                } else {
                    used += if used > 0.0 { 1.0 + w } else { w };
                }
                while used > per {
                    lines += 1;
                    used -= per;
                }
            }
            lines
        })
        .sum()
}

/// Row heights (points) so every wrapped cell in a row shows in full: the most lines any of
/// `cells` (column width, text) takes, at 15 points a line.
pub fn fit_row(sheet: &mut xl::Worksheet, row: u32, cells: &[(f64, &str)]) {
    let most = cells.iter().map(|(w, t)| lines(t, *w)).max().unwrap_or(1);
    if most > 1 {
        sheet.row_dimension_mut(row).set_height(f64::from(most) * 15.0).set_custom_height(true);
    }
}

/// A column width that shows the longest of `texts` on one line, between `min` and `max`.
pub fn fit_width(texts: &[&str], min: f64, max: f64) -> f64 {
    let longest = texts.iter().map(|t| t.chars().count()).max().unwrap_or(0) as f64;
    (longest * 1.1 + 2.0).clamp(min, max)
}

/// Landscape A4, one page wide, print titles, and the footer. `title_rows` like `$1:$3`,
/// `title_cols` like `$A:$C` (or empty).
pub fn setup(book: &mut xl::Workbook, sheet_index: usize, reference: &str, title_rows: &str, title_cols: &str) {
    let Ok(sheet) = book.sheet_mut(sheet_index) else { return };
    let name = sheet.name().to_string();
    let page = sheet.page_setup_mut();
    page.set_orientation(xl::OrientationValues::Landscape);
    page.set_paper_size(9);
    page.set_fit_to_width(1);
    page.set_fit_to_height(0);
    page.set_fit_to_page(true);
    // In a header or footer, "&" starts a code: a reference holding one is written "&&". Control
    // characters (a vertical tab pasted from Word) have no place in a footer and no XML form.
    let footer = format!("&L{}&C&A&RPage &P of &N", crate::xlsx::xstring::plain(reference).replace('&', "&&"));
    sheet.header_footer_mut().odd_footer_mut().set_value(footer);
    let quoted = format!("'{}'", name.replace('\'', "''"));
    let mut titles = Vec::new();
    if !title_cols.is_empty() {
        titles.push(format!("{quoted}!{title_cols}"));
    }
    if !title_rows.is_empty() {
        titles.push(format!("{quoted}!{title_rows}"));
    }
    if !titles.is_empty() {
        let mut dn = xl::DefinedName::default();
        dn.set_name("_xlnm.Print_Titles");
        dn.set_address(titles.join(","));
        dn.set_local_sheet_id(sheet_index as u32);
        book.add_defined_names(dn);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines() {
        assert_eq!(lines("", 10.0), 1);
        assert_eq!(lines("short", 10.0), 1);
        assert_eq!(lines("one two three four five", 10.0), 3);
        assert_eq!(lines("averyveryverylongwordindeed", 10.0), 3);
        assert_eq!(lines("a\nb", 10.0), 2);
    }
}
