//! Scoring scales. The guidance's Evaluation Matrix scores 0-4; e-tendering systems score
//! 0/25/50/75/100 with the same five descriptors (guidance, "Scoring Methodologies"). A tender may
//! define its own scale instead. Scales are data: the workbook carries its scale as a legend, and
//! every formula refers to its maximum by name.

use serde::{Deserialize, Serialize};

/// Scores closer than this are the same point on a scale (a typed 2 read back as 1.9999999999).
const SAME_POINT: f64 = 1e-9;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScalePoint {
    pub value: f64,
    #[serde(default)]
    pub descriptor: String,
    #[serde(default)]
    pub meaning: String,
}

/// The allowed scores, lowest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scale {
    points: Vec<ScalePoint>,
    /// Any number from the lowest to the highest point is a score (AHP priorities, shares), not
    /// only the points themselves.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    continuous: bool,
}

/// The guidance's five descriptors, with their meaning in our own words.
const DESCRIPTORS: [(&str, &str); 5] = [
    ("Unacceptable", "No response, or a response that does not show the requirement can be met."),
    ("Poor", "Partly relevant: covers some of the requirement, with too little detail to show how it will be met."),
    ("Acceptable", "Relevant: shows a broad understanding of the requirement but lacks detail in places on how it will be met."),
    ("Good", "Relevant and detailed enough to show a good understanding and how the requirement will be met."),
    (
        "Excellent",
        "Fully relevant, comprehensive and unambiguous: shows a thorough understanding and how the requirement will be met in full.",
    ),
];

impl Scale {
    /// Builds a scale from its points. Values must be finite, distinct, and there must be two.
    pub fn new(mut points: Vec<ScalePoint>) -> Result<Scale, String> {
        if points.len() < 2 {
            return Err(format!("a scale needs at least two scores, found {}", points.len()));
        }
        if let Some(p) = points.iter().find(|p| !p.value.is_finite() || p.value < 0.0) {
            return Err(format!("scale score {} is not a number of zero or more", p.value));
        }
        points.sort_by(|a, b| a.value.total_cmp(&b.value));
        if let Some(w) = points.windows(2).find(|w| w[1].value - w[0].value < SAME_POINT) {
            return Err(format!("scale score {} is listed twice", w[0].value));
        }
        if points.last().map(|p| p.value) <= Some(0.0) {
            return Err("a scale's highest score must be above zero".into());
        }
        Ok(Scale { points, continuous: false })
    }

    /// Any number from `min` to `max`: continuous scores such as AHP priority weights.
    pub fn continuous(min: f64, max: f64) -> Result<Scale, String> {
        let ends = Scale::from_values(&[min, max])?;
        Ok(Scale { continuous: true, ..ends })
    }

    pub fn is_continuous(&self) -> bool {
        self.continuous
    }

    /// Whether `score` is a score on this scale: one of its points, or for a continuous scale
    /// any number between its ends.
    pub fn holds(&self, score: f64) -> bool {
        if self.continuous {
            score >= self.min() - SAME_POINT && score <= self.max() + SAME_POINT
        } else {
            self.point(score).is_some()
        }
    }

    /// Every score from `min` to `max` in steps of `step` (0 to 100 in whole numbers is 101
    /// scores), at most 10,001 of them.
    pub fn range(min: f64, max: f64, step: f64) -> Result<Scale, String> {
        let count = (max - min) / step;
        if !(min.is_finite() && max.is_finite() && step.is_finite() && step > 0.0 && max > min) {
            return Err(format!("a range of scores needs min below max and a step above 0 (min {min}, max {max}, step {step})"));
        }
        if (count - count.round()).abs() > 1e-9 * count.max(1.0) || count > 10_000.0 {
            return Err(format!(
                "steps of {step} from {min} do not reach {max} in at most 10,000 steps: give a step that divides max - min"
            ));
        }
        let n = count.round() as usize;
        // Each score from min by whole steps, so 0.1 x 3 is 0.3 as typed, not 0.30000000000000004.
        let decimals = format!("{step}").split('.').nth(1).map_or(0, str::len).max(format!("{min}").split('.').nth(1).map_or(0, str::len));
        let round = |x: f64| format!("{x:.decimals$}").parse::<f64>().unwrap_or(x);
        Scale::from_values(&(0..=n).map(|i| round(min + step * i as f64)).collect::<Vec<_>>())
    }

    /// Scores without descriptors, e.g. read from a workbook that only lists the values.
    pub fn from_values(values: &[f64]) -> Result<Scale, String> {
        Scale::new(values.iter().map(|&value| ScalePoint { value, descriptor: String::new(), meaning: String::new() }).collect())
    }

    /// A scale with these values: the guidance's, with its descriptors, where the values are
    /// 0-4 or 0-100 in 25s; otherwise without descriptors.
    pub fn with_values(values: &[f64]) -> Result<Scale, String> {
        let scale = Scale::from_values(values)?;
        let same = |preset: Scale| {
            preset.points.len() == scale.points.len()
                && preset.points.iter().zip(&scale.points).all(|(a, b)| (a.value - b.value).abs() < SAME_POINT)
        };
        Ok(if same(Scale::matrix()) {
            Scale::matrix()
        } else if same(Scale::percentage()) {
            Scale::percentage()
        } else {
            scale
        })
    }

    fn described(values: [f64; 5]) -> Scale {
        let points =
            values.iter().zip(DESCRIPTORS).map(|(&value, (d, m))| ScalePoint { value, descriptor: d.into(), meaning: m.into() }).collect();
        Scale { points, continuous: false }
    }

    /// The Evaluation Matrix scale, 0-4 (the default).
    pub fn matrix() -> Scale {
        Scale::described([0.0, 1.0, 2.0, 3.0, 4.0])
    }

    /// The e-tendering scale, 0-100 in steps of 25.
    pub fn percentage() -> Scale {
        Scale::described([0.0, 25.0, 50.0, 75.0, 100.0])
    }

    /// `"0-4"` and `"0-100"` are the two scales from the guidance, with descriptors; any other
    /// `"0-N"` is the whole numbers 0 to N without descriptors.
    pub fn parse(name: &str) -> Result<Scale, String> {
        let bad = || format!("unknown scale '{name}': use \"0-4\", \"0-100\", \"0-N\", or a list of points");
        let (lo, hi) = name.trim().split_once('-').ok_or_else(bad)?;
        let (lo, hi): (u32, u32) = (lo.trim().parse().map_err(|_| bad())?, hi.trim().parse().map_err(|_| bad())?);
        match (lo, hi) {
            (0, 4) => Ok(Scale::matrix()),
            (0, 100) => Ok(Scale::percentage()),
            (lo, hi) if lo < hi && hi - lo <= 1000 => Scale::from_values(&(lo..=hi).map(f64::from).collect::<Vec<_>>()),
            _ => Err(bad()),
        }
    }

    pub fn points(&self) -> &[ScalePoint] {
        &self.points
    }

    pub fn max(&self) -> f64 {
        self.points[self.points.len() - 1].value
    }

    pub fn min(&self) -> f64 {
        self.points[0].value
    }

    /// The point a score sits on, if it is one of the scale's scores.
    pub fn point(&self, score: f64) -> Option<&ScalePoint> {
        self.points.iter().find(|p| (p.value - score).abs() < SAME_POINT)
    }

    /// "0, 1, 2, 3, 4" — for messages.
    pub fn values_text(&self) -> String {
        if self.continuous {
            return format!("any number from {} to {}", fmt_number(self.min()), fmt_number(self.max()));
        }
        self.points.iter().map(|p| fmt_number(p.value)).collect::<Vec<_>>().join(", ")
    }

    /// "0-4" or "0, 25, 50, 75, 100" — a short name for messages.
    pub fn name(&self) -> String {
        if self.continuous {
            return format!("{}-{} (any number between)", fmt_number(self.min()), fmt_number(self.max()));
        }
        let integral_steps = self.points.windows(2).all(|w| (w[1].value - w[0].value - 1.0).abs() < SAME_POINT);
        if integral_steps { format!("{}-{}", fmt_number(self.min()), fmt_number(self.max())) } else { self.values_text() }
    }
}

impl Default for Scale {
    fn default() -> Self {
        Scale::matrix()
    }
}

/// A number as a buyer writes it: no trailing `.0`, at most 2 decimals unless it needs more.
pub fn fmt_number(n: f64) -> String {
    if (n - n.round()).abs() < 1e-9 {
        format!("{}", n.round() as i64)
    } else {
        let s = format!("{n:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_is_every_step_between() {
        let s = Scale::range(0.0, 100.0, 1.0).unwrap();
        assert_eq!(s.points().len(), 101);
        assert_eq!((s.points()[37].value, s.max()), (37.0, 100.0));
        let tenths = Scale::range(0.0, 1.0, 0.1).unwrap();
        assert_eq!(tenths.points()[3].value, 0.3);
        assert!(Scale::range(0.0, 10.0, 3.0).is_err(), "3 does not divide 10");
        assert!(Scale::range(0.0, 1e9, 1.0).is_err(), "too many scores");
        assert!(Scale::range(5.0, 1.0, 1.0).is_err());
        assert!(Scale::range(0.0, 10.0, 0.0).is_err());
    }

    #[test]
    fn presets() {
        assert_eq!(Scale::matrix().max(), 4.0);
        assert_eq!(Scale::percentage().values_text(), "0, 25, 50, 75, 100");
        assert_eq!(Scale::parse("0-100").unwrap(), Scale::percentage());
        assert_eq!(Scale::parse(" 0 - 4 ").unwrap(), Scale::matrix());
        assert_eq!(Scale::parse("0-10").unwrap().points().len(), 11);
        assert_eq!(Scale::parse("0-10").unwrap().name(), "0-10");
        assert_eq!(Scale::percentage().point(75.0).unwrap().descriptor, "Good");
        assert!(Scale::parse("high").is_err());
        assert!(Scale::parse("4-0").is_err());
    }

    #[test]
    fn points_are_checked_and_sorted() {
        let s = Scale::from_values(&[4.0, 0.0, 2.0]).unwrap();
        assert_eq!(s.values_text(), "0, 2, 4");
        assert!(Scale::from_values(&[1.0, 1.0]).is_err());
        assert!(Scale::from_values(&[1.0]).is_err());
        assert!(Scale::from_values(&[0.0, f64::NAN]).is_err());
        assert!(Scale::from_values(&[-1.0, 0.0]).is_err());
    }

    #[test]
    fn on_scale_tolerates_representation_error_only() {
        let s = Scale::matrix();
        assert!(s.point(2.0 + 1e-12).is_some());
        assert!(s.point(2.5).is_none());
        assert!(s.point(7.0).is_none());
    }

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(fmt_number(4.0), "4");
        assert_eq!(fmt_number(33.33), "33.33");
        assert_eq!(fmt_number(12.5), "12.5");
        assert_eq!(fmt_number(1.0 / 3.0), "0.333333");
    }
}
