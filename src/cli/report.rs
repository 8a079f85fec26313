//! `tenderkit report`: the evaluation report the award is approved on
//! (`tenderkit::app::evaluation_report`).

use std::path::PathBuf;

use chrono::NaiveDate;
use tenderkit::Error;
use tenderkit::app::evaluation_report::{Outcome, Request, gather};
use tenderkit::docx::template::Binding;

use super::{EXIT_FINDINGS, LayoutArg};

#[derive(clap::Args)]
pub struct Args {
    /// The tender definition: the requirement, procedure, criteria and regime.
    #[arg(long, value_name = "TENDER.toml")]
    tender: PathBuf,
    /// The decided matrix, moderated (`returns collect`): its panel, declarations and moderation.
    #[arg(long, value_name = "MATRIX.xlsx")]
    matrix: PathBuf,
    #[command(flatten)]
    layout: LayoutArg,
    /// The bidders' SPD exclusion answers, and how each abnormally low tender was handled
    /// (`[[abnormally_low]]`).
    #[arg(long, value_name = "RESPONSES.toml")]
    responses: Option<PathBuf>,
    #[command(flatten)]
    on: super::exclusion::DecidedOn,
    /// For the standstill dates; without --sent, the report's date.
    #[command(flatten)]
    notices: super::standstill::NoticesSent,
    /// The report's date (YYYY-MM-DD); by default today.
    #[arg(long)]
    date: Option<String>,
    /// A report template of the buyer's own (Word .docx with {{ }} or merge fields), filled
    /// instead of the bundled report; `--data` prints the fields it can use.
    #[arg(long, value_name = "TEMPLATE.docx")]
    template: Option<PathBuf>,
    /// What the template's merge fields mean: `Winner = "winner"` (TOML). A fields.toml beside
    /// the template is read without this.
    #[arg(long, value_name = "FIELDS.toml")]
    fields: Option<PathBuf>,
    /// Print the data the report is drawn from, as JSON, and write nothing.
    #[arg(long, conflicts_with = "output")]
    data: bool,
    #[command(flatten)]
    output: super::TextOutput,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let date = args
        .date
        .as_deref()
        .map(|d| d.parse::<NaiveDate>().map_err(|_| Error::Usage(format!("--date {d}: write the date as YYYY-MM-DD"))))
        .transpose()?;
    let notices = args.notices.parsed()?;
    let tender = super::input(&args.tender)?;
    let matrix = super::input(&args.matrix)?;
    let responses = args.responses.as_deref().map(super::input).transpose()?;
    let layout = args.layout.load()?;
    let request = Request {
        tender: &tender,
        matrix: &matrix,
        layout: &layout,
        responses: responses.as_ref(),
        on: args.on.parsed()?,
        sent: notices.sent,
        by: notices.by,
        date,
        today: super::exclusion::today(),
    };
    let report = match gather(&request)? {
        Outcome::Refused(said) => {
            eprint!("{said}");
            return Ok(EXIT_FINDINGS);
        }
        Outcome::Done(r) => r,
    };
    eprint!("{}", report.messages);
    if args.data {
        println!("{}", serde_json::to_string_pretty(&report.data).expect("serialises"));
        return Ok(0);
    }
    let Some(template) = &args.template else {
        args.output.put_with(&report.data.text(), || report.data.document())?;
        return Ok(0);
    };
    if !args.output.output.as_ref().is_some_and(|o| o.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx"))) {
        return Err(Error::Usage("--template fills a Word document: give -o REPORT.docx".into()));
    }
    let fields = Binding::fields_file(Some(template), args.fields.as_deref()).map(|p| super::input(&p)).transpose()?;
    let value = serde_json::to_value(&report.data).expect("serialises");
    let (bytes, warnings) = tenderkit::app::template::fill_docx(&super::input(template)?, fields.as_ref(), &value)?;
    eprint!("{warnings}");
    args.output.put_with("", || bytes)?;
    Ok(0)
}
