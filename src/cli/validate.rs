use std::path::PathBuf;

use tenderkit::domain::{Stage, validate};
use tenderkit::report::{self, counts};
use tenderkit::xlsx::Workbook;
use tenderkit::xlsx::matrix::read_matrix;

use super::{EXIT_FINDINGS, LayoutArg};

#[derive(clap::Args)]
pub struct Args {
    /// The matrix workbook.
    matrix: PathBuf,
    #[command(flatten)]
    layout: LayoutArg,
    /// Also require every score and cost to be entered, as `score` does.
    #[arg(long)]
    complete: bool,
    /// Print the findings as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let hints = args.layout.load()?;
    let wb = Workbook::open(&args.matrix)?;
    let read = read_matrix(&wb, &hints)?;
    let stage = if args.complete { Stage::Award } else { Stage::Draft };
    let mut findings = read.findings;
    findings.extend(validate(&read.matrix, stage));
    let located = report::locate(&args.matrix, findings, &read.layout);
    let (errors, warnings) = counts(&located);
    let split = read.layout.settings.split_text(&read.matrix.split);
    if args.json {
        let out = serde_json::json!({
            "file": args.matrix.display().to_string(),
            "errors": errors,
            "warnings": warnings,
            "findings": located,
            "split": {
                "price": read.matrix.split.price.number(),
                "quality": read.matrix.split.quality.number(),
                "found": split,
            },
        });
        println!("{}", serde_json::to_string_pretty(&out).expect("findings serialise"));
    } else if located.is_empty() {
        println!(
            "{}: no problems found ({} criteria, {} bids, {} scale)",
            args.matrix.display(),
            read.matrix.criterion_count(),
            read.matrix.bids.len(),
            read.matrix.scale.name()
        );
        println!("split: {split}");
    } else {
        println!("split: {split}");
        print!("{}", report::human(&located, 200));
    }
    Ok(if errors > 0 { EXIT_FINDINGS } else { 0 })
}
