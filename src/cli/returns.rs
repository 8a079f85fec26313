use std::path::PathBuf;

use tenderkit::app::returns::{self, check_panel, tender_of};
use tenderkit::domain::panel::Panel;
use tenderkit::fsio::now;
use tenderkit::tender_file::load;
use tenderkit::xlsx::Workbook;
use tenderkit::xlsx::matrix::read_matrix;
use tenderkit::xlsx::returns::{ReturnContext, file_names, return_bytes};

use super::{EXIT_FINDINGS, LayoutArg, WorkbookOutput};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Write one score-return workbook per evaluator on the panel.
    New(NewArgs),
    /// Read evaluators' returns into the matrix: their scores, the Moderation sheet, the flags.
    Collect(CollectArgs),
}

#[derive(clap::Args)]
pub struct NewArgs {
    /// The matrix workbook.
    matrix: PathBuf,
    /// The evaluation panel (see examples/panel.toml).
    #[arg(long, value_name = "PANEL.toml")]
    evaluators: PathBuf,
    /// The folder to write the returns into.
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Replace returns that already exist there.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    layout: LayoutArg,
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("destination").required(true).args(["output", "in_place"])))]
pub struct CollectArgs {
    /// The matrix workbook (or a moderated one, to collect corrected returns into).
    matrix: PathBuf,
    /// The return workbooks.
    #[arg(required = true)]
    returns: Vec<PathBuf>,
    /// The evaluation panel; defaults to the panel kept in a moderated matrix.
    #[arg(long, value_name = "PANEL.toml")]
    evaluators: Option<PathBuf>,
    #[command(flatten)]
    out: WorkbookOutput,
    #[command(flatten)]
    layout: LayoutArg,
    /// Print the flags as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(command: Command) -> tenderkit::Result<u8> {
    match command {
        Command::New(args) => new(args),
        Command::Collect(args) => collect(args),
    }
}

fn new(args: NewArgs) -> tenderkit::Result<u8> {
    let panel: Panel = load(&args.evaluators)?;
    let wb = Workbook::open(&args.matrix)?;
    let read = read_matrix(&wb, &args.layout.load()?)?;
    let (said, stop) = check_panel(&panel, &wb, &read, &args.evaluators.display().to_string());
    eprint!("{said}");
    if stop {
        eprintln!("no returns written: fix the panel first");
        return Ok(EXIT_FINDINGS);
    }
    let (reference, title) = tender_of(&wb, &panel);
    let issued = now();
    let ctx = ReturnContext { reference: reference.as_deref().unwrap_or(&panel.tender), title: &title, issued: &issued };
    // Every return is made first, then all are written together, or none is.
    let names = file_names(&panel);
    let mut files = Vec::new();
    let mut written = Vec::new();
    for (e, name) in names.into_iter().enumerate() {
        let out = args.output.join(&name);
        files.push((name, return_bytes(&ctx, &panel, e, &read.matrix, &out)?));
        let ev = &panel.evaluators[e];
        let what = match ev.role {
            tenderkit::domain::panel::Role::Quality => {
                format!("{} criteria x {} bids", panel.criteria_of(e, &read.matrix).len(), read.matrix.bids.len())
            }
            tenderkit::domain::panel::Role::Commercial => format!("costs of {} bids", read.matrix.bids.len()),
        };
        written.push(format!("  {} ({} evaluator, {what}): {}", ev.name.trim(), ev.role.name(), out.display()));
    }
    tenderkit::fsio::write_batch(&args.output, &files, args.force)?;
    println!("wrote {} returns for tender {}:", written.len(), ctx.reference);
    for w in written {
        println!("{w}");
    }
    Ok(0)
}

fn collect(args: CollectArgs) -> tenderkit::Result<u8> {
    let out = args.out.destination(&args.matrix)?.expect("clap requires -o or --in-place");
    let matrix = super::input(&args.matrix)?;
    // A return that is not there or cannot be read is the command's input, not the evaluator's
    // mistake: stop before anything is written.
    let returns = args.returns.iter().map(|r| super::input(r)).collect::<tenderkit::Result<Vec<_>>>()?;
    let panel = args.evaluators.as_deref().map(super::input).transpose()?;
    let written = out.display().to_string();
    let done = match returns::collect(&matrix, &returns, panel.as_ref(), &args.layout.load()?, &now(), &written)? {
        returns::Outcome::PanelRefused(said) => {
            eprint!("{said}");
            eprintln!("nothing collected: fix the panel first");
            return Ok(EXIT_FINDINGS);
        }
        returns::Outcome::Done(done) => done,
    };
    eprint!("{}", done.panel_messages);
    done.workbook.write(&done.edits, &out)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&done.to_json(&matrix.name, &written)).expect("serialises"));
    } else {
        print!("{}", done.report(&written));
    }
    Ok(done.exit())
}
