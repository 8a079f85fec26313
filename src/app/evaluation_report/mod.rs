//! `report`: the evaluation report (award recommendation) an award is approved on, from the
//! decided matrix: the requirement and procedure, the criteria and weightings as published, the
//! panel and their declarations, the moderation record, the price evaluation, the exclusions, the
//! ranking with a chart, how robust the decision is, the recommendation, the standstill dates and
//! an approval block. Every figure is the one `score` and `sensitivity` give (the same functions
//! decide them); nothing is written while anything the report must state is missing.
//!
//! The facts are gathered into [`Data`] (the fields a buyer's own template fills from); the
//! bundled document and the text are drawn from the same data (`document.rs`).

mod document;

use chrono::NaiveDate;
use serde::Serialize;

use crate::Result;
use crate::domain::figure::fixed;
use crate::app::conflicts::{self, Assessment};
use crate::app::evaluated::{Evaluated, evaluated};
use crate::app::letters::standstill;
use crate::app::Input;
use crate::domain::Tender;
use crate::domain::date::long;
use crate::domain::exclusion::{Outcome as Exclusion, bid_outcome};
use crate::domain::letters::StandstillInfo;
use crate::domain::letters::abnormal;
use crate::domain::moderation::criterion_label;
use crate::domain::panel::Role;
use crate::domain::regime::Regime;
use crate::domain::scale::fmt_number;
use crate::domain::standstill::Sending;
use crate::xlsx::layout::LayoutFile;

/// What the buyer gave for the report.
pub struct Request<'a> {
    pub tender: &'a Input,
    pub matrix: &'a Input,
    pub layout: &'a LayoutFile,
    /// The bidders' exclusion answers and the abnormally low explanations (`--responses`).
    pub responses: Option<&'a Input>,
    /// The day the exclusion decisions are made (`--on`).
    pub on: Option<NaiveDate>,
    /// The day the award notices are to be sent (`--sent`); without it, the report's date.
    pub sent: Option<NaiveDate>,
    pub by: Option<Sending>,
    /// The report's date (`--date`); without it, today.
    pub date: Option<NaiveDate>,
    /// Today, from the shell's clock.
    pub today: NaiveDate,
}

/// Everything the report states, by name: the bundled document is drawn from it, and a buyer's
/// own template is filled from it (`tenderkit report --data` prints it).
#[derive(Clone, Debug, Serialize)]
pub struct Data {
    pub title: String,
    pub reference: String,
    pub tender_title: String,
    pub organisation: String,
    pub date: String,
    pub law: String,
    pub procedure: String,
    /// Above or below the thresholds, in words.
    pub thresholds: String,
    pub contract_type: String,
    pub estimated_value: String,
    pub tender_date: String,
    pub price_weight: String,
    pub quality_weight: String,
    pub minimum_quality: String,
    pub scale: String,
    pub criteria: Vec<CriterionRow>,
    pub panel: Vec<PanelRow>,
    pub conflicts: Vec<ConflictRow>,
    /// The conflict-of-interest duty, with its provisions.
    pub conflicts_law: String,
    pub spread_threshold: String,
    /// The quality evaluators, in the moderation table's order.
    pub evaluators: Vec<String>,
    pub moderation: Vec<ModerationRow>,
    pub price_method: String,
    pub prices: Vec<PriceRow>,
    pub agreed_costs: Vec<AgreedCostRow>,
    pub exclusions_decided_on: String,
    pub exclusions: Vec<ExclusionRow>,
    pub ranking: Vec<RankRow>,
    pub failed: Vec<FailedRow>,
    /// The chart in words (its alternative text).
    pub chart: String,
    pub per_point: bool,
    pub robustness: Vec<Line>,
    pub winner: String,
    pub recommendation: String,
    pub standstill: StandstillInfo,
    pub standstill_words: String,
    /// Points the approver must weigh that do not stop the report (a discretionary ground).
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CriterionRow {
    pub section: String,
    pub section_weight: String,
    pub reference: String,
    pub title: String,
    pub weight: String,
    /// Points of the 100 for quality.
    pub effective_weight: String,
    pub pass_mark: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PanelRow {
    pub name: String,
    pub role: String,
    pub evaluates: String,
    pub declared_by: String,
    pub declared_on: String,
    pub conflicts: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ConflictRow {
    pub person: String,
    pub bidder: String,
    pub nature: String,
    pub step: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ModerationRow {
    pub criterion: String,
    pub bidder: String,
    /// Each quality evaluator's score, in the order of `Data::evaluators` ("-": not theirs to
    /// score; "conflict": left out for a declared conflict).
    pub scores: Vec<String>,
    pub spread: String,
    /// The spread met the panel's threshold, so the meeting discussed it.
    pub discussed: bool,
    pub agreed: String,
    /// How the final score was reached: agreed at the meeting, or the evaluators' mean.
    pub basis: String,
    /// The agreed score differs from at least one evaluator's.
    pub changed: bool,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PriceRow {
    pub bidder: String,
    pub whole_life_cost: String,
    pub price_score: String,
    pub abnormally_low: bool,
    /// How an abnormally low bid was handled (from the responses file).
    pub handling: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct AgreedCostRow {
    pub bidder: String,
    pub component: String,
    pub returned: String,
    pub agreed: String,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExclusionRow {
    pub bidder: String,
    pub outcome: String,
    pub grounds: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RankRow {
    pub rank: String,
    pub bidder: String,
    pub quality: String,
    pub quality_weighted: String,
    pub whole_life_cost: String,
    pub price_score: String,
    pub total: String,
    /// The quality part and the price part of the total, and the total, as numbers (the chart).
    #[serde(skip)]
    pub parts: (f64, f64),
    #[serde(skip)]
    pub value: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct FailedRow {
    pub bidder: String,
    pub quality: String,
    pub reasons: String,
}

/// A line of the robustness section: a heading, or what it found.
#[derive(Clone, Debug, Serialize)]
pub struct Line {
    pub heading: bool,
    pub text: String,
}

pub enum Outcome {
    /// Not written: what to say (standard error), ending with what was not done.
    Refused(String),
    Done(Box<Report>),
}

/// The report, ready to print, write, or fill a buyer's template with.
pub struct Report {
    pub data: Data,
    /// What was said on the way that does not stop the report (warnings).
    pub messages: String,
}

const NOTHING: &str = "no report written";

/// Gathers the report. `Err` for a usage or file error (exit 2), `Refused` for what the buyer
/// must state or fix first (exit 1).
pub fn gather(req: &Request) -> Result<Outcome> {
    let checked = crate::app::text::checked_tender(req.tender)?;
    let mut messages = checked.messages;
    let Some(tender) = checked.tender else {
        return Ok(Outcome::Refused(messages + NOTHING + ": fix the tender definition first\n"));
    };
    let date = req.date.unwrap_or(req.today);
    let e = match evaluated(req.matrix, req.layout, NOTHING)? {
        Ok(e) => e,
        Err(said) => return Ok(Outcome::Refused(messages + &said)),
    };
    if e.ranking.meat.len() != 1 {
        let why = if e.ranking.meat.is_empty() { "no bid passes" } else { "bids tie for first" };
        return Ok(Outcome::Refused(format!(
            "{messages}error: {}: {why}: there is no single bid to recommend; resolve it by the method published in the ITT first\n{NOTHING}\n",
            req.matrix.name
        )));
    }
    // The panel and their declarations: the same record `conflicts` writes, refused the same way.
    let assessment = match conflicts::assess(&tender, req.matrix, req.layout, date)? {
        conflicts::Outcome::Done(a) => a,
        conflicts::Outcome::Refused(said) => {
            return Ok(Outcome::Refused(messages + &said.replace("no assessment written", NOTHING)));
        }
    };
    let mut problems = Vec::new();
    let (moderation, threshold) = moderation_rows(req, &e, &mut problems);
    let mut explanations = Vec::new();
    let mut decided_on = None;
    let key = crate::domain::name_key;
    let exclusions = match req.responses {
        Some(r) => {
            let decided = crate::app::exclusion::decide(&tender, r, req.on, date)?;
            explanations = decided.responses.abnormally_low.clone();
            decided_on = Some(decided.day);
            // A bidder the responses name under another name than its bid would be reported
            // as having declared nothing: refused instead.
            for b in &decided.responses.bidders {
                if !e.matrix.bids.iter().any(|bid| key(&bid.bidder) == key(&b.name)) {
                    let bids: Vec<&str> = e.matrix.bids.iter().map(|bid| bid.bidder.trim()).collect();
                    problems.push(format!(
                        "error: {}: '{}' is not a bidder in the matrix ({}): name each bidder as it bid, so its exclusion decision is stated against its bid",
                        r.name,
                        b.name.trim(),
                        bids.join(", ")
                    ));
                }
            }
            match decided.complete(NOTHING) {
                Ok(d) => Some(d),
                Err(said) => return Ok(Outcome::Refused(messages + &said)),
            }
        }
        None => None,
    };
    let prices = price_rows(&tender, &e, &explanations, date, req, &mut problems);
    let winner = e.ranking.standings.iter().find(|s| s.bid == e.ranking.meat[0]).expect("the first bid is ranked").bidder.trim().to_string();
    let mut notes = Vec::new();
    let exclusion_rows = match &exclusions {
        None => {
            messages += "warning: no exclusion decisions given (--responses): the report says so, and the approver should see the selection-stage record\n";
            Vec::new()
        }
        Some(decisions) => {
            // The responses' spelling of a bid's bidder (case and spaces aside), for their decisions.
            let spelled = |b: &str| decisions.iter().find(|d| key(&d.bidder) == key(b)).map_or_else(|| b.to_string(), |d| d.bidder.clone());
            let bidders: Vec<String> = e.matrix.bids.iter().map(|b| b.bidder.trim().to_string()).collect();
            let rows: Vec<ExclusionRow> = bidders
                .iter()
                .map(|b| {
                    let mine: Vec<String> = decisions
                        .iter()
                        .filter(|d| key(&d.bidder) == key(b))
                        .map(|d| format!("{}: {}", d.outcome.words(), d.reason))
                        .collect();
                    let outcome = bid_outcome(decisions, &spelled(b));
                    ExclusionRow {
                        bidder: b.clone(),
                        outcome: if mine.is_empty() { "no exclusion grounds declared".into() } else { outcome.words().to_string() },
                        grounds: mine.join("\n"),
                    }
                })
                .collect();
            let first = bid_outcome(decisions, &spelled(&winner));
            match first {
                Exclusion::Exclude => problems.push(format!(
                    "error: {}: {winner}, ranked first, must be excluded on the exclusion decision: take its bid out of the matrix and score again",
                    exclusions_file(req)
                )),
                Exclusion::MayExclude | Exclusion::MayReplace | Exclusion::Replace => notes.push(format!(
                    "{winner} declared a ground on which {}: the approver must see the buyer's decision on it before approving",
                    match first {
                        Exclusion::Replace => "the party concerned must be replaced",
                        _ => "the buyer may exclude it or require a party to be replaced, case by case",
                    }
                )),
                _ => {}
            }
            rows
        }
    };
    if !problems.is_empty() {
        return Ok(Outcome::Refused(format!("{messages}{}\n{NOTHING}: the report must state all of these\n", problems.join("\n"))));
    }
    // The single first bid was checked above, so there is a sensitivity report.
    let (_, lines) = crate::app::sensitivity::of(&e.matrix, &e.figures).expect("a single first bid");
    let sensitivity = lines.into_iter().map(|(heading, text)| Line { heading, text }).collect();
    let sent = req.sent.unwrap_or(date);
    let s = standstill(&tender, &req.tender.name, sent, req.by)?;
    let info = StandstillInfo::from(&s);
    let mut data = data(&tender, &e, &assessment, date, moderation, prices, exclusions.as_ref().map(|_| exclusion_rows), sensitivity, winner, &s, info, notes, req);
    data.spread_threshold = threshold.map(fmt_number).unwrap_or_default();
    data.exclusions_decided_on = decided_on.map(long).unwrap_or_default();
    Ok(Outcome::Done(Box::new(Report { data, messages })))
}

fn exclusions_file(req: &Request) -> String {
    req.responses.map_or_else(String::new, |r| r.name.clone())
}

/// Each (criterion, bid) of the moderation: every evaluator's score, the spread, the agreed score,
/// and why; a changed score with no reason is a problem. Also the spread the panel discusses,
/// where the matrix has a panel.
fn moderation_rows(req: &Request, e: &Evaluated, problems: &mut Vec<String>) -> (Vec<ModerationRow>, Option<f64>) {
    let (Some(md), Some((panel, layout))) = (&e.moderation, &e.panel) else { return (Vec::new(), None) };
    let m = &e.matrix;
    let threshold = panel.spread_threshold(m);
    let quality: Vec<usize> = (0..panel.evaluators.len()).filter(|&i| panel.evaluators[i].role == Role::Quality).collect();
    let mut rows = Vec::new();
    for c in 0..m.criterion_count() {
        for (b, bid) in m.bids.iter().enumerate() {
            let score_of = |i: usize| md.marks[c][b][i].as_ref().and_then(|x| x.score.number());
            let marks: Vec<f64> = quality.iter().filter(|&&i| !md.conflicted(i, b)).filter_map(|&i| score_of(i)).collect();
            if marks.is_empty() {
                continue;
            }
            let scores = quality
                .iter()
                .map(|&i| match score_of(i) {
                    _ if md.conflicted(i, b) => "conflict".to_string(),
                    Some(s) => fmt_number(s),
                    None => "-".to_string(),
                })
                .collect();
            // Agreed at the meeting, else (where the buyer chose it) the evaluators' mean.
            let (agreed, at_meeting) = match md.final_score(c, b, &m.scale, false).0.number() {
                Some(s) => (s, true),
                None => match md.mean(c, b, &m.scale) {
                    Some(mean) => (mean, false),
                    None => continue,
                },
            };
            let changed = marks.iter().any(|s| (s - agreed).abs() > 1e-9);
            let spread = md.spread(c, b, &m.scale);
            let reason = md.notes[c][b].trim().to_string();
            let discussed = spread.is_some_and(|s| s >= threshold - 1e-9);
            // A spread the panel must discuss is documented (guidance, "Evaluation Panel": the
            // moderation "fully transparent and documented"); a smaller difference may stand on
            // the evaluators' own comments.
            if discussed && changed && reason.is_empty() && at_meeting {
                let cell = crate::xlsx::CellRef::new(layout.row(c, b), layout.note_col);
                problems.push(format!(
                    "error: {}: Moderation!{cell}: {}, criterion {}: the evaluators' scores were far enough apart to be discussed, and the agreed score {} differs from an evaluator's, but no reason is recorded: write the panel's reason in the Note column",
                    req.matrix.name,
                    bid.bidder.trim(),
                    criterion_label(m, c),
                    fmt_number(agreed)
                ));
            }
            rows.push(ModerationRow {
                criterion: criterion_label(m, c),
                bidder: bid.bidder.trim().to_string(),
                scores,
                spread: spread.map(fmt_number).unwrap_or_else(|| "-".into()),
                discussed,
                agreed: if at_meeting { fmt_number(agreed) } else { fixed(agreed, 2) },
                basis: if at_meeting { "agreed at moderation" } else { "mean of the evaluators' scores" }.into(),
                changed,
                reason,
            });
        }
    }
    (rows, Some(threshold))
}

/// Each bid's price figures; an abnormally low bid must have its handling recorded.
fn price_rows(tender: &Tender, e: &Evaluated, explanations: &[abnormal::Handled], date: NaiveDate, req: &Request, problems: &mut Vec<String>) -> Vec<PriceRow> {
    let costs: Vec<Option<f64>> = e.figures.bids.iter().map(|f| f.whole_life_cost).collect();
    let qualifying: Vec<bool> = e.figures.bids.iter().map(|f| f.passed()).collect();
    e.matrix
        .bids
        .iter()
        .zip(&e.figures.bids)
        .enumerate()
        .map(|(b, (bid, f))| {
            let name = bid.bidder.trim();
            let handling = if f.abnormally_low {
                let test = abnormal::info(&e.matrix.price, &costs, &qualifying, b, date, tender.regime)
                    .map(|i| format!("{} is {}% below {} ({})", i.price, i.below_percent, i.compared_with, i.test))
                    .unwrap_or_default();
                match explanations.iter().find(|x| x.bidder.trim() == name) {
                    Some(x) if x.decision.trim() == "accepted" => format!(
                        "Abnormally low: {test}. An explanation was required ({}) and, assessed{}, accepted: {}",
                        law_of_explanation(tender.regime),
                        x.assessed.map(|d| format!(" on {}", long(d))).unwrap_or_default(),
                        x.reason.trim()
                    ),
                    Some(x) if x.decision.trim() == "rejected" => {
                        problems.push(format!(
                            "error: {}: {name}'s tender was rejected as abnormally low, but it is still in the evaluation: take it out of the matrix and score again",
                            exclusions_file(req)
                        ));
                        String::new()
                    }
                    Some(x) => {
                        problems.push(format!(
                            "error: {}: [[abnormally_low]] for {name}: decision '{}' is not 'accepted' or 'rejected'",
                            exclusions_file(req),
                            x.decision
                        ));
                        String::new()
                    }
                    None => {
                        problems.push(format!(
                            "error: {}: {name}'s price is abnormally low ({test}), and how it was handled is not recorded: add [[abnormally_low]] bidder = \"{name}\", assessed = YYYY-MM-DD, decision = \"accepted\" or \"rejected\", reason = \"...\" to the responses file (--responses); tenderkit letters abnormally-low writes the request",
                            req.responses.map_or("--responses", |r| r.name.as_str())
                        ));
                        String::new()
                    }
                }
            } else {
                String::new()
            };
            PriceRow {
                bidder: name.to_string(),
                whole_life_cost: f.whole_life_cost.map(|c| e.matrix.price.currency.fmt(c)).unwrap_or_else(|| "-".into()),
                price_score: f.price_score.filter(|_| f.passed()).map(|p| fixed(p, 2)).unwrap_or_else(|| "not scored (failed)".into()),
                abnormally_low: f.abnormally_low,
                handling,
            }
        })
        .collect()
}

fn law_of_explanation(regime: Regime) -> &'static str {
    match regime {
        Regime::Scotland2015 => "regulation 69(1) of the Public Contracts (Scotland) Regulations 2015",
        Regime::ProcurementAct2023 => "section 19(4) of the Procurement Act 2023",
    }
}

#[allow(clippy::too_many_arguments)]
fn data(
    tender: &Tender,
    e: &Evaluated,
    a: &Assessment,
    date: NaiveDate,
    moderation: Vec<ModerationRow>,
    prices: Vec<PriceRow>,
    exclusions: Option<Vec<ExclusionRow>>,
    robustness: Vec<Line>,
    winner: String,
    s: &crate::domain::standstill::Standstill,
    standstill: StandstillInfo,
    notes: Vec<String>,
    req: &Request,
) -> Data {
    let m = &e.matrix;
    let per_point = m.price.per_point();
    let criteria = m
        .criteria()
        .enumerate()
        .map(|(i, (s, c))| CriterionRow {
            section: m.sections[s].name.trim().to_string(),
            section_weight: m.sections[s].weight.number().map(fmt_number).unwrap_or_default(),
            reference: c.reference.trim().to_string(),
            title: c.title.trim().to_string(),
            weight: c.weight.number().map(fmt_number).unwrap_or_default(),
            effective_weight: e.figures.effective_weights.get(i).copied().flatten().map(|w| fixed(w, 2)).unwrap_or_default(),
            pass_mark: c.pass_mark.number().map(fmt_number).unwrap_or_else(|| "none".into()),
        })
        .collect();
    let panel = a
        .people
        .iter()
        .map(|[name, role, evaluates, by, on, n]| PanelRow {
            name: name.clone(),
            role: role.clone(),
            evaluates: evaluates.clone(),
            declared_by: by.clone(),
            declared_on: on.clone(),
            conflicts: n.clone(),
        })
        .collect();
    let conflicts = a
        .conflicts
        .iter()
        .map(|c| ConflictRow { person: c.person.clone(), bidder: c.bidder.clone(), nature: c.nature.clone(), step: c.step.clone() })
        .collect();
    let ranking: Vec<RankRow> = e
        .ranking
        .standings
        .iter()
        .map(|s| RankRow {
            rank: format!("{}{}", s.rank, if s.tied { "=" } else { "" }),
            bidder: s.bidder.trim().to_string(),
            quality: fixed(s.quality, 2),
            quality_weighted: fixed(s.quality_weighted, 2),
            whole_life_cost: e.matrix.price.currency.fmt(s.whole_life_cost),
            price_score: fixed(s.price_score, 2),
            total: if per_point { e.matrix.price.currency.fmt(s.total) } else { fixed(s.total, 2) },
            parts: (s.quality_weighted, s.price_score),
            value: s.total,
        })
        .collect();
    let failed: Vec<FailedRow> = e
        .ranking
        .failed
        .iter()
        .map(|f| FailedRow { bidder: f.bidder.trim().to_string(), quality: fixed(f.quality, 2), reasons: f.reasons.join("; ") })
        .collect();
    let chart = document::chart_words(&ranking, &failed, per_point);
    let top = &ranking[0];
    let recommendation = if per_point {
        format!(
            "That the contract is awarded to {winner}, whose tender is the most economically advantageous: the lowest whole-life cost per quality point ({} per point), with a quality score of {} out of 100.",
            top.total, top.quality
        )
    } else {
        format!(
            "That the contract is awarded to {winner}, whose tender is the most economically advantageous: it ranks first with {} points out of 100 ({} for quality, {} for price).",
            top.total, top.quality_weighted, top.price_score
        )
    };
    let standstill_words = document::standstill_words(s, &standstill, req.sent.is_some());
    Data {
        title: "Evaluation report and award recommendation".into(),
        reference: tender.reference.trim().to_string(),
        tender_title: tender.title.trim().to_string(),
        organisation: tender.organisation.clone().unwrap_or_default(),
        date: long(date),
        law: tender.regime.name().to_string(),
        procedure: tender.procedure.name_under(tender.regime).to_string(),
        thresholds: if tender.above_threshold { "above the thresholds" } else { "below the thresholds" }.into(),
        contract_type: format!("{:?}", tender.contract_type).to_lowercase(),
        estimated_value: tender.estimated_value.map(|v| tender.price.currency.fmt(v)).unwrap_or_else(|| "not stated".into()),
        tender_date: tender.tender_date.map(long).unwrap_or_else(|| "not stated".into()),
        price_weight: m.split.price.number().map(fmt_number).unwrap_or_default(),
        quality_weight: m.split.quality.number().map(fmt_number).unwrap_or_default(),
        minimum_quality: m.minimum_quality.number().map(fmt_number).unwrap_or_else(|| "none".into()),
        scale: format!("{} to {}", fmt_number(m.scale.min()), fmt_number(m.scale.max())),
        criteria,
        panel,
        conflicts,
        conflicts_law: a.law.to_string(),
        spread_threshold: String::new(),
        evaluators: a.people.iter().filter(|p| p[1].starts_with(Role::Quality.name())).map(|p| p[0].clone()).collect(),
        moderation,
        price_method: m.price.describe(m.split.price.number().unwrap_or_default()),
        prices,
        agreed_costs: agreed_costs(e),
        exclusions_decided_on: String::new(),
        exclusions: exclusions.unwrap_or_default(),
        ranking,
        failed,
        chart,
        per_point,
        robustness,
        winner,
        recommendation,
        standstill,
        standstill_words,
        notes,
    }
}

/// The costs the commercial evaluators returned differently, and the amount they agreed.
fn agreed_costs(e: &Evaluated) -> Vec<AgreedCostRow> {
    let Some(md) = &e.moderation else { return Vec::new() };
    let mut out = Vec::new();
    for (b, bid) in e.matrix.bids.iter().enumerate() {
        for (k, component) in md.components.iter().enumerate() {
            let Some(agreed) = md.agreed[b][k].number() else { continue };
            let returned: Vec<String> = md.costs[b][k].iter().flatten().filter_map(|(a, _)| a.number()).map(|a| e.matrix.price.currency.fmt(a)).collect();
            out.push(AgreedCostRow {
                bidder: bid.bidder.trim().to_string(),
                component: component.label().to_string(),
                returned: returned.join(", "),
                agreed: e.matrix.price.currency.fmt(agreed),
                reason: md.agreed_notes[b][k].trim().to_string(),
            });
        }
    }
    out
}
