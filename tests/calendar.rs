//! The working-day calendar against the published bank holiday lists, and the standstill period
//! at its awkward edges (Christmas and New Year, Easter, Fridays, substitute days, one-off days).

mod common;

use chrono::NaiveDate;
use tenderkit::domain::calendar::{Jurisdiction, bank_holidays};
use tenderkit::domain::regime::Regime;
use tenderkit::domain::standstill::{Sending, standstill};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn dates(year: i32, place: Jurisdiction) -> Vec<String> {
    bank_holidays(year, place).unwrap().into_iter().map(|(d, _)| d.to_string()).collect()
}

/// The lists published at gov.uk/bank-holidays, written out by hand.
#[test]
fn every_bank_holiday_of_2026_and_2027_in_each_jurisdiction() {
    let published: [(i32, Jurisdiction, &[&str]); 6] = [
        (
            2026,
            Jurisdiction::EnglandAndWales,
            &["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"],
        ),
        (
            2026,
            Jurisdiction::Scotland,
            &["2026-01-01", "2026-01-02", "2026-04-03", "2026-05-04", "2026-05-25", "2026-08-03", "2026-11-30", "2026-12-25", "2026-12-28"],
        ),
        (
            2026,
            Jurisdiction::NorthernIreland,
            &[
                "2026-01-01",
                "2026-03-17",
                "2026-04-03",
                "2026-04-06",
                "2026-05-04",
                "2026-05-25",
                "2026-07-13",
                "2026-08-31",
                "2026-12-25",
                "2026-12-28",
            ],
        ),
        (
            2027,
            Jurisdiction::EnglandAndWales,
            &["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"],
        ),
        (
            2027,
            Jurisdiction::Scotland,
            &["2027-01-01", "2027-01-04", "2027-03-26", "2027-05-03", "2027-05-31", "2027-08-02", "2027-11-30", "2027-12-27", "2027-12-28"],
        ),
        (
            2027,
            Jurisdiction::NorthernIreland,
            &[
                "2027-01-01",
                "2027-03-17",
                "2027-03-26",
                "2027-03-29",
                "2027-05-03",
                "2027-05-31",
                "2027-07-12",
                "2027-08-30",
                "2027-12-27",
                "2027-12-28",
            ],
        ),
    ];
    for (year, place, want) in published {
        assert_eq!(dates(year, place), want, "{year} {}", place.name());
    }
    // Substitute days are named so.
    let scotland = bank_holidays(2027, Jurisdiction::Scotland).unwrap();
    assert!(scotland.contains(&(d("2027-01-04"), "2nd January (substitute day)".into())), "{scotland:?}");
    assert!(scotland.contains(&(d("2027-12-27"), "Christmas Day (substitute day)".into())));
    assert!(scotland.contains(&(d("2027-12-28"), "Boxing Day (substitute day)".into())));
}

#[test]
fn the_one_off_and_moved_days() {
    for place in [Jurisdiction::Scotland, Jurisdiction::EnglandAndWales, Jurisdiction::NorthernIreland] {
        let y2020 = dates(2020, place);
        assert!(y2020.contains(&"2020-05-08".into()) && !y2020.contains(&"2020-05-04".into()), "VE day moved the early May holiday");
        let y2022 = dates(2022, place);
        for day in ["2022-06-02", "2022-06-03", "2022-09-19"] {
            assert!(y2022.contains(&day.into()), "{day} in {}", place.name());
        }
        assert!(!y2022.contains(&"2022-05-30".into()), "the spring holiday moved to 2 June");
        assert!(dates(2023, place).contains(&"2023-05-08".into()), "the coronation");
    }
    // Christmas on a Sunday: Boxing Day keeps the Monday, Christmas moves to the Tuesday.
    assert!(dates(2022, Jurisdiction::EnglandAndWales).ends_with(&["2022-12-26".into(), "2022-12-27".into()]));
    // Scotland's New Year of 2022 (Saturday and Sunday) moved to Monday and Tuesday.
    assert!(dates(2022, Jurisdiction::Scotland).starts_with(&["2022-01-03".into(), "2022-01-04".into()]));
}

fn scotland(sent: &str, by: Sending) -> (NaiveDate, NaiveDate) {
    let s = standstill(Regime::Scotland2015, d(sent), by, &[]).unwrap();
    (s.ends, s.contract_from)
}

fn act(published: &str) -> NaiveDate {
    standstill(Regime::ProcurementAct2023, d(published), Sending::Electronic, &[]).unwrap().ends
}

#[test]
fn standstill_across_christmas_and_new_year() {
    // Scotland: the 10th day is Monday 28 December 2026, Boxing Day's substitute: Tuesday 29th.
    assert_eq!(scotland("2026-12-18", Sending::Electronic), (d("2026-12-29"), d("2026-12-30")));
    // The 10th day is New Year's Day 2027; then a weekend, then 2 January's substitute (Monday
    // 4th): the period ends on Tuesday 5 January.
    assert_eq!(scotland("2026-12-22", Sending::Electronic).0, d("2027-01-05"));
    // The Act: 21-24 December are days 1-4, 29-31 December days 5-7; 4 January 2027 is a bank
    // holiday in Scotland, so not a working day anywhere in the UK's sense: day 8 is the 5th.
    assert_eq!(act("2026-12-21"), d("2027-01-05"));
}

#[test]
fn standstill_across_easter() {
    // Scotland: the 10th day is Good Friday 2027; Easter Monday is not a Scottish bank holiday.
    assert_eq!(scotland("2027-03-16", Sending::Electronic).0, d("2027-03-29"));
    // The Act counts neither Good Friday nor Easter Monday.
    assert_eq!(act("2027-03-24"), d("2027-04-06"));
}

#[test]
fn standstill_sent_on_a_friday() {
    assert_eq!(scotland("2026-11-06", Sending::Electronic), (d("2026-11-16"), d("2026-11-17")));
    assert_eq!(scotland("2026-11-06", Sending::Other).0, d("2026-11-23"), "15 days: Saturday 21st, so Monday 23rd");
    // The Act: the Friday is day 1.
    assert_eq!(act("2026-11-06"), d("2026-11-17"));
}

#[test]
fn standstill_ending_on_a_substitute_day_or_a_local_holiday() {
    // The Boyne holiday's substitute (Monday 13 July 2026) is a bank holiday in Northern
    // Ireland only, yet not a working day under the Act.
    assert_eq!(act("2026-07-06"), d("2026-07-16"));
    // St Andrew's Day 2025 fell on a Sunday: Monday 1 December was its substitute in Scotland.
    assert_eq!(scotland("2025-11-21", Sending::Electronic).0, d("2025-12-02"));
}

#[test]
fn standstill_over_the_one_off_holidays() {
    assert_eq!(scotland("2022-09-08", Sending::Electronic).0, d("2022-09-20"), "the State Funeral, 19 September 2022");
    assert_eq!(scotland("2023-04-28", Sending::Electronic).0, d("2023-05-09"), "the coronation, 8 May 2023");
    assert_eq!(scotland("2022-05-23", Sending::Electronic).0, d("2022-06-06"), "2 and 3 June 2022, then a weekend");
    assert_eq!(scotland("2020-04-28", Sending::Electronic).0, d("2020-05-11"), "VE day, 8 May 2020");
}

#[test]
fn the_buyers_closure_days_and_the_calendars_limits() {
    // Issue 26 item 9 (PCSR reg 2(1)): a closure day is not a statutory non-working day; the
    // statutory end stays Monday 16th and the buyer's own wait is Tuesday 17th.
    let s = standstill(Regime::Scotland2015, d("2026-11-06"), Sending::Electronic, &[d("2026-11-16")]).unwrap();
    assert_eq!(s.ends, d("2026-11-16"));
    assert!(s.not_working.is_empty(), "{:?}", s.not_working);
    assert_eq!(s.own_wait.as_ref().map(|o| (o.ends, o.contract_from)), Some((d("2026-11-17"), d("2026-11-18"))));
    let late = standstill(Regime::Scotland2015, d("2035-12-28"), Sending::Electronic, &[]);
    assert!(late.unwrap_err().contains("2020-2035"));
    let early = standstill(Regime::ProcurementAct2023, d("2024-06-03"), Sending::Electronic, &[]);
    assert!(early.unwrap_err().contains("came into force (24 February 2025)"));
}

#[test]
fn the_standstill_command() {
    let dir = common::temp();
    let out = common::tenderkit(&[&"standstill", &common::example("tender.toml"), &"--sent", &"2026-12-18"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = &out.stdout;
    assert!(text.contains("Not a working day: Monday 28 December 2026: Boxing Day (substitute day), a bank holiday in Scotland"), "{text}");
    assert!(text.contains("Standstill ends: midnight at the end of Tuesday 29 December 2026"), "{text}");
    assert!(text.contains("The law allows the contract to be entered into from: Wednesday 30 December 2026"), "{text}");
    assert!(text.contains("regulation 86(3)"), "{text}");
    // The example's closure days (24 and 31 December) do not move the Scottish end.
    assert!(!text.contains("Your own choice"), "{text}");

    // The Act, with the example's closure days (24 and 31 December), as JSON. The statutory
    // period: 21-24 December, 29-31 December, then 5 January (4 January is Scotland's 2 January
    // holiday). The buyer's own wait, with its closures: 21-23, 29-30 December, 5-7 January.
    let tender = std::fs::read_to_string(common::example("tender.toml")).unwrap();
    let tender = tender.replacen("regime = \"scotland-2015\"", "regime = \"procurement-act-2023\"", 1);
    let path = dir.path().join("tender.toml");
    std::fs::write(&path, tender).unwrap();
    let out = common::tenderkit(&[&"standstill", &path, &"--sent", &"2026-12-21", &"--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["ends"], "2027-01-05", "{json:#}");
    assert_eq!(json["contract_from"], "2027-01-06", "{json:#}");
    assert_eq!(json["own_wait"]["ends"], "2027-01-07", "{json:#}");
    assert_eq!(json["own_wait"]["closed"], serde_json::json!(["2026-12-24", "2026-12-31"]), "{json:#}");
    let out = common::tenderkit(&[&"standstill", &path, &"--sent", &"2026-12-21"]);
    assert!(out.stdout.contains("Standstill ends: midnight at the end of Tuesday 5 January 2027"), "{}", out.stdout);
    assert!(
        out.stdout.contains("Your own choice, not the statutory period: with your offices closed on 24 December 2026, 31 December 2026, you will wait until midnight at the end of Thursday 7 January 2027"),
        "{}",
        out.stdout
    );
    assert_eq!(json["regime"], "procurement-act-2023");
    assert!(json["rule"].as_str().unwrap().contains("section 51"));
    // --by is a Scottish option.
    let out = common::tenderkit(&[&"standstill", &path, &"--sent", &"2026-12-21", &"--by", &"other"]);
    assert_eq!(out.code, 2, "{}", out.all());
    // A date the calendar does not cover is an error, not a guess.
    let out = common::tenderkit(&[&"standstill", &common::example("tender.toml"), &"--sent", &"2036-01-05"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("2020-2035"));
}
