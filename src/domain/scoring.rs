//! The arithmetic of the Evaluation Matrix: weighted scores, quality totals, price scores from
//! whole-life costs, totals and ranks. Each figure is computed exactly as the workbook's formula
//! computes it, so the cached values we write agree with a spreadsheet's own recalculation.

use serde::Serialize;

use crate::domain::finding::Finding;
use crate::domain::matrix::Matrix;
use crate::domain::price::PriceDef;
use crate::domain::scale::fmt_number;
use crate::domain::validate::{Stage, validate};

/// Totals closer than this are a tie: equal to six decimal places. Floating-point sums of the
/// same scores in a different order may differ in the 15th digit; no buyer means that as a lead.
/// The workbook's rank formula uses the same tolerance (`COUNTIFS(..., ">"&(E4+0.0000005))`).
pub const TIE_TOLERANCE: f64 = 0.000_000_5;

/// Why a bid fails, leaving it out of the ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Failure {
    /// Scored below a criterion's pass mark.
    PassMark { criterion: usize, score: f64, pass_mark: f64 },
    /// Quality score (out of 100) below the tender's minimum.
    MinimumQuality { quality: f64, minimum: f64 },
    /// Cost per quality point: a quality score of 0 has no cost per point to rank by.
    NoQualityScore,
}

/// Every figure the matrix's formulas produce. `None` where the formula shows a blank: a score
/// not yet entered, a bid without costs, a failed bid's price score, total and rank.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Figures {
    /// Per criterion: section weight x criterion weight / 100.
    pub effective_weights: Vec<Option<f64>>,
    /// Sum of the effective weights (100 in a valid matrix).
    pub total_weight: f64,
    pub bids: Vec<BidFigures>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BidFigures {
    /// Per criterion: score / scale maximum x effective weight.
    pub weighted: Vec<Option<f64>>,
    /// Sum of the weighted scores, out of 100.
    pub quality: f64,
    /// `quality` scaled to the quality share of the split.
    pub quality_weighted: f64,
    /// Acquisition + operating + end-of-life.
    pub whole_life_cost: Option<f64>,
    /// Lowest whole-life cost of the bids that pass / this whole-life cost x price share.
    pub price_score: Option<f64>,
    /// Weighted quality + price score.
    pub total: Option<f64>,
    /// 1 is best; tied bids share a rank and the next rank is skipped (1, 1, 3).
    pub rank: Option<usize>,
    /// Pass marks missed and minimum standards not met; empty for a bid that passes.
    pub failures: Vec<Failure>,
    /// Flagged by the tender's abnormally-low-tender test: the bidder must be asked to explain.
    pub abnormally_low: bool,
}

impl BidFigures {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// How many criteria the bid scored below the pass mark on.
    pub fn below_pass_mark(&self) -> usize {
        self.failures.iter().filter(|f| matches!(f, Failure::PassMark { .. })).count()
    }
}

/// Scores closer than this to a pass mark meet it (a mean of 2.9999999999 is 3).
pub const AT_PASS_MARK: f64 = 1e-9;

/// A score below its pass mark fails the bid (a score within [`AT_PASS_MARK`] of it meets it).
pub fn below_pass_mark(score: f64, pass_mark: f64) -> bool {
    score < pass_mark - AT_PASS_MARK
}

/// A quality score (out of 100) below the minimum quality score fails the bid.
pub fn below_minimum(quality: f64, minimum: f64) -> bool {
    quality < minimum - AT_PASS_MARK
}

/// Computes every figure, leaving blanks where the matrix has gaps. For a decision, use
/// [`evaluate`], which refuses a matrix with errors or gaps.
pub fn compute(m: &Matrix) -> Figures {
    let (min, max) = (m.scale.min(), m.scale.max());
    // Less is better: the scale read backwards (min + max - score), so the lowest score counts as
    // the highest would, and score / max weights it as every other criterion.
    let lower: Vec<bool> = m.criteria().map(|(_, c)| c.lower_is_better).collect();
    let effective_weights: Vec<Option<f64>> =
        m.criteria().map(|(s, c)| Some(m.sections[s].weight.number()? * c.weight.number()? / 100.0)).collect();
    let pass_marks: Vec<Option<f64>> = m.criteria().map(|(_, c)| c.pass_mark.number()).collect();
    let quality_share = m.split.quality.number().unwrap_or(0.0);
    let price_share = m.split.price.number().unwrap_or(0.0);
    let mut bids: Vec<BidFigures> = m
        .bids
        .iter()
        .map(|bid| {
            let weighted: Vec<Option<f64>> =
                bid.scores
                    .iter()
                    .zip(&effective_weights)
                    .zip(&lower)
                    .map(|((score, w), lower)| {
                        let s = score.number()?;
                        Some(if *lower { (min + max - s) / max * (*w)? } else { s / max * (*w)? })
                    })
                    .collect();
            // A fold from 0.0: an empty float sum is -0.0, which prints as "-0.00".
            let quality = weighted.iter().flatten().fold(0.0, |a, b| a + b);
            let mut failures: Vec<Failure> = bid
                .scores
                .iter()
                .zip(&pass_marks)
                .zip(&lower)
                .enumerate()
                .filter_map(|(criterion, ((score, pm), lower))| {
                    let (score, pass_mark) = (score.number()?, (*pm)?);
                    // Where less is better, a score above the pass mark is the one that fails.
                    let fails = if *lower { below_pass_mark(-score, -pass_mark) } else { below_pass_mark(score, pass_mark) };
                    fails.then_some(Failure::PassMark { criterion, score, pass_mark })
                })
                .collect();
            if let Some(minimum) = m.minimum_quality.number().filter(|min| below_minimum(quality, *min)) {
                failures.push(Failure::MinimumQuality { quality, minimum });
            }
            if m.price.per_point() && quality <= 0.0 && failures.is_empty() {
                failures.push(Failure::NoQualityScore);
            }
            let amounts: Vec<f64> = bid.costs.iter().filter_map(|c| c.amount.number()).collect();
            BidFigures {
                weighted,
                quality,
                quality_weighted: quality * quality_share / 100.0,
                whole_life_cost: (!amounts.is_empty()).then(|| amounts.iter().sum()),
                price_score: None,
                total: None,
                rank: None,
                failures,
                abnormally_low: false,
            }
        })
        .collect();
    // Price scores and ranks are among the bids that pass: a failed bid is out of the competition.
    let costs: Vec<Option<f64>> = bids.iter().map(|b| b.whole_life_cost).collect();
    let qualifying: Vec<bool> = bids.iter().map(BidFigures::passed).collect();
    let quality: Vec<f64> = bids.iter().map(|b| b.quality).collect();
    let (scores, totals) = price_and_totals(&m.price, &costs, &qualifying, &quality, (price_share, quality_share));
    let flagged = m.price.abnormally_low(&costs, &qualifying);
    for (((b, score), total), alt) in bids.iter_mut().zip(scores).zip(&totals).zip(flagged) {
        b.abnormally_low = alt;
        if b.passed() {
            b.price_score = score;
            b.total = *total;
        }
    }
    for (b, r) in bids.iter_mut().zip(rank(&merits(&m.price, &totals))) {
        b.rank = r;
    }
    let total_weight = effective_weights.iter().flatten().sum();
    Figures { effective_weights, total_weight, bids }
}

/// Each bid's price score and total, for the bids that pass (`qualifying`): the one rule
/// [`compute`] and `sensitivity` share. Cost per quality point ranks by the cost alone; the other
/// methods add the quality part (its share of 100 points) and the price score.
pub fn price_and_totals(
    price: &PriceDef,
    costs: &[Option<f64>],
    qualifying: &[bool],
    quality: &[f64],
    (price_share, quality_share): (f64, f64),
) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let scores = price.scores(costs, qualifying, quality, price_share);
    let per_point = price.per_point();
    let totals = scores
        .iter()
        .zip(qualifying)
        .zip(quality)
        .map(|((score, q), quality)| {
            q.then(|| if per_point { *score } else { Some(quality * quality_share / 100.0 + score.unwrap_or(0.0)) }).flatten()
        })
        .collect();
    (scores, totals)
}

/// Totals as merits, higher the better: the lowest cost per quality point ranks first.
pub fn merits(price: &PriceDef, totals: &[Option<f64>]) -> Vec<Option<f64>> {
    let per_point = price.per_point();
    totals.iter().map(|t| t.map(|t| if per_point { -t } else { t })).collect()
}

/// Competition ranking of the totals that are present: 1 is the highest; totals within
/// [`TIE_TOLERANCE`] of each other share a rank and the ranks after them are skipped.
pub fn rank(totals: &[Option<f64>]) -> Vec<Option<usize>> {
    totals.iter().map(|t| t.map(|t| 1 + totals.iter().flatten().filter(|o| **o > t + TIE_TOLERANCE).count())).collect()
}

/// A bid's place in the ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Standing {
    pub bid: usize,
    pub bidder: String,
    pub rank: usize,
    /// Shares its rank with another bid.
    pub tied: bool,
    pub quality: f64,
    pub quality_weighted: f64,
    pub whole_life_cost: f64,
    pub price_score: f64,
    pub total: f64,
    /// Flagged by the tender's abnormally-low test: the bidder must be asked to explain.
    pub abnormally_low: bool,
}

/// A bid left out of the ranking, with every reason.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FailedBid {
    pub bid: usize,
    pub bidder: String,
    pub quality: f64,
    pub failures: Vec<Failure>,
    /// The reasons in words: "criterion 1.2 'Staffing': scored 1, below the pass mark of 2".
    pub reasons: Vec<String>,
}

/// The decision: bids in rank order, the bids that failed, and the Most Economically
/// Advantageous Tender.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranking {
    pub standings: Vec<Standing>,
    pub failed: Vec<FailedBid>,
    /// Indices of the bids ranked first: one bid is the MEAT; more than one is a tie to resolve.
    pub meat: Vec<usize>,
}

/// How price is scored, in the words the notice and the letters use (the rule [`compute`]
/// applies).
pub fn price_rule(price: &crate::domain::price::PriceDef, price_weight: f64) -> String {
    price.describe(price_weight)
}

/// Validates for the award and, only if there are no errors, computes the figures and ranking.
/// Warnings come back with the result; errors come back instead of it.
pub fn evaluate(m: &Matrix) -> Result<(Figures, Ranking, Vec<Finding>), Vec<Finding>> {
    let findings = validate(m, Stage::Award);
    if findings.iter().any(Finding::is_error) {
        return Err(findings);
    }
    let figures = compute(m);
    let ranking = ranking(m, &figures);
    Ok((figures, ranking, findings))
}

/// A failure in words, for reports and letters.
pub fn describe_failure(m: &Matrix, f: &Failure) -> String {
    match f {
        Failure::PassMark { criterion, score, pass_mark } => {
            let c = m.criteria().nth(*criterion).map(|(_, c)| c);
            let name = c.map(|c| format!("{} '{}'", c.reference, c.title)).unwrap_or_default();
            format!("criterion {name}: scored {}, below the pass mark of {}", fmt_number(*score), fmt_number(*pass_mark))
        }
        Failure::MinimumQuality { quality, minimum } => {
            format!("quality score {} out of 100, below the minimum of {}", crate::domain::figure::fixed(*quality, 2), fmt_number(*minimum))
        }
        Failure::NoQualityScore => {
            "a quality score of 0: price is ranked by cost per quality point, which a score of 0 cannot give, so the bid cannot be ranked"
                .into()
        }
    }
}

pub fn ranking(m: &Matrix, f: &Figures) -> Ranking {
    let mut standings: Vec<Standing> = f
        .bids
        .iter()
        .enumerate()
        .filter_map(|(b, x)| {
            let rank = x.rank?;
            Some(Standing {
                bid: b,
                bidder: m.bids[b].bidder.trim().to_string(),
                rank,
                tied: f.bids.iter().filter(|o| o.rank == Some(rank)).count() > 1,
                quality: x.quality,
                quality_weighted: x.quality_weighted,
                whole_life_cost: x.whole_life_cost.unwrap_or(0.0),
                price_score: x.price_score.unwrap_or(0.0),
                total: x.total.unwrap_or(0.0),
                abnormally_low: x.abnormally_low,
            })
        })
        .collect();
    standings.sort_by_key(|s| (s.rank, s.bid));
    let failed = f
        .bids
        .iter()
        .enumerate()
        .filter(|(_, x)| !x.passed())
        .map(|(b, x)| FailedBid {
            bid: b,
            bidder: m.bids[b].bidder.trim().to_string(),
            quality: x.quality,
            failures: x.failures.clone(),
            reasons: x.failures.iter().map(|fl| describe_failure(m, fl)).collect(),
        })
        .collect();
    let meat = standings.iter().filter(|s| s.rank == 1).map(|s| s.bid).collect();
    Ranking { standings, failed, meat }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::matrix::Entry;
    use crate::domain::validate::tests::sample;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn lower_is_better_reads_the_scale_backwards_and_fails_above_its_pass_mark() {
        let mut m = sample();
        let c = &mut m.sections[0].criteria[1];
        c.lower_is_better = true;
        c.pass_mark = Entry::Number(2.0);
        let f = compute(&m);
        // Criterion 1.2 (effective weight 30) on 0-4: Alpha's 3 counts (0 + 4 - 3) / 4 x 30 = 7.5,
        // and is above the pass mark of 2, so Alpha fails; Gamma's 2 counts 15 and passes.
        let (alpha, gamma) = (&f.bids[0], &f.bids[2]);
        assert_eq!((alpha.weighted[1], gamma.weighted[1]), (Some(7.5), Some(15.0)));
        assert!(alpha.failures.iter().any(|x| matches!(x, Failure::PassMark { criterion: 1, .. })));
        assert!(!gamma.failures.iter().any(|x| matches!(x, Failure::PassMark { criterion: 1, .. })));
    }

    #[test]
    fn weighted_scores_follow_the_matrix_formula() {
        let f = compute(&sample());
        assert_eq!(f.effective_weights, vec![Some(30.0), Some(30.0), Some(40.0)]);
        assert!(close(f.total_weight, 100.0));
        // Alpha: 4/4*30 + 3/4*30 + 2/4*40 = 30 + 22.5 + 20
        let a = &f.bids[0];
        assert_eq!(a.weighted, vec![Some(30.0), Some(22.5), Some(20.0)]);
        assert!(close(a.quality, 72.5));
        assert!(close(a.quality_weighted, 43.5));
        // Whole-life costs 1500, 1450 (end-of-life income of 50), 1700.
        assert_eq!(f.bids.iter().map(|b| b.whole_life_cost).collect::<Vec<_>>(), vec![Some(1500.0), Some(1450.0), Some(1700.0)]);
        assert!(close(f.bids[1].price_score.unwrap(), 40.0));
        assert!(close(a.price_score.unwrap(), 1450.0 / 1500.0 * 40.0));
        assert!(close(a.total.unwrap(), 43.5 + 1450.0 / 1500.0 * 40.0));
    }

    #[test]
    fn ranks_are_competition_ranks_with_ties() {
        let r = |t: &[f64]| rank(&t.iter().map(|&x| Some(x)).collect::<Vec<_>>()).into_iter().map(Option::unwrap).collect::<Vec<_>>();
        assert_eq!(r(&[50.0, 70.0, 60.0]), vec![3, 1, 2]);
        assert_eq!(r(&[70.0, 70.0, 60.0]), vec![1, 1, 3]);
        assert_eq!(r(&[60.0, 70.0, 60.0, 10.0]), vec![2, 1, 2, 4]);
        // Equal up to floating-point noise is a tie; a real millionth of a point is not.
        assert_eq!(r(&[0.1 + 0.2, 0.3]), vec![1, 1]);
        assert_eq!(r(&[80.000001, 80.0]), vec![1, 2]);
        // Failed bids (no total) are not ranked and do not push others down.
        assert_eq!(rank(&[Some(50.0), None, Some(60.0)]), vec![Some(2), None, Some(1)]);
    }

    #[test]
    fn a_tie_for_first_has_no_single_meat() {
        let mut m = sample();
        let (_, r, _) = evaluate(&m).unwrap();
        assert_eq!(r.meat, vec![1], "Beta leads the sample");
        // Make Gamma identical to Beta: two bids share first place.
        m.bids[2].scores = m.bids[1].scores.clone();
        m.bids[2].costs = m.bids[1].costs.clone();
        let (_, r, _) = evaluate(&m).unwrap();
        assert_eq!(r.meat, vec![1, 2]);
        assert!(r.standings[0].tied && r.standings[1].tied);
        assert_eq!(r.standings.iter().map(|s| s.rank).collect::<Vec<_>>(), vec![1, 1, 3]);
    }

    #[test]
    fn evaluate_refuses_gaps_and_errors() {
        let mut m = sample();
        m.bids[0].scores[0] = Entry::Empty;
        assert!(evaluate(&m).is_err());
        let mut m = sample();
        m.bids[0].scores[0] = 9.0.into();
        assert!(evaluate(&m).is_err());
    }

    #[test]
    fn gaps_leave_blanks_not_errors() {
        let mut m = sample();
        m.bids[0].scores[0] = Entry::Empty;
        m.bids[1].costs.iter_mut().for_each(|c| c.amount = Entry::Empty);
        let f = compute(&m);
        assert_eq!(f.bids[0].weighted[0], None);
        assert!(close(f.bids[0].quality, 42.5));
        assert_eq!(f.bids[1].whole_life_cost, None);
        assert_eq!(f.bids[1].price_score, None);
        // The lowest whole-life cost is taken over the bids that have one.
        assert!(close(f.bids[0].price_score.unwrap(), 40.0));
    }

    #[test]
    fn a_bid_below_a_pass_mark_fails_and_is_not_ranked() {
        let mut m = sample();
        // Gamma scored 2 on 1.1; a pass mark of 3 there fails it.
        m.sections[0].criteria[0].pass_mark = 3.0.into();
        let (f, r, _) = evaluate(&m).unwrap();
        let gamma = &f.bids[2];
        assert_eq!(gamma.failures, vec![Failure::PassMark { criterion: 0, score: 2.0, pass_mark: 3.0 }]);
        assert_eq!((gamma.rank, gamma.total, gamma.price_score), (None, None, None));
        assert_eq!(r.standings.len(), 2);
        assert_eq!(r.failed[0].bidder, "Gamma LLP");
        assert_eq!(r.failed[0].reasons, vec!["criterion 1.1 'Criterion 1.1': scored 2, below the pass mark of 3"]);
        // Meeting the pass mark exactly passes.
        m.sections[0].criteria[0].pass_mark = 2.0.into();
        assert!(compute(&m).bids[2].passed());
    }

    #[test]
    fn a_failed_bid_does_not_set_the_lowest_price() {
        let mut m = sample();
        // Beta has the lowest whole-life cost (1450); failing it makes Alpha's 1500 the lowest.
        m.minimum_quality = 70.0.into();
        let f = compute(&m);
        // Beta: 3/4 of everything = 75; Gamma: 15 + 15 + 40 = 70 (meets it exactly); Alpha 72.5.
        assert!(f.bids.iter().all(|b| b.passed()));
        m.minimum_quality = 74.0.into();
        let f = compute(&m);
        assert!(f.bids[1].passed() && !f.bids[0].passed() && !f.bids[2].passed());
        assert!(close(f.bids[1].price_score.unwrap(), 40.0));
        m.minimum_quality = 76.0.into();
        let f = compute(&m);
        assert!(f.bids.iter().all(|b| !b.passed()));
        assert!(matches!(f.bids[1].failures[0], Failure::MinimumQuality { minimum, .. } if minimum == 76.0));
        m.minimum_quality = 72.0.into();
        let f = compute(&m);
        assert!(!f.bids[2].passed());
        assert!(close(f.bids[0].price_score.unwrap(), 1450.0 / 1500.0 * 40.0));
    }

    #[test]
    fn percentages_of_the_split_are_applied() {
        let mut m = sample();
        m.split.price = 20.0.into();
        m.split.quality = 80.0.into();
        let f = compute(&m);
        assert!(close(f.bids[0].quality_weighted, 72.5 * 0.8));
        assert!(close(f.bids[1].price_score.unwrap(), 20.0));
    }
}
