//! What each letter says, assembled from the evaluation: the data a letter template fills in.
//! Guidance: "Unsuccessful Bids" (scores with their justification), "Opening of Tenders" (a
//! disqualified bidder is told every reason), "What is Self-Cleansing?" (a statement of reasons),
//! "Late Bids" (the decision and an audit trail).
//!
//! Award letters follow the tender's regime. Scotland 2015: the standstill letter to each
//! unsuccessful bidder (regulation 85 of the Public Contracts (Scotland) Regulations 2015: the award
//! criteria, its scores, the winning bid's name and scores, the reasons for the decision including
//! the characteristics and relative advantages of the winning bid, and when the standstill period
//! ends). Procurement Act 2023: an assessment summary to every supplier whose tender was assessed
//! (s.50(3), with its contents set by the Procurement Regulations 2024, reg. 31).

use serde::{Deserialize, Serialize};

use crate::domain::exclusion::{Decision, Outcome, Party};
use crate::domain::moderation::Moderation;
use crate::domain::regime::Regime;
use crate::domain::figure::fixed;
use crate::domain::scale::fmt_number;
use crate::domain::scoring::{Figures, Ranking, describe_failure};
use crate::domain::standstill::Standstill;
use crate::domain::{Matrix, Tender, name_key, same_name};

pub mod abnormal;
mod opening;
mod reasons;

pub use abnormal::{AbnormallyLowInfo, REPLY_DAYS};

pub use opening::{Opened, OpenedLine, Opening, OpeningForm, check_opening, opening_form};
pub use reasons::distinct_sentences;

/// The letters tenderkit writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Disqualification,
    Unsuccessful,
    Successful,
    SelfCleansing,
    LateBid,
    TenderOpeningForm,
    AssessmentSummary,
    AbnormallyLow,
}

pub const KINDS: [Kind; 8] = [
    Kind::Disqualification,
    Kind::Unsuccessful,
    Kind::Successful,
    Kind::SelfCleansing,
    Kind::LateBid,
    Kind::TenderOpeningForm,
    Kind::AssessmentSummary,
    Kind::AbnormallyLow,
];

impl Kind {
    pub fn parse(text: &str) -> Option<Kind> {
        KINDS.into_iter().find(|k| k.name() == text.trim())
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Disqualification => "disqualification",
            Kind::Unsuccessful => "unsuccessful",
            Kind::Successful => "successful",
            Kind::SelfCleansing => "self-cleansing",
            Kind::LateBid => "late-bid",
            Kind::TenderOpeningForm => "tender-opening-form",
            Kind::AssessmentSummary => "assessment-summary",
            Kind::AbnormallyLow => "abnormally-low",
        }
    }

    /// Whether the letter belongs to the regime's award stage: the Procurement Act 2023 replaced
    /// standstill letters with assessment summaries (s.50(3)); the Scottish regulations have no
    /// assessment summary. `Err` says which letter to write instead.
    pub fn under(self, regime: Regime) -> Result<(), String> {
        match (self, regime) {
            (Kind::Unsuccessful, Regime::ProcurementAct2023) => Err(
                "under the Procurement Act 2023 unsuccessful suppliers get an assessment summary (s.50(3)), not a standstill letter: use `letters assessment-summary`".into(),
            ),
            (Kind::AssessmentSummary, Regime::Scotland2015) => Err(
                "assessment summaries are the Procurement Act 2023's (s.50(3)); this tender is under the Public Contracts (Scotland) Regulations 2015: use `letters unsuccessful` (the standstill letter)".into(),
            ),
            _ => Ok(()),
        }
    }

    /// Award letters carry the standstill dates.
    pub fn tells_standstill(self) -> bool {
        matches!(self, Kind::Unsuccessful | Kind::Successful | Kind::AssessmentSummary)
    }

    /// What the letter is written from: every input in `all`, and at least one in `any`.
    pub fn needs(self) -> (&'static [Input], &'static [Input]) {
        match self {
            Kind::Unsuccessful | Kind::Successful | Kind::AssessmentSummary | Kind::AbnormallyLow => (&[Input::Matrix], &[]),
            Kind::SelfCleansing => (&[Input::Responses], &[]),
            Kind::LateBid | Kind::TenderOpeningForm => (&[Input::Opening], &[]),
            // Disqualification reasons come from the opening, the minimum standards, or the
            // exclusion grounds.
            Kind::Disqualification => (&[], &[Input::Matrix, Input::Responses, Input::Opening]),
        }
    }
}

/// An input a letter is written from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// The scored (or moderated) matrix.
    Matrix,
    /// The bidders' exclusion answers.
    Responses,
    /// The opening board's record.
    Opening,
}

impl Input {
    /// The command-line option that gives it.
    pub fn option(self) -> &'static str {
        match self {
            Input::Matrix => "--matrix MATRIX.xlsx",
            Input::Responses => "--responses RESPONSES.toml",
            Input::Opening => "--opening OPENING.toml",
        }
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct TenderInfo {
    pub title: String,
    pub reference: String,
    pub organisation: String,
    pub price_weight: f64,
    pub quality_weight: f64,
    pub scale: String,
    pub scale_max: f64,
    /// The scores available, with their descriptors: how each criterion was assessed.
    pub points: Vec<PointInfo>,
    /// How price was scored, in words.
    pub price_rule: String,
    pub regime: String,
    /// Procurement Act 2023: the regulation that sets what an assessment summary gives.
    pub summary_regulation: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct PointInfo {
    pub value: String,
    pub descriptor: String,
}

/// A supplier's name and contact details (Procurement Regulations 2024, reg. 31(2)(a)-(c)).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Contact {
    pub name: String,
    pub address: String,
    pub email: String,
    pub identifier: String,
}

/// The standstill dates every award letter gives.
#[derive(Clone, Debug, Default, Serialize)]
pub struct StandstillInfo {
    /// The day the notices were sent, or the contract award notice published (YYYY-MM-DD).
    pub sent: String,
    /// The period ends at midnight at the end of this day.
    pub ends: String,
    /// The earliest day the law allows the contract to be entered into.
    pub contract_from: String,
    /// The rule applied, with its regulation or section.
    pub rule: String,
    /// The first day the buyer will enter into the contract: `contract_from`, or later where the
    /// buyer chose to wait longer.
    pub enter_from: String,
    /// Where the buyer chose to wait longer than the law requires, why, in words ("our offices are
    /// closed on 24 December 2026 and 31 December 2026"); empty otherwise.
    pub own_wait: String,
    /// The last day of the buyer's own longer wait (YYYY-MM-DD), or empty.
    pub own_wait_ends: String,
    /// The law requires the period (false: a Scottish procurement below the thresholds).
    pub statutory: bool,
}

impl From<&Standstill> for StandstillInfo {
    fn from(s: &Standstill) -> Self {
        let dates = |ds: &[chrono::NaiveDate]| {
            let words: Vec<String> = ds.iter().map(|d| crate::domain::date::long(*d)).collect();
            match words.as_slice() {
                [] => String::new(),
                [one] => one.clone(),
                [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
            }
        };
        StandstillInfo {
            sent: s.sent.to_string(),
            ends: s.ends.to_string(),
            contract_from: s.contract_from.to_string(),
            rule: s.rule.clone(),
            enter_from: s.own_wait.as_ref().map_or(s.contract_from, |o| o.contract_from).to_string(),
            own_wait: s.own_wait.as_ref().map(|o| format!("our offices are closed on {}", dates(&o.closed))).unwrap_or_default(),
            own_wait_ends: s.own_wait.as_ref().map(|o| o.ends.to_string()).unwrap_or_default(),
            statutory: s.statutory,
        }
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ScoreLine {
    pub reference: String,
    pub title: String,
    pub section: String,
    /// Share of the quality score, in percent.
    pub weight: f64,
    /// The final score, or blank.
    pub score: String,
    pub descriptor: String,
    pub weighted: String,
    pub winner_score: String,
    /// The winning score's descriptor ("Excellent"), shown the same way as the bid's own.
    pub winner_descriptor: String,
    pub winner_weighted: String,
    /// The panel's justification: the moderation note, else the evaluators' comments.
    pub justification: String,
    /// The same for the winning bid's score.
    pub winner_justification: String,
    /// The winning bid scored higher here.
    pub winner_better: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct WinnerInfo {
    pub name: String,
    pub contact: Contact,
    pub quality: String,
    pub price_score: String,
    pub total: String,
    pub whole_life_cost: f64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct SelfCleansingInfo {
    pub ground: String,
    pub party: String,
    pub date: String,
    pub details: String,
    pub evidence: String,
    /// The conditions the evidence does not show.
    pub shortfall: Vec<String>,
    pub mandatory: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct LateInfo {
    pub received: String,
    pub deadline: String,
    pub accepted: bool,
    pub reason: String,
}

/// Everything a letter to one bidder can say.
#[derive(Clone, Debug, Serialize)]
pub struct Letter {
    pub kind: Kind,
    /// The letter's date (YYYY-MM-DD; templates format it with `{{date date}}`).
    pub date: String,
    pub tender: TenderInfo,
    pub bidder: String,
    pub scores: Vec<ScoreLine>,
    pub quality: String,
    pub quality_weighted: String,
    pub price_score: String,
    pub whole_life_cost: f64,
    pub total: String,
    pub rank: String,
    /// How many bids were ranked.
    pub ranked: usize,
    pub winner: Option<WinnerInfo>,
    /// The winning bid's relative advantages, criterion by criterion.
    pub advantages: Vec<String>,
    /// The letter must give them (PCSR 2015 reg 85(2)(d)(ii), above the thresholds). Below them the
    /// notice gives the successful tenderer's name, the criteria and both scorings (Procurement
    /// Reform (Scotland) Act 2014 s.32(4)-(5)); the advantages are owed on a written request,
    /// within 30 days of receiving it (s.33).
    pub advantages_due: bool,
    /// Why the bid is disqualified, every reason.
    pub reasons: Vec<String>,
    pub self_cleansing: Vec<SelfCleansingInfo>,
    pub late: Option<LateInfo>,
    /// The bidder's own name and contact details.
    pub supplier: Contact,
    /// This bid is the most advantageous (the winning) tender.
    pub successful: bool,
    pub standstill: Option<StandstillInfo>,
    /// Where the award criteria are set out in full.
    pub criteria_document: String,
    /// For a request to explain an abnormally low price.
    pub abnormally_low: Option<AbnormallyLowInfo>,
}

/// The evaluation, as the letters need it.
pub struct Evaluation<'a> {
    pub tender: &'a Tender,
    pub matrix: &'a Matrix,
    pub figures: &'a Figures,
    pub ranking: &'a Ranking,
    pub moderation: Option<&'a Moderation>,
}

fn two(n: Option<f64>) -> String {
    n.map(|x| fixed(x, 2)).unwrap_or_default()
}

pub fn tender_info(t: &Tender, m: Option<&Matrix>) -> TenderInfo {
    let scale = m.map(|m| m.scale.clone()).or_else(|| t.scale.scale().ok()).unwrap_or_default();
    TenderInfo {
        title: t.title.clone(),
        reference: t.reference.clone(),
        organisation: t.organisation.clone().unwrap_or_default(),
        price_weight: t.price_weight,
        quality_weight: t.quality_weight,
        scale: scale.name(),
        scale_max: scale.max(),
        points: scale.points().iter().map(|p| PointInfo { value: fmt_number(p.value), descriptor: p.descriptor.clone() }).collect(),
        price_rule: crate::domain::scoring::price_rule(&t.price, t.price_weight),
        regime: t.regime.name().to_string(),
        summary_regulation: t.regime.assessment_summary_regulation(t.devolved_welsh_authority).unwrap_or_default().to_string(),
    }
}

/// A bidder's contact details as the tender file gives them (blank where it does not).
pub fn contact(t: &Tender, name: &str) -> Contact {
    let def = t.bidders.iter().find(|b| same_name(&b.name, name));
    let field =
        |f: fn(&crate::domain::tender::BidderDef) -> &Option<String>| def.and_then(|d| f(d).clone()).unwrap_or_default().trim().to_string();
    Contact {
        name: name.trim().to_string(),
        address: field(|d| &d.address),
        email: field(|d| &d.email),
        identifier: field(|d| &d.identifier),
    }
}

impl Evaluation<'_> {
    fn bid_of(&self, name: &str) -> Option<usize> {
        self.matrix.bids.iter().position(|b| same_name(&b.bidder, name))
    }

    /// The winning bid: the single Most Economically Advantageous Tender.
    pub fn winner(&self) -> Option<usize> {
        match self.ranking.meat.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    fn justification(&self, c: usize, b: usize) -> String {
        let Some(md) = self.moderation else { return String::new() };
        let note = md.notes[c][b].trim();
        if !note.is_empty() {
            return note.to_string();
        }
        distinct_sentences(md.marks[c][b].iter().flatten().map(|m| m.justification.as_str()))
    }

    /// The letter to bidder `b`.
    pub fn letter(&self, kind: Kind, date: &str, b: usize) -> Letter {
        let m = self.matrix;
        let f = &self.figures.bids[b];
        let w = self.winner().filter(|&w| w != b);
        let criteria: Vec<_> = m.criteria().collect();
        let descriptor = |s: Option<f64>| s.and_then(|s| m.scale.point(s)).map(|p| p.descriptor.clone()).unwrap_or_default();
        let scores: Vec<ScoreLine> = criteria
            .iter()
            .enumerate()
            .map(|(i, (s, c))| {
                let score = m.bids[b].scores[i].number();
                let winner_score = w.and_then(|w| m.bids[w].scores[i].number());
                ScoreLine {
                    reference: c.reference.clone(),
                    title: c.title.clone(),
                    section: m.sections[*s].name.clone(),
                    weight: self.figures.effective_weights[i].unwrap_or(0.0),
                    score: score.map(fmt_number).unwrap_or_default(),
                    descriptor: descriptor(score),
                    weighted: two(f.weighted[i]),
                    winner_score: winner_score.map(fmt_number).unwrap_or_default(),
                    winner_descriptor: descriptor(winner_score),
                    winner_weighted: two(w.and_then(|w| self.figures.bids[w].weighted[i])),
                    justification: self.justification(i, b),
                    winner_justification: w.map(|w| self.justification(i, w)).unwrap_or_default(),
                    // Better by the criterion's own direction: where less is better, lower.
                    winner_better: match (winner_score, score) {
                        (Some(x), Some(y)) if c.lower_is_better => x < y,
                        (Some(x), Some(y)) => x > y,
                        _ => false,
                    },
                }
            })
            .collect();
        // The characteristics and relative advantages of the winning tender (reg 85(2)(d)(ii)):
        // where it scored higher, the panel's reasons for its score; and its price, where that
        // scored higher.
        let advantages = scores
            .iter()
            .filter(|s| s.winner_better)
            .map(|s| {
                let reasons = s.winner_justification.trim();
                format!(
                    "{} {} (weighting {}%): the winning tender scored {}{} against your {}{}{}",
                    s.reference,
                    s.title,
                    fmt_number(s.weight),
                    s.winner_score,
                    paren(&s.winner_descriptor),
                    s.score,
                    paren(&s.descriptor),
                    if reasons.is_empty() { String::new() } else { format!(". {}", reasons.trim_end_matches('.').to_string() + ".") }
                )
            })
            .chain(w.and_then(|w| {
                let (ours, theirs) = (f.price_score?, self.figures.bids[w].price_score?);
                let cost = self.figures.bids[w].whole_life_cost?;
                (theirs > ours).then(|| {
                    format!(
                        "price: the winning tender's whole-life cost of {} scored {} against your {}",
                        self.matrix.price.currency.fmt(cost),
                        fixed(theirs, 2),
                        fixed(ours, 2)
                    )
                })
            }))
            .collect();
        Letter {
            kind,
            date: date.to_string(),
            tender: tender_info(self.tender, Some(m)),
            bidder: m.bids[b].bidder.trim().to_string(),
            scores,
            quality: fixed(f.quality, 2),
            quality_weighted: fixed(f.quality_weighted, 2),
            price_score: two(f.price_score),
            whole_life_cost: f.whole_life_cost.unwrap_or(0.0),
            total: two(f.total),
            rank: f.rank.map(|r| r.to_string()).unwrap_or_default(),
            ranked: self.ranking.standings.len(),
            winner: w.map(|w| {
                let x = &self.figures.bids[w];
                WinnerInfo {
                    name: m.bids[w].bidder.trim().to_string(),
                    contact: contact(self.tender, &m.bids[w].bidder),
                    quality: fixed(x.quality, 2),
                    price_score: two(x.price_score),
                    total: two(x.total),
                    whole_life_cost: x.whole_life_cost.unwrap_or(0.0),
                }
            }),
            advantages,
            advantages_due: self.tender.above_threshold,
            reasons: f.failures.iter().map(|x| describe_failure(m, x)).collect(),
            self_cleansing: Vec::new(),
            late: None,
            supplier: contact(self.tender, &m.bids[b].bidder),
            successful: self.winner() == Some(b),
            standstill: None,
            criteria_document: self.tender.award_criteria_document.clone().unwrap_or_default().trim().to_string(),
            abnormally_low: None,
        }
    }
}

fn paren(s: &str) -> String {
    if s.is_empty() { String::new() } else { format!(" ({s})") }
}

/// A letter to a bidder the evaluation does not cover (excluded before scoring, or late).
pub fn bare_letter(kind: Kind, date: &str, tender: &Tender, bidder: &str) -> Letter {
    Letter {
        kind,
        date: date.to_string(),
        tender: tender_info(tender, None),
        bidder: bidder.to_string(),
        scores: Vec::new(),
        quality: String::new(),
        quality_weighted: String::new(),
        price_score: String::new(),
        whole_life_cost: 0.0,
        total: String::new(),
        rank: String::new(),
        ranked: 0,
        winner: None,
        advantages: Vec::new(),
        advantages_due: false,
        reasons: Vec::new(),
        self_cleansing: Vec::new(),
        late: None,
        supplier: contact(tender, bidder),
        successful: false,
        standstill: None,
        criteria_document: tender.award_criteria_document.clone().unwrap_or_default().trim().to_string(),
        abnormally_low: None,
    }
}

impl Letter {
    /// The criteria (references) this letter has no reasons for: neither a moderation note nor an
    /// evaluator's comment. A letter that shows reasons must not show a blank one (guidance,
    /// "Unsuccessful Bids": the bidder is owed the reasons for its scores).
    pub fn missing_reasons(&self) -> Vec<&str> {
        self.scores.iter().filter(|l| l.justification.trim().is_empty()).map(|l| l.reference.as_str()).collect()
    }

    /// What this letter must give by law and lacks, each naming what is missing and where to put
    /// it right. Never a blank:
    /// * an assessment summary (Procurement Regulations 2024, reg 31; Procurement (Wales)
    ///   Regulations 2024, reg 32): the contact details of this supplier and of the successful one,
    ///   where the full award criteria are, and an explanation of every criterion's score, this
    ///   tender's and the successful tender's;
    /// * the Scottish notice of the award decision to an unsuccessful tenderer: the characteristics
    ///   and relative advantages of the successful tender (PCSR 2015 reg 85(2)(d)(ii)), from the
    ///   panel's reasons for its scores where it scored higher.
    pub fn lacks(&self) -> Vec<String> {
        match self.kind {
            Kind::AssessmentSummary => self.lacks_for_summary(),
            Kind::Unsuccessful if self.advantages_due => self.lacks_advantages(),
            _ => Vec::new(),
        }
    }

    fn lacks_advantages(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .scores
            .iter()
            .filter(|l| l.winner_better && l.winner_justification.trim().is_empty())
            .map(|l| {
                format!(
                    "no reasons recorded for the winning tender's score on criterion {} {}, where it scored higher: its characteristics and relative advantages must be given (regulation 85(2)(d)(ii)); write them in the Moderation sheet's Note column",
                    l.reference, l.title
                )
            })
            .collect();
        if self.advantages.is_empty() {
            out.push("the winning tender scored higher on no criterion and not on price, so there is nothing to give as its relative advantages (regulation 85(2)(d)(ii)): check the scores".into());
        }
        out
    }

    fn lacks_for_summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut contact = |c: &Contact, whose: &str| {
            for (value, what, key) in [
                (&c.address, "contact postal address", "address"),
                (&c.email, "contact email address", "email"),
                (&c.identifier, "unique identifier", "identifier"),
            ] {
                if value.is_empty() {
                    out.push(format!("no {what} for {whose} {} (give `{key}` for this bidder in the tender file's [[bidders]])", c.name));
                }
            }
        };
        contact(&self.supplier, "the supplier");
        if let Some(w) = &self.winner {
            contact(&w.contact, "the successful supplier");
        }
        if self.criteria_document.is_empty() {
            out.push(
                "no statement of where the award criteria are set out in full (give award_criteria_document in the tender file)".into(),
            );
        }
        for l in &self.scores {
            if l.justification.trim().is_empty() {
                out.push(format!("no explanation of {}'s score for criterion {} {}", self.bidder, l.reference, l.title));
            }
        }
        if let Some(w) = &self.winner {
            for l in self.scores.iter().filter(|l| l.winner_justification.trim().is_empty()) {
                out.push(format!("no explanation of the successful tender's ({}) score for criterion {} {}", w.name, l.reference, l.title));
            }
        }
        out
    }
}

/// The names every letter's data offers, as a JSON value with each list holding one item and
/// each optional part present (for checking a template's fields without real data). The opening
/// form's fields are in it too.
pub fn sample_data() -> serde_json::Value {
    // Dates carry a sample date, so fields that name them are known to be dates.
    let mut letter = Letter {
        kind: Kind::Unsuccessful,
        date: "2026-01-01".into(),
        tender: TenderInfo::default(),
        bidder: String::new(),
        scores: vec![ScoreLine::default()],
        quality: String::new(),
        quality_weighted: String::new(),
        price_score: String::new(),
        whole_life_cost: 0.0,
        total: String::new(),
        rank: String::new(),
        ranked: 0,
        winner: Some(WinnerInfo::default()),
        advantages: vec![String::new()],
        advantages_due: true,
        reasons: vec![String::new()],
        self_cleansing: vec![SelfCleansingInfo::default()],
        late: Some(LateInfo::default()),
        abnormally_low: Some(AbnormallyLowInfo { reply_by: "2026-01-11".into(), ..Default::default() }),
        supplier: Contact::default(),
        successful: true,
        standstill: Some(StandstillInfo {
            sent: "2026-01-01".into(),
            ends: "2026-01-01".into(),
            contract_from: "2026-01-01".into(),
            rule: String::new(),
            enter_from: "2026-01-01".into(),
            own_wait: String::new(),
            own_wait_ends: "2026-01-01".into(),
            statutory: true,
        }),
        criteria_document: String::new(),
    };
    letter.self_cleansing[0].shortfall.push(String::new());
    letter.tender.points.push(PointInfo::default());
    let form = OpeningForm {
        kind: Kind::TenderOpeningForm,
        date: "2026-01-01".into(),
        tender: TenderInfo::default(),
        opened: String::new(),
        deadline: String::new(),
        board: vec![String::new()],
        tenders: vec![OpenedLine::default()],
    };
    let mut v = serde_json::to_value(letter).expect("serialises");
    if let (Some(m), serde_json::Value::Object(f)) = (v.as_object_mut(), serde_json::to_value(form).expect("serialises")) {
        for (k, val) in f {
            m.entry(k).or_insert(val);
        }
    }
    v
}

/// The bidders put out before their tenders were assessed: at opening (late and not accepted,
/// unsigned, an incomplete price schedule, altered conditions), or on a mandatory exclusion
/// ground.
pub fn put_out_before_assessment(opening: Option<&Opening>, exclusions: &[Decision]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let opened = opening.into_iter().flat_map(|o| o.tenders.iter()).filter(|t| !t.failures().is_empty()).map(|t| &t.bidder);
    let excluded = exclusions.iter().filter(|d| d.outcome == Outcome::Exclude).map(|d| &d.bidder);
    for b in opened.chain(excluded) {
        if !out.iter().any(|o| same_name(o, b)) {
            out.push(b.clone());
        }
    }
    out
}

/// Who gets which letter, and what it says. Disqualification covers every reason a bid is out:
/// the opening checklist, pass marks and minimum standards, and mandatory exclusion grounds.
pub struct Plan {
    pub letters: Vec<Letter>,
    /// Why letters could not be written as asked (for example, the MEAT is disqualified).
    pub problems: Vec<String>,
}

pub fn plan(
    kind: Kind,
    date: &str,
    tender: &Tender,
    eval: Option<&Evaluation>,
    exclusions: &[Decision],
    opening: Option<&Opening>,
) -> Plan {
    let mut letters = Vec::new();
    let mut problems = Vec::new();
    let key = name_key;
    // Every disqualifying reason, per bidder, in the order bidders appear.
    let mut disqualified: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |bidder: &str, reason: String| match disqualified.iter_mut().find(|(b, _)| key(b) == key(bidder)) {
        Some((_, rs)) => rs.push(reason),
        None => disqualified.push((bidder.to_string(), vec![reason])),
    };
    if let Some(o) = opening {
        for t in &o.tenders {
            for r in t.failures() {
                add(&t.bidder, r);
            }
        }
    }
    if let Some(e) = eval {
        for fb in &e.ranking.failed {
            for (f, r) in fb.failures.iter().zip(&fb.reasons) {
                let why = match f {
                    crate::domain::scoring::Failure::NoQualityScore => "the bid could not be ranked",
                    _ => "the bid did not meet a published minimum standard",
                };
                add(&fb.bidder, format!("{why}: {r}"));
            }
        }
    }
    for d in exclusions.iter().filter(|d| d.outcome == Outcome::Exclude) {
        add(&d.bidder, format!("a mandatory exclusion ground applies: {}", d.reason));
    }
    let is_out = |name: &str| disqualified.iter().any(|(b, _)| key(b) == key(name));
    let early = put_out_before_assessment(opening, exclusions);
    let out_early = |name: &str| early.iter().any(|b| key(b) == key(name));
    match kind {
        Kind::Disqualification => {
            for (bidder, reasons) in &disqualified {
                let mut l = match eval.and_then(|e| e.bid_of(bidder).map(|b| (e, b))) {
                    Some((e, b)) => e.letter(kind, date, b),
                    None => bare_letter(kind, date, tender, bidder),
                };
                l.reasons = reasons.clone();
                letters.push(l);
            }
        }
        Kind::Unsuccessful | Kind::Successful | Kind::AssessmentSummary => {
            let Some(e) = eval else {
                problems.push("award letters need the scored matrix (--matrix)".into());
                return Plan { letters, problems };
            };
            let Some(w) = e.winner() else {
                problems.push(match e.ranking.meat.len() {
                    0 => "no bid passes, so there is no award to write about".into(),
                    _ => {
                        "the ranking has a tie for first place: resolve it by the method published in the ITT before writing award letters"
                            .into()
                    }
                });
                return Plan { letters, problems };
            };
            if is_out(&e.matrix.bids[w].bidder) {
                problems.push(format!(
                    "{} is ranked first but is disqualified (tender opening or exclusion grounds): take the bid out of the matrix and score again before writing award letters",
                    e.matrix.bids[w].bidder.trim()
                ));
                return Plan { letters, problems };
            }
            if kind == Kind::AssessmentSummary {
                // Every assessed tender: the ranked ones, then those that failed a minimum
                // standard (assessed, and told why); not those put out at opening or for an
                // exclusion ground, which were never assessed.
                let assessed = e.ranking.standings.iter().map(|s| s.bid).chain(e.ranking.failed.iter().map(|f| f.bid));
                for b in assessed.filter(|&b| !out_early(&e.matrix.bids[b].bidder)) {
                    letters.push(e.letter(kind, date, b));
                }
                return Plan { letters, problems };
            }
            for s in &e.ranking.standings {
                let winning = s.bid == w;
                if is_out(&s.bidder) || winning != (kind == Kind::Successful) {
                    continue;
                }
                let letter = e.letter(kind, date, s.bid);
                letters.push(letter);
            }
        }
        Kind::SelfCleansing => {
            for d in exclusions.iter().filter(|d| !d.self_cleansing_shortfall.is_empty() && d.outcome != Outcome::NoExclusion) {
                let mut l = bare_letter(kind, date, tender, &d.bidder);
                l.self_cleansing.push(SelfCleansingInfo {
                    ground: d.ground.name().to_string(),
                    party: if d.party == Party::Bidder { d.bidder.clone() } else { d.party_name.clone() },
                    date: d.date.to_string(),
                    details: d.details.clone(),
                    evidence: d.evidence.clone(),
                    shortfall: d.self_cleansing_shortfall.clone(),
                    mandatory: d.mandatory,
                });
                l.reasons.push(d.reason.clone());
                match letters.iter_mut().find(|x: &&mut Letter| key(&x.bidder) == key(&d.bidder)) {
                    Some(existing) => {
                        existing.self_cleansing.append(&mut l.self_cleansing);
                        existing.reasons.append(&mut l.reasons);
                    }
                    None => letters.push(l),
                }
            }
        }
        Kind::LateBid => {
            if let Some(o) = opening {
                for t in o.tenders.iter().filter(|t| t.late) {
                    let mut l = bare_letter(kind, date, tender, &t.bidder);
                    l.late = Some(LateInfo {
                        received: t.received.clone(),
                        deadline: o.deadline.clone(),
                        accepted: t.late_accepted == Some(true),
                        reason: t.late_reason.clone(),
                    });
                    letters.push(l);
                }
            } else {
                problems.push("late-bid letters need the opening record (--opening)".into());
            }
        }
        Kind::AbnormallyLow => {
            let Some(e) = eval else {
                problems.push("abnormally-low letters need the scored matrix (--matrix)".into());
                return Plan { letters, problems };
            };
            let Ok(day) = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d") else {
                problems.push(format!("the letter date '{date}' is not a date (YYYY-MM-DD)"));
                return Plan { letters, problems };
            };
            let bids = &e.figures.bids;
            let costs: Vec<Option<f64>> = bids.iter().map(|x| x.whole_life_cost).collect();
            let qualifying: Vec<bool> = bids.iter().map(|x| x.passed()).collect();
            for (b, _) in bids.iter().enumerate().filter(|(_, x)| x.abnormally_low && x.passed()) {
                if is_out(&e.matrix.bids[b].bidder) {
                    continue;
                }
                let mut l = e.letter(kind, date, b);
                l.abnormally_low = abnormal::info(&e.matrix.price, &costs, &qualifying, b, day, tender.regime);
                letters.push(l);
            }
            if letters.is_empty() {
                problems.push("no bid is flagged as abnormally low by the tender's test, so there is no request to write".into());
            }
        }
        Kind::TenderOpeningForm => problems.push("the tender opening form is one document: use opening_form()".into()),
    }
    Plan { letters, problems }
}
