use std::path::PathBuf;

use tenderkit::app::score;
use tenderkit::domain::figure::Two;
use tenderkit::domain::scale::fmt_number;
use tenderkit::domain::scoring::Ranking;
use tenderkit::fsio::now;
use tenderkit::report;

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

pub fn run(args: Args) -> tenderkit::Result<u8> {
    if args.chart && args.out.output.is_none() && !args.out.in_place {
        return Err(tenderkit::Error::Usage("--chart adds a sheet to the workbook written: give -o OUT.xlsx or --in-place".into()));
    }
    let out = args.out.destination(&args.matrix)?;
    let hints = args.layout.load()?;
    let matrix = super::input(&args.matrix)?;
    let options = score::Options {
        use_mean: args.use_mean,
        chart: args.chart,
        write: out.is_some(),
        now: now(),
        by: format!("tenderkit {}", env!("CARGO_PKG_VERSION")),
    };
    let mut scored = score::run(&matrix, &hints, &options)?;
    let Some(d) = &scored.decided else {
        if args.json {
            println!("{}", serde_json::to_string_pretty(&scored.to_json(&matrix.name, None)).expect("serialises"));
        } else {
            eprint!("{}", report::human(&scored.findings, 50));
            eprintln!("not scored: the matrix must be valid and complete before bids are ranked");
        }
        return Ok(EXIT_FINDINGS);
    };
    let mut written = None;
    if let (Some(o), Some(edits)) = (&out, &scored.edits) {
        let changed = scored.workbook.write(edits, o)?;
        written = Some((o.path.clone(), changed));
    }
    // The answer is made of what was decided, not of the cells.
    scored.workbook.let_go_of_sheets();
    if args.json {
        let name = written.as_ref().map(|(p, _)| p.display().to_string());
        println!("{}", serde_json::to_string_pretty(&scored.to_json(&matrix.name, name.as_deref())).expect("serialises"));
    } else {
        if !scored.findings.is_empty() {
            eprint!("{}", report::human(&scored.findings, 50));
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
            match n {
                0 => println!("wrote {} (no cell changed: every figure was already saved as computed)", p.display()),
                n => println!("wrote {} ({n} cells changed; every other cell as it was)", p.display()),
            }
            if let Some(kept) = scored.edits.as_ref().map(|e| &e.kept).filter(|k| !k.is_empty()) {
                let shown: Vec<&str> = kept.iter().take(6).map(String::as_str).collect();
                let more = if kept.len() > shown.len() { format!(" and {} more", kept.len() - shown.len()) } else { String::new() };
                println!(
                    "left as typed: {}{more} (figures typed in the workbook that agree with tenderkit's in no unit; check them by hand)",
                    shown.join(", ")
                );
            }
        }
    }
    Ok(if scored.errors() > 0 { EXIT_FINDINGS } else { 0 })
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
    out += &format!("  {:>7}\n", if per_point { format!("{} per quality point", m.price.currency.symbol().trim()) } else { "Total".into() });
    for s in &r.standings {
        let rank = if s.tied { format!("{}=", s.rank) } else { s.rank.to_string() };
        out += &format!("{:<5} {:<width$}", rank, shown(s));
        if with_quality {
            let weighted = if per_point { String::new() } else { Two(s.quality_weighted).to_string() };
            out += &format!("  {:>11}  {:>12}", Two(s.quality), weighted);
        }
        if with_price {
            let score = if per_point { String::new() } else { Two(s.price_score).to_string() };
            out += &format!("  {:>16}  {:>11}", m.price.currency.fmt(s.whole_life_cost), score);
        }
        out += &if per_point { format!("  {:>19}\n", m.price.currency.fmt(s.total)) } else { format!("  {:>7}\n", Two(s.total)) };
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
            out += &format!("\nMost Economically Advantageous Tender: {one} ({} per quality point)\n", m.price.currency.fmt(r.standings[0].total))
        }
        [one] => out += &format!("\nMost Economically Advantageous Tender: {one} (total {})\n", Two(r.standings[0].total)),
        many => {
            out += &format!(
                "\nNo single Most Economically Advantageous Tender: {} are tied on {} (equal to six decimal places).\nResolve the tie by the method published in the ITT before award.\n",
                many.join(" and "),
                Two(r.standings[0].total)
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
            out += &format!("  {} (quality {}):\n", f.bidder, Two(f.quality));
            for reason in &f.reasons {
                out += &format!("    - {reason}\n");
            }
        }
    }
    out
}
