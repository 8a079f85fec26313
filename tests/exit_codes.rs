//! Exit codes mean what the README says, for every command: 0 done (warnings allowed), 1 the
//! input has problems the command found and reports, 2 a usage or file error.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A copy of the example tender with `from` replaced by `to`.
fn tender_with(dir: &Path, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(example("tender.toml")).unwrap();
    assert!(text.contains(from), "{from}");
    let p = dir.join(format!("tender-{}.toml", dir.read_dir().unwrap().count()));
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    p
}

fn expect(code: i32, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    let run = tenderkit(args);
    let shown: Vec<String> = args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
    assert_eq!(run.code, code, "tenderkit {}:\n{}", shown.join(" "), run.all());
    run
}

#[test]
fn matrix_new() {
    let dir = temp();
    let out = dir.path().join("m.xlsx");
    expect(0, &[&"matrix", &"new", &example("tender.toml"), &"-o", &out]);
    expect(2, &[&"matrix", &"new", &example("tender.toml"), &"-o", &out]); // exists
    let bad = tender_with(dir.path(), "weight = 40", "weight = 39");
    expect(1, &[&"matrix", &"new", &bad, &"-o", &dir.path().join("n.xlsx")]);
    expect(2, &[&"matrix", &"new", &dir.path().join("missing.toml"), &"-o", &dir.path().join("n.xlsx")]);
    expect(2, &[&"matrix", &"new", &example("tender.toml")]); // no -o
}

#[test]
fn validate_and_score() {
    let dir = temp();
    expect(0, &[&"validate", &example("matrix.xlsx")]);
    expect(0, &[&"score", &example("matrix.xlsx")]);
    let fresh = dir.path().join("fresh.xlsx");
    expect(0, &[&"matrix", &"new", &example("tender.toml"), &"-o", &fresh]);
    expect(1, &[&"validate", &fresh, &"--complete"]);
    expect(1, &[&"score", &fresh]);
    expect(2, &[&"validate", &dir.path().join("missing.xlsx")]);
    expect(2, &[&"score", &example("tender.toml")]); // not a workbook
    expect(2, &[&"score", &example("matrix.xlsx"), &"--layout", &dir.path().join("missing.toml")]);
}

#[test]
fn layout() {
    let dir = temp();
    expect(0, &[&"layout", &example("matrix.xlsx")]);
    let out = dir.path().join("l.toml");
    expect(0, &[&"layout", &example("matrix.xlsx"), &"-o", &out]);
    expect(2, &[&"layout", &example("matrix.xlsx"), &"-o", &out]); // exists
    expect(2, &[&"layout", &dir.path().join("missing.xlsx")]);
}

#[test]
fn rescale() {
    let dir = temp();
    expect(0, &[&"rescale", &example("matrix.xlsx"), &"--to", &"0-100", &"-o", &dir.path().join("a.xlsx")]);
    // 0-4 to 0-5 turns 3 into 3.75: refused, and listed.
    expect(1, &[&"rescale", &example("matrix.xlsx"), &"--to", &"0-5", &"-o", &dir.path().join("b.xlsx")]);
    expect(2, &[&"rescale", &example("matrix.xlsx"), &"--to", &"high", &"-o", &dir.path().join("c.xlsx")]);
    expect(2, &[&"rescale", &example("matrix.xlsx"), &"--to", &"0-100"]); // neither -o nor --in-place
}

#[test]
fn returns_new_and_collect() {
    let dir = temp();
    let (m, panel) = (example("matrix.xlsx"), example("panel.toml"));
    expect(0, &[&"returns", &"new", &m, &"--evaluators", &panel, &"-o", &dir.path().join("r")]);
    // Someone on both sides of the panel.
    let both = dir.path().join("both.toml");
    std::fs::write(
        &both,
        format!("{}\n[[evaluators]]\nname = \"Morag Campbell\"\nrole = \"commercial\"\n", std::fs::read_to_string(&panel).unwrap()),
    )
    .unwrap();
    expect(1, &[&"returns", &"new", &m, &"--evaluators", &both, &"-o", &dir.path().join("r2")]);
    expect(2, &[&"returns", &"new", &m, &"--evaluators", &dir.path().join("missing.toml"), &"-o", &dir.path().join("r3")]);
    let moderated = dir.path().join("moderated.xlsx");
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"returns", &"collect", &m];
    let returns: Vec<PathBuf> = std::fs::read_dir(example("returns")).unwrap().map(|e| e.unwrap().path()).collect();
    for r in &returns {
        args.push(r);
    }
    args.extend([&"--evaluators" as &dyn AsRef<std::ffi::OsStr>, &panel, &"-o", &moderated]);
    expect(1, &args); // flags for the panel
    let corrected = example("returns-flawed/tariq-hussain-quality-corrected.xlsx");
    expect(0, &[&"returns", &"collect", &moderated, &corrected, &"-o", &dir.path().join("m2.xlsx")]);
    // A return that is not there: exit 2, and nothing written.
    let out = dir.path().join("m3.xlsx");
    let run = expect(2, &[&"returns", &"collect", &m, &dir.path().join("nobody.xlsx"), &"--evaluators", &panel, &"-o", &out]);
    assert!(!run.stderr.contains("ask the evaluator"), "{}", run.stderr);
    assert!(!out.exists());
    // The rerun needs no --force because of the failed run.
    expect(0, &[&"returns", &"collect", &moderated, &corrected, &"-o", &out]);
}

#[test]
fn notice_spd_and_exclusion() {
    let dir = temp();
    let t = example("tender.toml");
    expect(0, &[&"notice", &t]);
    expect(0, &[&"spd", &t]);
    expect(0, &[&"exclusion", &t, &example("responses.toml")]);
    let bad = tender_with(dir.path(), "weight = 40", "weight = 39");
    for cmd in ["notice", "spd"] {
        let run = expect(1, &[&cmd, &bad]);
        assert!(run.stderr.contains("sum to 99.00"), "{cmd}: {}", run.stderr);
    }
    let split = tender_with(dir.path(), "quality_weight = 50", "quality_weight = 45");
    let run = expect(1, &[&"notice", &split]);
    assert!(run.stderr.contains("error[split-sum]"), "{}", run.stderr);
    assert!(!run.stdout.contains("Price 50%"), "nothing published: {}", run.stdout);
    let turnover = tender_with(dir.path(), "minimum = 6_000_000.00", "minimum = 60_000_000.00");
    expect(1, &[&"spd", &turnover]);
    expect(2, &[&"notice", &dir.path().join("missing.toml")]);
    expect(2, &[&"spd", &dir.path().join("missing.toml")]);
    expect(2, &[&"exclusion", &t, &dir.path().join("missing.toml")]);
}

#[test]
fn letters() {
    let dir = temp();
    let (t, o) = (example("tender.toml"), example("opening.toml"));
    expect(0, &[&"letters", &"late-bid", &"--tender", &t, &"--opening", &o, &"-o", &dir.path().join("a")]);
    let run = expect(2, &[&"letters", &"successful", &"--tender", &t, &"-o", &dir.path().join("b")]);
    assert!(run.stderr.contains("successful letters need --matrix"), "{}", run.stderr);
    expect(2, &[&"letters", &"late-bid", &"--tender", &t]); // neither -o nor --data
    expect(2, &[&"letters", &"sorry", &"--tender", &t, &"-o", &dir.path().join("c")]);
    let bad = tender_with(dir.path(), "weight = 40", "weight = 39");
    expect(1, &[&"letters", &"late-bid", &"--tender", &bad, &"--opening", &o, &"-o", &dir.path().join("d")]);
    assert!(!dir.path().join("b").exists() && !dir.path().join("d").exists(), "nothing written");
}

#[test]
fn template_check() {
    let dir = temp();
    expect(0, &[&"template", &"check", &root().join("templates/letters/unsuccessful.docx")]);
    let t = dir.path().join("t.hbs");
    std::fs::write(&t, "{{#if x}}never closed").unwrap();
    expect(1, &[&"template", &"check", &t]);
    expect(2, &[&"template", &"check", &dir.path().join("missing.hbs")]);
}
