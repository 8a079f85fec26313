use std::path::PathBuf;

use tenderkit::Error;
use tenderkit::xlsx::create::new_matrix;

use super::{EXIT_FINDINGS, checked_tender};

#[derive(clap::Args)]
pub struct Args {
    /// The tender definition (see examples/tender.toml).
    tender: PathBuf,
    /// The workbook to create.
    #[arg(short, long, value_name = "MATRIX.xlsx")]
    output: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let Some(tender) = checked_tender(&args.tender)? else {
        eprintln!("no workbook written: fix the tender definition first");
        return Ok(EXIT_FINDINGS);
    };
    if tender.bidders.is_empty() {
        eprintln!("error: {}: the tender lists no bidders, so the matrix would have no score columns", args.tender.display());
        eprintln!("  fix: add a [[bidders]] entry (name = \"...\") for each bid received");
        return Ok(EXIT_FINDINGS);
    }
    let matrix = tender.matrix().map_err(|e| Error::Definition { path: args.tender.clone(), detail: format!("scale: {e}") })?;
    if args.output.exists() && !args.force {
        return Err(tenderkit::Error::OutputExists { path: args.output });
    }
    new_matrix(&tender, &matrix, &args.output)?;
    println!(
        "wrote {}: {} criteria in {} sections, {} bidders, {} scale",
        args.output.display(),
        matrix.criterion_count(),
        matrix.sections.len(),
        matrix.bids.len(),
        matrix.scale.name()
    );
    Ok(0)
}
