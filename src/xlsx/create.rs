//! Creating a new Evaluation Matrix workbook (umya-spreadsheet builds it; every figure's cached
//! value is then written by the same code `score` uses).
//!
//! Sheets: `Tender` (details, the price:quality split and the scoring scale, as named cells),
//! `Quality`, `Price` and `Summary`. Yellow cells are typed in; grey cells are formulas. Every
//! formula refers to the scale by name (`ScaleMax`, `ScaleValues`) and to the split by name
//! (`PriceWeight`, `QualityWeight`), so changing them changes one cell.

use std::path::Path;

use umya_spreadsheet as xl;

use crate::domain::price::{Method, PriceDef};
use crate::domain::{Matrix, Tender, scoring};
use crate::error::{Error, Result};
use crate::xlsx::cellref::{CellRef, col_name};
use crate::xlsx::layout::LayoutFile;
use crate::xlsx::matrix::read_matrix;
use crate::xlsx::price_formulas::{self as pf, PARAMETERS};
use crate::xlsx::workbook::Workbook;
use crate::xlsx::{checks, print};

const INPUT: &str = "FFFFF2CC";
const FORMULA: &str = "FFEDEDED";
pub(crate) const HEADING: &str = "FFD9E1F2";
const FIRST_ROW: u32 = 4;
/// Columns A-G hold the criteria and pass marks; bidders' score and weighted-score pairs
/// start at H.
const FIRST_BIDDER_COL: u32 = 8;
const PASS_MARK_COL: &str = "G";
/// Scores within this of a pass mark meet it (as `scoring` judges them).
const AT_PASS_MARK: f64 = scoring::AT_PASS_MARK;

/// Text into a cell of a workbook umya-spreadsheet writes: control characters XML cannot hold
/// (a vertical tab pasted from Word) go in as Excel's `_xHHHH_` escapes, so the file always loads.
pub(crate) trait SetText {
    fn set_text(&mut self, text: impl AsRef<str>) -> &mut Self;
}

impl SetText for xl::Cell {
    fn set_text(&mut self, text: impl AsRef<str>) -> &mut Self {
        self.set_value_string(crate::xlsx::xstring::encode(text.as_ref()).into_owned())
    }
}

/// Row of the first scale point on the Tender sheet.
const SCALE_ROW: u32 = 15;

fn at(row: u32, col: u32) -> String {
    CellRef::new(row, col).to_string()
}

fn heading(sheet: &mut xl::Worksheet, cell: &str, text: &str) {
    sheet.cell_mut(cell).set_text(text);
    let style = sheet.style_mut(cell);
    style.font_mut().set_bold(true);
    style.set_background_color(HEADING);
    style.alignment_mut().set_wrap_text(true);
}

fn title(sheet: &mut xl::Worksheet, text: &str) {
    sheet.cell_mut("A1").set_text(text);
    sheet.style_mut("A1").font_mut().set_bold(true).set_size(14.0);
}

/// Text from outside (bidder names, criteria) is always stored as a string, never a formula.
fn text(sheet: &mut xl::Worksheet, cell: &str, value: &str) {
    sheet.cell_mut(cell).set_text(value);
}

fn input(sheet: &mut xl::Worksheet, cell: &str, value: Option<f64>, format: &str) {
    if let Some(v) = value {
        sheet.cell_mut(cell).set_value_number(v);
    }
    let style = sheet.style_mut(cell);
    style.set_background_color(INPUT);
    style.number_format_mut().set_format_code(format);
    style.protection_mut().set_locked(false);
}

fn formula(sheet: &mut xl::Worksheet, cell: &str, f: &str, format: &str) {
    sheet.cell_mut(cell).set_formula(f);
    let style = sheet.style_mut(cell);
    style.set_background_color(FORMULA);
    style.number_format_mut().set_format_code(format);
}

fn widths(sheet: &mut xl::Worksheet, widths: &[(u32, f64)]) {
    for &(col, w) in widths {
        sheet.column_dimension_mut(&col_name(col)).set_width(w);
    }
}

fn freeze(sheet: &mut xl::Worksheet, top_left: CellRef) {
    let mut pane = xl::Pane::default();
    pane.set_horizontal_split(f64::from(top_left.col - 1));
    pane.set_vertical_split(f64::from(top_left.row - 1));
    pane.set_state(xl::PaneStateValues::Frozen);
    pane.set_active_pane(xl::PaneValues::BottomRight);
    pane.top_left_cell_mut().set_coordinate(top_left.to_string());
    let views = sheet.sheet_views_mut().sheet_view_list_mut();
    if views.is_empty() {
        views.push(xl::SheetView::default());
    }
    views[0].set_pane(pane);
}

fn validation(sheet: &mut xl::Worksheet, list: Vec<xl::DataValidation>) {
    let mut dvs = xl::DataValidations::default();
    for dv in list {
        dvs.add_data_validation_list(dv);
    }
    sheet.set_data_validations(dvs);
}

fn scale_validation(sqref: &str, values: &str) -> xl::DataValidation {
    let mut dv = xl::DataValidation::default();
    dv.set_type(xl::DataValidationValues::List);
    dv.set_formula1("ScaleValues");
    dv.set_allow_blank(true);
    dv.set_show_error_message(true);
    dv.set_error_title("Not on the scoring scale");
    dv.set_error_message(format!("Enter one of the scale's scores: {values}. See the scale on the Tender sheet."));
    dv.set_show_input_message(true);
    dv.set_prompt_title("Score");
    dv.set_prompt(format!("One of {values}"));
    dv.sequence_of_references_mut().set_sqref(sqref);
    dv
}

fn percent_validation(sqref: &str) -> xl::DataValidation {
    let mut dv = xl::DataValidation::default();
    dv.set_type(xl::DataValidationValues::Decimal);
    dv.set_operator(xl::DataValidationOperatorValues::Between);
    dv.set_formula1("0");
    dv.set_formula2("100");
    dv.set_allow_blank(true);
    dv.set_show_error_message(true);
    dv.set_error_title("Not a percentage");
    dv.set_error_message("Enter a weighting from 0 to 100.");
    dv.sequence_of_references_mut().set_sqref(sqref);
    dv
}

fn pass_mark_validation(sqref: &str) -> xl::DataValidation {
    let mut dv = xl::DataValidation::default();
    dv.set_type(xl::DataValidationValues::Decimal);
    dv.set_operator(xl::DataValidationOperatorValues::Between);
    dv.set_formula1("0");
    dv.set_formula2("ScaleMax");
    dv.set_allow_blank(true);
    dv.set_show_error_message(true);
    dv.set_error_title("Not a score on the scale");
    dv.set_error_message("A pass mark is a score from 0 to the scale maximum; leave it empty for none.");
    dv.sequence_of_references_mut().set_sqref(sqref);
    dv
}

fn define(book: &mut xl::Workbook, name: &str, address: &str) {
    let mut dn = xl::DefinedName::default();
    dn.set_name(name);
    dn.set_address(address);
    book.add_defined_names(dn);
}

fn tender_sheet(sheet: &mut xl::Worksheet, tender: &Tender, m: &Matrix) -> Vec<(&'static str, String)> {
    title(sheet, "Evaluation Matrix");
    let money = m.price.currency.number_format();
    let value_label = format!("Estimated value ({})", m.price.currency.symbol().trim());
    let rows: [(&str, u32); 9] = [
        ("Title", 3),
        ("Reference", 4),
        ("Organisation", 5),
        (&value_label, 6),
        ("Commodity type", 7),
        ("Price weighting (%)", 8),
        ("Quality weighting (%)", 9),
        ("Scale maximum", 10),
        ("Minimum quality score (out of 100)", 11),
    ];
    for (label, row) in rows {
        text(sheet, &at(row, 1), label);
        sheet.style_mut(&*at(row, 1)).font_mut().set_bold(true);
    }
    text(sheet, "B3", &tender.title);
    text(sheet, "B4", &tender.reference);
    text(sheet, "B5", tender.organisation.as_deref().unwrap_or(""));
    input(sheet, "B6", tender.estimated_value, &money);
    text(sheet, "B7", m.commodity.map_or("", |c| c.name()));
    sheet.style_mut("B7").set_background_color(INPUT);
    input(sheet, "B8", Some(tender.price_weight), "0.00");
    input(sheet, "B9", Some(tender.quality_weight), "0.00");
    formula(sheet, "B10", "MAX(ScaleValues)", "0");
    input(sheet, "B11", m.minimum_quality.number(), "0.00");
    text(sheet, "A12", "Yellow cells are entered by the buyer and evaluators; grey cells are formulas. Weightings are percentages.");
    sheet.style_mut("A12").font_mut().set_italic(true);
    heading(sheet, &at(SCALE_ROW - 1, 1), "Score");
    heading(sheet, &at(SCALE_ROW - 1, 2), "Descriptor");
    heading(sheet, &at(SCALE_ROW - 1, 3), "Meaning");
    for (i, p) in m.scale.points().iter().enumerate() {
        let row = SCALE_ROW + i as u32;
        input(sheet, &at(row, 1), Some(p.value), "0.##");
        text(sheet, &at(row, 2), &p.descriptor);
        text(sheet, &at(row, 3), &p.meaning);
        sheet.style_mut(&*at(row, 3)).alignment_mut().set_wrap_text(true);
    }
    let price_row = SCALE_ROW + m.scale.points().len() as u32 + 1;
    let (names, labels) = price_settings(sheet, &m.price, price_row);
    let mut all_labels: Vec<&str> = rows.iter().map(|(l, _)| *l).collect();
    all_labels.extend(labels);
    let label_width = print::fit_width(&all_labels, 24.0, 50.0);
    widths(sheet, &[(1, label_width), (2, 40.0), (3, 90.0)]);
    for (i, p) in m.scale.points().iter().enumerate() {
        print::fit_row(sheet, SCALE_ROW + i as u32, &[(40.0, &p.descriptor), (90.0, &p.meaning)]);
    }
    validation(sheet, vec![percent_validation("B8:B9"), percent_validation("B11")]);
    names
}

/// The price method (set by the tender file: the Price sheet's formulas are written for it) and
/// its parameters, as named cells the formulas use, from `row` down. Returns the names with their
/// addresses, and the labels written.
fn price_settings(sheet: &mut xl::Worksheet, p: &PriceDef, row: u32) -> (Vec<(&'static str, String)>, Vec<&'static str>) {
    heading(sheet, &at(row, 1), "Price evaluation");
    heading(sheet, &at(row, 2), "");
    let mut names = Vec::new();
    let mut labels = vec!["Price method (set by the tender file)"];
    let mut next = row + 1;
    let mut named = |sheet: &mut xl::Worksheet, name: &'static str, label: &'static str| {
        text(sheet, &at(next, 1), label);
        names.push((name, format!("Tender!$B${next}")));
        next += 1;
        next - 1
    };
    let r = named(sheet, "PriceMethod", labels[0]);
    text(sheet, &at(r, 2), p.method.key());
    sheet.style_mut(&*at(r, 2)).set_background_color(FORMULA);
    for (name, label) in PARAMETERS.into_iter().filter(|(name, _)| pf::shown(p, name)) {
        let r = named(sheet, name, label);
        if name == "AbnormallyLowTest" {
            text(sheet, &at(r, 2), p.abnormally_low.key());
            sheet.style_mut(&*at(r, 2)).set_background_color(FORMULA);
        } else {
            let format = if name == "PriceBudget" { p.currency.number_format() } else { "0.00##".to_string() };
            input(sheet, &at(r, 2), pf::parameter(p, name), &format);
        }
        labels.push(label);
    }
    text(
        sheet,
        &at(next, 1),
        "To change the method, change [price] in the tender file and make the matrix again; the parameters may be edited here.",
    );
    sheet.style_mut(&*at(next, 1)).font_mut().set_italic(true);
    (names, labels)
}

fn quality_sheet(sheet: &mut xl::Worksheet, tender: &Tender, m: &Matrix) -> u32 {
    title(sheet, &format!("Quality evaluation: {} ({})", tender.title, tender.reference));
    for (col, h) in ["Section", "Ref", "Criterion", "Section weight (%)", "Weight within section (%)", "Effective weight (%)", "Pass mark"]
        .iter()
        .enumerate()
    {
        heading(sheet, &at(3, col as u32 + 1), h);
    }
    let n = m.criterion_count() as u32;
    let last = FIRST_ROW + n - 1;
    let total_row = last + 1;
    let mut row = FIRST_ROW;
    for section in &m.sections {
        let first_of_section = row;
        for c in &section.criteria {
            text(sheet, &at(row, 1), &section.name);
            text(sheet, &at(row, 2), &c.reference);
            text(sheet, &at(row, 3), &c.title);
            sheet.style_mut(&*at(row, 3)).alignment_mut().set_wrap_text(true);
            if row == first_of_section {
                input(sheet, &at(row, 4), section.weight.number(), "0.00");
            } else {
                // The section's weighting is entered once; other rows refer to it.
                formula(sheet, &at(row, 4), &CellRef::new(first_of_section, 4).absolute(), "0.00");
            }
            input(sheet, &at(row, 5), c.weight.number(), "0.00");
            formula(sheet, &at(row, 6), &format!("D{row}*E{row}/100"), "0.00");
            input(sheet, &at(row, 7), c.pass_mark.number(), "0.##");
            sheet.style_mut(&*at(row, 1)).alignment_mut().set_wrap_text(true);
            print::fit_row(sheet, row, &[(22.0, &section.name), (50.0, &c.title)]);
            row += 1;
        }
    }
    text(sheet, &at(total_row, 3), "Total");
    sheet.style_mut(&*at(total_row, 3)).font_mut().set_bold(true);
    formula(sheet, &at(total_row, 6), &format!("SUM(F{FIRST_ROW}:F{last})"), "0.00");
    let mut score_ranges = Vec::new();
    for (b, bid) in m.bids.iter().enumerate() {
        let score_col = FIRST_BIDDER_COL + 2 * b as u32;
        let (s, w) = (col_name(score_col), col_name(score_col + 1));
        text(sheet, &at(2, score_col), &bid.bidder);
        sheet.add_merge_cells(format!("{s}2:{w}2"));
        let style = sheet.style_mut(&*at(2, score_col));
        style.font_mut().set_bold(true);
        style.set_background_color(HEADING);
        style.alignment_mut().set_wrap_text(true);
        heading(sheet, &at(3, score_col), "Score");
        heading(sheet, &at(3, score_col + 1), "Weighted score");
        for row in FIRST_ROW..=last {
            input(sheet, &at(row, score_col), None, "0.##");
            formula(sheet, &at(row, score_col + 1), &format!("IF({s}{row}=\"\",\"\",{s}{row}/ScaleMax*$F{row})"), "0.00");
        }
        formula(sheet, &at(total_row, score_col + 1), &format!("SUM({w}{FIRST_ROW}:{w}{last})"), "0.00");
        sheet.style_mut(&*at(total_row, score_col + 1)).font_mut().set_bold(true);
        score_ranges.push(format!("{s}{FIRST_ROW}:{s}{last}"));
        widths(sheet, &[(score_col, 12.0), (score_col + 1, 12.0)]);
    }
    widths(sheet, &[(1, 22.0), (2, 7.0), (3, 50.0), (4, 11.0), (5, 11.0), (6, 11.0), (7, 9.0)]);
    print::fit_row(sheet, 3, &[(11.0, "Weight within section (%)"), (9.0, "Pass mark")]);
    let names: Vec<(f64, &str)> = m.bids.iter().map(|b| (24.0, b.bidder.as_str())).collect();
    print::fit_row(sheet, 2, &names);
    // A score below its pass mark shows red, as the buyer types it.
    if !score_ranges.is_empty() {
        let first = col_name(FIRST_BIDDER_COL);
        let below = format!(
            "AND(ISNUMBER({first}{FIRST_ROW}),ISNUMBER(${PASS_MARK_COL}{FIRST_ROW}),{first}{FIRST_ROW}<${PASS_MARK_COL}{FIRST_ROW}-{AT_PASS_MARK})"
        );
        checks::colour(sheet, &score_ranges.join(" "), &below, checks::RED, 1);
    }
    let mut rules = vec![
        percent_validation(&format!("D{FIRST_ROW}:E{last}")),
        pass_mark_validation(&format!("{PASS_MARK_COL}{FIRST_ROW}:{PASS_MARK_COL}{last}")),
    ];
    if !score_ranges.is_empty() {
        rules.push(scale_validation(&score_ranges.join(" "), &m.scale.values_text()));
    }
    validation(sheet, rules);
    freeze(sheet, CellRef::new(FIRST_ROW, FIRST_BIDDER_COL));
    total_row
}

fn price_sheet(sheet: &mut xl::Worksheet, tender: &Tender, m: &Matrix) {
    title(sheet, &format!("Price evaluation (whole-life cost): {} ({})", tender.title, tender.reference));
    let per_point = m.price.per_point();
    let (money, symbol) = (m.price.currency.number_format(), m.price.currency.symbol().trim());
    let headings = [
        "Bidder".to_string(),
        format!("Acquisition cost ({symbol})"),
        format!("Operating cost ({symbol})"),
        format!("End-of-life cost ({symbol})"),
        format!("Whole-life cost ({symbol})"),
        if per_point { format!("Price score ({symbol} per quality point)") } else { "Price score".to_string() },
        format!("Whole-life cost of bids that pass ({symbol})"),
        "Abnormally low?".to_string(),
        format!("For the median ({symbol})"),
    ];
    let shown = if m.price.method == Method::Graduated { 9 } else { 8 };
    for (col, h) in headings.iter().take(shown).enumerate() {
        heading(sheet, &at(3, col as u32 + 1), h);
    }
    let last = FIRST_ROW + m.bids.len().max(1) as u32 - 1;
    let rows = pf::Rows { first: FIRST_ROW, last };
    for (b, bid) in m.bids.iter().enumerate() {
        let row = FIRST_ROW + b as u32;
        text(sheet, &at(row, 1), &bid.bidder);
        for col in 2..=4 {
            input(sheet, &at(row, col), None, &money);
        }
        formula(sheet, &at(row, 5), &format!("IF(COUNT(B{row}:D{row})=0,\"\",SUM(B{row}:D{row}))"), &money);
        // Prices are compared among bids that pass: a failed bid is out of the competition.
        formula(sheet, &at(row, 6), &rows.score(&m.price, row), if per_point { &money } else { "0.00" });
        formula(sheet, &at(row, 7), &format!("IF(Summary!H{row}=\"Fail\",\"\",E{row})"), &money);
        formula(sheet, &at(row, 8), &rows.abnormally_low(&m.price, row), "@");
        if shown == 9 {
            formula(sheet, &at(row, 9), &rows.for_median(row), &money);
        }
    }
    let notes = [
        format!("Price score: {}", m.price.describe(m.split.price.number().unwrap_or(0.0))),
        "Abnormally low? Yes asks the buyer to seek the bidder's explanation before deciding; it never rejects a bid by itself."
            .to_string(),
        "End-of-life cost may be negative (a resale value).".to_string(),
    ];
    let bidder_width = print::fit_width(&m.bids.iter().map(|b| b.bidder.as_str()).collect::<Vec<_>>(), 30.0, 60.0);
    let cols = [(1, bidder_width), (2, 16.0), (3, 16.0), (4, 16.0), (5, 16.0), (6, 14.0), (7, 18.0), (8, 11.0), (9, 16.0)];
    widths(sheet, &cols);
    // Each note spans the table and wraps within it: a long method description left to overflow
    // would widen the printed page and shrink the table to fit it.
    let span: f64 = cols[..shown].iter().map(|c| c.1).sum();
    for (i, note) in notes.iter().enumerate() {
        let row = last + 2 + i as u32;
        let cell = at(row, 1);
        text(sheet, &cell, note);
        let style = sheet.style_mut(&*cell);
        style.font_mut().set_italic(true);
        style.alignment_mut().set_wrap_text(true);
        style.alignment_mut().set_vertical(xl::VerticalAlignmentValues::Top);
        sheet.add_merge_cells(format!("{cell}:{}", at(row, shown as u32)));
        print::fit_row(sheet, row, &[(span, note)]);
    }
    print::fit_row(sheet, 3, &[(18.0, &headings[6])]);
    freeze(sheet, CellRef::new(FIRST_ROW, 2));
}

/// The Summary sheet's column of chart labels (right of the figures, with a heading no reader
/// takes for a figure).
const CHART_LABEL_COL: u32 = 10;

/// A stacked bar per bid, its total's quality part and price part, drawn from the Summary cells so
/// it follows the figures when they change.
fn summary_chart(sheet: &mut xl::Worksheet, last: u32) {
    let mut from = xl::drawing::spreadsheet::MarkerType::default();
    from.set_coordinate(format!("A{}", last + 3));
    let mut to = xl::drawing::spreadsheet::MarkerType::default();
    to.set_coordinate(format!("I{}", last + 24));
    let quality = format!("Summary!$C${FIRST_ROW}:$C${last}");
    let price = format!("Summary!$D${FIRST_ROW}:$D${last}");
    let mut chart = xl::Chart::default();
    chart.new_chart(&xl::ChartType::BarChart, from, to, vec![quality.as_str(), price.as_str()]);
    chart.set_title("Total score: quality part and price part");
    chart.set_series_title(vec!["Quality (weighted)", "Price score"]);
    let labels = format!("Summary!${}${FIRST_ROW}:${}${last}", col_name(CHART_LABEL_COL), col_name(CHART_LABEL_COL));
    for series in chart.area_chart_series_list_mut().area_chart_series_mut() {
        let mut reference = xl::drawing::charts::StringReference::default();
        reference.formula_mut().set_address_str(&labels);
        let mut data = xl::drawing::charts::CategoryAxisData::default();
        data.set_string_reference(reference);
        series.set_category_axis_data(data);
    }
    sheet.add_chart(chart);
}

fn summary_sheet(sheet: &mut xl::Worksheet, tender: &Tender, m: &Matrix, quality_total_row: u32) {
    title(sheet, &format!("Summary: {} ({})", tender.title, tender.reference));
    let per_point = m.price.per_point();
    let symbol = m.price.currency.symbol().trim();
    let headings = [
        "Bidder".to_string(),
        "Quality score (out of 100)".to_string(),
        "Quality (weighted)".to_string(),
        if per_point { format!("Price score ({symbol} per quality point)") } else { "Price score".to_string() },
        if per_point { format!("Total ({symbol} per point: lowest wins)") } else { "Total".to_string() },
        "Rank".to_string(),
        "Criteria below pass mark".to_string(),
        "Status".to_string(),
    ];
    for (col, h) in headings.iter().enumerate() {
        heading(sheet, &at(3, col as u32 + 1), h);
    }
    let last = FIRST_ROW + m.bids.len().max(1) as u32 - 1;
    let quality_last = quality_total_row - 1;
    let pass_marks = format!("Quality!${PASS_MARK_COL}${FIRST_ROW}:${PASS_MARK_COL}${quality_last}");
    for (b, bid) in m.bids.iter().enumerate() {
        let row = FIRST_ROW + b as u32;
        let score_col = col_name(FIRST_BIDDER_COL + 2 * b as u32);
        let weighted_col = col_name(FIRST_BIDDER_COL + 2 * b as u32 + 1);
        text(sheet, &at(row, 1), &bid.bidder);
        formula(sheet, &at(row, 2), &format!("Quality!{weighted_col}{quality_total_row}"), "0.00");
        formula(sheet, &at(row, 3), &format!("B{row}*QualityWeight/100"), "0.00");
        let money = if per_point { m.price.currency.number_format() } else { "0.00".to_string() };
        formula(sheet, &at(row, 4), &format!("IF(H{row}=\"Fail\",\"\",Price!F{row})"), &money);
        // Cost per quality point ranks by the cost alone, lowest first; the other methods add the
        // parts, and N() counts a blank price score as 0, so a draft still totals.
        let (total, better) = if per_point {
            (format!("IF(H{row}=\"Fail\",\"\",D{row})"), "<")
        } else {
            (format!("IF(H{row}=\"Fail\",\"\",C{row}+N(D{row}))"), ">")
        };
        formula(sheet, &at(row, 5), &total, &money);
        // Totals within half a millionth share a rank (scoring::TIE_TOLERANCE); failed bids are not ranked.
        let tolerance = if per_point { -scoring::TIE_TOLERANCE } else { scoring::TIE_TOLERANCE };
        let rank = format!(
            "IF(OR(H{row}=\"Fail\",E{row}=\"\"),\"\",COUNTIFS($H${FIRST_ROW}:$H${last},\"Pass\",$E${FIRST_ROW}:$E${last},\"{better}\"&(E{row}+{tolerance}))+1)"
        );
        // While a weighting check fails, no rank is shown: the order would be wrong.
        formula(sheet, &at(row, 6), &format!("IF(WeightsOK,{rank},\"check weights\")"), "0");
        let scores = format!("Quality!${score_col}${FIRST_ROW}:${score_col}${quality_last}");
        let below = format!("SUMPRODUCT(({scores}<>\"\")*({pass_marks}<>\"\")*({scores}<{pass_marks}-{AT_PASS_MARK}))");
        formula(sheet, &at(row, 7), &below, "0");
        // Cost per quality point: a quality score of 0 has no cost per point (Failure::NoQualityScore).
        let no_quality = if per_point { format!(",B{row}<=0") } else { String::new() };
        let status =
            format!("IF(OR(G{row}>0,AND(ISNUMBER(MinimumQuality),B{row}<MinimumQuality-{AT_PASS_MARK}){no_quality}),\"Fail\",\"Pass\")");
        formula(sheet, &at(row, 8), &status, "@");
    }
    let bidder_width = print::fit_width(&m.bids.iter().map(|b| b.bidder.as_str()).collect::<Vec<_>>(), 30.0, 60.0);
    widths(sheet, &[(1, bidder_width), (2, 14.0), (3, 14.0), (4, 12.0), (5, 12.0), (6, 8.0), (7, 12.0), (8, 8.0)]);
    print::fit_row(sheet, 3, &[(14.0, "Quality score (out of 100)"), (12.0, "Criteria below pass mark")]);
    for col in 1..=8 {
        sheet.style_mut(&*at(3, col)).alignment_mut().set_wrap_text(true);
    }
    // The chart's bar labels: a failed bid is named so, and its bar has no price part.
    heading(sheet, &at(3, CHART_LABEL_COL), "Chart label");
    for (b, _) in m.bids.iter().enumerate() {
        let row = FIRST_ROW + b as u32;
        formula(sheet, &at(row, CHART_LABEL_COL), &format!("IF(H{row}=\"Fail\",A{row}&\" (failed: not ranked)\",A{row})"), "@");
    }
    widths(sheet, &[(CHART_LABEL_COL, bidder_width + 10.0)]);
    // Cost per quality point has no quality part and price part to stack.
    if !m.bids.is_empty() && !per_point {
        summary_chart(sheet, last);
    }
    // A failed bid's row shows grey: it is out of the competition.
    checks::colour(sheet, &format!("A{FIRST_ROW}:H{last}"), &format!("$H{FIRST_ROW}=\"Fail\""), checks::GREY, 3);
    freeze(sheet, CellRef::new(FIRST_ROW, 2));
}

/// Refuses a tender a workbook cannot hold: more bidders than Excel has columns for, or text
/// longer than a cell holds (both would otherwise make a file Excel reports as damaged).
fn fits_excel(tender: &Tender) -> Result<()> {
    use crate::xlsx::cellref::MAX_COL;
    use crate::xlsx::workbook::MAX_CELL_CHARS;
    let most = (MAX_COL - FIRST_BIDDER_COL + 1) / 2;
    if tender.bidders.len() as u32 > most {
        return Err(Error::Usage(format!(
            "the tender lists {} bidders; the Quality sheet gives each bidder two columns and Excel has {MAX_COL}, so at most {most} fit. Fix: split the evaluation into lots, or list fewer bidders",
            tender.bidders.len()
        )));
    }
    let mut texts: Vec<(String, &str)> = vec![("title".into(), &tender.title), ("reference".into(), &tender.reference)];
    texts.extend(tender.organisation.as_deref().map(|o| ("organisation".to_string(), o)));
    for (s, section) in tender.sections.iter().enumerate() {
        texts.push((format!("sections[{s}].name"), &section.name));
        for (c, criterion) in section.criteria.iter().enumerate() {
            texts.push((format!("sections[{s}].criteria[{c}].title"), &criterion.title));
            texts.push((format!("sections[{s}].criteria[{c}].ref"), &criterion.reference));
        }
    }
    for (b, bidder) in tender.bidders.iter().enumerate() {
        texts.push((format!("bidders[{b}].name"), &bidder.name));
    }
    if let Some((key, text)) = texts.iter().find(|(_, t)| t.encode_utf16().count() > MAX_CELL_CHARS) {
        return Err(Error::Usage(format!(
            "`{key}` is {} characters long; an Excel cell holds at most {MAX_CELL_CHARS}. Fix: shorten it",
            text.encode_utf16().count()
        )));
    }
    Ok(())
}

/// A workbook umya-spreadsheet built, as bytes that are the same on every run: umya writes the
/// custom number formats in hash order, so they are put in the order of their ids (which stay
/// as umya gave them).
pub(crate) fn umya_bytes(book: &xl::Workbook) -> std::result::Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    xl::writer::xlsx::write_writer(book, &mut bytes).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).map_err(|e| e.to_string())?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| e.to_string())?;
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).map_err(|e| e.to_string())?;
        if entry.name() == "xl/styles.xml" {
            data = sorted_number_formats(&String::from_utf8_lossy(&data)).into_bytes();
        }
        let options = zip::write::SimpleFileOptions::default().last_modified_time(entry.last_modified().unwrap_or_default());
        out.start_file(entry.name(), options).map_err(|e| e.to_string())?;
        std::io::Write::write_all(&mut out, &data).map_err(|e| e.to_string())?;
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

/// `<numFmts>` with its `<numFmt/>` elements in the order of their ids.
fn sorted_number_formats(styles: &str) -> String {
    let (Some(open), Some(close)) = (styles.find("<numFmts"), styles.find("</numFmts>")) else { return styles.to_string() };
    let Some(body_start) = styles[open..].find('>').map(|i| open + i + 1) else { return styles.to_string() };
    let body = &styles[body_start..close];
    let mut formats: Vec<&str> = body.split_inclusive("/>").filter(|f| f.trim_start().starts_with("<numFmt ")).collect();
    if formats.concat().len() != body.len() {
        return styles.to_string();
    }
    let id = |f: &str| f.split("numFmtId=\"").nth(1).and_then(|r| r.split('"').next()).and_then(|n| n.parse::<u32>().ok()).unwrap_or(0);
    formats.sort_by_key(|f| id(f));
    format!("{}{}{}", &styles[..body_start], formats.concat(), &styles[close..])
}

/// Writes a new, ready-to-fill matrix for `tender` to `out` (atomically).
pub fn new_matrix(tender: &Tender, m: &Matrix, out: &Path) -> Result<()> {
    fits_excel(tender)?;
    let mut book = xl::new_file();
    let werr = |e: String| Error::Write { path: out.to_path_buf(), source: std::io::Error::other(e) };
    let price_names;
    {
        let sheet = book.sheet_mut(0).map_err(|e| werr(e.to_string()))?;
        sheet.set_name("Tender");
        price_names = tender_sheet(sheet, tender, m);
    }
    let total_row = quality_sheet(book.new_sheet("Quality").map_err(|e| werr(e.to_string()))?, tender, m);
    price_sheet(book.new_sheet("Price").map_err(|e| werr(e.to_string()))?, tender, m);
    {
        let summary = book.new_sheet("Summary").map_err(|e| werr(e.to_string()))?;
        summary_sheet(summary, tender, m, total_row);
        checks::overall(summary);
    }
    let mut section_rows = Vec::new();
    let mut row = FIRST_ROW;
    for s in &m.sections {
        section_rows.push((row, row + s.criteria.len() as u32 - 1));
        row += s.criteria.len() as u32;
    }
    let places = checks::Places {
        first_row: FIRST_ROW,
        last_criterion: total_row - 1,
        section_rows,
        first_bidder_col: FIRST_BIDDER_COL,
        last_bid: FIRST_ROW + m.bids.len().max(1) as u32 - 1,
    };
    let names = checks::write(book.new_sheet(checks::SHEET).map_err(|e| werr(e.to_string()))?, &checks::checks(m, &places));
    for (name, address) in names {
        define(&mut book, name, &address);
    }
    for (name, address) in price_names {
        define(&mut book, name, &address);
    }
    define(&mut book, "PriceWeight", "Tender!$B$8");
    define(&mut book, "QualityWeight", "Tender!$B$9");
    define(&mut book, "ScaleMax", "Tender!$B$10");
    define(&mut book, "CommodityType", "Tender!$B$7");
    define(&mut book, "TenderReference", "Tender!$B$4");
    define(&mut book, "TenderTitle", "Tender!$B$3");
    define(&mut book, "MinimumQuality", "Tender!$B$11");
    let last_point = SCALE_ROW + m.scale.points().len() as u32 - 1;
    define(&mut book, "ScaleValues", &format!("Tender!$A${SCALE_ROW}:$A${last_point}"));
    let reference = format!("{} {}", tender.reference, tender.title);
    for (index, rows, cols) in [(0, "", ""), (1, "$1:$3", "$A:$C"), (2, "$1:$3", ""), (3, "$1:$3", ""), (4, "$3:$3", "")] {
        print::setup(&mut book, index, &reference, rows, cols);
    }
    book.set_active_sheet(1);

    // umya writes the skeleton; then the figures are cached by the same code `score` uses,
    // which also proves the new workbook reads back as the tender it was made from.
    // The skeleton is only read back, so it goes to the system's temporary folder.
    let skeleton = tempfile::Builder::new().prefix(".tenderkit-").suffix(".xlsx").tempfile().map_err(|e| werr(e.to_string()))?;
    std::fs::write(skeleton.path(), umya_bytes(&book).map_err(werr)?).map_err(|e| werr(e.to_string()))?;
    let wb = Workbook::open(skeleton.path())?;
    let read = read_matrix(&wb, &LayoutFile::default())?;
    // Names read back trimmed, as a buyer reads them.
    debug_assert_eq!(
        read.matrix.sections.iter().map(|s| s.name.trim()).collect::<Vec<_>>(),
        m.sections.iter().map(|s| s.name.trim()).collect::<Vec<_>>(),
        "a new matrix reads back as its tender"
    );
    let figures = scoring::compute(&read.matrix);
    wb.write(&read.layout.figure_edits(&wb, &read.matrix, &figures), out)?;
    Ok(())
}
