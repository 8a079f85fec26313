use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use rayon::prelude::*;
use tenderkit::Error;
use tenderkit::app::{self, letters::Planned, letters::Request, letters::Templated};
use tenderkit::docx::template::Binding;

use super::{EXIT_FINDINGS, LayoutArg};

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("destination").required(true).multiple(true)))]
pub struct Args {
    /// disqualification, unsuccessful (Scotland 2015's standstill letter), successful,
    /// assessment-summary (Procurement Act 2023), abnormally-low (a request to explain a price),
    /// self-cleansing, late-bid or tender-opening-form.
    kind: String,
    /// The tender definition.
    #[arg(long, value_name = "TENDER.toml")]
    tender: PathBuf,
    /// The scored (or moderated) matrix: scores, ranks, pass marks, justifications.
    #[arg(long, value_name = "MATRIX.xlsx")]
    matrix: Option<PathBuf>,
    #[command(flatten)]
    layout: LayoutArg,
    /// The bidders' SPD exclusion answers (for disqualification and self-cleansing letters).
    #[arg(long, value_name = "RESPONSES.toml")]
    responses: Option<PathBuf>,
    #[command(flatten)]
    on: super::exclusion::DecidedOn,
    /// The tender opening board's record (for disqualification, late-bid and the opening form).
    #[arg(long, value_name = "OPENING.toml")]
    opening: Option<PathBuf>,
    /// One letter template of the buyer's own, used instead of the bundled one: a Word .docx, or a
    /// .hbs text template.
    #[arg(long, value_name = "TEMPLATE.docx|TEMPLATE.hbs")]
    template: Option<PathBuf>,
    /// What the Word template's merge fields mean: `Bidder_Name = "bidder"` (TOML). A fields.toml
    /// beside the template is read without this.
    #[arg(long, value_name = "FIELDS.toml")]
    fields: Option<PathBuf>,
    /// docx (default) or txt.
    #[arg(long, default_value = "docx")]
    format: String,
    /// The letters' date (YYYY-MM-DD); by default the day in --sent for the Scottish award letters
    /// (the notices themselves), else today.
    #[arg(long)]
    date: Option<String>,
    /// For the standstill dates in award letters; without --sent, the letters' date.
    #[command(flatten)]
    notices: super::standstill::NoticesSent,
    /// Also write everything into one zip archive.
    #[arg(long)]
    zip: bool,
    /// Print the data each letter is filled from, as JSON (for `template check --data`), and write nothing.
    #[arg(long, group = "destination")]
    data: bool,
    /// Replace letters that already exist in the folder.
    #[arg(long)]
    force: bool,
    /// The folder to write the letters into.
    #[arg(short, long, value_name = "DIR", group = "destination")]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let kind = app::letters::kind(&args.kind)?;
    let read = |p: &Option<PathBuf>| p.as_deref().map(super::input).transpose();
    let parse_date = |flag: &str, d: &Option<String>| {
        d.as_deref()
            .map(|d| d.parse::<NaiveDate>().map_err(|_| Error::Usage(format!("{flag} {d}: write the date as YYYY-MM-DD"))))
            .transpose()
    };
    let date = parse_date("--date", &args.date)?;
    let notices = args.notices.parsed()?;
    let on = args.on.parsed()?;
    let tender = super::input(&args.tender)?;
    let (matrix, responses, opening) = (read(&args.matrix)?, read(&args.responses)?, read(&args.opening)?);
    let layout = args.layout.load()?;
    let request = Request {
        kind,
        tender: &tender,
        matrix: matrix.as_ref(),
        layout: &layout,
        responses: responses.as_ref(),
        on,
        opening: opening.as_ref(),
        date,
        notices,
        today: super::exclusion::today(),
    };
    let plan = match app::letters::plan(&request)? {
        Planned::Refused(said) => {
            eprint!("{said}");
            return Ok(EXIT_FINDINGS);
        }
        Planned::Ready(plan) => plan,
    };
    eprint!("{}", plan.messages);
    if args.data {
        println!("{}", plan.data_json());
        return Ok(0);
    }
    if plan.data.is_empty() {
        println!("no {} letters to write", kind.name());
        return Ok(0);
    }
    let template = read(&args.template)?;
    let fields = Binding::fields_file(args.template.as_deref(), args.fields.as_deref()).map(|p| super::input(&p)).transpose()?;
    let prepared = match plan.template(template.as_ref(), fields.as_ref(), args.format == "txt")? {
        Templated::Refused(said) => {
            eprint!("{said}");
            return Ok(EXIT_FINDINGS);
        }
        Templated::Ready(p) => p,
    };
    eprint!("{}", prepared.messages);

    // Render every letter, on every core, with a progress bar on a terminal; each is staged in
    // the output folder as it is made, so only those being rendered are held.
    let out_dir = args.output.clone().expect("required without --data");
    let total = prepared.len();
    let batch = tenderkit::fsio::Batch::begin(&out_dir, prepared.file_names(args.zip), args.force)?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(total as u64);
        b.set_style(indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}").expect("style").progress_chars("=> "));
        b.set_message(format!("writing {} letters", kind.name()));
        b
    });
    // `serve`'s page shows the same progress: with TENDERKIT_PROGRESS=lines, "progress DONE/OF"
    // lines on stderr, about a hundred in all.
    let lines = std::env::var_os("TENDERKIT_PROGRESS").is_some_and(|v| v == "lines");
    let done = std::sync::atomic::AtomicUsize::new(0);
    let step = total.div_ceil(100).max(1);
    let staged: Vec<tenderkit::Result<()>> = (0..total)
        .into_par_iter()
        .map(|i| {
            let staged = prepared.render(i).and_then(|bytes| batch.stage(i, &bytes));
            if let Some(b) = &bar {
                b.inc(1);
            }
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if lines && (n % step == 0 || n == total) {
                eprintln!("progress {n}/{total}");
            }
            staged
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // The first letter that could not be made, in the letters' order.
    staged.into_iter().collect::<tenderkit::Result<()>>()?;
    let letters = prepared.finish(&batch, args.zip)?;
    // All or nothing: every letter, the index and the archive are placed together, or none is.
    batch.place()?;
    print!("{}", letters.report(&out_dir));
    Ok(0)
}
