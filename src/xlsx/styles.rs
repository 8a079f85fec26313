//! Number formats from a workbook's `styles.xml`: enough to know which cells show their value as
//! a percentage (a weight typed as 20% is stored as 0.2; only the cell's format says it means 20),
//! and which show a currency (`"$"#,##0.00`, `[$€-407] #,##0.00`).

use quick_xml::events::Event;

use crate::domain::money::Currency;
use crate::opc::xml::{self, XmlError};

/// Excel's built-in number formats that are percentages (ECMA-376 Part 1, 18.8.30 numFmt):
/// 9 is `0%`, 10 is `0.00%`.
const BUILT_IN_PERCENT: [u32; 2] = [9, 10];

/// For each cell format (`<xf>` of `<cellXfs>`, in order), whether it shows numbers as a
/// percentage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NumberFormats {
    percent: Vec<bool>,
    currency: Vec<Option<Currency>>,
}

impl NumberFormats {
    /// The currency a cell with style index `style` shows its number in, where its format names
    /// one (Excel's built-in currency formats take the reader's locale: not known here).
    pub fn currency(&self, style: Option<u32>) -> Option<Currency> {
        style.and_then(|s| self.currency.get(s as usize)).cloned().flatten()
    }

    /// The one currency the cell formats name, where they name exactly one.
    pub fn only_currency(&self) -> Option<Currency> {
        let mut named = self.currency.iter().flatten();
        let first = named.next()?;
        named.all(|c| c == first).then(|| first.clone())
    }

    /// Whether a cell with style index `style` shows its number as a percentage.
    pub fn is_percent(&self, style: Option<u32>) -> bool {
        style.and_then(|s| self.percent.get(s as usize)).copied().unwrap_or(false)
    }
}

/// Whether a format code shows a percentage: a `%` outside quotes, escapes and brackets
/// (`0.0%`, `#,##0.00%;[Red]-0.00%`; not `"%"` as literal text in `0 "% done"`).
pub fn code_is_percent(code: &str) -> bool {
    let (mut quoted, mut bracket, mut escaped) = (false, false, false);
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if !quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            '%' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

/// The currency a format code shows: a symbol or ISO code as literal text (`"$"`, `\€`, a bare
/// `£`) or as a locale tag (`[$€-407]`, `[$EUR]`); `None` for a format without one. The literal
/// runs are gathered, then read as any text is ([`Currency::find_in`]).
pub fn code_currency(code: &str) -> Option<Currency> {
    let (mut quoted, mut escaped) = (false, false);
    let mut literal = String::new();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            _ if escaped => {
                literal.push(c);
                escaped = false;
            }
            '\\' if !quoted => escaped = true,
            '"' => {
                quoted = !quoted;
                literal.push(' ');
            }
            _ if quoted => literal.push(c),
            '[' => {
                let tag: String = chars.by_ref().take_while(|&x| x != ']').collect();
                if let Some(rest) = tag.strip_prefix('$') {
                    literal.push(' ');
                    literal.push_str(rest.split('-').next().unwrap_or(""));
                    literal.push(' ');
                }
            }
            _ if crate::domain::money::is_symbol(c) => literal.push(c),
            _ => literal.push(' '),
        }
    }
    Currency::find_in(&literal)
}

/// Reads `<numFmts>` and `<cellXfs>` from a styles part.
pub fn parse(data: &[u8]) -> Result<NumberFormats, XmlError> {
    let mut r = xml::reader(data);
    let mut custom: Vec<(u32, bool, Option<Currency>)> = Vec::new();
    let mut xf_formats: Vec<u32> = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match xml::next(&mut r)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"numFmt" => {
                    let id = xml::attr(&e, b"numFmtId")?.and_then(|s| s.trim().parse().ok());
                    if let Some(id) = id {
                        let code = xml::attr(&e, b"formatCode")?.unwrap_or_default();
                        custom.push((id, code_is_percent(&code), code_currency(&code)));
                    }
                }
                b"cellXfs" => in_cell_xfs = true,
                b"xf" if in_cell_xfs => {
                    xf_formats.push(xml::attr(&e, b"numFmtId")?.and_then(|s| s.trim().parse().ok()).unwrap_or(0));
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"cellXfs" => in_cell_xfs = false,
            Event::Eof => break,
            _ => {}
        }
    }
    let percent = xf_formats
        .iter()
        .map(|id| match custom.iter().find(|(c, ..)| c == id) {
            Some((_, p, _)) => *p,
            None => BUILT_IN_PERCENT.contains(id),
        })
        .collect();
    let currency = xf_formats.iter().map(|id| custom.iter().find(|(c, ..)| c == id).and_then(|(.., m)| m.clone())).collect();
    Ok(NumberFormats { percent, currency })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_codes() {
        let code = |c: &str| code_currency(c).map(|m| m.code());
        assert_eq!(code("\"$\"#,##0.00"), Some("USD"));
        assert_eq!(code("_(\"$\"* #,##0.00_);_(\"$\"* \\(#,##0.00\\);_(\"$\"* \"-\"??_);_(@_)"), Some("USD"));
        assert_eq!(code("[$€-407] #,##0.00"), Some("EUR"));
        assert_eq!(code("#,##0.00\\ \"€\""), Some("EUR"));
        assert_eq!(code("[$EUR] #,##0"), Some("EUR"));
        assert_eq!(code("\u{a3}#,##0.00"), Some("GBP"));
        assert_eq!(code("$#,##0"), Some("USD"));
        for none in ["0.00", "#,##0", "General", "0%", "[Red]-0.00", "[$-809]dd/mm/yyyy", "0 \"days\""] {
            assert_eq!(code(none), None, "{none}");
        }
    }

    #[test]
    fn percent_codes() {
        for yes in ["0%", "0.0%", "0.00%", "#,##0.0%;[Red]-#,##0.0%", "0%_)"] {
            assert!(code_is_percent(yes), "{yes}");
        }
        for no in ["0", "#,##0.00", "0 \"% done\"", "0\\%", "[$%-809]0", "General", "\u{a3}#,##0.00"] {
            assert!(!code_is_percent(no), "{no}");
        }
    }

    #[test]
    fn built_in_and_custom_formats_are_mapped_per_cell_format() {
        let styles = br#"<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="&quot;&#163;&quot;#,##0.00"/></numFmts>
            <cellStyleXfs count="1"><xf numFmtId="9"/></cellStyleXfs>
            <cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="9" applyNumberFormat="1"/><xf numFmtId="10"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>"#;
        let f = parse(styles).unwrap();
        let got: Vec<bool> = (0..6).map(|s| f.is_percent(Some(s))).collect();
        assert_eq!(got, vec![false, true, true, true, false, false]);
        assert!(!f.is_percent(None));
    }
}
