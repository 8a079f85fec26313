//! The decided evaluation of a matrix workbook, as the award commands need it: the moderated
//! scores where the workbook has a panel, else the matrix's own; the figures; the ranking.

use std::path::Path;

use tenderkit::domain::moderation::{Moderation, decide};
use tenderkit::domain::scoring::{Figures, Ranking, evaluate};
use tenderkit::domain::{Matrix, Tender, letters::Evaluation};
use tenderkit::report::{self, Chain};
use tenderkit::xlsx::Workbook;
use tenderkit::xlsx::matrix::read_matrix;
use tenderkit::xlsx::moderation::{is_moderated, read_moderation, read_panel};

use super::LayoutArg;

pub struct Evaluated {
    pub matrix: Matrix,
    pub figures: Figures,
    pub ranking: Ranking,
    pub moderation: Option<Moderation>,
}

impl Evaluated {
    pub fn evaluation<'a>(&'a self, tender: &'a Tender) -> Evaluation<'a> {
        Evaluation { tender, matrix: &self.matrix, figures: &self.figures, ranking: &self.ranking, moderation: self.moderation.as_ref() }
    }
}

/// Reads and decides `path`. `Ok(None)` when the matrix is incomplete or invalid: its findings
/// are printed, with `what` (for example "no letters") saying what was not done.
pub fn evaluated(path: &Path, layout: &LayoutArg, what: &str) -> tenderkit::Result<Option<Evaluated>> {
    let wb = Workbook::open(path)?;
    let read = read_matrix(&wb, &layout.load()?)?;
    let panel = if is_moderated(&wb) { read_panel(&wb)? } else { None };
    let moderation = match &panel {
        Some(p) => Some(read_moderation(&wb, &read, p)?),
        None => None,
    };
    let decided = match (&panel, &moderation) {
        (Some(p), Some(m)) => decide(p, &read.matrix, &m.moderation, m.use_mean).map(|d| (d.matrix, d.figures, d.ranking)),
        _ => evaluate(&read.matrix).map(|(f, rk, _)| (read.matrix.clone(), f, rk)),
    };
    match decided {
        Ok((matrix, figures, ranking)) => Ok(Some(Evaluated { matrix, figures, ranking, moderation: moderation.map(|m| m.moderation) })),
        Err(errors) => {
            eprint!("{}", report::human(&report::locate(path, errors, &Chain(vec![&read.layout])), 30));
            eprintln!("{what}: the matrix must be complete and valid (run tenderkit score)");
            Ok(None)
        }
    }
}
