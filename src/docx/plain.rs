//! Plain text as a Word document: a line in capitals is a heading, an indented line a list item, a
//! blank line ends a paragraph.

use crate::docx::write::{Document, Paragraph, Run};

fn is_heading(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() > 3 && letters.iter().all(|c| c.is_uppercase())
}

/// `text` as a Word document's bytes.
pub fn document(text: &str) -> Vec<u8> {
    let mut doc = Document::default();
    for line in text.lines() {
        let p = if line.trim().is_empty() {
            Paragraph::new()
        } else if is_heading(line) {
            Paragraph::new().run(Run::new(line.trim()).bold().size(24))
        } else if let Some(item) = line.strip_prefix("  ") {
            Paragraph::new().indent(567).run(Run::new(item.trim()))
        } else {
            Paragraph::new().run(Run::new(line))
        };
        doc = doc.paragraph(p);
    }
    doc.to_bytes()
}
