//! The quality table: criteria with their weightings and every bidder's scores. Most matrices
//! have one row per criterion and a score column per bidder; some have one row per bidder, one
//! column per criterion and a row of weights above. Both are read by one walk along the
//! criterion lines; [`QualityLayout::at`] turns a line and a crossing line into a cell.

use std::collections::HashMap;

use crate::domain::{Criterion, Entry, Finding, Rule, Scale, Section, Subject};
use crate::error::{Error, Result};
use crate::xlsx::cellref::{CellRef, col_name};
use crate::xlsx::headings::{QualityRole, ROW_LABELS, RowRole, classify, quality_heading};
use crate::xlsx::layout::{Orientation, WeightUnit, find_header_row, headings_in_row, name_above};
use crate::xlsx::matrix::{BidderColumns, Kind, LAYOUT_HINT, QualityColumns, QualityLayout, Read, Reader, place};
use crate::xlsx::workbook::{Sheet, Value};

/// What the quality table gives.
pub(crate) struct QualityRead {
    pub layout: QualityLayout,
    pub sections: Vec<Section>,
    pub names: Vec<String>,
    pub scores: Vec<Vec<Entry>>,
    /// Scales stated in headings ("Score (0-4)"), with the heading's cell.
    pub heading_scales: Vec<(Scale, CellRef)>,
    /// Some score cell shows its number as a percentage (a 0-100% scale stored as 0-1).
    pub percent_scores: bool,
}

type Heading = (QualityRole, String, Option<Scale>);

/// A cell with nothing in it: no value and no formula.
fn blank(sheet: &Sheet, at: CellRef) -> bool {
    sheet.cell(at).is_none_or(|c| {
        !c.has_formula() && matches!(&c.value, Value::Empty)
            || matches!(&c.value, Value::Text(t) if t.trim().is_empty() && !c.has_formula())
    })
}

impl Reader<'_> {
    pub(crate) fn quality(&self) -> Result<Option<QualityRead>> {
        let h = &self.hints.quality;
        let names = match &h.sheet {
            Some(s) => vec![self.wb.sheet(s).map_err(|_| self.missing_sheet("quality", s))?.name.as_str()],
            None => self.candidates(&["quality", "technical", "evaluation", "matrix", "scor"]),
        };
        // Criteria in rows anywhere wins over bidders in rows: a stray row of weights on another
        // sheet must not hide the real table.
        if h.orientation != Some(Orientation::BiddersInRows) {
            // A table whose weightings are not numbers (a template whose formulas show #VALUE!)
            // gives way to a later sheet's whose are, and says so.
            let mut unusable: Option<(QualityRead, Vec<Finding>, &str)> = None;
            for name in &names {
                let mark = self.findings.borrow().len();
                let Some(found) = self.criteria_in_rows(self.wb.sheet(name)?)? else { continue };
                let numbers = found.sections.iter().flat_map(|s| &s.criteria).all(|c| c.weight.number().is_some());
                if numbers || h.sheet.is_some() {
                    if let Some((_, _, skipped)) = &unusable {
                        self.note(Finding::warning(
                            Rule::SheetChosen,
                            Subject::Bids,
                            format!("sheet '{skipped}' also looks like a quality table, but its weightings are not all numbers: sheet '{name}' is read"),
                            "name the sheet to read in a layout file ([quality] sheet = \"...\")",
                        ));
                    }
                    return Ok(Some(found));
                }
                let notes = self.findings.borrow_mut().split_off(mark);
                unusable.get_or_insert((found, notes, name));
            }
            if let Some((found, notes, _)) = unusable {
                self.findings.borrow_mut().extend(notes);
                return Ok(Some(found));
            }
        }
        if h.orientation != Some(Orientation::CriteriaInRows) {
            for name in &names {
                if let Some(found) = self.bidders_in_rows(self.wb.sheet(name)?)? {
                    return Ok(Some(found));
                }
            }
        }
        match &h.sheet {
            Some(s) => Err(self.layout_err(
                s.clone(),
                "no quality table was found on this sheet: no row headed Criterion (or Question), Weighting and Score, and no row of weights with a bidder on each row below",
                format!("give quality.header_row and the columns in the layout file; {LAYOUT_HINT}"),
            )),
            None => Ok(None),
        }
    }

    pub(crate) fn missing_sheet(&self, role: &'static str, name: &str) -> Error {
        Error::MissingSheet {
            path: self.wb.path().to_path_buf(),
            role,
            detail: format!(
                "the layout file names sheet '{name}', which is not in the workbook (sheets: {})",
                self.wb.sheet_names().join(", ")
            ),
            fix: format!("correct the sheet name in the layout file; {LAYOUT_HINT}"),
        }
    }

    /// Neither a quality nor a price table anywhere.
    pub(crate) fn missing_tables(&self) -> Error {
        Error::MissingSheet {
            path: self.wb.path().to_path_buf(),
            role: "Quality or Price",
            detail: if self.wb.sheets().is_empty() {
                "the workbook has no sheets".into()
            } else {
                format!(
                    "no sheet has a quality table (a row headed Criterion, Weighting and Score) or a price table (a row headed Bidder and Price) (sheets: {})",
                    self.wb.sheet_names().join(", ")
                )
            },
            fix: format!("head the tables' columns with words such as Criterion, Weighting, Score, Bidder and Price; or {LAYOUT_HINT}"),
        }
    }

    fn criteria_in_rows(&self, sheet: &Sheet) -> Result<Option<QualityRead>> {
        let h = &self.hints.quality;
        let accept = |hs: &[(u32, Heading)]| {
            let has = |f: fn(QualityRole) -> bool| hs.iter().any(|(_, x)| f(x.0));
            has(|x| matches!(x, QualityRole::Criterion | QualityRole::Reference))
                && has(|x| x == QualityRole::Weight)
                && has(|x| x == QualityRole::Score)
        };
        // The textbook shape: Criteria | Weight | one column headed by each bidder's (or
        // option's) name, holding its scores, with no Score heading.
        let named = |hs: &[(u32, Heading)]| {
            hs.iter().any(|(_, x)| matches!(x.0, QualityRole::Criterion | QualityRole::Reference))
                && hs.iter().any(|(_, x)| x.0 == QualityRole::Weight)
        };
        let header = match h.header_row {
            Some(row) => Some((row, headings_in_row(sheet, row, quality_heading))),
            None => find_header_row(sheet, quality_heading, accept).or_else(|| {
                (1..=sheet.last_row().min(50)).find_map(|row| {
                    let hs = headings_in_row(sheet, row, quality_heading);
                    (named(&hs) && !named_bidders(sheet, row, &hs).is_empty()).then_some((row, hs))
                })
            }),
        };
        let Some((header_row, headers)) = header else { return Ok(None) };
        let first = |role: QualityRole| headers.iter().find(|(_, x)| x.0 == role).map(|(c, _)| *c);
        let cols = QualityColumns {
            section: self.col(&h.section, "quality.section")?.or_else(|| first(QualityRole::Section)),
            reference: self.col(&h.reference, "quality.reference")?.or_else(|| first(QualityRole::Reference)),
            criterion: self.col(&h.criterion, "quality.criterion")?.or_else(|| first(QualityRole::Criterion)),
            section_weight: self.col(&h.section_weight, "quality.section_weight")?.or_else(|| first(QualityRole::SectionWeight)),
            weight: self.col(&h.weight, "quality.weight")?.or_else(|| first(QualityRole::Weight)).ok_or_else(|| {
                self.layout_err(
                    place(&sheet.name, header_row.max(1)),
                    "no Weighting column was found in the header row",
                    format!("head the criterion weighting column 'Weighting', or give quality.weight in the layout file; {LAYOUT_HINT}"),
                )
            })?,
            effective_weight: self.col(&h.effective_weight, "quality.effective_weight")?.or_else(|| first(QualityRole::EffectiveWeight)),
            pass_mark: self.col(&h.pass_mark, "quality.pass_mark")?.or_else(|| first(QualityRole::PassMark)),
        };
        if cols.criterion.is_none() && cols.reference.is_none() {
            return Err(self.layout_err(
                place(&sheet.name, header_row),
                "no Criterion or Ref column was found in the header row",
                format!("head the criteria column 'Criterion', or give quality.criterion in the layout file; {LAYOUT_HINT}"),
            ));
        }
        let bidders = self.bidder_columns(sheet, header_row, &headers)?;
        if bidders.is_empty() {
            return Err(self.layout_err(
                place(&sheet.name, header_row),
                "no bidder score columns were found (headings such as '<bidder> Score', 'Rating' or 'Points')",
                format!("head each bidder's score column '<bidder> Score', or list quality.bidders in the layout file; {LAYOUT_HINT}"),
            ));
        }
        let heading_scales = headers.iter().filter_map(|(c, x)| Some((x.2.clone()?, CellRef::new(header_row, *c)))).collect();
        let layout =
            QualityLayout::unfilled(&sheet.name, Orientation::CriteriaInRows, header_row, None, cols, bidders, h.weights.unwrap_or_default());
        let first_row = h.first_row.unwrap_or(header_row + 1);
        let last_row = h.last_row.unwrap_or_else(|| sheet.last_row());
        self.fill(sheet, layout, first_row..=last_row, heading_scales).map(Some)
    }

    fn bidder_columns(&self, sheet: &Sheet, header_row: u32, headers: &[(u32, Heading)]) -> Result<Vec<BidderColumns>> {
        if let Some(hints) = &self.hints.quality.bidders {
            return hints
                .iter()
                .map(|b| {
                    let score = self.col(&b.score, "quality.bidders.score")?.ok_or_else(|| {
                        self.layout_err(
                            "layout file",
                            format!("bidder '{}' has no score column", b.name),
                            "give score = \"E\" for each bidder",
                        )
                    })?;
                    Ok(BidderColumns {
                        name: b.name.clone(),
                        name_cell: b.name_cell.as_deref().and_then(CellRef::parse).unwrap_or(CellRef::new(header_row, score)),
                        score,
                        lines: 1,
                        weighted: self.col(&b.weighted, "quality.bidders.weighted")?,
                        total: None,
                    })
                })
                .collect();
        }
        let mut out: Vec<BidderColumns> = Vec::new();
        if !headers.iter().any(|(_, x)| x.0 == QualityRole::Score) {
            return Ok(named_bidders(sheet, header_row, headers));
        }
        for (col, (role, name, _)) in headers {
            match role {
                QualityRole::Score => {
                    let bid = out.len();
                    let (name, name_cell) = if name.is_empty() {
                        match name_above(sheet, header_row, *col) {
                            Some(at) => (one_line(&self.text(sheet, at, || Subject::Bidder { bid })), at),
                            None => (format!("Bidder in column {}", col_name(*col)), CellRef::new(header_row, *col)),
                        }
                    } else {
                        (name.clone(), CellRef::new(header_row, *col))
                    };
                    out.push(BidderColumns { name, name_cell, score: *col, lines: 1, weighted: None, total: None });
                }
                QualityRole::Weighted => {
                    let target = if name.is_empty() {
                        out.iter_mut().rev().find(|b| b.weighted.is_none() && b.score < *col)
                    } else {
                        let key = crate::domain::name_key(name);
                        out.iter_mut().find(|b| crate::domain::name_key(&b.name) == key)
                    };
                    if let Some(b) = target {
                        b.weighted = Some(*col);
                    }
                }
                _ => {}
            }
        }
        Ok(one_bidder_per_name(sheet, header_row, names_split_over_two_cells(sheet, out)))
    }

    /// Walks the criterion lines of a table whose headings and bidders are known, and reads the
    /// sections, criteria, weights and scores.
    pub(super) fn fill(
        &self,
        sheet: &Sheet,
        mut layout: QualityLayout,
        lines: std::ops::RangeInclusive<u32>,
        heading_scales: Vec<(Scale, CellRef)>,
    ) -> Result<QualityRead> {
        let explicit_end = match layout.orientation {
            Orientation::CriteriaInRows => self.hints.quality.last_row.is_some(),
            Orientation::BiddersInRows => self.hints.quality.last_column.is_some(),
        };
        let cols = layout.cols.clone();
        let o = layout.orientation;
        let score_lines: Vec<u32> = layout.bidders.iter().map(|b| b.score).collect();
        let label = |line: u32, col: Option<u32>| col.map(|c| sheet.text(o.cell(line, c))).unwrap_or_default();
        let unscored = |line: u32| score_lines.iter().all(|&b| blank(sheet, o.cell(line, b)));
        let weightless = |line: u32| blank(sheet, o.cell(line, cols.weight));
        let by_sections = layout.orientation == Orientation::CriteriaInRows;
        struct Line {
            line: u32,
            section: String,
        }
        let mut found: Vec<Line> = Vec::new();
        let mut headings: HashMap<String, u32> = HashMap::new();
        let (mut current_section, mut blank_run) = (None::<String>, 0);
        let mut not_read: Vec<(u32, String)> = Vec::new();
        for line in lines {
            if layout.first_line == 0 && !(label(line, cols.reference).is_empty() && label(line, cols.criterion).is_empty()) {
                layout.first_line = line;
            }
            let (sec, r, c) = (label(line, cols.section), label(line, cols.reference), label(line, cols.criterion));
            let text = [&r, &c, &sec].into_iter().find(|t| !t.is_empty()).cloned().unwrap_or_default();
            match classify(ROW_LABELS, &text).map(|x| x.0) {
                Some(RowRole::Total) => {
                    layout.total_row = Some(line);
                    break;
                }
                Some(RowRole::Skip) => continue,
                Some(RowRole::End) if weightless(line) => {
                    if explicit_end {
                        continue;
                    }
                    break;
                }
                _ => {}
            }
            if r.is_empty() && c.is_empty() {
                blank_run += 1;
                if blank_run >= 2 && !explicit_end && !found.is_empty() {
                    break;
                }
                continue;
            }
            blank_run = 0;
            // With bidders in rows, the weights row says which columns are criteria: one with a
            // heading but no weight (comments, notes, a numbered list of parts) is not, and where
            // it holds figures, that is said.
            if !by_sections && weightless(line) {
                if score_lines.iter().any(|&b| matches!(sheet.value(o.cell(line, b)), Value::Number(_))) {
                    not_read.push((line, one_line(&c)));
                }
                continue;
            }
            if weightless(line) && unscored(line) && cols.section.is_none() {
                // A section heading row: the criteria below belong to it.
                let name = if c.is_empty() { r.clone() } else { c.clone() };
                headings.insert(name.clone(), line);
                current_section = Some(name);
                continue;
            }
            if !sec.is_empty() {
                current_section = Some(sec);
            }
            // Without a section weighting, the criterion weightings are of the whole quality score:
            // section headings only group them.
            let section = match (cols.section_weight, &current_section) {
                (Some(_), Some(s)) => s.clone(),
                _ => "Quality".to_string(),
            };
            found.push(Line { line, section });
        }

        // Said only of a column among the criteria: one past them is the table's margin.
        let last = found.last().map_or(0, |l| l.line);
        for (line, heading) in not_read.into_iter().filter(|(l, _)| *l < last) {
            self.note(Finding::warning(
                Rule::ColumnNotRead,
                Subject::Criteria,
                format!(
                    "column {} ('{heading}') holds numbers but has no weighting in row {}: it is not read as a criterion",
                    col_name(line),
                    cols.weight
                ),
                "give it a weighting if it is a criterion, or set quality.first_column and last_column in a layout file",
            ));
        }

        // Group into sections in order of first appearance.
        let mut order: Vec<String> = Vec::new();
        for l in &found {
            if !order.contains(&l.section) {
                order.push(l.section.clone());
            }
        }
        let mut sections = Vec::new();
        let mut weight_reads: Vec<(CellRef, Read)> = Vec::new();
        let mut section_weight_reads: Vec<(CellRef, Read)> = Vec::new();
        for (s, name) in order.iter().enumerate() {
            let member: Vec<u32> = found.iter().filter(|l| &l.section == name).map(|l| l.line).collect();
            let mut criteria = Vec::new();
            for &line in &member {
                let i = layout.criterion_rows.len();
                let w_at = o.cell(line, cols.weight);
                if self.hints.quality.weights == Some(WeightUnit::Equal) {
                    criteria.push(Criterion {
                        reference: label(line, cols.reference),
                        title: label(line, cols.criterion),
                        weight: Entry::Number(1.0),
                        pass_mark: Entry::Empty,
                        lower_is_better: false,
                    });
                    layout.criterion_rows.push(line);
                    continue;
                }
                let weight = self.read(sheet, w_at, Kind::Share, || Subject::CriterionWeight { criterion: i })?;
                let pass_mark = match cols.pass_mark {
                    Some(c) => self.read(sheet, o.cell(line, c), Kind::Share, || Subject::PassMark { criterion: i })?.entry,
                    None => Entry::Empty,
                };
                weight_reads.push((w_at, weight.clone()));
                criteria.push(Criterion {
                    reference: label(line, cols.reference),
                    title: label(line, cols.criterion),
                    weight: weight.entry,
                    pass_mark,
                    lower_is_better: false,
                });
                layout.criterion_rows.push(line);
            }
            let (weight, cell) = match cols.section_weight {
                None if order.len() == 1 => (Entry::Number(100.0), None),
                None => (Entry::Empty, None),
                Some(col) => {
                    self.section_weight(sheet, &mut layout, s, name, headings.get(name).copied(), &member, col, &mut section_weight_reads)?
                }
            };
            layout.section_weight_cells.push(cell);
            layout.section_sizes.push(criteria.len());
            sections.push(Section { name: name.clone(), weight, criteria });
        }
        self.one_way(&sheet.name, "the criterion weightings", &weight_reads, Subject::CriterionWeights { section: 0 });
        as_percentages(&mut sections, &weight_reads, self.hints.quality.weights.unwrap_or_default());
        self.lower_is_better(&mut sections)?;
        self.one_way(&sheet.name, "the section weightings", &section_weight_reads, Subject::SectionWeights);

        let mut percent_scores = false;
        let (bids, criteria) = (layout.bidders.len(), layout.criterion_rows.len());
        let mut scores: Vec<Vec<Entry>> = (0..bids).map(|_| Vec::with_capacity(criteria)).collect();
        // The scores are read in the order the sheet's rows hold them (read bidder by bidder,
        // down the criteria rows, every score missed the processor's cache: 8 ms at 500 bids);
        // the findings they note (each about a score) are put back in bidder order after.
        let noted = self.findings.borrow().len();
        let by_criterion = layout.orientation == Orientation::CriteriaInRows;
        let (outer, inner) = if by_criterion { (criteria, bids) } else { (bids, criteria) };
        for x in 0..outer {
            for y in 0..inner {
                let (i, b) = if by_criterion { (x, y) } else { (y, x) };
                // Summed over a bidder's sub-rows: blanks add nothing, and anything not a number
                // is the entry, for validation to name.
                let mut entry = Entry::Empty;
                for at in layout.score_span(i, b) {
                    let read = self.read(sheet, at, Kind::Score, || Subject::Score { criterion: i, bid: b })?;
                    percent_scores |= read.percent;
                    entry = entry.plus(read.entry);
                }
                scores[b].push(entry);
            }
        }
        self.findings.borrow_mut()[noted..].sort_by_key(|f| match f.subject {
            Subject::Score { criterion, bid } => (bid, criterion),
            _ => (0, 0),
        });
        if layout.orientation == Orientation::CriteriaInRows
            && let Some(row) = layout.total_row
        {
            for b in &mut layout.bidders {
                b.total = b.weighted.map(|c| CellRef::new(row, c));
            }
        }
        let names = layout.bidders.iter().map(|b| b.name.clone()).collect();
        Ok(QualityRead { layout, sections, names, scores, heading_scales, percent_scores })
    }

    /// A section's weighting: typed once (in its heading row or first criterion row), other rows
    /// referring to it; two different figures are an error.
    #[allow(clippy::too_many_arguments)]
    fn section_weight(
        &self,
        sheet: &Sheet,
        layout: &mut QualityLayout,
        s: usize,
        name: &str,
        heading: Option<u32>,
        member: &[u32],
        col: u32,
        reads: &mut Vec<(CellRef, Read)>,
    ) -> Result<(Entry, Option<CellRef>)> {
        let cells: Vec<CellRef> = heading.into_iter().chain(member.iter().copied()).map(|r| CellRef::new(r, col)).collect();
        let mut inputs: Vec<(CellRef, Read)> = Vec::new();
        for &at in &cells {
            if sheet.cell(at).is_none_or(|c| !c.has_formula()) {
                let r = self.read(sheet, at, Kind::Share, || Subject::SectionWeight { section: s })?;
                if !r.entry.is_empty() {
                    inputs.push((at, r));
                }
            }
        }
        for &at in &cells {
            let copies_input = sheet
                .cell(at)
                .and_then(|c| sheet.formula(c))
                .is_some_and(|f| inputs.first().is_some_and(|(input, _)| CellRef::parse(f.trim_start_matches('=')) == Some(*input)));
            if copies_input {
                layout.section_weight_copies.push((at, s));
            }
        }
        let Some((at, first)) = inputs.first().cloned() else {
            let at = cells.first().copied();
            let entry = match at {
                Some(a) => self.read(sheet, a, Kind::Share, || Subject::SectionWeight { section: s })?.entry,
                None => Entry::Empty,
            };
            return Ok((entry, at));
        };
        for (other, o) in &inputs[1..] {
            let same = match (first.entry.number(), o.entry.number()) {
                (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                _ => first.entry == o.entry,
            };
            if !same {
                self.note(Finding::error(
                    Rule::SectionWeightConflict,
                    Subject::SectionWeight { section: s },
                    format!(
                        "section '{name}' is given two different weightings: {} at {at} and {} at {other}",
                        entry_text(&first.entry),
                        entry_text(&o.entry)
                    ),
                    format!("give the section one weighting: enter it once in {at} and refer to it elsewhere (={})", at.absolute()),
                ));
            }
        }
        reads.push((at, first.clone()));
        Ok((first.entry, Some(at)))
    }
}

/// A name written over two lines in its cell ("Variante 1" above "Servoantrieb"), on one line.
fn one_line(name: &str) -> String {
    if name.contains(['\n', '\r']) { name.split_whitespace().collect::<Vec<_>>().join(" ") } else { name.to_string() }
}

/// A name written over two cells ("Angebot" | 1) over each bidder's pair of columns: where the
/// bidders would otherwise share a name, each is its cell joined with the one to its right, as
/// long as that makes every name different.
fn names_split_over_two_cells(sheet: &Sheet, mut bidders: Vec<BidderColumns>) -> Vec<BidderColumns> {
    let shared = |bs: &[BidderColumns]| bs.iter().any(|b| bs.iter().filter(|o| o.name == b.name && o.name_cell != b.name_cell).count() > 0);
    if !shared(&bidders) {
        return bidders;
    }
    let joined: Vec<String> = bidders
        .iter()
        .map(|b| {
            let next = sheet.text(CellRef::new(b.name_cell.row, b.name_cell.col + 1));
            if next.trim().is_empty() { b.name.clone() } else { format!("{} {}", b.name, next.trim()) }
        })
        .collect();
    let distinct: std::collections::HashSet<&String> = joined.iter().collect();
    if distinct.len() == joined.len() {
        for (b, name) in bidders.iter_mut().zip(joined) {
            b.name = name;
        }
    }
    bidders
}

/// A name merged over two score columns (a bidder's block whose columns moved, one of them left
/// empty) is one bidder: the column with scores under it is kept. Where both hold scores they stay
/// two, for validation to report the duplicate.
fn one_bidder_per_name(sheet: &Sheet, header_row: u32, bidders: Vec<BidderColumns>) -> Vec<BidderColumns> {
    let scored = |col: u32| (header_row + 1..=sheet.last_row()).any(|r| matches!(sheet.value(CellRef::new(r, col)), Value::Number(_)));
    let mut out: Vec<BidderColumns> = Vec::with_capacity(bidders.len());
    for b in bidders {
        match out.iter_mut().find(|o| o.name_cell == b.name_cell) {
            Some(o) if !scored(o.score) && scored(b.score) => {
                let weighted = b.weighted.or(o.weighted);
                *o = BidderColumns { weighted, ..b };
            }
            Some(o) if !scored(b.score) => o.weighted = o.weighted.or(b.weighted),
            // Two columns headed alike ("Bewertung", "Score") whose second computes from the
            // first: the bidder's score and weighted score.
            Some(o) if o.weighted.is_none() && computes_from(sheet, header_row, b.score, o.score) => o.weighted = Some(b.score),
            _ => out.push(b),
        }
    }
    out
}

/// Whether every formula below the headings in column `col` beside a score in column `from`
/// refers to that score's cell (`=PRODUCT(B3,C3)` beside C3), and there is at least one.
fn computes_from(sheet: &Sheet, header_row: u32, col: u32, from: u32) -> bool {
    let mut any = false;
    for r in header_row + 1..=sheet.last_row() {
        if blank(sheet, CellRef::new(r, from)) {
            continue;
        }
        // A shared formula's followers hold no text: their master speaks for them.
        let Some(f) = sheet.cell(CellRef::new(r, col)).and_then(|c| sheet.formula(c)).filter(|f| !f.is_empty()) else { continue };
        if !crate::xlsx::formula::refers_to(f, CellRef::new(r, from)) {
            return false;
        }
        any = true;
    }
    any
}

/// Bidders named by their columns' headings: the text headings right of every quality heading
/// whose column has a number in one of the next three rows (the scores; a comments column holds
/// text).
fn named_bidders(sheet: &Sheet, header_row: u32, headers: &[(u32, Heading)]) -> Vec<BidderColumns> {
    let Some(start) = headers.iter().map(|(c, _)| *c).max() else { return Vec::new() };
    (start + 1..=sheet.last_col())
        .filter_map(|col| {
            let name = one_line(sheet.text(CellRef::new(header_row, col)).trim());
            let scored = (header_row + 1..=header_row + 3).any(|r| matches!(sheet.value(CellRef::new(r, col)), Value::Number(_)));
            (!name.is_empty() && quality_heading(&name).is_none() && scored).then(|| BidderColumns {
                name,
                name_cell: CellRef::new(header_row, col),
                score: col,
                lines: 1,
                weighted: None,
                total: None,
            })
        })
        .collect()
}

impl Reader<'_> {
    /// The criteria the layout file names as lower-is-better (by reference or title, case and
    /// spacing aside); a name that is no criterion's is refused, naming the criteria.
    fn lower_is_better(&self, sections: &mut [Section]) -> Result<()> {
        let Some(names) = &self.hints.quality.lower_is_better else { return Ok(()) };
        for name in names {
            let key = crate::domain::name_key(name);
            let mut found = false;
            for c in sections.iter_mut().flat_map(|s| s.criteria.iter_mut()) {
                if crate::domain::name_key(&c.reference) == key || crate::domain::name_key(&c.title) == key {
                    c.lower_is_better = true;
                    found = true;
                }
            }
            if !found {
                let all: Vec<String> =
                    sections.iter().flat_map(|s| &s.criteria).map(|c| if c.title.is_empty() { c.reference.clone() } else { c.title.clone() }).collect();
                return Err(self.layout_err(
                    "layout file [quality] lower_is_better",
                    format!("'{name}' is not a criterion of the quality table"),
                    format!("name criteria by reference or title, one of: {}", all.join(", ")),
                ));
            }
        }
        Ok(())
    }
}

/// Points or fractions, as the layout file says the weightings are written, turned into the
/// percentages the matrix holds: points into each criterion's share of its section's points,
/// fractions (not already read from a percentage format) times 100. Text and blanks stay as they
/// are, for validation to report.
fn as_percentages(sections: &mut [Section], reads: &[(CellRef, Read)], unit: WeightUnit) {
    let mut reads = reads.iter();
    for section in sections {
        let percent: Vec<bool> = section.criteria.iter().map(|_| reads.next().is_some_and(|(_, r)| r.percent)).collect();
        let points: f64 = section.criteria.iter().filter_map(|c| c.weight.number()).sum();
        for (c, percent) in section.criteria.iter_mut().zip(percent) {
            let Some(w) = c.weight.number() else { continue };
            c.weight = Entry::Number(match unit {
                WeightUnit::Percent => continue,
                WeightUnit::Points | WeightUnit::Equal if points > 0.0 => w / points * 100.0,
                WeightUnit::Points | WeightUnit::Equal => continue,
                WeightUnit::Fractions if percent => continue,
                WeightUnit::Fractions => w * 100.0,
            });
        }
    }
}

pub(crate) fn entry_text(e: &Entry) -> String {
    match e {
        Entry::Empty => "nothing".into(),
        Entry::Number(n) => crate::domain::scale::fmt_number(*n),
        Entry::Text(t) => t.to_string(),
    }
}
