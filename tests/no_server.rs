//! The page with no server decides nothing of its own: for the example, the moderated example,
//! every workbook of the foreign corpus (`tests/fixtures/real`, `tests/fixtures/corpus`) and the
//! real workbooks in `../shared/realworld` where present, its answers (the same Rust functions the
//! browser runs, called natively here) are the commands' answers, and the scored workbook it offers
//! is the one `score -o` writes, byte for byte. The browser test opens the built page itself.

mod common;

use std::path::{Path, PathBuf};

use base64::Engine;
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
    let offered = base64::engine::general_purpose::STANDARD.decode(page["files"][0]["base64"].as_str().unwrap()).unwrap();
    assert!(offered == std::fs::read(&out).unwrap(), "the rescaled workbook is the command's, byte for byte");
    // The panel's returns collected into the example: the flags and the moderated workbook.
    let returns: Vec<PathBuf> = {
        let mut r: Vec<PathBuf> = std::fs::read_dir(example("returns")).unwrap().map(|e| e.unwrap().path()).collect();
        r.sort();
        r
    };
    let (index, all) = sent(&returns.iter().map(|p| ("returns", p.as_path())).collect::<Vec<_>>());
    let panel = example("panel.toml");
    let page: Value = serde_json::from_str(&tenderkit_wasm::collect(
        &name,
        std::fs::read(example("matrix.xlsx")).unwrap(),
        &index,
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
        let page: Value = serde_json::from_str(&tenderkit_wasm::text(
            &tender.display().to_string(),
            std::fs::read(&tender).unwrap(),
            which,
            None,
            None,
            "2026-12-04",
        ))
        .unwrap();
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

/// The page's files for one action, as its script sends them: `[field, name, length]` and the
/// bytes one after another.
fn sent(files: &[(&str, &Path)]) -> (String, Vec<u8>) {
    let mut index = Vec::new();
    let mut all = Vec::new();
    for (field, path) in files {
        let bytes = std::fs::read(path).unwrap();
        index.push(serde_json::json!([field, path.display().to_string(), bytes.len()]));
        all.extend(bytes);
    }
    (Value::Array(index).to_string(), all)
}

/// Each answer line the page reads (`serve` streams the same lines).
fn lines(ndjson: &str) -> Vec<Value> {
    ndjson.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn the_page_with_no_server_writes_the_letters_the_command_writes() {
    let dir = temp();
    let tender = example("tender.toml");
    let moderated = example("moderated.xlsx");
    let template = root().join("templates/letters/unsuccessful.docx");
    // The bundled template given as the buyer's own: checked first, then the letters, as one zip.
    let (index, bytes) = sent(&[("tender", &tender), ("matrix", &moderated), ("template", &template)]);
    let form = r#"{"kind": "unsuccessful", "date": "2026-12-04"}"#;
    let answer = lines(&tenderkit_wasm::letters(&index, bytes, form, "2026-12-05"));
    assert_eq!(answer.len(), 2, "{answer:?}");
    let check = &answer[0]["template_check"];
    let run = tenderkit(&[&"template", &"check", &template, &"--json"]);
    assert_eq!(check["exit"], run.code, "{}", run.all());
    let cli: Value = serde_json::from_str(&run.stdout.replace(&template.display().to_string(), "TEMPLATE")).unwrap();
    let page: Value = serde_json::from_str(&check["json"].to_string().replace(&template.display().to_string(), "TEMPLATE")).unwrap();
    assert_eq!(page, cli, "the template check is the command's");
    let done = &answer[1]["done"];
    let out = dir.path().join("letters");
    let run = tenderkit(&[
        &"letters", &"unsuccessful", &"--tender", &tender, &"--matrix", &moderated, &"--template", &template, &"--date", &"2026-12-04",
        &"--zip", &"-o", &out,
    ]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(done["exit"], 0, "{done}");
    assert_eq!(done["text"].as_str().unwrap(), run.stdout.replace(&out.display().to_string(), "letters"), "the report is the command's");
    assert_eq!(done["files"][0]["name"], "unsuccessful-letters.zip");
    let offered = base64::engine::general_purpose::STANDARD.decode(done["files"][0]["base64"].as_str().unwrap()).unwrap();
    assert!(offered == std::fs::read(out.join("unsuccessful-letters.zip")).unwrap(), "the zip is the command's, byte for byte");
    // A letter that needs what was not given is refused as the command refuses it: with its reason.
    let (index, bytes) = sent(&[("tender", &tender)]);
    let answer = lines(&tenderkit_wasm::letters(&index, bytes, r#"{"kind": "successful"}"#, "2026-12-05"));
    let done = &answer[0]["done"];
    let run = tenderkit(&[&"letters", &"successful", &"--tender", &tender, &"-o", &dir.path().join("none")]);
    assert_eq!((done["exit"].as_i64().unwrap(), run.code), (2, 2), "{done} {}", run.all());
    assert!(done["messages"].as_str().unwrap().contains("successful letters need --matrix"), "{done}");
    assert!(run.stderr.contains("successful letters need --matrix"), "{}", run.all());
    // Refused on the panel's missing reasons (the scored example has none): nothing offered.
    let (index, bytes) = sent(&[("tender", &tender), ("matrix", &example("matrix.xlsx"))]);
    let answer = lines(&tenderkit_wasm::letters(&index, bytes, r#"{"kind": "unsuccessful", "date": "2026-12-04"}"#, "2026-12-05"));
    let done = &answer[0]["done"];
    let run = tenderkit(&[
        &"letters", &"unsuccessful", &"--tender", &tender, &"--matrix", &example("matrix.xlsx"), &"--date", &"2026-12-04", &"-o",
        &dir.path().join("refused"),
    ]);
    assert_eq!(done["exit"], run.code, "{done} {}", run.all());
    assert_eq!(done["messages"].as_str().unwrap(), run.stderr, "the refusal is the command's");
    assert_eq!(done["files"], serde_json::json!([]));
}

#[test]
fn the_page_with_no_server_tests_the_ranking_as_the_command_does() {
    let dir = temp();
    for m in [example("matrix.xlsx"), example("moderated.xlsx"), fixture("real/mixed-percent.xlsx")] {
        let name = m.display().to_string();
        let page: Value = serde_json::from_str(&tenderkit_wasm::sensitivity(&name, std::fs::read(&m).unwrap(), "{}", None)).unwrap();
        let out = dir.path().join(format!("{}-sensitivity.xlsx", m.file_stem().unwrap().to_string_lossy()));
        let run = tenderkit(&[&"sensitivity", &m, &"-o", &out]);
        assert_eq!(page["exit"], run.code, "{name}: {page} {}", run.all());
        assert_eq!(page["messages"].as_str().unwrap(), run.stderr, "{name}");
        if run.code != 0 {
            assert_eq!(page["files"], serde_json::json!([]), "{name}");
            continue;
        }
        let written = out.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(page["text"].as_str().unwrap(), run.stdout.replace(&out.display().to_string(), &written), "{name}: the report");
        let offered = base64::engine::general_purpose::STANDARD.decode(page["files"][0]["base64"].as_str().unwrap()).unwrap();
        assert!(offered == std::fs::read(&out).unwrap(), "{name}: the workbook is the command's, byte for byte");
    }
}

#[test]
fn the_page_with_no_server_writes_the_conflicts_record_the_command_writes() {
    let dir = temp();
    let tender = example("tender.toml");
    let moderated = example("moderated.xlsx");
    let page: Value = serde_json::from_str(&tenderkit_wasm::conflicts(
        &tender.display().to_string(),
        std::fs::read(&tender).unwrap(),
        &moderated.display().to_string(),
        std::fs::read(&moderated).unwrap(),
        "{}",
        None,
        "2026-12-04",
    ))
    .unwrap();
    let run = tenderkit_env(&[&"conflicts", &"--tender", &tender, &"--matrix", &moderated], &[("SOURCE_DATE_EPOCH", EPOCH)]);
    assert_eq!((page["exit"].as_i64().unwrap(), run.code), (0, 0), "{page} {}", run.all());
    assert_eq!(page["text"].as_str().unwrap(), run.stdout, "the record is the command's");
    assert!(run.stdout.contains("Prepared on 4 December 2026"), "{}", run.stdout);
    let docx = dir.path().join("conflicts.docx");
    let run = tenderkit_env(&[&"conflicts", &"--tender", &tender, &"--matrix", &moderated, &"-o", &docx], &[("SOURCE_DATE_EPOCH", EPOCH)]);
    assert_eq!(run.code, 0, "{}", run.all());
    let offered = base64::engine::general_purpose::STANDARD.decode(page["files"][0]["base64"].as_str().unwrap()).unwrap();
    assert!(offered == std::fs::read(&docx).unwrap(), "the Word document is the command's");
    // A matrix with no panel: refused as the command refuses it.
    let plain = example("matrix.xlsx");
    let page: Value = serde_json::from_str(&tenderkit_wasm::conflicts(
        &tender.display().to_string(),
        std::fs::read(&tender).unwrap(),
        &plain.display().to_string(),
        std::fs::read(&plain).unwrap(),
        "{}",
        None,
        "2026-12-04",
    ))
    .unwrap();
    let run = tenderkit(&[&"conflicts", &"--tender", &tender, &"--matrix", &plain]);
    assert_eq!((page["exit"].as_i64().unwrap(), run.code), (1, 1), "{page} {}", run.all());
    assert_eq!(page["messages"].as_str().unwrap(), run.stderr);
}

#[test]
fn the_page_with_no_server_decides_exclusion_as_the_command_does() {
    let dir = temp();
    let tender = example("tender.toml");
    let responses = example("responses.toml");
    let page: Value = serde_json::from_str(&tenderkit_wasm::text(
        &tender.display().to_string(),
        std::fs::read(&tender).unwrap(),
        "exclusion",
        Some(responses.display().to_string()),
        Some(std::fs::read(&responses).unwrap()),
        "2026-12-05",
    ))
    .unwrap();
    let run = tenderkit(&[&"exclusion", &tender, &responses]);
    assert_eq!(page["exit"], run.code, "{}", run.all());
    assert_eq!(page["text"].as_str().unwrap(), run.stdout, "the decisions are the command's");
    assert!(run.stdout.contains("Decided on"), "{}", run.all());
    let docx = dir.path().join("exclusion.docx");
    let run = tenderkit(&[&"exclusion", &tender, &responses, &"-o", &docx]);
    assert_eq!(run.code, 0, "{}", run.all());
    let offered = base64::engine::general_purpose::STANDARD.decode(page["files"][0]["base64"].as_str().unwrap()).unwrap();
    assert!(offered == std::fs::read(&docx).unwrap(), "the Word document is the command's");
}
