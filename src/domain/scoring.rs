//! The arithmetic of the Evaluation Matrix: weighted scores, quality totals, price scores from
//! whole-life costs, totals and ranks. Each figure is computed exactly as the workbook's formula
//! computes it, so the cached values we write agree with a spreadsheet's own recalculation.

use serde::Serialize;

use crate::domain::finding::Finding;
use crate::domain::matrix::Matrix;
use crate::domain::validate::{Stage, validate};

/// Totals equal when rounded to this many decimal places are a tie. Floating-point sums of the
/// same scores in a different order may differ in the 15th digit; no buyer means that as a lead.
pub const TIE_DECIMALS: i32 = 6;

/// Every figure the matrix's formulas produce. `None` where the formula shows a blank: a score
/// not yet entered, a bid without costs.
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
    /// Lowest whole-life cost / this whole-life cost x price share.
    pub price_score: Option<f64>,
    /// Weighted quality + price score.
    pub total: f64,
    /// 1 is best; tied bids share a rank and the next rank is skipped (1, 1, 3).
    pub rank: usize,
}

/// Computes every figure, leaving blanks where the matrix has gaps. For a decision, use
/// [`evaluate`], which refuses a matrix with errors or gaps.
pub fn compute(m: &Matrix) -> Figures {
    let max = m.scale.max();
    let effective_weights: Vec<Option<f64>> =
        m.criteria().map(|(s, c)| Some(m.sections[s].weight.number()? * c.weight.number()? / 100.0)).collect();
    let quality_share = m.split.quality.number().unwrap_or(0.0);
    let price_share = m.split.price.number().unwrap_or(0.0);
    let whole_life: Vec<Option<f64>> = m
        .bids
        .iter()
        .map(|b| {
            let amounts: Vec<f64> = b.costs.iter().filter_map(|c| c.amount.number()).collect();
            (!amounts.is_empty()).then(|| amounts.iter().sum())
        })
        .collect();
    let lowest = whole_life.iter().flatten().copied().reduce(f64::min);
    let mut bids: Vec<BidFigures> = m
        .bids
        .iter()
        .zip(&whole_life)
        .map(|(bid, &whole_life_cost)| {
            let weighted: Vec<Option<f64>> =
                bid.scores.iter().zip(&effective_weights).map(|(score, w)| Some(score.number()? / max * (*w)?)).collect();
            let quality = weighted.iter().flatten().sum::<f64>();
            let quality_weighted = quality * quality_share / 100.0;
            let price_score = whole_life_cost.zip(lowest).map(|(wlc, low)| low / wlc * price_share);
            BidFigures {
                weighted,
                quality,
                quality_weighted,
                whole_life_cost,
                price_score,
                total: quality_weighted + price_score.unwrap_or(0.0),
                rank: 0,
            }
        })
        .collect();
    let ranks = rank(&bids.iter().map(|b| b.total).collect::<Vec<_>>());
    for (b, r) in bids.iter_mut().zip(ranks) {
        b.rank = r;
    }
    let total_weight = effective_weights.iter().flatten().sum();
    Figures { effective_weights, total_weight, bids }
}

/// Totals rounded as the workbook's rank formula rounds them (half away from zero).
pub fn tie_key(total: f64) -> f64 {
    let scale = 10f64.powi(TIE_DECIMALS);
    (total * scale).round() / scale
}

/// Competition ranking: 1 is the highest total; equal totals (to [`TIE_DECIMALS`]) share a
/// rank, and the ranks after them are skipped, as Excel's RANK does.
pub fn rank(totals: &[f64]) -> Vec<usize> {
    let keys: Vec<f64> = totals.iter().map(|&t| tie_key(t)).collect();
    keys.iter().map(|k| 1 + keys.iter().filter(|o| *o > k).count()).collect()
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
}

/// The decision: bids in rank order and the Most Economically Advantageous Tender.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranking {
    pub standings: Vec<Standing>,
    /// Indices of the bids ranked first: one bid is the MEAT; more than one is a tie to resolve.
    pub meat: Vec<usize>,
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

pub fn ranking(m: &Matrix, f: &Figures) -> Ranking {
    let mut standings: Vec<Standing> = f
        .bids
        .iter()
        .enumerate()
        .map(|(b, x)| Standing {
            bid: b,
            bidder: m.bids[b].bidder.trim().to_string(),
            rank: x.rank,
            tied: f.bids.iter().filter(|o| o.rank == x.rank).count() > 1,
            quality: x.quality,
            quality_weighted: x.quality_weighted,
            whole_life_cost: x.whole_life_cost.unwrap_or(0.0),
            price_score: x.price_score.unwrap_or(0.0),
            total: x.total,
        })
        .collect();
    standings.sort_by_key(|s| (s.rank, s.bid));
    let meat = standings.iter().filter(|s| s.rank == 1).map(|s| s.bid).collect();
    Ranking { standings, meat }
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
        assert!(close(a.total, 43.5 + 1450.0 / 1500.0 * 40.0));
    }

    #[test]
    fn ranks_are_competition_ranks_with_ties() {
        assert_eq!(rank(&[50.0, 70.0, 60.0]), vec![3, 1, 2]);
        assert_eq!(rank(&[70.0, 70.0, 60.0]), vec![1, 1, 3]);
        assert_eq!(rank(&[60.0, 70.0, 60.0, 10.0]), vec![2, 1, 2, 4]);
        // Equal up to floating-point noise is a tie; a real millionth of a point is not.
        assert_eq!(rank(&[0.1 + 0.2, 0.3]), vec![1, 1]);
        assert_eq!(rank(&[80.000001, 80.0]), vec![1, 2]);
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
    fn percentages_of_the_split_are_applied() {
        let mut m = sample();
        m.split.price = 20.0.into();
        m.split.quality = 80.0.into();
        let f = compute(&m);
        assert!(close(f.bids[0].quality_weighted, 72.5 * 0.8));
        assert!(close(f.bids[1].price_score.unwrap(), 20.0));
    }
}
