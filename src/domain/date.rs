//! Dates in definition files: `2026-12-04` written as text or as the file format's own date
//! value (TOML's bare dates reach serde as a one-entry map holding the text).

use chrono::NaiveDate;

/// A date as letters and messages write it, one style throughout: "4 December 2026".
pub fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}
use serde::de::{self, Deserializer, MapAccess, Visitor};

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a date such as 2026-12-04")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
        v.trim().parse().map_err(|_| E::custom(format!("'{v}' is not a date (write YYYY-MM-DD)")))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NaiveDate, A::Error> {
        let Some((_, text)) = map.next_entry::<String, String>()? else { return Err(de::Error::custom("an empty date")) };
        if text.len() != 10 {
            return Err(de::Error::custom(format!("'{text}' is not a date: give the day only, YYYY-MM-DD")));
        }
        self.visit_str(&text)
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_any(DateVisitor)
}

pub fn deserialize_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    deserialize(d).map(Some)
}

/// A list of dates, each written either way.
pub fn deserialize_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
    struct ListVisitor;
    impl<'de> Visitor<'de> for ListVisitor {
        type Value = Vec<NaiveDate>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of dates such as [2026-12-24, 2026-12-31]")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<NaiveDate>, A::Error> {
            let mut out = Vec::new();
            while let Some(Date(d)) = seq.next_element()? {
                out.push(d);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(ListVisitor)
}

struct Date(NaiveDate);

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        deserialize(d).map(Date)
    }
}
