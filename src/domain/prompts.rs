//! The sustainable procurement duty's prompts (guidance: "Sustainable Procurement Tools: Security
//! and Crime"; "Procurement guidelines for smart sustainable cities", 4.1.4 "Define outcomes"; the
//! ethical procurement of IT report): which apply to a tender definition, and which the tender
//! already answers.
//!
//! The prompts themselves are data (`templates/prompts.toml`, and a buyer's own file of the same
//! shape): each says when it applies (the tender's sectors, its digital processing, an ICT subject),
//! what answers it (exclusion grounds applied, a cyber requirement, or the buyer's note in
//! `[considered]`), and where in the guidance it comes from. This module only evaluates them.

use serde::{Deserialize, Serialize};

use crate::domain::Tender;
use crate::domain::exclusion::Ground;

/// The sectors the guidance names as vulnerable to Serious Organised Crime, and "other".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sector {
    Construction,
    PrimaryProduction,
    WasteManagement,
    VehicleTransport,
    PrivateSecurity,
    PropertyManagement,
    ChildrensNurseries,
    FuneralCare,
    ServiceWork,
    Other,
}

impl Sector {
    pub fn name(self) -> &'static str {
        match self {
            Sector::Construction => "construction",
            Sector::PrimaryProduction => "primary production (agriculture, seafood)",
            Sector::WasteManagement => "waste management / recycling",
            Sector::VehicleTransport => "vehicle / transport",
            Sector::PrivateSecurity => "private security services",
            Sector::PropertyManagement => "property management",
            Sector::ChildrensNurseries => "children's nurseries",
            Sector::FuneralCare => "funeral care",
            Sector::ServiceWork => "service work (catering, cleaning, hospitality, care, domestic service, beauty)",
            Sector::Other => "other",
        }
    }
}

/// What digital processing the contract involves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Digital {
    /// Digital processing of information on the organisation's behalf.
    Processing,
    SensitiveInformation,
    IndustrialControl,
    /// Devices that communicate over the internet (the "Internet of Things").
    ConnectedDevices,
}

impl Digital {
    pub fn name(self) -> &'static str {
        match self {
            Digital::Processing => "digital processing of the organisation's information",
            Digital::SensitiveInformation => "sensitive information",
            Digital::IndustrialControl => "industrial control systems",
            Digital::ConnectedDevices => "connected devices",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
}

/// When a prompt applies: every condition given holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    #[serde(default)]
    pub sectors: Vec<Sector>,
    #[serde(default)]
    pub digital: Vec<Digital>,
    #[serde(default)]
    pub ict: Option<bool>,
    #[serde(default)]
    pub cyber: Option<bool>,
    #[serde(default)]
    pub branded_criteria: Option<bool>,
    #[serde(default)]
    pub always: Option<bool>,
}

/// What answers a prompt in the tender (besides `[considered]` naming it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetBy {
    #[serde(default)]
    pub grounds: Vec<Ground>,
    #[serde(default)]
    pub cyber: Option<bool>,
    #[serde(default)]
    pub cyber_reason: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    pub id: String,
    pub severity: Level,
    pub source: String,
    pub message: String,
    pub fix: String,
    pub when: When,
    #[serde(default)]
    pub met_by: MetBy,
}

/// Text that names a product or brand: a sign anywhere, or a word like a model number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandPattern {
    #[serde(default)]
    pub contains: Option<String>,
    /// A word with a capital letter and at least two digits ("XR500", "T-800").
    #[serde(default)]
    pub model: bool,
    pub why: String,
}

/// A prompts file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompts {
    #[serde(default)]
    pub prompt: Vec<Prompt>,
    #[serde(default)]
    pub brand_pattern: Vec<BrandPattern>,
}

impl Prompts {
    /// The bundled prompts.
    pub fn bundled() -> Prompts {
        toml::from_str(include_str!("../../templates/prompts.toml")).expect("the bundled prompts are valid")
    }

    /// Adds a buyer's prompts: one with the same id replaces the bundled one.
    pub fn extend(&mut self, other: Prompts) {
        for p in other.prompt {
            match self.prompt.iter_mut().find(|q| q.id == p.id) {
                Some(q) => *q = p,
                None => self.prompt.push(p),
            }
        }
        self.brand_pattern.extend(other.brand_pattern);
    }
}

/// A prompt that applies and is not answered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Raised {
    pub id: String,
    pub severity: Level,
    /// Where in the tender file it concerns (a TOML key).
    pub place: String,
    pub message: String,
    pub fix: String,
    pub source: String,
}

/// Whether `word` looks like a model number.
fn model_number(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    w.chars().any(|c| c.is_ascii_uppercase()) && w.chars().filter(char::is_ascii_digit).count() >= 2
}

/// The criteria (TOML key, reference, what matched) that name a product or brand.
fn branded(t: &Tender, patterns: &[BrandPattern]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (s, section) in t.sections.iter().enumerate() {
        for (c, criterion) in section.criteria.iter().enumerate() {
            let hit = patterns.iter().find_map(|p| {
                if let Some(sign) = p.contains.as_deref().filter(|s| criterion.title.contains(*s)) {
                    return Some(format!("{} '{sign}'", p.why));
                }
                let word = criterion.title.split_whitespace().find(|w| p.model && model_number(w))?;
                Some(format!("{} '{}'", p.why, word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')))
            });
            if let Some(why) = hit {
                out.push((format!("sections[{s}].criteria[{c}].title"), criterion.reference.clone(), why));
            }
        }
    }
    out
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The prompts that apply to `t` and are not answered, in the order of the prompts.
pub fn raised(t: &Tender, prompts: &Prompts) -> Vec<Raised> {
    let cyber = t.selection.cyber.as_ref();
    let digital: Vec<Digital> = t.digital.involved();
    let branded = branded(t, &prompts.brand_pattern);
    let mut out = Vec::new();
    for p in &prompts.prompt {
        let w = &p.when;
        let sectors: Vec<Sector> = t.sectors.iter().copied().filter(|s| w.sectors.contains(s)).collect();
        let involved: Vec<Digital> = digital.iter().copied().filter(|d| w.digital.contains(d)).collect();
        let applies = (w.sectors.is_empty() || !sectors.is_empty())
            && (w.digital.is_empty() || !involved.is_empty())
            && w.ict.is_none_or(|v| v == t.digital.ict)
            && w.cyber.is_none_or(|v| v == cyber.is_some())
            && w.branded_criteria.is_none_or(|v| v == !branded.is_empty())
            && w.always.is_none_or(|v| v);
        if !applies {
            continue;
        }
        let considered = t.considered.get(&p.id).is_some_and(|note| !note.trim().is_empty());
        let missing: Vec<Ground> = p.met_by.grounds.iter().copied().filter(|g| !t.exclusion.discretionary.contains(g)).collect();
        let met = !p.met_by.grounds.is_empty() && missing.is_empty()
            || p.met_by.cyber == Some(true) && cyber.is_some()
            || p.met_by.cyber_reason == Some(true) && cyber.is_some_and(|c| c.reason.as_deref().is_some_and(|r| !r.trim().is_empty()));
        if considered || met {
            continue;
        }
        let sector_names: Vec<String> = sectors.iter().map(|s| s.name().to_string()).collect();
        let digital_names: Vec<String> = involved.iter().map(|d| d.name().to_string()).collect();
        let criteria: Vec<String> = branded.iter().map(|(_, r, why)| format!("criterion {r} ({why})")).collect();
        let message = p
            .message
            .replace("{sectors}", &and_list(&sector_names))
            .replace("{missing_grounds}", &missing.iter().map(|g| g.name()).collect::<Vec<_>>().join("; "))
            .replace("{digital}", &and_list(&digital_names))
            .replace("{criteria}", &and_list(&criteria));
        let place = if !w.sectors.is_empty() && !p.met_by.grounds.is_empty() {
            "exclusion.discretionary".to_string()
        } else if !w.sectors.is_empty() {
            "sectors".to_string()
        } else if w.cyber.is_some() || !w.digital.is_empty() {
            "selection.cyber".to_string()
        } else if w.branded_criteria.is_some() {
            branded.iter().map(|(k, _, _)| k.clone()).collect::<Vec<_>>().join(", ")
        } else {
            format!("considered.{}", p.id)
        };
        out.push(Raised { id: p.id.clone(), severity: p.severity, place, message, fix: p.fix.clone(), source: p.source.clone() });
    }
    out
}
