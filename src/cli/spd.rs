use std::path::PathBuf;

use tenderkit::domain::selection::{check, statements};
use tenderkit::render::{Templates, tidy};
use tenderkit::report::{self, counts};
use tenderkit::tender_file::{TenderKeys, load_tender};

use super::EXIT_FINDINGS;

#[derive(clap::Args)]
pub struct Args {
    /// The tender definition (its [selection] table).
    tender: PathBuf,
    /// Use the buyer's edited statements from this folder (spd/*.hbs, as in templates/).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let tender = load_tender(&args.tender)?;
    let problems = report::locate(&args.tender, check(&tender), &TenderKeys(&tender));
    if !problems.is_empty() {
        eprint!("{}", report::human(&problems, 50));
    }
    if counts(&problems).0 > 0 {
        eprintln!("no statements: the selection requirements break the rules above");
        return Ok(EXIT_FINDINGS);
    }
    let templates = Templates::load(args.templates.as_deref())?;
    let chosen = statements(&tender);
    if chosen.is_empty() {
        println!("the tender sets no selection requirements ([selection] is empty)");
    }
    let mut parts = Vec::new();
    for (name, data) in chosen {
        parts.push(tidy(&templates.render(name, &data)?));
    }
    print!("{}", parts.join("\n"));
    Ok(0)
}
