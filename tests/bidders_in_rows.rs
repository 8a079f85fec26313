//! Issue 31: tables with a row per bidder, as design and project-choice matrices are made. Built
//! here cell by cell, so they run where `../shared/realworld` (whose dandz, vitals and pmi
//! workbooks have these shapes, `tests/realworld.rs`) is absent.

mod common;

use common::*;
use serde_json::Value as Json;

fn standings(json: &Json) -> Vec<(String, f64)> {
    json["ranking"]["standings"].as_array().unwrap().iter().map(|s| (s["bidder"].as_str().unwrap().to_string(), s["quality"].as_f64().unwrap())).collect()
}

fn score(matrix: &std::path::Path, layout: &std::path::Path) -> (i32, Json) {
    let run = tenderkit(&[&"score", &matrix, &"--json", &"--layout", &layout]);
    (run.code, serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.all())))
}

/// Each bidder's name merged over two sub-rows; a criterion's score is the sum over them, a
/// column with numbers but no weighting between the criteria (a numbered list of parts) is not a
/// criterion and is said, and a copyright line merged across under the table is no bidder.
#[test]
fn a_name_merged_over_sub_rows_sums_its_scores() {
    let dir = temp();
    let path = dir.path().join("sub-rows.xlsx");
    use Cell::{N, T};
    grid_workbook_merged(
        &path,
        "Sheet1",
        &[
            &[T("Team"), T("Effort"), T("Parts"), T("Quality")],
            &[T("North"), N(1.0), N(1.0), N(3.0)],
            &[T(""), N(2.0), N(2.0), T("")],
            &[T("South"), N(4.0), N(1.0), N(2.0)],
            &[T(""), T(""), N(2.0), T("")],
            &[T("(c) Someone, all rights reserved")],
            &[T("Weight:"), N(1.0), T(""), N(3.0)],
        ],
        &["A2:A3", "A4:A5", "A6:D6"],
    );
    let layout = dir.path().join("layout.toml");
    std::fs::write(
        &layout,
        "[quality]\norientation = \"bidders-in-rows\"\nheader_row = 1\nweights_row = 7\nfirst_row = 2\nweights = \"points\"\n[scale]\nmin = 0\nmax = 4\n",
    )
    .unwrap();
    let (code, json) = score(&path, &layout);
    assert_eq!(code, 0, "{json}");
    // North: Effort 1 + 2 = 3, Quality 3; South: Effort 4, Quality 2. Points 1 and 3 of 4.
    let want = [("North", (3.0 * 1.0 + 3.0 * 3.0) / 4.0 / 4.0 * 100.0), ("South", (4.0 * 1.0 + 2.0 * 3.0) / 4.0 / 4.0 * 100.0)];
    let got = standings(&json);
    assert_eq!(got.len(), 2, "{json}");
    for ((name, q), (wn, wq)) in got.iter().zip(want) {
        assert_eq!((name.as_str(), *q), (wn, wq), "{json}");
    }
    let not_read: Vec<&Json> = json["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "column-not-read").collect();
    assert_eq!(not_read.len(), 1, "{json}");
    assert!(not_read[0]["message"].as_str().unwrap().contains("column C ('Parts')"), "{json}");
    // rescale cannot write a score into a sum: refused, located, nothing written.
    let out = dir.path().join("out.xlsx");
    let run = tenderkit(&[&"rescale", &path, &"--layout", &layout, &"--to", &"0-10", &"-o", &out]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.all().contains("Sheet1!A2") && run.all().contains("sum of rows 2 to 3"), "{}", run.all());
    assert!(!out.exists());
}

/// A table with no weightings, read with weights = "equal": every criterion counts the same.
#[test]
fn equal_weights_need_no_weights_row() {
    let dir = temp();
    let path = dir.path().join("design.xlsx");
    use Cell::{N, T};
    grid_workbook(
        &path,
        "Sheet1",
        &[
            &[T("Idea"), T("Cost"), T("Ease"), T("Reach"), T("Total")],
            &[T("Kiosk"), N(4.0), N(1.0), N(1.0), N(6.0)],
            &[T("App"), N(2.0), N(3.0), N(4.0), N(9.0)],
        ],
    );
    let layout = dir.path().join("layout.toml");
    std::fs::write(&layout, "[quality]\norientation = \"bidders-in-rows\"\nheader_row = 1\nweights = \"equal\"\n").unwrap();
    let (code, json) = score(&path, &layout);
    assert_eq!(code, 0, "{json}");
    let got = standings(&json);
    assert_eq!(got.len(), 2);
    for ((name, q), (wn, wq)) in got.iter().zip([("App", 9.0 / 12.0 * 100.0), ("Kiosk", 6.0 / 12.0 * 100.0)]) {
        assert!(name == wn && close(*q, wq), "{json}");
    }
    // The typed Totals are the buyer's own unweighted sums: -o keeps them as typed.
    let out = dir.path().join("scored.xlsx");
    let run = tenderkit(&[&"score", &path, &"--layout", &layout, &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("left as typed: Sheet1!E2, Sheet1!E3 ("), "{}", run.stdout);
    let json = tenderkit(&[&"score", &path, &"--layout", &layout, &"-o", &dir.path().join("again.xlsx"), &"--json"]);
    let json: Json = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["left_as_typed"], serde_json::json!(["Sheet1!E2", "Sheet1!E3"]));
    let wb = tenderkit::xlsx::Workbook::open(&out).unwrap();
    let s = wb.sheet("Sheet1").unwrap();
    for (a1, n) in [("E2", 6.0), ("E3", 9.0)] {
        assert_eq!(s.value(tenderkit::xlsx::CellRef::parse(a1).unwrap()), &tenderkit::xlsx::Value::Number(n), "{a1}");
    }
}
