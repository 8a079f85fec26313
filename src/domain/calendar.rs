//! Working days: the bank holidays of Scotland, England and Wales, and Northern Ireland, 2020-2035,
//! as data.
//!
//! Source: the Banking and Financial Dealings Act 1971, Schedule 1 (with the St Andrew's Day Bank
//! Holiday (Scotland) Act 2007), the days proclaimed each year under s.1(3), and the lists published
//! at <https://www.gov.uk/bank-holidays>. Good Friday and Christmas Day are bank holidays in Scotland
//! under Schedule 1 (para 2); in England, Wales and Northern Ireland they are common-law holidays,
//! which gov.uk lists with the bank holidays and this table keeps beside them. Neither statute's
//! working day turns on that: the Scottish regulations exclude a bank holiday in Scotland (PCSR 2015
//! reg 2(1)), and the Procurement Act 2023 a bank holiday in any part of the United Kingdom under the
//! 1971 Act (s.123(1)), so both days are excluded because they are bank holidays in Scotland.
//!
//! A holiday falling on a Saturday or Sunday moves to the next weekday that is not already a
//! holiday (a "substitute day"), which is how Christmas on a Sunday lands on the Tuesday when
//! Boxing Day takes the Monday. Years outside 2020-2035 are refused, never guessed: later
//! proclamations cannot be known in advance.
//!
//! A buyer's own closure days are not here: they are not statutory non-working days (see
//! `standstill`, which states them separately as the buyer's own choice).

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

pub const FIRST_YEAR: i32 = 2020;
pub const LAST_YEAR: i32 = 2035;

/// A part of the United Kingdom with its own bank holidays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Jurisdiction {
    Scotland,
    EnglandAndWales,
    NorthernIreland,
}

pub const ALL: &[Jurisdiction] = &[Jurisdiction::Scotland, Jurisdiction::EnglandAndWales, Jurisdiction::NorthernIreland];
const SCOTLAND: &[Jurisdiction] = &[Jurisdiction::Scotland];
const NOT_SCOTLAND: &[Jurisdiction] = &[Jurisdiction::EnglandAndWales, Jurisdiction::NorthernIreland];
const NI: &[Jurisdiction] = &[Jurisdiction::NorthernIreland];

impl Jurisdiction {
    pub fn name(self) -> &'static str {
        match self {
            Jurisdiction::Scotland => "Scotland",
            Jurisdiction::EnglandAndWales => "England and Wales",
            Jurisdiction::NorthernIreland => "Northern Ireland",
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum When {
    /// A fixed date; `substitute` moves it off a weekend.
    Fixed {
        month: u32,
        day: u32,
        substitute: bool,
    },
    /// Days after Easter Sunday (Good Friday is -2).
    Easter(i64),
    FirstMonday(u32),
    LastMonday(u32),
}

struct Holiday {
    name: &'static str,
    when: When,
    places: &'static [Jurisdiction],
}

const fn fixed(month: u32, day: u32) -> When {
    When::Fixed { month, day, substitute: true }
}

/// The yearly bank holidays.
const HOLIDAYS: &[Holiday] = &[
    Holiday { name: "New Year's Day", when: fixed(1, 1), places: ALL },
    Holiday { name: "2nd January", when: fixed(1, 2), places: SCOTLAND },
    Holiday { name: "St Patrick's Day", when: fixed(3, 17), places: NI },
    Holiday { name: "Good Friday", when: When::Easter(-2), places: ALL },
    Holiday { name: "Easter Monday", when: When::Easter(1), places: NOT_SCOTLAND },
    Holiday { name: "Early May bank holiday", when: When::FirstMonday(5), places: ALL },
    Holiday { name: "Spring bank holiday", when: When::LastMonday(5), places: ALL },
    Holiday { name: "Battle of the Boyne (Orangemen's Day)", when: fixed(7, 12), places: NI },
    Holiday { name: "Summer bank holiday", when: When::FirstMonday(8), places: SCOTLAND },
    Holiday { name: "Summer bank holiday", when: When::LastMonday(8), places: NOT_SCOTLAND },
    Holiday { name: "St Andrew's Day", when: fixed(11, 30), places: SCOTLAND },
    Holiday { name: "Christmas Day", when: fixed(12, 25), places: ALL },
    Holiday { name: "Boxing Day", when: fixed(12, 26), places: ALL },
];

/// Holidays that in England, Wales and Northern Ireland are common-law holidays, not bank holidays
/// under the Banking and Financial Dealings Act 1971 (in Scotland they are: Schedule 1, para 2).
const COMMON_LAW: &[&str] = &["Good Friday", "Christmas Day"];

/// Days proclaimed in particular years: a yearly holiday moved (`replaces`), or a one-off day.
struct Proclaimed {
    date: (i32, u32, u32),
    name: &'static str,
    replaces: Option<(i32, u32, u32)>,
    places: &'static [Jurisdiction],
}

const PROCLAIMED: &[Proclaimed] = &[
    Proclaimed { date: (2020, 5, 8), name: "Early May bank holiday (VE day)", replaces: Some((2020, 5, 4)), places: ALL },
    Proclaimed { date: (2022, 6, 2), name: "Spring bank holiday", replaces: Some((2022, 5, 30)), places: ALL },
    Proclaimed { date: (2022, 6, 3), name: "Platinum Jubilee bank holiday", replaces: None, places: ALL },
    Proclaimed { date: (2022, 9, 19), name: "Bank holiday for the State Funeral of Queen Elizabeth II", replaces: None, places: ALL },
    Proclaimed { date: (2023, 5, 8), name: "Bank holiday for the coronation of King Charles III", replaces: None, places: ALL },
];

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date in the table")
}

/// Easter Sunday (the Gregorian computus: Meeus/Jones/Butcher).
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is in March or April")
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn nominal(year: i32, when: When) -> (NaiveDate, bool) {
    let monday = |month: u32, last: bool| {
        let mut d = if last {
            NaiveDate::from_ymd_opt(year, month + 1, 1).expect("month") - Days::new(1)
        } else {
            NaiveDate::from_ymd_opt(year, month, 1).expect("month")
        };
        while d.weekday() != Weekday::Mon {
            d = if last { d - Days::new(1) } else { d + Days::new(1) };
        }
        d
    };
    match when {
        When::Fixed { month, day, substitute } => (NaiveDate::from_ymd_opt(year, month, day).expect("fixed date"), substitute),
        When::Easter(offset) => (easter(year) + chrono::TimeDelta::days(offset), false),
        When::FirstMonday(m) => (monday(m, false), false),
        When::LastMonday(m) => (monday(m, true), false),
    }
}

/// The bank holidays of `year` in `place`, in date order, as observed (substitute days named so).
/// `None` outside 2020-2035.
pub fn bank_holidays(year: i32, place: Jurisdiction) -> Option<Vec<(NaiveDate, String)>> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return None;
    }
    let mut days: Vec<(NaiveDate, &str, bool)> = HOLIDAYS
        .iter()
        .filter(|h| h.places.contains(&place))
        .map(|h| (nominal(year, h.when), h.name))
        .map(|((d, s), n)| (d, n, s))
        .collect();
    for p in PROCLAIMED.iter().filter(|p| p.date.0 == year && p.places.contains(&place)) {
        if let Some(old) = p.replaces {
            days.retain(|(d, _, _)| *d != ymd(old));
        }
        days.push((ymd(p.date), p.name, false));
    }
    days.sort_by_key(|(d, _, _)| *d);
    // Weekday holidays keep their dates; weekend ones move, in date order, to the next weekday
    // that is not already a holiday.
    let mut observed: Vec<(NaiveDate, String)> =
        days.iter().filter(|(d, _, _)| !is_weekend(*d)).map(|(d, n, _)| (*d, n.to_string())).collect();
    for (d, name, substitute) in days.iter().filter(|(d, _, _)| is_weekend(*d)) {
        if !substitute {
            continue;
        }
        let mut day = *d;
        while is_weekend(day) || observed.iter().any(|(o, _)| *o == day) {
            day = day + Days::new(1);
        }
        observed.push((day, format!("{name} (substitute day)")));
    }
    observed.sort();
    Some(observed)
}

/// Which days are statutory working days under one regime.
#[derive(Clone, Debug, PartialEq)]
pub struct Calendar {
    /// Whose bank holidays are not working days (the Procurement Act 2023: all three).
    pub places: Vec<Jurisdiction>,
}

/// A date the calendar cannot judge.
#[derive(Clone, Debug, PartialEq)]
pub struct OutOfRange(pub NaiveDate);

impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "{} is outside the years whose bank holidays tenderkit knows ({FIRST_YEAR}-{LAST_YEAR}); a later year's proclaimed days cannot be known in advance",
            crate::domain::date::long(self.0)
        )
    }
}

impl Calendar {
    /// Why `d` is not a working day ("Boxing Day (substitute day), a bank holiday in Scotland"),
    /// or `None` when it is one.
    pub fn non_working(&self, d: NaiveDate) -> Result<Option<String>, OutOfRange> {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
            return Err(OutOfRange(d));
        }
        if is_weekend(d) {
            return Ok(Some("weekend".into()));
        }
        // Where the day is a bank holiday under the 1971 Act, and where (Good Friday and Christmas
        // Day in England, Wales and Northern Ireland) a common-law holiday.
        let (mut name, mut bank, mut common) = (None, Vec::new(), Vec::new());
        for &place in &self.places {
            if let Some((_, n)) = bank_holidays(d.year(), place).expect("year in range").into_iter().find(|(h, _)| *h == d) {
                let common_law = place != Jurisdiction::Scotland && COMMON_LAW.contains(&n.as_str());
                if common_law { &mut common } else { &mut bank }.push(place.name());
                name.get_or_insert(n);
            }
        }
        Ok(name.map(|n| match (bank.is_empty(), common.is_empty()) {
            (false, true) => format!("{n}, a bank holiday in {}", bank.join(" and in ")),
            (false, false) => {
                format!("{n}, a bank holiday in {} (a common-law holiday in {})", bank.join(" and in "), common.join(" and in "))
            }
            // Not a statutory non-working day on its own: only the bank holidays of the places
            // asked about count (the Act's calendar always includes Scotland's).
            (true, _) => format!("{n}, a common-law holiday in {}", common.join(" and in ")),
        }))
    }

    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool, OutOfRange> {
        Ok(self.non_working(d)?.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_sundays() {
        // Published Easter dates.
        for (y, m, d) in
            [(2020, 4, 12), (2022, 4, 17), (2024, 3, 31), (2025, 4, 20), (2026, 4, 5), (2027, 3, 28), (2030, 4, 21), (2035, 3, 25)]
        {
            assert_eq!(easter(y), NaiveDate::from_ymd_opt(y, m, d).unwrap(), "{y}");
        }
    }

    #[test]
    fn years_outside_the_table_are_refused() {
        assert!(bank_holidays(2019, Jurisdiction::Scotland).is_none());
        assert!(bank_holidays(2036, Jurisdiction::Scotland).is_none());
        let c = Calendar { places: ALL.to_vec() };
        assert!(c.non_working(NaiveDate::from_ymd_opt(2036, 1, 7).unwrap()).is_err());
    }
}
