//! `tenderkit report`: the evaluation report the award is approved on. Its figures are `score`'s
//! and `sensitivity`'s; it is refused while anything it must state is missing; the Word document
//! carries the ranking chart as a picture and opens in LibreOffice.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;
use tenderkit::xlsx::layout::LayoutFile;
use tenderkit::xlsx::matrix::read_matrix;
use tenderkit::xlsx::moderation::{read_moderation, read_panel};
use tenderkit::xlsx::{CellEdit, CellRef, Edits, Workbook};

const DATES: [&str; 4] = ["--date", "2026-12-11", "--sent", "2026-12-14"];

fn report(matrix: &Path, extra: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    let (tender, responses) = (example("tender.toml"), example("responses.toml"));
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"report", &"--tender", &tender, &"--matrix", &matrix, &"--responses", &responses];
    for d in &DATES {
        args.push(d);
    }
    args.extend_from_slice(extra);
    tenderkit(&args)
}

fn data(matrix: &Path, extra: &[&dyn AsRef<std::ffi::OsStr>]) -> Value {
    let mut args = vec![&"--data" as &dyn AsRef<std::ffi::OsStr>];
    args.extend_from_slice(extra);
    let run = report(matrix, &args);
    assert_eq!(run.code, 0, "{}", run.all());
    serde_json::from_str(&run.stdout).unwrap()
}

/// A copy of the moderated example with `edit` applied.
fn moderated_with(dir: &Path, edit: impl Fn(&Workbook, &mut Edits)) -> PathBuf {
    let wb = Workbook::open(&example("moderated.xlsx")).unwrap();
    let mut edits = Edits::default();
    edit(&wb, &mut edits);
    let out = dir.join("moderated.xlsx");
    wb.write(&edits, &out).unwrap();
    out
}

#[test]
fn every_figure_is_the_one_score_and_sensitivity_give() {
    let matrix = example("moderated.xlsx");
    let d = data(&matrix, &[]);
    let score = tenderkit(&[&"score", &matrix, &"--json"]);
    let scored: Value = serde_json::from_str(&score.stdout).unwrap();
    let standings = scored["ranking"]["standings"].as_array().unwrap();
    let ranked = d["ranking"].as_array().unwrap();
    assert_eq!(ranked.len(), standings.len());
    for (r, s) in ranked.iter().zip(standings) {
        assert_eq!(r["bidder"], s["bidder"]);
        for (ours, theirs) in [("total", "total"), ("quality", "quality"), ("quality_weighted", "quality_weighted"), ("price_score", "price_score")] {
            // As the workbook's 0.00 cells show it (76.125 is 76.13, not Rust's 76.12).
            let two = tenderkit::domain::figure::fixed(s[theirs].as_f64().unwrap(), 2);
            assert_eq!(r[ours].as_str().unwrap(), two, "{ours} of {}", r["bidder"]);
        }
    }
    assert_eq!(d["winner"], standings[0]["bidder"]);
    assert_eq!(d["failed"][0]["bidder"], scored["ranking"]["failed"][0]["bidder"]);
    // The robustness section is the sensitivity report, line for line.
    let sensitivity = tenderkit(&[&"sensitivity", &matrix]);
    let lines: Vec<&str> = sensitivity.stdout.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let ours: Vec<&str> = d["robustness"].as_array().unwrap().iter().map(|l| l["text"].as_str().unwrap()).collect();
    assert_eq!(ours, lines);
    // The moderation record: every evaluator's own score and the agreed one, with the reason for
    // the discussed spread (criterion 1.1, Ardmore: 2, 0, 2, agreed 2).
    let row = d["moderation"].as_array().unwrap().iter().find(|r| r["criterion"] == "1.1" && r["bidder"] == "Ardmore Municipal Engineering Ltd").unwrap();
    assert_eq!(row["scores"], serde_json::json!(["2", "0", "2"]));
    assert_eq!((row["spread"].as_str(), row["discussed"].as_bool(), row["agreed"].as_str()), (Some("2"), Some(true), Some("2")));
    assert!(row["reason"].as_str().unwrap().contains("Tariq's 0 discussed"));
    assert_eq!(d["evaluators"], serde_json::json!(["Morag Campbell", "Tariq Hussain", "Eilidh Fraser"]));
    // Scotland 2015, notices sent electronically on Monday 14 December 2026: ten days, ending on
    // Thursday 24 December (a working day); the council's own closure days are stated apart.
    assert_eq!((d["standstill"]["ends"].as_str(), d["standstill"]["contract_from"].as_str()), (Some("2026-12-24"), Some("2026-12-25")));
    assert!(d["standstill_words"].as_str().unwrap().contains("Our own choice, not the law's"));
    assert!(d["recommendation"].as_str().unwrap().contains("Forth Valley Commercial Vehicles LLP"));
    assert_eq!(d["exclusions_decided_on"], "10 December 2026");
}

#[test]
fn the_document_carries_the_chart_as_a_picture_and_opens_in_libreoffice() {
    let dir = temp();
    let out = dir.path().join("report.docx");
    let run = report(&example("moderated.xlsx"), &[&"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    let png = zip_part(&out, "word/media/image1.png");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 2000, "a PNG picture");
    let xml = zip_text(&out, "word/document.xml");
    assert!(xml.contains("r:embed=\"rIdImage1\"") && xml.contains("descr=\"Total score out of 100, quality part and price part: 1 Forth Valley"));
    assert!(zip_text(&out, "word/_rels/document.xml.rels").contains("Target=\"media/image1.png\""));
    assert!(zip_text(&out, "[Content_Types].xml").contains("Extension=\"png\""));
    let text = paragraphs(&xml);
    for heading in ["1. The requirement and the procedure", "4. Moderation", "7. The ranking", "8. How robust the decision is", "11. Approval"] {
        assert!(text.contains(heading), "{heading} missing");
    }
    libreoffice_pdf(&out, dir.path());
}

#[test]
fn a_discussed_spread_agreed_without_a_reason_is_refused_with_its_cell() {
    let dir = temp();
    let matrix = moderated_with(dir.path(), |wb, e| {
        let read = read_matrix(wb, &LayoutFile::default()).unwrap();
        let panel = read_panel(wb).unwrap().unwrap();
        let layout = read_moderation(wb, &read, &panel).unwrap().layout;
        let ardmore = read.matrix.bids.iter().position(|b| b.bidder.starts_with("Ardmore")).unwrap();
        e.set("Moderation", CellRef::new(layout.row(0, ardmore), layout.note_col), CellEdit::Clear);
    });
    let out = dir.path().join("report.docx");
    let run = report(&matrix, &[&"-o", &out]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stderr.contains("Moderation!L8: Ardmore Municipal Engineering Ltd, criterion 1.1: the evaluators' scores were far enough apart to be discussed"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no report written") && !out.exists());
}

#[test]
fn an_abnormally_low_price_needs_how_it_was_handled() {
    let dir = temp();
    // The commercial evaluators agree Northgate's acquisition cost at £1,000,000: its whole-life
    // cost falls far below the mean of the others.
    let matrix = moderated_with(dir.path(), |wb, e| {
        let read = read_matrix(wb, &LayoutFile::default()).unwrap();
        let panel = read_panel(wb).unwrap().unwrap();
        let layout = read_moderation(wb, &read, &panel).unwrap().layout;
        let northgate = read.matrix.bids.iter().position(|b| b.bidder.starts_with("Northgate")).unwrap();
        e.set("Price check", CellRef::new(layout.cost_row(northgate, 0), layout.agreed_cost_col), CellEdit::Number(1_000_000.0));
    });
    let out = dir.path().join("report.docx");
    let run = report(&matrix, &[&"-o", &out]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("Northgate EV Vehicles plc's price is abnormally low") && run.stderr.contains("[[abnormally_low]]"), "{}", run.stderr);
    assert!(!out.exists());
    // Recorded as accepted: the report states it, with the test and the regulation.
    let responses = dir.path().join("responses.toml");
    let text = std::fs::read_to_string(example("responses.toml")).unwrap();
    std::fs::write(
        &responses,
        format!("{text}\n[[abnormally_low]]\nbidder = \"Northgate EV Vehicles plc\"\nassessed = 2026-12-09\ndecision = \"accepted\"\nreason = \"The chassis are bought under a manufacturer's framework discount, evidenced by its letter of 3 December.\"\n"),
    )
    .unwrap();
    let run = tenderkit(&[&"report", &"--tender", &example("tender.toml"), &"--matrix", &matrix, &"--responses", &responses, &"--date", &"2026-12-11", &"--data"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let d: Value = serde_json::from_str(&run.stdout).unwrap();
    let row = d["prices"].as_array().unwrap().iter().find(|p| p["bidder"] == "Northgate EV Vehicles plc").unwrap();
    assert_eq!(row["abnormally_low"], true);
    let handling = row["handling"].as_str().unwrap();
    assert!(handling.contains("regulation 69(1)") && handling.contains("9 December 2026, accepted: The chassis"), "{handling}");
    // Rejected, yet still ranked: refused.
    std::fs::write(&responses, std::fs::read_to_string(&responses).unwrap().replace("\"accepted\"", "\"rejected\"")).unwrap();
    let run = tenderkit(&[&"report", &"--tender", &example("tender.toml"), &"--matrix", &matrix, &"--responses", &responses, &"--data"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("rejected as abnormally low, but it is still in the evaluation"), "{}", run.stderr);
}

#[test]
fn a_matrix_without_the_panel_s_declarations_is_refused() {
    let run = report(&example("matrix.xlsx"), &[&"--data"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("no panel and no declarations") && run.stderr.contains("no report written"), "{}", run.stderr);
}

#[test]
fn a_buyer_s_own_template_is_filled_from_the_same_data() {
    use tenderkit::docx::write::{Document, Paragraph, Run as TextRun};
    let dir = temp();
    let template = dir.path().join("our-report.docx");
    let doc = Document::default()
        .paragraph(Paragraph::new().run(TextRun::new("{{reference}}: we recommend {{winner}}.")))
        .paragraph(Paragraph::new().run(TextRun::new("{{#each ranking}}{{rank}}. {{bidder}} {{total}}; {{/each}}")));
    std::fs::write(&template, doc.to_bytes()).unwrap();
    let out = dir.path().join("filled.docx");
    let run = report(&example("moderated.xlsx"), &[&"--template", &template, &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    let text = paragraphs(&zip_text(&out, "word/document.xml"));
    assert!(text.contains("FLT-2026-031: we recommend Forth Valley Commercial Vehicles LLP."), "{text}");
    assert!(text.contains("1. Forth Valley Commercial Vehicles LLP 92.38; 2. Northgate EV Vehicles plc 88.06;"), "{text}");
    // A field the report has no data for is refused before anything is written.
    let wrong = Document::default().paragraph(Paragraph::new().run(TextRun::new("{{recommended_supplier}}")));
    std::fs::write(&template, wrong.to_bytes()).unwrap();
    let out = dir.path().join("wrong.docx");
    let run = report(&example("moderated.xlsx"), &[&"--template", &template, &"-o", &out]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("recommended_supplier") && !out.exists(), "{}", run.stderr);
}

#[test]
fn exclusion_decisions_are_stated_against_the_bid_they_belong_to() {
    let dir = temp();
    let text = std::fs::read_to_string(example("responses.toml")).unwrap();
    // The same bidder written in other case and spacing: its decision is still its bid's.
    let responses = dir.path().join("responses.toml");
    std::fs::write(&responses, text.replace("name = \"Ardmore Municipal Engineering Ltd\"", "name = \"ARDMORE  Municipal Engineering LTD\"")).unwrap();
    let run = tenderkit(&[&"report", &"--tender", &example("tender.toml"), &"--matrix", &example("moderated.xlsx"), &"--responses", &responses, &"--data"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let d: Value = serde_json::from_str(&run.stdout).unwrap();
    let ardmore = d["exclusions"].as_array().unwrap().iter().find(|r| r["bidder"] == "Ardmore Municipal Engineering Ltd").unwrap();
    assert_eq!(ardmore["outcome"], "exclude the bid");
    assert!(ardmore["grounds"].as_str().unwrap().contains("corruption (reg 58(1)(b))"), "{ardmore}");
    // A name that is no bid's: refused, naming the bids, rather than reported as no grounds.
    std::fs::write(&responses, text.replace("name = \"Ardmore Municipal Engineering Ltd\"", "name = \"Ardmore Engineering\"")).unwrap();
    let run = tenderkit(&[&"report", &"--tender", &example("tender.toml"), &"--matrix", &example("moderated.xlsx"), &"--responses", &responses, &"--data"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("'Ardmore Engineering' is not a bidder in the matrix (Caledonian Fleet Solutions Ltd,"), "{}", run.stderr);
}
