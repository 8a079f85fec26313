//! The texts a buyer publishes from the tender definition: the contract (or tender) notice and
//! the SPD statements, each also as a Word document.

use crate::app::Input;
use crate::domain::Tender;
use crate::domain::notice::context;
use crate::domain::selection::statements;
use crate::render::{Templates, tidy};
use crate::report;
use crate::tender_file::TenderKeys;
use crate::{Error, Result};

/// A tender definition read and checked: the tender, if it has no errors, and what the check
/// says (on standard error).
pub struct Checked {
    pub tender: Option<Tender>,
    pub messages: String,
}

pub fn checked_tender(input: &Input) -> Result<Checked> {
    let tender: Tender = input.toml()?;
    let findings = tender.check().map_err(|detail| Error::Definition { path: input.path().to_path_buf(), detail })?;
    let problems = report::locate(input.path(), findings, &TenderKeys(&tender));
    let messages = if problems.is_empty() { String::new() } else { report::human(&problems, 50) };
    Ok(Checked { tender: (report::counts(&problems).0 == 0).then_some(tender), messages })
}

/// The contract notice's text (the tender notice under the Procurement Act 2023).
pub fn notice(tender: &Tender, file: &std::path::Path, templates: &Templates) -> Result<String> {
    let ctx = context(tender).map_err(|detail| Error::Definition { path: file.to_path_buf(), detail })?;
    let name = if ctx.act { "tender-notice" } else { "notice" };
    Ok(tidy(&templates.render(name, &ctx)?))
}

/// The SPD statements for the selection requirements; `None` when the tender sets none.
pub fn spd(tender: &Tender, templates: &Templates) -> Result<Option<String>> {
    let chosen = statements(tender);
    if chosen.is_empty() {
        return Ok(None);
    }
    let mut parts = Vec::new();
    for (name, data) in chosen {
        parts.push(tidy(&templates.render(name, &data)?));
    }
    Ok(Some(parts.join("\n")))
}
