//! Rebuilds the bundled Word letter templates, `templates/letters/<kind>.docx`, from the
//! plain-text templates beside them (one wording for both): a letterhead header and a footer
//! with fields, one paragraph per line, and for the award letters the criterion-by-criterion
//! scores as a table whose row repeats with `{{#each scores}}`.
//!
//!     cargo run --example make_templates

use std::path::Path;

use tenderkit::docx::write::{Align, Cell, Document, Paragraph, Run, Table};

fn text(p: Paragraph, line: &str, bold: bool) -> Paragraph {
    let run = Run::new(line);
    p.run(if bold { run.bold() } else { run })
}

/// A table cell, in 9 pt: the table has six columns on an A4 page.
fn cell(content: &str, bold: bool, width: u32) -> Cell {
    let run = Run::new(content).size(18);
    Cell { width, paragraphs: vec![Paragraph::new().run(if bold { run.bold() } else { run })] }
}

/// A table whose second row repeats per criterion with `{{#each scores}}`: one (heading, field,
/// width) per column. Widths (in twentieths of a point) fit A4 between 2.54 cm margins (9,026):
/// each score column takes the longest descriptor ("Unacceptable") and each heading word
/// unbroken, even in the wider fonts a word processor may substitute for Arial; the reasons get
/// the rest. The layout is fixed so word processors keep the widths.
fn scores_table(columns: &[(&str, &str, u32)]) -> Table {
    let last = columns.len() - 1;
    let heading = columns.iter().map(|(h, _, w)| cell(h, true, *w)).collect();
    let row = columns
        .iter()
        .enumerate()
        .map(|(i, (_, field, w))| {
            let open = if i == 0 { "{{#each scores}}" } else { "" };
            let close = if i == last { "{{/each}}" } else { "" };
            cell(&format!("{open}{field}{close}"), false, *w)
        })
        .collect();
    Table { grid: columns.iter().map(|c| c.2).collect(), rows: vec![heading, row] }
}

/// The tables a letter's `{{#each scores}}` blocks become, in order; `None` keeps a block as
/// paragraphs.
fn tables(kind: &str) -> Vec<Option<Table>> {
    let (reference, weighting, score): ((&str, &str, u32), (&str, &str, u32), u32) =
        (("Ref", "{{reference}}", 700), ("Weighting (%)", "{{number weight}}", 1300), 1550);
    match kind {
        "unsuccessful" => vec![Some(scores_table(&[
            reference,
            ("Criterion", "{{title}}", 1750),
            weighting,
            ("Your score", "{{score}} {{descriptor}}", score),
            ("Winning tender", "{{winner_score}} {{winner_descriptor}}", score),
            ("Reasons", "{{justification}}", 2176),
        ]))],
        "successful" => vec![Some(scores_table(&[
            reference,
            ("Criterion", "{{title}}", 4176),
            weighting,
            ("Your score", "{{score}} {{descriptor}}", score),
        ]))],
        "assessment-summary" => vec![
            None,
            Some(scores_table(&[
                reference,
                ("Criterion", "{{title}}", 1900),
                ("Score", "{{score}} {{descriptor}}", score),
                ("Weighted", "{{weighted}}", 1300),
                ("Explanation", "{{justification}}", 3576),
            ])),
            Some(scores_table(&[
                reference,
                ("Criterion", "{{title}}", 1900),
                ("Score", "{{winner_score}} {{winner_descriptor}}", score),
                ("Weighted", "{{winner_weighted}}", 1300),
                ("Explanation", "{{winner_justification}}", 3576),
            ])),
        ],
        _ => Vec::new(),
    }
}

fn build(kind: &str, source: &str) -> Vec<u8> {
    let mut doc = Document {
        header: vec![text(Paragraph::new().align(Align::Right), "{{tender.organisation}}", true)],
        footer: vec![text(Paragraph::new(), "{{tender.reference}}: {{tender.title}}", false)],
        ..Document::default()
    };
    let mut lines = source.lines().skip_while(|l| l.starts_with("{{tender.organisation}}")).peekable();
    let mut tables = tables(kind).into_iter();
    while let Some(line) = lines.next() {
        if line.trim() == "{{#each scores}}"
            && let Some(Some(table)) = tables.next()
        {
            // The scores become a table; skip the text version of the block.
            for l in lines.by_ref() {
                if l.trim() == "{{/each}}" {
                    break;
                }
            }
            doc = doc.table(table);
            continue;
        }
        let bold = line.starts_with("{{tender.title}} (")
            || line.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()) && !line.trim().is_empty();
        let mut p = Paragraph::new();
        if let Some(rest) = line.strip_prefix("  ") {
            p = p.indent(567);
            doc = doc.paragraph(text(p, rest.trim_start(), false));
        } else {
            doc = doc.paragraph(text(p, line, bold));
        }
    }
    doc.to_bytes()
}

fn main() {
    // templates/letters, or another copy of it (as the reproducibility test gives).
    let dir = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/letters"));
    for kind in [
        "disqualification",
        "unsuccessful",
        "successful",
        "self-cleansing",
        "late-bid",
        "tender-opening-form",
        "assessment-summary",
        "abnormally-low",
    ] {
        let source = std::fs::read_to_string(dir.join(format!("{kind}.txt.hbs"))).expect("text template");
        let out = dir.join(format!("{kind}.docx"));
        std::fs::write(&out, build(kind, &source)).expect("write");
        println!("wrote {}", out.display());
    }
}
