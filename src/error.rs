//! The one error type for file and usage problems. Findings about a matrix's content (weights,
//! scores) are not errors: they are [`Finding`](crate::domain::Finding)s, reported all at once.
//! Every message names the file, says what is wrong, and says what to do.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read.
    #[error("{path}: cannot read the file: {source}")]
    Read { path: PathBuf, source: std::io::Error },

    /// The output could not be written; the previous file, if any, is untouched.
    #[error("{path}: cannot write the file: {source} (nothing was changed)")]
    Write { path: PathBuf, source: std::io::Error },

    /// The file is not an Office Open XML workbook at all.
    #[error("{path}: not an Excel workbook (.xlsx): {reason}. Fix: {fix}")]
    NotWorkbook { path: PathBuf, reason: String, fix: String },

    /// An encrypted (password-protected) Office file: the package is inside an encrypted
    /// container we cannot open without the password.
    #[error(
        "{path}: the workbook is password-protected (encrypted), so tenderkit cannot read it. Fix: open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password), save it, and run again"
    )]
    Encrypted { path: PathBuf },

    /// The zip or XML inside the package is damaged.
    #[error(
        "{path}: the workbook is damaged: {detail}. Fix: open it in Excel or LibreOffice to repair it, save it as .xlsx, and run again"
    )]
    Corrupt { path: PathBuf, detail: String },

    /// The package holds something tenderkit refuses to unpack (zip bomb, path escape, entity
    /// declarations).
    #[error("{path}: refused: {detail}")]
    Unsafe { path: PathBuf, detail: String },

    /// A sheet the command needs is not in the workbook.
    #[error("{path}: no {role} sheet: {detail}. Fix: {fix}")]
    MissingSheet { path: PathBuf, role: &'static str, detail: String, fix: String },

    /// The workbook's layout could not be understood.
    #[error("{path}: {place}: {detail}. Fix: {fix}")]
    Layout { path: PathBuf, place: String, detail: String, fix: String },

    /// A tender definition or layout file (TOML) is malformed.
    #[error("{path}: {detail}")]
    Definition { path: PathBuf, detail: String },

    /// The command would overwrite its own input.
    #[error("{path}: refusing to overwrite the input file. Fix: pass -o to write a new file, or --in-place to update this one")]
    WouldOverwriteInput { path: PathBuf },

    /// The output file exists and the command does not replace files unless asked.
    #[error("{path}: already exists. Fix: choose another -o, or pass --force to replace it")]
    OutputExists { path: PathBuf },

    /// A template could not be read, parsed or filled.
    #[error(transparent)]
    Template(#[from] crate::render::TemplateError),

    /// One bidder's document could not be filled.
    #[error("{bidder}: {detail}")]
    Letter { bidder: String, detail: String },

    /// A command-line value is malformed, or an input the command needs is missing.
    #[error("{0}")]
    Usage(String),
}
