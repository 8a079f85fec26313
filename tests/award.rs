//! The award stage under both regimes: the Scottish standstill letter and the Procurement Act
//! 2023's assessment summaries, as golden files, in Word, and converted to PDF by LibreOffice.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// The example tender under the Procurement Act 2023.
fn act_tender(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(example("tender.toml")).unwrap();
    assert!(text.contains("regime = \"scotland-2015\""));
    let path = dir.join("tender-act.toml");
    std::fs::write(&path, text.replace("regime = \"scotland-2015\"", "regime = \"procurement-act-2023\"")).unwrap();
    path
}

fn award_letters(kind: &str, tender: &Path, out: &Path, extra: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    let (matrix, responses, opening) = (example("moderated.xlsx"), example("responses.toml"), example("opening.toml"));
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![
        &"letters",
        &kind,
        &"--tender",
        &tender,
        &"--matrix",
        &matrix,
        &"--responses",
        &responses,
        &"--opening",
        &opening,
        &"--date",
        &"2026-12-18",
        &"-o",
        &out,
    ];
    args.extend_from_slice(extra);
    tenderkit(&args)
}

/// The text of a Word document's body, one paragraph (or table cell) per line.
fn docx_text(path: &Path) -> String {
    paragraphs(&zip_text(path, "word/document.xml"))
}

/// The PDF's text, where poppler's pdftotext is installed (CI installs it).
fn pdf_text(pdf: &Path) -> Option<String> {
    let out = std::process::Command::new("pdftotext").arg(pdf).arg("-").output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into())
}

fn converts(doc: &Path, dir: &Path, must_say: &[&str]) {
    let Some(pdf) = libreoffice_pdf(doc, dir) else { return };
    match pdf_text(&pdf) {
        Some(text) => {
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for s in must_say {
                assert!(flat.contains(s), "'{s}' in the PDF of {}:\n{flat}", doc.display());
            }
        }
        None if std::env::var_os("TENDERKIT_REQUIRE_SOFFICE").is_some() => panic!("pdftotext (poppler-utils) is required"),
        None => eprintln!("SKIPPED reading the PDF: pdftotext not found"),
    }
}

#[test]
fn the_scottish_standstill_letter() {
    let dir = temp();
    let run = award_letters("unsuccessful", &example("tender.toml"), dir.path(), &[&"--format", &"txt", &"--sent", &"2026-12-18"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let letter = std::fs::read_to_string(dir.path().join("unsuccessful-northgate-ev-vehicles-plc.txt")).unwrap();
    golden("letters/unsuccessful-scotland.txt", &letter);
    // What regulation 85 requires, each present: the criteria and weightings, the bid's scores,
    // the winner's name and scores, its relative advantages, and the standstill end.
    for needed in [
        "weighted 50:50, using the criteria and weightings published",
        "1.4 Manoeuvrability in narrow and rural streets (weighting 9%): your score 2 (Acceptable); the winning tender scored 4 (Excellent).",
        "The contract is to be awarded to Forth Valley Commercial Vehicles LLP",
        "The characteristics and relative advantages of the winning tender were:",
        "the standstill period ends at midnight at the end of 29 December 2026, so the contract may not be entered into before 30 December 2026.",
    ] {
        assert!(letter.contains(needed), "'{needed}' in:\n{letter}");
    }

    // The Word letter says the same and converts to PDF.
    let run = award_letters("unsuccessful", &example("tender.toml"), &dir.path().join("docx"), &[&"--sent", &"2026-12-18"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let doc = dir.path().join("docx/unsuccessful-northgate-ev-vehicles-plc.docx");
    golden("letters/unsuccessful-scotland.docx.txt", &docx_text(&doc));
    converts(&doc, dir.path(), &["ends at midnight at the end of 29 December 2026", "Forth Valley Commercial Vehicles LLP"]);
}

#[test]
fn assessment_summaries_under_the_procurement_act() {
    let dir = temp();
    let tender = act_tender(dir.path());
    let out = dir.path().join("txt");
    let run = award_letters("assessment-summary", &tender, &out, &[&"--format", &"txt", &"--sent", &"2026-12-21"]);
    assert_eq!(run.code, 0, "{}", run.all());
    // Every assessed tender gets one: the three that were scored and not put out at opening or
    // for an exclusion ground (Ardmore was: not signed, and a corruption conviction).
    let mut files: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    files.sort();
    assert_eq!(
        files,
        [
            "assessment-summary-caledonian-fleet-solutions-ltd.txt",
            "assessment-summary-forth-valley-commercial-vehicles-llp.txt",
            "assessment-summary-index.csv",
            "assessment-summary-northgate-ev-vehicles-plc.txt",
        ]
    );
    let unsuccessful = std::fs::read_to_string(out.join("assessment-summary-northgate-ev-vehicles-plc.txt")).unwrap();
    golden("letters/assessment-summary-unsuccessful.txt", &unsuccessful);
    let successful = std::fs::read_to_string(out.join("assessment-summary-forth-valley-commercial-vehicles-llp.txt")).unwrap();
    golden("letters/assessment-summary-successful.txt", &successful);
    // Regulation 31: contact details and identifier, the criteria summary and where the full
    // version is, a score and explanation per criterion, the totals; and the successful
    // tender's for an unsuccessful supplier.
    for needed in [
        "Supplier: Northgate EV Vehicles plc, Unit 4, Northgate Business Park, Leeds LS10 1AB, bids@northgate-ev.example. Unique identifier: 04418927.",
        "set out in full, with the assessment methodology, in the Invitation to Tender, section 5",
        "(0 Unacceptable, 1 Poor, 2 Acceptable, 3 Good, 4 Excellent)",
        "1.1 Payload and range on the council's collection rounds: score 4 (Excellent), weighted 13.50.\n  Payload of 19.5t",
        "Total score: 88.06, ranked 2 of 3.",
        "Supplier: Forth Valley Commercial Vehicles LLP, 1 Bandeath Way, Stirling FK7 7XY, sales@forthvalley-cv.example. Unique identifier: SO305512.",
        "3.3 Community benefits: score 4 (Excellent), weighted 6.00.\n  Three apprenticeships",
        "Your total score of 88.06 was lower than the most advantageous tender's 92.38.",
        // The statutory end (s.51(2)), and the council's own longer period stated as its own
        // (s.51(1)(b)): its offices close on 24 and 31 December.
        "The mandatory standstill period of 8 working days (section 51(2)) then ends at midnight at the end of 5 January 2027, so the contract may not be entered into before 6 January 2027.",
        "Because our offices are closed on 24 December 2026 and 31 December 2026, the contract award notice will provide for a longer standstill period (section 51(1)(b)): we will not enter into the contract before 8 January 2027.",
        "as section 50(3) of the Procurement Act 2023 and regulation 31 of the Procurement Regulations 2024 require",
    ] {
        assert!(unsuccessful.contains(needed), "'{needed}' in:\n{unsuccessful}");
    }
    assert!(successful.contains("your tender has been assessed as the most advantageous tender"));
    assert!(!successful.contains("THE MOST ADVANTAGEOUS TENDER"), "the successful supplier's own summary only");

    // In Word, converted to PDF.
    let docs = dir.path().join("docx");
    let run = award_letters("assessment-summary", &tender, &docs, &[&"--sent", &"2026-12-21"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let doc = docs.join("assessment-summary-northgate-ev-vehicles-plc.docx");
    golden("letters/assessment-summary-unsuccessful.docx.txt", &docx_text(&doc));
    converts(&doc, dir.path(), &["Three apprenticeships, a local supplier day", "ends at midnight at the end of 5 January 2027"]);
    converts(&docs.join("assessment-summary-forth-valley-commercial-vehicles-llp.docx"), dir.path(), &["most advantageous tender"]);
}

#[test]
fn an_assessment_summary_that_lacks_anything_is_not_sent() {
    let dir = temp();
    let text = std::fs::read_to_string(act_tender(dir.path())).unwrap();
    let text = text.replacen("identifier = \"SO305512\"\n", "", 1);
    let tender = dir.path().join("lacking.toml");
    std::fs::write(&tender, text).unwrap();
    // The unmoderated matrix has no panel's reasons at all.
    let out = dir.path().join("out");
    let run = tenderkit(&[&"letters", &"assessment-summary", &"--tender", &tender, &"--matrix", &example("matrix.xlsx"), &"-o", &out]);
    assert_eq!(run.code, 1, "{}", run.all());
    for needed in [
        "error: Northgate EV Vehicles plc: no unique identifier for the successful supplier Forth Valley Commercial Vehicles LLP",
        "error: Northgate EV Vehicles plc: no explanation of Northgate EV Vehicles plc's score for criterion 1.1 Payload and range",
        "error: Northgate EV Vehicles plc: no explanation of the successful tender's (Forth Valley Commercial Vehicles LLP) score for criterion 3.3 Community benefits",
        "the letter must give all of these (regulation 31 of the Procurement Regulations 2024); no letters written",
    ] {
        assert!(run.stderr.contains(needed), "'{needed}' in:\n{}", run.stderr);
    }
    assert!(!out.exists(), "nothing written");
}

#[test]
fn each_regime_writes_its_own_award_letters() {
    let dir = temp();
    let run = award_letters("unsuccessful", &act_tender(dir.path()), &dir.path().join("a"), &[]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("use `letters assessment-summary`"), "{}", run.stderr);
    let run = award_letters("assessment-summary", &example("tender.toml"), &dir.path().join("b"), &[]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("use `letters unsuccessful`"), "{}", run.stderr);
    // The successful supplier's letter, under the Act, gives the Act's standstill dates.
    let run = award_letters("successful", &act_tender(dir.path()), &dir.path().join("c"), &[&"--format", &"txt", &"--sent", &"2026-11-06"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let letter = std::fs::read_to_string(dir.path().join("c/successful-forth-valley-commercial-vehicles-llp.txt")).unwrap();
    assert!(letter.contains("The standstill period ends at midnight at the end of 17 November 2026"), "{letter}");
}

#[test]
fn exclusion_under_the_procurement_act() {
    let dir = temp();
    let tender = act_tender(dir.path());
    let run = tenderkit(&[&"exclusion", &tender, &example("responses.toml")]);
    assert_eq!(run.code, 0, "{}", run.all());
    for needed in [
        "under the Procurement Act 2023",
        "Decided on 10 December 2026 (every period below is counted to that day)",
        "Debarment list checked on 7 December 2026",
        // Counted back from the decision (Sch 6 para 44(1)): the 2021 bribery conviction is ignored.
        "period: the 5-year period ending with the day of this decision: 11 December 2021 to 10 December 2026 (Sch 6 para 44(1)); measured against the conviction on 30 June 2021",
        "is before the 5-year period ending with the day of this decision: 11 December 2021 to 10 December 2026 (Sch 6 para 44(1)), so it must be ignored",
        // The recurrence test (s.57) and its consequence (s.26(1)).
        "so the circumstances are taken as continuing or likely to occur again (s.57): an excluded supplier (s.57(1)(a)); its tender must be disregarded (s.26(1))",
        // Grounds the Act does not have are said to be so, with what to consider instead.
        "which is not an exclusion ground under the Procurement Act 2023: Schedule 7 has no ground for a breach of tax obligations",
        "(not a ground under this law): no exclusion",
    ] {
        assert!(run.stdout.contains(needed), "'{needed}' in:\n{}", run.stdout);
    }
    // The same answers under the Scottish regulations.
    let run = tenderkit(&[&"exclusion", &example("tender.toml"), &example("responses.toml")]);
    assert_eq!(run.code, 0, "{}", run.all());
    for needed in [
        "under the Public Contracts (Scotland) Regulations 2015",
        "period: 5 years from the conviction on 30 June 2021, not counting that day (reg 2(4)(a)): 1 July 2021 to 30 June 2026 (reg 58(11)); measured against the conviction on 30 June 2021",
        "must not be excluded on this ground (reg 58(5)(a))",
        "so the period runs to 20 March 2028 (reg 2(4)(c))",
    ] {
        assert!(run.stdout.contains(needed), "'{needed}' in:\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("s.57"), "{}", run.stdout);
    // `--on` decides on another day: on 30 June 2026, the last day of regulation 58(11)'s five
    // years, the bribery conviction still excludes.
    let run = tenderkit(&[&"exclusion", &example("tender.toml"), &example("responses.toml"), &"--on", &"2026-06-30", &"--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["determination_date"], "2026-06-30");
    let northgate = json["bids"].as_array().unwrap().iter().find(|b| b["bidder"] == "Northgate EV Vehicles plc").unwrap();
    assert_eq!(northgate["outcome"], "exclude", "{northgate:#}");
    assert_eq!(northgate["decisions"][0]["period"]["to"], "2026-06-30", "{northgate:#}");

    // Not recorded as checked: the decision is incomplete, and no letter relies on it.
    let text = std::fs::read_to_string(example("responses.toml")).unwrap();
    let unchecked = dir.path().join("unchecked.toml");
    std::fs::write(&unchecked, text.replace("debarment_list_checked = 2026-12-07\n", "")).unwrap();
    let run = tenderkit(&[&"exclusion", &tender, &unchecked]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("the debarment list has not been recorded as checked (Procurement Act 2023, s.62)"), "{}", run.stderr);
    let run =
        tenderkit(&[&"letters", &"disqualification", &"--tender", &tender, &"--responses", &unchecked, &"-o", &dir.path().join("none")]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(!dir.path().join("none").exists());
    // A supplier on the list is excluded whatever its answers.
    let listed = text.replace(
        "name = \"Forth Valley Commercial Vehicles LLP\"",
        "name = \"Forth Valley Commercial Vehicles LLP\"\ndebarred = { ground = \"theft-or-dishonesty\", until = 2029-03-31 }",
    );
    let listed_path = dir.path().join("listed.toml");
    std::fs::write(&listed_path, listed).unwrap();
    let run = tenderkit(&[&"exclusion", &tender, &listed_path, &"--json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let forth = json["bids"].as_array().unwrap().iter().find(|b| b["bidder"] == "Forth Valley Commercial Vehicles LLP").unwrap();
    assert_eq!(forth["outcome"], "exclude", "{forth:#}");
    assert_eq!(json["debarment_list_checked"], "2026-12-07");
}

/// Issue 26 item 2 through the command: a discretionary ground under the Act needs the day the
/// buyer became aware of the event; without it the decision says what to supply, exits 1, and
/// nothing is written from it.
#[test]
fn a_discretionary_ground_under_the_act_needs_the_awareness_date() {
    let dir = temp();
    let tender = act_tender(dir.path());
    let text = std::fs::read_to_string(example("responses.toml")).unwrap();
    let declared = text.replace(
        "name = \"Forth Valley Commercial Vehicles LLP\"",
        "name = \"Forth Valley Commercial Vehicles LLP\"\n\n  [[bidders.declarations]]\n  ground = \"grave-professional-misconduct\"\n  date = 2019-03-29\n  details = \"A regulator's ruling on a falsified inspection record.\"",
    );
    let path = dir.path().join("declared.toml");
    std::fs::write(&path, &declared).unwrap();
    let run = tenderkit(&[&"exclusion", &tender, &path]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("give aware_since = YYYY-MM-DD"), "{}", run.stderr);
    let run = tenderkit(&[&"letters", &"disqualification", &"--tender", &tender, &"--responses", &path, &"-o", &dir.path().join("none")]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(!dir.path().join("none").exists());
    // Learned of on 27 February 2026: within the three years ending with the decision (Sch 7 para
    // 15(2)-(3)), though the ruling itself is older than three years.
    std::fs::write(&path, declared.replace("date = 2019-03-29\n", "date = 2019-03-29\n  aware_since = 2026-02-27\n")).unwrap();
    let run = tenderkit(&[&"exclusion", &tender, &path]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stdout.contains("period: the 3-year period ending with the day of this decision: 11 December 2023 to 10 December 2026 (Sch 7 para 15(2)-(3)); measured against your awareness of the event on 27 February 2026"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("an excludable supplier (s.57(2)(a))"), "{}", run.stdout);
}

/// Issue 26 item 11: a Scottish award letter is the notice itself, so with --sent and no --date it
/// is dated the day it is sent, and a different --date is refused.
#[test]
fn a_scottish_award_letter_is_dated_the_day_it_is_sent() {
    let dir = temp();
    let out = dir.path().join("a");
    let run = tenderkit(&[
        &"letters",
        &"unsuccessful",
        &"--tender",
        &example("tender.toml"),
        &"--matrix",
        &example("moderated.xlsx"),
        &"--sent",
        &"2026-12-18",
        &"--format",
        &"txt",
        &"-o",
        &out,
    ]);
    assert_eq!(run.code, 0, "{}", run.all());
    let letter = std::fs::read_to_string(out.join("unsuccessful-northgate-ev-vehicles-plc.txt")).unwrap();
    assert!(letter.starts_with("Kelvinside Council\n18 December 2026\n"), "{letter}");
    assert!(letter.contains("the notice of our decision to award the contract, sent on 18 December 2026"), "{letter}");
    let run = award_letters("unsuccessful", &example("tender.toml"), &dir.path().join("b"), &[&"--sent", &"2026-12-21"]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("--date 2026-12-18 and --sent 2026-12-21 differ"), "{}", run.stderr);
    // An assessment summary comes before the contract award notice (s.50(3)).
    let run = award_letters("assessment-summary", &act_tender(dir.path()), &dir.path().join("c"), &[&"--sent", &"2026-12-17"]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("assessment summaries are provided before the contract award notice is published (s.50(3))"),
        "{}",
        run.stderr
    );
}

/// Issue 26 item 13 (reg 85(2)(d)(ii)): the standstill letter gives the winning tender's
/// characteristics and relative advantages from the panel's reasons, and is refused where the
/// panel recorded none for a criterion on which the winner scored higher.
#[test]
fn the_standstill_letter_gives_the_winners_relative_advantages_or_is_not_sent() {
    let dir = temp();
    let out = dir.path().join("a");
    let run = award_letters("unsuccessful", &example("tender.toml"), &out, &[&"--format", &"txt", &"--sent", &"2026-12-18"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let letter = std::fs::read_to_string(out.join("unsuccessful-northgate-ev-vehicles-plc.txt")).unwrap();
    assert!(
        letter.contains("  - 1.4 Manoeuvrability in narrow and rural streets (weighting 9%): the winning tender scored 4 (Excellent) against your 2 (Acceptable). Rear-steer and narrow-track variants, both demonstrated."),
        "{letter}"
    );
    // The unmoderated matrix records no reasons: refused, naming the criteria.
    let run = tenderkit(&[
        &"letters",
        &"unsuccessful",
        &"--tender",
        &example("tender.toml"),
        &"--matrix",
        &example("matrix.xlsx"),
        &"--sent",
        &"2026-12-18",
        &"-o",
        &dir.path().join("b"),
    ]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("no reasons recorded for the winning tender's score on criterion 1.2"), "{}", run.stderr);
    assert!(run.stderr.contains("regulation 85(2) of the Public Contracts (Scotland) Regulations 2015"), "{}", run.stderr);
    assert!(!dir.path().join("b").exists());
    // Below the thresholds the notice gives the winner's name, the criteria and both scorings
    // (Procurement Reform (Scotland) Act 2014 s.32(5)); the advantages are owed on request (s.33),
    // so the same matrix's letters are written.
    let below = dir.path().join("below.toml");
    let text = std::fs::read_to_string(example("tender.toml")).unwrap();
    assert!(text.contains("above_threshold = true"), "the example is above the thresholds");
    std::fs::write(&below, text.replacen("above_threshold = true", "above_threshold = false", 1)).unwrap();
    // A template of the notice's own contents (the bundled one also shows the panel's reasons
    // to the bidder, which this matrix has none of).
    let template = dir.path().join("unsuccessful.hbs");
    std::fs::write(
        &template,
        "Dear {{bidder}}, the contract is awarded to {{winner.name}} (total {{winner.total}}); your total was {{total}}.\n{{#each scores}}{{reference}}: {{score}} against {{winner_score}}\n{{/each}}",
    )
    .unwrap();
    let run = tenderkit(&[
        &"letters",
        &"unsuccessful",
        &"--template",
        &template,
        &"--tender",
        &below,
        &"--matrix",
        &example("matrix.xlsx"),
        &"--sent",
        &"2026-12-18",
        &"--format",
        &"txt",
        &"-o",
        &dir.path().join("c"),
    ]);
    assert_eq!(run.code, 0, "{}", run.all());
    let letter = std::fs::read_to_string(dir.path().join("c/unsuccessful-northgate-ev-vehicles-plc.txt")).unwrap();
    assert!(letter.contains("Forth Valley Commercial Vehicles LLP"), "{letter}");
}

/// Issue 26 item 14: a devolved Welsh authority's assessment summaries cite the Procurement (Wales)
/// Regulations 2024, reg 32; the flag is refused on a Scottish tender.
#[test]
fn a_welsh_authoritys_assessment_summary_cites_the_welsh_regulations() {
    let dir = temp();
    let text = std::fs::read_to_string(act_tender(dir.path())).unwrap();
    let welsh = dir.path().join("welsh.toml");
    std::fs::write(
        &welsh,
        text.replacen("regime = \"procurement-act-2023\"", "regime = \"procurement-act-2023\"\ndevolved_welsh_authority = true", 1),
    )
    .unwrap();
    let out = dir.path().join("w");
    let run = award_letters("assessment-summary", &welsh, &out, &[&"--format", &"txt", &"--sent", &"2026-12-21"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let letter = std::fs::read_to_string(out.join("assessment-summary-northgate-ev-vehicles-plc.txt")).unwrap();
    assert!(letter.contains("regulation 32 of the Procurement (Wales) Regulations 2024"), "{letter}");
    let scottish = dir.path().join("scottish.toml");
    let text = std::fs::read_to_string(example("tender.toml")).unwrap();
    std::fs::write(
        &scottish,
        text.replacen("regime = \"scotland-2015\"", "regime = \"scotland-2015\"\ndevolved_welsh_authority = true", 1),
    )
    .unwrap();
    let run = tenderkit(&[&"check", &scottish]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stdout.contains("regime-mismatch") || run.stderr.contains("regime-mismatch"), "{}", run.all());
}
