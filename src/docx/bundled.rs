//! The Word letter templates shipped with tenderkit (built by `cargo run --example
//! make_templates` from the plain-text ones, and compiled in).

use crate::domain::letters::Kind;

pub fn docx(kind: Kind) -> &'static [u8] {
    match kind {
        Kind::Disqualification => include_bytes!("../../templates/letters/disqualification.docx"),
        Kind::Unsuccessful => include_bytes!("../../templates/letters/unsuccessful.docx"),
        Kind::Successful => include_bytes!("../../templates/letters/successful.docx"),
        Kind::SelfCleansing => include_bytes!("../../templates/letters/self-cleansing.docx"),
        Kind::LateBid => include_bytes!("../../templates/letters/late-bid.docx"),
        Kind::TenderOpeningForm => include_bytes!("../../templates/letters/tender-opening-form.docx"),
        Kind::AssessmentSummary => include_bytes!("../../templates/letters/assessment-summary.docx"),
        Kind::AbnormallyLow => include_bytes!("../../templates/letters/abnormally-low.docx"),
    }
}

pub fn text(kind: Kind) -> &'static str {
    match kind {
        Kind::Disqualification => include_str!("../../templates/letters/disqualification.txt.hbs"),
        Kind::Unsuccessful => include_str!("../../templates/letters/unsuccessful.txt.hbs"),
        Kind::Successful => include_str!("../../templates/letters/successful.txt.hbs"),
        Kind::SelfCleansing => include_str!("../../templates/letters/self-cleansing.txt.hbs"),
        Kind::LateBid => include_str!("../../templates/letters/late-bid.txt.hbs"),
        Kind::TenderOpeningForm => include_str!("../../templates/letters/tender-opening-form.txt.hbs"),
        Kind::AssessmentSummary => include_str!("../../templates/letters/assessment-summary.txt.hbs"),
        Kind::AbnormallyLow => include_str!("../../templates/letters/abnormally-low.txt.hbs"),
    }
}
