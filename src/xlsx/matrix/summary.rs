//! The summary table, where totals and ranks are shown: one row per bid.

use std::collections::HashMap;

use crate::domain::{Finding, Rule, Subject, name_key};
use crate::error::Result;
use crate::xlsx::cellref::CellRef;
use crate::xlsx::headings::{SUMMARY_HEADINGS, SummaryRole, classify};
use crate::xlsx::layout::{find_header_row, headings_in_row, norm};
use crate::xlsx::matrix::{Reader, SummaryLayout};

fn summary_role(text: &str) -> Option<SummaryRole> {
    classify(SUMMARY_HEADINGS, text).map(|x| x.0)
}

/// Words in a sheet name that say it holds the results.
const SUMMARY_SHEETS: [&str; 5] = ["summary", "result", "ranking", "award", "overview"];

impl Reader<'_> {
    pub(crate) fn summary(&self, names: &[String]) -> Result<Option<SummaryLayout>> {
        let h = &self.hints.summary;
        let accept = |hs: &[(u32, SummaryRole)]| {
            hs.iter().any(|(_, x)| *x == SummaryRole::Bidder) && hs.iter().any(|(_, x)| matches!(x, SummaryRole::Total | SummaryRole::Rank))
        };
        let sheet = match &h.sheet {
            Some(s) => Some(self.wb.sheet(s).map_err(|_| self.missing_sheet("summary", s))?),
            None => self
                .wb
                .sheets()
                .iter()
                .filter(|s| s.is_worksheet && SUMMARY_SHEETS.iter().any(|w| norm(&s.name).contains(w)))
                .map(|s| self.wb.sheet(&s.name))
                .next()
                .transpose()?,
        };
        let Some(sheet) = sheet else { return Ok(None) };
        let found = match h.header_row {
            Some(row) => Some((row, headings_in_row(sheet, row, summary_role))),
            None => find_header_row(sheet, summary_role, accept),
        };
        let Some((header_row, mut headers)) = found else { return Ok(None) };
        for (kind, hint) in [
            (SummaryRole::Bidder, &h.bidder),
            (SummaryRole::Quality, &h.quality),
            (SummaryRole::QualityWeighted, &h.quality_weighted),
            (SummaryRole::Price, &h.price),
            (SummaryRole::Total, &h.total),
            (SummaryRole::Rank, &h.rank),
            (SummaryRole::BelowPassMark, &h.below_pass_mark),
            (SummaryRole::Status, &h.status),
        ] {
            if let Some(c) = self.col(hint, "summary column")? {
                headers.retain(|(_, x)| *x != kind);
                headers.push((c, kind));
            }
        }
        let mut columns: Vec<(SummaryRole, u32)> = Vec::new();
        for (c, kind) in headers {
            if !columns.iter().any(|(k, _)| *k == kind) {
                columns.push((kind, c));
            }
        }
        let Some(&(_, bidder)) = columns.iter().find(|(k, _)| *k == SummaryRole::Bidder) else { return Ok(None) };
        let mut by_name: HashMap<String, u32> = HashMap::new();
        for r in (header_row + 1..=sheet.last_row()).rev() {
            by_name.insert(name_key(&sheet.text(CellRef::new(r, bidder))), r);
        }
        let rows = names
            .iter()
            .enumerate()
            .map(|(b, name)| {
                let row = by_name.get(&name_key(name)).copied();
                if row.is_none() {
                    self.note(Finding::warning(
                        Rule::BidderMismatch,
                        Subject::Bidder { bid: b },
                        format!("bidder '{name}' has no row on {}, so its totals cannot be written there", sheet.name),
                        format!("add a row for '{name}' on {}", sheet.name),
                    ));
                }
                row
            })
            .collect();
        Ok(Some(SummaryLayout { sheet: sheet.name.clone(), header_row, columns, rows }))
    }
}
