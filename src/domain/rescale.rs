//! Moving a matrix from one scoring scale to another (guidance, "Points to Note": the matrix is
//! built on 0-4, and with another range "the formula for the weighted score will have to be
//! amended"). A score keeps its share of the maximum: 3 of 4 becomes 75 of 100. Weighted scores
//! are score / maximum x weight, so they, the totals and the ranks do not change; [`differences`]
//! proves that for each rescale rather than assuming it.

use serde::Serialize;

use crate::domain::finding::{Finding, Rule};
use crate::domain::matrix::{Entry, Matrix};
use crate::domain::scale::Scale;
use crate::domain::scoring::Figures;
use crate::domain::validate::{Stage, validate};

/// One score moved to the new scale.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mapped {
    pub criterion: usize,
    pub bid: usize,
    pub from: f64,
    pub to: f64,
}

#[derive(Clone, Debug)]
pub struct Rescaled {
    /// The matrix on the new scale.
    pub matrix: Matrix,
    /// New score = old score x factor.
    pub factor: f64,
    pub mapped: Vec<Mapped>,
    /// Scores that land between the new scale's points: they need re-scoring.
    pub fractional: Vec<Mapped>,
}

#[derive(Debug)]
pub enum RescaleError {
    /// Scores that are not numbers on the current scale cannot be carried over.
    Unscaleable(Vec<Finding>),
    /// The new scale cannot hold these scores exactly (and fractional scores were not allowed).
    Fractional(Vec<Mapped>),
}

/// Maps every entered score onto `to`. Fails if a score is not on the current scale, or, unless
/// `allow_fractional`, if a mapped score is not one of the new scale's points.
pub fn rescale(m: &Matrix, to: &Scale, allow_fractional: bool) -> Result<Rescaled, RescaleError> {
    let bad: Vec<Finding> =
        validate(m, Stage::Draft).into_iter().filter(|f| matches!(f.rule, Rule::ScoreOffScale | Rule::ScoreNotNumber)).collect();
    if !bad.is_empty() {
        return Err(RescaleError::Unscaleable(bad));
    }
    let factor = to.max() / m.scale.max();
    let mut matrix = m.clone();
    matrix.scale = to.clone();
    // A pass mark is a score too: it keeps its share of the maximum.
    for c in matrix.sections.iter_mut().flat_map(|s| s.criteria.iter_mut()) {
        if let Entry::Number(pm) = c.pass_mark {
            c.pass_mark = Entry::Number(to.point(pm * factor).map_or(pm * factor, |p| p.value));
        }
    }
    let (mut mapped, mut fractional) = (Vec::new(), Vec::new());
    for (b, bid) in matrix.bids.iter_mut().enumerate() {
        for (i, score) in bid.scores.iter_mut().enumerate() {
            let Entry::Number(from) = *score else { continue };
            let raw = from * factor;
            // Land exactly on the point when within rounding of it (3 x 25 is 75, not 74.99...).
            let (to_value, on_scale) = match to.point(raw) {
                Some(p) => (p.value, true),
                None => (raw, false),
            };
            let entry = Mapped { criterion: i, bid: b, from, to: to_value };
            if !on_scale {
                fractional.push(entry.clone());
            }
            mapped.push(entry);
            *score = Entry::Number(to_value);
        }
    }
    if !fractional.is_empty() && !allow_fractional {
        return Err(RescaleError::Fractional(fractional));
    }
    Ok(Rescaled { matrix, factor, mapped, fractional })
}

/// A figure that differs between two computations of the same bids.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    pub bid: usize,
    /// `None` for a bid-level figure (quality, total, rank).
    pub criterion: Option<usize>,
    pub what: &'static str,
    pub before: Option<f64>,
    pub after: Option<f64>,
}

/// Every weighted score, quality total, price score, total and rank that differs by more than
/// 1e-9 between `before` and `after`.
pub fn differences(before: &Figures, after: &Figures) -> Vec<Difference> {
    let differs = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() > 1e-9,
        (None, None) => false,
        _ => true,
    };
    let mut out = Vec::new();
    for (bid, (x, y)) in before.bids.iter().zip(&after.bids).enumerate() {
        for (i, (a, b)) in x.weighted.iter().zip(&y.weighted).enumerate() {
            if differs(*a, *b) {
                out.push(Difference { bid, criterion: Some(i), what: "weighted score", before: *a, after: *b });
            }
        }
        for (what, a, b) in [
            ("quality score", Some(x.quality), Some(y.quality)),
            ("price score", x.price_score, y.price_score),
            ("total", x.total, y.total),
            ("rank", x.rank.map(|r| r as f64), y.rank.map(|r| r as f64)),
        ] {
            if differs(a, b) {
                out.push(Difference { bid, criterion: None, what, before: a, after: b });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::matrix::{Bid, Cost, CostComponent, Criterion, Section, Split};
    use crate::domain::scoring::compute;
    use crate::domain::validate::tests::sample;

    #[test]
    fn zero_to_four_becomes_zero_to_one_hundred_and_back() {
        let m = sample();
        let up = rescale(&m, &Scale::percentage(), false).unwrap();
        assert_eq!(up.factor, 25.0);
        assert_eq!(up.matrix.bids[0].scores, vec![Entry::Number(100.0), Entry::Number(75.0), Entry::Number(50.0)]);
        assert!(differences(&compute(&m), &compute(&up.matrix)).is_empty());
        let down = rescale(&up.matrix, &Scale::matrix(), false).unwrap();
        assert_eq!(down.matrix.bids, m.bids);
    }

    #[test]
    fn a_scale_that_cannot_hold_the_scores_is_refused_unless_allowed() {
        let m = sample();
        let five = Scale::parse("0-5").unwrap();
        let Err(RescaleError::Fractional(f)) = rescale(&m, &five, false) else { panic!("refused") };
        // 3 of 4 is 3.75 of 5; 4 of 4 is 5 and 2 of 4 is 2.5.
        assert!(f.contains(&Mapped { criterion: 1, bid: 0, from: 3.0, to: 3.75 }));
        assert!(!f.iter().any(|x| x.from == 4.0));
        let allowed = rescale(&m, &five, true).unwrap();
        assert_eq!(allowed.fractional, f);
        assert!(differences(&compute(&m), &compute(&allowed.matrix)).is_empty(), "weighted scores still unchanged");
    }

    #[test]
    fn scores_off_the_current_scale_are_not_carried_over() {
        let mut m = sample();
        m.bids[1].scores[0] = Entry::Number(7.0);
        assert!(matches!(rescale(&m, &Scale::percentage(), false), Err(RescaleError::Unscaleable(f)) if f.len() == 1));
    }

    #[test]
    fn differences_are_reported() {
        let m = sample();
        let mut other = m.clone();
        other.bids[2].scores[0] = Entry::Number(4.0);
        let d = differences(&compute(&m), &compute(&other));
        assert!(d.iter().any(|x| x.bid == 2 && x.criterion == Some(0) && x.what == "weighted score"));
        assert!(d.iter().any(|x| x.bid == 2 && x.what == "total"));
    }

    /// A random matrix: 1-4 sections of 1-5 criteria, 2-8 bids, scores on `scale`.
    fn matrix(scale: Scale) -> impl Strategy<Value = Matrix> {
        let points: Vec<f64> = scale.points().iter().map(|p| p.value).collect();
        (prop::collection::vec(prop::collection::vec(1u32..50, 1..5), 1..4), 2usize..8, 0u64..u64::MAX).prop_map(
            move |(sections, n_bids, seed)| {
                let mut state = seed | 1;
                let mut next = move || {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state
                };
                let section_total: u32 = sections.iter().map(|s| s.iter().sum::<u32>()).sum();
                let sections: Vec<Section> = sections
                    .iter()
                    .enumerate()
                    .map(|(s, ws)| {
                        let total: u32 = ws.iter().sum();
                        Section {
                            name: format!("S{s}"),
                            weight: Entry::Number(100.0 * f64::from(total) / f64::from(section_total)),
                            criteria: ws
                                .iter()
                                .enumerate()
                                .map(|(i, w)| Criterion {
                                    reference: format!("{s}.{i}"),
                                    title: String::new(),
                                    weight: Entry::Number(100.0 * f64::from(*w) / f64::from(total)),
                                    pass_mark: Entry::Empty,
                                    lower_is_better: false,
                                })
                                .collect(),
                        }
                    })
                    .collect();
                let n: usize = sections.iter().map(|s| s.criteria.len()).sum();
                let bids = (0..n_bids)
                    .map(|b| Bid {
                        bidder: format!("B{b}"),
                        scores: (0..n).map(|_| Entry::Number(points[(next() % points.len() as u64) as usize])).collect(),
                        costs: vec![Cost { component: CostComponent::Price, amount: Entry::Number(1000.0 + (next() % 100_000) as f64) }],
                    })
                    .collect();
                Matrix {
                    sections,
                    bids,
                    split: Split { price: Entry::Number(40.0), quality: Entry::Number(60.0) },
                    scale: scale.clone(),
                    commodity: None,
                    minimum_quality: Entry::Empty,
                    price: Default::default(),
                }
            },
        )
    }

    fn ranks(m: &Matrix) -> Vec<Option<usize>> {
        compute(m).bids.iter().map(|b| b.rank).collect()
    }

    proptest! {
        #[test]
        fn rank_order_is_invariant_under_any_linear_rescale(m in matrix(Scale::matrix()), max in 1u32..1000) {
            let to = Scale::from_values(&(0..=4).map(|k| f64::from(k) * f64::from(max) / 4.0).collect::<Vec<_>>()).unwrap();
            let r = rescale(&m, &to, true).unwrap();
            prop_assert_eq!(ranks(&m), ranks(&r.matrix));
            prop_assert!(differences(&compute(&m), &compute(&r.matrix)).is_empty());
        }

        #[test]
        fn weighted_scores_never_exceed_effective_weights(m in matrix(Scale::percentage())) {
            let f = compute(&m);
            for b in &f.bids {
                for (w, e) in b.weighted.iter().zip(&f.effective_weights) {
                    prop_assert!(w.unwrap() <= e.unwrap() + 1e-12);
                    prop_assert!(w.unwrap() >= 0.0);
                }
                prop_assert!(b.quality <= 100.0 + 1e-9);
            }
        }

        #[test]
        fn to_a_finer_scale_and_back_is_the_identity(m in matrix(Scale::matrix())) {
            let there = rescale(&m, &Scale::parse("0-8").unwrap(), false).unwrap();
            let back = rescale(&there.matrix, &Scale::matrix(), false).unwrap();
            prop_assert_eq!(back.matrix.bids, m.bids);
        }
    }
}
