//! Helpers shared by the integration tests: running the binary, temp dirs, and LibreOffice as a
//! second spreadsheet engine.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tenderkit::domain::scoring::compute;
use tenderkit::tender_file::load;
use tenderkit::xlsx::layout::LayoutFile;
use tenderkit::xlsx::matrix::read_matrix;
use tenderkit::xlsx::{CellEdit, Computed, Value, Workbook};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

/// A workbook or document of the real-world collections (`../shared/realworld/SET/xlsx|docx`),
/// read there and never copied; `None`, with a note, where the collection is not here.
pub fn realworld(set: &str, file: &str) -> Option<PathBuf> {
    let kind = if file.ends_with(".docx") { "docx" } else { "xlsx" };
    let path = root().join("../shared/realworld").join(set).join(kind).join(file);
    if path.exists() {
        return Some(path);
    }
    eprintln!("SKIPPED: {} is not here (../shared/realworld)", path.display());
    None
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

pub fn tenderkit(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    tenderkit_env(args, &[])
}

/// `tenderkit ARGS` with these environment variables set.
pub fn tenderkit_env(args: &[&dyn AsRef<std::ffi::OsStr>], env: &[(&str, &str)]) -> Run {
    let from = audit_input(args);
    let out: Output = Command::new(env!("CARGO_BIN_EXE_tenderkit"))
        .args(args.iter().map(|a| a.as_ref()))
        .envs(env.iter().copied())
        .output()
        .expect("run tenderkit");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    };
    capture_for_audit(args, run.code, from);
    run
}

fn office_file(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "xlsx" || e == "docx" || e == "xlsm")
}

/// Keeps a copy of `p` in `TENDERKIT_AUDIT_DIR/sub`, named by its SHA-256: the name, or `None`.
fn keep_for_audit(p: &Path, sub: &str) -> Option<String> {
    let dir = std::env::var_os("TENDERKIT_AUDIT_DIR").map(PathBuf::from)?;
    let bytes = std::fs::read(p).ok()?;
    let hash = tenderkit::fsio::sha256_file(p).ok()?;
    let name = format!("{}.{}", &hash[..24], p.extension()?.to_string_lossy());
    std::fs::create_dir_all(dir.join(sub)).ok()?;
    std::fs::write(dir.join(sub).join(&name), bytes).ok()?;
    Some(name)
}

fn flag_value(args: &[std::ffi::OsString], flags: &[&str]) -> Option<PathBuf> {
    args.iter().position(|a| flags.iter().any(|f| a == f)).and_then(|i| args.get(i + 1)).map(PathBuf::from)
}

/// The Office file a command makes its output from (a template, else the first workbook named),
/// kept before the command runs (an `--in-place` run replaces it).
fn audit_input(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Option<String> {
    std::env::var_os("TENDERKIT_AUDIT_DIR")?;
    let args: Vec<std::ffi::OsString> = args.iter().map(|a| a.as_ref().to_os_string()).collect();
    let output = flag_value(&args, &["-o", "--output"]);
    let input = flag_value(&args, &["--template"])
        .or_else(|| args.iter().map(PathBuf::from).find(|p| office_file(p) && p.exists() && Some(p) != output.as_ref()))?;
    keep_for_audit(&input, "inputs")
}

/// Where CI collects every Word and Excel file the tests make tenderkit write, for the strict Open
/// XML check (`tools/audit-outputs.py`): set TENDERKIT_AUDIT_DIR. Each file is kept once, by its
/// SHA-256, with a note of the command and of the Office file it was made from (a buyer's own
/// template or workbook, whose own violations are not tenderkit's).
fn capture_for_audit(args: &[&dyn AsRef<std::ffi::OsStr>], code: i32, from: Option<String>) {
    let Some(dir) = std::env::var_os("TENDERKIT_AUDIT_DIR").map(PathBuf::from) else { return };
    if code > 1 {
        return;
    }
    let args: Vec<std::ffi::OsString> = args.iter().map(|a| a.as_ref().to_os_string()).collect();
    let mut outputs: Vec<PathBuf> = Vec::new();
    match flag_value(&args, &["-o", "--output"]) {
        Some(o) if o.is_dir() => {
            let mut stack = vec![o];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if office_file(&p) {
                        outputs.push(p);
                    }
                }
            }
        }
        Some(o) if office_file(&o) && o.exists() => outputs.push(o),
        _ => {}
    }
    if args.iter().any(|a| a == "--in-place") {
        outputs.extend(args.iter().map(PathBuf::from).find(|p| office_file(p) && p.exists()));
    }
    for o in outputs {
        if let Some(name) = keep_for_audit(&o, "outputs") {
            let note = serde_json::json!({
                "command": args.iter().map(|a| a.to_string_lossy().to_string()).collect::<Vec<_>>(),
                "from": from,
            });
            let _ = std::fs::write(dir.join("outputs").join(format!("{name}.json")), note.to_string());
        }
    }
}

/// Every part of a zip package (an .xlsx or .docx), by name.
pub fn zip_parts(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let mut b = Vec::new();
            e.read_to_end(&mut b).unwrap();
            (e.name().to_string(), b)
        })
        .collect()
}

/// One part of a zip package.
pub fn zip_part(path: &Path, name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut b = Vec::new();
    z.by_name(name).unwrap_or_else(|e| panic!("{}: {name}: {e}", path.display())).read_to_end(&mut b).unwrap();
    b
}

/// One part of a zip package, as text.
pub fn zip_text(path: &Path, name: &str) -> String {
    String::from_utf8(zip_part(path, name)).unwrap()
}

/// A new matrix for `tender` (made by `matrix new` beside `out`), filled as evaluators would type:
/// `score(bid, criterion)` on the Quality sheet and `cost(bid, component)` on the Price sheet;
/// written to `out`, unscored.
#[allow(dead_code)]
pub fn filled_matrix(tender: &Path, out: &Path, score: impl Fn(usize, usize) -> f64, cost: impl Fn(usize, usize) -> f64) {
    let blank = out.with_extension("new.xlsx");
    let run = tenderkit(&[&"matrix", &"new", &tender, &"-o", &blank]);
    assert_eq!(run.code, 0, "{}", run.all());
    let wb = Workbook::open(&blank).unwrap();
    let read = read_matrix(&wb, &LayoutFile::default()).unwrap();
    let (q, p) = (read.layout.quality.as_ref().unwrap(), read.layout.price.as_ref().unwrap());
    let mut edits = tenderkit::xlsx::Edits::default();
    for b in 0..q.bidders.len() {
        for i in 0..q.criterion_rows.len() {
            edits.set(&q.sheet, q.score_cell(i, b), CellEdit::Number(score(b, i)));
        }
        for (k, &(_, col)) in p.components.iter().enumerate() {
            edits.set(&p.sheet, tenderkit::xlsx::CellRef::new(p.rows[b].unwrap(), col), CellEdit::Number(cost(b, k)));
        }
    }
    wb.write(&edits, out).unwrap();
}

/// The example tender with `extra` TOML appended (a `[price]` table), written into `dir`.
#[allow(dead_code)]
pub fn example_tender_with(dir: &Path, name: &str, extra: &str) -> PathBuf {
    let tender = std::fs::read_to_string(example("tender.toml")).unwrap();
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, format!("{tender}\n{extra}\n")).unwrap();
    path
}

/// Completes a return's declaration of interests as `name` would in Excel: no conflict with any
/// bidder, confidentiality undertaken, dated 2 November 2026.
pub fn declare(path: &Path, name: &str) {
    let wb = Workbook::open(path).unwrap();
    let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let edits = tenderkit::xlsx::declaration::declaration_edits(&wb, name, on, &[]).expect("a Declaration sheet");
    let tmp = path.with_extension("declared.xlsx");
    wb.write(&edits, &tmp).unwrap();
    std::fs::rename(tmp, path).unwrap();
}

pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9
}

/// Every sheet of `xlsx` as LibreOffice computes it with every formula recalculated (cached
/// values are not trusted), as rows of cell text. `None`, with a note, where LibreOffice is not
/// installed, unless TENDERKIT_REQUIRE_SOFFICE is set (CI sets it), when it is a failure.
pub fn libreoffice_recalc(xlsx: &Path) -> Option<HashMap<String, Vec<Vec<String>>>> {
    libreoffice_recalc_all(&[xlsx]).map(|mut all| all.remove(0))
}

/// [`libreoffice_recalc`] for many workbooks in one LibreOffice run (it starts once): each
/// workbook's sheets, in the order given. The files' stems must differ.
pub fn libreoffice_recalc_all(files: &[&Path]) -> Option<Vec<HashMap<String, Vec<Vec<String>>>>> {
    libreoffice_csv(files, false)
}

/// [`libreoffice_recalc`] with each cell's text as LibreOffice shows it (its number format
/// applied: 36.625 in a 0.00 cell is "36.63").
#[allow(dead_code)]
pub fn libreoffice_shown(xlsx: &Path) -> Option<HashMap<String, Vec<Vec<String>>>> {
    libreoffice_csv(&[xlsx], true).map(|mut all| all.remove(0))
}

fn libreoffice_csv(files: &[&Path], shown: bool) -> Option<Vec<HashMap<String, Vec<Vec<String>>>>> {
    let soffice =
        ["soffice", "libreoffice"].into_iter().find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()));
    let Some(soffice) = soffice else {
        if std::env::var_os("TENDERKIT_REQUIRE_SOFFICE").is_some() {
            panic!("LibreOffice (soffice) is required for the second-engine tests but was not found");
        }
        eprintln!("SKIPPED second-engine check: soffice not found (apt-get install -y --no-install-recommends libreoffice-calc)");
        return None;
    };
    let profile = temp();
    let out = temp();
    std::fs::create_dir_all(profile.path().join("user")).unwrap();
    // Recalculate on load, always: by default LibreOffice trusts an .xlsx file's cached values,
    // and then this check could not fail.
    std::fs::write(
        profile.path().join("user/registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>"#,
    )
    .unwrap();
    // The ninth token: the cells' text as shown (true) or their raw values.
    let filter = format!("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,{shown},false,false,-1");
    let status = Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            filter.as_str(),
            "--outdir",
        ])
        .arg(out.path())
        .args(files)
        .output()
        .expect("run soffice");
    assert!(status.status.success(), "soffice failed: {}", String::from_utf8_lossy(&status.stderr));
    let mut all = Vec::new();
    for xlsx in files {
        let stem = xlsx.file_stem().unwrap().to_string_lossy().to_string();
        let mut sheets = HashMap::new();
        for entry in std::fs::read_dir(out.path()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let Some(sheet) = name.strip_prefix(&format!("{stem}-")) else { continue };
            let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(&path).unwrap();
            let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
            sheets.insert(sheet.to_string(), rows);
        }
        assert!(!sheets.is_empty(), "LibreOffice wrote no CSV for {}", xlsx.display());
        all.push(sheets);
    }
    Some(all)
}

/// The cell at 1-based `row`, `col` of a recalculated sheet, as a number. LibreOffice's CSV
/// export writes a cell formatted as a percentage as "22.5%" even when asked for raw values (with
/// full precision); that is 0.225.
pub fn number_at(sheet: &[Vec<String>], row: u32, col: u32) -> Option<f64> {
    let text = sheet.get(row as usize - 1)?.get(col as usize - 1)?.trim();
    match text.strip_suffix('%') {
        Some(pct) => pct.trim().parse::<f64>().ok().map(|n| n / 100.0),
        None => text.parse().ok(),
    }
}

/// The figures cached in `out` are tenderkit's, and LibreOffice's recalculation agrees.
pub fn agree(out: &Path, layout: Option<&Path>) {
    agree_all(&[(out, layout)]);
}

/// [`agree`] for many workbooks, with one LibreOffice run.
pub fn agree_all(files: &[(&Path, Option<&Path>)]) {
    let mut all_expected = Vec::new();
    for (out, layout) in files {
        let hints: LayoutFile = layout.map(|l| load(l).unwrap()).unwrap_or_default();
        let wb = Workbook::open(out).unwrap();
        let read = read_matrix(&wb, &hints).unwrap();
        let figures = compute(&read.matrix);
        let expected = read.layout.figure_edits(&wb, &read.matrix, &figures);
        assert!(!expected.is_empty(), "the check covers the figures");

        // 1. The file carries our figures as cached values.
        for (sheet, at, edit) in expected.iter() {
            let CellEdit::Result(want) = edit else { panic!("figures are results") };
            let got = wb.sheet(sheet).unwrap().value(at).clone();
            match (want, &got) {
                (Computed::Number(w), Value::Number(g)) => {
                    assert!(close(*w, *g), "{}: {sheet}!{at}: cached {g}, computed {w}", out.display())
                }
                (Computed::Text(w), Value::Text(g)) => assert_eq!(w.as_str(), &**g, "{sheet}!{at}"),
                (Computed::Text(w), Value::Empty) => assert!(w.is_empty(), "{sheet}!{at}"),
                _ => panic!("{}: {sheet}!{at}: cached {got:?}, computed {want:?}", out.display()),
            }
        }
        all_expected.push(expected);
    }

    // 2. LibreOffice, recalculating every formula itself, agrees.
    let paths: Vec<&Path> = files.iter().map(|f| f.0).collect();
    let Some(all_lo) = libreoffice_recalc_all(&paths) else {
        return;
    };
    for ((expected, lo), out) in all_expected.iter().zip(&all_lo).zip(&paths) {
        let mut compared = 0;
        for (sheet, at, edit) in expected.iter() {
            let CellEdit::Result(want) = edit else { unreachable!() };
            let rows = lo.get(sheet).unwrap_or_else(|| panic!("LibreOffice output has no sheet {sheet}: {:?}", lo.keys()));
            match want {
                Computed::Number(w) => {
                    let got = number_at(rows, at.row, at.col)
                        .unwrap_or_else(|| panic!("{}: {sheet}!{at}: LibreOffice shows no number", out.display()));
                    assert!(close(*w, got), "{}: {sheet}!{at}: LibreOffice {got}, tenderkit {w}", out.display());
                }
                Computed::Text(w) => {
                    let got = rows.get(at.row as usize - 1).and_then(|r| r.get(at.col as usize - 1)).cloned().unwrap_or_default();
                    assert_eq!(&got, w, "{}: {sheet}!{at}", out.display());
                }
                Computed::Bool(w) => {
                    let got = rows.get(at.row as usize - 1).and_then(|r| r.get(at.col as usize - 1)).cloned().unwrap_or_default();
                    assert_eq!(got, if *w { "TRUE" } else { "FALSE" }, "{}: {sheet}!{at}", out.display());
                }
            }
            compared += 1;
        }
        assert_eq!(compared, expected.len());
    }
}

/// Every formula cell of every workbook has a saved result, and it is what LibreOffice's forced
/// recalculation gives: numbers to 1e-9, text and logicals exactly. Returns how many were compared.
pub fn every_cached_result_agrees(files: &[&Path]) -> usize {
    let mut cached = Vec::new();
    for f in files {
        let wb = Workbook::open(f).unwrap();
        let mut cells = Vec::new();
        for name in wb.sheet_names() {
            let sheet = wb.sheet(name).unwrap();
            for c in sheet.cells().filter(|c| c.has_formula()) {
                assert!(
                    c.value != Value::Empty || raw_cell_is_cached_text(f, name, c.at),
                    "{}: {name}!{}: a formula with no saved result",
                    f.display(),
                    c.at
                );
                cells.push((name.to_string(), c.at, c.value.clone()));
            }
        }
        cached.push(cells);
    }
    let Some(all_lo) = libreoffice_recalc_all(files) else { return 0 };
    let mut compared = 0;
    for ((cells, lo), f) in cached.iter().zip(&all_lo).zip(files) {
        for (sheet, at, value) in cells {
            let rows = lo.get(sheet).unwrap_or_else(|| panic!("LibreOffice output has no sheet {sheet}"));
            let got = rows.get(at.row as usize - 1).and_then(|r| r.get(at.col as usize - 1)).cloned().unwrap_or_default();
            match value {
                Value::Number(n) => {
                    let lo_n = number_at(rows, at.row, at.col)
                        .unwrap_or_else(|| panic!("{}: {sheet}!{at}: LibreOffice shows '{got}', cached {n}", f.display()));
                    assert!(close(*n, lo_n), "{}: {sheet}!{at}: LibreOffice {lo_n}, cached {n}", f.display());
                }
                Value::Bool(b) => assert_eq!(got, if *b { "TRUE" } else { "FALSE" }, "{}: {sheet}!{at}", f.display()),
                other => assert_eq!(got, other.text(), "{}: {sheet}!{at}", f.display()),
            }
            compared += 1;
        }
    }
    compared
}

/// Whether a formula cell's saved result is the empty text (`t="str"` with an empty `<v>`), which
/// reads back as empty.
fn raw_cell_is_cached_text(xlsx: &Path, sheet: &str, at: tenderkit::xlsx::CellRef) -> bool {
    let wb = Workbook::open(xlsx).unwrap();
    let part = wb.sheets().iter().find(|s| s.name == sheet).map(|s| s.part.clone()).unwrap();
    let xml = zip_text(xlsx, &part);
    let tag = format!("r=\"{at}\"");
    xml.split("<c ").find(|c| c.contains(&tag)).is_some_and(|c| c.contains("t=\"str\"") && (c.contains("<v></v>") || c.contains("<v/>")))
}

/// Converts a document to PDF with LibreOffice (Writer for .docx): the PDF's path, or `None`
/// (with a note) where LibreOffice is not installed and not required.
pub fn libreoffice_pdf(doc: &Path, out: &Path) -> Option<PathBuf> {
    if !["soffice", "libreoffice"].into_iter().any(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success())) {
        if std::env::var_os("TENDERKIT_REQUIRE_SOFFICE").is_some() {
            panic!("LibreOffice (soffice) is required for the Word-output tests but was not found");
        }
        eprintln!("SKIPPED PDF conversion: soffice not found (apt-get install -y --no-install-recommends libreoffice-writer)");
        return None;
    }
    let profile = temp();
    let run = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .arg(doc)
        .output()
        .expect("run soffice");
    let pdf = out.join(doc.with_extension("pdf").file_name().unwrap());
    assert!(
        run.status.success() && pdf.exists(),
        "LibreOffice could not convert {}: {}{}",
        doc.display(),
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(std::fs::metadata(&pdf).unwrap().len() > 500, "an empty PDF");
    Some(pdf)
}

/// Compares `text` with the golden file `tests/golden/<name>`; with TENDERKIT_BLESS set, writes it.
pub fn golden(name: &str, text: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("TENDERKIT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no golden file {} (run with TENDERKIT_BLESS=1 to write it)", path.display()));
    assert_eq!(text, want, "{name} differs from its golden file (TENDERKIT_BLESS=1 rewrites it after review)");
}

/// Runs tenderkit with its address space limited to `max_mib`: had it needed more memory, it
/// would have failed to allocate rather than finish with the expected message.
pub fn tenderkit_limited(args: &[&dyn AsRef<std::ffi::OsStr>], max_mib: u64) -> Run {
    tenderkit_rlimited(args, libc::RLIMIT_AS, max_mib << 20)
}

/// A package with these parts, stored (not compressed) unless `deflate`.
pub fn package(path: &Path, parts: &[(&str, Vec<u8>)], deflate: bool) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = if deflate {
        zip::write::SimpleFileOptions::default()
    } else {
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
    };
    for (name, data) in parts {
        z.start_file(*name, opts.large_file(data.len() > u32::MAX as usize / 2)).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
}

/// A cell of [`grid_workbook`]: text or a number.
#[allow(dead_code)]
pub enum Cell<'a> {
    T(&'a str),
    N(f64),
}

/// A one-sheet workbook with `rows` from A1, as a script writes one (no styles, inline strings).
#[allow(dead_code)]
pub fn grid_workbook(path: &Path, sheet: &str, rows: &[&[Cell]]) {
    grid_workbook_merged(path, sheet, rows, &[]);
}

/// [`grid_workbook`] with cells merged over the ranges given ("A2:A4").
#[allow(dead_code)]
pub fn grid_workbook_merged(path: &Path, sheet: &str, rows: &[&[Cell]], merged: &[&str]) {
    let mut xml = String::new();
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        xml += &format!(r#"<row r="{r}">"#);
        for (c, cell) in row.iter().enumerate() {
            let at = tenderkit::xlsx::CellRef::new(r, c as u32 + 1);
            xml += &match cell {
                Cell::T(t) => format!(r#"<c r="{at}" t="inlineStr"><is><t>{t}</t></is></c>"#),
                Cell::N(n) => format!(r#"<c r="{at}"><v>{n}</v></c>"#),
            };
        }
        xml += "</row>";
    }
    let sheet_xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{xml}</sheetData>{merges}</worksheet>"#,
        merges = if merged.is_empty() {
            String::new()
        } else {
            format!(r#"<mergeCells count="{}">{}</mergeCells>"#, merged.len(), merged.iter().map(|m| format!(r#"<mergeCell ref="{m}"/>"#)).collect::<String>())
        }
    );
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    package(
        path,
        &[
            ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_vec()),
            ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()),
            ("xl/workbook.xml", workbook.into_bytes()),
            ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_vec()),
            ("xl/worksheets/sheet1.xml", sheet_xml.into_bytes()),
        ],
        true,
    );
}

/// The example matrix's parts, with some replaced or added.
pub fn example_parts(changes: &[(&str, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    let mut src = zip::ZipArchive::new(std::fs::File::open(example("matrix.xlsx")).unwrap()).unwrap();
    let mut out: Vec<(String, Vec<u8>)> = (0..src.len())
        .map(|i| {
            let mut e = src.by_index(i).unwrap();
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut b).unwrap();
            (e.name().to_string(), b)
        })
        .collect();
    for (name, data) in changes {
        match out.iter_mut().find(|(n, _)| n == name) {
            Some(p) => p.1 = data.clone(),
            None => out.push((name.to_string(), data.clone())),
        }
    }
    out
}

pub fn write_parts(path: &Path, parts: &[(String, Vec<u8>)], deflate: bool) {
    let refs: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    package(path, &refs, deflate);
}

/// Refused with `needle` in the message, by a process limited to `max_mib` of memory.
pub fn refused(file: &Path, needle: &str, max_mib: u64) {
    let run = tenderkit_limited(&[&"validate", &file], max_mib);
    assert_eq!(run.code, 2, "within {max_mib} MiB: {}", run.all());
    assert!(run.stderr.contains(needle), "expected '{needle}' in: {}", run.stderr);
}

/// Runs tenderkit with files limited to `max_bytes` each (RLIMIT_FSIZE), as a disk filling up
/// partway through a run would: a write past the limit fails (SIGXFSZ is ignored, so the write
/// returns an error instead of killing the process).
pub fn tenderkit_file_limited(args: &[&dyn AsRef<std::ffi::OsStr>], max_bytes: u64) -> Run {
    tenderkit_rlimited(args, libc::RLIMIT_FSIZE, max_bytes)
}

/// tenderkit run with `resource` limited to `limit` (SIGXFSZ ignored, so a write over a file-size
/// limit fails with an error the program can report instead of killing it).
fn tenderkit_rlimited(args: &[&dyn AsRef<std::ffi::OsStr>], resource: libc::__rlimit_resource_t, limit: u64) -> Run {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tenderkit"));
    cmd.args(args.iter().map(|a| a.as_ref()));
    // SAFETY: only async-signal-safe calls (signal, setrlimit) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit { rlim_cur: limit, rlim_max: limit };
            if libc::setrlimit(resource, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().expect("run tenderkit");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

/// The visible text of a part's paragraphs, joined by newlines.
pub fn paragraphs(xml: &str) -> String {
    let mut out = String::new();
    let mut r = tenderkit::opc::xml::reader(xml.as_bytes());
    let mut in_t = false;
    loop {
        match tenderkit::opc::xml::next(&mut r).unwrap() {
            quick_xml::events::Event::Start(e) if e.local_name().as_ref() == b"t" => in_t = true,
            quick_xml::events::Event::End(e) if e.local_name().as_ref() == b"t" => in_t = false,
            quick_xml::events::Event::End(e) if e.local_name().as_ref() == b"p" => out.push('\n'),
            ev @ (quick_xml::events::Event::Text(_) | quick_xml::events::Event::GeneralRef(_)) if in_t => {
                tenderkit::opc::xml::push_text(&mut out, &ev).unwrap()
            }
            quick_xml::events::Event::Eof => return out,
            _ => {}
        }
    }
}
pub mod served;
