//! A worksheet's XML read into rows and cells, each keeping its byte span so that writing can
//! splice. A big sheet is read as it is inflated, in stretches of whole rows cut where a row's
//! start tag begins, read side by side; the stretches are checked to meet where a whole read
//! would pass, and anything unexpected reads the sheet whole instead (which also gives any error
//! its place).

use std::io::Read;
use std::sync::Arc;

use quick_xml::events::Event;

use crate::error::{Error, Result};
use crate::opc::xml::{self, XmlError};
use crate::xlsx::cellref::{CellRange, CellRef, MAX_COL, MAX_ROW};
use crate::xlsx::workbook::{Cell, MAX_CELL_CHARS, MAX_CELLS, NONE, Row, SharedStrings, Validation, Value};
use crate::xlsx::xstring;

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

/// Reads the whole sheet, by events.
pub(crate) fn read<S: Strings>(xml: &[u8], strings: &S) -> Result<Parsed, Fault> {
    let mut whole = Reading::new(strings);
    whole.run(0, xml::reader(xml))?;
    Ok(whole.parsed)
}

/// What reading a sheet as it is inflated came to.
pub(crate) enum Streamed {
    /// Read: what was found, the root element's prefix and the XML's length.
    Read(Parsed, String, usize),
    /// Not the usual shape (no rows; a head events could not read): to be read whole, from these
    /// bytes, all of the sheet ...
    Whole(Vec<u8>),
    /// ... or, its first rows gone, inflated again (a stretch that would not read, an unfinished
    /// sheet: read whole, events place the error).
    Again,
    /// More cells than any matrix needs: refused before they are built.
    TooManyCells,
}

/// The cells in `xml` (their start tags), counted before any is built.
pub(crate) fn cell_tags(xml: &[u8]) -> usize {
    memchr::memmem::find_iter(xml, b"<c").filter(|&i| matches!(xml.get(i + 2), Some(b' ' | b'>' | b'/'))).count()
}

/// The cells in the XML `r` gives (their start tags), counted as it is read, holding none of it.
pub(crate) fn count_cells(r: &mut dyn Read) -> std::io::Result<usize> {
    let mut buf = vec![0; 1 << 18];
    let (mut count, mut kept) = (0, 0);
    loop {
        let n = r.read(&mut buf[kept..])?;
        if n == 0 {
            return Ok(count + cell_tags(&buf[..kept]));
        }
        let end = kept + n;
        // Only whole tags are counted: one begun in the last two bytes is counted with the next
        // read, which finishes it.
        count += cell_tags(&buf[..end]);
        let upto = end.saturating_sub(2);
        buf.copy_within(upto..end, 0);
        kept = end - upto;
    }
}

/// Reads a big sheet as it is inflated from `r`: its head by events, then its rows a stretch of
/// about `stretch` bytes at a time (whole rows, cut where a row starts), each read on another
/// thread while the next is inflated (by [`sheet_rows`](super::sheet_rows) where they are the
/// plain kind, by events where not), then what follows `</sheetData>`. So a 5,000-bid sheet's
/// 112 MB of XML are never held at once. Reading goes on as one whole read by events would.
pub(crate) fn streamed(r: &mut dyn Read, strings: &SharedStrings, stretch: usize) -> std::io::Result<Streamed> {
    let mut buf = Vec::new();
    // The head, up to the first row's start tag.
    let (prefix, first_row) = loop {
        let ended = more(r, &mut buf, stretch)?;
        let prefix = xml::root_prefix(&buf);
        let data = memchr::memmem::find(&buf, format!("<{prefix}sheetData").as_bytes());
        if let Some(row) = data.and_then(|d| row_start(&buf, d, &prefix, false)) {
            break (prefix, row);
        }
        if ended {
            return Ok(Streamed::Whole(buf));
        }
    };
    let mut first = Reading::new(strings);
    let head_read = first.run(0, xml::reader(&buf[..first_row])).is_ok();
    if !head_read || !first.in_sheet_data || first.row.is_some() || first.cell.is_some() || first.parsed.data_empty.is_some() {
        r.read_to_end(&mut buf)?;
        return Ok(Streamed::Whole(buf));
    }
    let mut cells = cell_tags(&buf[..first_row]);
    buf.drain(..first_row);
    let close_tag = format!("</{prefix}sheetData>");
    // A stretch's bytes, once read, are given back for the next: fresh memory is zeroed page by
    // page by the system, and that cost as much as reading the rows.
    let spare: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::default();
    let give_back = |rows: Vec<u8>| {
        let mut spare = spare.lock().unwrap_or_else(|e| e.into_inner());
        if spare.len() < 4 {
            spare.push(rows);
        }
    };
    // Each stretch is rows alone, read apart from the others (a row without its number there
    // cannot know the one before it: the sheet is then read whole).
    let take = |(base, rows): (usize, Vec<u8>)| {
        if let Some(read) = crate::xlsx::sheet_rows::rows(&rows, 0, rows.len(), base, &prefix, strings) {
            give_back(rows);
            let mut reading = Reading::new(strings);
            reading.take_rows(read);
            return Some(reading);
        }
        let mut reading = Reading::new(strings);
        let read = reading.run(base, xml::reader(&rows)).is_ok() && reading.rows_alone();
        give_back(rows);
        read.then_some(reading)
    };
    let (tail, stretches) = crate::parallel::stream(take, |hand| {
        let (mut base, mut searched, mut ended) = (first_row, 0, false);
        loop {
            // The rows end at `</sheetData>`: what follows is read here, after the last rows.
            if let Some(close) = memchr::memmem::find(&buf[searched..], close_tag.as_bytes()).map(|i| searched + i) {
                let tail = buf.split_off(close);
                cells += cell_tags(&buf);
                if cells > MAX_CELLS {
                    return Ok(None);
                }
                if !buf.is_empty() {
                    hand((base, buf));
                }
                return Ok::<_, std::io::Error>(Some((tail, base + close)));
            }
            if ended {
                return Ok(None);
            }
            searched = buf.len().saturating_sub(close_tag.len());
            if let Some(cut) = row_start(&buf, 1, &prefix, true) {
                let mut rest = spare.lock().unwrap_or_else(|e| e.into_inner()).pop().unwrap_or_default();
                rest.clear();
                rest.extend_from_slice(&buf[cut..]);
                buf.truncate(cut);
                cells += cell_tags(&buf);
                if cells > MAX_CELLS {
                    return Ok(None);
                }
                hand((base, std::mem::replace(&mut buf, rest)));
                base += cut;
                searched = searched.saturating_sub(cut);
            }
            ended = more(r, &mut buf, stretch)?;
        }
    });
    let Some((mut tail, close)) = tail? else {
        return Ok(if cells > MAX_CELLS { Streamed::TooManyCells } else { Streamed::Again });
    };
    for stretch in stretches {
        let Some(read) = stretch else { return Ok(Streamed::Again) };
        first.parsed.rows.extend(read.parsed.rows);
        first.last_row = read.last_row;
        first.cell_count += read.cell_count;
    }
    r.read_to_end(&mut tail)?;
    cells += cell_tags(&tail);
    if cells > MAX_CELLS {
        return Ok(Streamed::TooManyCells);
    }
    // The rest, from </sheetData> on: its first event must be that end tag.
    let mut rest = xml::reader(&tail);
    rest.config_mut().allow_unmatched_ends = true;
    let ended = match xml::next(&mut rest) {
        Ok(Event::End(e)) if e.local_name().as_ref() == b"sheetData" => {
            first.event(&Event::End(e), close, close + rest.buffer_position() as usize).is_ok()
        }
        _ => false,
    };
    if !ended || first.run(close, rest).is_err() {
        return Ok(Streamed::Again);
    }
    Ok(Streamed::Read(first.parsed, prefix, close + tail.len()))
}

/// Reads up to `n` more bytes onto `buf`; true where the XML ended first.
fn more(r: &mut dyn Read, buf: &mut Vec<u8>, n: usize) -> std::io::Result<bool> {
    let start = buf.len();
    buf.resize(start + n, 0);
    let mut filled = start;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(k) => filled += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(filled);
    Ok(filled - start < n)
}

/// Where a row's start tag begins in `xml`: the first from `from` on, or the last (`last`). A
/// tag whose name is not yet followed by anything is not counted.
fn row_start(xml: &[u8], from: usize, prefix: &str, last: bool) -> Option<usize> {
    let row = format!("<{prefix}row");
    let hay = xml.get(from..)?;
    let starts = |i: &usize| matches!(hay.get(i + row.len()), Some(b' ' | b'>' | b'/'));
    let found = if last {
        memchr::memmem::rfind_iter(hay, row.as_bytes()).find(starts)
    } else {
        memchr::memmem::find_iter(hay, row.as_bytes()).find(starts)
    };
    found.map(|i| from + i)
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

    /// What was read is rows alone, each whole, the first of them numbered (the meeting of two
    /// stretches read apart, where one whole read would pass).
    fn rows_alone(&self) -> bool {
        !self.unnumbered_row
            && self.row.is_none()
            && self.cell.is_none()
            && !self.in_sheet_data
            && self.parsed.data_end == 0
            && self.parsed.data_empty.is_none()
            && self.parsed.merged.is_empty()
            && self.parsed.validations.is_empty()
            && self.parsed.dimension.is_none()
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
                            Some(r) => std::str::from_utf8(&r)
                                .ok()
                                .and_then(|t| t.trim().parse().ok())
                                .ok_or_else(|| Fault::Xml(XmlError::Malformed(format!("row number '{}'", String::from_utf8_lossy(&r)))))?,
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
                        let new = Row::new(index, pos..end, end, empty).with_room_of(self.parsed.rows.last());
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
                        // The text goes straight into the row's formulas; a second `<f>` (no
                        // program writes one) is taken, as before, over the first.
                        let from = self.row.as_ref().map_or(0, |r| r.formulas.len());
                        if let Some(c) = self.cell.as_mut() {
                            c.formula = Some(from);
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
                        c.finish(row, end, strings, &self.v, &self.inline).map_err(Fault::Cell)?;
                    }
                }
                b"row" => {
                    if let Some(mut done) = self.row.take() {
                        done.close = pos;
                        done.span.end = end;
                        // A row of 10,000 cells would otherwise keep room for 16,384.
                        done.finish();
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
                if let (Some(what), true) = (self.capture, self.cell.is_some()) {
                    let target = match (what, self.row.as_mut()) {
                        (Capture::Value, _) => &mut self.v,
                        (Capture::Inline, _) => &mut self.inline,
                        (Capture::Formula, Some(row)) => &mut row.formulas,
                        // A cell outside any row is not kept.
                        (Capture::Formula, None) => return Ok(()),
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
                pending.finish(row, end, &SharedStrings::default(), "", "").map_err(Fault::Cell)?;
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
    /// Where the cell's formula text starts in its row's formulas (it runs to their end when
    /// the cell is finished).
    pub formula: Option<usize>,
    pub shared: Option<u32>,
    pub style: Option<u32>,
    /// The cell has a `<v>` (a result saved, though it may be empty).
    pub saved: bool,
}

impl PendingCell {
    /// The cell, onto `row` (its formula's text already there, from `self.formula` on).
    pub(crate) fn finish(self, row: &mut Row, end: usize, strings: &SharedStrings, v: &str, inline: &str) -> Result<()> {
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
            Ok(Value::text_of(t))
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
            Kind::Error => Value::Error(Arc::new(v.to_string())),
            Kind::Number if v.trim().is_empty() => Value::Empty,
            // "NaN", "inf" and overflowing numbers are not numbers a workbook can hold.
            Kind::Number => match v.trim().parse::<f64>() {
                Ok(n) if n.is_finite() => Value::Number(n),
                _ => text(v)?,
            },
        };
        let (start, end) = (u32::try_from(self.start), u32::try_from(end));
        let formula = match self.formula {
            Some(from) => {
                // The texts are told apart by a NUL, which no XML document holds. (A formula begun
                // in another row cannot be: its cell is in this one.)
                if row.formulas.as_bytes().get(from..).is_none_or(|text| text.contains(&0)) {
                    return Err(Error::Corrupt {
                        path: Default::default(),
                        detail: format!("cell {at}'s formula holds a NUL character, or began outside its row"),
                    });
                }
                row.formulas.push('\0');
                u32::try_from(from).ok().filter(|&f| f != NONE)
            }
            None => Some(NONE),
        };
        let (Ok(start), Ok(end), Some(formula)) = (start, end, formula) else {
            return Err(Error::Unsafe { path: Default::default(), detail: "the sheet is bigger than 4 GiB".into() });
        };
        if let (Some(si), true) = (self.shared, self.formula.is_some()) {
            row.shared.push((at.col, si));
        }
        row.cells.push(Cell { at, value, formula, style: self.style.unwrap_or(NONE), start, end });
        Ok(())
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
    use crate::opc::package::Trickle;

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

    fn streamed_in(xml: &str, stretch: usize, piece: usize) -> Streamed {
        streamed(&mut Trickle(xml.as_bytes(), piece), &NONE, stretch).expect("no read error")
    }

    /// Read as it streams, every way of cutting it giving the whole read's rows and spans.
    fn streamed_as_whole(xml: &str) -> Parsed {
        let expected = whole(xml);
        let mut last = None;
        for (stretch, piece) in [(1, 1), (7, 3), (64, 1000), (4096, 17), (1 << 20, 1 << 16), (64 << 20, 1 << 20)] {
            match streamed_in(xml, stretch, piece) {
                Streamed::Read(parsed, prefix, size) => {
                    same(&parsed, &expected);
                    assert_eq!((prefix.as_str(), size), ("", xml.len()));
                    last = Some(parsed);
                }
                _ => panic!("read as it streams, in stretches of {stretch}"),
            }
        }
        last.expect("read")
    }

    fn same(a: &Parsed, b: &Parsed) {
        assert_eq!(a.rows.len(), b.rows.len());
        for (x, y) in a.rows.iter().zip(&b.rows) {
            assert_eq!((x.index, &x.span, x.close, x.empty_element), (y.index, &y.span, y.close, y.empty_element));
            for (c, d) in x.cells.iter().zip(&y.cells) {
                assert_eq!((c.at, &c.value, x.formula(c), c.style(), c.span()), (d.at, &d.value, y.formula(d), d.style(), d.span()));
            }
        }
        assert_eq!((&a.merged, a.data_end, &a.data_empty), (&b.merged, b.data_end, &b.data_empty));
        assert_eq!(a.validations.len(), b.validations.len());
    }

    #[test]
    fn a_sheet_read_as_it_streams_is_the_sheet_read_whole() {
        let xml = sheet(&rows(1, 3_000, |_| true), r#"<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>"#);
        let parsed = streamed_as_whole(&xml);
        assert_eq!((parsed.rows.len(), parsed.merged.len()), (3_000, 1));
        // Plain rows (read by sheet_rows), an empty row, and a prefixed sheet.
        let plain: String = (1..=3_000)
            .map(|i| {
                format!(
                    r#"<row r="{i}"><c r="A{i}" s="2"><v>{}</v></c><c r="B{i}" s="3"><f>A{i}*2</f><v>{}</v></c></row>"#,
                    i % 5,
                    i % 5 * 2
                )
            })
            .collect();
        let xml = sheet(
            &(plain + r#"<row r="3001"/>"#),
            r#"<dataValidations count="1"><dataValidation type="whole" sqref="A1:A9"><formula1>0</formula1></dataValidation></dataValidations>"#,
        );
        let parsed = streamed_as_whole(&xml);
        assert_eq!((parsed.rows.len(), parsed.validations.len()), (3_001, 1));
        let prefixed = r#"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row><x:row r="2"><x:c r="A2"><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>"#;
        let Streamed::Read(parsed, prefix, _) = streamed_in(prefixed, 8, 5) else { panic!("a prefixed sheet streams") };
        assert_eq!((prefix.as_str(), parsed.rows.len()), ("x:", 2));
        same(&parsed, &whole(prefixed));
    }

    #[test]
    fn a_sheet_that_does_not_stream_is_read_whole() {
        // No rows: all its bytes, to be read whole.
        let empty = sheet("", "");
        assert!(matches!(streamed_in(&empty, 16, 16), Streamed::Whole(b) if b == empty.as_bytes()));
        let self_closed = r#"<worksheet><sheetData/><mergeCells/></worksheet>"#;
        assert!(matches!(streamed_in(self_closed, 16, 16), Streamed::Whole(b) if b == self_closed.as_bytes()));
        // Rows without their number past the first stretch: they cannot know the row before.
        let xml = sheet(&rows(1, 200, |i| i < 100), "");
        assert!(matches!(streamed_in(&xml, 4096, 4096), Streamed::Again));
        // A row's start tag inside a comment: the stretch cut there does not read as rows.
        let comment = format!("<!-- {} -->", rows(0, 0, |_| true).repeat(50));
        let xml = sheet(&(rows(1, 100, |_| true) + &comment + &rows(101, 200, |_| true)), "");
        assert!(matches!(streamed_in(&xml, 256, 256), Streamed::Again));
        // An unfinished sheet, and one whose rows never end.
        let xml = sheet(&rows(1, 200, |_| true), "");
        assert!(matches!(streamed_in(&xml[..xml.len() - 40], 256, 256), Streamed::Again));
        assert!(matches!(streamed_in(&xml[..xml.len() / 2], 256, 256), Streamed::Again));
        // Whole reads of the same give the rows, or the error with its place.
        same(
            &read(sheet(&rows(1, 200, |i| i < 100), "").as_bytes(), &*NONE).ok().expect("reads"),
            &whole(&sheet(&rows(1, 200, |i| i < 100), "")),
        );
        assert!(read(xml[..xml.len() / 2].as_bytes(), &*NONE).is_err());
    }

    #[test]
    fn formulas_of_a_row_read_apart() {
        let xml = sheet(
            r#"<row r="1"><c r="A1"><f>B1*2</f><v>2</v></c><c r="B1"><v>1</v></c><c r="C1"><f t="shared" ref="C1:D1" si="0">A1+1</f><v>3</v></c><c r="D1"><f t="shared" si="0"/><v>2</v></c><c r="E1"><f></f></c></row>"#,
            "",
        );
        let parsed = read(xml.as_bytes(), &*NONE).ok().expect("reads");
        let row = &parsed.rows[0];
        let texts: Vec<_> = row.cells.iter().map(|c| (row.formula(c), row.shared(c))).collect();
        assert_eq!(texts, [(Some("B1*2"), None), (None, None), (Some("A1+1"), Some(0)), (Some(""), Some(0)), (Some(""), None)]);
        // A NUL would end a formula's text early: no XML document holds one.
        let xml = sheet(r#"<row r="1"><c r="A1"><f>B1&#0;*2</f><v>2</v></c></row>"#, "");
        assert!(read(xml.as_bytes(), &*NONE).is_err());
        // A row begun inside a cell whose formula began in the row before: read or refused,
        // never a panic.
        let xml = sheet(r#"<row r="1"><c r="A1"><f>SUM(B1:B9)</f><row r="2"><c r="A2"/></row></c></row>"#, "");
        let _ = read(xml.as_bytes(), &*NONE);
    }

    #[test]
    fn a_sheet_of_too_many_cells_is_refused_as_it_streams() {
        // The count goes before the cells are built: a stretch over the limit is never read.
        let cells = r#"<c r="A1"/>"#.repeat(4_096);
        let row = format!(r#"<row r="1">{cells}</row>"#);
        let n = MAX_CELLS / 4_096 + 1;
        let mut xml = String::from(r#"<worksheet><sheetData>"#);
        for _ in 0..n {
            xml.push_str(&row);
        }
        xml.push_str("</sheetData></worksheet>");
        assert!(matches!(streamed_in(&xml, 1 << 20, 1 << 20), Streamed::TooManyCells));
        assert!(cell_tags(xml.as_bytes()) > MAX_CELLS);
    }

    #[test]
    fn cells_are_counted_however_the_xml_arrives() {
        let xml = r#"<row r="1"><c r="A1"/><c>x</c><cols/><c
/><col/></row><c/"#;
        let expected = cell_tags(xml.as_bytes());
        assert_eq!(expected, 3, "a tag must be whole to count");
        for piece in 1..=xml.len() {
            assert_eq!(count_cells(&mut Trickle(xml.as_bytes(), piece)).unwrap(), expected, "read {piece} at a time");
        }
    }
}
