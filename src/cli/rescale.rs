use std::path::PathBuf;

use tenderkit::app::rescale;
use tenderkit::domain::Scale;
use tenderkit::tender_file::load_tender;

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

fn target_scale(args: &Args) -> tenderkit::Result<Scale> {
    if let Some(t) = &args.tender {
        return load_tender(t)?.scale.scale().map_err(|e| tenderkit::Error::Usage(format!("--to: {e}")));
    }
    rescale::parse_scale(args.to.as_deref().unwrap_or_default())
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let out = args.out.destination(&args.matrix)?.expect("clap requires -o or --in-place");
    let to = target_scale(&args)?;
    let hints = args.layout.load()?;
    let matrix = super::input(&args.matrix)?;
    let done = match rescale::run(&matrix, &hints, to, args.allow_fractional)? {
        rescale::Outcome::Refused(why) => {
            eprint!("{why}");
            return Ok(EXIT_FINDINGS);
        }
        rescale::Outcome::Done(done) => done,
    };
    done.workbook.write(&done.plan.edits, &out)?;
    let written = out.display().to_string();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&done.to_json(&matrix.name, &written)).expect("serialises"));
    } else {
        print!("{}", done.report(&matrix.name, &written));
    }
    eprint!("{}", done.left_alone());
    Ok(done.exit())
}
