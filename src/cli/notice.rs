use std::path::PathBuf;

use tenderkit::Error;
use tenderkit::domain::notice::{award_notice, compare};
use tenderkit::render::{Templates, tidy};
use tenderkit::report::{self, Chain};
use tenderkit::xlsx::Workbook;
use tenderkit::xlsx::matrix::read_matrix;

use super::{EXIT_FINDINGS, LayoutArg, checked_tender};

#[derive(clap::Args)]
pub struct Args {
    /// The tender definition.
    tender: PathBuf,
    /// Check first that this matrix workbook's weightings are the published ones (with --award:
    /// the scored matrix the award is made from).
    #[arg(long, value_name = "MATRIX.xlsx")]
    matrix: Option<PathBuf>,
    /// The contract award notice (needs --matrix) instead of the contract or tender notice.
    #[arg(long, requires = "matrix")]
    award: bool,
    #[command(flatten)]
    notices: super::standstill::NoticesSent,
    #[command(flatten)]
    layout: LayoutArg,
    #[command(flatten)]
    output: super::TextOutput,
    /// A folder of the buyer's edited text templates (the same file names as in templates/),
    /// used instead of the bundled ones.
    #[arg(long = "template-dir", alias = "templates", value_name = "DIR")]
    templates: Option<PathBuf>,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let Some(tender) = checked_tender(&args.tender)? else {
        eprintln!("no notice text: fix the tender definition first");
        return Ok(EXIT_FINDINGS);
    };
    let published = tender.matrix().map_err(|e| Error::Definition { path: args.tender.clone(), detail: format!("scale: {e}") })?;
    if let Some(path) = &args.matrix {
        let wb = Workbook::open(path)?;
        let read = read_matrix(&wb, &args.layout.load()?)?;
        let changed = report::locate(path, compare(&published, &read.matrix), &Chain(vec![&read.layout]));
        if !changed.is_empty() {
            eprint!("{}", report::human(&changed, 100));
            eprintln!(
                "no notice text: the workbook's criteria differ from the published tender (guidance: the advertised criteria and weightings must not be changed)"
            );
            return Ok(EXIT_FINDINGS);
        }
    }
    let templates = Templates::load(args.templates.as_deref())?;
    let text = if args.award {
        let path = args.matrix.as_deref().expect("--award requires --matrix");
        let Some(evaluated) = super::evaluated::evaluated(path, &args.layout, "no award notice")? else {
            return Ok(EXIT_FINDINGS);
        };
        // Under the Act the notice starts the standstill period: it is counted from the day the
        // notice is published (--sent, else today). In Scotland the notice follows the period.
        let today = tenderkit::fsio::now()[..10].to_string();
        let standstill = args.notices.standstill(&tender, &args.tender, Some(&today))?;
        let notice = award_notice(&evaluated.evaluation(&tender), standstill.as_ref()).map_err(|e| {
            eprintln!("error: {e}");
            e
        });
        let Ok(notice) = notice else { return Ok(EXIT_FINDINGS) };
        tidy(&templates.render("award-notice", &notice)?)
    } else {
        tenderkit::app::text::notice(&tender, &args.tender, &templates)?
    };
    args.output.put(&text)?;
    Ok(0)
}
