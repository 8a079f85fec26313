//! The Checks sheet of a new matrix: every check is a live formula, and after a buyer breaks the
//! matrix (openpyxl editing it, as Excel would) and LibreOffice recalculates it, each check and
//! the overall cell say what `validate` says about the same file.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use proptest::prelude::*;

type Sheets = HashMap<String, Vec<Vec<String>>>;

/// The checks' verdicts, by row: (rule, severity, verdict, what).
fn verdicts(lo: &Sheets) -> Vec<(String, String, String, String)> {
    lo["Checks"]
        .iter()
        .skip(3)
        .take_while(|r| r.first().is_some_and(|c| !c.is_empty()))
        .map(|r| (r[1].clone(), r[2].clone(), r[3].clone(), r[0].clone()))
        .collect()
}

/// The rules whose checks fail. A weighting that is not a number also leaves its section's sum
/// "cannot be added up": that is the weighting rule's failure, as `validate` reports it.
fn failing(lo: &Sheets) -> BTreeSet<String> {
    verdicts(lo)
        .into_iter()
        .filter(|(_, _, v, _)| v != "PASS")
        .map(|(rule, _, v, _)| if v.starts_with("cannot be added up") { "weight-not-number".into() } else { rule })
        .collect()
}

fn overall(lo: &Sheets) -> String {
    lo["Summary"][1][0].clone()
}

/// The rules `validate` reports (errors and warnings), and with `--complete` the scores and costs
/// still to enter.
fn validate_rules(file: &Path) -> (BTreeSet<String>, usize) {
    let rules = |extra: &[&str]| -> (BTreeSet<String>, usize) {
        let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"validate", &file, &"--json"];
        for e in extra {
            args.push(e);
        }
        let run = tenderkit(&args);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}", run.all()));
        let rules = json["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect();
        (rules, json["errors"].as_u64().unwrap() as usize)
    };
    let (mut draft, errors) = rules(&[]);
    let (complete, _) = rules(&["--complete"]);
    // In a draft, a missing score or cost is a warning only once scoring has started; the check
    // says so whenever one is missing, as `--complete` does.
    draft.remove("score-missing");
    draft.remove("cost-missing");
    draft.extend(complete.into_iter().filter(|r| r == "score-missing" || r == "cost-missing"));
    (draft, errors)
}

/// Edits a copy of the example matrix with openpyxl, as a buyer's Excel would: `edits` are
/// (sheet, cell, Python value).
fn broken(dir: &Path, name: &str, edits: &[(&str, &str, &str)]) -> PathBuf {
    let out = dir.join(format!("{name}.xlsx"));
    let mut script = format!("import openpyxl\nwb = openpyxl.load_workbook({:?})\n", example("matrix.xlsx").display().to_string());
    for (sheet, cell, value) in edits {
        script += &format!("wb[{sheet:?}][{cell:?}] = {value}\n");
    }
    script += &format!("wb.save({:?})\n", out.display().to_string());
    let run = Command::new("python3").arg("-c").arg(&script).output().expect("python3");
    assert!(run.status.success(), "openpyxl: {}", String::from_utf8_lossy(&run.stderr));
    out
}

fn python_ready() -> bool {
    let ok = Command::new("python3").args(["-c", "import openpyxl"]).output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("TENDERKIT_REQUIRE_PYTHON").is_some() {
        panic!("python3 with openpyxl is required");
    }
    ok
}

#[test]
fn each_check_says_what_validate_says_when_a_buyer_breaks_the_matrix() {
    if !python_ready() {
        return;
    }
    let dir = temp();
    // (name, edits, the rules that must fail)
    let cases: Vec<(&str, Vec<(&str, &str, &str)>, &[&str])> = vec![
        ("unbroken", vec![], &[]),
        ("criterion-weight", vec![("Quality", "E4", "31")], &["criterion-weights-sum"]),
        ("section-weight", vec![("Quality", "D4", "40")], &["section-weights-sum"]),
        ("split", vec![("Tender", "B8", "45")], &["split-sum"]),
        ("split-for-commodity", vec![("Tender", "B8", "70"), ("Tender", "B9", "30")], &["split-for-commodity"]),
        ("weight-text", vec![("Quality", "E5", "'twenty-five'")], &["weight-not-number"]),
        ("score-text", vec![("Quality", "H4", "'n/a'")], &["score-not-number"]),
        ("score-off-scale", vec![("Quality", "J6", "5")], &["score-off-scale"]),
        ("score-deleted", vec![("Quality", "H7", "None")], &["score-missing"]),
        ("cost-deleted", vec![("Price", "C5", "None")], &["cost-missing", "abnormally-low"]),
        ("cost-text", vec![("Price", "B6", "'TBC'")], &["cost-not-number"]),
        ("cost-zero", vec![("Price", "B4", "0"), ("Price", "C4", "0"), ("Price", "D4", "0")], &["whole-life-cost-not-positive"]),
    ];
    let files: Vec<PathBuf> = cases.iter().map(|(name, edits, _)| broken(dir.path(), name, edits)).collect();
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let Some(recalculated) = libreoffice_recalc_all(&paths) else { return };
    for (((name, _, want), file), lo) in cases.iter().zip(&files).zip(&recalculated) {
        let got = failing(lo);
        let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "{name}: the checks that fail:\n{:#?}", verdicts(lo));
        let (validated, errors) = validate_rules(file);
        assert_eq!(got, validated, "{name}: the checks and validate disagree");
        // The overall cell: failing checks when validate has errors, else "All checks pass".
        let top = overall(lo);
        assert_eq!(top.starts_with("All checks pass"), errors == 0, "{name}: {top}");
        if *name == "unbroken" {
            assert_eq!(top, "All checks pass");
            assert!(verdicts(lo).iter().all(|(_, _, v, _)| v == "PASS"));
        }
    }
    // A section's sum names its figure; ranks wait while a weighting fails.
    let (_, _, v, what) = verdicts(&recalculated[1]).into_iter().find(|(_, _, v, _)| v != "PASS").unwrap();
    assert_eq!(
        (v.as_str(), what.as_str()),
        ("they sum to 101.00, not 100", "Section 'Technical and performance': its criterion weightings add up to 100")
    );
    assert_eq!(overall(&recalculated[1]), "1 check fails: see Checks");
    assert!(recalculated[1]["Summary"][3..7].iter().all(|r| r[5] == "check weights"), "{:?}", recalculated[1]["Summary"]);
    assert!(recalculated[0]["Summary"][3..7].iter().any(|r| r[5] == "1"), "ranks show when the weightings pass");
    assert_eq!(overall(&recalculated[4]), "All checks pass; 1 warning(s): see Checks");
}

fn weight_case() -> impl Strategy<Value = [f64; 4]> {
    // Three weightings in cents and a fourth that makes 100, then moved by less than a cent
    // (100.004, 99.996), a cent (99.99) or more; and the thirds buyers type.
    let offsets = prop::sample::select(vec![0.0, 0.004, -0.004, 0.01, -0.01, 0.006, -0.006, 0.5]);
    prop_oneof![
        (2400u32..2600, 2400u32..2600, 2400u32..2600, offsets).prop_map(|(a, b, c, off)| {
            let d = f64::from(10_000 - a - b - c) / 100.0 + off;
            [f64::from(a) / 100.0, f64::from(b) / 100.0, f64::from(c) / 100.0, d]
        }),
        Just([33.33, 33.33, 33.33, 0.0]),
        Just([33.33, 33.33, 33.34, 0.0]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1, ..ProptestConfig::default() })]
    /// Random weight edits: the section's check (recalculated by LibreOffice) and `validate`
    /// reach the same verdict, on sums either side of 100 by less than a cent and more.
    #[test]
    fn random_weight_edits_get_the_same_verdict(cases in proptest::collection::vec(weight_case(), 20)) {
        if !python_ready() {
            return Ok(());
        }
        let dir = temp();
        let files: Vec<PathBuf> = cases
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let edits: Vec<(String, String)> = (0..4).map(|k| (format!("E{}", 4 + k), format!("{}", w[k]))).collect();
                let edits: Vec<(&str, &str, &str)> = edits.iter().map(|(c, v)| ("Quality", c.as_str(), v.as_str())).collect();
                broken(dir.path(), &format!("w{i:02}"), &edits)
            })
            .collect();
        let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
        let Some(recalculated) = libreoffice_recalc_all(&paths) else { return Ok(()) };
        let mut seen = BTreeMap::new();
        for ((w, file), lo) in cases.iter().zip(&files).zip(&recalculated) {
            let check = failing(lo).contains("criterion-weights-sum");
            let (rules, _) = validate_rules(file);
            let validated = rules.contains("criterion-weights-sum");
            prop_assert_eq!(check, validated, "weights {:?} (sum {})", w, w.iter().sum::<f64>());
            *seen.entry(check).or_insert(0) += 1;
        }
        prop_assert!(seen.len() == 2 || cases.len() < 5, "both verdicts were exercised: {:?}", seen);
    }
}

#[test]
fn rescaling_keeps_the_checks_right() {
    let dir = temp();
    let out = dir.path().join("rescaled.xlsx");
    let run = tenderkit(&[&"rescale", &example("matrix.xlsx"), &"--to", &"0-100", &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    let Some(lo) = libreoffice_recalc(&out) else { return };
    assert_eq!(overall(&lo), "All checks pass", "{:#?}", verdicts(&lo));
    // A score typed on the old scale is now off it.
    if !python_ready() {
        return;
    }
    let script = format!(
        "import openpyxl\nwb = openpyxl.load_workbook({0:?})\nwb['Quality']['H4'] = 3\nwb.save({0:?})\n",
        out.display().to_string()
    );
    assert!(Command::new("python3").arg("-c").arg(script).status().unwrap().success());
    let lo = libreoffice_recalc(&out).unwrap();
    assert_eq!(failing(&lo), BTreeSet::from(["score-off-scale".to_string()]));
    assert!(validate_rules(&out).0.contains("score-off-scale"));
}
