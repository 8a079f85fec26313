//! Word's own mail-merge fields, translated into tenderkit's `{{...}}` tags before a template is
//! read, so one mechanism fills both. Word writes a merge field two ways: a simple field
//! (`<w:fldSimple w:instr=" MERGEFIELD Name ">` around its shown result) and a complex one (runs
//! holding `fldChar begin`, the instruction in `instrText` pieces, `separate`, the shown «Name»
//! runs, and `end`). Either becomes one run, in the formatting of its result, holding the tag; the
//! field code is gone, so a filled letter is a finished letter, not a merge document.
//!
//! The switches buyers use are honoured: `\* Upper`, `\* Lower`, `\* Caps`, `\* FirstCap`,
//! `\@ "d MMMM yyyy"` (Word's date pictures), `\# "£#,##0.00"` (number pictures), and `\b`/`\f`
//! (text before or after a value that is not empty). The two conventions for repeating a table
//! row or a block over a list (`TableStart:Scores`...`TableEnd:Scores`, and
//! `BeginGroup:Scores`...`EndGroup:Scores`) become `{{#each scores}}`...`{{/each}}`. An IF field
//! holding MERGEFIELDs (`IF { MERGEFIELD total } > 80 "HIGH" "LOW"`) becomes the same comparison
//! made on the merged values; a MERGEFIELD in any other field, one with no end, or one ending in
//! another paragraph is refused with its place, since leaving it would print Word's stale result.
//! Fields with no MERGEFIELD in them (DATE, PAGE, REF, hyperlinks) are left as they are.
//!
//! Field names rarely match tenderkit's (`Bidder_Name`, `Company`): a mapping (`fields.toml`:
//! `Bidder_Name = "bidder"`) says which data each means; without one, a name that matches a data
//! name but for case and punctuation is taken; anything else is an error naming the field, its
//! place and the nearest data names.

use std::collections::HashMap;
use std::ops::Range;

use quick_xml::events::Event;
use serde::Serialize;

use crate::docx::field::{self, Piece, Switch};
use crate::opc::xml::{self, XmlError};

/// What a template's merge fields may name: the data's scalar paths (`bidder`, `tender.title`)
/// and its lists with the names of their items' fields (`scores`: `reference`, `score`...).
#[derive(Clone, Debug, Default)]
pub struct DataNames {
    pub scalars: Vec<String>,
    pub lists: Vec<(String, Vec<String>)>,
    /// Scalars (or list items' fields) whose values are dates (`2026-12-04`): a field naming one
    /// without a date picture is written in the letters' date style.
    pub dates: Vec<String>,
}

impl DataNames {
    /// The names a JSON value offers (the data a letter is filled from).
    pub fn from_json(v: &serde_json::Value) -> DataNames {
        let mut names = DataNames::default();
        walk(v, "", &mut names);
        names
    }

    /// Adds the names of another value (letters of one kind differ in which lists are filled).
    pub fn extend(&mut self, other: DataNames) {
        for s in other.scalars {
            if !self.scalars.contains(&s) {
                self.scalars.push(s);
            }
        }
        for d in other.dates {
            if !self.dates.contains(&d) {
                self.dates.push(d);
            }
        }
        for (list, items) in other.lists {
            match self.lists.iter_mut().find(|(l, _)| *l == list) {
                Some((_, known)) => known.extend(items.into_iter().filter(|i| !known.contains(i)).collect::<Vec<_>>()),
                None => self.lists.push((list, items)),
            }
        }
    }
}

fn walk(v: &serde_json::Value, path: &str, out: &mut DataNames) {
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                walk(v, &join(k), out);
            }
        }
        serde_json::Value::Array(a) => {
            let mut items = DataNames::default();
            for item in a.iter().take(20) {
                items.extend(DataNames::from_json(item));
            }
            out.dates.extend(items.dates);
            out.lists.push((path.to_string(), items.scalars));
        }
        serde_json::Value::String(t) if !path.is_empty() && t.len() == 10 && t.parse::<chrono::NaiveDate>().is_ok() => {
            out.scalars.push(path.to_string());
            out.dates.push(path.to_string());
        }
        _ if !path.is_empty() => out.scalars.push(path.to_string()),
        _ => {}
    }
}

/// A mapping of Word field names to data names (`fields.toml`): `Bidder_Name = "bidder"`.
pub type FieldMap = HashMap<String, String>;

/// A name compared without case or punctuation: `Bidder_Name`, `bidder name` and `BIDDERNAME`
/// are one.
fn key(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The data name a field means, or the nearest data names when none matches.
fn resolve(name: &str, map: &FieldMap, names: &DataNames, region: Option<&str>) -> Result<String, Vec<String>> {
    let mapped = map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name) || key(k) == key(name)).map(|(_, v)| v.clone());
    let items: &[String] = region.and_then(|r| names.lists.iter().find(|(l, _)| l == r)).map_or(&[], |(_, i)| i.as_slice());
    let want = mapped.clone().unwrap_or_else(|| name.to_string());
    // Inside a region, the item's own fields first; then the whole letter's.
    if let Some(i) = items.iter().find(|i| key(i) == key(&want)) {
        return Ok(i.clone());
    }
    if let Some(s) = names.scalars.iter().find(|s| key(s) == key(&want)) {
        return Ok(if region.is_some() { format!("@root.{s}") } else { s.clone() });
    }
    let mut all: Vec<&String> = items.iter().chain(names.scalars.iter()).collect();
    all.sort_by_key(|n| nearness(n, &want));
    Err(all.into_iter().take(3).cloned().collect())
}

/// How near a data name is to a field's name, smaller nearer: a whole name contained in the
/// other (`bidder` in `Bidder_Name`) first, then one whose last part is (`winner.name`), then by
/// edit distance.
fn nearness(name: &str, field: &str) -> (u8, usize) {
    let (n, f) = (key(name), key(field));
    let leaf = key(name.rsplit('.').next().unwrap_or(name));
    let rank = if f.contains(&n) || n.contains(&f) {
        0
    } else if !leaf.is_empty() && f.contains(&leaf) {
        1
    } else {
        2
    };
    (rank, distance(&n, &f))
}

/// The list whose items have a field of this name, where the letter itself has none.
fn list_of<'a>(name: &str, map: &FieldMap, names: &'a DataNames) -> Option<&'a str> {
    let want = map.iter().find(|(k, _)| key(k) == key(name)).map(|(_, v)| v.clone()).unwrap_or_else(|| name.to_string());
    names.lists.iter().find(|(_, items)| items.iter().any(|i| key(i) == key(&want))).map(|(l, _)| l.as_str())
}

/// A list the region names, by the same rules.
fn resolve_list(name: &str, map: &FieldMap, names: &DataNames) -> Result<String, Vec<String>> {
    let want = map.iter().find(|(k, _)| key(k) == key(name)).map(|(_, v)| v.clone()).unwrap_or_else(|| name.to_string());
    if let Some((l, _)) = names.lists.iter().find(|(l, _)| key(l) == key(&want)) {
        return Ok(l.clone());
    }
    let mut all: Vec<&String> = names.lists.iter().map(|(l, _)| l).collect();
    all.sort_by_key(|n| nearness(n, &want));
    Err(all.into_iter().take(3).cloned().collect())
}

/// Edit distance, for suggesting the nearest names.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// A merge field found in a template, with what it became.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Merged {
    /// `document`, `header1`...
    pub part: String,
    /// 1-based paragraph number within the part.
    pub paragraph: usize,
    /// The field's name as Word has it.
    pub field: String,
    /// The data it is filled from, or the region it repeats over.
    pub data: Option<String>,
    /// Why it cannot be filled (no such data), with the nearest data names.
    pub problem: Option<String>,
}

/// A field being read, between its `begin` and `end`.
struct Open {
    /// Where its first run starts.
    start: usize,
    paragraph: usize,
    /// Its own instruction, with a [`field::placeholder`] where a field is nested in it.
    instr: String,
    in_result: bool,
    /// The `<w:rPr>` of the first result run with text (the formatting the value takes).
    result_rpr: Option<Range<usize>>,
    begin_rpr: Option<Range<usize>>,
    /// The fields nested in its instruction (`IF { MERGEFIELD total } > 80 ...`), in order.
    inner: Vec<Open>,
    /// What fields in its shown result became, kept until it is known whether this field is
    /// replaced whole (then they go with it) or left (then they stand on their own).
    result_found: Vec<Merged>,
    result_ops: Vec<(usize, usize, String)>,
}

impl Open {
    fn new(start: usize, paragraph: usize, begin_rpr: Option<Range<usize>>) -> Open {
        Open {
            start,
            paragraph,
            instr: String::new(),
            in_result: false,
            result_rpr: None,
            begin_rpr,
            inner: Vec::new(),
            result_found: Vec::new(),
            result_ops: Vec::new(),
        }
    }

    /// Whether a MERGEFIELD is in it, itself or nested.
    fn merges(&self) -> bool {
        field::parse_instruction(&self.instr).is_some() || self.inner.iter().any(Open::merges)
    }

    /// The field code as Word shows it (Alt+F9), nested fields in braces.
    fn shown(&self) -> String {
        let mut out = self.instr.trim().to_string();
        for (i, inner) in self.inner.iter().enumerate() {
            out = out.replace(&field::placeholder(i), &format!("{{ {} }}", inner.shown()));
        }
        out
    }

    /// The field's kind: its instruction's first word (`IF`, `MERGEFIELD`).
    fn kind(&self) -> String {
        self.instr.split_whitespace().next().unwrap_or("empty").to_ascii_uppercase()
    }
}

/// A literal text inside a tag: `"..."` with its quotes and backslashes escaped.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Text of an IF's result as template text: handlebars' own `{{` escaped.
fn literal(s: &str) -> String {
    s.replace("{{", "\\{{")
}

/// What turns the fields of one part into tags: the names they may mean and the regions open.
struct Merger<'a> {
    part: &'a str,
    map: &'a FieldMap,
    names: &'a DataNames,
    regions: Vec<String>,
}

impl Merger<'_> {
    fn problem(&self, paragraph: usize, field: String, problem: String) -> Merged {
        Merged { part: self.part.to_string(), paragraph, field, data: None, problem: Some(problem) }
    }

    /// The tag a MERGEFIELD instruction becomes (recorded in `found`); `None` for another field.
    fn emit(&mut self, found: &mut Vec<Merged>, instr: &str, paragraph: usize) -> Option<String> {
        let ins = field::parse_instruction(instr)?;
        let field = ins.name.clone();
        let (lower, rest) = match field.split_once(':') {
            Some((k, v)) => (k.to_ascii_lowercase(), v.to_string()),
            None => (String::new(), String::new()),
        };
        let mut merged = Merged { part: self.part.to_string(), paragraph, field: field.clone(), data: None, problem: None };
        let text = match lower.as_str() {
            "tablestart" | "begingroup" => match resolve_list(&rest, self.map, self.names) {
                Ok(list) => {
                    self.regions.push(list.clone());
                    merged.data = Some(list.clone());
                    format!("{{{{#each {list}}}}}")
                }
                Err(near) => {
                    merged.problem = Some(format!("no list of data named '{rest}' to repeat over (nearest: {})", near.join(", ")));
                    self.regions.push(rest.clone());
                    format!("«{field}»")
                }
            },
            "tableend" | "endgroup" => {
                let opened = self.regions.pop();
                merged.data = opened.clone();
                if opened.is_none() {
                    merged.problem = Some(format!("'{field}' ends a region that was never started"));
                }
                "{{/each}}".to_string()
            }
            _ => match resolve(&field, self.map, self.names, self.regions.last().map(String::as_str)) {
                Ok(path) => {
                    merged.data = Some(path.clone());
                    let mut switches = ins.switches.clone();
                    // A date with no picture is written as every letter writes dates.
                    if self.names.dates.iter().any(|d| *d == path.trim_start_matches("@root."))
                        && !switches.iter().any(|s| matches!(s, Switch::Date(_)))
                    {
                        switches.insert(0, Switch::Date("%-d %B %Y".into()));
                    }
                    merged.problem = switches.iter().find_map(|s| match s {
                        Switch::Number(pic) => field::picture_problem(pic),
                        _ => None,
                    });
                    field::tag(&path, &switches)
                }
                Err(near) => {
                    merged.problem = Some(match list_of(&field, self.map, self.names) {
                        // A field of each score (or other list item), used outside its region.
                        Some(list) => format!(
                            "'{field}' is a field of each item of '{list}', used outside its repeating region: put it between TableStart:{list} and TableEnd:{list} (or BeginGroup:{list} and EndGroup:{list})"
                        ),
                        None => format!(
                            "no data named '{field}'; map it in fields.toml ({field} = \"...\"); the nearest data names are {}",
                            near.join(", ")
                        ),
                    });
                    format!("«{field}»")
                }
            },
        };
        found.push(merged);
        Some(text)
    }

    /// What a finished field that stands on its own (not in another's instruction) becomes, with
    /// its problems in `found`; `None` leaves it as it is. A field with a MERGEFIELD in it is
    /// filled or refused, never left showing Word's stale result.
    fn finish(&mut self, f: &Open, paragraph: usize, found: &mut Vec<Merged>) -> Option<String> {
        if f.paragraph != paragraph {
            if f.merges() {
                found.push(self.problem(
                    f.paragraph,
                    f.shown(),
                    format!(
                        "the field begins in paragraph {} and ends in paragraph {paragraph}; a field is filled within one paragraph, so retype it on one line",
                        f.paragraph
                    ),
                ));
            }
            return None;
        }
        if f.inner.is_empty() {
            return self.emit(found, &f.instr, f.paragraph);
        }
        if !f.merges() {
            return None;
        }
        let refused = match field::parse_if(&f.instr) {
            Ok(Some(iff)) => match self.if_tag(&iff, f, found) {
                Ok(tag) => return Some(tag),
                Err(why) => why,
            },
            Ok(None) => format!(
                "a MERGEFIELD inside a {} field, which tenderkit cannot work out (it fills MERGEFIELDs on their own and in IF fields); Word's stale result would stay",
                f.kind()
            ),
            Err(form) => form,
        };
        found.push(self.problem(f.paragraph, f.shown(), refused));
        None
    }

    /// An IF field as `{{#if (wordif a "op" b)}}then{{else}}otherwise{{/if}}`, Word's comparison
    /// made on the merged values when the letter is filled.
    fn if_tag(&mut self, iff: &field::IfField, f: &Open, found: &mut Vec<Merged>) -> Result<String, String> {
        // The tag of the nested field `i`, a MERGEFIELD with no field of its own inside.
        let mut nested = |i: usize, found: &mut Vec<Merged>| -> Result<String, String> {
            let inner = f.inner.get(i).ok_or("a field the instruction does not hold")?;
            if !inner.inner.is_empty() {
                return Err(format!("a field nested two deep ({{ {} }}); tenderkit fills one level of fields in an IF", inner.shown()));
            }
            self.emit(found, &inner.instr, f.paragraph)
                .ok_or_else(|| format!("a {} field inside an IF, which tenderkit cannot work out; only MERGEFIELDs", inner.kind()))
        };
        let mut operand = |pieces: &[Piece], found: &mut Vec<Merged>| -> Result<String, String> {
            match pieces {
                [Piece::Text(t)] => Ok(quote(t)),
                [Piece::Field(i)] => {
                    let tag = nested(*i, found)?;
                    let Some(expr) = tag.strip_prefix("{{").and_then(|t| t.strip_suffix("}}")) else { return Ok(quote(&tag)) };
                    if expr.starts_with('#') {
                        return Err("a MERGEFIELD with \\b or \\f in an IF's comparison; compare the field alone".into());
                    }
                    Ok(if expr.contains(' ') { format!("({expr})") } else { expr.to_string() })
                }
                _ => Err("text and a field together on one side of an IF's comparison; put the field alone in quotes".into()),
            }
        };
        let left = operand(&iff.left, found)?;
        let right = operand(&iff.right, found)?;
        let mut text = |pieces: &[Piece], found: &mut Vec<Merged>| -> Result<String, String> {
            let mut out = String::new();
            for p in pieces {
                match p {
                    Piece::Text(t) => out.push_str(&literal(t)),
                    Piece::Field(i) => out.push_str(&nested(*i, found)?),
                }
            }
            Ok(out)
        };
        let then = text(&iff.then, found)?;
        let otherwise = text(&iff.otherwise, found)?;
        Ok(format!("{{{{#if (wordif {left} {} {right})}}}}{then}{{{{else}}}}{otherwise}{{{{/if}}}}", quote(iff.op.as_str())))
    }
}

/// Translates a part's MERGEFIELDs (simple, complex, and inside IF fields) into tags, region
/// fields into blocks. Returns the new part and what was found. `part` names the part in places.
pub fn translate(part: &str, data: &[u8], map: &FieldMap, names: &DataNames) -> Result<(Vec<u8>, Vec<Merged>), XmlError> {
    let mut r = xml::reader(data);
    let mut found: Vec<Merged> = Vec::new();
    // (start, end, replacement run)
    let mut ops: Vec<(usize, usize, String)> = Vec::new();
    let mut paragraph = 0usize;
    let mut stack: Vec<Open> = Vec::new();
    let mut run_start = 0usize;
    let mut run_rpr: Option<Range<usize>> = None;
    let mut rpr_start: Option<usize> = None;
    let mut in_instr = false;
    let mut simple: Option<(usize, String, usize)> = None; // start, instr, paragraph
    let mut simple_rpr: Option<Range<usize>> = None;
    let mut merger = Merger { part, map, names, regions: Vec::new() };
    // The pending replacement of a finished complex field, placed at its last run's end.
    let mut pending: Option<(usize, String)> = None;
    let source = String::from_utf8_lossy(data);
    let run_with = |rpr: &Option<Range<usize>>, text: &str| {
        let props = rpr.as_ref().map(|r| &source[r.clone()]).unwrap_or("");
        format!(
            "<w:r>{props}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
            text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
        )
    };
    loop {
        let pos = r.buffer_position() as usize;
        let ev = xml::next(&mut r)?;
        let end = r.buffer_position() as usize;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"p" if !empty => paragraph += 1,
                    b"r" if !empty => {
                        run_start = pos;
                        run_rpr = None;
                    }
                    b"rPr" if !empty => rpr_start = Some(pos),
                    b"fldSimple" => {
                        let instr = xml::attr(e, b"instr")?.unwrap_or_default();
                        if empty {
                            if let Some(text) = merger.emit(&mut found, &instr, paragraph) {
                                ops.push((pos, end, run_with(&None, &text)));
                            }
                        } else {
                            simple = Some((pos, instr, paragraph));
                            simple_rpr = None;
                        }
                    }
                    b"fldChar" => match xml::attr(e, b"fldCharType")?.as_deref() {
                        Some("begin") => stack.push(Open::new(run_start, paragraph, run_rpr.clone())),
                        Some("separate") => {
                            if let Some(f) = stack.last_mut() {
                                f.in_result = true;
                            }
                        }
                        Some("end") => {
                            if let Some(f) = stack.pop() {
                                match stack.last_mut() {
                                    // Nested in an instruction: worked out with the field around it.
                                    Some(parent) if !parent.in_result => {
                                        parent.instr.push_str(&field::placeholder(parent.inner.len()));
                                        parent.inner.push(f);
                                    }
                                    around => {
                                        let mut own = Vec::new();
                                        let text = merger.finish(&f, paragraph, &mut own);
                                        let (to_found, to_ops) = match around {
                                            Some(p) => (&mut p.result_found, &mut p.result_ops),
                                            None => (&mut found, &mut ops),
                                        };
                                        to_found.extend(own);
                                        match text {
                                            Some(text) => {
                                                let rpr = f.result_rpr.clone().or(f.begin_rpr.clone());
                                                pending = Some((f.start, run_with(&rpr, &text)));
                                            }
                                            None => {
                                                to_found.extend(f.result_found);
                                                to_ops.extend(f.result_ops);
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        _ => {}
                    },
                    b"instrText" if !empty => in_instr = true,
                    b"t" if !empty => {
                        if let Some(f) = stack.last_mut()
                            && f.in_result
                            && f.result_rpr.is_none()
                        {
                            f.result_rpr = run_rpr.clone();
                        }
                        if simple.is_some() && simple_rpr.is_none() {
                            simple_rpr = run_rpr.clone();
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"rPr" => {
                    if let Some(s) = rpr_start.take() {
                        run_rpr = Some(s..end);
                    }
                }
                b"instrText" => in_instr = false,
                b"r" => {
                    if let Some((start, text)) = pending.take() {
                        match stack.last_mut() {
                            Some(p) => p.result_ops.push((start, end, text)),
                            None => ops.push((start, end, text)),
                        }
                    }
                }
                b"fldSimple" => {
                    if let Some((start, instr, p)) = simple.take()
                        && let Some(text) = merger.emit(&mut found, &instr, p)
                    {
                        ops.push((start, end, run_with(&simple_rpr, &text)));
                    }
                }
                _ => {}
            },
            Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) => {
                // Instruction text belongs to the innermost field being read.
                if in_instr
                    && let Some(f) = stack.last_mut()
                    && !f.in_result
                {
                    xml::push_text(&mut f.instr, &ev)?;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // A field never ended: Word shows no field there, and filling it would guess.
    while let Some(f) = stack.pop() {
        if f.merges() {
            found.push(merger.problem(
                f.paragraph,
                f.shown(),
                "the field has no end (no fldChar end after its begin); retype the field in Word".into(),
            ));
        }
    }
    if ops.is_empty() {
        return Ok((data.to_vec(), found));
    }
    ops.sort_by_key(|o| o.0);
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
    Ok((out.into_bytes(), found))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> DataNames {
        DataNames::from_json(&serde_json::json!({
            "bidder": "Acme", "date": "2026-12-04", "total": "88.06",
            "tender": {"title": "Vehicles", "reference": "FLT-1"},
            "scores": [{"reference": "1.1", "score": "3", "descriptor": "Good"}],
        }))
    }

    #[test]
    fn names_resolve_by_mapping_then_loosely_else_say_the_nearest() {
        let map: FieldMap = [("Bidder_Name".to_string(), "bidder".to_string())].into_iter().collect();
        let n = names();
        assert_eq!(resolve("Bidder_Name", &map, &n, None), Ok("bidder".into()));
        assert_eq!(resolve("TENDER_TITLE", &map, &n, None), Ok("tender.title".into()));
        assert_eq!(resolve("Bidder", &FieldMap::new(), &n, None), Ok("bidder".into()));
        assert_eq!(resolve("Score", &map, &n, Some("scores")), Ok("score".into()));
        // Outside its region, an item's field is not the letter's: which list it belongs to is said.
        assert!(resolve("Descriptor", &map, &n, None).is_err());
        assert_eq!(list_of("Descriptor", &map, &n), Some("scores"));
        assert_eq!(list_of("Bidder_Name", &map, &n), None);
        assert_eq!(resolve("Bidder", &map, &n, Some("scores")), Ok("@root.bidder".into()));
        let near = resolve("TotalScore", &FieldMap::new(), &n, None).unwrap_err();
        assert_eq!(near[0], "total");
        assert_eq!(resolve_list("Scores", &map, &n), Ok("scores".into()));
    }

    #[test]
    fn simple_and_complex_fields_become_tags_in_their_results_formatting() {
        let xml = concat!(
            r#"<w:document xmlns:w="w"><w:body>"#,
            r#"<w:p><w:r><w:t xml:space="preserve">Dear </w:t></w:r><w:fldSimple w:instr=" MERGEFIELD Bidder_Name \* MERGEFORMAT "><w:r><w:rPr><w:b/></w:rPr><w:t>«Bidder_Name»</w:t></w:r></w:fldSimple></w:p>"#,
            r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> MERGE</w:instrText></w:r><w:r><w:instrText>FIELD Tender_Title \* Upper </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>«Tender_Title»</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
            r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
            r#"</w:body></w:document>"#
        );
        let map: FieldMap = [("Bidder_Name".to_string(), "bidder".to_string())].into_iter().collect();
        let (out, found) = translate("document", xml.as_bytes(), &map, &names()).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains(r#"<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{{bidder}}</w:t></w:r>"#), "{out}");
        assert!(out.contains(r#"<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">{{upper tender.title}}</w:t></w:r>"#), "{out}");
        assert!(!out.contains("MERGEFIELD") && !out.contains("fldSimple") && !out.contains("«"), "{out}");
        assert!(out.contains("<w:instrText> PAGE </w:instrText>"), "other fields stay: {out}");
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].data.as_deref(), Some("tender.title"));
        assert_eq!(found[1].paragraph, 2);
    }
}
