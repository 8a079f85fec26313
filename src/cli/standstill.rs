use std::path::{Path, PathBuf};

use tenderkit::Error;
use tenderkit::domain::Tender;
use tenderkit::domain::date::long;
use tenderkit::domain::regime::Regime;
use tenderkit::app::letters::Notices;
use tenderkit::domain::standstill::{Sending, Standstill, weekday_long};
use tenderkit::tender_file::load_tender;

#[derive(clap::Args)]
pub struct Args {
    /// The tender definition (its `regime` and `[calendar] closed` days).
    tender: PathBuf,
    #[command(flatten)]
    notices: NoticesSent,
    /// Print the dates as JSON.
    #[arg(long)]
    json: bool,
}

/// When the award was notified: the options `standstill` and `letters` share.
#[derive(clap::Args, Clone)]
pub struct NoticesSent {
    /// Scotland 2015: the day the award notices (standstill letters) are sent. Procurement Act
    /// 2023: the day the contract award notice is published. YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub sent: Option<String>,
    /// How the notices are sent (Scotland 2015): electronic (email or portal) or other (post to
    /// any bidder, which makes the period 15 days).
    #[arg(long, value_enum, value_name = "HOW")]
    pub by: Option<By>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum By {
    Electronic,
    Other,
}

impl NoticesSent {
    pub fn parsed(&self) -> tenderkit::Result<Notices> {
        let sent = self
            .sent
            .as_deref()
            .map(|d| d.parse().map_err(|_| Error::Usage(format!("--sent {d}: write the date as YYYY-MM-DD"))))
            .transpose()?;
        let by = self.by.map(|b| match b {
            By::Other => Sending::Other,
            By::Electronic => Sending::Electronic,
        });
        Ok(Notices { sent, by })
    }

    /// The standstill period for this tender, counted from `--sent` (or `default` where the
    /// letters' own date stands for it).
    pub fn standstill(&self, tender: &Tender, path: &Path, default: Option<&str>) -> tenderkit::Result<Option<Standstill>> {
        let notices = self.parsed()?;
        let sent = match (notices.sent, default) {
            (Some(s), _) => s,
            (None, Some(d)) => d.parse().map_err(|_| Error::Usage(format!("--sent {d}: write the date as YYYY-MM-DD")))?,
            (None, None) => return Ok(None),
        };
        tenderkit::app::letters::standstill(tender, &path.display().to_string(), sent, notices.by).map(Some)
    }
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let tender = load_tender(&args.tender)?;
    if args.notices.sent.is_none() {
        return Err(Error::Usage(
            "standstill needs --sent DATE: the day the notices are sent (or the contract award notice published)".into(),
        ));
    }
    let s = args.notices.standstill(&tender, &args.tender, None)?.expect("--sent given");
    if args.json {
        let json = serde_json::json!({
            "tender": tender.reference,
            "regime": tender.regime.key(),
            "sent": s.sent,
            "by": s.by,
            "ends": s.ends,
            "contract_from": s.contract_from,
            "rule": s.rule,
            "not_working": s.not_working.iter().map(|(d, why)| serde_json::json!({"date": d, "why": why})).collect::<Vec<_>>(),
            "own_wait": s.own_wait,
        });
        println!("{}", serde_json::to_string_pretty(&json).expect("serialises"));
        return Ok(0);
    }
    println!("Standstill, tender {} under {}", tender.reference, tender.regime.name());
    let what = match (tender.regime, s.by) {
        (Regime::ProcurementAct2023, _) => "Contract award notice published",
        (_, Some(Sending::Other)) => "Notices sent (not all electronically)",
        _ => "Notices sent electronically",
    };
    println!("  {what}: {}", weekday_long(s.sent));
    println!("  Rule: {}", s.rule);
    for (d, why) in &s.not_working {
        println!("  Not a working day: {}: {why}", weekday_long(*d));
    }
    println!("  Standstill ends: {}", s.ends_text());
    println!("  The law allows the contract to be entered into from: {}", weekday_long(s.contract_from));
    if let Some(own) = &s.own_wait {
        let closed: Vec<String> = own.closed.iter().map(|d| long(*d)).collect();
        println!(
            "  Your own choice, not the statutory period: with your offices closed on {}, you will wait until midnight at the end of {} and not enter into the contract before {}{}",
            closed.join(", "),
            weekday_long(own.ends),
            weekday_long(own.contract_from),
            if tender.regime == Regime::ProcurementAct2023 {
                " (a longer period the contract award notice may provide for, s.51(1)(b))"
            } else {
                ""
            }
        );
    }
    Ok(0)
}
