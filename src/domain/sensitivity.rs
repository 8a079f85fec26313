//! How robust the award decision is: what it would take to change the winner. Courts set aside
//! awards a buyer cannot explain; this says, before the award, how close the decision is.
//!
//! Every total is linear in the quantity moved: in the price share p (quality 100 - p), a bid's
//! total is quality x (100 - p)/100 + its price score at a weighting of 100 x p/100; in one
//! criterion's weight x (the rest of its section rescaled to keep the section at 100), a bid's
//! quality score is a + b x. So the points where another bid overtakes the winner are found
//! exactly, as the roots of straight lines, never by a scan. Cost per quality point compares
//! cost_j x quality_w(x) with cost_w x quality_j(x), linear too. A bid passing or failing the
//! minimum quality score as x moves is an event where the figures are worked out again.
//! Score changes are searched exhaustively one step at most (one score, one step on the scale).

use serde::Serialize;

use crate::domain::Matrix;
use crate::domain::scoring::{Figures, TIE_TOLERANCE, below_minimum, below_pass_mark, merits, price_and_totals};

/// The whole report.
#[derive(Clone, Debug, Serialize)]
pub struct Sensitivity {
    pub winner: String,
    pub margin: Option<Margin>,
    /// `None` for cost per quality point, which does not use the split.
    pub split: Option<SplitTips>,
    pub weights: Vec<WeightTip>,
    pub scores: Vec<ScoreTip>,
    pub reversals: Vec<Reversal>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Margin {
    pub second: String,
    /// First's total less second's (for cost per quality point, second's cost per point less
    /// first's, in pounds).
    pub difference: f64,
    /// The largest single criterion's weight, in points of the total (none for cost per quality
    /// point, which has no points).
    pub largest_weight: Option<f64>,
    pub largest_criterion: String,
    /// `difference` over `largest_weight`.
    pub in_largest_weights: Option<f64>,
}

/// The nearest price shares below and above the tender's own where another bid becomes first.
#[derive(Clone, Debug, Serialize)]
pub struct SplitTips {
    pub price_share: f64,
    pub below: Option<Tip>,
    pub above: Option<Tip>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Tip {
    /// Where the winner changes.
    pub at: f64,
    /// The bid first beyond it.
    pub first: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct WeightTip {
    pub criterion: String,
    /// Its weight within its section, now.
    pub weight: f64,
    /// The nearest weight (within the section) that changes the winner, and the new first.
    pub tip: Option<Tip>,
    /// Why it cannot move, where it cannot (the only weighted criterion in its section).
    pub fixed: Option<String>,
}

impl WeightTip {
    /// How far the weight must move; infinite where it cannot change the winner.
    pub fn change(&self) -> f64 {
        self.tip.as_ref().map_or(f64::INFINITY, |t| (t.at - self.weight).abs())
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ScoreTip {
    pub bidder: String,
    pub criterion: String,
    pub from: f64,
    pub to: f64,
    /// The bid that would be first.
    pub first: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Reversal {
    /// The bid left out.
    pub left_out: String,
    /// Pairs of the others whose order flips: (now above, now below) in the original order.
    pub swapped: Vec<(String, String)>,
    /// How many pairs flip (`swapped` lists the first ten).
    pub count: usize,
}

/// A line in the quantity moved, for bid `bid`: its advantage over the winner is
/// `a + b * t` (positive: better than the winner).
struct Line {
    bid: usize,
    a: f64,
    b: f64,
}

/// The nearest `t` from `t0` in direction `dir` (+1 or -1), not beyond `limit`, where a line's
/// advantage turns positive; the bid with the steepest rise wins ties.
fn nearest_root(lines: &[Line], t0: f64, dir: f64, limit: f64) -> Option<(f64, usize)> {
    let mut best: Option<(f64, f64, usize)> = None;
    for l in lines {
        let rise = l.b * dir;
        if rise <= 0.0 {
            continue;
        }
        let root = -l.a / l.b;
        if (root - t0) * dir < -1e-12 || (limit - root) * dir < 0.0 {
            continue;
        }
        let distance = (root - t0).abs();
        match best {
            Some((d, r, _)) if distance > d + 1e-12 || (distance > d - 1e-12 && rise <= r) => {}
            _ => best = Some((distance, rise, l.bid)),
        }
    }
    best.map(|(d, _, bid)| (t0 + d * dir, bid))
}

/// The matrix's figures in the form the search needs.
struct Model<'a> {
    m: &'a Matrix,
    max: f64,
    /// Per criterion: its effective weight (points of 100), its section.
    effective: Vec<f64>,
    section_of: Vec<usize>,
    scores: Vec<Vec<f64>>,
    costs: Vec<Option<f64>>,
    quality: Vec<f64>,
    /// Criteria scored below a pass mark, per bid.
    below: Vec<usize>,
    qualifying: Vec<bool>,
    shares: (f64, f64),
    per_point: bool,
}

impl<'a> Model<'a> {
    fn new(m: &'a Matrix, f: &Figures) -> Model<'a> {
        let section_of: Vec<usize> = m.criteria().map(|(s, _)| s).collect();
        Model {
            m,
            max: m.scale.max(),
            effective: f.effective_weights.iter().map(|w| w.unwrap_or(0.0)).collect(),
            section_of,
            scores: m.bids.iter().map(|b| b.scores.iter().map(|s| s.number().unwrap_or(0.0)).collect()).collect(),
            costs: f.bids.iter().map(|b| b.whole_life_cost).collect(),
            quality: f.bids.iter().map(|b| b.quality).collect(),
            below: f.bids.iter().map(|b| b.below_pass_mark()).collect(),
            qualifying: f.bids.iter().map(|b| b.passed()).collect(),
            shares: (m.split.price.number().unwrap_or(0.0), m.split.quality.number().unwrap_or(0.0)),
            per_point: m.price.per_point(),
        }
    }

    fn passes(&self, below: usize, quality: f64) -> bool {
        below == 0 && !self.m.minimum_quality.number().is_some_and(|min| below_minimum(quality, min))
    }

    /// Merits (higher is better) of every bid, from quality scores and who qualifies.
    fn merits(&self, quality: &[f64], qualifying: &[bool], shares: (f64, f64)) -> Vec<Option<f64>> {
        let (_, totals) = price_and_totals(&self.m.price, &self.costs, qualifying, quality, shares);
        merits(&self.m.price, &totals)
    }

    /// The single first bid, if there is one.
    fn first(merits: &[Option<f64>]) -> Option<usize> {
        let (best, top) = merits.iter().enumerate().filter_map(|(i, m)| Some((i, (*m)?))).max_by(|a, b| a.1.total_cmp(&b.1))?;
        (merits.iter().flatten().filter(|m| **m > top - TIE_TOLERANCE).count() == 1).then_some(best)
    }

    fn name(&self, b: usize) -> String {
        self.m.bids[b].bidder.trim().to_string()
    }
}

/// The report for a decided matrix (`f` its figures). `None` when there is no single winner.
pub fn sensitivity(m: &Matrix, f: &Figures) -> Option<Sensitivity> {
    let model = Model::new(m, f);
    let merits = model.merits(&model.quality, &model.qualifying, model.shares);
    let w = Model::first(&merits)?;
    Some(Sensitivity {
        winner: model.name(w),
        margin: margin(&model, &merits, w),
        split: (!model.per_point).then(|| split(&model, w)),
        weights: weights(&model, w),
        scores: scores(&model, &merits, w),
        reversals: reversals(&model, &merits, w),
    })
}

fn margin(model: &Model, merits: &[Option<f64>], w: usize) -> Option<Margin> {
    let second =
        merits.iter().enumerate().filter(|(i, _)| *i != w).filter_map(|(i, m)| Some((i, (*m)?))).max_by(|a, b| a.1.total_cmp(&b.1))?;
    let difference = merits[w]? - second.1;
    let (c, largest) = model.effective.iter().copied().enumerate().max_by(|a, b| a.1.total_cmp(&b.1))?;
    let criterion = model.m.criteria().nth(c).map(|(_, c)| format!("{} {}", c.reference, c.title)).unwrap_or_default();
    // In points of the total: a criterion's share of quality, times quality's share.
    let largest_weight = (!model.per_point).then_some(largest * model.shares.1 / 100.0);
    Some(Margin {
        second: model.name(second.0),
        difference,
        largest_weight,
        largest_criterion: criterion,
        in_largest_weights: largest_weight.filter(|l| *l > 0.0).map(|l| difference / l),
    })
}

fn split(model: &Model, w: usize) -> SplitTips {
    // Price scores at a price weighting of 100: a bid's total at share p is
    // quality x (100 - p)/100 + full x p/100.
    let (full, _) = price_and_totals(&model.m.price, &model.costs, &model.qualifying, &model.quality, (100.0, 0.0));
    let line = |b: usize| (model.quality[b], (full[b].unwrap_or(0.0) - model.quality[b]) / 100.0);
    let (aw, bw) = line(w);
    let lines: Vec<Line> = (0..model.quality.len())
        .filter(|&b| b != w && model.qualifying[b] && model.costs[b].is_some())
        .map(|b| {
            let (a, s) = line(b);
            Line { bid: b, a: a - aw, b: s - bw }
        })
        .collect();
    let p0 = model.shares.0;
    let tip = |dir: f64, limit: f64| nearest_root(&lines, p0, dir, limit).map(|(at, b)| Tip { at, first: model.name(b) });
    SplitTips { price_share: p0, below: tip(-1.0, 0.0), above: tip(1.0, 100.0) }
}

fn weights(model: &Model, w: usize) -> Vec<WeightTip> {
    let criteria: Vec<_> = model.m.criteria().collect();
    let mut out: Vec<WeightTip> = criteria
        .iter()
        .enumerate()
        .map(|(i, (s, c))| {
            let weight = c.weight.number().unwrap_or(0.0);
            let others: f64 = criteria
                .iter()
                .enumerate()
                .filter(|(k, (sk, _))| *sk == *s && *k != i)
                .map(|(_, (_, ck))| ck.weight.number().unwrap_or(0.0))
                .sum();
            let label = format!("{} {}", c.reference, c.title);
            if others <= 0.0 {
                return WeightTip {
                    criterion: label,
                    weight,
                    tip: None,
                    fixed: Some("the only weighted criterion in its section: its weight cannot move".into()),
                };
            }
            let lines = quality_lines(model, i, *s, weight, others);
            let below = weight_tip(model, w, &lines, weight, -1.0, 0.0);
            let above = weight_tip(model, w, &lines, weight, 1.0, 100.0);
            let tip = match (below, above) {
                (Some(b), Some(a)) => Some(if (weight - b.at) <= (a.at - weight) { b } else { a }),
                (b, a) => b.or(a),
            };
            WeightTip { criterion: label, weight, tip, fixed: None }
        })
        .collect();
    out.sort_by(|a, b| a.change().total_cmp(&b.change()));
    out
}

/// Each bid's quality score as criterion `i` (section `s`, weight `w0` within it, the rest of the
/// section `others`) moves to weight x, the rest rescaled: alpha + beta x.
fn quality_lines(model: &Model, i: usize, s: usize, w0: f64, others: f64) -> (Vec<f64>, Vec<f64>) {
    let section_weight = model.m.sections[s].weight.number().unwrap_or(0.0);
    (0..model.quality.len())
        .map(|b| {
            let r = |k: usize| model.scores[b][k] / model.max;
            let rest: f64 =
                (0..model.effective.len()).filter(|&k| k != i && model.section_of[k] == s).map(|k| model.effective[k] * r(k)).sum();
            // rest is S/100 x sum of w_k r_k over the others; at weight x it scales by (100 - x)/others.
            let own = section_weight / 100.0 * r(i);
            let base = model.quality[b] - own * w0 - rest;
            (base + rest * 100.0 / others, own - rest / others)
        })
        .unzip()
}

/// Moving a criterion's weight from `w0` in direction `dir` to `limit` (`lines` from
/// [`quality_lines`]): the first weight where the winner changes.
fn weight_tip(model: &Model, w: usize, (alpha, beta): &(Vec<f64>, Vec<f64>), w0: f64, dir: f64, limit: f64) -> Option<Tip> {
    let n = model.quality.len();
    let quality_at = |x: f64| -> Vec<f64> { (0..n).map(|b| alpha[b] + beta[b] * x).collect() };
    let (ps, qs) = model.shares;
    let mut t = w0;
    let mut qualifying = model.qualifying.clone();
    loop {
        // The lines for the bids that qualify between here and the next event.
        let (prices, _) = price_and_totals(&model.m.price, &model.costs, &qualifying, &quality_at(t), model.shares);
        if !qualifying[w] {
            return None;
        }
        let lines: Vec<Line> = (0..n)
            .filter(|&b| b != w && qualifying[b] && (model.costs[b].is_some() || !model.per_point))
            .map(|b| {
                if model.per_point {
                    // b is better where cost_w x quality_b(x) > cost_b x quality_w(x).
                    let (cw, cb) = (model.costs[w].unwrap_or(0.0), model.costs[b].unwrap_or(0.0));
                    Line { bid: b, a: cw * alpha[b] - cb * alpha[w], b: cw * beta[b] - cb * beta[w] }
                } else {
                    let pb = prices[b].unwrap_or(0.0) - prices[w].unwrap_or(0.0);
                    Line { bid: b, a: (alpha[b] - alpha[w]) * qs / 100.0 + pb, b: (beta[b] - beta[w]) * qs / 100.0 }
                }
            })
            .collect();
        // The next minimum-quality event: a bid's quality crossing the minimum.
        let event = model.m.minimum_quality.number().and_then(|min| {
            (0..n)
                .filter(|&b| model.below[b] == 0 && beta[b] != 0.0)
                .map(|b| (min - alpha[b]) / beta[b])
                .filter(|x| (x - t) * dir > 1e-12 && (limit - x) * dir >= 0.0)
                .min_by(|a, b| ((a - t) * dir).total_cmp(&((b - t) * dir)))
        });
        let crossing = nearest_root(&lines, t, dir, event.unwrap_or(limit));
        if let Some((at, b)) = crossing {
            return Some(Tip { at, first: model.name(b) });
        }
        let e = event?;
        // Just past the event, work the figures out again.
        let past = e + dir * 1e-9;
        let q = quality_at(past);
        qualifying = (0..n).map(|b| model.passes(model.below[b], q[b])).collect();
        let merits = model.merits(&q, &qualifying, (ps, qs));
        match Model::first(&merits) {
            Some(f) if f == w => t = e,
            Some(f) => return Some(Tip { at: e, first: model.name(f) }),
            None => return Some(Tip { at: e, first: "a tie".into() }),
        }
    }
}

fn scores(model: &Model, merits: &[Option<f64>], w: usize) -> Vec<ScoreTip> {
    let points: Vec<f64> = model.m.scale.points().iter().map(|p| p.value).collect();
    let pass_marks: Vec<Option<f64>> = model.m.criteria().map(|(_, c)| c.pass_mark.number()).collect();
    // The best merit of the others: what the winner must stay above.
    let second = merits.iter().enumerate().filter(|(i, _)| *i != w).filter_map(|(_, m)| *m).fold(f64::MIN, f64::max);
    let (ps, qs) = model.shares;
    let mut out = Vec::new();
    for b in 0..model.quality.len() {
        for (i, &e) in model.effective.iter().enumerate() {
            let now = model.scores[b][i];
            let up = points.iter().copied().filter(|p| *p > now).fold(f64::INFINITY, f64::min);
            let down = points.iter().copied().filter(|p| *p < now).fold(f64::NEG_INFINITY, f64::max);
            for to in [down, up].into_iter().filter(|x| x.is_finite()) {
                let quality = model.quality[b] + e * (to - now) / model.max;
                let fails = |s: f64| pass_marks[i].is_some_and(|pm| below_pass_mark(s, pm));
                let below = model.below[b] - usize::from(fails(now)) + usize::from(fails(to));
                let qualifies = model.passes(below, quality);
                let first = if qualifies == model.qualifying[b] && qualifies {
                    // Only this bid's merit moves (its price score does not depend on its quality,
                    // except for cost per quality point).
                    let merit = if model.per_point {
                        model.costs[b].filter(|_| quality > 0.0).map(|c| -c / quality)
                    } else {
                        merits[b].map(|m| m + (quality - model.quality[b]) * qs / 100.0)
                    };
                    match merit {
                        Some(x) if b != w && x > merits[w].unwrap_or(f64::MIN) + TIE_TOLERANCE => Some(b),
                        Some(x) if b == w && x < second - TIE_TOLERANCE => {
                            let mut changed = merits.to_vec();
                            changed[w] = Some(x);
                            Model::first(&changed)
                        }
                        _ => None,
                    }
                } else if qualifies == model.qualifying[b] {
                    None
                } else {
                    // The bid passes or fails now: the price scores of every bid may move.
                    let mut q = model.quality.clone();
                    q[b] = quality;
                    let mut qualifying = model.qualifying.clone();
                    qualifying[b] = qualifies;
                    Model::first(&model.merits(&q, &qualifying, (ps, qs))).filter(|&f| f != w)
                };
                if let Some(first) = first {
                    let (_, c) = model.m.criteria().nth(i).expect("criterion");
                    out.push(ScoreTip { bidder: model.name(b), criterion: c.reference.clone(), from: now, to, first: model.name(first) });
                }
            }
        }
    }
    out
}

fn reversals(model: &Model, merits: &[Option<f64>], w: usize) -> Vec<Reversal> {
    let ranked: Vec<usize> = {
        let mut r: Vec<usize> = (0..merits.len()).filter(|&b| merits[b].is_some()).collect();
        r.sort_by(|a, b| merits[*b].unwrap_or(0.0).total_cmp(&merits[*a].unwrap_or(0.0)).then(a.cmp(b)));
        r
    };
    let mut out = Vec::new();
    for &x in ranked.iter().filter(|&&b| b != w) {
        let mut qualifying = model.qualifying.clone();
        qualifying[x] = false;
        let after = model.merits(&model.quality, &qualifying, model.shares);
        let others: Vec<usize> = ranked.iter().copied().filter(|&b| b != x).collect();
        let mut swapped = Vec::new();
        let mut count = 0;
        for (k, &hi) in others.iter().enumerate() {
            for &lo in &others[k + 1..] {
                // Strictly above before (not tied), now strictly below.
                let before = merits[hi].unwrap_or(0.0) - merits[lo].unwrap_or(0.0);
                let now = after[hi].unwrap_or(0.0) - after[lo].unwrap_or(0.0);
                if before > TIE_TOLERANCE && now < -TIE_TOLERANCE {
                    count += 1;
                    if swapped.len() < 10 {
                        swapped.push((model.name(lo), model.name(hi)));
                    }
                }
            }
        }
        if count > 0 {
            out.push(Reversal { left_out: model.name(x), swapped, count });
        }
    }
    out
}
