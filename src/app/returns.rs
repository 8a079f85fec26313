//! `returns collect`: the evaluators' returns read into the matrix, the Moderation sheet and its
//! flags, every refusal located.

use crate::app::{Input, workbook};
use crate::domain::moderation::{accept, flags};
use crate::domain::panel::Panel;
use crate::domain::{Finding, Rule, Subject};
use crate::report::{self, Chain, Located, counts};
use crate::xlsx::layout::LayoutFile;
use crate::xlsx::matrix::{ReadMatrix, read_matrix};
use crate::xlsx::moderation::{AuditRow, ModerationPlaces, moderated_edits, read_moderation, read_panel, source_of};
use crate::domain::declaration::{Declaration, Declared};
use crate::xlsx::declaration::{DeclarationLayout, read_declaration};
use crate::xlsx::returns::{file_names, read_return_from};
use crate::xlsx::{Edits, Workbook};
use crate::{Error, Result};

/// The panel file as a buyer gives it, or `None` to use the panel kept in a moderated matrix.
pub fn panel_of(wb: &Workbook, matrix: &Input, given: Option<&Input>) -> Result<(Panel, String)> {
    match given {
        Some(p) => Ok((p.toml()?, p.name.clone())),
        None => match read_panel(wb)? {
            Some(panel) => Ok((panel, format!("{} (Panel sheet)", matrix.name))),
            None => Err(Error::Usage(format!("{}: no evaluation panel: pass --evaluators panel.toml", matrix.name))),
        },
    }
}

/// The tender's reference and title, as the matrix states them.
pub fn tender_of(wb: &Workbook, panel: &Panel) -> (Option<String>, String) {
    let value = |name: &str| {
        let (sheet, range) = wb.defined_range(name)?;
        let v = wb.sheet(&sheet).ok()?.text(range.start);
        (!v.is_empty()).then_some(v)
    };
    let reference = value("TenderReference");
    let title = value("TenderTitle").unwrap_or_else(|| panel.tender.clone());
    (reference, title)
}

/// The panel checked against the matrix: what to say (standard error), and whether it stops.
pub fn check_panel(panel: &Panel, wb: &Workbook, read: &ReadMatrix, panel_file: &str) -> (String, bool) {
    let (reference, _) = tender_of(wb, panel);
    let problems = panel.check(&read.matrix, reference.as_deref());
    if problems.is_empty() {
        return (String::new(), false);
    }
    let located = report::locate(std::path::Path::new(panel_file), problems, &Chain(vec![&read.layout, &PanelKeys]));
    (report::human(&located, 50), counts(&located).0 > 0)
}

/// Places in a panel file.
struct PanelKeys;

impl report::Locate for PanelKeys {
    fn locate(&self, subject: &Subject) -> Option<String> {
        match subject {
            Subject::Evaluator { evaluator } => Some(format!("evaluators[{evaluator}]")),
            Subject::Panel => Some("evaluators".into()),
            _ => None,
        }
    }
}

/// A return's declaration, checked complete against the matrix's bidders and kept as the
/// moderation keeps it; or why its scores cannot count, naming each cell to fill.
pub fn declared(m: &crate::domain::Matrix, who: &str, declaration: Option<(Declaration, DeclarationLayout)>) -> std::result::Result<Declared, String> {
    let who = who.trim();
    let Some((d, layout)) = declaration else {
        return Err(format!(
            "{who}'s return has no Declaration sheet (it was made before tenderkit asked for a declaration of interests), so its scores are not counted: issue a new return with tenderkit returns new"
        ));
    };
    let bidders: Vec<&str> = m.bids.iter().map(|b| b.bidder.as_str()).collect();
    let missing = d.missing(&bidders);
    if !missing.is_empty() {
        let each: Vec<String> = missing
            .iter()
            .map(|x| match layout.cell(x) {
                Some(c) => format!("{}!{c}: {}", layout.sheet, x.words(&d)),
                None => x.words(&d),
            })
            .collect();
        return Err(format!("{who}'s declaration of interests is not complete, so the return's scores are not counted; still to give: {}", each.join("; ")));
    }
    let conflicts = d
        .conflicts()
        .filter_map(|a| Some((m.bids.iter().position(|b| crate::domain::same_name(&b.bidder, &a.bidder))?, a.nature.clone())))
        .collect();
    Ok(Declared { name: d.name.clone(), date: d.date, conflicts })
}

/// What the audit trail says of a collected return: its figures and its declaration.
pub fn audit_detail(m: &crate::domain::Matrix, accepted: &crate::domain::moderation::Accepted) -> String {
    let figures = format!("{} scores, {} costs", accepted.marks.len(), accepted.costs.len());
    let Some(d) = &accepted.declared else { return figures };
    let on = d.date.map(|x| x.to_string()).unwrap_or_default();
    if d.conflicts.is_empty() {
        return format!("{figures}; declaration of {on}: no conflict of interest");
    }
    let with: Vec<&str> = d.conflicts.iter().filter_map(|(b, _)| m.bids.get(*b).map(|x| x.bidder.trim())).collect();
    format!("{figures}; declaration of {on}: a conflict of interest with {} (those scores left out)", with.join(", "))
}

/// What `returns collect` did.
pub enum Outcome {
    /// Nothing collected: the panel breaks the rules; what to say.
    PanelRefused(String),
    Done(Box<Collected>),
}

pub struct Collected {
    pub workbook: Workbook,
    pub edits: Edits,
    pub findings: Vec<Located>,
    pub collected: usize,
    pub returns: usize,
    /// Evaluators whose return has not come.
    pub outstanding: Vec<String>,
    /// What the panel check said, when it found only warnings.
    pub panel_messages: String,
}

/// Collects `returns` into the matrix; `now` is when (the audit trail's clock, the shell's);
/// `written` names the workbook the edits will be written to, for the findings' places.
pub fn collect(matrix: &Input, returns: &[Input], panel: Option<&Input>, layout: &LayoutFile, now: &str, written: &str) -> Result<Outcome> {
    let wb = workbook(matrix)?;
    let read = read_matrix(&wb, layout)?;
    let (panel, panel_file) = panel_of(&wb, matrix, panel)?;
    let (panel_messages, stop) = check_panel(&panel, &wb, &read, &panel_file);
    if stop {
        return Ok(Outcome::PanelRefused(panel_messages));
    }
    let issued_names = file_names(&panel);
    let mut existing = read_moderation(&wb, &read, &panel)?;
    let mut findings: Vec<Finding> = Vec::new();
    let mut fresh = vec![None; panel.evaluators.len()];
    let mut files: Vec<(String, Option<crate::xlsx::returns::ReturnLayout>)> = returns.iter().map(|r| (r.name.clone(), None)).collect();
    let mut collected = 0;
    for (i, file) in returns.iter().enumerate() {
        let refused = |detail: String| AuditRow {
            when: now.to_string(),
            what: "refused return".into(),
            who: String::new(),
            detail,
            file: file.name.clone(),
            sha256: String::new(),
        };
        let (mut ret, layout, declaration) = match workbook(file).and_then(|wb| Ok((read_return_from(&wb)?, read_declaration(&wb)))) {
            Ok(((ret, layout), declaration)) => (ret, layout, declaration),
            Err(e) => {
                findings.push(Finding::error(
                    Rule::ReturnRefused,
                    Subject::Return { file: i },
                    e.to_string(),
                    "ask the evaluator to send the return again",
                ));
                existing.audit.push(refused(e.to_string()));
                continue;
            }
        };
        files[i].1 = Some(layout.clone());
        // A return made before it recorded who it was issued to: its file name as issued says.
        if ret.issued_to.is_none() {
            let issued = file.path().file_name().map(|f| f.to_string_lossy().to_lowercase());
            ret.issued_to = issued_names.iter().position(|n| Some(n.to_lowercase()) == issued).map(|e| panel.evaluators[e].name.clone());
        }
        let (accepted, mut notes) = accept(&panel, &read.matrix, &ret, i);
        let Some(mut accepted) = accepted else {
            existing.audit.push(refused(notes.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join("; ")));
            findings.append(&mut notes);
            continue;
        };
        let e = accepted.evaluator;
        // No score counts before its declaration of interests is complete.
        match declared(&read.matrix, &panel.evaluators[e].name, declaration) {
            Ok(d) => accepted.declared = Some(d),
            Err(why) => {
                existing.audit.push(refused(why.clone()));
                findings.push(Finding::error(
                    Rule::DeclarationIncomplete,
                    Subject::Return { file: i },
                    why,
                    format!("ask {} to complete the Declaration sheet and send the return again", panel.evaluators[e].name.trim()),
                ));
                continue;
            }
        }
        if fresh[e].is_some() {
            notes.push(Finding::warning(
                Rule::ReturnRowIgnored,
                Subject::Return { file: i },
                format!("{} sent more than one return in this collection; the last one given counts", panel.evaluators[e].name.trim()),
                "collect only the return you mean to use",
            ));
        }
        let source = source_of(file.path(), &file.bytes, now);
        existing.audit.push(AuditRow {
            when: now.to_string(),
            what: "collected return".into(),
            who: format!("{} ({})", panel.evaluators[e].name.trim(), panel.evaluators[e].role.name()),
            detail: audit_detail(&read.matrix, &accepted),
            file: source.file.clone(),
            sha256: source.sha256.clone(),
        });
        existing.moderation.put(e, source, &accepted);
        fresh[e] = Some(layout);
        findings.append(&mut notes);
        collected += 1;
    }
    let md = &existing.moderation;
    let flagged = flags(&panel, &read.matrix, md);
    let edits = moderated_edits(&wb, &read, &panel, md, &flagged, &existing.audit, existing.use_mean)?;
    findings.extend(flagged);
    let outstanding =
        panel.evaluators.iter().zip(&md.sources).filter(|(_, s)| s.is_none()).map(|(e, _)| e.name.trim().to_string()).collect();
    let places = ModerationPlaces {
        matrix: &read.matrix,
        layout: &existing.layout,
        returns: fresh,
        sheets: existing.sheets,
        files,
        workbook: written.to_string(),
    };
    let located = report::locate(std::path::Path::new(written), findings, &Chain(vec![&places, &read.layout]));
    Ok(Outcome::Done(Box::new(Collected {
        workbook: wb,
        edits,
        findings: located,
        collected,
        returns: returns.len(),
        outstanding,
        panel_messages,
    })))
}

impl Collected {
    pub fn exit(&self) -> u8 {
        u8::from(counts(&self.findings).0 > 0)
    }

    /// `returns collect --json`'s answer.
    pub fn to_json(&self, matrix: &str, written: &str) -> serde_json::Value {
        let (errors, warnings) = counts(&self.findings);
        serde_json::json!({
            "matrix": matrix,
            "written": written,
            "collected": self.collected,
            "refused": self.returns - self.collected,
            "errors": errors,
            "warnings": warnings,
            "findings": self.findings,
        })
    }

    /// What `returns collect` prints.
    pub fn report(&self, written: &str) -> String {
        let mut out = if self.findings.is_empty() { String::new() } else { report::human(&self.findings, 500) };
        out += &format!("collected {} of {} returns into {written}\n", self.collected, self.returns);
        if !self.outstanding.is_empty() {
            out += &format!("still to come: {}\n", self.outstanding.join(", "));
        }
        out += "next: agree the scores at the moderation meeting, record them in the Moderation sheet's 'Agreed score' column, then run `tenderkit score`\n";
        out
    }

    pub fn workbook_bytes(&self) -> Result<Vec<u8>> {
        self.workbook.to_bytes(&self.edits)
    }
}
