//! A stretch of a sheet's `<sheetData>` that is rows alone, read without the general XML reader:
//! the rows and cells every spreadsheet program writes (`<row r>`, `<c r s t>` holding an
//! optional `<f>` and a `<v>`), found with `memchr`. It reads what [`sheet_parse`]'s event reader
//! reads, to the byte span; anything else (a shared formula, an inline string, a character
//! reference, a comment, an error in the cells) gives `None`, and the stretch is read by the event
//! reader instead, which also places any error. A matrix's 100,000 scores are read at about
//! twice the speed.
//!
//! [`sheet_parse`]: super::sheet_parse

use crate::xlsx::cellref::{CellRef, MAX_ROW};
use crate::xlsx::sheet_parse::{Kind, PendingCell};
use crate::xlsx::workbook::{MAX_CELLS, Row, SharedStrings};

/// The rows of `xml[from..to]` (a stretch holding whole rows and the space between them), or
/// `None` where it holds anything this reader leaves to the event reader. `xml` starts at byte
/// `base` of the sheet: the spans are the sheet's.
pub(crate) fn rows(xml: &[u8], from: usize, to: usize, base: usize, prefix: &str, strings: &SharedStrings) -> Option<Vec<Row>> {
    let mut s = Scan { xml: &xml[..to], at: from, p: prefix.as_bytes() };
    let mut rows = Vec::new();
    let mut cells = 0usize;
    let mut v = String::new();
    loop {
        s.space();
        if s.at == to {
            return Some(rows);
        }
        let start = s.at;
        s.open(b"row")?;
        let (tag, empty) = s.start_tag()?;
        let [r] = attrs(tag, [b"r"])?;
        let index: u32 = std::str::from_utf8(r?).ok()?.trim().parse().ok()?;
        if !(1..=MAX_ROW).contains(&index) {
            return None;
        }
        if empty {
            rows.push(Row::new(index, base + start..base + s.at, base + s.at, true));
            continue;
        }
        let mut row = Row::new(index, base + start..0, 0, false).with_room_of(rows.last());
        loop {
            s.space();
            if s.close(b"row") {
                break;
            }
            let cell = s.at;
            s.open(b"c")?;
            cells += 1;
            if cells > MAX_CELLS {
                return None;
            }
            let (tag, empty) = s.start_tag()?;
            let [r, t, st] = attrs(tag, [b"r", b"t", b"s"])?;
            let at = CellRef::parse_bytes(r?)?;
            let kind = t.map_or(Kind::Number, Kind::of);
            let style = st.and_then(|a| std::str::from_utf8(a).ok()?.parse().ok());
            let mut pending = PendingCell { at, kind, start: base + cell, formula: None, shared: None, style, saved: false };
            v.clear();
            if !empty {
                s.space();
                if s.open(b"f").is_some() {
                    let (fa, fe) = s.start_tag()?;
                    // A shared or array formula's attributes are the event reader's to read.
                    if !fa.iter().all(u8::is_ascii_whitespace) || fe {
                        return None;
                    }
                    pending.formula = Some(row.formulas.len());
                    s.text_until(b"f", &mut row.formulas)?;
                    s.space();
                }
                if s.open(b"v").is_some() {
                    pending.saved = true;
                    let (va, ve) = s.start_tag()?;
                    if !va.iter().all(u8::is_ascii_whitespace) {
                        return None;
                    }
                    if !ve {
                        s.text_until(b"v", &mut v)?;
                    }
                    s.space();
                }
                if !s.close(b"c") {
                    return None;
                }
            }
            let none = SharedStrings::default();
            let strings = if kind == Kind::Shared { strings } else { &none };
            pending.finish(&mut row, base + s.at, strings, &v, "").ok()?;
        }
        row.close = base + s.at - (3 + s.p.len() + 3);
        row.span.end = base + s.at;
        row.finish();
        rows.push(row);
    }
}

/// The values of attributes `names` among a start tag's attributes (the last of each name, as
/// the event reader takes them); `None` for attributes it cannot split, or a value holding a
/// reference (the event reader decodes those).
fn attrs<'a, const N: usize>(mut rest: &'a [u8], names: [&[u8]; N]) -> Option<[Option<&'a [u8]>; N]> {
    let mut found = [None; N];
    loop {
        let Some(i) = rest.iter().position(|b| !b.is_ascii_whitespace()) else { return Some(found) };
        rest = &rest[i..];
        let eq = memchr::memchr(b'=', rest)?;
        let key = rest[..eq].trim_ascii_end();
        let after = rest[eq + 1..].trim_ascii_start();
        let quote = *after.first()?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let len = memchr::memchr(quote, &after[1..])?;
        let value = &after[1..1 + len];
        if value.contains(&b'&') {
            return None;
        }
        if let Some(k) = names.iter().position(|n| n.len() == key.len() && n.iter().zip(key).all(|(a, b)| a == b)) {
            found[k] = Some(value);
        }
        rest = &after[2 + len..];
    }
}

struct Scan<'a> {
    xml: &'a [u8],
    at: usize,
    /// The namespace prefix every element carries (`x:` or nothing).
    p: &'a [u8],
}

impl Scan<'_> {
    fn space(&mut self) {
        while self.xml.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    /// Whether `parts`, one after another, are the bytes at `i`. Compared byte by byte: these are
    /// a few bytes each, and a call to the C library's `memcmp` for each cost a third of the read.
    fn here(&self, mut i: usize, parts: &[&[u8]]) -> Option<usize> {
        for part in parts {
            for &b in *part {
                if self.xml.get(i) != Some(&b) {
                    return None;
                }
                i += 1;
            }
        }
        Some(i)
    }

    /// Steps over `<name` if it starts here, followed by a space, `>` or `/`.
    fn open(&mut self, name: &[u8]) -> Option<()> {
        let n = self.here(self.at, &[b"<", self.p, name])?;
        matches!(self.xml.get(n), Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')).then(|| self.at = n)
    }

    /// Steps over `</name>` if it is here.
    fn close(&mut self, name: &[u8]) -> bool {
        match self.here(self.at, &[b"</", self.p, name, b">"]) {
            Some(n) => {
                self.at = n;
                true
            }
            None => false,
        }
    }

    /// The rest of a start tag after its name: its attributes, and whether it closed itself.
    fn start_tag(&mut self) -> Option<(&[u8], bool)> {
        let begin = self.at;
        let mut i = begin;
        loop {
            match *self.xml.get(i)? {
                b'>' => {
                    self.at = i + 1;
                    let empty = i > begin && self.xml[i - 1] == b'/';
                    return Some((&self.xml[begin..if empty { i - 1 } else { i }], empty));
                }
                q @ (b'"' | b'\'') => i += 1 + memchr::memchr(q, &self.xml[i + 1..])? + 1,
                b'<' => return None,
                _ => i += 1,
            }
        }
    }

    /// The text up to `</name>`, appended to `out`, the end tag stepped over. Text holding markup
    /// (a comment, CDATA) or a reference other than XML's five is left to the event reader.
    fn text_until(&mut self, name: &[u8], out: &mut String) -> Option<()> {
        let end = self.at + memchr::memchr(b'<', &self.xml[self.at..])?;
        let bytes = &self.xml[self.at..end];
        // Most texts are a number, with no reference to decode: taken as they are.
        let text = std::str::from_utf8(bytes).ok()?;
        match memchr::memchr2(b'&', b'\r', bytes) {
            None => out.push_str(text),
            Some(_) if !text.contains('\r') => decode_into(text, out)?,
            Some(_) => return None,
        }
        self.at = end;
        self.close(name).then_some(())
    }
}

/// `text` with XML's five predefined entities replaced; `None` for any other reference.
fn decode_into(text: &str, out: &mut String) -> Option<()> {
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let semi = rest[i..].find(';')?;
        out.push(match &rest[i + 1..i + semi] {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => return None,
        });
        rest = &rest[i + semi + 1..];
    }
    out.push_str(rest);
    Some(())
}

/// Plain rows against the event reader, stretch by stretch.
#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::opc::xml;
    use crate::xlsx::sheet_parse::rows_by_events;

    /// The rows of `xml`'s sheetData (its first row to `</sheetData>`) read both ways: `None`
    /// where `sheet_rows` leaves them to events; where it reads them, they must be the same.
    fn both(xml: &[u8], strings: &SharedStrings) -> Option<(String, String)> {
        let p = xml::root_prefix(xml);
        let data = memchr::memmem::find(xml, format!("<{p}sheetData").as_bytes())?;
        let first = data + memchr::memmem::find(&xml[data..], format!("<{p}row").as_bytes())?;
        let close = memchr::memmem::rfind(xml, format!("</{p}sheetData>").as_bytes())?;
        let fast = rows(xml, first, close, 0, &p, strings)?;
        let events = rows_by_events(xml, first, close, strings).expect("rows read plainly are rows events read");
        Some((format!("{fast:?}"), format!("{events:?}")))
    }

    fn workbooks(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                workbooks(&path, out);
            } else if path.extension().is_some_and(|e| e == "xlsx") {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_worksheet_at_hand_reads_the_same_both_ways() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["examples", "tests/fixtures", "../shared/realworld"] {
            workbooks(&root.join(dir), &mut files);
        }
        let (mut same, mut left) = (0, 0);
        for file in &files {
            let Ok(mut zip) = zip::ZipArchive::new(std::fs::File::open(file).unwrap()) else { continue };
            let mut part = |name: &str| {
                let mut data = Vec::new();
                zip.by_name(name).ok()?.read_to_end(&mut data).ok()?;
                Some(data)
            };
            let strings = part("xl/sharedStrings.xml").map(|d| crate::xlsx::workbook::parse_shared_strings(&d).unwrap()).unwrap_or_default();
            let names: Vec<String> =
                zip.file_names().filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml")).map(str::to_string).collect();
            for name in names {
                let mut xml = Vec::new();
                zip.by_name(&name).unwrap().read_to_end(&mut xml).unwrap();
                match both(&xml, &strings) {
                    Some((fast, events)) => {
                        assert!(fast == events, "{}: {name}: rows read plainly differ from the events'", file.display());
                        same += 1;
                    }
                    None => left += 1,
                }
            }
        }
        eprintln!("{same} worksheets read the same both ways; {left} left to events");
        // The bundled examples and fixtures alone have a dozen sheets of the plain kind.
        assert!(same >= 10, "{same} compared");
    }

    #[test]
    fn anything_but_plain_rows_is_left_to_events() {
        let sheet = |rows: &str| format!(r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#);
        let strings = SharedStrings { strings: vec![std::sync::Arc::new("Pass".into())], ..Default::default() };
        // Read plainly, and as events read them: single quotes, space around elements, the five
        // entities, an empty cell, an empty row, an empty value, a shared string.
        for plain in [
            r#"<row r="1" spans="1:3"><c r='A1' s="2"><f>IF(B1&lt;&gt;"","x","")</f><v>x</v></c>  <c r="B1" s="3"/><c r="C1" t="s"><v>0</v></c></row><row r="2"/>"#,
            r#"<row r="3">
  <c r="A3"><v/></c>
  <c r="B3" t="str"><f>"&amp;"&amp;A3</f><v>&amp;</v></c>
</row>"#,
        ] {
            let xml = sheet(plain);
            let (fast, events) = both(xml.as_bytes(), &strings).unwrap_or_else(|| panic!("read plainly: {plain}"));
            assert_eq!(fast, events, "{plain}");
        }
        let prefixed = r#"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>"#;
        let (fast, events) = both(prefixed.as_bytes(), &strings).expect("a prefixed sheet is read plainly");
        assert_eq!(fast, events);
        for other in [
            r#"<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">B1</f><v>1</v></c></row>"#,
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>"#,
            r#"<row r="1"><c r="A1" t="str"><v>a&#10;b</v></c></row>"#,
            r#"<row r="1"><c r="A1" t="str"><v><![CDATA[x]]></v></c></row>"#,
            r#"<row r="1"><c r="A1"><!-- a note --><v>1</v></c></row>"#,
            "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a\r\nb</v></c></row>",
            r#"<row><c r="A1"><v>1</v></c></row>"#,
            r#"<row r="1"><c><v>1</v></c></row>"#,
            r#"<row r="1"><c r="A1" t="s"><v>7</v></c></row>"#,
            r#"<row r="1"><c r="A1"><v>1</v><extLst/></c></row>"#,
        ] {
            assert!(both(sheet(other).as_bytes(), &strings).is_none(), "left to events: {other}");
        }
    }
}
