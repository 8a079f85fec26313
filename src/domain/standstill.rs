//! The standstill period: the days after the award decision in which the contract must not be
//! entered into, so an unsuccessful bidder can challenge it. One rule per regime.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::OutOfRange;
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
    /// The statutory period ends at midnight at the end of this day.
    pub ends: NaiveDate,
    /// The first day the law allows the contract to be entered into.
    pub contract_from: NaiveDate,
    /// The rule applied, with its regulation or section.
    pub rule: String,
    /// Days the count passed over or the end was moved off, with why each is not a working day.
    pub not_working: Vec<(NaiveDate, String)>,
    /// The buyer's own longer wait, where its closure days put it after the statutory end. It is the
    /// buyer's choice, never the statutory period.
    pub own_wait: Option<OwnWait>,
    /// Whether the law requires this period. A Scottish procurement below the thresholds has none
    /// (regs 85-86 apply to the procurements of Part 2, reg 84): the period is counted the same
    /// way, as a voluntary standstill.
    pub statutory: bool,
}

/// A buyer's choice to wait longer than the law requires: its offices' closure days counted as if
/// they were not working days.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OwnWait {
    /// The buyer's wait ends at midnight at the end of this day.
    pub ends: NaiveDate,
    /// The first day the buyer will enter into the contract.
    pub contract_from: NaiveDate,
    /// The closure days that made the difference.
    pub closed: Vec<NaiveDate>,
}

/// The standstill period for notices sent (Scotland) or a contract award notice published
/// (Procurement Act) on `sent`, and the buyer's own wait where its `closed` days make it longer.
///
/// * Scotland 2015, regulation 86(3)-(4): where every notice is sent by fax or electronic means, 10
///   days ending at midnight at the end of the 10th day after the day the last notice is sent; sent
///   by other means to any bidder, 15 days. A period whose last day is not a working day is extended
///   to include the next working day (regulation 2(4)(c)). Guidance read as counting calendar days
///   only would end a day or more earlier; the later, stricter, end is applied.
/// * Procurement Act 2023, s.51(2): the mandatory standstill period is 8 working days beginning with
///   the day the contract award notice is published, so that day counts when it is a working day.
///
/// Closure days are the buyer's own: they lengthen only its own wait (under the Act, a longer period
/// the contract award notice may provide for, s.51(1)(b)).
pub fn standstill(regime: Regime, sent: NaiveDate, by: Sending, closed: &[NaiveDate]) -> Result<Standstill, String> {
    statutory_or_voluntary(regime, sent, by, closed, true)
}

/// [`standstill`], for a Scottish procurement below the thresholds when `statutory` is false.
pub fn statutory_or_voluntary(
    regime: Regime,
    sent: NaiveDate,
    by: Sending,
    closed: &[NaiveDate],
    statutory: bool,
) -> Result<Standstill, String> {
    if let Some(from) = regime.in_force_from().filter(|f| sent < *f) {
        return Err(format!("{} is before {} came into force ({})", long(sent), regime.name(), long(from)));
    }
    let calendar = regime.calendar();
    let (ends, mut rule, by, not_working) = count(regime, &|d| calendar.non_working(d), sent, by).map_err(|e| e.to_string())?;
    let statutory = statutory || regime == Regime::ProcurementAct2023;
    if !statutory {
        rule = format!(
            "no standstill period is required below the thresholds (regulations 85 and 86 apply to procurements within Part 2, regulation 84); a voluntary one counted as {rule}"
        );
    }
    let closed_day = |d: NaiveDate| -> Result<Option<String>, OutOfRange> {
        Ok(calendar.non_working(d)?.or_else(|| closed.contains(&d).then(|| "closed".to_string())))
    };
    let (own_ends, ..) = count(regime, &closed_day, sent, by.unwrap_or_default()).map_err(|e| e.to_string())?;
    let next = |d: NaiveDate| d.checked_add_days(Days::new(1)).ok_or_else(|| OutOfRange(d).to_string());
    let own_wait = if own_ends > ends {
        let mut passed: Vec<NaiveDate> = closed.iter().copied().filter(|d| *d >= sent && *d <= own_ends).collect();
        passed.sort();
        passed.dedup();
        Some(OwnWait { ends: own_ends, contract_from: next(own_ends)?, closed: passed })
    } else {
        None
    };
    Ok(Standstill { regime, sent, by, ends, contract_from: next(ends)?, rule, not_working, own_wait, statutory })
}

type NonWorking<'a> = dyn Fn(NaiveDate) -> Result<Option<String>, OutOfRange> + 'a;

#[allow(clippy::type_complexity)]
fn count(
    regime: Regime,
    non_working: &NonWorking,
    sent: NaiveDate,
    by: Sending,
) -> Result<(NaiveDate, String, Option<Sending>, Vec<(NaiveDate, String)>), OutOfRange> {
    let mut not_working = Vec::new();
    let next = |d: NaiveDate| d.checked_add_days(Days::new(1)).ok_or(OutOfRange(d));
    Ok(match regime {
        Regime::Scotland2015 => {
            let days = if by == Sending::Electronic { 10 } else { 15 };
            let mut end = sent.checked_add_days(Days::new(days)).ok_or(OutOfRange(sent))?;
            while let Some(why) = non_working(end)? {
                not_working.push((end, why));
                end = next(end)?;
            }
            let (how, para) =
                if by == Sending::Electronic { ("sent electronically", "86(3)") } else { ("sent by other means to any bidder", "86(4)") };
            let rule = format!(
                "regulation {para} of the Public Contracts (Scotland) Regulations 2015: notices {how}, so {days} days ending at midnight at the end of the {days}th day after the day the last notice is sent; where the last day of the period is not a working day, the period is extended to include the next working day (regulation 2(4)(c)); {}",
                regime.working_day_rule()
            );
            (end, rule, Some(by), not_working)
        }
        Regime::ProcurementAct2023 => {
            let mut day = sent;
            let mut counted = 0;
            loop {
                match non_working(day)? {
                    Some(why) => not_working.push((day, why)),
                    None => counted += 1,
                }
                if counted == 8 {
                    break;
                }
                day = next(day)?;
            }
            let rule = format!(
                "section 51(2) of the Procurement Act 2023: the mandatory standstill period is 8 working days beginning with the day the contract award notice is published; {}",
                regime.working_day_rule()
            );
            (day, rule, None, not_working)
        }
    })
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
        // Sent Wednesday 4 November 2026: the 10th day is Saturday 14th, so Monday 16th.
        let s = standstill(Regime::Scotland2015, d("2026-11-04"), Sending::Electronic, &[]).unwrap();
        assert_eq!((s.ends, s.contract_from), (d("2026-11-16"), d("2026-11-17")));
        assert_eq!(s.not_working.len(), 2);
        // Sent Friday 6 November: the 10th day is Monday 16th, a working day.
        let s = standstill(Regime::Scotland2015, d("2026-11-06"), Sending::Electronic, &[]).unwrap();
        assert_eq!(s.ends, d("2026-11-16"), "the 10th day is Monday 16th itself");
        assert!(s.not_working.is_empty());
        // Posted: 15 days.
        let s = standstill(Regime::Scotland2015, d("2026-11-06"), Sending::Other, &[]).unwrap();
        assert_eq!(s.ends, d("2026-11-23"), "Saturday 21st, so Monday 23rd");
        assert!(s.rule.starts_with("regulation 86(4)"), "{}", s.rule);
    }

    #[test]
    fn the_act_counts_working_days_from_the_notice_day() {
        // Published Monday 2 November 2026: days 1-5 that week, 6-8 Mon-Wed the next.
        let s = standstill(Regime::ProcurementAct2023, d("2026-11-02"), Sending::Electronic, &[]).unwrap();
        assert_eq!((s.ends, s.contract_from), (d("2026-11-11"), d("2026-11-12")));
        // Published on a Saturday: the count starts on Monday.
        let s = standstill(Regime::ProcurementAct2023, d("2026-11-07"), Sending::Electronic, &[]).unwrap();
        assert_eq!(s.ends, d("2026-11-18"));
    }

    /// Issue 26 item 9 (PCSR reg 2(1), Procurement Act 2023 s.123): a buyer's closure day is not a
    /// statutory non-working day; it makes only the buyer's own wait longer.
    #[test]
    fn closure_days_are_the_buyers_own_wait_not_the_statutory_period() {
        let s = standstill(Regime::ProcurementAct2023, d("2026-11-02"), Sending::Electronic, &[d("2026-11-04")]).unwrap();
        assert_eq!((s.ends, s.contract_from), (d("2026-11-11"), d("2026-11-12")), "the statutory end is unchanged");
        let own = s.own_wait.expect("the closure lengthens the buyer's wait");
        assert_eq!((own.ends, own.contract_from, own.closed), (d("2026-11-12"), d("2026-11-13"), vec![d("2026-11-04")]));
        // A closure day that does not move the end changes nothing.
        let s = standstill(Regime::Scotland2015, d("2026-11-06"), Sending::Electronic, &[d("2026-11-10")]).unwrap();
        assert_eq!(s.own_wait, None);
        // Scotland: a closed 10th day moves the buyer's wait, not the statutory end.
        let s = standstill(Regime::Scotland2015, d("2026-11-06"), Sending::Electronic, &[d("2026-11-16")]).unwrap();
        assert_eq!(s.ends, d("2026-11-16"));
        assert_eq!(s.own_wait.map(|o| o.ends), Some(d("2026-11-17")));
    }

    /// Issue 26 item 10: the working-day rule is quoted as s.123(1) words it, naming neither
    /// Christmas Day nor Good Friday.
    #[test]
    fn the_working_day_rule_is_quoted_as_written() {
        let s = standstill(Regime::ProcurementAct2023, d("2026-11-02"), Sending::Electronic, &[]).unwrap();
        assert!(s.rule.contains("a day which is a bank holiday in any part of the United Kingdom under the Banking and Financial Dealings Act 1971 (s.123(1))"), "{}", s.rule);
        assert!(!s.rule.contains("Christmas") && !s.rule.contains("Good Friday"), "{}", s.rule);
    }
}
