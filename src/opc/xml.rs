//! Reading XML parts with quick-xml, safely: a DOCTYPE (where entity bombs and external entities
//! live) is refused, and only XML's five predefined entities and character references are
//! expanded.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// A reader over a whole part held in memory; events borrow from it, so parsing does not copy.
pub fn reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(xml);
    let c = r.config_mut();
    c.trim_text(false);
    c.expand_empty_elements = false;
    c.check_end_names = true;
    r
}

/// The namespace prefix of a part's root element, with its colon (`"x:"` for `<x:worksheet>`), or
/// `""`. Elements written into the part must carry it: the Open XML SDK, for one, prefixes every
/// element instead of declaring a default namespace.
pub fn root_prefix(xml: &[u8]) -> String {
    let mut rest = xml;
    while let Some(i) = rest.iter().position(|&b| b == b'<') {
        rest = &rest[i + 1..];
        if matches!(rest.first(), Some(b'?' | b'!')) {
            continue;
        }
        let name_end = rest.iter().position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/').unwrap_or(rest.len());
        let name = &rest[..name_end];
        return match name.iter().position(|&b| b == b':') {
            Some(colon) => String::from_utf8_lossy(&name[..=colon]).into_owned(),
            None => String::new(),
        };
    }
    String::new()
}

/// Why a part could not be read.
#[derive(Debug)]
pub enum XmlError {
    Malformed(String),
    /// A DOCTYPE or an undeclared entity: refused, never expanded.
    Unsafe(String),
}

impl From<quick_xml::Error> for XmlError {
    fn from(e: quick_xml::Error) -> Self {
        XmlError::Malformed(e.to_string())
    }
}

/// Reads the next event, refusing DOCTYPE declarations.
pub fn next<'a>(r: &mut Reader<&'a [u8]>) -> Result<Event<'a>, XmlError> {
    let at = r.buffer_position();
    match r.read_event()? {
        Event::DocType(_) => Err(XmlError::Unsafe(format!(
            "the XML declares a DOCTYPE at byte {at}; documents with entity declarations are refused (they can hide entity-expansion or external-entity attacks)"
        ))),
        e => Ok(e),
    }
}

/// Appends the text of a `Text`, `CData` or `GeneralRef` event to `out`; other events are ignored.
pub fn push_text(out: &mut String, e: &Event<'_>) -> Result<(), XmlError> {
    match e {
        Event::Text(t) => out.push_str(&t.decode().map_err(|e| XmlError::Malformed(e.to_string()))?),
        Event::CData(t) => out.push_str(&t.decode().map_err(|e| XmlError::Malformed(e.to_string()))?),
        Event::GeneralRef(r) => out.push(resolve_ref(r)?),
        _ => {}
    }
    Ok(())
}

fn resolve_ref(r: &BytesRef<'_>) -> Result<char, XmlError> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| XmlError::Malformed(e.to_string()))? {
        return Ok(c);
    }
    let name: &[u8] = r;
    match name {
        b"lt" => Ok('<'),
        b"gt" => Ok('>'),
        b"amp" => Ok('&'),
        b"apos" => Ok('\''),
        b"quot" => Ok('"'),
        other => Err(XmlError::Unsafe(format!("undeclared entity &{};", String::from_utf8_lossy(other)))),
    }
}

/// The unescaped value of attribute `name` (matched on its local name, ignoring any prefix).
pub fn attr(e: &BytesStart<'_>, name: &[u8]) -> Result<Option<String>, XmlError> {
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|e| XmlError::Malformed(e.to_string()))?;
        if a.key.local_name().as_ref() == name {
            return Ok(Some(a.normalized_value(quick_xml::XmlVersion::Implicit1_0)?.into_owned()));
        }
    }
    Ok(None)
}

/// The raw (still escaped) value of attribute `name`, without allocating: for attributes that
/// never hold entities, such as a cell's `r`, `t` and `s`.
pub fn attr_raw<'a>(e: &'a BytesStart<'_>, name: &[u8]) -> Option<std::borrow::Cow<'a, [u8]>> {
    e.attributes().with_checks(false).flatten().find(|a| a.key.local_name().as_ref() == name).map(|a| a.value)
}

/// Whether two short byte strings (a tag or attribute name) are the same, compared byte by byte:
/// a call to the C library's `memcmp` for each of these cost more than the comparing.
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Escapes text for element content or attribute values, and drops characters XML 1.0 cannot
/// carry (control characters other than tab, newline and carriage return). Tab, newline and
/// carriage return are written as character references, so a reader's line-end and attribute
/// normalisation cannot change them: the text reads back exactly as it was.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_text(xml: &str) -> Result<String, XmlError> {
        let mut r = reader(xml.as_bytes());
        let mut s = String::new();
        loop {
            let e = next(&mut r)?;
            if matches!(e, Event::Eof) {
                return Ok(s);
            }
            push_text(&mut s, &e)?;
        }
    }

    #[test]
    fn predefined_entities_and_char_refs_expand() {
        assert_eq!(all_text("<t>a &amp; b &lt;c&gt; &#163;5 &#x41;</t>").unwrap(), "a & b <c> £5 A");
    }

    #[test]
    fn doctype_and_custom_entities_are_refused() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><t>&lol;</t>"#;
        assert!(matches!(all_text(bomb), Err(XmlError::Unsafe(_))));
        assert!(matches!(all_text("<t>&lol;</t>"), Err(XmlError::Unsafe(_))));
    }

    #[test]
    fn escaping_is_safe_for_content_and_attributes() {
        assert_eq!(escape("=cmd|' /C calc'!A0 & <x> \"q\"\u{1}"), "=cmd|&apos; /C calc&apos;!A0 &amp; &lt;x&gt; &quot;q&quot;");
    }
}
