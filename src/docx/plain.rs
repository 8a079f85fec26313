//! Plain text as a Word document (docx-rs): a line in capitals is a heading, an indented line a
//! list item, a blank line ends a paragraph.

use std::path::Path;

use docx_rs::{Docx, Paragraph, Run};

use crate::error::{Error, Result};

fn is_heading(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() > 3 && letters.iter().all(|c| c.is_uppercase())
}

/// Writes `text` to `out` as a Word document (atomically).
pub fn write_text(text: &str, out: &Path) -> Result<()> {
    let mut doc = Docx::new();
    for line in text.lines() {
        let p = if line.trim().is_empty() {
            Paragraph::new()
        } else if is_heading(line) {
            Paragraph::new().add_run(Run::new().add_text(line.trim()).bold().size(24))
        } else if let Some(item) = line.strip_prefix("  ") {
            Paragraph::new().indent(Some(567), None, None, None).add_run(Run::new().add_text(item.trim()))
        } else {
            Paragraph::new().add_run(Run::new().add_text(line))
        };
        doc = doc.add_paragraph(p);
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).map_err(|e| Error::Write { path: out.to_path_buf(), source: std::io::Error::other(e.to_string()) })?;
    crate::fsio::write_bytes(out, &bytes.into_inner())
}
