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

use crate::domain::date::long;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The grounds the SPD asks about (Procurement (Scotland) Regulations 2016, regs 8 and 9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Ground {
    // Mandatory: criminal offences (convictions by final judgment).
    CriminalOrganisation,
    Corruption,
    BriberyAndFraud,
    Terrorism,
    MoneyLaundering,
    ChildLabourAndTrafficking,
    // Mandatory: blacklisting.
    Blacklisting,
    // Discretionary.
    TaxAndSocialSecurity,
    EnvironmentalSocialLabourLaw,
    BankruptcyOrInsolvency,
    GraveProfessionalMisconduct,
    ConflictOfInterest,
    DistortionOfCompetition,
    DeficientPriorPerformance,
    MisrepresentationOrUndueInfluence,
}

pub const ALL_GROUNDS: [Ground; 15] = [
    Ground::CriminalOrganisation,
    Ground::Corruption,
    Ground::BriberyAndFraud,
    Ground::Terrorism,
    Ground::MoneyLaundering,
    Ground::ChildLabourAndTrafficking,
    Ground::Blacklisting,
    Ground::TaxAndSocialSecurity,
    Ground::EnvironmentalSocialLabourLaw,
    Ground::BankruptcyOrInsolvency,
    Ground::GraveProfessionalMisconduct,
    Ground::ConflictOfInterest,
    Ground::DistortionOfCompetition,
    Ground::DeficientPriorPerformance,
    Ground::MisrepresentationOrUndueInfluence,
];

/// The two grounds every Route 2 tender must ask about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MandatoryQuestion {
    /// The six criminal offences.
    CriminalOffences,
    Blacklisting,
}

impl Ground {
    /// A conviction for one of the criminal offences in regulation 8.
    pub fn is_criminal_offence(self) -> bool {
        matches!(
            self,
            Ground::CriminalOrganisation
                | Ground::Corruption
                | Ground::BriberyAndFraud
                | Ground::Terrorism
                | Ground::MoneyLaundering
                | Ground::ChildLabourAndTrafficking
        )
    }

    pub fn is_mandatory(self) -> bool {
        self.is_criminal_offence() || self == Ground::Blacklisting
    }

    pub fn name(self) -> &'static str {
        match self {
            Ground::CriminalOrganisation => "participation in a criminal organisation",
            Ground::Corruption => "corruption",
            Ground::BriberyAndFraud => "bribery or fraud",
            Ground::Terrorism => "terrorist offences or offences linked to terrorist activities",
            Ground::MoneyLaundering => "money laundering or terrorist financing",
            Ground::ChildLabourAndTrafficking => "child labour or other forms of trafficking in human beings",
            Ground::Blacklisting => "blacklisting",
            Ground::TaxAndSocialSecurity => "breach of tax or social security obligations",
            Ground::EnvironmentalSocialLabourLaw => "breach of environmental, social or labour law",
            Ground::BankruptcyOrInsolvency => "bankruptcy or insolvency",
            Ground::GraveProfessionalMisconduct => "grave professional misconduct",
            Ground::ConflictOfInterest => "conflict of interest",
            Ground::DistortionOfCompetition => "distortion of competition",
            Ground::DeficientPriorPerformance => "significant or persistent deficiencies in performing a prior public contract",
            Ground::MisrepresentationOrUndueInfluence => "misrepresentation, withholding information or undue influence",
        }
    }

    /// How long the ground applies: years from the conviction or event; `None` for tax, which
    /// applies until paid.
    pub fn years(self) -> Option<u32> {
        match self {
            g if g.is_criminal_offence() => Some(5),
            Ground::TaxAndSocialSecurity => None,
            _ => Some(3),
        }
    }
}

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
}

/// `responses.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Responses {
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

/// Decides one declaration. `applied` says whether the tender asks about the ground (mandatory
/// grounds always are).
pub fn decide(bidder: &str, d: &Declaration, tender_date: NaiveDate, applied: bool) -> Decision {
    let party_name = d.party_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| bidder.to_string());
    let mut decision = Decision {
        bidder: bidder.to_string(),
        party: d.party,
        party_name: party_name.clone(),
        ground: d.ground,
        mandatory: d.ground.is_mandatory(),
        date: d.date,
        outcome: Outcome::NoExclusion,
        reason: String::new(),
        self_cleansing_shortfall: Vec::new(),
        details: d.details.clone(),
        evidence: d.self_cleansing.as_ref().map(|s| s.evidence.clone()).unwrap_or_default(),
    };
    let who = if d.party == Party::Bidder { party_name.clone() } else { format!("{party_name} ({})", party_words(d.party)) };
    let event = if d.ground.is_criminal_offence() { "conviction" } else { "event" };
    if !d.ground.is_mandatory() && !applied {
        decision.reason =
            format!("{who} declared {}, but this tender does not apply that ground (it is not in the contract notice)", d.ground.name());
        return decision;
    }
    if d.date > tender_date {
        decision.reason = format!("the {event} date {} is after the tender date {}; check the response", long(d.date), long(tender_date));
        decision.outcome = if d.ground.is_mandatory() { Outcome::Exclude } else { Outcome::MayExclude };
        if d.party != Party::Bidder {
            decision.outcome = if d.ground.is_mandatory() { Outcome::Replace } else { Outcome::MayReplace };
        }
        return decision;
    }
    if let Some(years) = d.ground.years() {
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
                "{who} has {} the tax or social security owed, so must not be excluded on this ground",
                if t.paid { "paid" } else { "entered into a binding agreement to pay" }
            );
            return decision;
        }
        decision.outcome = if d.party == Party::Bidder { Outcome::MayExclude } else { Outcome::MayReplace };
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
            decision.reason = format!(
                "{who} has shown all three self-cleansing conditions for {} on {}; if the evidence satisfies you that it is reliable, you must not exclude on this ground",
                d.ground.name(),
                long(d.date)
            );
            return decision;
        }
        decision.self_cleansing_shortfall = missing.iter().map(|m| m.to_string()).collect();
    }
    decision.outcome = match (d.ground.is_mandatory(), d.party == Party::Bidder) {
        (true, true) => Outcome::Exclude,
        (true, false) => Outcome::Replace,
        (false, true) => Outcome::MayExclude,
        (false, false) => Outcome::MayReplace,
    };
    let age = format!("{event} on {}, within {} years of the tender date", long(d.date), d.ground.years().unwrap_or(0));
    let cleansing = if decision.self_cleansing_shortfall.is_empty() {
        "no self-cleansing was put forward".to_string()
    } else {
        format!("the self-cleansing put forward does not show that it has {}", decision.self_cleansing_shortfall.join("; nor that it has "))
    };
    decision.reason = match decision.outcome {
        Outcome::Exclude => format!("{who}: {} ({age}) is a mandatory exclusion ground and {cleansing}", d.ground.name()),
        Outcome::Replace => format!(
            "{who}: {} ({age}) is a mandatory exclusion ground and {cleansing}; the bidder must replace this party",
            d.ground.name()
        ),
        Outcome::MayExclude => format!(
            "{who}: {} ({age}) is a discretionary exclusion ground and {cleansing}; decide proportionately, considering the size of the contract, the relevance of the breach and the risk to delivery",
            d.ground.name()
        ),
        _ => format!(
            "{who}: {} ({age}) is a discretionary exclusion ground and {cleansing}; you may require the bidder to replace this party",
            d.ground.name()
        ),
    };
    decision
}

fn party_words(p: Party) -> &'static str {
    match p {
        Party::Bidder => "the bidder",
        Party::Subcontractor => "subcontractor",
        Party::ConsortiumMember => "consortium member",
    }
}

/// Every declaration of every bidder, decided.
pub fn assess(responses: &Responses, tender_date: NaiveDate, discretionary_applied: &[Ground]) -> Vec<Decision> {
    responses
        .bidders
        .iter()
        .flat_map(|b| {
            b.declarations
                .iter()
                .map(move |d| decide(&b.name, d, tender_date, d.ground.is_mandatory() || discretionary_applied.contains(&d.ground)))
        })
        .collect()
}

/// The bid's overall standing: excluded if any declaration excludes it.
pub fn bid_outcome(decisions: &[Decision], bidder: &str) -> Outcome {
    let order = [Outcome::Exclude, Outcome::Replace, Outcome::MayExclude, Outcome::MayReplace, Outcome::NoExclusion];
    let mine: Vec<Outcome> = decisions.iter().filter(|d| d.bidder == bidder).map(|d| d.outcome).collect();
    order.into_iter().find(|o| mine.contains(o)).unwrap_or(Outcome::NoExclusion)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn decl(ground: Ground, on: &str) -> Declaration {
        Declaration {
            ground,
            party: Party::Bidder,
            party_name: None,
            date: date(on),
            details: String::new(),
            self_cleansing: None,
            tax: None,
        }
    }

    const TENDER: &str = "2026-11-30";

    #[test]
    fn every_ground_without_self_cleansing() {
        for g in ALL_GROUNDS {
            let d = decide("Acme", &decl(g, "2025-06-01"), date(TENDER), true);
            let want = match g {
                g if g.is_mandatory() => Outcome::Exclude,
                _ => Outcome::MayExclude,
            };
            assert_eq!(d.outcome, want, "{g:?}: {}", d.reason);
            assert_eq!(d.mandatory, g.is_mandatory());
            assert!(d.reason.contains(g.name()), "{}", d.reason);
        }
        assert_eq!(ALL_GROUNDS.iter().filter(|g| g.is_mandatory()).count(), 7);
    }

    #[test]
    fn discretionary_grounds_the_tender_does_not_apply_are_not_used() {
        let d = decide("Acme", &decl(Ground::ConflictOfInterest, "2025-06-01"), date(TENDER), false);
        assert_eq!(d.outcome, Outcome::NoExclusion);
        assert!(d.reason.contains("does not apply that ground"));
        // Mandatory grounds always apply.
        assert_eq!(decide("Acme", &decl(Ground::Blacklisting, "2025-06-01"), date(TENDER), false).outcome, Outcome::Exclude);
    }

    #[test]
    fn every_self_cleansing_combination() {
        for bits in 0..8u8 {
            let sc = SelfCleansing {
                compensation: bits & 1 != 0,
                collaboration: bits & 2 != 0,
                measures: bits & 4 != 0,
                evidence: String::new(),
            };
            let mut d = decl(Ground::Corruption, "2024-01-10");
            d.self_cleansing = Some(sc.clone());
            let out = decide("Acme", &d, date(TENDER), true);
            if bits == 7 {
                assert_eq!(out.outcome, Outcome::NoExclusion, "all three conditions");
                assert!(out.reason.contains("all three self-cleansing conditions"));
            } else {
                assert_eq!(out.outcome, Outcome::Exclude, "bits {bits:03b}");
                assert_eq!(out.self_cleansing_shortfall.len(), sc.missing().len());
                assert!(!out.self_cleansing_shortfall.is_empty());
            }
            // Discretionary grounds: the same conditions, but the outcome is the buyer's call.
            let mut d = decl(Ground::GraveProfessionalMisconduct, "2024-01-10");
            d.self_cleansing = Some(sc);
            let out = decide("Acme", &d, date(TENDER), true);
            assert_eq!(out.outcome, if bits == 7 { Outcome::NoExclusion } else { Outcome::MayExclude });
        }
    }

    #[test]
    fn time_limits_count_to_the_anniversary_including_leap_days() {
        // Criminal convictions: 5 years. The anniversary is the last day the ground applies.
        let table = [
            ("2021-11-30", "2026-11-30", Outcome::Exclude),     // exactly 5 years: not older than 5 years
            ("2021-11-29", "2026-11-30", Outcome::NoExclusion), // 5 years and a day
            ("2020-02-29", "2025-02-28", Outcome::Exclude),     // leap-day conviction: anniversary is 28 February
            ("2020-02-29", "2025-03-01", Outcome::NoExclusion),
            ("2024-02-29", "2029-02-28", Outcome::Exclude),
            ("2024-02-29", "2029-03-01", Outcome::NoExclusion),
        ];
        for (on, tender, want) in table {
            let d = decide("Acme", &decl(Ground::MoneyLaundering, on), date(tender), true);
            assert_eq!(d.outcome, want, "conviction {on}, tender {tender}: {}", d.reason);
        }
        // Other grounds: 3 years from the event, leap years included.
        let table = [
            ("2023-11-30", "2026-11-30", Outcome::MayExclude),
            ("2023-11-29", "2026-11-30", Outcome::NoExclusion),
            ("2024-02-29", "2027-02-28", Outcome::MayExclude),
            ("2024-02-29", "2027-03-01", Outcome::NoExclusion),
        ];
        for (on, tender, want) in table {
            assert_eq!(
                decide("Acme", &decl(Ground::DeficientPriorPerformance, on), date(tender), true).outcome,
                want,
                "event {on}, tender {tender}"
            );
        }
        assert_eq!(
            decide("Acme", &decl(Ground::Blacklisting, "2023-11-29"), date(TENDER), true).outcome,
            Outcome::NoExclusion,
            "blacklisting: 3 years"
        );
        let lapsed = decide("Acme", &decl(Ground::Corruption, "2019-05-01"), date(TENDER), true);
        assert!(
            lapsed.reason.contains("more than 5 years before the tender date 30 November 2026 (the ground applied until 1 May 2024)"),
            "{}",
            lapsed.reason
        );
    }

    #[test]
    fn tax_breaches_are_cured_by_paying_not_by_time() {
        let mut d = decl(Ground::TaxAndSocialSecurity, "2015-04-05");
        assert_eq!(decide("Acme", &d, date(TENDER), true).outcome, Outcome::MayExclude, "no time limit: until paid");
        d.tax = Some(TaxSettlement { paid: false, binding_agreement: true });
        assert_eq!(decide("Acme", &d, date(TENDER), true).outcome, Outcome::NoExclusion);
        d.tax = Some(TaxSettlement { paid: true, binding_agreement: false });
        let out = decide("Acme", &d, date(TENDER), true);
        assert_eq!(out.outcome, Outcome::NoExclusion);
        assert!(out.reason.contains("has paid"));
        // Self-cleansing does not apply to tax: only paying does.
        d.tax = None;
        d.self_cleansing = Some(SelfCleansing { compensation: true, collaboration: true, measures: true, evidence: String::new() });
        assert_eq!(decide("Acme", &d, date(TENDER), true).outcome, Outcome::MayExclude);
    }

    #[test]
    fn other_parties_are_replaced_not_the_bid_excluded() {
        let mut d = decl(Ground::ChildLabourAndTrafficking, "2025-01-01");
        d.party = Party::Subcontractor;
        d.party_name = Some("Kerbside Haulage Ltd".into());
        let out = decide("Acme", &d, date(TENDER), true);
        assert_eq!(out.outcome, Outcome::Replace);
        assert!(out.reason.starts_with("Kerbside Haulage Ltd (subcontractor)"));
        d.ground = Ground::BankruptcyOrInsolvency;
        d.party = Party::ConsortiumMember;
        assert_eq!(decide("Acme", &d, date(TENDER), true).outcome, Outcome::MayReplace);
    }

    #[test]
    fn a_bid_is_excluded_if_any_declaration_excludes_it() {
        let r = Responses {
            bidders: vec![BidderResponse {
                name: "Acme".into(),
                declarations: vec![decl(Ground::ConflictOfInterest, "2025-01-01"), decl(Ground::Corruption, "2025-01-01")],
            }],
        };
        let ds = assess(&r, date(TENDER), &[Ground::ConflictOfInterest]);
        assert_eq!(bid_outcome(&ds, "Acme"), Outcome::Exclude);
        assert_eq!(bid_outcome(&ds, "Nobody"), Outcome::NoExclusion);
    }
}
