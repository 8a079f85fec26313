//! Where each computed figure is cached in the workbook, and where each finding is.
//!
//! A figure is cached in the unit its column uses. tenderkit computes shares of 100 points (a
//! weighted score of 15); a workbook whose weights are typed as 20% computes 0.15 and shows
//! "15%"; a PMI-style sheet multiplies a 0-5 rating by a weight of 0.25 and shows 0.75. Each
//! column's unit is learned from the results the workbook last saved (the unit that matches most
//! of them), or, for a workbook never calculated, from its number format (a percentage format
//! means hundredths). The cached figure is then what the workbook's own formula gives.

use crate::domain::{Figures, Matrix, Subject};
use crate::report::Locate;
use crate::xlsx::cellref::{CellRange, CellRef};
use crate::xlsx::matrix::{MatrixLayout, ScaleSource, Source, SummaryRole, place};
use crate::xlsx::patch::{CellEdit, Computed, Edits};
use crate::xlsx::workbook::{Sheet, Value, Workbook};

/// One figure to cache: a plain one, or a share of 100 points, cached in its column's unit.
enum Figure<'a> {
    Plain(&'a str, CellRef, CellEdit),
    Share(&'a str, CellRef, Option<f64>),
}

/// What a column's saved results say of its unit (the cells of a column share one).
struct Column {
    /// How many saved results agree with ours in each unit of [`Units::of`].
    agree: [usize; 4],
    saved: bool,
    /// The column's first cell is formatted as a percentage.
    percent: bool,
}

/// Each column's unit, learned from its cells one at a time: a 5,000-bid matrix has a million
/// weighted scores, which are not held to learn it.
struct Units {
    of: [f64; 4],
    /// By sheet, then by column number.
    columns: Vec<(String, Vec<Option<Column>>)>,
}

impl Units {
    fn new(scale_max: f64) -> Units {
        // Points out of 100; hundredths (weights typed as 20%); scale points times a fractional
        // weight (rating x 0.25); scale points times a percentage weight.
        Units { of: [1.0, 0.01, scale_max / 100.0, scale_max], columns: Vec::new() }
    }

    fn learn(&mut self, wb: &Workbook, sheet: &str, found: Option<&Sheet>, at: CellRef, n: Option<f64>) {
        let cell = found.and_then(|s| s.cell(at));
        let of = self.of;
        let columns = match self.columns.iter().position(|(s, _)| s == sheet) {
            Some(i) => &mut self.columns[i].1,
            None => {
                self.columns.push((sheet.to_string(), Vec::new()));
                &mut self.columns.last_mut().expect("just pushed").1
            }
        };
        let col = at.col as usize;
        if columns.len() <= col {
            columns.resize_with(col + 1, || None);
        }
        let column = columns[col].get_or_insert_with(|| Column {
            agree: [0; 4],
            saved: false,
            percent: cell.is_some_and(|c| wb.is_percent(c).unwrap_or(false)),
        });
        let Some(Value::Number(v)) = cell.map(|c| &c.value) else { return };
        column.saved = true;
        if let Some(n) = n.filter(|n| n.abs() > 1e-12) {
            for (agree, unit) in column.agree.iter_mut().zip(of) {
                *agree += usize::from((v - n * unit).abs() <= 1e-9 * v.abs().max(1.0));
            }
        }
    }

    /// The column's unit: the one most saved results agree with; with none to go by, the number
    /// format's. True where saved figures agree in no unit: the buyer's own (a design matrix's
    /// Total that adds the scores up unweighted), kept, never replaced by ours.
    fn unit(&self, sheet: &str, col: u32) -> (f64, bool) {
        let column = self.columns.iter().find(|(s, _)| s == sheet).and_then(|(_, c)| c.get(col as usize)?.as_ref());
        let Some(c) = column else { return (1.0, false) };
        let by_format = if c.percent { 0.01 } else { 1.0 };
        let (unit, agree) = self.of.iter().zip(c.agree).fold((by_format, 0), |best, (&u, n)| if n > best.1 { (u, n) } else { best });
        (unit, agree == 0 && c.saved)
    }
}

impl MatrixLayout {
    /// Every figure the matrix's formulas compute, cached beside the formula (or as the value,
    /// where the workbook has no formula there): what `matrix new` writes, and what a scored
    /// workbook is checked against.
    pub fn figure_edits(&self, wb: &Workbook, m: &Matrix, f: &Figures) -> Edits {
        self.figures(wb, m, f, true)
    }

    /// The figures of [`figure_edits`](Self::figure_edits) the workbook does not already hold as
    /// saved (see [`Edits::set_changing`]): what `score` writes. A workbook scored again, or saved
    /// by Excel after its scores were typed, has them all: the list is then short, and quick.
    pub fn figure_changes(&self, wb: &Workbook, m: &Matrix, f: &Figures) -> Edits {
        self.figures(wb, m, f, false)
    }

    fn figures(&self, wb: &Workbook, m: &Matrix, f: &Figures, every: bool) -> Edits {
        let set = |e: &mut Edits, sheet: &str, found: Option<&Sheet>, at: CellRef, edit: CellEdit| {
            if every {
                e.set(sheet, at, edit);
            } else {
                e.set_changing(sheet, found, at, edit);
            }
        };
        let mut e = Edits::default();
        e.recalc_on_open = true;
        // A matrix tenderkit made: its Checks and Summary sheets' verdicts and labels follow the
        // figures, so their results are worked out again (`xlsx::cache`).
        if wb.defined_range("CheckVerdicts").is_some() {
            for sheet in [crate::xlsx::checks::SHEET, "Summary"] {
                e.own_sheet(sheet);
            }
            // Its formulas weight every score upwards: a criterion the layout file reads backwards
            // is not computed in their order.
            e.in_formula_order = !m.criteria().any(|(_, c)| c.lower_is_better);
        }
        // The figures are gone through twice: the plain ones set and each column's unit learned
        // (from what the workbook saved, which no edit changes), then the shares set in it
        // (after the plain ones, as one cell may be both).
        let mut units = Units::new(m.scale.max());
        let mut found = wb.sheets_in_turn();
        self.each_figure(wb, m, f, &mut |x| match x {
            Figure::Plain(sheet, at, edit) => set(&mut e, sheet, found.sheet(sheet), at, edit),
            Figure::Share(sheet, at, n) => units.learn(wb, sheet, found.sheet(sheet), at, n),
        });
        let mut kept = Vec::new();
        self.each_figure(wb, m, f, &mut |x| {
            let Figure::Share(sheet, at, n) = x else { return };
            let (unit, foreign) = units.unit(sheet, at.col);
            let s = found.sheet(sheet);
            if foreign && s.and_then(|s| s.cell(at)).is_some_and(|c| !c.has_formula()) {
                kept.push((sheet.to_string(), at.col, kept.len(), place(sheet, at)));
            } else {
                set(&mut e, sheet, s, at, CellEdit::Result(Computed::from(n.map(|x| x * unit))));
            }
        });
        // Listed column by column.
        kept.sort();
        e.kept.extend(kept.into_iter().map(|(_, _, _, place)| place));
        if let Some((sheet, at)) = &self.settings.scale_max_formula {
            set(&mut e, sheet, found.sheet(sheet), *at, CellEdit::Result(Computed::from(Some(m.scale.max()))));
        }
        e
    }

    /// Each figure to cache, in the matrix's order.
    fn each_figure<'a>(&'a self, wb: &Workbook, m: &Matrix, f: &Figures, visit: &mut dyn FnMut(Figure<'a>)) {
        let plain = |n: Option<f64>| CellEdit::Result(Computed::from(n));
        // Cost per quality point is money, not a share of 100 points.
        let per_point = m.price.per_point();
        if let Some(q) = &self.quality {
            let sheet = q.sheet.as_str();
            for (i, &line) in q.criterion_rows.iter().enumerate() {
                if let Some(col) = q.cols.effective_weight {
                    visit(Figure::Share(sheet, q.at(line, col), f.effective_weights[i]));
                }
                for (b, bc) in q.bidders.iter().enumerate() {
                    if let Some(col) = bc.weighted {
                        visit(Figure::Share(sheet, q.at(line, col), f.bids[b].weighted[i]));
                    }
                }
            }
            for &(at, s) in &q.section_weight_copies {
                visit(Figure::Share(sheet, at, m.sections[s].weight.number()));
            }
            if let (Some(row), Some(col)) = (q.total_row, q.cols.effective_weight) {
                visit(Figure::Share(sheet, q.at(row, col), Some(f.total_weight)));
            }
            for (b, bc) in q.bidders.iter().enumerate() {
                if let Some(at) = bc.total {
                    visit(Figure::Share(sheet, at, Some(f.bids[b].quality)));
                }
            }
        }
        if let Some(p) = &self.price {
            let sheet = p.sheet.as_str();
            for (b, row) in p.rows.iter().enumerate() {
                let Some(row) = *row else { continue };
                if let Some(col) = p.whole_life {
                    visit(Figure::Plain(sheet, p.at(row, col), plain(f.bids[b].whole_life_cost)));
                }
                let x = &f.bids[b];
                if let Some(col) = p.score {
                    if per_point {
                        visit(Figure::Plain(sheet, p.at(row, col), plain(x.price_score)));
                    } else {
                        visit(Figure::Share(sheet, p.at(row, col), x.price_score));
                    }
                }
                let eligible = x.whole_life_cost.filter(|_| x.passed());
                if let Some(col) = p.eligible_whole_life {
                    visit(Figure::Plain(sheet, p.at(row, col), plain(eligible)));
                }
                // The flag columns are cached only where a formula computes them: a buyer's own
                // "Abnormally low?" column, typed after asking the bidder, is theirs.
                let formula_at = |col: u32| {
                    let at = p.at(row, col);
                    wb.sheet(sheet).ok().and_then(|s| s.cell(at)).is_some_and(|c| c.has_formula()).then_some(at)
                };
                if let Some(at) = p.abnormally_low.and_then(formula_at) {
                    let flag = if x.abnormally_low { "Yes" } else { "No" };
                    visit(Figure::Plain(sheet, at, CellEdit::Result(Computed::Text(flag.into()))));
                }
                if let Some(at) = p.for_median.and_then(formula_at) {
                    visit(Figure::Plain(sheet, at, plain(eligible.filter(|_| !x.abnormally_low))));
                }
            }
        }
        if let Some(s) = &self.summary {
            let sheet = s.sheet.as_str();
            for (b, row) in s.rows.iter().enumerate() {
                let Some(row) = *row else { continue };
                let x = &f.bids[b];
                for (kind, col) in &s.columns {
                    let at = CellRef::new(row, *col);
                    visit(match kind {
                        SummaryRole::Bidder => continue,
                        SummaryRole::Quality => Figure::Share(sheet, at, Some(x.quality)),
                        SummaryRole::QualityWeighted => Figure::Share(sheet, at, Some(x.quality_weighted)),
                        SummaryRole::Price if per_point => Figure::Plain(sheet, at, plain(x.price_score)),
                        SummaryRole::Total if per_point => Figure::Plain(sheet, at, plain(x.total)),
                        SummaryRole::Price => Figure::Share(sheet, at, x.price_score),
                        SummaryRole::Total => Figure::Share(sheet, at, x.total),
                        SummaryRole::Rank => Figure::Plain(sheet, at, plain(x.rank.map(|r| r as f64))),
                        SummaryRole::BelowPassMark => Figure::Plain(sheet, at, plain(Some(x.below_pass_mark() as f64))),
                        SummaryRole::Status => {
                            Figure::Plain(sheet, at, CellEdit::Result(Computed::Text(if x.passed() { "Pass" } else { "Fail" }.into())))
                        }
                    });
                }
            }
        }
    }
}

impl Locate for MatrixLayout {
    fn locate(&self, subject: &Subject) -> Option<String> {
        let setting = |s: &Source, name: &str| match s {
            Source::Cell(sheet, at) | Source::Label { sheet, at, .. } => Some(place(sheet, at)),
            Source::LayoutFile => Some("layout file".into()),
            Source::OtherHalf | Source::OneTable => None,
            Source::Missing => Some(format!("defined name {name} (not in the workbook)")),
        };
        match subject {
            Subject::PriceWeight => return setting(&self.settings.price_weight, "PriceWeight"),
            Subject::QualityWeight => return setting(&self.settings.quality_weight, "QualityWeight"),
            Subject::MinimumQuality => return setting(&self.settings.minimum_quality, "MinimumQuality"),
            Subject::Scale => {
                return match &self.settings.scale {
                    ScaleSource::Range(sheet, range) => Some(place(sheet, range)),
                    ScaleSource::Heading(sheet, at) => Some(place(sheet, at)),
                    ScaleSource::LayoutFile => Some("layout file".into()),
                    _ => self.quality.as_ref().map(|q| q.sheet.clone()),
                };
            }
            Subject::PriceParameter { key } => {
                let name = crate::domain::price::RANGES.iter().find(|r| r.key == *key)?.name;
                return Some(format!("{name} (the named cell on the Tender sheet, or [pricing] {key} in the layout file)"));
            }
            Subject::Cost { bid, cost } => {
                let p = self.price.as_ref()?;
                return Some(place(&p.sheet, p.at((*p.rows.get(*bid)?)?, p.components.get(*cost)?.1)));
            }
            Subject::Costs { bid } => {
                let p = self.price.as_ref()?;
                let row = (*p.rows.get(*bid)?)?;
                let cols: Vec<u32> = p.components.iter().map(|c| c.1).collect();
                let range = CellRange { start: p.at(row, *cols.iter().min()?), end: p.at(row, *cols.iter().max()?) };
                return Some(place(&p.sheet, range));
            }
            _ => {}
        }
        let Some(q) = &self.quality else {
            // A price-only matrix: bidders are on the price sheet.
            let p = self.price.as_ref()?;
            return match subject {
                Subject::Bidder { bid } => Some(place(&p.sheet, p.at((*p.rows.get(*bid)?)?, p.bidder))),
                Subject::SameBidder { bid, other } => {
                    let at = |b: usize| Some(place(&p.sheet, p.at((*p.rows.get(b)?)?, p.bidder)));
                    Some(format!("{} and {}", at(*other)?, at(*bid)?))
                }
                Subject::Bids => Some(place(&p.sheet, format!("{}:{}", p.header_row, p.header_row))),
                _ => None,
            };
        };
        let cell = |line: u32, cross: u32| place(&q.sheet, q.at(line, cross));
        let lines_of = |s: usize| -> Vec<u32> {
            let start: usize = q.section_sizes[..s].iter().sum();
            q.criterion_rows[start..start + q.section_sizes[s]].to_vec()
        };
        let span = |cross: u32, lines: &[u32]| {
            let (lo, hi) = (lines.iter().min()?, lines.iter().max()?);
            Some(place(&q.sheet, CellRange { start: q.at(*lo, cross), end: q.at(*hi, cross) }))
        };
        match subject {
            Subject::PassMark { criterion } => Some(cell(*q.criterion_rows.get(*criterion)?, q.cols.pass_mark?)),
            Subject::SectionWeights => match q.cols.section_weight {
                Some(col) => {
                    let rows: Vec<u32> = q.section_weight_cells.iter().flatten().map(|c| c.row).collect();
                    span(col, &rows)
                }
                None => Some(q.sheet.clone()),
            },
            Subject::SectionWeight { section } => match q.section_weight_cells.get(*section).copied().flatten() {
                Some(at) => Some(place(&q.sheet, at)),
                None => Some(q.sheet.clone()),
            },
            Subject::CriterionWeights { section } => span(q.cols.weight, &lines_of(*section)).or_else(|| Some(q.sheet.clone())),
            Subject::CriterionWeight { criterion } => q.criterion_rows.get(*criterion).map(|&r| cell(r, q.cols.weight)),
            Subject::Criterion { criterion } => {
                q.criterion_rows.get(*criterion).map(|&r| cell(r, q.cols.criterion.or(q.cols.reference).unwrap_or(q.cols.weight)))
            }
            Subject::Criteria => span(q.cols.criterion.or(q.cols.reference).unwrap_or(q.cols.weight), &q.criterion_rows),
            Subject::Bids => Some(place(&q.sheet, q.bidders.first().map_or(CellRef::new(q.header_row, 1), |b| b.name_cell))),
            Subject::Bidder { bid } => q.bidders.get(*bid).map(|b| place(&q.sheet, b.name_cell)),
            Subject::SameBidder { bid, other } => Some(format!(
                "{} and {}",
                place(&q.sheet, q.bidders.get(*other)?.name_cell),
                place(&q.sheet, q.bidders.get(*bid)?.name_cell)
            )),
            Subject::Score { criterion, bid } => {
                (*criterion < q.criterion_rows.len() && *bid < q.bidders.len()).then(|| place(&q.sheet, q.score_cell(*criterion, *bid)))
            }
            _ => None,
        }
    }
}
