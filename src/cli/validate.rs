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
        print!("{}", scale_line(&v.matrix));
    } else {
        println!("split: {}", v.split);
        print!("{}", scale_line(&v.matrix));
        print!("{}", report::human(&v.findings, 200));
    }
    Ok(if v.errors > 0 { EXIT_FINDINGS } else { 0 })
}

/// How a score counts: the scale, and the normalisation tenderkit uses (score over the scale's
/// maximum, never against its minimum), so a buyer whose sheet normalises otherwise sees why its
/// figures differ.
/// Nothing for a price-only matrix.
fn scale_line(m: &tenderkit::domain::Matrix) -> String {
    if m.criterion_count() == 0 {
        return String::new();
    }
    let max = tenderkit::domain::scale::fmt_number(m.scale.max());
    let lower: Vec<&str> = m.criteria().filter(|(_, c)| c.lower_is_better).map(|(_, c)| if c.title.is_empty() { c.reference.as_str() } else { c.title.as_str() }).collect();
    let backwards = if lower.is_empty() {
        String::new()
    } else {
        let min = tenderkit::domain::scale::fmt_number(m.scale.min());
        format!("; less is better for {} ((min + max - score) / max: {min} counts in full)", lower.join(", "))
    };
    format!("scale: {}; a score counts score / {max} of its criterion's weighting{backwards}\n", m.scale.name())
}
