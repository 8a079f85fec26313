//! `tenderkit rescale`: scores, formulas, legend and validation move to the new scale, and the
//! weighted scores, totals and ranks provably do not change.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use tenderkit::xlsx::{CellRef, Value, Workbook};

/// Every cell value of every worksheet.
fn values(path: &Path) -> BTreeMap<(String, CellRef), Value> {
    let wb = Workbook::open(path).unwrap();
    let mut out = BTreeMap::new();
    for s in wb.sheets().iter().filter(|s| s.is_worksheet) {
        for c in wb.sheet(&s.name).unwrap().cells() {
            if c.value != Value::Empty {
                out.insert((s.name.clone(), c.at), c.value.clone());
            }
        }
    }
    out
}

fn rescale(input: &Path, to: &str, out: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"rescale", &input, &"--to", &to, &"-o", &out];
    for e in extra {
        args.push(e);
    }
    tenderkit(&args)
}

#[test]
fn zero_to_four_to_one_hundred_and_back_gives_the_identical_values() {
    for (input, layout) in [
        (example("matrix.xlsx"), None),
        (fixture("foreign-openpyxl.xlsx"), Some(fixture("layout-foreign.toml"))),
        (fixture("hardcoded-variants.xlsx"), None),
    ] {
        let dir = temp();
        let (up, down) = (dir.path().join("up.xlsx"), dir.path().join("down.xlsx"));
        let extra: Vec<String> = layout.iter().flat_map(|l| ["--layout".to_string(), l.display().to_string()]).collect();
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let run = rescale(&input, "0-100", &up, &extra);
        assert_eq!(run.code, 0, "{}", run.all());
        assert!(run.stdout.contains("weighted scores unchanged"), "{}", run.stdout);
        let run = rescale(&up, "0-4", &down, &extra);
        assert_eq!(run.code, 0, "{}", run.all());
        let (before, after) = (values(&input), values(&down));
        // openpyxl saves formulas without results; tenderkit's copy has them, so compare what
        // the input has.
        for (key, v) in &before {
            assert_eq!(after.get(key), Some(v), "{key:?} after 0-4 -> 0-100 -> 0-4");
        }
        if input == example("matrix.xlsx") {
            assert_eq!(before, after, "every value of the example comes back identical");
        }
    }
}

#[test]
fn the_example_on_the_e_tendering_scale() {
    let dir = temp();
    let out = dir.path().join("pct.xlsx");
    let run = rescale(&example("matrix.xlsx"), "0-100", &out, &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("40 scores mapped") && run.stdout.contains("40 already use the named maximum"), "{}", run.stdout);
    assert!(run.stdout.contains("scale legend updated: Tender!A15:C19") && run.stdout.contains("data-validation rules updated: 1"));
    let wb = Workbook::open(&out).unwrap();
    let tender = wb.sheet("Tender").unwrap();
    assert_eq!(tender.value(CellRef::parse("B10").unwrap()), &Value::Number(100.0), "ScaleMax");
    assert_eq!(tender.value(CellRef::parse("A18").unwrap()), &Value::Number(75.0));
    assert_eq!(tender.value(CellRef::parse("B18").unwrap()), &Value::text_of("Good"));
    let q = wb.sheet("Quality").unwrap();
    assert_eq!(q.value(CellRef::parse("H4").unwrap()), &Value::Number(75.0), "3 of 4 is 75 of 100");
    assert_eq!(q.value(CellRef::parse("G6").unwrap()), &Value::Number(50.0), "the pass mark of 2 is 50 of 100");
    assert!(q.validations.iter().any(|v| v.formula1.contains("ScaleValues")));
    // validate and score read the new scale from the workbook: a typed 3 is now off the scale.
    let run = tenderkit(&[&"validate", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("0, 25, 50, 75, 100 scale"));
    assert_eq!(tenderkit(&[&"score", &out]).stdout, tenderkit(&[&"score", &example("matrix.xlsx")]).stdout, "same ranking");
    agree(&out, None);
}

#[test]
fn hard_coded_maxima_are_rewritten_and_libreoffice_agrees() {
    let dir = temp();
    let out = dir.path().join("pct.xlsx");
    let run = rescale(&fixture("hardcoded-variants.xlsx"), "0-100", &out, &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    for line in [
        "Quality!E2: =D2/4*C2 -> =D2/ScaleMax*C2",
        "Quality!G3: =IF(F3=\"\",\"\",F3/4*$C3) -> =IF(F3=\"\",\"\",F3/ScaleMax*$C3)",
        "Quality!I4: =(H4/4)*C4 -> =(H4/ScaleMax)*C4",
        "Quality!K5: =$J$5*C5/4 -> =$J$5*C5/ScaleMax",
    ] {
        assert!(run.stdout.contains(line), "{line} in\n{}", run.stdout);
    }
    let wb = Workbook::open(&out).unwrap();
    assert_eq!(wb.defined_names().iter().find(|d| d.name == "ScaleMax").map(|d| d.formula.as_str()), Some("100"));
    agree(&out, None);

    let out = dir.path().join("foreign.xlsx");
    let layout = fixture("layout-foreign.toml");
    let run = rescale(&fixture("foreign-openpyxl.xlsx"), "0-100", &out, &["--layout", layout.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("'Technical Evaluation'!F7: =E7/4*$D7*$C$6/100 -> =E7/ScaleMax*$D7*$C$6/100"), "{}", run.stdout);
    assert!(run.stdout.contains("data-validation rules updated: 1"));
    let rule = Workbook::open(&out).unwrap().sheet("Technical Evaluation").unwrap().validations[0].clone();
    assert_eq!((rule.kind.as_str(), rule.formula1.as_str()), ("list", "\"0,25,50,75,100\""));
    agree(&out, Some(&layout));
}

#[test]
fn a_formula_it_does_not_understand_is_listed_and_left_alone() {
    let dir = temp();
    let odd = dir.path().join("odd.xlsx");
    let wb = Workbook::open(&fixture("hardcoded-variants.xlsx")).unwrap();
    let mut edits = tenderkit::xlsx::Edits::default();
    let formula = "ROUND(D3/4*C3,2)";
    edits.set(
        "Quality",
        CellRef::parse("E3").unwrap(),
        tenderkit::xlsx::CellEdit::Formula { formula: formula.into(), result: tenderkit::xlsx::Computed::Number(15.0) },
    );
    wb.write(&edits, &odd).unwrap();
    let out = dir.path().join("out.xlsx");
    let run = rescale(&odd, "0-100", &out, &[]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("Quality!E3: =ROUND(D3/4*C3,2): it is not just the score multiplied by weights"), "{}", run.stderr);
    let back = Workbook::open(&out).unwrap();
    let quality = back.sheet("Quality").unwrap();
    assert_eq!(quality.cell(CellRef::parse("E3").unwrap()).and_then(|c| quality.formula(c)), Some(formula), "left untouched");
}

#[test]
fn a_scale_that_cannot_hold_the_scores_is_refused_unless_allowed() {
    let dir = temp();
    let out = dir.path().join("five.xlsx");
    let run = rescale(&example("matrix.xlsx"), "0-5", &out, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("the 0-5 scale cannot hold these scores exactly (x1.25)") && run.stderr.contains("Quality!H4: 3 -> 3.75"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());

    let run = rescale(&example("matrix.xlsx"), "0-5", &out, &["--allow-fractional"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("need re-scoring") && run.stdout.contains("Quality!H4: 3 -> 3.75"), "{}", run.stdout);
    assert!(run.stdout.contains("weighted scores unchanged"));
    // The cells to re-score are exactly what validate now flags as off the scale.
    let v = tenderkit(&[&"validate", &out]);
    assert_eq!(v.code, 1);
    assert!(v.stdout.contains("Quality!H4") && v.stdout.contains("score 3.75 is not on the 0-5 scale"), "{}", v.stdout);
}

#[test]
fn a_custom_scale_from_a_tender_definition_or_a_list() {
    let dir = temp();
    let t = dir.path().join("tender.toml");
    let text = std::fs::read_to_string(example("tender.toml")).unwrap().replace(
        "scale = \"0-4\"",
        r#"scale = { points = [
  { value = 0, descriptor = "Fail", meaning = "Does not meet the requirement." },
  { value = 4, descriptor = "Weak", meaning = "Meets some of it." },
  { value = 8, descriptor = "Sound", meaning = "Meets it." },
  { value = 12, descriptor = "Strong", meaning = "Meets it well." },
  { value = 16, descriptor = "Outstanding", meaning = "Exceeds it." },
] }"#,
    );
    std::fs::write(&t, text).unwrap();
    let out = dir.path().join("custom.xlsx");
    let run = tenderkit(&[&"rescale", &example("matrix.xlsx"), &"--tender", &t, &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    let tender = Workbook::open(&out).unwrap();
    assert_eq!(tender.sheet("Tender").unwrap().value(CellRef::parse("B19").unwrap()), &Value::text_of("Outstanding"));
    agree(&out, None);

    let out = dir.path().join("list.xlsx");
    let run = rescale(&example("matrix.xlsx"), "0,2,4,6,8", &out, &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(tenderkit(&[&"validate", &out]).stdout.contains("0, 2, 4, 6, 8 scale"));
}

/// Found by the browser test: the example's legend has rows below it, so a nine-point scale
/// cannot be written there. The workbook must still be on the new scale (it was read back on
/// 0-4, every score off the scale) and score to the same totals.
#[test]
fn a_legend_with_no_room_leaves_the_workbook_on_the_new_scale() {
    let dir = temp();
    let out = dir.path().join("0-8.xlsx");
    let run = rescale(&example("matrix.xlsx"), "0-8", &out, &[]);
    assert!(run.stderr.contains("the scale is kept in the defined name ScaleValues instead"), "{}", run.all());
    let before = tenderkit(&[&"score", &example("matrix.xlsx"), &"--json"]);
    let after = tenderkit(&[&"score", &out, &"--json"]);
    assert_eq!(after.code, 0, "{}", after.all());
    let total = |r: &Run| -> Vec<f64> {
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["ranking"]["standings"].as_array().unwrap().iter().map(|s| s["total"].as_f64().unwrap()).collect()
    };
    let (b, a) = (total(&before), total(&after));
    assert_eq!(b.len(), a.len());
    assert!(b.iter().zip(&a).all(|(x, y)| (x - y).abs() < 1e-9), "{b:?} {a:?}");
}
