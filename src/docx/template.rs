//! Handlebars fields typed into a Word document, filled from data.
//!
//! Word splits what a buyer types across runs (spell check, formatting, revision marks), so a
//! field such as `{{bidder.name}}` may be stored as `{{bid` + `der.na` + `me}}`. Before rendering,
//! each paragraph is normalised: every tag is moved whole into the run where it starts, keeping
//! that run's formatting. Block tags that stand alone in a paragraph are lifted out of it, so a
//! block repeats or drops whole paragraphs; a block that opens at the start of a table row and
//! closes at its end is lifted around the row, so `{{#each}}` repeats the row. Values are escaped
//! for XML, line breaks become Word line breaks, and the result is checked to be well-formed.
//! Only the document body, headers, footers, footnotes and endnotes are touched; every other part
//! (styles, numbering, images) is copied byte for byte.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use handlebars::Handlebars;
use quick_xml::events::Event;
use serde::Serialize;

use crate::docx::merge::{self, DataNames, FieldMap, Merged};
use crate::error::{Error, Result};
use crate::opc::Package;
use crate::opc::xml::{self, escape};
use crate::render::TemplateError;

const WORD_MAIN: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
const WORD_TEMPLATE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml";
const WORD_MACRO: &str = "application/vnd.ms-word.document.macroEnabled.main+xml";

/// A field as the template holds it, for `template check`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Field {
    /// `document`, `header1`, `footer2`...
    pub part: String,
    /// 1-based paragraph number within the part.
    pub paragraph: usize,
    /// The tag, e.g. `{{bidder.name}}`.
    pub tag: String,
    /// The paragraph's text, for finding it.
    pub text: String,
    pub in_table: bool,
}

struct TextNode {
    /// The `<w:t ...>` start tag.
    open: Range<usize>,
    /// Its content.
    content: Range<usize>,
    text: String,
}

struct Paragraph {
    span: Range<usize>,
    nodes: Vec<TextNode>,
    in_table: bool,
    /// Paragraphs in the same table cell (a cell must keep at least one).
    cell: Option<usize>,
}

struct Row {
    span: Range<usize>,
    paragraphs: Vec<usize>,
}

/// Finds `{{...}}` tags in text: (start, end) byte ranges.
fn tags(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find("{{") {
        let start = at + i;
        match text[start + 2..].find("}}") {
            Some(j) => {
                let mut end = start + 2 + j + 2;
                if text[end..].starts_with('}') && text[start..].starts_with("{{{") {
                    end += 1;
                }
                out.push(start..end);
                at = end;
            }
            None => break,
        }
    }
    out
}

fn is_block_tag(tag: &str) -> bool {
    let inner = tag.trim_start_matches('{').trim_end_matches('}').trim().trim_start_matches('~').trim();
    inner.starts_with('#') || inner.starts_with('/') || inner == "else" || inner.starts_with("else ") || inner == "^"
}

/// A tag with the names a `fields.toml` maps put as their data names (`{{Bidder_Name}}` becomes
/// `{{bidder}}`), as Word's merge fields are mapped. Quoted text in the tag is left as it is.
fn mapped(tag: &str, map: &FieldMap) -> String {
    if map.is_empty() {
        return tag.to_string();
    }
    let mut out = String::with_capacity(tag.len());
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(map.get(word.as_str()).map_or(word.as_str(), String::as_str));
        word.clear();
    };
    for ch in tag.chars() {
        match quote {
            Some(q) => {
                out.push(ch);
                if ch == q {
                    quote = None;
                }
            }
            None if ch.is_alphanumeric() || matches!(ch, '_' | '.' | '-') => word.push(ch),
            None => {
                flush(&mut word, &mut out);
                if ch == '"' || ch == '\'' {
                    quote = Some(ch);
                }
                out.push(ch);
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Word's smart quotes inside a tag are a typist's straight quotes.
fn straighten(tag: &str) -> String {
    tag.replace(['\u{201C}', '\u{201D}', '\u{201E}'], "\"").replace(['\u{2018}', '\u{2019}'], "'")
}

/// Scans a part for paragraphs, their text nodes, table cells and rows.
fn scan(part: &str, data: &[u8]) -> std::result::Result<(Vec<Paragraph>, Vec<Row>), xml::XmlError> {
    let _ = part;
    let mut r = xml::reader(data);
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut open_paragraphs: Vec<usize> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut open_rows: Vec<usize> = Vec::new();
    let mut cells = 0usize;
    let mut cell_stack: Vec<usize> = Vec::new();
    let mut text_open: Option<(Range<usize>, usize)> = None;
    let mut text = String::new();
    loop {
        let pos = r.buffer_position() as usize;
        let ev = xml::next(&mut r)?;
        let end = r.buffer_position() as usize;
        match &ev {
            Event::Start(e) => match e.local_name().as_ref() {
                b"p" => {
                    paragraphs.push(Paragraph {
                        span: pos..end,
                        nodes: Vec::new(),
                        in_table: !cell_stack.is_empty(),
                        cell: cell_stack.last().copied(),
                    });
                    let i = paragraphs.len() - 1;
                    open_paragraphs.push(i);
                    if let Some(&row) = open_rows.last() {
                        rows[row].paragraphs.push(i);
                    }
                }
                b"tr" => {
                    rows.push(Row { span: pos..end, paragraphs: Vec::new() });
                    open_rows.push(rows.len() - 1);
                }
                b"tc" => {
                    cells += 1;
                    cell_stack.push(cells);
                }
                b"t" if e.name().as_ref() == b"w:t" || e.name().as_ref() == b"t" => {
                    text_open = Some((pos..end, end));
                    text.clear();
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"p" => {
                    if let Some(i) = open_paragraphs.pop() {
                        paragraphs[i].span.end = end;
                    }
                }
                b"tr" => {
                    if let Some(i) = open_rows.pop() {
                        rows[i].span.end = end;
                    }
                }
                b"tc" => {
                    cell_stack.pop();
                }
                b"t" => {
                    if let (Some((open, start)), Some(&p)) = (text_open.take(), open_paragraphs.last()) {
                        paragraphs[p].nodes.push(TextNode { open, content: start..pos, text: std::mem::take(&mut text) });
                    }
                }
                _ => {}
            },
            Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) if text_open.is_some() => xml::push_text(&mut text, &ev)?,
            Event::Eof => return Ok((paragraphs, rows)),
            _ => {}
        }
    }
}

/// A part made ready for handlebars, and the fields found in it.
fn prepare(part: &str, data: &[u8], map: &FieldMap) -> std::result::Result<(String, Vec<Field>), xml::XmlError> {
    let (paragraphs, rows) = scan(part, data)?;
    let source = String::from_utf8_lossy(data);
    let mut ops: Vec<(usize, usize, String)> = Vec::new();
    let mut fields = Vec::new();
    let mut cell_paragraphs: HashMap<usize, usize> = HashMap::new();
    for p in &paragraphs {
        if let Some(c) = p.cell {
            *cell_paragraphs.entry(c).or_default() += 1;
        }
    }
    // New text per paragraph (normalised), kept for hoisting decisions.
    let mut texts: Vec<String> = Vec::with_capacity(paragraphs.len());
    let mut node_texts: Vec<Vec<String>> = Vec::with_capacity(paragraphs.len());
    for (n, p) in paragraphs.iter().enumerate() {
        let whole: String = p.nodes.iter().map(|t| t.text.as_str()).collect();
        let found = tags(&whole);
        let mut starts = Vec::new();
        let mut offset = 0;
        for node in &p.nodes {
            starts.push(offset);
            offset += node.text.len();
        }
        let mut new: Vec<String> = vec![String::new(); p.nodes.len()];
        for (i, node) in p.nodes.iter().enumerate() {
            let (ns, ne) = (starts[i], starts[i] + node.text.len());
            let mut at = ns;
            while at < ne {
                match found.iter().find(|t| t.start <= at && at < t.end) {
                    Some(t) if t.start == at => {
                        new[i].push_str(&mapped(&straighten(&whole[t.clone()]), map));
                        at = t.end.min(ne).max(at + 1);
                        // A tag that runs on into the next nodes is taken from them.
                        if t.end > ne {
                            at = ne;
                        }
                    }
                    Some(t) => at = t.end.min(ne),
                    None => {
                        let ch = whole[at..].chars().next().expect("in bounds");
                        new[i].push(ch);
                        at += ch.len_utf8();
                    }
                }
            }
        }
        for t in &found {
            fields.push(Field {
                part: part.to_string(),
                paragraph: n + 1,
                tag: mapped(&straighten(&whole[t.clone()]), map),
                text: whole.trim().chars().take(120).collect(),
                in_table: p.in_table,
            });
        }
        texts.push(new.concat());
        node_texts.push(new);
    }
    // Rows: a block opening at the start of a row and closing at its end, in another cell, goes
    // around the row (a block within one cell is inline already).
    for row in &rows {
        let cells: Vec<Option<usize>> = row.paragraphs.iter().map(|&i| paragraphs[i].cell).collect();
        let open_cell = row.paragraphs.iter().position(|&i| !tags(&texts[i]).is_empty()).map(|k| cells[k]);
        let close_cell = row.paragraphs.iter().rposition(|&i| !tags(&texts[i]).is_empty()).map(|k| cells[k]);
        if open_cell == close_cell {
            continue;
        }
        let row_text: String = row.paragraphs.iter().map(|&i| texts[i].as_str()).collect();
        let row_tags = tags(&row_text);
        let (Some(first), Some(last)) = (row_tags.first(), row_tags.last()) else { continue };
        let open = &row_text[first.clone()];
        let close = &row_text[last.clone()];
        if row_tags.len() >= 2
            && first.start == row_text.len() - row_text.trim_start().len()
            && last.end == row_text.trim_end().len()
            && open.starts_with("{{#")
            && close.starts_with("{{/")
        {
            ops.push((row.span.start, row.span.start, open.to_string()));
            ops.push((row.span.end, row.span.end, close.to_string()));
            // Remove the two tags from the row's paragraphs.
            let mut removed_open = false;
            for &i in &row.paragraphs {
                for t in node_texts[i].iter_mut() {
                    if !removed_open && t.contains(open) {
                        *t = t.replacen(open, "", 1);
                        removed_open = true;
                    }
                }
            }
            for &i in row.paragraphs.iter().rev() {
                let mut done = false;
                for t in node_texts[i].iter_mut().rev() {
                    if let Some(at) = t.rfind(close) {
                        t.replace_range(at..at + close.len(), "");
                        done = true;
                        break;
                    }
                }
                if done {
                    break;
                }
            }
        }
    }
    for (i, p) in paragraphs.iter().enumerate() {
        let text: String = node_texts[i].concat();
        let trimmed = text.trim();
        let only_tag = tags(trimmed).first().is_some_and(|t| t.start == 0 && t.end == trimmed.len()) && is_block_tag(trimmed);
        let last_in_cell = p.cell.is_some_and(|c| cell_paragraphs.get(&c).copied().unwrap_or(0) <= 1);
        if only_tag && !last_in_cell {
            // The paragraph is only a block tag: the tag replaces the paragraph.
            ops.push((p.span.start, p.span.end, trimmed.to_string()));
            if let Some(c) = p.cell {
                *cell_paragraphs.entry(c).or_default() -= 1;
            }
            continue;
        }
        for (node, new) in p.nodes.iter().zip(&node_texts[i]) {
            // A tag holding `<`, `>` or `&` is written as typed, which the part's own text is not.
            let raw_tag = tags(new).into_iter().any(|t| new[t].contains(['<', '>', '&']));
            if *new == node.text && !raw_tag {
                continue;
            }
            ops.push((node.content.start, node.content.end, escape_content(new)));
            let open = &source[node.open.clone()];
            if !open.contains("xml:space") {
                let tag = open.trim_end_matches('>');
                ops.push((node.open.start, node.open.end, format!("{tag} xml:space=\"preserve\">")));
            }
        }
    }
    ops.sort_by_key(|o| (o.0, o.0 != o.1));
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for (s, e, t) in ops {
        if s < at {
            continue;
        }
        out.push_str(&source[at..s]);
        out.push_str(&t);
        at = e;
    }
    out.push_str(&source[at..]);
    Ok((out, fields))
}

/// Another template language's syntax in a part's paragraphs: (place, what, what to write).
fn foreign_syntax(part: &str, data: &[u8]) -> Vec<(String, String, String)> {
    let Ok((paragraphs, _)) = scan(part, data) else { return Vec::new() };
    paragraphs
        .iter()
        .enumerate()
        .filter_map(|(n, p)| {
            let text: String = p.nodes.iter().map(|t| t.text.as_str()).collect();
            let (what, instead) = crate::render::foreign_syntax(&text)?;
            Some((format!("{part} paragraph {}", n + 1), what, instead))
        })
        .collect()
}

/// Escapes element content: only `&`, `<` and `>`, and only outside tags; a tag is read by
/// handlebars before the part is XML again, so `{{#if (wordif total ">" "80")}}` stays as typed.
fn escape_content(t: &str) -> String {
    let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut out = String::with_capacity(t.len());
    let mut at = 0;
    for tag in tags(t) {
        out.push_str(&escape(&t[at..tag.start]));
        out.push_str(&t[tag.clone()]);
        at = tag.end;
    }
    out.push_str(&escape(&t[at..]));
    out
}

/// Escapes a value for a `<w:t>`: XML special characters, and line breaks as Word line breaks.
pub fn escape_value(v: &str) -> String {
    // A vertical tab is Word's own soft line break (pasted text carries it); a form feed, a page's.
    let v = v.replace(['\u{B}', '\u{C}'], "\n").replace("\r\n", "\n");
    v.split('\n').map(escape).collect::<Vec<_>>().join("</w:t><w:br/><w:t xml:space=\"preserve\">")
}

/// Fills one Word XML part with `data`: normalises it, renders it, and checks the result is
/// well-formed. (What [`DocxTemplate::render`] does per part; exposed for the fuzzer and tests.)
pub fn fill_part<T: Serialize>(xml: &[u8], data: &T) -> std::result::Result<String, String> {
    let (prepared, _) = prepare("part", xml, &FieldMap::new()).map_err(|e| format!("{e:?}"))?;
    let mut hb = crate::render::engine(escape_value);
    crate::render::register(&mut hb, "part", &prepared)?;
    let out = hb.render("part", data).map_err(|e| e.to_string())?;
    let mut r = xml::reader(out.as_bytes());
    loop {
        match xml::next(&mut r) {
            Ok(Event::Eof) => return Ok(out),
            Ok(_) => {}
            Err(e) => return Err(format!("not well-formed after filling: {e:?}")),
        }
    }
}

/// A Word document with fields, ready to fill. It holds the template's bytes, so documents can
/// be filled and written from several threads at once.
pub struct DocxTemplate {
    name: std::path::PathBuf,
    bytes: Vec<u8>,
    /// Part name and its prepared XML.
    parts: Vec<(String, String)>,
    fields: Vec<Field>,
    /// Word's merge fields found, with what each became.
    merged: Vec<Merged>,
    /// Text that looks like another template language's (docxtpl/Jinja), with its place.
    foreign: Vec<(String, String, String)>,
}

/// What a template's Word merge fields are filled from: a mapping of field names to data names
/// (`fields.toml`) and the names the data has.
#[derive(Clone, Debug, Default)]
pub struct Binding {
    pub map: FieldMap,
    pub names: DataNames,
}

impl Binding {
    /// The mapping from `fields`, or from a `fields.toml` beside `template`, and the names the data
    /// has (`data`: the letters' values, or a sample).
    pub fn load(template: Option<&Path>, fields: Option<&Path>, data: &[&serde_json::Value]) -> Result<Binding> {
        match Binding::fields_file(template, fields) {
            Some(p) => {
                let text = std::fs::read_to_string(&p).map_err(|source| Error::Read { path: p.clone(), source })?;
                Binding::new(Some((&p, &text)), data)
            }
            None => Binding::new(None, data),
        }
    }

    /// Where a template's mapping is: `fields`, else a `fields.toml` beside `template` if there is one.
    pub fn fields_file(template: Option<&Path>, fields: Option<&Path>) -> Option<std::path::PathBuf> {
        let beside = template.and_then(|t| t.parent()).map(|d| d.join("fields.toml")).filter(|p| p.exists());
        fields.map(Path::to_path_buf).or(beside)
    }

    /// The mapping from a fields file's name and text (none: no mapping) and the names the data has.
    pub fn new(fields: Option<(&Path, &str)>, data: &[&serde_json::Value]) -> Result<Binding> {
        let map = match fields {
            Some((name, text)) => crate::tender_file::parse::<FieldMap>(name, text)?,
            None => FieldMap::new(),
        };
        let mut names = DataNames::default();
        for d in data.iter().take(50) {
            names.extend(DataNames::from_json(d));
        }
        Ok(Binding { map, names })
    }
}

/// A problem a template has before any data is given.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TemplateProblem {
    pub place: String,
    pub tag: String,
    pub message: String,
    /// An error stops the letters; a warning is said.
    pub error: bool,
}

fn is_text_part(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    name.starts_with("word/")
        && !name.contains("/_rels/")
        && file.ends_with(".xml")
        && (file == "document.xml"
            || file.starts_with("header")
            || file.starts_with("footer")
            || file == "footnotes.xml"
            || file == "endnotes.xml")
}

impl DocxTemplate {
    pub fn open(path: &Path, binding: &Binding) -> Result<DocxTemplate> {
        // Opening through the file first tells apart encrypted, legacy and non-zip files.
        Package::open(path)?;
        let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        DocxTemplate::from_bytes(path, bytes, binding)
    }

    /// A template held in memory (the bundled ones); `name` is what messages call it.
    pub fn from_bytes(name: &Path, bytes: Vec<u8>, binding: &Binding) -> Result<DocxTemplate> {
        let path = name;
        let package = Package::from_bytes(name, bytes.clone())?;
        let main = package.main_document()?;
        let content_type = package.content_type(&main.target).unwrap_or("").to_string();
        if ![WORD_MAIN, WORD_TEMPLATE, WORD_MACRO].contains(&content_type.as_str()) {
            return Err(Error::NotWorkbook {
                path: path.to_path_buf(),
                reason: format!(
                    "it is not a Word document (its main part is {})",
                    if content_type.is_empty() { "unknown".into() } else { content_type }
                ),
                fix: "give a Word template saved as .docx".into(),
            });
        }
        let mut names: Vec<String> = package
            .relationships(&main.target)?
            .into_iter()
            .filter(|r| !r.external)
            .map(|r| r.target)
            .filter(|t| is_text_part(t))
            .collect();
        names.insert(0, main.target.clone());
        names.dedup();
        let mut parts = Vec::new();
        let mut fields = Vec::new();
        let mut merged = Vec::new();
        let mut foreign = Vec::new();
        for name in names {
            if !package.has(&name) {
                continue;
            }
            let data = package.read(&name)?;
            let short = name.rsplit('/').next().unwrap_or(&name).trim_end_matches(".xml").to_string();
            // Word's merge fields become tags first, so everything after reads one language.
            let (data, mut found_merged) =
                merge::translate(&short, &data, &binding.map, &binding.names).map_err(|e| package.xml_error(&name, e))?;
            merged.append(&mut found_merged);
            let (prepared, mut found) = prepare(&short, &data, &binding.map).map_err(|e| package.xml_error(&name, e))?;
            foreign.extend(foreign_syntax(&short, &data));
            fields.append(&mut found);
            parts.push((name, prepared));
        }
        Ok(DocxTemplate { name: name.to_path_buf(), bytes, parts, fields, merged, foreign })
    }

    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// Word's merge fields, with the data each is filled from.
    pub fn merged(&self) -> &[Merged] {
        &self.merged
    }

    /// What is wrong with the template before any data: merge fields with no data, another
    /// template language's syntax (errors), and no fields at all (a warning: every letter would be
    /// the same).
    pub fn problems(&self) -> Vec<TemplateProblem> {
        let mut out: Vec<TemplateProblem> = self
            .merged
            .iter()
            .filter_map(|m| {
                Some(TemplateProblem {
                    place: format!("{} paragraph {}", m.part, m.paragraph),
                    tag: format!("«{}»", m.field),
                    message: m.problem.clone()?,
                    error: true,
                })
            })
            .collect();
        out.extend(self.foreign.iter().map(|(place, tag, instead)| TemplateProblem {
            place: place.clone(),
            tag: tag.clone(),
            message: format!("this is another template language's syntax (docxtpl/Jinja), which tenderkit does not fill: write {instead}"),
            error: true,
        }));
        if self.fields.is_empty() && self.merged.is_empty() {
            out.push(TemplateProblem {
                place: String::new(),
                tag: String::new(),
                message: "this template has no fields: every letter would be the same".into(),
                error: false,
            });
        }
        out
    }

    /// The fields as tags for [`crate::render::check`], placed by part and paragraph.
    pub fn tags(&self) -> Vec<crate::render::Tag> {
        self.fields
            .iter()
            .map(|f| crate::render::Tag {
                place: format!("{} paragraph {}{}", f.part, f.paragraph, if f.in_table { " (table)" } else { "" }),
                tag: f.tag.clone(),
                text: f.text.clone(),
            })
            .collect()
    }

    /// Registers the prepared parts with `hb` (which must escape with [`escape_value`]), under
    /// `prefix`.
    pub fn register(&self, hb: &mut Handlebars<'static>, prefix: &str) -> std::result::Result<(), TemplateError> {
        for (name, xml) in &self.parts {
            crate::render::register(hb, &format!("{prefix}{name}"), xml).map_err(|e| TemplateError {
                template: self.name.display().to_string(),
                detail: self.explain(&crate::render::explain(&self.tags(), &e)),
            })?;
        }
        Ok(())
    }

    fn explain(&self, detail: &str) -> String {
        format!(
            "{detail} (check that every {{{{#block}}}} has its {{{{/block}}}} in the same paragraph, or each alone in its own paragraph)"
        )
    }

    /// Renders every part with `data`, and checks each is still well-formed XML.
    pub fn render<T: Serialize>(
        &self,
        hb: &Handlebars<'static>,
        prefix: &str,
        data: &T,
    ) -> std::result::Result<HashMap<String, Vec<u8>>, TemplateError> {
        let mut out = HashMap::new();
        for (name, _) in &self.parts {
            let xml = hb.render(&format!("{prefix}{name}"), data).map_err(|e| TemplateError::from_render(name, &e))?;
            let mut r = xml::reader(xml.as_bytes());
            loop {
                match xml::next(&mut r) {
                    Ok(Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => {
                        return Err(TemplateError {
                            template: name.clone(),
                            detail: self.explain(&format!("filling the fields broke the document's structure ({e:?}): a block's tags are in different table cells or text boxes")),
                        });
                    }
                }
            }
            out.insert(name.clone(), xml.into_bytes());
        }
        Ok(out)
    }

    /// The filled document's bytes: the template's parts, with `parts` replaced.
    pub fn document(&self, parts: &HashMap<String, Vec<u8>>) -> Result<Vec<u8>> {
        let package = Package::from_bytes(&self.name, self.bytes.clone())?;
        let mut buf = std::io::Cursor::new(Vec::new());
        package.write_copy(&mut buf, parts, &[], &HashMap::new())?;
        Ok(buf.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(runs: &[(&str, bool)]) -> String {
        let r: String = runs
            .iter()
            .map(|(t, bold)| format!("<w:r>{}<w:t>{}</w:t></w:r>", if *bold { "<w:rPr><w:b/></w:rPr>" } else { "" }, escape(t)))
            .collect();
        format!("<w:p>{r}</w:p>")
    }

    fn doc(body: &str) -> String {
        format!("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>")
    }

    fn fill(body: &str, data: serde_json::Value) -> String {
        let (prepared, _) = prepare("document", doc(body).as_bytes(), &FieldMap::new()).unwrap();
        let mut hb = crate::render::engine(escape_value);
        hb.register_template_string("t", prepared).unwrap();
        let out = hb.render("t", &data).unwrap();
        let mut r = xml::reader(out.as_bytes());
        while !matches!(xml::next(&mut r).unwrap(), Event::Eof) {}
        out
    }

    fn text_of(xml: &str) -> Vec<String> {
        let (paragraphs, _) = scan("t", xml.as_bytes()).unwrap();
        paragraphs.iter().map(|p| p.nodes.iter().map(|n| n.text.as_str()).collect()).collect()
    }

    #[test]
    fn a_field_split_across_runs_is_filled_in_the_first_runs_formatting() {
        let out = fill(
            &p(&[("Dear {{bid", false), ("der.na", true), ("me}},", false)]),
            serde_json::json!({"bidder": {"name": "Acme & Sons <Ltd>"}}),
        );
        assert!(out.contains("<w:t xml:space=\"preserve\">Dear Acme &amp; Sons &lt;Ltd&gt;</w:t>"), "{out}");
        assert_eq!(text_of(&out), vec!["Dear Acme & Sons <Ltd>,"]);
    }

    #[test]
    fn bold_starting_mid_field_keeps_the_field_whole() {
        let out = fill(&p(&[("Total: {{num", false), ("ber total}} points", true)]), serde_json::json!({"total": 86.04}));
        assert_eq!(text_of(&out), vec!["Total: 86.04 points"]);
    }

    #[test]
    fn block_paragraphs_repeat_and_vanish() {
        let body = [
            p(&[("{{#each scores}}", false)]),
            p(&[("{{ref}}: {{score}}", false)]),
            p(&[("{{/each}}", false)]),
            p(&[("{{#if failed}}", false)]),
            p(&[("Failed", false)]),
            p(&[("{{/if}}", false)]),
        ]
        .concat();
        let out = fill(&body, serde_json::json!({"scores": [{"ref": "1.1", "score": 3}, {"ref": "1.2", "score": 4}], "failed": false}));
        assert_eq!(text_of(&out), vec!["1.1: 3", "1.2: 4"]);
    }

    #[test]
    fn each_in_a_table_row_repeats_the_row() {
        let row = format!(
            "<w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr>",
            p(&[("{{#each scores}}{{ref}}", false)]),
            p(&[("{{score}}{{/each}}", false)])
        );
        let header = format!("<w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr>", p(&[("Ref", true)]), p(&[("Score", true)]));
        let out = fill(
            &format!("<w:tbl>{header}{row}</w:tbl>"),
            serde_json::json!({"scores": [{"ref": "1.1", "score": 3}, {"ref": "1.2", "score": 4}, {"ref": "2.1", "score": 1}]}),
        );
        assert_eq!(out.matches("<w:tr>").count(), 4, "{out}");
        assert_eq!(text_of(&out), vec!["Ref", "Score", "1.1", "3", "1.2", "4", "2.1", "1"]);
    }

    #[test]
    fn line_breaks_and_smart_quotes() {
        let out = fill(
            &p(&[("{{note}} {{date when \u{201C}%d/%m/%Y\u{201D}}}", false)]),
            serde_json::json!({"note": "line one\nline two", "when": "2026-11-23"}),
        );
        assert!(out.contains("line one</w:t><w:br/><w:t xml:space=\"preserve\">line two 23/11/2026"), "{out}");
    }

    #[test]
    fn the_only_paragraph_of_a_cell_is_kept() {
        let body = format!("<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>", p(&[("{{#if x}}yes{{/if}}", false)]));
        let out = fill(&body, serde_json::json!({"x": false}));
        assert!(out.contains("<w:tc><w:p>"), "a cell keeps a paragraph: {out}");
    }

    #[test]
    fn a_fields_toml_maps_tags_as_it_maps_merge_fields() {
        let map: FieldMap =
            [("Bidder_Name", "bidder"), ("Letter_Date", "date"), ("Scores", "scores")].into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        assert_eq!(mapped("{{Bidder_Name}}", &map), "{{bidder}}");
        assert_eq!(mapped("{{ date Letter_Date }}", &map), "{{ date date }}");
        assert_eq!(mapped("{{#each Scores}}", &map), "{{#each scores}}");
        assert_eq!(mapped("{{money total \"Bidder_Name\"}}", &map), "{{money total \"Bidder_Name\"}}", "quoted text is kept");
        assert_eq!(mapped("{{Bidder_Names}}", &map), "{{Bidder_Names}}", "only whole names");
        let (prepared, fields) = prepare("document", doc(&p(&[("Dear {{Bidder_Name}},", false)])).as_bytes(), &map).unwrap();
        assert!(prepared.contains("Dear {{bidder}},"), "{prepared}");
        assert_eq!(fields[0].tag, "{{bidder}}");
    }

    #[test]
    fn fields_are_listed_with_their_paragraph() {
        let (_, fields) = prepare(
            "document",
            doc(&[p(&[("Dear {{bid", false), ("der.name}}", true)]), p(&[("{{#each scores}}", false)])].concat()).as_bytes(),
            &FieldMap::new(),
        )
        .unwrap();
        assert_eq!(
            fields.iter().map(|f| (f.paragraph, f.tag.as_str())).collect::<Vec<_>>(),
            vec![(1, "{{bidder.name}}"), (2, "{{#each scores}}")]
        );
        assert_eq!(fields[0].text, "Dear {{bidder.name}}");
    }
}
