use std::path::PathBuf;

use tenderkit::domain::moderation::{decide, flags};
use tenderkit::domain::money::fmt_money;
use tenderkit::domain::scale::fmt_number;
use tenderkit::domain::scoring::{Figures, Ranking, evaluate};
use tenderkit::domain::{Finding, Matrix};
use tenderkit::fsio::{now, sha256_file};
use tenderkit::report::{self, Chain, counts};
use tenderkit::xlsx::matrix::read_matrix;
use tenderkit::xlsx::moderation::{AuditRow, ModerationPlaces, is_moderated, moderated_edits, read_moderation, read_panel};
use tenderkit::xlsx::sheet_writer::{BarChart, Look, NewSheet};
use tenderkit::xlsx::{CellEdit, CellRef, Workbook};

use super::{EXIT_FINDINGS, LayoutArg, WorkbookOutput};

#[derive(clap::Args)]
pub struct Args {
    /// The matrix workbook.
    matrix: PathBuf,
    #[command(flatten)]
    out: WorkbookOutput,
    #[command(flatten)]
    layout: LayoutArg,
    /// Where the panel agreed no score, use the mean of the evaluators' scores (recorded as such).
    #[arg(long)]
    use_mean: bool,
    /// Print the ranking and findings as JSON.
    #[arg(long)]
    json: bool,
    /// Also add a "Score chart" sheet: a stacked bar per bid (quality part and price part of its
    /// total). Never added unless asked; needs -o or --in-place.
    #[arg(long)]
    chart: bool,
}

/// What scoring decided.
struct Decided {
    matrix: Matrix,
    figures: Figures,
    ranking: Ranking,
    warnings: Vec<Finding>,
    /// Final scores that are evaluators' means (moderated matrices with --use-mean).
    by_mean: usize,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    if args.chart && args.out.output.is_none() && !args.out.in_place {
        return Err(tenderkit::Error::Usage("--chart adds a sheet to the workbook written: give -o OUT.xlsx or --in-place".into()));
    }
    let out = args.out.destination(&args.matrix)?;
    let hints = args.layout.load()?;
    let wb = Workbook::open(&args.matrix)?;
    let read = read_matrix(&wb, &hints)?;
    let panel = if is_moderated(&wb) { read_panel(&wb)? } else { None };
    let mods = match &panel {
        Some(p) => Some(read_moderation(&wb, &read, p)?),
        None => None,
    };
    let use_mean = args.use_mean || mods.as_ref().is_some_and(|m| m.use_mean);
    let reading_errors = read.findings.iter().any(Finding::is_error);
    let decided: Result<Decided, Vec<Finding>> = match (&panel, &mods) {
        (Some(p), Some(m)) => decide(p, &read.matrix, &m.moderation, use_mean).map(|d| Decided {
            matrix: d.matrix,
            figures: d.figures,
            ranking: d.ranking,
            warnings: d.warnings,
            by_mean: d.by_mean,
        }),
        _ => evaluate(&read.matrix).map(|(figures, ranking, warnings)| Decided {
            matrix: read.matrix.clone(),
            figures,
            ranking,
            warnings,
            by_mean: 0,
        }),
    };
    let places = mods.as_ref().map(|m| ModerationPlaces {
        matrix: &read.matrix,
        layout: &m.layout,
        returns: vec![None; m.sheets.len()],
        sheets: m.sheets.clone(),
        files: Vec::new(),
        workbook: args.matrix.display().to_string(),
    });
    let locator: Chain = match &places {
        Some(p) => Chain(vec![p, &read.layout]),
        None => Chain(vec![&read.layout]),
    };
    let mut findings = read.findings.clone();
    let decided = match decided {
        Ok(d) if !reading_errors => {
            findings.extend(d.warnings.clone());
            Some(d)
        }
        Ok(d) => {
            findings.extend(d.warnings);
            None
        }
        Err(errors) => {
            findings.extend(errors);
            None
        }
    };
    let located = report::locate(&args.matrix, findings, &locator);
    let Some(d) = decided else {
        if args.json {
            let json = serde_json::json!({ "file": args.matrix.display().to_string(), "scored": false, "findings": located });
            println!("{}", serde_json::to_string_pretty(&json).expect("serialises"));
        } else {
            eprint!("{}", report::human(&located, 50));
            eprintln!("not scored: the matrix must be valid and complete before bids are ranked");
        }
        return Ok(EXIT_FINDINGS);
    };
    let mut written = None;
    if let Some(o) = &out {
        let edits = match (&panel, mods) {
            (Some(p), Some(mut m)) => {
                m.audit.push(AuditRow {
                    when: now(),
                    what: "scored".into(),
                    who: format!("tenderkit {}", env!("CARGO_PKG_VERSION")),
                    detail: decision_summary(&d),
                    file: args.matrix.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
                    sha256: sha256_file(&args.matrix)?,
                });
                let flagged = flags(p, &read.matrix, &m.moderation);
                moderated_edits(&wb, &read, p, &m.moderation, &flagged, &m.audit, use_mean)
            }
            _ => read.layout.figure_edits(&wb, &d.matrix, &d.figures),
        };
        let mut edits = edits;
        if args.chart {
            if d.matrix.price.per_point() {
                return Err(tenderkit::Error::Usage(
                    "--chart: cost per quality point has no quality part and price part to stack; the ranking is by cost per point alone"
                        .into(),
                ));
            }
            edits.put_sheet(CHART_SHEET, chart_sheet(&d));
        }
        wb.write(&edits, o)?;
        written = Some((o.path.clone(), edits.len()));
    }
    if args.json {
        let json = serde_json::json!({
            "file": args.matrix.display().to_string(),
            "scored": true,
            "ranking": d.ranking,
            "split": { "price": d.matrix.split.price.number(), "quality": d.matrix.split.quality.number() },
            // Cost per quality point: each total is £ per point, lowest first.
            "per_point": d.matrix.price.per_point(),
            "scores_by_mean": d.by_mean,
            "findings": located,
            "written": written.as_ref().map(|(p, _)| p.display().to_string()),
        });
        println!("{}", serde_json::to_string_pretty(&json).expect("serialises"));
    } else {
        if !located.is_empty() {
            eprint!("{}", report::human(&located, 50));
        }
        print!("{}", table(&d.ranking, &d.matrix));
        if d.by_mean > 0 {
            println!(
                "\nNote: {} of {} final scores are the mean of the evaluators' scores, not an agreed score (--use-mean); this is recorded in the Moderation and Audit sheets.",
                d.by_mean,
                d.matrix.criterion_count() * d.matrix.bids.len()
            );
        }
        if let Some((p, n)) = written {
            println!("wrote {} ({n} figures cached beside their formulas)", p.display());
        }
    }
    let (errors, _) = counts(&located);
    Ok(if errors > 0 { EXIT_FINDINGS } else { 0 })
}

/// One line for the audit trail.
fn decision_summary(d: &Decided) -> String {
    let meat: Vec<&str> =
        d.ranking.meat.iter().filter_map(|&b| d.ranking.standings.iter().find(|s| s.bid == b)).map(|s| s.bidder.as_str()).collect();
    let mut parts = vec![match meat.as_slice() {
        [] => "no bid passes".to_string(),
        [one] => format!("MEAT: {one} (total {:.2})", d.ranking.standings[0].total),
        many => format!("tie for first: {}", many.join(", ")),
    }];
    parts.push(format!("{} bids ranked, {} failed", d.ranking.standings.len(), d.ranking.failed.len()));
    if d.by_mean > 0 {
        parts.push(format!("{} final scores are evaluators' means (--use-mean)", d.by_mean));
    }
    parts.join("; ")
}

fn table(r: &Ranking, m: &tenderkit::domain::Matrix) -> String {
    let q = m.split.quality.number().unwrap_or(0.0);
    let p = m.split.price.number().unwrap_or(0.0);
    let per_point = m.price.per_point();
    // A lowest-price award has no quality columns; a fixed-price (quality-only) one no price columns.
    let with_quality = m.criterion_count() > 0;
    let with_price = m.bids.iter().any(|b| !b.costs.is_empty());
    let shown = |s: &tenderkit::domain::scoring::Standing| if s.abnormally_low { format!("{} *", s.bidder) } else { s.bidder.clone() };
    let width = r.standings.iter().map(|s| shown(s).chars().count()).max().unwrap_or(6).max(6);
    let mut out = format!("{:<5} {:<width$}", "Rank", "Bidder");
    if with_quality {
        out += &format!("  {:>11}  {:>12}", "Quality/100", if per_point { String::new() } else { format!("Quality {}%", fmt_number(q)) });
    }
    if with_price {
        out += &format!("  {:>16}  {:>11}", "Whole-life cost", if per_point { String::new() } else { format!("Price {}%", fmt_number(p)) });
    }
    out += &format!("  {:>7}\n", if per_point { "£ per quality point" } else { "Total" });
    for s in &r.standings {
        let rank = if s.tied { format!("{}=", s.rank) } else { s.rank.to_string() };
        out += &format!("{:<5} {:<width$}", rank, shown(s));
        if with_quality {
            let weighted = if per_point { String::new() } else { format!("{:.2}", s.quality_weighted) };
            out += &format!("  {:>11.2}  {:>12}", s.quality, weighted);
        }
        if with_price {
            let score = if per_point { String::new() } else { format!("{:.2}", s.price_score) };
            out += &format!("  {:>16}  {:>11}", fmt_money(s.whole_life_cost), score);
        }
        out += &if per_point { format!("  {:>19}\n", fmt_money(s.total)) } else { format!("  {:>7.2}\n", s.total) };
    }
    if r.standings.iter().any(|s| s.abnormally_low) {
        out += &format!(
            "* abnormally low ({}): ask the bidder to explain the price before the award; the flag never rejects a bid.\n",
            m.price.abnormally_low_rule()
        );
    }
    let names: Vec<&str> = r.meat.iter().map(|&b| r.standings.iter().find(|s| s.bid == b).map_or("", |s| s.bidder.as_str())).collect();
    match names.as_slice() {
        [] => out += "\nNo bid passes: there is no Most Economically Advantageous Tender.\n",
        [one] if per_point => {
            out += &format!("\nMost Economically Advantageous Tender: {one} ({} per quality point)\n", fmt_money(r.standings[0].total))
        }
        [one] => out += &format!("\nMost Economically Advantageous Tender: {one} (total {:.2})\n", r.standings[0].total),
        many => {
            out += &format!(
                "\nNo single Most Economically Advantageous Tender: {} are tied on {:.2} (equal to six decimal places).\nResolve the tie by the method published in the ITT before award.\n",
                many.join(" and "),
                r.standings[0].total
            )
        }
    }
    for group in r.standings.iter().filter(|s| s.tied && s.rank > 1).map(|s| s.rank).collect::<std::collections::BTreeSet<_>>() {
        let tied: Vec<&str> = r.standings.iter().filter(|s| s.rank == group).map(|s| s.bidder.as_str()).collect();
        out += &format!("Tie at rank {group}: {}\n", tied.join(", "));
    }
    if !r.failed.is_empty() {
        out += &format!("\nFailed, not ranked ({}):\n", r.failed.len());
        for f in &r.failed {
            out += &format!("  {} (quality {:.2}):\n", f.bidder, f.quality);
            for reason in &f.reasons {
                out += &format!("    - {reason}\n");
            }
        }
    }
    out
}

const CHART_SHEET: &str = "Score chart";

/// The sheet `--chart` adds: each bid's quality part and price part, and a stacked bar chart of
/// them (a failed bid is labelled so and has no price part). The figures are values as scored
/// now: scoring again with --chart rewrites the sheet.
fn chart_sheet(d: &Decided) -> NewSheet {
    let mut s = NewSheet::default();
    s.text(CellRef::new(1, 1), "Each bid's total as scored by tenderkit: score --chart writes this sheet again", Look::Plain);
    for (col, h) in ["Bidder", "Quality (weighted)", "Price score", "Total"].iter().enumerate() {
        s.text(CellRef::new(3, col as u32 + 1), *h, Look::Heading);
    }
    let n = d.matrix.bids.len() as u32;
    for (b, (bid, f)) in d.matrix.bids.iter().zip(&d.figures.bids).enumerate() {
        let row = 4 + b as u32;
        let name = bid.bidder.trim();
        s.text(CellRef::new(row, 1), if f.passed() { name.to_string() } else { format!("{name} (failed: not ranked)") }, Look::Plain);
        s.set(CellRef::new(row, 2), CellEdit::Number(f.quality_weighted), Look::Plain);
        if let Some(p) = f.price_score.filter(|_| f.passed()) {
            s.set(CellRef::new(row, 3), CellEdit::Number(p), Look::Plain);
        }
        if let Some(t) = f.total {
            s.set(CellRef::new(row, 4), CellEdit::Number(t), Look::Plain);
        }
    }
    let last = 3 + n.max(1);
    let name = format!("'{CHART_SHEET}'");
    s.chart(BarChart {
        title: "Total score: quality part and price part".into(),
        categories: format!("{name}!$A$4:$A${last}"),
        series: vec![("Quality part".into(), format!("{name}!$B$4:$B${last}")), ("Price part".into(), format!("{name}!$C$4:$C${last}"))],
        // Below the table, as wide as it: the sheet prints on one portrait page.
        from: CellRef::new(last + 2, 1),
        to: CellRef::new(last + 24, 5),
    });
    s.width(1, 40.0);
    for col in 2..=4 {
        s.width(col, 14.0);
    }
    s
}
