//! What an outside hostile-input review of the released tool found (issue 13), one regression test
//! per finding. Memory findings run in a process whose address space is capped (the cap is given
//! at each); without the fix each of them fails.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use tenderkit::xlsx::{CellEdit, CellRef, Edits, Workbook};

/// Text that does not compress away: `n` letters from a fixed pseudo-random sequence.
fn noise(n: usize) -> String {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (b'a' + (x % 26) as u8) as char
        })
        .collect()
}

/// The parts of `file` with `change` applied to part `name`.
fn parts_of(file: &Path, name: &str, change: impl Fn(String) -> String) -> Vec<(String, Vec<u8>)> {
    zip_parts(file)
        .into_iter()
        .map(|(n, b)| if n == name { (n, change(String::from_utf8(b).unwrap()).into_bytes()) } else { (n, b) })
        .collect()
}

/// A shared string appended to a shared-string table, and its index.
fn with_shared_string(sst: &str, text: &str) -> (String, usize) {
    let index = sst.matches("<si>").count() + sst.matches("<si/>").count();
    (sst.replace("</sst>", &format!("<si><t>{text}</t></si></sst>")), index)
}

/// `rows` rows below row 1000 of a sheet, each with 50 cells showing shared string `index`.
fn rows_showing(sheet: &str, index: usize, rows: u32) -> String {
    let mut extra = String::new();
    for r in 1000..1000 + rows {
        extra += &format!("<row r=\"{r}\">");
        for c in 0..50u32 {
            extra += &format!("<c r=\"{}{r}\" t=\"s\"><v>{index}</v></c>", tenderkit::xlsx::cellref::col_name(30 + c));
        }
        extra += "</row>";
    }
    sheet.replace("</sheetData>", &format!("{extra}</sheetData>"))
}

// 1. Shared-string amplification.

#[test]
fn a_shared_string_shown_by_a_hundred_thousand_cells_is_held_once() {
    // 100,000 cells showing one 32,000-character string: 3.2 GB if each cell kept its own copy.
    let dir = temp();
    let text = noise(32_000);
    let sst = String::from_utf8(zip_part(&example("matrix.xlsx"), "xl/sharedStrings.xml")).unwrap();
    let (sst, index) = with_shared_string(&sst, &text);
    let mut parts = parts_of(&example("matrix.xlsx"), "xl/worksheets/sheet1.xml", |s| rows_showing(&s, index, 2000));
    parts.iter_mut().find(|p| p.0 == "xl/sharedStrings.xml").unwrap().1 = sst.into_bytes();
    let f = dir.path().join("amplified.xlsx");
    write_parts(&f, &parts, true);
    let run = tenderkit_limited(&[&"validate", &f], 400);
    assert_eq!(run.code, 0, "within 400 MiB: {}", run.all());
}

#[test]
fn an_evaluator_return_that_amplifies_does_not_stop_collection() {
    let dir = temp();
    let graham = example("returns/graham-reid-commercial.xlsx");
    let sst = String::from_utf8(zip_part(&graham, "xl/sharedStrings.xml")).unwrap();
    let (sst, index) = with_shared_string(&sst, &noise(32_000));
    let mut parts = parts_of(&graham, "xl/worksheets/sheet1.xml", |s| rows_showing(&s, index, 2000));
    parts.iter_mut().find(|p| p.0 == "xl/sharedStrings.xml").unwrap().1 = sst.into_bytes();
    let hostile = dir.path().join("graham-reid-commercial.xlsx");
    write_parts(&hostile, &parts, true);
    let out = dir.path().join("moderated.xlsx");
    let (m, panel, priya) = (example("matrix.xlsx"), example("panel.toml"), example("returns/priya-nair-commercial.xlsx"));
    let run = tenderkit_limited(&[&"returns", &"collect", &m, &hostile, &priya, &"--evaluators", &panel, &"-o", &out], 600);
    assert!(run.code == 0 || run.code == 1, "within 600 MiB, collected with flags at most: {}", run.all());
    assert!(out.exists(), "{}", run.all());
}

#[test]
fn a_string_longer_than_a_cell_holds_is_refused_naming_the_cell() {
    let dir = temp();
    // Shared: Quality!H4 shows a 40,000-character shared string.
    let sst = String::from_utf8(zip_part(&example("matrix.xlsx"), "xl/sharedStrings.xml")).unwrap();
    let (sst, index) = with_shared_string(&sst, &noise(40_000));
    let mut parts = parts_of(&example("matrix.xlsx"), "xl/worksheets/sheet2.xml", |s| {
        let start = s.find("<c r=\"H4\"").unwrap();
        let end = start + s[start..].find("</c>").unwrap() + 4;
        format!("{}<c r=\"H4\" t=\"s\"><v>{index}</v></c>{}", &s[..start], &s[end..])
    });
    parts.iter_mut().find(|p| p.0 == "xl/sharedStrings.xml").unwrap().1 = sst.into_bytes();
    let f = dir.path().join("long-shared.xlsx");
    write_parts(&f, &parts, true);
    refused(&f, "sheet 'Quality': cell H4 holds more than 32767 characters", 200);
    // Inline, as another program may write it.
    let wb = Workbook::open(&example("matrix.xlsx")).unwrap();
    let mut e = Edits::default();
    e.set("Price", CellRef::parse("B5").unwrap(), CellEdit::Text(noise(33_000)));
    let g = dir.path().join("long-inline.xlsx");
    wb.write(&e, &g).unwrap();
    refused(&g, "sheet 'Price': cell B5 holds more than 32767 characters", 200);
}

// 2. Names that differ only in inner spaces.

#[test]
fn bidders_equal_but_for_inner_spaces_are_duplicates_naming_both_cells() {
    let dir = temp();
    let wb = Workbook::open(&example("matrix.xlsx")).unwrap();
    let twin = "Caledonian  Fleet Solutions Ltd";
    let mut e = Edits::default();
    for (sheet, cell) in [("Quality", "J2"), ("Price", "A5"), ("Summary", "A5")] {
        e.set(sheet, CellRef::parse(cell).unwrap(), CellEdit::Text(twin.into()));
    }
    let f = dir.path().join("twins.xlsx");
    wb.write(&e, &f).unwrap();
    let run = tenderkit(&[&"validate", &f]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stdout.contains("error[duplicate-bidder]") && run.stdout.contains("Quality!H2 and Quality!J2"), "{}", run.stdout);
    assert_eq!(tenderkit(&[&"score", &f]).code, 1, "no ranking with one bid's price given to another");
}

// 3. Control characters.

#[test]
fn control_characters_make_files_every_engine_loads() {
    let dir = temp();
    let tender = std::fs::read_to_string(example("tender.toml"))
        .unwrap()
        .replacen("title = \"", "title = \"Refuse\\u000Bcollection ", 1)
        .replace("name = \"Northgate EV Vehicles plc\"", "name = \"Northgate\\u0001 EV Vehicles plc\"");
    let t = dir.path().join("tender.toml");
    std::fs::write(&t, tender).unwrap();
    let m = dir.path().join("m.xlsx");
    let run = tenderkit(&[&"matrix", &"new", &t, &"-o", &m]);
    assert_eq!(run.code, 0, "{}", run.all());
    // Our reader reads the characters back; LibreOffice loads the workbook.
    let read = tenderkit::xlsx::matrix::read_matrix(&Workbook::open(&m).unwrap(), &Default::default()).unwrap();
    assert!(read.matrix.bids.iter().any(|b| b.bidder == "Northgate\u{1} EV Vehicles plc"), "{:?}", read.matrix.bids[1].bidder);
    if let Some(lo) = libreoffice_recalc(&m) {
        assert!(lo.contains_key("Quality"), "LibreOffice loaded the matrix: {:?}", lo.keys());
    }
    let returns = dir.path().join("returns");
    let run = tenderkit(&[&"returns", &"new", &m, &"--evaluators", &example("panel.toml"), &"-o", &returns]);
    assert_eq!(run.code, 0, "{}", run.all());
    if let Some(lo) = libreoffice_recalc(&returns.join("tariq-hussain-quality.xlsx")) {
        assert!(lo.contains_key("Return"), "LibreOffice loaded the return: {:?}", lo.keys());
    }
    let notice = dir.path().join("notice.docx");
    let run = tenderkit(&[&"notice", &t, &"-o", &notice]);
    assert_eq!(run.code, 0, "{}", run.all());
    let document = zip_text(&notice, "word/document.xml");
    assert!(!document.contains('\u{B}') && !document.contains('\u{1}'), "no raw control characters");
    libreoffice_pdf(&notice, dir.path());
}

// 4. Templates that crashed the program.

fn check_template(dir: &Path, name: &str, text: &str) -> Run {
    let t = dir.join(name);
    std::fs::write(&t, text).unwrap();
    tenderkit(&[&"template", &"check", &t])
}

#[test]
fn templates_that_crashed_are_located_problems() {
    let dir = temp();
    let cases: [(&str, String, &str); 4] = [
        ("date.hbs", "Sent {{date date \"%Q\"}}".into(), "'%Q' is not a date format"),
        ("nested.hbs", format!("{}x{}", "{{#if a}}\n".repeat(9000), "{{/if}}".repeat(9000)), "nested more than 50 deep"),
        ("partial.hbs", "{{#*inline \"p\"}}{{> p}}{{/inline}}{{> p}}".into(), "inline partials and partial blocks are not supported"),
        ("lookup.hbs", format!("{{{{lookup {}a 'b'{} 'c'}}}}", "(lookup ".repeat(5000), ")".repeat(5000)), "nested more than 20 deep"),
    ];
    for (name, text, want) in cases {
        let run = check_template(dir.path(), name, &text);
        assert_eq!(run.code, 1, "{name}: {}", run.all());
        assert!(run.stdout.contains(want), "{name}: expected {want:?} in {}", run.stdout);
    }
    // letters gives the same message with exit 1 (a template's problem, as the README says), and
    // writes nothing.
    let out = dir.path().join("letters");
    let t = dir.path().join("date.hbs");
    let (tender, opening) = (example("tender.toml"), example("opening.toml"));
    let run =
        tenderkit(&[&"letters", &"tender-opening-form", &"--tender", &tender, &"--opening", &opening, &"--template", &t, &"-o", &out]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("'%Q' is not a date format"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn a_long_one_line_template_is_checked_in_little_memory() {
    // 20,000 tags on one 220 KB line: each tag used to keep its own copy of the line (4.4 GB).
    let dir = temp();
    let t = dir.path().join("wide.hbs");
    std::fs::write(&t, "{{bidder}} ".repeat(20_000)).unwrap();
    let run = tenderkit_limited(&[&"template", &"check", &t], 300);
    assert_eq!(run.code, 0, "within 300 MiB: {}", &run.all()[..run.all().len().min(500)]);
}

// 5. NaN and infinite numbers.

#[test]
fn non_finite_numbers_are_not_numbers() {
    let dir = temp();
    for (raw, want) in [("NaN", "holds text 'NaN'"), ("inf", "holds text 'inf'"), ("1e308", "beyond any contract's value")] {
        let parts = parts_of(&example("matrix.xlsx"), "xl/worksheets/sheet3.xml", |s| {
            let start = s.find("<c r=\"B4\"").unwrap();
            let end = start + s[start..].find("</c>").unwrap() + 4;
            format!("{}<c r=\"B4\"><v>{raw}</v></c>{}", &s[..start], &s[end..])
        });
        let f = dir.path().join(format!("{raw}.xlsx"));
        write_parts(&f, &parts, true);
        let run = tenderkit(&[&"validate", &f, &"--complete"]);
        assert_eq!(run.code, 1, "{raw}: {}", run.all());
        assert!(run.stdout.contains("Price!B4") && run.stdout.contains(want), "{raw}: {}", run.stdout);
    }
    let tender = std::fs::read_to_string(example("tender.toml")).unwrap().replace("estimated_value = ", "estimated_value = nan # ");
    let t = dir.path().join("nan.toml");
    std::fs::write(&t, tender).unwrap();
    let run = tenderkit(&[&"spd", &t]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("`estimated_value` is not a finite number"), "{}", run.stderr);
}

// 6. Returns that would overwrite each other.

fn panel_with(dir: &Path, extra: &str) -> PathBuf {
    let p = dir.join("panel.toml");
    std::fs::write(&p, format!("{}\n{extra}", std::fs::read_to_string(example("panel.toml")).unwrap())).unwrap();
    p
}

#[test]
fn evaluators_whose_names_make_one_file_name_get_two_files() {
    let dir = temp();
    let panel = panel_with(dir.path(), "[[evaluators]]\nname = \"Morag-Campbell\"\nrole = \"quality\"\n");
    let out = dir.path().join("returns");
    let run = tenderkit(&[&"returns", &"new", &example("matrix.xlsx"), &"--evaluators", &panel, &"-o", &out, &"--force"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let mut names: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert!(names.contains(&"morag-campbell-quality.xlsx".into()) && names.contains(&"morag-campbell-2-quality.xlsx".into()), "{names:?}");
    assert_eq!(names.len(), 6, "one return each: {names:?}");
}

// 7. Concurrent runs.

#[test]
fn two_collections_into_one_matrix_keep_both() {
    let dir = temp();
    let m = dir.path().join("matrix.xlsx");
    std::fs::copy(example("matrix.xlsx"), &m).unwrap();
    let panel = example("panel.toml");
    let spawn = move |ret: PathBuf| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tenderkit"))
            .args([std::ffi::OsStr::new("returns"), "collect".as_ref(), m.as_os_str(), ret.as_os_str()])
            .args(["--evaluators".as_ref(), panel.as_os_str(), "--in-place".as_ref()])
            .output()
            .unwrap()
    };
    let a = std::thread::spawn({
        let spawn = spawn.clone();
        move || spawn(example("returns/morag-campbell-quality.xlsx"))
    });
    let b = spawn(example("returns/graham-reid-commercial.xlsx"));
    let a = a.join().unwrap();
    for run in [&a, &b] {
        assert!(matches!(run.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&run.stderr));
    }
    let m = dir.path().join("matrix.xlsx");
    let sheets: Vec<String> = Workbook::open(&m).unwrap().sheet_names().iter().map(|s| s.to_string()).collect();
    for want in ["Eval - Morag Campbell", "Eval - Graham Reid"] {
        assert!(sheets.iter().any(|s| s == want), "{want} lost: {sheets:?}");
    }
}

#[test]
fn only_one_of_several_runs_creates_a_new_file() {
    let dir = temp();
    let out = dir.path().join("scored.xlsx");
    let runs: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_tenderkit"))
                .args([std::ffi::OsStr::new("score"), example("matrix.xlsx").as_os_str(), "-o".as_ref(), out.as_os_str()])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<i32> = runs.into_iter().map(|c| c.wait_with_output().unwrap().status.code().unwrap()).collect();
    assert_eq!(codes.iter().filter(|&&c| c == 0).count(), 1, "exactly one run wrote it: {codes:?}");
    assert!(codes.iter().all(|&c| c == 0 || c == 2), "{codes:?}");
}

// 8. Duplicate zip entries.

#[test]
fn a_part_listed_twice_is_refused() {
    let dir = temp();
    // The zip crate will not write a second entry of one name: write one under another name of
    // the same length, then rename it in the bytes (local header and central directory).
    let mut parts = zip_parts(&example("matrix.xlsx")).into_iter().collect::<Vec<_>>();
    let evil =
        String::from_utf8(zip_part(&example("matrix.xlsx"), "xl/worksheets/sheet2.xml")).unwrap().replace("Caledonian", "Evil Corp!");
    parts.push(("xl/worksheets/sheet9.xml".into(), evil.into_bytes()));
    let f = dir.path().join("twice.xlsx");
    write_parts(&f, &parts, false);
    let mut bytes = std::fs::read(&f).unwrap();
    let (from, to) = (b"xl/worksheets/sheet9.xml", b"xl/worksheets/sheet2.xml");
    let at: Vec<usize> = bytes.windows(from.len()).enumerate().filter(|(_, w)| w == from).map(|(i, _)| i).collect();
    assert_eq!(at.len(), 2);
    for i in at {
        bytes[i..i + to.len()].copy_from_slice(to);
    }
    std::fs::write(&f, bytes).unwrap();
    refused(&f, "holds 'xl/worksheets/sheet2.xml' twice", 100);
    // In a Word template too.
    let run = tenderkit(&[&"template", &"check", &f]);
    assert_eq!(run.code, 2, "{}", run.all());
}

// 9. Letter batches.

fn opening_with_late(dir: &Path, bidder: &str) -> PathBuf {
    let o = dir.join("opening.toml");
    let extra = format!(
        "\n[[tenders]]\nbidder = \"{bidder}\"\nreceived = \"4 December 2026, 12:50\"\nlate = true\nlate_accepted = false\nlate_reason = \"It arrived after the deadline.\"\n"
    );
    std::fs::write(&o, format!("{}{extra}", std::fs::read_to_string(example("opening.toml")).unwrap())).unwrap();
    o
}

#[test]
fn a_very_long_bidder_name_gets_a_short_file_name() {
    let dir = temp();
    let name = format!("Long Name Holdings {} Ltd", "and Partners ".repeat(22));
    assert!(name.len() > 300);
    let opening = opening_with_late(dir.path(), &name);
    let out = dir.path().join("letters");
    let run = tenderkit(&[&"letters", &"late-bid", &"--tender", &example("tender.toml"), &"--opening", &opening, &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    let files: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(files.len(), 3, "two letters and the index: {files:?}");
    assert!(files.iter().all(|f| f.len() <= 100), "{files:?}");
}

#[test]
fn a_disk_filling_up_midway_leaves_nothing_and_a_rerun_works() {
    let dir = temp();
    let opening = opening_with_late(dir.path(), "Strathmore Late Ltd");
    let out = dir.path().join("letters");
    let (tender, zip) = (example("tender.toml"), "--zip");
    let args: Vec<&dyn AsRef<std::ffi::OsStr>> =
        vec![&"letters", &"late-bid", &"--tender", &tender, &"--opening", &opening, &zip, &"-o", &out];
    // Each letter is about 5 KB and their archive about 9 KB: with files limited to 7 KB the disk
    // is "full" partway, after the letters and while the archive is written.
    let run = tenderkit_file_limited(&args, 7_000);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("nothing was changed"), "{}", run.stderr);
    assert!(!out.exists(), "no letters, no index, no folder: {:?}", std::fs::read_dir(&out).map(|d| d.count()));
    let run = tenderkit(&args);
    assert_eq!(run.code, 0, "a rerun needs no --force: {}", run.all());
    // The index obeys --force like the letters.
    let run = tenderkit(&args);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("already exists"));
    let mut forced = args.clone();
    forced.push(&"--force");
    assert_eq!(tenderkit(&forced).code, 0);
}

// 10. Smaller ones.

#[test]
fn an_evaluator_name_ending_in_an_apostrophe_makes_a_sheet_excel_accepts() {
    let dir = temp();
    // "Eval - " and this name, cut at Excel's 31 characters, end in the apostrophe.
    let panel = panel_with(dir.path(), "[[evaluators]]\nname = \"Muireann Ni Dhomhnall-O'Brien\"\nrole = \"commercial\"\n");
    let returns = dir.path().join("returns");
    let m = example("matrix.xlsx");
    assert_eq!(tenderkit(&[&"returns", &"new", &m, &"--evaluators", &panel, &"-o", &returns]).code, 0);
    let out = dir.path().join("moderated.xlsx");
    let issued = returns.join("muireann-ni-dhomhnall-o-brien-commercial.xlsx");
    declare(&issued, "Muireann Ni Dhomhnall-O'Brien");
    let run = tenderkit(&[
        &"returns",
        &"collect",
        &m,
        &issued,
        &"--evaluators",
        &panel,
        &"-o",
        &out,
    ]);
    assert!(out.exists(), "{}", run.all());
    let names: Vec<String> = Workbook::open(&out).unwrap().sheet_names().iter().map(|s| s.to_string()).collect();
    assert!(names.contains(&"Eval - Muireann Ni Dhomhnall-O".to_string()) && names.iter().all(|n| !n.ends_with('\'')), "{names:?}");
    if let Some(lo) = libreoffice_recalc(&out) {
        assert!(lo.keys().any(|k| k.starts_with("Eval - Muireann")), "LibreOffice loaded it: {:?}", lo.keys());
    }
}

#[test]
fn more_bidders_than_excel_has_columns_is_said() {
    let dir = temp();
    let mut tender = std::fs::read_to_string(example("tender.toml")).unwrap();
    for i in 0..8_200 {
        tender += &format!("\n[[bidders]]\nname = \"Bidder {i}\"\n");
    }
    let t = dir.path().join("many.toml");
    std::fs::write(&t, tender).unwrap();
    let run = tenderkit(&[&"matrix", &"new", &t, &"-o", &dir.path().join("m.xlsx")]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("at most 8188 fit"), "{}", run.stderr);
    let long =
        std::fs::read_to_string(example("tender.toml")).unwrap().replacen("title = \"", &format!("title = \"{}", "x".repeat(33_000)), 1);
    std::fs::write(&t, long).unwrap();
    let run = tenderkit(&[&"matrix", &"new", &t, &"-o", &dir.path().join("m.xlsx")]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("`title` is 33") && run.stderr.contains("32767"), "{}", run.stderr);
}

#[test]
fn in_place_through_a_symbolic_link_updates_the_file_and_keeps_the_link() {
    let dir = temp();
    let real = dir.path().join("real.xlsx");
    std::fs::copy(example("matrix.xlsx"), &real).unwrap();
    let link = dir.path().join("link.xlsx");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let before = std::fs::read(&real).unwrap();
    let run = tenderkit(&[&"rescale", &link, &"--to", &"0-100", &"--in-place"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is still a link");
    assert_ne!(std::fs::read(&real).unwrap(), before, "the file it points at was updated");
}

#[test]
fn an_archive_of_many_entries_is_refused_before_memory_is_spent() {
    let dir = temp();
    let f = dir.path().join("many.xlsx");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&f).unwrap());
    for i in 0..20_000 {
        z.start_file(format!("x/{i}"), zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored))
            .unwrap();
    }
    z.finish().unwrap();
    refused(&f, "the archive lists 20000 entries", 50);
}

#[test]
fn a_row_beyond_excels_last_is_refused() {
    let dir = temp();
    let parts = parts_of(&example("matrix.xlsx"), "xl/worksheets/sheet2.xml", |s| {
        s.replace("</sheetData>", "<row r=\"4000000000\"><c r=\"A1\"><v>1</v></c></row></sheetData>")
    });
    let f = dir.path().join("far.xlsx");
    write_parts(&f, &parts, true);
    refused(&f, "row number 4000000000 is outside Excel's rows 1 to 1048576", 100);
}

#[test]
fn a_return_naming_someone_else_than_its_evaluator_is_refused() {
    let dir = temp();
    let returns = dir.path().join("returns");
    let (m, panel) = (example("matrix.xlsx"), example("panel.toml"));
    assert_eq!(tenderkit(&[&"returns", &"new", &m, &"--evaluators", &panel, &"-o", &returns]).code, 0);
    // Tariq's return, with its Evaluator cell changed to Morag, and renamed.
    let wb = Workbook::open(&returns.join("tariq-hussain-quality.xlsx")).unwrap();
    let mut e = Edits::default();
    e.set("Return", CellRef::parse("B5").unwrap(), CellEdit::Text("Morag Campbell".into()));
    let forged = dir.path().join("scores.xlsx");
    wb.write(&e, &forged).unwrap();
    let out = dir.path().join("moderated.xlsx");
    let run = tenderkit(&[&"returns", &"collect", &m, &forged, &"--evaluators", &panel, &"-o", &out]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.all().contains("says it is from 'Morag Campbell', but it was issued to Tariq Hussain"), "{}", run.all());
}
