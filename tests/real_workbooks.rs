//! Evaluation workbooks laid out the way other organisations lay theirs out
//! (`tests/fixtures/real/make_real.py`: openpyxl, and LibreOffice re-saves), read with no layout
//! file. For each: the ranking equals figures worked out here from the workbook's inputs; after
//! `score -o`, LibreOffice's forced recalculation agrees with every cached figure; and the layout
//! file `tenderkit layout` writes, read back with `--layout`, gives the same ranking.

mod common;

use std::path::PathBuf;

use common::*;

/// A workbook's inputs, as typed into it, and what reading it must report.
struct Case {
    file: &'static str,
    /// Price and quality shares.
    split: (f64, f64),
    /// The scale's maximum.
    max: f64,
    /// Effective criterion weightings (of 100).
    weights: &'static [f64],
    /// Bidder, scores, price (0 where there is none).
    bids: &'static [(&'static str, &'static [f64], f64)],
    /// Rules reading and validating must report (warnings; the workbook still scores).
    rules: &'static [&'static str],
}

fn path(file: &str) -> PathBuf {
    fixture(&format!("real/{file}"))
}

/// (bidder, quality out of 100, price score, total), worked out from the inputs.
fn worked(c: &Case) -> Vec<(String, f64, f64, f64)> {
    let lowest = c.bids.iter().map(|b| b.2).filter(|p| *p > 0.0).fold(f64::INFINITY, f64::min);
    c.bids
        .iter()
        .map(|(name, scores, price)| {
            let quality: f64 = scores.iter().zip(c.weights).map(|(s, w)| s / c.max * w).sum();
            let price_score = if *price > 0.0 { lowest / price * c.split.0 } else { 0.0 };
            (name.to_string(), quality, price_score, quality * c.split.1 / 100.0 + price_score)
        })
        .collect()
}

fn ranking(run: &Run) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.all()));
    v["ranking"].clone()
}

fn check(c: &Case) {
    let file = path(c.file);
    let run = tenderkit(&[&"score", &file, &"--json"]);
    assert_eq!(run.code, 0, "{}: {}", c.file, run.all());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rules: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    for want in c.rules {
        assert!(rules.contains(want), "{}: expected {want} in {rules:?}", c.file);
    }
    assert!(rules.iter().all(|r| c.rules.contains(r)), "{}: unexpected findings {rules:?}", c.file);

    // 1. The ranking is the one worked out by hand.
    let standings = v["ranking"]["standings"].as_array().unwrap();
    let want = worked(c);
    assert_eq!(standings.len(), want.len(), "{}: every bid ranked", c.file);
    for (name, quality, price, total) in &want {
        let s = standings.iter().find(|s| s["bidder"] == name.as_str()).unwrap_or_else(|| panic!("{}: {name} not ranked", c.file));
        for (what, got, want) in
            [("quality", &s["quality"], quality), ("price score", &s["price_score"], price), ("total", &s["total"], total)]
        {
            assert!(close(got.as_f64().unwrap(), *want), "{}: {name} {what}: tenderkit {got}, worked {want}", c.file);
        }
    }
    let mut by_total = want.clone();
    by_total.sort_by(|a, b| b.3.total_cmp(&a.3));
    assert_eq!(standings[0]["bidder"], by_total[0].0.as_str(), "{}: the winner", c.file);

    // 2. The scored workbook's cached figures are tenderkit's, and LibreOffice agrees.
    let dir = temp();
    let out = dir.path().join("scored.xlsx");
    let run = tenderkit(&[&"score", &file, &"-o", &out]);
    assert_eq!(run.code, 0, "{}: {}", c.file, run.all());
    agree(&out, None);

    // 3. What `layout` writes reads the workbook the same way.
    let layout = dir.path().join("layout.toml");
    let run = tenderkit(&[&"layout", &file, &"-o", &layout]);
    assert_eq!(run.code, 0, "{}: {}", c.file, run.all());
    let again = tenderkit(&[&"score", &file, &"--json", &"--layout", &layout]);
    assert_eq!(again.code, 0, "{}: {}\n{}", c.file, again.all(), std::fs::read_to_string(&layout).unwrap());
    assert_eq!(
        ranking(&again),
        v["ranking"],
        "{}: the layout file reads differently:\n{}",
        c.file,
        std::fs::read_to_string(&layout).unwrap()
    );
}

macro_rules! cases {
    ($($test:ident: $case:expr;)*) => {
        $(
            #[test]
            fn $test() {
                check(&$case);
            }
        )*
    };
}

cases! {
    percent_weights_never_calculated: Case {
        file: "percent-weights.xlsx",
        split: (30.0, 70.0),
        max: 4.0,
        weights: &[30.0, 25.0, 25.0, 20.0],
        bids: &[
            ("Alba Facilities Ltd", &[3.0, 4.0, 2.0, 3.0], 250_000.0),
            ("Bute Services plc", &[4.0, 3.0, 3.0, 2.0], 265_000.0),
            ("Clyde FM LLP", &[2.0, 2.0, 4.0, 4.0], 238_500.0),
        ],
        rules: &[],
    };
    percent_weights_saved_by_libreoffice: Case { file: "percent-weights-lo.xlsx", ..PERCENT };
    split_given_only_as_quality_share: Case {
        file: "quality-share-lo.xlsx",
        split: (40.0, 60.0),
        max: 4.0,
        weights: &[25.0, 15.0, 20.0, 10.0, 30.0],
        bids: &[
            ("Bright Clean Ltd", &[3.0, 2.0, 4.0, 3.0, 2.0], 180_000.0),
            ("Shine Co", &[4.0, 4.0, 2.0, 2.0, 3.0], 192_500.0),
            ("Sparkle Services", &[2.0, 3.0, 3.0, 4.0, 4.0], 175_250.0),
        ],
        rules: &["split-inferred", "scale-assumed"],
    };
    ratio_on_a_cover_sheet: Case {
        file: "cover-ratio-lo.xlsx",
        split: (40.0, 60.0),
        max: 4.0,
        weights: &[35.0, 25.0, 20.0, 20.0],
        bids: &[
            ("Supplier A", &[3.0, 3.0, 2.0, 4.0], 98_000.0),
            ("Supplier B", &[4.0, 2.0, 3.0, 3.0], 102_500.0),
            ("Supplier C", &[2.0, 4.0, 4.0, 2.0], 91_250.0),
            ("Supplier D", &[3.0, 3.0, 3.0, 3.0], 99_990.0),
        ],
        rules: &["scale-assumed"],
    };
    pmi_style_ratings_and_outcomes: Case {
        file: "pmi-applicants-lo.xlsx",
        split: (25.0, 75.0),
        max: 5.0,
        weights: &[30.0, 30.0, 20.0, 20.0],
        bids: &[
            ("Applicant #1", &[4.0, 3.0, 5.0, 3.0], 120_000.0),
            ("Applicant #2", &[3.0, 5.0, 4.0, 4.0], 131_000.0),
            ("Applicant #3", &[5.0, 4.0, 3.0, 2.0], 118_500.0),
        ],
        rules: &[],
    };
    bidders_in_rows_with_a_weights_row: Case {
        file: "transposed-lo.xlsx",
        split: (30.0, 70.0),
        max: 4.0,
        weights: &[40.0, 25.0, 20.0, 15.0],
        bids: &[
            ("Ashgrove Construction", &[3.0, 2.0, 4.0, 3.0], 1_450_000.0),
            ("Birchwood Builders", &[4.0, 3.0, 2.0, 2.0], 1_395_000.0),
            ("Coppice Contracts", &[2.0, 4.0, 3.0, 4.0], 1_520_000.0),
            ("Dunmore Developments", &[3.0, 3.0, 3.0, 3.0], 1_410_000.0),
        ],
        rules: &["scale-assumed"],
    };
    lowest_price_bid_tabulation_of_formulas: Case {
        file: "bid-tab-lo.xlsx",
        split: (100.0, 0.0),
        max: 4.0,
        weights: &[],
        bids: &[
            ("Aird Surfacing Ltd", &[], 412_350.0),
            ("Benmore Roads", &[], 398_760.5),
            ("Carron Civils", &[], 405_000.0),
            ("Dalriada Highways", &[], 421_999.99),
        ],
        rules: &[],
    };
    costs_typed_as_text: Case { file: "text-costs.xlsx", ..TEXT_COSTS };
    costs_typed_as_text_saved_by_libreoffice: Case { file: "text-costs-lo.xlsx", ..TEXT_COSTS };
    rows_under_the_criteria_that_are_not_criteria: Case {
        file: "summary-rows-lo.xlsx",
        split: (35.0, 65.0),
        max: 4.0,
        weights: &[40.0, 30.0, 20.0, 10.0],
        bids: &[
            ("Oban Care Ltd", &[3.0, 3.0, 4.0, 2.0], 640_000.0),
            ("Pentland Homecare", &[4.0, 2.0, 3.0, 3.0], 612_500.0),
            ("Quarry Lane Care", &[2.0, 4.0, 4.0, 4.0], 655_000.0),
        ],
        rules: &[],
    };
    headings_with_line_breaks_and_scales_under_merged_names: Case {
        file: "linebreak-headings-lo.xlsx",
        split: (30.0, 70.0),
        max: 4.0,
        weights: &[45.0, 30.0, 25.0],
        bids: &[
            ("Rannoch Digital", &[3.0, 4.0, 2.0], 310_000.0),
            ("Skye Systems Ltd", &[4.0, 3.0, 4.0], 287_400.0),
            ("Tay Software", &[2.0, 4.0, 3.0], 295_000.0),
        ],
        rules: &[],
    };
    fixed_price_quality_only: Case {
        file: "quality-only.xlsx",
        split: (0.0, 100.0),
        max: 4.0,
        weights: &[40.0, 40.0, 20.0],
        bids: &[
            ("Urquhart Research", &[3.0, 3.0, 4.0], 0.0),
            ("Vale Insight", &[4.0, 2.0, 3.0], 0.0),
            ("Wick Analytics", &[3.0, 4.0, 3.0], 0.0),
        ],
        rules: &[],
    };
    weights_and_names_that_are_formulas: Case {
        file: "formula-weights-lo.xlsx",
        split: (40.0, 60.0),
        max: 4.0,
        weights: &[40.0, 30.0, 20.0, 10.0],
        bids: &[
            ("Xander Energy", &[3.0, 2.0, 4.0, 4.0], 2_150_000.0),
            ("Yell Power", &[4.0, 3.0, 2.0, 2.0], 2_310_000.0),
            ("Zetland Heat", &[2.0, 4.0, 3.0, 3.0], 2_045_000.0),
        ],
        rules: &["scale-assumed"],
    };
    scores_on_a_percentage_scale: Case {
        file: "percent-scores.xlsx",
        split: (20.0, 80.0),
        max: 100.0,
        weights: &[60.0, 40.0],
        bids: &[("Arran Training", &[75.0, 50.0], 24_000.0), ("Barra Learning", &[100.0, 25.0], 21_600.0)],
        rules: &["few-bids"],
    };
}

const PERCENT: Case = Case {
    file: "",
    split: (30.0, 70.0),
    max: 4.0,
    weights: &[30.0, 25.0, 25.0, 20.0],
    bids: &[
        ("Alba Facilities Ltd", &[3.0, 4.0, 2.0, 3.0], 250_000.0),
        ("Bute Services plc", &[4.0, 3.0, 3.0, 2.0], 265_000.0),
        ("Clyde FM LLP", &[2.0, 2.0, 4.0, 4.0], 238_500.0),
    ],
    rules: &[],
};

const TEXT_COSTS: Case = Case {
    file: "",
    split: (40.0, 60.0),
    max: 4.0,
    weights: &[50.0, 30.0, 20.0],
    bids: &[
        ("Kelvin Fleet Ltd", &[3.0, 4.0, 2.0], 1_234_500.5),
        ("Leven Motors", &[4.0, 3.0, 3.0], 1_310_111.0),
        ("Moray Vehicles plc", &[2.0, 2.0, 4.0], 1_250_000.0),
        ("Nevis Transport", &[3.0, 3.0, 3.0], 1_240_000.0),
    ],
    rules: &["number-typed-as-text", "scale-assumed"],
};

#[test]
fn text_costs_say_which_cell_and_what_was_read() {
    let run = tenderkit(&[&"validate", &path("text-costs.xlsx")]);
    assert_eq!(run.code, 0, "{}", run.all());
    for want in [
        "Prices!B2: the amount is typed as text '£1,234,500.50'; read as 1234500.5",
        "Prices!B3: the amount is typed as text '$1,310,111.00*'; read as 1310111",
        "Prices!B4: the amount is typed as text '12,50,000'; read as 1250000",
        "Prices!B5: the amount is typed as text '1240000'; read as 1240000",
        "split: price 40 (Quality!A1 ('Quality/Price ratio 60:40')), quality 60",
    ] {
        assert!(run.all().contains(want), "expected {want:?} in:\n{}", run.all());
    }
}

#[test]
fn formulas_never_calculated_are_named_cell_by_cell() {
    let run = tenderkit(&[&"validate", &path("bid-tab-unsaved.xlsx")]);
    assert_eq!(run.code, 1, "{}", run.all());
    for cell in ["A5", "A8", "B5", "B8"] {
        let want = format!("'Bid Tabulation'!{cell} holds the formula");
        assert!(run.stdout.contains(&want), "expected {want:?} in:\n{}", run.stdout);
    }
    assert!(run.stdout.contains("save it once"), "{}", run.stdout);
    assert!(run.stdout.contains("error[formula-not-calculated]"));
}

#[test]
fn weights_written_two_ways_are_an_error_naming_the_cells() {
    let run = tenderkit(&[&"score", &path("mixed-percent.xlsx")]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stderr.contains("error[percent-mixed]")
            && run.stderr.contains("as percentages at Evaluation!C4, Evaluation!C6 and as plain numbers at Evaluation!C5, Evaluation!C7"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_split_found_is_said_and_an_inferred_half_is_a_warning() {
    let run = tenderkit(&[&"validate", &path("quality-share-lo.xlsx"), &"--json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["split"]["price"], 40.0);
    assert_eq!(v["split"]["quality"], 60.0);
    let found = v["split"]["found"].as_str().unwrap();
    assert!(found.contains("'Tender Evaluation'!A2 ('Quality share 60')") && found.contains("100 minus the other half"), "{found}");
    let inferred = v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "split-inferred").unwrap();
    assert!(inferred["message"].as_str().unwrap().contains("taken as 100 - 60 = 40"), "{inferred}");
}

#[test]
fn layout_says_what_it_found_and_what_it_did_not() {
    let run = tenderkit(&[&"layout", &path("transposed-lo.xlsx")]);
    assert_eq!(run.code, 0, "{}", run.all());
    for want in [
        "orientation = \"bidders-in-rows\"",
        "weights_row = 4",
        "bidder = \"A\"",
        "total = \"F\"",
        "quality = 70",
        "name = \"0-4\"",
        "GUESS: no scale is stated",
        "# NOT FOUND",
    ] {
        assert!(run.stdout.contains(want), "expected {want:?} in:\n{}", run.stdout);
    }
    let run = tenderkit(&[&"layout", &path("bid-tab-lo.xlsx")]);
    assert!(run.stdout.contains("# [quality]") && run.stdout.contains("NOT FOUND"), "{}", run.stdout);
    assert!(run.stdout.contains("last_row = 8"), "the estimate row is not a bid:\n{}", run.stdout);
}

#[test]
fn could_not_find_errors_point_at_the_layout_command() {
    let dir = temp();
    let blank = dir.path().join("blank.xlsx");
    let wb = tenderkit::xlsx::Workbook::open(&path("quality-only.xlsx")).unwrap();
    let mut edits = tenderkit::xlsx::Edits::default();
    for cell in ["A1", "B1", "C1", "D1", "F1", "H1"] {
        edits.set("Quality", tenderkit::xlsx::CellRef::parse(cell).unwrap(), tenderkit::xlsx::CellEdit::Text("x".into()));
    }
    for cell in ["A1", "B1"] {
        edits.set("Results", tenderkit::xlsx::CellRef::parse(cell).unwrap(), tenderkit::xlsx::CellEdit::Text("x".into()));
    }
    wb.write(&edits, &blank).unwrap();
    let run = tenderkit(&[&"score", &blank]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("tenderkit layout"), "{}", run.stderr);
    let json = tenderkit(&[&"score", &blank, &"--json"]);
    assert_eq!(json.code, 2);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["errors"], 1);
    assert_eq!(v["findings"][0]["severity"], "error");
    assert_eq!(v["findings"][0]["rule"], "sheet-not-found");
    assert!(v["findings"][0]["fix"].as_str().unwrap().contains("tenderkit layout"));
}

/// Issue 31 item 5: a criterion where less is better (risk), named in the layout file, counts the
/// scale read backwards: Acme's top risk score of 4 is worth nothing, Brill's 1 three quarters.
#[test]
fn a_lower_is_better_criterion_counts_backwards() {
    let dir = temp();
    let path = dir.path().join("risk.xlsx");
    grid_workbook(
        &path,
        "Scores",
        &[
            &[Cell::T("Criteria"), Cell::T("Weight"), Cell::T("Acme Ltd"), Cell::T("Brill plc")],
            &[Cell::T("Quality"), Cell::N(60.0), Cell::N(4.0), Cell::N(3.0)],
            &[Cell::T("Risk"), Cell::N(40.0), Cell::N(4.0), Cell::N(1.0)],
        ],
    );
    let first = |layout: Option<&str>| {
        let run = match layout {
            Some(text) => {
                let l = dir.path().join("layout.toml");
                std::fs::write(&l, text).unwrap();
                tenderkit(&[&"score", &path, &"--json", &"--layout", &l])
            }
            None => tenderkit(&[&"score", &path, &"--json"]),
        };
        assert_eq!(run.code, 0, "{}", run.all());
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let s = &json["ranking"]["standings"];
        (s[0]["bidder"].as_str().unwrap().to_string(), s[0]["quality"].as_f64().unwrap(), s[1]["quality"].as_f64().unwrap())
    };
    // Read as written: 60 + 40 = 100 for Acme, 45 + 10 = 55 for Brill.
    assert_eq!(first(None), ("Acme Ltd".to_string(), 100.0, 55.0));
    // Risk lower is better: Acme 60 + 40 x (4 - 4) / 4 = 60; Brill 45 + 40 x (4 - 1) / 4 = 75.
    assert_eq!(first(Some("[quality]\nlower_is_better = [\"Risk\"]\n")), ("Brill plc".to_string(), 75.0, 60.0));
    // `layout` writes it back: the file it writes reads the same.
    let (given, written) = (dir.path().join("layout.toml"), dir.path().join("written.toml"));
    assert_eq!(tenderkit(&[&"layout", &path, &"--layout", &given, &"-o", &written]).code, 0);
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(text.contains("lower_is_better = [\"Risk\"]"), "{text}");
    assert_eq!(first(Some(&text)), ("Brill plc".to_string(), 75.0, 60.0));
    let l = dir.path().join("wrong.toml");
    std::fs::write(&l, "[quality]\nlower_is_better = [\"Cost\"]\n").unwrap();
    let run = tenderkit(&[&"validate", &path, &"--layout", &l]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("'Cost' is not a criterion") && run.stderr.contains("Quality, Risk"), "{}", run.stderr);
}
