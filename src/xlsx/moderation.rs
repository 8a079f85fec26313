//! The moderated matrix: the buyer's matrix with the panel's work added as sheets tenderkit owns.
//!
//! - `Panel`: who evaluates what.
//! - one `Eval - <name>` sheet per evaluator: their return as collected, with its file, SHA-256
//!   and collection time;
//! - `Moderation`: per criterion and bid, each evaluator's score, mean, spread, the agreed score
//!   (typed at the moderation meeting), the final score and its basis, a note, and the flags;
//! - `Price check`: per bid and cost, each commercial evaluator's figure, the agreed amount and
//!   the final one;
//! - `Audit`: what was collected and scored, when, from which files.
//!
//! The matrix's score and cost cells become formulas pointing at the final figures, so the
//! workbook stays a working Excel tool. These sheets are rewritten on every collect; the agreed
//! scores, amounts and notes typed into them are read first and kept.

use std::path::Path;

use crate::domain::declaration::Declared;
use crate::domain::finding::{Finding, Subject};
use crate::domain::moderation::{Basis, Moderation, Source, accept, final_matrix};
use crate::domain::{name_key, same_name};
use crate::domain::panel::{Evaluator, Panel, Role, same_person};
use crate::domain::scale::fmt_number;
use crate::domain::{Entry, Matrix, scoring};
use crate::report::Locate;
use crate::xlsx::cellref::{CellRef, col_name};
use crate::xlsx::layout::norm;
use crate::xlsx::matrix::{ReadMatrix, entry, place};
use crate::xlsx::patch::{CellEdit, Computed, Edits};
use crate::xlsx::returns::{LABEL_EVALUATOR, LABEL_ROLE, LABEL_TENDER, ReturnLayout, labelled, read_table};
use crate::xlsx::sheet_writer::{Look, Looks, NewSheet, column_range, sheet_name};
use crate::xlsx::workbook::{Value, Workbook, quote_sheet};

pub const PANEL: &str = "Panel";
pub const MODERATION: &str = "Moderation";
pub const PRICE_CHECK: &str = "Price check";
pub const AUDIT: &str = "Audit";
const EVAL_PREFIX: &str = "Eval - ";
const MODERATION_HEADER: u32 = 5;
const PRICE_HEADER: u32 = 3;
const AUDIT_HEADER: u32 = 3;
const TABLE_HEADER: u32 = 11;

/// One line of the audit trail.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AuditRow {
    pub when: String,
    pub what: String,
    pub who: String,
    pub detail: String,
    pub file: String,
    pub sha256: String,
}

/// Where things are in the moderation sheets, derived from the panel and the matrix.
#[derive(Clone, Debug)]
pub struct ModerationLayout {
    /// Quality evaluators (panel indices) and their score column on `Moderation`.
    pub quality_cols: Vec<(usize, u32)>,
    pub mean_col: u32,
    pub spread_col: u32,
    pub agreed_col: u32,
    pub final_col: u32,
    pub basis_col: u32,
    pub note_col: u32,
    pub flags_col: u32,
    bids: usize,
    /// Commercial evaluators and their column on `Price check`.
    pub commercial_cols: Vec<(usize, u32)>,
    pub agreed_cost_col: u32,
    pub final_cost_col: u32,
    pub cost_note_col: u32,
    pub cost_flags_col: u32,
    components: usize,
    /// Per evaluator, the sheet holding their return.
    pub eval_sheets: Vec<String>,
    pub use_mean: CellRef,
}

impl ModerationLayout {
    pub fn plan(panel: &Panel, m: &Matrix, components: usize) -> ModerationLayout {
        let quality = panel.in_role(Role::Quality);
        let commercial = panel.in_role(Role::Commercial);
        let quality_cols: Vec<(usize, u32)> = quality.iter().enumerate().map(|(i, &e)| (e, 4 + i as u32)).collect();
        let after = 4 + quality.len() as u32;
        let commercial_cols: Vec<(usize, u32)> = commercial.iter().enumerate().map(|(i, &e)| (e, 3 + i as u32)).collect();
        let after_c = 3 + commercial.len() as u32;
        let mut used: Vec<String> = Vec::new();
        let eval_sheets = panel
            .evaluators
            .iter()
            .map(|ev| {
                let mut name = sheet_name(&format!("{EVAL_PREFIX}{}", ev.name.trim()));
                let mut n = 2;
                while used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
                    let suffix = format!(" ({n})");
                    name = sheet_name(&format!("{}{suffix}", name.chars().take(31 - suffix.len()).collect::<String>()));
                    n += 1;
                }
                used.push(name.clone());
                name
            })
            .collect();
        ModerationLayout {
            quality_cols,
            mean_col: after,
            spread_col: after + 1,
            agreed_col: after + 2,
            final_col: after + 3,
            basis_col: after + 4,
            note_col: after + 5,
            flags_col: after + 6,
            bids: m.bids.len(),
            commercial_cols,
            agreed_cost_col: after_c,
            final_cost_col: after_c + 1,
            cost_note_col: after_c + 2,
            cost_flags_col: after_c + 3,
            components,
            eval_sheets,
            use_mean: CellRef::new(2, 2),
        }
    }

    pub fn row(&self, criterion: usize, bid: usize) -> u32 {
        MODERATION_HEADER + 1 + (criterion * self.bids + bid) as u32
    }

    pub fn cost_row(&self, bid: usize, component: usize) -> u32 {
        PRICE_HEADER + 1 + (bid * self.components + component) as u32
    }
}

fn entry_edit(e: &Entry) -> Option<CellEdit> {
    match e {
        Entry::Empty => None,
        Entry::Number(n) => Some(CellEdit::Number(*n)),
        Entry::Text(t) => Some(CellEdit::Text(t.to_string())),
    }
}

/// Styles borrowed from the matrix's own heading, score and weighted-score cells.
fn looks(wb: &Workbook, read: &ReadMatrix) -> Looks {
    let Some(q) = &read.layout.quality else { return Looks::default() };
    let Ok(sheet) = wb.sheet(&q.sheet) else { return Looks::default() };
    let style = |at: Option<CellRef>| at.and_then(|a| sheet.cell(a)).and_then(|c| c.style());
    let first_row = q.criterion_rows.first().copied();
    let bidder = q.bidders.first();
    Looks {
        heading: style(q.cols.criterion.map(|c| q.at(c, q.header_row))),
        input: style(first_row.zip(bidder).map(|(r, b)| q.at(r, b.score))),
        formula: style(first_row.zip(bidder.and_then(|b| b.weighted)).map(|(r, c)| q.at(r, c))),
        alert: wb.dxf_with_fill(crate::xlsx::checks::RED),
    }
}

/// The heading above the conflicts of interest the panel declared, on the Panel sheet.
const CONFLICTS_HEADING: &str = "Conflicts of interest declared";

fn panel_sheet(panel: &Panel, m: &Matrix, md: &Moderation) -> NewSheet {
    let mut s = NewSheet::default();
    s.text(CellRef::new(1, 1), format!("Evaluation panel for tender {}", panel.tender.trim()), Look::Plain);
    s.text(CellRef::new(2, 1), LABEL_TENDER, Look::Plain);
    s.text(CellRef::new(2, 2), panel.tender.trim(), Look::Plain);
    s.text(CellRef::new(3, 1), "Spread that needs discussion (points)", Look::Plain);
    if let Some(sp) = panel.spread {
        s.set(CellRef::new(3, 2), CellEdit::Number(sp), Look::Plain);
    }
    for (col, h) in ["Name", "Role", "Criteria", "Email", "Declaration signed by", "Declared on", "Conflicts declared"].iter().enumerate() {
        s.text(CellRef::new(5, col as u32 + 1), *h, Look::Heading);
    }
    for (i, e) in panel.evaluators.iter().enumerate() {
        let row = 6 + i as u32;
        s.text(CellRef::new(row, 1), e.name.trim(), Look::Plain);
        s.text(CellRef::new(row, 2), e.role.name(), Look::Plain);
        s.text(
            CellRef::new(row, 3),
            if e.role == Role::Quality && e.criteria.is_empty() { "all".into() } else { e.criteria.join(", ") },
            Look::Plain,
        );
        s.text(CellRef::new(row, 4), e.email.clone().unwrap_or_default(), Look::Plain);
        if let Some(d) = md.declarations.get(i).and_then(Option::as_ref) {
            s.text(CellRef::new(row, 5), d.name.trim(), Look::Plain);
            s.text(CellRef::new(row, 6), d.date.map(|x| x.to_string()).unwrap_or_default(), Look::Plain);
            s.set(CellRef::new(row, 7), CellEdit::Number(d.conflicts.len() as f64), Look::Plain);
        }
    }
    // Every declared conflict, one row each: the record the conflicts assessment draws on.
    let mut row = 6 + panel.evaluators.len() as u32 + 1;
    s.text(CellRef::new(row, 1), CONFLICTS_HEADING, Look::Heading);
    for (col, h) in ["Bidder", "Nature of the conflict"].iter().enumerate() {
        s.text(CellRef::new(row, col as u32 + 2), *h, Look::Heading);
    }
    for (e, d) in md.declarations.iter().enumerate() {
        for (b, nature) in d.iter().flat_map(|d| &d.conflicts) {
            row += 1;
            s.text(CellRef::new(row, 1), panel.evaluators[e].name.trim(), Look::Plain);
            s.text(CellRef::new(row, 2), m.bids.get(*b).map_or("", |x| x.bidder.trim()), Look::Plain);
            s.text(CellRef::new(row, 3), nature.as_str(), Look::Plain);
        }
    }
    for (c, w) in [(1, 30.0), (2, 30.0), (3, 40.0), (4, 30.0), (5, 24.0), (6, 12.0), (7, 10.0)] {
        s.width(c, w);
    }
    s
}

/// The declarations kept on a moderated matrix's Panel sheet, per panel evaluator.
fn read_declarations(wb: &Workbook, panel: &Panel, m: &Matrix) -> crate::Result<Vec<Option<Declared>>> {
    let mut out = vec![None; panel.evaluators.len()];
    if !wb.sheets().iter().any(|s| s.name.eq_ignore_ascii_case(PANEL)) {
        return Ok(out);
    }
    let s = wb.sheet(PANEL)?;
    for (e, d) in out.iter_mut().enumerate() {
        let row = 6 + e as u32;
        let name = s.text(CellRef::new(row, 5));
        if !name.trim().is_empty() && same_person(&s.text(CellRef::new(row, 1)), &panel.evaluators[e].name) {
            *d = Some(Declared { name, date: s.text(CellRef::new(row, 6)).parse().ok(), conflicts: Vec::new() });
        }
    }
    let Some(heading) = (1..=s.last_row()).find(|&r| norm(&s.text(CellRef::new(r, 1))) == norm(CONFLICTS_HEADING)) else { return Ok(out) };
    for row in heading + 1..=s.last_row() {
        let who = s.text(CellRef::new(row, 1));
        let Some(e) = panel.evaluators.iter().position(|x| same_person(&x.name, &who)) else { continue };
        let Some(b) = m.bids.iter().position(|x| same_name(&x.bidder, &s.text(CellRef::new(row, 2)))) else { continue };
        if let Some(d) = out[e].as_mut() {
            d.conflicts.push((b, s.text(CellRef::new(row, 3))));
        }
    }
    Ok(out)
}

/// Reads the panel kept in a moderated matrix.
pub fn read_panel(wb: &Workbook) -> crate::Result<Option<Panel>> {
    if !wb.sheets().iter().any(|s| s.name.eq_ignore_ascii_case(PANEL)) {
        return Ok(None);
    }
    let s = wb.sheet(PANEL)?;
    let tender = labelled(s, LABEL_TENDER).map(|x| x.0).unwrap_or_default();
    let spread = s.value(CellRef::new(3, 2));
    let mut evaluators = Vec::new();
    for row in 6..=s.last_row() {
        let name = s.text(CellRef::new(row, 1));
        // The panel's table ends at its first empty row (the declared conflicts follow it).
        if name.trim().is_empty() {
            break;
        }
        let Some(role) = Role::parse(&s.text(CellRef::new(row, 2))) else { continue };
        let criteria = s.text(CellRef::new(row, 3));
        let criteria = if criteria.eq_ignore_ascii_case("all") {
            Vec::new()
        } else {
            criteria.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect()
        };
        let email = Some(s.text(CellRef::new(row, 4))).filter(|e| !e.is_empty());
        evaluators.push(Evaluator { name, role, criteria, email });
    }
    Ok(Some(Panel { tender, spread: if let Value::Number(n) = spread { Some(*n) } else { None }, evaluators }))
}

/// Everything a moderated matrix holds besides the matrix itself.
pub struct ReadModeration {
    pub moderation: Moderation,
    pub layout: ModerationLayout,
    pub audit: Vec<AuditRow>,
    pub use_mean: bool,
    /// Per evaluator, where their figures are in this workbook (their `Eval` sheet).
    pub sheets: Vec<Option<ReturnLayout>>,
}

/// Reads what the panel returned and agreed, from a moderated matrix (or starts afresh).
pub fn read_moderation(wb: &Workbook, read: &ReadMatrix, panel: &Panel) -> crate::Result<ReadModeration> {
    let m = &read.matrix;
    let mut md = Moderation::new(m, panel);
    let layout = ModerationLayout::plan(panel, m, md.components.len());
    let has = |name: &str| wb.sheets().iter().any(|s| s.name.eq_ignore_ascii_case(name));
    let mut sheets = vec![None; panel.evaluators.len()];
    let declared = read_declarations(wb, panel, m)?;
    for (e, name) in layout.eval_sheets.iter().enumerate() {
        if !has(name) {
            continue;
        }
        let sheet = wb.sheet(name)?;
        let (r, l) = read_table(sheet, wb.path());
        let (Some(mut accepted), _) = accept(panel, m, &r, 0) else { continue };
        if accepted.evaluator != e {
            continue;
        }
        accepted.declared = declared[e].clone();
        let label = |l: &str| labelled(sheet, l).map(|x| x.0).unwrap_or_default();
        md.put(e, Source { file: label("Source file"), sha256: label("SHA-256"), collected: label("Collected") }, &accepted);
        sheets[e] = Some(l);
    }
    let mut use_mean = false;
    if has(MODERATION) {
        let s = wb.sheet(MODERATION)?;
        use_mean = norm(&s.text(layout.use_mean)) == "yes";
        let col = |want: &str| (1..=s.last_col()).find(|&c| norm(&s.text(CellRef::new(MODERATION_HEADER, c))) == norm(want));
        let refs: Vec<String> = m.criteria().map(|(_, c)| norm(&c.reference)).collect();
        if let (Some(agreed), Some(note)) = (col("Agreed score"), col("Moderation note")) {
            for row in MODERATION_HEADER + 1..=s.last_row() {
                let (r, b) = (norm(&s.text(CellRef::new(row, 1))), name_key(&s.text(CellRef::new(row, 3))));
                let (Some(c), Some(b)) = (refs.iter().position(|x| *x == r), m.bids.iter().position(|x| name_key(&x.bidder) == b)) else {
                    continue;
                };
                md.consensus[c][b] = entry(s.value(CellRef::new(row, agreed)));
                md.notes[c][b] = s.text(CellRef::new(row, note));
            }
        }
    }
    if has(PRICE_CHECK) {
        let s = wb.sheet(PRICE_CHECK)?;
        let col = |want: &str| (1..=s.last_col()).find(|&c| norm(&s.text(CellRef::new(PRICE_HEADER, c))) == norm(want));
        let note = col("Note");
        if let Some(agreed) = col("Agreed amount") {
            for row in PRICE_HEADER + 1..=s.last_row() {
                let (b, k) = (name_key(&s.text(CellRef::new(row, 1))), norm(&s.text(CellRef::new(row, 2))));
                let Some(b) = m.bids.iter().position(|x| name_key(&x.bidder) == b) else { continue };
                let Some(k) = md.components.iter().position(|c| norm(c.label()) == k) else { continue };
                md.agreed[b][k] = match s.value(CellRef::new(row, agreed)) {
                    Value::Number(n) => Entry::Number(*n),
                    _ => Entry::Empty,
                };
                if let Some(c) = note {
                    md.agreed_notes[b][k] = s.text(CellRef::new(row, c));
                }
            }
        }
    }
    let mut audit = Vec::new();
    if has(AUDIT) {
        let s = wb.sheet(AUDIT)?;
        for row in AUDIT_HEADER + 1..=s.last_row() {
            let t = |c: u32| s.text(CellRef::new(row, c));
            if t(1).is_empty() {
                continue;
            }
            audit.push(AuditRow { when: t(1), what: t(2), who: t(3), detail: t(4), file: t(5), sha256: t(6) });
        }
    }
    Ok(ReadModeration { moderation: md, layout, audit, use_mean, sheets })
}

/// The flags about one row of the Moderation sheet, joined.
fn flags_for(flags: &[Finding], c: usize, b: usize) -> String {
    flags
        .iter()
        .filter(|f| match f.subject {
            Subject::Returned { criterion, bid, .. }
            | Subject::Justification { criterion, bid, .. }
            | Subject::Consensus { criterion, bid } => (criterion, bid) == (c, b),
            _ => false,
        })
        .map(|f| f.message.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

fn eval_sheet(panel: &Panel, e: usize, m: &Matrix, md: &Moderation, source: &Source) -> NewSheet {
    let ev = &panel.evaluators[e];
    let mut s = NewSheet::default();
    s.text(CellRef::new(1, 1), format!("Returned by {} ({} evaluator)", ev.name.trim(), ev.role.name()), Look::Plain);
    let labels = [
        (LABEL_TENDER, panel.tender.trim().to_string()),
        (LABEL_EVALUATOR, ev.name.trim().to_string()),
        (LABEL_ROLE, ev.role.name().to_string()),
        ("Source file", source.file.clone()),
        ("SHA-256", source.sha256.clone()),
        ("Collected", source.collected.clone()),
    ];
    for (i, (label, value)) in labels.iter().enumerate() {
        s.text(CellRef::new(3 + i as u32, 1), *label, Look::Heading);
        s.text(CellRef::new(3 + i as u32, 2), value.clone(), Look::Plain);
    }
    match ev.role {
        Role::Quality => {
            for (col, h) in ["Ref", "Criterion", "Bidder", "Score", "Justification"].iter().enumerate() {
                s.text(CellRef::new(TABLE_HEADER, col as u32 + 1), *h, Look::Heading);
            }
            let criteria: Vec<_> = m.criteria().collect();
            let mut row = TABLE_HEADER + 1;
            for c in panel.criteria_of(e, m) {
                for (b, bid) in m.bids.iter().enumerate() {
                    s.text(CellRef::new(row, 1), criteria[c].1.reference.trim(), Look::Plain);
                    s.text(CellRef::new(row, 2), criteria[c].1.title.trim(), Look::Plain);
                    s.text(CellRef::new(row, 3), bid.bidder.trim(), Look::Plain);
                    if let Some(mark) = &md.marks[c][b][e] {
                        if let Some(edit) = entry_edit(&mark.score) {
                            s.set(CellRef::new(row, 4), edit, Look::Plain);
                        }
                        s.text(CellRef::new(row, 5), mark.justification.clone(), Look::Plain);
                    }
                    row += 1;
                }
            }
            for (c, w) in [(1, 14.0), (2, 40.0), (3, 30.0), (4, 8.0), (5, 70.0)] {
                s.width(c, w);
            }
        }
        Role::Commercial => {
            s.text(CellRef::new(TABLE_HEADER, 1), "Bidder", Look::Heading);
            for (k, comp) in md.components.iter().enumerate() {
                s.text(CellRef::new(TABLE_HEADER, 2 + k as u32), format!("{} (£)", capitalise(comp.label())), Look::Heading);
            }
            let notes = 2 + md.components.len() as u32;
            s.text(CellRef::new(TABLE_HEADER, notes), "Notes", Look::Heading);
            for (b, bid) in m.bids.iter().enumerate() {
                let row = TABLE_HEADER + 1 + b as u32;
                s.text(CellRef::new(row, 1), bid.bidder.trim(), Look::Plain);
                let mut note = String::new();
                for k in 0..md.components.len() {
                    if let Some((amount, n)) = &md.costs[b][k][e] {
                        if let Some(edit) = entry_edit(amount) {
                            s.set(CellRef::new(row, 2 + k as u32), edit, Look::Plain);
                        }
                        if !n.is_empty() {
                            note = n.clone();
                        }
                    }
                }
                s.text(CellRef::new(row, notes), note, Look::Plain);
            }
            s.width(1, 34.0);
            s.width(notes, 60.0);
        }
    }
    s
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// A score as the Moderation sheet shows an evaluator's: numbers on the scale count in the mean
/// and spread; anything else is shown as text, which those formulas skip.
fn moderation_score(e: &Entry, m: &Matrix) -> Option<CellEdit> {
    match e {
        Entry::Number(n) if m.scale.holds(*n) => Some(CellEdit::Number(*n)),
        Entry::Number(n) => Some(CellEdit::Text(format!("{} (off the scale)", fmt_number(*n)))),
        Entry::Text(t) => Some(CellEdit::Text(t.to_string())),
        Entry::Empty => None,
    }
}

/// The edits that write the panel's work into the matrix workbook.
pub fn moderated_edits(
    wb: &Workbook,
    read: &ReadMatrix,
    panel: &Panel,
    md: &Moderation,
    flags: &[Finding],
    audit: &[AuditRow],
    use_mean: bool,
) -> crate::Result<Edits> {
    if let Some(q) = &read.layout.quality {
        q.writable_scores(wb.path())?;
    }
    if let Some(p) = &read.layout.price {
        p.writable_costs(wb.path())?;
    }
    let m = &read.matrix;
    let layout = ModerationLayout::plan(panel, m, md.components.len());
    let mut edits = Edits::default();
    edits.looks = looks(wb, read);
    edits.put_sheet(PANEL, panel_sheet(panel, m, md));
    for (e, source) in md.sources.iter().enumerate() {
        if let Some(source) = source {
            edits.put_sheet(&layout.eval_sheets[e], eval_sheet(panel, e, m, md, source));
        }
    }
    let (final_m, basis) = final_matrix(panel, m, md, use_mean);

    // Moderation.
    let mut s = NewSheet::default();
    s.text(CellRef::new(1, 1), format!("Moderation of quality scores, tender {}", panel.tender.trim()), Look::Plain);
    s.text(CellRef::new(2, 1), "Use the evaluators' mean where no score was agreed (Yes/No)", Look::Plain);
    s.set(layout.use_mean, CellEdit::Text(if use_mean { "Yes" } else { "No" }.into()), Look::Input);
    s.list_validation(&layout.use_mean.to_string(), "\"Yes,No\"", "Yes or No");
    s.text(CellRef::new(3, 1), "Spread that needs discussion (points)", Look::Plain);
    s.set(CellRef::new(3, 2), CellEdit::Number(panel.spread_threshold(m)), Look::Plain);
    let mut headings: Vec<String> = vec!["Ref".into(), "Criterion".into(), "Bidder".into()];
    headings.extend(layout.quality_cols.iter().map(|(e, _)| panel.evaluators[*e].name.trim().to_string()));
    headings.extend(["Mean", "Spread", "Agreed score", "Final score", "Basis", "Moderation note", "Flags"].map(String::from));
    for (i, h) in headings.iter().enumerate() {
        s.text(CellRef::new(MODERATION_HEADER, i as u32 + 1), h.clone(), Look::Heading);
    }
    let first_eval = layout.quality_cols.first().map_or(layout.mean_col, |x| x.1);
    let last_eval = layout.quality_cols.last().map_or(layout.mean_col, |x| x.1);
    let criteria: Vec<_> = m.criteria().collect();
    let mut last_row = MODERATION_HEADER;
    for (c, (_, criterion)) in criteria.iter().enumerate() {
        for (b, bid) in m.bids.iter().enumerate() {
            let row = layout.row(c, b);
            last_row = row;
            let cell = |col: u32| CellRef::new(row, col);
            s.text(cell(1), criterion.reference.trim(), Look::Plain);
            s.text(cell(2), criterion.title.trim(), Look::Plain);
            s.text(cell(3), bid.bidder.trim(), Look::Plain);
            for &(e, col) in &layout.quality_cols {
                if let Some(edit) = md.marks[c][b][e].as_ref().and_then(|x| moderation_score(&x.score, m)) {
                    s.set(cell(col), edit, Look::Plain);
                }
            }
            let range = format!("{}{row}:{}{row}", col_name(first_eval), col_name(last_eval));
            let (mean, spread) = (md.mean(c, b, &m.scale), md.spread(c, b, &m.scale));
            let (g, a, f) = (col_name(layout.mean_col), col_name(layout.agreed_col), col_name(layout.final_col));
            s.set(cell(layout.mean_col), formula(format!("IF(COUNT({range})=0,\"\",AVERAGE({range}))"), mean.into()), Look::Formula);
            s.set(
                cell(layout.spread_col),
                formula(format!("IF(COUNT({range})<2,\"\",MAX({range})-MIN({range}))"), spread.into()),
                Look::Formula,
            );
            if let Some(edit) = entry_edit(&md.consensus[c][b]) {
                s.set(cell(layout.agreed_col), edit, Look::Input);
            } else {
                s.set(cell(layout.agreed_col), CellEdit::Clear, Look::Input);
            }
            let use_mean_ref = format!("{}!{}", MODERATION, layout.use_mean.absolute());
            s.set(
                cell(layout.final_col),
                formula(
                    format!("IF({a}{row}<>\"\",{a}{row},IF(AND({use_mean_ref}=\"Yes\",{g}{row}<>\"\"),{g}{row},\"\"))"),
                    final_m.bids[b].scores[c].number().into(),
                ),
                Look::Formula,
            );
            let why = match basis[c][b] {
                Basis::Consensus => "Consensus",
                Basis::Mean => "Mean",
                Basis::None => "",
            };
            s.set(
                cell(layout.basis_col),
                formula(format!("IF({a}{row}<>\"\",\"Consensus\",IF({f}{row}<>\"\",\"Mean\",\"\"))"), Computed::Text(why.into())),
                Look::Formula,
            );
            if md.notes[c][b].is_empty() {
                s.set(cell(layout.note_col), CellEdit::Clear, Look::Input);
            } else {
                s.set(cell(layout.note_col), CellEdit::Text(md.notes[c][b].clone()), Look::Input);
            }
            s.text(cell(layout.flags_col), flags_for(flags, c, b), Look::Plain);
        }
    }
    if last_row > MODERATION_HEADER {
        let values = m.scale.points().iter().map(|p| fmt_number(p.value)).collect::<Vec<_>>().join(",");
        s.list_validation(
            &column_range(layout.agreed_col, MODERATION_HEADER + 1, last_row),
            &format!("\"{values}\""),
            &format!("Enter one of {}", m.scale.values_text()),
        );
        // A spread the panel must discuss (at or above the threshold in B3) shows red.
        let first = MODERATION_HEADER + 1;
        let sp = col_name(layout.spread_col);
        s.alert(&column_range(layout.spread_col, first, last_row), &format!("AND(ISNUMBER({sp}{first}),{sp}{first}>=$B$3-0.000000001)"));
    }
    for (c, w) in [(1, 8.0), (2, 36.0), (3, 28.0)] {
        s.width(c, w);
    }
    s.width(layout.note_col, 40.0);
    s.width(layout.flags_col, 80.0);
    s.freeze(CellRef::new(MODERATION_HEADER + 1, 4));
    edits.put_sheet(MODERATION, s);
    edits.set_name("UseMean", &format!("{}!{}", MODERATION, layout.use_mean.absolute()));

    // Price check.
    let commercial = panel.in_role(Role::Commercial).len();
    let mut p = NewSheet::default();
    p.text(CellRef::new(1, 1), format!("Price check: the commercial evaluators' figures, tender {}", panel.tender.trim()), Look::Plain);
    let mut headings: Vec<String> = vec!["Bidder".into(), "Cost".into()];
    headings.extend(layout.commercial_cols.iter().map(|(e, _)| panel.evaluators[*e].name.trim().to_string()));
    headings.extend(["Agreed amount", "Final amount", "Note", "Flags"].map(String::from));
    for (i, h) in headings.iter().enumerate() {
        p.text(CellRef::new(PRICE_HEADER, i as u32 + 1), h.clone(), Look::Heading);
    }
    for (b, bid) in m.bids.iter().enumerate() {
        for (k, comp) in md.components.iter().enumerate() {
            let row = layout.cost_row(b, k);
            let cell = |col: u32| CellRef::new(row, col);
            p.text(cell(1), bid.bidder.trim(), Look::Plain);
            p.text(cell(2), capitalise(comp.label()), Look::Plain);
            for &(e, col) in &layout.commercial_cols {
                if let Some(edit) = md.costs[b][k][e].as_ref().and_then(|x| entry_edit(&x.0)) {
                    p.set(cell(col), edit, Look::Plain);
                }
            }
            let agreed = col_name(layout.agreed_cost_col);
            let final_amount = final_m.bids[b].costs.iter().find(|x| x.component == *comp).and_then(|x| x.amount.number());
            let f = match layout.commercial_cols.as_slice() {
                [] => format!("IF({agreed}{row}<>\"\",{agreed}{row},\"\")"),
                cols => {
                    let range = format!("{}{row}:{}{row}", col_name(cols[0].1), col_name(cols[cols.len() - 1].1));
                    // The figures agree by themselves when everyone entered them and they match to the penny.
                    format!(
                        "IF({agreed}{row}<>\"\",{agreed}{row},IF(AND(COUNT({range})={commercial},MAX({range})-MIN({range})<0.005),{}{row},\"\"))",
                        col_name(cols[0].1)
                    )
                }
            };
            p.set(cell(layout.agreed_cost_col), entry_edit(&md.agreed[b][k]).unwrap_or(CellEdit::Clear), Look::Input);
            p.set(cell(layout.final_cost_col), formula(f, final_amount.into()), Look::Formula);
            let note = &md.agreed_notes[b][k];
            p.set(cell(layout.cost_note_col), if note.is_empty() { CellEdit::Clear } else { CellEdit::Text(note.clone()) }, Look::Input);
            let cost_flags: Vec<String> = flags
                .iter()
                .filter(|x| matches!(x.subject, Subject::ReturnedCost { bid, cost, .. } | Subject::AgreedCost { bid, cost } if (bid, cost) == (b, k)))
                .map(|x| x.message.clone())
                .collect();
            p.text(cell(layout.cost_flags_col), cost_flags.join("; "), Look::Plain);
        }
    }
    p.width(1, 34.0);
    p.width(2, 18.0);
    p.width(layout.cost_flags_col, 80.0);
    p.freeze(CellRef::new(PRICE_HEADER + 1, 3));
    edits.put_sheet(PRICE_CHECK, p);
    edits.put_sheet(AUDIT, audit_sheet(audit));

    // The matrix takes its scores and costs from the final figures.
    if let Some(q) = &read.layout.quality {
        let sheet = wb.sheet(&q.sheet).ok();
        for c in 0..q.criterion_rows.len() {
            for b in 0..q.bidders.len() {
                let at = q.score_cell(c, b);
                let f = format!("{}!{}", MODERATION, CellRef::new(layout.row(c, b), layout.final_col).absolute());
                let score = final_m.bids[b].scores[c].number();
                // A score cell shown as a percentage holds a hundredth of the score.
                let percent = sheet.and_then(|s| s.cell(at)).is_some_and(|cell| wb.is_percent(cell).unwrap_or(false));
                let edit = if percent { formula(format!("{f}/100"), score.map(|x| x / 100.0).into()) } else { formula(f, score.into()) };
                edits.set(&q.sheet, at, edit);
            }
        }
    }
    if let Some(price) = &read.layout.price {
        for (b, row) in price.rows.iter().enumerate() {
            let Some(row) = *row else { continue };
            for (k, comp) in md.components.iter().enumerate() {
                let Some(&(_, col)) = price.components.iter().find(|(c, _)| c == comp) else { continue };
                let f = format!("{}!{}", quote_sheet(PRICE_CHECK), CellRef::new(layout.cost_row(b, k), layout.final_cost_col).absolute());
                let amount = final_m.bids[b].costs.iter().find(|x| x.component == *comp).and_then(|x| x.amount.number());
                edits.set(&price.sheet, price.at(row, col), formula(f, amount.into()));
            }
        }
    }
    edits.extend(read.layout.figure_changes(wb, &final_m, &scoring::compute(&final_m)));
    Ok(edits)
}

fn formula(f: String, result: Computed) -> CellEdit {
    CellEdit::Formula { formula: f, result }
}

fn audit_sheet(rows: &[AuditRow]) -> NewSheet {
    let mut s = NewSheet::default();
    s.text(CellRef::new(1, 1), "Audit trail: what produced each figure, from which files, when", Look::Plain);
    for (i, h) in ["When", "What", "Who", "Detail", "File", "SHA-256"].iter().enumerate() {
        s.text(CellRef::new(AUDIT_HEADER, i as u32 + 1), *h, Look::Heading);
    }
    for (i, r) in rows.iter().enumerate() {
        let row = AUDIT_HEADER + 1 + i as u32;
        for (c, v) in [&r.when, &r.what, &r.who, &r.detail, &r.file, &r.sha256].iter().enumerate() {
            s.text(CellRef::new(row, c as u32 + 1), (*v).clone(), Look::Plain);
        }
    }
    for (c, w) in [(1, 22.0), (2, 20.0), (3, 26.0), (4, 70.0), (5, 30.0), (6, 66.0)] {
        s.width(c, w);
    }
    s.freeze(CellRef::new(AUDIT_HEADER + 1, 1));
    s
}

/// Says where moderation findings are: in the return files collected this time, or in the
/// moderated workbook's own sheets.
pub struct ModerationPlaces<'a> {
    pub matrix: &'a Matrix,
    pub layout: &'a ModerationLayout,
    /// Per evaluator, the return collected this time, if any.
    pub returns: Vec<Option<ReturnLayout>>,
    /// Per evaluator, their sheet in the workbook, if it has one.
    pub sheets: Vec<Option<ReturnLayout>>,
    /// Return files by their index in this collection, with their layout where they could be read.
    pub files: Vec<(String, Option<ReturnLayout>)>,
    /// The workbook the sheets are in.
    pub workbook: String,
}

impl ModerationPlaces<'_> {
    fn evaluator_layout(&self, e: usize) -> Option<(&ReturnLayout, bool)> {
        self.returns
            .get(e)
            .and_then(Option::as_ref)
            .map(|l| (l, true))
            .or_else(|| self.sheets.get(e).and_then(Option::as_ref).map(|l| (l, false)))
    }

    fn score_cells(&self, e: usize, c: usize, b: usize) -> Option<(CellRef, CellRef, &ReturnLayout)> {
        let (l, _) = self.evaluator_layout(e)?;
        let criterion = norm(&self.matrix.criteria().nth(c)?.1.reference);
        let bidder = name_key(&self.matrix.bids.get(b)?.bidder);
        let (s, j) = l.scores.get(&(criterion, bidder))?;
        Some((*s, *j, l))
    }
}

impl Locate for ModerationPlaces<'_> {
    fn locate(&self, subject: &Subject) -> Option<String> {
        match subject {
            Subject::Returned { evaluator, criterion, bid } => {
                self.score_cells(*evaluator, *criterion, *bid).map(|(s, _, l)| place(&l.sheet, s))
            }
            Subject::Justification { evaluator, criterion, bid } => {
                self.score_cells(*evaluator, *criterion, *bid).map(|(_, j, l)| place(&l.sheet, j))
            }
            Subject::ReturnedCost { evaluator, bid, cost } => {
                let (l, _) = self.evaluator_layout(*evaluator)?;
                let comp = self.layout_component(*cost)?;
                let at = l.costs.get(&(name_key(&self.matrix.bids.get(*bid)?.bidder), comp))?;
                Some(place(&l.sheet, at))
            }
            Subject::Consensus { criterion, bid } => {
                Some(place(MODERATION, CellRef::new(self.layout.row(*criterion, *bid), self.layout.agreed_col)))
            }
            Subject::AgreedCost { bid, cost } => {
                Some(place(PRICE_CHECK, CellRef::new(self.layout.cost_row(*bid, *cost), self.layout.agreed_cost_col)))
            }
            Subject::Evaluator { evaluator } => Some(place(PANEL, CellRef::new(6 + *evaluator as u32, 1))),
            Subject::Return { file } => {
                let l = self.files.get(*file)?.1.as_ref()?;
                l.evaluator_cell.map(|c| place(&l.sheet, c))
            }
            Subject::ReturnTender { file } => {
                let l = self.files.get(*file)?.1.as_ref()?;
                l.tender_cell.map(|c| place(&l.sheet, c))
            }
            _ => None,
        }
    }

    fn file(&self, subject: &Subject) -> Option<String> {
        let from =
            |e: usize| self.evaluator_layout(e).map(|(l, fresh)| if fresh { l.path.display().to_string() } else { self.workbook.clone() });
        match subject {
            Subject::Returned { evaluator, .. } | Subject::Justification { evaluator, .. } | Subject::ReturnedCost { evaluator, .. } => {
                from(*evaluator)
            }
            Subject::Return { file } | Subject::ReturnTender { file } => self.files.get(*file).map(|f| f.0.clone()),
            Subject::Consensus { .. } | Subject::AgreedCost { .. } | Subject::Evaluator { .. } => Some(self.workbook.clone()),
            _ => None,
        }
    }
}

impl ModerationPlaces<'_> {
    fn layout_component(&self, k: usize) -> Option<crate::domain::CostComponent> {
        let comps: Vec<_> = self
            .matrix
            .bids
            .first()
            .map(|b| b.costs.iter().map(|c| c.component).collect::<Vec<_>>())
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| {
                vec![
                    crate::domain::CostComponent::Acquisition,
                    crate::domain::CostComponent::Operating,
                    crate::domain::CostComponent::EndOfLife,
                ]
            });
        comps.get(k).copied()
    }
}

/// Whether a workbook holds a moderation (collected returns).
pub fn is_moderated(wb: &Workbook) -> bool {
    wb.sheets().iter().any(|s| s.name.eq_ignore_ascii_case(MODERATION))
}

/// A return file as the audit trail describes it: its name, its SHA-256, when it was collected.
pub fn source_of(name: &Path, bytes: &[u8], when: &str) -> Source {
    Source {
        file: name.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
        sha256: crate::fsio::sha256_hex(bytes),
        collected: when.to_string(),
    }
}
