//! Exclusion grounds (guidance, "Exclusion Criteria", "What is Self-Cleansing?", "Timescales for
//! exclusions", "What do I need to do if the bidder is relying on other parties").
//!
//! Each declaration in a bidder's SPD response (theirs, or a subcontractor's or consortium
//! member's) is decided in this order: a ground the tender does not apply is not used; a ground
//! whose time limit has passed on the tender date no longer applies; tax and social security
//! breaches are cured by paying or a binding agreement to pay; self-cleansing needs all three
//! conditions; what remains excludes (mandatory grounds) or may exclude, case by case
//! (discretionary grounds). A party other than the bidder is replaced rather than the bid
//! excluded.
//!
//! Under the Procurement Act 2023 the same order holds with the Act's rules: every ground looks
//! back five years (Schedules 6 and 7); a supplier is an excluded (mandatory ground) or excludable
//! (discretionary ground) supplier only if the circumstances are continuing or likely to occur
//! again (s.57(1)-(2)), which the self-cleaning evidence answers (s.58); and a supplier on the
//! debarment list is excluded or excludable for the ground it is listed for, whatever its evidence
//! (s.57, s.62). The buyer must check the debarment list and record when it did.

use crate::domain::date::long;
use crate::domain::regime::Regime;
use chrono::{Months, NaiveDate};

mod grounds;

pub use grounds::{ACT_YEARS, ALL_GROUNDS, Ground, MandatoryQuestion, Standing};
use serde::{Deserialize, Serialize};

/// Whose declaration it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Party {
    #[default]
    Bidder,
    Subcontractor,
    ConsortiumMember,
}

/// Evidence of self-cleansing: the three conditions the guidance sets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCleansing {
    /// Paid, or undertaken to pay, compensation for any damage caused.
    #[serde(default)]
    pub compensation: bool,
    /// Clarified the facts by collaborating actively with the investigating authorities.
    #[serde(default)]
    pub collaboration: bool,
    /// Taken concrete technical, organisational and personnel measures to prevent recurrence.
    #[serde(default)]
    pub measures: bool,
    /// What the bidder says it did.
    #[serde(default)]
    pub evidence: String,
}

impl SelfCleansing {
    /// The conditions not shown, in words.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if !self.compensation {
            out.push("paid, or undertaken to pay, compensation for any damage caused");
        }
        if !self.collaboration {
            out.push("clarified the facts and circumstances by collaborating with the investigating authorities");
        }
        if !self.measures {
            out.push("taken concrete technical, organisational and personnel measures to prevent further offences or misconduct");
        }
        out
    }
}

/// For a tax or social security breach: whether it has been put right.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxSettlement {
    #[serde(default)]
    pub paid: bool,
    #[serde(default)]
    pub binding_agreement: bool,
}

/// One "yes" answer in an SPD exclusion section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    pub ground: Ground,
    /// Who declared it: the bidder, or a subcontractor or consortium member by name.
    #[serde(default)]
    pub party: Party,
    #[serde(default)]
    pub party_name: Option<String>,
    /// The date of the conviction (criminal offences) or of the event (other grounds).
    #[serde(deserialize_with = "crate::domain::date::deserialize")]
    pub date: NaiveDate,
    #[serde(default)]
    pub details: String,
    #[serde(default)]
    pub self_cleansing: Option<SelfCleansing>,
    #[serde(default)]
    pub tax: Option<TaxSettlement>,
}

/// A bidder's SPD exclusion answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BidderResponse {
    pub name: String,
    #[serde(default)]
    pub declarations: Vec<Declaration>,
    /// The supplier's entry on the debarment list (Procurement Act 2023, s.62), if it has one.
    #[serde(default)]
    pub debarred: Option<Debarment>,
}

/// An entry on the debarment list: the ground it is for, and the day it ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Debarment {
    pub ground: Ground,
    #[serde(deserialize_with = "crate::domain::date::deserialize")]
    pub until: NaiveDate,
}

/// `responses.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Responses {
    /// When the buyer checked the debarment list (Procurement Act 2023, s.62); the decision
    /// records it.
    #[serde(default, deserialize_with = "crate::domain::date::deserialize_option")]
    pub debarment_list_checked: Option<NaiveDate>,
    pub bidders: Vec<BidderResponse>,
}

/// What happens to a bid because of one declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The bid must be excluded.
    Exclude,
    /// The bidder must replace the subcontractor or consortium member.
    Replace,
    /// The buyer may exclude, deciding case by case and proportionately.
    MayExclude,
    /// The buyer may require the party to be replaced, case by case.
    MayReplace,
    /// The declaration does not lead to exclusion.
    NoExclusion,
}

impl Outcome {
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Exclude => "exclude the bid",
            Outcome::Replace => "require the party to be replaced",
            Outcome::MayExclude => "may exclude, case by case",
            Outcome::MayReplace => "may require the party to be replaced, case by case",
            Outcome::NoExclusion => "no exclusion",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decision {
    pub bidder: String,
    pub party: Party,
    pub party_name: String,
    pub ground: Ground,
    pub mandatory: bool,
    pub date: NaiveDate,
    pub outcome: Outcome,
    /// Why, in words, for the letters.
    pub reason: String,
    /// Self-cleansing conditions not shown, where self-cleansing was put forward but falls
    /// short: the statement of reasons the guidance requires.
    pub self_cleansing_shortfall: Vec<String>,
    /// What was declared, and the self-cleansing evidence put forward.
    pub details: String,
    pub evidence: String,
}

/// The last day a ground applies: its anniversary after `years` years (a 29 February date
/// falls on 28 February in a common year). On the day after, it is older than the limit.
pub fn last_day(date: NaiveDate, years: u32) -> NaiveDate {
    date.checked_add_months(Months::new(years * 12)).unwrap_or(NaiveDate::MAX)
}

/// Decides one declaration under `regime`. `applied` says whether the tender asks about the
/// ground (mandatory grounds always are).
pub fn decide(bidder: &str, d: &Declaration, tender_date: NaiveDate, applied: bool, regime: Regime) -> Decision {
    let party_name = d.party_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| bidder.to_string());
    let standing = d.ground.under(regime);
    let mandatory = standing == Standing::Mandatory;
    let mut decision = Decision {
        bidder: bidder.to_string(),
        party: d.party,
        party_name: party_name.clone(),
        ground: d.ground,
        mandatory,
        date: d.date,
        outcome: Outcome::NoExclusion,
        reason: String::new(),
        self_cleansing_shortfall: Vec::new(),
        details: d.details.clone(),
        evidence: d.self_cleansing.as_ref().map(|s| s.evidence.clone()).unwrap_or_default(),
    };
    let who = if d.party == Party::Bidder { party_name.clone() } else { format!("{party_name} ({})", party_words(d.party)) };
    let event = if d.ground.is_criminal_offence() { "conviction" } else { "event" };
    let act = regime == Regime::ProcurementAct2023;
    if standing == Standing::None {
        decision.reason = format!(
            "{who} declared {}, which is not an exclusion ground under {}; consider whether another ground applies",
            d.ground.name(),
            regime.name()
        );
        return decision;
    }
    if !mandatory && !applied {
        decision.reason =
            format!("{who} declared {}, but this tender does not apply that ground (it is not in the contract notice)", d.ground.name());
        return decision;
    }
    let out = |mandatory: bool| match (mandatory, d.party == Party::Bidder) {
        (true, true) => Outcome::Exclude,
        (true, false) => Outcome::Replace,
        (false, true) => Outcome::MayExclude,
        (false, false) => Outcome::MayReplace,
    };
    if d.date > tender_date {
        decision.reason = format!("the {event} date {} is after the tender date {}; check the response", long(d.date), long(tender_date));
        decision.outcome = out(mandatory);
        return decision;
    }
    let years = d.ground.years_under(regime);
    if let Some(years) = years {
        let last = last_day(d.date, years);
        if tender_date > last {
            decision.reason = format!(
                "the {event} for {} on {} is more than {years} years before the tender date {} (the ground applied until {}), so it no longer applies",
                d.ground.name(),
                long(d.date),
                long(tender_date),
                long(last)
            );
            return decision;
        }
    }
    if d.ground == Ground::TaxAndSocialSecurity {
        let t = d.tax.clone().unwrap_or_default();
        if t.paid || t.binding_agreement {
            decision.reason = format!(
                "{who} has {} the tax or social security owed, so {}",
                if t.paid { "paid" } else { "entered into a binding agreement to pay" },
                if act {
                    "the circumstances are not continuing (s.57): it is not excludable on this ground"
                } else {
                    "must not be excluded on this ground"
                }
            );
            return decision;
        }
        decision.outcome = out(mandatory);
        decision.reason = format!(
            "{who}: {} on {}; it has not paid, or agreed to pay, what is owed, and may be excluded until it does",
            d.ground.name(),
            long(d.date)
        );
        return decision;
    }
    if let Some(sc) = &d.self_cleansing {
        let missing = sc.missing();
        if missing.is_empty() {
            decision.reason = if act {
                format!(
                    "{who} has put forward evidence of all three self-cleaning steps for {} on {}; if it satisfies you that the circumstances are neither continuing nor likely to occur again (s.57, s.58), the supplier is not {} on this ground",
                    d.ground.name(),
                    long(d.date),
                    if mandatory { "excluded" } else { "excludable" }
                )
            } else {
                format!(
                    "{who} has shown all three self-cleansing conditions for {} on {}; if the evidence satisfies you that it is reliable, you must not exclude on this ground",
                    d.ground.name(),
                    long(d.date)
                )
            };
            return decision;
        }
        decision.self_cleansing_shortfall = missing.iter().map(|m| m.to_string()).collect();
    }
    decision.outcome = out(mandatory);
    let age = format!("{event} on {}, within {} years of the tender date", long(d.date), years.unwrap_or(0));
    let cleansing = if decision.self_cleansing_shortfall.is_empty() {
        "no self-cleansing was put forward".to_string()
    } else {
        format!("the self-cleansing put forward does not show that it has {}", decision.self_cleansing_shortfall.join("; nor that it has "))
    };
    // The Act's test: the circumstances are taken as continuing or likely to recur unless the
    // evidence shows otherwise.
    let recur = if act { ", so the circumstances are taken as continuing or likely to occur again (s.57)" } else { "" };
    decision.reason = match decision.outcome {
        Outcome::Exclude => format!(
            "{who}: {} ({age}) is a mandatory exclusion ground and {cleansing}{recur}{}",
            d.ground.name(),
            if act { ": an excluded supplier (s.57(1))" } else { "" }
        ),
        Outcome::Replace => format!(
            "{who}: {} ({age}) is a mandatory exclusion ground and {cleansing}{recur}; the bidder must replace this party",
            d.ground.name()
        ),
        Outcome::MayExclude => format!(
            "{who}: {} ({age}) is a discretionary exclusion ground and {cleansing}{recur}{}; decide proportionately, considering the size of the contract, the relevance of the breach and the risk to delivery",
            d.ground.name(),
            if act { ": an excludable supplier (s.57(2))" } else { "" }
        ),
        _ => format!(
            "{who}: {} ({age}) is a discretionary exclusion ground and {cleansing}{recur}; you may require the bidder to replace this party",
            d.ground.name()
        ),
    };
    decision
}

/// A supplier on the debarment list is excluded (mandatory ground) or excludable (discretionary)
/// while its entry lasts, whatever its evidence (Procurement Act 2023, s.57(1)(b), (2)(b), s.62).
pub fn debarred(bidder: &str, entry: &Debarment, tender_date: NaiveDate) -> Decision {
    let mandatory = entry.ground.is_mandatory_under(Regime::ProcurementAct2023);
    let current = entry.until >= tender_date;
    let outcome = match (current, mandatory) {
        (false, _) => Outcome::NoExclusion,
        (true, true) => Outcome::Exclude,
        (true, false) => Outcome::MayExclude,
    };
    let reason = if current {
        format!(
            "{bidder} is on the debarment list for {} until {} (s.62): {}",
            entry.ground.name(),
            long(entry.until),
            if mandatory {
                "an excluded supplier (s.57(1)(b)); its tender must be disregarded"
            } else {
                "an excludable supplier (s.57(2)(b)); you may disregard its tender"
            }
        )
    } else {
        format!("{bidder}'s debarment list entry for {} ended on {}, before the tender date", entry.ground.name(), long(entry.until))
    };
    Decision {
        bidder: bidder.to_string(),
        party: Party::Bidder,
        party_name: bidder.to_string(),
        ground: entry.ground,
        mandatory,
        date: entry.until,
        outcome,
        reason,
        self_cleansing_shortfall: Vec::new(),
        details: String::new(),
        evidence: String::new(),
    }
}

fn party_words(p: Party) -> &'static str {
    match p {
        Party::Bidder => "the bidder",
        Party::Subcontractor => "subcontractor",
        Party::ConsortiumMember => "consortium member",
    }
}

/// Every declaration of every bidder, decided under `regime`; and, under the Procurement Act
/// 2023, every debarment list entry.
pub fn assess(responses: &Responses, tender_date: NaiveDate, discretionary_applied: &[Ground], regime: Regime) -> Vec<Decision> {
    responses
        .bidders
        .iter()
        .flat_map(|b| {
            let listed = b.debarred.as_ref().filter(|_| regime == Regime::ProcurementAct2023).map(|e| debarred(&b.name, e, tender_date));
            listed.into_iter().chain(b.declarations.iter().map(move |d| {
                let applied = d.ground.is_mandatory_under(regime) || discretionary_applied.contains(&d.ground);
                decide(&b.name, d, tender_date, applied, regime)
            }))
        })
        .collect()
}

/// What the exclusion decision still lacks under `regime`: the Procurement Act 2023 requires the
/// debarment list to have been checked (s.62), and the decision records when.
pub fn missing_checks(responses: &Responses, regime: Regime) -> Vec<String> {
    match (regime, responses.debarment_list_checked) {
        (Regime::ProcurementAct2023, None) => vec![
            "the debarment list has not been recorded as checked (Procurement Act 2023, s.62): check every supplier against it and add debarment_list_checked = YYYY-MM-DD to the responses file".into(),
        ],
        _ => Vec::new(),
    }
}

/// The bid's overall standing: excluded if any declaration excludes it.
pub fn bid_outcome(decisions: &[Decision], bidder: &str) -> Outcome {
    let order = [Outcome::Exclude, Outcome::Replace, Outcome::MayExclude, Outcome::MayReplace, Outcome::NoExclusion];
    let mine: Vec<Outcome> = decisions.iter().filter(|d| d.bidder == bidder).map(|d| d.outcome).collect();
    order.into_iter().find(|o| mine.contains(o)).unwrap_or(Outcome::NoExclusion)
}

#[cfg(test)]
mod tests;
