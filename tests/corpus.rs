//! Round-trip fidelity on workbooks made by other programs (tests/fixtures/corpus, generator
//! committed): tenderkit changes one cell, and every other part, cell value, formula and sheet
//! survives. Proved three ways: untouched parts are byte-identical; tenderkit's reader sees the
//! same cells; LibreOffice, recalculating both files, shows the same values everywhere else.

mod common;

use std::path::PathBuf;

use common::*;
use tenderkit::xlsx::{CellEdit, CellRef, Edits, Workbook};

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.extend([
        fixture("foreign-openpyxl.xlsx"),
        fixture("foreign-libreoffice.xlsx"),
        fixture("hardcoded-variants.xlsx"),
        fixture("prefixed-sdk.xlsx"),
    ]);
    files.sort();
    files
}

const CHANGED: CellRef = CellRef { row: 100, col: 26 };

#[test]
fn changing_one_cell_keeps_everything_else() {
    let files = corpus();
    assert!(files.len() >= 10, "a corpus of at least 10 workbooks: {files:?}");
    let dir = temp();
    for (i, file) in files.iter().enumerate() {
        let wb = Workbook::open(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let sheet = wb.sheets().iter().find(|s| s.is_worksheet).unwrap().name.clone();
        let mut e = Edits::default();
        e.set(&sheet, CHANGED, CellEdit::Text("changed by tenderkit".into()));
        let out = dir.path().join(format!("{i}-{}", file.file_name().unwrap().to_string_lossy()));
        wb.write(&e, &out).unwrap();

        // 1. Every part but the edited sheet is byte-identical.
        let (before, after) = (zip_parts(file), zip_parts(&out));
        assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>(), "{}", file.display());
        let edited = &wb.sheet(&sheet).unwrap().part;
        for (name, bytes) in &before {
            if name != edited {
                assert!(after[name] == *bytes, "{}: part {name} changed", file.display());
            }
        }

        // 2. Every cell of every sheet reads back the same, and the new one is there.
        let back = Workbook::open(&out).unwrap();
        assert_eq!(wb.sheet_names(), back.sheet_names());
        for s in wb.sheets().iter().filter(|s| s.is_worksheet) {
            let (a, b) = (wb.sheet(&s.name).unwrap(), back.sheet(&s.name).unwrap());
            for c in a.cells() {
                let d = b.cell(c.at).unwrap_or_else(|| panic!("{}: {}!{} lost", file.display(), s.name, c.at));
                assert_eq!((&c.value, a.formula(c)), (&d.value, b.formula(d)), "{}: {}!{}", file.display(), s.name, c.at);
            }
            assert_eq!(a.cells().count() + usize::from(s.name == sheet), b.cells().count(), "{}: {}", file.display(), s.name);
        }
        assert_eq!(back.sheet(&sheet).unwrap().value(CHANGED).text(), "changed by tenderkit");

        // 3. LibreOffice, recalculating both, sees the same values everywhere but the changed cell.
        let (Some(lo_before), Some(lo_after)) = (libreoffice_recalc(file), libreoffice_recalc(&out)) else { continue };
        assert_eq!(lo_before.keys().collect::<Vec<_>>().len(), lo_after.len(), "{}: sheets", file.display());
        let changed = lo_after[&sheet].get(CHANGED.row as usize - 1).and_then(|row| row.get(CHANGED.col as usize - 1));
        assert_eq!(changed.map(String::as_str), Some("changed by tenderkit"), "{}: LibreOffice sees the changed cell", file.display());
        for (name, rows) in &lo_before {
            let other = &lo_after[name];
            let rows_n = rows.len().max(other.len());
            for r in 0..rows_n {
                let cols = rows.get(r).map_or(0, Vec::len).max(other.get(r).map_or(0, Vec::len));
                for c in 0..cols {
                    let get = |t: &Vec<Vec<String>>| t.get(r).and_then(|x| x.get(c)).cloned().unwrap_or_default();
                    if name == &sheet && (r as u32 + 1, c as u32 + 1) == (CHANGED.row, CHANGED.col) {
                        continue;
                    }
                    assert_eq!(
                        get(rows),
                        get(other),
                        "{}: LibreOffice shows a different value at {name} row {} column {}",
                        file.display(),
                        r + 1,
                        c + 1
                    );
                }
            }
        }
    }
}
