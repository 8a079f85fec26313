//! Numbers typed as text. Sheets imported from other systems hold amounts such as "£1,234.50",
//! "$9,310,111.00*" or "3,50,00,000" as text. Where removing currency signs, thousands separators,
//! spaces and a trailing footnote mark leaves exactly one reading, that number is read (and the
//! caller says so in a warning); anything that could be read two ways is left as text, to be
//! reported as an error.

/// Currency signs and codes that may lead or trail an amount.
const CURRENCY: [&str; 9] = ["£", "$", "€", "¥", "GBP", "USD", "EUR", "US$", "A$"];

/// Footnote marks that may trail an amount ("$9,310,111.00*").
const FOOTNOTE: [char; 5] = ['*', '†', '‡', '§', '¹'];

/// The number `text` unambiguously states, if it does. `percent` is set when it ends in `%`
/// ("20%" reads as 20, and the caller knows it was written as a percentage).
pub fn read(text: &str) -> Option<TypedNumber> {
    let mut t = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
    while let Some(rest) = t.strip_suffix(FOOTNOTE) {
        t = rest.trim_end();
    }
    let negative = t.starts_with('-') || t.starts_with('\u{2212}');
    if negative {
        t = t.trim_start_matches(['-', '\u{2212}']).trim_start();
    }
    let percent = t.ends_with('%');
    t = t.trim_end_matches('%').trim_end();
    for c in CURRENCY {
        if let Some(rest) = t.strip_prefix(c) {
            t = rest.trim_start();
            break;
        }
        if let Some(rest) = t.strip_suffix(c) {
            t = rest.trim_end();
            break;
        }
    }
    // A sign may also follow the currency: "£-50".
    let negative = negative || t.starts_with('-');
    let t = t.trim_start_matches('-');
    let digits: String = t.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}')).collect();
    let value = plain_number(&digits)?;
    let value = if negative { -value } else { value };
    value.is_finite().then_some(TypedNumber { value, percent })
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TypedNumber {
    pub value: f64,
    pub percent: bool,
}

/// Digits with `,` as a thousands separator (any grouping, as Indian lakhs "3,50,00,000" use) and
/// `.` as the decimal point. A comma group of other than three digits at the end ("12,50"),
/// or a comma after the point, could be a decimal comma: not read.
fn plain_number(s: &str) -> Option<f64> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') {
        return None;
    }
    let (whole, fraction) = match s.split_once('.') {
        Some((w, f)) if !f.contains(['.', ',']) && !f.is_empty() => (w, Some(f)),
        Some(_) => return None,
        None => (s, None),
    };
    if whole.is_empty() {
        return None;
    }
    let groups: Vec<&str> = whole.split(',').collect();
    if groups.len() > 1 {
        let last_ok = groups.last().is_some_and(|g| g.len() == 3);
        let inner_ok = groups[1..groups.len() - 1].iter().all(|g| g.len() == 2 || g.len() == 3);
        if !last_ok || !inner_ok || groups[0].is_empty() || groups[0].len() > 3 {
            return None;
        }
    }
    let joined: String = groups.concat();
    let text = match fraction {
        Some(f) => format!("{joined}.{f}"),
        None => joined,
    };
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(t: &str) -> Option<f64> {
        read(t).map(|n| n.value)
    }

    #[test]
    fn unambiguous_amounts_are_read() {
        assert_eq!(value("£1,234.50"), Some(1234.5));
        assert_eq!(value("$9,310,111.00*"), Some(9_310_111.0));
        assert_eq!(value("3,50,00,000"), Some(35_000_000.0));
        assert_eq!(value("150   "), Some(150.0));
        assert_eq!(value(" 1 234 567 "), Some(1_234_567.0));
        assert_eq!(value("-£50"), Some(-50.0));
        assert_eq!(value("£-50.25"), Some(-50.25));
        assert_eq!(value("GBP 2,000"), Some(2000.0));
        assert_eq!(value("2,000 EUR"), Some(2000.0));
        assert_eq!(value("0.5"), Some(0.5));
        assert_eq!(read("20%"), Some(TypedNumber { value: 20.0, percent: true }));
        assert_eq!(read("12.5 %"), Some(TypedNumber { value: 12.5, percent: true }));
    }

    #[test]
    fn ambiguous_or_wordy_text_is_not() {
        for t in [
            "12,50",
            "1.234,50",
            "1,5",
            "1,2345",
            "n/a",
            "",
            "TBC",
            "£",
            "1.2.3",
            "1,234.5.6",
            ".5,000",
            "12,34,5",
            "1e5",
            "inf",
            "NaN",
            "3 or 4",
        ] {
            assert_eq!(value(t), None, "{t}");
        }
    }
}
