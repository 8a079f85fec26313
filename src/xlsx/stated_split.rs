//! The price:quality split as people state it in a workbook: "Price 40%", "Quality share 60",
//! "Quality/Price ratio 60:40", "Price:Quality 40/60", or a label in one cell ("Price weighting")
//! with the figure in the next cell to the right or below. The labels are a table (data).

use crate::xlsx::cellref::CellRef;
use crate::xlsx::headings::words;
use crate::xlsx::typed_number;
use crate::xlsx::workbook::{Cell, Sheet, Value, Workbook};

/// Which half of the split a label states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Half {
    Price,
    Quality,
    /// Both, price first ("Price:Quality 40:60").
    PriceThenQuality,
    /// Both, quality first ("Quality/Price ratio 60:40").
    QualityThenPrice,
    /// A lowest-price award: price 100, quality 0, with no figure needed.
    LowestPrice,
}

/// A label and what it states. A strong label ("Price weighting") may take its figure from the
/// next cell; a weak one ("Price") only counts with a percentage, so a "Price" column heading
/// over a bid of £40 is never read as a 40% price share.
pub struct Label {
    pub phrase: &'static str,
    pub half: Half,
    pub strong: bool,
}

const fn l(phrase: &'static str, half: Half, strong: bool) -> Label {
    Label { phrase, half, strong }
}

/// Labels that state the split, most specific first.
pub const LABELS: &[Label] = {
    use Half::*;
    &[
        l("lowest price wins", LowestPrice, true),
        l("award on lowest price", LowestPrice, true),
        l("lowest price award", LowestPrice, true),
        l("lowest price basis", LowestPrice, true),
        l("price only", LowestPrice, true),
        l("price quality", PriceThenQuality, true),
        l("price to quality", PriceThenQuality, true),
        l("cost quality", PriceThenQuality, true),
        l("commercial technical", PriceThenQuality, true),
        l("quality price", QualityThenPrice, true),
        l("quality to price", QualityThenPrice, true),
        l("technical commercial", QualityThenPrice, true),
        l("price weighting", Price, true),
        l("price weight", Price, true),
        l("price share", Price, true),
        l("price split", Price, true),
        l("price element", Price, true),
        l("price percent", Price, true),
        l("cost weighting", Price, true),
        l("commercial weighting", Price, true),
        l("commercial weight", Price, true),
        l("commercial share", Price, true),
        l("quality weighting", Quality, true),
        l("quality weight", Quality, true),
        l("quality share", Quality, true),
        l("quality split", Quality, true),
        l("quality element", Quality, true),
        l("quality percent", Quality, true),
        l("technical weighting", Quality, true),
        l("technical weight", Quality, true),
        l("technical share", Quality, true),
        l("price", Price, false),
        l("commercial", Price, false),
        l("quality", Quality, false),
        l("technical", Quality, false),
    ]
};

/// Sheets whose name says they hold settings: read further down than matrix sheets.
pub const SETTINGS_SHEETS: [&str; 7] = ["tender", "settings", "setup", "instructions", "cover", "parameters", "details"];

/// How far down a matrix sheet the split is looked for; settings sheets are read to this x 4.
pub const FIRST_ROWS: u32 = 30;

/// A split figure found beside a label.
#[derive(Clone, Debug, PartialEq)]
pub struct Stated {
    pub price: Option<f64>,
    pub quality: Option<f64>,
    pub sheet: String,
    /// The label's cell (the figure is in it, or next to it).
    pub at: CellRef,
    pub label: String,
}

/// Every split statement in the first `rows` rows of `sheet`.
pub fn find(wb: &Workbook, sheet: &Sheet, rows: u32) -> crate::Result<Vec<Stated>> {
    let mut out = Vec::new();
    for cell in sheet.cells().take_while(|c| c.at.row <= rows) {
        let Value::Text(text) = &cell.value else { continue };
        if text.len() > 200 {
            continue;
        }
        let Some((label, after)) = label_in(text) else { continue };
        let figures = numbers(&after);
        let stated = match (label.half, figures.as_slice()) {
            (Half::LowestPrice, _) => Some((Some(100.0), Some(0.0))),
            (Half::PriceThenQuality, [p, q]) => Some((Some(p.0), Some(q.0))),
            (Half::QualityThenPrice, [q, p]) => Some((Some(p.0), Some(q.0))),
            (Half::Price, [(p, pct)]) if label.strong || *pct => Some((Some(*p), None)),
            (Half::Quality, [(q, pct)]) if label.strong || *pct => Some((None, Some(*q))),
            (_, []) => neighbour(wb, sheet, cell, label)?,
            _ => None,
        };
        if let Some((price, quality)) = stated {
            let ok = |x: Option<f64>| x.is_none_or(|v| (0.0..=100.0).contains(&v));
            if ok(price) && ok(quality) {
                out.push(Stated { price, quality, sheet: sheet.name.clone(), at: cell.at, label: text.trim().to_string() });
            }
        }
    }
    Ok(out)
}

/// The label in a text, and the text from the label's first word on (where its figures are:
/// "Price 30% / Quality 70%" has them on both sides of the second word).
fn label_in(text: &str) -> Option<(&'static Label, String)> {
    let ws = words(text);
    // Only short texts are labels: a sentence that mentions price is not a statement of the split.
    if ws.iter().filter(|w| !w.chars().all(|c| c.is_ascii_digit())).count() > 8 {
        return None;
    }
    let plain: Vec<&str> = ws.iter().map(String::as_str).filter(|w| !w.chars().all(|c| c.is_ascii_digit()) && *w != "percent").collect();
    LABELS.iter().find_map(|label| {
        let phrase: Vec<&str> = label.phrase.split(' ').collect();
        // A weak label is the whole text ("Price", "Quality 60%"): "Quality assurance" beside a
        // criterion's 25% is not a statement of the split.
        if !label.strong && plain != phrase {
            return None;
        }
        let at = plain.windows(phrase.len()).position(|w| w == phrase.as_slice())?;
        let lower = text.to_lowercase();
        let mut from = 0;
        for w in &plain[..=at] {
            from += lower[from..].find(w).map_or(0, |p| p + w.len());
        }
        Some((label, lower[from..].to_string()))
    })
}

/// Numbers in a text, each with whether a `%` follows it: "60:40" is two, "40%" one.
fn numbers(text: &str) -> Vec<(f64, bool)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || (c == '.' && !current.is_empty()) {
            current.push(c);
            continue;
        }
        if !current.is_empty() {
            let pct = c == '%' || (c == ' ' && chars.peek() == Some(&'%'));
            out.extend(current.parse().ok().map(|n| (n, pct)));
            current.clear();
        }
    }
    out.extend(current.parse().ok().map(|n| (n, false)));
    out
}

/// The figure in the first cell to the right of a label with something in it (up to three
/// along), or else in the cell below.
fn neighbour(wb: &Workbook, sheet: &Sheet, cell: &Cell, label: &Label) -> crate::Result<Option<(Option<f64>, Option<f64>)>> {
    let right =
        (1..=3).map(|d| CellRef::new(cell.at.row, cell.at.col + d)).find(|&at| sheet.cell(at).is_some_and(|c| c.value != Value::Empty));
    for at in right.into_iter().chain(std::iter::once(CellRef::new(cell.at.row + 1, cell.at.col))) {
        let Some(c) = sheet.cell(at) else { continue };
        let figures: Vec<(f64, bool)> = match &c.value {
            Value::Number(n) => {
                let pct = wb.is_percent(c)?;
                vec![(if pct { n * 100.0 } else { *n }, pct)]
            }
            Value::Text(t) => match typed_number::read(t) {
                Some(n) => vec![(n.value, n.percent)],
                None => numbers(t),
            },
            _ => continue,
        };
        let found = match (label.half, figures.as_slice()) {
            (Half::PriceThenQuality, [p, q]) => Some((Some(p.0), Some(q.0))),
            (Half::QualityThenPrice, [q, p]) => Some((Some(p.0), Some(q.0))),
            (Half::Price, [(p, pct)]) if label.strong || *pct => Some((Some(*p), None)),
            (Half::Quality, [(q, pct)]) if label.strong || *pct => Some((None, Some(*q))),
            _ => None,
        };
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_with_their_figures() {
        let read = |t: &str| {
            let (label, after) = label_in(t)?;
            Some((label.half, numbers(&after)))
        };
        assert_eq!(read("Price 40%"), Some((Half::Price, vec![(40.0, true)])));
        assert_eq!(read("Quality share 60"), Some((Half::Quality, vec![(60.0, false)])));
        assert_eq!(read("Quality/Price ratio 60:40"), Some((Half::QualityThenPrice, vec![(60.0, false), (40.0, false)])));
        assert_eq!(read("Price:Quality 40/60"), Some((Half::PriceThenQuality, vec![(40.0, false), (60.0, false)])));
        assert_eq!(read("Price weighting"), Some((Half::Price, vec![])));
        assert_eq!(read("Quality weighting (%):"), Some((Half::Quality, vec![])));
        assert_eq!(read("Evaluation split - Price 30% / Quality 70%").map(|r| r.0), Some(Half::PriceThenQuality));
        assert_eq!(read("Lowest price wins"), Some((Half::LowestPrice, vec![])));
        assert_eq!(read("Notes"), None);
        assert_eq!(read("Quality assurance"), None, "a criterion, not the split");
        assert_eq!(read("Price score"), None);
        assert_eq!(read("Quality:").map(|r| r.0), Some(Half::Quality));
        assert_eq!(read("The price must include delivery to every depot and the quality plan must be kept up to date"), None);
    }
}
