use std::path::PathBuf;

use tenderkit::domain::money::fmt_money;
use tenderkit::domain::scale::fmt_number;
use tenderkit::domain::scoring::{Ranking, evaluate};
use tenderkit::fsio::check_output;
use tenderkit::report::{self, counts};
use tenderkit::xlsx::Workbook;
use tenderkit::xlsx::matrix::read_matrix;

use super::{EXIT_FINDINGS, LayoutArg};

#[derive(clap::Args)]
pub struct Args {
    /// The matrix workbook.
    matrix: PathBuf,
    /// Write the scored workbook here (figures cached beside their formulas).
    #[arg(short, long, value_name = "OUT.xlsx")]
    output: Option<PathBuf>,
    /// Update the matrix workbook itself.
    #[arg(long, conflicts_with = "output")]
    in_place: bool,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    layout: LayoutArg,
    /// Print the ranking and findings as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let out = match (&args.output, args.in_place) {
        (Some(o), _) => Some(o.clone()),
        (None, true) => Some(args.matrix.clone()),
        (None, false) => None,
    };
    if let Some(o) = &out {
        check_output(&args.matrix, o, args.in_place, args.force)?;
    }
    let hints = args.layout.load()?;
    let wb = Workbook::open(&args.matrix)?;
    let read = read_matrix(&wb, &hints)?;
    let mut findings = read.findings.clone();
    let evaluated = match evaluate(&read.matrix) {
        Ok((figures, ranking, warnings)) if !findings.iter().any(|f| f.is_error()) => {
            findings.extend(warnings);
            Some((figures, ranking))
        }
        Ok((_, _, warnings)) => {
            findings.extend(warnings);
            None
        }
        Err(errors) => {
            findings.extend(errors);
            None
        }
    };
    let located = report::locate(&args.matrix, findings, &read.layout);
    let Some((figures, ranking)) = evaluated else {
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
        let edits = read.layout.figure_edits(&read.matrix, &figures);
        wb.write(&edits, o)?;
        written = Some((o.clone(), edits.len()));
    }
    if args.json {
        let json = serde_json::json!({
            "file": args.matrix.display().to_string(),
            "scored": true,
            "ranking": ranking,
            "findings": located,
            "written": written.as_ref().map(|(p, _)| p.display().to_string()),
        });
        println!("{}", serde_json::to_string_pretty(&json).expect("serialises"));
    } else {
        if !located.is_empty() {
            eprint!("{}", report::human(&located, 50));
        }
        print!("{}", table(&ranking, &read.matrix));
        if let Some((p, n)) = written {
            println!("wrote {} ({n} figures cached beside their formulas)", p.display());
        }
    }
    let (errors, _) = counts(&located);
    Ok(if errors > 0 { EXIT_FINDINGS } else { 0 })
}

fn table(r: &Ranking, m: &tenderkit::domain::Matrix) -> String {
    let q = m.split.quality.number().unwrap_or(0.0);
    let p = m.split.price.number().unwrap_or(0.0);
    let width = r.standings.iter().map(|s| s.bidder.chars().count()).max().unwrap_or(6).max(6);
    let mut out = format!(
        "{:<5} {:<width$}  {:>11}  {:>12}  {:>16}  {:>11}  {:>7}\n",
        "Rank",
        "Bidder",
        "Quality/100",
        format!("Quality {}%", fmt_number(q)),
        "Whole-life cost",
        format!("Price {}%", fmt_number(p)),
        "Total"
    );
    for s in &r.standings {
        let rank = if s.tied { format!("{}=", s.rank) } else { s.rank.to_string() };
        out += &format!(
            "{:<5} {:<width$}  {:>11.2}  {:>12.2}  {:>16}  {:>11.2}  {:>7.2}\n",
            rank,
            s.bidder,
            s.quality,
            s.quality_weighted,
            fmt_money(s.whole_life_cost),
            s.price_score,
            s.total
        );
    }
    let names: Vec<&str> = r.meat.iter().map(|&b| r.standings.iter().find(|s| s.bid == b).map_or("", |s| s.bidder.as_str())).collect();
    match names.as_slice() {
        [] => out += "\nNo bid passes: there is no Most Economically Advantageous Tender.\n",
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
