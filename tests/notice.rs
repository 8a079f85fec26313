//! Contract notice text, SPD statements and exclusion decisions from the tender definition.

mod common;

use common::*;

fn tender_with(dir: &std::path::Path, from: &str, to: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(example("tender.toml")).unwrap();
    assert!(text.contains(from), "example tender has '{from}'");
    let p = dir.join("tender.toml");
    std::fs::write(&p, text.replace(from, to)).unwrap();
    p
}

#[test]
fn the_notice_text_for_the_example_tender() {
    let run = tenderkit(&[&"notice", &example("tender.toml")]);
    assert_eq!(run.code, 0, "{}", run.all());
    golden("notice.txt", &run.stdout);
}

#[test]
fn the_notice_says_what_the_tender_says_about_lots_variants_auction_and_thresholds() {
    let dir = temp();
    let text = std::fs::read_to_string(example("tender.toml"))
        .unwrap()
        .replace("procedure = \"restricted\"", "procedure = \"competitive-dialogue\"")
        .replace(
            "shortlist = 6",
            "shortlist = 3\nlots = [{ number = 1, title = \"Vehicles\" }, { number = 2, title = \"Charging infrastructure\" }]",
        )
        .replace("variants = \"not-allowed\"", "variants = \"allowed\"")
        .replace("electronic_auction = false", "electronic_auction = true")
        .replace("reserved = false", "reserved = true");
    let t = dir.path().join("tender.toml");
    std::fs::write(&t, text).unwrap();
    let run = tenderkit(&[&"notice", &t]);
    assert_eq!(run.code, 0, "{}", run.all());
    golden("notice-options.txt", &run.stdout);
    for line in [
        "This is a competitive dialogue. 3 candidates will be invited",
        "Variants will be accepted.",
        "This contract is divided into 2 lots:",
        "An electronic auction will be used.",
        "This contract is reserved for supported businesses",
        "Part III of the Single Procurement Document",
        "bankruptcy or insolvency",
    ] {
        assert!(run.stdout.contains(line), "'{line}' in:\n{}", run.stdout);
    }
}

#[test]
fn every_spd_statement_has_its_golden_text() {
    let run = tenderkit(&[&"spd", &example("tender.toml")]);
    assert_eq!(run.code, 0, "{}", run.all());
    let blocks: Vec<&str> = run.stdout.split("\n\n").collect();
    let names = [
        "registers",
        "turnover",
        "insurance",
        "ratios",
        "experience",
        "prompt-payment",
        "quality-management",
        "health-and-safety",
        "environmental-management",
        "cyber",
    ];
    assert_eq!(blocks.len(), names.len(), "{}", run.stdout);
    for (name, block) in names.iter().zip(blocks) {
        golden(&format!("spd/{name}.txt"), &format!("{}\n", block.trim_end()));
    }
    assert!(run.stdout.contains("minimum general yearly turnover of £6,000,000.00 for each of the last 2 financial years"));
}

#[test]
fn prompt_payment_is_included_only_when_subcontracting_is_expected() {
    let dir = temp();
    let t = tender_with(dir.path(), "subcontracting = true", "subcontracting = false");
    let run = tenderkit(&[&"spd", &t]);
    assert_eq!(run.code, 0);
    assert!(!run.stdout.contains("4C.4"));
}

#[test]
fn disproportionate_requirements_fail_with_the_rule_quoted() {
    let dir = temp();
    let cases = [
        (
            "turnover = { minimum = 6_000_000.00, years = 2 }",
            "turnover = { minimum = 9_000_000.00, years = 2 }",
            "selection.turnover.minimum: a minimum yearly turnover of £9,000,000.00 is more than twice the estimated contract value of £4,200,000.00. The guidance: \"you must not ask bidders to have a minimum turnover which exceeds twice the estimated contract value\"",
        ),
        (
            "{ kind = \"employers-liability\", minimum = 10_000_000.00 }",
            "{ kind = \"employers-liability\", minimum = 2_000_000.00 }",
            "selection.insurance[0].minimum: Employer's Liability Insurance of £2,000,000.00 is below the legal minimum",
        ),
        (
            "mandatory = [\"criminal-offences\", \"tax-and-social-security\", \"blacklisting\"]",
            "mandatory = [\"criminal-offences\", \"tax-and-social-security\"]",
            "the mandatory exclusion question on blacklisting is not asked. Every Scottish SPD must ask about criminal convictions (reg 58(1)), the payment of taxes and social security contributions (reg 58(3)(a)) and blacklisting (reg 58(3)(b))",
        ),
        // Issue 26 item 7: above the thresholds the tax question is a "Must ask" (reg 58(3)(a)).
        (
            "mandatory = [\"criminal-offences\", \"tax-and-social-security\", \"blacklisting\"]",
            "mandatory = [\"criminal-offences\", \"blacklisting\"]",
            "the mandatory exclusion question on the payment of taxes and social security contributions is not asked",
        ),
        (
            "examples = 2, years = 3",
            "examples = 2, years = 5",
            "\"For goods and services, the examples provided by bidders must only be from the previous three years\"",
        ),
        (
            "shortlist = 6",
            "shortlist = 4",
            "notice.shortlist: the restricted procedure may shortlist no fewer than 5 candidates; the tender says 4",
        ),
    ];
    for (from, to, message) in cases {
        let t = tender_with(dir.path(), from, to);
        for cmd in ["spd", "notice"] {
            let run = tenderkit(&[&cmd, &t]);
            assert_eq!(run.code, 1, "{cmd} with {to}: {}", run.all());
            assert!(run.stderr.contains(message), "{cmd}: expected\n{message}\nin\n{}", run.stderr);
        }
    }
    // A justified higher turnover is accepted.
    let t = tender_with(
        dir.path(),
        "turnover = { minimum = 6_000_000.00, years = 2 }",
        "turnover = { minimum = 9_000_000.00, years = 2, justification = \"vehicle failure would stop waste collection across the council area.\" }",
    );
    let run = tenderkit(&[&"spd", &t]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("more than twice the estimated contract value because vehicle failure would stop waste collection"));
}

#[test]
fn a_matrix_changed_after_publication_is_caught() {
    let run = tenderkit(&[&"notice", &example("tender.toml"), &"--matrix", &example("matrix.xlsx")]);
    assert_eq!(run.code, 0, "the example matrix matches its tender: {}", run.all());
    let dir = temp();
    let wb = tenderkit::xlsx::Workbook::open(&example("matrix.xlsx")).unwrap();
    let mut e = tenderkit::xlsx::Edits::default();
    e.set("Quality", tenderkit::xlsx::CellRef::parse("E5").unwrap(), tenderkit::xlsx::CellEdit::Number(20.0));
    e.set("Quality", tenderkit::xlsx::CellRef::parse("E6").unwrap(), tenderkit::xlsx::CellEdit::Number(30.0));
    e.set("Tender", tenderkit::xlsx::CellRef::parse("B8").unwrap(), tenderkit::xlsx::CellEdit::Number(40.0));
    let changed = dir.path().join("changed.xlsx");
    wb.write(&e, &changed).unwrap();
    let run = tenderkit(&[&"notice", &example("tender.toml"), &"--matrix", &changed]);
    assert_eq!(run.code, 1, "{}", run.all());
    for line in [
        "Quality!E5: criterion 1.2 weighting is 20 in the workbook but 25 in the published tender",
        "Quality!E6: criterion 1.3 weighting is 30 in the workbook but 25 in the published tender",
        "Tender!B8: the price weighting is 40 in the workbook but 50 in the published tender",
    ] {
        assert!(run.stderr.contains(line), "'{line}' in\n{}", run.stderr);
    }
    assert!(run.stdout.is_empty(), "nothing printed when refused");
}

#[test]
fn the_notice_as_a_word_document_opens_in_libreoffice() {
    let dir = temp();
    let out = dir.path().join("notice.docx");
    let run = tenderkit(&[&"notice", &example("tender.toml"), &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    let xml = zip_text(&out, "word/document.xml");
    assert!(
        xml.contains("AWARD CRITERIA (II.2.5)") && xml.contains("Payload and range on the council&apos;s collection rounds")
            || xml.contains("Payload and range on the council's collection rounds"),
        "{xml}"
    );
    libreoffice_pdf(&out, dir.path());
}

#[test]
fn exclusion_decisions_for_the_example_bidders() {
    let run = tenderkit(&[&"exclusion", &example("tender.toml"), &example("responses.toml"), &"--json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let outcome = |b: usize| v["bids"][b]["outcome"].as_str().unwrap().to_string();
    assert_eq!([outcome(0), outcome(1), outcome(2), outcome(3)], ["may-replace", "no-exclusion", "exclude", "no-exclusion"]);
    let ardmore = &v["bids"][2]["decisions"][0];
    assert_eq!(ardmore["ground"], "corruption");
    assert_eq!(
        ardmore["self_cleansing_shortfall"][0],
        "taken concrete technical, organisational and personnel measures to prevent further offences or misconduct"
    );
    let northgate = &v["bids"][1]["decisions"][0];
    assert!(
        northgate["reason"]
            .as_str()
            .unwrap()
            .contains("1 July 2021 to 30 June 2026 (reg 58(11)); on 10 December 2026 it no longer applies"),
        "{northgate:#}"
    );
    assert_eq!(v["determination_date"], "2026-12-10");
}

#[test]
fn templates_can_be_the_buyers_own() {
    let dir = temp();
    std::fs::create_dir_all(dir.path().join("spd")).unwrap();
    std::fs::write(dir.path().join("spd/turnover.hbs"), "Our wording: at least {{money minimum}} a year.\n").unwrap();
    let run = tenderkit(&[&"spd", &example("tender.toml"), &"--templates", &dir.path()]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("Our wording: at least £6,000,000.00 a year.") && run.stdout.contains("SPD 4B.5 Insurance"));
    std::fs::write(dir.path().join("spd/turnover.hbs"), "{{money minimum}} over {{period}}\n").unwrap();
    let run = tenderkit(&[&"spd", &example("tender.toml"), &"--templates", &dir.path()]);
    // A template's problem: exit 1, as the README's exit codes say.
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("spd/turnover: line 1") && run.stderr.contains("the field 'period' has no data"), "{}", run.stderr);
}

/// The example tender under the Procurement Act 2023.
fn act_tender(dir: &std::path::Path) -> std::path::PathBuf {
    let text =
        std::fs::read_to_string(example("tender.toml")).unwrap().replace("regime = \"scotland-2015\"", "regime = \"procurement-act-2023\"");
    let path = dir.join("tender-act.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_procurement_acts_tender_notice() {
    let dir = temp();
    let run = tenderkit(&[&"notice", &act_tender(dir.path())]);
    assert_eq!(run.code, 0, "{}", run.all());
    golden("tender-notice-act.txt", &run.stdout);
    for line in [
        "TENDER NOTICE TEXT:",
        "as a competitive flexible procedure (section 20(2)(b))",
        "The contract will be awarded to the most advantageous tender",
        "corporate manslaughter or corporate homicide",
        // Issue 26 items 4-6: national security is discretionary, tax offences and misconduct
        // mandatory, and blacklisting is not one of the Act's grounds.
        "or it is on the debarment list for one: a threat to the national security of the United Kingdom;",
        "a tax offence (cheating the public revenue",
        "misconduct in relation to tax",
        "A mandatory ground disregards any event before the five years ending with the day the decision is made (Schedule 6, paragraph 44)",
    ] {
        assert!(run.stdout.contains(line), "'{line}' in:\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("blacklisting"), "{}", run.stdout);
    assert!(!run.stdout.contains("Single Procurement Document"), "the Scottish exclusion text is not used");
}

#[test]
fn the_contract_award_notice_under_each_regime() {
    let dir = temp();
    let m = example("moderated.xlsx");
    let run = tenderkit(&[&"notice", &act_tender(dir.path()), &"--award", &"--matrix", &m, &"--sent", &"2026-12-21"]);
    assert_eq!(run.code, 0, "{}", run.all());
    golden("award-notice-act.txt", &run.stdout);
    for line in [
        "Forth Valley Commercial Vehicles LLP, 1 Bandeath Way, Stirling FK7 7XY (identifier SO305512)",
        "Value: £5,100,000.00",
        "price 50%, quality 50%",
        "1.1 Payload and range on the council's collection rounds (30%)",
        // The mandatory period (s.51(2)), and the council's longer one the notice provides for.
        "ends at midnight at the end of 5 January 2027 (section 51(2))",
        "This notice provides for a longer standstill period (section 51(1)(b)), ending at midnight at the end of 7 January 2027",
    ] {
        assert!(run.stdout.contains(line), "'{line}' in:\n{}", run.stdout);
    }
    let run = tenderkit(&[&"notice", &example("tender.toml"), &"--award", &"--matrix", &m, &"--sent", &"2026-12-18"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stdout.contains("the standstill period (regulation 86) ended at midnight at the end of 29 December 2026"),
        "{}",
        run.stdout
    );
    // An award notice needs the scored matrix.
    let run = tenderkit(&[&"notice", &example("tender.toml"), &"--award"]);
    assert_eq!(run.code, 2, "{}", run.all());
}
