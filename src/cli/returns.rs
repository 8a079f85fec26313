use std::path::PathBuf;

use tenderkit::Error;
use tenderkit::domain::moderation::{accept, flags};
use tenderkit::domain::panel::Panel;
use tenderkit::domain::{Finding, Rule, Subject};
use tenderkit::fsio::now;
use tenderkit::report::{self, Chain, counts};
use tenderkit::tender_file::load;
use tenderkit::xlsx::Workbook;
use tenderkit::xlsx::matrix::{ReadMatrix, read_matrix};
use tenderkit::xlsx::moderation::{AuditRow, ModerationPlaces, moderated_edits, read_moderation, read_panel, source_of};
use tenderkit::xlsx::returns::{ReturnContext, file_names, read_return, return_bytes};

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

/// The tender's reference and title, as the matrix states them.
fn tender_of(wb: &Workbook, panel: &Panel) -> (Option<String>, String) {
    let value = |name: &str| {
        let (sheet, range) = wb.defined_range(name)?;
        let v = wb.sheet(&sheet).ok()?.text(range.start);
        (!v.is_empty()).then_some(v)
    };
    let reference = value("TenderReference");
    let title = value("TenderTitle").unwrap_or_else(|| panel.tender.clone());
    (reference, title)
}

fn check_panel(panel: &Panel, wb: &Workbook, read: &ReadMatrix, panel_file: &str) -> Option<u8> {
    let (reference, _) = tender_of(wb, panel);
    let problems = panel.check(&read.matrix, reference.as_deref());
    if problems.is_empty() {
        return None;
    }
    let located = report::locate(std::path::Path::new(panel_file), problems, &Chain(vec![&read.layout, &PanelKeys]));
    eprint!("{}", report::human(&located, 50));
    let (errors, _) = counts(&located);
    (errors > 0).then_some(EXIT_FINDINGS)
}

/// Places in a panel file.
struct PanelKeys;

impl report::Locate for PanelKeys {
    fn locate(&self, subject: &Subject) -> Option<String> {
        match subject {
            Subject::Evaluator { evaluator } => Some(format!("evaluators[{evaluator}]")),
            Subject::Panel => Some("evaluators".into()),
            _ => None,
        }
    }
}

fn new(args: NewArgs) -> tenderkit::Result<u8> {
    let panel: Panel = load(&args.evaluators)?;
    let wb = Workbook::open(&args.matrix)?;
    let read = read_matrix(&wb, &args.layout.load()?)?;
    if let Some(code) = check_panel(&panel, &wb, &read, &args.evaluators.display().to_string()) {
        eprintln!("no returns written: fix the panel first");
        return Ok(code);
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
    let wb = Workbook::open(&args.matrix)?;
    let read = read_matrix(&wb, &args.layout.load()?)?;
    let (panel, panel_file) = match &args.evaluators {
        Some(p) => (load::<Panel>(p)?, p.display().to_string()),
        None => match read_panel(&wb)? {
            Some(p) => (p, format!("{} (Panel sheet)", args.matrix.display())),
            None => {
                return Err(Error::Usage(format!("{}: no evaluation panel: pass --evaluators panel.toml", args.matrix.display())));
            }
        },
    };
    if let Some(code) = check_panel(&panel, &wb, &read, &panel_file) {
        eprintln!("nothing collected: fix the panel first");
        return Ok(code);
    }
    let issued_names = file_names(&panel);
    let mut existing = read_moderation(&wb, &read, &panel)?;
    let mut findings: Vec<Finding> = Vec::new();
    let mut fresh = vec![None; panel.evaluators.len()];
    let mut files: Vec<(String, Option<tenderkit::xlsx::returns::ReturnLayout>)> =
        args.returns.iter().map(|p| (p.display().to_string(), None)).collect();
    let when = now();
    let mut collected = 0;
    for (i, path) in args.returns.iter().enumerate() {
        let name = path.display().to_string();
        let refused = |detail: String| AuditRow {
            when: when.clone(),
            what: "refused return".into(),
            who: String::new(),
            detail,
            file: name.clone(),
            sha256: String::new(),
        };
        let (mut ret, layout) = match read_return(path) {
            Ok(x) => x,
            // A path that is not there or cannot be read is the command's input, not the
            // evaluator's mistake: stop before anything is written.
            Err(e @ Error::Read { .. }) => return Err(e),
            Err(e) => {
                findings.push(Finding::error(
                    Rule::ReturnRefused,
                    Subject::Return { file: i },
                    e.to_string(),
                    "ask the evaluator to send the return again",
                ));
                existing.audit.push(refused(e.to_string()));
                continue;
            }
        };
        files[i].1 = Some(layout.clone());
        // A return made before it recorded who it was issued to: its file name as issued says.
        if ret.issued_to.is_none() {
            let issued = path.file_name().map(|f| f.to_string_lossy().to_lowercase());
            ret.issued_to = issued_names.iter().position(|n| Some(n.to_lowercase()) == issued).map(|e| panel.evaluators[e].name.clone());
        }
        let (accepted, mut notes) = accept(&panel, &read.matrix, &ret, i);
        let Some(accepted) = accepted else {
            existing.audit.push(refused(notes.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join("; ")));
            findings.append(&mut notes);
            continue;
        };
        let e = accepted.evaluator;
        if fresh[e].is_some() {
            notes.push(Finding::warning(
                Rule::ReturnRowIgnored,
                Subject::Return { file: i },
                format!("{} sent more than one return in this collection; the last one given counts", panel.evaluators[e].name.trim()),
                "collect only the return you mean to use",
            ));
        }
        let source = source_of(path, &when)?;
        existing.audit.push(AuditRow {
            when: when.clone(),
            what: "collected return".into(),
            who: format!("{} ({})", panel.evaluators[e].name.trim(), panel.evaluators[e].role.name()),
            detail: format!("{} scores, {} costs", accepted.marks.len(), accepted.costs.len()),
            file: source.file.clone(),
            sha256: source.sha256.clone(),
        });
        existing.moderation.put(e, source, &accepted);
        fresh[e] = Some(layout);
        findings.append(&mut notes);
        collected += 1;
    }
    let md = &existing.moderation;
    let flagged = flags(&panel, &read.matrix, md);
    let edits = moderated_edits(&wb, &read, &panel, md, &flagged, &existing.audit, existing.use_mean);
    wb.write(&edits, &out)?;
    findings.extend(flagged);

    let places = ModerationPlaces {
        matrix: &read.matrix,
        layout: &existing.layout,
        returns: fresh,
        sheets: existing.sheets,
        files,
        workbook: out.display().to_string(),
    };
    let located = report::locate(&out, findings, &Chain(vec![&places, &read.layout]));
    let (errors, warnings) = counts(&located);
    if args.json {
        let json = serde_json::json!({
            "matrix": args.matrix.display().to_string(),
            "written": out.display().to_string(),
            "collected": collected,
            "refused": args.returns.len() - collected,
            "errors": errors,
            "warnings": warnings,
            "findings": located,
        });
        println!("{}", serde_json::to_string_pretty(&json).expect("serialises"));
    } else {
        if !located.is_empty() {
            print!("{}", report::human(&located, 500));
        }
        println!("collected {collected} of {} returns into {}", args.returns.len(), out.display());
        let outstanding: Vec<&str> =
            panel.evaluators.iter().zip(&md.sources).filter(|(_, s)| s.is_none()).map(|(e, _)| e.name.trim()).collect();
        if !outstanding.is_empty() {
            println!("still to come: {}", outstanding.join(", "));
        }
        println!(
            "next: agree the scores at the moderation meeting, record them in the Moderation sheet's 'Agreed score' column, then run `tenderkit score`"
        );
    }
    Ok(if errors > 0 { EXIT_FINDINGS } else { 0 })
}
