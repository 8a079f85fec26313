use std::path::PathBuf;

use super::no_tender_date;
use tenderkit::domain::date::long;
use tenderkit::domain::exclusion::{Outcome, Responses, assess, bid_outcome, missing_checks};
use tenderkit::tender_file::{load, load_tender};

#[derive(clap::Args)]
pub struct Args {
    /// The tender definition (its tender_date and [exclusion] grounds).
    tender: PathBuf,
    /// The bidders' SPD exclusion answers (see examples/responses.toml).
    responses: PathBuf,
    /// Print the decisions as JSON (for the letters).
    #[arg(long, conflicts_with = "output")]
    json: bool,
    #[command(flatten)]
    output: super::TextOutput,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let tender = load_tender(&args.tender)?;
    let responses: Responses = load(&args.responses)?;
    let date = tender.tender_date.ok_or_else(|| no_tender_date(&args.tender))?;
    let decisions = assess(&responses, date, &tender.exclusion.discretionary, tender.regime);
    let missing = missing_checks(&responses, tender.regime);
    if args.json {
        let bids: Vec<_> = responses
            .bidders
            .iter()
            .map(|b| serde_json::json!({"bidder": b.name, "outcome": bid_outcome(&decisions, &b.name), "decisions": decisions.iter().filter(|d| d.bidder == b.name).collect::<Vec<_>>()}))
            .collect();
        let json = serde_json::json!({
            "tender_date": date,
            "regime": tender.regime.key(),
            "debarment_list_checked": responses.debarment_list_checked,
            "missing": missing,
            "bids": bids,
        });
        println!("{}", serde_json::to_string_pretty(&json).expect("serialises"));
        return Ok(if missing.is_empty() { 0 } else { super::EXIT_FINDINGS });
    }
    use std::fmt::Write as _;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Exclusion grounds, tender {} under {} (time limits counted to {})",
        tender.reference,
        tender.regime.name(),
        long(date)
    );
    if let Some(checked) = responses.debarment_list_checked {
        let _ = writeln!(text, "Debarment list checked on {}", long(checked));
    }
    for b in &responses.bidders {
        let outcome = bid_outcome(&decisions, &b.name);
        let _ = writeln!(
            text,
            "\n{}: {}",
            b.name,
            if b.declarations.is_empty() { "no exclusion grounds declared".to_string() } else { outcome.words().to_string() }
        );
        for d in decisions.iter().filter(|d| d.bidder == b.name) {
            let mark = match d.outcome {
                Outcome::Exclude | Outcome::Replace => "!",
                Outcome::MayExclude | Outcome::MayReplace => "?",
                Outcome::NoExclusion => "-",
            };
            let _ = writeln!(
                text,
                "  {mark} {} ({}): {}",
                d.ground.name(),
                if d.mandatory { "mandatory" } else { "discretionary" },
                d.outcome.words()
            );
            let _ = writeln!(text, "      {}", d.reason);
            if !d.self_cleansing_shortfall.is_empty() {
                let _ = writeln!(
                    text,
                    "      statement of reasons needed: the self-cleansing evidence is insufficient (tenderkit letters self-cleansing)"
                );
            }
        }
    }
    args.output.put(&text)?;
    for m in &missing {
        eprintln!("error: {}: {m}", args.responses.display());
    }
    Ok(if missing.is_empty() { 0 } else { super::EXIT_FINDINGS })
}
