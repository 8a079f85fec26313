use super::*;
use crate::domain::matrix::{Bid, Cost, CostComponent, Criterion, Section, Split};
use crate::domain::{Commodity, Scale, Severity};

fn criterion(r: &str, w: f64) -> Criterion {
    Criterion { reference: r.into(), title: format!("Criterion {r}"), weight: w.into(), pass_mark: Entry::Empty, lower_is_better: false }
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
    m.sections[0].criteria[0].weight = Entry::text("fifty");
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
    m.bids[1].scores[2] = Entry::text("n/a");
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
    m.bids[0].costs[0].amount = Entry::text("£1,000");
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
