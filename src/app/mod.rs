//! The commands' work on bytes: each takes the buyer's files as a name and their bytes, with the
//! options a buyer chooses, and returns what the command found and decided, with the workbook it
//! would write as edits (or bytes). No file paths are opened, no clock or process is read here:
//! the `tenderkit` command, `serve` and the page with no server (WebAssembly) are shells that
//! move bytes in and print or offer what comes back, so none of them can decide differently.

pub mod score;
pub mod validate;

use std::path::Path;

use crate::Result;
use crate::xlsx::Workbook;
use crate::xlsx::layout::LayoutFile;

/// A file the buyer gave: what messages call it, and its bytes.
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Input {
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Input {
        Input { name: name.into(), bytes }
    }

    pub fn path(&self) -> &Path {
        Path::new(&self.name)
    }

    /// The file's SHA-256, as hex (what the audit trail records).
    pub fn sha256(&self) -> String {
        use sha2::{Digest, Sha256};
        Sha256::digest(&self.bytes).iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A layout file's text read as one (the `--layout` option, the page's layout form).
pub fn layout_from_toml(name: &str, text: &str) -> Result<LayoutFile> {
    crate::tender_file::parse(Path::new(name), text)
}

/// A matrix workbook from its bytes.
pub fn workbook(matrix: &Input) -> Result<Workbook> {
    Workbook::from_bytes(matrix.path(), matrix.bytes.clone())
}
