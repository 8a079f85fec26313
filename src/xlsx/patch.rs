//! Writing a workbook by changing only the cells that change. Each edited sheet's XML is copied
//! with the edited `<c>` elements spliced in; every other part of the package (styles, other
//! sheets, charts, pivot tables, macros, comments) is copied byte for byte. Nothing tenderkit does
//! not understand can be lost, and a big sheet is written without being re-serialised.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use quick_xml::events::Event;

use crate::error::Result;
use crate::fsio::write_atomically;
use crate::opc::xml::{self, escape};
use crate::xlsx::cellref::CellRef;
use crate::xlsx::workbook::{Sheet, Workbook};

/// A computed result: what a formula shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Computed {
    Number(f64),
    /// Text; the empty string is a formula showing a blank.
    Text(String),
}

impl From<Option<f64>> for Computed {
    fn from(n: Option<f64>) -> Self {
        n.map_or(Computed::Text(String::new()), Computed::Number)
    }
}

/// What to do to one cell. Styles are always kept.
#[derive(Clone, Debug, PartialEq)]
pub enum CellEdit {
    /// A number, replacing any formula.
    Number(f64),
    /// Text, always stored as text: a leading `=` never becomes a formula.
    Text(String),
    /// Empty the cell.
    Clear,
    /// Keep the cell's formula and cache this result beside it. On a cell without a formula,
    /// the result is stored as the value.
    Result(Computed),
    /// A new formula (without the leading `=`) with its result.
    Formula { formula: String, result: Computed },
}

/// The changes to make to a workbook.
#[derive(Default, Debug)]
pub struct Edits {
    sheets: BTreeMap<String, BTreeMap<CellRef, CellEdit>>,
    /// Ask Excel to recalculate every formula when the file is opened.
    pub recalc_on_open: bool,
}

impl Edits {
    pub fn set(&mut self, sheet: &str, at: CellRef, edit: CellEdit) {
        self.sheets
            .entry(sheet.to_string())
            .or_default()
            .insert(at, edit);
    }

    pub fn len(&self) -> usize {
        self.sheets.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds `other`'s edits; where both edit a cell, `other` wins.
    pub fn extend(&mut self, other: Edits) {
        for (sheet, cells) in other.sheets {
            self.sheets.entry(sheet).or_default().extend(cells);
        }
        self.recalc_on_open |= other.recalc_on_open;
    }

    /// Every edit, sheet by sheet, cells in row order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, CellRef, &CellEdit)> {
        self.sheets
            .iter()
            .flat_map(|(s, cells)| cells.iter().map(move |(at, e)| (s.as_str(), *at, e)))
    }

    pub fn get(&self, sheet: &str, at: CellRef) -> Option<&CellEdit> {
        self.sheets.get(sheet)?.get(&at)
    }
}

impl Workbook {
    /// Writes a copy of this workbook with `edits` applied, atomically, to `out`.
    pub fn write(&self, edits: &Edits, out: &Path) -> Result<()> {
        let mut replace = HashMap::new();
        for (name, cells) in &edits.sheets {
            let sheet = self.sheet(name)?;
            replace.insert(sheet.part.clone(), patch_sheet(sheet, cells));
        }
        if edits.recalc_on_open {
            replace.insert(self.part.clone(), self.with_full_calc_on_load());
        }
        write_atomically(out, |w| {
            self.package.write_copy(w, &replace, &[]).map(|_| ())
        })
    }

    fn with_full_calc_on_load(&self) -> Vec<u8> {
        let xml = &self.xml;
        let mut out = Vec::with_capacity(xml.len() + 32);
        match &self.spans.calc_pr {
            Some(span) => {
                let tag = &xml[span.clone()];
                let empty = tag.ends_with(b"/>");
                let attrs = start_tag_attributes(tag, &[b"fullCalcOnLoad"]);
                out.extend_from_slice(&xml[..span.start]);
                out.extend_from_slice(
                    format!(
                        "<calcPr{attrs} fullCalcOnLoad=\"1\"{}>",
                        if empty { "/" } else { "" }
                    )
                    .as_bytes(),
                );
                out.extend_from_slice(&xml[span.end..]);
            }
            None => {
                let at = self.spans.calc_pr_insert;
                out.extend_from_slice(&xml[..at]);
                out.extend_from_slice(b"<calcPr fullCalcOnLoad=\"1\"/>");
                out.extend_from_slice(&xml[at..]);
            }
        }
        out
    }
}

/// The attributes of a start tag, re-emitted (`' a="1" b="2"'`), without those in `drop`.
fn start_tag_attributes(tag: &[u8], drop: &[&[u8]]) -> String {
    let mut r = xml::reader(tag);
    let mut out = String::new();
    if let Ok(Event::Start(e) | Event::Empty(e)) = r.read_event() {
        for a in e.attributes().with_checks(false).flatten() {
            if drop.contains(&a.key.as_ref()) {
                continue;
            }
            let value = String::from_utf8_lossy(&a.value).replace('"', "&quot;");
            out.push_str(&format!(
                " {}=\"{}\"",
                String::from_utf8_lossy(a.key.as_ref()),
                value
            ));
        }
    }
    out
}

/// The `<f>` element of a cell, verbatim.
fn formula_element(cell_xml: &[u8]) -> Option<&[u8]> {
    let mut r = xml::reader(cell_xml);
    let mut start = None;
    loop {
        let pos = r.buffer_position() as usize;
        match r.read_event().ok()? {
            Event::Empty(e) if e.local_name().as_ref() == b"f" => {
                return Some(&cell_xml[pos..r.buffer_position() as usize]);
            }
            Event::Start(e) if e.local_name().as_ref() == b"f" => start = Some(pos),
            Event::End(e) if e.local_name().as_ref() == b"f" => {
                return Some(&cell_xml[start?..r.buffer_position() as usize]);
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Numbers as the shortest text that reads back to the same double.
fn number(n: f64) -> String {
    if n == 0.0 { "0".into() } else { format!("{n}") }
}

/// The new `<c>` element for `edit`, keeping the attributes (style) and, where the edit keeps
/// it, the formula of the original cell.
fn render(at: CellRef, edit: &CellEdit, original: Option<&[u8]>) -> String {
    let attrs = original
        .map(|o| start_tag_attributes(o, &[b"r", b"t"]))
        .unwrap_or_default();
    let kept_formula = original
        .and_then(formula_element)
        .map(|f| String::from_utf8_lossy(f).into_owned());
    let value = |c: &Computed, formula: Option<String>| -> String {
        let f = formula.unwrap_or_default();
        match c {
            Computed::Number(n) if n.is_finite() => {
                format!("<c r=\"{at}\"{attrs}>{f}<v>{}</v></c>", number(*n))
            }
            Computed::Number(_) => format!("<c r=\"{at}\"{attrs} t=\"e\">{f}<v>#NUM!</v></c>"),
            Computed::Text(t) if f.is_empty() => text_cell(at, &attrs, t),
            Computed::Text(t) => {
                format!("<c r=\"{at}\"{attrs} t=\"str\">{f}<v>{}</v></c>", escape(t))
            }
        }
    };
    match edit {
        CellEdit::Number(n) => value(&Computed::Number(*n), None),
        CellEdit::Text(t) => text_cell(at, &attrs, t),
        CellEdit::Clear => format!("<c r=\"{at}\"{attrs}/>"),
        CellEdit::Result(c) => value(c, kept_formula),
        CellEdit::Formula { formula, result } => {
            value(result, Some(format!("<f>{}</f>", escape(formula))))
        }
    }
}

/// Text is written inline, never through the shared-string table (which would mean rewriting a
/// part other sheets use) and never as a formula.
fn text_cell(at: CellRef, attrs: &str, t: &str) -> String {
    format!(
        "<c r=\"{at}\"{attrs} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
        escape(t)
    )
}

/// The sheet's XML with the edits spliced in.
pub(crate) fn patch_sheet(sheet: &Sheet, edits: &BTreeMap<CellRef, CellEdit>) -> Vec<u8> {
    let xml = &sheet.xml;
    // (start, end, replacement); an insertion has start == end.
    let mut ops: Vec<(usize, usize, String)> = Vec::new();
    let mut new_rows: Vec<(usize, String)> = Vec::new();
    let mut by_row: BTreeMap<u32, Vec<(CellRef, &CellEdit)>> = BTreeMap::new();
    for (at, e) in edits {
        by_row.entry(at.row).or_default().push((*at, e));
    }
    for (index, cells) in by_row {
        match sheet.row(index) {
            Some(row) if !row.empty_element => {
                for (at, edit) in cells {
                    match row.cells.iter().find(|c| c.at.col == at.col) {
                        Some(c) => ops.push((
                            c.span.start,
                            c.span.end,
                            render(at, edit, Some(&xml[c.span.clone()])),
                        )),
                        None => {
                            let pos = row
                                .cells
                                .iter()
                                .find(|c| c.at.col > at.col)
                                .map_or(row.close, |c| c.span.start);
                            ops.push((pos, pos, render(at, edit, None)));
                        }
                    }
                }
            }
            Some(row) => {
                let tag = &xml[row.span.clone()];
                let attrs = start_tag_attributes(tag, &[]);
                let body: String = cells.iter().map(|(at, e)| render(*at, e, None)).collect();
                ops.push((
                    row.span.start,
                    row.span.end,
                    format!("<row{attrs}>{body}</row>"),
                ));
            }
            None => {
                let pos = sheet
                    .rows
                    .iter()
                    .find(|r| r.index > index)
                    .map_or(sheet.data_end, |r| r.span.start);
                let body: String = cells.iter().map(|(at, e)| render(*at, e, None)).collect();
                new_rows.push((pos, format!("<row r=\"{index}\">{body}</row>")));
            }
        }
    }
    match &sheet.data_empty {
        Some(span) => {
            let rows: String = new_rows.into_iter().map(|(_, r)| r).collect();
            ops.push((
                span.start,
                span.end,
                format!("<sheetData>{rows}</sheetData>"),
            ));
        }
        None => ops.extend(new_rows.into_iter().map(|(pos, r)| (pos, pos, r))),
    }
    ops.sort_by_key(|op| op.0);
    let mut out = Vec::with_capacity(xml.len() + ops.iter().map(|o| o.2.len()).sum::<usize>());
    let mut at = 0;
    for (start, end, text) in ops {
        out.extend_from_slice(&xml[at..start]);
        out.extend_from_slice(text.as_bytes());
        at = end;
    }
    out.extend_from_slice(&xml[at..]);
    out
}
