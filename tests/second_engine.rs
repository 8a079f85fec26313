//! LibreOffice, as a second spreadsheet engine, recalculates every formula of the workbooks
//! `score` writes; every figure tenderkit computed must equal LibreOffice's to 1e-9. The cached
//! values written beside the formulas must equal tenderkit's figures too.

mod common;

use std::path::Path;

use common::*;
use tenderkit::xlsx::{CellEdit, Workbook};

fn check(matrix: &Path, layout: Option<&Path>) {
    let dir = temp();
    let out = dir.path().join("scored.xlsx");
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"score", &matrix, &"-o", &out];
    if let Some(l) = &layout {
        args.extend([&"--layout" as &dyn AsRef<std::ffi::OsStr>, l]);
    }
    let run = tenderkit(&args);
    assert_eq!(run.code, 0, "{}", run.all());
    agree(&out, layout);
}

#[test]
fn libreoffice_agrees_with_the_example_matrix() {
    check(&example("matrix.xlsx"), None);
}

#[test]
fn libreoffice_agrees_with_a_matrix_made_by_openpyxl() {
    check(&fixture("foreign-openpyxl.xlsx"), Some(&fixture("layout-foreign.toml")));
}

#[test]
fn libreoffice_agrees_with_a_matrix_saved_by_libreoffice() {
    check(&fixture("foreign-libreoffice.xlsx"), Some(&fixture("layout-foreign.toml")));
}

#[test]
fn libreoffice_agrees_with_a_new_blank_matrix() {
    // Nothing scored yet: weighted scores and price scores are blanks, totals are 0, all rank 1.
    let dir = temp();
    let matrix = dir.path().join("new.xlsx");
    assert_eq!(tenderkit(&[&"matrix", &"new", &example("tender.toml"), &"-o", &matrix]).code, 0);
    agree(&matrix, None);
}

#[test]
fn libreoffice_agrees_on_ties() {
    // Two identical bids tie; the rank formula and tenderkit must agree they share rank 1.
    let dir = temp();
    let tender = std::fs::read_to_string(example("tender.toml")).unwrap();
    let tender = tender.replace("name = \"Ardmore Municipal Engineering Ltd\"", "name = \"Ardmore Twin Ltd\"");
    let tender_path = dir.path().join("tender.toml");
    std::fs::write(&tender_path, tender).unwrap();
    // Fill every bid with the same scores and costs, using the library as an evaluator would type.
    let filled = dir.path().join("filled.xlsx");
    filled_matrix(
        &tender_path,
        &filled,
        |b, i| if b < 2 { 4.0 - (i % 2) as f64 } else { ((i + b) % 4) as f64 },
        |b, k| 1000.0 * (k + 1) as f64 + if b < 2 { 0.0 } else { 7.0 },
    );
    let run = tenderkit(&[&"score", &filled]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("No single Most Economically Advantageous Tender"), "{}", run.stdout);
    assert!(run.stdout.contains("1=    Caledonian") && run.stdout.contains("1=    Northgate"), "{}", run.stdout);
    check(&filled, None);
}

#[test]
fn libreoffice_agrees_when_the_cheapest_bid_fails() {
    // Ardmore misses a pass mark of 3 on 1.2 and becomes the cheapest: it is left out of the
    // ranking, and the lowest price the others are scored against is the lowest of those that pass.
    let dir = temp();
    let wb = Workbook::open(&example("matrix.xlsx")).unwrap();
    let mut edits = tenderkit::xlsx::Edits::default();
    edits.set("Quality", tenderkit::xlsx::CellRef::parse("G5").unwrap(), CellEdit::Number(3.0));
    edits.set("Price", tenderkit::xlsx::CellRef::parse("B6").unwrap(), CellEdit::Number(3_000_000.0));
    let failing = dir.path().join("failing.xlsx");
    wb.write(&edits, &failing).unwrap();
    let run = tenderkit(&[&"score", &failing]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("Failed, not ranked (1)"), "{}", run.stdout);
    assert!(
        run.stdout.contains("criterion 1.2 'Charging infrastructure and energy management': scored 2, below the pass mark of 3"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("quality score 55.06 out of 100, below the minimum of 60"), "{}", run.stdout);
    assert!(run.stdout.contains("2     Northgate EV Vehicles plc") && run.stdout.contains("50.00"), "{}", run.stdout);
    check(&failing, None);
}

#[test]
fn libreoffice_agrees_with_a_matrix_whose_elements_are_prefixed() {
    // The Open XML SDK writes <x:row>, <x:c> ...: the cells, rows, names and rules tenderkit
    // writes there must carry the prefix too, or Excel and LibreOffice would not see them.
    let prefixed = fixture("prefixed-sdk.xlsx");
    check(&prefixed, None);
    let dir = temp();
    let rescaled = dir.path().join("rescaled.xlsx");
    let run = tenderkit(&[&"rescale", &prefixed, &"--to", &"0-100", &"-o", &rescaled]);
    assert_eq!(run.code, 0, "{}", run.all());
    let sheet = zip_text(&rescaled, "xl/worksheets/sheet2.xml");
    assert!(sheet.contains("<x:dataValidation ") && !sheet.contains("<dataValidation "), "the new rules are prefixed");
    check(&rescaled, None);
}
