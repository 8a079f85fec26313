//! `validate`: the matrix read and checked; every finding located.

use crate::Result;
use crate::app::{Input, workbook};
use crate::domain::{Matrix, Stage, validate};
use crate::report::{self, Located, counts};
use crate::xlsx::layout::LayoutFile;
use crate::xlsx::matrix::read_matrix;

/// What `validate` found.
pub struct Validated {
    pub matrix: Matrix,
    pub findings: Vec<Located>,
    pub errors: usize,
    pub warnings: usize,
    /// The price/quality split as found (`50% price (Summary!C4)`).
    pub split: String,
}

/// Reads and checks a matrix; `complete` also requires every score and cost, as `score` does.
pub fn run(matrix: &Input, layout: &LayoutFile, complete: bool) -> Result<Validated> {
    let wb = workbook(matrix)?;
    let read = read_matrix(&wb, layout)?;
    let stage = if complete { Stage::Award } else { Stage::Draft };
    let mut findings = read.findings;
    findings.extend(validate(&read.matrix, stage));
    let located = report::locate(matrix.path(), findings, &read.layout);
    let (errors, warnings) = counts(&located);
    let split = read.layout.settings.split_text(&read.matrix.split);
    Ok(Validated { matrix: read.matrix, findings: located, errors, warnings, split })
}

impl Validated {
    /// `validate --json`'s answer.
    pub fn to_json(&self, file: &str) -> serde_json::Value {
        serde_json::json!({
            "file": file,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": self.findings,
            "split": {
                "price": self.matrix.split.price.number(),
                "quality": self.matrix.split.quality.number(),
                "found": self.split,
            },
        })
    }
}

/// `layout`: where the matrix keeps things, as the layout file a buyer corrects and passes back.
pub fn layout(matrix: &Input, hints: &LayoutFile) -> Result<String> {
    let wb = workbook(matrix)?;
    let read = read_matrix(&wb, hints)?;
    Ok(crate::xlsx::detected::layout_toml(&wb, &read))
}
