//! `tenderkit check`: the sustainable procurement prompts that apply to a tender definition
//! (Serious Organised Crime sectors, cyber security, outcomes rather than products, ethical IT),
//! which the tender answers, and a buyer's own prompts.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn tender_with(dir: &Path, name: &str, change: impl Fn(String) -> String) -> PathBuf {
    let text = std::fs::read_to_string(example("tender.toml")).unwrap();
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, change(text)).unwrap();
    path
}

fn check(tender: &Path, extra: &[&dyn AsRef<std::ffi::OsStr>]) -> (Run, serde_json::Value) {
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"check", &tender];
    args.extend_from_slice(extra);
    let text = tenderkit(&args);
    args.push(&"--json");
    let json = tenderkit(&args);
    (text, serde_json::from_str(&json.stdout).unwrap_or_else(|_| panic!("{}", json.all())))
}

fn ids(json: &serde_json::Value) -> Vec<String> {
    json["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

#[test]
fn the_example_names_the_serious_organised_crime_prompts() {
    let (run, json) = check(&example("tender.toml"), &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    // The golden text names the file as a reader in the project folder would.
    golden("check.txt", &run.stdout.replace(&example("tender.toml").display().to_string(), "examples/tender.toml"));
    assert!(
        run.stdout.contains(
            "waste management / recycling and vehicle / transport: named in the guidance as vulnerable to Serious Organised Crime"
        )
    );
    // It applies the discretionary grounds the guidance points to, and states its cyber
    // requirement with a reason: those prompts are answered.
    assert_eq!(ids(&json), ["soc-due-diligence"]);
}

#[test]
fn each_kind_of_prompt() {
    let dir = temp();
    // A construction tender applying no discretionary grounds.
    let t = tender_with(dir.path(), "soc", |t| {
        let start = t.find("discretionary = [").unwrap();
        let end = start + t[start..].find(']').unwrap() + 1;
        format!("{}discretionary = [\"bankruptcy-or-insolvency\"]{}", &t[..start], &t[end..])
            .replace("sectors = [\"waste-management\", \"vehicle-transport\"]", "sectors = [\"construction\"]")
    });
    let (run, json) = check(&t, &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(ids(&json), ["soc-exclusion-grounds", "soc-due-diligence"], "{}", run.stdout);
    assert!(
        run.stdout.contains("construction: named in the guidance as vulnerable to Serious Organised Crime")
            && run.stdout.contains("not all applied: grave professional misconduct; breach of environmental, social or labour law; breach of obligations to pay taxes or social security contributions; misrepresentation"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("warning[soc-exclusion-grounds]: ") && run.stdout.contains(": exclusion.discretionary: "));

    // Digital processing with no cyber requirement; then one with no reason.
    let t = tender_with(dir.path(), "cyber", |t| {
        t.replace("connected_devices = true", "processing = true\nsensitive_information = true")
            .replace(
                "cyber = { requirement = \"Cyber Essentials\", reason = \"the vehicles' telematics connect to the council's fleet management system, but hold no personal or sensitive data\" }\n",
                "",
            )
    });
    let (run, json) = check(&t, &[]);
    assert!(ids(&json).contains(&"cyber-requirement".to_string()), "{}", run.stdout);
    assert!(
        run.stdout.contains("the contract involves digital processing of the organisation's information and sensitive information"),
        "{}",
        run.stdout
    );
    let t = tender_with(dir.path(), "cyber-reason", |t| {
        t.replace(", reason = \"the vehicles' telematics connect to the council's fleet management system, but hold no personal or sensitive data\"", "")
    });
    let (_, json) = check(&t, &[]);
    assert!(ids(&json).contains(&"cyber-proportionate".to_string()), "{json:#}");

    // A criterion naming a product, and one naming a model.
    let t = tender_with(dir.path(), "brands", |t| {
        t.replace(
            "title = \"Payload and range on the council's collection rounds\"",
            "title = \"Compatibility with the RouteMaster™ bin lift\"",
        )
        .replace("title = \"Manoeuvrability in narrow and rural streets\"", "title = \"Equivalent to the XR500 chassis\"")
    });
    let (run, json) = check(&t, &[]);
    assert!(ids(&json).contains(&"outcomes-not-products".to_string()));
    assert!(
        run.stdout.contains("criterion 1.1 (a trade mark sign '™') and criterion 1.4 (a model number 'XR500')")
            && run.stdout.contains("sections[0].criteria[0].title, sections[0].criteria[3].title"),
        "{}",
        run.stdout
    );

    // An ICT subject: five ethical IT prompts.
    let t = tender_with(dir.path(), "ict", |t| t.replace("connected_devices = true", "connected_devices = true\nict = true"));
    let (_, json) = check(&t, &[]);
    assert_eq!(
        ids(&json).into_iter().filter(|i| i.starts_with("ict-")).collect::<Vec<_>>(),
        ["ict-human-rights", "ict-labour-conditions", "ict-chemicals", "ict-end-of-life", "ict-certifications"]
    );
}

#[test]
fn a_tender_that_answers_every_prompt_has_no_findings() {
    let dir = temp();
    let t = tender_with(dir.path(), "answered", |t| {
        t.replace("connected_devices = true", "connected_devices = true\nprocessing = true\nict = true").replace(
            "title = \"Battery end-of-life: reuse and recycling\"",
            "title = \"Battery end-of-life: reuse and recycling\"\n  outcome = \"No battery goes to landfill\"",
        ) + "\n[considered]\nsoc-due-diligence = \"Police Scotland's procurement team checks the shortlisted bidders; the waste licences are checked with SEPA\"\nict-human-rights = \"Specification clause 9: supply-chain due diligence report\"\nict-labour-conditions = \"Specification clause 9\"\nict-chemicals = \"Specification clause 10: RoHS, or equivalent\"\nict-end-of-life = \"Specification clause 11\"\nict-certifications = \"TCO Certified, or equivalent\"\n"
    });
    let (run, json) = check(&t, &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(ids(&json), Vec::<String>::new(), "{}", run.stdout);
    assert!(run.stdout.contains("no problems found, and every sustainable procurement prompt that applies is answered"));
    // The notice lists the criterion's outcome.
    let notice = tenderkit(&[&"notice", &t]);
    assert!(notice.stdout.contains("3.1  Battery end-of-life: reuse and recycling: 40% of the section (8% of the quality score). Outcome: No battery goes to landfill"), "{}", notice.stdout);
}

#[test]
fn a_buyers_own_prompts() {
    let dir = temp();
    let own = dir.path().join("prompts.toml");
    std::fs::write(
        &own,
        r#"
[[prompt]]
id = "local-supply-chain"
severity = "info"
source = "Kelvinside Council procurement strategy 2026, section 4"
message = "consider how small local firms can take part in the supply chain"
fix = "record it in [considered] local-supply-chain"
when = { always = true }

# Stricter than the bundled prompt: due diligence is required in this council's SOC sectors.
[[prompt]]
id = "soc-due-diligence"
severity = "error"
source = "Kelvinside Council counter-fraud policy"
message = "{sectors}: due diligence with Police Scotland is required before award"
fix = "record it in [considered] soc-due-diligence"
when = { sectors = ["waste-management"] }
"#,
    )
    .unwrap();
    let (run, json) = check(&example("tender.toml"), &[&"--prompts", &own]);
    assert_eq!(run.code, 1, "an error prompt fails the check: {}", run.all());
    assert_eq!(ids(&json), ["soc-due-diligence", "local-supply-chain"]);
    assert!(
        run.stdout.contains("error[soc-due-diligence]: ")
            && run.stdout.contains("waste management / recycling: due diligence with Police Scotland")
    );
    assert!(
        run.stdout.contains("note[local-supply-chain]: ")
            && run.stdout.contains("source: Kelvinside Council procurement strategy 2026, section 4")
    );
    // A prompts file with a mistake is refused, naming it.
    std::fs::write(&own, "[[prompt]]\nid = \"x\"\nseverity = \"warning\"\nsource = \"s\"\nmessage = \"m\"\nfix = \"f\"\nwhen = { sector = [\"construction\"] }\n").unwrap();
    let run = tenderkit(&[&"check", &example("tender.toml"), &"--prompts", &own]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("unknown field `sector`"), "{}", run.stderr);
}
