//! Selection requirements and what the guidance says about keeping them proportionate
//! ("Selection Criteria", "Economic and Financial Standing", "Insurance Levels", "Technical and
//! Professional Ability", "Mandatory Exclusion Grounds", "How do I use Part V of the SPD?").

use crate::domain::exclusion::MANDATORY_QUESTIONS;
use crate::domain::finding::{Finding, Rule, Subject};
use crate::domain::money::fmt_money;
use crate::domain::tender::{ContractType, InsuranceKind, Tender};

/// The legal minimum for Employer's (Compulsory) Liability Insurance.
pub const EMPLOYERS_LIABILITY_MINIMUM: f64 = 5_000_000.0;
/// Experience examples for goods and services come from the last three years only.
pub const EXPERIENCE_YEARS: u32 = 3;

fn key(k: &str) -> Subject {
    Subject::Definition { key: k.into() }
}

/// Every selection or procedure setting that breaks a rule the guidance sets, quoting the rule.
pub fn check(t: &Tender) -> Vec<Finding> {
    let mut out = Vec::new();
    let s = &t.selection;
    if let Some(turnover) = &s.turnover {
        match t.estimated_value {
            Some(value) if turnover.minimum > 2.0 * value && turnover.justification.as_deref().is_none_or(|j| j.trim().is_empty()) => out.push(Finding::error(
                Rule::Proportionality,
                key("selection.turnover.minimum"),
                format!(
                    "a minimum yearly turnover of {} is more than twice the estimated contract value of {}. The guidance: \"you must not ask bidders to have a minimum turnover which exceeds twice the estimated contract value\"",
                    fmt_money(turnover.minimum),
                    fmt_money(value)
                ),
                format!("lower it to {} or less, or give `justification` in [selection.turnover] (a high-risk contract, or one where timely performance is crucial)", fmt_money(2.0 * value)),
            )),
            None => out.push(Finding::warning(
                Rule::Proportionality,
                key("estimated_value"),
                "a minimum turnover is asked but the estimated contract value is not stated, so it cannot be checked against twice the value",
                "state `estimated_value`",
            )),
            _ => {}
        }
        if turnover.years == 0 {
            out.push(Finding::error(
                Rule::Proportionality,
                key("selection.turnover.years"),
                "the turnover requirement covers 0 years",
                "give the number of financial years (usually 2 or 3)",
            ));
        }
    }
    for (i, ins) in s.insurance.iter().enumerate() {
        if ins.kind == InsuranceKind::EmployersLiability && ins.minimum < EMPLOYERS_LIABILITY_MINIMUM {
            out.push(Finding::error(
                Rule::Proportionality,
                key(&format!("selection.insurance[{i}].minimum")),
                format!(
                    "Employer's Liability Insurance of {} is below the legal minimum. The guidance: \"It is a legal requirement that all companies (excluding sole traders) hold Employer's (Compulsory) Liability Insurance of £5M as a minimum\"",
                    fmt_money(ins.minimum)
                ),
                format!("ask for at least {}", fmt_money(EMPLOYERS_LIABILITY_MINIMUM)),
            ));
        }
    }
    if let Some(e) = &s.experience
        && t.contract_type != ContractType::Works
        && e.years > EXPERIENCE_YEARS
    {
        out.push(Finding::error(
                Rule::Proportionality,
                key("selection.experience.years"),
                format!("experience examples are asked from the last {} years. The guidance: \"For goods and services, the examples provided by bidders must only be from the previous three years\"", e.years),
                "ask for examples from the last 3 years",
            ));
    }
    // The Procurement Journey's "Must ask" questions: convictions (reg 58(1)), the payment of taxes
    // and social security contributions (reg 58(3)(a)) and blacklisting (reg 58(3)(b)). Below the
    // thresholds no tax breach is a mandatory ground (2016 Regulations, reg 9(2)), so the tax
    // question is the buyer's choice there.
    for (q, words) in MANDATORY_QUESTIONS {
        let needed = q != crate::domain::exclusion::MandatoryQuestion::TaxAndSocialSecurity || t.above_threshold;
        if needed && t.regime == crate::domain::regime::Regime::Scotland2015 && !t.exclusion.mandatory.contains(&q) {
            out.push(Finding::error(
                Rule::MandatoryExclusionMissing,
                key("exclusion.mandatory"),
                format!("the mandatory exclusion question on {words} is not asked. Every Scottish SPD must ask about criminal convictions (reg 58(1)), the payment of taxes and social security contributions (reg 58(3)(a)) and blacklisting (reg 58(3)(b)): the Procurement Journey lists them as \"Must ask\""),
                "list \"criminal-offences\", \"tax-and-social-security\" and \"blacklisting\" in [exclusion] mandatory",
            ));
        }
    }
    if t.devolved_welsh_authority && t.regime != crate::domain::regime::Regime::ProcurementAct2023 {
        out.push(Finding::error(
            Rule::RegimeMismatch,
            key("devolved_welsh_authority"),
            "a devolved Welsh authority procures under the Procurement Act 2023 and the Procurement (Wales) Regulations 2024, not the Public Contracts (Scotland) Regulations 2015".to_string(),
            "set regime = \"procurement-act-2023\", or remove devolved_welsh_authority",
        ));
    }
    if let (Some(min), Some(n)) = (t.procedure.minimum_invited(), t.notice.shortlist)
        && n < min
    {
        out.push(Finding::error(
            Rule::ShortlistTooSmall,
            key("notice.shortlist"),
            format!("the {} may shortlist no fewer than {min} candidates; the tender says {n}", t.procedure.name()),
            format!("invite at least {min}"),
        ));
    }
    out
}

/// The SPD standardised statements the tender uses, in SPD order: each template's name and its
/// data.
pub fn statements(t: &Tender) -> Vec<(&'static str, serde_json::Value)> {
    use serde_json::json;
    let s = &t.selection;
    let mut out = Vec::new();
    if !s.registers.is_empty() {
        out.push(("spd/registers", json!(s.registers)));
    }
    if let Some(turnover) = &s.turnover {
        out.push(("spd/turnover", json!(turnover)));
    }
    if !s.insurance.is_empty() {
        out.push((
            "spd/insurance",
            json!(s.insurance.iter().map(|i| json!({"name": i.kind.name(), "minimum": i.minimum})).collect::<Vec<_>>()),
        ));
    }
    if !s.ratios.is_empty() {
        out.push(("spd/ratios", json!(s.ratios)));
    }
    if let Some(e) = &s.experience {
        out.push(("spd/experience", json!(e)));
    }
    if s.subcontracting {
        out.push(("spd/prompt-payment", json!({})));
    }
    if s.quality_management {
        out.push(("spd/quality-management", json!({})));
    }
    if s.health_and_safety {
        out.push(("spd/health-and-safety", json!({})));
    }
    if s.environmental_management {
        out.push(("spd/environmental-management", json!({})));
    }
    if let Some(c) = &s.cyber {
        out.push((
            "spd/cyber",
            json!({"requirement": c.requirement, "reason": c.reason.as_deref().map(|r| r.trim().trim_end_matches('.'))}),
        ));
    }
    out
}
