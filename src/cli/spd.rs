use std::path::PathBuf;

use tenderkit::domain::selection::statements;
use tenderkit::render::{Templates, tidy};

use super::{EXIT_FINDINGS, checked_tender};

#[derive(clap::Args)]
pub struct Args {
    /// The tender definition (its [selection] table).
    tender: PathBuf,
    /// A folder of the buyer's edited statements (spd/*.hbs, the same file names as in
    /// templates/), used instead of the bundled ones.
    #[arg(long = "template-dir", alias = "templates", value_name = "DIR")]
    templates: Option<PathBuf>,
    #[command(flatten)]
    output: super::TextOutput,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let Some(tender) = checked_tender(&args.tender)? else {
        eprintln!("no statements: the selection requirements break the rules above");
        return Ok(EXIT_FINDINGS);
    };
    let templates = Templates::load(args.templates.as_deref())?;
    let chosen = statements(&tender);
    if chosen.is_empty() {
        println!("the tender sets no selection requirements ([selection] is empty)");
    }
    let mut parts = Vec::new();
    for (name, data) in chosen {
        parts.push(tidy(&templates.render(name, &data)?));
    }
    args.output.put(&parts.join("\n"))?;
    Ok(0)
}
