//! `exclusion`: the bidders' SPD exclusion answers decided on a stated day, as text or JSON, and
//! the decisions the award letters and the OCDS release are built on.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::app::Input;
use crate::domain::Tender;
use crate::domain::date::long;
use crate::domain::exclusion::{Decision, Determination, Outcome, Responses, assess, bid_outcome, missing_checks};
use crate::domain::regime::Regime;
use crate::Result;

/// The responses file read and every declaration decided.
pub struct Decided {
    /// The responses file's name, for messages.
    pub file: String,
    /// The day the decisions are made: every period is counted to it.
    pub day: NaiveDate,
    pub law: &'static str,
    pub responses: Responses,
    pub decisions: Vec<Decision>,
    /// What the decision still lacks (each a sentence); nothing may be sent while any is.
    pub missing: Vec<String>,
}

/// Decides `responses` for `tender` on `on`, else the file's `determination_date`, else `today`.
pub fn decide(tender: &Tender, responses: &Input, on: Option<NaiveDate>, today: NaiveDate) -> Result<Decided> {
    let parsed: Responses = responses.toml()?;
    let day = on.or(parsed.determination_date).unwrap_or(today);
    let determination = Determination::for_tender(day, tender);
    let decisions = assess(&parsed, &determination);
    let missing = missing_checks(&parsed, tender.regime, &decisions);
    Ok(Decided { file: responses.name.clone(), day, law: determination.law_name(), responses: parsed, decisions, missing })
}

impl Decided {
    /// What is missing, as `error:` lines naming the responses file.
    pub fn missing_messages(&self) -> String {
        self.missing.iter().map(|m| format!("error: {}: {m}\n", self.file)).collect()
    }

    /// The decisions, or (while anything is missing) the messages ending with `nothing` (what was
    /// not done).
    pub fn complete(self, nothing: &str) -> std::result::Result<Vec<Decision>, String> {
        if self.missing.is_empty() {
            return Ok(self.decisions);
        }
        Err(format!("{}{nothing}: the exclusion decision is not complete\n", self.missing_messages()))
    }

    pub fn to_json(&self, tender: &Tender) -> serde_json::Value {
        let bids: Vec<_> = self
            .responses
            .bidders
            .iter()
            .map(|b| serde_json::json!({"bidder": b.name, "outcome": bid_outcome(&self.decisions, &b.name), "decisions": self.decisions.iter().filter(|d| d.bidder == b.name).collect::<Vec<_>>()}))
            .collect();
        serde_json::json!({
            "determination_date": self.day,
            "regime": tender.regime.key(),
            "debarment_list_checked": self.responses.debarment_list_checked,
            "missing": self.missing,
            "bids": bids,
        })
    }

    /// The decisions as a buyer reads them: each bidder, each ground, its period and reason.
    pub fn text(&self, tender: &Tender) -> String {
        let mut text = String::new();
        let _ = writeln!(text, "Exclusion grounds, tender {} under {}", tender.reference, self.law);
        let _ = writeln!(text, "Decided on {} (every period below is counted to that day)", long(self.day));
        if let Some(checked) = self.responses.debarment_list_checked {
            let _ = writeln!(text, "Debarment list checked on {}", long(checked));
        }
        for b in &self.responses.bidders {
            let outcome = bid_outcome(&self.decisions, &b.name);
            let mine: Vec<&Decision> = self.decisions.iter().filter(|d| d.bidder == b.name).collect();
            let _ = writeln!(text, "\n{}: {}", b.name, if mine.is_empty() { "no exclusion grounds declared" } else { outcome.words() });
            for d in mine {
                let mark = match d.outcome {
                    Outcome::Exclude | Outcome::Replace => "!",
                    Outcome::Incomplete => "x",
                    Outcome::MayExclude | Outcome::MayReplace => "?",
                    Outcome::NoExclusion => "-",
                };
                let _ = writeln!(
                    text,
                    "  {mark} {} ({}{}): {}",
                    d.ground.name(),
                    d.standing.words(),
                    if d.provision.is_empty() { String::new() } else { format!(", {}", d.provision) },
                    d.outcome.words()
                );
                if let Some(p) = &d.period {
                    let _ = writeln!(text, "      period: {}; measured against {} on {}", p.rule, p.measured, long(p.measured_date));
                }
                let _ = writeln!(text, "      {}", d.reason);
                if !d.self_cleansing_shortfall.is_empty() && d.outcome != Outcome::NoExclusion {
                    let _ = writeln!(
                        text,
                        "      {} (tenderkit letters self-cleansing)",
                        match tender.regime {
                            Regime::Scotland2015 => "statement of reasons needed: the self-cleansing evidence is insufficient",
                            Regime::ProcurementAct2023 =>
                                "before deciding, give the supplier a reasonable opportunity to make representations and provide evidence (s.58(2))",
                        }
                    );
                }
            }
        }
        text
    }
}
