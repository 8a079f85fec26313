//! The exclusion grounds, and what each is under each regime, as one table read from the
//! statutes themselves.
//!
//! Scotland 2015: regulation 58 of the Public Contracts (Scotland) Regulations 2015 (SSI 2015/446).
//! Convictions for the offences of reg 58(1) exclude for 5 years from the conviction (reg 58(11));
//! blacklisting (reg 58(3)(b)) and the discretionary grounds of reg 58(8) for 3 years from the event
//! (reg 58(12)); a tax or social security breach until it is paid or an arrangement to pay is made
//! (reg 58(5)), mandatory where a final and binding judicial or administrative decision established
//! it (reg 58(3)(a)) and discretionary where it is shown by other means (reg 58(4)). A period's last
//! day that is not a working day runs on to the next working day (reg 2(4)(c)).
//!
//! Procurement Act 2023: the mandatory grounds of Schedule 6 and the discretionary grounds of
//! Schedule 7. A mandatory ground ignores any event before the five-year period ending with the day
//! the determination is made (Sch 6 para 44(1)); a discretionary ground ignores any event the
//! authority became aware of, or ought to have, before the five-year period ending with that day
//! (Sch 7 para 15(1)), or the three-year period for the grounds of para 15(3). Some grounds also
//! ignore events before the Schedules came into force (Sch 6 para 44(3), Sch 7 para 15(4)) or before
//! the three years ending with it (Sch 6 para 44(4)). Ancillary offences (aiding, attempting,
//! conspiring: Sch 6 para 33) and offences abroad (para 34) are declared as the offence they relate
//! to and carry its rules.
//!
//! A ground that is one under only one regime has, under the other, a note saying what to consider
//! instead. The Schedules list the offences one by one; the grounds here name them by paragraph.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::regime::Regime;

/// What a ground is under one regime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    Mandatory,
    Discretionary,
    /// A mandatory ground only through the debarment list: a contracting authority cannot rely on it
    /// itself (Procurement Act 2023, Sch 6 para 35(3)).
    DebarmentOnly,
    /// Not an exclusion ground under that regime.
    None,
}

/// How long a ground counts, and from when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// Scotland: `years` from the conviction or event, the day itself not counted (reg 2(4)(a)), a
    /// last day that is not a working day extended to the next working day (reg 2(4)(c)).
    FromEvent { years: u32, provision: &'static str },
    /// Scotland, tax and social security: no period; until paid or an arrangement to pay is made.
    UntilPaid { provision: &'static str },
    /// The Act, mandatory grounds: the event must fall within the `years`-year period ending with
    /// the day the determination is made.
    BackFromDetermination { years: u32, provision: &'static str },
    /// The Act, discretionary grounds: the authority's awareness of the event (actual, or what a
    /// reasonably well-informed decision-maker would have had) must fall within the `years`-year
    /// period ending with the day the determination is made.
    AwarenessBackFromDetermination { years: u32, provision: &'static str },
    /// No ground, so no period.
    NotAGround,
}

/// Events before a ground's commencement that the Act says to ignore.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bar {
    None,
    /// Events before the Schedule came into force (Sch 6 para 44(3), Sch 7 para 15(4)).
    BeforeCommencement(&'static str),
    /// Events before the three-year period ending with the Schedule's coming into force
    /// (Sch 6 para 44(4)).
    BeforeThreeYearsToCommencement(&'static str),
}

/// The day Schedules 6 and 7 of the Procurement Act 2023 came into force (with the Act's
/// procurement provisions: the Procurement Act 2023 (Commencement No. 3 and Transitional and
/// Saving Provisions) Regulations 2024, SI 2024/716, as amended by SI 2024/959, moving the day
/// from 28 October 2024).
pub const SCHEDULES_IN_FORCE: (i32, u32, u32) = (2025, 2, 24);

pub fn schedules_in_force() -> NaiveDate {
    let (y, m, d) = SCHEDULES_IN_FORCE;
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// What one ground is under one regime.
#[derive(Clone, Copy, Debug)]
pub struct Law {
    pub standing: Standing,
    /// Where the ground is set out ("reg 58(1)(b)", "Sch 6 paras 12 and 17").
    pub provision: &'static str,
    pub period: Period,
    pub bar: Bar,
    /// Where it is not a ground here: what to consider instead.
    pub instead: &'static str,
}

/// One ground: its words, whether it is a conviction for an offence, and its law under each regime.
struct Row {
    ground: Ground,
    name: &'static str,
    conviction: bool,
    scotland: Law,
    act: Law,
}

// Scotland's periods.
const CONVICTION_5: Period = Period::FromEvent { years: 5, provision: "reg 58(11)" };
const EVENT_3: Period = Period::FromEvent { years: 3, provision: "reg 58(12)" };
const UNTIL_PAID: Period = Period::UntilPaid { provision: "reg 58(5)" };
// The Act's periods.
const SCH6: Period = Period::BackFromDetermination { years: 5, provision: "Sch 6 para 44(1)" };
const SCH7_5: Period = Period::AwarenessBackFromDetermination { years: 5, provision: "Sch 7 para 15(1)" };
const SCH7_3: Period = Period::AwarenessBackFromDetermination { years: 3, provision: "Sch 7 para 15(2)-(3)" };

const fn m(provision: &'static str, period: Period, bar: Bar) -> Law {
    Law { standing: Standing::Mandatory, provision, period, bar, instead: "" }
}
const fn d(provision: &'static str, period: Period, bar: Bar) -> Law {
    Law { standing: Standing::Discretionary, provision, period, bar, instead: "" }
}
const fn none(instead: &'static str) -> Law {
    Law { standing: Standing::None, provision: "", period: Period::NotAGround, bar: Bar::None, instead }
}

const NO_BAR: Bar = Bar::None;
const SCOT_OTHER: &str = "consider whether grave professional misconduct (reg 58(8)(c)) or another ground of regulation 58 applies";

/// Every ground. Under the Act, grounds of Sch 6 para 44(2) count whenever the event happened; the
/// bars cite the sub-paragraph that sets them.
const TABLE: &[Row] = &[
    Row {
        ground: Ground::CriminalOrganisation,
        name: "participation in a criminal organisation (organised crime)",
        conviction: true,
        scotland: m("reg 58(1)(a)", CONVICTION_5, NO_BAR),
        act: m("Sch 6 paras 27 and 28 (organised crime; events before commencement count: para 44(2)(g))", SCH6, NO_BAR),
    },
    Row {
        ground: Ground::Corruption,
        name: "corruption",
        conviction: true,
        scotland: m("reg 58(1)(b)", CONVICTION_5, NO_BAR),
        act: m("Sch 6 paras 12 and 17 (bribery; events before commencement count: para 44(2)(b))", SCH6, NO_BAR),
    },
    Row {
        ground: Ground::Bribery,
        name: "bribery",
        conviction: true,
        scotland: m("reg 58(1)(c) and (d)", CONVICTION_5, NO_BAR),
        act: m("Sch 6 paras 12 and 17 (events before commencement count: para 44(2)(b))", SCH6, NO_BAR),
    },
    Row {
        ground: Ground::Fraud,
        name: "fraud",
        conviction: true,
        // reg 58(1)(e): fraud affecting the European Communities' financial interests (Article 1 of
        // the Convention on their protection); other fraud may be grave professional misconduct.
        scotland: m("reg 58(1)(e) (fraud affecting the financial interests of the European Communities)", CONVICTION_5, NO_BAR),
        act: m(
            "Sch 6 paras 15, 16 and 18 (fraud offences, fraudulent trading, articles for use in fraud)",
            SCH6,
            Bar::BeforeThreeYearsToCommencement("Sch 6 para 44(4)(b)"),
        ),
    },
    Row {
        ground: Ground::Terrorism,
        name: "terrorist offences or offences linked to terrorist activities",
        conviction: true,
        scotland: m("reg 58(1)(f)", CONVICTION_5, NO_BAR),
        act: m("Sch 6 para 3 (events before commencement count: para 44(2)(a))", SCH6, NO_BAR),
    },
    Row {
        ground: Ground::MoneyLaundering,
        name: "money laundering or terrorist financing",
        conviction: true,
        scotland: m("reg 58(1)(g), (h) and (j)", CONVICTION_5, NO_BAR),
        act: m("Sch 6 para 14 (events before commencement count: para 44(2)(c))", SCH6, NO_BAR),
    },
    Row {
        ground: Ground::ChildLabourAndTrafficking,
        name: "child labour or other forms of trafficking in human beings (slavery and human trafficking offences)",
        conviction: true,
        scotland: m("reg 58(1)(i)", CONVICTION_5, NO_BAR),
        act: m(
            "Sch 6 paras 23 to 25 (offences under s.1, 2 or 4 of the Modern Slavery Act 2015 and their Scottish and Northern Irish equivalents; events before commencement count: para 44(2)(d)-(f))",
            SCH6,
            NO_BAR,
        ),
    },
    Row {
        ground: Ground::BreachOfSlaveryOrders,
        name: "breach of a slavery or trafficking prevention or risk order",
        conviction: true,
        scotland: none(SCOT_OTHER),
        act: m(
            "Sch 6 paras 23 to 25 (s.30 of the Modern Slavery Act 2015, s.32 of the Human Trafficking and Exploitation (Scotland) Act 2015, para 16 of Sch 3 to the Northern Ireland Act)",
            SCH6,
            Bar::BeforeThreeYearsToCommencement("Sch 6 para 44(4)(d)-(f)"),
        ),
    },
    Row {
        ground: Ground::CorporateManslaughter,
        name: "corporate manslaughter or corporate homicide",
        conviction: true,
        scotland: none(SCOT_OTHER),
        act: m("Sch 6 para 2", SCH6, Bar::BeforeCommencement("Sch 6 para 44(3)(a)")),
    },
    Row {
        ground: Ground::TheftOrDishonesty,
        name: "theft, robbery, burglary or another offence of dishonesty",
        conviction: true,
        scotland: none(SCOT_OTHER),
        act: m(
            "Sch 6 paras 4, 5, 6(a) and (c)-(e), 7(a) and (c)-(e), 8 to 11 and 13",
            SCH6,
            Bar::BeforeCommencement("Sch 6 para 44(3)(b)"),
        ),
    },
    Row {
        ground: Ground::Blackmail,
        name: "blackmail or another offence under sections 17 to 21 of the Theft Act 1968 or its Northern Irish equivalent",
        conviction: true,
        scotland: none(SCOT_OTHER),
        act: m("Sch 6 paras 6(b) and 7(b)", SCH6, Bar::BeforeThreeYearsToCommencement("Sch 6 para 44(4)(a)")),
    },
    Row {
        ground: Ground::LabourMarketOffences,
        name: "a labour market offence (employment agencies, the national minimum wage, gangmasters, a labour market enforcement order)",
        conviction: true,
        scotland: none("consider breach of social or labour law (reg 58(8)(a), environmental-social-labour-law)"),
        act: m("Sch 6 paras 19 to 22 and 26", SCH6, Bar::BeforeThreeYearsToCommencement("Sch 6 para 44(4)(c) and (g)")),
    },
    Row {
        ground: Ground::TaxOffences,
        name: "a tax offence (cheating the public revenue, fraudulent evasion of tax, failure to prevent the facilitation of tax evasion)",
        conviction: true,
        scotland: none(
            "a tax or social security breach is reg 58(3)(a) where a final and binding decision established it (tax-and-social-security-decision), otherwise reg 58(4) (tax-and-social-security)",
        ),
        act: m("Sch 6 paras 29 to 31", SCH6, Bar::BeforeThreeYearsToCommencement("Sch 6 para 44(4)(h)")),
    },
    Row {
        ground: Ground::CartelOffence,
        name: "the cartel offence",
        conviction: true,
        scotland: none("consider agreements aimed at distorting competition (reg 58(8)(d), distortion-of-competition)"),
        act: m("Sch 6 para 32", SCH6, Bar::BeforeThreeYearsToCommencement("Sch 6 para 44(4)(i)")),
    },
    Row {
        ground: Ground::TaxMisconduct,
        name: "misconduct in relation to tax (a penalty for VAT fraud, evasion or deliberate errors; abusive tax arrangements; a defeat of notifiable tax arrangements)",
        conviction: false,
        scotland: none(
            "a tax or social security breach is reg 58(3)(a) where a final and binding decision established it (tax-and-social-security-decision), otherwise reg 58(4) (tax-and-social-security)",
        ),
        act: m("Sch 6 paras 36 to 40", SCH6, Bar::BeforeThreeYearsToCommencement("Sch 6 para 44(4)(k)")),
    },
    Row {
        ground: Ground::CompetitionLawInfringement,
        name: "a cartel infringement of competition law decided by the Competition and Markets Authority",
        conviction: false,
        scotland: none("consider agreements aimed at distorting competition (reg 58(8)(d), distortion-of-competition)"),
        act: m("Sch 6 para 41", SCH6, Bar::BeforeThreeYearsToCommencement("Sch 6 para 44(4)(l)")),
    },
    Row {
        ground: Ground::OverseasPenaltyOrDecision,
        name: "a penalty or decision outside the United Kingdom equivalent to tax misconduct or a competition law infringement",
        conviction: false,
        scotland: none(SCOT_OTHER),
        act: m("Sch 6 para 42", SCH6, Bar::BeforeThreeYearsToCommencement("Sch 6 para 44(4)(m)")),
    },
    Row {
        ground: Ground::FailureToCooperate,
        name: "failure to cooperate with a debarment investigation, determined by a Minister of the Crown",
        conviction: false,
        scotland: none(SCOT_OTHER),
        act: m("Sch 6 para 43", SCH6, NO_BAR),
    },
    Row {
        ground: Ground::NationalSecurityDetermination,
        name: "a threat to national security determined by an appropriate authority for debarment",
        conviction: false,
        scotland: none(SCOT_OTHER),
        act: Law {
            standing: Standing::DebarmentOnly,
            provision: "Sch 6 para 35",
            period: SCH6,
            bar: Bar::BeforeCommencement("Sch 6 para 44(3)(d)"),
            instead: "a contracting authority cannot rely on Sch 6 para 35 itself (para 35(3)): it applies through the debarment list; consider the discretionary national security ground (Sch 7 para 14, national-security)",
        },
    },
    Row {
        ground: Ground::NationalSecurity,
        name: "a threat to the national security of the United Kingdom",
        conviction: false,
        scotland: none(SCOT_OTHER),
        act: d("Sch 7 para 14", SCH7_5, Bar::BeforeCommencement("Sch 7 para 15(4)(e)")),
    },
    Row {
        ground: Ground::Blacklisting,
        name: "blacklisting",
        conviction: false,
        scotland: m("reg 58(3)(b)", EVENT_3, NO_BAR),
        act: none(
            "Schedules 6 and 7 do not list blacklisting (the labour market misconduct ground, Sch 7 paras 1 to 3, covers slavery and trafficking orders, labour market enforcement orders and the conduct behind them); consider professional misconduct (Sch 7 para 11, grave-professional-misconduct)",
        ),
    },
    Row {
        ground: Ground::TaxAndSocialSecurityDecision,
        name: "breach of obligations to pay taxes or social security contributions, established by a final and binding judicial or administrative decision",
        conviction: false,
        scotland: m("reg 58(3)(a), subject to reg 58(5) to (7)", UNTIL_PAID, NO_BAR),
        act: none(
            "Schedule 7 has no ground for a breach of tax obligations; tax offences (Sch 6 paras 29 to 31, tax-offences) and misconduct in relation to tax (Sch 6 paras 36 to 40, tax-misconduct) are mandatory grounds",
        ),
    },
    Row {
        ground: Ground::TaxAndSocialSecurity,
        name: "breach of obligations to pay taxes or social security contributions",
        conviction: false,
        scotland: d("reg 58(4), subject to reg 58(5)", UNTIL_PAID, NO_BAR),
        act: none(
            "Schedule 7 has no ground for a breach of tax obligations; tax offences (Sch 6 paras 29 to 31, tax-offences) and misconduct in relation to tax (Sch 6 paras 36 to 40, tax-misconduct) are mandatory grounds",
        ),
    },
    Row {
        ground: Ground::EnvironmentalSocialLabourLaw,
        name: "breach of environmental, social or labour law",
        conviction: false,
        scotland: d("reg 58(8)(a)", EVENT_3, NO_BAR),
        act: none(
            "under the Act consider environmental misconduct (Sch 7 para 4, environmental-misconduct), labour market misconduct (Sch 7 paras 1 to 3, labour-market-misconduct) or a labour market offence (Sch 6 paras 19 to 22 and 26, labour-market-offences)",
        ),
    },
    Row {
        ground: Ground::LabourMarketMisconduct,
        name: "labour market misconduct (a slavery, trafficking or labour market enforcement order, or the conduct behind one)",
        conviction: false,
        scotland: none("consider breach of social or labour law (reg 58(8)(a), environmental-social-labour-law)"),
        act: d("Sch 7 paras 1 to 3", SCH7_5, Bar::BeforeCommencement("Sch 7 para 15(4)(a)")),
    },
    Row {
        ground: Ground::EnvironmentalMisconduct,
        name: "environmental misconduct (a conviction for conduct that caused, or could have caused, significant harm to the environment)",
        conviction: false,
        scotland: none("consider breach of environmental law (reg 58(8)(a), environmental-social-labour-law)"),
        act: d("Sch 7 para 4", SCH7_5, Bar::BeforeCommencement("Sch 7 para 15(4)(b)")),
    },
    Row {
        ground: Ground::BankruptcyOrInsolvency,
        name: "bankruptcy or insolvency",
        conviction: false,
        scotland: d("reg 58(8)(b)", EVENT_3, NO_BAR),
        act: d("Sch 7 paras 5 and 6", SCH7_3, NO_BAR),
    },
    Row {
        ground: Ground::GraveProfessionalMisconduct,
        name: "grave professional misconduct",
        conviction: false,
        scotland: d("reg 58(8)(c)", EVENT_3, NO_BAR),
        act: d("Sch 7 para 11", SCH7_3, NO_BAR),
    },
    Row {
        ground: Ground::DistortionOfCompetition,
        name: "agreements aimed at distorting competition (potential competition infringements)",
        conviction: false,
        scotland: d("reg 58(8)(d)", EVENT_3, NO_BAR),
        act: d("Sch 7 paras 7 to 10", SCH7_3, NO_BAR),
    },
    Row {
        ground: Ground::ConflictOfInterest,
        name: "conflict of interest",
        conviction: false,
        scotland: d("reg 58(8)(e)", EVENT_3, NO_BAR),
        act: none(
            "Schedules 6 and 7 have no conflict of interest ground; a supplier that put itself at an unfair advantage by acting improperly is Sch 7 para 13 (misrepresentation-or-undue-influence)",
        ),
    },
    Row {
        ground: Ground::PriorInvolvement,
        name: "distortion of competition from prior involvement in preparing the procurement",
        conviction: false,
        scotland: d("reg 58(8)(f)", EVENT_3, NO_BAR),
        act: none("Schedules 6 and 7 have no prior involvement ground; consider acting improperly in a procurement (Sch 7 para 13)"),
    },
    Row {
        ground: Ground::DeficientPriorPerformance,
        name: "significant or persistent deficiencies in performing a prior public contract (a serious breach of contract)",
        conviction: false,
        scotland: d("reg 58(8)(g)", EVENT_3, NO_BAR),
        act: d("Sch 7 para 12(1), (2) and, where it concerns a breach, (4)", SCH7_3, NO_BAR),
    },
    Row {
        ground: Ground::PoorPerformance,
        name: "poor performance of a prior contract, not improved after a proper opportunity",
        conviction: false,
        scotland: none("consider significant or persistent deficiencies in a prior contract (reg 58(8)(g), deficient-prior-performance)"),
        act: d(
            "Sch 7 para 12(3) and, where it does not concern a breach, (4)",
            SCH7_5,
            Bar::BeforeCommencement("Sch 7 para 15(4)(c) and (d)"),
        ),
    },
    Row {
        ground: Ground::MisrepresentationOrUndueInfluence,
        name: "misrepresentation, withholding information or undue influence (acting improperly in a procurement)",
        conviction: false,
        scotland: d("reg 58(8)(h) to (j)", EVENT_3, NO_BAR),
        act: d("Sch 7 para 13", SCH7_3, NO_BAR),
    },
];

/// The exclusion grounds, under either regime: the names a responses file declares them by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Ground {
    CriminalOrganisation,
    Corruption,
    Bribery,
    Fraud,
    Terrorism,
    MoneyLaundering,
    ChildLabourAndTrafficking,
    BreachOfSlaveryOrders,
    CorporateManslaughter,
    TheftOrDishonesty,
    Blackmail,
    LabourMarketOffences,
    TaxOffences,
    CartelOffence,
    TaxMisconduct,
    CompetitionLawInfringement,
    OverseasPenaltyOrDecision,
    FailureToCooperate,
    NationalSecurityDetermination,
    NationalSecurity,
    Blacklisting,
    TaxAndSocialSecurityDecision,
    TaxAndSocialSecurity,
    EnvironmentalSocialLabourLaw,
    LabourMarketMisconduct,
    EnvironmentalMisconduct,
    BankruptcyOrInsolvency,
    GraveProfessionalMisconduct,
    DistortionOfCompetition,
    ConflictOfInterest,
    PriorInvolvement,
    DeficientPriorPerformance,
    PoorPerformance,
    MisrepresentationOrUndueInfluence,
}

/// Every ground, in the table's order.
pub fn all_grounds() -> impl Iterator<Item = Ground> {
    TABLE.iter().map(|r| r.ground)
}

/// The questions every Scottish SPD must ask (the Procurement Journey lists them as "Must ask"):
/// the criminal offences of reg 58(1), a tax or social security breach established by a final and
/// binding decision (reg 58(3)(a)), and blacklisting (reg 58(3)(b)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MandatoryQuestion {
    /// The criminal offences of reg 58(1).
    CriminalOffences,
    /// Taxes and social security contributions (reg 58(3)(a)).
    TaxAndSocialSecurity,
    Blacklisting,
}

pub const MANDATORY_QUESTIONS: [(MandatoryQuestion, &str); 3] = [
    (MandatoryQuestion::CriminalOffences, "criminal offences"),
    (MandatoryQuestion::TaxAndSocialSecurity, "the payment of taxes and social security contributions"),
    (MandatoryQuestion::Blacklisting, "blacklisting"),
];

/// Below the thresholds a Scottish procurement is regulated by the Procurement Reform (Scotland)
/// Act 2014 and the Procurement (Scotland) Regulations 2016 (SSI 2016/145): the same grounds and
/// periods in regs 8 and 9, except that no tax or social security breach is mandatory (reg 9(2)) and
/// the 2015 Regulations' rule for counting periods (reg 2(4)) does not apply. Each 2015 provision, and
/// the 2016 provision that takes its place.
pub const BELOW_THRESHOLD: &[(&str, &str)] = &[
    ("reg 58(1)", "reg 8(1)"),
    ("reg 58(11)", "reg 8(5)"),
    ("reg 58(3)(b)", "reg 9(1)"),
    ("reg 58(3)(a), subject to reg 58(5) to (7)", "reg 9(2), subject to reg 9(3)"),
    ("reg 58(4), subject to reg 58(5)", "reg 9(2), subject to reg 9(3)"),
    ("reg 58(5)", "reg 9(3)"),
    ("reg 58(8)", "reg 9(5)"),
    ("reg 58(12)", "reg 9(8)"),
];

/// A Scottish provision as the 2016 Regulations number it (below the thresholds).
pub fn below_threshold_provision(provision: &str) -> String {
    BELOW_THRESHOLD
        .iter()
        .find(|(from, _)| provision.starts_with(from))
        .map(|(from, to)| format!("{to}{}", &provision[from.len()..]))
        .unwrap_or_else(|| provision.to_string())
}

impl Ground {
    fn row(self) -> &'static Row {
        TABLE.iter().find(|r| r.ground == self).expect("every ground is in the table")
    }

    /// A conviction for a criminal offence.
    pub fn is_criminal_offence(self) -> bool {
        self.row().conviction
    }

    /// The ground's law under `regime`.
    pub fn law(self, regime: Regime) -> &'static Law {
        match regime {
            Regime::Scotland2015 => &self.row().scotland,
            Regime::ProcurementAct2023 => &self.row().act,
        }
    }

    pub fn under(self, regime: Regime) -> Standing {
        self.law(regime).standing
    }

    /// What the ground is for a tender: below the thresholds in Scotland no tax breach is mandatory
    /// (Procurement (Scotland) Regulations 2016, reg 9(2)).
    pub fn standing(self, regime: Regime, below_threshold: bool) -> Standing {
        let law = self.law(regime);
        match law.period {
            Period::UntilPaid { .. } if below_threshold && regime == Regime::Scotland2015 => Standing::Discretionary,
            _ => law.standing,
        }
    }

    pub fn is_mandatory_under(self, regime: Regime) -> bool {
        self.under(regime) == Standing::Mandatory
    }

    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The SPD question a Scottish mandatory ground is asked under.
    pub fn question(self) -> Option<MandatoryQuestion> {
        match self {
            _ if !self.is_mandatory_under(Regime::Scotland2015) => None,
            Ground::Blacklisting => Some(MandatoryQuestion::Blacklisting),
            Ground::TaxAndSocialSecurityDecision => Some(MandatoryQuestion::TaxAndSocialSecurity),
            _ => Some(MandatoryQuestion::CriminalOffences),
        }
    }

    /// The id a responses file uses ("tax-misconduct").
    pub fn key(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    }
}
