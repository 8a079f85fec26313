use super::*;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn decl(ground: Ground, on: &str) -> Declaration {
    Declaration {
        ground,
        party: Party::Bidder,
        party_name: None,
        date: date(on),
        aware_since: None,
        details: String::new(),
        self_cleansing: None,
        tax: None,
    }
}

fn aware(ground: Ground, event: &str, since: &str) -> Declaration {
    Declaration { aware_since: Some(date(since)), ..decl(ground, event) }
}

const ON: &str = "2026-12-10";
const SCOT: Regime = Regime::Scotland2015;
const ACT: Regime = Regime::ProcurementAct2023;

/// Every discretionary ground applied, as a Scottish tender that lists them all would.
fn all_applied() -> Vec<Ground> {
    all_grounds().collect()
}

fn decide_on(d: &Declaration, on: &str, regime: Regime) -> Decision {
    let applied = all_applied();
    decide("Acme", d, &Determination::new(date(on), regime, &applied))
}

fn below(d: &Declaration, on: &str) -> Decision {
    let applied = all_applied();
    decide("Acme", d, &Determination { below_threshold: true, ..Determination::new(date(on), SCOT, &applied) })
}

#[test]
fn every_ground_without_self_cleansing() {
    for g in all_grounds() {
        for regime in [SCOT, ACT] {
            // An event after commencement, inside every period, of which the buyer has just learned.
            let d = decide_on(&aware(g, "2025-06-02", "2025-06-02"), ON, regime);
            let want = match g.under(regime) {
                Standing::Mandatory => Outcome::Exclude,
                Standing::Discretionary => Outcome::MayExclude,
                Standing::None | Standing::DebarmentOnly => Outcome::NoExclusion,
            };
            assert_eq!(d.outcome, want, "{g:?} under {regime:?}: {}", d.reason);
            assert_eq!(d.mandatory, g.is_mandatory_under(regime));
            assert!(d.reason.contains(g.name()), "{}", d.reason);
            assert_eq!(d.determination, date(ON));
        }
    }
}

#[test]
fn discretionary_grounds_a_scottish_tender_does_not_apply_are_not_used() {
    let d = decide("Acme", &decl(Ground::ConflictOfInterest, "2025-06-02"), &Determination::new(date(ON), SCOT, &[]));
    assert_eq!(d.outcome, Outcome::NoExclusion);
    assert!(d.reason.contains("does not apply that ground"));
    // Mandatory grounds always apply.
    let d = decide("Acme", &decl(Ground::Blacklisting, "2025-06-02"), &Determination::new(date(ON), SCOT, &[]));
    assert_eq!(d.outcome, Outcome::Exclude);
}

/// Procurement Act 2023, s.26(2)(a): the authority must consider whether a supplier is excludable,
/// on every discretionary ground, whether or not the tender notice lists it.
#[test]
fn the_act_considers_every_discretionary_ground() {
    let d =
        decide("Acme", &aware(Ground::GraveProfessionalMisconduct, "2025-06-02", "2025-06-02"), &Determination::new(date(ON), ACT, &[]));
    assert_eq!(d.outcome, Outcome::MayExclude, "{}", d.reason);
}

#[test]
fn every_self_cleansing_combination() {
    for bits in 0..8u8 {
        let sc =
            SelfCleansing { compensation: bits & 1 != 0, collaboration: bits & 2 != 0, measures: bits & 4 != 0, evidence: String::new() };
        let mut d = decl(Ground::Corruption, "2024-01-10");
        d.self_cleansing = Some(sc.clone());
        let out = decide_on(&d, ON, SCOT);
        if bits == 7 {
            assert_eq!(out.outcome, Outcome::NoExclusion, "all three measures");
            assert!(out.reason.contains("all three self-cleansing measures (reg 58(15))"), "{}", out.reason);
            assert!(out.reason.contains("you must not exclude on this ground (reg 58(14))"), "{}", out.reason);
        } else {
            assert_eq!(out.outcome, Outcome::Exclude, "bits {bits:03b}");
            assert_eq!(out.self_cleansing_shortfall.len(), sc.missing().len());
            assert!(out.reason.contains("a statement of reasons is owed: reg 58(17)"), "{}", out.reason);
        }
        // Discretionary grounds: the same measures, but the outcome is the buyer's call.
        let mut d = decl(Ground::GraveProfessionalMisconduct, "2024-01-10");
        d.self_cleansing = Some(sc);
        let out = decide_on(&d, ON, SCOT);
        assert_eq!(out.outcome, if bits == 7 { Outcome::NoExclusion } else { Outcome::MayExclude });
    }
}

/// Issue 26 item 1. Sch 6 para 44(1): ignore any event before the five-year period ending with the
/// day the determination is made: counted back from the determination, not forward to the tender.
#[test]
fn item_1_mandatory_grounds_look_back_five_years_from_the_determination() {
    let table = [
        // (conviction, determination, still counts)
        ("2021-12-11", "2026-12-10", true),  // the first day of the period 11 Dec 2021 - 10 Dec 2026
        ("2021-12-10", "2026-12-10", false), // the fifth anniversary is the day it drops out
        ("2021-04-01", "2026-03-31", true),  // month end: the period starts 1 April 2021
        ("2021-03-31", "2026-03-31", false),
        ("2024-02-29", "2029-02-28", true),  // leap day: the period ending 28 Feb 2029 starts 29 Feb 2024
        ("2024-02-29", "2029-03-01", false), // ... and the one ending 1 March 2029 starts 2 March 2024
        ("2020-12-26", "2025-12-26", false), // a bank holiday changes nothing under the Act
        ("2020-12-27", "2025-12-26", true),
    ];
    for (event, on, counts) in table {
        let d = decide_on(&decl(Ground::Bribery, event), on, ACT);
        assert_eq!(
            d.outcome,
            if counts { Outcome::Exclude } else { Outcome::NoExclusion },
            "conviction {event}, decided {on}: {}",
            d.reason
        );
        let p = d.period.expect("a period");
        assert_eq!((p.to, p.provision.as_str()), (date(on), "Sch 6 para 44(1)"));
        assert!(d.reason.contains("Sch 6 para 44(1)"), "{}", d.reason);
    }
    // Counted back from the day of the decision, a conviction four days older than five years at
    // the decision is ignored, though it was within five years of a tender date a week earlier.
    let d = decide_on(&decl(Ground::Bribery, "2021-12-06"), ON, ACT);
    assert_eq!(d.outcome, Outcome::NoExclusion);
    assert!(
        d.reason.contains("is before the 5-year period ending with the day of this decision: 11 December 2021 to 10 December 2026"),
        "{}",
        d.reason
    );
}

/// Issue 26 item 2. Sch 7 para 15(1)-(3): a discretionary ground's period runs back from the
/// determination and is measured against when the authority became aware of the event (or ought
/// to have); three years for the grounds of para 15(3), five for the rest.
#[test]
fn item_2_discretionary_grounds_count_from_awareness_three_or_five_years() {
    let three = [
        Ground::BankruptcyOrInsolvency,
        Ground::DistortionOfCompetition,
        Ground::GraveProfessionalMisconduct,
        Ground::DeficientPriorPerformance,
        Ground::MisrepresentationOrUndueInfluence,
    ];
    for g in three {
        // The period ending 10 December 2026 starts 11 December 2023 (a Monday after a weekend).
        assert_eq!(decide_on(&aware(g, "2023-06-01", "2023-12-11"), ON, ACT).outcome, Outcome::MayExclude, "{g:?}");
        let lapsed = decide_on(&aware(g, "2023-06-01", "2023-12-10"), ON, ACT);
        assert_eq!(lapsed.outcome, Outcome::NoExclusion, "{g:?}");
        assert!(lapsed.reason.contains("Sch 7 para 15(2)-(3)"), "{}", lapsed.reason);
        assert_eq!(g.law(ACT).period, Period::AwarenessBackFromDetermination { years: 3, provision: "Sch 7 para 15(2)-(3)" });
    }
    for g in [Ground::LabourMarketMisconduct, Ground::EnvironmentalMisconduct, Ground::PoorPerformance, Ground::NationalSecurity] {
        assert_eq!(g.law(ACT).period, Period::AwarenessBackFromDetermination { years: 5, provision: "Sch 7 para 15(1)" }, "{g:?}");
    }
    // An event long ago that the buyer learned of recently still counts: the period runs from
    // awareness, not from the event.
    let d = decide_on(&aware(Ground::GraveProfessionalMisconduct, "2019-03-29", "2026-02-27"), ON, ACT);
    assert_eq!(d.outcome, Outcome::MayExclude, "{}", d.reason);
    assert_eq!(d.period.as_ref().map(|p| (p.measured_date, p.from)), Some((date("2026-02-27"), date("2023-12-11"))));
    // Without the awareness date the decision says what to supply instead of guessing.
    let d = decide_on(&decl(Ground::GraveProfessionalMisconduct, "2025-06-02"), ON, ACT);
    assert_eq!(d.outcome, Outcome::Incomplete);
    assert!(d.missing[0].contains("give aware_since = YYYY-MM-DD"), "{:?}", d.missing);
    // Awareness cannot come before the event, nor after the decision.
    assert_eq!(decide_on(&aware(Ground::GraveProfessionalMisconduct, "2025-06-02", "2025-05-30"), ON, ACT).outcome, Outcome::Incomplete);
    assert_eq!(decide_on(&aware(Ground::GraveProfessionalMisconduct, "2025-06-02", "2026-12-11"), ON, ACT).outcome, Outcome::Incomplete);
}

/// Issue 26 item 3. Events before a ground came into force (24 February 2025) are ignored where the
/// Act says so (Sch 6 para 44(3), Sch 7 para 15(4)); for the grounds of Sch 6 para 44(4), events
/// before the three years ending with it (before 25 February 2022). Para 44(2)'s grounds count
/// whenever the event happened.
#[test]
fn item_3_events_before_commencement_are_ignored_where_the_act_says() {
    assert_eq!(schedules_in_force(), date("2025-02-24"));
    for g in [Ground::CorporateManslaughter, Ground::TheftOrDishonesty] {
        // Sunday 23 February 2025, the day before commencement; Monday 24th, the day itself.
        let before = decide_on(&decl(g, "2025-02-23"), ON, ACT);
        assert_eq!(before.outcome, Outcome::NoExclusion, "{g:?}");
        assert!(before.reason.contains("before the Schedule came into force on 24 February 2025 (Sch 6 para 44(3)"), "{}", before.reason);
        assert_eq!(decide_on(&decl(g, "2025-02-24"), ON, ACT).outcome, Outcome::Exclude, "{g:?}");
    }
    for g in [Ground::LabourMarketMisconduct, Ground::EnvironmentalMisconduct, Ground::PoorPerformance, Ground::NationalSecurity] {
        let before = decide_on(&aware(g, "2025-02-21", "2026-01-05"), ON, ACT);
        assert_eq!(before.outcome, Outcome::NoExclusion, "{g:?}: {}", before.reason);
        assert!(before.reason.contains("Sch 7 para 15(4)"), "{}", before.reason);
        assert_eq!(decide_on(&aware(g, "2025-02-24", "2026-01-05"), ON, ACT).outcome, Outcome::MayExclude, "{g:?}");
    }
    for g in [Ground::Fraud, Ground::TaxOffences, Ground::CartelOffence, Ground::TaxMisconduct, Ground::LabourMarketOffences] {
        let before = decide_on(&decl(g, "2022-02-24"), ON, ACT);
        assert_eq!(before.outcome, Outcome::NoExclusion, "{g:?}");
        assert!(before.reason.contains("25 February 2022 to 24 February 2025; Sch 6 para 44(4)"), "{}", before.reason);
        assert_eq!(decide_on(&decl(g, "2022-02-25"), "2026-12-10", ACT).outcome, Outcome::Exclude, "{g:?}");
    }
    // Bribery, money laundering, terrorism, organised crime and slavery count before commencement.
    for g in [Ground::Bribery, Ground::MoneyLaundering, Ground::Terrorism, Ground::CriminalOrganisation, Ground::ChildLabourAndTrafficking]
    {
        assert_eq!(decide_on(&decl(g, "2022-01-31"), ON, ACT).outcome, Outcome::Exclude, "{g:?}");
    }
}

/// Issue 26 item 4. Sch 6 para 35(3): the mandatory national security ground is for the debarment
/// list only; a contracting authority's own ground is discretionary (Sch 7 para 14), and s.29
/// requires a Minister's agreement before it disregards a tender on it.
#[test]
fn item_4_national_security_is_discretionary_for_a_contracting_authority() {
    let d = decide_on(&aware(Ground::NationalSecurity, "2025-06-02", "2025-06-02"), ON, ACT);
    assert_eq!(d.outcome, Outcome::MayExclude);
    assert!(!d.mandatory);
    assert!(d.reason.contains("notify a Minister of the Crown, who must agree (s.29)"), "{}", d.reason);
    let d = decide_on(&decl(Ground::NationalSecurityDetermination, "2025-06-02"), ON, ACT);
    assert_eq!(d.outcome, Outcome::NoExclusion);
    assert!(d.reason.contains("para 35(3)"), "{}", d.reason);
    // Through the debarment list it is mandatory, for the contracts the entry describes.
    let listed = debarred("Acme", &Debarment { ground: Ground::NationalSecurityDetermination, until: date("2028-01-31") }, date(ON));
    assert_eq!(listed.outcome, Outcome::Exclude);
    assert!(listed.reason.contains("only for public contracts of the kind the entry describes (s.57(3))"), "{}", listed.reason);
}

/// Issue 26 item 5. Tax offences (Sch 6 paras 29-31) and misconduct in relation to tax (paras
/// 36-40) are mandatory under the Act; paying is evidence (s.58(1)(a)) but the s.57 test decides.
/// Schedule 7 has no discretionary breach-of-tax-obligations ground.
#[test]
fn item_5_tax_is_mandatory_under_the_act_and_paying_does_not_end_it() {
    for g in [Ground::TaxOffences, Ground::TaxMisconduct] {
        assert_eq!(g.under(ACT), Standing::Mandatory);
        let mut d = decl(g, "2025-03-31");
        d.tax = Some(TaxSettlement { paid: true, binding_agreement: false });
        let out = decide_on(&d, ON, ACT);
        assert_eq!(out.outcome, Outcome::Exclude, "{g:?}: {}", out.reason);
        assert!(out.reason.contains("(s.58(1)(a)) but which does not by itself end the ground"), "{}", out.reason);
        d.self_cleansing = Some(SelfCleansing { compensation: true, collaboration: true, measures: true, evidence: String::new() });
        assert_eq!(decide_on(&d, ON, ACT).outcome, Outcome::NoExclusion);
    }
    for g in [Ground::TaxAndSocialSecurity, Ground::TaxAndSocialSecurityDecision] {
        let out = decide_on(&decl(g, "2025-03-31"), ON, ACT);
        assert_eq!(out.outcome, Outcome::NoExclusion);
        assert!(out.reason.contains("Schedule 7 has no ground for a breach of tax obligations"), "{}", out.reason);
    }
    assert!(all_grounds().filter(|g| g.under(ACT) == Standing::Discretionary).all(|g| !g.name().contains("tax")));
}

/// Issue 26 item 6. Schedules 6 and 7 do not list blacklisting.
#[test]
fn item_6_blacklisting_is_not_a_ground_under_the_act() {
    assert_eq!(Ground::Blacklisting.under(ACT), Standing::None);
    let d = decide_on(&decl(Ground::Blacklisting, "2025-06-02"), ON, ACT);
    assert_eq!(d.outcome, Outcome::NoExclusion);
    assert!(d.reason.contains("Schedules 6 and 7 do not list blacklisting"), "{}", d.reason);
    assert_eq!(Ground::Blacklisting.under(SCOT), Standing::Mandatory);
}

/// Issue 26 item 7. PCSR reg 58(3)(a): a tax or social security breach established by a final and
/// binding decision is mandatory, subject to reg 58(5)-(7); shown by other means it is discretionary
/// (reg 58(4)). Below the thresholds the 2016 Regulations make every tax breach discretionary (reg 9(2)).
#[test]
fn item_7_a_tax_breach_established_by_a_final_decision_is_mandatory_in_scotland() {
    let mut d = decl(Ground::TaxAndSocialSecurityDecision, "2015-04-06");
    let out = decide_on(&d, ON, SCOT);
    assert_eq!(out.outcome, Outcome::Exclude, "no time limit: until paid");
    assert!(out.reason.contains("reg 58(3)(a)") && out.reason.contains("(reg 58(7))"), "{}", out.reason);
    assert_eq!(decide_on(&decl(Ground::TaxAndSocialSecurity, "2015-04-06"), ON, SCOT).outcome, Outcome::MayExclude);
    for settled in [TaxSettlement { paid: true, binding_agreement: false }, TaxSettlement { paid: false, binding_agreement: true }] {
        d.tax = Some(settled);
        let out = decide_on(&d, ON, SCOT);
        assert_eq!(out.outcome, Outcome::NoExclusion);
        assert!(out.reason.contains("must not be excluded on this ground (reg 58(5)(a))"), "{}", out.reason);
    }
    // Self-cleansing does not apply to tax (reg 58(13)): only paying does.
    d.tax = None;
    d.self_cleansing = Some(SelfCleansing { compensation: true, collaboration: true, measures: true, evidence: String::new() });
    assert_eq!(decide_on(&d, ON, SCOT).outcome, Outcome::Exclude);
    // Below the thresholds: discretionary, under reg 9(2) of the 2016 Regulations.
    let out = below(&decl(Ground::TaxAndSocialSecurityDecision, "2015-04-06"), ON);
    assert_eq!(out.outcome, Outcome::MayExclude);
    assert!(out.provision.starts_with("reg 9(2)"), "{}", out.provision);
    assert_eq!(Ground::TaxAndSocialSecurityDecision.question(), Some(MandatoryQuestion::TaxAndSocialSecurity));
}

/// Issue 26 item 8. PCSR reg 2(4)(c) applies to the periods of reg 58(11) and (12): a last day that
/// is not a working day in Scotland extends to the next working day.
#[test]
fn item_8_scottish_periods_run_on_past_weekends_and_bank_holidays() {
    // Conviction Saturday 25 December 2021: the fifth anniversary is Christmas Day 2026 (Friday),
    // then Saturday, Sunday and Monday 28th (Boxing Day, substitute): the period runs to Tuesday 29th.
    let d = decl(Ground::MoneyLaundering, "2021-12-25");
    for (on, counts) in [("2026-12-25", true), ("2026-12-28", true), ("2026-12-29", true), ("2026-12-30", false)] {
        let out = decide_on(&d, on, SCOT);
        assert_eq!(out.outcome, if counts { Outcome::Exclude } else { Outcome::NoExclusion }, "decided {on}: {}", out.reason);
    }
    let out = decide_on(&d, "2026-12-30", SCOT);
    assert_eq!(out.period.as_ref().map(|p| p.to), Some(date("2026-12-29")));
    assert!(out.reason.contains("so the period runs to 29 December 2026 (reg 2(4)(c))"), "{}", out.reason);
    // Blacklisting, 3 years (reg 58(12)): Saturday 28 November 2026, then St Andrew's Day on
    // Monday 30th: the period runs to Tuesday 1 December.
    let d = decl(Ground::Blacklisting, "2023-11-28");
    assert_eq!(decide_on(&d, "2026-12-01", SCOT).outcome, Outcome::Exclude);
    assert_eq!(decide_on(&d, "2026-12-02", SCOT).outcome, Outcome::NoExclusion);
    // A working-day anniversary is the last day: 30 June 2026 is a Tuesday.
    assert_eq!(decide_on(&decl(Ground::Corruption, "2021-06-30"), "2026-06-30", SCOT).outcome, Outcome::Exclude);
    assert_eq!(decide_on(&decl(Ground::Corruption, "2021-06-30"), "2026-07-01", SCOT).outcome, Outcome::NoExclusion);
    // Leap day: the anniversary of 29 February 2024 in 2027 is 28 February, a Sunday: Monday 1 March.
    assert_eq!(decide_on(&decl(Ground::DeficientPriorPerformance, "2024-02-29"), "2027-03-01", SCOT).outcome, Outcome::MayExclude);
    assert_eq!(decide_on(&decl(Ground::DeficientPriorPerformance, "2024-02-29"), "2027-03-02", SCOT).outcome, Outcome::NoExclusion);
    // Below the thresholds the 2016 Regulations have no such rule: the anniversary is the last day.
    assert_eq!(below(&decl(Ground::Blacklisting, "2023-11-28"), "2026-11-30").outcome, Outcome::NoExclusion);
    assert!(below(&decl(Ground::Blacklisting, "2023-11-28"), "2026-11-27").provision.starts_with("reg 9(1)"));
}

#[test]
fn an_event_after_the_decision_cannot_be_decided() {
    let d = decide_on(&decl(Ground::Corruption, "2026-12-11"), ON, SCOT);
    assert_eq!(d.outcome, Outcome::Incomplete);
    assert!(d.reason.contains("is after the day of this decision, 10 December 2026"), "{}", d.reason);
}

#[test]
fn other_parties_are_replaced_not_the_bid_excluded() {
    let mut d = decl(Ground::ChildLabourAndTrafficking, "2025-03-03");
    d.party = Party::Subcontractor;
    d.party_name = Some("Kerbside Haulage Ltd".into());
    let out = decide_on(&d, ON, SCOT);
    assert_eq!(out.outcome, Outcome::Replace);
    assert!(out.reason.starts_with("Kerbside Haulage Ltd (subcontractor)"));
    d.ground = Ground::BankruptcyOrInsolvency;
    d.party = Party::ConsortiumMember;
    assert_eq!(decide_on(&d, ON, SCOT).outcome, Outcome::MayReplace);
}

#[test]
fn a_bid_is_excluded_if_any_declaration_excludes_it() {
    let r = Responses {
        determination_date: None,
        bidders: vec![BidderResponse {
            name: "Acme".into(),
            declarations: vec![decl(Ground::ConflictOfInterest, "2025-01-06"), decl(Ground::Corruption, "2025-01-06")],
            debarred: None,
        }],
        debarment_list_checked: None,
        abnormally_low: vec![],
    };
    let ds = assess(&r, &Determination::new(date(ON), SCOT, &[Ground::ConflictOfInterest]));
    assert_eq!(bid_outcome(&ds, "Acme"), Outcome::Exclude);
    assert_eq!(bid_outcome(&ds, "Nobody"), Outcome::NoExclusion);
}

#[test]
fn self_cleaning_answers_whether_the_circumstances_recur() {
    let mut d = decl(Ground::Corruption, "2024-01-10");
    d.self_cleansing = Some(SelfCleansing { compensation: true, collaboration: true, measures: true, evidence: String::new() });
    let out = decide_on(&d, ON, ACT);
    assert_eq!(out.outcome, Outcome::NoExclusion);
    assert!(out.reason.contains("neither continuing nor likely to occur again (s.57, s.58)"), "{}", out.reason);
    d.self_cleansing.as_mut().unwrap().measures = false;
    let out = decide_on(&d, ON, ACT);
    assert_eq!(out.outcome, Outcome::Exclude);
    assert!(out.reason.contains("an excluded supplier (s.57(1)(a))"), "{}", out.reason);
    assert_eq!(out.self_cleansing_shortfall.len(), 1);
}

#[test]
fn a_supplier_on_the_debarment_list_is_excluded_whatever_its_evidence() {
    let r = Responses {
        determination_date: None,
        debarment_list_checked: None,
        abnormally_low: vec![],
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
    let act = Determination::new(date(ON), ACT, &[]);
    let ds = assess(&r, &act);
    assert_eq!(bid_outcome(&ds, "Listed Ltd"), Outcome::Exclude);
    assert!(ds[0].reason.contains("on the debarment list for corruption (Sch 6 paras 12 and 17"), "{}", ds[0].reason);
    assert_eq!(bid_outcome(&ds, "Lapsed Ltd"), Outcome::NoExclusion);
    assert_eq!(bid_outcome(&ds, "Misconduct Ltd"), Outcome::MayExclude);
    // The list is the Act's: a Scottish tender does not apply it.
    assert!(assess(&r, &Determination::new(date(ON), SCOT, &[])).is_empty());
    // Under the Act, the decision is incomplete until the list is recorded as checked.
    assert_eq!(missing_checks(&r, ACT, &ds).len(), 1);
    assert!(missing_checks(&r, SCOT, &[]).is_empty());
    let checked = Responses { debarment_list_checked: Some(date("2026-12-07")), ..r };
    assert!(missing_checks(&checked, ACT, &ds).is_empty());
    // A ground that is not one of the Act's cannot be a list entry.
    let odd = debarred("Odd Ltd", &Debarment { ground: Ground::Blacklisting, until: date("2028-01-31") }, date(ON));
    assert_eq!(odd.outcome, Outcome::Incomplete);
}
