use std::path::PathBuf;

use tenderkit::Error;
use tenderkit::domain::{Stage, validate};
use tenderkit::report::{self, counts};
use tenderkit::tender_file::{TenderKeys, load_tender};
use tenderkit::xlsx::create::new_matrix;

use super::EXIT_FINDINGS;

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
    let tender = load_tender(&args.tender)?;
    let matrix = tender.matrix().map_err(|e| Error::Definition { path: args.tender.clone(), detail: format!("scale: {e}") })?;
    let findings = report::locate(&args.tender, validate(&matrix, Stage::Draft), &TenderKeys(&tender));
    let (errors, _) = counts(&findings);
    if !findings.is_empty() {
        eprint!("{}", report::human(&findings, 50));
    }
    if errors > 0 {
        eprintln!("no workbook written: fix the tender definition first");
        return Ok(EXIT_FINDINGS);
    }
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
