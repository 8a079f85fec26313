use std::path::PathBuf;

use tenderkit::Error;
use tenderkit::domain::Scale;
use tenderkit::domain::rescale::{RescaleError, differences, rescale};
use tenderkit::domain::scale::fmt_number;
use tenderkit::domain::scoring::compute;
use tenderkit::report::{self, Locate};
use tenderkit::tender_file::load_tender;
use tenderkit::xlsx::Workbook;
use tenderkit::xlsx::matrix::read_matrix;
use tenderkit::xlsx::rescale::plan;

use super::{EXIT_FINDINGS, LayoutArg, WorkbookOutput};

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("destination").required(true).args(["output", "in_place"])))]
pub struct Args {
    /// The matrix workbook.
    matrix: PathBuf,
    /// The new scale: "0-4", "0-100" (in 25s), "0-N", or the scores listed ("0,1,3,5").
    #[arg(long, value_name = "SCALE", required_unless_present = "tender")]
    to: Option<String>,
    /// Take the new scale, with its descriptors, from a tender definition instead.
    #[arg(long, value_name = "TENDER.toml", conflicts_with = "to")]
    tender: Option<PathBuf>,
    #[command(flatten)]
    out: WorkbookOutput,
    /// Write scores that fall between the new scale's points, and list them for re-scoring.
    #[arg(long)]
    allow_fractional: bool,
    #[command(flatten)]
    layout: LayoutArg,
    /// Print what was done as JSON.
    #[arg(long)]
    json: bool,
}

fn target_scale(args: &Args) -> tenderkit::Result<Result<Scale, String>> {
    if let Some(t) = &args.tender {
        return Ok(load_tender(t)?.scale.scale());
    }
    let spec = args.to.as_deref().unwrap_or_default();
    Ok(if spec.contains(',') {
        spec.split(',')
            .map(|v| v.trim().parse::<f64>().map_err(|_| format!("'{v}' is not a number")))
            .collect::<Result<Vec<_>, _>>()
            .and_then(|v| Scale::with_values(&v))
    } else {
        Scale::parse(spec)
    })
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let out = args.out.destination(&args.matrix)?.expect("clap requires -o or --in-place");
    let to = target_scale(&args)?.map_err(|e| Error::Usage(format!("--to: {e}")))?;
    let hints = args.layout.load()?;
    let wb = Workbook::open(&args.matrix)?;
    let read = read_matrix(&wb, &hints)?;
    let from = read.matrix.scale.clone();
    let rescaled = match rescale(&read.matrix, &to, args.allow_fractional) {
        Ok(r) => r,
        Err(RescaleError::Unscaleable(findings)) => {
            eprint!("{}", report::human(&report::locate(&args.matrix, findings, &read.layout), 50));
            eprintln!("not rescaled: every score must be on the current {} scale first", from.name());
            return Ok(EXIT_FINDINGS);
        }
        Err(RescaleError::Fractional(cells)) => {
            eprintln!("not rescaled: the {} scale cannot hold these scores exactly (x{}):", to.name(), fmt_number(to.max() / from.max()));
            for m in &cells {
                let place =
                    read.layout.locate(&tenderkit::domain::Subject::Score { criterion: m.criterion, bid: m.bid }).unwrap_or_default();
                eprintln!("  {place}: {} -> {}", fmt_number(m.from), fmt_number(m.to));
            }
            eprintln!("pass --allow-fractional to write them anyway, then re-score the cells listed");
            return Ok(EXIT_FINDINGS);
        }
    };
    let plan = plan(&wb, &read, &rescaled)?;
    wb.write(&plan.edits, &out)?;
    let diffs = differences(&compute(&read.matrix), &compute(&rescaled.matrix));
    let place = |criterion, bid| read.layout.locate(&tenderkit::domain::Subject::Score { criterion, bid }).unwrap_or_default();
    let refit: Vec<String> = rescaled
        .fractional
        .iter()
        .map(|m| format!("{}: {} -> {}", place(m.criterion, m.bid), fmt_number(m.from), fmt_number(m.to)))
        .collect();

    if args.json {
        let json = serde_json::json!({
            "file": args.matrix.display().to_string(),
            "written": out.display().to_string(),
            "from": from.values_text(),
            "to": to.values_text(),
            "factor": rescaled.factor,
            "scores_mapped": rescaled.mapped.len(),
            "to_rescore": refit,
            "plan": plan,
            "differences": diffs,
        });
        println!("{}", serde_json::to_string_pretty(&json).expect("serialises"));
    } else {
        println!(
            "rescaled {} from {} to {} (x{}) -> {}",
            args.matrix.display(),
            from.name(),
            to.name(),
            fmt_number(rescaled.factor),
            out.display()
        );
        println!("  {} scores mapped", rescaled.mapped.len());
        println!(
            "  weighted-score formulas: {} already use the named maximum, {} rewritten to use ScaleMax{}",
            plan.named_formulas,
            plan.rewritten.len(),
            if plan.value_cells > 0 { format!(", {} cells hold values", plan.value_cells) } else { String::new() }
        );
        for (cell, old, new) in &plan.rewritten {
            println!("    {cell}: {old} -> {new}");
        }
        println!("  data-validation rules updated: {}", plan.validations_updated);
        match &plan.legend {
            Some(l) => println!("  scale legend updated: {l}"),
            None => println!("  scale legend not rewritten: the scale is kept in the defined names ScaleMax and ScaleValues"),
        }
        if !refit.is_empty() {
            println!("  {} scores fall between the new scale's points and need re-scoring:", refit.len());
            for r in &refit {
                println!("    {r}");
            }
        }
        if diffs.is_empty() {
            println!("weighted scores unchanged: every weighted score, total and rank is the same to 1e-9");
        } else {
            println!("weighted scores CHANGED:");
            for d in &diffs {
                let what = match d.criterion {
                    Some(i) => format!("{} ({})", d.what, place(i, d.bid)),
                    None => d.what.to_string(),
                };
                println!("  {}: {what}: {:?} -> {:?}", read.matrix.bids[d.bid].bidder, d.before, d.after);
            }
        }
    }
    if !plan.left_alone.is_empty() {
        eprintln!("left as they were ({}), check them by hand:", plan.left_alone.len());
        for l in &plan.left_alone {
            eprintln!("  {}: {}: {}", l.place, l.what, l.why);
        }
    }
    Ok(if plan.left_alone.is_empty() && diffs.is_empty() { 0 } else { EXIT_FINDINGS })
}
