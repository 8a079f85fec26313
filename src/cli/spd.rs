use std::path::PathBuf;

use tenderkit::render::Templates;

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
    let text = tenderkit::app::text::spd(&tender, &templates)?;
    if text.is_none() {
        println!("the tender sets no selection requirements ([selection] is empty)");
    }
    args.output.put(&text.unwrap_or_default())?;
    Ok(0)
}
