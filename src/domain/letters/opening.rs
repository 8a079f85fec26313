//! The tender opening board's record (guidance, "Tender Opening Board Checklist", "Opening of
//! Tenders", "Late Bids"): what the late-bid and disqualification letters and the opening form
//! are written from.

use serde::{Deserialize, Serialize};

use super::{Kind, TenderInfo, tender_info};
use crate::domain::Tender;

/// One tender as the opening board recorded it (guidance, "Tender Opening Board Checklist").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opened {
    pub bidder: String,
    /// When it arrived, as recorded (`2026-12-03 15:20`).
    pub received: String,
    #[serde(default = "yes")]
    pub signed_and_dated: bool,
    #[serde(default = "yes")]
    pub price_schedule_complete: bool,
    #[serde(default = "yes")]
    pub conditions_unaltered: bool,
    /// Omissions recorded in writing.
    #[serde(default)]
    pub omissions: String,
    #[serde(default)]
    pub late: bool,
    /// For a late tender: accepted into the competition or rejected.
    #[serde(default)]
    pub late_accepted: Option<bool>,
    #[serde(default)]
    pub late_reason: String,
}

fn yes() -> bool {
    true
}

/// `opening.toml`: the tender opening board's record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    /// When the tenders were opened (`2026-12-04 14:00`).
    pub opened: String,
    /// The deadline for tenders.
    pub deadline: String,
    /// At least two members of staff (guidance: the board has at least two).
    pub board: Vec<String>,
    pub tenders: Vec<Opened>,
}

impl Opened {
    /// Reasons this tender fails the opening checklist.
    pub fn failures(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.late && self.late_accepted != Some(true) {
            out.push(format!(
                "the tender arrived after the deadline (received {}) and was not accepted into the competition",
                self.received
            ));
        }
        if !self.signed_and_dated {
            out.push("the tender was not signed and dated".into());
        }
        if !self.price_schedule_complete {
            out.push("the price schedule was not completed in accordance with the instructions in the Invitation to Tender".into());
        }
        if !self.conditions_unaltered {
            out.push("the conditions of contract issued with the Invitation to Tender were amended, altered or replaced".into());
        }
        out
    }
}

/// The opening board's record as one document's data.
#[derive(Clone, Debug, Serialize)]
pub struct OpeningForm {
    pub kind: Kind,
    pub date: String,
    pub tender: TenderInfo,
    pub opened: String,
    pub deadline: String,
    pub board: Vec<String>,
    pub tenders: Vec<OpenedLine>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct OpenedLine {
    pub bidder: String,
    pub received: String,
    pub signed_and_dated: String,
    pub price_schedule_complete: String,
    pub conditions_unaltered: String,
    pub late: String,
    pub omissions: String,
}

/// The opening board's record.
pub fn opening_form(date: &str, tender: &Tender, o: &Opening) -> OpeningForm {
    let yn = |b: bool| if b { "Yes" } else { "No" }.to_string();
    OpeningForm {
        kind: Kind::TenderOpeningForm,
        date: date.to_string(),
        tender: tender_info(tender, None),
        opened: o.opened.clone(),
        deadline: o.deadline.clone(),
        board: o.board.clone(),
        tenders: o
            .tenders
            .iter()
            .map(|t| OpenedLine {
                bidder: t.bidder.clone(),
                received: t.received.clone(),
                signed_and_dated: yn(t.signed_and_dated),
                price_schedule_complete: yn(t.price_schedule_complete),
                conditions_unaltered: yn(t.conditions_unaltered),
                late: if t.late {
                    if t.late_accepted == Some(true) { "Late: accepted".into() } else { "Late: rejected".into() }
                } else {
                    "No".into()
                },
                omissions: t.omissions.clone(),
            })
            .collect(),
    }
}

/// Fewer than two board members is not a board (guidance, "Opening of Tenders").
pub fn check_opening(o: &Opening) -> Option<String> {
    (o.board.len() < 2).then(|| {
        format!("the tender opening board has {} member(s); the guidance says it has at least two members of staff", o.board.len())
    })
}
