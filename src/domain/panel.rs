//! The evaluation panel (guidance, "Evaluation Panel"): at least two people, who score the
//! quality criteria independently before a moderation meeting; nobody assesses both the quality
//! and the commercial (price) elements.

use serde::{Deserialize, Serialize};

use crate::domain::finding::{Finding, Rule, Subject};
use crate::domain::matrix::Matrix;

/// The fewest evaluators who may assess a criterion (or the price).
pub const MIN_EVALUATORS: usize = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Scores the quality/technical criteria.
    Quality,
    /// Checks the price schedules: enters each bid's costs.
    Commercial,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Quality => "quality",
            Role::Commercial => "commercial",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text.trim().to_ascii_lowercase().as_str() {
            "quality" | "technical" => Some(Role::Quality),
            "commercial" | "price" => Some(Role::Commercial),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluator {
    pub name: String,
    pub role: Role,
    /// References of the criteria this quality evaluator scores; empty means all of them.
    #[serde(default)]
    pub criteria: Vec<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// `panel.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Panel {
    /// Reference of the tender this panel evaluates; returns for another tender are refused.
    pub tender: String,
    /// The spread between evaluators' scores (highest - lowest, in points on the scale) that
    /// needs discussion at moderation. Default: two steps of the scale (2 on 0-4, 50 on 0-100).
    #[serde(default)]
    pub spread: Option<f64>,
    pub evaluators: Vec<Evaluator>,
}

/// Whether two names are the same person as the panel names them (case and spacing aside).
pub fn same_person(a: &str, b: &str) -> bool {
    crate::domain::matrix::name_key(a) == crate::domain::matrix::name_key(b)
}

impl Panel {
    /// The evaluator with this name and role.
    pub fn find(&self, name: &str, role: Role) -> Option<usize> {
        self.evaluators.iter().position(|e| e.role == role && same_person(&e.name, name))
    }

    /// Flat indices of the criteria evaluator `e` scores (none for a commercial evaluator).
    pub fn criteria_of(&self, e: usize, m: &Matrix) -> Vec<usize> {
        let ev = &self.evaluators[e];
        if ev.role != Role::Quality {
            return Vec::new();
        }
        m.criteria()
            .enumerate()
            .filter(|(_, (_, c))| ev.criteria.is_empty() || ev.criteria.iter().any(|r| r.trim().eq_ignore_ascii_case(c.reference.trim())))
            .map(|(i, _)| i)
            .collect()
    }

    /// Indices of the evaluators in `role`.
    pub fn in_role(&self, role: Role) -> Vec<usize> {
        (0..self.evaluators.len()).filter(|&e| self.evaluators[e].role == role).collect()
    }

    /// The spread that needs discussion, on `m`'s scale.
    pub fn spread_threshold(&self, m: &Matrix) -> f64 {
        self.spread.unwrap_or_else(|| {
            let p = m.scale.points();
            2.0 * (m.scale.max() - m.scale.min()) / (p.len() - 1) as f64
        })
    }

    /// Checks the panel against the matrix it will evaluate; `reference` is the matrix's tender
    /// reference, where it has one.
    pub fn check(&self, m: &Matrix, reference: Option<&str>) -> Vec<Finding> {
        let mut out = Vec::new();
        if let Some(r) = reference.filter(|r| !r.trim().is_empty() && !r.trim().eq_ignore_ascii_case(self.tender.trim())) {
            out.push(Finding::error(
                Rule::WrongTender,
                Subject::Panel,
                format!("the panel is for tender '{}' but the matrix is for '{r}'", self.tender),
                "use the panel file made for this tender, or correct its `tender` reference",
            ));
        }
        for (i, e) in self.evaluators.iter().enumerate() {
            for other in self.evaluators.iter().take(i) {
                if !same_person(&e.name, &other.name) {
                    continue;
                }
                let (message, fix) = if e.role == other.role {
                    (
                        format!("{} is on the panel twice as a {} evaluator", e.name.trim(), e.role.name()),
                        "list each evaluator once".to_string(),
                    )
                } else {
                    (
                        format!(
                            "{} is on the panel as both a quality and a commercial evaluator; the guidance advises that no member assesses both",
                            e.name.trim()
                        ),
                        format!("give {}'s {} role to someone else", e.name.trim(), e.role.name()),
                    )
                };
                out.push(Finding::error(Rule::PanelConflict, Subject::Evaluator { evaluator: i }, message, fix));
            }
            if e.role == Role::Quality {
                for r in &e.criteria {
                    if !m.criteria().any(|(_, c)| c.reference.trim().eq_ignore_ascii_case(r.trim())) {
                        out.push(Finding::error(
                            Rule::PanelConflict,
                            Subject::Evaluator { evaluator: i },
                            format!("{} is to score criterion '{r}', which is not in the matrix", e.name.trim()),
                            "use the criterion references in the matrix's Ref column",
                        ));
                    }
                }
            } else if !e.criteria.is_empty() {
                out.push(Finding::error(
                    Rule::PanelConflict,
                    Subject::Evaluator { evaluator: i },
                    format!("{} is a commercial evaluator but is given quality criteria to score", e.name.trim()),
                    "remove the criteria, or make them a quality evaluator",
                ));
            }
        }
        let quality = self.in_role(Role::Quality);
        for (i, (_, c)) in m.criteria().enumerate() {
            let n = quality.iter().filter(|&&e| self.criteria_of(e, m).contains(&i)).count();
            if n < MIN_EVALUATORS {
                out.push(Finding::error(
                    Rule::PanelTooSmall,
                    Subject::Criterion { criterion: i },
                    format!(
                        "criterion {} '{}' has {n} evaluator{}; a panel needs at least {MIN_EVALUATORS}",
                        c.reference,
                        c.title,
                        if n == 1 { "" } else { "s" }
                    ),
                    "add quality evaluators for this criterion to panel.toml",
                ));
            }
        }
        let commercial = self.in_role(Role::Commercial).len();
        if commercial < MIN_EVALUATORS && m.split.price.number().is_none_or(|p| p > 0.0) {
            out.push(Finding::error(
                Rule::PanelTooSmall,
                Subject::Panel,
                format!(
                    "the price is checked by {commercial} commercial evaluator{}; a panel needs at least {MIN_EVALUATORS}",
                    if commercial == 1 { "" } else { "s" }
                ),
                "add commercial evaluators (role = \"commercial\") to panel.toml",
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate::tests::sample;

    fn panel(evaluators: &[(&str, Role, &[&str])]) -> Panel {
        Panel {
            tender: "T-1".into(),
            spread: None,
            evaluators: evaluators
                .iter()
                .map(|(n, r, c)| Evaluator {
                    name: n.to_string(),
                    role: *r,
                    criteria: c.iter().map(|s| s.to_string()).collect(),
                    email: None,
                })
                .collect(),
        }
    }

    fn rules(p: &Panel) -> Vec<(Rule, Subject)> {
        p.check(&sample(), Some("T-1")).into_iter().map(|f| (f.rule, f.subject)).collect()
    }

    #[test]
    fn a_sound_panel_passes() {
        let p =
            panel(&[("Ann", Role::Quality, &[]), ("Bo", Role::Quality, &[]), ("Cy", Role::Commercial, &[]), ("Di", Role::Commercial, &[])]);
        assert_eq!(rules(&p), vec![]);
        assert_eq!(p.criteria_of(0, &sample()), vec![0, 1, 2]);
        assert_eq!(p.spread_threshold(&sample()), 2.0);
    }

    #[test]
    fn nobody_assesses_both_quality_and_price() {
        let p = panel(&[
            ("Ann Lee", Role::Quality, &[]),
            ("Bo", Role::Quality, &[]),
            (" ann  lee", Role::Commercial, &[]),
            ("Di", Role::Commercial, &[]),
        ]);
        let f = p.check(&sample(), None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, Rule::PanelConflict);
        assert!(f[0].message.starts_with("ann  lee is on the panel as both a quality and a commercial evaluator"), "{}", f[0].message);
    }

    #[test]
    fn every_criterion_and_the_price_need_two_evaluators() {
        let p = panel(&[("Ann", Role::Quality, &[]), ("Bo", Role::Quality, &["1.1", "1.2"]), ("Cy", Role::Commercial, &[])]);
        assert_eq!(rules(&p), vec![(Rule::PanelTooSmall, Subject::Criterion { criterion: 2 }), (Rule::PanelTooSmall, Subject::Panel)]);
    }

    #[test]
    fn unknown_criteria_and_the_wrong_tender_are_caught() {
        let p = panel(&[
            ("Ann", Role::Quality, &["9.9"]),
            ("Bo", Role::Quality, &[]),
            ("Cy", Role::Commercial, &[]),
            ("Di", Role::Commercial, &[]),
        ]);
        assert!(rules(&p).contains(&(Rule::PanelConflict, Subject::Evaluator { evaluator: 0 })));
        assert!(p.check(&sample(), Some("OTHER")).iter().any(|f| f.rule == Rule::WrongTender));
    }
}
