//! Subcommands, one file each. Exit codes mean one thing each: 0 done and clean, 1 the matrix
//! has validation errors (or the command found problems it reports), 2 usage or file errors.

mod check;
mod evaluated;
mod conflicts;
mod report;
mod exclusion;
mod layout;
mod letters;
mod matrix_new;
mod notice;
mod ocds;
mod rescale;
mod returns;
mod score;
mod sensitivity;
#[cfg(feature = "serve")]
mod serve;
mod spd;
mod standstill;
mod template;
mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use tenderkit::domain::tender::Tender;
use tenderkit::fsio::{UpdateLock, check_output, lock_for_update};

use tenderkit::xlsx::layout::LayoutFile;

pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(name = "tenderkit", version, about = "Evaluation Matrix workbooks and tender correspondence for public-sector buyers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create and manage Evaluation Matrix workbooks.
    Matrix {
        #[command(subcommand)]
        command: MatrixCommand,
    },
    /// Check a matrix's weightings, scores and costs; print every problem with its cell and fix.
    Validate(validate::Args),
    /// Compute weighted scores, totals and ranks; print the ranking and write the figures.
    Score(score::Args),
    /// How robust the ranking is: the margin, and what change of split, weight or score (or
    /// leaving a bid out) would change the winner.
    Sensitivity(sensitivity::Args),
    /// Show where everything in a matrix was found, as a layout file to save, correct and reuse.
    Layout(layout::Args),
    /// Move a matrix to another scoring scale: scores, formulas, legend and validation follow.
    Rescale(rescale::Args),
    /// Check a tender definition: its weightings and selection requirements, and the sustainable
    /// procurement prompts that apply (crime and cyber risk, outcomes, ethical IT).
    Check(check::Args),
    /// The contract-notice text: criteria and weightings, scoring, minimum standards, exclusion grounds.
    Notice(notice::Args),
    /// The SPD standardised statements for the selection requirements, checked for proportionality.
    Spd(spd::Args),
    /// Decide bidders' SPD exclusion answers: grounds, self-cleansing, time limits.
    Exclusion(exclusion::Args),
    /// The conflicts assessment (Procurement Act 2023) or conflict-of-interest record (Scotland):
    /// the panel's declarations, each conflict and the step taken, the review log.
    Conflicts(conflicts::Args),
    /// The evaluation report the award is approved on: requirement and procedure, criteria and
    /// weightings, the panel and their declarations, moderation, price, exclusions, the ranking
    /// with a chart, how robust it is, the recommendation, standstill and approval.
    Report(report::Args),
    /// When the standstill period ends and the contract may be entered into, under the tender's regime.
    Standstill(standstill::Args),
    /// Letters to bidders, one document per bidder, from Word (or text) templates.
    Letters(letters::Args),
    /// The award as Open Contracting Data Standard open data: a release package, validated.
    Ocds(ocds::Args),
    /// Word and text templates: check their fields.
    Template {
        #[command(subcommand)]
        command: template::Command,
    },
    /// The man page or a shell's completions, printed (what packages install).
    Generate {
        #[arg(value_enum)]
        what: Generated,
    },
    /// The page in your browser that does all of this without a terminal (this machine only).
    #[cfg(feature = "serve")]
    Serve(serve::Args),
    /// Evaluators' score returns: write them, and collect them into the matrix for moderation.
    Returns {
        #[command(subcommand)]
        command: returns::Command,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Generated {
    /// The man page (roff), for `man tenderkit`.
    Man,
    CompleteBash,
    CompleteZsh,
    CompleteFish,
    CompletePowershell,
}

/// Prints the man page or completions made from the command line's own definitions.
fn generate(what: Generated) -> tenderkit::Result<u8> {
    use clap_complete::Shell;
    let mut cmd = command();
    let mut out = std::io::stdout().lock();
    let shell = match what {
        Generated::Man => {
            clap_mangen::Man::new(cmd).render(&mut out).map_err(|e| tenderkit::Error::Usage(e.to_string()))?;
            return Ok(0);
        }
        Generated::CompleteBash => Shell::Bash,
        Generated::CompleteZsh => Shell::Zsh,
        Generated::CompleteFish => Shell::Fish,
        Generated::CompletePowershell => Shell::PowerShell,
    };
    clap_complete::generate(shell, &mut cmd, "tenderkit", &mut out);
    Ok(0)
}

#[derive(Subcommand)]
enum MatrixCommand {
    /// Create a ready-to-fill matrix workbook from a tender definition (tender.toml).
    New(matrix_new::Args),
}

/// Where a command that changes a matrix writes it: `-o` a new file, or `--in-place`.
#[derive(clap::Args)]
pub struct WorkbookOutput {
    /// Write the changed workbook here (a new file; the input stays as it was).
    #[arg(short, long, value_name = "OUT.xlsx")]
    pub output: Option<PathBuf>,
    /// Update the matrix workbook itself.
    #[arg(long, conflicts_with = "output")]
    pub in_place: bool,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Where a command writes, and (when it updates its input in place) the lock it holds on it
/// until the update is written.
pub struct Destination {
    pub path: PathBuf,
    _lock: Option<UpdateLock>,
}

impl std::ops::Deref for Destination {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl WorkbookOutput {
    /// The file to write, if any, once it is safe to write there (never the input unless
    /// `--in-place`, never an existing file unless `--force`). Call it before reading the input:
    /// in place, the input is locked from then until the command ends.
    pub fn destination(&self, input: &Path) -> tenderkit::Result<Option<Destination>> {
        let out = match (&self.output, self.in_place) {
            (Some(o), _) => o.clone(),
            (None, true) => input.to_path_buf(),
            (None, false) => return Ok(None),
        };
        check_output(input, &out, self.in_place, self.force)?;
        let lock = if self.in_place { Some(lock_for_update(input)?) } else { None };
        Ok(Some(Destination { path: out, _lock: lock }))
    }
}

/// A tender definition that has passed the tender checks ([`Tender::check`]), the findings
/// printed with their keys. `None` when one is an error, so nothing may be published or made
/// from it.
fn checked_tender(path: &Path) -> tenderkit::Result<Option<Tender>> {
    let checked = tenderkit::app::text::checked_tender(&input(path)?)?;
    eprint!("{}", checked.messages);
    Ok(checked.tender)
}

/// `-o` for commands that print text: the text to a file instead, `.txt` or a Word `.docx`.
#[derive(clap::Args)]
pub struct TextOutput {
    /// Write the text to a file instead of printing it: `.txt` or `.docx`.
    #[arg(short, long, value_name = "OUT.txt|OUT.docx")]
    pub output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

impl TextOutput {
    /// Prints `text`, or writes it where `-o` says.
    pub fn put(&self, text: &str) -> tenderkit::Result<()> {
        self.put_with(text, || tenderkit::docx::plain::document(text))
    }

    /// As [`TextOutput::put`], with the Word document `docx` makes where `-o` names a `.docx`.
    pub fn put_with(&self, text: &str, docx: impl FnOnce() -> Vec<u8>) -> tenderkit::Result<()> {
        let Some(out) = &self.output else {
            print!("{text}");
            return Ok(());
        };
        if out.exists() && !self.force {
            return Err(tenderkit::Error::OutputExists { path: out.clone() });
        }
        if out.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx")) {
            tenderkit::fsio::write_bytes(out, &docx())?;
        } else {
            tenderkit::fsio::write_bytes(out, text.as_bytes())?;
        }
        println!("wrote {}", out.display());
        Ok(())
    }
}

/// `--layout` for commands that read a matrix.
#[derive(clap::Args)]
pub struct LayoutArg {
    /// Where the matrix keeps things, for workbooks tenderkit did not create (TOML; see README).
    #[arg(long, value_name = "LAYOUT.toml")]
    pub layout: Option<PathBuf>,
}

/// A file named on the command line, read whole for the library's commands on bytes.
pub fn input(path: &Path) -> tenderkit::Result<tenderkit::app::Input> {
    let bytes = std::fs::read(path).map_err(|source| tenderkit::Error::Read { path: path.to_path_buf(), source })?;
    Ok(tenderkit::app::Input::new(path.display().to_string(), bytes))
}

impl LayoutArg {
    pub fn load(&self) -> tenderkit::Result<LayoutFile> {
        match &self.layout {
            Some(p) => tenderkit::tender_file::load(p),
            None => Ok(LayoutFile::default()),
        }
    }
}

/// The command line, every command's help laid out the same way (each option's description on
/// the line below it; clap otherwise chooses per command, by the widths of its lines).
fn command() -> clap::Command {
    fn same_layout(c: clap::Command) -> clap::Command {
        c.next_line_help(true).mut_subcommands(same_layout)
    }
    same_layout(Cli::command())
}

pub fn run() -> ExitCode {
    // Scripts reading `--json` output always get JSON, even for a usage or file error.
    let json = std::env::args_os().any(|a| a == "--json");
    let cli = match command().try_get_matches().and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) if json && e.use_stderr() => {
            let message = e.render().to_string();
            let message: Vec<&str> =
                message.lines().take_while(|l| !l.starts_with("Usage:")).map(str::trim).filter(|l| !l.is_empty()).collect();
            let message = message.join(" ").trim_start_matches("error: ").to_string();
            let mut out = tenderkit::app::error_json(&tenderkit::Error::Usage(message));
            out["findings"][0]["fix"] = "see `tenderkit help` for the command's arguments".into();
            println!("{}", serde_json::to_string_pretty(&out).expect("serialises"));
            return ExitCode::from(EXIT_ERROR);
        }
        Err(e) => e.exit(),
    };
    let result = match cli.command {
        Command::Matrix { command: MatrixCommand::New(args) } => matrix_new::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Score(args) => score::run(args),
        Command::Sensitivity(args) => sensitivity::run(args),
        Command::Layout(args) => layout::run(args),
        Command::Rescale(args) => rescale::run(args),
        Command::Returns { command } => returns::run(command),
        Command::Notice(args) => notice::run(args),
        Command::Letters(args) => letters::run(args),
        Command::Template { command } => template::run(command),
        Command::Spd(args) => spd::run(args),
        Command::Exclusion(args) => exclusion::run(args),
        Command::Conflicts(args) => conflicts::run(args),
        Command::Report(args) => report::run(args),
        Command::Standstill(args) => standstill::run(args),
        Command::Ocds(args) => ocds::run(args),
        Command::Check(args) => check::run(args),
        Command::Generate { what } => generate(what),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if json => {
            println!("{}", serde_json::to_string_pretty(&tenderkit::app::error_json(&e)).expect("serialises"));
            ExitCode::from(e.exit_code())
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
