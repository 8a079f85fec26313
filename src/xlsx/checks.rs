//! The Checks sheet of a new matrix: one live formula per rule `validate` applies that a formula
//! can express, each giving PASS or the problem in words, coloured by conditional formatting; and
//! one overall cell at the top of the Summary sheet. A buyer who breaks the matrix in Excel sees it
//! at once, with no tool running.
//!
//! The formulas take nothing `validate` reads from elsewhere as a literal: the scale is
//! `ScaleValues`, the split `PriceWeight`/`QualityWeight`, the tolerance `WeightTolerance` (the
//! half-cent `weighting::sums_to` uses), the suggested splits a table on this sheet written from
//! `Commodity::suggested_splits`. Each row names the rule it mirrors, so the tests can hold each
//! verdict to `validate`'s about the same file.

use umya_spreadsheet as xl;

use crate::domain::{Commodity, Matrix, weighting};
use crate::xlsx::cellref::{CellRef, col_name};

/// What `validate` makes of a failing check: an error, a warning, or work still to do (an
/// error only once the matrix should be complete, `validate --complete`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    ToDo,
}

impl Severity {
    fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::ToDo => "to do",
        }
    }
}

/// One check: what it is, the `validate` rule it mirrors, and its formula.
pub struct Check {
    pub what: String,
    pub rule: &'static str,
    pub severity: Severity,
    pub formula: String,
}

/// Where the matrix `matrix new` writes keeps things: the rows and columns the checks refer to.
pub struct Places {
    pub first_row: u32,
    /// The last criterion row on the Quality sheet.
    pub last_criterion: u32,
    /// The first row of each section on the Quality sheet (where its weighting is typed).
    pub section_rows: Vec<(u32, u32)>,
    pub first_bidder_col: u32,
    /// The last row of bids on the Price and Summary sheets.
    pub last_bid: u32,
}

pub const SHEET: &str = "Checks";
const FIRST_CHECK_ROW: u32 = 4;
/// The overall verdict's cell on the Summary sheet.
pub const OVERALL: &str = "A2";

/// A weighting cell or range is a number from 0 to 100: how many are not.
fn not_percentages(range: &str) -> String {
    format!("(SUMPRODUCT(--NOT(ISNUMBER({range})))+COUNTIF({range},\"<0\")+COUNTIF({range},\">100\"))")
}

/// The checks for matrix `m`, in the order they are shown.
pub fn checks(m: &Matrix, p: &Places) -> Vec<Check> {
    let (first, last) = (p.first_row, p.last_criterion);
    let mut out = Vec::new();
    let section_cells: Vec<String> = p.section_rows.iter().map(|(r, _)| format!("Quality!$D${r}")).collect();
    let weight_cells = {
        let mut terms = vec![not_percentages("Tender!$B$8:$B$9"), not_percentages(&format!("Quality!$E${first}:$E${last}"))];
        terms.extend(section_cells.iter().map(|c| not_percentages(c)));
        terms.join("+")
    };
    out.push(Check {
        what: "Every weighting (the split, each section, each criterion) is a number from 0 to 100".into(),
        rule: "weight-not-number",
        severity: Severity::Error,
        formula: format!("IF({weight_cells}=0,\"PASS\",{weight_cells}&\" weighting(s) not a number from 0 to 100\")"),
    });
    let weights_row = FIRST_CHECK_ROW;
    let broken = format!("\"cannot be added up: a weighting is not a number (see row {weights_row})\"");
    for (s, section) in m.sections.iter().enumerate() {
        let (r1, r2) = p.section_rows[s];
        let range = format!("Quality!$E${r1}:$E${r2}");
        out.push(Check {
            what: format!("Section '{}': its criterion weightings add up to 100", section.name),
            rule: "criterion-weights-sum",
            severity: Severity::Error,
            formula: format!(
                "IF({}>0,{broken},IF(ABS(SUM({range})-100)<WeightTolerance,\"PASS\",\"they sum to \"&TEXT(SUM({range}),\"0.00\")&\", not 100\"))",
                not_percentages(&range)
            ),
        });
    }
    let sections = section_cells.join(",");
    let section_bad = section_cells.iter().map(|c| not_percentages(c)).collect::<Vec<_>>().join("+");
    out.push(Check {
        what: "The section weightings add up to 100".into(),
        rule: "section-weights-sum",
        severity: Severity::Error,
        formula: format!(
            "IF({section_bad}>0,{broken},IF(ABS(SUM({sections})-100)<WeightTolerance,\"PASS\",\"they sum to \"&TEXT(SUM({sections}),\"0.00\")&\", not 100\"))"
        ),
    });
    let split_row = FIRST_CHECK_ROW + out.len() as u32;
    out.push(Check {
        what: "Price and quality weightings add up to 100".into(),
        rule: "split-sum",
        severity: Severity::Error,
        formula: format!(
            "IF({}>0,{broken},IF(ABS(PriceWeight+QualityWeight-100)<WeightTolerance,\"PASS\",\"price \"&PriceWeight&\" + quality \"&QualityWeight&\" = \"&TEXT(PriceWeight+QualityWeight,\"0.00\")&\", not 100\"))",
            not_percentages("Tender!$B$8:$B$9")
        ),
    });
    out.push(Check {
        what: "The split is one the guidance suggests for the commodity type".into(),
        rule: "split-for-commodity",
        severity: Severity::Warning,
        formula: format!(
            "IF(OR($D${split_row}<>\"PASS\",COUNTIF(SplitTypes,CommodityType)=0),\"PASS\",IF(SUMPRODUCT((SplitTypes=CommodityType)*(ABS(SplitPrices-PriceWeight)<WeightTolerance)*(ABS(SplitQualities-QualityWeight)<WeightTolerance))>0,\"PASS\",\"price:quality \"&PriceWeight&\":\"&QualityWeight&\" is not a split the guidance suggests for a \"&CommodityType&\" commodity\"))"
        ),
    });
    let bids = m.bids.len() as u32;
    if bids > 0 {
        let last_col = col_name(p.first_bidder_col + 2 * bids - 1);
        let first_col = col_name(p.first_bidder_col);
        let heads = format!("(Quality!${first_col}$3:${last_col}$3=\"Score\")");
        let block = format!("Quality!${first_col}${first}:${last_col}${last}");
        let off_scale = format!("SUMPRODUCT({heads}*ISNUMBER({block})*ISNA(MATCH({block},ScaleValues,0)))");
        out.push(Check {
            what: "Every score is on the scoring scale".into(),
            rule: "score-off-scale",
            severity: Severity::Error,
            formula: format!("IF({off_scale}=0,\"PASS\",{off_scale}&\" score(s) not on the scale\")"),
        });
        let text = format!("SUMPRODUCT({heads}*ISTEXT({block}))");
        out.push(Check {
            what: "Every score is a number, not text".into(),
            rule: "score-not-number",
            severity: Severity::Error,
            formula: format!("IF({text}=0,\"PASS\",{text}&\" score cell(s) hold text\")"),
        });
        let empty = format!("SUMPRODUCT({heads}*ISBLANK({block}))");
        out.push(Check {
            what: "Every score is entered".into(),
            rule: "score-missing",
            severity: Severity::ToDo,
            formula: format!("IF({empty}=0,\"PASS\",{empty}&\" score(s) still to enter\")"),
        });
        let (f, l) = (p.first_row, p.last_bid);
        let costs = format!("Price!$B${f}:$D${l}");
        out.push(Check {
            what: "Every cost is a number, not text".into(),
            rule: "cost-not-number",
            severity: Severity::Error,
            formula: format!("IF(SUMPRODUCT(--ISTEXT({costs}))=0,\"PASS\",SUMPRODUCT(--ISTEXT({costs}))&\" cost cell(s) hold text\")"),
        });
        out.push(Check {
            what: "Every cost is entered (0 where a bid has none)".into(),
            rule: "cost-missing",
            severity: Severity::ToDo,
            formula: format!("IF(COUNTBLANK({costs})=0,\"PASS\",COUNTBLANK({costs})&\" cost(s) still to enter\")"),
        });
        let all_costs = format!("ISNUMBER(Price!$B${f}:$B${l})*ISNUMBER(Price!$C${f}:$C${l})*ISNUMBER(Price!$D${f}:$D${l})");
        let not_positive = format!("SUMPRODUCT({all_costs}*ISNUMBER(Price!$E${f}:$E${l})*(Price!$E${f}:$E${l}<=0))");
        out.push(Check {
            what: "Every whole-life cost is above zero".into(),
            rule: "whole-life-cost-not-positive",
            severity: Severity::Error,
            formula: format!("IF({not_positive}=0,\"PASS\",{not_positive}&\" whole-life cost(s) zero or below\")"),
        });
        // The Price sheet's own "Abnormally low?" column, by the tender's test.
        let flagged = format!("COUNTIFS(Price!$H${f}:$H${l},\"Yes\",Price!$E${f}:$E${l},\">0\")");
        out.push(Check {
            what: "No price looks abnormally low (if one does, ask the bidder to explain it)".into(),
            rule: "abnormally-low",
            severity: Severity::Warning,
            formula: format!("IF({flagged}=0,\"PASS\",{flagged}&\" bid(s) abnormally low: ask for an explanation\")"),
        });
    }
    let count = format!("COUNTA(Summary!$A${}:$A${})", p.first_row, p.last_bid.max(p.first_row));
    out.push(Check {
        what: "At least three bids (fewer weakens the competition)".into(),
        rule: "few-bids",
        severity: Severity::Warning,
        formula: format!("IF({count}>=3,\"PASS\",{count}&\" bid(s): fewer than three\")"),
    });
    out
}

fn style_heading(sheet: &mut xl::Worksheet, cell: &str, text: &str) {
    sheet.cell_mut(cell).set_value_string(text);
    let s = sheet.style_mut(cell);
    s.font_mut().set_bold(true);
    s.set_background_color(super::create::HEADING);
}

/// A conditional format on `range`: `formula` true gives the fill `argb`.
pub(crate) fn colour(sheet: &mut xl::Worksheet, range: &str, formula: &str, argb: &str, priority: i32) {
    let mut style = xl::Style::default();
    style.set_background_color_solid(argb);
    let mut f = xl::Formula::default();
    f.set_string_value(formula);
    let mut rule = xl::ConditionalFormattingRule::default();
    rule.set_type(xl::ConditionalFormatValues::Expression);
    rule.set_priority(priority);
    rule.set_style(style);
    rule.set_formula(f);
    let mut cf = xl::ConditionalFormatting::default();
    cf.sequence_of_references_mut().set_sqref(range);
    cf.set_conditional_collection(vec![rule]);
    sheet.add_conditional_formatting_collection(cf);
}

pub(crate) const GREEN: &str = "FFC6EFCE";
pub(crate) const RED: &str = "FFFFC7CE";
pub(crate) const AMBER: &str = "FFFFEB9C";
pub(crate) const GREY: &str = "FFD9D9D9";

/// Writes the Checks sheet; returns the checks and the defined names it needs
/// (name, address).
pub fn write(sheet: &mut xl::Worksheet, checks: &[Check]) -> Vec<(&'static str, String)> {
    sheet.cell_mut("A1").set_value_string("Checks: each is a live formula, PASS or the problem; the Summary sheet's top cell sums them up");
    sheet.style_mut("A1").font_mut().set_bold(true).set_size(14.0);
    for (col, h) in ["Check", "Rule", "Severity", "Verdict"].iter().enumerate() {
        style_heading(sheet, &CellRef::new(3, col as u32 + 1).to_string(), h);
    }
    let last = FIRST_CHECK_ROW + checks.len() as u32 - 1;
    for (i, c) in checks.iter().enumerate() {
        let row = FIRST_CHECK_ROW + i as u32;
        sheet.cell_mut(format!("A{row}")).set_value_string(&c.what);
        sheet.style_mut(&*format!("A{row}")).alignment_mut().set_wrap_text(true);
        sheet.cell_mut(format!("B{row}")).set_value_string(c.rule);
        sheet.cell_mut(format!("C{row}")).set_value_string(c.severity.word());
        sheet.cell_mut(format!("D{row}")).set_formula(&c.formula);
        sheet.style_mut(&*format!("D{row}")).alignment_mut().set_wrap_text(true);
    }
    let verdicts = format!("D{FIRST_CHECK_ROW}:D{last}");
    colour(sheet, &verdicts, &format!("LEFT(D{FIRST_CHECK_ROW},4)=\"PASS\""), GREEN, 1);
    colour(sheet, &verdicts, &format!("AND(LEFT(D{FIRST_CHECK_ROW},4)<>\"PASS\",C{FIRST_CHECK_ROW}=\"error\")"), RED, 2);
    colour(sheet, &verdicts, &format!("LEFT(D{FIRST_CHECK_ROW},4)<>\"PASS\""), AMBER, 3);

    // The settings the formulas read: the tolerance, and the suggested splits.
    style_heading(sheet, "F3", "Setting");
    style_heading(sheet, "G3", "Value");
    sheet.cell_mut("F4").set_value_string("Weighting tolerance (sums are checked to the cent)");
    sheet.cell_mut("G4").set_value_number(weighting::CENT);
    for (col, h) in ["Commodity type", "Suggested price (%)", "Suggested quality (%)"].iter().enumerate() {
        style_heading(sheet, &CellRef::new(6, col as u32 + 6).to_string(), h);
    }
    let mut row = 7;
    for c in [Commodity::Routine, Commodity::Leverage, Commodity::Strategic, Commodity::Bottleneck] {
        for &(price, quality) in c.suggested_splits() {
            sheet.cell_mut(format!("F{row}")).set_value_string(c.name());
            sheet.cell_mut(format!("G{row}")).set_value_number(price);
            sheet.cell_mut(format!("H{row}")).set_value_number(quality);
            row += 1;
        }
    }
    let splits_last = row - 1;
    for (col, w) in [("A", 80.0), ("B", 26.0), ("C", 9.0), ("D", 40.0), ("F", 50.0), ("G", 20.0), ("H", 22.0)] {
        sheet.column_dimension_mut(col).set_width(w);
    }
    let weight_rules = ["weight-not-number", "criterion-weights-sum", "section-weights-sum", "split-sum"];
    let weights_ok: Vec<String> = checks
        .iter()
        .enumerate()
        .filter(|(_, c)| weight_rules.contains(&c.rule))
        .map(|(i, _)| format!("$D${}=\"PASS\"", FIRST_CHECK_ROW + i as u32))
        .collect();
    let ok_row = splits_last + 2;
    sheet.cell_mut(format!("F{ok_row}")).set_value_string("Weightings all pass (ranks wait for this)");
    sheet.cell_mut(format!("G{ok_row}")).set_formula(format!("AND({})", weights_ok.join(",")));
    vec![
        ("WeightTolerance", format!("{SHEET}!$G$4")),
        ("SplitTypes", format!("{SHEET}!$F$7:$F${splits_last}")),
        ("SplitPrices", format!("{SHEET}!$G$7:$G${splits_last}")),
        ("SplitQualities", format!("{SHEET}!$H$7:$H${splits_last}")),
        ("CheckSeverities", format!("{SHEET}!$C${FIRST_CHECK_ROW}:$C${last}")),
        ("CheckVerdicts", format!("{SHEET}!$D${FIRST_CHECK_ROW}:$D${last}")),
        ("WeightsOK", format!("{SHEET}!$G${ok_row}")),
    ]
}

/// The Summary sheet's overall cell: how many error checks fail, else warnings, else work to do.
pub fn overall(summary: &mut xl::Worksheet) {
    let fails = "COUNTIFS(CheckSeverities,\"error\",CheckVerdicts,\"<>PASS\")";
    let warns = "COUNTIFS(CheckSeverities,\"warning\",CheckVerdicts,\"<>PASS\")";
    let todo = "COUNTIFS(CheckSeverities,\"to do\",CheckVerdicts,\"<>PASS\")";
    let f = format!(
        "IF({fails}>0,{fails}&IF({fails}=1,\" check fails\",\" checks fail\")&\": see Checks\",IF({warns}>0,\"All checks pass; \"&{warns}&\" warning(s): see Checks\",IF({todo}>0,\"All checks pass; scores or costs still to enter\",\"All checks pass\")))"
    );
    summary.cell_mut(OVERALL).set_formula(f);
    summary.style_mut(OVERALL).font_mut().set_bold(true);
    colour(summary, OVERALL, &format!("LEFT({OVERALL},3)=\"All\""), GREEN, 1);
    colour(summary, OVERALL, &format!("LEFT({OVERALL},3)<>\"All\""), RED, 2);
}
