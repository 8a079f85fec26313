//! Number formats from a workbook's `styles.xml`: enough to know which cells show their value as
//! a percentage. A weight typed as 20% is stored as 0.2; only the cell's format says it means 20.

use quick_xml::events::Event;

use crate::opc::xml::{self, XmlError};

/// Excel's built-in number formats that are percentages (ECMA-376 Part 1, 18.8.30 numFmt):
/// 9 is `0%`, 10 is `0.00%`.
const BUILT_IN_PERCENT: [u32; 2] = [9, 10];

/// For each cell format (`<xf>` of `<cellXfs>`, in order), whether it shows numbers as a
/// percentage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NumberFormats {
    percent: Vec<bool>,
}

impl NumberFormats {
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

/// Reads `<numFmts>` and `<cellXfs>` from a styles part.
pub fn parse(data: &[u8]) -> Result<NumberFormats, XmlError> {
    let mut r = xml::reader(data);
    let mut custom: Vec<(u32, bool)> = Vec::new();
    let mut xf_formats: Vec<u32> = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match xml::next(&mut r)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"numFmt" => {
                    let id = xml::attr(&e, b"numFmtId")?.and_then(|s| s.trim().parse().ok());
                    if let Some(id) = id {
                        custom.push((id, xml::attr(&e, b"formatCode")?.is_some_and(|c| code_is_percent(&c))));
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
        .map(|id| match custom.iter().find(|(c, _)| c == id) {
            Some((_, p)) => *p,
            None => BUILT_IN_PERCENT.contains(id),
        })
        .collect();
    Ok(NumberFormats { percent })
}

#[cfg(test)]
mod tests {
    use super::*;

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
