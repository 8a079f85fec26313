//! The `matrix new`, `validate` and `score` commands, run as a buyer runs them.

mod common;

use common::*;

#[test]
fn a_new_matrix_is_valid_and_ready_to_fill() {
    let dir = temp();
    let m = dir.path().join("matrix.xlsx");
    let run = tenderkit(&[&"matrix", &"new", &example("tender.toml"), &"-o", &m]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("10 criteria in 3 sections, 4 bidders, 0-4 scale"), "{}", run.stdout);

    let run = tenderkit(&[&"validate", &m]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("no problems found"));

    let wb = tenderkit::xlsx::Workbook::open(&m).unwrap();
    assert_eq!(wb.sheet_names(), ["Tender", "Quality", "Price", "Summary", "Checks"]);
    for name in ["ScaleMax", "ScaleValues", "PriceWeight", "QualityWeight"] {
        assert!(wb.defined_range(name).is_some(), "defined name {name}");
    }
    let quality = wb.sheet("Quality").unwrap();
    // The weighted score refers to the named scale maximum, never a literal 4.
    let i4 = quality.cell(tenderkit::xlsx::CellRef::parse("I4").unwrap()).unwrap();
    assert_eq!(quality.formula(i4), Some("IF(H4=\"\",\"\",H4/ScaleMax*$F4)"));
    // Score cells carry validation against the scale's values.
    let xml = zip_text(&m, &quality.part);
    assert!(xml.contains("<dataValidation type=\"list\"") && xml.contains("<formula1>ScaleValues</formula1>"), "{xml}");
    assert!(xml.contains("sqref=\"H4:H13 J4:J13 L4:L13 N4:N13\""), "score columns validated");
}

#[test]
fn new_refuses_to_replace_a_file_unless_forced() {
    let dir = temp();
    let m = dir.path().join("matrix.xlsx");
    std::fs::write(&m, b"precious").unwrap();
    let run = tenderkit(&[&"matrix", &"new", &example("tender.toml"), &"-o", &m]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(std::fs::read(&m).unwrap(), b"precious");
    assert_eq!(tenderkit(&[&"matrix", &"new", &example("tender.toml"), &"-o", &m, &"--force"]).code, 0);
}

#[test]
fn new_refuses_a_tender_whose_weights_do_not_add_up() {
    let dir = temp();
    let t = dir.path().join("tender.toml");
    let text = std::fs::read_to_string(example("tender.toml")).unwrap().replace("weight = 45", "weight = 35");
    std::fs::write(&t, text).unwrap();
    let m = dir.path().join("matrix.xlsx");
    let run = tenderkit(&[&"matrix", &"new", &t, &"-o", &m]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("sections[*].weight: the section weightings sum to 90.00, not 100"), "{}", run.stderr);
    assert!(!m.exists(), "no workbook for an invalid tender");
}

#[test]
fn a_malformed_tender_file_is_located() {
    let dir = temp();
    let t = dir.path().join("tender.toml");
    std::fs::write(&t, "title = \"x\"\nreference = \"y\"\nprice_weight = \"forty\"\n").unwrap();
    let run = tenderkit(&[&"matrix", &"new", &t, &"-o", &dir.path().join("m.xlsx")]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("line 3"), "{}", run.stderr);
}

#[test]
fn score_ranks_the_example_and_names_the_meat() {
    let before = std::fs::read(example("matrix.xlsx")).unwrap();
    let run = tenderkit(&[&"score", &example("matrix.xlsx")]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stdout.contains("Most Economically Advantageous Tender: Forth Valley Commercial Vehicles LLP (total 92.38)"),
        "{}",
        run.stdout
    );
    let order: Vec<&str> = run.stdout.lines().skip(1).take(3).map(|l| l.split_whitespace().nth(1).unwrap()).collect();
    assert_eq!(order, ["Forth", "Northgate", "Caledonian"]);
    // Ardmore misses the minimum quality score of 60: out of the ranking, with the reason.
    assert!(run.stdout.contains("Failed, not ranked (1):\n  Ardmore Municipal Engineering Ltd (quality 55.06):\n    - quality score 55.06 out of 100, below the minimum of 60"), "{}", run.stdout);
    assert_eq!(std::fs::read(example("matrix.xlsx")).unwrap(), before, "the input is never modified");
}

#[test]
fn score_json_is_machine_readable() {
    let run = tenderkit(&[&"score", &example("matrix.xlsx"), &"--json"]);
    assert_eq!(run.code, 0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["scored"], true);
    assert_eq!(v["ranking"]["meat"], serde_json::json!([3]));
    let first = &v["ranking"]["standings"][0];
    assert_eq!(first["bidder"], "Forth Valley Commercial Vehicles LLP");
    assert_eq!(first["rank"], 1);
    assert!(close(first["whole_life_cost"].as_f64().unwrap(), 5_100_000.0));
}

#[test]
fn score_never_overwrites_its_input_unless_asked() {
    let dir = temp();
    let m = dir.path().join("matrix.xlsx");
    std::fs::copy(example("matrix.xlsx"), &m).unwrap();
    let before = std::fs::read(&m).unwrap();
    let run = tenderkit(&[&"score", &m, &"-o", &m]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("refusing to overwrite the input file"), "{}", run.stderr);
    assert_eq!(std::fs::read(&m).unwrap(), before);

    let run = tenderkit(&[&"score", &m, &"--in-place"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains(&format!("wrote {}", m.display())));
    assert_eq!(tenderkit(&[&"validate", &m, &"--complete"]).code, 0);
    // No temporary files left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn score_refuses_an_unscored_matrix_and_names_the_cells() {
    let dir = temp();
    let m = dir.path().join("matrix.xlsx");
    assert_eq!(tenderkit(&[&"matrix", &"new", &example("tender.toml"), &"-o", &m]).code, 0);
    let out = dir.path().join("scored.xlsx");
    let run = tenderkit(&[&"score", &m, &"-o", &out]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[score-missing]") && run.stderr.contains("Quality!H4"), "{}", run.stderr);
    assert!(run.stderr.contains("error[cost-missing]") && run.stderr.contains("Price!B4"), "{}", run.stderr);
    assert!(run.stderr.contains("not scored"));
    assert!(!out.exists());
}

#[test]
fn validate_json_lists_findings_with_their_cells() {
    // The foreign fixture states its split in labelled cells; with the labels gone it has none.
    let dir = temp();
    let wb = tenderkit::xlsx::Workbook::open(&fixture("foreign-openpyxl.xlsx")).unwrap();
    let mut edits = tenderkit::xlsx::Edits::default();
    for cell in ["A2", "A3"] {
        edits.set("Settings", tenderkit::xlsx::CellRef::parse(cell).unwrap(), tenderkit::xlsx::CellEdit::Text("Notes".into()));
    }
    let m = dir.path().join("unsplit.xlsx");
    wb.write(&edits, &m).unwrap();
    let run = tenderkit(&[&"validate", &m, &"--json"]);
    assert_eq!(run.code, 1, "no split stated: {}", run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["errors"], 1);
    let f = v["findings"].as_array().unwrap().iter().find(|f| f["severity"] == "error").unwrap();
    assert_eq!(f["rule"], "split-not-stated");
    assert!(f["place"].as_str().unwrap().contains("PriceWeight"));
    assert!(f["fix"].as_str().unwrap().contains("state the price and quality weightings"));
    assert!(f["fix"].as_str().unwrap().contains("tenderkit layout"));
}

/// Every figure `score` prints is the one the scored workbook shows: LibreOffice's text for the
/// Summary sheet's cells (their 0.00 format applied) is what the table says, half-way figures
/// included (Northgate's quality 76.125 is 76.13, Caledonian's weighted 36.625 is 36.63).
#[test]
fn printed_figures_are_the_ones_the_workbook_shows() {
    let dir = temp();
    let out = dir.path().join("scored.xlsx");
    let run = tenderkit(&[&"score", &example("matrix.xlsx"), &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    let Some(sheets) = libreoffice_shown(&out) else { return };
    let summary = &sheets["Summary"];
    let mut checked = 0;
    for line in run.stdout.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_digit())) {
        let row = summary.iter().find(|r| r.first().is_some_and(|b| !b.is_empty() && line.contains(b.as_str()))).unwrap_or_else(|| panic!("{line}"));
        // Quality, its weighted share and the total, as shown in the workbook.
        for shown in [&row[1], &row[2], &row[4]] {
            assert!(line.split_whitespace().any(|w| w == shown), "the workbook shows {shown}; score printed: {line}");
        }
        checked += 1;
    }
    assert_eq!(checked, 3, "{}", run.stdout);
    assert!(run.stdout.contains("76.13") && run.stdout.contains("36.63"), "{}", run.stdout);
}
