//! An evaluator's declaration, made before they see the bids: for each bidder, whether they have
//! a conflict of interest and its nature; that they will keep the bids and the evaluation
//! confidential; their name and the date.
//!
//! The law it serves. Scotland: the Public Contracts (Scotland) Regulations 2015, regulation 24:
//! a contracting authority must take appropriate measures to prevent, identify and remedy
//! conflicts of interest arising in the conduct of a procurement, which cover at least any
//! situation where a staff member involved in it (or who may influence its outcome) has, directly
//! or indirectly, a financial, economic or other personal interest which might be perceived to
//! compromise their impartiality and independence. The Procurement Act 2023: s.81(1), all
//! reasonable steps to identify, and keep under review, conflicts and potential conflicts of
//! interest; s.81(3), a person who influences a decision is acting in the procurement; s.81(4), an
//! interest includes a personal, professional or financial interest, direct or indirect; s.82(1),
//! all reasonable steps to ensure that a conflict of interest does not put a supplier at an unfair
//! advantage or disadvantage; s.83, the conflicts assessment.
//!
//! What tenderkit does with a declaration is one such measure, the buyer's own choice of step (the
//! law names none): a return is not counted until its declaration is complete, and an evaluator's
//! scores are not counted for a bidder they declare a conflict with; the panel's rules are then
//! checked again without them ([`conflict_flags`]).

use chrono::NaiveDate;

use crate::domain::finding::{Finding, Rule, Subject};
use crate::domain::moderation::{Moderation, criterion_label};
use crate::domain::panel::{MIN_EVALUATORS, Panel, Role};
use crate::domain::{Matrix, same_name};

/// One bidder's line of a declaration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    pub bidder: String,
    /// `Some(true)`: a conflict declared; `None`: not answered.
    pub conflict: Option<bool>,
    /// What the conflict is (required where there is one).
    pub nature: String,
}

/// An evaluator's declaration, as completed in their return.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Declaration {
    pub answers: Vec<Answer>,
    /// That they will keep the bids and the evaluation confidential.
    pub confidential: Option<bool>,
    pub name: String,
    pub date: Option<NaiveDate>,
}

/// What a declaration still lacks, each naming the answer to give.
#[derive(Clone, Debug, PartialEq)]
pub enum Missing {
    /// No line for a bidder of the matrix (a declaration made for other bidders).
    Bidder(String),
    /// A bidder's Yes or No (by index in [`Declaration::answers`]).
    Conflict(usize),
    /// A declared conflict's nature.
    Nature(usize),
    /// The confidentiality undertaking, answered Yes.
    Confidential,
    Name,
    Date,
}

impl Missing {
    pub fn words(&self, d: &Declaration) -> String {
        let bidder = |i: &usize| d.answers.get(*i).map_or("", |a| a.bidder.as_str()).to_string();
        match self {
            Missing::Bidder(b) => format!("no line for {b}"),
            Missing::Conflict(i) => format!("Yes or No for {}", bidder(i)),
            Missing::Nature(i) => format!("the nature of the conflict with {}", bidder(i)),
            Missing::Confidential => "Yes to keeping the bids and the evaluation confidential".into(),
            Missing::Name => "the evaluator's name".into(),
            Missing::Date => "the date (YYYY-MM-DD)".into(),
        }
    }
}

/// Yes or No as an evaluator types it.
pub fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Some(true),
        "no" | "n" | "false" => Some(false),
        _ => None,
    }
}

impl Declaration {
    /// What must still be given before the return's scores count, against the matrix's `bidders`.
    pub fn missing(&self, bidders: &[&str]) -> Vec<Missing> {
        let mut out: Vec<Missing> = bidders
            .iter()
            .filter(|b| !self.answers.iter().any(|a| same_name(&a.bidder, b)))
            .map(|b| Missing::Bidder(b.trim().to_string()))
            .collect();
        for (i, a) in self.answers.iter().enumerate() {
            match a.conflict {
                None => out.push(Missing::Conflict(i)),
                Some(true) if a.nature.trim().is_empty() => out.push(Missing::Nature(i)),
                _ => {}
            }
        }
        if self.confidential != Some(true) {
            out.push(Missing::Confidential);
        }
        if self.name.trim().is_empty() {
            out.push(Missing::Name);
        }
        if self.date.is_none() {
            out.push(Missing::Date);
        }
        out
    }

    /// The bidders a conflict is declared with, and its nature.
    pub fn conflicts(&self) -> impl Iterator<Item = &Answer> {
        self.answers.iter().filter(|a| a.conflict == Some(true))
    }
}

/// A completed declaration as the moderation keeps it: who made it, when, and the bids (by index
/// in the matrix) they declared a conflict with, with its nature.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Declared {
    pub name: String,
    pub date: Option<NaiveDate>,
    pub conflicts: Vec<(usize, String)>,
}

impl Declared {
    /// The nature of the conflict declared with bid `b`, if one was.
    pub fn conflict_with(&self, b: usize) -> Option<&str> {
        self.conflicts.iter().find(|(x, _)| *x == b).map(|(_, n)| n.as_str())
    }
}

/// How many of the quality evaluators given criterion `c` have declared no conflict with bid `b`.
pub fn scoring_without_conflict(panel: &Panel, m: &Matrix, md: &Moderation, c: usize, b: usize) -> usize {
    panel.in_role(Role::Quality).into_iter().filter(|&e| panel.criteria_of(e, m).contains(&c) && !md.conflicted(e, b)).count()
}

/// Each declared conflict, flagged where the scores it leaves out would be (the Moderation
/// sheet), and the panel's rules checked again without them: every criterion of every bid still
/// needs at least two evaluators, and the price two commercial evaluators (PCSR 2015 reg 24;
/// Procurement Act 2023 s.82).
pub(crate) fn conflict_flags(panel: &Panel, m: &Matrix, md: &Moderation) -> Vec<Finding> {
    let mut out = Vec::new();
    if md.declarations.iter().flatten().all(|d| d.conflicts.is_empty()) {
        return out;
    }
    let quality = panel.in_role(Role::Quality);
    for (b, bid) in m.bids.iter().enumerate() {
        for c in 0..m.criterion_count() {
            let assigned: Vec<usize> = quality.iter().copied().filter(|&e| panel.criteria_of(e, m).contains(&c)).collect();
            for &e in assigned.iter().filter(|&&e| md.conflicted(e, b)) {
                let d = md.declarations[e].as_ref().expect("conflicted");
                out.push(Finding::warning(
                    Rule::ConflictDeclared,
                    Subject::Consensus { criterion: c, bid: b },
                    format!(
                        "{}, criterion {}: {}'s score is left out: they declared a conflict of interest with {} ({})",
                        bid.bidder.trim(),
                        criterion_label(m, c),
                        panel.evaluators[e].name.trim(),
                        bid.bidder.trim(),
                        d.conflict_with(b).unwrap_or_default()
                    ),
                    "record in the conflicts assessment how the conflict was handled; the agreed score comes from the other evaluators",
                ));
            }
            let left = scoring_without_conflict(panel, m, md, c, b);
            if left < MIN_EVALUATORS && left < assigned.len() {
                out.push(Finding::error(
                    Rule::PanelTooSmall,
                    Subject::Consensus { criterion: c, bid: b },
                    format!(
                        "{}, criterion {}: {left} evaluator{} without a declared conflict; a panel needs at least {MIN_EVALUATORS}",
                        bid.bidder.trim(),
                        criterion_label(m, c),
                        if left == 1 { "" } else { "s" }
                    ),
                    "add an evaluator without a conflict for this criterion to panel.toml and issue them a return",
                ));
            }
        }
        let commercial = panel.in_role(Role::Commercial);
        let left = commercial.iter().filter(|&&e| !md.conflicted(e, b)).count();
        if left < MIN_EVALUATORS && left < commercial.len() {
            out.push(Finding::error(
                Rule::PanelTooSmall,
                Subject::AgreedCost { bid: b, cost: 0 },
                format!(
                    "{}: its costs are checked by {left} commercial evaluator{} without a declared conflict; a panel needs at least {MIN_EVALUATORS}",
                    bid.bidder.trim(),
                    if left == 1 { "" } else { "s" }
                ),
                "add a commercial evaluator without a conflict to panel.toml and issue them a return",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(bidder: &str, conflict: Option<bool>, nature: &str) -> Answer {
        Answer { bidder: bidder.into(), conflict, nature: nature.into() }
    }

    #[test]
    fn a_declaration_is_complete_only_with_every_answer() {
        let mut d = Declaration {
            answers: vec![answer("Alpha Ltd", Some(false), ""), answer("Beta plc", Some(true), "my brother is its director")],
            confidential: Some(true),
            name: "Jane Doe".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 2),
        };
        assert!(d.missing(&["Alpha Ltd", "beta PLC"]).is_empty(), "names match as bidder names do");
        assert_eq!(d.conflicts().map(|a| a.bidder.as_str()).collect::<Vec<_>>(), ["Beta plc"]);
        assert_eq!(d.missing(&["Alpha Ltd", "Beta plc", "Gamma LLP"]), [Missing::Bidder("Gamma LLP".into())]);
        d.answers[1].nature.clear();
        d.answers[0].conflict = None;
        d.confidential = Some(false);
        d.date = None;
        let missing = d.missing(&["Alpha Ltd", "Beta plc"]);
        assert_eq!(missing, [Missing::Conflict(0), Missing::Nature(1), Missing::Confidential, Missing::Date]);
        assert_eq!(missing[1].words(&d), "the nature of the conflict with Beta plc");
    }

    #[test]
    fn yes_and_no_as_typed() {
        assert_eq!(yes_no(" Yes "), Some(true));
        assert_eq!(yes_no("NO"), Some(false));
        assert_eq!(yes_no("maybe"), None);
        assert_eq!(yes_no(""), None);
    }
}
