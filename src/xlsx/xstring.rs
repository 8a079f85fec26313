//! SpreadsheetML's escape for characters XML cannot hold. XML 1.0 forbids most control
//! characters (a vertical tab pasted from Word, `\u{1}`), so Excel writes them in cell text as
//! `_xHHHH_` (ECMA-376 Part 1, 22.9.2.19 ST_Xstring), and writes a literal `_x` that would read as
//! such an escape as `_x005F_x...`. tenderkit reads that escape and writes it, so no text it
//! writes can make a sheet that Excel or LibreOffice refuses to load.

use std::borrow::Cow;

/// Characters XML 1.0 does not allow in a document (production 2, `Char`).
pub fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// `_x` followed by four hex digits and `_`, at byte `i`.
fn escape_at(s: &str, i: usize) -> Option<u32> {
    let b = s.as_bytes();
    if b.get(i..i + 2)? != b"_x" || *b.get(i + 6)? != b'_' {
        return None;
    }
    let hex = s.get(i + 2..i + 6)?;
    hex.bytes().all(|h| h.is_ascii_hexdigit()).then(|| u32::from_str_radix(hex, 16).ok()).flatten()
}

/// Cell text as stored, with the escapes turned back into the characters they stand for.
pub fn decode(s: &str) -> Cow<'_, str> {
    if !s.contains("_x") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if let Some(code) = escape_at(s, i) {
            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            i += 7;
        } else {
            let c = s[i..].chars().next().expect("in bounds");
            out.push(c);
            i += c.len_utf8();
        }
    }
    Cow::Owned(out)
}

/// Cell text ready to store: forbidden characters as escapes, and a literal escape-shaped `_x`
/// escaped itself so it reads back as typed.
pub fn encode(s: &str) -> Cow<'_, str> {
    if !s.chars().any(forbidden_in_xml) && !s.contains("_x") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        if forbidden_in_xml(c) {
            out.push_str(&format!("_x{:04X}_", c as u32));
        } else if c == '_' && escape_at(s, i).is_some() {
            out.push_str("_x005F_");
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Names (sheet names, defined names) may not hold control characters at all: removed.
pub fn plain(s: &str) -> Cow<'_, str> {
    if s.chars().any(|c| c.is_control()) { Cow::Owned(s.chars().filter(|c| !c.is_control()).collect()) } else { Cow::Borrowed(s) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_round_trip_through_the_escape() {
        for s in ["Acme\u{B}Ltd", "bell\u{7}", "plain", "under_score", "_x0041_ typed", "tab\tand\nnewline", "\u{1}\u{1F}"] {
            let e = encode(s);
            assert!(!e.chars().any(forbidden_in_xml), "{e:?}");
            assert_eq!(decode(&e), s, "{s:?} -> {e:?}");
        }
        assert_eq!(encode("A\u{B}B"), "A_x000B_B");
        assert_eq!(decode("line_x000D_\nnext"), "line\r\nnext");
        assert_eq!(encode("_x0041_"), "_x005F_x0041_");
        assert_eq!(plain("Eval - A\u{1}B"), "Eval - AB");
    }
}
