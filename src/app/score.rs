//! `score`: the matrix decided (moderated or not), every bid ranked or failed with its reasons,
//! and the workbook's figures as edits (with the optional chart sheet).

use crate::app::{Input, workbook};
use crate::domain::moderation::{decide, flags};
use crate::domain::scoring::{Figures, Ranking, evaluate};
use crate::domain::{Finding, Matrix};
use crate::report::{self, Chain, Located, counts};
use crate::xlsx::layout::LayoutFile;
use crate::xlsx::matrix::read_matrix;
use crate::xlsx::moderation::{AuditRow, ModerationPlaces, is_moderated, moderated_edits, read_moderation, read_panel};
use crate::xlsx::sheet_writer::{BarChart, Look, NewSheet};
use crate::xlsx::{CellEdit, CellRef, Edits, Workbook};
use crate::{Error, Result};

/// What a buyer chooses when scoring.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Where the panel agreed no score, the mean of the evaluators' scores (recorded as such).
    pub use_mean: bool,
    /// Also add the "Score chart" sheet.
    pub chart: bool,
    /// Work out the workbook's edits (the figures, the audit row); `false` only ranks.
    pub write: bool,
    /// When this is happening (RFC 3339), for the audit trail: the shell's clock, not ours.
    pub now: String,
    /// Who scored, for the audit trail (`tenderkit 0.1.0`).
    pub by: String,
}

/// What scoring decided.
pub struct Decided {
    pub matrix: Matrix,
    pub figures: Figures,
    pub ranking: Ranking,
    /// Final scores that are evaluators' means (moderated matrices with `use_mean`).
    pub by_mean: usize,
}

/// What `score` found, decided and would write.
pub struct Scored {
    pub workbook: Workbook,
    pub findings: Vec<Located>,
    /// `None` when the matrix is not valid and complete: nothing is ranked.
    pub decided: Option<Decided>,
    /// The figures (and chart, audit row) to write into a copy of the workbook.
    pub edits: Option<Edits>,
}

pub const CHART_SHEET: &str = "Score chart";

/// Scores a matrix.
pub fn run(input: &Input, layout: &LayoutFile, options: &Options) -> Result<Scored> {
    let wb = workbook(input)?;
    let mut read = read_matrix(&wb, layout)?;
    let panel = if is_moderated(&wb) { read_panel(&wb)? } else { None };
    let mods = match &panel {
        Some(p) => Some(read_moderation(&wb, &read, p)?),
        None => None,
    };
    let use_mean = options.use_mean || mods.as_ref().is_some_and(|m| m.use_mean);
    let reading_errors = read.findings.iter().any(Finding::is_error);
    let decided: std::result::Result<(Decided, Vec<Finding>), Vec<Finding>> = match (&panel, &mods) {
        (Some(p), Some(m)) => decide(p, &read.matrix, &m.moderation, use_mean)
            .map(|d| (Decided { matrix: d.matrix, figures: d.figures, ranking: d.ranking, by_mean: d.by_mean }, d.warnings)),
        _ => evaluate(&read.matrix).map(|(figures, ranking, warnings)| {
            // The scores move to what is decided (nothing reads them from `read` again here):
            // at 5,000 bids a copy was 23 MiB.
            let matrix = Matrix { bids: std::mem::take(&mut read.matrix.bids), ..read.matrix.clone() };
            (Decided { matrix, figures, ranking, by_mean: 0 }, warnings)
        }),
    };
    let places = mods.as_ref().map(|m| ModerationPlaces {
        matrix: &read.matrix,
        layout: &m.layout,
        returns: vec![None; m.sheets.len()],
        sheets: m.sheets.clone(),
        files: Vec::new(),
        workbook: input.name.clone(),
    });
    let locator: Chain = match &places {
        Some(p) => Chain(vec![p, &read.layout]),
        None => Chain(vec![&read.layout]),
    };
    let mut findings = read.findings.clone();
    let decided = match decided {
        Ok((d, warnings)) => {
            findings.extend(warnings);
            Some(d).filter(|_| !reading_errors)
        }
        Err(errors) => {
            findings.extend(errors);
            None
        }
    };
    let located = report::locate(input.path(), findings, &locator);
    let edits = match &decided {
        Some(d) if options.write => {
            let mut edits = match (&panel, mods) {
                (Some(p), Some(mut m)) => {
                    m.audit.push(AuditRow {
                        when: options.now.clone(),
                        what: "scored".into(),
                        who: options.by.clone(),
                        detail: decision_summary(d),
                        file: input.path().file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
                        sha256: input.sha256(),
                    });
                    let flagged = flags(p, &read.matrix, &m.moderation);
                    moderated_edits(&wb, &read, p, &m.moderation, &flagged, &m.audit, use_mean)?
                }
                _ => read.layout.figure_changes(&wb, &d.matrix, &d.figures),
            };
            if options.chart {
                if d.matrix.price.per_point() {
                    return Err(Error::Usage(
                        "--chart: cost per quality point has no quality part and price part to stack; the ranking is by cost per point alone"
                            .into(),
                    ));
                }
                edits.put_sheet(CHART_SHEET, chart_sheet(d));
            }
            Some(edits)
        }
        _ => None,
    };
    Ok(Scored { workbook: wb, findings: located, decided, edits })
}

impl Scored {
    /// The errors among the findings.
    pub fn errors(&self) -> usize {
        counts(&self.findings).0
    }

    /// `score --json`'s answer; `written` names the workbook written, if one was.
    pub fn to_json(&self, file: &str, written: Option<&str>) -> serde_json::Value {
        match &self.decided {
            None => serde_json::json!({ "file": file, "scored": false, "findings": self.findings }),
            Some(d) => serde_json::json!({
                "file": file,
                "scored": true,
                "ranking": d.ranking,
                "split": { "price": d.matrix.split.price.number(), "quality": d.matrix.split.quality.number() },
                // Cost per quality point: each total is £ per point, lowest first.
                "per_point": d.matrix.price.per_point(),
                "scores_by_mean": d.by_mean,
                "findings": self.findings,
                "written": written,
                // Figures the buyer typed that agree with tenderkit's in no unit: left as typed.
                "left_as_typed": written.and(self.edits.as_ref()).map_or(&[][..], |e| e.kept.as_slice()),
            }),
        }
    }

    /// The scored workbook as bytes (the edits applied to a copy).
    pub fn workbook_bytes(&self) -> Result<Option<Vec<u8>>> {
        self.edits.as_ref().map(|e| self.workbook.to_bytes(e)).transpose()
    }
}

/// One line for the audit trail.
fn decision_summary(d: &Decided) -> String {
    let meat: Vec<&str> =
        d.ranking.meat.iter().filter_map(|&b| d.ranking.standings.iter().find(|s| s.bid == b)).map(|s| s.bidder.as_str()).collect();
    let mut parts = vec![match meat.as_slice() {
        [] => "no bid passes".to_string(),
        [one] => format!("MEAT: {one} (total {})", crate::domain::figure::Two(d.ranking.standings[0].total)),
        many => format!("tie for first: {}", many.join(", ")),
    }];
    parts.push(format!("{} bids ranked, {} failed", d.ranking.standings.len(), d.ranking.failed.len()));
    if d.by_mean > 0 {
        parts.push(format!("{} final scores are evaluators' means (--use-mean)", d.by_mean));
    }
    parts.join("; ")
}

/// The sheet `--chart` adds: each bid's quality part and price part, and a stacked bar chart of
/// them (a failed bid is labelled so and has no price part). The figures are values as scored
/// now: scoring again with --chart rewrites the sheet.
fn chart_sheet(d: &Decided) -> NewSheet {
    let mut s = NewSheet::default();
    s.text(CellRef::new(1, 1), "Each bid's total as scored by tenderkit: score --chart writes this sheet again", Look::Plain);
    for (col, h) in ["Bidder", "Quality (weighted)", "Price score", "Total"].iter().enumerate() {
        s.text(CellRef::new(3, col as u32 + 1), *h, Look::Heading);
    }
    let n = d.matrix.bids.len() as u32;
    for (b, (bid, f)) in d.matrix.bids.iter().zip(&d.figures.bids).enumerate() {
        let row = 4 + b as u32;
        let name = bid.bidder.trim();
        s.text(CellRef::new(row, 1), if f.passed() { name.to_string() } else { format!("{name} (failed: not ranked)") }, Look::Plain);
        s.set(CellRef::new(row, 2), CellEdit::Number(f.quality_weighted), Look::Plain);
        if let Some(p) = f.price_score.filter(|_| f.passed()) {
            s.set(CellRef::new(row, 3), CellEdit::Number(p), Look::Plain);
        }
        if let Some(t) = f.total {
            s.set(CellRef::new(row, 4), CellEdit::Number(t), Look::Plain);
        }
    }
    let last = 3 + n.max(1);
    let name = format!("'{CHART_SHEET}'");
    s.chart(BarChart {
        title: "Total score: quality part and price part".into(),
        categories: format!("{name}!$A$4:$A${last}"),
        series: vec![("Quality part".into(), format!("{name}!$B$4:$B${last}")), ("Price part".into(), format!("{name}!$C$4:$C${last}"))],
        // Below the table, as wide as it: the sheet prints on one portrait page.
        from: CellRef::new(last + 2, 1),
        to: CellRef::new(last + 24, 5),
    });
    s.width(1, 40.0);
    for col in 2..=4 {
        s.width(col, 14.0);
    }
    s
}
