//! Issue 31 item 1: `layout` never leaves a buyer at a dead end. Where detection finds no table,
//! it writes a draft listing each sheet's heading rows and the columns that look like each key;
//! filling in what it names is all that is left for the workbook to be read.

mod common;

use common::*;

/// A scoring sheet as people make them: "Aspect" (a heading no table of criteria headings knows),
/// "Weight(%)" and a column per bidder named only by the bidder, so detection finds no table.
fn workbook(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("scoring.xlsx");
    grid_workbook(
        &path,
        "Scores",
        &[
            &[Cell::T("Aspect"), Cell::T("Weight(%)"), Cell::T("Acme Ltd"), Cell::T("Brill plc")],
            &[Cell::T("Delivery"), Cell::N(60.0), Cell::N(3.0), Cell::N(4.0)],
            &[Cell::T("Support"), Cell::N(40.0), Cell::N(2.0), Cell::N(1.0)],
        ],
    );
    path
}

#[test]
fn layout_writes_a_draft_where_no_table_is_found_and_the_filled_draft_reads() {
    let dir = temp();
    let matrix = workbook(dir.path());
    // validate cannot read it, and points at layout.
    let run = tenderkit(&[&"validate", &matrix]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.all().contains("tenderkit layout"), "{}", run.all());
    // layout writes a draft (exit 1: the workbook is not read until it is filled in).
    let draft = dir.path().join("layout.toml");
    let run = tenderkit(&[&"layout", &matrix, &"-o", &draft]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stdout.contains("a DRAFT"), "{}", run.stdout);
    let text = std::fs::read_to_string(&draft).unwrap();
    for want in [
        "# sheet \"Scores\" (3 rows, 4 columns)",
        "#   row 1: A 'Aspect' | B 'Weight(%)' | C 'Acme Ltd' | D 'Brill plc'",
        "# sheet = \"Scores\"",
        "# header_row = 1",
        "# criterion = \"B\"                  # NOT FOUND: no Criterion or Question heading",
        "# weight = \"B\"                     # candidates: B 'Weight(%)'",
        "# bidders = [{ name = \"...\", score = \"C\" }]",
    ] {
        assert!(text.contains(want), "expected {want:?} in the draft:\n{text}");
    }
    // The draft is valid TOML as it is (every line a comment), and reads as an empty layout.
    let run = tenderkit(&[&"validate", &matrix, &"--layout", &draft]);
    assert_eq!(run.code, 2, "{}", run.all());
    // Filled in as it says: uncomment the keys, name the bidders' columns, state the split.
    let mut section = "";
    let filled = text
        .lines()
        .map(|l| {
            let entry = l.split_once(" #").map(|(k, _)| k.trim()).unwrap_or(l.trim());
            if let Some(name) = entry.strip_prefix("# [").and_then(|n| n.strip_suffix(']')) {
                section = if name == "quality" {
                    "quality"
                } else if name == "split" {
                    "split"
                } else {
                    ""
                };
                return if section.is_empty() { l.to_string() } else { format!("[{section}]") };
            }
            match (section, entry) {
                ("quality", k) if k.starts_with("# bidders = ") => {
                    "bidders = [{ name = \"Acme Ltd\", score = \"C\" }, { name = \"Brill plc\", score = \"D\" }]".to_string()
                }
                // The one column detection could not name: the buyer puts its letter.
                ("quality", k) if k.starts_with("# criterion = ") => "criterion = \"A\"".to_string(),
                ("quality", k) if ["sheet", "header_row", "weight"].iter().any(|w| k.starts_with(&format!("# {w} = "))) => {
                    k.trim_start_matches("# ").to_string()
                }
                ("split", "# price = 40") => "price = 0".to_string(),
                ("split", "# quality = 60") => "quality = 100".to_string(),
                _ => l.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&draft, filled).unwrap();
    let run = tenderkit(&[&"score", &matrix, &"--layout", &draft]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stdout.contains("Most Economically Advantageous Tender: Brill plc"), "{}", run.stdout);
}
