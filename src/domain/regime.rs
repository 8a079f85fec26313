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

    pub fn key(self) -> &'static str {
        match self {
            Regime::Scotland2015 => "scotland-2015",
            Regime::ProcurementAct2023 => "procurement-act-2023",
        }
    }

    /// Whose bank holidays are not working days. Scotland 2015: Scotland's. Procurement Act 2023,
    /// s.123: "working day" excludes Saturdays, Sundays, Christmas Day, Good Friday and a bank
    /// holiday in any part of the United Kingdom, so all three jurisdictions' holidays count.
    pub fn calendar(self, closed: &[NaiveDate]) -> Calendar {
        let places = match self {
            Regime::Scotland2015 => vec![calendar::Jurisdiction::Scotland],
            Regime::ProcurementAct2023 => calendar::ALL.to_vec(),
        };
        Calendar { places, closed: closed.to_vec() }
    }
}
