//! Moderation (guidance, "Evaluation Panel", "Do's and Don'ts of Tender Evaluation",
//! "Unsuccessful Bids"): evaluators score independently and return their scores with
//! justifications; the panel then meets and agrees a consensus score for each criterion and bid.
//! The agreed scores, not an average, are the final ones, unless the buyer decides otherwise
//! (`--use-mean`), which is recorded.

use serde::Serialize;

use crate::domain::declaration::Declared;
use crate::domain::finding::{Finding, Rule, Subject};
use crate::domain::matrix::{CostComponent, Entry, Matrix};
use crate::domain::panel::{Panel, Role};
use crate::domain::scale::{Scale, fmt_number};
use crate::domain::scoring::{Figures, Ranking, compute, ranking};
use crate::domain::validate::{Stage, validate};

/// One row of a quality evaluator's return, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct ReturnedScore {
    pub criterion: String,
    pub bidder: String,
    pub score: Entry,
    pub justification: String,
}

/// One bid's costs in a commercial evaluator's return, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct ReturnedCosts {
    pub bidder: String,
    pub amounts: Vec<(CostComponent, Entry)>,
    pub note: String,
}

/// An evaluator's return, as read from its file.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluatorReturn {
    pub tender: String,
    pub evaluator: String,
    /// Who the return was issued to, where that is known (recorded in the file when it was made,
    /// or its file name as issued): a return naming someone else is not theirs to send.
    pub issued_to: Option<String>,
    /// `None` where the return does not say (or says something unknown).
    pub role: Option<Role>,
    pub scores: Vec<ReturnedScore>,
    pub costs: Vec<ReturnedCosts>,
}

/// Where an evaluator's figures came from, for the audit trail.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Source {
    pub file: String,
    pub sha256: String,
    /// When the return was collected (RFC 3339).
    pub collected: String,
}

/// One evaluator's score for one criterion and bid.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub score: Entry,
    pub justification: String,
}

/// Why a final score is what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// Agreed at the moderation meeting.
    Consensus,
    /// The mean of the evaluators' scores, because the buyer chose `--use-mean`.
    Mean,
    /// Not decided yet.
    None,
}

/// Everything the panel returned, and what it agreed.
#[derive(Clone, Debug, PartialEq)]
pub struct Moderation {
    /// Per panel evaluator, the return their figures came from (None: not returned yet).
    pub sources: Vec<Option<Source>>,
    /// `[criterion][bid][evaluator]`.
    pub marks: Vec<Vec<Vec<Option<Mark>>>>,
    /// `[criterion][bid]`: the agreed score.
    pub consensus: Vec<Vec<Entry>>,
    pub notes: Vec<Vec<String>>,
    /// The matrix's cost components, in order.
    pub components: Vec<CostComponent>,
    /// `[bid][component][evaluator]`: amount and note.
    pub costs: Vec<Vec<Vec<Option<ReturnedAmount>>>>,
    /// `[bid][component]`: the agreed amount, where the commercial evaluators differed.
    pub agreed: Vec<Vec<Entry>>,
    /// `[bid][component]`: why that amount was agreed.
    pub agreed_notes: Vec<Vec<String>>,
    /// Per panel evaluator, their completed declaration (None: no return yet).
    pub declarations: Vec<Option<Declared>>,
}

/// An amount a commercial evaluator returned, with their note.
pub type ReturnedAmount = (Entry, String);

/// Costs closer than half a penny agree.
const SAME_AMOUNT: f64 = 0.005;

impl Moderation {
    /// An empty moderation for `m` and `panel`: nothing returned, nothing agreed.
    pub fn new(m: &Matrix, panel: &Panel) -> Moderation {
        let (n, b, e) = (m.criterion_count(), m.bids.len(), panel.evaluators.len());
        let components = m
            .bids
            .first()
            .map(|bid| bid.costs.iter().map(|c| c.component).collect::<Vec<_>>())
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| vec![CostComponent::Acquisition, CostComponent::Operating, CostComponent::EndOfLife]);
        Moderation {
            sources: vec![None; e],
            marks: vec![vec![vec![None; e]; b]; n],
            consensus: vec![vec![Entry::Empty; b]; n],
            notes: vec![vec![String::new(); b]; n],
            costs: vec![vec![vec![None; e]; components.len()]; b],
            agreed: vec![vec![Entry::Empty; components.len()]; b],
            agreed_notes: vec![vec![String::new(); components.len()]; b],
            components,
            declarations: vec![None; e],
        }
    }

    /// Replaces everything evaluator `e` returned with `accepted`.
    pub fn put(&mut self, e: usize, source: Source, accepted: &Accepted) {
        self.sources[e] = Some(source);
        for per_bid in self.marks.iter_mut().flatten() {
            per_bid[e] = None;
        }
        for per_component in self.costs.iter_mut().flatten() {
            per_component[e] = None;
        }
        // Nothing counts for a bidder the evaluator declared a conflict with.
        let declared = accepted.declared.clone();
        let conflicted = |b: &usize| declared.as_ref().is_some_and(|d| d.conflict_with(*b).is_some());
        for (c, b, mark) in accepted.marks.iter().filter(|(_, b, _)| !conflicted(b)) {
            self.marks[*c][*b][e] = Some(mark.clone());
        }
        for (b, k, amount, note) in accepted.costs.iter().filter(|(b, ..)| !conflicted(b)) {
            self.costs[*b][*k][e] = Some((amount.clone(), note.clone()));
        }
        self.declarations[e] = declared;
    }

    /// Whether evaluator `e` declared a conflict of interest with bid `b`.
    pub fn conflicted(&self, e: usize, b: usize) -> bool {
        self.declarations.get(e).and_then(Option::as_ref).is_some_and(|d| d.conflict_with(b).is_some())
    }

    /// The scores that count: numbers on the scale.
    fn valid_scores(&self, c: usize, b: usize, scale: &Scale) -> Vec<f64> {
        self.marks[c][b].iter().flatten().filter_map(|m| m.score.number()).filter(|s| scale.holds(*s)).collect()
    }

    /// The mean of the evaluators' valid scores.
    pub fn mean(&self, c: usize, b: usize, scale: &Scale) -> Option<f64> {
        let v = self.valid_scores(c, b, scale);
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }

    /// Highest minus lowest valid score, where at least two evaluators scored.
    pub fn spread(&self, c: usize, b: usize, scale: &Scale) -> Option<f64> {
        let v = self.valid_scores(c, b, scale);
        (v.len() >= 2).then(|| v.iter().copied().fold(f64::MIN, f64::max) - v.iter().copied().fold(f64::MAX, f64::min))
    }

    /// The final score and why: the consensus; else, with `use_mean`, the mean; else none.
    pub fn final_score(&self, c: usize, b: usize, scale: &Scale, use_mean: bool) -> (Entry, Basis) {
        match &self.consensus[c][b] {
            Entry::Empty if use_mean => match self.mean(c, b, scale) {
                Some(m) => (Entry::Number(m), Basis::Mean),
                None => (Entry::Empty, Basis::None),
            },
            Entry::Empty => (Entry::Empty, Basis::None),
            e => (e.clone(), Basis::Consensus),
        }
    }

    /// The final amount: the agreed one; else the commercial evaluators' amount where they all
    /// entered it and agree to the penny; else none.
    pub fn final_cost(&self, b: usize, k: usize, commercial: usize) -> Entry {
        if !self.agreed[b][k].is_empty() {
            return self.agreed[b][k].clone();
        }
        let amounts: Vec<f64> = self.costs[b][k].iter().flatten().filter_map(|(a, _)| a.number()).collect();
        let (lo, hi) = (amounts.iter().copied().fold(f64::MAX, f64::min), amounts.iter().copied().fold(f64::MIN, f64::max));
        if commercial > 0 && amounts.len() == commercial && hi - lo < SAME_AMOUNT { Entry::Number(amounts[0]) } else { Entry::Empty }
    }
}

/// A return accepted into the moderation: its evaluator and its figures, by matrix index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Accepted {
    pub evaluator: usize,
    /// (criterion, bid, mark)
    pub marks: Vec<(usize, usize, Mark)>,
    /// (bid, component, amount, note)
    pub costs: Vec<(usize, usize, Entry, String)>,
    /// The return's completed declaration.
    pub declared: Option<Declared>,
}

use crate::domain::matrix::name_key as key;

/// Checks a return and maps its rows onto the matrix. A return for another tender, from someone
/// not on the panel, or in the wrong role, is refused whole (errors); rows it cannot place are
/// left out with a warning. `file` is the return's index among those being collected.
pub fn accept(panel: &Panel, m: &Matrix, r: &EvaluatorReturn, file: usize) -> (Option<Accepted>, Vec<Finding>) {
    let subject = Subject::Return { file };
    let who = if r.evaluator.trim().is_empty() { "(no evaluator named)".to_string() } else { r.evaluator.trim().to_string() };
    if key(&r.tender) != key(&panel.tender) {
        let f = Finding::error(
            Rule::WrongTender,
            Subject::ReturnTender { file },
            format!("the return from {who} is for tender '{}', not '{}'", r.tender.trim(), panel.tender.trim()),
            format!("ask {who} for their return for tender {}", panel.tender.trim()),
        );
        return (None, vec![f]);
    }
    let Some(role) = r.role else {
        let f = Finding::error(
            Rule::ReturnRefused,
            subject,
            format!("the return from {who} does not say whether it is a quality or a commercial return"),
            "use a return made by `tenderkit returns new`",
        );
        return (None, vec![f]);
    };
    if let Some(issued) = r.issued_to.as_deref().filter(|i| key(i) != key(&r.evaluator)) {
        let f = Finding::error(
            Rule::ReturnRefused,
            subject,
            format!("the return says it is from '{}', but it was issued to {}", r.evaluator.trim(), issued.trim()),
            format!("ask {} to send their own return unchanged; nobody scores in another evaluator's name", issued.trim()),
        );
        return (None, vec![f]);
    }
    let Some(e) = panel.find(&r.evaluator, role) else {
        let (message, fix) = match panel.evaluators.iter().position(|x| key(&x.name) == key(&r.evaluator)) {
            Some(i) => (
                format!("{who} sent a {} return but is on the panel as a {} evaluator", role.name(), panel.evaluators[i].role.name()),
                "check the return, and that nobody assesses both quality and price".to_string(),
            ),
            None => (
                format!("{who} is not on the evaluation panel for this tender"),
                "set the return aside, or add the evaluator to panel.toml if they are on the panel".to_string(),
            ),
        };
        return (None, vec![Finding::error(Rule::ReturnRefused, subject, message, fix)]);
    };
    let mut findings = Vec::new();
    let mut accepted = Accepted { evaluator: e, ..Accepted::default() };
    let criteria: Vec<String> = m.criteria().map(|(_, c)| key(&c.reference)).collect();
    let assigned = panel.criteria_of(e, m);
    let bid_of = |name: &str| m.bids.iter().position(|b| key(&b.bidder) == key(name));
    let mut ignore = |what: String| {
        findings.push(Finding::warning(
            Rule::ReturnRowIgnored,
            subject.clone(),
            what,
            "correct the row in the return and collect it again",
        ));
    };
    for row in &r.scores {
        let Some(c) = criteria.iter().position(|k| *k == key(&row.criterion)) else {
            ignore(format!("{who}'s return scores criterion '{}', which is not in the matrix; the row is left out", row.criterion));
            continue;
        };
        let Some(b) = bid_of(&row.bidder) else {
            ignore(format!("{who}'s return scores bidder '{}', who is not in the matrix; the row is left out", row.bidder));
            continue;
        };
        if !assigned.contains(&c) {
            ignore(format!("{who} is not on the panel for criterion {}; their score is left out", row.criterion));
            continue;
        }
        if accepted.marks.iter().any(|(x, y, _)| (*x, *y) == (c, b)) {
            ignore(format!("{who}'s return scores {} on criterion {} twice; the first row counts", row.bidder, row.criterion));
            continue;
        }
        accepted.marks.push((c, b, Mark { score: row.score.clone(), justification: row.justification.trim().to_string() }));
    }
    let components: Vec<CostComponent> = Moderation::new(m, panel).components;
    for row in &r.costs {
        let Some(b) = bid_of(&row.bidder) else {
            ignore(format!("{who}'s return has costs for '{}', who is not in the matrix; the row is left out", row.bidder));
            continue;
        };
        for (component, amount) in &row.amounts {
            if let Some(k) = components.iter().position(|c| c == component) {
                accepted.costs.push((b, k, amount.clone(), row.note.trim().to_string()));
            }
        }
    }
    if role == Role::Quality && !r.costs.is_empty() {
        ignore(format!("{who} is a quality evaluator, so the costs in their return are left out"));
        accepted.costs.clear();
    }
    if role == Role::Commercial && !r.scores.is_empty() {
        ignore(format!("{who} is a commercial evaluator, so the quality scores in their return are left out"));
        accepted.marks.clear();
    }
    (Some(accepted), findings)
}

/// Words that restate a scale rather than describe a submission.
const FILLER: [&str; 44] = [
    "a",
    "an",
    "and",
    "the",
    "this",
    "it",
    "its",
    "their",
    "is",
    "was",
    "are",
    "be",
    "been",
    "being",
    "as",
    "of",
    "to",
    "in",
    "on",
    "overall",
    "very",
    "quite",
    "fully",
    "completely",
    "partially",
    "generally",
    "broadly",
    "relevant",
    "response",
    "responses",
    "answer",
    "submission",
    "bid",
    "tender",
    "considered",
    "deemed",
    "scored",
    "score",
    "rated",
    "judged",
    "meets",
    "requirement",
    "requirements",
    "with",
];

/// Whether a justification only restates the scale (guidance, "Unsuccessful Bids": comments must
/// identify the features of the submission, not just say "relevant and good").
pub fn restates_scale(justification: &str, scale: &Scale) -> bool {
    let words: Vec<String> = justification.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    if words.is_empty() {
        return false;
    }
    let descriptors: Vec<String> =
        scale.points().iter().flat_map(|p| p.descriptor.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>()).collect();
    let named_a_descriptor = words.iter().any(|w| descriptors.contains(w));
    let substance = words.iter().any(|w| !descriptors.contains(w) && !FILLER.contains(&w.as_str()) && w.parse::<f64>().is_err());
    if named_a_descriptor && !substance {
        return true;
    }
    // The methodology's own words pasted in.
    let text = words.join(" ");
    words.len() >= 4
        && scale.points().iter().any(|p| {
            let meaning: Vec<String> =
                p.meaning.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
            meaning.join(" ").contains(&text)
        })
}

pub(crate) fn criterion_label(m: &Matrix, c: usize) -> String {
    m.criteria().nth(c).map(|(_, x)| x.reference.trim().to_string()).unwrap_or_default()
}

/// Everything the moderation meeting needs to look at, each with the evaluator, criterion and
/// bid it concerns.
pub fn flags(panel: &Panel, m: &Matrix, md: &Moderation) -> Vec<Finding> {
    let mut out = Vec::new();
    let threshold = panel.spread_threshold(m);
    for (e, ev) in panel.evaluators.iter().enumerate() {
        let name = ev.name.trim();
        if md.sources[e].is_none() {
            out.push(Finding::warning(
                Rule::ReturnOutstanding,
                Subject::Evaluator { evaluator: e },
                format!("no {} return from {name} yet", ev.role.name()),
                format!("chase {name}'s return and collect it"),
            ));
            continue;
        }
        if ev.role == Role::Quality {
            for c in panel.criteria_of(e, m) {
                for (b, bid) in m.bids.iter().enumerate() {
                    if md.conflicted(e, b) {
                        continue;
                    }
                    let what = format!("{name}, {}, criterion {}", bid.bidder.trim(), criterion_label(m, c));
                    let subject = Subject::Returned { evaluator: e, criterion: c, bid: b };
                    let mark = md.marks[c][b][e].as_ref();
                    match mark.map(|x| &x.score) {
                        None | Some(Entry::Empty) => out.push(Finding::error(
                            Rule::ReturnScoreMissing,
                            subject,
                            format!("{what}: no score"),
                            format!("ask {name} to score it and return the file again"),
                        )),
                        Some(Entry::Text(t)) => out.push(Finding::error(
                            Rule::ReturnScoreInvalid,
                            subject,
                            format!("{what}: the score is '{t}', not a number"),
                            format!("ask {name} for one of {}", m.scale.values_text()),
                        )),
                        Some(Entry::Number(s)) if !m.scale.holds(*s) => out.push(Finding::error(
                            Rule::ReturnScoreInvalid,
                            subject,
                            format!("{what}: score {} is not on the {} scale", fmt_number(*s), m.scale.name()),
                            format!("ask {name} for one of {}", m.scale.values_text()),
                        )),
                        Some(Entry::Number(_)) => {}
                    }
                    let Some(mark) = mark.filter(|x| !x.score.is_empty()) else { continue };
                    let subject = Subject::Justification { evaluator: e, criterion: c, bid: b };
                    if mark.justification.trim().is_empty() {
                        out.push(Finding::warning(
                            Rule::JustificationMissing,
                            subject,
                            format!("{what}: no justification for the score"),
                            "every score needs a justification naming the features of the submission that earned it",
                        ));
                    } else if restates_scale(&mark.justification, &m.scale) {
                        out.push(Finding::warning(
                            Rule::JustificationRestatesScale,
                            subject,
                            format!("{what}: the justification '{}' only restates the scoring scale", mark.justification.trim()),
                            "say which features of the submission justify the score, and what would have scored higher",
                        ));
                    }
                }
            }
        }
    }
    for c in 0..m.criterion_count() {
        for (b, bid) in m.bids.iter().enumerate() {
            if let Some(s) = md.spread(c, b, &m.scale).filter(|s| *s >= threshold - 1e-9) {
                let v = md.valid_scores(c, b, &m.scale);
                out.push(Finding::warning(
                    Rule::SpreadNeedsDiscussion,
                    Subject::Consensus { criterion: c, bid: b },
                    format!(
                        "{}, criterion {}: evaluators' scores range from {} to {} (a spread of {}; the panel discusses spreads of {} or more)",
                        bid.bidder.trim(),
                        criterion_label(m, c),
                        fmt_number(v.iter().copied().fold(f64::MAX, f64::min)),
                        fmt_number(v.iter().copied().fold(f64::MIN, f64::max)),
                        fmt_number(s),
                        fmt_number(threshold)
                    ),
                    "discuss it at the moderation meeting and record the agreed score and why",
                ));
            }
            if let Some(bad) = match &md.consensus[c][b] {
                Entry::Number(n) if !m.scale.holds(*n) => Some(fmt_number(*n)),
                Entry::Text(t) => Some(format!("'{t}'")),
                _ => None,
            } {
                out.push(Finding::error(
                    Rule::ConsensusInvalid,
                    Subject::Consensus { criterion: c, bid: b },
                    format!(
                        "{}, criterion {}: the agreed score {bad} is not on the {} scale",
                        bid.bidder.trim(),
                        criterion_label(m, c),
                        m.scale.name()
                    ),
                    format!("record one of {}", m.scale.values_text()),
                ));
            }
        }
    }
    out.extend(crate::domain::declaration::conflict_flags(panel, m, md));
    let commercial = panel.in_role(Role::Commercial);
    for (b, bid) in m.bids.iter().enumerate() {
        for (k, component) in md.components.iter().enumerate() {
            let mut amounts = Vec::new();
            for &e in commercial.iter().filter(|&&e| md.sources[e].is_some() && !md.conflicted(e, b)) {
                let name = panel.evaluators[e].name.trim();
                let subject = Subject::ReturnedCost { evaluator: e, bid: b, cost: k };
                match md.costs[b][k][e].as_ref().map(|x| &x.0) {
                    None | Some(Entry::Empty) => out.push(Finding::error(
                        Rule::ReturnCostMissing,
                        subject,
                        format!("{name}, {}: no {}", bid.bidder.trim(), component.label()),
                        format!("ask {name} to enter it from the price schedule (0 where the bid has none)"),
                    )),
                    Some(Entry::Text(t)) => out.push(Finding::error(
                        Rule::ReturnCostMissing,
                        subject,
                        format!("{name}, {}: the {} is '{t}', not a number", bid.bidder.trim(), component.label()),
                        "ask for the amount as a number",
                    )),
                    Some(Entry::Number(n)) => amounts.push((name, *n)),
                }
            }
            let (lo, hi) = (amounts.iter().map(|a| a.1).fold(f64::MAX, f64::min), amounts.iter().map(|a| a.1).fold(f64::MIN, f64::max));
            if amounts.len() >= 2 && hi - lo >= SAME_AMOUNT && md.agreed[b][k].is_empty() {
                out.push(Finding::warning(
                    Rule::CostsDisagree,
                    Subject::AgreedCost { bid: b, cost: k },
                    format!(
                        "{}: the commercial evaluators' figures for the {} differ ({})",
                        bid.bidder.trim(),
                        component.label(),
                        amounts.iter().map(|(n, a)| format!("{n} {}", m.price.currency.fmt(*a))).collect::<Vec<_>>().join(", ")
                    ),
                    "check the price schedule together and record the agreed amount",
                ));
            }
        }
    }
    out
}

/// The matrix with its final scores and costs from the moderation (blank where undecided), and
/// how each score was decided.
pub fn final_matrix(panel: &Panel, m: &Matrix, md: &Moderation, use_mean: bool) -> (Matrix, Vec<Vec<Basis>>) {
    let mut out = m.clone();
    let mut basis = vec![vec![Basis::None; m.bids.len()]; m.criterion_count()];
    for (c, per_bid) in basis.iter_mut().enumerate() {
        for (b, why) in per_bid.iter_mut().enumerate() {
            let (score, w) = md.final_score(c, b, &m.scale, use_mean);
            out.bids[b].scores[c] = score;
            *why = w;
        }
    }
    let commercial = panel.in_role(Role::Commercial);
    for (b, bid) in out.bids.iter_mut().enumerate() {
        // A commercial evaluator with a declared conflict does not enter this bid's figures.
        let entering = commercial.iter().filter(|&&e| !md.conflicted(e, b)).count();
        for (k, component) in md.components.iter().enumerate() {
            if let Some(cost) = bid.costs.iter_mut().find(|x| x.component == *component) {
                cost.amount = md.final_cost(b, k, entering);
            }
        }
    }
    (out, basis)
}

/// The final matrix, or, where a score or cost is not decided, an error naming each one.
pub fn apply(panel: &Panel, m: &Matrix, md: &Moderation, use_mean: bool) -> Result<(Matrix, Vec<Vec<Basis>>), Vec<Finding>> {
    let (out, basis) = final_matrix(panel, m, md, use_mean);
    let mut missing = Vec::new();
    for (c, per_bid) in basis.iter().enumerate() {
        for (b, why) in per_bid.iter().enumerate() {
            if *why != Basis::None {
                continue;
            }
            let scored: Vec<String> = md.marks[c][b]
                .iter()
                .flatten()
                .map(|x| match &x.score {
                    Entry::Number(n) => fmt_number(*n),
                    Entry::Text(t) => format!("'{t}'"),
                    Entry::Empty => "-".into(),
                })
                .collect();
            missing.push(Finding::error(
                Rule::ConsensusMissing,
                Subject::Consensus { criterion: c, bid: b },
                format!(
                    "{}, criterion {}: no agreed score{}",
                    m.bids[b].bidder.trim(),
                    criterion_label(m, c),
                    if scored.is_empty() { String::new() } else { format!(" (the evaluators scored {})", scored.join(", ")) }
                ),
                "record the score agreed at the moderation meeting, or pass --use-mean to use the evaluators' mean (which is recorded)",
            ));
        }
    }
    for (b, bid) in out.bids.iter().enumerate() {
        for (k, component) in md.components.iter().enumerate() {
            if bid.costs.iter().find(|x| x.component == *component).is_none_or(|x| x.amount.is_empty()) {
                missing.push(Finding::error(
                    Rule::CostNotAgreed,
                    Subject::AgreedCost { bid: b, cost: k },
                    format!(
                        "{}: the {} is not agreed (the commercial evaluators' figures are missing or differ)",
                        bid.bidder.trim(),
                        component.label()
                    ),
                    "record the amount the commercial evaluators agreed from the price schedule",
                ));
            }
        }
    }
    if missing.is_empty() { Ok((out, basis)) } else { Err(missing) }
}

/// The award decision from a moderated matrix: the final matrix, how each score was decided,
/// its figures and ranking, and the warnings; or the errors that stop it (undecided scores or
/// costs, or a matrix that fails validation). A mean between two of the scale's points is not an
/// error: the buyer chose means, and the decision records it.
pub fn decide(panel: &Panel, m: &Matrix, md: &Moderation, use_mean: bool) -> Result<Decision, Vec<Finding>> {
    let (matrix, basis) = apply(panel, m, md, use_mean)?;
    let findings: Vec<Finding> = validate(&matrix, Stage::Award)
        .into_iter()
        .filter(|f| !matches!((f.rule, &f.subject), (Rule::ScoreOffScale, Subject::Score { criterion, bid }) if basis[*criterion][*bid] == Basis::Mean))
        .collect();
    if findings.iter().any(Finding::is_error) {
        return Err(findings);
    }
    let figures = compute(&matrix);
    let ranking = ranking(&matrix, &figures);
    let by_mean = basis.iter().flatten().filter(|b| **b == Basis::Mean).count();
    Ok(Decision { matrix, basis, figures, ranking, warnings: findings, by_mean })
}

pub struct Decision {
    pub matrix: Matrix,
    pub basis: Vec<Vec<Basis>>,
    pub figures: Figures,
    pub ranking: Ranking,
    pub warnings: Vec<Finding>,
    /// How many final scores are evaluators' means rather than agreed scores.
    pub by_mean: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::panel::Evaluator;
    use crate::domain::validate::tests::sample;

    fn panel() -> Panel {
        let e = |n: &str, role| Evaluator { name: n.into(), role, criteria: vec![], email: None };
        Panel {
            tender: "T-1".into(),
            spread: None,
            evaluators: vec![e("Ann", Role::Quality), e("Bo", Role::Quality), e("Cy", Role::Commercial), e("Di", Role::Commercial)],
        }
    }

    fn quality_return(who: &str, scores: &[(&str, &str, Entry, &str)]) -> EvaluatorReturn {
        EvaluatorReturn {
            tender: "T-1".into(),
            evaluator: who.into(),
            issued_to: None,
            role: Some(Role::Quality),
            scores: scores
                .iter()
                .map(|(c, b, s, j)| ReturnedScore {
                    criterion: c.to_string(),
                    bidder: b.to_string(),
                    score: s.clone(),
                    justification: j.to_string(),
                })
                .collect(),
            costs: vec![],
        }
    }

    fn source() -> Source {
        Source { file: "r.xlsx".into(), sha256: "00".into(), collected: "2026-11-23T10:00:00Z".into() }
    }

    #[test]
    fn descriptor_restatements_are_recognised() {
        let s = Scale::matrix();
        for t in [
            "relevant and good",
            "Response is acceptable",
            "Good.",
            "Excellent response, very good overall",
            "The response is relevant and acceptable",
        ] {
            assert!(restates_scale(t, &s), "{t}");
        }
        for t in [
            "Good plan for winter gritting with named supervisors",
            "Weekly KPI reporting; no depot within 20 miles",
            "",
            "Meets the requirement",
        ] {
            assert!(!restates_scale(t, &s), "{t}");
        }
        // The methodology's own words, pasted in.
        assert!(restates_scale("Covers some of the requirement, with too little detail", &s));
    }

    #[test]
    fn returns_for_other_tenders_or_people_are_refused() {
        let m = sample();
        let mut r = quality_return("Ann", &[]);
        r.tender = "OTHER".into();
        let (a, f) = accept(&panel(), &m, &r, 0);
        assert!(
            a.is_none()
                && f[0].rule == Rule::WrongTender
                && f[0].message.contains("for tender 'OTHER', not 'T-1'")
                && f[0].subject == Subject::ReturnTender { file: 0 }
        );
        let (a, f) = accept(&panel(), &m, &quality_return("Zed", &[]), 1);
        assert!(a.is_none() && f[0].message.contains("Zed is not on the evaluation panel") && f[0].subject == Subject::Return { file: 1 });
        let mut r = quality_return("Cy", &[]);
        r.role = Some(Role::Quality);
        let (a, f) = accept(&panel(), &m, &r, 0);
        assert!(a.is_none() && f[0].message.contains("on the panel as a commercial evaluator"));
    }

    #[test]
    fn every_flag_names_evaluator_criterion_and_bid() {
        let m = sample();
        let p = panel();
        let mut md = Moderation::new(&m, &p);
        let ann = quality_return(
            "Ann",
            &[
                ("1.1", "Alpha Ltd", Entry::Number(4.0), "Named depot manager; 24h call-out"),
                ("1.2", "Alpha Ltd", Entry::Number(7.0), "x"),
                ("2.1", "Alpha Ltd", Entry::Number(1.0), ""),
                ("1.1", "Beta plc", Entry::Number(3.0), "relevant and good"),
            ],
        );
        let (a, f) = accept(&p, &m, &ann, 0);
        assert!(f.is_empty());
        md.put(0, source(), &a.unwrap());
        let bo = quality_return("Bo", &[("1.1", "Alpha Ltd", Entry::Number(1.0), "Thin method statement")]);
        md.put(1, source(), &accept(&p, &m, &bo, 1).0.unwrap());
        let f = flags(&p, &m, &md);
        let has = |rule: Rule, subject: Subject| f.iter().any(|x| x.rule == rule && x.subject == subject);
        assert!(has(Rule::ReturnScoreInvalid, Subject::Returned { evaluator: 0, criterion: 1, bid: 0 }));
        assert!(has(Rule::JustificationMissing, Subject::Justification { evaluator: 0, criterion: 2, bid: 0 }));
        assert!(has(Rule::JustificationRestatesScale, Subject::Justification { evaluator: 0, criterion: 0, bid: 1 }));
        assert!(has(Rule::ReturnScoreMissing, Subject::Returned { evaluator: 0, criterion: 0, bid: 2 }));
        assert!(has(Rule::SpreadNeedsDiscussion, Subject::Consensus { criterion: 0, bid: 0 }));
        assert!(has(Rule::ReturnOutstanding, Subject::Evaluator { evaluator: 2 }));
        let spread = f.iter().find(|x| x.rule == Rule::SpreadNeedsDiscussion).unwrap();
        assert!(
            spread.message.contains(
                "Alpha Ltd, criterion 1.1: evaluators' scores range from 1 to 4 (a spread of 3; the panel discusses spreads of 2 or more)"
            ),
            "{}",
            spread.message
        );
    }

    #[test]
    fn recollecting_replaces_only_that_evaluators_scores() {
        let m = sample();
        let p = panel();
        let mut md = Moderation::new(&m, &p);
        md.put(0, source(), &accept(&p, &m, &quality_return("Ann", &[("1.1", "Alpha Ltd", Entry::Number(2.0), "a")]), 0).0.unwrap());
        md.put(1, source(), &accept(&p, &m, &quality_return("Bo", &[("1.1", "Alpha Ltd", Entry::Number(3.0), "b")]), 1).0.unwrap());
        md.consensus[0][0] = Entry::Number(3.0);
        md.put(0, source(), &accept(&p, &m, &quality_return("Ann", &[("1.1", "Alpha Ltd", Entry::Number(4.0), "c")]), 0).0.unwrap());
        assert_eq!(md.marks[0][0][0].as_ref().unwrap().score, Entry::Number(4.0));
        assert_eq!(md.marks[0][0][1].as_ref().unwrap().score, Entry::Number(3.0));
        assert_eq!(md.consensus[0][0], Entry::Number(3.0));
    }

    #[test]
    fn final_scores_need_consensus_unless_the_mean_is_chosen() {
        let m = sample();
        let p = panel();
        let mut md = Moderation::new(&m, &p);
        for (e, s) in [(0, 2.0), (1, 3.0)] {
            let rows: Vec<(&str, &str, Entry, &str)> = ["1.1", "1.2", "2.1"]
                .iter()
                .flat_map(|c| ["Alpha Ltd", "Beta plc", "Gamma LLP"].map(|b| (*c, b, Entry::Number(s), "detail")))
                .collect();
            md.put(e, source(), &accept(&p, &m, &quality_return(["Ann", "Bo"][e], &rows), e).0.unwrap());
        }
        let err = apply(&p, &m, &md, false).unwrap_err();
        assert!(err.iter().any(|f| f.rule == Rule::ConsensusMissing && f.message.contains("the evaluators scored 2, 3")));
        md.consensus[0][0] = Entry::Number(3.0);
        assert_eq!(md.final_score(0, 0, &m.scale, false), (Entry::Number(3.0), Basis::Consensus));
        assert_eq!(md.final_score(0, 1, &m.scale, true), (Entry::Number(2.5), Basis::Mean));
        // Costs: equal returns agree on their own; different ones need an agreed figure.
        for b in 0..3 {
            for k in 0..3 {
                md.costs[b][k][2] = Some((Entry::Number(100.0), String::new()));
                md.costs[b][k][3] = Some((Entry::Number(if (b, k) == (1, 0) { 90.0 } else { 100.0 }), String::new()));
            }
        }
        assert_eq!(md.final_cost(0, 0, 2), Entry::Number(100.0));
        assert_eq!(md.final_cost(1, 0, 2), Entry::Empty);
        md.sources[2] = Some(source());
        md.sources[3] = Some(source());
        assert!(flags(&p, &m, &md).iter().any(|f| f.rule == Rule::CostsDisagree && f.message.contains("Cy £100.00, Di £90.00")));
        md.agreed[1][0] = Entry::Number(90.0);
        let (final_m, basis) = apply(&p, &m, &md, true).unwrap();
        assert_eq!(final_m.bids[1].costs[0].amount, Entry::Number(90.0));
        assert_eq!(basis[0][0], Basis::Consensus);
        assert_eq!(basis[1][2], Basis::Mean);
    }
}
