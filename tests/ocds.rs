//! The open-data export: an OCDS 1.1 release package that validates, offline, against the
//! release schema 1.1.5 with the awardCriteria, bids and UK extensions merged in (JSON Merge
//! Patch), and says what the evaluation says.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::{Value, json};

fn read(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("schemas/ocds").join(path)).unwrap()).unwrap()
}

/// The merged release schema, built here independently of tenderkit's own: the core schema, each
/// extension as a merge patch, and the three lots fields the export uses (the awardCriteria
/// extension's test dependency, not among the bundled copies).
fn merged(uk: bool) -> Value {
    let mut schema = read("release-schema.json");
    let mut patches = vec![read("extensions/awardCriteria/release-schema.json"), read("extensions/bids/release-schema.json")];
    if uk {
        patches.push(read("extensions/uk/release-schema.json"));
    }
    patches.push(json!({"definitions": {
        "Tender": {"properties": {"lots": {"type": "array", "items": {"$ref": "#/definitions/Lot"}}}},
        "Lot": {"type": "object", "required": ["id"], "properties": {"id": {"type": ["string", "integer"]}, "title": {"type": ["string", "null"]}}}
    }}));
    for p in &patches {
        json_patch::merge(&mut schema, p);
    }
    schema
}

/// Validates a package against the package schema, whose releases refer to the merged release
/// schema by its URI (served from memory: nothing is fetched).
fn validation_errors(package: &Value, uk: bool) -> Vec<String> {
    let registry = jsonschema::Registry::new()
        .add("https://standard.open-contracting.org/schema/1__1__5/release-schema.json", merged(uk))
        .unwrap()
        .prepare()
        .unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .with_registry(&registry)
        .build(&read("release-package-schema.json"))
        .unwrap();
    validator.iter_errors(package).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

fn tender(dir: &Path, regime: &str) -> PathBuf {
    let text =
        std::fs::read_to_string(example("tender.toml")).unwrap().replace("regime = \"scotland-2015\"", &format!("regime = \"{regime}\""));
    let path = dir.join(format!("{regime}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

fn export(dir: &Path, regime: &str) -> Value {
    let out = dir.join(format!("{regime}.json"));
    let run = tenderkit(&[
        &"ocds",
        &tender(dir, regime),
        &"--matrix",
        &example("moderated.xlsx"),
        &"--responses",
        &example("responses.toml"),
        &"--opening",
        &example("opening.toml"),
        &"--date",
        &"2026-12-18",
        &"--sent",
        &"2026-12-21",
        &"-o",
        &out,
    ]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("valid against release schema 1.1.5"), "{}", run.stdout);
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

#[test]
fn the_export_validates_against_the_merged_schema() {
    let dir = temp();
    for (regime, uk) in [("procurement-act-2023", true), ("scotland-2015", false)] {
        let package = export(dir.path(), regime);
        assert_eq!(validation_errors(&package, uk), Vec::<String>::new(), "{regime}");
        let extensions: Vec<&str> = package["extensions"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
        assert_eq!(extensions.iter().any(|e| e.contains("ocds_uk_extension")), uk, "{extensions:?}");
        // tenderkit's own check agrees, field by field.
        assert!(
            tenderkit::ocds::check(&package, if uk { tenderkit::domain::regime::Regime::ProcurementAct2023 } else { Default::default() })
                .is_empty()
        );
    }
}

#[test]
fn the_export_says_what_the_evaluation_says() {
    let dir = temp();
    let package = export(dir.path(), "procurement-act-2023");
    let r = &package["releases"][0];
    assert_eq!(r["ocid"], "ocds-kc7f31-FLT-2026-031");
    assert_eq!(r["tag"], json!(["award"]));
    // Award criteria with weights: price, then each quality criterion's share of the total.
    let criteria = r["tender"]["lots"][0]["awardCriteria"]["criteria"].as_array().unwrap();
    assert_eq!(criteria.len(), 11);
    assert_eq!(criteria[0]["type"], "price");
    let total: f64 = criteria.iter().map(|c| c["numbers"][0]["number"].as_f64().unwrap()).sum();
    assert!((total - 100.0).abs() < 1e-6, "weights add up to 100: {total}");
    let safety = criteria.iter().find(|c| c["name"] == "1.3 Safety systems and crew welfare").unwrap();
    assert_eq!(safety["numbers"][1], json!({"number": 2.0, "threshold": "minimumScore"}));
    // Bids: value, status and rank.
    let bids = r["bids"]["details"].as_array().unwrap();
    let bid = |name: &str| bids.iter().find(|b| b["tenderers"][0]["name"] == name).unwrap().clone();
    assert_eq!(bid("Forth Valley Commercial Vehicles LLP")["rank"], 1);
    assert_eq!(bid("Northgate EV Vehicles plc")["rank"], 2);
    assert_eq!(bid("Northgate EV Vehicles plc")["value"], json!({"amount": 5050000.0, "currency": "GBP"}));
    assert_eq!(bid("Ardmore Municipal Engineering Ltd")["status"], "disqualified");
    assert_eq!(bid("Ardmore Municipal Engineering Ltd")["hasRank"], false);
    assert_eq!(bid("Caledonian Fleet Solutions Ltd")["status"], "valid");
    // The award: supplier, value, date, and the Act's standstill period.
    let award = &r["awards"][0];
    assert_eq!(award["suppliers"][0], json!({"id": "GB-COH-SO305512", "name": "Forth Valley Commercial Vehicles LLP"}));
    assert_eq!(award["value"]["amount"], 5100000.0);
    // The period the contract award notice provides for: the council's longer one (s.51(1)(b)),
    // as the notice text and the assessment summaries say; the mandatory period ends 5 January.
    assert_eq!(award["standstillPeriod"], json!({"startDate": "2026-12-21T00:00:00Z", "endDate": "2027-01-07T23:59:59Z"}));
    let winner = r["parties"].as_array().unwrap().iter().find(|p| p["id"] == "GB-COH-SO305512").unwrap();
    assert_eq!(winner["roles"], json!(["tenderer", "supplier"]));
    assert_eq!(winner["contactPoint"]["email"], "sales@forthvalley-cv.example");
}

#[test]
fn a_package_that_breaks_the_schema_is_caught() {
    let dir = temp();
    let good = export(dir.path(), "procurement-act-2023");
    let act = tenderkit::domain::regime::Regime::ProcurementAct2023;
    let broken = [
        ("/releases/0/bids/details/0/status", json!("qualified")),
        ("/releases/0/awards/0/value/currency", json!("XXY")),
        ("/releases/0/tender/lots/0/awardCriteria/criteria/0/numbers/0/weight", json!("percent")),
        ("/releases/0/date", json!("18 December 2026")),
    ];
    for (pointer, value) in broken {
        let mut p = good.clone();
        *p.pointer_mut(pointer).unwrap() = value;
        assert!(!validation_errors(&p, true).is_empty(), "{pointer} should not validate");
        assert!(!tenderkit::ocds::check(&p, act).is_empty(), "{pointer}: tenderkit's own check catches it");
    }
    // A misspelt field passes the schema (it allows any field), but not tenderkit's check.
    let mut p = good.clone();
    p["releases"][0]["awards"][0]["standstilPeriod"] = json!({});
    assert!(validation_errors(&p, true).is_empty());
    let problems = tenderkit::ocds::check(&p, act);
    assert_eq!(problems, ["/releases/0/awards/0/standstilPeriod: not a field of the schema or its extensions"]);
}

#[test]
fn what_the_export_needs_from_the_tender_file() {
    let dir = temp();
    let text = std::fs::read_to_string(tender(dir.path(), "scotland-2015")).unwrap();
    let path = dir.path().join("no-prefix.toml");
    std::fs::write(&path, text.replace("ocid_prefix = \"ocds-kc7f31\"\n", "")).unwrap();
    let out = dir.path().join("out.json");
    let run = tenderkit(&[&"ocds", &path, &"--matrix", &example("moderated.xlsx"), &"-o", &out]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("no ocid_prefix"), "{}", run.stderr);
    assert!(!out.exists());
    // The tender checks run first, as for every command that publishes.
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, text.replace("price_weight = 50", "price_weight = 45")).unwrap();
    let run = tenderkit(&[&"ocds", &broken, &"--matrix", &example("moderated.xlsx"), &"-o", &out]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("price_weight"), "{}", run.stderr);
    assert!(!out.exists());
}
