//! Reading an Evaluation Matrix workbook into the domain [`Matrix`], remembering where every
//! value came from, and turning computed [`Figures`](crate::domain::Figures) into cell edits for
//! the same workbook.
//!
//! One file per table: [`quality`] (criteria in rows, or bidders in rows), [`price`],
//! [`summary`]; [`settings`] finds the split, the scale and the commodity type; [`figures`] says
//! where each figure goes and where each finding is.
//!
//! Values are read as a buyer reads them: a weight shown as 20% is 20 (its number format says
//! so), a formula's saved result is its value, and an amount typed as text ("£1,234.50") is read
//! when it can be read only one way, with a warning naming the cell.

mod bidder_rows;
mod figures;
mod price;
mod price_across;
mod quality;
mod settings;
mod summary;

use std::cell::RefCell;

use crate::domain::{Bid, Entry, Finding, Matrix, Rule, Split, Subject};
use crate::error::{Error, Result};
use crate::xlsx::cellref::{CellRange, CellRef};
use crate::xlsx::layout::{LayoutFile, Orientation, column};
use crate::xlsx::typed_number;
use crate::xlsx::workbook::{Sheet, Value, Workbook};

pub use crate::xlsx::headings::SummaryRole;

/// Where a value the matrix depends on was found.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A cell named by a defined name or by the layout file.
    Cell(String, CellRef),
    /// A figure stated with a label ("Price weighting" and 40 beside it; "Price:Quality 40:60").
    Label {
        sheet: String,
        at: CellRef,
        label: String,
    },
    LayoutFile,
    /// 100 minus the other half of the split.
    OtherHalf,
    /// Not stated, and the workbook has one table only: it is the whole evaluation (100), the
    /// absent one 0.
    OneTable,
    Missing,
}

impl Source {
    /// Where, in words: `Cover!A4 ('Price:Quality 40:60')`.
    pub fn describe(&self) -> String {
        match self {
            Source::Cell(sheet, at) => place(sheet, at),
            Source::Label { sheet, at, label } => format!("{} ('{label}')", place(sheet, at)),
            Source::LayoutFile => "the layout file".into(),
            Source::OtherHalf => "100 minus the other half".into(),
            Source::OneTable => "not stated; the workbook has one table only".into(),
            Source::Missing => "not stated".into(),
        }
    }
}

/// A bidder of the quality table.
#[derive(Clone, Debug)]
pub struct BidderColumns {
    pub name: String,
    pub name_cell: CellRef,
    /// The line crossing the criteria that holds this bidder's scores: a column, or (bidders in
    /// rows) a row.
    pub score: u32,
    /// How many lines from `score` on hold this bidder's scores: more than one where the name is
    /// merged down over sub-rows (bidders in rows), each score then the sum of its lines.
    pub lines: u32,
    /// The line of this bidder's weighted scores, if the sheet has one.
    pub weighted: Option<u32>,
    /// Where the bid's quality score (out of 100) is shown, if the sheet shows it.
    pub total: Option<CellRef>,
}

/// The lines (columns, or rows when bidders are in rows) of the quality table.
#[derive(Clone, Debug, Default)]
pub struct QualityColumns {
    pub section: Option<u32>,
    pub reference: Option<u32>,
    pub criterion: Option<u32>,
    pub section_weight: Option<u32>,
    pub weight: u32,
    pub effective_weight: Option<u32>,
    pub pass_mark: Option<u32>,
}

#[derive(Clone, Debug)]
pub struct QualityLayout {
    pub sheet: String,
    pub orientation: Orientation,
    /// The heading row; with bidders in rows, the row of criterion names.
    pub header_row: u32,
    /// Bidders in rows: the row of criterion weights.
    pub weights_row: Option<u32>,
    pub cols: QualityColumns,
    pub bidders: Vec<BidderColumns>,
    /// The line of each criterion (its row, or with bidders in rows its column), in
    /// [`Matrix::criteria`] order.
    pub criterion_rows: Vec<u32>,
    /// The line where the table starts: the first criterion or section heading.
    pub first_line: u32,
    /// Per section, the cell its weighting is (or should be) typed in.
    pub section_weight_cells: Vec<Option<CellRef>>,
    /// Cells that repeat a section's weighting by formula (`=D$4`), with the section.
    pub section_weight_copies: Vec<(CellRef, usize)>,
    /// Number of criteria in each section; criterion lines are grouped by section.
    pub section_sizes: Vec<usize>,
    /// The Total line (a row, or with bidders in rows a column), if the table has one.
    pub total_row: Option<u32>,
    /// What the criterion weightings were written as (points and fractions are read as
    /// percentages: the layout file says so, and `layout` writes it back).
    pub weights: crate::xlsx::layout::WeightUnit,
}

impl QualityLayout {
    /// A table whose headings and bidders are known, before its criterion lines are walked.
    pub(crate) fn unfilled(
        sheet: &str,
        orientation: Orientation,
        header_row: u32,
        weights_row: Option<u32>,
        cols: QualityColumns,
        bidders: Vec<BidderColumns>,
        weights: crate::xlsx::layout::WeightUnit,
    ) -> QualityLayout {
        QualityLayout {
            sheet: sheet.to_string(),
            orientation,
            header_row,
            weights_row,
            cols,
            bidders,
            criterion_rows: Vec::new(),
            first_line: 0,
            section_weight_cells: Vec::new(),
            section_weight_copies: Vec::new(),
            section_sizes: Vec::new(),
            total_row: None,
            weights,
        }
    }

    /// The cell where a criterion line meets a crossing line (a bidder's, or a column such as the
    /// weight).
    pub fn at(&self, line: u32, cross: u32) -> CellRef {
        self.orientation.cell(line, cross)
    }

    pub fn score_cell(&self, criterion: usize, bid: usize) -> CellRef {
        self.at(self.criterion_rows[criterion], self.bidders[bid].score)
    }

    /// Every cell a score is summed from: the score cell, and where the bidder's name is merged
    /// over sub-rows, the cells below it.
    pub fn score_span(&self, criterion: usize, bid: usize) -> impl Iterator<Item = CellRef> + '_ {
        let b = &self.bidders[bid];
        (b.score..b.score + b.lines.max(1)).map(move |l| self.at(self.criterion_rows[criterion], l))
    }

    /// Scores can be written back one cell each: refused where a bidder's scores are sums over
    /// sub-rows, as writing one figure into a sum would change what the buyer's sheet adds up.
    pub fn writable_scores(&self, path: &std::path::Path) -> crate::error::Result<()> {
        match self.bidders.iter().find(|b| b.lines > 1) {
            None => Ok(()),
            Some(b) => Err(crate::error::Error::Layout {
                path: path.to_path_buf(),
                place: place(&self.sheet, b.name_cell),
                detail: format!(
                    "{}'s scores are each the sum of rows {} to {} (the name is merged over them); tenderkit reads such sums but does not write a score into them",
                    b.name,
                    b.score,
                    b.score + b.lines - 1
                ),
                fix: "write the scores into the sheet by hand, or keep one row per bidder".into(),
            }),
        }
    }

    pub fn weight_cell(&self, criterion: usize) -> CellRef {
        self.at(self.criterion_rows[criterion], self.cols.weight)
    }

    /// Every score cell, bid by bid.
    pub fn score_cells(&self) -> impl Iterator<Item = CellRef> + '_ {
        (0..self.bidders.len()).flat_map(move |b| (0..self.criterion_rows.len()).map(move |i| self.score_cell(i, b)))
    }
}

#[derive(Clone, Debug)]
pub struct PriceLayout {
    pub sheet: String,
    /// Bidders across columns: each bid's line is a column, and what the fields below call
    /// columns (bidder, components) are rows: the names row, the totals row.
    pub across: bool,
    pub header_row: u32,
    pub bidder: u32,
    pub components: Vec<(crate::domain::CostComponent, u32)>,
    pub whole_life: Option<u32>,
    /// Whole-life cost of bids that pass (blank for failed bids), where the lowest is taken.
    pub eligible_whole_life: Option<u32>,
    pub score: Option<u32>,
    /// "Yes" where the bid is flagged abnormally low.
    pub abnormally_low: Option<u32>,
    /// Whole-life cost counted for the graduated method's median.
    pub for_median: Option<u32>,
    /// Per bid (in the matrix's order), its row, if the sheet has one (with item rows, its first).
    pub rows: Vec<Option<u32>>,
    /// With one row per item and bidder, per bid every row its price is summed over; empty
    /// otherwise.
    pub items: Vec<Vec<u32>>,
    /// The rows read as bids: the first and the last.
    pub first_row: u32,
    pub last_row: u32,
}

#[derive(Clone, Debug)]
pub struct SummaryLayout {
    pub sheet: String,
    pub header_row: u32,
    pub columns: Vec<(SummaryRole, u32)>,
    pub rows: Vec<Option<u32>>,
}

/// Where the scoring scale came from.
#[derive(Clone, Debug, PartialEq)]
pub enum ScaleSource {
    LayoutFile,
    /// The named range `ScaleValues`, or the range the layout file gives.
    Range(String, CellRange),
    /// The defined names `ScaleValues` (a list) or `ScaleMax`.
    Names,
    /// A heading such as "Score (0-4)".
    Heading(String, CellRef),
    /// Scores shown as percentages, with no scale stated: whole percentages assumed.
    PercentScores,
    /// Nothing stated and scores above 4: whole numbers from 0 to this maximum (5, 10 or 100,
    /// the smallest that holds every score) assumed.
    FromScores(f64),
    /// Nothing stated: the guidance's 0-4 assumed.
    Assumed,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub price_weight: Source,
    pub quality_weight: Source,
    pub minimum_quality: Source,
    /// The `ScaleMax` cell, when it holds a formula whose result we cache.
    pub scale_max_formula: Option<(String, CellRef)>,
    pub scale_values: Option<(String, CellRange)>,
    pub scale: ScaleSource,
}

impl Settings {
    /// The split and where each half came from: "price 40 (Settings!A2 ('Price weighting %')),
    /// quality 60 (100 minus the other half)".
    pub fn split_text(&self, split: &Split) -> String {
        let half = |e: &Entry, s: &Source| match e.number() {
            Some(n) => format!("{} ({})", crate::domain::scale::fmt_number(n), s.describe()),
            None => format!("{} ({})", crate::xlsx::matrix::quality::entry_text(e), s.describe()),
        };
        format!("price {}, quality {}", half(&split.price, &self.price_weight), half(&split.quality, &self.quality_weight))
    }
}

/// Where everything in one workbook's matrix is.
#[derive(Clone, Debug)]
pub struct MatrixLayout {
    /// `None` for a price-only (lowest price) workbook with no quality table.
    pub quality: Option<QualityLayout>,
    pub price: Option<PriceLayout>,
    pub summary: Option<SummaryLayout>,
    pub settings: Settings,
}

impl MatrixLayout {
    /// The quality table, for commands that need one.
    pub fn quality_table(&self, path: &std::path::Path) -> Result<&QualityLayout> {
        self.quality.as_ref().ok_or_else(|| Error::Layout {
            path: path.to_path_buf(),
            place: "workbook".into(),
            detail: "the matrix has no quality table (it was read as a price-only evaluation)".into(),
            fix: format!("this command needs quality criteria and scores; {}", LAYOUT_HINT),
        })
    }
}

/// A matrix read from a workbook: the domain model, where it lives, and what reading found
/// (conflicting repeats, bidders missing from a sheet, amounts typed as text) for validation to
/// report with the rest.
pub struct ReadMatrix {
    pub matrix: Matrix,
    pub layout: MatrixLayout,
    pub findings: Vec<Finding>,
}

/// What every "could not find" message ends with, so nobody is left at a dead end.
pub const LAYOUT_HINT: &str =
    "run `tenderkit layout MATRIX.xlsx -o layout.toml` to see what was found, correct the file, and pass it with --layout layout.toml";

/// A cell's value as the domain sees an entry: blank text is empty; anything not a number is text.
pub(crate) fn entry(v: &Value) -> Entry {
    match v {
        Value::Empty => Entry::Empty,
        Value::Number(n) => Entry::Number(*n),
        Value::Text(t) if t.trim().is_empty() => Entry::Empty,
        Value::Text(t) => Entry::text(t.trim()),
        Value::Bool(_) | Value::Error(_) => Entry::text(v.text()),
    }
}

/// What a number cell holds, which decides how it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A weighting, split share, pass mark or minimum: a cell shown as 20% means 20, and a
    /// number typed as text is read with a warning.
    Share,
    /// A score: shown as 75% means 75; text stays text (a score is never guessed).
    Score,
    /// Money: a number typed as text ("£1,234.50") is read with a warning.
    Money,
}

/// A number read from a cell, and whether the cell shows it as a percentage.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Read {
    pub entry: Entry,
    pub percent: bool,
}

pub(crate) struct Reader<'a> {
    pub wb: &'a Workbook,
    pub hints: &'a LayoutFile,
    /// What reading found, in the order found.
    pub findings: RefCell<Vec<Finding>>,
}

impl<'a> Reader<'a> {
    pub fn layout_err(&self, place: impl Into<String>, detail: impl Into<String>, fix: impl Into<String>) -> Error {
        Error::Layout { path: self.wb.path().to_path_buf(), place: place.into(), detail: detail.into(), fix: fix.into() }
    }

    pub fn col(&self, hint: &Option<String>, what: &str) -> Result<Option<u32>> {
        column(hint).map_err(|e| self.layout_err("layout file", format!("{what}: {e}"), "give the column as letters"))
    }

    pub fn note(&self, f: Finding) {
        self.findings.borrow_mut().push(f);
    }

    /// Sheets worth trying for a role: those whose name suggests it first, then the rest.
    pub fn candidates(&self, words: &[&str]) -> Vec<&'a str> {
        let sheets: Vec<_> = self.wb.sheets().iter().filter(|s| s.is_worksheet).collect();
        let named = |s: &&crate::xlsx::workbook::SheetEntry| {
            let n = crate::xlsx::layout::norm(&s.name);
            words.iter().any(|w| n.contains(w))
        };
        sheets.iter().filter(|s| named(s)).chain(sheets.iter().filter(|s| !named(s))).map(|s| s.name.as_str()).collect()
    }

    /// A number cell as the buyer reads it. Findings about how it was written (a formula never
    /// calculated, a number typed as text) are noted against `subject`.
    pub fn read(&self, sheet: &Sheet, at: CellRef, kind: Kind, subject: impl FnOnce() -> Subject) -> Result<Read> {
        let Some(c) = sheet.cell(at) else { return Ok(Read { entry: Entry::Empty, percent: false }) };
        if c.has_formula() && c.value == Value::Empty {
            self.note(uncalculated(sheet, at, sheet.formula(c), subject()));
            return Ok(Read { entry: Entry::Empty, percent: false });
        }
        Ok(match &c.value {
            Value::Number(n) if kind != Kind::Money && self.wb.is_percent(c)? => Read { entry: Entry::Number(n * 100.0), percent: true },
            Value::Text(t) if kind != Kind::Score && !t.trim().is_empty() => match typed_number::read(t) {
                Some(n) if !(n.percent && kind == Kind::Money) => {
                    let what = if kind == Kind::Money { "amount" } else { "figure" };
                    self.note(Finding::warning(
                        Rule::NumberTypedAsText,
                        subject(),
                        format!("the {what} is typed as text '{}'; read as {}", t.trim(), crate::domain::scale::fmt_number(n.value)),
                        format!(
                            "type the {what} as a number (without currency signs, separators or notes) so the workbook computes with it"
                        ),
                    ));
                    // "25%" typed as text reads as 25: not a stored fraction.
                    Read { entry: Entry::Number(n.value), percent: false }
                }
                _ => Read { entry: entry(&c.value), percent: false },
            },
            v => Read { entry: entry(v), percent: false },
        })
    }

    /// A cell's text (a name or label), looking through merged cells. A formula never calculated
    /// is noted against `subject` and reads as empty.
    pub fn text(&self, sheet: &Sheet, at: CellRef, subject: impl FnOnce() -> Subject) -> String {
        let origin = sheet.merged.iter().find(|m| m.contains(at)).map_or(at, |m| m.start);
        match sheet.cell(origin) {
            Some(c) if c.has_formula() && c.value == Value::Empty => {
                self.note(uncalculated(sheet, origin, sheet.formula(c), subject()));
                String::new()
            }
            _ => sheet.text(origin),
        }
    }

    /// Checks that a group of weights is written one way: all as percentages (20%) or all as
    /// plain numbers (20). Mixed, some would be read a hundred times too small or too large.
    pub fn one_way(&self, sheet: &str, what: &str, cells: &[(CellRef, Read)], subject: Subject) {
        let numbers = cells.iter().filter(|(_, r)| matches!(r.entry, Entry::Number(_)));
        let (pct, plain): (Vec<_>, Vec<_>) = numbers.partition(|(_, r)| r.percent);
        if pct.is_empty() || plain.is_empty() {
            return;
        }
        let list = |v: &[&(CellRef, Read)]| {
            let shown: Vec<String> = v.iter().take(5).map(|(at, _)| place(sheet, at)).collect();
            let more = if v.len() > 5 { format!(" and {} more", v.len() - 5) } else { String::new() };
            format!("{}{more}", shown.join(", "))
        };
        self.note(Finding::error(
            Rule::PercentMixed,
            subject,
            format!("{what} are written two ways: as percentages at {} and as plain numbers at {}", list(&pct), list(&plain)),
            "write every weight the same way: all as percentages (20%) or all as numbers (20)",
        ));
    }
}

fn uncalculated(sheet: &Sheet, at: CellRef, formula: Option<&str>, subject: Subject) -> Finding {
    let f = formula.filter(|f| !f.is_empty()).map_or_else(|| "a shared formula".to_string(), |f| format!("the formula ={f}"));
    Finding::error(
        Rule::FormulaNotCalculated,
        subject,
        format!("{} holds {f} with no saved result", place(&sheet.name, at)),
        "open the workbook in Excel or LibreOffice and save it once, so every formula's result is stored in the file",
    )
}

/// Reads the matrix from a workbook, using the layout file's hints where given.
pub fn read_matrix(wb: &Workbook, hints: &LayoutFile) -> Result<ReadMatrix> {
    wb.with_small_sheets_beside(|| read(wb, hints))
}

fn read(wb: &Workbook, hints: &LayoutFile) -> Result<ReadMatrix> {
    let r = Reader { wb, hints, findings: RefCell::new(Vec::new()) };
    let quality = r.quality()?;
    let price = r.price(quality.as_ref().map(|q| q.layout.bidders.as_slice()), quality.as_ref().map(|q| q.layout.sheet.as_str()))?;
    if quality.is_none() && price.layout.is_none() {
        return Err(r.missing_tables());
    }
    let names: Vec<String> = match &quality {
        Some(q) => q.names.clone(),
        None => price.names.clone(),
    };
    let summary = r.summary(&names)?;
    let scale = r.scale(quality.as_ref())?;
    let split = r.split(&[quality.as_ref().map(|q| q.layout.sheet.as_str()), price.layout.as_ref().map(|p| p.sheet.as_str())])?;
    let commodity = r.commodity()?;
    let minimum_quality = r.setting(hints.minimum_quality, &hints.minimum_quality_cell, "MinimumQuality", || Subject::MinimumQuality)?;
    let criteria = quality.as_ref().map_or(0, |q| q.layout.criterion_rows.len());
    let (sections, scores, quality) = match quality {
        Some(q) => (q.sections, q.scores, Some(q.layout)),
        None => (Vec::new(), vec![Vec::new(); names.len()], None),
    };
    debug_assert!(scores.iter().all(|s| s.len() == criteria));
    let bids = names.into_iter().zip(scores).zip(price.costs).map(|((bidder, scores), costs)| Bid { bidder, scores, costs }).collect();
    let mut matrix = Matrix {
        sections,
        bids,
        split: Split { price: split.price.0, quality: split.quality.0 },
        scale: scale.scale,
        minimum_quality: minimum_quality.0,
        commodity,
        price: r.pricing(),
    };
    let scale_max_formula =
        scale.max_cell.filter(|(sheet, at)| wb.sheet(sheet).ok().and_then(|s| s.cell(*at)).is_some_and(|c| c.has_formula()));
    let settings = Settings {
        price_weight: split.price.1,
        quality_weight: split.quality.1,
        minimum_quality: minimum_quality.1,
        scale_max_formula,
        scale_values: scale.values,
        scale: scale.source,
    };
    // The cost cells' format names the currency, unless the layout file's [pricing] states it.
    if let Some(currency) = price.layout.as_ref().filter(|_| hints.pricing.is_none()).and_then(|p| p.currency(wb)) {
        matrix.price.currency = currency;
    }
    let layout = MatrixLayout { quality, price: price.layout, summary, settings };
    let findings = r.findings.into_inner();
    Ok(ReadMatrix { matrix, layout, findings })
}

/// `Quality!D4`, or `'Technical Evaluation'!D4` as Excel writes it.
pub fn place(sheet: &str, cell: impl std::fmt::Display) -> String {
    format!("{}!{cell}", crate::xlsx::workbook::quote_sheet(sheet))
}
