use super::*;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn decl(ground: Ground, on: &str) -> Declaration {
    Declaration { ground, party: Party::Bidder, party_name: None, date: date(on), details: String::new(), self_cleansing: None, tax: None }
}

const TENDER: &str = "2026-11-30";
const SCOT: Regime = Regime::Scotland2015;
const ACT: Regime = Regime::ProcurementAct2023;

#[test]
fn every_ground_without_self_cleansing() {
    for g in ALL_GROUNDS {
        let d = decide("Acme", &decl(g, "2025-06-01"), date(TENDER), true, SCOT);
        let want = match g.under(SCOT) {
            Standing::Mandatory => Outcome::Exclude,
            Standing::Discretionary => Outcome::MayExclude,
            Standing::None => Outcome::NoExclusion,
        };
        assert_eq!(d.outcome, want, "{g:?}: {}", d.reason);
        assert_eq!(d.mandatory, g.is_mandatory_under(SCOT));
        assert!(d.reason.contains(g.name()), "{}", d.reason);
    }
    assert_eq!(ALL_GROUNDS.iter().filter(|g| g.is_mandatory_under(SCOT)).count(), 7);
}

#[test]
fn discretionary_grounds_the_tender_does_not_apply_are_not_used() {
    let d = decide("Acme", &decl(Ground::ConflictOfInterest, "2025-06-01"), date(TENDER), false, SCOT);
    assert_eq!(d.outcome, Outcome::NoExclusion);
    assert!(d.reason.contains("does not apply that ground"));
    // Mandatory grounds always apply.
    assert_eq!(decide("Acme", &decl(Ground::Blacklisting, "2025-06-01"), date(TENDER), false, SCOT).outcome, Outcome::Exclude);
}

#[test]
fn every_self_cleansing_combination() {
    for bits in 0..8u8 {
        let sc =
            SelfCleansing { compensation: bits & 1 != 0, collaboration: bits & 2 != 0, measures: bits & 4 != 0, evidence: String::new() };
        let mut d = decl(Ground::Corruption, "2024-01-10");
        d.self_cleansing = Some(sc.clone());
        let out = decide("Acme", &d, date(TENDER), true, SCOT);
        if bits == 7 {
            assert_eq!(out.outcome, Outcome::NoExclusion, "all three conditions");
            assert!(out.reason.contains("all three self-cleansing conditions"));
        } else {
            assert_eq!(out.outcome, Outcome::Exclude, "bits {bits:03b}");
            assert_eq!(out.self_cleansing_shortfall.len(), sc.missing().len());
            assert!(!out.self_cleansing_shortfall.is_empty());
        }
        // Discretionary grounds: the same conditions, but the outcome is the buyer's call.
        let mut d = decl(Ground::GraveProfessionalMisconduct, "2024-01-10");
        d.self_cleansing = Some(sc);
        let out = decide("Acme", &d, date(TENDER), true, SCOT);
        assert_eq!(out.outcome, if bits == 7 { Outcome::NoExclusion } else { Outcome::MayExclude });
    }
}

#[test]
fn time_limits_count_to_the_anniversary_including_leap_days() {
    // Criminal convictions: 5 years. The anniversary is the last day the ground applies.
    let table = [
        ("2021-11-30", "2026-11-30", Outcome::Exclude),     // exactly 5 years: not older than 5 years
        ("2021-11-29", "2026-11-30", Outcome::NoExclusion), // 5 years and a day
        ("2020-02-29", "2025-02-28", Outcome::Exclude),     // leap-day conviction: anniversary is 28 February
        ("2020-02-29", "2025-03-01", Outcome::NoExclusion),
        ("2024-02-29", "2029-02-28", Outcome::Exclude),
        ("2024-02-29", "2029-03-01", Outcome::NoExclusion),
    ];
    for (on, tender, want) in table {
        let d = decide("Acme", &decl(Ground::MoneyLaundering, on), date(tender), true, SCOT);
        assert_eq!(d.outcome, want, "conviction {on}, tender {tender}: {}", d.reason);
    }
    // Other grounds: 3 years from the event, leap years included.
    let table = [
        ("2023-11-30", "2026-11-30", Outcome::MayExclude),
        ("2023-11-29", "2026-11-30", Outcome::NoExclusion),
        ("2024-02-29", "2027-02-28", Outcome::MayExclude),
        ("2024-02-29", "2027-03-01", Outcome::NoExclusion),
    ];
    for (on, tender, want) in table {
        assert_eq!(
            decide("Acme", &decl(Ground::DeficientPriorPerformance, on), date(tender), true, SCOT).outcome,
            want,
            "event {on}, tender {tender}"
        );
    }
    assert_eq!(
        decide("Acme", &decl(Ground::Blacklisting, "2023-11-29"), date(TENDER), true, SCOT).outcome,
        Outcome::NoExclusion,
        "blacklisting: 3 years"
    );
    let lapsed = decide("Acme", &decl(Ground::Corruption, "2019-05-01"), date(TENDER), true, SCOT);
    assert!(
        lapsed.reason.contains("more than 5 years before the tender date 30 November 2026 (the ground applied until 1 May 2024)"),
        "{}",
        lapsed.reason
    );
}

#[test]
fn tax_breaches_are_cured_by_paying_not_by_time() {
    let mut d = decl(Ground::TaxAndSocialSecurity, "2015-04-05");
    assert_eq!(decide("Acme", &d, date(TENDER), true, SCOT).outcome, Outcome::MayExclude, "no time limit: until paid");
    d.tax = Some(TaxSettlement { paid: false, binding_agreement: true });
    assert_eq!(decide("Acme", &d, date(TENDER), true, SCOT).outcome, Outcome::NoExclusion);
    d.tax = Some(TaxSettlement { paid: true, binding_agreement: false });
    let out = decide("Acme", &d, date(TENDER), true, SCOT);
    assert_eq!(out.outcome, Outcome::NoExclusion);
    assert!(out.reason.contains("has paid"));
    // Self-cleansing does not apply to tax: only paying does.
    d.tax = None;
    d.self_cleansing = Some(SelfCleansing { compensation: true, collaboration: true, measures: true, evidence: String::new() });
    assert_eq!(decide("Acme", &d, date(TENDER), true, SCOT).outcome, Outcome::MayExclude);
}

#[test]
fn other_parties_are_replaced_not_the_bid_excluded() {
    let mut d = decl(Ground::ChildLabourAndTrafficking, "2025-01-01");
    d.party = Party::Subcontractor;
    d.party_name = Some("Kerbside Haulage Ltd".into());
    let out = decide("Acme", &d, date(TENDER), true, SCOT);
    assert_eq!(out.outcome, Outcome::Replace);
    assert!(out.reason.starts_with("Kerbside Haulage Ltd (subcontractor)"));
    d.ground = Ground::BankruptcyOrInsolvency;
    d.party = Party::ConsortiumMember;
    assert_eq!(decide("Acme", &d, date(TENDER), true, SCOT).outcome, Outcome::MayReplace);
}

#[test]
fn a_bid_is_excluded_if_any_declaration_excludes_it() {
    let r = Responses {
        bidders: vec![BidderResponse {
            name: "Acme".into(),
            declarations: vec![decl(Ground::ConflictOfInterest, "2025-01-01"), decl(Ground::Corruption, "2025-01-01")],
            debarred: None,
        }],
        debarment_list_checked: None,
    };
    let ds = assess(&r, date(TENDER), &[Ground::ConflictOfInterest], SCOT);
    assert_eq!(bid_outcome(&ds, "Acme"), Outcome::Exclude);
    assert_eq!(bid_outcome(&ds, "Nobody"), Outcome::NoExclusion);
}

#[test]
fn the_act_looks_back_five_years_for_every_ground() {
    // Four years ago: lapsed in Scotland (3 years), still applies under the Act (5 years).
    let d = decl(Ground::DeficientPriorPerformance, "2022-12-01");
    assert_eq!(decide("Acme", &d, date(TENDER), true, SCOT).outcome, Outcome::NoExclusion);
    let under_act = decide("Acme", &d, date(TENDER), true, ACT);
    assert_eq!(under_act.outcome, Outcome::MayExclude, "{}", under_act.reason);
    assert!(under_act.reason.contains("excludable supplier (s.57(2))"), "{}", under_act.reason);
    assert!(under_act.reason.contains("continuing or likely to occur again"), "{}", under_act.reason);
    // The anniversary is the last day, leap days included.
    assert_eq!(decide("Acme", &decl(Ground::ConflictOfInterest, "2021-11-30"), date(TENDER), true, ACT).outcome, Outcome::MayExclude);
    assert_eq!(decide("Acme", &decl(Ground::ConflictOfInterest, "2021-11-29"), date(TENDER), true, ACT).outcome, Outcome::NoExclusion);
    // Tax too: five years under the Act, until paid in Scotland.
    assert_eq!(decide("Acme", &decl(Ground::TaxAndSocialSecurity, "2015-04-05"), date(TENDER), true, SCOT).outcome, Outcome::MayExclude);
    assert_eq!(decide("Acme", &decl(Ground::TaxAndSocialSecurity, "2015-04-05"), date(TENDER), true, ACT).outcome, Outcome::NoExclusion);
}

#[test]
fn the_acts_grounds_differ_from_scotlands() {
    // Blacklisting: mandatory in Scotland, discretionary (labour market misconduct) under the Act.
    assert_eq!(decide("Acme", &decl(Ground::Blacklisting, "2025-06-01"), date(TENDER), true, SCOT).outcome, Outcome::Exclude);
    assert_eq!(decide("Acme", &decl(Ground::Blacklisting, "2025-06-01"), date(TENDER), true, ACT).outcome, Outcome::MayExclude);
    // Grounds the Act added are mandatory under it, and not grounds in Scotland.
    for g in [Ground::CorporateManslaughter, Ground::TheftOrDishonesty, Ground::CartelOffence, Ground::NationalSecurity] {
        let act = decide("Acme", &decl(g, "2025-06-01"), date(TENDER), false, ACT);
        assert_eq!(act.outcome, Outcome::Exclude, "{g:?}");
        assert!(act.reason.contains("an excluded supplier (s.57(1))"), "{}", act.reason);
        let scot = decide("Acme", &decl(g, "2025-06-01"), date(TENDER), true, SCOT);
        assert_eq!(scot.outcome, Outcome::NoExclusion);
        assert!(scot.reason.contains("not an exclusion ground under the Public Contracts (Scotland) Regulations 2015"));
    }
}

#[test]
fn self_cleaning_answers_whether_the_circumstances_recur() {
    let mut d = decl(Ground::Corruption, "2024-01-10");
    d.self_cleansing = Some(SelfCleansing { compensation: true, collaboration: true, measures: true, evidence: String::new() });
    let out = decide("Acme", &d, date(TENDER), true, ACT);
    assert_eq!(out.outcome, Outcome::NoExclusion);
    assert!(out.reason.contains("neither continuing nor likely to occur again (s.57, s.58)"), "{}", out.reason);
    d.self_cleansing.as_mut().unwrap().measures = false;
    let out = decide("Acme", &d, date(TENDER), true, ACT);
    assert_eq!(out.outcome, Outcome::Exclude);
    assert_eq!(out.self_cleansing_shortfall.len(), 1);
}

#[test]
fn a_supplier_on_the_debarment_list_is_excluded_whatever_its_evidence() {
    let r = Responses {
        debarment_list_checked: None,
        bidders: vec![
            BidderResponse {
                name: "Listed Ltd".into(),
                declarations: vec![],
                debarred: Some(Debarment { ground: Ground::Corruption, until: date("2028-01-31") }),
            },
            BidderResponse {
                name: "Lapsed Ltd".into(),
                declarations: vec![],
                debarred: Some(Debarment { ground: Ground::Corruption, until: date("2026-01-31") }),
            },
            BidderResponse {
                name: "Misconduct Ltd".into(),
                declarations: vec![],
                debarred: Some(Debarment { ground: Ground::GraveProfessionalMisconduct, until: date("2027-01-31") }),
            },
        ],
    };
    let ds = assess(&r, date(TENDER), &[], ACT);
    assert_eq!(bid_outcome(&ds, "Listed Ltd"), Outcome::Exclude);
    assert!(ds[0].reason.contains("on the debarment list for corruption until 31 January 2028 (s.62)"), "{}", ds[0].reason);
    assert_eq!(bid_outcome(&ds, "Lapsed Ltd"), Outcome::NoExclusion);
    assert_eq!(bid_outcome(&ds, "Misconduct Ltd"), Outcome::MayExclude);
    // The list is the Act's: a Scottish tender does not apply it.
    assert!(assess(&r, date(TENDER), &[], SCOT).is_empty());
    // Under the Act, the decision is incomplete until the list is recorded as checked.
    assert_eq!(missing_checks(&r, ACT).len(), 1);
    assert!(missing_checks(&r, SCOT).is_empty());
    let checked = Responses { debarment_list_checked: Some(date("2026-12-07")), ..r };
    assert!(missing_checks(&checked, ACT).is_empty());
}
