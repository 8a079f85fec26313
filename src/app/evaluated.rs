//! The decided evaluation of a matrix workbook, as the award commands need it: the moderated
//! scores where the workbook has a panel, else the matrix's own; the figures; the ranking.

use crate::app::{Input, workbook};
use crate::domain::moderation::{Moderation, decide};
use crate::domain::scoring::{Figures, Ranking, evaluate};
use crate::domain::{Matrix, Tender, letters::Evaluation};
use crate::report::{self, Chain};
use crate::xlsx::layout::LayoutFile;
use crate::xlsx::matrix::read_matrix;
use crate::domain::panel::Panel;
use crate::xlsx::moderation::{ModerationLayout, is_moderated, read_moderation, read_panel};
use crate::Result;

pub struct Evaluated {
    pub matrix: Matrix,
    pub figures: Figures,
    pub ranking: Ranking,
    pub moderation: Option<Moderation>,
    /// The panel, and where its moderation is in the workbook, for a moderated matrix.
    pub panel: Option<(Panel, ModerationLayout)>,
}

impl Evaluated {
    pub fn evaluation<'a>(&'a self, tender: &'a Tender) -> Evaluation<'a> {
        Evaluation { tender, matrix: &self.matrix, figures: &self.figures, ranking: &self.ranking, moderation: self.moderation.as_ref() }
    }
}

/// Reads and decides `matrix`. `Ok(Err(messages))` when the matrix is incomplete or invalid: its
/// located findings, with `what` (for example "no letters") saying what was not done.
pub fn evaluated(matrix: &Input, layout: &LayoutFile, what: &str) -> Result<std::result::Result<Evaluated, String>> {
    let wb = workbook(matrix)?;
    let read = read_matrix(&wb, layout)?;
    let panel = if is_moderated(&wb) { read_panel(&wb)? } else { None };
    let moderation = match &panel {
        Some(p) => Some(read_moderation(&wb, &read, p)?),
        None => None,
    };
    let decided = match (&panel, &moderation) {
        (Some(p), Some(m)) => decide(p, &read.matrix, &m.moderation, m.use_mean).map(|d| (d.matrix, d.figures, d.ranking)),
        _ => evaluate(&read.matrix).map(|(f, rk, _)| (read.matrix.clone(), f, rk)),
    };
    Ok(match decided {
        Ok((matrix, figures, ranking)) => {
            let (moderation, layout) = moderation.map(|m| (m.moderation, m.layout)).unzip();
            Ok(Evaluated { matrix, figures, ranking, moderation, panel: panel.zip(layout) })
        }
        Err(errors) => Err(format!(
            "{}{what}: the matrix must be complete and valid (run tenderkit score)\n",
            report::human(&report::locate(matrix.path(), errors, &Chain(vec![&read.layout])), 30)
        )),
    })
}
