//! Plain text as a Word document (docx-rs): a line in capitals is a heading, an indented line a
//! list item, a blank line ends a paragraph.

use std::path::Path;

use docx_rs::{BreakType, Docx, Paragraph, Run};

use crate::error::{Error, Result};

fn is_heading(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() > 3 && letters.iter().all(|c| c.is_uppercase())
}

/// A run of text. A vertical tab (Word's soft line break, common in pasted text) becomes a line
/// break; other characters XML cannot hold are left out, so the document always opens.
fn run(text: &str) -> Run {
    let mut run = Run::new();
    for (i, part) in text.split(['\u{B}', '\u{C}']).enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        let clean: String = part.chars().filter(|&c| !crate::xlsx::xstring::forbidden_in_xml(c)).collect();
        run = run.add_text(clean);
    }
    run
}

/// Writes `text` to `out` as a Word document (atomically).
pub fn write_text(text: &str, out: &Path) -> Result<()> {
    let mut doc = Docx::new();
    for line in text.lines() {
        let p = if line.trim().is_empty() {
            Paragraph::new()
        } else if is_heading(line) {
            Paragraph::new().add_run(run(line.trim()).bold().size(24))
        } else if let Some(item) = line.strip_prefix("  ") {
            Paragraph::new().indent(Some(567), None, None, None).add_run(run(item.trim()))
        } else {
            Paragraph::new().add_run(run(line))
        };
        doc = doc.add_paragraph(p);
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).map_err(|e| Error::Write { path: out.to_path_buf(), source: std::io::Error::other(e.to_string()) })?;
    crate::fsio::write_bytes(out, &bytes.into_inner())
}
