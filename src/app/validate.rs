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

/// `layout`'s answer: the layout file, or, where no table was found, a draft to fill in.
pub struct Layout {
    pub toml: String,
    /// Nothing was found: `toml` is a draft listing the sheets' headings and candidates.
    pub draft: bool,
}

/// `layout`: where the matrix keeps things, as the layout file a buyer corrects and passes back;
/// where no quality or price table was found, a draft instead of an error, so the way on is
/// always a file to fill in.
pub fn layout(matrix: &Input, hints: &LayoutFile) -> Result<Layout> {
    let wb = workbook(matrix)?;
    match read_matrix(&wb, hints) {
        Ok(read) => Ok(Layout { toml: crate::xlsx::detected::layout_toml(&wb, &read), draft: false }),
        Err(crate::Error::MissingSheet { role: "Quality or Price", .. }) if !wb.sheets().is_empty() => {
            Ok(Layout { toml: crate::xlsx::draft::draft_toml(&wb), draft: true })
        }
        Err(e) => Err(e),
    }
}
