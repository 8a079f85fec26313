//! Inputs the fuzzers (`fuzz/`, run with `cargo fuzz`) found crashing, kept as regression tests:
//! each goes through the same code as its fuzz target and must give a result or an error.

mod common;

use tenderkit::domain::{Stage, Tender, validate};
use tenderkit::render::{Templates, check, engine, text_tags};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = common::root().join("tests/fuzz").join(target);
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|d| d.map(|e| e.unwrap()).map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn template_inputs_that_crashed() {
    let sample = serde_json::json!({"bidder": "Acme", "total": 86.04, "date": "2026-12-18", "scores": [{"reference": "1.1"}], "tender": {"title": "T", "reference": "R"}});
    let t = Templates::load(None).unwrap();
    let hb = engine(handlebars::no_escape);
    let found = inputs("template");
    assert!(!found.is_empty(), "the crashes found so far are kept");
    for (name, data) in found {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        let _ = t.render_text(&name, text, &sample);
        let _ = check(&text_tags(text), &sample, &hb);
        let _ = tenderkit::docx::template::fill_part(&data, &sample);
    }
}

#[test]
fn matrix_reader_and_tender_file_inputs_that_crashed() {
    for (_, data) in inputs("matrix_reader") {
        if let Ok(wb) = tenderkit::xlsx::Workbook::from_bytes(std::path::Path::new("fuzz.xlsx"), data) {
            let _ = tenderkit::xlsx::matrix::read_matrix(&wb, &Default::default());
        }
    }
    for (_, data) in inputs("tender_file") {
        if let Ok(t) = toml::from_str::<Tender>(&String::from_utf8_lossy(&data))
            && let Ok(m) = t.matrix()
        {
            let _ = validate(&m, Stage::Draft);
        }
    }
}
