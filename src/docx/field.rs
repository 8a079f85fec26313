//! Word's field language: a MERGEFIELD's instruction and switches, Word's date and number
//! pictures, and the comparison an IF field makes. No template or part handling here
//! ([`super::merge`] does that).

/// A field switch tenderkit honours.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Switch {
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
pub(crate) struct Instruction {
    pub(crate) name: String,
    pub(crate) switches: Vec<Switch>,
}

/// The words of a field instruction; quoted text is one word, without its quotes.
pub(crate) fn instruction_words(instr: &str) -> Vec<(String, bool)> {
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
pub(crate) fn parse_instruction(instr: &str) -> Option<Instruction> {
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
pub(crate) fn date_picture(picture: &str) -> String {
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
pub(crate) fn tag(path: &str, switches: &[Switch]) -> String {
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

/// The most decimal places a number picture may ask for: a double holds 15 significant digits,
/// so more would print digits the figure does not have (and 309 or more made `10^n` infinite,
/// printing "NaN").
pub const MAX_DECIMALS: usize = 15;

/// The picture's parts: text before, the digits, text after, and its decimal places.
fn picture_parts(pic: &str) -> (&str, &str, &str, usize) {
    let first = pic.find(['#', '0']).unwrap_or(pic.len());
    let last = pic.rfind(['#', '0']).map_or(first, |i| i + 1);
    let body = &pic[first..last];
    let decimals = body.split_once('.').map_or(0, |(_, d)| d.chars().filter(|c| *c == '0' || *c == '#').count());
    (&pic[..first], body, &pic[last..], decimals)
}

/// Why a number picture cannot be used, if it cannot.
pub fn picture_problem(pic: &str) -> Option<String> {
    let (_, _, _, decimals) = picture_parts(pic);
    (decimals > MAX_DECIMALS).then(|| {
        format!("the number picture '{pic}' asks for {decimals} decimal places; at most {MAX_DECIMALS} (the digits a figure holds)")
    })
}

/// A number by a Word number picture: `£#,##0.00` gives £1,234.50; `0.0%` 12.5%; `#,##0` 1,235.
/// An error for a picture [`picture_problem`] refuses and for a figure that is not finite.
pub fn picture(n: f64, pic: &str) -> Result<String, String> {
    if let Some(problem) = picture_problem(pic) {
        return Err(problem);
    }
    let (prefix, body, suffix, decimals) = picture_parts(pic);
    let grouped = body.split('.').next().unwrap_or("").contains(',');
    let n = if suffix.contains('%') { n * 100.0 } else { n };
    if !n.is_finite() {
        return Err(format!("{n} is not a figure the picture '{pic}' can show"));
    }
    // Halves away from zero, as Word rounds (Rust's formatting would round them to even).
    let scale = 10f64.powi(decimals as i32);
    let scaled = n.abs() * scale;
    // Past 2^53 a double has no fraction left to round.
    let rounded = if scaled.is_finite() && scaled < 9.0e15 { scaled.round() / scale } else { n.abs() };
    let text = format!("{:.*}", decimals, rounded);
    let (whole, frac) = text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let whole = if grouped {
        let digits: Vec<char> = whole.chars().collect();
        let mut out = String::new();
        for (i, d) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(*d);
        }
        out
    } else {
        whole.to_string()
    };
    let sign = if n < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    Ok(match frac {
        Some(f) => format!("{sign}{prefix}{whole}.{f}{suffix}"),
        None => format!("{sign}{prefix}{whole}{suffix}"),
    })
}

/// An IF field's comparison operator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// The operators as Word writes them.
const OPS: &[(&str, Op)] = &[("=", Op::Eq), ("<>", Op::Ne), ("<=", Op::Le), (">=", Op::Ge), ("<", Op::Lt), (">", Op::Gt)];

impl Op {
    pub fn parse(word: &str) -> Option<Op> {
        OPS.iter().find(|(w, _)| *w == word).map(|(_, op)| *op)
    }

    pub fn as_str(self) -> &'static str {
        OPS.iter().find(|(_, op)| *op == self).map(|(w, _)| *w).expect("every operator is listed")
    }
}

/// One side of an IF's comparison, or one of its two texts: literal text with the places of the
/// fields nested in it (their numbers in the order met).
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    Text(String),
    Field(usize),
}

/// `IF expression1 operator expression2 "true text" "false text"`, its parts split out.
#[derive(Clone, Debug, PartialEq)]
pub struct IfField {
    pub left: Vec<Piece>,
    pub op: Op,
    pub right: Vec<Piece>,
    pub then: Vec<Piece>,
    pub otherwise: Vec<Piece>,
}

/// Where a nested field stands in an instruction being read: private-use characters around its
/// number, which no instruction typed in Word holds.
pub fn placeholder(n: usize) -> String {
    format!("\u{E000}{n}\u{E001}")
}

fn pieces(word: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = word;
    while let Some(at) = rest.find('\u{E000}') {
        if at > 0 {
            out.push(Piece::Text(rest[..at].to_string()));
        }
        let after = &rest[at + '\u{E000}'.len_utf8()..];
        let end = after.find('\u{E001}').unwrap_or(after.len());
        out.push(Piece::Field(after[..end].parse().unwrap_or(usize::MAX)));
        rest = after.get(end + '\u{E001}'.len_utf8()..).unwrap_or("");
    }
    if !rest.is_empty() || out.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    out
}

/// Reads an IF instruction (nested fields as [`placeholder`]s). `Ok(None)` for another field;
/// an error for an IF whose form tenderkit does not evaluate.
pub fn parse_if(instr: &str) -> Result<Option<IfField>, String> {
    let words = instruction_words(instr);
    match words.first() {
        Some((w, false)) if w.eq_ignore_ascii_case("IF") => {}
        _ => return Ok(None),
    }
    // Switches after the texts (\* MERGEFORMAT) change only the result's formatting.
    let end = words.iter().position(|(w, quoted)| !quoted && w.starts_with('\\')).unwrap_or(words.len());
    let words = &words[1..end];
    let form =
        "tenderkit fills IF fields of the form IF value operator value \"text if true\" \"text if false\" (operators = <> < <= > >=)";
    let (Some((left, _)), Some((op, false)), Some((right, _))) = (words.first(), words.get(1), words.get(2)) else {
        return Err(form.to_string());
    };
    let Some(op) = Op::parse(op) else {
        return Err(format!("'{op}' is not a comparison; {form}"));
    };
    if words.len() > 5 {
        return Err(format!("more than two texts after the comparison; {form}"));
    }
    let text = |i: usize| words.get(i).map(|(w, _)| pieces(w)).unwrap_or_else(|| vec![Piece::Text(String::new())]);
    Ok(Some(IfField { left: pieces(left), op, right: pieces(right), then: text(3), otherwise: text(4) }))
}

/// A value as Word's IF sees it: a number when the whole text is one.
fn as_number(v: &str) -> Option<f64> {
    let t = v.trim();
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Word's `?` (one character) and `*` (any run) in the right side of `=` and `<>`.
fn wildcard(text: &[char], pattern: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => (0..=text.len()).any(|i| wildcard(&text[i..], rest)),
        Some(('?', rest)) => !text.is_empty() && wildcard(&text[1..], rest),
        Some((c, rest)) => text.first() == Some(c) && wildcard(&text[1..], rest),
    }
}

/// Word's IF comparison: as numbers when both sides are numbers, else as text (case-sensitive,
/// with wildcards in the right side of `=` and `<>`).
pub fn compare(left: &str, op: Op, right: &str) -> bool {
    use std::cmp::Ordering;
    let order = match (as_number(left), as_number(right)) {
        (Some(a), Some(b)) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
        _ => {
            if matches!(op, Op::Eq | Op::Ne) && right.contains(['*', '?']) {
                // Bounded: a pattern of at most 64 wildcards, a value of at most 4096 characters.
                let text: Vec<char> = left.chars().take(4096).collect();
                let pattern: Vec<char> = right.chars().take(256).collect();
                let matched = pattern.iter().filter(|c| **c == '*').count() <= 64 && wildcard(&text, &pattern);
                return matched == (op == Op::Eq);
            }
            left.cmp(right)
        }
    };
    match op {
        Op::Eq => order == Ordering::Equal,
        Op::Ne => order != Ordering::Equal,
        Op::Lt => order == Ordering::Less,
        Op::Le => order != Ordering::Greater,
        Op::Gt => order == Ordering::Greater,
        Op::Ge => order != Ordering::Less,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(picture(1234.5, "£#,##0.00").unwrap(), "£1,234.50");
        assert_eq!(picture(1234.5, "#,##0").unwrap(), "1,235");
        assert_eq!(picture(0.125, "0.0%").unwrap(), "12.5%");
        assert_eq!(picture(88.0625, "0.00").unwrap(), "88.06");
        assert_eq!(picture(-50.0, "£#,##0.00").unwrap(), "-£50.00");
        assert_eq!(picture(5_100_000.0, "£#,##0").unwrap(), "£5,100,000");
        assert_eq!(picture(1e300, "0.00").unwrap().len(), 304);
    }

    #[test]
    fn a_picture_of_more_decimals_than_a_figure_holds_is_refused_not_nan() {
        let pic = format!("0.{}", "0".repeat(309));
        let e = picture(88.06, &pic).unwrap_err();
        assert!(e.contains("309 decimal places") && e.contains("at most 15"), "{e}");
        assert_eq!(picture(1.0 / 3.0, &format!("0.{}", "0".repeat(15))).unwrap(), "0.333333333333333");
        assert!(picture(f64::NAN, "0.00").is_err());
        assert!(picture(f64::INFINITY, "0").is_err());
    }

    #[test]
    fn if_fields_compare_as_word_does() {
        assert!(compare("88.06", Op::Gt, "80"));
        assert!(!compare("9", Op::Gt, "80"), "numbers, not text: 9 < 80");
        assert!(compare("Acme Ltd", Op::Eq, "Acme*"));
        assert!(compare("Acme", Op::Ne, "B?me"));
        assert!(!compare("acme", Op::Eq, "Acme"), "case-sensitive");
        assert!(compare("Pass", Op::Eq, "Pass") && compare("", Op::Eq, ""));
        assert!(compare("apple", Op::Lt, "banana") && compare("3", Op::Le, "3.0"));
        let f = parse_if(&format!(" IF {} > 80 \"HIGH SCORE\" \"LOW SCORE\" \\* MERGEFORMAT ", placeholder(0))).unwrap().unwrap();
        assert_eq!(f.left, vec![Piece::Field(0)]);
        assert_eq!(f.op, Op::Gt);
        assert_eq!(f.right, vec![Piece::Text("80".into())]);
        assert_eq!(f.then, vec![Piece::Text("HIGH SCORE".into())]);
        let f = parse_if(&format!("IF \"{}\" = \"Yes\" \"Dear {}\" \"\"", placeholder(0), placeholder(1))).unwrap().unwrap();
        assert_eq!(f.then, vec![Piece::Text("Dear ".into()), Piece::Field(1)]);
        assert!(parse_if(" PAGE ").unwrap().is_none());
        assert!(parse_if(" IF x ~ 3 \"a\" \"b\" ").unwrap_err().contains("not a comparison"));
    }
}
