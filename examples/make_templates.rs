//! Rebuilds the bundled Word letter templates, `templates/letters/<kind>.docx`, from the
//! plain-text templates beside them (one wording for both): a letterhead header and a footer
//! with fields, one paragraph per line, and for the award letters the criterion-by-criterion
//! scores as a table whose row repeats with `{{#each scores}}`.
//!
//!     cargo run --example make_templates

use std::path::Path;

use docx_rs::{AlignmentType, Docx, Footer, Header, Paragraph, Run, Table, TableCell, TableRow, WidthType};

fn text(p: Paragraph, line: &str, bold: bool) -> Paragraph {
    let run = Run::new().add_text(line).size(21).fonts(docx_rs::RunFonts::new().ascii("Arial").hi_ansi("Arial"));
    p.add_run(if bold { run.bold() } else { run })
}

fn cell(content: &str, bold: bool, width: usize) -> TableCell {
    TableCell::new().width(width, WidthType::Dxa).add_paragraph(text(Paragraph::new(), content, bold))
}

/// The scores table: a heading row and one row that repeats per criterion.
fn scores_table(winner: bool) -> Table {
    let mut heading =
        vec![cell("Ref", true, 700), cell("Criterion", true, 2600), cell("Weighting %", true, 1100), cell("Your score", true, 1100)];
    let mut row = vec![
        cell("{{#each scores}}{{reference}}", false, 700),
        cell("{{title}}", false, 2600),
        cell("{{number weight}}", false, 1100),
        cell("{{score}} {{descriptor}}", false, 1100),
    ];
    if winner {
        heading.push(cell("Winning tender", true, 1100));
        heading.push(cell("Reasons", true, 3000));
        row.push(cell("{{winner_score}}", false, 1100));
        row.push(cell("{{justification}}{{/each}}", false, 3000));
    } else {
        row.pop();
        row.push(cell("{{score}} {{descriptor}}{{/each}}", false, 1100));
    }
    Table::new(vec![TableRow::new(heading), TableRow::new(row)])
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
