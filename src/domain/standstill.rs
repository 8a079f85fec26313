//! The standstill period: the days after the award decision in which the contract must not be
//! entered into, so an unsuccessful bidder can challenge it. One rule per regime.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{Calendar, OutOfRange};
use crate::domain::date::long;
pub use crate::domain::regime::Regime;

/// How the award notices went to the bidders (Scotland 2015 only: it sets the length).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sending {
    /// By email or the tendering portal (or fax) to every bidder.
    #[default]
    Electronic,
    /// By post or by hand to any bidder.
    Other,
}

/// When one standstill period ends, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Standstill {
    pub regime: Regime,
    /// Scotland 2015: the day the last award notice was sent. Procurement Act 2023: the day the
    /// contract award notice was published.
    pub sent: NaiveDate,
    pub by: Option<Sending>,
    /// The period ends at midnight at the end of this day.
    pub ends: NaiveDate,
    /// The earliest day the contract may be entered into.
    pub contract_from: NaiveDate,
    /// The rule applied, with its regulation or section.
    pub rule: String,
    /// Days the count passed over or the end was moved off, with why each is not a working day.
    pub not_working: Vec<(NaiveDate, String)>,
}

/// The standstill period for notices sent (Scotland) or a contract award notice published
/// (Procurement Act) on `sent`.
///
/// * Scotland 2015, regulation 86: where every notice is sent by fax or electronic means, 10 days
///   ending at midnight at the end of the 10th day after the day the last notice is sent; sent by
///   other means to any bidder, 15 days. A period whose last day is not a working day is extended
///   to the end of the next working day (regulation 2(4), the regulations' rule for counting
///   periods). Guidance read as counting calendar days only would end a day or more earlier; the
///   later, stricter, end is applied.
/// * Procurement Act 2023, s.51: the mandatory standstill period is 8 working days beginning with
///   the day the contract award notice is published, so that day counts when it is a working day.
pub fn standstill(regime: Regime, calendar: &Calendar, sent: NaiveDate, by: Sending) -> Result<Standstill, String> {
    if let Some(from) = regime.in_force_from().filter(|f| sent < *f) {
        return Err(format!("{} is before {} came into force ({})", long(sent), regime.name(), long(from)));
    }
    count(regime, calendar, sent, by).map_err(|e| e.to_string())
}

fn count(regime: Regime, calendar: &Calendar, sent: NaiveDate, by: Sending) -> Result<Standstill, OutOfRange> {
    let mut not_working = Vec::new();
    let next = |d: NaiveDate| d.checked_add_days(Days::new(1)).ok_or(OutOfRange(d));
    let (ends, rule, by) = match regime {
        Regime::Scotland2015 => {
            let days = if by == Sending::Electronic { 10 } else { 15 };
            let mut end = sent.checked_add_days(Days::new(days)).ok_or(OutOfRange(sent))?;
            while let Some(why) = calendar.non_working(end)? {
                not_working.push((end, why));
                end = next(end)?;
            }
            let how = if by == Sending::Electronic { "sent electronically" } else { "sent by other means to any bidder" };
            let rule = format!(
                "regulation 86 of the Public Contracts (Scotland) Regulations 2015: notices {how}, so {days} days ending at midnight at the end of the {days}th day after the day the last notice is sent; a period ending on a day that is not a working day in Scotland runs to the end of the next working day (regulation 2(4))"
            );
            (end, rule, Some(by))
        }
        Regime::ProcurementAct2023 => {
            let mut day = sent;
            let mut counted = 0;
            loop {
                match calendar.non_working(day)? {
                    Some(why) => not_working.push((day, why)),
                    None => counted += 1,
                }
                if counted == 8 {
                    break;
                }
                day = next(day)?;
            }
            let rule = "section 51 of the Procurement Act 2023: 8 working days beginning with the day the contract award notice is published; a working day is not a Saturday, Sunday, Christmas Day, Good Friday or a bank holiday in any part of the United Kingdom (s.123)".to_string();
            (day, rule, None)
        }
    };
    Ok(Standstill { regime, sent, by, ends, contract_from: next(ends)?, rule, not_working })
}

impl Standstill {
    /// "midnight at the end of Tuesday 29 December 2026".
    pub fn ends_text(&self) -> String {
        format!("midnight at the end of {}", weekday_long(self.ends))
    }
}

/// "Tuesday 29 December 2026".
pub fn weekday_long(d: NaiveDate) -> String {
    format!("{} {}", d.format("%A"), long(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn scotland_counts_calendar_days_then_moves_off_a_non_working_last_day() {
        let cal = Regime::Scotland2015.calendar(&[]);
        // Sent Wednesday 4 November 2026: the 10th day is Saturday 14th, so Monday 16th.
        let s = standstill(Regime::Scotland2015, &cal, d("2026-11-04"), Sending::Electronic).unwrap();
        assert_eq!((s.ends, s.contract_from), (d("2026-11-16"), d("2026-11-17")));
        assert_eq!(s.not_working.len(), 2);
        // Sent Friday 6 November: the 10th day is Monday 16th, a working day.
        let s = standstill(Regime::Scotland2015, &cal, d("2026-11-06"), Sending::Electronic).unwrap();
        assert_eq!(s.ends, d("2026-11-16"), "the 10th day is Monday 16th itself");
        assert!(s.not_working.is_empty());
        // Posted: 15 days.
        let s = standstill(Regime::Scotland2015, &cal, d("2026-11-06"), Sending::Other).unwrap();
        assert_eq!(s.ends, d("2026-11-23"), "Saturday 21st, so Monday 23rd");
    }

    #[test]
    fn the_act_counts_working_days_from_the_notice_day() {
        let cal = Regime::ProcurementAct2023.calendar(&[]);
        // Published Monday 2 November 2026: days 1-5 that week, 6-8 Mon-Wed the next.
        let s = standstill(Regime::ProcurementAct2023, &cal, d("2026-11-02"), Sending::Electronic).unwrap();
        assert_eq!((s.ends, s.contract_from), (d("2026-11-11"), d("2026-11-12")));
        // Published on a Saturday: the count starts on Monday.
        let s = standstill(Regime::ProcurementAct2023, &cal, d("2026-11-07"), Sending::Electronic).unwrap();
        assert_eq!(s.ends, d("2026-11-18"));
        // The buyer's own closure days are passed over too.
        let cal = Regime::ProcurementAct2023.calendar(&[d("2026-11-04")]);
        let s = standstill(Regime::ProcurementAct2023, &cal, d("2026-11-02"), Sending::Electronic).unwrap();
        assert_eq!(s.ends, d("2026-11-12"));
    }
}
