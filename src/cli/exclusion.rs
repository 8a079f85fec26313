use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use tenderkit::Error;
use tenderkit::domain::Tender;
use tenderkit::domain::date::long;
use tenderkit::domain::exclusion::{Decision, Determination, Outcome, Responses, assess, bid_outcome, missing_checks};
use tenderkit::tender_file::{load, load_tender};

#[derive(clap::Args)]
pub struct Args {
    /// The tender definition (its regime and [exclusion] grounds).
    tender: PathBuf,
    /// The bidders' SPD exclusion answers (see examples/responses.toml).
    responses: PathBuf,
    #[command(flatten)]
    on: DecidedOn,
    /// Print the decisions as JSON (for the letters).
    #[arg(long, conflicts_with = "output")]
    json: bool,
    #[command(flatten)]
    output: super::TextOutput,
}

/// `--on`: the day exclusion decisions are made, shared by the commands that make them.
#[derive(clap::Args, Clone)]
pub struct DecidedOn {
    /// The day the exclusion decisions are made (YYYY-MM-DD): periods are counted to it (the
    /// Procurement Act 2023 counts them back from it). Else the responses file's
    /// determination_date, else today.
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
}

impl DecidedOn {
    /// `--on`, else the responses file's `determination_date`, else `default`.
    pub fn day(&self, responses: &Responses, default: NaiveDate) -> tenderkit::Result<NaiveDate> {
        match &self.on {
            Some(d) => d.parse().map_err(|_| Error::Usage(format!("--on {d}: write the date as YYYY-MM-DD"))),
            None => Ok(responses.determination_date.unwrap_or(default)),
        }
    }
}

/// Today, from the clock (the one place the exclusion commands read it).
pub fn today() -> NaiveDate {
    tenderkit::fsio::now()[..10].parse().expect("today")
}

/// The exclusion decisions for `letters` and `ocds`: every declaration decided on the day `on`
/// gives. Prints what the decision still lacks and returns `None` (write nothing) while anything is.
pub fn decided(
    tender: &Tender,
    path: &Path,
    on: &DecidedOn,
    default: NaiveDate,
    nothing: &str,
) -> tenderkit::Result<Option<Vec<Decision>>> {
    let responses: Responses = load(path)?;
    let day = on.day(&responses, default)?;
    let decisions = assess(&responses, &Determination::for_tender(day, tender));
    let missing = missing_checks(&responses, tender.regime, &decisions);
    if missing.is_empty() {
        return Ok(Some(decisions));
    }
    for m in &missing {
        eprintln!("error: {}: {m}", path.display());
    }
    eprintln!("{nothing}: the exclusion decision is not complete");
    Ok(None)
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let tender = load_tender(&args.tender)?;
    let responses: Responses = load(&args.responses)?;
    let day = args.on.day(&responses, today())?;
    let determination = Determination::for_tender(day, &tender);
    let decisions = assess(&responses, &determination);
    let missing = missing_checks(&responses, tender.regime, &decisions);
    if args.json {
        let bids: Vec<_> = responses
            .bidders
            .iter()
            .map(|b| serde_json::json!({"bidder": b.name, "outcome": bid_outcome(&decisions, &b.name), "decisions": decisions.iter().filter(|d| d.bidder == b.name).collect::<Vec<_>>()}))
            .collect();
        let json = serde_json::json!({
            "determination_date": day,
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
    let _ = writeln!(text, "Exclusion grounds, tender {} under {}", tender.reference, determination.law_name());
    let _ = writeln!(text, "Decided on {} (every period below is counted to that day)", long(day));
    if let Some(checked) = responses.debarment_list_checked {
        let _ = writeln!(text, "Debarment list checked on {}", long(checked));
    }
    for b in &responses.bidders {
        let outcome = bid_outcome(&decisions, &b.name);
        let mine: Vec<&Decision> = decisions.iter().filter(|d| d.bidder == b.name).collect();
        let _ = writeln!(text, "\n{}: {}", b.name, if mine.is_empty() { "no exclusion grounds declared" } else { outcome.words() });
        for d in mine {
            let mark = match d.outcome {
                Outcome::Exclude | Outcome::Replace => "!",
                Outcome::Incomplete => "x",
                Outcome::MayExclude | Outcome::MayReplace => "?",
                Outcome::NoExclusion => "-",
            };
            let _ = writeln!(
                text,
                "  {mark} {} ({}{}): {}",
                d.ground.name(),
                d.standing.words(),
                if d.provision.is_empty() { String::new() } else { format!(", {}", d.provision) },
                d.outcome.words()
            );
            if let Some(p) = &d.period {
                let _ = writeln!(text, "      period: {}; measured against {} on {}", p.rule, p.measured, long(p.measured_date));
            }
            let _ = writeln!(text, "      {}", d.reason);
            if !d.self_cleansing_shortfall.is_empty() && d.outcome != Outcome::NoExclusion {
                let _ = writeln!(
                    text,
                    "      {} (tenderkit letters self-cleansing)",
                    match tender.regime {
                        tenderkit::domain::regime::Regime::Scotland2015 =>
                            "statement of reasons needed: the self-cleansing evidence is insufficient",
                        tenderkit::domain::regime::Regime::ProcurementAct2023 =>
                            "before deciding, give the supplier a reasonable opportunity to make representations and provide evidence (s.58(2))",
                    }
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
