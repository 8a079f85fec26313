//! Rebuilds the bundled Word letter templates, `templates/letters/<kind>.docx`, from the
//! plain-text templates beside them (one wording for both): a letterhead header and a footer
//! with fields, one paragraph per line, and for the award letters the criterion-by-criterion
//! scores as a table whose row repeats with `{{#each scores}}`.
//!
//!     cargo run --example make_templates

use std::path::Path;

use docx_rs::{AlignmentType, Docx, Footer, Header, Paragraph, Run, Table, TableCell, TableLayoutType, TableRow, WidthType};

fn text(p: Paragraph, line: &str, bold: bool) -> Paragraph {
    let run = Run::new().add_text(line).size(21).fonts(docx_rs::RunFonts::new().ascii("Arial").hi_ansi("Arial"));
    p.add_run(if bold { run.bold() } else { run })
}

/// A table cell, in 9 pt: the table has six columns on an A4 page.
fn cell(content: &str, bold: bool, width: usize) -> TableCell {
    let run = Run::new().add_text(content).size(18).fonts(docx_rs::RunFonts::new().ascii("Arial").hi_ansi("Arial"));
    TableCell::new().width(width, WidthType::Dxa).add_paragraph(Paragraph::new().add_run(if bold { run.bold() } else { run }))
}

/// The scores table: a heading row and one row that repeats per criterion. Widths (in twentieths
/// of a point) fit A4 between 2.54 cm margins (9,026): each score column takes the longest
/// descriptor ("Unacceptable") and each heading word unbroken, even in the wider fonts a word
/// processor may substitute for Arial; the reasons get the rest. The layout is fixed so word
/// processors keep the widths.
fn scores_table(winner: bool) -> Table {
    let (reference, criterion, weighting, score, reasons) = if winner { (700, 1750, 1300, 1550, 2176) } else { (700, 4176, 1300, 1550, 0) };
    let mut heading = vec![
        cell("Ref", true, reference),
        cell("Criterion", true, criterion),
        cell("Weighting (%)", true, weighting),
        cell("Your score", true, score),
    ];
    let mut row = vec![
        cell("{{#each scores}}{{reference}}", false, reference),
        cell("{{title}}", false, criterion),
        cell("{{number weight}}", false, weighting),
        cell("{{score}} {{descriptor}}", false, score),
    ];
    let mut widths = vec![reference, criterion, weighting, score];
    if winner {
        heading.push(cell("Winning tender", true, score));
        heading.push(cell("Reasons", true, reasons));
        row.push(cell("{{winner_score}} {{winner_descriptor}}", false, score));
        row.push(cell("{{justification}}{{/each}}", false, reasons));
        widths.extend([score, reasons]);
    } else {
        row.pop();
        row.push(cell("{{score}} {{descriptor}}{{/each}}", false, score));
    }
    Table::new(vec![TableRow::new(heading), TableRow::new(row)]).set_grid(widths).layout(TableLayoutType::Fixed)
}

fn build(kind: &str, source: &str) -> Vec<u8> {
    let header = Header::new().add_paragraph(text(Paragraph::new().align(AlignmentType::Right), "{{tender.organisation}}", true));
    let footer = Footer::new().add_paragraph(text(Paragraph::new(), "{{tender.reference}}: {{tender.title}}", false));
    let mut doc = Docx::new().header(header).footer(footer);
    let mut lines = source.lines().skip_while(|l| l.starts_with("{{tender.organisation}}")).peekable();
    let table_for = |kind: &str| match kind {
        "unsuccessful" => Some(true),
        "successful" => Some(false),
        _ => None,
    };
    while let Some(line) = lines.next() {
        if line.trim() == "{{#each scores}}"
            && let Some(winner) = table_for(kind)
        {
            // The scores become a table; skip the text version of the block.
            for l in lines.by_ref() {
                if l.trim() == "{{/each}}" {
                    break;
                }
            }
            doc = doc.add_table(scores_table(winner));
            continue;
        }
        let bold = line.starts_with("{{tender.title}} (")
            || line.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()) && !line.trim().is_empty();
        let mut p = Paragraph::new();
        if let Some(rest) = line.strip_prefix("  ") {
            p = p.indent(Some(567), None, None, None);
            doc = doc.add_paragraph(text(p, rest.trim_start(), false));
        } else {
            doc = doc.add_paragraph(text(p, line, bold));
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).expect("docx builds");
    out.into_inner()
}

fn main() {
    // templates/letters, or another copy of it (as the reproducibility test gives).
    let dir = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/letters"));
    for kind in ["disqualification", "unsuccessful", "successful", "self-cleansing", "late-bid", "tender-opening-form"] {
        let source = std::fs::read_to_string(dir.join(format!("{kind}.txt.hbs"))).expect("text template");
        let out = dir.join(format!("{kind}.docx"));
        std::fs::write(&out, build(kind, &source)).expect("write");
        println!("wrote {}", out.display());
    }
}
