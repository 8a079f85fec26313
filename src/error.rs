//! The one error type for file and usage problems. Findings about a matrix's content (weights,
//! scores) are not errors: they are [`Finding`](crate::domain::Finding)s, reported all at once.
//! Every message names the file, says what is wrong, and says what to do; [`Error::parts`] gives
//! the two apart, for `--json`.

use std::path::{Path, PathBuf};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug)]
pub enum Error {
    /// The file could not be opened or read.
    Read { path: PathBuf, source: std::io::Error },

    /// The output could not be written; the previous file, if any, is untouched.
    Write { path: PathBuf, source: std::io::Error },

    /// The file is not an Office Open XML workbook at all.
    NotWorkbook { path: PathBuf, reason: String, fix: String },

    /// An encrypted (password-protected) Office file: the package is inside an encrypted
    /// container we cannot open without the password.
    Encrypted { path: PathBuf },

    /// The zip or XML inside the package is damaged.
    Corrupt { path: PathBuf, detail: String },

    /// The package holds something tenderkit refuses to unpack (zip bomb, path escape, entity
    /// declarations).
    Unsafe { path: PathBuf, detail: String },

    /// A sheet the command needs is not in the workbook.
    MissingSheet { path: PathBuf, role: &'static str, detail: String, fix: String },

    /// The workbook's layout could not be understood.
    Layout { path: PathBuf, place: String, detail: String, fix: String },

    /// A tender definition or layout file (TOML) is malformed.
    Definition { path: PathBuf, detail: String },

    /// The command would overwrite its own input.
    WouldOverwriteInput { path: PathBuf },

    /// The output file exists and the command does not replace files unless asked.
    OutputExists { path: PathBuf },

    /// A template could not be read, parsed or filled.
    Template(crate::render::TemplateError),

    /// One bidder's document could not be filled.
    Letter { bidder: String, detail: String },

    /// A command-line value is malformed, or an input the command needs is missing.
    Usage(String),
}

impl From<crate::render::TemplateError> for Error {
    fn from(e: crate::render::TemplateError) -> Self {
        Error::Template(e)
    }
}

impl Error {
    /// The exit status (README, "Exit codes"): 1 for the problems a command found in a template
    /// the buyer gave it (it cannot be filled), 2 for usage and file errors.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Template(_) | Error::Letter { .. } => 1,
            _ => 2,
        }
    }

    /// A stable code for the kind of problem, as `--json` reports it.
    pub fn rule(&self) -> &'static str {
        match self {
            Error::Read { .. } => "file-unreadable",
            Error::Write { .. } => "file-not-written",
            Error::NotWorkbook { .. } => "not-a-workbook",
            Error::Encrypted { .. } => "workbook-encrypted",
            Error::Corrupt { .. } => "file-damaged",
            Error::Unsafe { .. } => "file-refused",
            Error::MissingSheet { .. } => "sheet-not-found",
            Error::Layout { .. } => "layout-not-understood",
            Error::Definition { .. } => "definition-invalid",
            Error::WouldOverwriteInput { .. } => "would-overwrite-input",
            Error::OutputExists { .. } => "output-exists",
            Error::Template(_) => "template-invalid",
            Error::Letter { .. } => "letter-not-filled",
            Error::Usage(_) => "usage",
        }
    }

    /// The file the problem is in, where there is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Error::Read { path, .. }
            | Error::Write { path, .. }
            | Error::NotWorkbook { path, .. }
            | Error::Encrypted { path }
            | Error::Corrupt { path, .. }
            | Error::Unsafe { path, .. }
            | Error::MissingSheet { path, .. }
            | Error::Layout { path, .. }
            | Error::Definition { path, .. }
            | Error::WouldOverwriteInput { path }
            | Error::OutputExists { path } => Some(path),
            _ => None,
        }
    }

    /// What is wrong, and what to do about it (where there is something to say).
    pub fn parts(&self) -> (String, Option<String>) {
        let fix = |s: &str| Some(s.to_string());
        match self {
            Error::Read { path, source } => (
                format!("{}: cannot read the file: {source}", path.display()),
                fix("check the file name and folder, and that the file is not open elsewhere with a lock"),
            ),
            Error::Write { path, source } => (format!("{}: cannot write the file: {source} (nothing was changed)", path.display()), None),
            Error::NotWorkbook { path, reason, fix: f } => {
                (format!("{}: not an Excel workbook (.xlsx): {reason}", path.display()), Some(f.clone()))
            }
            Error::Encrypted { path } => (
                format!("{}: the workbook is password-protected (encrypted), so tenderkit cannot read it", path.display()),
                fix(
                    "open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password), save it, and run again",
                ),
            ),
            Error::Corrupt { path, detail } => (
                format!("{}: the workbook is damaged: {detail}", path.display()),
                fix("open it in Excel or LibreOffice to repair it, save it as .xlsx, and run again"),
            ),
            Error::Unsafe { path, detail } => (format!("{}: refused: {detail}", path.display()), None),
            Error::MissingSheet { path, role, detail, fix: f } => {
                (format!("{}: no {role} sheet: {detail}", path.display()), Some(f.clone()))
            }
            Error::Layout { path, place, detail, fix: f } => (format!("{}: {place}: {detail}", path.display()), Some(f.clone())),
            Error::Definition { path, detail } => (format!("{}: {detail}", path.display()), None),
            Error::WouldOverwriteInput { path } => (
                format!("{}: refusing to overwrite the input file", path.display()),
                fix("pass -o to write a new file, or --in-place to update this one"),
            ),
            Error::OutputExists { path } => {
                (format!("{}: already exists", path.display()), fix("choose another -o, or pass --force to replace it"))
            }
            Error::Template(e) => (e.to_string(), None),
            Error::Letter { bidder, detail } => (format!("{bidder}: {detail}"), None),
            Error::Usage(m) => (m.clone(), None),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.parts() {
            (message, Some(fix)) => write!(f, "{message}. Fix: {fix}"),
            (message, None) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Read { source, .. } | Error::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}
