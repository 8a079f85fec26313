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
        "The relative advantages of the winning tender were:",
        "the standstill period ends at midnight at the end of 29 December 2026, and we will not enter into the contract before 30 December 2026",
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
        "ends at midnight at the end of 7 January 2027",
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
    converts(&doc, dir.path(), &["Three apprenticeships, a local supplier day", "ends at midnight at the end of 7 January 2027"]);
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
        "no assessment summaries written",
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
        "Debarment list checked on 7 December 2026",
        // Five years for every ground, and the Act's test of recurrence.
        "(event on 18 March 2025, within 5 years of the tender date) is a discretionary exclusion ground",
        "so the circumstances are taken as continuing or likely to occur again (s.57)",
        "an excluded supplier (s.57(1))",
        "so the circumstances are not continuing (s.57)",
    ] {
        assert!(run.stdout.contains(needed), "'{needed}' in:\n{}", run.stdout);
    }
    // The same answers under the Scottish regulations: three years for other grounds.
    let run = tenderkit(&[&"exclusion", &example("tender.toml"), &example("responses.toml")]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("within 3 years of the tender date"), "{}", run.stdout);
    assert!(!run.stdout.contains("s.57"), "{}", run.stdout);

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
