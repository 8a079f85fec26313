//! Reading an Evaluation Matrix workbook into the domain [`Matrix`], remembering where every
//! value came from, and turning computed [`Figures`] into cell edits for the same workbook.

use std::collections::HashMap;

use crate::domain::{
    Bid, Commodity, Cost, CostComponent, Criterion, Entry, Figures, Finding, Matrix, Rule, Scale, ScalePoint, Section, Split, Subject,
};
use crate::error::{Error, Result};
use crate::report::Locate;
use crate::xlsx::cellref::{CellRange, CellRef, col_name};
use crate::xlsx::layout::{
    self, LayoutFile, PriceHeader, QualityHeader, SummaryHeader, classify_price, classify_quality, classify_summary, column,
    find_header_row, name_above, norm,
};
use crate::xlsx::patch::{CellEdit, Computed, Edits};
use crate::xlsx::workbook::{NameValue, Sheet, Value, Workbook};

/// Where a value the matrix depends on was found.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Cell(String, CellRef),
    LayoutFile,
    Missing,
}

#[derive(Clone, Debug)]
pub struct BidderColumns {
    pub name: String,
    pub name_cell: CellRef,
    pub score: u32,
    pub weighted: Option<u32>,
}

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
    pub header_row: u32,
    pub cols: QualityColumns,
    pub bidders: Vec<BidderColumns>,
    /// The sheet row of each criterion, in [`Matrix::criteria`] order.
    pub criterion_rows: Vec<u32>,
    /// Per section, the cell its weighting is (or should be) typed in.
    pub section_weight_cells: Vec<Option<CellRef>>,
    /// Cells that repeat a section's weighting by formula (`=D$4`), with the section.
    pub section_weight_copies: Vec<(CellRef, usize)>,
    /// Number of criteria in each section; criterion rows are grouped by section.
    pub section_sizes: Vec<usize>,
    pub total_row: Option<u32>,
}

#[derive(Clone, Debug)]
pub struct PriceLayout {
    pub sheet: String,
    pub header_row: u32,
    pub bidder: u32,
    pub components: Vec<(CostComponent, u32)>,
    pub whole_life: Option<u32>,
    /// Whole-life cost of bids that pass (blank for failed bids), where the lowest is taken.
    pub eligible_whole_life: Option<u32>,
    pub score: Option<u32>,
    /// Per bid (in Quality order), its row, if the sheet has one.
    pub rows: Vec<Option<u32>>,
}

#[derive(Clone, Debug)]
pub struct SummaryLayout {
    pub sheet: String,
    pub header_row: u32,
    pub columns: Vec<(SummaryHeader, u32)>,
    pub rows: Vec<Option<u32>>,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub price_weight: Source,
    pub quality_weight: Source,
    pub minimum_quality: Source,
    /// The `ScaleMax` cell, when it holds a formula whose result we cache.
    pub scale_max_formula: Option<(String, CellRef)>,
    pub scale_values: Option<(String, CellRange)>,
}

/// Where everything in one workbook's matrix is.
#[derive(Clone, Debug)]
pub struct MatrixLayout {
    pub quality: QualityLayout,
    pub price: Option<PriceLayout>,
    pub summary: Option<SummaryLayout>,
    pub settings: Settings,
}

/// A matrix read from a workbook: the domain model, where it lives, and what reading found
/// (conflicting repeats, bidders missing from a sheet) for validation to report with the rest.
pub struct ReadMatrix {
    pub matrix: Matrix,
    pub layout: MatrixLayout,
    pub findings: Vec<Finding>,
}

/// A cell's value as the domain sees an entry: blank text is empty; anything not a number is text.
pub(crate) fn entry(v: &Value) -> Entry {
    match v {
        Value::Empty => Entry::Empty,
        Value::Number(n) => Entry::Number(*n),
        Value::Text(t) if t.trim().is_empty() => Entry::Empty,
        Value::Text(t) => Entry::Text(t.trim().to_string()),
        Value::Bool(_) | Value::Error(_) => Entry::Text(v.text()),
    }
}

/// The value a buyer sees in a cell. A formula saved without its result (files written by some
/// scripts) cannot be trusted as empty, so it is reported as text to fix.
fn cell_entry(sheet: &Sheet, at: CellRef) -> Entry {
    match sheet.cell(at) {
        None => Entry::Empty,
        Some(c) => match (&c.formula, &c.value) {
            (Some(f), Value::Empty) if !f.is_empty() => {
                Entry::Text(format!("={f} (formula with no saved result: open and save the workbook in Excel)"))
            }
            (_, v) => entry(v),
        },
    }
}

/// What the quality sheet gives: its layout, the sections, and per bid its name and scores.
struct QualityRead {
    layout: QualityLayout,
    sections: Vec<Section>,
    names: Vec<String>,
    scores: Vec<Vec<Entry>>,
    findings: Vec<Finding>,
}

/// What the price sheet gives: its layout (if there is one), per bid its costs.
struct PriceRead {
    layout: Option<PriceLayout>,
    costs: Vec<Vec<Cost>>,
    findings: Vec<Finding>,
}

struct ScaleRead {
    scale: Scale,
    max_cell: Option<(String, CellRef)>,
    values: Option<(String, CellRange)>,
}

struct Reader<'a> {
    wb: &'a Workbook,
    hints: &'a LayoutFile,
}

impl<'a> Reader<'a> {
    fn layout_err(&self, place: impl Into<String>, detail: impl Into<String>, fix: impl Into<String>) -> Error {
        Error::Layout { path: self.wb.path().to_path_buf(), place: place.into(), detail: detail.into(), fix: fix.into() }
    }

    fn col(&self, hint: &Option<String>, what: &str) -> Result<Option<u32>> {
        column(hint).map_err(|e| self.layout_err("layout file", format!("{what}: {e}"), "give the column as letters"))
    }

    /// Sheets worth trying for a role: those whose name suggests it first, then the rest.
    fn candidates(&self, words: &[&str]) -> Vec<&'a str> {
        let sheets: Vec<_> = self.wb.sheets().iter().filter(|s| s.is_worksheet).collect();
        let named = |s: &&crate::xlsx::workbook::SheetEntry| words.iter().any(|w| norm(&s.name).contains(w));
        sheets.iter().filter(|s| named(s)).chain(sheets.iter().filter(|s| !named(s))).map(|s| s.name.as_str()).collect()
    }

    fn quality(&self) -> Result<QualityRead> {
        let h = &self.hints.quality;
        let accept = |hs: &[(u32, QualityHeader)]| {
            let has = |f: fn(&QualityHeader) -> bool| hs.iter().any(|(_, x)| f(x));
            has(|x| matches!(x, QualityHeader::Criterion | QualityHeader::Reference))
                && has(|x| matches!(x, QualityHeader::Weight))
                && has(|x| matches!(x, QualityHeader::Score(_)))
        };
        let mut found = None;
        let names = match &h.sheet {
            Some(s) => vec![self.wb.sheet(s).map_err(|_| self.missing_quality(Some(s)))?.name.as_str()],
            None => self.candidates(&["quality", "technical", "evaluation", "matrix"]),
        };
        for name in names {
            let sheet = self.wb.sheet(name)?;
            let header = match h.header_row {
                Some(row) => Some((
                    row,
                    (1..=sheet.last_col())
                        .filter_map(|c| classify_quality(&sheet.value(CellRef::new(row, c)).text()).map(|x| (c, x)))
                        .collect(),
                )),
                None => find_header_row(sheet, classify_quality, accept),
            };
            if let Some((row, headers)) = header {
                found = Some((sheet, row, headers));
                break;
            }
            if h.sheet.is_some() {
                found = Some((sheet, 0, Vec::new()));
            }
        }
        let Some((sheet, header_row, headers)) = found else {
            return Err(self.missing_quality(None));
        };
        let first = |f: fn(&QualityHeader) -> bool| headers.iter().find(|(_, x)| f(x)).map(|(c, _)| *c);
        let cols = QualityColumns {
            section: self.col(&h.section, "quality.section")?.or_else(|| first(|x| *x == QualityHeader::Section)),
            reference: self.col(&h.reference, "quality.reference")?.or_else(|| first(|x| *x == QualityHeader::Reference)),
            criterion: self.col(&h.criterion, "quality.criterion")?.or_else(|| first(|x| *x == QualityHeader::Criterion)),
            section_weight: self
                .col(&h.section_weight, "quality.section_weight")?
                .or_else(|| first(|x| *x == QualityHeader::SectionWeight)),
            weight: self.col(&h.weight, "quality.weight")?.or_else(|| first(|x| *x == QualityHeader::Weight)).ok_or_else(|| {
                self.layout_err(
                    format!("{}!{}", sheet.name, header_row.max(1)),
                    "no Weighting column was found in the header row",
                    "head the criterion weighting column 'Weighting', or give quality.weight in --layout",
                )
            })?,
            effective_weight: self
                .col(&h.effective_weight, "quality.effective_weight")?
                .or_else(|| first(|x| *x == QualityHeader::EffectiveWeight)),
            pass_mark: self.col(&h.pass_mark, "quality.pass_mark")?.or_else(|| first(|x| *x == QualityHeader::PassMark)),
        };
        if cols.criterion.is_none() && cols.reference.is_none() {
            return Err(self.layout_err(
                format!("{}!{header_row}", sheet.name),
                "no Criterion or Ref column was found in the header row",
                "head the criteria column 'Criterion', or give quality.criterion in --layout",
            ));
        }
        let bidders = self.bidder_columns(sheet, header_row, &headers)?;
        if bidders.is_empty() {
            return Err(self.layout_err(
                format!("{}!{header_row}", sheet.name),
                "no bidder score columns were found (headings containing 'Score')",
                "head each bidder's score column '<bidder> Score', or list quality.bidders in --layout",
            ));
        }

        // Walk the criteria rows.
        let first_row = h.first_row.unwrap_or(header_row + 1);
        let last_row = h.last_row.unwrap_or_else(|| sheet.last_row());
        let text = |row: u32, col: Option<u32>| col.map(|c| sheet.text(CellRef::new(row, c))).unwrap_or_default();
        struct Row {
            row: u32,
            section: String,
        }
        let mut rows: Vec<Row> = Vec::new();
        let mut headings: HashMap<String, u32> = HashMap::new();
        let (mut current_section, mut blank_run, mut total_row) = (None::<String>, 0, None);
        for row in first_row..=last_row {
            let (sec, r, c) = (text(row, cols.section), text(row, cols.reference), text(row, cols.criterion));
            let label = [&r, &c, &sec].into_iter().find(|t| !t.is_empty()).cloned().unwrap_or_default();
            if norm(&label).starts_with("total") {
                total_row = Some(row);
                break;
            }
            if r.is_empty() && c.is_empty() {
                blank_run += 1;
                if blank_run >= 2 && h.last_row.is_none() {
                    break;
                }
                continue;
            }
            blank_run = 0;
            let weight = cell_entry(sheet, CellRef::new(row, cols.weight));
            let unscored = bidders.iter().all(|b| cell_entry(sheet, CellRef::new(row, b.score)).is_empty());
            if cols.section.is_none() && weight.is_empty() && unscored {
                // A section heading row: the criteria below belong to it.
                let name = if c.is_empty() { r.clone() } else { c.clone() };
                headings.insert(name.clone(), row);
                current_section = Some(name);
                continue;
            }
            if !sec.is_empty() {
                current_section = Some(sec);
            }
            rows.push(Row { row, section: current_section.clone().unwrap_or_else(|| "Quality".into()) });
        }

        // Group into sections in order of first appearance.
        let mut order: Vec<String> = Vec::new();
        for r in &rows {
            if !order.contains(&r.section) {
                order.push(r.section.clone());
            }
        }
        let mut findings = Vec::new();
        let mut sections = Vec::new();
        let mut criterion_rows = Vec::new();
        let mut section_weight_cells = Vec::new();
        let mut section_weight_copies = Vec::new();
        for (s, name) in order.iter().enumerate() {
            let member_rows: Vec<u32> = rows.iter().filter(|r| &r.section == name).map(|r| r.row).collect();
            let criteria = member_rows
                .iter()
                .map(|&row| Criterion {
                    reference: text(row, cols.reference),
                    title: text(row, cols.criterion),
                    weight: cell_entry(sheet, CellRef::new(row, cols.weight)),
                    pass_mark: cols.pass_mark.map_or(Entry::Empty, |c| cell_entry(sheet, CellRef::new(row, c))),
                })
                .collect();
            let (weight, cell) = match cols.section_weight {
                None if order.len() == 1 => (Entry::Number(100.0), None),
                None => (Entry::Empty, None),
                Some(col) => {
                    let cells: Vec<CellRef> = headings.get(name).into_iter().chain(&member_rows).map(|&r| CellRef::new(r, col)).collect();
                    let inputs: Vec<(CellRef, Entry)> = cells
                        .iter()
                        .filter(|&&at| sheet.cell(at).is_none_or(|c| c.formula.is_none()))
                        .map(|&at| (at, cell_entry(sheet, at)))
                        .filter(|(_, e)| !e.is_empty())
                        .collect();
                    for &at in &cells {
                        let copies_input = sheet.cell(at).and_then(|c| c.formula.as_deref()).is_some_and(|f| {
                            inputs.first().is_some_and(|(input, _)| CellRef::parse(f.trim_start_matches('=')) == Some(*input))
                        });
                        if copies_input {
                            section_weight_copies.push((at, s));
                        }
                    }
                    match inputs.first() {
                        Some((at, e)) => {
                            for (other, o) in &inputs[1..] {
                                let same = match (e.number(), o.number()) {
                                    (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                                    _ => e == o,
                                };
                                if !same {
                                    findings.push(Finding::error(
                                        Rule::SectionWeightConflict,
                                        Subject::SectionWeight { section: s },
                                        format!(
                                            "section '{name}' is given two different weightings: {} at {at} and {} at {other}",
                                            entry_text(e),
                                            entry_text(o)
                                        ),
                                        format!(
                                            "give the section one weighting: enter it once in {at} and refer to it elsewhere (={})",
                                            at.absolute()
                                        ),
                                    ));
                                }
                            }
                            (e.clone(), Some(*at))
                        }
                        None => (cells.first().map_or(Entry::Empty, |&at| cell_entry(sheet, at)), cells.first().copied()),
                    }
                }
            };
            section_weight_cells.push(cell);
            criterion_rows.extend(&member_rows);
            sections.push(Section { name: name.clone(), weight, criteria });
        }
        let scores: Vec<Vec<Entry>> =
            bidders.iter().map(|b| criterion_rows.iter().map(|&row| cell_entry(sheet, CellRef::new(row, b.score))).collect()).collect();
        let names = bidders.iter().map(|b| b.name.clone()).collect();
        let section_sizes = sections.iter().map(|s: &Section| s.criteria.len()).collect();
        let layout = QualityLayout {
            sheet: sheet.name.clone(),
            header_row,
            cols,
            bidders,
            criterion_rows,
            section_weight_cells,
            section_weight_copies,
            section_sizes,
            total_row,
        };
        Ok(QualityRead { layout, sections, names, scores, findings })
    }

    fn missing_quality(&self, named: Option<&str>) -> Error {
        Error::MissingSheet {
            path: self.wb.path().to_path_buf(),
            role: "Quality",
            detail: match named {
                Some(n) => format!("the layout file names sheet '{n}', which is not in the workbook (sheets: {})", self.wb.sheet_names().join(", ")),
                None if self.wb.sheets().is_empty() => "the workbook has no sheets".into(),
                None => format!(
                    "no sheet has a header row with Criterion, Weighting and Score columns (sheets: {})",
                    self.wb.sheet_names().join(", ")
                ),
            },
            fix: "name the quality sheet 'Quality' with headings Criterion, Weighting and '<bidder> Score', or describe it with --layout layout.toml".into(),
        }
    }

    fn bidder_columns(&self, sheet: &Sheet, header_row: u32, headers: &[(u32, QualityHeader)]) -> Result<Vec<BidderColumns>> {
        if let Some(hints) = &self.hints.quality.bidders {
            return hints
                .iter()
                .map(|b| {
                    let score = self.col(&Some(b.score.clone()), "quality.bidders.score")?.unwrap_or(0);
                    Ok(BidderColumns {
                        name: b.name.clone(),
                        name_cell: CellRef::new(header_row, score),
                        score,
                        weighted: self.col(&b.weighted, "quality.bidders.weighted")?,
                    })
                })
                .collect();
        }
        let mut out: Vec<BidderColumns> = Vec::new();
        for (col, h) in headers {
            match h {
                QualityHeader::Score(name) => {
                    let (name, name_cell) = if name.is_empty() {
                        name_above(sheet, header_row, *col)
                            .unwrap_or_else(|| (format!("Bidder in column {}", col_name(*col)), CellRef::new(header_row, *col)))
                    } else {
                        (name.clone(), CellRef::new(header_row, *col))
                    };
                    out.push(BidderColumns { name, name_cell, score: *col, weighted: None });
                }
                QualityHeader::Weighted(name) => {
                    let target = if name.is_empty() {
                        out.iter_mut().rev().find(|b| b.weighted.is_none() && b.score < *col)
                    } else {
                        let key = norm(name);
                        out.iter_mut().find(|b| norm(&b.name) == key)
                    };
                    if let Some(b) = target {
                        b.weighted = Some(*col);
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    fn price(&self, bidders: &[BidderColumns]) -> Result<PriceRead> {
        let h = &self.hints.price;
        let accept = |hs: &[(u32, PriceHeader)]| {
            hs.iter().any(|(_, x)| *x == PriceHeader::Bidder)
                && hs.iter().any(|(_, x)| matches!(x, PriceHeader::Cost(_) | PriceHeader::WholeLife))
        };
        let names = match &h.sheet {
            Some(s) => vec![self.wb.sheet(s)?.name.as_str()],
            None => self
                .candidates(&["price", "commercial", "cost"])
                .into_iter()
                .filter(|n| {
                    let n = norm(n);
                    ["price", "commercial", "cost"].iter().any(|w| n.contains(w))
                })
                .collect(),
        };
        let mut found = None;
        for name in names {
            let sheet = self.wb.sheet(name)?;
            let header = match h.header_row {
                Some(row) => Some((
                    row,
                    (1..=sheet.last_col())
                        .filter_map(|c| classify_price(&sheet.value(CellRef::new(row, c)).text()).map(|x| (c, x)))
                        .collect(),
                )),
                None => find_header_row(sheet, classify_price, accept),
            };
            if let Some((row, headers)) = header {
                found = Some((sheet, row, headers));
                break;
            }
        }
        let none = || PriceRead { layout: None, costs: bidders.iter().map(|_| Vec::new()).collect(), findings: Vec::new() };
        let Some((sheet, header_row, headers)) = found else { return Ok(none()) };
        let first = |f: &dyn Fn(&PriceHeader) -> bool| headers.iter().find(|(_, x)| f(x)).map(|(c, _)| *c);
        let bidder = match self.col(&h.bidder, "price.bidder")?.or_else(|| first(&|x| *x == PriceHeader::Bidder)) {
            Some(c) => c,
            None => return Ok(none()),
        };
        let mut components = Vec::new();
        for (component, hint) in [
            (CostComponent::Acquisition, &h.acquisition),
            (CostComponent::Operating, &h.operating),
            (CostComponent::EndOfLife, &h.end_of_life),
        ] {
            if let Some(c) = self.col(hint, "price cost column")?.or_else(|| first(&|x| *x == PriceHeader::Cost(component))) {
                components.push((component, c));
            }
        }
        let mut whole_life = self.col(&h.whole_life, "price.whole_life")?.or_else(|| first(&|x| *x == PriceHeader::WholeLife));
        if components.is_empty() {
            // No breakdown: a single price column, or the whole-life cost typed in directly.
            match self
                .col(&h.price, "price.price")?
                .or_else(|| first(&|x| *x == PriceHeader::Cost(CostComponent::Price)))
                .or(whole_life.take())
            {
                Some(c) => components.push((CostComponent::Price, c)),
                None => return Ok(none()),
            }
        }
        let score = self.col(&h.score, "price.score")?.or_else(|| first(&|x| *x == PriceHeader::Score));

        // Bidder rows run from under the header to the first blank row (notes may follow).
        let mut by_name: Vec<(String, u32)> = Vec::new();
        for row in header_row + 1..=sheet.last_row() {
            let n = norm(&sheet.text(CellRef::new(row, bidder)));
            if n.is_empty() || n.starts_with("total") || n.starts_with("lowest") {
                break;
            }
            by_name.push((n, row));
        }
        let rows_by_name: HashMap<&str, u32> = by_name.iter().rev().map(|(n, r)| (n.as_str(), *r)).collect();
        let bidder_keys: std::collections::HashSet<String> = bidders.iter().map(|b| norm(&b.name)).collect();
        let mut findings = Vec::new();
        let mut rows = Vec::new();
        let mut costs = Vec::new();
        for (b, bc) in bidders.iter().enumerate() {
            let row = rows_by_name.get(norm(&bc.name).as_str()).copied();
            if row.is_none() {
                findings.push(Finding::error(
                    Rule::BidderMismatch,
                    Subject::Bidder { bid: b },
                    format!(
                        "bidder '{}' has a score column on {} but no row on {}",
                        bc.name,
                        self.hints.quality.sheet.as_deref().unwrap_or("the quality sheet"),
                        sheet.name
                    ),
                    format!("add a row for '{}' on {} with the same name, or correct the spelling", bc.name, sheet.name),
                ));
            }
            costs.push(match row {
                Some(r) => {
                    components.iter().map(|&(component, c)| Cost { component, amount: cell_entry(sheet, CellRef::new(r, c)) }).collect()
                }
                None => Vec::new(),
            });
            rows.push(row);
        }
        for (n, row) in &by_name {
            if !bidder_keys.contains(n) {
                let name = sheet.text(CellRef::new(*row, bidder));
                findings.push(Finding::error(
                    Rule::BidderMismatch,
                    Subject::Bids,
                    format!(
                        "bidder '{name}' at {}!{} has a price but no score column on the quality sheet",
                        sheet.name,
                        CellRef::new(*row, bidder)
                    ),
                    "spell each bidder's name the same on every sheet, or add their score column",
                ));
            }
        }
        let eligible_whole_life = first(&|x| *x == PriceHeader::EligibleWholeLife);
        let layout =
            PriceLayout { sheet: sheet.name.clone(), header_row, bidder, components, whole_life, eligible_whole_life, score, rows };
        Ok(PriceRead { layout: Some(layout), costs, findings })
    }

    fn summary(&self, bidders: &[BidderColumns]) -> Result<(Option<SummaryLayout>, Vec<Finding>)> {
        let h = &self.hints.summary;
        let accept = |hs: &[(u32, SummaryHeader)]| {
            hs.iter().any(|(_, x)| *x == SummaryHeader::Bidder)
                && hs.iter().any(|(_, x)| matches!(x, SummaryHeader::Total | SummaryHeader::Rank))
        };
        let sheet = match &h.sheet {
            Some(s) => Some(self.wb.sheet(s)?),
            None => self
                .wb
                .sheets()
                .iter()
                .filter(|s| s.is_worksheet && ["summary", "result", "ranking", "award"].iter().any(|w| norm(&s.name).contains(w)))
                .map(|s| self.wb.sheet(&s.name))
                .next()
                .transpose()?,
        };
        let Some(sheet) = sheet else {
            return Ok((None, Vec::new()));
        };
        let Some((header_row, mut headers)) = (match h.header_row {
            Some(row) => Some((
                row,
                (1..=sheet.last_col())
                    .filter_map(|c| classify_summary(&sheet.value(CellRef::new(row, c)).text()).map(|x| (c, x)))
                    .collect::<Vec<_>>(),
            )),
            None => find_header_row(sheet, classify_summary, accept),
        }) else {
            return Ok((None, Vec::new()));
        };
        for (kind, hint) in [
            (SummaryHeader::Bidder, &h.bidder),
            (SummaryHeader::Quality, &h.quality),
            (SummaryHeader::QualityWeighted, &h.quality_weighted),
            (SummaryHeader::Price, &h.price),
            (SummaryHeader::Total, &h.total),
            (SummaryHeader::Rank, &h.rank),
        ] {
            if let Some(c) = self.col(hint, "summary column")? {
                headers.retain(|(_, x)| *x != kind);
                headers.push((c, kind));
            }
        }
        let mut columns: Vec<(SummaryHeader, u32)> = Vec::new();
        for (c, kind) in headers {
            if !columns.iter().any(|(k, _)| *k == kind) {
                columns.push((kind, c));
            }
        }
        let Some(&(_, bidder)) = columns.iter().find(|(k, _)| *k == SummaryHeader::Bidder) else {
            return Ok((None, Vec::new()));
        };
        let mut findings = Vec::new();
        let mut by_name: HashMap<String, u32> = HashMap::new();
        for r in (header_row + 1..=sheet.last_row()).rev() {
            by_name.insert(norm(&sheet.text(CellRef::new(r, bidder))), r);
        }
        let rows = bidders
            .iter()
            .enumerate()
            .map(|(b, bc)| {
                let row = by_name.get(&norm(&bc.name)).copied();
                if row.is_none() {
                    findings.push(Finding::warning(
                        Rule::BidderMismatch,
                        Subject::Bidder { bid: b },
                        format!("bidder '{}' has no row on {}, so its totals cannot be written there", bc.name, sheet.name),
                        format!("add a row for '{}' on {}", bc.name, sheet.name),
                    ));
                }
                row
            })
            .collect();
        Ok((Some(SummaryLayout { sheet: sheet.name.clone(), header_row, columns, rows }), findings))
    }

    fn named_cell(&self, name: &str) -> Option<(String, CellRef)> {
        let (sheet, range) = self.wb.defined_range(name)?;
        Some((sheet, range.start))
    }

    fn value_at(&self, sheet: &str, at: CellRef) -> Result<Entry> {
        Ok(cell_entry(self.wb.sheet(sheet)?, at))
    }

    fn setting(&self, constant: Option<f64>, cell: &Option<String>, name: &str) -> Result<(Entry, Source)> {
        if let Some(n) = constant {
            return Ok((Entry::Number(n), Source::LayoutFile));
        }
        let at = match cell {
            Some(text) => Some(layout::sheet_cell(text).ok_or_else(|| {
                self.layout_err("layout file", format!("'{text}' is not a cell such as \"Setup!B4\""), "write the cell as Sheet!B4")
            })?),
            None => self.named_cell(name),
        };
        match at {
            Some((sheet, at)) => Ok((self.value_at(&sheet, at)?, Source::Cell(sheet, at))),
            None => Ok((Entry::Empty, Source::Missing)),
        }
    }

    fn scale(&self) -> Result<ScaleRead> {
        let s = &self.hints.scale;
        let bad = |place: String, e: String| self.layout_err(place, e, "list the scale's scores, lowest first, as numbers");
        let max_cell = self.named_cell("ScaleMax");
        if let Some(values) = &s.values {
            return Ok(ScaleRead { scale: Scale::from_values(values).map_err(|e| bad("layout file".into(), e))?, max_cell, values: None });
        }
        if let Some(name) = &s.name {
            return Ok(ScaleRead { scale: Scale::parse(name).map_err(|e| bad("layout file".into(), e))?, max_cell, values: None });
        }
        let range = match &s.values_range {
            Some(text) => Some(
                layout::sheet_range(text)
                    .ok_or_else(|| bad("layout file".into(), format!("'{text}' is not a range such as \"Setup!A10:A14\"")))?,
            ),
            None => self.wb.defined_range("ScaleValues"),
        };
        if let Some((sheet_name, range)) = range {
            let sheet = self.wb.sheet(&sheet_name)?;
            let mut points = Vec::new();
            for at in range.cells().filter(|c| c.col == range.start.col) {
                match sheet.value(at) {
                    Value::Number(value) => points.push(ScalePoint {
                        value: *value,
                        descriptor: sheet.text(CellRef::new(at.row, at.col + 1)),
                        meaning: sheet.text(CellRef::new(at.row, at.col + 2)),
                    }),
                    Value::Empty => {}
                    other => {
                        return Err(bad(
                            format!("{sheet_name}!{at}"),
                            format!("the scale lists '{}', which is not a number", other.text()),
                        ));
                    }
                }
            }
            let scale = Scale::new(points).map_err(|e| bad(format!("{sheet_name}!{range}"), e))?;
            return Ok(ScaleRead { scale, max_cell, values: Some((sheet_name, range)) });
        }
        // A workbook tenderkit rescaled carries its scale as constant names.
        if let Some(NameValue::Numbers(values)) = self.wb.defined_value("ScaleValues") {
            let scale = Scale::with_values(&values).map_err(|e| bad("defined name ScaleValues".into(), e))?;
            return Ok(ScaleRead { scale, max_cell, values: None });
        }
        let max = match (self.wb.defined_value("ScaleMax"), &max_cell) {
            (Some(NameValue::Number(n)), _) => Some((n, "defined name ScaleMax".to_string())),
            (_, Some((sheet, at))) => Some((
                self.value_at(sheet, *at)?
                    .number()
                    .ok_or_else(|| bad(format!("{sheet}!{at}"), "the scale maximum (ScaleMax) is not a number".into()))?,
                format!("{sheet}!{at}"),
            )),
            _ => None,
        };
        if let Some((max, place)) = max {
            let scale = if (max - 100.0).abs() < 1e-9 {
                Scale::percentage()
            } else {
                Scale::parse(&format!("0-{}", max.round() as i64)).map_err(|e| bad(place, e))?
            };
            return Ok(ScaleRead { scale, max_cell, values: None });
        }
        Ok(ScaleRead { scale: Scale::matrix(), max_cell: None, values: None })
    }

    fn commodity(&self) -> Result<Option<Commodity>> {
        if let Some(c) = self.hints.commodity {
            return Ok(Some(c));
        }
        let Some((sheet, at)) = self.named_cell("CommodityType") else {
            return Ok(None);
        };
        match self.value_at(&sheet, at)? {
            Entry::Empty => Ok(None),
            e => {
                let text = entry_text(&e);
                Commodity::parse(&text).map(Some).ok_or_else(|| {
                    self.layout_err(
                        format!("{sheet}!{at}"),
                        format!("commodity type '{text}' is not one the guidance names"),
                        "enter routine, leverage, strategic or bottleneck",
                    )
                })
            }
        }
    }
}

fn entry_text(e: &Entry) -> String {
    match e {
        Entry::Empty => "nothing".into(),
        Entry::Number(n) => crate::domain::scale::fmt_number(*n),
        Entry::Text(t) => t.clone(),
    }
}

/// Reads the matrix from a workbook, using the layout file's hints where given.
pub fn read_matrix(wb: &Workbook, hints: &LayoutFile) -> Result<ReadMatrix> {
    let r = Reader { wb, hints };
    let quality = r.quality()?;
    let price = r.price(&quality.layout.bidders)?;
    let (summary, summary_findings) = r.summary(&quality.layout.bidders)?;
    let mut findings = quality.findings;
    findings.extend(price.findings);
    findings.extend(summary_findings);
    let (price_weight, price_source) = r.setting(hints.split.price, &hints.split.price_cell, "PriceWeight")?;
    let (quality_weight, quality_source) = r.setting(hints.split.quality, &hints.split.quality_cell, "QualityWeight")?;
    let scale = r.scale()?;
    let commodity = r.commodity()?;
    let minimum_quality = r.setting(hints.minimum_quality, &hints.minimum_quality_cell, "MinimumQuality")?;
    let bids = quality
        .names
        .into_iter()
        .zip(quality.scores)
        .zip(price.costs)
        .map(|((bidder, scores), costs)| Bid { bidder, scores, costs })
        .collect();
    let matrix = Matrix {
        sections: quality.sections,
        bids,
        split: Split { price: price_weight, quality: quality_weight },
        scale: scale.scale,
        minimum_quality: minimum_quality.0,
        commodity,
    };
    let scale_max_formula =
        scale.max_cell.filter(|(sheet, at)| wb.sheet(sheet).ok().and_then(|s| s.cell(*at)).is_some_and(|c| c.formula.is_some()));
    let settings = Settings {
        price_weight: price_source,
        quality_weight: quality_source,
        minimum_quality: minimum_quality.1,
        scale_max_formula,
        scale_values: scale.values,
    };
    Ok(ReadMatrix { matrix, layout: MatrixLayout { quality: quality.layout, price: price.layout, summary, settings }, findings })
}

/// `Quality!D4`, or `'Technical Evaluation'!D4` as Excel writes it.
pub fn place(sheet: &str, cell: impl std::fmt::Display) -> String {
    format!("{}!{cell}", crate::xlsx::workbook::quote_sheet(sheet))
}

impl Locate for MatrixLayout {
    fn locate(&self, subject: &Subject) -> Option<String> {
        let q = &self.quality;
        let cell = |row: u32, col: u32| place(&q.sheet, CellRef::new(row, col));
        let rows_of = |s: usize| -> Vec<u32> {
            let start: usize = q.section_sizes[..s].iter().sum();
            q.criterion_rows[start..start + q.section_sizes[s]].to_vec()
        };
        let column_range = |col: u32, rows: &[u32]| {
            let (lo, hi) = (rows.iter().min()?, rows.iter().max()?);
            Some(place(&q.sheet, CellRange { start: CellRef::new(*lo, col), end: CellRef::new(*hi, col) }))
        };
        let setting = |s: &Source, name: &str| match s {
            Source::Cell(sheet, at) => Some(place(sheet, at)),
            Source::LayoutFile => Some("layout file".into()),
            Source::Missing => Some(format!("defined name {name} (not in the workbook)")),
        };
        match subject {
            Subject::PriceWeight => setting(&self.settings.price_weight, "PriceWeight"),
            Subject::QualityWeight => setting(&self.settings.quality_weight, "QualityWeight"),
            Subject::MinimumQuality => setting(&self.settings.minimum_quality, "MinimumQuality"),
            Subject::PassMark { criterion } => Some(cell(*q.criterion_rows.get(*criterion)?, q.cols.pass_mark?)),
            Subject::SectionWeights => match q.cols.section_weight {
                Some(col) => {
                    let cells: Vec<u32> = q.section_weight_cells.iter().flatten().map(|c| c.row).collect();
                    column_range(col, &cells)
                }
                None => Some(q.sheet.clone()),
            },
            Subject::SectionWeight { section } => match q.section_weight_cells.get(*section).copied().flatten() {
                Some(at) => Some(place(&q.sheet, at)),
                None => Some(q.sheet.clone()),
            },
            Subject::CriterionWeights { section } => column_range(q.cols.weight, &rows_of(*section)).or_else(|| Some(q.sheet.clone())),
            Subject::CriterionWeight { criterion } => q.criterion_rows.get(*criterion).map(|&r| cell(r, q.cols.weight)),
            Subject::Criterion { criterion } => {
                q.criterion_rows.get(*criterion).map(|&r| cell(r, q.cols.criterion.or(q.cols.reference).unwrap_or(q.cols.weight)))
            }
            Subject::Criteria => Some(place(&q.sheet, format!("{}:{}", q.header_row + 1, q.header_row + 1))),
            Subject::Bids => Some(place(&q.sheet, format!("{}:{}", q.header_row, q.header_row))),
            Subject::Bidder { bid } => q.bidders.get(*bid).map(|b| place(&q.sheet, b.name_cell)),
            Subject::Score { criterion, bid } => Some(cell(*q.criterion_rows.get(*criterion)?, q.bidders.get(*bid)?.score)),
            Subject::Cost { bid, cost } => {
                let p = self.price.as_ref()?;
                Some(place(&p.sheet, CellRef::new((*p.rows.get(*bid)?)?, p.components.get(*cost)?.1)))
            }
            Subject::Costs { bid } => {
                let p = self.price.as_ref()?;
                let row = (*p.rows.get(*bid)?)?;
                let cols: Vec<u32> = p.components.iter().map(|c| c.1).collect();
                Some(place(
                    &p.sheet,
                    CellRange { start: CellRef::new(row, *cols.iter().min()?), end: CellRef::new(row, *cols.iter().max()?) },
                ))
            }
            _ => None,
        }
    }
}

impl MatrixLayout {
    /// The cells `score` and `matrix new` write: every figure the matrix's formulas compute,
    /// cached beside the formula (or as the value, where the workbook has no formula there).
    pub fn figure_edits(&self, m: &Matrix, f: &Figures) -> Edits {
        let mut e = Edits::default();
        e.recalc_on_open = true;
        let q = &self.quality;
        let result = |n: Option<f64>| CellEdit::Result(Computed::from(n));
        for (i, &row) in q.criterion_rows.iter().enumerate() {
            if let Some(col) = q.cols.effective_weight {
                e.set(&q.sheet, CellRef::new(row, col), result(f.effective_weights[i]));
            }
            for (b, bc) in q.bidders.iter().enumerate() {
                if let Some(col) = bc.weighted {
                    e.set(&q.sheet, CellRef::new(row, col), result(f.bids[b].weighted[i]));
                }
            }
        }
        for &(at, s) in &q.section_weight_copies {
            e.set(&q.sheet, at, result(m.sections[s].weight.number()));
        }
        if let Some(row) = q.total_row {
            if let Some(col) = q.cols.effective_weight {
                e.set(&q.sheet, CellRef::new(row, col), result(Some(f.total_weight)));
            }
            for (b, bc) in q.bidders.iter().enumerate() {
                if let Some(col) = bc.weighted {
                    e.set(&q.sheet, CellRef::new(row, col), result(Some(f.bids[b].quality)));
                }
            }
        }
        if let Some(p) = &self.price {
            for (b, row) in p.rows.iter().enumerate() {
                let Some(row) = *row else { continue };
                if let Some(col) = p.whole_life {
                    e.set(&p.sheet, CellRef::new(row, col), result(f.bids[b].whole_life_cost));
                }
                if let Some(col) = p.score {
                    e.set(&p.sheet, CellRef::new(row, col), result(f.bids[b].price_score));
                }
                if let Some(col) = p.eligible_whole_life {
                    e.set(&p.sheet, CellRef::new(row, col), result(f.bids[b].whole_life_cost.filter(|_| f.bids[b].passed())));
                }
            }
        }
        if let Some(s) = &self.summary {
            for (b, row) in s.rows.iter().enumerate() {
                let Some(row) = *row else { continue };
                let x = &f.bids[b];
                for (kind, col) in &s.columns {
                    let value = match kind {
                        SummaryHeader::Bidder => continue,
                        SummaryHeader::Quality => Computed::from(Some(x.quality)),
                        SummaryHeader::QualityWeighted => Computed::from(Some(x.quality_weighted)),
                        SummaryHeader::Price => Computed::from(x.price_score),
                        SummaryHeader::Total => Computed::from(x.total),
                        SummaryHeader::Rank => Computed::from(x.rank.map(|r| r as f64)),
                        SummaryHeader::BelowPassMark => Computed::Number(x.below_pass_mark() as f64),
                        SummaryHeader::Status => Computed::Text(if x.passed() { "Pass" } else { "Fail" }.into()),
                    };
                    e.set(&s.sheet, CellRef::new(row, *col), CellEdit::Result(value));
                }
            }
        }
        if let Some((sheet, at)) = &self.settings.scale_max_formula {
            e.set(sheet, *at, result(Some(m.scale.max())));
        }
        e
    }
}
