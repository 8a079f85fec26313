//! Every formula tenderkit writes carries its result, text and logicals included, and that result
//! is LibreOffice's (issue 27): a viewer that does not recalculate shows the same as Excel would.

mod common;

use common::*;

#[test]
fn every_formula_written_has_the_result_libreoffice_computes() {
    let dir = temp();
    let d = dir.path();
    let (t, m, panel) = (example("tender.toml"), example("matrix.xlsx"), example("panel.toml"));
    let new = d.join("new.xlsx");
    let scored = d.join("scored.xlsx");
    let charted = d.join("charted.xlsx");
    let rescaled = d.join("rescaled.xlsx");
    let collected = d.join("collected.xlsx");
    let moderated = d.join("moderated-scored.xlsx");
    let returns = d.join("returns");
    assert_eq!(tenderkit(&[&"matrix", &"new", &t, &"-o", &new]).code, 0);
    assert_eq!(tenderkit(&[&"score", &m, &"-o", &scored]).code, 0);
    assert_eq!(tenderkit(&[&"score", &m, &"-o", &charted, &"--chart"]).code, 0);
    assert_eq!(tenderkit(&[&"rescale", &m, &"--to", &"0-100", &"-o", &rescaled]).code, 0);
    let mut args: Vec<Box<dyn AsRef<std::ffi::OsStr>>> = vec![Box::new("returns"), Box::new("collect"), Box::new(m.clone())];
    for e in std::fs::read_dir(example("returns")).unwrap() {
        args.push(Box::new(e.unwrap().path()));
    }
    args.extend([
        Box::new("--evaluators") as Box<dyn AsRef<std::ffi::OsStr>>,
        Box::new(panel.clone()),
        Box::new("-o"),
        Box::new(collected.clone()),
    ]);
    let refs: Vec<&dyn AsRef<std::ffi::OsStr>> = args.iter().map(|a| a.as_ref() as &dyn AsRef<std::ffi::OsStr>).collect();
    let run = tenderkit(&refs);
    assert!(run.code <= 1, "{}", run.all());
    assert_eq!(tenderkit(&[&"score", &example("moderated.xlsx"), &"-o", &moderated]).code, 0);
    assert_eq!(tenderkit(&[&"returns", &"new", &m, &"--evaluators", &panel, &"-o", &returns]).code, 0);
    // One LibreOffice run for them all; the return files' stems differ from the rest.
    let commercial = returns.join("graham-reid-commercial.xlsx");
    let quality = returns.join("morag-campbell-quality.xlsx");
    let files = [&new, &scored, &charted, &rescaled, &collected, &moderated, &commercial, &quality];
    let paths: Vec<&std::path::Path> = files.iter().map(|p| p.as_path()).collect();
    // What the issue saw blank in a viewer that does not recalculate: the verdicts, the overall
    // check and the chart labels of the scored example.
    let wb = tenderkit::xlsx::Workbook::open(&scored).unwrap();
    let at = |s: &str, c: &str| wb.sheet(s).unwrap().value(tenderkit::xlsx::CellRef::parse(c).unwrap()).text();
    assert_eq!(at("Summary", "A2"), "All checks pass");
    assert_eq!(at("Checks", "D4"), "PASS");
    assert_eq!(at("Summary", "J6"), "Ardmore Municipal Engineering Ltd (failed: not ranked)");
    assert_eq!(at("Checks", "D15"), "PASS");
    let compared = every_cached_result_agrees(&paths);
    if compared > 0 {
        assert!(compared > 500, "the matrices' formulas were compared: {compared}");
    }
}
