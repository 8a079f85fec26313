//! The commands' work on bytes: each takes the buyer's files as a name and their bytes, with the
//! options a buyer chooses, and returns what the command found and decided, with the workbook it
//! would write as edits (or bytes). No file paths are opened, no clock or process is read here:
//! the `tenderkit` command, `serve` and the page with no server (WebAssembly) are shells that
//! move bytes in and print or offer what comes back, so none of them can decide differently.

pub mod conflicts;
pub mod evaluated;
pub mod evaluation_report;
pub mod exclusion;
pub mod letters;
pub mod rescale;
pub mod returns;
pub mod score;
pub mod sensitivity;
pub mod template;
pub mod text;
pub mod validate;

use std::path::Path;

use crate::Result;
use crate::xlsx::Workbook;
use crate::xlsx::layout::LayoutFile;

/// A file the buyer gave: what messages call it, and its bytes.
pub struct Input {
    pub name: String,
    pub bytes: Bytes,
}

/// A file's bytes, shared rather than copied: a workbook opened from an [`Input`] reads the
/// input's own bytes (a 5,000-bid matrix is 22 MB).
#[derive(Clone)]
pub struct Bytes(std::sync::Arc<Vec<u8>>);

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Input {
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Input {
        Input { name: name.into(), bytes: Bytes(std::sync::Arc::new(bytes)) }
    }

    pub fn path(&self) -> &Path {
        Path::new(&self.name)
    }

    /// The file as text; an error names it where it is not UTF-8.
    pub fn text(&self) -> Result<&str> {
        std::str::from_utf8(&self.bytes)
            .map_err(|_| crate::Error::Definition { path: self.path().to_path_buf(), detail: "the file is not UTF-8 text".into() })
    }

    /// The file read as TOML into `T` (a tender, panel, responses or layout file).
    pub fn toml<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        crate::tender_file::parse(self.path(), self.text()?)
    }

    /// The file's SHA-256, as hex (what the audit trail records).
    pub fn sha256(&self) -> String {
        crate::fsio::sha256_hex(&self.bytes)
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

/// The layout file the page's layout form gives (fields `layout.SECTION.KEY`, as in the file
/// `tenderkit layout` writes), or `None` when the form is empty. An error names a field that is
/// not what it must be.
pub fn layout_from_form<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> std::result::Result<Option<String>, String> {
    let mut table = toml::Table::new();
    for (name, value) in fields {
        let Some((section, key)) = name.strip_prefix("layout.").and_then(|k| k.split_once('.')) else { continue };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let typed = if key.ends_with("_row") {
            toml::Value::Integer(value.parse().map_err(|_| format!("{section} {key}: '{value}' is not a row number"))?)
        } else {
            toml::Value::String(value.to_string())
        };
        let entry = table.entry(section.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let toml::Value::Table(t) = entry {
            t.insert(key.to_string(), typed);
        }
    }
    if table.is_empty() {
        return Ok(None);
    }
    Ok(Some(format!("# Written from the layout form of tenderkit's page.\n{}", toml::to_string(&table).unwrap_or_default())))
}

/// A file or usage error in the shape `--json` findings take.
pub fn error_json(e: &crate::Error) -> serde_json::Value {
    let (message, fix) = e.parts();
    serde_json::json!({
        "file": e.path().map(|f| f.display().to_string()),
        "errors": 1,
        "warnings": 0,
        "findings": [{ "severity": "error", "rule": e.rule(), "message": message, "fix": fix.unwrap_or_default() }],
    })
}
