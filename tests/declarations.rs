//! The panel's declarations of interests (PCSR 2015 reg 24; Procurement Act 2023 ss.81-82): a
//! return counts only once its declaration is complete, and an evaluator's scores never count for
//! a bidder they declared a conflict with; the panel's rules are checked again without them.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;
use tenderkit::domain::{Matrix, name_key};
use tenderkit::xlsx::layout::LayoutFile;
use tenderkit::xlsx::matrix::read_matrix;
use tenderkit::xlsx::moderation::read_moderation;
use tenderkit::xlsx::declaration::declaration_edits;
use tenderkit::xlsx::returns::read_return;
use tenderkit::xlsx::{CellEdit, CellRef, Edits, Workbook};

/// The example returns, copied to `dir` so they can be changed.
fn returns_in(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(example("returns")).unwrap() {
        let from = e.unwrap().path();
        let to = dir.join(from.file_name().unwrap());
        std::fs::copy(&from, &to).unwrap();
        out.push(to);
    }
    out.sort();
    out
}

fn write(path: &Path, edits: &Edits) {
    let wb = Workbook::open(path).unwrap();
    let tmp = path.with_extension("edit.xlsx");
    wb.write(edits, &tmp).unwrap();
    std::fs::rename(tmp, path).unwrap();
}

fn collect(files: &[PathBuf], out: &Path) -> (i32, Value) {
    let matrix = example("matrix.xlsx");
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"returns", &"collect", &matrix];
    for f in files {
        args.push(f);
    }
    let panel = example("panel.toml");
    args.extend([&"--evaluators" as &dyn AsRef<std::ffi::OsStr>, &panel, &"--json", &"-o", &out, &"--force"]);
    let run = tenderkit(&args);
    (run.code, serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.all())))
}

fn findings<'a>(v: &'a Value, rule: &str) -> Vec<&'a Value> {
    v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).collect()
}

fn matrix() -> Matrix {
    read_matrix(&Workbook::open(&example("matrix.xlsx")).unwrap(), &LayoutFile::default()).unwrap().matrix
}

/// An evaluator's own score in their return, read from its cells.
fn returned(path: &Path, criterion: &str, bidder: &str) -> f64 {
    let (r, _) = read_return(path).unwrap();
    let s = r.scores.iter().find(|s| s.criterion == criterion && name_key(&s.bidder).starts_with(&name_key(bidder))).unwrap();
    s.score.number().unwrap()
}

#[test]
fn a_return_whose_declaration_is_not_complete_is_not_counted() {
    let dir = temp();
    let files = returns_in(dir.path());
    let morag = files.iter().find(|f| f.to_string_lossy().contains("morag")).unwrap().clone();
    // Morag leaves Northgate's Yes/No and the date empty.
    let wb = Workbook::open(&morag).unwrap();
    let (d, layout) = tenderkit::xlsx::declaration::read_declaration(&wb).unwrap();
    let northgate = d.answers.iter().position(|a| a.bidder.starts_with("Northgate")).unwrap();
    let mut edits = Edits::default();
    edits.set(&layout.sheet, layout.answers[northgate].0, CellEdit::Clear);
    edits.set(&layout.sheet, layout.date.unwrap(), CellEdit::Clear);
    write(&morag, &edits);
    let out = dir.path().join("moderated.xlsx");
    let (code, v) = collect(&files, &out);
    assert_eq!(code, 1, "{v}");
    let refused = findings(&v, "declaration-incomplete");
    assert_eq!(refused.len(), 1, "{v}");
    let message = refused[0]["message"].as_str().unwrap();
    let yes_no = format!("Declaration!{}", layout.answers[northgate].0);
    let date = format!("Declaration!{}", layout.date.unwrap());
    assert!(message.contains(&yes_no) && message.contains(&date), "the cells to fill are named: {message}");
    assert_eq!(v["collected"], 4, "{v}");
    // None of Morag's scores is in the moderation: she is still to return.
    let wb = Workbook::open(&out).unwrap();
    let read = read_matrix(&wb, &LayoutFile::default()).unwrap();
    let panel = tenderkit::xlsx::moderation::read_panel(&wb).unwrap().unwrap();
    let md = read_moderation(&wb, &read, &panel).unwrap().moderation;
    let e = panel.evaluators.iter().position(|x| x.name == "Morag Campbell").unwrap();
    assert!(md.sources[e].is_none());
    assert!(md.marks.iter().flatten().all(|per_bid| per_bid[e].is_none()));
    assert!(findings(&v, "return-outstanding").iter().any(|f| f["message"].as_str().unwrap().contains("Morag")), "{v}");
    // No record of conflicts while a panel member's declaration is missing.
    let record = dir.path().join("conflicts.docx");
    let run = tenderkit(&[&"conflicts", &"--tender", &example("tender.toml"), &"--matrix", &out, &"-o", &record]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("no declaration of interests from Morag Campbell yet"), "{}", run.all());
    assert!(!record.exists());
}

#[test]
fn a_declared_conflict_leaves_out_that_evaluators_scores_for_that_bidder_only() {
    let dir = temp();
    let files = returns_in(dir.path());
    let by = |who: &str| files.iter().find(|f| f.to_string_lossy().contains(who)).unwrap().clone();
    let morag = by("morag");
    let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
    let edits = declaration_edits(
        &Workbook::open(&morag).unwrap(),
        "Morag Campbell",
        on,
        &[("Northgate EV Vehicles plc", "my partner works in its bid team")],
    )
    .unwrap();
    write(&morag, &edits);
    let out = dir.path().join("moderated.xlsx");
    let (code, v) = collect(&files, &out);
    assert_eq!(v["collected"], 5, "{v}");
    let m = matrix();
    let northgate = m.bids.iter().position(|b| b.bidder.starts_with("Northgate")).unwrap();
    let caledonian = m.bids.iter().position(|b| b.bidder.starts_with("Caledonian")).unwrap();
    // Flagged on the Moderation sheet, for every criterion Morag scores, Northgate only.
    let flagged = findings(&v, "conflict-declared");
    assert_eq!(flagged.len(), m.criterion_count(), "{v}");
    assert!(flagged.iter().all(|f| f["place"].as_str().unwrap().starts_with("Moderation!")), "{v}");
    assert!(flagged.iter().all(|f| f["message"].as_str().unwrap().contains("Northgate")), "{v}");
    // Criteria 3.x have two evaluators, Morag and Tariq: without Morag, Northgate's have one.
    let short = findings(&v, "panel-too-small");
    assert_eq!(short.len(), 3, "{v}");
    assert!(short.iter().all(|f| {
        let msg = f["message"].as_str().unwrap();
        msg.contains("Northgate") && msg.contains("criterion 3.") && msg.contains("1 evaluator without a declared conflict")
    }));
    assert_eq!(code, 1);

    // The moderated means, by hand from the returns' own cells.
    let wb = Workbook::open(&out).unwrap();
    let read = read_matrix(&wb, &LayoutFile::default()).unwrap();
    let panel = tenderkit::xlsx::moderation::read_panel(&wb).unwrap().unwrap();
    let md = read_moderation(&wb, &read, &panel).unwrap().moderation;
    let (tariq, eilidh) = (by("tariq"), by("eilidh"));
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let c = 0; // 1.1
    let hand = mean(&[returned(&tariq, "1.1", "Northgate"), returned(&eilidh, "1.1", "Northgate")]);
    assert!((md.mean(c, northgate, &m.scale).unwrap() - hand).abs() < 1e-12, "Northgate 1.1 without Morag");
    let hand = mean(&[
        returned(&morag, "1.1", "Caledonian"),
        returned(&tariq, "1.1", "Caledonian"),
        returned(&eilidh, "1.1", "Caledonian"),
    ]);
    assert!((md.mean(c, caledonian, &m.scale).unwrap() - hand).abs() < 1e-12, "Caledonian 1.1 with Morag");
    // The declaration is recorded on the Panel sheet, and read back as it was made.
    let e = panel.evaluators.iter().position(|x| x.name == "Morag Campbell").unwrap();
    let d = md.declarations[e].as_ref().unwrap();
    assert_eq!((d.name.as_str(), d.date), ("Morag Campbell", Some(on)));
    assert_eq!(d.conflicts, [(northgate, "my partner works in its bid team".to_string())]);
    let sheet = wb.sheet("Panel").unwrap();
    let row = (1..=sheet.last_row()).find(|&r| sheet.text(CellRef::new(r, 3)) == "my partner works in its bid team").unwrap();
    assert_eq!(sheet.text(CellRef::new(row, 1)), "Morag Campbell");
    assert_eq!(sheet.text(CellRef::new(row, 2)), "Northgate EV Vehicles plc");
    assert!(md.declarations.iter().all(Option::is_some), "every collected return's declaration is kept");

    // The conflict-of-interest record (Scotland) from the moderated matrix: the conflict, the
    // step taken, and what the panel still lacks for Northgate.
    let record = dir.path().join("conflicts.docx");
    let run = tenderkit(&[&"conflicts", &"--tender", &example("tender.toml"), &"--matrix", &out, &"-o", &record]);
    assert_eq!(run.code, 0, "{}", run.all());
    let doc = zip_text(&record, "word/document.xml");
    for want in [
        "Conflict of interest record",
        "regulation 24",
        "my partner works in its bid team",
        "Morag Campbell&apos;s scores and figures for Northgate EV Vehicles plc are left out of the moderation",
        "criteria 3.1, 3.2, 3.3 of Northgate EV Vehicles plc are left with fewer than 2 evaluators",
        "3 November 2026",
    ] {
        assert!(doc.contains(want) || doc.replace("&apos;", "'").contains(&want.replace("&apos;", "'")), "{want}");
    }
    // Under the Procurement Act 2023 it is the conflicts assessment.
    let act = example_tender_with(dir.path(), "act", "");
    let text = std::fs::read_to_string(&act).unwrap().replace("regime = \"scotland-2015\"", "regime = \"procurement-act-2023\"");
    std::fs::write(&act, text).unwrap();
    let run = tenderkit(&[&"conflicts", &"--tender", &act, &"--matrix", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.starts_with("CONFLICTS ASSESSMENT") && run.stdout.contains("sections 81 to 83"), "{}", run.stdout);
}

#[test]
fn a_return_made_before_declarations_is_not_counted() {
    let dir = temp();
    let files = returns_in(dir.path());
    // The same return without its Declaration sheet: as tenderkit wrote returns before.
    let graham = files.iter().find(|f| f.to_string_lossy().contains("graham")).unwrap().clone();
    let bytes = std::fs::read(&graham).unwrap();
    let stripped = strip_declaration(&bytes);
    std::fs::write(&graham, stripped).unwrap();
    assert!(tenderkit::xlsx::declaration::read_declaration(&Workbook::open(&graham).unwrap()).is_none());
    let (code, v) = collect(&files, &dir.path().join("moderated.xlsx"));
    assert_eq!(code, 1);
    let refused = findings(&v, "declaration-incomplete");
    assert_eq!(refused.len(), 1, "{v}");
    assert!(refused[0]["message"].as_str().unwrap().contains("no Declaration sheet"), "{v}");
    assert_eq!(v["collected"], 4);
}

/// A return's bytes with its Declaration sheet renamed away, as a return made before it had one.
fn strip_declaration(bytes: &[u8]) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        if f.name() == "xl/workbook.xml" {
            data = String::from_utf8(data).unwrap().replace("\"Declaration\"", "\"Notes\"").replace("Declaration!", "Notes!").into_bytes();
        }
        out.start_file(f.name(), zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut out, &data).unwrap();
    }
    out.finish().unwrap().into_inner()
}
