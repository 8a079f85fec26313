//! Rebuilds `examples/matrix.xlsx`: the matrix `tenderkit matrix new` makes from
//! `examples/tender.toml`, with the moderated scores and the bidders' whole-life costs typed in
//! (as a buyer would after the moderation meeting), and every figure cached.
//!
//!     cargo run --example make_example

use std::path::Path;

use tenderkit::domain::{Entry, scoring};
use tenderkit::tender_file::load_tender;
use tenderkit::xlsx::layout::LayoutFile;
use tenderkit::xlsx::matrix::read_matrix;
use tenderkit::xlsx::{CellEdit, CellRef, Edits, Workbook};

/// Moderated scores on the 0-4 scale, criteria 1.1-3.3, one row per bidder in tender order.
const SCORES: [[f64; 10]; 4] = [
    [3.0, 3.0, 4.0, 3.0, 3.0, 2.0, 3.0, 3.0, 2.0, 3.0],
    [4.0, 3.0, 3.0, 2.0, 4.0, 3.0, 3.0, 2.0, 3.0, 2.0],
    [2.0, 2.0, 3.0, 3.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0],
    [3.0, 4.0, 3.0, 4.0, 3.0, 3.0, 4.0, 4.0, 3.0, 4.0],
];

/// Acquisition, operating (8 years) and end-of-life cost for 12 vehicles; a negative end-of-life
/// cost is the resale value of the batteries and chassis.
const COSTS: [[f64; 3]; 4] = [
    [4_080_000.00, 1_150_000.00, -120_000.00],
    [3_720_000.00, 1_390_000.00, -60_000.00],
    [3_540_000.00, 1_480_000.00, 40_000.00],
    [4_260_000.00, 1_020_000.00, -180_000.00],
];

fn main() -> tenderkit::Result<()> {
    // The examples folder, or another copy of it (as the reproducibility test gives).
    let dir =
        std::env::args().nth(1).map(std::path::PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"));
    let tender = load_tender(&dir.join("tender.toml"))?;
    let blank = tempfile::NamedTempFile::new().expect("temp file");
    let matrix = tender.matrix().expect("the example tender is valid");
    tenderkit::xlsx::create::new_matrix(&tender, &matrix, blank.path())?;

    let wb = Workbook::open(blank.path())?;
    let mut read = read_matrix(&wb, &LayoutFile::default())?;
    let (q, price) = (read.layout.quality.as_ref().expect("a quality sheet"), read.layout.price.as_ref().expect("a price sheet"));
    let mut edits = Edits::default();
    for (b, scores) in SCORES.iter().enumerate() {
        for (i, &score) in scores.iter().enumerate() {
            edits.set(&q.sheet, CellRef::new(q.criterion_rows[i], q.bidders[b].score), CellEdit::Number(score));
            read.matrix.bids[b].scores[i] = Entry::Number(score);
        }
        let row = price.rows[b].expect("a price row per bidder");
        for (k, &amount) in COSTS[b].iter().enumerate() {
            edits.set(&price.sheet, CellRef::new(row, price.components[k].1), CellEdit::Number(amount));
            read.matrix.bids[b].costs[k].amount = Entry::Number(amount);
        }
    }
    edits.extend(read.layout.figure_edits(&wb, &read.matrix, &scoring::compute(&read.matrix)));
    let out = dir.join("matrix.xlsx");
    wb.write(&edits, &out)?;
    println!("wrote {}", out.display());
    Ok(())
}
