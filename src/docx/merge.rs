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
//! `BeginGroup:Scores`...`EndGroup:Scores`) become `{{#each scores}}`...`{{/each}}`. Other fields
//! (DATE, PAGE, REF, IF, hyperlinks) are left as they are.
//!
//! Field names rarely match tenderkit's (`Bidder_Name`, `Company`): a mapping (`fields.toml`:
//! `Bidder_Name = "bidder"`) says which data each means; without one, a name that matches a data
//! name but for case and punctuation is taken; anything else is an error naming the field, its
//! place and the nearest data names.

use std::collections::HashMap;
use std::ops::Range;

use quick_xml::events::Event;
use serde::Serialize;

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

/// A field switch tenderkit honours.
#[derive(Clone, Debug, PartialEq)]
enum Switch {
    /// `\* Upper`, `Lower`, `Caps`, `FirstCap`: the helper that does it.
    Case(&'static str),
    /// `\@ "d MMMM yyyy"`, as a chrono format.
    Date(String),
    /// `\# "£#,##0.00"`.
    Number(String),
    /// `\b "text"`: text before a value that is not empty.
    Before(String),
    /// `\f "text"`: text after a value that is not empty.
    After(String),
}

/// A MERGEFIELD instruction: the field's name and its switches.
#[derive(Clone, Debug, PartialEq)]
struct Instruction {
    name: String,
    switches: Vec<Switch>,
}

/// The words of a field instruction; quoted text is one word, without its quotes.
fn instruction_words(instr: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut chars = instr.trim().chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '"' || c == '\u{201C}' || c == '\u{201D}' {
            chars.next();
            let mut word = String::new();
            for c in chars.by_ref() {
                if c == '"' || c == '\u{201C}' || c == '\u{201D}' {
                    break;
                }
                word.push(c);
            }
            out.push((word, true));
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
            out.push((word, false));
        }
    }
    out
}

/// Reads `MERGEFIELD Name \* Upper ...`; `None` for any other field.
fn parse_instruction(instr: &str) -> Option<Instruction> {
    let words = instruction_words(instr);
    let (first, _) = words.first()?;
    if !first.eq_ignore_ascii_case("MERGEFIELD") {
        return None;
    }
    let name = words.get(1)?.0.clone();
    let mut switches = Vec::new();
    let mut i = 2;
    while i < words.len() {
        let arg = words.get(i + 1).map(|w| w.0.clone()).unwrap_or_default();
        match words[i].0.to_ascii_lowercase().as_str() {
            "\\*" => {
                match arg.to_ascii_lowercase().as_str() {
                    "upper" => switches.push(Switch::Case("upper")),
                    "lower" => switches.push(Switch::Case("lower")),
                    "caps" => switches.push(Switch::Case("caps")),
                    "firstcap" => switches.push(Switch::Case("firstcap")),
                    _ => {} // MERGEFORMAT, CHARFORMAT: the result's formatting, which is kept anyway.
                }
                i += 2;
            }
            "\\@" => {
                switches.push(Switch::Date(date_picture(&arg)));
                i += 2;
            }
            "\\#" => {
                switches.push(Switch::Number(arg));
                i += 2;
            }
            "\\b" => {
                switches.push(Switch::Before(arg));
                i += 2;
            }
            "\\f" => {
                switches.push(Switch::After(arg));
                i += 2;
            }
            _ => i += 1, // \m, \v: nothing for a filled letter.
        }
    }
    Some(Instruction { name, switches })
}

/// Word's date-picture codes and chrono's, longest first.
const DATE_CODES: &[(&str, &str)] = &[
    ("dddd", "%A"),
    ("ddd", "%a"),
    ("dd", "%d"),
    ("d", "%-d"),
    ("MMMM", "%B"),
    ("MMM", "%b"),
    ("MM", "%m"),
    ("M", "%-m"),
    ("yyyy", "%Y"),
    ("yy", "%y"),
    ("HH", "%H"),
    ("H", "%-H"),
    ("hh", "%I"),
    ("h", "%-I"),
    ("mm", "%M"),
    ("ss", "%S"),
    ("AM/PM", "%p"),
    ("am/pm", "%P"),
];

/// A Word date picture (`d MMMM yyyy`) as a chrono format (`%-d %B %Y`); text in single quotes
/// is literal.
fn date_picture(picture: &str) -> String {
    let mut out = String::new();
    let mut rest = picture;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('\'') {
            let end = r.find('\'').unwrap_or(r.len());
            out.push_str(&r[..end].replace('%', "%%"));
            rest = r.get(end + 1..).unwrap_or("");
            continue;
        }
        if let Some((word, code)) = DATE_CODES.iter().find(|(w, _)| rest.starts_with(w)) {
            out.push_str(code);
            rest = &rest[word.len()..];
            continue;
        }
        let c = rest.chars().next().expect("not empty");
        if c == '%' {
            out.push_str("%%");
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The handlebars tag for a field that means `path`.
fn tag(path: &str, switches: &[Switch]) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut expr = path.to_string();
    for s in switches {
        expr = match s {
            Switch::Date(fmt) => format!("(date {expr} {})", quote(fmt)),
            Switch::Number(pic) => format!("(picture {expr} {})", quote(pic)),
            _ => expr,
        };
    }
    for s in switches {
        if let Switch::Case(helper) = s {
            expr = format!("({helper} {expr})");
        }
    }
    let expr = expr.strip_prefix('(').and_then(|e| e.strip_suffix(')')).map(str::to_string).filter(|_| expr != path).unwrap_or(expr);
    let before: String = switches.iter().filter_map(|s| if let Switch::Before(t) = s { Some(t.as_str()) } else { None }).collect();
    let after: String = switches.iter().filter_map(|s| if let Switch::After(t) = s { Some(t.as_str()) } else { None }).collect();
    if before.is_empty() && after.is_empty() {
        format!("{{{{{expr}}}}}")
    } else {
        format!("{{{{#if {path}}}}}{before}{{{{{expr}}}}}{after}{{{{/if}}}}")
    }
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
    instr: String,
    in_result: bool,
    /// The `<w:rPr>` of the first result run with text (the formatting the value takes).
    result_rpr: Option<Range<usize>>,
    begin_rpr: Option<Range<usize>>,
}

/// Translates a part's MERGEFIELDs (simple and complex) into tags, region fields into blocks.
/// Returns the new part and what was found. `part` names the part in places.
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
    let mut regions: Vec<String> = Vec::new();
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
    let emit = |found: &mut Vec<Merged>, regions: &mut Vec<String>, instr: &str, paragraph: usize| -> Option<String> {
        let ins = parse_instruction(instr)?;
        let field = ins.name.clone();
        let (lower, rest) = match field.split_once(':') {
            Some((k, v)) => (k.to_ascii_lowercase(), v.to_string()),
            None => (String::new(), String::new()),
        };
        let mut merged = Merged { part: part.to_string(), paragraph, field: field.clone(), data: None, problem: None };
        let text = match lower.as_str() {
            "tablestart" | "begingroup" => match resolve_list(&rest, map, names) {
                Ok(list) => {
                    regions.push(list.clone());
                    merged.data = Some(list.clone());
                    format!("{{{{#each {list}}}}}")
                }
                Err(near) => {
                    merged.problem = Some(format!("no list of data named '{rest}' to repeat over (nearest: {})", near.join(", ")));
                    regions.push(rest.clone());
                    format!("«{field}»")
                }
            },
            "tableend" | "endgroup" => {
                let opened = regions.pop();
                merged.data = opened.clone();
                if opened.is_none() {
                    merged.problem = Some(format!("'{field}' ends a region that was never started"));
                }
                "{{/each}}".to_string()
            }
            _ => match resolve(&field, map, names, regions.last().map(String::as_str)) {
                Ok(path) => {
                    merged.data = Some(path.clone());
                    let mut switches = ins.switches.clone();
                    // A date with no picture is written as every letter writes dates.
                    if names.dates.iter().any(|d| *d == path.trim_start_matches("@root."))
                        && !switches.iter().any(|s| matches!(s, Switch::Date(_)))
                    {
                        switches.insert(0, Switch::Date("%-d %B %Y".into()));
                    }
                    tag(&path, &switches)
                }
                Err(near) => {
                    merged.problem = Some(format!(
                        "no data named '{field}'; map it in fields.toml ({field} = \"...\"); the nearest data names are {}",
                        near.join(", ")
                    ));
                    format!("«{field}»")
                }
            },
        };
        found.push(merged);
        Some(text)
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
                            if let Some(text) = emit(&mut found, &mut regions, &instr, paragraph) {
                                ops.push((pos, end, run_with(&None, &text)));
                            }
                        } else {
                            simple = Some((pos, instr, paragraph));
                            simple_rpr = None;
                        }
                    }
                    b"fldChar" => match xml::attr(e, b"fldCharType")?.as_deref() {
                        Some("begin") => stack.push(Open {
                            start: run_start,
                            paragraph,
                            instr: String::new(),
                            in_result: false,
                            result_rpr: None,
                            begin_rpr: run_rpr.clone(),
                        }),
                        Some("separate") => {
                            if let Some(f) = stack.last_mut() {
                                f.in_result = true;
                            }
                        }
                        Some("end") => {
                            if let Some(f) = stack.pop()
                                && stack.is_empty()
                                && f.paragraph == paragraph
                            {
                                let rpr = f.result_rpr.clone().or(f.begin_rpr.clone());
                                if let Some(text) = emit(&mut found, &mut regions, &f.instr, f.paragraph) {
                                    pending = Some((f.start, run_with(&rpr, &text)));
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
                        ops.push((start, end, text));
                    }
                }
                b"fldSimple" => {
                    if let Some((start, instr, p)) = simple.take()
                        && let Some(text) = emit(&mut found, &mut regions, &instr, p)
                    {
                        ops.push((start, end, run_with(&simple_rpr, &text)));
                    }
                }
                _ => {}
            },
            Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) => {
                // Only the outermost field's own instruction counts (a field nested in it is its own).
                let depth = stack.len();
                if in_instr
                    && depth == 1
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

/// A number by a Word number picture: `£#,##0.00` gives £1,234.50; `0.0%` 12.5%; `#,##0` 1,235.
pub fn picture(n: f64, pic: &str) -> String {
    let first = pic.find(['#', '0']).unwrap_or(pic.len());
    let last = pic.rfind(['#', '0']).map_or(first, |i| i + 1);
    let (prefix, body, suffix) = (&pic[..first], &pic[first..last], &pic[last..]);
    let decimals = body.split_once('.').map_or(0, |(_, d)| d.chars().filter(|c| *c == '0' || *c == '#').count());
    let grouped = body.split('.').next().unwrap_or("").contains(',');
    let n = if suffix.contains('%') { n * 100.0 } else { n };
    // Halves away from zero, as Word rounds (Rust's formatting would round them to even).
    let scale = 10f64.powi(decimals as i32);
    let text = format!("{:.*}", decimals, (n.abs() * scale).round() / scale);
    let (whole, frac) = text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let whole = if grouped {
        let digits: Vec<char> = whole.chars().collect();
        let mut out = String::new();
        for (i, d) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(*d);
        }
        out
    } else {
        whole.to_string()
    };
    let sign = if n < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{prefix}{whole}.{f}{suffix}"),
        None => format!("{sign}{prefix}{whole}{suffix}"),
    }
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
    fn instructions_and_switches() {
        let i = parse_instruction(r#" MERGEFIELD  "Bidder Name" \* Upper \* MERGEFORMAT "#).unwrap();
        assert_eq!(i.name, "Bidder Name");
        assert_eq!(i.switches, vec![Switch::Case("upper")]);
        let i = parse_instruction(r#"MERGEFIELD Sent \@ "d MMMM yyyy" \b "Sent on " \f "."#).unwrap();
        assert_eq!(i.switches, vec![Switch::Date("%-d %B %Y".into()), Switch::Before("Sent on ".into()), Switch::After(".".into())]);
        assert!(parse_instruction(" DATE \\@ \"d MMMM yyyy\" ").is_none());
        assert!(parse_instruction(" PAGE ").is_none());
        assert_eq!(date_picture("dd/MM/yy"), "%d/%m/%y");
        assert_eq!(date_picture("dddd d MMMM yyyy 'at' HH:mm"), "%A %-d %B %Y at %H:%M");
    }

    #[test]
    fn names_resolve_by_mapping_then_loosely_else_say_the_nearest() {
        let map: FieldMap = [("Bidder_Name".to_string(), "bidder".to_string())].into_iter().collect();
        let n = names();
        assert_eq!(resolve("Bidder_Name", &map, &n, None), Ok("bidder".into()));
        assert_eq!(resolve("TENDER_TITLE", &map, &n, None), Ok("tender.title".into()));
        assert_eq!(resolve("Bidder", &FieldMap::new(), &n, None), Ok("bidder".into()));
        assert_eq!(resolve("Score", &map, &n, Some("scores")), Ok("score".into()));
        assert_eq!(resolve("Bidder", &map, &n, Some("scores")), Ok("@root.bidder".into()));
        let near = resolve("TotalScore", &FieldMap::new(), &n, None).unwrap_err();
        assert_eq!(near[0], "total");
        assert_eq!(resolve_list("Scores", &map, &n), Ok("scores".into()));
    }

    #[test]
    fn tags_carry_the_switches() {
        assert_eq!(tag("bidder", &[]), "{{bidder}}");
        assert_eq!(tag("bidder", &[Switch::Case("upper")]), "{{upper bidder}}");
        assert_eq!(tag("date", &[Switch::Date("%-d %B %Y".into())]), "{{date date \"%-d %B %Y\"}}");
        assert_eq!(tag("date", &[Switch::Date("%B".into()), Switch::Case("upper")]), "{{upper (date date \"%B\")}}");
        assert_eq!(tag("total", &[Switch::Number("0.00".into())]), "{{picture total \"0.00\"}}");
        assert_eq!(tag("bidder", &[Switch::Before("To: ".into())]), "{{#if bidder}}To: {{bidder}}{{/if}}");
    }

    #[test]
    fn number_pictures() {
        assert_eq!(picture(1234.5, "£#,##0.00"), "£1,234.50");
        assert_eq!(picture(1234.5, "#,##0"), "1,235");
        assert_eq!(picture(0.125, "0.0%"), "12.5%");
        assert_eq!(picture(88.0625, "0.00"), "88.06");
        assert_eq!(picture(-50.0, "£#,##0.00"), "-£50.00");
        assert_eq!(picture(5_100_000.0, "£#,##0"), "£5,100,000");
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
