//! The procurement law a tender is run under, chosen per tender (`regime` in the tender file):
//! it decides the standstill rule, the working-day calendar, the exclusion look-back, and which
//! award letters and notices are written.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{self, Calendar};

/// The procurement law a tender is run under, chosen per tender.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Regime {
    /// The Public Contracts (Scotland) Regulations 2015 (SSI 2015/446).
    #[default]
    #[serde(rename = "scotland-2015")]
    Scotland2015,
    /// The Procurement Act 2023, in force from 24 February 2025 in England, Wales and Northern
    /// Ireland.
    #[serde(rename = "procurement-act-2023")]
    ProcurementAct2023,
}

impl Regime {
    pub fn name(self) -> &'static str {
        match self {
            Regime::Scotland2015 => "the Public Contracts (Scotland) Regulations 2015",
            Regime::ProcurementAct2023 => "the Procurement Act 2023",
        }
    }

    /// The day the regime's award rules apply from, where it is recent enough to matter: the
    /// Procurement Act 2023 came into force on 24 February 2025 (the Commencement No. 3 Regulations, SI 2024/716, as amended by SI
    /// 2024/959).
    pub fn in_force_from(self) -> Option<NaiveDate> {
        match self {
            Regime::Scotland2015 => None,
            Regime::ProcurementAct2023 => NaiveDate::from_ymd_opt(2025, 2, 24),
        }
    }

    /// The regulation that says what an assessment summary gives (s.50(3) of the Act): the
    /// Procurement Regulations 2024, reg 31, or for a devolved Welsh authority the Procurement
    /// (Wales) Regulations 2024, reg 32. `None` under the Scottish regulations, which have none.
    pub fn assessment_summary_regulation(self, devolved_welsh_authority: bool) -> Option<&'static str> {
        match (self, devolved_welsh_authority) {
            (Regime::Scotland2015, _) => None,
            (Regime::ProcurementAct2023, false) => Some("regulation 31 of the Procurement Regulations 2024"),
            (Regime::ProcurementAct2023, true) => Some("regulation 32 of the Procurement (Wales) Regulations 2024"),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Regime::Scotland2015 => "scotland-2015",
            Regime::ProcurementAct2023 => "procurement-act-2023",
        }
    }

    /// The statutory working days. Scotland 2015, reg 2(1): a working day is "a day other than a
    /// Saturday, Sunday or a bank holiday in Scotland within the meaning of the Banking and Financial
    /// Dealings Act 1971". Procurement Act 2023, s.123(1): "a day other than a Saturday or Sunday, or
    /// a day which is a bank holiday in any part of the United Kingdom under the Banking and
    /// Financial Dealings Act 1971", so all three jurisdictions' holidays count.
    pub fn calendar(self) -> Calendar {
        let places = match self {
            Regime::Scotland2015 => vec![calendar::Jurisdiction::Scotland],
            Regime::ProcurementAct2023 => calendar::ALL.to_vec(),
        };
        Calendar { places }
    }

    /// The statutory definition of a working day, quoted with its provision.
    pub fn working_day_rule(self) -> &'static str {
        match self {
            Regime::Scotland2015 => {
                "a working day is a day other than a Saturday, Sunday or a bank holiday in Scotland within the meaning of the Banking and Financial Dealings Act 1971 (regulation 2(1))"
            }
            Regime::ProcurementAct2023 => {
                "a working day is a day other than a Saturday or Sunday, or a day which is a bank holiday in any part of the United Kingdom under the Banking and Financial Dealings Act 1971 (s.123(1))"
            }
        }
    }
}
