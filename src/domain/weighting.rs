//! Weightings: the sums the guidance requires and the price:quality splits it suggests.

use serde::{Deserialize, Serialize};

/// Half a cent of a percentage point: sums are checked to the cent, so 33.33 + 33.33 + 33.34
/// makes 100 and 33.33 x 3 (99.99) does not.
pub const CENT: f64 = 0.005;

/// Whether `values` add up to `target`, to the cent.
///
/// Guidance, "Scoring Methodologies": all sections should add up to 100, and all questions within
/// each section should also add up to 100.
pub fn sums_to(values: impl IntoIterator<Item = f64>, target: f64) -> bool {
    (values.into_iter().sum::<f64>() - target).abs() < CENT
}

/// The nature of what is bought, which the guidance uses to suggest a price:quality ratio
/// ("Price/Quality Ratios").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Commodity {
    Routine,
    Leverage,
    Strategic,
    Bottleneck,
}

impl Commodity {
    /// Suggested price:quality splits, as (price, quality) percentages.
    pub fn suggested_splits(self) -> &'static [(f64, f64)] {
        match self {
            Commodity::Routine => &[(80.0, 20.0)],
            Commodity::Leverage => &[(60.0, 40.0)],
            Commodity::Strategic => &[(60.0, 40.0), (50.0, 50.0), (40.0, 60.0)],
            Commodity::Bottleneck => &[(40.0, 60.0), (10.0, 90.0)],
        }
    }

    /// Whether `price:quality` is one of the suggested splits (to the cent).
    pub fn suggests(self, price: f64, quality: f64) -> bool {
        self.suggested_splits().iter().any(|&(p, q)| sums_to([price], p) && sums_to([quality], q))
    }

    pub fn name(self) -> &'static str {
        match self {
            Commodity::Routine => "routine",
            Commodity::Leverage => "leverage",
            Commodity::Strategic => "strategic",
            Commodity::Bottleneck => "bottleneck",
        }
    }

    pub fn parse(text: &str) -> Option<Commodity> {
        match text.trim().to_ascii_lowercase().as_str() {
            "routine" => Some(Commodity::Routine),
            "leverage" => Some(Commodity::Leverage),
            "strategic" => Some(Commodity::Strategic),
            "bottleneck" => Some(Commodity::Bottleneck),
            _ => None,
        }
    }

    /// "60:40, 50:50 or 40:60"
    pub fn suggestion_text(self) -> String {
        let splits: Vec<String> = self.suggested_splits().iter().map(|(p, q)| format!("{p}:{q}")).collect();
        match splits.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => splits.join(""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_checked_to_the_cent() {
        assert!(sums_to([33.33, 33.33, 33.34], 100.0));
        assert!(!sums_to([33.33, 33.33, 33.33], 100.0));
        assert!(sums_to([100.0 / 3.0; 3], 100.0));
        assert!(sums_to([12.5; 8], 100.0));
        assert!(!sums_to([50.0, 40.0], 100.0));
        assert!(!sums_to([50.0, 50.01], 100.0));
    }

    #[test]
    fn suggested_splits_follow_the_guidance() {
        assert!(Commodity::Routine.suggests(80.0, 20.0));
        assert!(!Commodity::Routine.suggests(60.0, 40.0));
        assert!(Commodity::Strategic.suggests(50.0, 50.0));
        assert!(Commodity::Bottleneck.suggests(10.0, 90.0));
        assert!(!Commodity::Bottleneck.suggests(60.0, 40.0));
        assert_eq!(Commodity::Strategic.suggestion_text(), "60:40, 50:50 or 40:60");
        assert_eq!(Commodity::Leverage.suggestion_text(), "60:40");
        assert_eq!(Commodity::parse(" Bottleneck "), Some(Commodity::Bottleneck));
    }
}
