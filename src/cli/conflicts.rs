//! `tenderkit conflicts`: the conflicts assessment or conflict-of-interest record
//! (`tenderkit::app::conflicts`).

use std::path::PathBuf;

use tenderkit::app::conflicts::{Outcome, assess};
use tenderkit::domain::Tender;

use super::{EXIT_FINDINGS, LayoutArg};

#[derive(clap::Args)]
pub struct Args {
    /// The tender definition (its regime, reference and title).
    #[arg(long, value_name = "TENDER.toml")]
    tender: PathBuf,
    /// The moderated matrix (`returns collect`): the panel's declarations are on its Panel sheet.
    #[arg(long, value_name = "MATRIX.xlsx")]
    matrix: PathBuf,
    #[command(flatten)]
    layout: LayoutArg,
    #[command(flatten)]
    output: super::TextOutput,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let tender: Tender = super::input(&args.tender)?.toml()?;
    match assess(&tender, &super::input(&args.matrix)?, &args.layout.load()?, super::exclusion::today())? {
        Outcome::Refused(said) => {
            eprint!("{said}");
            Ok(EXIT_FINDINGS)
        }
        Outcome::Done(a) => {
            args.output.put_with(&a.text(), || a.document())?;
            Ok(0)
        }
    }
}
