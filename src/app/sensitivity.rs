//! `sensitivity`: how robust the ranking is (domain::sensitivity), as lines a buyer reads, as JSON,
//! and as a Sensitivity sheet added to the matrix (its other parts untouched).

use crate::Result;
use crate::app::Input;
use crate::app::evaluated::evaluated;
use crate::domain::money::Currency;
use crate::domain::scale::fmt_number;
use crate::domain::sensitivity::{Sensitivity, Tip, sensitivity};
use crate::xlsx::layout::LayoutFile;
use crate::xlsx::sheet_writer::{Look, NewSheet};
use crate::xlsx::{CellRef, Edits, Workbook};

pub const SHEET: &str = "Sensitivity";

/// What the report found, or why there is none.
pub enum Outcome {
    /// No report: what to say (standard error).
    Refused(String),
    Done(Box<Report>),
}

pub struct Report {
    pub report: Sensitivity,
    /// The report as lines: (is a heading, text).
    pub lines: Vec<(bool, String)>,
    matrix: Input,
}

/// The sensitivity of `matrix`'s decided ranking.
pub fn run(matrix: Input, layout: &LayoutFile) -> Result<Outcome> {
    let e = match evaluated(&matrix, layout, "no sensitivity report")? {
        Ok(e) => e,
        Err(said) => return Ok(Outcome::Refused(said)),
    };
    let Some((report, lines)) = of(&e.matrix, &e.figures) else {
        return Ok(Outcome::Refused(
            "no sensitivity report: there is no single first bid (a tie, or no bid passes); resolve it by the method published in the ITT first\n".into(),
        ));
    };
    Ok(Outcome::Done(Box::new(Report { report, lines, matrix })))
}

/// The sensitivity of a decided matrix and the report's lines, or `None` without a single first
/// bid (the evaluation report takes them from the figures it already has).
pub fn of(matrix: &crate::domain::Matrix, figures: &crate::domain::scoring::Figures) -> Option<(Sensitivity, Vec<(bool, String)>)> {
    let report = sensitivity(matrix, figures)?;
    let lines = lines(&report, matrix.price.per_point(), &matrix.price.currency);
    Some((report, lines))
}

impl Report {
    /// The report as the command prints it.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (heading, line) in &self.lines {
            if *heading {
                out += &format!("\n{line}\n");
            } else {
                out += &format!("  {line}\n");
            }
        }
        out
    }

    /// The matrix and the edits that add the report as its Sensitivity sheet.
    pub fn workbook(&self) -> Result<(Workbook, Edits)> {
        let mut edits = Edits::default();
        edits.put_sheet(SHEET, sheet(&self.matrix.name, &self.lines));
        Ok((crate::app::workbook(&self.matrix)?, edits))
    }

    /// The matrix with the report as its Sensitivity sheet, as bytes.
    pub fn workbook_bytes(&self) -> Result<Vec<u8>> {
        let (wb, edits) = self.workbook()?;
        wb.to_bytes(&edits)
    }
}

/// The report as lines: (is a heading, text).
fn lines(r: &Sensitivity, per_point: bool, currency: &Currency) -> Vec<(bool, String)> {
    let mut out = vec![(true, format!("Winner: {}", r.winner))];
    out.push((true, "1. Margin".into()));
    out.push((
        false,
        match &r.margin {
            None => "no other bid is ranked".into(),
            Some(m) if per_point => {
                format!("{} costs {} per quality point less than {}", r.winner, currency.fmt(m.difference), m.second)
            }
            Some(m) => format!(
                "{} leads {} by {:.2} points{}",
                r.winner,
                m.second,
                m.difference,
                match (m.in_largest_weights, m.largest_weight) {
                    (Some(x), Some(l)) => format!(": {x:.2} of the largest criterion weight ({}, {l:.2} points)", m.largest_criterion),
                    _ => String::new(),
                }
            ),
        },
    ));
    match &r.split {
        None => {
            out.push((true, "2. Split tipping points".into()));
            out.push((false, "not applicable: cost per quality point does not use the price:quality split".into()));
        }
        Some(s) => {
            out.push((true, format!("2. Split tipping points (price share now {:.2}%, quality the rest)", s.price_share)));
            let say = |t: &Option<Tip>, range: String| match t {
                Some(t) => format!("at {:.2}% price, {} becomes first", t.at, t.first),
                None => format!("none between {range}"),
            };
            out.push((false, format!("below: {}", say(&s.below, format!("0 and {:.2}", s.price_share)))));
            out.push((false, format!("above: {}", say(&s.above, format!("{:.2} and 100", s.price_share)))));
        }
    }
    out.push((true, "3. Weight tipping points (a criterion's weight within its section; the others rescaled to keep 100)".into()));
    for w in &r.weights {
        out.push((
            false,
            match (&w.tip, &w.fixed) {
                (_, Some(why)) => format!("{}: none ({why})", w.criterion),
                (Some(t), _) => {
                    format!("{}: {:.2} -> {:.2} ({:+.2}) makes {} first", w.criterion, w.weight, t.at, t.at - w.weight, t.first)
                }
                (None, None) => format!("{}: none (no weight from 0 to 100 changes the winner)", w.criterion),
            },
        ));
    }
    out.push((true, "4. Score tipping points (one score moved one step on the scale; searched exhaustively for one step only)".into()));
    if r.scores.is_empty() {
        out.push((false, "none: no single one-step change of one score changes the winner (two or more steps were not searched)".into()));
    }
    for s in &r.scores {
        let whom = if s.first == s.bidder { "it".to_string() } else { s.first.clone() };
        out.push((false, format!("{}, {}: {} -> {} would make {whom} first", s.bidder, s.criterion, fmt_number(s.from), fmt_number(s.to))));
    }
    out.push((true, "5. Rank reversal (each bid but the winner left out in turn)".into()));
    if r.reversals.is_empty() {
        out.push((false, "none: leaving out any one bid keeps the others in the same order".into()));
    }
    for rv in &r.reversals {
        let pairs: Vec<String> = rv.swapped.iter().map(|(up, down)| format!("{up} now ranks above {down}")).collect();
        let more = if rv.count > rv.swapped.len() { format!(" (and {} more pairs)", rv.count - rv.swapped.len()) } else { String::new() };
        out.push((false, format!("leaving out {}: {}{more}", rv.left_out, pairs.join("; "))));
    }
    out
}

fn sheet(file: &str, lines: &[(bool, String)]) -> NewSheet {
    let mut s = NewSheet::default();
    s.text(CellRef::new(1, 1), format!("Sensitivity of the ranking: {file}"), Look::Heading);
    for (i, (heading, text)) in lines.iter().enumerate() {
        let row = i as u32 + 3;
        if *heading {
            s.text(CellRef::new(row, 1), text, Look::Heading);
        } else {
            s.text(CellRef::new(row, 2), text, Look::Plain);
        }
    }
    s.width(1, 4.0);
    s.width(2, 120.0);
    s
}
