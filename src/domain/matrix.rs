//! The Evaluation Matrix as the buyer filled it in: sections of criteria with their weightings,
//! and per bid a score for every criterion and the costs that make up its whole-life cost.
//!
//! Values are [`Entry`]s, not numbers, because a matrix is typed by people: a cell may be empty or
//! hold text ("n/a", "3 " stored as text) where a number belongs. Validation reports those; the
//! arithmetic only ever sees numbers.

use crate::domain::{Commodity, Scale};

/// A name as compared: spacing and case do not matter ("Acme  ltd" is "ACME Ltd").
pub fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Whether two names are one as [`name_key`] compares them, without building either key: a
/// thousand letters each look their bidder up among a thousand.
pub fn same_name(a: &str, b: &str) -> bool {
    if !a.is_ascii() || !b.is_ascii() {
        return name_key(a) == name_key(b);
    }
    let (mut x, mut y) = (a.split_ascii_whitespace(), b.split_ascii_whitespace());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p.eq_ignore_ascii_case(q) => {}
            _ => return false,
        }
    }
}

/// One value as the buyer entered it.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Empty,
    Number(f64),
    /// Anything that is not a number: text, a number stored as text, `TRUE`, `#DIV/0!`. Behind one
    /// thin pointer, so an entry takes 16 bytes: a 5,000-bid matrix holds a million scores.
    #[allow(clippy::box_collection)]
    Text(Box<String>),
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(size_of::<Entry>() == 16);

impl Entry {
    pub fn text(t: impl Into<String>) -> Entry {
        Entry::Text(Box::new(t.into()))
    }

    /// Two entries added as a sheet's SUM adds cells: blanks add nothing, and anything not a
    /// number is kept (the first such) for validation to name.
    pub fn plus(self, other: Entry) -> Entry {
        match (self, other) {
            (Entry::Number(a), Entry::Number(b)) => Entry::Number(a + b),
            (e @ Entry::Text(_), _) | (e, Entry::Empty) => e,
            (_, e) => e,
        }
    }

    pub fn number(&self) -> Option<f64> {
        match self {
            Entry::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Entry::Empty)
    }
}

impl From<f64> for Entry {
    fn from(n: f64) -> Self {
        Entry::Number(n)
    }
}

impl From<Option<f64>> for Entry {
    fn from(n: Option<f64>) -> Self {
        n.map_or(Entry::Empty, Entry::Number)
    }
}

/// The price:quality split, in percent. Either side is `Entry::Empty` when the matrix does not
/// state it.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub price: Entry,
    pub quality: Entry,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Criterion {
    pub reference: String,
    pub title: String,
    /// Weighting within its section, in percent.
    pub weight: Entry,
    /// The lowest score that passes; a bid scoring below it fails (guidance, "Minimum
    /// Standards"). `Entry::Empty` when the criterion has none.
    pub pass_mark: Entry,
    /// A criterion where less is better (risk, difficulty, delivery time): the lowest score on
    /// the scale counts in full, the highest as the lowest would otherwise.
    pub lower_is_better: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub name: String,
    /// Weighting of the section within quality, in percent.
    pub weight: Entry,
    pub criteria: Vec<Criterion>,
}

/// What part of the whole-life cost an amount is (guidance, "Evaluation Tools": acquisition,
/// operating and end-of-life costs). `Price` is a single all-in price, for matrices that do not
/// break the cost down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CostComponent {
    Acquisition,
    Operating,
    EndOfLife,
    Price,
}

impl CostComponent {
    pub fn label(self) -> &'static str {
        match self {
            CostComponent::Acquisition => "acquisition cost",
            CostComponent::Operating => "operating cost",
            CostComponent::EndOfLife => "end-of-life cost",
            CostComponent::Price => "price",
        }
    }

    /// End-of-life may be a net income (resale, residual value); other components may not.
    pub fn may_be_negative(self) -> bool {
        self == CostComponent::EndOfLife
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cost {
    pub component: CostComponent,
    pub amount: Entry,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bid {
    pub bidder: String,
    /// One entry per criterion, in [`Matrix::criteria`] order.
    pub scores: Vec<Entry>,
    pub costs: Vec<Cost>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub sections: Vec<Section>,
    pub bids: Vec<Bid>,
    pub split: Split,
    pub scale: Scale,
    pub commodity: Option<Commodity>,
    /// A minimum standard for quality as a whole: a bid whose quality score (out of 100) is
    /// below it fails. `Entry::Empty` when there is none.
    pub minimum_quality: Entry,
    /// How price is scored.
    pub price: crate::domain::price::PriceDef,
}

impl Matrix {
    /// Every criterion with the index of its section, in the order scores are held.
    pub fn criteria(&self) -> impl Iterator<Item = (usize, &Criterion)> {
        self.sections.iter().enumerate().flat_map(|(s, section)| section.criteria.iter().map(move |c| (s, c)))
    }

    pub fn criterion_count(&self) -> usize {
        self.sections.iter().map(|s| s.criteria.len()).sum()
    }

    /// Flat criterion indices of section `s`.
    pub fn section_range(&self, s: usize) -> std::ops::Range<usize> {
        let start: usize = self.sections[..s].iter().map(|x| x.criteria.len()).sum();
        start..start + self.sections[s].criteria.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_add_as_a_sum_of_cells() {
        let n = Entry::Number;
        let t = || Entry::text("n/a");
        assert_eq!(n(1.5).plus(n(2.0)), n(3.5));
        assert_eq!(Entry::Empty.plus(n(2.0)), n(2.0));
        assert_eq!(n(2.0).plus(Entry::Empty), n(2.0));
        assert_eq!(Entry::Empty.plus(Entry::Empty), Entry::Empty);
        // Anything not a number stays, wherever it is met, for validation to name.
        assert_eq!(n(1.0).plus(t()), t());
        assert_eq!(t().plus(n(1.0)), t());
    }

    #[test]
    fn same_name_compares_as_name_key_does() {
        let names = ["Acme Ltd", "ACME  ltd", " acme\tLTD ", "Acme Ltd.", "Acme", "", "  ", "ΟΔΟΣ Ltd", "οδος LTD", "Ødegaard AS", "ødegaard as"];
        for a in names {
            for b in names {
                assert_eq!(same_name(a, b), name_key(a) == name_key(b), "{a:?} and {b:?}");
            }
        }
    }
}
