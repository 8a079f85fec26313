//! Bad input gets a clear, located error, the right exit code, and no output file.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use tenderkit::xlsx::{CellEdit, CellRef, Edits, Workbook};

/// A copy of the example matrix with some cells changed, as a buyer might mistype them.
fn example_with(dir: &Path, changes: &[(&str, &str, CellEdit)]) -> PathBuf {
    let wb = Workbook::open(&example("matrix.xlsx")).unwrap();
    let mut edits = Edits::default();
    for (sheet, cell, edit) in changes {
        edits.set(sheet, CellRef::parse(cell).unwrap(), edit.clone());
    }
    let out = dir.join("typed.xlsx");
    wb.write(&edits, &out).unwrap();
    out
}

fn assert_refused(file: &Path, code: i32, needles: &[&str]) {
    let dir = temp();
    let out = dir.path().join("scored.xlsx");
    for run in [tenderkit(&[&"validate", &file]), tenderkit(&[&"score", &file, &"-o", &out])] {
        assert_eq!(run.code, code, "{}", run.all());
        for n in needles {
            assert!(run.all().contains(n), "expected '{n}' in:\n{}", run.all());
        }
    }
    assert!(!out.exists(), "no output for bad input");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no temporary files left");
}

#[test]
fn text_in_a_score_cell() {
    let dir = temp();
    let f = example_with(dir.path(), &[("Quality", "H5", CellEdit::Text("n/a".into()))]);
    assert_refused(&f, 1, &["error[score-not-number]", "Quality!H5", "Caledonian Fleet Solutions Ltd, criterion 1.2", "holds text 'n/a'"]);
}

#[test]
fn a_number_stored_as_text_is_not_a_score() {
    let dir = temp();
    let f = example_with(dir.path(), &[("Quality", "L6", CellEdit::Text("3".into()))]);
    assert_refused(&f, 1, &["Quality!L6", "holds text '3'"]);
}

#[test]
fn a_score_off_the_scale() {
    let dir = temp();
    let f = example_with(dir.path(), &[("Quality", "J6", CellEdit::Number(7.0))]);
    assert_refused(&f, 1, &["error[score-off-scale]", "Quality!J6", "score 7 is not on the 0-4 scale", "enter one of 0, 1, 2, 3, 4"]);
}

#[test]
fn section_weights_summing_to_90() {
    let dir = temp();
    let f = example_with(dir.path(), &[("Quality", "D4", CellEdit::Number(35.0))]);
    assert_refused(&f, 1, &["error[section-weights-sum]", "Quality!D4:D11", "sum to 90.00, not 100"]);
}

#[test]
fn criterion_weights_within_a_section_not_summing_to_100() {
    let dir = temp();
    let f = example_with(dir.path(), &[("Quality", "E5", CellEdit::Number(20.0))]);
    assert_refused(
        &f,
        1,
        &["error[criterion-weights-sum]", "Quality!E4:E7", "'Technical and performance' sum to 95.00", "30 + 20 + 25 + 20"],
    );
}

#[test]
fn a_split_that_does_not_add_up() {
    let dir = temp();
    let f = example_with(dir.path(), &[("Tender", "B8", CellEdit::Number(40.0))]);
    assert_refused(&f, 1, &["error[split-sum]", "Tender!B8", "price 40 + quality 50 = 90.00, not 100"]);
}

#[test]
fn a_missing_quality_sheet() {
    let dir = temp();
    let f = dir.path().join("other.xlsx");
    let mut book = umya_spreadsheet::new_file();
    book.sheet_mut(0).unwrap().cell_mut("A1").set_value_string("Minutes of the project board");
    umya_spreadsheet::writer::xlsx::write(&book, &f).unwrap();
    assert_refused(&f, 2, &["no Quality or Price sheet", "tenderkit layout", "Sheet1", "--layout"]);
}

#[test]
fn a_password_protected_workbook() {
    let dir = temp();
    let f = dir.path().join("locked.xlsx");
    let book = umya_spreadsheet::reader::xlsx::read(example("matrix.xlsx")).unwrap();
    umya_spreadsheet::writer::xlsx::write_with_password(&book, &f, "secret").unwrap();
    assert_refused(&f, 2, &["password-protected", "remove the password"]);
}

#[test]
fn an_old_binary_xls_file() {
    let dir = temp();
    let f = dir.path().join("old.xlsx");
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend(std::iter::repeat_n(0u8, 1024));
    bytes.extend("Workbook".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&f, bytes).unwrap();
    assert_refused(&f, 2, &["old binary Excel workbook (.xls)", "save it as 'Excel Workbook (.xlsx)'"]);
}

#[test]
fn a_csv_renamed_and_an_empty_file() {
    let dir = temp();
    let f = dir.path().join("scores.xlsx");
    std::fs::write(&f, "Bidder,Score\nAcme,3\n").unwrap();
    assert_refused(&f, 2, &["not an Excel workbook", "not a zip package (it starts with 'Bidder,S')"]);
    std::fs::write(&f, "").unwrap();
    assert_refused(&f, 2, &["the file is empty"]);
}

#[test]
fn a_truncated_workbook() {
    let dir = temp();
    let f = dir.path().join("cut.xlsx");
    let bytes = std::fs::read(example("matrix.xlsx")).unwrap();
    std::fs::write(&f, &bytes[..bytes.len() * 6 / 10]).unwrap();
    assert_refused(&f, 2, &["damaged", "truncated"]);
}

fn zip_with(path: &Path, parts: &[(&str, &[u8])]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, data) in parts {
        z.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn a_word_document_renamed_xlsx() {
    let dir = temp();
    let f = dir.path().join("letter.xlsx");
    zip_with(
        &f,
        &[
            ("[Content_Types].xml", br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#),
            ("_rels/.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#),
            ("word/document.xml", b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body/></w:document>"),
        ],
    );
    assert_refused(&f, 2, &["it is a Word document (.docx), not a workbook"]);
}

/// The example's parts with `part` replaced.
fn example_with_part(path: &Path, part: &str, data: &[u8]) {
    let mut src = zip::ZipArchive::new(std::fs::File::open(example("matrix.xlsx")).unwrap()).unwrap();
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..src.len() {
        let mut e = src.by_index(i).unwrap();
        let name = e.name().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut bytes).unwrap();
        z.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(if name == part { data } else { &bytes }).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn xml_with_a_doctype_is_refused() {
    let dir = temp();
    let f = dir.path().join("xxe.xlsx");
    let sheet = br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>"#;
    example_with_part(&f, "xl/worksheets/sheet2.xml", sheet);
    assert_refused(&f, 2, &["refused", "DOCTYPE"]);
}

#[test]
fn a_zip_bomb_is_refused_before_it_inflates() {
    let dir = temp();
    let f = dir.path().join("bomb.xlsx");
    // 64 MiB of one byte stores in about 64 KiB: a 1000:1 ratio no spreadsheet has.
    let sheet = vec![b' '; 64 << 20];
    example_with_part(&f, "xl/worksheets/sheet2.xml", &sheet);
    assert_refused(&f, 2, &["refused", "zip bomb"]);
}

#[test]
fn a_formula_injection_in_a_bidder_name_stays_text() {
    let dir = temp();
    let evil = "=cmd|' /C calc'!A0";
    let t = dir.path().join("tender.toml");
    let text = std::fs::read_to_string(example("tender.toml")).unwrap().replace("Northgate EV Vehicles plc", "=cmd|' /C calc'!A0");
    std::fs::write(&t, text).unwrap();
    let m = dir.path().join("m.xlsx");
    let run = tenderkit(&[&"matrix", &"new", &t, &"-o", &m]);
    assert_eq!(run.code, 0, "{}", run.all());
    let wb = Workbook::open(&m).unwrap();
    for (sheet, cell) in [("Quality", "J2"), ("Price", "A5"), ("Summary", "A5")] {
        let c = wb.sheet(sheet).unwrap().cell(CellRef::parse(cell).unwrap()).unwrap().clone();
        assert!(!c.has_formula(), "{sheet}!{cell} must not be a formula");
        assert_eq!(c.value, tenderkit::xlsx::Value::text_of(evil), "{sheet}!{cell}");
    }
    let read = tenderkit::xlsx::matrix::read_matrix(&wb, &Default::default()).unwrap();
    assert_eq!(read.matrix.bids[1].bidder, evil);
}
