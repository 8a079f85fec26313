//! Issue 31 item 1: `layout` never leaves a buyer at a dead end. Where detection finds no table,
//! it writes a draft listing each sheet's heading rows and the columns that look like each key;
//! filling in what it names is all that is left for the workbook to be read.

mod common;

use common::*;

/// A scoring sheet as people make them: "Aspect" (a heading no table of criteria headings knows),
/// "Weight(%)" and a column per bidder named only by the bidder, so detection finds no table.
fn workbook(dir: &std::path::Path) -> std::path::PathBuf {
    let cell = |r: &str, t: &str| format!(r#"<c r="{r}" t="inlineStr"><is><t>{t}</t></is></c>"#);
    let num = |r: &str, v: f64| format!(r#"<c r="{r}"><v>{v}</v></c>"#);
    let rows = [
        format!(
            r#"<row r="1">{}{}{}{}</row>"#,
            cell("A1", "Aspect"),
            cell("B1", "Weight(%)"),
            cell("C1", "Acme Ltd"),
            cell("D1", "Brill plc")
        ),
        format!(r#"<row r="2">{}{}{}{}</row>"#, cell("A2", "Delivery"), num("B2", 60.0), num("C2", 3.0), num("D2", 4.0)),
        format!(r#"<row r="3">{}{}{}{}</row>"#, cell("A3", "Support"), num("B3", 40.0), num("C3", 2.0), num("D3", 1.0)),
    ];
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>"#,
        rows.concat()
    );
    let path = dir.join("scoring.xlsx");
    package(
        &path,
        &[
            ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_vec()),
            ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()),
            ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Scores" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_vec()),
            ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_vec()),
            ("xl/worksheets/sheet1.xml", sheet.into_bytes()),
        ],
        true,
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
