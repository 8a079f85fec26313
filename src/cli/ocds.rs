use std::path::PathBuf;

use tenderkit::Error;
use tenderkit::domain::letters::{Opening, put_out_before_assessment};
use tenderkit::ocds::{Award, check, release_package};
use tenderkit::tender_file::load;

use super::{EXIT_FINDINGS, LayoutArg, checked_tender};

#[derive(clap::Args)]
pub struct Args {
    /// The tender definition (its ocid_prefix, organisation, bidders and criteria).
    tender: PathBuf,
    /// The scored (or moderated) matrix the award is made from.
    #[arg(long, value_name = "MATRIX.xlsx")]
    matrix: PathBuf,
    #[command(flatten)]
    layout: LayoutArg,
    /// The bidders' exclusion answers: a bid excluded on them is marked disqualified.
    #[arg(long, value_name = "RESPONSES.toml")]
    responses: Option<PathBuf>,
    #[command(flatten)]
    on: super::exclusion::DecidedOn,
    /// The tender opening board's record: a bid rejected at opening is marked disqualified.
    #[arg(long, value_name = "OPENING.toml")]
    opening: Option<PathBuf>,
    /// The award decision's date (YYYY-MM-DD); today by default.
    #[arg(long)]
    date: Option<String>,
    #[command(flatten)]
    notices: super::standstill::NoticesSent,
    /// The package's URI; `urn:ocid:<ocid>` by default.
    #[arg(long)]
    uri: Option<String>,
    /// Where to write the release package (JSON).
    #[arg(short, long, value_name = "RELEASE.json")]
    output: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    if args.output.exists() && !args.force {
        return Err(Error::OutputExists { path: args.output.clone() });
    }
    let Some(tender) = checked_tender(&args.tender)? else {
        eprintln!("no release written: fix the tender definition first");
        return Ok(EXIT_FINDINGS);
    };
    let date = match &args.date {
        Some(d) => d.parse::<chrono::NaiveDate>().map_err(|_| Error::Usage(format!("--date {d}: write the date as YYYY-MM-DD")))?,
        None => super::exclusion::today(),
    };
    let exclusions = match &args.responses {
        Some(p) => match super::exclusion::decided(&tender, p, &args.on, date, "no release written")? {
            Some(d) => d,
            None => return Ok(EXIT_FINDINGS),
        },
        None => Vec::new(),
    };
    let opening: Option<Opening> = args.opening.as_deref().map(load).transpose()?;
    let Some(evaluated) = super::evaluated::evaluated(&args.matrix, &args.layout, "no release written")? else {
        return Ok(EXIT_FINDINGS);
    };
    let standstill = args.notices.standstill(&tender, &args.tender, Some(&date.to_string()))?;
    let disqualified = put_out_before_assessment(opening.as_ref(), &exclusions);
    let evaluation = evaluated.evaluation(&tender);
    let ocid = format!("{}-{}", tender.ocid_prefix.as_deref().unwrap_or_default().trim(), tender.reference.trim());
    let award = Award {
        evaluation: &evaluation,
        disqualified: &disqualified,
        standstill: standstill.as_ref(),
        date,
        uri: args.uri.clone().unwrap_or_else(|| format!("urn:ocid:{ocid}")),
    };
    let package = match release_package(&award) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {}: {e}", args.tender.display());
            return Ok(EXIT_FINDINGS);
        }
    };
    // Never write a package the standard's schema would refuse.
    let problems = check(&package, tender.regime);
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {}: {p}", args.output.display());
        }
        eprintln!("no release written: the package does not validate against the OCDS 1.1.5 schema and its extensions");
        return Ok(EXIT_FINDINGS);
    }
    let text = serde_json::to_string_pretty(&package).expect("serialises") + "\n";
    tenderkit::fsio::write_bytes(&args.output, text.as_bytes())?;
    println!(
        "wrote {}: OCDS 1.1 release package for {ocid} ({} bids, award to {}), valid against release schema 1.1.5 with its extensions",
        args.output.display(),
        evaluated.matrix.bids.len(),
        package["releases"][0]["awards"][0]["suppliers"][0]["name"].as_str().unwrap_or_default()
    );
    Ok(0)
}
