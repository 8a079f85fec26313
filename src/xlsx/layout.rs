//! Where an Evaluation Matrix keeps things. Organisations lay their matrices out differently, so
//! positions come from a small layout file where the buyer gives one, and otherwise are found
//! from the header words people use (Criterion, Weighting, Score, Weighted score, bidder names).

use serde::Deserialize;

use crate::domain::{Commodity, CostComponent};
use crate::xlsx::cellref::{CellRange, CellRef, parse_col};
use crate::xlsx::workbook::Sheet;

/// `--layout layout.toml`: everything optional; what is given wins over detection.
#[derive(Clone, Debug, Default, Deserialize)]
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
    #[serde(default)]
    pub commodity: Option<Commodity>,
    /// A minimum quality score (out of 100), or the cell holding it (`"Setup!B6"`).
    #[serde(default)]
    pub minimum_quality: Option<f64>,
    #[serde(default)]
    pub minimum_quality_cell: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityHints {
    pub sheet: Option<String>,
    pub header_row: Option<u32>,
    pub first_row: Option<u32>,
    pub last_row: Option<u32>,
    pub section: Option<String>,
    pub reference: Option<String>,
    pub criterion: Option<String>,
    pub section_weight: Option<String>,
    pub weight: Option<String>,
    pub effective_weight: Option<String>,
    pub pass_mark: Option<String>,
    pub bidders: Option<Vec<BidderHint>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BidderHint {
    pub name: String,
    pub score: String,
    pub weighted: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceHints {
    pub sheet: Option<String>,
    pub header_row: Option<u32>,
    pub bidder: Option<String>,
    pub acquisition: Option<String>,
    pub operating: Option<String>,
    pub end_of_life: Option<String>,
    pub price: Option<String>,
    pub whole_life: Option<String>,
    pub score: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
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
}

/// The price:quality split, as numbers or as cells (`"Setup!B4"`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitHints {
    pub price: Option<f64>,
    pub quality: Option<f64>,
    pub price_cell: Option<String>,
    pub quality_cell: Option<String>,
}

/// The scale: a name (`"0-4"`), its values, or the range holding them (`"Setup!A10:A14"`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleHints {
    pub name: Option<String>,
    pub values: Option<Vec<f64>>,
    pub values_range: Option<String>,
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

/// Header text reduced to lowercase words: "Weighted Score (%)" -> "weighted score".
pub fn norm(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn has_word(n: &str, words: &[&str]) -> bool {
    let padded = format!(" {n} ");
    words.iter().any(|w| padded.contains(&format!(" {w} ")))
}

/// A Quality sheet heading.
#[derive(Clone, Debug, PartialEq)]
pub enum QualityHeader {
    Section,
    Reference,
    Criterion,
    SectionWeight,
    Weight,
    EffectiveWeight,
    PassMark,
    /// A bidder's score column; the name is what is left of the heading, possibly empty.
    Score(String),
    Weighted(String),
}

pub fn classify_quality(text: &str) -> Option<QualityHeader> {
    let n = norm(text);
    if n.is_empty() {
        return None;
    }
    if has_word(&n, &["pass", "threshold", "minimum"]) {
        return Some(QualityHeader::PassMark);
    }
    if has_word(&n, &["weighted"]) {
        return Some(QualityHeader::Weighted(strip_words(text, &["weighted score", "weighted"])));
    }
    if has_word(&n, &["score", "scores", "mark"]) {
        return Some(QualityHeader::Score(strip_words(text, &["scores", "score", "mark"])));
    }
    if has_word(&n, &["weight", "weighting", "weightings", "weights"]) || n == "%" {
        return Some(
            if has_word(&n, &["section", "category", "lot"]) && !has_word(&n, &["within", "in", "criterion", "question", "sub"]) {
                QualityHeader::SectionWeight
            } else if has_word(&n, &["effective", "overall", "total", "net"]) {
                QualityHeader::EffectiveWeight
            } else {
                QualityHeader::Weight
            },
        );
    }
    if has_word(&n, &["section", "category", "theme"]) {
        return Some(QualityHeader::Section);
    }
    if ["ref", "ref no", "reference", "no", "number", "q", "q no", "question no", "id", "item"].contains(&n.as_str()) {
        return Some(QualityHeader::Reference);
    }
    if has_word(&n, &["criterion", "criteria", "question", "questions", "requirement", "description", "sub criteria", "subcriteria"]) {
        return Some(QualityHeader::Criterion);
    }
    None
}

/// The heading with the keyword removed: "Acme Ltd - Score" -> "Acme Ltd".
fn strip_words(text: &str, words: &[&str]) -> String {
    let lower = text.to_lowercase();
    let mut out = text.to_string();
    for w in words {
        if let Some(i) = lower.find(w)
            && i + w.len() <= out.len()
            && out.is_char_boundary(i)
            && out.is_char_boundary(i + w.len())
        {
            out.replace_range(i..i + w.len(), " ");
            break;
        }
    }
    out.trim_matches(|c: char| c.is_whitespace() || "-–—:|()[]/".contains(c)).to_string()
}

/// A Price sheet heading.
#[derive(Clone, Debug, PartialEq)]
pub enum PriceHeader {
    Bidder,
    Cost(CostComponent),
    WholeLife,
    /// Whole-life cost counted for the lowest price: blank for bids that fail.
    EligibleWholeLife,
    Score,
}

pub fn classify_price(text: &str) -> Option<PriceHeader> {
    let n = norm(text);
    if n.is_empty() {
        return None;
    }
    let h = if has_word(&n, &["pass", "eligible", "compliant"]) {
        PriceHeader::EligibleWholeLife
    } else if has_word(&n, &["score", "points"]) {
        PriceHeader::Score
    } else if n.contains("whole life")
        || has_word(&n, &["wlc", "lifecycle", "wholelife"])
        || n.contains("life cycle")
        || n.contains("total cost")
    {
        PriceHeader::WholeLife
    } else if n.contains("end of life") || has_word(&n, &["disposal", "decommissioning", "residual", "eol"]) {
        PriceHeader::Cost(CostComponent::EndOfLife)
    } else if has_word(&n, &["acquisition", "purchase", "capital", "capex"]) {
        PriceHeader::Cost(CostComponent::Acquisition)
    } else if has_word(&n, &["operating", "operational", "running", "maintenance", "opex"]) {
        PriceHeader::Cost(CostComponent::Operating)
    } else if has_word(&n, &["bidder", "bidders", "tenderer", "tenderers", "supplier", "suppliers", "company", "name"]) {
        PriceHeader::Bidder
    } else if has_word(&n, &["price", "cost", "total", "amount", "tender sum"]) {
        PriceHeader::Cost(CostComponent::Price)
    } else {
        return None;
    };
    Some(h)
}

/// A Summary sheet heading.
#[derive(Clone, Debug, PartialEq)]
pub enum SummaryHeader {
    Bidder,
    Quality,
    QualityWeighted,
    Price,
    Total,
    Rank,
    BelowPassMark,
    /// Pass or Fail.
    Status,
}

pub fn classify_summary(text: &str) -> Option<SummaryHeader> {
    let n = norm(text);
    Some(if has_word(&n, &["pass", "passmark"]) && has_word(&n, &["below", "under", "failed", "criteria"]) {
        SummaryHeader::BelowPassMark
    } else if has_word(&n, &["status", "outcome", "result"]) || n == "pass fail" {
        SummaryHeader::Status
    } else if has_word(&n, &["rank", "ranking", "position"]) {
        SummaryHeader::Rank
    } else if has_word(&n, &["quality", "technical"]) {
        if has_word(&n, &["weighted", "share", "scaled"]) || text.contains('%') {
            SummaryHeader::QualityWeighted
        } else {
            SummaryHeader::Quality
        }
    } else if has_word(&n, &["price", "cost", "commercial"]) {
        SummaryHeader::Price
    } else if has_word(&n, &["total", "overall"]) {
        SummaryHeader::Total
    } else if has_word(&n, &["bidder", "bidders", "tenderer", "tenderers", "supplier", "suppliers", "company", "name"]) {
        SummaryHeader::Bidder
    } else {
        return None;
    })
}

/// The first row (of the first 50) whose headings satisfy `accept`, with the headings found.
pub fn find_header_row<H>(
    sheet: &Sheet,
    classify: impl Fn(&str) -> Option<H>,
    accept: impl Fn(&[(u32, H)]) -> bool,
) -> Option<(u32, Vec<(u32, H)>)> {
    let last_col = sheet.last_col();
    (1..=sheet.last_row().min(50)).find_map(|row| {
        let headers: Vec<(u32, H)> = (1..=last_col)
            .filter_map(|col| {
                let at = CellRef::new(row, col);
                // Only the cell itself: a merged title above must not count as a heading here.
                let text = sheet.value(at).text();
                classify(text.trim()).map(|h| (col, h))
            })
            .collect();
        accept(&headers).then_some((row, headers))
    })
}

/// The bidder name for a column whose heading does not carry it: the nearest text above the
/// heading (bidder names often sit in a merged cell over the score and weighted-score columns).
pub fn name_above(sheet: &Sheet, header_row: u32, col: u32) -> Option<(String, CellRef)> {
    (1..header_row).rev().find_map(|row| {
        let at = CellRef::new(row, col);
        let origin = sheet.merged.iter().find(|m| m.contains(at)).map_or(at, |m| m.start);
        let text = sheet.text(at);
        (!text.is_empty()).then_some((text, origin))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_headings_are_recognised() {
        use QualityHeader::*;
        assert_eq!(classify_quality("Criterion"), Some(Criterion));
        assert_eq!(classify_quality("Award Criteria"), Some(Criterion));
        assert_eq!(classify_quality("Ref"), Some(Reference));
        assert_eq!(classify_quality("Section"), Some(Section));
        assert_eq!(classify_quality("Section weight (%)"), Some(SectionWeight));
        assert_eq!(classify_quality("Weighting %"), Some(Weight));
        assert_eq!(classify_quality("Weight within section (%)"), Some(Weight));
        assert_eq!(classify_quality("Effective weight (%)"), Some(EffectiveWeight));
        assert_eq!(classify_quality("Acme Ltd Score"), Some(Score("Acme Ltd".into())));
        assert_eq!(classify_quality("Score - Beta plc"), Some(Score("Beta plc".into())));
        assert_eq!(classify_quality("Score"), Some(Score(String::new())));
        assert_eq!(classify_quality("Acme Ltd – Weighted score"), Some(Weighted("Acme Ltd".into())));
        assert_eq!(classify_quality("Weighted Score"), Some(Weighted(String::new())));
        assert_eq!(classify_quality("Notes"), None);
        assert_eq!(classify_quality("Pass mark"), Some(PassMark));
        assert_eq!(classify_quality("Minimum score"), Some(PassMark));
    }

    #[test]
    fn price_and_summary_headings_are_recognised() {
        assert_eq!(classify_price("Bidder"), Some(PriceHeader::Bidder));
        assert_eq!(classify_price("Acquisition cost (£)"), Some(PriceHeader::Cost(CostComponent::Acquisition)));
        assert_eq!(classify_price("Operating cost (£)"), Some(PriceHeader::Cost(CostComponent::Operating)));
        assert_eq!(classify_price("End-of-life cost (£)"), Some(PriceHeader::Cost(CostComponent::EndOfLife)));
        assert_eq!(classify_price("Whole-life cost (£)"), Some(PriceHeader::WholeLife));
        assert_eq!(classify_price("Price score"), Some(PriceHeader::Score));
        assert_eq!(classify_price("Tendered price"), Some(PriceHeader::Cost(CostComponent::Price)));
        assert_eq!(classify_summary("Quality score (out of 100)"), Some(SummaryHeader::Quality));
        assert_eq!(classify_summary("Quality (60%)"), Some(SummaryHeader::QualityWeighted));
        assert_eq!(classify_summary("Price score"), Some(SummaryHeader::Price));
        assert_eq!(classify_summary("Total"), Some(SummaryHeader::Total));
        assert_eq!(classify_summary("Rank"), Some(SummaryHeader::Rank));
        assert_eq!(classify_summary("Criteria below pass mark"), Some(SummaryHeader::BelowPassMark));
        assert_eq!(classify_summary("Status"), Some(SummaryHeader::Status));
        assert_eq!(classify_price("Whole-life cost of bids that pass (£)"), Some(PriceHeader::EligibleWholeLife));
    }
}
