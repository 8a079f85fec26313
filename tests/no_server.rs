//! The page with no server decides nothing of its own: for the example, the moderated example,
//! every workbook of the foreign corpus (`tests/fixtures/real`, `tests/fixtures/corpus`) and the
//! real workbooks in `../shared/realworld` where present, its answers (the same Rust functions the
//! browser runs, called natively here) are the commands' answers, and the scored workbook it offers
//! is the one `score -o` writes, byte for byte. The browser test opens the built page itself.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// The page's clock, and the same second for the command (SOURCE_DATE_EPOCH).
const NOW: &str = "2026-12-04T10:00:00Z";
const EPOCH: &str = "1796378400";

fn workbooks() -> Vec<PathBuf> {
    let mut out = vec![example("matrix.xlsx"), example("moderated.xlsx")];
    let mut add = |dir: &Path| {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut found: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        found.sort();
        for p in found {
            if p.is_dir() {
                continue;
            }
            if p.extension().is_some_and(|e| e == "xlsx" || e == "xlsm") {
                out.push(p);
            }
        }
    };
    add(&fixture("real"));
    add(&fixture("corpus"));
    let shared = root().join("../shared/realworld");
    if shared.exists() {
        for set in ["set1", "set2"] {
            add(&shared.join(set).join("xlsx"));
        }
    } else {
        eprintln!("note: ../shared/realworld is not here; only the committed corpus is compared");
    }
    out
}

fn cli_json(args: &[&dyn AsRef<std::ffi::OsStr>]) -> (i32, Value) {
    let run = tenderkit_env(args, &[("SOURCE_DATE_EPOCH", EPOCH)]);
    let json = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.all()));
    (run.code, json)
}

#[test]
fn the_page_with_no_server_answers_as_the_commands_do() {
    let dir = temp();
    let mut compared = 0;
    for path in workbooks() {
        let name = path.display().to_string();
        let bytes = std::fs::read(&path).unwrap();
        // validate --json
        let page: Value = serde_json::from_str(&tenderkit_wasm::validate(&name, bytes.clone(), "{}", None)).unwrap();
        let (code, json) = cli_json(&[&"validate", &"--json", &path]);
        assert_eq!(page["exit"], code, "{name}: validate's exit status");
        assert_eq!(page["json"], json, "{name}: validate's findings");
        // score --json -o
        let out = dir.path().join("scored.xlsx");
        let _ = std::fs::remove_file(&out);
        let page: Value = serde_json::from_str(&tenderkit_wasm::score(&name, bytes, "{}", None, NOW)).unwrap();
        let (code, mut json) = cli_json(&[&"score", &"--json", &path, &"-o", &out]);
        assert_eq!(page["exit"], code, "{name}: score's exit status");
        // The command names the file it wrote; the page the download it offers.
        if json["written"].is_string() {
            json["written"] = page["json"]["written"].clone();
        }
        assert_eq!(page["json"], json, "{name}: score's answer");
        match page["files"].as_array().and_then(|f| f.first()) {
            Some(f) => {
                use base64::Engine;
                let offered = base64::engine::general_purpose::STANDARD.decode(f["base64"].as_str().unwrap()).unwrap();
                assert!(offered == std::fs::read(&out).unwrap(), "{name}: the scored workbook is the command's, byte for byte");
            }
            None => assert!(!out.exists(), "{name}: the command wrote a workbook the page does not offer"),
        }
        compared += 1;
    }
    eprintln!("{compared} workbooks: the page's answers are the commands'");
    // Rescaling: the report and the workbook.
    let out = dir.path().join("rescaled.xlsx");
    let name = example("matrix.xlsx").display().to_string();
    let page: Value =
        serde_json::from_str(&tenderkit_wasm::rescale(&name, std::fs::read(example("matrix.xlsx")).unwrap(), r#"{"to": "0-8"}"#, None))
            .unwrap();
    let run = tenderkit(&[&"rescale", &example("matrix.xlsx"), &"--to", &"0-8", &"-o", &out]);
    assert_eq!(page["exit"], run.code);
    assert_eq!(page["text"].as_str().unwrap(), run.stdout.replace(&out.display().to_string(), "matrix-rescaled.xlsx"));
    use base64::Engine;
    let offered = base64::engine::general_purpose::STANDARD.decode(page["files"][0]["base64"].as_str().unwrap()).unwrap();
    assert!(offered == std::fs::read(&out).unwrap(), "the rescaled workbook is the command's, byte for byte");
    // The panel's returns collected into the example: the flags and the moderated workbook.
    let returns: Vec<PathBuf> = {
        let mut r: Vec<PathBuf> = std::fs::read_dir(example("returns")).unwrap().map(|e| e.unwrap().path()).collect();
        r.sort();
        r
    };
    let index: Vec<(String, usize)> =
        returns.iter().map(|p| (p.display().to_string(), std::fs::metadata(p).unwrap().len() as usize)).collect();
    let all: Vec<u8> = returns.iter().flat_map(|p| std::fs::read(p).unwrap()).collect();
    let panel = example("panel.toml");
    let page: Value = serde_json::from_str(&tenderkit_wasm::collect(
        &name,
        std::fs::read(example("matrix.xlsx")).unwrap(),
        &serde_json::to_string(&index).unwrap(),
        all,
        Some(panel.display().to_string()),
        Some(std::fs::read(&panel).unwrap()),
        "{}",
        None,
        NOW,
    ))
    .unwrap();
    let out = dir.path().join("matrix-moderated.xlsx");
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"returns", &"collect"];
    let m = example("matrix.xlsx");
    args.push(&m);
    for r in &returns {
        args.push(r);
    }
    args.extend([&"--evaluators" as &dyn AsRef<std::ffi::OsStr>, &panel, &"--json", &"-o", &out]);
    let run = tenderkit_env(&args, &[("SOURCE_DATE_EPOCH", EPOCH)]);
    assert_eq!(page["exit"], run.code, "{}", run.all());
    let cli: Value = serde_json::from_str(&run.stdout.replace(&out.display().to_string(), "matrix-moderated.xlsx")).unwrap();
    assert_eq!(page["json"], cli, "returns collect's answer");
    let offered = base64::engine::general_purpose::STANDARD.decode(page["files"][0]["base64"].as_str().unwrap()).unwrap();
    assert!(offered == std::fs::read(&out).unwrap(), "the moderated workbook is the command's, byte for byte");
    // The notice and the SPD statements.
    let tender = example("tender.toml");
    for which in ["notice", "spd"] {
        let page: Value =
            serde_json::from_str(&tenderkit_wasm::text(&tender.display().to_string(), std::fs::read(&tender).unwrap(), which)).unwrap();
        let run = tenderkit(&[&which, &tender]);
        assert_eq!(page["exit"], run.code, "{which}");
        assert_eq!(page["text"].as_str().unwrap(), run.stdout, "{which}");
        let docx = dir.path().join(format!("{which}.docx"));
        let run = tenderkit(&[&which, &tender, &"-o", &docx]);
        assert_eq!(run.code, 0, "{}", run.all());
        let offered = base64::engine::general_purpose::STANDARD.decode(page["files"][0]["base64"].as_str().unwrap()).unwrap();
        assert!(offered == std::fs::read(&docx).unwrap(), "{which}: the Word document is the command's");
    }
    assert!(compared >= 34, "{compared}");
}
