//! Findings with their place in a file, printed for people or as JSON for machines.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::domain::{Finding, Severity, Subject};

/// Says where a subject is in the file a matrix was read from.
pub trait Locate {
    /// `Quality!D4`, `Quality!D4:D13`, `sections[1].weight`, or `None` when the subject has no
    /// single place (the file as a whole).
    fn locate(&self, subject: &Subject) -> Option<String>;

    /// The file the subject is in, where that is not the file being reported on (an evaluator's
    /// return, the panel file).
    fn file(&self, _subject: &Subject) -> Option<String> {
        None
    }
}

/// Several locators: the first that knows a subject says where it is.
pub struct Chain<'a>(pub Vec<&'a dyn Locate>);

impl Locate for Chain<'_> {
    fn locate(&self, subject: &Subject) -> Option<String> {
        self.0.iter().find_map(|l| l.locate(subject))
    }

    fn file(&self, subject: &Subject) -> Option<String> {
        self.0.iter().find(|l| l.locate(subject).is_some() || l.file(subject).is_some()).and_then(|l| l.file(subject))
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Located {
    pub file: String,
    /// Sheet and cell (or key) the finding is about.
    pub place: Option<String>,
    #[serde(flatten)]
    pub finding: Finding,
}

pub fn locate(file: &Path, findings: Vec<Finding>, at: &dyn Locate) -> Vec<Located> {
    findings
        .into_iter()
        .map(|finding| Located {
            file: at.file(&finding.subject).unwrap_or_else(|| file.display().to_string()),
            place: at.locate(&finding.subject),
            finding,
        })
        .collect()
}

/// How many findings of each severity.
pub fn counts(findings: &[Located]) -> (usize, usize) {
    let errors = findings.iter().filter(|f| f.finding.severity == Severity::Error).count();
    (errors, findings.len() - errors)
}

/// Findings as people read them, errors first, at most `limit` of them, then a count line:
///
/// ```text
/// error[section-weights-sum]: matrix.xlsx: Quality!D4:D13: the section weightings sum to 90.00, not 100 (...)
///   fix: adjust the section weightings so they add up to exactly 100
/// ```
pub fn human(findings: &[Located], limit: usize) -> String {
    let mut sorted: Vec<&Located> = findings.iter().collect();
    sorted.sort_by_key(|f| f.finding.severity);
    let mut out = String::new();
    for f in sorted.iter().take(limit) {
        let sev = match f.finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let place = f.place.as_ref().map(|p| format!("{p}: ")).unwrap_or_default();
        let _ = writeln!(out, "{sev}[{}]: {}: {place}{}", f.finding.rule.code(), f.file, f.finding.message);
        let _ = writeln!(out, "  fix: {}", f.finding.fix);
    }
    if findings.len() > limit {
        let _ = writeln!(out, "... and {} more (use --json to see them all)", findings.len() - limit);
    }
    let (errors, warnings) = counts(findings);
    let _ = writeln!(out, "{errors} error{}, {warnings} warning{}", plural(errors), plural(warnings));
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
