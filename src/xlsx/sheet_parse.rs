//! A worksheet's XML read into rows and cells, each keeping its byte span so that writing can
//! splice. A big sheet's rows are read in two halves at once, split at a row's start tag; the
//! halves are checked to meet where a whole read would pass, and anything unexpected reads the
//! sheet whole instead (which also gives any error its place).

use std::sync::Arc;

use quick_xml::events::Event;

use crate::error::{Error, Result};
use crate::opc::xml::{self, XmlError};
use crate::xlsx::cellref::{CellRange, CellRef, MAX_COL, MAX_ROW};
use crate::xlsx::workbook::{Cell, MAX_CELL_CHARS, MAX_CELLS, NONE, Row, SharedStrings, Validation, Value};
use crate::xlsx::xstring;

/// Below this a sheet is read whole: a second thread would cost more than it saves.
const HALVES_FROM: usize = 1 << 20;

/// Why a sheet could not be read: its XML (to be placed in the part), a cell (placed in the
/// sheet), or an error as it stands (the shared strings').
pub(crate) enum Fault {
    Xml(XmlError),
    Cell(Error),
    Plain(Error),
}

/// Where the shared strings come from: the workbook, read when a cell first needs them, or
/// already read (for the half read on the other thread).
pub(crate) trait Strings {
    fn get(&self) -> Result<&SharedStrings>;
}

impl Strings for SharedStrings {
    fn get(&self) -> Result<&SharedStrings> {
        Ok(self)
    }
}

/// What reading a sheet's XML found.
#[derive(Default)]
pub(crate) struct Parsed {
    pub rows: Vec<Row>,
    pub merged: Vec<CellRange>,
    pub validations: Vec<Validation>,
    pub data_end: usize,
    pub data_empty: Option<std::ops::Range<usize>>,
    pub dimension: Option<(CellRange, std::ops::Range<usize>)>,
}

/// Reads the sheet; `loaded` gives the shared strings for reading in halves (`None`: read whole).
pub(crate) fn read<'a, S: Strings>(
    xml: &[u8],
    prefix: &str,
    strings: &S,
    loaded: impl FnOnce() -> Option<&'a SharedStrings>,
) -> Result<Parsed, Fault> {
    if let Some(at) = halves(xml, prefix)
        && let Some(shared) = loaded()
        && let Some(parsed) = in_halves(xml, at, shared, prefix)
    {
        return Ok(parsed);
    }
    let mut whole = Reading::new(strings);
    whole.run(0, xml::reader(xml))?;
    Ok(whole.parsed)
}

/// Where to split a big sheet: the start of the first row past the middle (in the page, the end of
/// the rows), and the start of `</sheetData>`.
fn halves(xml: &[u8], prefix: &str) -> Option<(usize, usize)> {
    if xml.len() < HALVES_FROM {
        return None;
    }
    let close = memchr::memmem::rfind(xml, format!("</{prefix}sheetData>").as_bytes())?;
    // With one thread (the page), the second half is empty: the rows are still read plainly.
    if cfg!(target_arch = "wasm32") {
        return Some((close, close));
    }
    let row = format!("<{prefix}row");
    let split = memchr::memmem::find_iter(&xml[xml.len() / 2..close], row.as_bytes())
        .map(|i| xml.len() / 2 + i)
        .find(|&i| matches!(xml.get(i + row.len()), Some(b' ' | b'>' | b'/')))?;
    Some((split, close))
}

/// The two halves read at once, or `None` where they do not meet as a whole read would. Each
/// half's rows are read by [`sheet_rows`](super::sheet_rows) where they are the plain kind, by
/// events where not.
fn in_halves(xml: &[u8], (split, close): (usize, usize), shared: &SharedStrings, prefix: &str) -> Option<Parsed> {
    // The first half's head, up to its first row, is read by events.
    let data = memchr::memmem::find(&xml[..split], format!("<{prefix}sheetData").as_bytes());
    let rows_start = data.and_then(|d| memchr::memmem::find(&xml[d..split], format!("<{prefix}row").as_bytes()).map(|r| d + r));
    let mut first = Reading::new(shared);
    let (head, rows) = crate::parallel::join(
        || match rows_start {
            Some(r) => {
                first.run(0, xml::reader(&xml[..r]))?;
                let fast = crate::xlsx::sheet_rows::rows(xml, r, split, prefix, shared);
                match fast {
                    Some(rows) => {
                        first.take_rows(rows);
                        Ok(())
                    }
                    None => first.run(r, xml::reader(&xml[r..split])),
                }
            }
            None => first.run(0, xml::reader(&xml[..split])),
        },
        || {
            let mut second = Reading::new(shared);
            match crate::xlsx::sheet_rows::rows(xml, split, close, prefix, shared) {
                Some(rows) => {
                    second.take_rows(rows);
                    Some(second)
                }
                None => second.run(split, xml::reader(&xml[split..close])).ok().map(|_| second),
            }
        },
    );
    let second = rows?;
    head.ok()?;
    // The first half ends between rows inside <sheetData>; the second is rows alone, the first
    // of them numbered (a row without `r` follows the one before it, which the second half
    // cannot know).
    let meet = first.in_sheet_data
        && first.row.is_none()
        && first.cell.is_none()
        && first.parsed.data_empty.is_none()
        && !second.unnumbered_row
        && second.row.is_none()
        && second.cell.is_none()
        && !second.in_sheet_data
        && second.parsed.data_end == 0
        && second.parsed.merged.is_empty()
        && second.parsed.validations.is_empty()
        && second.parsed.dimension.is_none();
    if !meet {
        return None;
    }
    first.parsed.rows.extend(second.parsed.rows);
    first.last_row = second.last_row;
    first.cell_count += second.cell_count;
    // The rest, from </sheetData> on: its first event must be that end tag.
    let mut rest = xml::reader(&xml[close..]);
    rest.config_mut().allow_unmatched_ends = true;
    match xml::next(&mut rest).ok()? {
        Event::End(e) if e.local_name().as_ref() == b"sheetData" => first.event(&Event::End(e), close, close + rest.buffer_position() as usize).ok()?,
        _ => return None,
    }
    first.run(close, rest).ok()?;
    Some(first.parsed)
}

/// A cell's `t` attribute.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Number,
    Shared,
    Inline,
    Str,
    Bool,
    Error,
}

impl Kind {
    pub(crate) fn of(t: &[u8]) -> Kind {
        match t {
            b"s" => Kind::Shared,
            b"inlineStr" => Kind::Inline,
            b"str" | b"d" => Kind::Str,
            b"b" => Kind::Bool,
            b"e" => Kind::Error,
            _ => Kind::Number,
        }
    }
}

#[derive(Clone, Copy)]
enum Capture {
    Value,
    Inline,
    Formula,
}

/// The state of reading one stretch of a sheet's XML.
struct Reading<'s, S: Strings> {
    strings: &'s S,
    parsed: Parsed,
    row: Option<Row>,
    cell: Option<PendingCell>,
    capture: Option<Capture>,
    in_phonetic: bool,
    in_sheet_data: bool,
    in_extension: bool,
    last_row: u32,
    /// A row without its number was met (it follows the one before).
    unnumbered_row: bool,
    cell_count: usize,
    validation: Option<Validation>,
    rule_formula: Option<u8>,
    /// A cell's `<v>` and inline text, reused from cell to cell.
    v: String,
    inline: String,
}

impl<'s, S: Strings> Reading<'s, S> {
    fn new(strings: &'s S) -> Self {
        Reading {
            strings,
            parsed: Parsed::default(),
            row: None,
            cell: None,
            capture: None,
            in_phonetic: false,
            in_sheet_data: false,
            in_extension: false,
            last_row: 0,
            unnumbered_row: false,
            cell_count: 0,
            validation: None,
            rule_formula: None,
            v: String::new(),
            inline: String::new(),
        }
    }

    /// Takes rows read by [`sheet_rows`](super::sheet_rows), as reading their events would have.
    fn take_rows(&mut self, rows: Vec<Row>) {
        if let Some(last) = rows.last() {
            self.last_row = last.index;
        }
        self.cell_count += rows.iter().map(|r| r.cells.len()).sum::<usize>();
        self.parsed.rows.extend(rows);
    }

    /// Reads events from `r` (over a stretch that starts at byte `base` of the sheet) to its end.
    fn run(&mut self, base: usize, mut r: quick_xml::Reader<&[u8]>) -> Result<(), Fault> {
        loop {
            let pos = base + r.buffer_position() as usize;
            let ev = xml::next(&mut r).map_err(Fault::Xml)?;
            if matches!(ev, Event::Eof) {
                return Ok(());
            }
            let end = base + r.buffer_position() as usize;
            self.event(&ev, pos, end)?;
        }
    }

    fn event(&mut self, ev: &Event<'_>, pos: usize, end: usize) -> Result<(), Fault> {
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"sheetData" if empty => {
                        self.parsed.data_empty = Some(pos..end);
                        self.parsed.data_end = pos;
                    }
                    b"sheetData" => self.in_sheet_data = true,
                    b"row" => {
                        let index = match xml::attr_raw(e, b"r") {
                            Some(r) => std::str::from_utf8(&r).ok().and_then(|t| t.trim().parse().ok()).ok_or_else(|| {
                                Fault::Xml(XmlError::Malformed(format!("row number '{}'", String::from_utf8_lossy(&r))))
                            })?,
                            None => {
                                self.unnumbered_row = true;
                                self.last_row.saturating_add(1)
                            }
                        };
                        // Excel's last row is 1,048,576: a sheet claiming more is not one Excel made,
                        // and walking to it would take minutes.
                        if !(1..=MAX_ROW).contains(&index) {
                            return Err(Fault::Xml(XmlError::Unsafe(format!("row number {index} is outside Excel's rows 1 to {MAX_ROW}"))));
                        }
                        self.last_row = index;
                        let new = Row { index, span: pos..end, close: end, empty_element: empty, cells: Vec::new() };
                        if empty { self.parsed.rows.push(new) } else { self.row = Some(new) }
                    }
                    b"c" => self.cell_start(e, empty, pos, end)?,
                    b"v" if self.cell.is_some() => {
                        if let Some(c) = self.cell.as_mut() {
                            c.saved = true;
                        }
                        if !empty {
                            self.capture = Some(Capture::Value);
                        }
                    }
                    b"f" if self.cell.is_some() => {
                        let shared = match xml::attr_raw(e, b"t").as_deref() {
                            Some(b"shared") => xml::attr_raw(e, b"si").and_then(|s| std::str::from_utf8(&s).ok()?.parse().ok()),
                            _ => None,
                        };
                        if let Some(c) = self.cell.as_mut() {
                            c.formula = Some(String::new());
                            c.shared = shared;
                        }
                        if !empty {
                            self.capture = Some(Capture::Formula);
                        }
                    }
                    b"rPh" if !empty => self.in_phonetic = true,
                    b"t" if self.cell.is_some() && !empty && !self.in_phonetic => self.capture = Some(Capture::Inline),
                    b"dimension" if empty && !self.in_extension => {
                        self.parsed.dimension =
                            xml::attr(e, b"ref").map_err(Fault::Xml)?.as_deref().and_then(CellRange::parse).map(|r| (r, pos..end));
                    }
                    b"mergeCell" => {
                        if let Some(range) = xml::attr(e, b"ref").map_err(Fault::Xml)?.as_deref().and_then(CellRange::parse) {
                            self.parsed.merged.push(range);
                        }
                    }
                    b"extLst" if !empty => self.in_extension = true,
                    b"dataValidation" if !self.in_extension => {
                        let text = |n: &[u8]| xml::attr(e, n).map(Option::unwrap_or_default).map_err(Fault::Xml);
                        let rule = Validation {
                            kind: text(b"type")?,
                            operator: text(b"operator")?,
                            sqref: text(b"sqref")?.split_whitespace().filter_map(CellRange::parse).collect(),
                            formula1: String::new(),
                            formula2: String::new(),
                            span: pos..end,
                        };
                        if empty { self.parsed.validations.push(rule) } else { self.validation = Some(rule) }
                    }
                    b"formula1" if self.validation.is_some() && !empty => self.rule_formula = Some(1),
                    b"formula2" if self.validation.is_some() && !empty => self.rule_formula = Some(2),
                    _ => {}
                }
            }
            Event::End(e) if self.validation.is_some() => match e.local_name().as_ref() {
                b"formula1" | b"formula2" => self.rule_formula = None,
                b"dataValidation" => {
                    let mut rule = self.validation.take().expect("checked");
                    rule.span.end = end;
                    self.parsed.validations.push(rule);
                }
                _ => {}
            },
            Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) if self.rule_formula.is_some() => {
                if let Some(rule) = self.validation.as_mut() {
                    let target = if self.rule_formula == Some(1) { &mut rule.formula1 } else { &mut rule.formula2 };
                    xml::push_text(target, ev).map_err(Fault::Xml)?;
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"extLst" => self.in_extension = false,
                b"v" | b"f" | b"t" => self.capture = None,
                b"rPh" => self.in_phonetic = false,
                b"c" => {
                    if let (Some(c), Some(row)) = (self.cell.take(), self.row.as_mut()) {
                        let none = SharedStrings::default();
                        let strings = if c.kind == Kind::Shared { self.strings.get().map_err(Fault::Plain)? } else { &none };
                        row.cells.push(c.finish(end, strings, &self.v, &self.inline).map_err(Fault::Cell)?);
                    }
                }
                b"row" => {
                    if let Some(mut done) = self.row.take() {
                        done.close = pos;
                        done.span.end = end;
                        // A row of 10,000 cells would otherwise keep room for 16,384.
                        done.cells.shrink_to_fit();
                        self.parsed.rows.push(done);
                    }
                }
                b"sheetData" => {
                    self.parsed.data_end = pos;
                    self.in_sheet_data = false;
                }
                _ => {}
            },
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                if let (Some(what), Some(c)) = (self.capture, self.cell.as_mut()) {
                    let target = match what {
                        Capture::Value => &mut self.v,
                        Capture::Inline => &mut self.inline,
                        Capture::Formula => c.formula.get_or_insert_with(String::new),
                    };
                    xml::push_text(target, ev).map_err(Fault::Xml)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn cell_start(&mut self, e: &quick_xml::events::BytesStart<'_>, empty: bool, pos: usize, end: usize) -> Result<(), Fault> {
        self.cell_count += 1;
        if self.cell_count > MAX_CELLS {
            return Err(Fault::Xml(XmlError::Unsafe(format!(
                "the sheet has more than {MAX_CELLS} cells; no evaluation matrix needs that many"
            ))));
        }
        let prev = self.row.as_ref().and_then(|r| r.cells.last()).map_or(0, |c| c.at.col);
        // One pass over the attributes; `t` and `s` never hold entities.
        let (mut r_attr, mut kind, mut style) = (None, Kind::Number, None);
        for a in e.attributes().with_checks(false).flatten() {
            match a.key.local_name().as_ref() {
                b"r" => r_attr = Some(a.value),
                b"t" => kind = Kind::of(&a.value),
                b"s" => style = std::str::from_utf8(&a.value).ok().and_then(|s| s.parse().ok()),
                _ => {}
            }
        }
        let at = match r_attr {
            Some(a) => CellRef::parse_bytes(&a)
                .ok_or_else(|| Fault::Xml(XmlError::Malformed(format!("cell reference '{}'", String::from_utf8_lossy(&a)))))?,
            None if prev < MAX_COL => CellRef::new(self.last_row, prev + 1),
            None => {
                let row = self.last_row;
                return Err(Fault::Xml(XmlError::Unsafe(format!("row {row} has more cells than Excel's {MAX_COL} columns"))));
            }
        };
        self.v.clear();
        self.inline.clear();
        let pending = PendingCell { at, kind, start: pos, formula: None, shared: None, style, saved: false };
        if empty {
            if let Some(row) = self.row.as_mut() {
                row.cells.push(pending.finish(end, &SharedStrings::default(), "", "").map_err(Fault::Cell)?);
            }
        } else {
            self.cell = Some(pending);
        }
        Ok(())
    }
}

pub(crate) struct PendingCell {
    pub at: CellRef,
    pub kind: Kind,
    pub start: usize,
    pub formula: Option<String>,
    pub shared: Option<u32>,
    pub style: Option<u32>,
    /// The cell has a `<v>` (a result saved, though it may be empty).
    pub saved: bool,
}

impl PendingCell {
    pub(crate) fn finish(self, end: usize, strings: &SharedStrings, v: &str, inline: &str) -> Result<Cell> {
        let at = self.at;
        let too_long = || Error::Unsafe {
            path: Default::default(),
            detail: format!("cell {at} holds more than {MAX_CELL_CHARS} characters, Excel's limit for a cell"),
        };
        let text = |t: &str| -> Result<Value> {
            let t = xstring::decode(t);
            if t.len() > MAX_CELL_CHARS && t.encode_utf16().count() > MAX_CELL_CHARS {
                return Err(too_long());
            }
            Ok(Value::Text(t.into()))
        };
        let value = match self.kind {
            Kind::Shared => {
                let i: usize = v.trim().parse().unwrap_or(usize::MAX);
                let s = strings.strings.get(i).ok_or_else(|| Error::Corrupt {
                    path: Default::default(),
                    detail: format!("cell {at} refers to shared string {} which does not exist", v.trim()),
                })?;
                if strings.too_long.binary_search(&i).is_ok() {
                    return Err(too_long());
                }
                Value::Text(Arc::clone(s))
            }
            Kind::Inline => text(inline)?,
            // A formula's text result is "" only where it is saved so: with no `<v>` there is none.
            Kind::Str if !self.saved => Value::Empty,
            Kind::Str => text(v)?,
            Kind::Bool => Value::Bool(v.trim() == "1"),
            Kind::Error => Value::Error(v.to_string()),
            Kind::Number if v.trim().is_empty() => Value::Empty,
            // "NaN", "inf" and overflowing numbers are not numbers a workbook can hold.
            Kind::Number => match v.trim().parse::<f64>() {
                Ok(n) if n.is_finite() => Value::Number(n),
                _ => text(v)?,
            },
        };
        let (start, end) = (u32::try_from(self.start), u32::try_from(end));
        let (Ok(start), Ok(end)) = (start, end) else {
            return Err(Error::Unsafe { path: Default::default(), detail: "the sheet is bigger than 4 GiB".into() });
        };
        Ok(Cell { at: self.at, value, formula: self.formula.map(String::into_boxed_str), shared: self.shared.unwrap_or(NONE), style: self.style.unwrap_or(NONE), start, end })
    }
}

/// The rows of a stretch holding rows alone, read by events: what [`sheet_rows`](super::sheet_rows)
/// is held to.
#[cfg(test)]
pub(crate) fn rows_by_events(xml: &[u8], from: usize, to: usize, strings: &SharedStrings) -> Option<Vec<Row>> {
    let mut events = Reading::new(strings);
    events.run(from, xml::reader(&xml[from..to])).ok()?;
    Some(events.parsed.rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    static NONE: std::sync::LazyLock<SharedStrings> = std::sync::LazyLock::new(SharedStrings::default);

    fn sheet(rows: &str, after: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:B9"/><sheetData>{rows}</sheetData>{after}</worksheet>"#
        )
    }

    fn rows(from: u32, to: u32, numbered: impl Fn(u32) -> bool) -> String {
        (from..=to)
            .map(|i| {
                let r = if numbered(i) { format!(r#" r="{i}""#) } else { String::new() };
                format!(r#"<row{r}><c r="A{i}" t="inlineStr"><is><t>Bid &amp; {i}</t></is></c><c r="B{i}" s="3"><f>A{i}*2</f><v>{i}.5</v></c></row>"#)
            })
            .collect()
    }

    fn whole(xml: &str) -> Parsed {
        let mut w = Reading::new(&*NONE);
        w.run(0, xml::reader(xml.as_bytes())).ok().expect("reads");
        w.parsed
    }

    fn halved(xml: &str) -> Option<Parsed> {
        in_halves(xml.as_bytes(), halves(xml.as_bytes(), "").expect("a split"), &NONE, "")
    }

    fn same(a: &Parsed, b: &Parsed) {
        assert_eq!(a.rows.len(), b.rows.len());
        for (x, y) in a.rows.iter().zip(&b.rows) {
            assert_eq!((x.index, &x.span, x.close, x.empty_element), (y.index, &y.span, y.close, y.empty_element));
            for (c, d) in x.cells.iter().zip(&y.cells) {
                assert_eq!((c.at, &c.value, &c.formula, c.style(), c.span()), (d.at, &d.value, &d.formula, d.style(), d.span()));
            }
        }
        assert_eq!((&a.merged, a.data_end, &a.data_empty), (&b.merged, b.data_end, &b.data_empty));
        assert_eq!(a.validations.len(), b.validations.len());
    }

    #[test]
    fn a_big_sheet_read_in_halves_is_the_sheet_read_whole() {
        let xml = sheet(&rows(1, 12_000, |_| true), r#"<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>"#);
        assert!(xml.len() > HALVES_FROM);
        let parsed = halved(&xml).expect("the halves meet");
        same(&parsed, &whole(&xml));
        assert_eq!(parsed.rows.len(), 12_000);
        assert_eq!(parsed.merged.len(), 1);
    }

    #[test]
    fn plain_rows_read_in_halves_or_in_one_go_as_a_whole_read_gives_them() {
        let plain: String = (1..=12_000)
            .map(|i| format!(r#"<row r="{i}"><c r="A{i}" s="2"><v>{}</v></c><c r="B{i}" s="3"><f>A{i}*2</f><v>{}</v></c></row>"#, i % 5, i % 5 * 2))
            .collect();
        let xml = sheet(&plain, r#"<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>"#);
        assert!(xml.len() > HALVES_FROM);
        let expected = whole(&xml);
        same(&halved(&xml).expect("the halves meet"), &expected);
        // The page's one thread: no second half, the rows read plainly all the same.
        let close = xml.find("</sheetData>").unwrap();
        let parsed = in_halves(xml.as_bytes(), (close, close), &NONE, "").expect("reads");
        same(&parsed, &expected);
        assert_eq!((parsed.rows.len(), parsed.merged.len()), (12_000, 1));
    }

    #[test]
    fn halves_that_cannot_meet_are_read_whole() {
        // Rows without their number past the middle: the second half cannot know them.
        let xml = sheet(&rows(1, 12_000, |i| i < 6_000), "");
        assert!(halved(&xml).is_none());
        let parsed = read(xml.as_bytes(), "", &*NONE, || Some(&*NONE)).ok().expect("reads");
        same(&parsed, &whole(&xml));
        // A row's start tag inside a comment just past the middle is not where a row starts.
        let comment = format!("<!-- {} -->", rows(0, 0, |_| true).repeat(200));
        let xml = sheet(&(rows(1, 6_000, |_| true) + &comment + &rows(6_001, 12_000, |_| true)), "");
        let at = halves(xml.as_bytes(), "").expect("a split");
        let opens = xml.find("<!--").unwrap();
        assert!(opens < at.0 && at.0 < opens + comment.len(), "the split falls inside the comment");
        assert!(in_halves(xml.as_bytes(), at, &NONE, "").is_none());
        same(&read(xml.as_bytes(), "", &*NONE, || Some(&*NONE)).ok().expect("reads"), &whole(&xml));
        // And a sheet with no sheetData end past the middle is read whole.
        assert!(halves(b"<worksheet><sheetData/></worksheet>", "").is_none());
    }
}
