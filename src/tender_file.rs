//! Tender definitions and layout files, written by buyers in TOML.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::domain::{Subject, Tender};
use crate::error::{Error, Result};
use crate::report::Locate;

/// Reads a TOML file into `T`; errors quote the line and say what was expected.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    parse(path, &text)
}

/// Reads TOML text into `T`; `path` is what messages call the file.
pub fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    let definition = |detail: String| Error::Definition { path: path.to_path_buf(), detail };
    let value: toml::Value = toml::from_str(text).map_err(|e| definition(e.to_string().trim_end().to_string()))?;
    // TOML can write nan and inf; no amount, weight or score is either.
    if let Some(key) = non_finite(&value, String::new()) {
        return Err(definition(format!("`{key}` is not a finite number (nan or inf). Fix: give the figure as a number")));
    }
    toml::from_str(text).map_err(|e| definition(e.to_string().trim_end().to_string()))
}

/// The key of the first float that is NaN or infinite.
fn non_finite(v: &toml::Value, key: String) -> Option<String> {
    match v {
        toml::Value::Float(f) if !f.is_finite() => Some(key),
        toml::Value::Table(t) => t.iter().find_map(|(k, v)| non_finite(v, if key.is_empty() { k.clone() } else { format!("{key}.{k}") })),
        toml::Value::Array(a) => a.iter().enumerate().find_map(|(i, v)| non_finite(v, format!("{key}[{i}]"))),
        _ => None,
    }
}

pub fn load_tender(path: &Path) -> Result<Tender> {
    load(path)
}

/// Places in a tender file, as TOML keys: `sections[1].criteria[0].weight`.
pub struct TenderKeys<'a>(pub &'a Tender);

impl Locate for TenderKeys<'_> {
    fn locate(&self, subject: &Subject) -> Option<String> {
        let criterion_key = |flat: usize| {
            let mut i = flat;
            for (s, section) in self.0.sections.iter().enumerate() {
                if i < section.criteria.len() {
                    return Some(format!("sections[{s}].criteria[{i}]"));
                }
                i -= section.criteria.len();
            }
            None
        };
        match subject {
            Subject::PriceWeight => Some("price_weight".into()),
            Subject::QualityWeight => Some("quality_weight".into()),
            Subject::MinimumQuality => Some("minimum_quality".into()),
            Subject::PassMark { criterion } => criterion_key(*criterion).map(|k| format!("{k}.pass_mark")),
            Subject::SectionWeights => Some("sections[*].weight".into()),
            Subject::SectionWeight { section } => Some(format!("sections[{section}].weight")),
            Subject::CriterionWeights { section } => Some(format!("sections[{section}].criteria[*].weight")),
            Subject::CriterionWeight { criterion } => criterion_key(*criterion).map(|k| format!("{k}.weight")),
            Subject::Criteria => Some("sections".into()),
            Subject::Bids => Some("bidders".into()),
            Subject::Bidder { bid } => Some(format!("bidders[{bid}].name")),
            Subject::Criterion { criterion } => criterion_key(*criterion),
            Subject::Definition { key } => Some(key.clone()),
            Subject::PriceParameter { key } => Some(format!("price.{key}")),
            _ => None,
        }
    }
}
