use std::path::PathBuf;

use tenderkit::domain::prompts::{Level, Prompts, raised};
use tenderkit::report;
use tenderkit::tender_file::{TenderKeys, load, load_tender};

use super::EXIT_FINDINGS;

#[derive(clap::Args)]
pub struct Args {
    /// The tender definition.
    tender: PathBuf,
    /// The organisation's own prompts (the shape of templates/prompts.toml), added to the
    /// bundled ones; a prompt with a bundled prompt's id replaces it. May be given more than once.
    #[arg(long, value_name = "PROMPTS.toml")]
    prompts: Vec<PathBuf>,
    /// Print the findings as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let tender = load_tender(&args.tender)?;
    let findings = tender.check().map_err(|detail| tenderkit::Error::Definition { path: args.tender.clone(), detail })?;
    let checked = report::locate(&args.tender, findings, &TenderKeys(&tender));
    let mut prompts = Prompts::bundled();
    for p in &args.prompts {
        prompts.extend(load(p)?);
    }
    let raised = raised(&tender, &prompts);
    let (mut errors, mut warnings) = report::counts(&checked);
    errors += raised.iter().filter(|r| r.severity == Level::Error).count();
    warnings += raised.iter().filter(|r| r.severity == Level::Warning).count();
    let notes = raised.iter().filter(|r| r.severity == Level::Info).count();
    let file = args.tender.display().to_string();
    if args.json {
        let mut all: Vec<serde_json::Value> = checked.iter().map(|f| serde_json::to_value(f).expect("serialises")).collect();
        all.extend(raised.iter().map(|r| {
            serde_json::json!({"file": file, "place": r.place, "severity": r.severity, "rule": r.id, "message": r.message, "fix": r.fix, "source": r.source})
        }));
        let out = serde_json::json!({"file": file, "errors": errors, "warnings": warnings, "notes": notes, "findings": all});
        println!("{}", serde_json::to_string_pretty(&out).expect("serialises"));
    } else {
        if !checked.is_empty() {
            let text = report::human(&checked, 100);
            // The totals are printed once, below.
            print!(
                "{}",
                text.lines().filter(|l| !l.ends_with("warnings") && !l.ends_with("warning")).map(|l| format!("{l}\n")).collect::<String>()
            );
        }
        let mut sorted: Vec<_> = raised.iter().collect();
        sorted.sort_by_key(|r| r.severity);
        for r in sorted {
            let level = match r.severity {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Info => "note",
            };
            println!("{level}[{}]: {file}: {}: {}", r.id, r.place, r.message);
            println!("  fix: {}", r.fix);
            println!("  source: {}", r.source);
        }
        let s = |n: usize| if n == 1 { "" } else { "s" };
        if errors + warnings + notes == 0 {
            println!("{file}: no problems found, and every sustainable procurement prompt that applies is answered");
        } else {
            println!("{errors} error{}, {warnings} warning{}, {notes} note{}", s(errors), s(warnings), s(notes));
        }
    }
    Ok(if errors > 0 { EXIT_FINDINGS } else { 0 })
}
