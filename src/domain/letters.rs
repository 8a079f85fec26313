//! What each letter says, assembled from the evaluation: the data a letter template fills in.
//! Guidance: "Unsuccessful Bids" (scores with their justification), "Opening of Tenders" (a
//! disqualified bidder is told every reason), "What is Self-Cleansing?" (a statement of reasons),
//! "Late Bids" (the decision and an audit trail).

use serde::{Deserialize, Serialize};

use crate::domain::exclusion::{Decision, Outcome, Party};
use crate::domain::moderation::Moderation;
use crate::domain::scale::fmt_number;
use crate::domain::scoring::{Figures, Ranking, describe_failure};
use crate::domain::{Matrix, Tender, name_key};

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
}

pub const KINDS: [Kind; 6] =
    [Kind::Disqualification, Kind::Unsuccessful, Kind::Successful, Kind::SelfCleansing, Kind::LateBid, Kind::TenderOpeningForm];

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
        }
    }

    /// What the letter is written from: every input in `all`, and at least one in `any`.
    pub fn needs(self) -> (&'static [Input], &'static [Input]) {
        match self {
            Kind::Unsuccessful | Kind::Successful => (&[Input::Matrix], &[]),
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

/// One tender as the opening board recorded it (guidance, "Tender Opening Board Checklist").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opened {
    pub bidder: String,
    /// When it arrived, as recorded (`2026-12-03 15:20`).
    pub received: String,
    #[serde(default = "yes")]
    pub signed_and_dated: bool,
    #[serde(default = "yes")]
    pub price_schedule_complete: bool,
    #[serde(default = "yes")]
    pub conditions_unaltered: bool,
    /// Omissions recorded in writing.
    #[serde(default)]
    pub omissions: String,
    #[serde(default)]
    pub late: bool,
    /// For a late tender: accepted into the competition or rejected.
    #[serde(default)]
    pub late_accepted: Option<bool>,
    #[serde(default)]
    pub late_reason: String,
}

fn yes() -> bool {
    true
}

/// `opening.toml`: the tender opening board's record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    /// When the tenders were opened (`2026-12-04 14:00`).
    pub opened: String,
    /// The deadline for tenders.
    pub deadline: String,
    /// At least two members of staff (guidance: the board has at least two).
    pub board: Vec<String>,
    pub tenders: Vec<Opened>,
}

impl Opened {
    /// Reasons this tender fails the opening checklist.
    pub fn failures(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.late && self.late_accepted != Some(true) {
            out.push(format!(
                "the tender arrived after the deadline (received {}) and was not accepted into the competition",
                self.received
            ));
        }
        if !self.signed_and_dated {
            out.push("the tender was not signed and dated".into());
        }
        if !self.price_schedule_complete {
            out.push("the price schedule was not completed in accordance with the instructions in the Invitation to Tender".into());
        }
        if !self.conditions_unaltered {
            out.push("the conditions of contract issued with the Invitation to Tender were amended, altered or replaced".into());
        }
        out
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
    /// The winning bid scored higher here.
    pub winner_better: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct WinnerInfo {
    pub name: String,
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
    /// Why the bid is disqualified, every reason.
    pub reasons: Vec<String>,
    pub self_cleansing: Vec<SelfCleansingInfo>,
    pub late: Option<LateInfo>,
}

/// The opening board's record as one document's data.
#[derive(Clone, Debug, Serialize)]
pub struct OpeningForm {
    pub kind: Kind,
    pub date: String,
    pub tender: TenderInfo,
    pub opened: String,
    pub deadline: String,
    pub board: Vec<String>,
    pub tenders: Vec<OpenedLine>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct OpenedLine {
    pub bidder: String,
    pub received: String,
    pub signed_and_dated: String,
    pub price_schedule_complete: String,
    pub conditions_unaltered: String,
    pub late: String,
    pub omissions: String,
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
    n.map(|x| format!("{x:.2}")).unwrap_or_default()
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
    }
}

impl Evaluation<'_> {
    fn bid_of(&self, name: &str) -> Option<usize> {
        self.matrix.bids.iter().position(|b| name_key(&b.bidder) == name_key(name))
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
                    winner_better: matches!((winner_score, score), (Some(x), Some(y)) if x > y),
                }
            })
            .collect();
        let advantages = scores
            .iter()
            .filter(|s| s.winner_better)
            .map(|s| {
                let wd = descriptor(s.winner_score.parse().ok());
                let yd = descriptor(s.score.parse().ok());
                format!(
                    "{} {}: the winning bid scored {}{} and yours {}{}",
                    s.reference,
                    s.title,
                    s.winner_score,
                    paren(&wd),
                    s.score,
                    paren(&yd)
                )
            })
            .chain(w.and_then(|w| {
                let (ours, theirs) = (f.price_score?, self.figures.bids[w].price_score?);
                (theirs > ours).then(|| format!("price: the winning bid's whole-life cost scored {theirs:.2} and yours {ours:.2}"))
            }))
            .collect();
        Letter {
            kind,
            date: date.to_string(),
            tender: tender_info(self.tender, Some(m)),
            bidder: m.bids[b].bidder.trim().to_string(),
            scores,
            quality: format!("{:.2}", f.quality),
            quality_weighted: format!("{:.2}", f.quality_weighted),
            price_score: two(f.price_score),
            whole_life_cost: f.whole_life_cost.unwrap_or(0.0),
            total: two(f.total),
            rank: f.rank.map(|r| r.to_string()).unwrap_or_default(),
            ranked: self.ranking.standings.len(),
            winner: w.map(|w| {
                let x = &self.figures.bids[w];
                WinnerInfo {
                    name: m.bids[w].bidder.trim().to_string(),
                    quality: format!("{:.2}", x.quality),
                    price_score: two(x.price_score),
                    total: two(x.total),
                    whole_life_cost: x.whole_life_cost.unwrap_or(0.0),
                }
            }),
            advantages,
            reasons: f.failures.iter().map(|x| describe_failure(m, x)).collect(),
            self_cleansing: Vec::new(),
            late: None,
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
        reasons: Vec::new(),
        self_cleansing: Vec::new(),
        late: None,
    }
}

impl Letter {
    /// The criteria (references) this letter has no reasons for: neither a moderation note nor an
    /// evaluator's comment. A letter that shows reasons must not show a blank one (guidance,
    /// "Unsuccessful Bids": the bidder is owed the reasons for its scores).
    pub fn missing_reasons(&self) -> Vec<&str> {
        self.scores.iter().filter(|l| l.justification.trim().is_empty()).map(|l| l.reference.as_str()).collect()
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
        reasons: vec![String::new()],
        self_cleansing: vec![SelfCleansingInfo::default()],
        late: Some(LateInfo::default()),
    };
    letter.self_cleansing[0].shortfall.push(String::new());
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
            for r in &fb.reasons {
                add(&fb.bidder, format!("the bid did not meet a published minimum standard: {r}"));
            }
        }
    }
    for d in exclusions.iter().filter(|d| d.outcome == Outcome::Exclude) {
        add(&d.bidder, format!("a mandatory exclusion ground applies: {}", d.reason));
    }
    let is_out = |name: &str| disqualified.iter().any(|(b, _)| key(b) == key(name));
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
        Kind::Unsuccessful | Kind::Successful => {
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
        Kind::TenderOpeningForm => problems.push("the tender opening form is one document: use opening_form()".into()),
    }
    Plan { letters, problems }
}

/// The opening board's record.
pub fn opening_form(date: &str, tender: &Tender, o: &Opening) -> OpeningForm {
    let yn = |b: bool| if b { "Yes" } else { "No" }.to_string();
    OpeningForm {
        kind: Kind::TenderOpeningForm,
        date: date.to_string(),
        tender: tender_info(tender, None),
        opened: o.opened.clone(),
        deadline: o.deadline.clone(),
        board: o.board.clone(),
        tenders: o
            .tenders
            .iter()
            .map(|t| OpenedLine {
                bidder: t.bidder.clone(),
                received: t.received.clone(),
                signed_and_dated: yn(t.signed_and_dated),
                price_schedule_complete: yn(t.price_schedule_complete),
                conditions_unaltered: yn(t.conditions_unaltered),
                late: if t.late {
                    if t.late_accepted == Some(true) { "Late: accepted".into() } else { "Late: rejected".into() }
                } else {
                    "No".into()
                },
                omissions: t.omissions.clone(),
            })
            .collect(),
    }
}

/// Fewer than two board members is not a board (guidance, "Opening of Tenders").
pub fn check_opening(o: &Opening) -> Option<String> {
    (o.board.len() < 2).then(|| {
        format!("the tender opening board has {} member(s); the guidance says it has at least two members of staff", o.board.len())
    })
}

/// Evaluators' comments as one text a bidder can read: their sentences in evaluator order, each
/// said once. A sentence is left out when an earlier one has the same words, or nearly (at least
/// 80% of the words of the longer in common), as when two evaluators restate a submission.
pub fn distinct_sentences<'a>(comments: impl IntoIterator<Item = &'a str>) -> String {
    let words = |s: &str| -> std::collections::BTreeSet<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let mut kept: Vec<(String, std::collections::BTreeSet<String>)> = Vec::new();
    for comment in comments {
        for sentence in sentences(comment) {
            let w = words(sentence);
            let same = kept.iter().any(|(_, k)| {
                let common = k.intersection(&w).count() as f64;
                common / k.len().max(w.len()).max(1) as f64 >= 0.8
            });
            if !same {
                kept.push((sentence.to_string(), w));
            }
        }
    }
    kept.into_iter().map(|(s, _)| s).collect::<Vec<_>>().join(" ")
}

/// A text's sentences: a full stop, `!` or `?` ends one only before a space or the end, so
/// "19.5t" and "e.g.x" stay whole.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|(_, n)| n.is_whitespace()) {
            out.push(&text[start..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out.into_iter().map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod reasons_tests {
    use super::distinct_sentences;

    #[test]
    fn repeated_sentences_are_given_once_in_evaluator_order() {
        let a = "Smart charging with tariff scheduling and a costed grid connection. Evidence from a comparable contract would have scored higher.";
        let b = "Smart charging with tariff scheduling and a costed grid connection. More detail on delivery would have scored higher.";
        let c = "Smart charging, with tariff scheduling and a costed grid connection! Fully meets the requirement with evidence.";
        assert_eq!(
            distinct_sentences([a, b, c]),
            "Smart charging with tariff scheduling and a costed grid connection. Evidence from a comparable contract would have scored higher. More detail on delivery would have scored higher. Fully meets the requirement with evidence."
        );
        assert_eq!(distinct_sentences(["", "  "]), "");
        assert_eq!(distinct_sentences(["No full stop", "No full stop"]), "No full stop");
        assert_eq!(distinct_sentences(["Payload of 19.5t proven. Range 250km."]), "Payload of 19.5t proven. Range 250km.");
    }
}
