use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use tenderkit::Error;
use tenderkit::app::exclusion::decide;
use tenderkit::domain::Tender;
use tenderkit::domain::exclusion::Decision;
use tenderkit::tender_file::load_tender;

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
    pub fn parsed(&self) -> tenderkit::Result<Option<NaiveDate>> {
        self.on.as_deref().map(|d| d.parse().map_err(|_| Error::Usage(format!("--on {d}: write the date as YYYY-MM-DD")))).transpose()
    }
}

/// Today, from the clock (the one place the exclusion commands read it).
pub fn today() -> NaiveDate {
    tenderkit::fsio::now()[..10].parse().expect("today")
}

/// The exclusion decisions for `ocds`: every declaration decided on the day `on` gives. Prints
/// what the decision still lacks and returns `None` (write nothing) while anything is.
pub fn decided(
    tender: &Tender,
    path: &Path,
    on: &DecidedOn,
    default: NaiveDate,
    nothing: &str,
) -> tenderkit::Result<Option<Vec<Decision>>> {
    match decide(tender, &super::input(path)?, on.parsed()?, default)?.complete(nothing) {
        Ok(d) => Ok(Some(d)),
        Err(said) => {
            eprint!("{said}");
            Ok(None)
        }
    }
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let tender = load_tender(&args.tender)?;
    let decided = decide(&tender, &super::input(&args.responses)?, args.on.parsed()?, today())?;
    let code = if decided.missing.is_empty() { 0 } else { super::EXIT_FINDINGS };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&decided.to_json(&tender)).expect("serialises"));
        return Ok(code);
    }
    args.output.put(&decided.text(&tender))?;
    eprint!("{}", decided.missing_messages());
    Ok(code)
}
