//! `tenderkit sensitivity MATRIX.xlsx`: how robust the ranking is (`tenderkit::app::sensitivity`).

use std::path::PathBuf;

use tenderkit::app::sensitivity::{Outcome, SHEET, run as report};

use super::{EXIT_FINDINGS, LayoutArg, WorkbookOutput};

#[derive(clap::Args)]
pub struct Args {
    /// The scored (or moderated) matrix workbook.
    matrix: PathBuf,
    /// Also write the report as a Sensitivity sheet (the workbook's other parts untouched).
    #[command(flatten)]
    out: WorkbookOutput,
    #[command(flatten)]
    layout: LayoutArg,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let out = args.out.destination(&args.matrix)?;
    let r = match report(super::input(&args.matrix)?, &args.layout.load()?)? {
        Outcome::Done(r) => r,
        Outcome::Refused(said) => {
            eprint!("{said}");
            return Ok(EXIT_FINDINGS);
        }
    };
    if let Some(o) = &out {
        let (wb, edits) = r.workbook()?;
        wb.write(&edits, o)?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&r.report).expect("serialises"));
    } else {
        print!("{}", r.text());
        if let Some(o) = &out {
            println!("\nwrote {} (sheet {SHEET})", o.display());
        }
    }
    Ok(0)
}
