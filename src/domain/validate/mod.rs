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
    price_parameters(m, &mut out);
    abnormally_low(m, &mut out);
    out
}

/// Every price parameter in its range (`price::RANGES`), and a linear budget above the lowest bid
/// that passes: otherwise the dearest bid could win, a price score pass the weighting, or a figure
/// be infinite. Read from the tender file or the workbook's named cells alike.
fn price_parameters(m: &Matrix, out: &mut Vec<Finding>) {
    for (r, v) in m.price.out_of_range() {
        out.push(Finding::error(
            Rule::PriceParameter,
            Subject::PriceParameter { key: r.key },
            format!("the price parameter {} ({}) is {}; it must be {}: {}", r.key, r.name, fmt_number(v), r.words(), r.why),
            format!("set {} {}", r.key, r.words()),
        ));
    }
    if let (crate::domain::price::Method::Linear, Some(budget)) = (m.price.method, m.price.budget.filter(|b| b.is_finite() && *b > 0.0)) {
        let figures = crate::domain::scoring::compute(m);
        let lowest = figures.bids.iter().filter(|b| b.passed()).filter_map(|b| b.whole_life_cost).reduce(f64::min);
        if let Some(lowest) = lowest.filter(|l| budget <= *l) {
            out.push(Finding::error(
                Rule::PriceParameter,
                Subject::PriceParameter { key: "budget" },
                format!(
                    "the linear method's budget {} is not above the lowest whole-life cost of the bids that pass ({}): every bid is at or above the price that scores 0, so price would not count",
                    m.price.currency.fmt(budget),
                    m.price.currency.fmt(lowest)
                ),
                "raise the budget above the lowest bid, or score price by another method (and say so to bidders before the deadline)",
            ));
        }
    }
}

/// A bid flagged by the tender's abnormally-low test (`price::AbnormallyLowTest`) is a warning:
/// the buyer must ask the bidder to explain the price and may reject it only after assessing the
/// explanation (Public Contracts (Scotland) Regulations 2015, reg 69(1), (3), (4)); under the
/// Procurement Act 2023 it must notify the supplier and give it a reasonable opportunity to show it
/// can perform for the price before disregarding the tender (s.19(3)(c), (4), (5)). So tenderkit
/// never rejects it by itself.
fn abnormally_low(m: &Matrix, out: &mut Vec<Finding>) {
    let figures = crate::domain::scoring::compute(m);
    let test = m.price.abnormally_low_rule();
    for (b, f) in figures.bids.iter().enumerate() {
        // A price of zero or less is an error already.
        let Some(cost) = f.whole_life_cost.filter(|c| f.abnormally_low && *c > 0.0) else { continue };
        out.push(Finding::warning(
            Rule::AbnormallyLow,
            Subject::Costs { bid: b },
            format!(
                "{}: whole-life cost {} is abnormally low: {test}",
                m.bids[b].bidder,
                m.price.currency.fmt(cost)
            ),
            "ask the bidder to explain the price in writing (tenderkit letters abnormally-low) and record the assessment; a bid is never rejected as abnormally low without that",
        ));
    }
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
                    "the weightings add up to 1: if they are fractions (0.2 meaning 20%), say weights = \"fractions\" under [quality] in a layout file (or format the cells as percentages)"
                } else if ws.iter().all(|w| w.fract() == 0.0 && (0.0..=10.0).contains(w)) {
                    "if these are importance points (a share of the section's points each), say weights = \"points\" under [quality] in a layout file; otherwise adjust them to add up to exactly 100"
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
                    if !m.scale.holds(*n) {
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
                format!(
                    "{name}: whole-life cost is {}; the price method ({}) {}",
                    fmt_number(t),
                    m.price.method.key(),
                    if m.price.method.divides_by_price() { "divides by it, so it must be above zero" } else { "needs it above zero" }
                ),
                "check the bid's costs",
            ));
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
