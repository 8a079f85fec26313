//! The exclusion grounds, and what each is under each regime, as a table.
//!
//! Scotland 2015: the grounds the SPD asks about (Public Contracts (Scotland) Regulations 2015,
//! reg. 58; below the thresholds, the Procurement (Scotland) Regulations 2016, regs 8 and 9):
//! convictions count for five years, other grounds for three, tax until paid.
//!
//! Procurement Act 2023: the mandatory grounds of Schedule 6 and the discretionary grounds of
//! Schedule 7, each counting for five years. The Act added grounds the Scottish regulations do not
//! have (corporate manslaughter, theft and other dishonesty offences, the cartel offence, threats to
//! national security) and made blacklisting, a mandatory ground in Scotland, part of the
//! discretionary labour-market misconduct ground. The grounds are summarised here, not quoted: the
//! Schedules list the offences one by one.

use serde::{Deserialize, Serialize};

use crate::domain::regime::Regime;

/// What a ground is under one regime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    Mandatory,
    Discretionary,
    /// Not an exclusion ground under that regime.
    None,
}

use Standing::{Discretionary as D, Mandatory as M, None as X};

/// One ground: its words, whether it is a criminal conviction, what it is and how many years it
/// counts under Scotland 2015 (`None`: until paid), and what it is under the Act (five years).
struct Row(Ground, &'static str, bool, Standing, Option<u32>, Standing);

const TABLE: &[Row] = &[
    Row(Ground::CriminalOrganisation, "participation in a criminal organisation", true, M, Some(5), M),
    Row(Ground::Corruption, "corruption", true, M, Some(5), M),
    Row(Ground::BriberyAndFraud, "bribery or fraud", true, M, Some(5), M),
    Row(Ground::Terrorism, "terrorist offences or offences linked to terrorist activities", true, M, Some(5), M),
    Row(Ground::MoneyLaundering, "money laundering or terrorist financing", true, M, Some(5), M),
    Row(Ground::ChildLabourAndTrafficking, "child labour or other forms of trafficking in human beings", true, M, Some(5), M),
    Row(Ground::CorporateManslaughter, "corporate manslaughter or corporate homicide", true, X, None, M),
    Row(Ground::TheftOrDishonesty, "theft or another dishonesty offence", true, X, None, M),
    Row(Ground::CartelOffence, "the cartel offence or an infringement of competition law", true, X, None, M),
    Row(Ground::NationalSecurity, "a threat to the national security of the United Kingdom", false, X, None, M),
    Row(Ground::Blacklisting, "blacklisting", false, M, Some(3), D),
    Row(Ground::TaxAndSocialSecurity, "breach of tax or social security obligations", false, D, None, D),
    Row(Ground::EnvironmentalSocialLabourLaw, "breach of environmental, social or labour law", false, D, Some(3), D),
    Row(Ground::BankruptcyOrInsolvency, "bankruptcy or insolvency", false, D, Some(3), D),
    Row(Ground::GraveProfessionalMisconduct, "grave professional misconduct", false, D, Some(3), D),
    Row(Ground::ConflictOfInterest, "conflict of interest", false, D, Some(3), D),
    Row(Ground::DistortionOfCompetition, "distortion of competition", false, D, Some(3), D),
    Row(
        Ground::DeficientPriorPerformance,
        "significant or persistent deficiencies in performing a prior public contract",
        false,
        D,
        Some(3),
        D,
    ),
    Row(Ground::MisrepresentationOrUndueInfluence, "misrepresentation, withholding information or undue influence", false, D, Some(3), D),
];

/// The Act's look-back for every ground (Schedules 6 and 7).
pub const ACT_YEARS: u32 = 5;

/// The exclusion grounds, under either regime.
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
    // Procurement Act 2023 only.
    CorporateManslaughter,
    TheftOrDishonesty,
    CartelOffence,
    NationalSecurity,
    // Mandatory in Scotland: blacklisting.
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

pub const ALL_GROUNDS: [Ground; 19] = [
    Ground::CriminalOrganisation,
    Ground::Corruption,
    Ground::BriberyAndFraud,
    Ground::Terrorism,
    Ground::MoneyLaundering,
    Ground::ChildLabourAndTrafficking,
    Ground::CorporateManslaughter,
    Ground::TheftOrDishonesty,
    Ground::CartelOffence,
    Ground::NationalSecurity,
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
    fn row(self) -> &'static Row {
        TABLE.iter().find(|r| r.0 == self).expect("every ground is in the table")
    }

    /// A conviction for a criminal offence.
    pub fn is_criminal_offence(self) -> bool {
        self.row().2
    }

    pub fn under(self, regime: Regime) -> Standing {
        match regime {
            Regime::Scotland2015 => self.row().3,
            Regime::ProcurementAct2023 => self.row().5,
        }
    }

    pub fn is_mandatory_under(self, regime: Regime) -> bool {
        self.under(regime) == Standing::Mandatory
    }

    pub fn name(self) -> &'static str {
        self.row().1
    }

    /// How long the ground applies: years from the conviction or event; `None` for tax in
    /// Scotland, which applies until paid.
    pub fn years_under(self, regime: Regime) -> Option<u32> {
        match regime {
            Regime::Scotland2015 => self.row().4,
            Regime::ProcurementAct2023 => Some(ACT_YEARS),
        }
    }
}
