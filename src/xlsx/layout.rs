//! Where an Evaluation Matrix keeps things. Organisations lay their matrices out differently, so
//! positions come from a small layout file where the buyer gives one, and otherwise are found
//! from the words people head their columns with ([`crate::xlsx::headings`]). `tenderkit layout`
//! writes what detection found as such a file, to save, correct and pass back with `--layout`.

use serde::{Deserialize, Serialize};

use crate::domain::Commodity;
use crate::xlsx::cellref::{CellRange, CellRef, parse_col};
use crate::xlsx::workbook::Sheet;

/// `--layout layout.toml`: everything optional; what is given wins over detection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutFile {
    #[serde(default)]
    pub quality: QualityHints,
    #[serde(default)]
    pub price: PriceHints,
    #[serde(default)]
    pub summary: SummaryHints,
    #[serde(default)]
    pub split: SplitHints,
    #[serde(default)]
    pub scale: ScaleHints,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commodity: Option<Commodity>,
    /// A minimum quality score (out of 100), or the cell holding it (`"Setup!B6"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_quality: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_quality_cell: Option<String>,
    /// How price is scored, for a workbook tenderkit did not create (`[pricing] method = ...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing: Option<crate::domain::price::PriceDef>,
}

/// What the criterion weightings are written as.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WeightUnit {
    /// Percentages of the section (or of quality), adding up to 100; a cell formatted as a
    /// percentage (20%) is 20.
    #[default]
    Percent,
    /// Importance points (1-5 per criterion, adding up to 10, 14, 51...): each is its share of
    /// the section's points, times 100.
    Points,
    /// Shares adding up to 1 (0.25 meaning 25%) typed in General format.
    Fractions,
    /// No weightings in the sheet: every criterion counts the same (a design matrix whose Total
    /// adds the scores up). With bidders in rows no weights row is needed.
    Equal,
}

/// Which way the price table runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PriceOrientation {
    /// One row per bid, its costs across (the guidance's Price sheet).
    #[default]
    BidsInRows,
    /// One column group per bidder (unit price, total...) under its name, items in rows, each
    /// bid's price in a Total row: a bid tabulation.
    BiddersAcross,
    /// One row per item and bidder (a bid tab's long form): each bid's price is the sum of its
    /// rows.
    ItemRows,
}

/// Which way the quality table runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Orientation {
    /// One row per criterion, one score column per bidder (the guidance's matrix).
    #[default]
    CriteriaInRows,
    /// One row per bidder, one column per criterion, with a row of weights above.
    BiddersInRows,
}

impl Orientation {
    /// The cell where a criterion line (a row, or with bidders in rows a column) meets a
    /// crossing line.
    pub fn cell(self, line: u32, cross: u32) -> CellRef {
        match self {
            Orientation::CriteriaInRows => CellRef::new(line, cross),
            Orientation::BiddersInRows => CellRef::new(cross, line),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityHints {
    pub sheet: Option<String>,
    pub orientation: Option<Orientation>,
    pub header_row: Option<u32>,
    /// Criteria in rows: the first and last criterion rows. Bidders in rows: the first and last
    /// bidder rows.
    pub first_row: Option<u32>,
    pub last_row: Option<u32>,
    /// Bidders in rows: the row of criterion weights, and the first and last criterion columns.
    pub weights_row: Option<u32>,
    pub first_column: Option<String>,
    pub last_column: Option<String>,
    /// Bidders in rows: the column of bidder names, and of each bidder's quality total.
    pub bidder: Option<String>,
    pub total: Option<String>,
    pub section: Option<String>,
    pub reference: Option<String>,
    pub criterion: Option<String>,
    pub section_weight: Option<String>,
    pub weight: Option<String>,
    pub effective_weight: Option<String>,
    pub pass_mark: Option<String>,
    /// `"points"` or `"fractions"` where the weightings are not percentages.
    pub weights: Option<WeightUnit>,
    /// Criteria (by reference or title) where less is better: risk, difficulty, delivery time.
    pub lower_is_better: Option<Vec<String>>,
    pub bidders: Option<Vec<BidderHint>>,
}

/// A bidder of the quality table: its name, and its score (and weighted-score) column, or, with
/// bidders in rows, its row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BidderHint {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighted: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    /// Where the name is written (for messages), e.g. `"E4"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_cell: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceHints {
    pub sheet: Option<String>,
    /// `"bidders-across"`: one column group per bidder (a bid tabulation), each bid's price in a
    /// totals row; `"bids-in-rows"` (one row per bid) otherwise.
    pub orientation: Option<PriceOrientation>,
    /// Bidders across: the row of bidder names over the column groups, and the totals row.
    pub names_row: Option<u32>,
    pub total_row: Option<u32>,
    pub header_row: Option<u32>,
    /// The first and last bid rows.
    pub first_row: Option<u32>,
    pub last_row: Option<u32>,
    pub bidder: Option<String>,
    pub acquisition: Option<String>,
    pub operating: Option<String>,
    pub end_of_life: Option<String>,
    pub price: Option<String>,
    pub whole_life: Option<String>,
    pub eligible_whole_life: Option<String>,
    pub score: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryHints {
    pub sheet: Option<String>,
    pub header_row: Option<u32>,
    pub bidder: Option<String>,
    pub quality: Option<String>,
    pub quality_weighted: Option<String>,
    pub price: Option<String>,
    pub total: Option<String>,
    pub rank: Option<String>,
    pub below_pass_mark: Option<String>,
    pub status: Option<String>,
}

/// The price:quality split, as numbers or as cells (`"Setup!B4"`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitHints {
    pub price: Option<f64>,
    pub quality: Option<f64>,
    pub price_cell: Option<String>,
    pub quality_cell: Option<String>,
}

/// The scale: a name (`"0-4"`), its values, or the range holding them (`"Setup!A10:A14"`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleHints {
    pub name: Option<String>,
    pub values: Option<Vec<f64>>,
    pub values_range: Option<String>,
    /// A range of scores: every score from `min` to `max` in steps of `step` (1 unless given),
    /// such as 0 to 100 in whole numbers.
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub step: Option<f64>,
    /// Any number from `min` to `max` is a score (AHP priorities, shares of 1), not only steps.
    pub continuous: Option<bool>,
}

/// A column given in a layout file, as letters.
pub fn column(hint: &Option<String>) -> Result<Option<u32>, String> {
    match hint {
        None => Ok(None),
        Some(c) => parse_col(c).map(Some).ok_or_else(|| format!("'{c}' is not a column (use letters, such as \"G\")")),
    }
}

/// `Sheet!B4` or `'My sheet'!B4`.
pub fn sheet_cell(text: &str) -> Option<(String, CellRef)> {
    let (sheet, cell) = crate::xlsx::workbook::split_reference(text)?;
    Some((sheet?, CellRef::parse(&cell)?))
}

pub fn sheet_range(text: &str) -> Option<(String, CellRange)> {
    let (sheet, range) = crate::xlsx::workbook::split_reference(text)?;
    Some((sheet?, CellRange::parse(&range)?))
}

/// Text reduced to lowercase words, for comparing names and labels: "Weighted Score (%)" ->
/// "weighted score".
pub fn norm(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first row (of the first 50) whose headings satisfy `accept`, with the headings found.
pub fn find_header_row<H: Clone>(
    sheet: &Sheet,
    classify: impl Fn(&str) -> Option<H>,
    accept: impl Fn(&[(u32, H)]) -> bool,
) -> Option<(u32, Vec<(u32, H)>)> {
    (1..=sheet.last_row().min(50)).find_map(|row| {
        let headers = headings_in_row(sheet, row, &classify);
        accept(&headers).then_some((row, headers))
    })
}

/// The headings of one row, by column. Only each cell itself counts: a merged title above must
/// not count as a heading here.
pub fn headings_in_row<H: Clone>(sheet: &Sheet, row: u32, classify: impl Fn(&str) -> Option<H>) -> Vec<(u32, H)> {
    // A heading repeated along the row (a score and a weighted score column per bid) is
    // classified once.
    let mut seen: std::collections::HashMap<String, Option<H>> = std::collections::HashMap::new();
    let mut out: Vec<(u32, H)> = sheet
        .row_cells(row)
        .iter()
        .filter_map(|c| {
            let text = c.value.text();
            let text = text.trim();
            let heading = match seen.get(text) {
                Some(h) => h.clone(),
                None => seen.entry(text.to_string()).or_insert(classify(text)).clone(),
            };
            heading.map(|h| (c.at.col, h))
        })
        .collect();
    // A heading merged down over two header rows (Kriterium over a row of Bewertung | gewichtete
    // Bewertung) heads its column in the lower row too; one merged across columns does not.
    let above: Vec<(u32, H)> = sheet
        .merged
        .iter()
        .filter(|m| m.start.row < row && m.end.row >= row && m.start.col == m.end.col)
        .filter_map(|m| classify(sheet.text(m.start).trim()).map(|h| (m.start.col, h)))
        .collect();
    if !above.is_empty() {
        out.extend(above);
        out.sort_by_key(|(c, _)| *c);
    }
    out
}

/// Where the bidder name is for a column whose heading does not carry it: the nearest cell above
/// the heading with something in it (bidder names often sit in a merged cell over the score and
/// weighted-score columns, and may be formulas).
pub fn name_above(sheet: &Sheet, header_row: u32, col: u32) -> Option<CellRef> {
    (1..header_row).rev().find_map(|row| {
        let at = CellRef::new(row, col);
        let origin = sheet.merged.iter().find(|m| m.contains(at)).map_or(at, |m| m.start);
        let filled = !sheet.text(origin).is_empty() || sheet.cell(origin).is_some_and(|c| c.has_formula());
        filled.then_some(origin)
    })
}
