//! Price methods end to end: a matrix made by `matrix new` for each method, filled as evaluators
//! would, scored; the cached price scores, totals, ranks and abnormally-low flags are tenderkit's,
//! and LibreOffice's forced recalculation of the Price sheet's formulas agrees to 1e-9.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use tenderkit::xlsx::layout::LayoutFile;
use tenderkit::xlsx::matrix::read_matrix;
use tenderkit::xlsx::{CellRef, Workbook};

/// Per bidder of the example tender: the score given on every criterion, and the acquisition,
/// operating and end-of-life costs. Ardmore is abnormally low (£700k against a mean of £1.16m
/// for the others); Forth Valley fails the minimum quality score.
const BIDS: [(f64, [f64; 3]); 4] = [
    (3.0, [800_000.0, 250_000.0, -30_000.0]),
    (4.0, [1_000_000.0, 320_000.0, -20_000.0]),
    (3.0, [500_000.0, 210_000.0, -10_000.0]),
    (1.0, [600_000.0, 300_000.0, 0.0]),
];

/// A new matrix for `price`, filled with [`BIDS`] and scored: the scored workbook.
fn scored(dir: &Path, name: &str, price: &str) -> PathBuf {
    let tender = example_tender_with(dir, name, &format!("[price]\n{price}"));
    let filled = dir.join(format!("{name}-filled.xlsx"));
    filled_matrix(&tender, &filled, |b, _| BIDS[b].0, |b, k| BIDS[b].1[k]);
    let out = dir.join(format!("{name}.xlsx"));
    let run = tenderkit(&[&"score", &filled, &"-o", &out]);
    assert_eq!(run.code, 0, "{name}: {}", run.all());
    out
}

const METHODS: [(&str, &str); 9] = [
    ("lowest", "method = \"lowest-over-bid\""),
    ("mean", "method = \"relative-to-mean\"\nmean_score = 50\nmarks_per_percent = 1"),
    ("linear", "method = \"linear\""),
    ("budget", "method = \"linear\"\nbudget = 1_500_000"),
    ("graduated", "method = \"graduated\"\nrate = 0.1\nrate_beyond = 1"),
    ("handbook", "method = \"graduated\"\nabnormally_low = \"construction-handbook\""),
    ("below-mean", "method = \"graduated\"\nabnormally_low = \"below-mean\""),
    ("euro", "method = \"cost-per-quality-point\"\ncurrency = \"EUR\""),
    ("per-point", "method = \"cost-per-quality-point\""),
];

#[test]
fn libreoffice_agrees_with_every_price_method() {
    let dir = temp();
    let outs: Vec<PathBuf> = METHODS.iter().map(|(name, price)| scored(dir.path(), name, price)).collect();
    let files: Vec<(&Path, Option<&Path>)> = outs.iter().map(|o| (o.as_path(), None)).collect();
    agree_all(&files);
}

fn ranking(out: &Path) -> serde_json::Value {
    let run = tenderkit(&[&"score", &out, &"--json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    json["ranking"].clone()
}

#[test]
fn each_method_ranks_as_worked_by_hand() {
    let dir = temp();
    // Whole-life costs: Caledonian 1,020,000 (quality 75), Northgate 1,300,000 (100), Ardmore
    // 700,000 (75, abnormally low), Forth Valley fails. Price weighting 50, quality 50.
    let firsts = [
        // lowest / bid x 50: Ardmore 50 + 37.5 = 87.5; Northgate 26.92 + 50 = 76.92.
        ("lowest", "method = \"lowest-over-bid\"", "Ardmore Municipal Engineering Ltd"),
        // Cost per point: Ardmore 9,333; Caledonian 13,600; Northgate 13,000.
        ("per-point", "method = \"cost-per-quality-point\"", "Ardmore Municipal Engineering Ltd"),
        // Linear to a budget of 1,500,000: Ardmore 50; Northgate 50 x 200k/800k = 12.5 + 50.
        ("budget", "method = \"linear\"\nbudget = 1_500_000", "Ardmore Municipal Engineering Ltd"),
    ];
    for (name, price, first) in firsts {
        let json = ranking(&scored(dir.path(), name, price));
        let standings = json["standings"].as_array().unwrap();
        assert_eq!(standings[0]["bidder"], first, "{name}: {json}");
        assert_eq!(json["failed"][0]["bidder"], "Forth Valley Commercial Vehicles LLP", "{name}");
    }
    // Cost per quality point ranks Northgate (13,000) above Caledonian (13,600).
    let json = ranking(&scored(dir.path(), "per-point-2", "method = \"cost-per-quality-point\""));
    let order: Vec<&str> = json["standings"].as_array().unwrap().iter().map(|s| s["bidder"].as_str().unwrap()).collect();
    assert_eq!(order, ["Ardmore Municipal Engineering Ltd", "Northgate EV Vehicles plc", "Caledonian Fleet Solutions Ltd"]);
    assert!(close(json["standings"][1]["total"].as_f64().unwrap(), 13_000.0), "{json}");
}

#[test]
fn an_abnormally_low_bid_is_a_warning_never_a_rejection() {
    let dir = temp();
    let out = scored(dir.path(), "lowest", "method = \"lowest-over-bid\"");
    let run = tenderkit(&[&"validate", &out]);
    assert_eq!(run.code, 0, "a warning does not fail validation: {}", run.all());
    assert!(run.stdout.contains("Ardmore Municipal Engineering Ltd") && run.stdout.contains("abnormally low"), "{}", run.all());
    assert!(run.stdout.contains("ask the bidder to explain"), "{}", run.all());
    // Still ranked first: the buyer decides after the explanation.
    let json = ranking(&out);
    assert_eq!(json["standings"][0]["bidder"], "Ardmore Municipal Engineering Ltd");
    assert_eq!(json["standings"][0]["abnormally_low"], true, "{json}");
}

#[test]
fn letters_abnormally_low_ask_the_flagged_bidder_to_explain() {
    let dir = temp();
    let out = scored(dir.path(), "lowest", "method = \"lowest-over-bid\"");
    let tender = dir.path().join("lowest.toml");
    let letters = dir.path().join("letters");
    let run = tenderkit(&[
        &"letters",
        &"abnormally-low",
        &"--tender",
        &tender,
        &"--matrix",
        &out,
        &"--date",
        &"2026-12-01",
        &"--format",
        &"txt",
        &"-o",
        &letters,
    ]);
    assert_eq!(run.code, 0, "{}", run.all());
    let written: Vec<String> = std::fs::read_dir(&letters)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    assert_eq!(written.len(), 1, "only the flagged bidder is asked: {written:?}");
    let text = std::fs::read_to_string(letters.join(&written[0])).unwrap();
    assert!(text.contains("Dear Ardmore Municipal Engineering Ltd"), "{text}");
    // 700,000 against the median of 700,000, 1,020,000 and 1,300,000 (the default test):
    // 1,020,000, 31.37% below.
    assert!(
        text.contains("£700,000.00, which is 31.37% below the median whole-life cost of the compliant tenders (£1,020,000.00)"),
        "{text}"
    );
    assert!(text.contains("by 11 December 2026"), "{text}");
    assert!(text.contains("This is not a decision about your tender"), "{text}");
    // The Word letter opens in LibreOffice Writer and converts to PDF.
    let docx = dir.path().join("docx");
    let run = tenderkit(&[&"letters", &"abnormally-low", &"--tender", &tender, &"--matrix", &out, &"--date", &"2026-12-01", &"-o", &docx]);
    assert_eq!(run.code, 0, "{}", run.all());
    let file = std::fs::read_dir(&docx).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|x| x == "docx")).unwrap();
    if let Some(pdf) = libreoffice_pdf(&file, dir.path()) {
        assert!(std::fs::metadata(pdf).unwrap().len() > 1000);
    }
    // With no bid flagged, there is nothing to ask: said, not an empty folder.
    let equal = scored(dir.path(), "budget", "method = \"linear\"\nbudget = 1_500_000\nabnormally_low_percent = 50");
    let run = tenderkit(&[
        &"letters",
        &"abnormally-low",
        &"--tender",
        &dir.path().join("budget.toml"),
        &"--matrix",
        &equal,
        &"--format",
        &"txt",
        &"-o",
        &dir.path().join("none"),
    ]);
    assert_ne!(run.code, 0, "{}", run.all());
    assert!(run.stderr.contains("no bid is flagged as abnormally low"), "{}", run.all());
}

#[test]
fn the_works_example_makes_a_graduated_matrix() {
    let dir = temp();
    let out = dir.path().join("works.xlsx");
    let run = tenderkit(&[&"matrix", &"new", &example("tender-graduated.toml"), &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    let wb = Workbook::open(&out).unwrap();
    let price = wb.sheet("Price").unwrap();
    let f = price.cell(CellRef::new(4, 6)).and_then(|c| price.formula(c)).unwrap();
    assert!(f.contains("PriceRate") && f.contains("PriceRateBeyond") && f.contains("PriceInflectionMargin"), "{f}");
    assert_eq!(price.text(CellRef::new(3, 8)), "Abnormally low?");
    assert_eq!(price.text(CellRef::new(3, 9)), "For the median (£)");
    for name in ["PriceMethod", "PriceRate", "PriceRateBeyond", "PriceInflectionMargin", "AbnormallyLowTest"] {
        assert!(wb.defined_range(name).is_some(), "{name} is defined");
    }
    let read = read_matrix(&wb, &LayoutFile::default()).unwrap();
    assert_eq!(read.matrix.price.method, tenderkit::domain::price::Method::Graduated);
    assert_eq!(read.matrix.price.abnormally_low, tenderkit::domain::price::AbnormallyLowTest::ConstructionHandbook);
    let run = tenderkit(&[&"check", &example("tender-graduated.toml")]);
    assert_eq!(run.code, 0, "{}", run.all());
}

/// Issue 33 item 1: a linear budget at or below the lowest bid that passes gave every bid the full
/// price weighting, so the dearest became the MEAT. Now every bid is at or above the price that
/// scores 0; the workbook's formula gives the same, and `score` refuses such a budget by name.
#[test]
fn a_linear_budget_at_or_below_the_lowest_bid_is_refused_not_a_wrong_winner() {
    let dir = temp();
    // The lowest whole-life cost that passes is Ardmore's 700,000.
    for (name, budget) in [("equal", "700_000"), ("below", "650_000")] {
        let tender = example_tender_with(dir.path(), name, &format!("[price]\nmethod = \"linear\"\nbudget = {budget}"));
        let filled = dir.path().join(format!("{name}.xlsx"));
        filled_matrix(&tender, &filled, |b, _| BIDS[b].0, |b, k| BIDS[b].1[k]);
        let run = tenderkit(&[&"score", &filled, &"-o", &dir.path().join(format!("{name}-scored.xlsx"))]);
        assert_eq!(run.code, 1, "{}", run.all());
        assert!(run.all().contains("error[price-parameter]"), "{}", run.all());
        assert!(run.all().contains("is not above the lowest whole-life cost of the bids that pass (£700,000.00)"), "{}", run.all());
        // The workbook, opened in a spreadsheet, gives every bid 0 for price, as tenderkit does.
        if let Some(lo) = libreoffice_recalc(&filled) {
            for row in 4..=6 {
                assert_eq!(number_at(&lo["Price"], row, 6), Some(0.0), "{name}: Price!F{row}");
            }
        }
    }
}

/// Issue 33 item 2: a bid that passes with a quality score of 0 under cost per quality point
/// disappeared (neither ranked nor failed). It is now a failed bid with its reason, in the ranking,
/// the JSON and the workbook's status column alike.
#[test]
fn a_zero_quality_bid_under_cost_per_point_is_accounted_for() {
    let dir = temp();
    let tender = example_tender_with(dir.path(), "zero", "[price]\nmethod = \"cost-per-quality-point\"");
    // No minimum quality and no pass marks: only cost per point can leave the bid out.
    let text = std::fs::read_to_string(&tender).unwrap().replace("minimum_quality = 60\n", "").replace("  pass_mark = 2\n", "");
    std::fs::write(&tender, text).unwrap();
    let filled = dir.path().join("zero.xlsx");
    filled_matrix(&tender, &filled, |b, _| if b == 3 { 0.0 } else { BIDS[b].0 }, |b, k| BIDS[b].1[k]);
    let out = dir.path().join("zero-scored.xlsx");
    let run = tenderkit(&[&"score", &filled, &"-o", &out, &"--json"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let failed = json["ranking"]["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{json:#}");
    assert_eq!(failed[0]["bidder"], "Forth Valley Commercial Vehicles LLP");
    assert!(failed[0]["reasons"][0].as_str().unwrap().contains("a quality score of 0"), "{json:#}");
    assert_eq!(json["ranking"]["standings"].as_array().unwrap().len(), 3);
    let wb = Workbook::open(&out).unwrap();
    assert_eq!(wb.sheet("Summary").unwrap().text(CellRef::new(7, 8)), "Fail");
    agree(&out, None);
}

/// Issue 33 item 3: price parameters outside their ranges (a negative rate gave 300 of 50; 1e308
/// printed NaN) are refused with their key, by every command that reads them.
#[test]
fn price_parameters_out_of_range_are_refused_where_they_are_read() {
    let dir = temp();
    for (name, price, key) in [
        ("mpp", "method = \"relative-to-mean\"\nmarks_per_percent = -1", "marks_per_percent"),
        ("rate", "method = \"graduated\"\nrate = -5", "rate"),
        ("huge", "method = \"relative-to-mean\"\nmean_score = 1e308", "mean_score"),
        ("low", "abnormally_low_percent = -50", "abnormally_low_percent"),
    ] {
        let tender = example_tender_with(dir.path(), name, &format!("[price]\n{price}"));
        let run = tenderkit(&[&"matrix", &"new", &tender, &"-o", &dir.path().join(format!("{name}.xlsx"))]);
        assert_eq!(run.code, 1, "{name}: {}", run.all());
        assert!(run.all().contains(&format!("price.{key}")), "{name}: {}", run.all());
        assert!(run.all().contains(&format!("the price parameter {key}")), "{name}: {}", run.all());
        assert!(!run.all().contains("NaN"), "{}", run.all());
    }
    // In a workbook: the named cell edited to a value out of range is refused by validate and score.
    let out = scored(dir.path(), "mean", "method = \"relative-to-mean\"");
    let wb = Workbook::open(&out).unwrap();
    let (sheet, range) = wb.defined_range("PriceMarksPerPercent").unwrap();
    let mut edits = tenderkit::xlsx::Edits::default();
    edits.set(&sheet, range.start, tenderkit::xlsx::CellEdit::Number(-1.0));
    let broken = dir.path().join("broken.xlsx");
    wb.write(&edits, &broken).unwrap();
    for cmd in ["validate", "score"] {
        let run = tenderkit(&[&cmd, &broken]);
        assert_eq!(run.code, 1, "{cmd}: {}", run.all());
        assert!(run.all().contains("PriceMarksPerPercent (the named cell on the Tender sheet"), "{cmd}: {}", run.all());
    }
}

/// Issue 31 item 8: a workbook whose cost cells are formatted in dollars or euros has its figures
/// printed in that currency, never as pounds (the example with its cost format changed).
#[test]
fn a_workbook_in_dollars_or_euros_is_printed_in_its_own_currency() {
    let dir = temp();
    let styles = String::from_utf8(zip_part(&example("matrix.xlsx"), "xl/styles.xml")).unwrap();
    assert!(styles.contains("formatCode=\"£#,##0.00\""), "the example's cost format");
    for (code, symbol) in [("&quot;$&quot;#,##0.00", "$"), ("[$€-407] #,##0.00", "€")] {
        let out = dir.path().join(format!("matrix-{symbol}.xlsx"));
        let changed = styles.replace("formatCode=\"£#,##0.00\"", &format!("formatCode=\"{code}\""));
        write_parts(&out, &example_parts(&[("xl/styles.xml", changed.into_bytes())]), true);
        let run = tenderkit(&[&"score", &out]);
        assert_eq!(run.code, 0, "{}", run.all());
        assert!(run.stdout.contains(&format!("{symbol}5,100,000.00")), "{}", run.stdout);
        assert!(!run.all().contains('£'), "{}", run.all());
        let json: serde_json::Value = serde_json::from_str(&tenderkit(&[&"score", &out, &"--json"]).stdout).unwrap();
        assert_eq!(json["ranking"]["standings"][0]["whole_life_cost"], 5_100_000.0, "the figures themselves are unchanged");
    }
}

/// A tender in euros (`[price] currency = "EUR"`): the new matrix's cost cells and headings are in
/// euros, and so is every amount tenderkit prints about it.
#[test]
fn a_tender_in_euros_makes_and_reads_a_matrix_in_euros() {
    let dir = temp();
    let out = scored(dir.path(), "euro", "method = \"lowest-over-bid\"\ncurrency = \"EUR\"");
    let wb = Workbook::open(&out).unwrap();
    let price = wb.sheet("Price").unwrap();
    assert_eq!(price.text(CellRef::parse("E3").unwrap()), "Whole-life cost (€)");
    let run = tenderkit(&[&"validate", &out]);
    assert!(run.stdout.contains("whole-life cost €700,000.00 is abnormally low"), "{}", run.all());
    assert!(!run.all().contains('£'), "{}", run.all());
    let run = tenderkit(&[&"score", &out]);
    assert!(run.stdout.contains("€1,020,000.00") && !run.stdout.contains('£'), "{}", run.stdout);
}
