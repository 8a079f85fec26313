//! Writing into a buyer's own workbook changes only the cells it must. Every part tenderkit does
//! not edit (styles, shared strings, other sheets, the chart, comments, defined names, the hidden
//! sheet) is byte-identical; in an edited sheet, every byte outside the edited cells is too.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use tenderkit::tender_file::load;
use tenderkit::xlsx::Workbook;
use tenderkit::xlsx::matrix::read_matrix;

/// The XML with every `<c>` element of the given cells cut out.
fn without_cells(xml: &str, cells: &BTreeSet<String>) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<c r=\"") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let r = &tail[6..tail[6..].find('"').unwrap() + 6];
        let open_end = tail.find('>').unwrap();
        let end = if tail[..open_end].ends_with('/') { open_end + 1 } else { tail.find("</c>").unwrap() + 4 };
        if !cells.contains(r) {
            out.push_str(&tail[..end]);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn check_fidelity(input: &Path) {
    let layout = fixture("layout-foreign.toml");
    let dir = temp();
    let out = dir.path().join("scored.xlsx");
    let run = tenderkit(&[&"score", &input, &"--layout", &layout, &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());

    let wb = Workbook::open(input).unwrap();
    let read = read_matrix(&wb, &load(&layout).unwrap()).unwrap();
    let edits = read.layout.figure_edits(&wb, &read.matrix, &tenderkit::domain::scoring::compute(&read.matrix));
    let mut edited: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (sheet, at, _) in edits.iter() {
        edited.entry(wb.sheet(sheet).unwrap().part.clone()).or_default().insert(at.to_string());
    }
    assert!(edited.len() >= 3, "the test edits several sheets: {edited:?}");

    let (before, after) = (zip_parts(input), zip_parts(&out));
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>(), "same parts, same order");
    let mut untouched = 0;
    for (name, old) in &before {
        let new = &after[name];
        match edited.get(name) {
            Some(cells) => {
                let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
                assert_eq!(without_cells(&old, cells), without_cells(&new, cells), "{name}: only the edited cells may change");
            }
            None if name == "xl/workbook.xml" => {
                // Only the request to recalculate on open is added.
                let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
                let calc_pr = |x: &str| {
                    let i = x.find("<calcPr").unwrap_or(x.len());
                    let j = x[i..].find("/>").map_or(x.len(), |j| i + j + 2);
                    (x[..i].to_string() + &x[j..], x[i..j].to_string())
                };
                let ((old_rest, _), (new_rest, new_calc)) = (calc_pr(&old), calc_pr(&new));
                assert_eq!(old_rest, new_rest, "only <calcPr> may change");
                assert!(new_calc.contains("fullCalcOnLoad=\"1\""), "{new_calc}");
            }
            None => {
                assert!(old == new, "{name} must be byte-identical");
                untouched += 1;
            }
        }
    }
    assert!(untouched >= 8, "styles, strings, chart, comments and the other sheets were compared ({untouched})");

    // And the edited cells read back with their formulas intact.
    let scored = Workbook::open(&out).unwrap();
    for (sheet, at, _) in edits.iter() {
        let (was, now) = (wb.sheet(sheet).unwrap(), scored.sheet(sheet).unwrap());
        let (a, b) = (was.cell(at), now.cell(at).unwrap());
        assert_eq!(a.and_then(|c| was.formula(c)), now.formula(b), "{sheet}!{at} keeps its formula");
    }
}

#[test]
fn writing_an_openpyxl_workbook_changes_only_the_figures() {
    check_fidelity(&fixture("foreign-openpyxl.xlsx"));
}

#[test]
fn writing_a_libreoffice_workbook_changes_only_the_figures() {
    check_fidelity(&fixture("foreign-libreoffice.xlsx"));
}

#[test]
fn the_foreign_layout_is_found_from_its_headings() {
    let wb = Workbook::open(&fixture("foreign-openpyxl.xlsx")).unwrap();
    let read = read_matrix(&wb, &load(&fixture("layout-foreign.toml")).unwrap()).unwrap();
    let m = &read.matrix;
    assert_eq!(read.layout.quality.as_ref().unwrap().sheet, "Technical Evaluation");
    assert_eq!(read.layout.quality.as_ref().unwrap().header_row, 5);
    let sections: Vec<(&str, Option<f64>, usize)> =
        m.sections.iter().map(|s| (s.name.as_str(), s.weight.number(), s.criteria.len())).collect();
    assert_eq!(sections, [("Service delivery", Some(60.0), 3), ("Social value", Some(40.0), 2)]);
    let bidders: Vec<&str> = m.bids.iter().map(|b| b.bidder.as_str()).collect();
    assert_eq!(bidders, ["Acme Grounds Ltd", "Bramble & Sons", "Cedar Landscapes"]);
    assert_eq!(m.bids[1].scores.iter().map(|s| s.number().unwrap()).collect::<Vec<_>>(), [4.0, 3.0, 2.0, 2.0, 4.0]);
    assert_eq!((m.split.price.number(), m.split.quality.number()), (Some(40.0), Some(60.0)));
    let p = read.layout.price.as_ref().unwrap();
    assert_eq!(p.sheet, "Commercial");
    assert!(close(m.bids[2].costs[0].amount.number().unwrap(), 455_250.50));
    assert_eq!(read.layout.summary.as_ref().unwrap().sheet, "Results");
    assert_eq!(read.layout.quality.as_ref().unwrap().total_row, Some(13));
}
