//! `conflicts`: the conflicts assessment (Procurement Act 2023 s.83) or the conflict-of-interest
//! record (Public Contracts (Scotland) Regulations 2015 reg 24) of a tender's evaluation, from the
//! declarations its panel made in their returns (kept on the moderated matrix's Panel sheet): each
//! person, their role and declaration, each conflict and the step taken, and the review log (the
//! Audit sheet). Refused while any panel member has not made a declaration.

use chrono::NaiveDate;

use crate::Result;
use crate::app::{Input, workbook};
use crate::docx::write::{Document, Paragraph, Run, Table};
use crate::domain::Tender;
use crate::domain::date::long;
use crate::domain::declaration::scoring_without_conflict;
use crate::domain::panel::{MIN_EVALUATORS, Panel, Role};
use crate::domain::regime::Regime;
use crate::xlsx::layout::LayoutFile;
use crate::xlsx::matrix::read_matrix;
use crate::xlsx::moderation::{read_moderation, read_panel};

/// One line of the assessment's table of conflicts.
pub struct Conflict {
    pub person: String,
    pub bidder: String,
    pub nature: String,
    pub step: String,
}

/// The assessment, ready to print or write.
pub struct Assessment {
    pub title: &'static str,
    pub law: &'static str,
    pub tender: String,
    pub prepared: NaiveDate,
    /// Name, role, what they evaluate, signed by, declared on, conflicts declared.
    pub people: Vec<[String; 6]>,
    pub conflicts: Vec<Conflict>,
    /// When, what, who, detail.
    pub log: Vec<[String; 4]>,
}

pub enum Outcome {
    /// Not written: what to say (standard error).
    Refused(String),
    Done(Box<Assessment>),
}

/// The assessment of `tender`'s evaluation from the moderated `matrix`, prepared on `today`.
pub fn assess(tender: &Tender, matrix: &Input, layout: &LayoutFile, today: NaiveDate) -> Result<Outcome> {
    let wb = workbook(matrix)?;
    let read = read_matrix(&wb, layout)?;
    let Some(panel) = read_panel(&wb)? else {
        return Ok(Outcome::Refused(format!(
            "error: {}: no panel and no declarations: collect the panel's returns into it first (tenderkit returns collect)\nno assessment written\n",
            matrix.name
        )));
    };
    let moderated = read_moderation(&wb, &read, &panel)?;
    let md = &moderated.moderation;
    let m = &read.matrix;
    let undeclared: Vec<&str> = panel
        .evaluators
        .iter()
        .zip(&md.declarations)
        .filter(|(_, d)| d.is_none())
        .map(|(e, _)| e.name.trim())
        .collect();
    if !undeclared.is_empty() {
        let mut said = String::new();
        for name in &undeclared {
            said += &format!("error: {}: no declaration of interests from {name} yet: collect their return (its Declaration sheet completed) first\n", matrix.name);
        }
        return Ok(Outcome::Refused(said + "no assessment written: every panel member's declaration must be in it\n"));
    }
    let people = panel
        .evaluators
        .iter()
        .zip(&md.declarations)
        .map(|(e, d)| {
            let d = d.as_ref().expect("checked above");
            [
                e.name.trim().to_string(),
                format!("{} evaluator", e.role.name()),
                match e.role {
                    Role::Quality if e.criteria.is_empty() => "every quality criterion".to_string(),
                    Role::Quality => format!("criteria {}", e.criteria.join(", ")),
                    Role::Commercial => "the price".to_string(),
                },
                d.name.trim().to_string(),
                d.date.map(long).unwrap_or_default(),
                if d.conflicts.is_empty() { "none".into() } else { d.conflicts.len().to_string() },
            ]
        })
        .collect();
    let mut conflicts = Vec::new();
    for (e, d) in md.declarations.iter().enumerate() {
        for (b, nature) in d.iter().flat_map(|d| &d.conflicts) {
            let bidder = m.bids.get(*b).map_or(String::new(), |x| x.bidder.trim().to_string());
            conflicts.push(Conflict {
                person: panel.evaluators[e].name.trim().to_string(),
                bidder: bidder.clone(),
                nature: nature.clone(),
                step: step(&panel, m, md, e, *b, &bidder),
            });
        }
    }
    let log = moderated.audit.iter().map(|a| [a.when.clone(), a.what.clone(), a.who.clone(), a.detail.clone()]).collect();
    let act = tender.regime == Regime::ProcurementAct2023;
    Ok(Outcome::Done(Box::new(Assessment {
        title: if act { "Conflicts assessment" } else { "Conflict of interest record" },
        law: if act {
            "Procurement Act 2023, sections 81 to 83: conflicts of interest identified and kept under review (s.81), all reasonable steps so that none puts a supplier at an unfair advantage or disadvantage (s.82), and this assessment (s.83)"
        } else {
            "Public Contracts (Scotland) Regulations 2015, regulation 24: appropriate measures to prevent, identify and remedy conflicts of interest in the conduct of the procurement"
        },
        tender: format!("{} {}", tender.reference.trim(), tender.title.trim()),
        prepared: today,
        people,
        conflicts,
        log,
    })))
}

/// What was done about evaluator `e`'s conflict with bid `b`, and whether the panel still meets
/// its rules for that bid without them.
fn step(panel: &Panel, m: &crate::domain::Matrix, md: &crate::domain::moderation::Moderation, e: usize, b: usize, bidder: &str) -> String {
    let name = panel.evaluators[e].name.trim();
    let rest = match panel.evaluators[e].role {
        Role::Quality => {
            let short: Vec<String> = panel
                .criteria_of(e, m)
                .into_iter()
                .filter(|&c| scoring_without_conflict(panel, m, md, c, b) < MIN_EVALUATORS)
                .filter_map(|c| m.criteria().nth(c).map(|(_, x)| x.reference.clone()))
                .collect();
            if short.is_empty() {
                format!("the agreed scores for {bidder} come from the other evaluators, at least {MIN_EVALUATORS} for each criterion")
            } else {
                format!(
                    "criteria {} of {bidder} are left with fewer than {MIN_EVALUATORS} evaluators: an evaluator without a conflict must be added before the award",
                    short.join(", ")
                )
            }
        }
        Role::Commercial => format!("{bidder}'s costs are checked by the other commercial evaluators"),
    };
    format!("{name}'s scores and figures for {bidder} are left out of the moderation; {rest}")
}

impl Assessment {
    /// The assessment as text.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n{}\n\n{}\nPrepared on {}\n\nPEOPLE INVOLVED AND THEIR DECLARATIONS\n", self.title.to_uppercase(), self.tender, self.law, long(self.prepared));
        for [name, role, scope, signed, on, n] in &self.people {
            out += &format!("  {name}, {role} ({scope}): declaration signed by {signed} on {on}; conflicts declared: {n}\n");
        }
        out += "\nCONFLICTS FOUND AND THE STEPS TAKEN\n";
        if self.conflicts.is_empty() {
            out += "  None declared.\n";
        }
        for c in &self.conflicts {
            out += &format!("  {} with {}: {}. Step: {}.\n", c.person, c.bidder, c.nature, c.step);
        }
        out += "\nREVIEW LOG\n";
        for [when, what, who, detail] in &self.log {
            out += &format!("  {when}: {what}: {who}{}\n", if detail.is_empty() { String::new() } else { format!(" ({detail})") });
        }
        out += "\nREVIEWED\n  Name: ______________________  Role: ______________________  Date: __________\n";
        out
    }

    /// The assessment as a Word document, its lists as tables.
    pub fn document(&self) -> Vec<u8> {
        let heading = |t: &str| Paragraph::new().run(Run::new(t).bold().size(24));
        let plain = |t: &str| Paragraph::new().run(Run::new(t));
        let mut doc = Document::default()
            .paragraph(Paragraph::new().run(Run::new(self.title).bold().size(32)))
            .paragraph(Paragraph::new().run(Run::new(&self.tender).bold()))
            .paragraph(plain(self.law))
            .paragraph(plain(&format!("Prepared on {}", long(self.prepared))))
            .paragraph(heading("People involved and their declarations"))
            .table(Table::of(
                &[95, 65, 80, 90, 70, 60],
                &["Name", "Role", "Evaluates", "Declaration signed by", "Declared on", "Conflicts"],
                self.people.iter().map(|p| p.to_vec()),
                None,
            ))
            .paragraph(heading("Conflicts found and the steps taken"));
        doc = if self.conflicts.is_empty() {
            doc.paragraph(plain("None declared."))
        } else {
            doc.table(Table::of(
                &[80, 90, 110, 180],
                &["Person", "Bidder", "Nature", "Step taken"],
                self.conflicts.iter().map(|c| vec![c.person.clone(), c.bidder.clone(), c.nature.clone(), c.step.clone()]),
                None,
            ))
        };
        doc.paragraph(heading("Review log"))
            .table(Table::of(&[95, 75, 110, 180], &["When", "What", "Who", "Detail"], self.log.iter().map(|l| l.to_vec()), None))
            .paragraph(heading("Reviewed"))
            .table(Table::of(&[150, 150, 160], &["Name", "Role", "Date"], [vec![String::new(), String::new(), String::new()]], None))
            .to_bytes()
    }
}
