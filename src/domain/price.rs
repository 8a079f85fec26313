//! How price is scored: the methods buyers use, each stated in the tender (`[price] method`) and
//! written into the workbook as a real formula with its parameters in named cells. Every method
//! scores the bids that pass (a failed bid is out of the competition) and gives a price score
//! between 0 and the price weighting, except cost per quality point, which ranks by cost alone.
//!
//! * `lowest-over-bid` (the default): lowest / bid x weighting. Every bid scores something; a bid
//!   twice the lowest still gets half the marks.
//! * `relative-to-mean`: the mean of the qualifying bids scores `mean_score` % of the weighting; a
//!   bid gains (or loses) `marks_per_percent` % of the weighting for each 1% it is below (or
//!   above) the mean; clamped to 0..weighting. Pitfall: a new bid moves the mean, so it can
//!   reorder the others (rank reversal: `tenderkit sensitivity` reports it).
//! * `linear`: full marks at the lowest bid, none at the ceiling (the stated `budget`, or the
//!   highest qualifying bid), a straight line between; bids above a budget score 0. With the
//!   highest bid as the ceiling, the dearest bid always scores 0, however close it is.
//! * `graduated`: the Scottish Government's Graduated Pricing Mechanism (Construction Policy Note
//!   CPN 3/2024): every tender starts at 100; the point of inflection is the median of the
//!   qualifying tenders (abnormally low and disqualified tenders left out) plus 2.5%; a tender
//!   loses `rate` marks (0.1 in the note) for each percentage point it is above the lowest, up to
//!   the point of inflection, and `rate_beyond` marks for each percentage point beyond it (the
//!   tender's own parameter: the note's annex is not quoted here); the result, out of 100, is
//!   scaled to the weighting.
//! * `cost-per-quality-point`: whole-life cost / quality score (out of 100); the lowest wins. The
//!   price:quality split is not used, and a bid with no quality score cannot be ranked.
//!
//! Sources: the first three are the relative and absolute models (and pitfalls) compared in
//! Trowers & Hamlins / G15, *Price evaluation models for the housing sector* (white paper, 2020);
//! graduated is CPN 3/2024 (gov.scot, 3 July 2024).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    #[default]
    LowestOverBid,
    RelativeToMean,
    Linear,
    Graduated,
    CostPerQualityPoint,
}

pub const METHODS: [Method; 5] =
    [Method::LowestOverBid, Method::RelativeToMean, Method::Linear, Method::Graduated, Method::CostPerQualityPoint];

impl Method {
    pub fn key(self) -> &'static str {
        match self {
            Method::LowestOverBid => "lowest-over-bid",
            Method::RelativeToMean => "relative-to-mean",
            Method::Linear => "linear",
            Method::Graduated => "graduated",
            Method::CostPerQualityPoint => "cost-per-quality-point",
        }
    }

    pub fn parse(text: &str) -> Option<Method> {
        METHODS.into_iter().find(|m| m.key().eq_ignore_ascii_case(text.trim()))
    }

    /// Whether the method divides by a price (a zero or negative price cannot be scored).
    pub fn divides_by_price(self) -> bool {
        matches!(self, Method::LowestOverBid | Method::RelativeToMean | Method::Graduated | Method::CostPerQualityPoint)
    }
}

/// The abnormally-low-tender test to flag bids by. A flag asks for an explanation; it never
/// rejects a bid by itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AbnormallyLowTest {
    /// The Scottish Government's Construction Procurement Handbook as it now stands (chapter 8,
    /// and its glossary's "adjusted median boundary"): more than `abnormally_low_percent` (15%)
    /// below the median of the tenders that pass, and more than 1% below the lowest qualifying
    /// price (the lowest tender not below that boundary). A median barely moves for one very high
    /// tender, where a mean is lifted by it and flags the whole cluster of lowest bids.
    #[default]
    BelowMedian,
    /// More than `abnormally_low_percent` below the mean of the other qualifying bids.
    BelowMean,
    /// The handbook's 2019 edition: more than 15% below the adjusted average (the average of the
    /// qualifying bids without the highest) and more than 1% below the lowest qualifying price.
    ConstructionHandbook,
}

impl AbnormallyLowTest {
    pub const ALL: [AbnormallyLowTest; 3] =
        [AbnormallyLowTest::BelowMedian, AbnormallyLowTest::BelowMean, AbnormallyLowTest::ConstructionHandbook];

    pub fn key(self) -> &'static str {
        match self {
            AbnormallyLowTest::BelowMedian => "below-median",
            AbnormallyLowTest::BelowMean => "below-mean",
            AbnormallyLowTest::ConstructionHandbook => "construction-handbook",
        }
    }

    pub fn parse(text: &str) -> Option<AbnormallyLowTest> {
        Self::ALL.into_iter().find(|t| t.key() == text.trim())
    }

    /// Whether `abnormally_low_percent` sets the boundary (the 2019 handbook fixes it at 15%).
    pub fn uses_percent(self) -> bool {
        self != AbnormallyLowTest::ConstructionHandbook
    }

    /// Whether a flagged bid must also be more than 1% below the lowest qualifying price.
    fn has_proximity_margin(self) -> bool {
        self != AbnormallyLowTest::BelowMean
    }
}

/// `[price]` in a tender file (or a layout file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceDef {
    #[serde(default)]
    pub method: Method,
    /// relative-to-mean: the mean's score, as % of the weighting.
    #[serde(default = "fifty")]
    pub mean_score: f64,
    /// relative-to-mean: % of the weighting gained or lost per 1% below or above the mean.
    #[serde(default = "one")]
    pub marks_per_percent: f64,
    /// linear: the price that scores 0; the highest qualifying bid when not given.
    #[serde(default)]
    pub budget: Option<f64>,
    /// graduated: marks (of 100) lost per percentage point above the lowest, to the inflection.
    #[serde(default = "tenth")]
    pub rate: f64,
    /// graduated: marks (of 100) lost per percentage point beyond the point of inflection.
    #[serde(default = "one")]
    pub rate_beyond: f64,
    /// graduated: the point of inflection is the median plus this many %.
    #[serde(default = "inflection")]
    pub inflection_margin: f64,
    #[serde(default)]
    pub abnormally_low: AbnormallyLowTest,
    /// below-median, below-mean: a bid this many % below the median (or the mean of the others)
    /// is flagged.
    #[serde(default = "fifteen")]
    pub abnormally_low_percent: f64,
    /// The currency costs are in (`GBP` unless stated, or found in the workbook's cost cells).
    #[serde(default)]
    pub currency: crate::domain::money::Currency,
}

fn fifty() -> f64 {
    50.0
}
fn one() -> f64 {
    1.0
}
fn tenth() -> f64 {
    0.1
}
fn inflection() -> f64 {
    2.5
}
fn fifteen() -> f64 {
    15.0
}

impl Default for PriceDef {
    fn default() -> Self {
        PriceDef {
            method: Method::default(),
            mean_score: fifty(),
            marks_per_percent: one(),
            budget: None,
            rate: tenth(),
            rate_beyond: one(),
            inflection_margin: inflection(),
            abnormally_low: AbnormallyLowTest::default(),
            abnormally_low_percent: fifteen(),
            currency: Default::default(),
        }
    }
}

/// One parameter's allowed values: its tender-file key, the workbook's named cell, the range, and
/// why it is bounded. A value outside the range would reverse the order of the bids, push a price
/// score beyond the weighting, or make a figure infinite: refused, never used.
pub struct Range {
    pub key: &'static str,
    pub name: &'static str,
    pub min: f64,
    pub min_included: bool,
    pub max: f64,
    pub why: &'static str,
}

/// Every number parameter's range (`max` is included).
pub const RANGES: [Range; 7] = [
    Range {
        key: "mean_score",
        name: "PriceMeanScore",
        min: 0.0,
        min_included: true,
        max: 100.0,
        why: "a share of the price weighting, in %",
    },
    Range {
        key: "marks_per_percent",
        name: "PriceMarksPerPercent",
        min: 0.0,
        min_included: false,
        max: 100.0,
        why: "a share of the weighting per 1% from the mean; 0 or less would make price not count or favour dearer bids",
    },
    Range {
        key: "budget",
        name: "PriceBudget",
        min: 0.0,
        min_included: false,
        max: crate::domain::validate::MAX_AMOUNT,
        why: "a price in pounds",
    },
    Range {
        key: "rate",
        name: "PriceRate",
        min: 0.0,
        min_included: true,
        max: 100.0,
        why: "marks out of 100 lost per percentage point; below 0 would give dearer bids more than 100",
    },
    Range {
        key: "rate_beyond",
        name: "PriceRateBeyond",
        min: 0.0,
        min_included: true,
        max: 100.0,
        why: "marks out of 100 lost per percentage point",
    },
    Range {
        key: "inflection_margin",
        name: "PriceInflectionMargin",
        min: 0.0,
        min_included: true,
        max: 100.0,
        why: "a percentage above the median",
    },
    Range {
        key: "abnormally_low_percent",
        name: "AbnormallyLowPercent",
        min: 0.0,
        min_included: false,
        max: 100.0,
        why: "a percentage below the median or the mean of the other tenders",
    },
];

impl Range {
    pub fn contains(&self, v: f64) -> bool {
        v.is_finite() && (v > self.min || (self.min_included && v == self.min)) && v <= self.max
    }

    /// "from 0 to 100", "above 0 and at most 100".
    pub fn words(&self) -> String {
        let n = crate::domain::scale::fmt_number;
        if self.min_included {
            format!("from {} to {}", n(self.min), n(self.max))
        } else {
            format!("above {} and at most {}", n(self.min), n(self.max))
        }
    }
}

/// "1 mark", "0.1 marks".
fn marks(n: f64) -> String {
    format!("{} mark{}", crate::domain::scale::fmt_number(n), if n == 1.0 { "" } else { "s" })
}

/// The median of `values` (which must not be empty).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The costs of the bids that qualify, summed as the workbook's formulas sum them (SUM less the
/// bid, over COUNT - 1), so both engines flag the same bids; linear in the number of bids.
struct Pool {
    /// The qualifying costs, lowest first.
    sorted: Vec<f64>,
    sum: f64,
}

impl Pool {
    /// `None` with fewer than two qualifying costs: nothing to compare with.
    fn of(costs: &[Option<f64>], qualifying: &[bool]) -> Option<Pool> {
        let mut sorted: Vec<f64> = costs.iter().zip(qualifying).filter(|(_, q)| **q).filter_map(|(c, _)| *c).collect();
        if sorted.len() < 2 {
            return None;
        }
        let sum = sorted.iter().sum();
        sorted.sort_by(f64::total_cmp);
        Some(Pool { sorted, sum })
    }

    fn n(&self) -> f64 {
        self.sorted.len() as f64
    }

    /// What bid cost `c` is compared with.
    fn reference(&self, p: &PriceDef, c: f64) -> f64 {
        match p.abnormally_low {
            AbnormallyLowTest::BelowMedian => median(&self.sorted),
            AbnormallyLowTest::BelowMean => (self.sum - c) / (self.n() - 1.0),
            AbnormallyLowTest::ConstructionHandbook => (self.sum - self.sorted[self.sorted.len() - 1]) / (self.n() - 1.0),
        }
    }

    /// The lowest qualifying price: the lowest cost not below `boundary` (the highest cost is
    /// never below a median's or an average's boundary).
    fn lowest_at_or_above(&self, boundary: f64) -> f64 {
        let i = self.sorted.partition_point(|&x| x < boundary);
        self.sorted[i.min(self.sorted.len() - 1)]
    }
}

impl PriceDef {
    /// The parameters the method and the abnormally-low test use, with their values.
    pub fn used(&self) -> Vec<(&'static Range, Option<f64>)> {
        let keys: &[&str] = match self.method {
            Method::LowestOverBid | Method::CostPerQualityPoint => &[],
            Method::RelativeToMean => &["mean_score", "marks_per_percent"],
            Method::Linear => &["budget"],
            Method::Graduated => &["rate", "rate_beyond", "inflection_margin"],
        };
        let low = self.abnormally_low.uses_percent().then_some("abnormally_low_percent");
        RANGES
            .iter()
            .filter(|r| keys.contains(&r.key) || Some(r.key) == low)
            .map(|r| {
                let v = match r.key {
                    "mean_score" => Some(self.mean_score),
                    "marks_per_percent" => Some(self.marks_per_percent),
                    "budget" => self.budget,
                    "rate" => Some(self.rate),
                    "rate_beyond" => Some(self.rate_beyond),
                    "inflection_margin" => Some(self.inflection_margin),
                    _ => Some(self.abnormally_low_percent),
                };
                (r, v)
            })
            .collect()
    }

    /// Each parameter outside its range, with the range in words.
    pub fn out_of_range(&self) -> Vec<(&'static Range, f64)> {
        self.used().into_iter().filter_map(|(r, v)| v.filter(|v| !r.contains(*v)).map(|v| (r, v))).collect()
    }

    /// The bids flagged as abnormally low, by index: only bids in `qualifying` with a cost.
    /// A flag asks the buyer to seek an explanation; it never rejects a bid by itself.
    pub fn abnormally_low(&self, costs: &[Option<f64>], qualifying: &[bool]) -> Vec<bool> {
        let mut out = vec![false; costs.len()];
        let Some(pool) = Pool::of(costs, qualifying) else { return out };
        for (i, c) in costs.iter().enumerate() {
            let Some(c) = c.filter(|_| qualifying[i]) else { continue };
            let boundary = pool.reference(self, c) * self.abnormally_low_factor();
            out[i] = c < boundary && (!self.abnormally_low.has_proximity_margin() || c < pool.lowest_at_or_above(boundary) * 0.99);
        }
        out
    }

    /// What the test compares bid `b`'s cost with (the median, the mean of the others, or the
    /// 2019 handbook's adjusted average), among the bids that qualify; `None` with fewer than two.
    pub fn abnormally_low_reference(&self, costs: &[Option<f64>], qualifying: &[bool], b: usize) -> Option<f64> {
        let c = costs.get(b).copied().flatten().filter(|_| qualifying[b])?;
        Some(Pool::of(costs, qualifying)?.reference(self, c))
    }

    /// A bid below this share of its reference is flagged.
    fn abnormally_low_factor(&self) -> f64 {
        if self.abnormally_low.uses_percent() { 1.0 - self.abnormally_low_percent / 100.0 } else { 0.85 }
    }

    /// The abnormally-low test in words ("more than 15% below the median of the tenders that
    /// pass, ..."), as validate, score, the letter and the report state it.
    pub fn abnormally_low_rule(&self) -> String {
        let percent = crate::domain::scale::fmt_number(self.abnormally_low_percent);
        let proximity = "and more than 1% below the lowest qualifying price (the lowest tender not below that boundary)";
        match self.abnormally_low {
            AbnormallyLowTest::BelowMedian => format!(
                "more than {percent}% below the median of the tenders that pass, {proximity} (the Scottish Government's Construction Procurement Handbook)"
            ),
            AbnormallyLowTest::BelowMean => format!("more than {percent}% below the mean of the other tenders that pass"),
            AbnormallyLowTest::ConstructionHandbook => format!(
                "more than 15% below the average of the tenders that pass leaving out the highest, {proximity} (the Construction Procurement Handbook, 2019 edition)"
            ),
        }
    }

    /// Whether price is ranked by cost per quality point (lowest first), with no price score to
    /// add to quality.
    pub fn per_point(&self) -> bool {
        self.method == Method::CostPerQualityPoint
    }

    /// Each qualifying bid's price score (out of `weight`), or for cost per quality point its cost
    /// per point; `None` for bids that do not qualify or have no cost (or no quality score).
    pub fn scores(&self, costs: &[Option<f64>], qualifying: &[bool], quality: &[f64], weight: f64) -> Vec<Option<f64>> {
        let pool: Vec<f64> = costs.iter().zip(qualifying).filter(|(_, q)| **q).filter_map(|(c, _)| *c).collect();
        let Some(lowest) = pool.iter().copied().reduce(f64::min) else { return vec![None; costs.len()] };
        let clamp = |s: f64| s.clamp(0.0, weight);
        let m = mean(&pool);
        let highest = pool.iter().copied().fold(f64::MIN, f64::max);
        // The graduated method's point of inflection: the median of the qualifying bids, leaving
        // out abnormally low ones (all of them, should every bid be flagged).
        let point = (self.method == Method::Graduated).then(|| {
            let alt = self.abnormally_low(costs, qualifying);
            let for_median: Vec<f64> =
                costs.iter().zip(qualifying).zip(&alt).filter(|((_, q), a)| **q && !**a).filter_map(|((c, _), _)| *c).collect();
            median(if for_median.is_empty() { &pool } else { &for_median }) * (1.0 + self.inflection_margin / 100.0)
        });
        costs
            .iter()
            .zip(qualifying)
            .zip(quality)
            .map(|((c, q), quality)| {
                let c = (*c).filter(|_| *q)?;
                Some(match self.method {
                    Method::LowestOverBid => lowest / c * weight,
                    Method::RelativeToMean => {
                        clamp(weight * self.mean_score / 100.0 - weight * self.marks_per_percent / 100.0 * ((c - m) / m * 100.0))
                    }
                    // A budget at or below the lowest bid puts every bid at or above the price that
                    // scores 0: every bid scores 0 (validate refuses such a budget). With no
                    // budget, bids all at the one price all score the weighting.
                    Method::Linear => match self.budget {
                        Some(budget) if budget <= lowest => 0.0,
                        Some(budget) => clamp(weight * (budget - c) / (budget - lowest)),
                        None if highest == lowest => weight,
                        None => clamp(weight * (highest - c) / (highest - lowest)),
                    },
                    Method::Graduated => {
                        let point = point.unwrap_or(lowest);
                        let above = (c - lowest) / lowest * 100.0;
                        let to_point = ((point - lowest) / lowest * 100.0).max(0.0);
                        let marks = 100.0 - self.rate * above.min(to_point) - self.rate_beyond * (above - to_point).max(0.0);
                        marks.max(0.0) / 100.0 * weight
                    }
                    // A quality score of 0 has no cost per point: the bid fails instead
                    // (`scoring::Failure::NoQualityScore`), so it is never silently dropped.
                    Method::CostPerQualityPoint => {
                        if *quality <= 0.0 {
                            return None;
                        }
                        c / quality
                    }
                })
            })
            .collect()
    }

    /// How price is scored, in the words the notice and letters use.
    pub fn describe(&self, weight: f64) -> String {
        let w = crate::domain::scale::fmt_number(weight);
        let n = crate::domain::scale::fmt_number;
        match self.method {
            Method::LowestOverBid => format!(
                "The lowest whole-life cost among the tenders that pass scores {w}; every other tender scores {w} x (lowest whole-life cost / its whole-life cost)."
            ),
            Method::RelativeToMean => format!(
                "The mean whole-life cost of the tenders that pass scores {}% of {w}; a tender gains {}% of {w} for each 1% its whole-life cost is below the mean, and loses as much for each 1% above it, between 0 and {w}.",
                n(self.mean_score),
                n(self.marks_per_percent)
            ),
            Method::Linear => match self.budget {
                Some(b) => format!(
                    "The lowest whole-life cost among the tenders that pass scores {w}; a whole-life cost of {} (the budget) or more scores 0; scores between fall on a straight line.",
                    self.currency.fmt(b)
                ),
                None => format!(
                    "The lowest whole-life cost among the tenders that pass scores {w} and the highest scores 0; scores between fall on a straight line."
                ),
            },
            Method::Graduated => format!(
                "Graduated Pricing Mechanism (Scottish Government CPN 3/2024): each tender starts at 100 marks and loses {} for each percentage point its whole-life cost is above the lowest, up to the point of inflection (the median of the qualifying tenders, leaving out abnormally low and disqualified tenders, plus {}%), and {} for each percentage point beyond it; the marks are scaled to {w}.",
                marks(self.rate),
                n(self.inflection_margin),
                marks(self.rate_beyond)
            ),
            Method::CostPerQualityPoint => {
                "Each tender's whole-life cost is divided by its quality score (out of 100); the lowest cost per quality point wins. The price:quality split is not used.".to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(method: Method) -> PriceDef {
        PriceDef { method, ..PriceDef::default() }
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    const ALL: [bool; 4] = [true; 4];
    const Q: [f64; 4] = [80.0, 60.0, 50.0, 40.0];

    #[test]
    fn lowest_over_bid_by_hand() {
        // 100, 125, 200, 400 with weight 40: 40, 32, 20, 10.
        let s = def(Method::LowestOverBid).scores(&[Some(100.0), Some(125.0), Some(200.0), Some(400.0)], &ALL, &Q, 40.0);
        for (got, want) in s.iter().zip([40.0, 32.0, 20.0, 10.0]) {
            assert!(close(*got, want), "{s:?}");
        }
        // A failed bid is not scored and does not set the lowest.
        let s = def(Method::LowestOverBid).scores(&[Some(50.0), Some(100.0), None, Some(200.0)], &[false, true, true, true], &Q, 40.0);
        assert_eq!(s[0], None);
        assert!(close(s[1], 40.0) && s[2].is_none() && close(s[3], 20.0));
    }

    #[test]
    fn relative_to_mean_by_hand() {
        // Mean of 80, 100, 120 is 100: 80 is 20% below (50 + 2 x 20 = 90% of 40 = 36); 120 is 20%
        // above (50 - 40 = 10% of 40 = 4); 100 scores 20.
        let d = PriceDef { method: Method::RelativeToMean, mean_score: 50.0, marks_per_percent: 2.0, ..PriceDef::default() };
        let s = d.scores(&[Some(80.0), Some(100.0), Some(120.0), None], &ALL, &Q, 40.0);
        assert!(close(s[0], 36.0) && close(s[1], 20.0) && close(s[2], 4.0), "{s:?}");
        // Clamped: 50% below the mean would be 150% of the weighting.
        let s = d.scores(&[Some(50.0), Some(150.0), None, None], &ALL, &Q, 40.0);
        assert!(close(s[0], 40.0) && close(s[1], 0.0), "{s:?}");
    }

    #[test]
    fn linear_by_hand() {
        // Lowest 100 scores 40, highest 200 scores 0, 150 halfway.
        let s = def(Method::Linear).scores(&[Some(100.0), Some(150.0), Some(200.0), None], &ALL, &Q, 40.0);
        assert!(close(s[0], 40.0) && close(s[1], 20.0) && close(s[2], 0.0), "{s:?}");
        // A budget of 300: 200 scores 40 x 100/200 = 20; above the budget, 0.
        let d = PriceDef { method: Method::Linear, budget: Some(300.0), ..PriceDef::default() };
        let s = d.scores(&[Some(100.0), Some(200.0), Some(350.0), None], &ALL, &Q, 40.0);
        assert!(close(s[0], 40.0) && close(s[1], 20.0) && close(s[2], 0.0), "{s:?}");
        // A single bid, and bids all equal: full marks.
        let s = def(Method::Linear).scores(&[Some(100.0), None, None, None], &ALL, &Q, 40.0);
        assert!(close(s[0], 40.0));
        let s = def(Method::Linear).scores(&[Some(100.0), Some(100.0), None, None], &ALL, &Q, 40.0);
        assert!(close(s[0], 40.0) && close(s[1], 40.0));
    }

    #[test]
    fn graduated_by_hand() {
        // Bids 1000, 1050, 1100, 1200: median 1075, point of inflection 1075 x 1.025 = 1101.875,
        // 10.1875% above the lowest. 1050 is 5% above: 100 - 0.1 x 5 = 99.5 marks; 1100 is 10%
        // above: 99; 1200 is 20% above: 100 - 0.1 x 10.1875 - 1 x 9.8125 = 89.16875. Weight 50
        // halves them.
        let s = def(Method::Graduated).scores(&[Some(1000.0), Some(1050.0), Some(1100.0), Some(1200.0)], &ALL, &Q, 50.0);
        for (got, want) in s.iter().zip([50.0, 49.75, 49.5, 44.584375]) {
            assert!(close(*got, want), "{s:?}");
        }
        // An abnormally low bid (by the mean test, 1000 against a mean of 1266.67 for the others)
        // is left out of the median: the median of 1100, 1200, 1500 is 1200, the point of
        // inflection 1230 (23% above the lowest), so 1200 (20% above) loses only 2 marks: 98 -> 49.
        let by_mean = PriceDef { abnormally_low: AbnormallyLowTest::BelowMean, ..def(Method::Graduated) };
        let s = by_mean.scores(&[Some(1000.0), Some(1100.0), Some(1200.0), Some(1500.0)], &ALL, &Q, 50.0);
        assert!(close(s[2], 49.0), "{s:?}");
    }

    #[test]
    fn cost_per_quality_point_by_hand() {
        let s = def(Method::CostPerQualityPoint).scores(
            &[Some(800.0), Some(600.0), Some(500.0), Some(0.0)],
            &ALL,
            &[80.0, 60.0, 0.0, 40.0],
            0.0,
        );
        assert!(close(s[0], 10.0) && close(s[1], 10.0) && s[2].is_none() && close(s[3], 0.0), "{s:?}");
    }

    #[test]
    fn abnormally_low_tests() {
        // The default, the handbook's median test. 70, 95, 100, 105: median 97.5, boundary
        // 82.875; 70 is below it and more than 1% below the lowest qualifying price (95): flagged.
        let d = PriceDef::default();
        assert_eq!(d.abnormally_low(&[Some(70.0), Some(95.0), Some(100.0), Some(105.0)], &ALL), [true, false, false, false]);
        // Issue 31 item 11, as on a real nine-bid tab: the three lowest within 3.8% of each other
        // and one bid far above the rest. The mean of the others (about 167 for each) is lifted by
        // the 600 so far that every other bid falls more than 15% below it; the median (105)
        // barely moves, its boundary is 89.25, and no bid is below it.
        let tab = [100.0, 102.0, 103.8, 105.0, 105.0, 108.0, 110.0, 112.0, 600.0].map(Some);
        let all9 = [true; 9];
        assert_eq!(d.abnormally_low(&tab, &all9), [false; 9]);
        let by_mean = PriceDef { abnormally_low: AbnormallyLowTest::BelowMean, ..PriceDef::default() };
        assert_eq!(by_mean.abnormally_low(&tab, &all9), [true, true, true, true, true, true, true, true, false]);
        // The proximity margin: two bids close together far below the rest are both flagged (each
        // more than 1% below the lowest qualifying price, 100); a bid within 1% of the lowest
        // qualifying price is not, however far below the median it falls.
        let both = [70.0, 70.5, 100.0, 101.0, 102.0].map(Some);
        assert_eq!(d.abnormally_low(&both, &[true; 5]), [true, true, false, false, false]);
        // Median 130, boundary 110.5: 110 is below it, but the lowest qualifying price is 111 and
        // 110 is only 0.9% below that: not flagged.
        let within = [Some(110.0), Some(111.0), Some(130.0), Some(131.0), Some(132.0)];
        assert_eq!(d.abnormally_low(&within, &[true; 5]), [false; 5]);
        // 70 is 30% below the mean of the others (100): flagged at 15%; 95 is not.
        assert_eq!(by_mean.abnormally_low(&[Some(70.0), Some(95.0), Some(100.0), Some(105.0)], &ALL), [true, false, false, false]);
        // The 2019 handbook's test: adjusted average (without the highest, 200) of 80, 100, 100 is
        // 93.33; 80 is 14.3% below it: not flagged. 70 vs 90, 100 (adjusted average 86.67, 0.85 of
        // it 73.67) and the lowest qualifying price 90: flagged.
        let d = PriceDef { abnormally_low: AbnormallyLowTest::ConstructionHandbook, ..PriceDef::default() };
        assert_eq!(d.abnormally_low(&[Some(80.0), Some(100.0), Some(100.0), Some(200.0)], &ALL), [false; 4]);
        assert_eq!(d.abnormally_low(&[Some(70.0), Some(90.0), Some(100.0), Some(200.0)], &ALL), [true, false, false, false]);
        // Two low bids within 1% of each other: the next lowest would clear the first; the lowest
        // qualifying price (100) flags both.
        // (adjusted average of 70, 70.5, 100, 100 is 85.125, its boundary 72.36).
        let pair = [70.0, 70.5, 100.0, 100.0, 200.0].map(Some);
        assert_eq!(d.abnormally_low(&pair, &[true; 5]), [true, true, false, false, false]);
        // One bid: nothing to compare with.
        for test in AbnormallyLowTest::ALL {
            let d = PriceDef { abnormally_low: test, ..PriceDef::default() };
            assert_eq!(d.abnormally_low(&[Some(1.0), None, None, None], &ALL), [false; 4]);
        }
    }

    #[test]
    fn every_method_with_one_bid_or_all_bids_equal() {
        // One bid: the lowest, the mean, the median and the highest are all that bid: full marks
        // (linear's ceiling is the bid itself); cost per point is cost / quality.
        for method in METHODS {
            let one = def(method).scores(&[Some(500.0), None, None, None], &ALL, &Q, 40.0);
            let want = match method {
                Method::CostPerQualityPoint => 500.0 / 80.0,
                Method::RelativeToMean => 20.0, // the mean scores 50% of the weighting
                _ => 40.0,
            };
            assert!(close(one[0], want), "{method:?}: {one:?}");
            assert!(one[1..].iter().all(Option::is_none), "{method:?}: bids without a price are not scored");
            // All equal: every bid scores the same (a tie), whatever the method.
            let equal = def(method).scores(&[Some(500.0); 4], &ALL, &[60.0; 4], 40.0);
            assert!(equal.iter().all(|s| close(*s, want_equal(method))), "{method:?}: {equal:?}");
        }
        fn want_equal(method: Method) -> f64 {
            match method {
                Method::CostPerQualityPoint => 500.0 / 60.0,
                Method::RelativeToMean => 20.0,
                _ => 40.0,
            }
        }
    }

    #[test]
    fn tied_prices_score_the_same() {
        for method in METHODS {
            let s = def(method).scores(&[Some(100.0), Some(150.0), Some(150.0), Some(200.0)], &ALL, &[50.0; 4], 40.0);
            assert_eq!(s[1], s[2], "{method:?}");
        }
    }

    #[test]
    fn a_zero_or_negative_price_is_refused_naming_the_method() {
        use crate::domain::matrix::Entry;
        use crate::domain::validate::{Stage, tests::sample, validate};
        for method in METHODS {
            let mut m = sample();
            m.price = def(method);
            // Beta's costs sum to 0; Gamma's to -100 (a resale value above the other costs).
            for (b, amounts) in [(1, [0.0, 0.0, 0.0]), (2, [0.0, 0.0, -100.0])] {
                for (cost, a) in m.bids[b].costs.iter_mut().zip(amounts) {
                    cost.amount = Entry::Number(a);
                }
            }
            let refused: Vec<String> = validate(&m, Stage::Draft)
                .into_iter()
                .filter(|f| f.rule == crate::domain::Rule::WholeLifeCostNotPositive && f.severity == crate::domain::Severity::Error)
                .map(|f| f.message)
                .collect();
            assert_eq!(refused.len(), 2, "{method:?}: {refused:?}");
            assert!(refused[0].starts_with("Beta plc: whole-life cost is 0;") && refused[0].contains(method.key()), "{refused:?}");
            assert!(refused[1].starts_with("Gamma LLP: whole-life cost is -100;"), "{refused:?}");
        }
    }

    proptest::proptest! {
        /// On price alone, lowest-over-bid and linear never score a dearer bid above a cheaper one.
        #[test]
        fn a_dearer_bid_never_outscores_a_cheaper_one(
            costs in proptest::collection::vec(1.0f64..1e9, 1..30),
            budget in proptest::option::of(1.0f64..2e9),
        ) {
            let priced: Vec<Option<f64>> = costs.iter().copied().map(Some).collect();
            let all = vec![true; costs.len()];
            let quality = vec![50.0; costs.len()];
            for d in [def(Method::LowestOverBid), PriceDef { method: Method::Linear, budget, ..PriceDef::default() }] {
                let s = d.scores(&priced, &all, &quality, 40.0);
                for i in 0..costs.len() {
                    for j in 0..costs.len() {
                        if costs[i] > costs[j] {
                            proptest::prop_assert!(s[i].unwrap() <= s[j].unwrap() + 1e-12, "{:?}: {} scores {:?} above {} at {:?}", d.method, costs[i], s[i], costs[j], s[j]);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod parameter_tests {
    use super::*;
    use proptest::prelude::*;

    fn extreme() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(-1e308),
            Just(-50.0),
            Just(-5.0),
            Just(-1.0),
            Just(0.0),
            Just(1e-300),
            Just(0.1),
            Just(1.0),
            Just(50.0),
            Just(100.0),
            Just(101.0),
            Just(1e308),
            Just(f64::INFINITY),
            Just(f64::NAN),
            -1e6..1e6f64,
        ]
    }

    fn method() -> impl Strategy<Value = Method> {
        prop::sample::select(METHODS.to_vec())
    }

    proptest! {
        /// Issue 33 item 3: a price definition either has a parameter out of its range (and
        /// validate refuses it), or every price score it gives is a finite number from 0 to the
        /// weighting, whatever the costs (between a penny and the largest amount that is a price).
        #[test]
        fn parameters_in_range_give_finite_scores_within_the_weighting(
            method in method(),
            mean_score in extreme(), marks_per_percent in extreme(), budget in extreme(), rate in extreme(),
            rate_beyond in extreme(), inflection_margin in extreme(), abnormally_low_percent in extreme(),
            costs in prop::collection::vec(0.01..1e15f64, 1..8),
            weight in 0.0..=100.0f64,
            abnormally_low in prop::sample::select(AbnormallyLowTest::ALL.to_vec()),
        ) {
            let p = PriceDef {
                method, mean_score, marks_per_percent, budget: Some(budget), rate, rate_beyond, inflection_margin,
                abnormally_low, abnormally_low_percent, currency: Default::default(),
            };
            let bad = p.out_of_range();
            for (r, v) in &bad {
                prop_assert!(!r.contains(*v));
            }
            if bad.is_empty() && method != Method::CostPerQualityPoint {
                let costs: Vec<Option<f64>> = costs.into_iter().map(Some).collect();
                let q = vec![true; costs.len()];
                let quality = vec![50.0; costs.len()];
                for s in p.scores(&costs, &q, &quality, weight).into_iter().flatten() {
                    prop_assert!(s.is_finite() && (0.0..=weight + 1e-9).contains(&s), "{method:?} gave {s} of {weight}");
                }
                prop_assert!(p.abnormally_low(&costs, &q).len() == costs.len());
            }
        }
    }

    /// Issue 33 item 1: the linear method with a budget, for a budget above, equal to and below the
    /// lowest bid: above, a straight line from the lowest (the weighting) to the budget (0); at or
    /// below, every bid is at or above the price that scores 0 and scores 0 (validate refuses it).
    #[test]
    fn linear_with_a_budget_in_every_case() {
        let p = |budget| PriceDef { method: Method::Linear, budget: Some(budget), ..PriceDef::default() };
        let costs = [Some(100.0), Some(150.0), Some(250.0)];
        let q = [true; 3];
        let s = p(200.0).scores(&costs, &q, &[50.0; 3], 40.0);
        assert_eq!(s, vec![Some(40.0), Some(20.0), Some(0.0)], "the dearest, above the budget, scores 0");
        for budget in [100.0, 90.0] {
            assert_eq!(p(budget).scores(&costs, &q, &[50.0; 3], 40.0), vec![Some(0.0); 3], "budget {budget}: never the dearest winning");
        }
        // With no budget the highest bid is the ceiling; bids all at one price score the weighting.
        let none = PriceDef { method: Method::Linear, ..PriceDef::default() };
        assert_eq!(none.scores(&costs, &q, &[50.0; 3], 40.0)[1], Some(40.0 * 100.0 / 150.0));
        assert_eq!(none.scores(&[Some(5.0), Some(5.0)], &[true; 2], &[1.0; 2], 40.0), vec![Some(40.0); 2]);
    }
}
