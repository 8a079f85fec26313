//! `rescale`: a matrix moved to another scoring scale (scores, formulas, legend, validation), with
//! the proof that no weighted score, total or rank changed.

use crate::app::{Input, workbook};
use crate::domain::Scale;
use crate::domain::Subject;
use crate::domain::rescale::{Difference, RescaleError, differences, rescale};
use crate::domain::scale::fmt_number;
use crate::domain::scoring::compute;
use crate::report::{self, Locate};
use crate::xlsx::Workbook;
use crate::xlsx::layout::LayoutFile;
use crate::xlsx::matrix::read_matrix;
use crate::xlsx::rescale::{RescalePlan, plan};
use crate::{Error, Result};

/// The new scale as a buyer writes it: "0-4", "0-100" (in 25s), "0-N", or the scores listed
/// ("0,1,3,5").
pub fn parse_scale(spec: &str) -> Result<Scale> {
    let scale = if spec.contains(',') {
        spec.split(',')
            .map(|v| v.trim().parse::<f64>().map_err(|_| format!("'{v}' is not a number")))
            .collect::<std::result::Result<Vec<_>, _>>()
            .and_then(|v| Scale::with_values(&v))
    } else {
        Scale::parse(spec)
    };
    scale.map_err(|e| Error::Usage(format!("--to: {e}")))
}

/// What `rescale` did, or why it did nothing.
pub enum Outcome {
    /// Not rescaled: what the command says (on standard error), exit 1.
    Refused(String),
    Done(Box<Rescaled>),
}

/// A matrix rescaled: the edits to write and what to report.
pub struct Rescaled {
    pub workbook: Workbook,
    pub plan: RescalePlan,
    pub from: Scale,
    pub to: Scale,
    pub factor: f64,
    pub mapped: usize,
    /// Scores between the new scale's points, to re-score: `place: old -> new`.
    pub refit: Vec<String>,
    pub differences: Vec<Difference>,
    /// The differences as the report says them (bidder, figure and place).
    changed: Vec<String>,
}

/// Rescales a matrix to `to`; `allow_fractional` writes scores that fall between its points.
pub fn run(input: &Input, layout: &LayoutFile, to: Scale, allow_fractional: bool) -> Result<Outcome> {
    let wb = workbook(input)?;
    let read = read_matrix(&wb, layout)?;
    // Before anything is worked out: a table whose scores cannot be written back.
    if let Some(q) = &read.layout.quality {
        q.writable_scores(wb.path())?;
    }
    let from = read.matrix.scale.clone();
    let place = |criterion, bid| read.layout.locate(&Subject::Score { criterion, bid }).unwrap_or_default();
    let rescaled = match rescale(&read.matrix, &to, allow_fractional) {
        Ok(r) => r,
        Err(RescaleError::Unscaleable(findings)) => {
            return Ok(Outcome::Refused(format!(
                "{}not rescaled: every score must be on the current {} scale first\n",
                report::human(&report::locate(input.path(), findings, &read.layout), 50),
                from.name()
            )));
        }
        Err(RescaleError::Fractional(cells)) => {
            let mut out = format!(
                "not rescaled: the {} scale cannot hold these scores exactly (x{}):\n",
                to.name(),
                fmt_number(to.max() / from.max())
            );
            for m in &cells {
                out += &format!("  {}: {} -> {}\n", place(m.criterion, m.bid), fmt_number(m.from), fmt_number(m.to));
            }
            out += "pass --allow-fractional to write them anyway, then re-score the cells listed\n";
            return Ok(Outcome::Refused(out));
        }
    };
    let plan = plan(&wb, &read, &rescaled)?;
    let diffs = differences(&compute(&read.matrix), &compute(&rescaled.matrix));
    let refit = rescaled
        .fractional
        .iter()
        .map(|m| format!("{}: {} -> {}", place(m.criterion, m.bid), fmt_number(m.from), fmt_number(m.to)))
        .collect();
    let changed = diffs
        .iter()
        .map(|d| {
            let what = match d.criterion {
                Some(i) => format!("{} ({})", d.what, place(i, d.bid)),
                None => d.what.to_string(),
            };
            format!("  {}: {what}: {:?} -> {:?}", read.matrix.bids[d.bid].bidder, d.before, d.after)
        })
        .collect();
    Ok(Outcome::Done(Box::new(Rescaled {
        workbook: wb,
        plan,
        from,
        to,
        factor: rescaled.factor,
        mapped: rescaled.mapped.len(),
        refit,
        differences: diffs,
        changed,
    })))
}

impl Rescaled {
    /// 0, or 1 when a figure changed or something was left for the buyer to check.
    pub fn exit(&self) -> u8 {
        u8::from(!self.plan.left_alone.is_empty() || !self.differences.is_empty())
    }

    /// `rescale --json`'s answer.
    pub fn to_json(&self, file: &str, written: &str) -> serde_json::Value {
        serde_json::json!({
            "file": file,
            "written": written,
            "from": self.from.values_text(),
            "to": self.to.values_text(),
            "factor": self.factor,
            "scores_mapped": self.mapped,
            "to_rescore": self.refit,
            "plan": self.plan,
            "differences": self.differences,
        })
    }

    /// The report `rescale` prints, ending with its proof line.
    pub fn report(&self, file: &str, written: &str) -> String {
        let plan = &self.plan;
        let mut out =
            format!("rescaled {file} from {} to {} (x{}) -> {written}\n", self.from.name(), self.to.name(), fmt_number(self.factor));
        out += &format!("  {} scores mapped\n", self.mapped);
        out += &format!(
            "  weighted-score formulas: {} already use the named maximum, {} rewritten to use ScaleMax{}\n",
            plan.named_formulas,
            plan.rewritten.len(),
            if plan.value_cells > 0 { format!(", {} cells hold values", plan.value_cells) } else { String::new() }
        );
        for (cell, old, new) in &plan.rewritten {
            out += &format!("    {cell}: {old} -> {new}\n");
        }
        out += &format!("  data-validation rules updated: {}\n", plan.validations_updated);
        match &plan.legend {
            Some(l) => out += &format!("  scale legend updated: {l}\n"),
            None => out += "  scale legend not rewritten: the scale is kept in the defined names ScaleMax and ScaleValues\n",
        }
        if !self.refit.is_empty() {
            out += &format!("  {} scores fall between the new scale's points and need re-scoring:\n", self.refit.len());
            for r in &self.refit {
                out += &format!("    {r}\n");
            }
        }
        if self.changed.is_empty() {
            out += "weighted scores unchanged: every weighted score, total and rank is the same to 1e-9\n";
        } else {
            out += "weighted scores CHANGED:\n";
            for line in &self.changed {
                out += line;
                out.push('\n');
            }
        }
        out
    }

    /// What was left for the buyer to check by hand (standard error), if anything.
    pub fn left_alone(&self) -> String {
        if self.plan.left_alone.is_empty() {
            return String::new();
        }
        let mut out = format!("left as they were ({}), check them by hand:\n", self.plan.left_alone.len());
        for l in &self.plan.left_alone {
            out += &format!("  {}: {}: {}\n", l.place, l.what, l.why);
        }
        out
    }

    /// The rescaled workbook as bytes.
    pub fn workbook_bytes(&self) -> Result<Vec<u8>> {
        self.workbook.to_bytes(&self.plan.edits)
    }
}
