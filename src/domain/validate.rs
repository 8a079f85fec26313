//! The checks a matrix must pass before its figures mean anything. Every finding states the fact
//! and the rule, and says how to fix it; the adapter adds where it is.

use std::collections::HashMap;

use crate::domain::finding::{Finding, Rule, Subject};
use crate::domain::matrix::{Entry, Matrix};
use crate::domain::scale::fmt_number;
use crate::domain::weighting::sums_to;

/// How complete the matrix must be. A matrix being set up or scored may have gaps; one used for
/// the award decision may not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Draft,
    Award,
}

/// Amounts from a million million pounds up are not prices but typing or file errors (1e308, as
/// a hostile file may hold, would even make sums infinite).
pub const MAX_AMOUNT: f64 = 1e15;

pub fn validate(m: &Matrix, stage: Stage) -> Vec<Finding> {
    let mut out = Vec::new();
    split(m, &mut out);
    pass_marks(m, &mut out);
    weights(m, &mut out);
    bids(m, &mut out);
    scores(m, stage, &mut out);
    costs(m, stage, &mut out);
    out
}

fn describe(e: &Entry) -> String {
    match e {
        Entry::Empty => "empty".into(),
        Entry::Number(n) => fmt_number(*n),
        Entry::Text(t) => format!("text '{t}'"),
    }
}

/// A percentage weighting: a number from 0 to 100. Returns it when it is one.
fn weighting(e: &Entry, what: &str, subject: Subject, out: &mut Vec<Finding>) -> Option<f64> {
    match e {
        Entry::Number(n) if (0.0..=100.0).contains(n) => return Some(*n),
        Entry::Empty => out.push(Finding::error(
            Rule::WeightNotNumber,
            subject,
            format!("{what} has no weighting"),
            "enter its weighting as a percentage",
        )),
        other => out.push(Finding::error(
            Rule::WeightNotNumber,
            subject,
            format!("{what} has weighting {}, which is not a percentage from 0 to 100", describe(other)),
            "enter the weighting as a number from 0 to 100, without a % sign typed as text",
        )),
    }
    None
}

/// Guidance, "Price/Quality Ratios": the split is stated, sums to 100, and the suggested ratios
/// depend on the commodity type.
fn split(m: &Matrix, out: &mut Vec<Finding>) {
    if m.split.price.is_empty() && m.split.quality.is_empty() {
        out.push(Finding::error(
            Rule::SplitNotStated,
            Subject::PriceWeight,
            "the price:quality split is not stated",
            "state the price and quality weightings (for example 40 and 60): in cells labelled 'Price weighting' and 'Quality weighting', as 'Price:Quality 40:60', or in a layout file's [split] (`tenderkit layout MATRIX.xlsx` shows what was found)",
        ));
        return;
    }
    let price = weighting(&m.split.price, "the price share of the price:quality split", Subject::PriceWeight, out);
    let quality = weighting(&m.split.quality, "the quality share of the price:quality split", Subject::QualityWeight, out);
    let (Some(price), Some(quality)) = (price, quality) else {
        return;
    };
    if !sums_to([price, quality], 100.0) {
        out.push(Finding::error(
            Rule::SplitSum,
            Subject::PriceWeight,
            format!("price {} + quality {} = {:.2}, not 100", fmt_number(price), fmt_number(quality), price + quality),
            "make the price and quality weightings add up to 100",
        ));
    } else if let Some(c) = m.commodity.filter(|c| !c.suggests(price, quality)) {
        out.push(Finding::warning(
            Rule::SplitForCommodity,
            Subject::PriceWeight,
            format!(
                "price:quality {}:{} is not a split the guidance suggests for a {} commodity ({})",
                fmt_number(price),
                fmt_number(quality),
                c.name(),
                c.suggestion_text()
            ),
            "check the split suits what is being bought, and record why if you keep it",
        ));
    }
}

/// Guidance, "Minimum Standards": a pass mark is a score the scale can give, and a minimum quality
/// score is out of 100.
fn pass_marks(m: &Matrix, out: &mut Vec<Finding>) {
    for (i, (_, c)) in m.criteria().enumerate() {
        let ok = match &c.pass_mark {
            Entry::Empty => true,
            Entry::Number(n) => (m.scale.min()..=m.scale.max()).contains(n),
            Entry::Text(_) => false,
        };
        if !ok {
            out.push(Finding::error(
                Rule::PassMarkInvalid,
                Subject::PassMark { criterion: i },
                format!(
                    "criterion {}: pass mark {} is not a score on the {} scale",
                    label(&c.reference, &c.title),
                    describe(&c.pass_mark),
                    m.scale.name()
                ),
                format!(
                    "enter a pass mark from {} to {}, or leave it empty for none",
                    fmt_number(m.scale.min()),
                    fmt_number(m.scale.max())
                ),
            ));
        }
    }
    if !matches!(&m.minimum_quality, Entry::Empty) && m.minimum_quality.number().is_none_or(|n| !(0.0..=100.0).contains(&n)) {
        out.push(Finding::error(
            Rule::PassMarkInvalid,
            Subject::MinimumQuality,
            format!("the minimum quality score is {}, not a number from 0 to 100", describe(&m.minimum_quality)),
            "enter the minimum quality score out of 100, or leave it empty for none",
        ));
    }
}

/// Guidance, "Scoring Methodologies": all sections add up to 100, and all questions within each
/// section add up to 100.
fn weights(m: &Matrix, out: &mut Vec<Finding>) {
    if m.criterion_count() == 0 {
        // A lowest-price award (price 100 : quality 0) has no quality criteria to weigh.
        if m.split.quality.number().is_none_or(|q| q > 0.0) {
            out.push(Finding::error(
                Rule::NoCriteria,
                Subject::Criteria,
                format!("the matrix has no quality criteria, but the quality share is {}", describe(&m.split.quality)),
                "list the award criteria, one per row, under headings such as Criterion, Weighting and Score (`tenderkit layout MATRIX.xlsx` shows what was found); for a lowest-price award, state the split as price 100 : quality 0",
            ));
        }
        return;
    }
    let mut section_weights = Some(Vec::new());
    for (s, section) in m.sections.iter().enumerate() {
        let w = weighting(&section.weight, &format!("section '{}'", section.name), Subject::SectionWeight { section: s }, out);
        match (w, section_weights.as_mut()) {
            (Some(w), Some(ws)) => ws.push(w),
            _ => section_weights = None,
        }
        let range = m.section_range(s);
        let mut criterion_weights = Some(Vec::new());
        for (i, c) in range.clone().zip(&section.criteria) {
            let w = weighting(
                &c.weight,
                &format!("criterion {}", label(&c.reference, &c.title)),
                Subject::CriterionWeight { criterion: i },
                out,
            );
            match (w, criterion_weights.as_mut()) {
                (Some(w), Some(ws)) => ws.push(w),
                _ => criterion_weights = None,
            }
        }
        if let Some(ws) = criterion_weights.filter(|ws| !sums_to(ws.iter().copied(), 100.0)) {
            out.push(Finding::error(
                Rule::CriterionWeightsSum,
                Subject::CriterionWeights { section: s },
                if ws.is_empty() {
                    format!("section '{}' has no criteria, so its weightings cannot add up to 100", section.name)
                } else {
                    format!(
                        "the criterion weightings in section '{}' sum to {:.2}, not 100 ({})",
                        section.name,
                        ws.iter().sum::<f64>(),
                        ws.iter().map(|w| fmt_number(*w)).collect::<Vec<_>>().join(" + ")
                    )
                },
                if sums_to(ws.iter().copied(), 1.0) {
                    "the weightings add up to 1: if they are fractions (0.2 meaning 20%), format the cells as percentages, or multiply them by 100"
                } else {
                    "adjust the weightings within the section so they add up to exactly 100"
                },
            ));
        }
    }
    if let Some(ws) = section_weights.filter(|ws| !sums_to(ws.iter().copied(), 100.0)) {
        out.push(Finding::error(
            Rule::SectionWeightsSum,
            Subject::SectionWeights,
            format!(
                "the section weightings sum to {:.2}, not 100 ({})",
                ws.iter().sum::<f64>(),
                m.sections.iter().zip(&ws).map(|(s, w)| format!("{} {}", s.name, fmt_number(*w))).collect::<Vec<_>>().join(", ")
            ),
            "adjust the section weightings so they add up to exactly 100",
        ));
    }
    let mut seen = HashMap::new();
    for (i, (_, c)) in m.criteria().enumerate() {
        let key = c.reference.trim().to_lowercase();
        if key.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(key, i) {
            out.push(Finding::error(
                Rule::DuplicateCriterion,
                Subject::CriterionWeight { criterion: i },
                format!("criterion reference '{}' is used twice (also criterion {})", c.reference, first + 1),
                "give every criterion its own reference",
            ));
        }
    }
}

fn label(reference: &str, title: &str) -> String {
    match (reference.trim(), title.trim()) {
        ("", t) => format!("'{t}'"),
        (r, "") => r.to_string(),
        (r, t) => format!("{r} '{t}'"),
    }
}

/// Guidance, "What if You Haven't Received Enough Responses?": at least three bids is best
/// practice; with one, consider why and whether to restart.
fn bids(m: &Matrix, out: &mut Vec<Finding>) {
    match m.bids.len() {
        0 => out.push(Finding::error(Rule::NoBids, Subject::Bids, "the matrix has no bids", "add a score column for each bidder")),
        1 => out.push(Finding::warning(
            Rule::SingleBid,
            Subject::Bids,
            "only one bid: the guidance says to consider why (a restricted market, an unattractive opportunity) and whether to restart the process",
            "record why only one bid came in; continue only if there is no particular reason and the bid is compliant",
        )),
        2 => out.push(Finding::warning(
            Rule::FewBids,
            Subject::Bids,
            "only two bids: best practice is at least three",
            "consider whether there is enough competition, or whether to review the specification and restart; record the decision",
        )),
        _ => {}
    }
    // One name key everywhere (case and spacing do not matter): names the sheets would match
    // to each other are the same bidder, so two bids with them are a duplicate.
    let mut seen = HashMap::new();
    for (b, bid) in m.bids.iter().enumerate() {
        let key = crate::domain::name_key(&bid.bidder);
        if key.is_empty() {
            out.push(Finding::error(
                Rule::DuplicateBidder,
                Subject::Bidder { bid: b },
                format!("bid {} has no bidder name", b + 1),
                "enter the bidder's name",
            ));
        } else if let Some(first) = seen.insert(key, b) {
            let (a, b2) = (m.bids[first].bidder.trim(), bid.bidder.trim());
            let names = if a == b2 { format!("'{a}'") } else { format!("'{a}' and '{b2}' (the same name but for case or spacing)") };
            out.push(Finding::error(
                Rule::DuplicateBidder,
                Subject::SameBidder { bid: b, other: first },
                format!("bidder {names} appears twice"),
                "give each bid its own column, with the bidder's name once, spelt the same on every sheet",
            ));
        }
    }
}

fn scores(m: &Matrix, stage: Stage, out: &mut Vec<Finding>) {
    let criteria: Vec<_> = m.criteria().map(|(_, c)| c).collect();
    let mut anything_scored = false;
    let mut missing = Vec::new();
    for (b, bid) in m.bids.iter().enumerate() {
        let mut bid_missing = Vec::new();
        for (i, score) in bid.scores.iter().enumerate() {
            let subject = Subject::Score { criterion: i, bid: b };
            let what = || format!("{}, criterion {}", bid.bidder.trim(), label(&criteria[i].reference, &criteria[i].title));
            match score {
                Entry::Empty => bid_missing.push(i),
                Entry::Number(n) => {
                    anything_scored = true;
                    if m.scale.point(*n).is_none() {
                        out.push(Finding::error(
                            Rule::ScoreOffScale,
                            subject,
                            format!("{}: score {} is not on the {} scale", what(), fmt_number(*n), m.scale.name()),
                            format!("enter one of {}", m.scale.values_text()),
                        ));
                    }
                }
                Entry::Text(t) => {
                    anything_scored = true;
                    out.push(Finding::error(
                        Rule::ScoreNotNumber,
                        subject,
                        format!("{}: the score cell holds text '{t}', not a number", what()),
                        format!("enter one of {} as a number, or leave the cell empty until it is scored", m.scale.values_text()),
                    ));
                }
            }
        }
        missing.push((b, bid_missing));
    }
    for (b, bid_missing) in missing {
        let Some(&first) = bid_missing.first() else {
            continue;
        };
        match stage {
            Stage::Award => out.extend(bid_missing.iter().map(|&i| {
                Finding::error(
                    Rule::ScoreMissing,
                    Subject::Score { criterion: i, bid: b },
                    format!("{}: criterion {} is not scored", m.bids[b].bidder.trim(), label(&criteria[i].reference, &criteria[i].title)),
                    "enter the moderated score before ranking the bids",
                )
            })),
            // A matrix nobody has started scoring is not worth a warning per bid.
            Stage::Draft if anything_scored => out.push(Finding::warning(
                Rule::ScoreMissing,
                Subject::Score { criterion: first, bid: b },
                format!("{}: {} of {} criteria not yet scored", m.bids[b].bidder.trim(), bid_missing.len(), criteria.len()),
                "score every criterion before ranking the bids",
            )),
            Stage::Draft => {}
        }
    }
}

fn costs(m: &Matrix, stage: Stage, out: &mut Vec<Finding>) {
    let price_counts = m.split.price.number().is_none_or(|p| p > 0.0);
    for (b, bid) in m.bids.iter().enumerate() {
        let name = bid.bidder.trim();
        if bid.costs.is_empty() {
            if stage == Stage::Award && price_counts {
                out.push(Finding::error(
                    Rule::CostMissing,
                    Subject::Costs { bid: b },
                    format!("{name}: no price for this bid"),
                    "enter the bid's costs on the price sheet",
                ));
            }
            continue;
        }
        let mut total = Some(0.0);
        let mut missing = Vec::new();
        for (k, cost) in bid.costs.iter().enumerate() {
            let subject = Subject::Cost { bid: b, cost: k };
            let what = cost.component.label();
            match &cost.amount {
                Entry::Empty => {
                    missing.push(k);
                    total = None;
                }
                Entry::Text(t) => {
                    total = None;
                    out.push(Finding::error(
                        Rule::CostNotNumber,
                        subject,
                        format!("{name}: the {what} cell holds text '{t}', not a number"),
                        "enter the amount as a number, without currency symbols typed as text",
                    ));
                }
                Entry::Number(n) if n.abs() >= MAX_AMOUNT => {
                    total = None;
                    out.push(Finding::error(
                        Rule::CostNotNumber,
                        subject,
                        format!("{name}: the {what} is {n:e}, beyond any contract's value"),
                        "check the amount: it is far too large to be a price",
                    ));
                }
                Entry::Number(n) if *n < 0.0 && !cost.component.may_be_negative() => {
                    total = None;
                    out.push(Finding::error(
                        Rule::CostNegative,
                        subject,
                        format!("{name}: {what} is negative ({})", fmt_number(*n)),
                        "enter costs as positive amounts; only the end-of-life cost may be negative (a resale value)",
                    ));
                }
                Entry::Number(n) => total = total.map(|t| t + n),
            }
        }
        let all_missing = missing.len() == bid.costs.len();
        if let Some(&first) = missing.first()
            && (stage == Stage::Award || !all_missing)
        {
            let mut f = Finding::warning(
                Rule::CostMissing,
                Subject::Cost { bid: b, cost: first },
                format!("{name}: {} not entered", missing.iter().map(|&k| bid.costs[k].component.label()).collect::<Vec<_>>().join(", ")),
                "enter every cost (0 where the bid has none) before ranking the bids",
            );
            if stage == Stage::Award {
                f.severity = crate::domain::Severity::Error;
            }
            out.push(f);
        }
        if let Some(t) = total.filter(|t| *t <= 0.0) {
            out.push(Finding::error(
                Rule::WholeLifeCostNotPositive,
                Subject::Costs { bid: b },
                format!("{name}: whole-life cost is {}; it must be above zero to compute a price score", fmt_number(t)),
                "check the bid's costs",
            ));
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::matrix::{Bid, Cost, CostComponent, Criterion, Section, Split};
    use crate::domain::{Commodity, Scale, Severity};

    fn criterion(r: &str, w: f64) -> Criterion {
        Criterion { reference: r.into(), title: format!("Criterion {r}"), weight: w.into(), pass_mark: Entry::Empty }
    }

    fn bid(name: &str, scores: &[f64], costs: [f64; 3]) -> Bid {
        Bid {
            bidder: name.into(),
            scores: scores.iter().map(|&s| s.into()).collect(),
            costs: [CostComponent::Acquisition, CostComponent::Operating, CostComponent::EndOfLife]
                .into_iter()
                .zip(costs)
                .map(|(component, a)| Cost { component, amount: a.into() })
                .collect(),
        }
    }

    pub(crate) fn sample() -> Matrix {
        Matrix {
            sections: vec![
                Section { name: "Technical".into(), weight: 60.0.into(), criteria: vec![criterion("1.1", 50.0), criterion("1.2", 50.0)] },
                Section { name: "Social value".into(), weight: 40.0.into(), criteria: vec![criterion("2.1", 100.0)] },
            ],
            bids: vec![
                bid("Alpha Ltd", &[4.0, 3.0, 2.0], [1000.0, 500.0, 0.0]),
                bid("Beta plc", &[3.0, 3.0, 3.0], [1200.0, 300.0, -50.0]),
                bid("Gamma LLP", &[2.0, 2.0, 4.0], [900.0, 700.0, 100.0]),
            ],
            split: Split { price: 40.0.into(), quality: 60.0.into() },
            scale: Scale::matrix(),
            commodity: Some(Commodity::Strategic),
            minimum_quality: Entry::Empty,
            price: Default::default(),
        }
    }

    fn rules(m: &Matrix, stage: Stage) -> Vec<(Severity, Rule, Subject)> {
        validate(m, stage).into_iter().map(|f| (f.severity, f.rule, f.subject)).collect()
    }

    #[test]
    fn a_sound_matrix_has_no_findings() {
        assert_eq!(rules(&sample(), Stage::Award), vec![]);
    }

    #[test]
    fn section_weights_must_sum_to_100_to_the_cent() {
        let mut m = sample();
        m.sections[0].weight = 50.0.into();
        let f = validate(&m, Stage::Draft);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, Rule::SectionWeightsSum);
        assert!(f[0].message.contains("sum to 90.00"), "{}", f[0].message);

        let mut m = sample();
        m.sections.push(Section { name: "Third".into(), weight: 0.0.into(), criteria: vec![criterion("3.1", 100.0)] });
        m.sections[0].weight = 33.33.into();
        m.sections[1].weight = 33.33.into();
        m.sections[2].weight = 33.34.into();
        for b in &mut m.bids {
            b.scores.push(1.0.into());
        }
        assert_eq!(rules(&m, Stage::Award), vec![]);
        m.sections[2].weight = 33.33.into();
        let f = validate(&m, Stage::Award);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("sum to 99.99"), "{}", f[0].message);
    }

    #[test]
    fn criterion_weights_must_sum_to_100_within_each_section() {
        let mut m = sample();
        m.sections[0].criteria[1].weight = 40.0.into();
        assert_eq!(rules(&m, Stage::Draft), vec![(Severity::Error, Rule::CriterionWeightsSum, Subject::CriterionWeights { section: 0 })]);
    }

    #[test]
    fn weights_must_be_numbers() {
        let mut m = sample();
        m.sections[0].criteria[0].weight = Entry::Text("fifty".into());
        m.sections[1].weight = Entry::Empty;
        let r = rules(&m, Stage::Draft);
        assert!(r.contains(&(Severity::Error, Rule::WeightNotNumber, Subject::CriterionWeight { criterion: 0 })));
        assert!(r.contains(&(Severity::Error, Rule::WeightNotNumber, Subject::SectionWeight { section: 1 })));
        // A sum with a missing part is not reported as a wrong sum as well.
        assert!(!r.iter().any(|(_, rule, _)| matches!(rule, Rule::SectionWeightsSum | Rule::CriterionWeightsSum)));
    }

    #[test]
    fn split_must_be_stated_and_sum_to_100() {
        let mut m = sample();
        m.split = Split { price: Entry::Empty, quality: Entry::Empty };
        assert_eq!(rules(&m, Stage::Draft), vec![(Severity::Error, Rule::SplitNotStated, Subject::PriceWeight)]);
        m.split = Split { price: 40.0.into(), quality: 50.0.into() };
        let f = validate(&m, Stage::Draft);
        assert_eq!(f[0].rule, Rule::SplitSum);
        assert!(f[0].message.contains("= 90.00"));
    }

    #[test]
    fn split_outside_the_commodity_suggestion_is_a_warning() {
        let mut m = sample();
        m.commodity = Some(Commodity::Routine);
        assert_eq!(rules(&m, Stage::Draft), vec![(Severity::Warning, Rule::SplitForCommodity, Subject::PriceWeight)]);
        m.commodity = None;
        assert_eq!(rules(&m, Stage::Draft), vec![]);
    }

    #[test]
    fn scores_must_be_on_the_scale_and_numbers() {
        let mut m = sample();
        m.bids[0].scores[1] = 7.0.into();
        m.bids[1].scores[2] = Entry::Text("n/a".into());
        m.bids[2].scores[0] = 2.5.into();
        assert_eq!(
            rules(&m, Stage::Draft),
            vec![
                (Severity::Error, Rule::ScoreOffScale, Subject::Score { criterion: 1, bid: 0 }),
                (Severity::Error, Rule::ScoreNotNumber, Subject::Score { criterion: 2, bid: 1 }),
                (Severity::Error, Rule::ScoreOffScale, Subject::Score { criterion: 0, bid: 2 }),
            ]
        );
        m.scale = Scale::percentage();
        // On the 0-100 scale every one of the eight numeric scores above is off the scale.
        assert_eq!(validate(&m, Stage::Draft).iter().filter(|f| f.rule == Rule::ScoreOffScale).count(), 8);
    }

    #[test]
    fn missing_scores_warn_while_drafting_and_block_the_award() {
        let mut m = sample();
        m.bids[1].scores[0] = Entry::Empty;
        m.bids[1].scores[2] = Entry::Empty;
        let draft = validate(&m, Stage::Draft);
        assert_eq!(draft.len(), 1);
        assert_eq!(draft[0].severity, Severity::Warning);
        assert!(draft[0].message.contains("2 of 3 criteria not yet scored"));
        let award = rules(&m, Stage::Award);
        assert_eq!(
            award,
            vec![
                (Severity::Error, Rule::ScoreMissing, Subject::Score { criterion: 0, bid: 1 }),
                (Severity::Error, Rule::ScoreMissing, Subject::Score { criterion: 2, bid: 1 }),
            ]
        );
        // Nothing scored at all: a fresh matrix, not worth a warning.
        for b in &mut m.bids {
            b.scores.iter_mut().for_each(|s| *s = Entry::Empty);
        }
        assert_eq!(rules(&m, Stage::Draft), vec![]);
    }

    #[test]
    fn costs_are_checked() {
        let mut m = sample();
        m.bids[0].costs[0].amount = Entry::Text("£1,000".into());
        m.bids[1].costs[1].amount = (-5.0).into();
        m.bids[2].costs = vec![Cost { component: CostComponent::Price, amount: 0.0.into() }];
        assert_eq!(
            rules(&m, Stage::Draft),
            vec![
                (Severity::Error, Rule::CostNotNumber, Subject::Cost { bid: 0, cost: 0 }),
                (Severity::Error, Rule::CostNegative, Subject::Cost { bid: 1, cost: 1 }),
                (Severity::Error, Rule::WholeLifeCostNotPositive, Subject::Costs { bid: 2 }),
            ]
        );
        let mut m = sample();
        m.bids[2].costs[2].amount = Entry::Empty;
        assert_eq!(rules(&m, Stage::Draft), vec![(Severity::Warning, Rule::CostMissing, Subject::Cost { bid: 2, cost: 2 })]);
        assert_eq!(rules(&m, Stage::Award), vec![(Severity::Error, Rule::CostMissing, Subject::Cost { bid: 2, cost: 2 })]);
    }

    #[test]
    fn few_bids_warn_and_one_bid_warns_more_strongly() {
        let mut m = sample();
        m.bids.truncate(2);
        assert_eq!(rules(&m, Stage::Award), vec![(Severity::Warning, Rule::FewBids, Subject::Bids)]);
        m.bids.truncate(1);
        let f = validate(&m, Stage::Award);
        assert_eq!(f[0].rule, Rule::SingleBid);
        assert!(f[0].message.contains("consider why"));
        m.bids.clear();
        assert_eq!(rules(&m, Stage::Award), vec![(Severity::Error, Rule::NoBids, Subject::Bids)]);
    }

    #[test]
    fn names_and_references_are_unique() {
        let mut m = sample();
        m.bids[2].bidder = " alpha ltd".into();
        m.sections[1].criteria[0].reference = "1.1".into();
        let r = rules(&m, Stage::Draft);
        assert!(r.contains(&(Severity::Error, Rule::DuplicateBidder, Subject::SameBidder { bid: 2, other: 0 })));
        // Names equal but for inner spacing are the same bidder to every sheet, so a duplicate.
        let mut m = sample();
        m.bids[2].bidder = "Alpha   LTD".into();
        let f = validate(&m, Stage::Draft);
        assert!(f.iter().any(|f| f.rule == Rule::DuplicateBidder && f.message.contains("'Alpha Ltd' and 'Alpha   LTD'")), "{f:?}");
        assert!(r.contains(&(Severity::Error, Rule::DuplicateCriterion, Subject::CriterionWeight { criterion: 2 })));
    }
}
