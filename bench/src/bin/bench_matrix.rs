//! Times the `score` pipeline (open, read, validate, compute, rank, write) on a generated matrix.
//!
//!     cargo run --release -p tenderkit-bench --bin bench_matrix -- [BIDS] [CRITERIA] [RUNS]
//!     cargo run --release -p tenderkit-bench --bin bench_matrix -- generate BIDS CRITERIA OUT.xlsx [uncached]
//!
//! Defaults: 500 bids, 200 criteria in 10 sections, 5 runs; prints each stage's median.
//! `generate` only writes a filled matrix (for `bench/run.py`, which times the whole command):
//! scored, its figures cached as Excel would have saved them; with `uncached`, its scores typed
//! by a program that does not recalculate, so every figure and check `score` writes is new.

use std::path::Path;
use std::time::{Duration, Instant};

use tenderkit::domain::tender::{BidderDef, CriterionDef, ScaleSpec, SectionDef};
use tenderkit::domain::{Commodity, Entry, Tender, scoring};
use tenderkit::xlsx::layout::LayoutFile;
use tenderkit::xlsx::matrix::read_matrix;
use tenderkit::xlsx::{CellEdit, CellRef, Edits, Workbook};

/// A generated tender: `criteria` split evenly over 10 sections, weights summing to 100.
pub fn tender(bids: usize, criteria: usize) -> Tender {
    let sections = 10.min(criteria);
    let per = criteria / sections;
    let weights = |n: usize| -> Vec<f64> {
        let base = (100.0 / n as f64 * 100.0).floor() / 100.0;
        let mut w = vec![base; n];
        w[0] = ((100.0 - base * (n - 1) as f64) * 100.0).round() / 100.0;
        w
    };
    let sw = weights(sections);
    Tender {
        title: format!("Benchmark framework ({bids} bids x {criteria} criteria)"),
        reference: "BENCH-1".into(),
        organisation: None,
        estimated_value: Some(10_000_000.0),
        commodity: Some(Commodity::Strategic),
        price_weight: 40.0,
        quality_weight: 60.0,
        scale: ScaleSpec::default(),
        minimum_quality: None,
        sections: (0..sections)
            .map(|s| {
                let n = if s == sections - 1 { criteria - per * (sections - 1) } else { per };
                let cw = weights(n);
                SectionDef {
                    name: format!("Section {}", s + 1),
                    weight: sw[s],
                    criteria: (0..n)
                        .map(|c| CriterionDef {
                            reference: format!("{}.{}", s + 1, c + 1),
                            title: format!("Criterion {}.{}", s + 1, c + 1),
                            weight: cw[c],
                            pass_mark: None,
                            minimum_standard: None,
                            outcome: None,
                        })
                        .collect(),
                }
            })
            .collect(),
        bidders: (0..bids).map(|b| BidderDef { name: format!("Bidder {:04} Ltd", b + 1), ..Default::default() }).collect(),
        procedure: Default::default(),
        above_threshold: false,
        contract_type: Default::default(),
        tender_date: None,
        notice: Default::default(),
        selection: Default::default(),
        exclusion: Default::default(),
        regime: Default::default(),
        devolved_welsh_authority: false,
        calendar: Default::default(),
        award_criteria_document: None,
        ocid_prefix: None,
        sectors: Vec::new(),
        digital: Default::default(),
        considered: Default::default(),
        price: Default::default(),
    }
}

/// Writes a filled matrix for `tender` to `out`: deterministic pseudo-random scores and costs.
pub fn filled(tender: &Tender, out: &Path, cached: bool) {
    let blank = tempfile::NamedTempFile::new().unwrap();
    let m = tender.matrix().unwrap();
    tenderkit::xlsx::create::new_matrix(tender, &m, blank.path()).unwrap();
    let wb = Workbook::open(blank.path()).unwrap();
    let mut read = read_matrix(&wb, &LayoutFile::default()).unwrap();
    let (q, p) = (read.layout.quality.as_ref().unwrap(), read.layout.price.as_ref().unwrap());
    let mut seed = 0x2545F4914F6CDD1Du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut edits = Edits::default();
    for (b, bidder) in q.bidders.iter().enumerate() {
        for (i, &row) in q.criterion_rows.iter().enumerate() {
            let s = (next() % 5) as f64;
            edits.set(&q.sheet, CellRef::new(row, bidder.score), CellEdit::Number(s));
            read.matrix.bids[b].scores[i] = Entry::Number(s);
        }
        for (k, &(_, col)) in p.components.iter().enumerate() {
            let amount = (100_000 + next() % 900_000) as f64 + (next() % 100) as f64 / 100.0;
            edits.set(&p.sheet, CellRef::new(p.rows[b].unwrap(), col), CellEdit::Number(amount));
            read.matrix.bids[b].costs[k].amount = Entry::Number(amount);
        }
    }
    if cached {
        edits.extend(read.layout.figure_edits(&wb, &read.matrix, &scoring::compute(&read.matrix)));
    }
    wb.write(&edits, out).unwrap();
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    if raw.first().map(String::as_str) == Some("generate") {
        let (bids, criteria) = (raw[1].parse().expect("bids"), raw[2].parse().expect("criteria"));
        let t = tender(bids, criteria);
        let out = std::path::Path::new(&raw[3]);
        filled(&t, out, raw.get(4).map(String::as_str) != Some("uncached"));
        std::fs::write(out.with_extension("toml"), toml::to_string(&t).expect("tender serialises")).expect("write tender");
        return;
    }
    let args: Vec<usize> = raw.iter().map(|a| a.parse().expect("numbers")).collect();
    let (bids, criteria, runs) =
        (args.first().copied().unwrap_or(500), args.get(1).copied().unwrap_or(200), args.get(2).copied().unwrap_or(5));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("matrix.xlsx");
    let t = Instant::now();
    filled(&tender(bids, criteria), &input, true);
    println!(
        "generated {bids} bids x {criteria} criteria in {:.2?} ({} KiB)",
        t.elapsed(),
        std::fs::metadata(&input).unwrap().len() / 1024
    );

    let (mut open, mut read, mut eval, mut write, mut total) = (vec![], vec![], vec![], vec![], vec![]);
    for run in 0..runs {
        let out = dir.path().join(format!("scored-{run}.xlsx"));
        let t0 = Instant::now();
        let wb = Workbook::open(&input).unwrap();
        let t1 = Instant::now();
        let r = read_matrix(&wb, &LayoutFile::default()).unwrap();
        let t2 = Instant::now();
        let (figures, ranking, _) = scoring::evaluate(&r.matrix).expect("valid");
        let t3 = Instant::now();
        wb.write(&r.layout.figure_changes(&wb, &r.matrix, &figures), &out).unwrap();
        let t4 = Instant::now();
        assert_eq!(ranking.standings.len(), bids);
        open.push(t1 - t0);
        read.push(t2 - t1);
        eval.push(t3 - t2);
        write.push(t4 - t3);
        total.push(t4 - t0);
    }
    println!(
        "score pipeline, median of {runs}: open {:.1?}, read {:.1?}, validate+compute+rank {:.1?}, write {:.1?}, total {:.1?}",
        median(open),
        median(read),
        median(eval),
        median(write),
        median(total)
    );
}
