//! What buyers see: the example matrix, a return and every letter, converted to PDF by
//! LibreOffice as a buyer printing them would, checked page by page: page counts, the Summary
//! chart, footers, and label columns wide enough for their labels.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// The PDF's pages as text, where poppler is installed (CI installs it).
fn pages(pdf: &Path) -> Option<Vec<String>> {
    let info = Command::new("pdfinfo").arg(pdf).output().ok()?;
    let count: usize = String::from_utf8_lossy(&info.stdout).lines().find_map(|l| l.strip_prefix("Pages:")?.trim().parse().ok())?;
    Some(
        (1..=count)
            .map(|p| {
                let out = Command::new("pdftotext").args(["-f", &p.to_string(), "-l", &p.to_string()]).arg(pdf).arg("-").output().unwrap();
                String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect(),
    )
}

fn pdf_pages(doc: &Path, dir: &Path) -> Option<Vec<String>> {
    let pdf = libreoffice_pdf(doc, dir)?;
    let p = pages(&pdf);
    if p.is_none() && std::env::var_os("TENDERKIT_REQUIRE_SOFFICE").is_some() {
        panic!("pdfinfo and pdftotext (poppler-utils) are required");
    }
    p
}

/// Each column's width in a sheet part, by 1-based column.
fn widths(xml: &str) -> Vec<(u32, u32, f64)> {
    xml.split("<col ")
        .skip(1)
        .filter_map(|c| {
            let attr = |name: &str| c.split(&format!("{name}=\"")).nth(1)?.split('"').next().map(str::to_string);
            Some((attr("min")?.parse().ok()?, attr("max")?.parse().ok()?, attr("width")?.parse().ok()?))
        })
        .collect()
}

fn width_of(xml: &str, col: u32) -> f64 {
    widths(xml).into_iter().find(|(min, max, _)| (*min..=*max).contains(&col)).map(|w| w.2).unwrap_or(8.43)
}

#[test]
fn the_example_matrix_prints_on_five_pages_with_its_chart() {
    let dir = temp();
    let matrix = dir.path().join("matrix.xlsx");
    std::fs::copy(example("matrix.xlsx"), &matrix).unwrap();
    let Some(pages) = pdf_pages(&matrix, dir.path()) else { return };
    assert!(pages.len() <= 5, "{} pages", pages.len());
    // Every page has the footer: the reference, the sheet, "page x of y".
    for (i, p) in pages.iter().enumerate() {
        assert!(p.contains("FLT-2026-031") && p.contains(&format!("Page {} of {}", i + 1, pages.len())), "page {}: {p}", i + 1);
    }
    // The Quality sheet is one page wide: all four bidders on one page, with the criteria.
    let quality = pages.iter().find(|p| p.contains("Quality evaluation")).unwrap();
    for bidder in ["Caledonian Fleet Solutions Ltd", "Forth Valley Commercial Vehicles LLP"] {
        assert!(quality.contains(bidder), "{bidder} on the Quality page");
    }
    assert!(quality.contains("Payload and range on the council's collection rounds"));
    // The Summary page carries the chart: its title, legend and the failed bid's label.
    let summary = pages.iter().find(|p| p.contains("Summary: ")).unwrap();
    for text in ["Total score: quality part and price part", "Quality (weighted)", "Price score", "(failed: not ranked)"] {
        assert!(summary.contains(text), "'{text}' on the Summary page: {summary}");
    }
}

#[test]
fn label_columns_are_wide_enough_for_their_labels() {
    let m = example("matrix.xlsx");
    let wb = tenderkit::xlsx::Workbook::open(&m).unwrap();
    // The Tender sheet's labels, the bidder names on Price and Summary.
    let tender = zip_text(&m, &wb.sheet("Tender").unwrap().part);
    assert!(width_of(&tender, 1) >= "Minimum quality score (out of 100)".len() as f64, "{:?}", widths(&tender));
    for sheet in ["Price", "Summary"] {
        let xml = zip_text(&m, &wb.sheet(sheet).unwrap().part);
        assert!(width_of(&xml, 1) >= "Forth Valley Commercial Vehicles LLP".len() as f64, "{sheet}: {:?}", widths(&xml));
    }
    // Wrapped criterion titles get rows tall enough: the longest title's row is taller than one line.
    let quality = zip_text(&m, &wb.sheet("Quality").unwrap().part);
    assert!(quality.contains("customHeight=\"1\""), "wrapped rows are sized");
    // Print setup: landscape, one page wide, titles repeated.
    assert!(quality.contains("orientation=\"landscape\"") && quality.contains("fitToWidth=\"1\"") && quality.contains("fitToHeight=\"0\""));
    let workbook = zip_text(&m, "xl/workbook.xml");
    assert!(workbook.contains("_xlnm.Print_Titles"), "{workbook}");
}

#[test]
fn a_return_and_every_letter_print_in_few_pages() {
    let dir = temp();
    let ret = dir.path().join("return.xlsx");
    std::fs::copy(example("returns/eilidh-fraser-quality.xlsx"), &ret).unwrap();
    let Some(pages) = pdf_pages(&ret, dir.path()) else { return };
    // The scores, the scale, and the declaration of interests on a page of its own.
    assert!(pages.len() <= 3, "a return prints on {} pages", pages.len());
    assert!(pages.iter().any(|p| p.contains("Declaration of interests and confidentiality") && p.contains("Forth Valley")), "{pages:?}");
    assert!(pages[0].contains("Eilidh Fraser") && pages[0].contains("Page 1 of"), "{}", pages[0]);

    let (t, m, r, o) = (example("tender.toml"), example("moderated.xlsx"), example("responses.toml"), example("opening.toml"));
    let mut letters: Vec<PathBuf> = Vec::new();
    for kind in ["disqualification", "unsuccessful", "successful", "self-cleansing", "late-bid", "tender-opening-form"] {
        let out = dir.path().join(kind);
        let run = tenderkit(&[
            &"letters",
            &kind,
            &"--tender",
            &t,
            &"--matrix",
            &m,
            &"--responses",
            &r,
            &"--opening",
            &o,
            &"--date",
            &"2026-12-18",
            &"-o",
            &out,
        ]);
        assert_eq!(run.code, 0, "{kind}: {}", run.all());
        let first = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "docx"))
            .min()
            .unwrap();
        letters.push(first);
    }
    for letter in &letters {
        let Some(pages) = pdf_pages(letter, dir.path()) else { return };
        assert!(pages.len() <= 3, "{}: {} pages", letter.display(), pages.len());
        // The scores table's headings are whole words, not broken mid-word.
        let text = pages.join(" ");
        for broken in ["Weigh- ting", "Winni- ng", "tende- r"] {
            assert!(!text.contains(broken), "{}: '{broken}'", letter.display());
        }
    }
}

#[test]
fn a_foreign_workbook_gets_a_chart_only_when_asked() {
    let dir = temp();
    let (input, layout) = (fixture("foreign-openpyxl.xlsx"), fixture("layout-foreign.toml"));
    let plain = dir.path().join("plain.xlsx");
    assert_eq!(tenderkit(&[&"score", &input, &"--layout", &layout, &"-o", &plain]).code, 0);
    let charted = dir.path().join("charted.xlsx");
    let run = tenderkit(&[&"score", &input, &"--layout", &layout, &"-o", &charted, &"--chart"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let (before, without, with) = (zip_parts(&input), zip_parts(&plain), zip_parts(&charted));
    // Never by default: scoring adds no part.
    assert_eq!(before.keys().collect::<Vec<_>>(), without.keys().collect::<Vec<_>>());
    // Asked: a new sheet with its drawing and chart; every part the buyer had is as it was, but
    // the workbook's list of sheets and parts and the sheets scoring writes figures into.
    let added: Vec<&String> = with.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(added.iter().filter(|k| k.starts_with("xl/charts/chart")).count(), 1, "{added:?}");
    assert_eq!(added.iter().filter(|k| k.starts_with("xl/worksheets/sheet")).count(), 1, "{added:?}");
    for (name, bytes) in &without {
        if name != "xl/workbook.xml" && name != "xl/_rels/workbook.xml.rels" && name != "[Content_Types].xml" {
            assert_eq!(with.get(name), Some(bytes), "{name} differs from scoring without --chart");
        }
    }
    // LibreOffice draws it: the chart's title and legend are on the printed page.
    let Some(pages) = pdf_pages(&charted, dir.path()) else { return };
    // The sheet may print over two pages (the table, then the chart beside it).
    let first = pages.iter().position(|p| p.contains("Each bid's total as scored by tenderkit")).expect("the chart sheet prints");
    let page = pages[first..].join(" ");
    for text in ["Total score: quality part and price part", "Quality part", "Price part", "Bramble & Sons"] {
        assert!(page.contains(text), "'{text}' on the chart page: {page}");
    }
    // Asking again replaces the sheet; the file still opens.
    let again = dir.path().join("again.xlsx");
    assert_eq!(tenderkit(&[&"score", &charted, &"--layout", &layout, &"-o", &again, &"--chart"]).code, 0);
    assert!(pdf_pages(&again, dir.path()).is_some_and(|p| p.iter().any(|x| x.contains("Price part"))));
    // Without somewhere to write, --chart is a usage error.
    assert_eq!(tenderkit(&[&"score", &input, &"--layout", &layout, &"--chart"]).code, 2);
}
