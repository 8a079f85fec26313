//! `validate`: the matrix read and checked; every finding located.

use crate::Result;
use crate::app::{Input, workbook};
use crate::domain::{Matrix, Stage, validate};
use crate::report::{self, Located, counts};
use crate::xlsx::layout::LayoutFile;
use crate::xlsx::matrix::{ReadMatrix, read_matrix};
use crate::xlsx::workbook::Workbook;

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
    Ok(validated(matrix, read_matrix(&wb, layout)?, complete))
}

/// `run` and [`layout`] on one reading of the matrix (the page asks for both at once, and at 500
/// bids a reading is most of the work); where the matrix cannot be read, each says why as it
/// would alone.
pub fn run_and_layout(matrix: &Input, hints: &LayoutFile, complete: bool) -> (Result<Validated>, Result<Layout>) {
    let wb = match workbook(matrix) {
        Ok(wb) => wb,
        Err(e) => return (Err(e), layout(matrix, hints)),
    };
    match read_matrix(&wb, hints) {
        Ok(read) => {
            let layout = detected(&wb, &read);
            (Ok(validated(matrix, read, complete)), Ok(layout))
        }
        // The layout's answer from a second reading, for an error of its own: the sheets the
        // first one parsed are kept, and it stopped where this one will.
        Err(e) => (Err(e), laid_out(&wb, read_matrix(&wb, hints))),
    }
}

fn validated(matrix: &Input, read: ReadMatrix, complete: bool) -> Validated {
    let stage = if complete { Stage::Award } else { Stage::Draft };
    let mut findings = read.findings;
    findings.extend(validate(&read.matrix, stage));
    let located = report::locate(matrix.path(), findings, &read.layout);
    let (errors, warnings) = counts(&located);
    let split = read.layout.settings.split_text(&read.matrix.split);
    Validated { matrix: read.matrix, findings: located, errors, warnings, split }
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
    laid_out(&wb, read_matrix(&wb, hints))
}

fn laid_out(wb: &Workbook, read: Result<ReadMatrix>) -> Result<Layout> {
    match read {
        Ok(read) => Ok(detected(wb, &read)),
        Err(crate::Error::MissingSheet { role: "Quality or Price", .. }) if !wb.sheets().is_empty() => {
            Ok(Layout { toml: crate::xlsx::draft::draft_toml(wb), draft: true })
        }
        Err(e) => Err(e),
    }
}

fn detected(wb: &Workbook, read: &ReadMatrix) -> Layout {
    Layout { toml: crate::xlsx::detected::layout_toml(wb, read), draft: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_reading_answers_as_validate_and_layout_do_apart() {
        let example = |f: &str| std::fs::read(format!("{}/examples/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let detect = LayoutFile::default();
        let nowhere: LayoutFile = toml::from_str("[quality]\nsheet = \"Nowhere\"\n").unwrap();
        // Each case, and what it gives: validated or not, and a layout read, a draft, or none.
        for (name, bytes, hints, validates, layout_is) in [
            ("matrix.xlsx", example("matrix.xlsx"), &detect, true, Some(false)),
            ("moderated.xlsx", example("moderated.xlsx"), &detect, true, Some(false)),
            // No table found: the layout is a draft, validate an error.
            ("return.xlsx", example("returns/eilidh-fraser-quality.xlsx"), &detect, false, Some(true)),
            // A sheet named that is not there: an error from each.
            ("matrix.xlsx", example("matrix.xlsx"), &nowhere, false, None),
            ("not.xlsx", b"PK no zip".to_vec(), &detect, false, None),
        ] {
            let input = Input::new(name, bytes);
            let (v, l) = run_and_layout(&input, hints, false);
            assert_eq!(v.is_ok(), validates, "{name}");
            assert_eq!(l.as_ref().ok().map(|l| l.draft), layout_is, "{name}");
            match (v, run(&input, hints, false)) {
                (Ok(a), Ok(b)) => assert_eq!(a.to_json(name), b.to_json(name), "{name}"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
                _ => panic!("{name}: validated one way and not the other"),
            }
            match (l, layout(&input, hints)) {
                (Ok(a), Ok(b)) => assert_eq!((a.toml, a.draft), (b.toml, b.draft), "{name}"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
                _ => panic!("{name}: a layout one way and not the other"),
            }
        }
    }
}
