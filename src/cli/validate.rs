use std::path::PathBuf;

use tenderkit::report;

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
    let matrix = super::input(&args.matrix)?;
    let v = tenderkit::app::validate::run(&matrix, &hints, args.complete)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&v.to_json(&matrix.name)).expect("findings serialise"));
    } else if v.findings.is_empty() {
        println!(
            "{}: no problems found ({} criteria, {} bids, {} scale)",
            matrix.name,
            v.matrix.criterion_count(),
            v.matrix.bids.len(),
            v.matrix.scale.name()
        );
        println!("split: {}", v.split);
    } else {
        println!("split: {}", v.split);
        print!("{}", report::human(&v.findings, 200));
    }
    Ok(if v.errors > 0 { EXIT_FINDINGS } else { 0 })
}
