//! Rebuilds the example panel's returns from `examples/matrix.xlsx` and `examples/panel.toml`,
//! filled in as the evaluators would:
//!
//! - `examples/returns/`: the five returns. The agreed scores in the matrix are what the panel
//!   settled on at moderation; the evaluators' own scores sit around them. Tariq Hussain's return
//!   has every flaw the moderation flags: a missing score, a score off the scale, a missing
//!   justification, one that only restates the scale, and a score far from his colleagues'.
//!   Priya Nair mistyped one operating cost.
//! - `examples/returns-flawed/`: a return for another tender, one from someone not on the
//!   panel, and Tariq's corrected return.
//! - `examples/moderated.xlsx`: the five returns collected, with the agreed scores and the agreed
//!   operating cost recorded after the moderation meeting.
//!
//!     cargo run --example make_returns

use std::path::Path;

use tenderkit::domain::moderation::{accept, flags};
use tenderkit::domain::panel::{Panel, Role};
use tenderkit::domain::{Entry, Matrix, name_key};
use tenderkit::tender_file::load;
use tenderkit::xlsx::layout::{LayoutFile, norm};
use tenderkit::xlsx::matrix::read_matrix;
use tenderkit::xlsx::moderation::{AuditRow, moderated_edits, read_moderation};
use tenderkit::xlsx::declaration::declaration_edits;
use tenderkit::xlsx::returns::{ReturnContext, file_names, read_return, write_return};
use tenderkit::xlsx::{CellEdit, CellRef, Edits, Workbook};

const ISSUED: &str = "2026-11-02T09:00:00Z";
const COLLECTED: &str = "2026-11-16T17:30:00Z";

/// What each bid offered, per criterion (1.1 .. 3.3) and bidder, in the evaluators' words.
const FEATURES: [[&str; 4]; 10] = [
    [
        "26t vehicles with 19t payload; range tested on the Bearsden rounds with 22% battery left",
        "payload of 19.5t and range proven on three comparable rounds in Fife",
        "range stated as 'up to 150 miles' with no test on hilly rounds",
        "payload 20t; telemetry from a 14-month trial on similar rural and urban rounds",
    ],
    [
        "depot charging plan for 12 bays with load management, no grid upgrade costed",
        "smart charging with tariff scheduling and a costed grid connection",
        "charger specification only; no energy management proposal",
        "full depot design, grid upgrade costed, and battery storage to shave peak load",
    ],
    [
        "360-degree cameras, low-entry cab and a crew welfare plan with heated cab steps",
        "cameras and radar; welfare plan limited to cab heating",
        "cameras, radar and pedestrian alerts; nothing on crew welfare beyond the legal minimum",
        "cameras, radar, pedestrian alerts and a crew consultation on cab layout",
    ],
    [
        "rear-steer option tested in the narrow lanes of the old town",
        "standard chassis only; turning circle 2m wider than the specification",
        "narrow-track chassis, demonstrated on site",
        "rear-steer and narrow-track variants, both demonstrated",
    ],
    [
        "local workshop with 4-hour response and a named account manager",
        "mobile engineers with 2-hour response and weekly reporting",
        "response within 'one working day'; no named contact",
        "on-site technician at the depot and a 2-hour response guarantee",
    ],
    [
        "parts stocked in Glasgow; downtime target 48 hours",
        "parts held in Coventry with next-day delivery; downtime target 72 hours",
        "no stockholding commitment",
        "consignment stock at the depot; loan vehicle within 24 hours",
    ],
    [
        "driver training for all crews and two workshop courses",
        "driver training on handover; workshop training on request",
        "a single driver briefing",
        "accredited EV training for drivers and the council's technicians, with refreshers",
    ],
    [
        "second-life use for batteries through a named partner",
        "recycling by the manufacturer; no reuse route",
        "recycling 'in line with regulations'",
        "second-life storage at the depot, then certified recycling",
    ],
    [
        "Living Wage accredited; no commitment on zero-hours contracts",
        "Living Wage paid and staff forum, but agency use not addressed",
        "statement of intent only",
        "Living Wage accredited, no zero-hours contracts, trade union recognition",
    ],
    [
        "two apprenticeships and school visits",
        "one apprenticeship",
        "community fund contribution without targets",
        "three apprenticeships, a local supplier day and measurable targets",
    ],
];

fn justification(c: usize, b: usize, score: f64) -> String {
    let next = match score as i64 {
        0 | 1 => "A higher score needed evidence the requirement can be met.",
        2 => "More detail on delivery would have scored higher.",
        3 => "Evidence from a comparable contract would have scored higher.",
        _ => "Fully meets the requirement with evidence.",
    };
    let f = FEATURES[c][b];
    format!("{}{}. {next}", f[..1].to_uppercase(), &f[1..])
}

/// An evaluator's own score: the agreed one, moved for some criteria and bids as individual
/// judgement does before a moderation meeting.
fn own_score(agreed: f64, evaluator: usize, c: usize, b: usize) -> f64 {
    let nudge = match evaluator {
        1 if (c * 4 + b).is_multiple_of(5) => -1.0,
        1 if (c * 4 + b) % 7 == 3 => 1.0,
        2 if (c * 4 + b) % 6 == 1 => 1.0,
        _ => 0.0,
    };
    (agreed + nudge).clamp(0.0, 4.0)
}

fn fill(path: &Path, edits: impl FnOnce(&tenderkit::xlsx::returns::ReturnLayout, &mut Edits)) -> tenderkit::Result<()> {
    let (_, layout) = read_return(path)?;
    let mut e = Edits::default();
    edits(&layout, &mut e);
    let tmp = path.with_extension("tmp.xlsx");
    Workbook::open(path)?.write(&e, &tmp)?;
    std::fs::rename(&tmp, path).map_err(|source| tenderkit::Error::Write { path: path.to_path_buf(), source })
}

/// Completes a return's declaration as its evaluator would: no conflict with any bidder.
fn declare(path: &Path, name: &str) -> tenderkit::Result<()> {
    let wb = Workbook::open(path)?;
    let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).expect("a date");
    let edits = declaration_edits(&wb, name, on, &[]).expect("a return has its declaration");
    let tmp = path.with_extension("tmp.xlsx");
    wb.write(&edits, &tmp)?;
    std::fs::rename(&tmp, path).map_err(|source| tenderkit::Error::Write { path: path.to_path_buf(), source })
}

fn key(m: &Matrix, c: usize, b: usize) -> (String, String) {
    (norm(&m.criteria().nth(c).unwrap().1.reference), name_key(&m.bids[b].bidder))
}

fn main() -> tenderkit::Result<()> {
    // The examples folder, or another copy of it (as the reproducibility test gives).
    let dir =
        std::env::args().nth(1).map(std::path::PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"));
    let panel: Panel = load(&dir.join("panel.toml"))?;
    let wb = Workbook::open(&dir.join("matrix.xlsx"))?;
    let read = read_matrix(&wb, &LayoutFile::default())?;
    let m = &read.matrix;
    let ctx = ReturnContext {
        reference: &panel.tender,
        title: "Electric refuse collection vehicles: supply, maintenance and end-of-life",
        issued: ISSUED,
    };
    let returns = dir.join("returns");
    let flawed = dir.join("returns-flawed");
    for d in [&returns, &flawed] {
        let _ = std::fs::remove_dir_all(d);
        std::fs::create_dir_all(d).expect("create example dirs");
    }

    let tariq = panel.find("Tariq Hussain", Role::Quality).expect("on the panel");
    for (e, ev) in panel.evaluators.iter().enumerate() {
        let path = returns.join(&file_names(&panel)[e]);
        write_return(&ctx, &panel, e, m, &path)?;
        declare(&path, ev.name.trim())?;
        match ev.role {
            Role::Quality => fill(&path, |l, edits| {
                for c in panel.criteria_of(e, m) {
                    for b in 0..m.bids.len() {
                        let agreed = m.bids[b].scores[c].number().expect("example is scored");
                        let score = own_score(agreed, e, c, b);
                        let (s, j) = l.scores[&key(m, c, b)];
                        edits.set(&l.sheet, s, CellEdit::Number(score));
                        edits.set(&l.sheet, j, CellEdit::Text(justification(c, b, score)));
                    }
                }
                if e == tariq {
                    let cell = |c, b| l.scores[&key(m, c, b)];
                    edits.set(&l.sheet, cell(6, 3).0, CellEdit::Clear); // 2.3 Forth Valley: not scored
                    edits.set(&l.sheet, cell(3, 1).0, CellEdit::Number(5.0)); // 1.4 Northgate: off the 0-4 scale
                    edits.set(&l.sheet, cell(7, 0).1, CellEdit::Clear); // 3.1 Caledonian: no justification
                    edits.set(&l.sheet, cell(4, 2).1, CellEdit::Text("Response is relevant and acceptable.".into())); // 2.1 Ardmore
                    edits.set(&l.sheet, cell(0, 2).0, CellEdit::Number(0.0)); // 1.1 Ardmore: far from 2 and 3
                    edits.set(&l.sheet, cell(0, 2).1, CellEdit::Text("Range claim not evidenced on any real round.".into()));
                }
            })?,
            Role::Commercial => fill(&path, |l, edits| {
                for (b, bid) in m.bids.iter().enumerate() {
                    for cost in &bid.costs {
                        let mut amount = cost.amount.number().expect("example is costed");
                        if ev.name.starts_with("Priya") && b == 0 && cost.component == tenderkit::domain::CostComponent::Operating {
                            amount = 1_510_000.0; // digits transposed from the schedule's 1,150,000
                        }
                        edits.set(&l.sheet, l.costs[&(name_key(&bid.bidder), cost.component)], CellEdit::Number(amount));
                    }
                }
            })?,
        }
    }

    // Tariq's corrected return.
    let v2 = flawed.join("tariq-hussain-quality-corrected.xlsx");
    std::fs::copy(returns.join(&file_names(&panel)[tariq]), &v2).expect("copy");
    fill(&v2, |l, edits| {
        let cell = |c, b| l.scores[&key(m, c, b)];
        edits.set(&l.sheet, cell(6, 3).0, CellEdit::Number(4.0));
        edits.set(&l.sheet, cell(6, 3).1, CellEdit::Text(justification(6, 3, 4.0)));
        edits.set(&l.sheet, cell(3, 1).0, CellEdit::Number(2.0));
        edits.set(&l.sheet, cell(7, 0).1, CellEdit::Text(justification(7, 0, 2.0)));
        edits.set(&l.sheet, cell(4, 2).1, CellEdit::Text(justification(4, 2, 2.0)));
    })?;
    // A return for another tender, and one from someone not on the panel.
    let morag = panel.find("Morag Campbell", Role::Quality).expect("on the panel");
    let other = flawed.join("morag-campbell-quality-FLT-2025-009.xlsx");
    std::fs::copy(returns.join(&file_names(&panel)[morag]), &other).expect("copy");
    fill(&other, |l, edits| edits.set(&l.sheet, CellRef::new(3, 2), CellEdit::Text("FLT-2025-009".into())))?;
    let stranger = flawed.join("alan-smithee-quality.xlsx");
    std::fs::copy(returns.join(&file_names(&panel)[morag]), &stranger).expect("copy");
    // As if a return had been made for him: his name in the Evaluator cell and as who it was issued to.
    fill(&stranger, |l, edits| {
        edits.set(&l.sheet, l.evaluator_cell.expect("named"), CellEdit::Text("Alan Smithee".into()));
        edits.set(&l.sheet, CellRef::parse("Z1").unwrap(), CellEdit::Text("Alan Smithee".into()));
    })?;

    // The moderated matrix: the five returns (with Tariq's corrections), then what the meeting agreed.
    let mut mods = read_moderation(&wb, &read, &panel)?;
    for e in 0..panel.evaluators.len() {
        let path = if e == tariq { v2.clone() } else { returns.join(&file_names(&panel)[e]) };
        let (r, _) = read_return(&path)?;
        let (accepted, _) = accept(&panel, m, &r, e);
        let mut accepted = accepted.expect("the example returns are accepted");
        let declaration = tenderkit::xlsx::declaration::read_declaration(&Workbook::open(&path)?);
        accepted.declared = Some(
            tenderkit::app::returns::declared(m, &panel.evaluators[e].name, declaration).expect("the example declarations are complete"),
        );
        let source = tenderkit::domain::moderation::Source {
            file: path.file_name().unwrap().to_string_lossy().into_owned(),
            sha256: tenderkit::fsio::sha256_file(&path)?,
            collected: COLLECTED.into(),
        };
        mods.audit.push(AuditRow {
            when: COLLECTED.into(),
            what: "collected return".into(),
            who: format!("{} ({})", panel.evaluators[e].name, panel.evaluators[e].role.name()),
            detail: tenderkit::app::returns::audit_detail(m, &accepted),
            file: source.file.clone(),
            sha256: source.sha256.clone(),
        });
        mods.moderation.put(e, source, &accepted);
    }
    for c in 0..m.criterion_count() {
        for b in 0..m.bids.len() {
            mods.moderation.consensus[c][b] = m.bids[b].scores[c].clone();
        }
    }
    mods.moderation.notes[0][2] = "Tariq's 0 discussed: the range claim is stated but untested; agreed 2.".into();
    let training = m.criteria().position(|(_, c)| c.reference == "2.3").expect("criterion 2.3");
    let northgate = m.bids.iter().position(|b| b.bidder.starts_with("Northgate")).expect("Northgate's bid");
    mods.moderation.notes[training][northgate] = "Drivers are trained at handover and workshop staff on request, on an accredited course; no refresher training is offered, which kept it from Excellent.".into();
    mods.moderation.agreed[0][1] = Entry::Number(1_150_000.0);
    mods.moderation.agreed_notes[0][1] = "Price schedule p.4 reads £1,150,000; Priya's figure had two digits transposed.".into();
    let flagged = flags(&panel, m, &mods.moderation);
    let edits = moderated_edits(&wb, &read, &panel, &mods.moderation, &flagged, &mods.audit, false)?;
    wb.write(&edits, &dir.join("moderated.xlsx"))?;
    println!("wrote {}, {} and {}", returns.display(), flawed.display(), dir.join("moderated.xlsx").display());
    Ok(())
}
