//! Writing a workbook by changing only the cells that change. Each edited sheet's XML is copied
//! with the edited `<c>` elements spliced in; every other part of the package (styles, other
//! sheets, charts, pivot tables, macros, comments) is copied byte for byte. Nothing tenderkit does
//! not understand can be lost, and a big sheet is written without being re-serialised.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::Path;

use quick_xml::events::Event;

use crate::error::{Error, Result};
use crate::fsio::write_atomically;
use crate::opc::package::{StoredPart, deflate_part};
use crate::opc::xml::{self, escape};
use crate::xlsx::cellref::CellRef;
use crate::xlsx::sheet_writer::{Looks, NewSheet};
use crate::xlsx::workbook::{Sheet, Value, Workbook};
use crate::xlsx::xstring;

/// A computed result: what a formula shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Computed {
    Number(f64),
    /// Text; the empty string is a formula showing a blank.
    Text(String),
    /// TRUE or FALSE (`t="b"`).
    Bool(bool),
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
    /// Per sheet, data-validation rules (by index in [`Sheet::validations`]) replaced by new XML.
    validations: BTreeMap<String, BTreeMap<usize, String>>,
    /// Defined names to set (created if missing), with their formula text.
    names: BTreeMap<String, String>,
    /// Whole sheets to write: replacing the sheet of that name, or added after the last sheet.
    new_sheets: Vec<(String, NewSheet)>,
    /// Styles new sheets borrow.
    pub looks: Looks,
    /// Ask Excel to recalculate every formula when the file is opened.
    pub recalc_on_open: bool,
    /// Sheets of tenderkit's own whose formulas' results are all worked out on writing.
    own_sheets: std::collections::BTreeSet<String>,
    /// The figures set beside formulas were computed in those formulas' own order (a matrix
    /// tenderkit made: it wrote the formulas, and the domain computes as they do), so they are
    /// cached as they are, not worked out again (`xlsx::cache`).
    pub in_formula_order: bool,
    /// Cells holding figures the buyer typed that agree with tenderkit's in no unit, left as
    /// typed (`Sheet!A1` each): said when the workbook is written.
    pub kept: Vec<String>,
}

impl Edits {
    pub fn set(&mut self, sheet: &str, at: CellRef, edit: CellEdit) {
        // Found before it is made: a matrix's figures are 100,000 edits of one sheet.
        match self.sheets.get_mut(sheet) {
            Some(cells) => cells.insert(at, edit),
            None => self.sheets.entry(sheet.to_string()).or_default().insert(at, edit),
        };
    }

    /// [`Edits::set`], unless the cell already holds what the edit would leave there (a figure
    /// cached as it is saved: a workbook scored again). On a sheet of tenderkit's own the edit is
    /// kept all the same: its formulas are worked out again on writing, and a figure given is one
    /// not worked out (the writer still leaves the cell as it was).
    /// `found` is the sheet named `sheet`, looked up by the caller (once for a run of figures).
    pub fn set_changing(&mut self, sheet: &str, found: Option<&Sheet>, at: CellRef, edit: CellEdit) {
        let own = self.own_sheets.contains(sheet);
        if own || !found.is_some_and(|s| unchanged(s, at, &edit)) {
            self.set(sheet, at, edit);
        }
    }

    pub fn len(&self) -> usize {
        self.sheets.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Replaces data-validation rule `index` of `sheet` with `xml` (a whole `<dataValidation>`).
    pub fn replace_validation(&mut self, sheet: &str, index: usize, xml: String) {
        self.validations.entry(sheet.to_string()).or_default().insert(index, xml);
    }

    /// Sets a workbook-level defined name to `formula` (without `=`), creating it if needed.
    pub fn set_name(&mut self, name: &str, formula: &str) {
        self.names.insert(name.to_string(), formula.to_string());
    }

    /// Writes the whole sheet `name`: it replaces a sheet of that name, or is added at the end.
    pub fn put_sheet(&mut self, name: &str, sheet: NewSheet) {
        self.new_sheets.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.new_sheets.push((name.to_string(), sheet));
    }

    /// Adds `other`'s edits; where both edit the same thing, `other` wins.
    pub fn extend(&mut self, other: Edits) {
        for (sheet, cells) in other.sheets {
            self.sheets.entry(sheet).or_default().extend(cells);
        }
        for (sheet, rules) in other.validations {
            self.validations.entry(sheet).or_default().extend(rules);
        }
        self.names.extend(other.names);
        for (name, sheet) in other.new_sheets {
            self.put_sheet(&name, sheet);
        }
        self.recalc_on_open |= other.recalc_on_open;
        self.in_formula_order |= other.in_formula_order;
        self.own_sheets.extend(other.own_sheets);
        self.kept.extend(other.kept);
    }

    /// Every edit, sheet by sheet, cells in row order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, CellRef, &CellEdit)> {
        self.sheets.iter().flat_map(|(s, cells)| cells.iter().map(move |(at, e)| (s.as_str(), *at, e)))
    }

    pub fn get(&self, sheet: &str, at: CellRef) -> Option<&CellEdit> {
        self.sheets.get(sheet)?.get(&at)
    }

    /// Every cell edit of one sheet.
    pub fn sheet_cells(&self, sheet: &str) -> Option<&BTreeMap<CellRef, CellEdit>> {
        self.sheets.get(sheet)
    }

    /// Marks `sheet` as tenderkit's own: every formula on it gets its result worked out and cached
    /// when the workbook is written (`xlsx::cache`).
    pub fn own_sheet(&mut self, sheet: &str) {
        self.own_sheets.insert(sheet.to_string());
    }

    /// The sheets marked with [`Edits::own_sheet`].
    pub fn own_sheets(&self) -> impl Iterator<Item = &str> {
        self.own_sheets.iter().map(String::as_str)
    }
}

impl Edits {
    /// The edits as a list another writer can apply to the open workbook (the Excel add-in, through
    /// Excel's own API): each cell edit with its sheet and address; a result cached beside a
    /// formula the cell keeps is marked so (Excel works it out itself). What such a writer cannot
    /// apply cell by cell is listed apart: whole sheets, data-validation rules, defined names.
    pub fn to_json(&self, wb: &Workbook) -> serde_json::Value {
        use serde_json::json;
        let computed = |c: &Computed| match c {
            Computed::Number(n) => json!(n),
            Computed::Text(t) => json!(t),
            Computed::Bool(b) => json!(b),
        };
        let has_formula = |sheet: &str, at: CellRef| wb.sheet(sheet).ok().and_then(|s| s.cell(at)).is_some_and(|c| c.has_formula());
        let cells: Vec<serde_json::Value> = self
            .iter()
            .map(|(sheet, at, e)| {
                let (kind, value, formula) = match e {
                    CellEdit::Number(n) => ("number", json!(n), None),
                    CellEdit::Text(t) => ("text", json!(t), None),
                    CellEdit::Clear => ("clear", serde_json::Value::Null, None),
                    CellEdit::Result(c) if has_formula(sheet, at) => ("result", computed(c), None),
                    CellEdit::Result(c) => ("value", computed(c), None),
                    CellEdit::Formula { formula, result } => ("formula", computed(result), Some(formula.as_str())),
                };
                json!({ "sheet": sheet, "cell": at.to_string(), "kind": kind, "value": value, "formula": formula })
            })
            .collect();
        json!({
            "cells": cells,
            "sheets": self.new_sheets.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            "validations": self.validations.keys().collect::<Vec<_>>(),
            "names": self.names,
        })
    }
}

impl Workbook {
    /// Writes a copy of this workbook with `edits` applied, atomically, to `out`; says how many
    /// cells changed (an edit leaving a cell as it was changes none, see [`unchanged`]).
    pub fn write(&self, edits: &Edits, out: &Path) -> Result<usize> {
        let (replace, added, deflated, changed) = self.changed_parts(edits)?;
        write_atomically(out, |w| self.package.write_copy(w, &replace, &added, &deflated).map(|_| ()))?;
        Ok(changed)
    }

    /// A copy of this workbook with `edits` applied, as bytes.
    pub fn to_bytes(&self, edits: &Edits) -> Result<Vec<u8>> {
        let (replace, added, deflated, _) = self.changed_parts(edits)?;
        Ok(self.package.write_copy(std::io::Cursor::new(Vec::new()), &replace, &added, &deflated)?.into_inner())
    }

    /// The parts `edits` replace, the parts they add, replaced parts already deflated, and the
    /// number of cells changed.
    #[allow(clippy::type_complexity)]
    fn changed_parts(&self, edits: &Edits) -> Result<(HashMap<String, Vec<u8>>, Vec<(String, Vec<u8>)>, HashMap<String, Vec<u8>>, usize)> {
        let mut changed = 0;
        let mut replace = HashMap::new();
        let mut deflated = HashMap::new();
        let no_rules = BTreeMap::new();
        // The biggest edited sheet (a matrix's Quality sheet) is patched and deflated on a thread
        // of its own while the formula results below are worked out; in the rare case that they
        // touch it, it is patched again with them.
        let mut big: Option<&Sheet> = None;
        for name in edits.sheets.keys().chain(edits.validations.keys()) {
            let sheet = self.sheet(name)?;
            if sheet.size >= BIG_SHEET && big.is_none_or(|b| b.size < sheet.size) {
                big = Some(sheet);
            }
        }
        let rules_of = |sheet: &Sheet| edits.validations.get(&sheet.name).unwrap_or(&no_rules);
        // A sheet whose edits all leave it as it is (figures already cached as they are, a
        // workbook scored again) is not written anew: its part is copied as it was stored.
        let big = big.map(|sheet| (sheet, changes(sheet, edits.sheets.get(&sheet.name).into_iter().flatten())));
        let big = big.filter(|(sheet, cells)| !cells.is_empty() || !rules_of(sheet).is_empty());
        let big = match big {
            Some((sheet, cells)) => Some((sheet, cells, self.package.stored(&sheet.part)?)),
            None => None,
        };
        let ahead = |(sheet, cells, stored): &(&Sheet, Changes, StoredPart)| patch_sheet_deflated(sheet, stored, cells, rules_of(sheet));
        // Formula results the edits do not set, worked out so every formula carries its value, and
        // a buyer's formulas' results as they give them; these win over the edits' own.
        let (cached, big_deflated) = crate::parallel::join(|| crate::xlsx::cache::results(self, edits), || big.as_ref().map(ahead));
        if let (Some((sheet, cells, _)), Some(done)) = (big, big_deflated)
            && !cached.contains_key(&sheet.name)
        {
            let done = done.map_err(|e| crate::Error::Write { path: self.path().to_path_buf(), source: e })?;
            deflated.insert(sheet.part.clone(), done);
            changed += cells.len();
        }
        let names: std::collections::BTreeSet<&String> = edits.sheets.keys().chain(edits.validations.keys()).chain(cached.keys()).collect();
        for name in names {
            let sheet = self.sheet(name)?;
            if deflated.contains_key(&sheet.part) {
                continue;
            }
            let cells = edits.sheets.get(name).into_iter().flatten();
            let cells = match cached.get(name) {
                // The results worked out win over the edits' own for the same cell.
                Some(more) => changes(sheet, cells.chain(more).collect::<BTreeMap<_, _>>()),
                None => changes(sheet, cells),
            };
            let rules = rules_of(sheet);
            if cells.is_empty() && rules.is_empty() {
                continue;
            }
            changed += cells.len();
            replace.insert(sheet.part.clone(), self.patch_sheet(sheet, &cells, rules)?);
        }
        // Whole sheets: replace the part of an existing sheet, add a part for a new one.
        let mut added = Vec::new();
        let mut new_entries = Vec::new();
        let mut next_id = self.spans.max_sheet_id;
        let mut next_part = 1;
        let mut next_rel = 1;
        // Drawing and chart parts for sheets with a chart: (part, content type).
        let mut overrides: Vec<(String, &str)> = Vec::new();
        let mut next_drawing = 1;
        for (name, sheet) in &edits.new_sheets {
            let xml = sheet.xml(&edits.looks);
            let existing = self.sheets().iter().find(|s| s.name.eq_ignore_ascii_case(name)).map(|s| s.part.clone());
            if let Some(chart) = &sheet.chart {
                // The sheet's part: its own, or the one it is about to be given.
                let mut part_no = next_part;
                while existing.is_none() && self.package.has(&format!("xl/worksheets/sheet{part_no}.xml")) {
                    part_no += 1;
                }
                let sheet_part = existing.clone().unwrap_or_else(|| format!("xl/worksheets/sheet{part_no}.xml"));
                while self.package.has(&format!("xl/drawings/drawing{next_drawing}.xml"))
                    || self.package.has(&format!("xl/charts/chart{next_drawing}.xml"))
                {
                    next_drawing += 1;
                }
                let (drawing, chart_part) =
                    (format!("xl/drawings/drawing{next_drawing}.xml"), format!("xl/charts/chart{next_drawing}.xml"));
                next_drawing += 1;
                let (dir, file) = sheet_part.rsplit_once('/').unwrap_or(("", &sheet_part));
                let rels = format!("{dir}/_rels/{file}.rels");
                let sheet_rels = format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing\" Target=\"../{}\"/></Relationships>",
                    crate::xlsx::sheet_writer::DRAWING_REL,
                    drawing.trim_start_matches("xl/")
                );
                let drawing_rels = format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart\" Target=\"../{}\"/></Relationships>",
                    chart_part.trim_start_matches("xl/")
                );
                // A replaced sheet's old relationships part is replaced; its old drawing is left
                // unreferenced.
                if self.package.has(&rels) {
                    replace.insert(rels, sheet_rels.into_bytes());
                } else {
                    added.push((rels, sheet_rels.into_bytes()));
                }
                added.push((drawing.replace("drawings/", "drawings/_rels/") + ".rels", drawing_rels.into_bytes()));
                added.push((drawing.clone(), chart.drawing_xml()));
                added.push((chart_part.clone(), chart.chart_xml()));
                overrides.push((drawing, "application/vnd.openxmlformats-officedocument.drawing+xml"));
                overrides.push((chart_part, "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"));
            }
            match existing {
                Some(existing) => {
                    replace.insert(existing, xml);
                }
                None => {
                    while self.package.has(&format!("xl/worksheets/sheet{next_part}.xml")) {
                        next_part += 1;
                    }
                    while self.rels.iter().any(|r| r.id == format!("rId{next_rel}")) {
                        next_rel += 1;
                    }
                    next_id += 1;
                    let part = format!("xl/worksheets/sheet{next_part}.xml");
                    new_entries.push((name.clone(), next_id, format!("rId{next_rel}"), part.clone()));
                    added.push((part, xml));
                    next_part += 1;
                    next_rel += 1;
                }
            }
        }
        let xml = self.patch_workbook_part(edits, &new_entries);
        if xml != self.xml {
            replace.insert(self.part.clone(), xml);
        }
        if !new_entries.is_empty() {
            let (rels_part, rels) = self.with_new_sheet_relationships(&new_entries)?;
            replace.insert(rels_part, rels);
        }
        if !new_entries.is_empty() || !overrides.is_empty() {
            let mut parts: Vec<(String, &str)> = new_entries
                .iter()
                .map(|(_, _, _, p)| (p.clone(), "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"))
                .collect();
            parts.extend(overrides);
            replace.insert("[Content_Types].xml".into(), self.with_content_types(&parts)?);
        }
        Ok((replace, added, deflated, changed))
    }

    fn with_new_sheet_relationships(&self, entries: &[(String, u32, String, String)]) -> Result<(String, Vec<u8>)> {
        let (dir, file) = self.part.rsplit_once('/').unwrap_or(("", &self.part));
        let rels_part = format!("{dir}/_rels/{file}.rels");
        let xml = String::from_utf8_lossy(&self.package.read(&rels_part)?).into_owned();
        let at = xml.rfind("</Relationships>").ok_or_else(|| self.corrupt(&rels_part))?;
        let new: String = entries
            .iter()
            .map(|(_, _, rid, part)| {
                let target = part.strip_prefix(&format!("{dir}/")).unwrap_or(part);
                format!("<Relationship Id=\"{rid}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"{target}\"/>")
            })
            .collect();
        Ok((rels_part, format!("{}{new}{}", &xml[..at], &xml[at..]).into_bytes()))
    }

    /// The content types part with an override for each new (part, content type).
    fn with_content_types(&self, parts: &[(String, &str)]) -> Result<Vec<u8>> {
        let part = "[Content_Types].xml";
        let xml = String::from_utf8_lossy(&self.package.read(part)?).into_owned();
        let at = xml.rfind("</Types>").ok_or_else(|| self.corrupt(part))?;
        let new: String = parts.iter().map(|(p, ct)| format!("<Override PartName=\"/{p}\" ContentType=\"{ct}\"/>")).collect();
        Ok(format!("{}{new}{}", &xml[..at], &xml[at..]).into_bytes())
    }

    fn corrupt(&self, part: &str) -> crate::Error {
        crate::Error::Corrupt { path: self.path().to_path_buf(), detail: format!("part '{part}' has no closing element") }
    }

    /// The workbook part with the calculation flag and defined names edited.
    fn patch_workbook_part(&self, edits: &Edits, new_sheets: &[(String, u32, String, String)]) -> Vec<u8> {
        let xml = &self.xml;
        let p = self.spans.prefix.as_str();
        let mut ops: Vec<(usize, usize, String)> = Vec::new();
        if !new_sheets.is_empty() {
            let entries: String = new_sheets
                .iter()
                .map(|(name, id, rid, _)| {
                    format!(
                        "<{p}sheet xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" name=\"{}\" sheetId=\"{id}\" r:id=\"{rid}\"/>",
                        escape(&xstring::plain(name))
                    )
                })
                .collect();
            ops.push((self.spans.sheets_close, self.spans.sheets_close, entries));
        }
        if edits.recalc_on_open {
            match &self.spans.calc_pr {
                Some(span) => {
                    let tag = &xml[span.clone()];
                    if !String::from_utf8_lossy(tag).contains("fullCalcOnLoad=\"1\"") {
                        let empty = tag.ends_with(b"/>");
                        let attrs = start_tag_attributes(tag, &[b"fullCalcOnLoad"]);
                        ops.push((
                            span.start,
                            span.end,
                            format!("<{p}calcPr{attrs} fullCalcOnLoad=\"1\"{}>", if empty { "/" } else { "" }),
                        ));
                    }
                }
                None => ops.push((self.spans.calc_pr_insert, self.spans.calc_pr_insert, format!("<{p}calcPr fullCalcOnLoad=\"1\"/>"))),
            }
        }
        let mut new_names = String::new();
        for (name, formula) in &edits.names {
            match self.defined_names().iter().find(|d| d.local_sheet.is_none() && d.name.eq_ignore_ascii_case(name)) {
                Some(d) => {
                    let tag = String::from_utf8_lossy(&xml[d.start_tag.clone()]).trim_end_matches("/>").trim_end_matches('>').to_string();
                    ops.push((d.span.start, d.span.end, format!("{tag}>{}</{p}definedName>", escape(formula))));
                }
                None => new_names += &format!("<{p}definedName name=\"{}\">{}</{p}definedName>", escape(name), escape(formula)),
            }
        }
        if !new_names.is_empty() {
            match self.spans.defined_names_close {
                Some(at) => ops.push((at, at, new_names)),
                None => {
                    let at = self.spans.defined_names_insert;
                    ops.push((at, at, format!("<{p}definedNames>{new_names}</{p}definedNames>")));
                }
            }
        }
        splice(xml, p, ops.into_iter().map(|(start, end, text)| (start, end, Piece::Text(text))).collect())
    }
}

/// `xml` with each (start, end, piece) range replaced; insertions (start == end) at a position
/// go before a replacement starting there, and edits at one spot keep their order.
fn splice(xml: &[u8], prefix: &str, ops: Vec<(usize, usize, Piece)>) -> Vec<u8> {
    let mut out = Vec::with_capacity(spliced_size(xml.len(), &ops));
    splice_into(&mut &xml[..], prefix, ops, &mut out).expect("reading and writing memory cannot fail");
    out
}

/// Room for `xml` of `size` bytes and the usual edit (a cached value added to a formula cell),
/// so the output is rarely reallocated: it is as big as the sheet.
fn spliced_size(size: usize, ops: &[(usize, usize, Piece)]) -> usize {
    size + ops.iter().map(|(_, _, p)| if let Piece::Text(t) = p { t.len() } else { 32 }).sum::<usize>()
}

/// [`splice`], reading `xml` as a stream (a part inflating) and writing to `w` (a deflater) in
/// runs of about 256 KiB: the bytes an edit replaces are read as it is reached, and the sheet is
/// never held whole.
fn splice_into(xml: &mut dyn Read, prefix: &str, mut ops: Vec<(usize, usize, Piece)>, w: &mut dyn Write) -> std::io::Result<()> {
    // Inflated a run at a time: most stretches between edits are a hundred bytes, and an inflater
    // asked for each one on its own spent more time being called than inflating.
    let xml = &mut std::io::BufReader::with_capacity(RUN, xml);
    ops.sort_by_key(|op| (op.0, op.0 != op.1));
    let mut buf = Vec::with_capacity(RUN + 4096);
    let mut old = Vec::new();
    let mut at = 0;
    for (start, end, piece) in ops {
        pass(xml, Some(start - at), &mut buf, w)?;
        old.clear();
        if xml.take((end - start) as u64).read_to_end(&mut old)? != end - start {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        match piece {
            Piece::Text(text) => buf.extend_from_slice(text.as_bytes()),
            Piece::Row(body) => {
                let attrs = start_tag_attributes(&old, &[]);
                buf.extend_from_slice(format!("<{prefix}row{attrs}>{body}</{prefix}row>").as_bytes());
            }
            // A replaced cell's own XML keeps its attributes and formula.
            Piece::Cell(cell, edit) => render_into(&mut buf, prefix, cell, edit, (!old.is_empty()).then_some(&old[..])),
        }
        at = end;
        // Edits side by side (rows added at one place) pass nothing between them: written here.
        if buf.len() >= RUN {
            w.write_all(&buf)?;
            buf.clear();
        }
    }
    pass(xml, None, &mut buf, w)?;
    w.write_all(&buf)
}

/// What the splice holds before writing to a deflater.
const RUN: usize = 256 << 10;

/// The next `n` bytes of `xml` (all that are left, for `None`) on to `w`, through `buf`.
fn pass(xml: &mut dyn Read, n: Option<usize>, buf: &mut Vec<u8>, w: &mut dyn Write) -> std::io::Result<()> {
    let mut left = n.unwrap_or(usize::MAX);
    while left > 0 {
        if buf.len() >= RUN {
            w.write_all(buf)?;
            buf.clear();
        }
        let want = left.min(RUN + 4096 - buf.len());
        let got = xml.take(want as u64).read_to_end(buf)?;
        if got == 0 {
            return if n.is_some() { Err(std::io::ErrorKind::UnexpectedEof.into()) } else { Ok(()) };
        }
        left -= got;
    }
    Ok(())
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
            out.push_str(&format!(" {}=\"{}\"", String::from_utf8_lossy(a.key.as_ref()), value));
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
    // Whole numbers (most of a matrix) skip the float formatter; below 2^53 they print the same.
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        return (n as i64).to_string();
    }
    format!("{n}")
}

/// A cell's start-tag attributes (without those in `drop`) and its `<f>` element, by a byte scan
/// of the usual `<c ...>` form (`<x:c ...>` for prefix `x:`); `None` for anything else, which the
/// XML parser handles. Rendering a big sheet's edits spends most of its time here otherwise.
fn split_cell<'a>(o: &'a [u8], p: &str, drop: &[&[u8]]) -> Option<(String, Option<&'a [u8]>)> {
    let p = p.as_bytes();
    let name_end = 2 + p.len();
    if o.len() <= name_end
        || o[0] != b'<'
        || !xml::same(&o[1..1 + p.len()], p)
        || o[1 + p.len()] != b'c'
        || !matches!(o[name_end], b' ' | b'>' | b'/')
    {
        return None;
    }
    let gt = o.iter().position(|&b| b == b'>')?;
    let tag = &o[name_end..gt];
    let tag = tag.strip_suffix(b"/").unwrap_or(tag);
    let mut attrs = String::new();
    let mut i = 0;
    while i < tag.len() {
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let key_start = i;
        while i < tag.len() && tag[i] != b'=' && !tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &tag[key_start..i];
        while i < tag.len() && (tag[i] == b'=' || tag[i].is_ascii_whitespace()) {
            i += 1;
        }
        let quote = *tag.get(i)?;
        if quote != b'"' && quote != b'\'' {
            return if key.is_empty() && i >= tag.len() { Some((attrs, None)) } else { None };
        }
        let end = i + 1 + tag[i + 1..].iter().position(|&b| b == quote)?;
        let value = &tag[i + 1..end];
        i = end + 1;
        if key.is_empty() || key.contains(&b':') && !key.starts_with(b"xml") {
            return None;
        }
        if !drop.iter().any(|d| xml::same(d, key)) {
            attrs.push(' ');
            attrs.push_str(std::str::from_utf8(key).ok()?);
            attrs.push_str("=\"");
            let value = std::str::from_utf8(value).ok()?;
            if value.contains('"') {
                attrs.push_str(&value.replace('"', "&quot;"));
            } else {
                attrs.push_str(value);
            }
            attrs.push('"');
        }
    }
    let body = &o[gt + 1..];
    let open_len = 2 + p.len();
    let opens = |w: &[u8]| {
        w.len() > open_len
            && xml::same(&w[1..1 + p.len()], p)
            && w[1 + p.len()] == b'f'
            && matches!(w[open_len], b' ' | b'>' | b'/')
    };
    let f = match memchr::memchr_iter(b'<', body).find(|&i| opens(&body[i..])) {
        None => None,
        Some(s) => {
            let close = s + body[s..].iter().position(|&b| b == b'>')?;
            if body[close - 1] == b'/' {
                Some(&body[s..=close])
            } else {
                let end_tag = [b"</".as_slice(), p, b"f>"].concat();
                let end = close + memchr::memmem::find(&body[close..], &end_tag)? + end_tag.len();
                Some(&body[s..end])
            }
        }
    };
    Some((attrs, f))
}

/// The new `<c>` element for `edit`, keeping the attributes (style) and, where the edit keeps
/// it, the formula of the original cell.
pub(crate) fn render(p: &str, at: CellRef, edit: &CellEdit, original: Option<&[u8]>) -> String {
    let mut out = Vec::new();
    render_into(&mut out, p, at, edit, original);
    String::from_utf8(out).expect("cells are rendered from UTF-8 text")
}

/// [`render`], appending to `out`: a big sheet's edits go straight into the new sheet. Every
/// element name carries the sheet's namespace prefix `p` (`""` or `"x:"`).
fn render_into(out: &mut Vec<u8>, p: &str, at: CellRef, edit: &CellEdit, original: Option<&[u8]>) {
    // `r` and `t` are written anew. `vm` points at metadata of the old value (a rich value such as
    // a linked data type); `cm` marks the old formula as a dynamic array, so it stays only with it.
    let drop: &[&[u8]] = match edit {
        CellEdit::Result(_) => &[b"r", b"t", b"vm"],
        _ => &[b"r", b"t", b"vm", b"cm"],
    };
    let fast = original.and_then(|o| split_cell(o, p, drop));
    let slow;
    let attrs = match (&fast, original) {
        (Some((a, _)), _) => a.as_str(),
        (None, Some(o)) => {
            slow = start_tag_attributes(o, drop);
            slow.as_str()
        }
        (None, None) => "",
    };
    let formula_elem = match &fast {
        Some((_, f)) => *f,
        None => original.and_then(formula_element),
    };
    let prefix = p.as_bytes();
    // `<c r="G4" attrs` and, for a typed value, its `t`: the start of every cell written.
    let open = |out: &mut Vec<u8>, t: &[u8]| {
        out.push(b'<');
        out.extend_from_slice(prefix);
        out.extend_from_slice(b"c r=\"");
        at.push_to(out);
        out.push(b'"');
        out.extend_from_slice(attrs.as_bytes());
        out.extend_from_slice(t);
    };
    let element = |out: &mut Vec<u8>, name: &[u8], close: bool| {
        out.extend_from_slice(if close { b"</" } else { b"<" });
        out.extend_from_slice(prefix);
        out.extend_from_slice(name);
        out.push(b'>');
    };
    let value = |out: &mut Vec<u8>, c: &Computed, formula: Option<&[u8]>| {
        let f = formula.unwrap_or_default();
        let v = |out: &mut Vec<u8>, t: &[u8], text: &[u8]| {
            open(out, t);
            out.push(b'>');
            out.extend_from_slice(f);
            element(out, b"v", false);
            out.extend_from_slice(text);
            element(out, b"v", true);
            element(out, b"c", true);
        };
        match c {
            Computed::Number(n) if n.is_finite() => v(out, b"", number(*n).as_bytes()),
            Computed::Number(_) => v(out, b" t=\"e\"", b"#NUM!"),
            Computed::Text(t) if f.is_empty() && t.is_empty() => {
                open(out, b"");
                out.extend_from_slice(b"/>");
            }
            Computed::Text(t) if f.is_empty() => text_cell(out, p, at, attrs, t),
            Computed::Text(t) => v(out, b" t=\"str\"", escape(&xstring::encode(t)).as_bytes()),
            Computed::Bool(b) => v(out, b" t=\"b\"", if *b { b"1" } else { b"0" }),
        }
    };
    match edit {
        CellEdit::Number(n) => value(out, &Computed::Number(*n), None),
        CellEdit::Text(t) => text_cell(out, p, at, attrs, t),
        CellEdit::Clear => {
            open(out, b"");
            out.extend_from_slice(b"/>");
        }
        CellEdit::Result(c) => value(out, c, formula_elem),
        CellEdit::Formula { formula, result } => {
            // The <f> element's attributes (a shared formula's range, LibreOffice's aca) stay.
            let attrs = formula_elem.map(|f| start_tag_attributes(f, &[])).unwrap_or_default();
            value(out, result, Some(format!("<{p}f{attrs}>{}</{p}f>", escape(formula)).as_bytes()))
        }
    }
}

/// A sheet this big (a matrix's Quality sheet at a few hundred bids) is patched on its own thread.
const BIG_SHEET: usize = 1 << 20;

/// Text is written inline, never through the shared-string table (which would mean rewriting a
/// part other sheets use) and never as a formula.
fn text_cell(out: &mut Vec<u8>, p: &str, at: CellRef, attrs: &str, t: &str) {
    // Writing to a Vec cannot fail.
    let _ = write!(
        out,
        "<{p}c r=\"{at}\"{attrs} t=\"inlineStr\"><{p}is><{p}t xml:space=\"preserve\">{}</{p}t></{p}is></{p}c>",
        escape(&xstring::encode(t))
    );
}

/// What goes in place of a byte range of a part: text, or a cell rendered as it is written.
enum Piece<'a> {
    Text(String),
    /// The cells of a row that was an empty element (`<row r="3" .../>`), in a row with its
    /// attributes.
    Row(String),
    /// A cell edit, in place of the cell it replaces or inserted (an empty range).
    Cell(CellRef, &'a CellEdit),
}

/// A sheet's cell edits in row order, each one that changes the cell.
pub(crate) type Changes<'a> = Vec<(CellRef, &'a CellEdit)>;

/// The edits that change what `sheet` holds (see [`unchanged`]), in row order.
pub(crate) fn changes<'a>(sheet: &Sheet, edits: impl IntoIterator<Item = (&'a CellRef, &'a CellEdit)>) -> Changes<'a> {
    edits.into_iter().filter(|&(&at, edit)| !unchanged(sheet, at, edit)).map(|(&at, edit)| (at, edit)).collect()
}

/// Whether `edit` leaves the cell holding what it holds: a figure cached as it is already saved, a
/// number the cell already has. Such an edit is not made, so the cell stays byte for byte as it was
/// (and a sheet all of whose edits are such is copied as stored).
pub(crate) fn unchanged(sheet: &Sheet, at: CellRef, edit: &CellEdit) -> bool {
    let Some(cell) = sheet.cell(at) else { return false };
    let same_number = |n: f64| n.is_finite() && matches!(cell.value, Value::Number(x) if x.to_bits() == n.to_bits());
    let formula = cell.has_formula();
    match edit {
        CellEdit::Result(Computed::Number(n)) => same_number(*n),
        CellEdit::Number(n) => !formula && same_number(*n),
        // Text and TRUE/FALSE a formula shows: its `t` says so, whichever way it is written. A
        // formula showing a blank has its empty result saved: one with no `<v>` reads as empty.
        CellEdit::Result(Computed::Text(t)) => formula && matches!(&cell.value, Value::Text(x) if **x == **t),
        CellEdit::Result(Computed::Bool(b)) => formula && cell.value == Value::Bool(*b),
        _ => false,
    }
}

impl Workbook {
    /// The sheet's XML with the edits spliced in, read from the package as it is written.
    pub(crate) fn patch_sheet(&self, sheet: &Sheet, edits: &[(CellRef, &CellEdit)], rules: &BTreeMap<usize, String>) -> Result<Vec<u8>> {
        let stored = self.package.stored(&sheet.part)?;
        let ops = sheet_ops(sheet, edits, rules);
        let mut out = Vec::with_capacity(spliced_size(sheet.size, &ops));
        stored
            .inflate(|xml| splice_into(xml, &sheet.prefix, ops, &mut out))
            .map_err(|e| Error::Corrupt { path: self.path().to_path_buf(), detail: format!("part '{}': {e}", sheet.part) })?;
        Ok(out)
    }
}

/// The sheet's XML with the edits spliced in as the stored part inflates, deflated as it is made
/// (a one-part zip, see [`deflate_part`]): a big sheet's XML, old or new, is never held whole.
fn patch_sheet_deflated(
    sheet: &Sheet,
    stored: &StoredPart,
    edits: &[(CellRef, &CellEdit)],
    rules: &BTreeMap<usize, String>,
) -> std::io::Result<Vec<u8>> {
    let ops = sheet_ops(sheet, edits, rules);
    deflate_part(&sheet.part, spliced_size(sheet.size, &ops), |w| stored.inflate(|xml| splice_into(xml, &sheet.prefix, ops, w)))
}

/// Where each edit goes in the sheet's XML: (start, end, replacement); an insertion has start == end.
fn sheet_ops<'a>(sheet: &Sheet, edits: &[(CellRef, &'a CellEdit)], rules: &BTreeMap<usize, String>) -> Vec<(usize, usize, Piece<'a>)> {
    let p = sheet.prefix.as_str();
    // (start, end, replacement); an insertion has start == end.
    let mut ops: Vec<(usize, usize, Piece)> = Vec::new();
    let mut new_rows: Vec<(usize, String)> = Vec::new();
    let mut by_row: BTreeMap<u32, Vec<(CellRef, &CellEdit)>> = BTreeMap::new();
    for &(at, e) in edits {
        by_row.entry(at.row).or_default().push((at, e));
    }
    for (index, cells) in by_row {
        match sheet.row(index) {
            Some(row) if !row.empty_element => {
                let sorted = row.cells.windows(2).all(|w| w[0].at.col < w[1].at.col);
                for (at, edit) in cells {
                    // Cells are in column order in any sheet Excel or LibreOffice wrote: search.
                    let found = if sorted {
                        row.cells.binary_search_by_key(&at.col, |c| c.at.col).ok()
                    } else {
                        row.cells.iter().position(|c| c.at.col == at.col)
                    };
                    match found {
                        Some(i) => {
                            let c = &row.cells[i];
                            ops.push((c.span().start, c.span().end, Piece::Cell(at, edit)));
                        }
                        None => {
                            let next = if sorted {
                                Some(row.cells.partition_point(|c| c.at.col < at.col))
                            } else {
                                row.cells.iter().position(|c| c.at.col > at.col)
                            };
                            let pos = next.and_then(|i| row.cells.get(i)).map_or(row.close, |c| c.span().start);
                            ops.push((pos, pos, Piece::Cell(at, edit)));
                        }
                    }
                }
            }
            Some(row) => {
                let body: String = cells.iter().map(|(at, e)| render(p, *at, e, None)).collect();
                ops.push((row.span.start, row.span.end, Piece::Row(body)));
            }
            None => {
                let pos = sheet.rows.iter().find(|r| r.index > index).map_or(sheet.data_end, |r| r.span.start);
                let body: String = cells.iter().map(|(at, e)| render(p, *at, e, None)).collect();
                new_rows.push((pos, format!("<{p}row r=\"{index}\">{body}</{p}row>")));
            }
        }
    }
    match &sheet.data_empty {
        Some(span) => {
            let rows: String = new_rows.into_iter().map(|(_, r)| r).collect();
            ops.push((span.start, span.end, Piece::Text(format!("<{p}sheetData>{rows}</{p}sheetData>"))));
        }
        None => ops.extend(new_rows.into_iter().map(|(pos, r)| (pos, pos, Piece::Text(r)))),
    }
    // A cell added outside the declared used range widens it, as Excel would on saving.
    if let Some((declared, span)) = &sheet.dimension {
        let mut used = *declared;
        for (at, _) in edits {
            used.start = CellRef::new(used.start.row.min(at.row), used.start.col.min(at.col));
            used.end = CellRef::new(used.end.row.max(at.row), used.end.col.max(at.col));
        }
        if used != *declared {
            ops.push((span.start, span.end, Piece::Text(format!("<{p}dimension ref=\"{}:{}\"/>", used.start, used.end))));
        }
    }
    for (&i, xml) in rules {
        if let Some(v) = sheet.validations.get(i) {
            ops.push((v.span.start, v.span.end, Piece::Text(xml.clone())));
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::opc::package::Trickle;
    use crate::xlsx::cellref::CellRange;
    use crate::xlsx::workbook::Value;

    const NS: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;

    /// The XML of the workbook's sheet S, as stored.
    fn sheet_xml(wb: &Workbook) -> String {
        String::from_utf8(wb.package.read(&wb.sheet("S").unwrap().part).unwrap()).unwrap()
    }

    /// A minimal workbook whose one sheet has `sheet_data` (or a whole custom sheet body).
    fn book(dir: &Path, body: &str) -> std::path::PathBuf {
        let path = dir.join("book.xlsx");
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let parts = [
            ("[Content_Types].xml", r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.to_string()),
            ("_rels/.rels", r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", format!(r#"<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#)),
            ("xl/_rels/workbook.xml.rels", r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
            ("xl/worksheets/sheet1.xml", format!("<worksheet {NS}>{body}<pageMargins left=\"0.7\"/></worksheet>")),
        ];
        for (name, data) in parts {
            z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(data.as_bytes()).unwrap();
        }
        z.finish().unwrap();
        path
    }

    /// Applies `edits` to a sheet and returns the written sheet XML and the re-read workbook.
    fn apply(body: &str, edits: &[(&str, CellEdit)]) -> (String, Workbook, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let wb = Workbook::open(&book(dir.path(), body)).unwrap();
        let mut e = Edits::default();
        for (cell, edit) in edits {
            e.set("S", CellRef::parse(cell).unwrap(), edit.clone());
        }
        let out = dir.path().join("out.xlsx");
        wb.write(&e, &out).unwrap();
        let back = Workbook::open(&out).unwrap();
        let xml = sheet_xml(&back);
        (xml, back, dir)
    }

    fn value(wb: &Workbook, cell: &str) -> Value {
        wb.sheet("S").unwrap().value(CellRef::parse(cell).unwrap()).clone()
    }

    /// A workbook whose SpreadsheetML elements all carry the `x:` prefix, as the Open XML SDK
    /// writes them.
    fn prefixed_book(dir: &Path, body: &str) -> std::path::PathBuf {
        let path = dir.join("prefixed.xlsx");
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let x = "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
        let parts = [
            ("[Content_Types].xml", r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.to_string()),
            ("_rels/.rels", r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", format!(r#"<?xml version="1.0" encoding="utf-8"?><x:workbook {x} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="S" sheetId="1" r:id="rId1"/></x:sheets><x:definedNames><x:definedName name="Old">S!$A$1</x:definedName></x:definedNames></x:workbook>"#)),
            ("xl/_rels/workbook.xml.rels", r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
            ("xl/worksheets/sheet1.xml", format!("<?xml version=\"1.0\" encoding=\"utf-8\"?><x:worksheet {x}>{body}</x:worksheet>")),
        ];
        for (name, data) in parts {
            z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(data.as_bytes()).unwrap();
        }
        z.finish().unwrap();
        path
    }

    #[test]
    fn prefixed_workbooks_get_prefixed_elements() {
        let dir = tempfile::tempdir().unwrap();
        let body = r#"<x:dimension ref="A1"/><x:sheetData><x:row r="1"><x:c r="A1"><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row><x:row r="3"/></x:sheetData>"#;
        let wb = Workbook::open(&prefixed_book(dir.path(), body)).unwrap();
        let mut e = Edits::default();
        e.set("S", CellRef::parse("A1").unwrap(), CellEdit::Result(Computed::Number(2.0)));
        e.set("S", CellRef::parse("B1").unwrap(), CellEdit::Formula { formula: "A1*2".into(), result: Computed::Number(4.0) });
        e.set("S", CellRef::parse("C1").unwrap(), CellEdit::Text("=cmd".into()));
        e.set("S", CellRef::parse("A2").unwrap(), CellEdit::Number(5.0));
        e.set("S", CellRef::parse("A3").unwrap(), CellEdit::Number(6.0));
        e.set_name("Old", "S!$B$1");
        e.set_name("New", "S!$C$1");
        e.recalc_on_open = true;
        let out = dir.path().join("out.xlsx");
        wb.write(&e, &out).unwrap();
        let back = Workbook::open(&out).unwrap();
        let sheet = sheet_xml(&back);
        for want in [
            r#"<x:dimension ref="A1:C3"/>"#,
            r#"<x:c r="B1"><x:f>A1*2</x:f><x:v>4</x:v></x:c>"#,
            r#"<x:c r="C1" t="inlineStr"><x:is><x:t xml:space="preserve">=cmd</x:t></x:is></x:c>"#,
            r#"<x:row r="2"><x:c r="A2"><x:v>5</x:v></x:c></x:row>"#,
            r#"<x:row r="3"><x:c r="A3"><x:v>6</x:v></x:c></x:row>"#,
        ] {
            assert!(sheet.contains(want), "{want} in {sheet}");
        }
        let book = String::from_utf8(back.xml.clone()).unwrap();
        for want in [
            r#"<x:definedName name="Old">S!$B$1</x:definedName>"#,
            r#"<x:definedName name="New">S!$C$1</x:definedName>"#,
            "<x:calcPr fullCalcOnLoad=\"1\"/>",
        ] {
            assert!(book.contains(want), "{want} in {book}");
        }
        for xml in [&sheet, &book] {
            let mut r = xml::reader(xml.as_bytes());
            while !matches!(r.read_event().expect("well-formed"), Event::Eof) {}
        }
        assert_eq!(back.sheet("S").unwrap().value(CellRef::parse("B1").unwrap()), &Value::Number(4.0));
    }

    #[test]
    fn a_sheet_spliced_as_it_streams_is_the_sheet_spliced_whole() {
        let xml = r#"<sheetData><row r="1" spans="1:3"><c r="A1" s="4"><f>B1*2</f><v>1</v></c><c r="B1"><v>0.5</v></c></row><row r="2" ht="20"/><row r="3"><c r="C3" t="s"><v>0</v></c></row></sheetData>"#;
        let at = |t: &str| xml.find(t).unwrap();
        let cell = |t: &str| at(t)..at(t) + xml[at(t)..].find("</c>").unwrap() + 4;
        let (a1, c3, row2) = (cell(r#"<c r="A1""#), cell(r#"<c r="C3""#), at(r#"<row r="2""#)..at(r#"<row r="3""#));
        let result = CellEdit::Result(Computed::Number(3.0));
        let number = CellEdit::Number(7.0);
        let big = format!("<row r=\"10\">{}</row>", "<c/>".repeat(RUN / 3));
        let ops = || {
            vec![
                (a1.start, a1.end, Piece::Cell(CellRef::parse("A1").unwrap(), &result)),
                (a1.end, a1.end, Piece::Cell(CellRef::parse("A2").unwrap(), &number)),
                (row2.start, row2.end, Piece::Row(r#"<c r="A2"><v>7</v></c>"#.into())),
                (c3.start, c3.end, Piece::Cell(CellRef::parse("C3").unwrap(), &number)),
                (xml.len() - 12, xml.len() - 12, Piece::Text(r#"<row r="9"/>"#.into())),
                // Rows added side by side, more than a run's worth, with nothing between them.
                (xml.len() - 12, xml.len() - 12, Piece::Text(big.clone())),
                (xml.len() - 12, xml.len() - 12, Piece::Text(big.clone())),
            ]
        };
        let whole = String::from_utf8(splice(xml.as_bytes(), "", ops())).unwrap();
        assert!(whole.contains(r#"<c r="A1" s="4"><f>B1*2</f><v>3</v></c>"#), "{whole}");
        assert!(whole.contains(r#"<row r="2" ht="20"><c r="A2"><v>7</v></c></row>"#), "{whole}");
        assert!(whole.ends_with(&format!(r#"<c r="C3"><v>7</v></c></row><row r="9"/>{big}{big}</sheetData>"#)), "{whole}");
        for step in [1, 2, 3, 7, 64] {
            let mut out = Vec::new();
            splice_into(&mut Trickle(xml.as_bytes(), step), "", ops(), &mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), whole, "{step} bytes at a time");
        }
        // A stream that ends before an edit's cell is an error, never a sheet cut short.
        let cut = &xml.as_bytes()[..c3.start + 5];
        let e = splice_into(&mut Trickle(cut, 64), "", ops(), &mut Vec::new()).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn an_edit_that_leaves_a_cell_as_it_is_is_not_made() {
        // A figure saved in another spelling, a number typed, text and TRUE a formula shows, and a
        // blank it shows: each stays byte for byte. A blank with no saved result is written.
        let body = r#"<sheetData><row r="1"><c r="A1" s="3"><f>B1*2</f><v>5.0E-1</v></c><c r="B1"><v>0.25</v></c><c r="C1" t="str"><f>IF(B1&gt;0,"Pass","Fail")</f><v>Pass</v></c><c r="D1" t="str"><f>IF(B1&gt;0,"","x")</f><v></v></c><c r="E1" t="str"><f>IF(B1&gt;0,"","x")</f></c><c r="F1" t="b"><f>B1&gt;0</f><v>1</v></c></row></sheetData>"#;
        let same = [
            ("A1", CellEdit::Result(Computed::Number(0.5))),
            ("B1", CellEdit::Number(0.25)),
            ("C1", CellEdit::Result(Computed::Text("Pass".into()))),
            ("D1", CellEdit::Result(Computed::Text(String::new()))),
            ("F1", CellEdit::Result(Computed::Bool(true))),
        ];
        let dir = tempfile::tempdir().unwrap();
        let input = book(dir.path(), body);
        let wb = Workbook::open(&input).unwrap();
        let mut e = Edits::default();
        for (cell, edit) in &same {
            e.set("S", CellRef::parse(cell).unwrap(), edit.clone());
        }
        let out = dir.path().join("out.xlsx");
        assert_eq!(wb.write(&e, &out).unwrap(), 0, "no cell changes");
        // The sheet is copied as it was stored, compressed bytes and all.
        let raw = |path: &Path| {
            let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
            let f = z.by_name("xl/worksheets/sheet1.xml").unwrap();
            (f.crc32(), f.compressed_size())
        };
        assert_eq!(raw(&input), raw(&out));

        // One figure changes, one blank gets its result saved: those two cells alone are written.
        e.set("S", CellRef::parse("B1").unwrap(), CellEdit::Number(0.5));
        e.set("S", CellRef::parse("E1").unwrap(), CellEdit::Result(Computed::Text(String::new())));
        assert_eq!(wb.write(&e, &out).unwrap(), 2);
        let xml = sheet_xml(&Workbook::open(&out).unwrap());
        for kept in [r#"<c r="A1" s="3"><f>B1*2</f><v>5.0E-1</v></c>"#, r#"<c r="D1" t="str"><f>IF(B1&gt;0,"","x")</f><v></v></c>"#] {
            assert!(xml.contains(kept), "{kept} in {xml}");
        }
        assert!(xml.contains(r#"<c r="B1"><v>0.5</v></c>"#), "{xml}");
        assert!(xml.contains(r#"<c r="E1" t="str"><f>IF(B1&gt;0,"","x")</f><v></v></c>"#), "{xml}");
        // A number typed over a formula is a change, even where it equals the saved result.
        assert!(!unchanged(wb.sheet("S").unwrap(), CellRef::parse("A1").unwrap(), &CellEdit::Number(0.5)));
    }

    #[test]
    fn value_metadata_goes_with_the_old_value() {
        let body = r#"<sheetData><row r="1"><c r="A1" s="2" vm="1"><v>7</v></c><c r="B1" s="2" cm="1"><f t="array" ref="B1:B3">SORT(C1:C3)</f><v>1</v></c><c r="C1" cm="1" vm="2"><f>X()</f><v>0</v></c></row></sheetData>"#;
        let (xml, _, _d) = apply(
            body,
            &[("A1", CellEdit::Number(3.0)), ("B1", CellEdit::Result(Computed::Number(2.0))), ("C1", CellEdit::Text("x".into()))],
        );
        assert!(xml.contains(r#"<c r="A1" s="2"><v>3</v></c>"#), "{xml}");
        assert!(xml.contains(r#"<c r="B1" s="2" cm="1"><f t="array" ref="B1:B3">SORT(C1:C3)</f><v>2</v></c>"#), "{xml}");
        assert!(xml.contains(r#"<c r="C1" t="inlineStr">"#), "{xml}");
    }

    #[test]
    fn a_cell_added_outside_the_used_range_widens_it() {
        let body = r#"<dimension ref="B2:C3"/><sheetData><row r="2"><c r="B2"><v>1</v></c></row></sheetData>"#;
        let (xml, wb, _d) = apply(body, &[("E7", CellEdit::Number(2.0))]);
        assert!(xml.contains(r#"<dimension ref="B2:E7"/>"#), "{xml}");
        assert_eq!(wb.sheet("S").unwrap().dimension.as_ref().unwrap().0, CellRange::parse("B2:E7").unwrap());
        let (xml, _, _d) = apply(body, &[("A1", CellEdit::Number(2.0))]);
        assert!(xml.contains(r#"<dimension ref="A1:C3"/>"#), "{xml}");
        let (xml, _, _d) = apply(body, &[("C3", CellEdit::Number(2.0))]);
        assert!(xml.contains(r#"<dimension ref="B2:C3"/>"#), "inside the range: unchanged");
    }

    #[test]
    fn cells_are_inserted_in_column_order() {
        let (xml, wb, _d) = apply(
            r#"<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>3</v></c></row></sheetData>"#,
            &[("B1", CellEdit::Number(2.0)), ("D1", CellEdit::Number(4.5))],
        );
        assert!(
            xml.contains(r#"<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c><c r="C1"><v>3</v></c><c r="D1"><v>4.5</v></c></row>"#),
            "{xml}"
        );
        assert_eq!(value(&wb, "D1"), Value::Number(4.5));
    }

    #[test]
    fn missing_rows_are_created_in_order() {
        let (xml, wb, _d) = apply(
            r#"<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="A3"><v>3</v></c></row></sheetData>"#,
            &[("B2", CellEdit::Number(2.0)), ("A9", CellEdit::Number(9.0))],
        );
        let (r1, r2, r3, r9) = (
            xml.find("<row r=\"1\"").unwrap(),
            xml.find("<row r=\"2\"").unwrap(),
            xml.find("<row r=\"3\"").unwrap(),
            xml.find("<row r=\"9\"").unwrap(),
        );
        assert!(r1 < r2 && r2 < r3 && r3 < r9, "{xml}");
        assert_eq!(value(&wb, "B2"), Value::Number(2.0));
        assert_eq!(value(&wb, "A3"), Value::Number(3.0));
    }

    #[test]
    fn empty_rows_and_empty_sheet_data_are_filled() {
        let (xml, wb, _d) = apply(
            r#"<sheetData><row r="2" ht="20" customHeight="1"/></sheetData>"#,
            &[("A1", CellEdit::Number(1.0)), ("B2", CellEdit::Number(2.0))],
        );
        assert!(
            xml.contains(r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="2" ht="20" customHeight="1"><c r="B2"><v>2</v></c></row>"#),
            "{xml}"
        );
        let (xml, wb2, _d2) = apply("<sheetData/>", &[("C3", CellEdit::Text("x".into()))]);
        assert!(xml.contains(r#"<sheetData><row r="3"><c r="C3" t="inlineStr">"#), "{xml}");
        assert_eq!(value(&wb2, "C3"), Value::text_of("x"));
        assert_eq!(value(&wb, "B2"), Value::Number(2.0));
    }

    #[test]
    fn a_result_keeps_the_formula_verbatim_and_the_style() {
        // The formula gives the result cached (B1 is 3), so the cached result is the edit's.
        let body = r#"<sheetData><row r="1"><c r="A1" s="4"><f t="shared" ref="A1:A2" si="0">B1*2</f><v>0</v></c><c r="B1"><v>3</v></c></row><row r="2"><c r="A2" s="4"><f t="shared" si="0"/><v>0</v></c></row></sheetData>"#;
        let (xml, wb, _d) =
            apply(body, &[("A1", CellEdit::Result(Computed::Number(6.0))), ("A2", CellEdit::Result(Computed::Text(String::new())))]);
        assert!(xml.contains(r#"<c r="A1" s="4"><f t="shared" ref="A1:A2" si="0">B1*2</f><v>6</v></c>"#), "{xml}");
        assert!(xml.contains(r#"<c r="A2" s="4" t="str"><f t="shared" si="0"/><v></v></c>"#), "{xml}");
        assert_eq!(value(&wb, "A1"), Value::Number(6.0));
    }

    #[test]
    fn text_is_escaped_and_never_a_formula() {
        let (xml, wb, _d) = apply(
            r#"<sheetData><row r="1"><c r="A1" s="2"><f>1+1</f><v>2</v></c></row></sheetData>"#,
            &[("A1", CellEdit::Text("=cmd|' /C calc'!A0 & <b>".into()))],
        );
        assert!(!xml.contains("<f>"), "{xml}");
        assert!(xml.contains("&amp; &lt;b&gt;"), "{xml}");
        let c = wb.sheet("S").unwrap().cell(CellRef::parse("A1").unwrap()).unwrap().clone();
        assert!(!c.has_formula());
        assert_eq!(c.value, Value::text_of("=cmd|' /C calc'!A0 & <b>"));
    }

    #[test]
    fn clear_keeps_the_style_and_other_content_is_untouched() {
        let body = r#"<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData><row r="1"><c r="A1" s="7"><v>5</v></c><c r="B1" t="inlineStr"><is><t>keep</t></is></c></row></sheetData><mergeCells count="1"><mergeCell ref="C1:D1"/></mergeCells>"#;
        let (xml, wb, _d) = apply(body, &[("A1", CellEdit::Clear)]);
        assert!(xml.contains(r#"<c r="A1" s="7"/><c r="B1" t="inlineStr"><is><t>keep</t></is></c>"#), "{xml}");
        assert!(xml.contains(r#"<mergeCells count="1"><mergeCell ref="C1:D1"/></mergeCells>"#));
        assert_eq!(value(&wb, "A1"), Value::Empty);
    }

    #[test]
    fn cells_without_references_are_placed_by_position() {
        let (_, wb, _d) = apply(r#"<sheetData><row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row></sheetData>"#, &[]);
        assert_eq!(value(&wb, "B1"), Value::Number(2.0));
        assert_eq!(value(&wb, "A2"), Value::Number(3.0));
    }

    #[test]
    fn whole_sheets_are_added_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let wb = Workbook::open(&book(dir.path(), r#"<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>"#)).unwrap();
        let mut e = Edits::default();
        let mut audit = NewSheet::default();
        audit.text(CellRef::new(1, 1), "Time", crate::xlsx::sheet_writer::Look::Heading);
        audit.set(CellRef::new(2, 2), CellEdit::Number(4.0), crate::xlsx::sheet_writer::Look::Input);
        e.put_sheet("Audit", audit.clone());
        let mut again = NewSheet::default();
        again.text(CellRef::new(1, 1), "replaced", crate::xlsx::sheet_writer::Look::Plain);
        e.put_sheet("S", again);
        let out = dir.path().join("out.xlsx");
        wb.write(&e, &out).unwrap();
        let back = Workbook::open(&out).unwrap();
        assert_eq!(back.sheet_names(), ["S", "Audit"]);
        assert_eq!(back.sheet("Audit").unwrap().value(CellRef::new(2, 2)), &Value::Number(4.0));
        assert_eq!(back.sheet("S").unwrap().value(CellRef::new(1, 1)), &Value::text_of("replaced"));
        // Adding to a workbook that already has the added sheet replaces it, and ids stay unique.
        let mut e = Edits::default();
        e.put_sheet("Audit", audit);
        e.put_sheet("Third", NewSheet::default());
        let out2 = dir.path().join("out2.xlsx");
        back.write(&e, &out2).unwrap();
        let third = Workbook::open(&out2).unwrap();
        assert_eq!(third.sheet_names(), ["S", "Audit", "Third"]);
        let parts: std::collections::HashSet<_> = third.sheets().iter().map(|s| s.part.clone()).collect();
        assert_eq!(parts.len(), 3);
    }

    #[test]
    fn the_fast_cell_scan_agrees_with_the_parser() {
        for cell in [
            r#"<c r="H5" s="12" t="str"><f>IF(G5="","",G5/ScaleMax*$F5)</f><v></v></c>"#,
            r#"<c r='A1' s='3'><f t="shared" ref="A1:A9" si="0">B1*2</f><v>4</v></c>"#,
            r#"<c r="A2" s="3"><f t="shared" si="0"/><v>4</v></c>"#,
            r#"<c r="B2" cm="1" t="n"><v>1</v></c>"#,
            r#"<c r="C3"/>"#,
            r#"<c r="D4" s="2" t="inlineStr"><is><t>x &amp; y</t></is></c>"#,
        ] {
            let (attrs, f) = split_cell(cell.as_bytes(), "", &[b"r", b"t"]).unwrap();
            assert_eq!(attrs, start_tag_attributes(cell.as_bytes(), &[b"r", b"t"]), "{cell}");
            assert_eq!(f, formula_element(cell.as_bytes()), "{cell}");
        }
        for cell in [
            r#"<x:c r="H5" s="12" t="str"><x:f>IF(G5="","",G5/ScaleMax*$F5)</x:f><x:v></x:v></x:c>"#,
            r#"<x:c r="A2" s="3"><x:f t="shared" si="0"/><x:v>4</x:v></x:c>"#,
            r#"<x:c r="C3"/>"#,
        ] {
            let (attrs, f) = split_cell(cell.as_bytes(), "x:", &[b"r", b"t"]).unwrap();
            assert_eq!(attrs, start_tag_attributes(cell.as_bytes(), &[b"r", b"t"]), "{cell}");
            assert_eq!(f, formula_element(cell.as_bytes()), "{cell}");
        }
        assert!(split_cell(br#"<x:c r="A1"><x:v>1</x:v></x:c>"#, "", &[]).is_none(), "another prefix goes to the parser");
        assert!(split_cell(br#"<c r="A1"><v>1</v></c>"#, "x:", &[]).is_none(), "another prefix goes to the parser");
        assert!(split_cell(br#"<cx r="A1"/>"#, "", &[]).is_none());
    }

    #[test]
    fn numbers_round_trip_exactly() {
        for n in [0.1 + 0.2, 1.0 / 3.0, 1e-7, 123456789.123, -0.0, 49.41291585127202] {
            let (_, wb, _d) = apply("<sheetData/>", &[("A1", CellEdit::Number(n))]);
            assert_eq!(value(&wb, "A1"), Value::Number(if n == 0.0 { 0.0 } else { n }));
        }
    }
}
