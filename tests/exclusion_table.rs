//! The exclusion grounds table held to a decision table written by hand from the statute texts
//! (tests/fixtures/exclusion-grounds.csv): every ground under both regimes, with its standing,
//! provision, period, what the period is measured from, and its commencement bar (issue 26).

use tenderkit::domain::exclusion::{Bar, Period, Standing, all_grounds};
use tenderkit::domain::regime::Regime;

fn standing(s: Standing) -> &'static str {
    match s {
        Standing::Mandatory => "mandatory",
        Standing::Discretionary => "discretionary",
        Standing::DebarmentOnly => "debarment-only",
        Standing::None => "none",
    }
}

#[test]
fn every_ground_is_as_the_statutes_say() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/exclusion-grounds.csv")).unwrap();
    let mut rows = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(text.as_bytes());
    let mut seen = 0;
    for row in rows.records() {
        let row = row.unwrap();
        let (id, regime) = (&row[0], &row[1]);
        let ground = all_grounds().find(|g| g.key() == id).unwrap_or_else(|| panic!("no ground '{id}'"));
        let regime = match regime {
            "scotland-2015" => Regime::Scotland2015,
            "procurement-act-2023" => Regime::ProcurementAct2023,
            other => panic!("regime {other}"),
        };
        let law = ground.law(regime);
        let (years, from, period_provision) = match law.period {
            Period::FromEvent { years, provision } => (years, if ground.is_criminal_offence() { "conviction" } else { "event" }, provision),
            Period::UntilPaid { provision } => (0, "until-paid", provision),
            Period::BackFromDetermination { years, provision } => (years, "determination", provision),
            Period::AwarenessBackFromDetermination { years, provision } => (years, "awareness", provision),
            Period::NotAGround => (0, "none", ""),
        };
        let (bar, bar_provision) = match law.bar {
            Bar::None => ("none", ""),
            Bar::BeforeCommencement(p) => ("commencement", p),
            Bar::BeforeThreeYearsToCommencement(p) => ("three-years", p),
        };
        let what = format!("{id} under {regime:?}");
        assert_eq!(standing(law.standing), &row[2], "{what}: standing");
        assert!(law.provision.starts_with(&row[3]), "{what}: provision '{}' should start '{}'", law.provision, &row[3]);
        assert_eq!(years.to_string(), &row[4], "{what}: years");
        assert_eq!(from, &row[5], "{what}: measured from");
        assert_eq!(period_provision, &row[6], "{what}: period provision");
        assert_eq!((bar, bar_provision), (&row[7], &row[8]), "{what}: commencement bar");
        assert_eq!(
            matches!(law.standing, Standing::None | Standing::DebarmentOnly),
            !law.instead.is_empty(),
            "{what}: a ground an authority cannot use says what instead"
        );
        seen += 1;
    }
    assert_eq!(seen, all_grounds().count() * 2, "every ground under both regimes");
}
