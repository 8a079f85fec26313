//! Exclusion decisions, from each declaration in a bidder's SPD response (theirs, or a
//! subcontractor's or consortium member's), made on a stated day under the tender's regime.
//!
//! Scotland 2015 (regulation 58): a discretionary ground the tender does not apply is not used
//! (guidance, "Exclusion Criteria"); a ground whose period (reg 58(11), (12), extended by reg 2(4)(c))
//! has ended on the day of the decision no longer applies; a tax or social security breach is ended
//! by paying or a binding arrangement to pay (reg 58(5)); self-cleansing that proves all three
//! measures of reg 58(15) means the bidder must not be excluded (reg 58(14)), and anything less needs
//! a statement of reasons (reg 58(17)); what remains excludes (mandatory grounds) or may exclude
//! (discretionary). A subcontractor or consortium member is replaced rather than the bid excluded
//! (reg 71(10)-(11)).
//!
//! Procurement Act 2023: every discretionary ground is considered (s.26(2)(a)); events outside the
//! period counted back from the day of the determination are ignored (Sch 6 para 44, Sch 7 para 15),
//! as are events before a ground's commencement where the Schedules say so; a supplier is excluded
//! (mandatory ground) or excludable (discretionary) only if the circumstances are continuing or
//! likely to occur again (s.57(1)-(2)), which the self-cleaning evidence answers (s.58); a supplier on
//! the debarment list is excluded or excludable for the ground it is listed for, whatever its
//! evidence (s.57(1)(b), (2)(b)). The buyer must check the debarment list and record when it did.
//!
//! The day of the determination is an input: it is never read from a clock here.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::Calendar;
use crate::domain::date::long;
use crate::domain::regime::Regime;

mod grounds;

pub use grounds::{
    BELOW_THRESHOLD, Bar, Ground, Law, MANDATORY_QUESTIONS, MandatoryQuestion, Period, SCHEDULES_IN_FORCE, Standing, all_grounds,
    below_threshold_provision, schedules_in_force,
};

/// Whose declaration it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Party {
    #[default]
    Bidder,
    Subcontractor,
    ConsortiumMember,
}

/// Evidence of self-cleansing: the three measures of reg 58(15) (under the Act, the matters of
/// s.58(1) that show the circumstances are not continuing or likely to occur again).
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
    /// The measures not shown, in words.
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
    /// Procurement Act 2023, discretionary grounds: the day the buyer became aware of the event, or
    /// a reasonably well-informed decision-maker in its position would have (Sch 7 para 15(1)).
    #[serde(default, deserialize_with = "crate::domain::date::deserialize_option")]
    pub aware_since: Option<NaiveDate>,
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

/// An entry on the debarment list: the ground it is for, and the day the Minister expects the
/// ground to cease to apply (s.62(4)(d)).
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
    /// The day the exclusion decisions are made (the "determination" of Sch 6 para 44 and Sch 7
    /// para 15); `--on` overrides it, and without either it is today.
    #[serde(default, deserialize_with = "crate::domain::date::deserialize_option")]
    pub determination_date: Option<NaiveDate>,
    /// When the buyer checked the debarment list (Procurement Act 2023, s.62); the decision
    /// records it.
    #[serde(default, deserialize_with = "crate::domain::date::deserialize_option")]
    pub debarment_list_checked: Option<NaiveDate>,
    pub bidders: Vec<BidderResponse>,
    /// How each abnormally low tender was handled, after its explanation (the evaluation report).
    #[serde(default)]
    pub abnormally_low: Vec<crate::domain::letters::abnormal::Handled>,
}

/// What happens to a bid because of one declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The bid must be excluded.
    Exclude,
    /// The bidder must replace the subcontractor or consortium member.
    Replace,
    /// The decision cannot be made yet: the responses file lacks something it needs.
    Incomplete,
    /// The buyer may exclude, deciding case by case and proportionately.
    MayExclude,
    /// The buyer may require the party to be replaced, case by case.
    MayReplace,
    /// The declaration does not lead to exclusion.
    NoExclusion,
}

impl Standing {
    pub fn words(self) -> &'static str {
        match self {
            Standing::Mandatory => "mandatory",
            Standing::Discretionary => "discretionary",
            Standing::DebarmentOnly => "through the debarment list only",
            Standing::None => "not a ground under this law",
        }
    }
}

impl Outcome {
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Exclude => "exclude the bid",
            Outcome::Replace => "require the party to be replaced",
            Outcome::Incomplete => "cannot be decided yet",
            Outcome::MayExclude => "may exclude, case by case",
            Outcome::MayReplace => "may require the party to be replaced, case by case",
            Outcome::NoExclusion => "no exclusion",
        }
    }
}

/// The period a decision applied: what was measured, the period it had to fall in (or, in
/// Scotland, the period the ground lasts), and the provision that sets it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeriodApplied {
    /// What the period is measured against: "the conviction", "the event", "your awareness of the event".
    pub measured: String,
    pub measured_date: NaiveDate,
    /// First and last day of the period.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub provision: String,
    /// The period in words, with its provision.
    pub rule: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decision {
    pub bidder: String,
    pub party: Party,
    pub party_name: String,
    pub ground: Ground,
    /// What the ground is under the tender's law.
    pub standing: Standing,
    pub mandatory: bool,
    /// Where the ground is set out under the regime ("reg 58(1)(b)", "Sch 6 para 2").
    pub provision: String,
    pub date: NaiveDate,
    /// The day the decision is made.
    pub determination: NaiveDate,
    /// The period applied, where the ground has one.
    pub period: Option<PeriodApplied>,
    pub outcome: Outcome,
    /// Why, in words, for the letters.
    pub reason: String,
    /// What the responses file must supply before this can be decided (outcome `Incomplete`).
    pub missing: Vec<String>,
    /// Self-cleansing measures not shown, where self-cleansing was put forward but falls short:
    /// the statement of reasons (reg 58(17)).
    pub self_cleansing_shortfall: Vec<String>,
    /// What was declared, and the self-cleansing evidence put forward.
    pub details: String,
    pub evidence: String,
}

/// What decisions are made against: the day, the regime, the discretionary grounds a Scottish
/// tender applies, and the working-day calendar for reg 2(4)(c).
#[derive(Clone, Debug)]
pub struct Determination<'a> {
    pub on: NaiveDate,
    pub regime: Regime,
    /// Scotland: the discretionary grounds in the contract notice. Unused under the Act, which
    /// considers every discretionary ground (s.26(2)(a)).
    pub discretionary_applied: &'a [Ground],
    /// Scotland: a procurement below the thresholds, under the Procurement (Scotland) Regulations
    /// 2016 (`BELOW_THRESHOLD`).
    pub below_threshold: bool,
    pub calendar: Calendar,
}

impl<'a> Determination<'a> {
    pub fn new(on: NaiveDate, regime: Regime, discretionary_applied: &'a [Ground]) -> Self {
        Determination { on, regime, discretionary_applied, below_threshold: false, calendar: regime.calendar() }
    }

    /// The determination for `tender`'s regime, grounds and threshold.
    pub fn for_tender(on: NaiveDate, tender: &'a crate::domain::Tender) -> Self {
        let below_threshold = tender.regime == Regime::Scotland2015 && !tender.above_threshold;
        Determination { below_threshold, ..Determination::new(on, tender.regime, &tender.exclusion.discretionary) }
    }

    /// The law the decisions are made under, by name.
    pub fn law_name(&self) -> &'static str {
        if self.below_threshold && self.regime == Regime::Scotland2015 {
            "the Procurement (Scotland) Regulations 2016 (below the thresholds)"
        } else {
            self.regime.name()
        }
    }
}

/// Scotland's self-cleansing provisions, as (must not exclude, the three measures, statement of
/// reasons, overriding public interest): reg 58(14), (15), (17) and (6) of the 2015 Regulations; below
/// the thresholds, reg 8(7), (8), (10), (3) (convictions) or reg 9(10), (11), (13), (4) (other grounds)
/// of the 2016 Regulations.
fn scottish_cleansing(below: bool, conviction: bool) -> [&'static str; 4] {
    match (below, conviction) {
        (false, _) => ["reg 58(14)", "reg 58(15)", "reg 58(17)", "reg 58(6)"],
        (true, true) => ["reg 8(7)", "reg 8(8)", "reg 8(10)", "reg 8(3)"],
        (true, false) => ["reg 9(10)", "reg 9(11)", "reg 9(13)", "reg 9(4)"],
    }
}

/// The anniversary `years` years after `date` (a 29 February date falls on 28 February in a common
/// year).
pub fn anniversary(date: NaiveDate, years: u32) -> NaiveDate {
    date.checked_add_months(Months::new(years * 12)).unwrap_or(NaiveDate::MAX)
}

/// The first day of the `years`-year period ending with `end` (the Act's "period ending with the
/// date on which the determination is made"): the day after `end`'s date `years` years earlier.
pub fn period_ending_with(end: NaiveDate, years: u32) -> NaiveDate {
    end.checked_sub_months(Months::new(years * 12)).and_then(|d| d.checked_add_days(Days::new(1))).unwrap_or(NaiveDate::MIN)
}

fn party_words(p: Party) -> &'static str {
    match p {
        Party::Bidder => "the bidder",
        Party::Subcontractor => "subcontractor",
        Party::ConsortiumMember => "consortium member",
    }
}

/// Scotland: the last day of a period of `years` from `event` under reg 2(4): the day of the event
/// is not counted, and a last day that is not a working day in Scotland runs on to the next working
/// day. Where the calendar does not know the year and the extension cannot change the decision on
/// `on` (the anniversary is more than a fortnight away from it), the anniversary is given as the end.
fn scottish_period_end(event: NaiveDate, years: u32, on: NaiveDate, calendar: &Calendar) -> Result<(NaiveDate, String), String> {
    let anniversary = anniversary(event, years);
    let mut end = anniversary;
    let mut moved = Vec::new();
    loop {
        match calendar.non_working(end) {
            Ok(None) => break,
            Ok(Some(why)) => {
                moved.push(format!("{} ({why})", long(end)));
                end = end.checked_add_days(Days::new(1)).unwrap_or(NaiveDate::MAX);
            }
            Err(_) if (anniversary - on).num_days().abs() > 14 => return Ok((anniversary, String::new())),
            Err(e) => return Err(e.to_string()),
        }
    }
    let note = if moved.is_empty() {
        String::new()
    } else {
        format!("; {} not a working day in Scotland, so the period runs to {} (reg 2(4)(c))", moved.join(" and "), long(end))
    };
    Ok((end, note))
}

/// Decides one declaration.
pub fn decide(bidder: &str, d: &Declaration, on: &Determination) -> Decision {
    let regime = on.regime;
    let act = regime == Regime::ProcurementAct2023;
    let below = !act && on.below_threshold;
    let cite = |p: &str| if below { below_threshold_provision(p) } else { p.to_string() };
    let law = d.ground.law(regime);
    let standing = d.ground.standing(regime, below);
    let provision = cite(law.provision);
    let [must_not, measures, statement, public_interest] = scottish_cleansing(below, d.ground.is_criminal_offence());
    let party_name = d.party_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| bidder.to_string());
    let mandatory = standing == Standing::Mandatory;
    let mut decision = Decision {
        bidder: bidder.to_string(),
        party: d.party,
        party_name: party_name.clone(),
        ground: d.ground,
        standing,
        mandatory,
        provision: provision.clone(),
        date: d.date,
        determination: on.on,
        period: None,
        outcome: Outcome::NoExclusion,
        reason: String::new(),
        missing: Vec::new(),
        self_cleansing_shortfall: Vec::new(),
        details: d.details.clone(),
        evidence: d.self_cleansing.as_ref().map(|s| s.evidence.clone()).unwrap_or_default(),
    };
    let who = if d.party == Party::Bidder { party_name.clone() } else { format!("{party_name} ({})", party_words(d.party)) };
    let event = if d.ground.is_criminal_offence() { "conviction" } else { "event" };
    let name = d.ground.name();
    let incomplete = |mut decision: Decision, what: String| {
        decision.outcome = Outcome::Incomplete;
        decision.reason = format!("{who}: {name}: {what}");
        decision.missing.push(format!("{bidder}: {name}: {what}"));
        decision
    };
    match standing {
        Standing::None => {
            decision.reason = format!("{who} declared {name}, which is not an exclusion ground under {}: {}", on.law_name(), law.instead);
            return decision;
        }
        Standing::DebarmentOnly => {
            decision.reason = format!("{who} declared {name} ({provision}): {}", law.instead);
            return decision;
        }
        Standing::Discretionary if !act && !on.discretionary_applied.contains(&d.ground) => {
            decision.reason =
                format!("{who} declared {name}, but this tender does not apply that ground (it is not in the contract notice)");
            return decision;
        }
        _ => {}
    }
    if d.date > on.on {
        return incomplete(
            decision,
            format!(
                "the {event} date {} is after the day of this decision, {}: check the response, or decide on a later day (--on)",
                long(d.date),
                long(on.on)
            ),
        );
    }
    // The period, and whether the event still counts.
    match law.period {
        Period::FromEvent { years, provision: period_provision } => {
            let period_provision = cite(period_provision);
            // The 2015 Regulations' counting rule (reg 2(4)); the 2016 Regulations have none, so
            // below the thresholds the period ends on the anniversary.
            let (to, extended) = if below {
                (anniversary(d.date, years), String::new())
            } else {
                match scottish_period_end(d.date, years, on.on, &on.calendar) {
                    Ok(x) => x,
                    Err(e) => return incomplete(decision, format!("the period of {period_provision} cannot be counted: {e}")),
                }
            };
            let from = d.date.checked_add_days(Days::new(1)).unwrap_or(d.date);
            let rule = format!(
                "{years} years from the {event} on {}{}: {} to {}{extended} ({period_provision})",
                long(d.date),
                if below { "" } else { ", not counting that day (reg 2(4)(a))" },
                long(from),
                long(to)
            );
            decision.period = Some(PeriodApplied {
                measured: format!("the {event}"),
                measured_date: d.date,
                from,
                to,
                provision: period_provision,
                rule: rule.clone(),
            });
            if on.on > to {
                decision.reason =
                    format!("{who}: {name} ({provision}): the ground applied for {rule}; on {} it no longer applies", long(on.on));
                return decision;
            }
        }
        Period::BackFromDetermination { years, provision: period_provision } => {
            let from = period_ending_with(on.on, years);
            let rule = format!(
                "the {years}-year period ending with the day of this decision: {} to {} ({period_provision})",
                long(from),
                long(on.on)
            );
            decision.period = Some(PeriodApplied {
                measured: format!("the {event}"),
                measured_date: d.date,
                from,
                to: on.on,
                provision: period_provision.into(),
                rule: rule.clone(),
            });
            if d.date < from {
                decision.reason =
                    format!("{who}: {name} ({provision}): the {event} on {} is before {rule}, so it must be ignored", long(d.date));
                return decision;
            }
        }
        Period::AwarenessBackFromDetermination { years, provision: period_provision } => {
            let Some(aware) = d.aware_since else {
                return incomplete(
                    decision,
                    format!(
                        "give aware_since = YYYY-MM-DD: the day you became aware of the {event} of {}, or a reasonably well-informed decision-maker in your position would have ({period_provision}; Sch 7 para 15(1)(b)). Its period is counted from that day, not from the {event}",
                        long(d.date)
                    ),
                );
            };
            if aware < d.date || aware > on.on {
                return incomplete(
                    decision,
                    format!(
                        "aware_since {} must fall between the {event} ({}) and the day of this decision ({})",
                        long(aware),
                        long(d.date),
                        long(on.on)
                    ),
                );
            }
            let from = period_ending_with(on.on, years);
            let rule = format!(
                "the {years}-year period ending with the day of this decision: {} to {} ({period_provision})",
                long(from),
                long(on.on)
            );
            decision.period = Some(PeriodApplied {
                measured: format!("your awareness of the {event}"),
                measured_date: aware,
                from,
                to: on.on,
                provision: period_provision.into(),
                rule: rule.clone(),
            });
            if aware < from {
                decision.reason = format!(
                    "{who}: {name} ({provision}): you were aware (or ought to have been) of the {event} on {} from {}, before {rule}, so it must be ignored",
                    long(d.date),
                    long(aware)
                );
                return decision;
            }
        }
        Period::UntilPaid { .. } | Period::NotAGround => {}
    }
    // Events before a ground's commencement that the Act ignores.
    let bar = match law.bar {
        Bar::None => None,
        Bar::BeforeCommencement(p) => {
            Some((schedules_in_force(), format!("before the Schedule came into force on {} ({p})", long(schedules_in_force()))))
        }
        Bar::BeforeThreeYearsToCommencement(p) => {
            let from = period_ending_with(schedules_in_force(), 3);
            Some((
                from,
                format!(
                    "before the three-year period ending with the Schedule's coming into force ({} to {}; {p})",
                    long(from),
                    long(schedules_in_force())
                ),
            ))
        }
    };
    if let Some((_, words)) = bar.filter(|(from, _)| d.date < *from) {
        decision.reason = format!("{who}: {name} ({provision}): the {event} on {} is {words}, so it must be ignored", long(d.date));
        return decision;
    }
    let out = |mandatory: bool| match (mandatory, d.party == Party::Bidder) {
        (true, true) => Outcome::Exclude,
        (true, false) => Outcome::Replace,
        (false, true) => Outcome::MayExclude,
        (false, false) => Outcome::MayReplace,
    };
    let within = decision
        .period
        .as_ref()
        .map(|p| format!("; the period of {} runs from {} to {}", p.provision, long(p.from), long(p.to)))
        .unwrap_or_default();
    // Scotland: a tax or social security breach ends when it is paid, and self-cleansing does not
    // apply to it (reg 58(13) names paragraphs (1), (3)(b) and (8) only).
    if let Period::UntilPaid { provision: paid_rule } = law.period {
        let paid_rule = cite(paid_rule);
        let t = d.tax.clone().unwrap_or_default();
        if t.paid || t.binding_agreement {
            decision.reason = format!(
                "{who}: {name} ({provision}) on {}: it has {} the taxes or contributions due, so it must not be excluded on this ground ({paid_rule}(a))",
                long(d.date),
                if t.paid { "paid" } else { "entered into a binding arrangement to pay" }
            );
            return decision;
        }
        decision.outcome = out(mandatory);
        decision.reason = if mandatory {
            format!(
                "{who}: {name} ({provision}) on {}: it has not paid, or made a binding arrangement to pay, what is due, so it must be excluded until it does ({paid_rule}); you may disregard this only exceptionally, for overriding reasons of public interest (reg 58(6)), or where exclusion would be clearly disproportionate, such as where only minor amounts are unpaid or the bidder learned the exact amount too late to pay before the deadline (reg 58(7))",
                long(d.date)
            )
        } else {
            format!(
                "{who}: {name} ({provision}) on {}: it has not paid, or made a binding arrangement to pay, what is due, and may be excluded until it does ({paid_rule})",
                long(d.date)
            )
        };
        return decision;
    }
    // Under the Act, paying is evidence of taking the circumstances seriously (s.58(1)(a)), not an
    // end to the ground: the s.57 test still decides.
    let paid = match (&d.tax, act) {
        (Some(t), true) if t.paid || t.binding_agreement => {
            "; it has paid, or agreed to pay, what was due, which you may weigh as evidence (s.58(1)(a)) but which does not by itself end the ground"
        }
        _ => "",
    };
    if let Some(sc) = &d.self_cleansing {
        let missing = sc.missing();
        if missing.is_empty() {
            decision.reason = if act {
                format!(
                    "{who}: {name} ({provision}), {event} on {}{within}{paid}. It has put forward evidence of all three self-cleaning steps; if it satisfies you that the circumstances are neither continuing nor likely to occur again (s.57, s.58), the supplier is not {} on this ground",
                    long(d.date),
                    if mandatory { "excluded" } else { "excludable" }
                )
            } else {
                format!(
                    "{who}: {name} ({provision}), {event} on {}{within}. It has proved all three self-cleansing measures ({measures}); if the evidence satisfies you that they are sufficient to demonstrate its reliability, you must not exclude on this ground ({must_not})",
                    long(d.date)
                )
            };
            return decision;
        }
        decision.self_cleansing_shortfall = missing.iter().map(|m| m.to_string()).collect();
    }
    decision.outcome = out(mandatory);
    let cleansing = if decision.self_cleansing_shortfall.is_empty() {
        "no self-cleansing was put forward".to_string()
    } else {
        format!(
            "the self-cleansing put forward does not show that it has {}{}",
            decision.self_cleansing_shortfall.join("; nor that it has "),
            if act { String::new() } else { format!(" (a statement of reasons is owed: {statement})") }
        )
    };
    // The Act's test: the circumstances are taken as continuing or likely to recur unless the
    // evidence shows otherwise.
    let recur = if act { ", so the circumstances are taken as continuing or likely to occur again (s.57)" } else { "" };
    let head = format!("{who}: {name} ({provision}), {event} on {}{within}{paid}", long(d.date));

    let security = if act && d.ground == Ground::NationalSecurity {
        "; before disregarding the tender or telling the supplier you intend to, notify a Minister of the Crown, who must agree (s.29)"
    } else {
        ""
    };
    decision.reason = match decision.outcome {
        Outcome::Exclude => format!(
            "{head}: a mandatory exclusion ground, and {cleansing}{recur}{}",
            if act {
                ": an excluded supplier (s.57(1)(a)); its tender must be disregarded (s.26(1))".to_string()
            } else {
                format!(": it must be excluded, unless exceptionally for overriding reasons of public interest ({public_interest})")
            }
        ),
        Outcome::Replace => format!(
            "{head}: a mandatory exclusion ground, and {cleansing}{recur}; the bidder must replace this party{}",
            if act { " (s.26(3), s.28(3))" } else { " (reg 71(10))" }
        ),
        Outcome::MayExclude => format!(
            "{head}: a discretionary exclusion ground, and {cleansing}{recur}{}{security}; decide proportionately, considering the size of the contract, the relevance of the conduct and the risk to delivery",
            if act { ": an excludable supplier (s.57(2)(a)); you may disregard its tender (s.26(2))" } else { "" }
        ),
        _ => format!(
            "{head}: a discretionary exclusion ground, and {cleansing}{recur}{security}; you may require the bidder to replace this party{}",
            if act { " (s.26(3), s.28(4))" } else { " (reg 71(11))" }
        ),
    };
    decision
}

/// A supplier on the debarment list is excluded (mandatory ground) or excludable (discretionary)
/// while its entry lasts, whatever its evidence (Procurement Act 2023, s.57(1)(b), (2)(b), s.62).
pub fn debarred(bidder: &str, entry: &Debarment, on: NaiveDate) -> Decision {
    let law = entry.ground.law(Regime::ProcurementAct2023);
    let mandatory = matches!(law.standing, Standing::Mandatory | Standing::DebarmentOnly);
    let current = entry.until >= on;
    let mut decision = Decision {
        bidder: bidder.to_string(),
        party: Party::Bidder,
        party_name: bidder.to_string(),
        ground: entry.ground,
        standing: law.standing,
        mandatory,
        provision: law.provision.to_string(),
        date: entry.until,
        determination: on,
        period: None,
        outcome: Outcome::NoExclusion,
        reason: String::new(),
        missing: Vec::new(),
        self_cleansing_shortfall: Vec::new(),
        details: String::new(),
        evidence: String::new(),
    };
    if law.standing == Standing::None {
        let what = format!(
            "the debarment list records grounds of Schedules 6 and 7 of the Procurement Act 2023, and {} is not one: check the entry",
            entry.ground.name()
        );
        decision.outcome = Outcome::Incomplete;
        decision.reason = format!("{bidder}: {what}");
        decision.missing.push(format!("{bidder}: {what}"));
        return decision;
    }
    let kind = if entry.ground == Ground::NationalSecurityDetermination {
        " and only for public contracts of the kind the entry describes (s.57(3))"
    } else {
        ""
    };
    decision.outcome = match (current, mandatory) {
        (false, _) => Outcome::NoExclusion,
        (true, true) => Outcome::Exclude,
        (true, false) => Outcome::MayExclude,
    };
    decision.reason = if current {
        format!(
            "{bidder} is on the debarment list for {} ({}) until {} (s.62): {}{kind}",
            entry.ground.name(),
            law.provision,
            long(entry.until),
            if mandatory {
                "an excluded supplier (s.57(1)(b)); its tender must be disregarded (s.26(1))"
            } else {
                "an excludable supplier (s.57(2)(b)); you may disregard its tender (s.26(2))"
            }
        )
    } else {
        format!(
            "{bidder}'s debarment list entry for {} ended on {}, before the day of this decision ({})",
            entry.ground.name(),
            long(entry.until),
            long(on)
        )
    };
    decision
}

/// Every declaration of every bidder, decided; and, under the Procurement Act 2023, every
/// debarment list entry.
pub fn assess(responses: &Responses, on: &Determination) -> Vec<Decision> {
    responses
        .bidders
        .iter()
        .flat_map(|b| {
            let listed = b.debarred.as_ref().filter(|_| on.regime == Regime::ProcurementAct2023).map(|e| debarred(&b.name, e, on.on));
            listed.into_iter().chain(b.declarations.iter().map(move |d| decide(&b.name, d, on)))
        })
        .collect()
}

/// What the exclusion decisions still lack: under the Procurement Act 2023 the debarment list must
/// have been checked (s.62), and every decision `Incomplete` says what it needs.
pub fn missing_checks(responses: &Responses, regime: Regime, decisions: &[Decision]) -> Vec<String> {
    let mut out: Vec<String> = match (regime, responses.debarment_list_checked) {
        (Regime::ProcurementAct2023, None) => vec![
            "the debarment list has not been recorded as checked (Procurement Act 2023, s.62): check every supplier against it and add debarment_list_checked = YYYY-MM-DD to the responses file".into(),
        ],
        _ => Vec::new(),
    };
    out.extend(decisions.iter().flat_map(|d| d.missing.iter().cloned()));
    out
}

/// The bid's overall standing: excluded if any declaration excludes it.
pub fn bid_outcome(decisions: &[Decision], bidder: &str) -> Outcome {
    let order = [Outcome::Exclude, Outcome::Replace, Outcome::Incomplete, Outcome::MayExclude, Outcome::MayReplace, Outcome::NoExclusion];
    let mine: Vec<Outcome> = decisions.iter().filter(|d| d.bidder == bidder).map(|d| d.outcome).collect();
    order.into_iter().find(|o| mine.contains(o)).unwrap_or(Outcome::NoExclusion)
}

#[cfg(test)]
mod tests;
