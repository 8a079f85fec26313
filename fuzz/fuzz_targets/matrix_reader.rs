//! Any bytes as an .xlsx: the reader, layout detection, validation and the arithmetic must
//! return an error or a result, never panic or run away.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tenderkit::domain::{Stage, scoring, validate};
use tenderkit::xlsx::Workbook;
use tenderkit::xlsx::layout::LayoutFile;
use tenderkit::xlsx::matrix::read_matrix;

fuzz_target!(|data: &[u8]| {
    let Ok(wb) = Workbook::from_bytes(std::path::Path::new("fuzz.xlsx"), data.to_vec()) else { return };
    for name in wb.sheet_names() {
        let _ = wb.sheet(name);
    }
    if let Ok(read) = read_matrix(&wb, &LayoutFile::default()) {
        let _ = validate(&read.matrix, Stage::Award);
        let figures = scoring::compute(&read.matrix);
        let _ = read.layout.figure_edits(&wb, &read.matrix, &figures);
    }
});
