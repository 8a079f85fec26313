//! Headings in other languages on a real workbook of the second collection
//! (`../shared/realworld/set2`, read there, never copied; skipped with a message where it is
//! absent): a German utility analysis (Nutzwertanalyse) whose score and weighted-score columns
//! are headed Teilnutzenwert and Gewichtet under the bidders' names, merged over each pair.

mod common;

use common::*;
use tenderkit::xlsx::matrix::read_matrix;
use tenderkit::xlsx::{CellRef, Workbook};

#[test]
fn a_german_nutzwertanalyse_is_read_from_its_own_headings() {
    let Some(path) = realworld("set2", "skern95_Nutzwertanalyse.xlsx") else { return };
    // Its criterion and weight headings (Gewichtungskriterien, Faktorgewichtung) sit four rows
    // above the score headings, so the layout names their columns; the rest is the headings.
    let layout = tenderkit::app::layout_from_toml(
        "layout.toml",
        "[quality]\nsheet = \"Tabelle1\"\nheader_row = 5\ncriterion = \"A\"\nweight = \"B\"\n",
    )
    .unwrap();
    let wb = Workbook::open(&path).unwrap();
    let read = read_matrix(&wb, &layout).unwrap();
    let m = &read.matrix;
    let sheet = wb.sheet("Tabelle1").unwrap();
    // From the cells: a town over each Teilnutzenwert (score) | Gewichtet (weighted) pair of
    // row 5, from column C; the criteria in column A from row 6 to the Gesamtnutzwert row.
    let pairs: Vec<u32> = (3..=sheet.last_col()).filter(|&c| sheet.text(CellRef::new(5, c)) == "Teilnutzenwert").collect();
    let towns: Vec<String> = pairs.iter().map(|&c| sheet.text(CellRef::new(3, c))).collect();
    assert_eq!(towns.len(), 8, "{towns:?}");
    assert_eq!(m.bids.iter().map(|b| b.bidder.clone()).collect::<Vec<_>>(), towns);
    let rows: Vec<u32> = (6..=sheet.last_row()).take_while(|&r| !sheet.text(CellRef::new(r, 1)).starts_with("Gesamt")).collect();
    let titles: Vec<String> = m.criteria().map(|(_, c)| c.title.clone()).collect();
    assert_eq!(titles, rows.iter().map(|&r| sheet.text(CellRef::new(r, 1))).collect::<Vec<_>>());
    for (b, &col) in pairs.iter().enumerate() {
        for (i, &row) in rows.iter().enumerate() {
            let cell = sheet.cell(CellRef::new(row, col)).map(|c| c.value.clone());
            let want = match cell {
                Some(tenderkit::xlsx::Value::Number(n)) => Some(n),
                _ => None,
            };
            assert_eq!(m.bids[b].scores[i].number(), want, "{} {}", towns[b], titles[i]);
        }
    }
}
