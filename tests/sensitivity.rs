//! `tenderkit sensitivity`: every tipping point it reports is checked by changing the matrix
//! there (just before and just after) and scoring it again with `tenderkit score`.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use tenderkit::xlsx::layout::LayoutFile;
use tenderkit::xlsx::matrix::read_matrix;
use tenderkit::xlsx::{CellEdit, CellRef, Edits, Workbook};

fn report(matrix: &Path) -> serde_json::Value {
    let run = tenderkit(&[&"sensitivity", &matrix, &"--json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    serde_json::from_str(&run.stdout).unwrap()
}

/// The first bid when `matrix` is scored after `edit`.
fn winner_after(dir: &Path, matrix: &Path, name: &str, edit: impl Fn(&Workbook, &mut Edits)) -> String {
    let wb = Workbook::open(matrix).unwrap();
    let mut edits = Edits::default();
    edit(&wb, &mut edits);
    let changed = dir.join(format!("{name}.xlsx"));
    wb.write(&edits, &changed).unwrap();
    let run = tenderkit(&[&"score", &changed, &"--json"]);
    assert_eq!(run.code, 0, "{name}: {}", run.all());
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let standings = json["ranking"]["standings"].as_array().unwrap();
    assert_ne!(standings[0]["total"], standings[1]["total"], "{name}: a tie");
    standings[0]["bidder"].as_str().unwrap().to_string()
}

fn split(wb: &Workbook, e: &mut Edits, price: f64) {
    let _ = wb;
    e.set("Tender", CellRef::new(8, 2), CellEdit::Number(price));
    e.set("Tender", CellRef::new(9, 2), CellEdit::Number(100.0 - price));
}

#[test]
fn the_winner_changes_exactly_at_each_split_tipping_point() {
    let dir = temp();
    let matrix = example("matrix.xlsx");
    let r = report(&matrix);
    let winner = r["winner"].as_str().unwrap().to_string();
    let mut checked = 0;
    for side in ["below", "above"] {
        let tip = &r["split"][side];
        if tip.is_null() {
            continue;
        }
        let at = tip["at"].as_f64().unwrap();
        let first = tip["first"].as_str().unwrap();
        // Printed to two decimals: the winner is unchanged 0.01 on the tender's side of the
        // printed figure and changed 0.01 beyond it.
        let printed = (at * 100.0).round() / 100.0;
        let (near, far) = if side == "above" { (printed - 0.01, printed + 0.01) } else { (printed + 0.01, printed - 0.01) };
        assert_eq!(winner_after(dir.path(), &matrix, &format!("{side}-near"), |wb, e| split(wb, e, near)), winner, "{side} {near}");
        assert_eq!(winner_after(dir.path(), &matrix, &format!("{side}-far"), |wb, e| split(wb, e, far)), first, "{side} {far}");
        checked += 1;
    }
    assert!(checked > 0, "the example has a split tipping point: {r}");
}

#[test]
fn the_winner_changes_at_a_weight_tipping_point() {
    let dir = temp();
    let matrix = example("matrix.xlsx");
    let r = report(&matrix);
    let winner = r["winner"].as_str().unwrap().to_string();
    let tip = r["weights"].as_array().unwrap().iter().find(|w| !w["tip"].is_null()).expect("a weight tipping point").clone();
    let reference = tip["criterion"].as_str().unwrap().split(' ').next().unwrap().to_string();
    let (w0, at) = (tip["weight"].as_f64().unwrap(), tip["tip"]["at"].as_f64().unwrap());
    let first = tip["tip"]["first"].as_str().unwrap();
    let wb = Workbook::open(&matrix).unwrap();
    let read = read_matrix(&wb, &LayoutFile::default()).unwrap();
    let q = read.layout.quality.clone().unwrap();
    let criteria: Vec<(usize, String, f64)> =
        read.matrix.criteria().map(|(s, c)| (s, c.reference.clone(), c.weight.number().unwrap())).collect();
    let i = criteria.iter().position(|c| c.1 == reference).unwrap();
    let section = criteria[i].0;
    let others: f64 = criteria.iter().enumerate().filter(|(k, c)| *k != i && c.0 == section).map(|(_, c)| c.2).sum();
    // The criterion at x, the rest of its section rescaled proportionally.
    let set = |x: f64| {
        let q = q.clone();
        let criteria = criteria.clone();
        move |_: &Workbook, e: &mut Edits| {
            for (k, c) in criteria.iter().enumerate().filter(|(_, c)| c.0 == section) {
                let w = if k == i { x } else { c.2 * (100.0 - x) / others };
                e.set(&q.sheet, q.weight_cell(k), CellEdit::Number(w));
            }
        }
    };
    let dir_sign = if at > w0 { 1.0 } else { -1.0 };
    assert_eq!(winner_after(dir.path(), &matrix, "weight-near", set(at - 0.01 * dir_sign)), winner);
    assert_eq!(winner_after(dir.path(), &matrix, "weight-far", set(at + 0.01 * dir_sign)), first);
}

/// A close contest: a new matrix from the example tender, every bid scored 3 with one 2 for the
/// second bid, prices almost equal.
fn close_matrix(dir: &Path) -> PathBuf {
    let out = dir.join("close.xlsx");
    filled_matrix(
        &example("tender.toml"),
        &out,
        |b, i| {
            if b == 1 && i == 0 {
                2.0
            } else if b >= 2 {
                2.0
            } else {
                3.0
            }
        },
        |b, k| [1_000_000.0, 200_000.0, 0.0][k] - if b == 1 && k == 0 { 5_000.0 } else { 0.0 },
    );
    out
}

#[test]
fn a_reported_one_step_score_change_makes_the_bid_first() {
    let dir = temp();
    let matrix = close_matrix(dir.path());
    let r = report(&matrix);
    let tips = r["scores"].as_array().unwrap();
    assert!(!tips.is_empty(), "a close contest has score tipping points: {r}");
    let tip = &tips[0];
    let wb = Workbook::open(&matrix).unwrap();
    let read = read_matrix(&wb, &LayoutFile::default()).unwrap();
    let q = read.layout.quality.clone().unwrap();
    let bid = read.matrix.bids.iter().position(|b| b.bidder == tip["bidder"].as_str().unwrap()).unwrap();
    let i = read.matrix.criteria().position(|(_, c)| c.reference == tip["criterion"].as_str().unwrap()).unwrap();
    let to = tip["to"].as_f64().unwrap();
    let first = winner_after(dir.path(), &matrix, "score", |_, e| e.set(&q.sheet, q.score_cell(i, bid), CellEdit::Number(to)));
    assert_eq!(first, tip["first"].as_str().unwrap(), "{tip}");
    assert_ne!(first, r["winner"].as_str().unwrap());
    // And the text says it the buyer's way.
    let run = tenderkit(&[&"sensitivity", &matrix]);
    let line = format!(
        "{}, {}: {} -> {} would make",
        tip["bidder"].as_str().unwrap(),
        tip["criterion"].as_str().unwrap(),
        tip["from"].as_f64().unwrap(),
        to
    );
    assert!(run.stdout.contains(&line), "{line}\n{}", run.stdout);
}

#[test]
fn rank_reversal_is_reported_for_a_relative_method() {
    // Relative to the mean (50% of the weighting at the mean, 1% of it per 1% from the mean):
    // leaving out the dearest bid lowers the mean, which moves the others' price scores by
    // different amounts. Quality 100, 75, 50, 50 (no minimum quality); whole-life costs 0.5m,
    // 0.8m, 0.6m, 1.5m. All four (mean 0.85m): totals 95.59, 65.44, 64.71, 25.00. Without the
    // 1.5m bid (mean 0.6333m): 85.53, 49.34, 52.63: Ardmore (52.63) now ranks above Northgate.
    let dir = temp();
    let tender = std::fs::read_to_string(example("tender.toml")).unwrap().replace("minimum_quality = 60", "minimum_quality = 0");
    let path = dir.path().join("mean.toml");
    std::fs::write(&path, format!("{tender}\n[price]\nmethod = \"relative-to-mean\"\nmean_score = 50\nmarks_per_percent = 1\n")).unwrap();
    let bids = [(4.0, 500_000.0), (3.0, 800_000.0), (2.0, 600_000.0), (2.0, 1_500_000.0)];
    let m = dir.path().join("mean.xlsx");
    filled_matrix(&path, &m, |b, _| bids[b].0, |b, k| if k == 0 { bids[b].1 } else { 0.0 });
    let r = report(&m);
    let reversals = r["reversals"].as_array().unwrap();
    assert_eq!(reversals.len(), 1, "{r}");
    assert_eq!(reversals[0]["left_out"], "Forth Valley Commercial Vehicles LLP");
    assert_eq!(reversals[0]["swapped"][0], serde_json::json!(["Ardmore Municipal Engineering Ltd", "Northgate EV Vehicles plc"]));
    let text = tenderkit(&[&"sensitivity", &m]).stdout;
    assert!(
        text.contains(
            "leaving out Forth Valley Commercial Vehicles LLP: Ardmore Municipal Engineering Ltd now ranks above Northgate EV Vehicles plc"
        ),
        "{text}"
    );
}

#[test]
fn the_report_is_written_as_a_sheet_leaving_the_rest_untouched() {
    let dir = temp();
    let out = dir.path().join("with-sensitivity.xlsx");
    let run = tenderkit(&[&"sensitivity", &example("matrix.xlsx"), &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    let before = zip_parts(&example("matrix.xlsx"));
    let after = zip_parts(&out);
    for (name, bytes) in &before {
        if name.starts_with("xl/worksheets/sheet") || name.starts_with("xl/drawings") || name.starts_with("xl/charts") {
            assert_eq!(after.get(name), Some(bytes), "{name} changed");
        }
    }
    let wb = Workbook::open(&out).unwrap();
    let sheet = wb.sheet("Sensitivity").unwrap();
    let texts: Vec<String> = (1..40).map(|r| sheet.text(CellRef::new(r, 2))).collect();
    assert!(texts.iter().any(|t| t.contains("becomes first")), "{texts:?}");
}
