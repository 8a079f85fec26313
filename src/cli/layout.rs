use std::path::PathBuf;

use tenderkit::fsio::{check_output, write_bytes};

use super::LayoutArg;

#[derive(clap::Args)]
pub struct Args {
    /// The matrix workbook.
    matrix: PathBuf,
    /// Write the layout file here instead of printing it.
    #[arg(short, long, value_name = "LAYOUT.toml")]
    output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
    /// Start from this layout file (to check what a corrected file reads).
    #[command(flatten)]
    layout: LayoutArg,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let hints = args.layout.load()?;
    let layout = tenderkit::app::validate::layout(&super::input(&args.matrix)?, &hints)?;
    match &args.output {
        Some(out) => {
            check_output(&args.matrix, out, false, args.force)?;
            write_bytes(out, layout.toml.as_bytes())?;
            if layout.draft {
                println!(
                    "wrote {}: a DRAFT, since no quality or price table was found: it lists each sheet's headings and the columns that look like each key; fill in the lines marked NOT FOUND or candidates, uncomment them, and pass it back with --layout {}",
                    out.display(),
                    out.display()
                );
            } else {
                println!("wrote {} (check it, correct it, and pass it back with --layout {})", out.display(), out.display());
            }
        }
        None => print!("{}", layout.toml),
    }
    // A draft: the matrix cannot be read until it is filled in.
    Ok(if layout.draft { super::EXIT_FINDINGS } else { 0 })
}
