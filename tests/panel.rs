//! The evaluation panel: returns written per evaluator, collected into the matrix with every
//! flaw flagged by cell, moderated, and scored from the agreed scores.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;
use tenderkit::xlsx::returns::read_return;
use tenderkit::xlsx::{CellEdit, CellRef, Edits, Value, Workbook};

fn returns() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(example("returns")).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

fn flawed(name: &str) -> PathBuf {
    example("returns-flawed").join(name)
}

fn collect(matrix: &Path, files: &[PathBuf], out: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"returns", &"collect", &matrix];
    for f in files {
        args.push(f);
    }
    args.extend([&"-o" as &dyn AsRef<std::ffi::OsStr>, &out, &"--force"]);
    for e in extra {
        args.push(e);
    }
    tenderkit(&args)
}

fn set(path: &Path, changes: &[(&str, &str, CellEdit)]) {
    let wb = Workbook::open(path).unwrap();
    let mut e = Edits::default();
    for (s, c, edit) in changes {
        e.set(s, CellRef::parse(c).unwrap(), edit.clone());
    }
    let tmp = path.with_extension("edit.xlsx");
    wb.write(&e, &tmp).unwrap();
    std::fs::rename(tmp, path).unwrap();
}

fn value(path: &Path, sheet: &str, cell: &str) -> Value {
    Workbook::open(path).unwrap().sheet(sheet).unwrap().value(CellRef::parse(cell).unwrap()).clone()
}

#[test]
fn returns_new_writes_one_protected_return_per_evaluator() {
    let dir = temp();
    let run = tenderkit(&[&"returns", &"new", &example("matrix.xlsx"), &"--evaluators", &example("panel.toml"), &"-o", &dir.path()]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("Eilidh Fraser (quality evaluator, 7 criteria x 4 bids)"), "{}", run.stdout);
    let names: BTreeSet<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert_eq!(names.len(), 5);
    let (r, layout) = read_return(&dir.path().join("eilidh-fraser-quality.xlsx")).unwrap();
    assert_eq!((r.evaluator.as_str(), r.tender.as_str(), r.scores.len()), ("Eilidh Fraser", "FLT-2026-031", 28));
    assert!(r.scores.iter().all(|s| !s.criterion.starts_with('3')), "only her criteria");
    let wb = Workbook::open(&dir.path().join("eilidh-fraser-quality.xlsx")).unwrap();
    let sheet = wb.sheet("Return").unwrap();
    assert!(sheet.validations.iter().any(|v| v.kind == "list" && v.formula1 == "\"0,1,2,3,4\""));
    let part = zip_text(&dir.path().join("eilidh-fraser-quality.xlsx"), &sheet.part);
    assert!(part.contains("<sheetProtection"), "headings and criteria are protected");
    assert!(layout.scores.len() == 28);
    let (c, _) = read_return(&dir.path().join("priya-nair-commercial.xlsx")).unwrap();
    assert_eq!(c.costs.len(), 4);
    assert_eq!(c.costs[0].amounts.len(), 3);
    // Returns are not overwritten unless asked.
    let again = tenderkit(&[&"returns", &"new", &example("matrix.xlsx"), &"--evaluators", &example("panel.toml"), &"-o", &dir.path()]);
    assert_eq!(again.code, 2, "{}", again.all());
}

#[test]
fn the_panel_rules_are_enforced() {
    let dir = temp();
    let text = std::fs::read_to_string(example("panel.toml")).unwrap();
    let both = dir.path().join("both.toml");
    std::fs::write(&both, text.replace("name = \"Priya Nair\"", "name = \"Morag Campbell\"")).unwrap();
    let run = tenderkit(&[&"returns", &"new", &example("matrix.xlsx"), &"--evaluators", &both, &"-o", &dir.path().join("r")]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("evaluators[4]: Morag Campbell is on the panel as both a quality and a commercial evaluator"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("r").exists(), "nothing written");

    let thin = dir.path().join("thin.toml");
    std::fs::write(
        &thin,
        text.replace("name = \"Tariq Hussain\"\nrole = \"quality\"", "name = \"Tariq Hussain\"\nrole = \"quality\"\ncriteria = [\"1.1\"]"),
    )
    .unwrap();
    let run = tenderkit(&[&"returns", &"new", &example("matrix.xlsx"), &"--evaluators", &thin, &"-o", &dir.path().join("r")]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("Quality!C11: criterion 3.1 'Battery end-of-life: reuse and recycling' has 1 evaluator; a panel needs at least 2"),
        "{}",
        run.stderr
    );
}

/// (rule, file name, place) of each finding.
fn flags(run: &Run) -> BTreeSet<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.all()));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = Path::new(f["file"].as_str().unwrap()).file_name().unwrap().to_string_lossy().to_string();
            (f["rule"].as_str().unwrap().to_string(), file, f["place"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

#[test]
fn collecting_flags_every_flaw_by_cell() {
    let dir = temp();
    let out = dir.path().join("moderated.xlsx");
    let mut files = returns();
    files.extend([flawed("morag-campbell-quality-FLT-2025-009.xlsx"), flawed("alan-smithee-quality.xlsx")]);
    let run = collect(&example("matrix.xlsx"), &files, &out, &["--evaluators", example("panel.toml").to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 1, "errors were found: {}", run.all());
    let got = flags(&run);
    let want = [
        ("wrong-tender", "morag-campbell-quality-FLT-2025-009.xlsx", "Return!B3"),
        ("return-refused", "alan-smithee-quality.xlsx", "Return!B5"),
        ("return-score-invalid", "tariq-hussain-quality.xlsx", "Return!D25"),
        ("return-score-missing", "tariq-hussain-quality.xlsx", "Return!D39"),
        ("justification-missing", "tariq-hussain-quality.xlsx", "Return!E40"),
        ("justification-restates-scale", "tariq-hussain-quality.xlsx", "Return!E30"),
        ("spread-needs-discussion", "moderated.xlsx", "Moderation!I8"),
        ("costs-disagree", "moderated.xlsx", "'Price check'!E5"),
    ];
    for (rule, file, place) in want {
        assert!(got.contains(&(rule.into(), file.into(), place.into())), "missing {rule} at {file} {place}; got {got:#?}");
    }
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!((v["collected"].as_u64(), v["refused"].as_u64()), (Some(5), Some(2)));
    let spread = v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "spread-needs-discussion").unwrap();
    assert!(
        spread["message"]
            .as_str()
            .unwrap()
            .contains("Ardmore Municipal Engineering Ltd, criterion 1.1: evaluators' scores range from 0 to 2")
    );
    // The Moderation sheet shows each evaluator's score, mean and spread, and the flags.
    // Criterion 1.4 (the 4th), Northgate (the 2nd bid): row 6 + 3 x 4 + 1; Tariq is the 2nd evaluator.
    assert_eq!(value(&out, "Moderation", "E19"), Value::text_of("5 (off the scale)"));
    assert_eq!(value(&out, "Moderation", "H8"), Value::Number(2.0));
    let flags_text = value(&out, "Moderation", "M8").text();
    assert!(flags_text.contains("spread of 2"), "{flags_text}");
    // Nothing is scored yet: the matrix's score cells point at the (empty) final scores.
    let q = Workbook::open(&out).unwrap();
    let quality = q.sheet("Quality").unwrap();
    let h4 = quality.cell(CellRef::parse("H4").unwrap()).unwrap();
    assert_eq!(quality.formula(h4), Some("Moderation!$J$6"));
    agree(&out, None);
}

#[test]
fn recollecting_a_corrected_return_replaces_only_that_evaluators_scores() {
    let dir = temp();
    let first = dir.path().join("first.xlsx");
    let run = collect(&example("matrix.xlsx"), &returns(), &first, &["--evaluators", example("panel.toml").to_str().unwrap()]);
    assert_eq!(run.code, 1, "Tariq's return has errors: {}", run.all());
    // The meeting starts: an agreed score and a note are recorded, and an agreed cost.
    set(
        &first,
        &[
            ("Moderation", "I6", CellEdit::Number(3.0)),
            ("Moderation", "L6", CellEdit::Text("Agreed after discussion of the range trial".into())),
            ("Price check", "E5", CellEdit::Number(1_150_000.0)),
        ],
    );
    let second = dir.path().join("second.xlsx");
    let run = collect(&first, &[flawed("tariq-hussain-quality-corrected.xlsx")], &second, &[]);
    assert_eq!(run.code, 0, "the corrected return clears the errors: {}", run.all());
    assert_eq!(value(&first, "Moderation", "E19"), Value::text_of("5 (off the scale)"));
    assert_eq!(value(&second, "Moderation", "E19"), Value::Number(2.0), "Tariq's corrected score");
    assert_eq!(value(&second, "Moderation", "D19"), value(&first, "Moderation", "D19"), "Morag's unchanged");
    assert_eq!(value(&second, "Moderation", "I6"), Value::Number(3.0), "the agreed score is kept");
    assert_eq!(value(&second, "Moderation", "L6"), Value::text_of("Agreed after discussion of the range trial"));
    assert_eq!(value(&second, "Price check", "E5"), Value::Number(1_150_000.0));
    let audit = Workbook::open(&second).unwrap();
    let rows: Vec<String> = (4..=12).map(|r| audit.sheet("Audit").unwrap().text(CellRef::new(r, 5))).collect();
    assert!(
        rows.contains(&"tariq-hussain-quality.xlsx".to_string()) && rows.contains(&"tariq-hussain-quality-corrected.xlsx".to_string()),
        "{rows:?}"
    );
}

#[test]
fn scoring_needs_the_agreed_scores_unless_the_mean_is_chosen() {
    let dir = temp();
    let moderated = dir.path().join("moderated.xlsx");
    let mut files = returns();
    files.push(flawed("tariq-hussain-quality-corrected.xlsx"));
    collect(&example("matrix.xlsx"), &files, &moderated, &["--evaluators", example("panel.toml").to_str().unwrap()]);
    let run = tenderkit(&[&"score", &moderated]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error[consensus-missing]")
            && run
                .stderr
                .contains("Moderation!I6: Caledonian Fleet Solutions Ltd, criterion 1.1: no agreed score (the evaluators scored 3, 2, 3)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("'Price check'!E5"), "the disputed cost must be agreed: {}", run.stderr);
    set(&moderated, &[("Price check", "E5", CellEdit::Number(1_150_000.0))]);
    let out = dir.path().join("scored.xlsx");
    let run = tenderkit(&[&"score", &moderated, &"--use-mean", &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("40 of 40 final scores are the mean of the evaluators' scores"), "{}", run.stdout);
    assert_eq!(value(&out, "Moderation", "B2"), Value::text_of("Yes"));
    assert_eq!(value(&out, "Moderation", "K6"), Value::text_of("Mean"));
    let audit = Workbook::open(&out).unwrap();
    let a = audit.sheet("Audit").unwrap();
    let last = (4..=a.last_row()).rev().find(|&r| !a.text(CellRef::new(r, 1)).is_empty()).unwrap();
    assert_eq!(a.text(CellRef::new(last, 2)), "scored");
    assert!(a.text(CellRef::new(last, 4)).contains("40 final scores are evaluators' means (--use-mean)"));
    assert_eq!(a.text(CellRef::new(last, 6)).len(), 64, "SHA-256 of the scored input");
    agree(&out, None);
}

#[test]
fn the_moderated_example_is_scored_from_its_agreed_scores() {
    let dir = temp();
    let out = dir.path().join("scored.xlsx");
    let run = tenderkit(&[&"score", &example("moderated.xlsx"), &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    // The agreed scores are the example matrix's scores: the same decision.
    let plain = tenderkit(&[&"score", &example("matrix.xlsx")]);
    assert_eq!(run.stdout.lines().take(8).collect::<Vec<_>>(), plain.stdout.lines().take(8).collect::<Vec<_>>());
    agree(&out, None);
    // LibreOffice computes the Moderation sheet's own formulas as tenderkit cached them.
    let Some(lo) = libreoffice_recalc(&out) else { return };
    let wb = Workbook::open(&out).unwrap();
    let m = wb.sheet("Moderation").unwrap();
    for row in 6..=45 {
        for col in 7..=11 {
            let at = CellRef::new(row, col);
            let theirs = lo["Moderation"].get(row as usize - 1).and_then(|r| r.get(col as usize - 1)).cloned().unwrap_or_default();
            match (m.value(at), theirs.parse::<f64>()) {
                (Value::Number(a), Ok(b)) => assert!(close(*a, b), "Moderation!{at}: {a} vs LibreOffice {b}"),
                (ours, _) => assert_eq!(ours.text(), theirs, "Moderation!{at}"),
            }
        }
    }
}
