//! Every formula tenderkit writes carries its result, text and logicals included, and that result
//! is LibreOffice's (issue 27): a viewer that does not recalculate shows the same as Excel would.

mod common;

use common::*;
use tenderkit::xlsx::{CellRef, Sheet, Value, Workbook};

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

/// A buyer's own formula gets the result it gives itself, to the last bit (issue 31, item 9):
/// tenderkit computes a weighted score as score / maximum x weight, the workbook as
/// =PRODUCT(weight, score); in tenderkit's order 1/3 x 50 x 3 is 49.99999999999999, not the 50 the
/// cell shows. The German scenario sheet is read with its results of the Score columns taken out,
/// as a workbook never calculated (written by a script) has them, so every one is worked out.
#[test]
fn a_buyers_formula_is_cached_as_it_computes_itself() {
    let Some(src) = realworld("set2", "en7ropy_Nutzwertanalyse.xlsx") else { return };
    let dir = temp();
    let (bare, out, layout) = (dir.path().join("bare.xlsx"), dir.path().join("scored.xlsx"), dir.path().join("layout.toml"));
    let sheet = "Szenario 1";
    let original = Workbook::open(&src).unwrap();
    let part = original.sheets().iter().find(|s| s.name == sheet).unwrap().part.clone();
    let weighted: Vec<CellRef> = (3..=12).flat_map(|row| [4, 6, 8].map(|col| CellRef::new(row, col))).collect();
    let mut parts: Vec<(String, Vec<u8>)> = zip_parts(&src).into_iter().collect();
    for (name, data) in &mut parts {
        if *name == part {
            let mut xml = String::from_utf8(data.clone()).unwrap();
            for at in &weighted {
                let start = xml.find(&format!("<c r=\"{at}\"")).unwrap();
                let end = start + xml[start..].find("</c>").unwrap();
                let cell = &xml[start..end];
                let v = cell.find("<v>").unwrap();
                let stripped = format!("{}{}", &cell[..v], &cell[v + cell[v..].find("</v>").unwrap() + 4..]);
                xml.replace_range(start..end, &stripped);
            }
            *data = xml.into_bytes();
        }
    }
    write_parts(&bare, &parts, true);
    std::fs::write(
        &layout,
        "[quality]\nsheet = \"Szenario 1\"\nheader_row = 2\nlast_row = 12\ncriterion = \"A\"\nweight = \"B\"\n\
         bidders = [{ name = \"VMware/Broadcom\", score = \"C\", weighted = \"D\" }, { name = \"Nutanix\", score = \"E\", weighted = \"F\" }, \
         { name = \"Proxmox mit Ceph\", score = \"G\", weighted = \"H\" }]\n[scale]\nname = \"1-3\"\n[split]\nprice = 0\nquality = 100\n",
    )
    .unwrap();
    // As the buyer saved it (every result there), and never calculated.
    let as_saved = dir.path().join("as-saved.xlsx");
    assert_eq!(tenderkit(&[&"score", &src, &"--layout", &layout, &"-o", &as_saved]).code, 0);
    let run = tenderkit(&[&"score", &bare, &"--layout", &layout, &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    let was = original.sheet(sheet).unwrap();
    for (out, at) in [&as_saved, &out].into_iter().flat_map(|o| weighted.iter().map(move |at| (o, at))) {
        let now = Workbook::open(out).unwrap();
        let now = now.sheet(sheet).unwrap();
        // From the cells: the weight (column B) times the score (the column to the left).
        let num = |s: &Sheet, at: CellRef| match s.value(at) {
            Value::Number(n) => *n,
            v => panic!("{sheet}!{at}: {v:?}"),
        };
        let want = num(was, CellRef::new(at.row, 2)) * num(was, CellRef::new(at.row, at.col - 1));
        assert_eq!(num(now, *at), want, "{}: {sheet}!{at}", out.display());
        assert_eq!(num(now, *at), num(was, *at), "{sheet}!{at}: the result the buyer's file had saved");
    }
    every_cached_result_agrees(&[&as_saved, &out]);
}
