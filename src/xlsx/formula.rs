//! Reading Excel formulas well enough to recognise a weighted-score formula and rewrite the one
//! token that hard-codes the scale maximum. The parser covers Excel's expression grammar
//! (operators, precedence, functions, references, names, strings); rewriting replaces the token's
//! text in place, so the rest of the formula stays exactly as the buyer wrote it.

use std::ops::Range;

use crate::xlsx::cellref::CellRef;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    /// A cell or range reference, possibly sheet-qualified: the text without `$`.
    Ref {
        sheet: Option<String>,
        cell: String,
    },
    Name(String),
    Func(String),
    Op(String),
    LParen,
    RParen,
    Comma,
    Error(String),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    span: Range<usize>,
}

fn tokenize(f: &str) -> Result<Vec<Token>, String> {
    let b = f.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i] as char;
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let tok = if c.is_ascii_digit() || (c == '.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            if i < b.len() && (b[i] == b'e' || b[i] == b'E') && b.get(i + 1).is_some_and(|x| x.is_ascii_digit() || *x == b'+' || *x == b'-')
            {
                i += 2;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            Tok::Num(f[start..i].parse().map_err(|_| format!("bad number '{}'", &f[start..i]))?)
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                match b.get(i) {
                    None => return Err("unclosed string".into()),
                    Some(b'"') if b.get(i + 1) == Some(&b'"') => {
                        s.push('"');
                        i += 2;
                    }
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => {
                        let ch = f[i..].chars().next().expect("in bounds");
                        s.push(ch);
                        i += ch.len_utf8();
                    }
                }
            }
            Tok::Str(s)
        } else if c == '#' {
            while i < b.len() && !matches!(b[i], b',' | b')' | b' ') {
                i += 1;
            }
            Tok::Error(f[start..i].to_string())
        } else if c == '\'' {
            // 'Sheet name'!A1
            i += 1;
            let mut sheet = String::new();
            loop {
                match b.get(i) {
                    None => return Err("unclosed sheet name".into()),
                    Some(b'\'') if b.get(i + 1) == Some(&b'\'') => {
                        sheet.push('\'');
                        i += 2;
                    }
                    Some(b'\'') => {
                        i += 1;
                        break;
                    }
                    Some(_) => {
                        let ch = f[i..].chars().next().expect("in bounds");
                        sheet.push(ch);
                        i += ch.len_utf8();
                    }
                }
            }
            if b.get(i) != Some(&b'!') {
                return Err("a quoted sheet name must be followed by !".into());
            }
            i += 1;
            let cell_start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'$' || b[i] == b':') {
                i += 1;
            }
            Tok::Ref { sheet: Some(sheet), cell: f[cell_start..i].replace('$', "") }
        } else if c.is_alphabetic() || c == '_' || c == '\\' || c == '$' {
            while i < b.len() {
                let ch = f[i..].chars().next().expect("in bounds");
                if ch.is_alphanumeric() || matches!(ch, '_' | '.' | '$' | '\\' | '?') {
                    i += ch.len_utf8();
                } else {
                    break;
                }
            }
            let word = &f[start..i];
            if b.get(i) == Some(&b'!') {
                i += 1;
                let cell_start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'$' || b[i] == b':') {
                    i += 1;
                }
                Tok::Ref { sheet: Some(word.to_string()), cell: f[cell_start..i].replace('$', "") }
            } else if b.get(i) == Some(&b'(') {
                Tok::Func(word.to_ascii_uppercase())
            } else if b.get(i) == Some(&b':') {
                // A range: A1:B2
                i += 1;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'$') {
                    i += 1;
                }
                Tok::Ref { sheet: None, cell: f[start..i].replace('$', "") }
            } else if CellRef::parse(word).is_some() {
                Tok::Ref { sheet: None, cell: word.replace('$', "") }
            } else if word.eq_ignore_ascii_case("TRUE") || word.eq_ignore_ascii_case("FALSE") {
                Tok::Name(word.to_ascii_uppercase())
            } else {
                Tok::Name(word.to_string())
            }
        } else {
            i += 1;
            match c {
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                ',' | ';' => Tok::Comma,
                '<' | '>' if matches!(b.get(i), Some(b'=') | Some(b'>')) => {
                    i += 1;
                    Tok::Op(f[start..i].to_string())
                }
                '+' | '-' | '*' | '/' | '^' | '&' | '=' | '<' | '>' | '%' => Tok::Op(c.to_string()),
                other => return Err(format!("unexpected '{other}'")),
            }
        };
        out.push(Token { tok, span: start..i });
    }
    Ok(out)
}

/// A parsed formula. Literals keep their token's span in the formula text.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Num { value: f64, span: Range<usize> },
    Str(String),
    Ref { sheet: Option<String>, cell: String },
    Name(String),
    Error(String),
    Call(String, Vec<Expr>),
    Unary(String, Box<Expr>),
    Binary(String, Box<Expr>, Box<Expr>),
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    fn op(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn binary(&mut self, level: usize) -> Result<Expr, String> {
        const LEVELS: [&[&str]; 5] = [&["=", "<>", "<", ">", "<=", ">="], &["&"], &["+", "-"], &["*", "/"], &["^"]];
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        while let Some(op) = self.op().filter(|o| LEVELS[level].contains(o)).map(str::to_owned) {
            self.pos += 1;
            let right = self.binary(level + 1)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if let Some(op) = self.op().filter(|o| *o == "-" || *o == "+").map(str::to_owned) {
            self.pos += 1;
            return Ok(Expr::Unary(op, Box::new(self.unary()?)));
        }
        let mut e = self.primary()?;
        while self.op() == Some("%") {
            self.pos += 1;
            e = Expr::Unary("%".into(), Box::new(e));
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let t = self.toks.get(self.pos).cloned().ok_or("the formula ends too early")?;
        self.pos += 1;
        Ok(match t.tok {
            Tok::Num(value) => Expr::Num { value, span: t.span },
            Tok::Str(s) => Expr::Str(s),
            Tok::Ref { sheet, cell } => Expr::Ref { sheet, cell },
            Tok::Name(n) => Expr::Name(n),
            Tok::Error(e) => Expr::Error(e),
            Tok::LParen => {
                let e = self.binary(0)?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err("a '(' is not closed".into());
                }
                self.pos += 1;
                e
            }
            Tok::Func(name) => {
                self.pos += 1; // the '('
                let mut args = Vec::new();
                if self.peek() == Some(&Tok::RParen) {
                    self.pos += 1;
                } else {
                    loop {
                        args.push(if matches!(self.peek(), Some(Tok::Comma) | Some(Tok::RParen)) {
                            Expr::Str(String::new())
                        } else {
                            self.binary(0)?
                        });
                        match self.peek() {
                            Some(Tok::Comma) => self.pos += 1,
                            Some(Tok::RParen) => {
                                self.pos += 1;
                                break;
                            }
                            _ => return Err(format!("{name}( is not closed")),
                        }
                    }
                }
                Expr::Call(name, args)
            }
            other => return Err(format!("unexpected {other:?}")),
        })
    }
}

/// Parses a formula (with or without its leading `=`).
pub fn parse(formula: &str) -> Result<Expr, String> {
    let body = formula.strip_prefix('=').unwrap_or(formula);
    let offset = formula.len() - body.len();
    let mut toks = tokenize(body)?;
    for t in &mut toks {
        t.span = t.span.start + offset..t.span.end + offset;
    }
    let mut p = Parser { toks, pos: 0 };
    let e = p.binary(0)?;
    if p.pos != p.toks.len() {
        return Err("unexpected text after the end of the formula".into());
    }
    Ok(e)
}

/// What a weighted-score formula does with the scale maximum.
#[derive(Clone, Debug, PartialEq)]
pub enum WeightedFormula {
    /// Divides the score by a named maximum (`ScaleMax`): nothing to rewrite.
    Named(String),
    /// Divides the score by a literal maximum, at `span` in the formula text.
    Literal { max: f64, span: Range<usize> },
    /// Anything else, with the reason.
    NotUnderstood(String),
}

fn is_cell(e: &Expr, at: CellRef) -> bool {
    matches!(e, Expr::Ref { sheet: None, cell } if CellRef::parse(cell) == Some(at))
}

/// `IF(E5="","",X)`, `IF(ISBLANK(E5),"",X)`, `IF(E5<>"",X,"")` and the like: the X that
/// computes the weighted score, and whether the IF guards the score cell.
fn unwrap_blank_guard(e: &Expr, score: CellRef) -> &Expr {
    let Expr::Call(name, args) = e else { return e };
    if name != "IF" || args.len() != 3 {
        return e;
    }
    let blank = |x: &Expr| matches!(x, Expr::Str(s) if s.is_empty());
    let tests_score = |c: &Expr| match c {
        Expr::Binary(op, l, r) if op == "=" || op == "<>" => (is_cell(l, score) && blank(r)) || (is_cell(r, score) && blank(l)),
        Expr::Call(f, a) if f == "ISBLANK" || f == "ISNUMBER" => a.len() == 1 && is_cell(&a[0], score),
        _ => false,
    };
    let negated = match &args[0] {
        Expr::Binary(op, ..) => op == "<>",
        Expr::Call(f, _) => f == "ISNUMBER",
        _ => false,
    };
    if !tests_score(&args[0]) {
        return e;
    }
    match (negated, blank(&args[1]), blank(&args[2])) {
        (false, true, _) => &args[2],
        (true, _, true) => &args[1],
        _ => e,
    }
}

/// Flattens a product/quotient into (divides?, factor) pairs: `E5/4*D5` -> [(no, E5), (yes, 4), (no, D5)].
fn factors<'a>(e: &'a Expr, divide: bool, out: &mut Vec<(bool, &'a Expr)>) {
    match e {
        Expr::Binary(op, l, r) if op == "*" => {
            factors(l, divide, out);
            factors(r, divide, out);
        }
        Expr::Binary(op, l, r) if op == "/" => {
            factors(l, divide, out);
            factors(r, !divide, out);
        }
        other => out.push((divide, other)),
    }
}

/// Recognises a weighted-score formula for the score in `score` on a scale whose maximum is
/// `max`: the score times weights, divided by the maximum (named or literal), optionally inside a
/// blank-score guard.
pub fn recognise_weighted(formula: &str, score: CellRef, max: f64) -> WeightedFormula {
    let not = |why: String| WeightedFormula::NotUnderstood(why);
    let e = match parse(formula) {
        Ok(e) => e,
        Err(why) => return not(format!("the formula cannot be read ({why})")),
    };
    let body = unwrap_blank_guard(&e, score);
    let mut fs = Vec::new();
    factors(body, false, &mut fs);
    if let Some((_, other)) = fs.iter().find(|(_, f)| !matches!(f, Expr::Num { .. } | Expr::Ref { .. } | Expr::Name(_))) {
        return not(format!(
            "it is not just the score multiplied by weights and divided by the scale maximum (it has {})",
            describe(other)
        ));
    }
    let score_at: Vec<usize> = fs.iter().enumerate().filter(|(_, (d, f))| !d && is_cell(f, score)).map(|(i, _)| i).collect();
    if score_at.len() != 1 || fs.iter().any(|(d, f)| *d && is_cell(f, score)) {
        return not(format!("it does not multiply the score in {score} exactly once"));
    }
    if let Some((_, Expr::Name(n))) = fs.iter().find(|(d, f)| {
        *d && matches!(f, Expr::Name(n) if n.to_ascii_lowercase().contains("scale") || n.to_ascii_lowercase().contains("max"))
    }) {
        return WeightedFormula::Named(n.clone());
    }
    let divisors: Vec<(usize, f64, Range<usize>)> = fs
        .iter()
        .enumerate()
        .filter_map(|(i, (d, f))| match f {
            Expr::Num { value, span } if *d => Some((i, *value, span.clone())),
            _ => None,
        })
        .collect();
    let matching: Vec<&(usize, f64, Range<usize>)> = divisors.iter().filter(|(_, v, _)| (v - max).abs() < 1e-9).collect();
    let chosen = match matching.as_slice() {
        [one] => Some(*one),
        // Two literals equal to the maximum (say /100 on a 0-100 scale and /100 for a
        // percentage weight): the one straight after the score is the scale's.
        [..] if matching.len() > 1 => matching.iter().find(|(i, ..)| *i == score_at[0] + 1).copied(),
        _ => None,
    };
    match chosen {
        Some((_, value, span)) => WeightedFormula::Literal { max: *value, span: span.clone() },
        None if divisors.is_empty() => not(format!("it does not divide by the scale maximum ({})", crate::domain::scale::fmt_number(max))),
        None => not(format!(
            "it divides by {} but the scale maximum is {}",
            divisors.iter().map(|d| crate::domain::scale::fmt_number(d.1)).collect::<Vec<_>>().join(" and "),
            crate::domain::scale::fmt_number(max)
        )),
    }
}

fn describe(e: &Expr) -> String {
    match e {
        Expr::Call(name, _) => format!("a {name}() call"),
        Expr::Binary(op, ..) => format!("a '{op}'"),
        Expr::Unary(op, _) => format!("a '{op}'"),
        Expr::Str(_) => "text".into(),
        Expr::Error(e) => format!("the error {e}"),
        _ => "something else".into(),
    }
}

/// The formula with the literal at `span` replaced by `name`.
pub fn replace_span(formula: &str, span: &Range<usize>, name: &str) -> String {
    format!("{}{}{}", &formula[..span.start], name, &formula[span.end..])
}

/// Whether `formula` refers to the cell `at` of its own sheet, alone or within a range
/// (`PRODUCT(B3,C3)` and `SUM(C1:C9)` refer to C3; `Other!C3` does not).
pub fn refers_to(formula: &str, at: CellRef) -> bool {
    tokenize(formula).is_ok_and(|toks| {
        toks.iter().any(|t| match &t.tok {
            Tok::Ref { sheet: None, cell } => {
                let cell = cell.to_ascii_uppercase();
                CellRef::parse(&cell).is_some_and(|c| c == at) || crate::xlsx::cellref::CellRange::parse(&cell).is_some_and(|r| r.contains(at))
            }
            _ => false,
        })
    })
}

/// A shared formula as one of its followers reads it: the master's formula with every relative
/// reference moved by the follower's offset (`$` parts stay). `None` where a reference would leave
/// the sheet or the formula cannot be read.
pub fn shifted(formula: &str, rows: i64, cols: i64) -> Option<String> {
    let toks = tokenize(formula).ok()?;
    let mut out = formula.to_string();
    for t in toks.iter().rev() {
        if !matches!(t.tok, Tok::Ref { .. }) {
            continue;
        }
        let text = &formula[t.span.clone()];
        // The cell part follows the sheet's `!` (a quoted sheet name may hold anything else).
        let cells_at = text.rfind('!').map_or(0, |i| i + 1);
        let moved: Option<Vec<String>> = text[cells_at..].split(':').map(|p| shift_part(p, rows, cols)).collect();
        out.replace_range(t.span.start + cells_at..t.span.end, &moved?.join(":"));
    }
    Some(out)
}

/// One end of a reference (`B3`, `$B3`, `B$3`, a whole column `B` or row `3`) moved.
fn shift_part(part: &str, rows: i64, cols: i64) -> Option<String> {
    let (col_abs, rest) = part.strip_prefix('$').map_or((false, part), |r| (true, r));
    let letters = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, rest) = rest.split_at(letters);
    let (row_abs, row) = rest.strip_prefix('$').map_or((false, rest), |r| (true, r));
    let mut out = String::new();
    if !col.is_empty() {
        let c = crate::xlsx::cellref::parse_col(col)? as i64 + if col_abs { 0 } else { cols };
        out.push_str(if col_abs { "$" } else { "" });
        out.push_str(&crate::xlsx::cellref::col_name(u32::try_from(c).ok().filter(|&c| (1..=16_384).contains(&c))?));
    }
    if !row.is_empty() {
        let r = row.parse::<i64>().ok()? + if row_abs { 0 } else { rows };
        out.push_str(if row_abs { "$" } else { "" });
        out.push_str(&u32::try_from(r).ok().filter(|&r| (1..=1_048_576).contains(&r))?.to_string());
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(c: &str) -> CellRef {
        CellRef::parse(c).unwrap()
    }

    fn rewrite(f: &str, score: &str, max: f64) -> Result<String, String> {
        match recognise_weighted(f, at(score), max) {
            WeightedFormula::Literal { span, .. } => Ok(replace_span(f, &span, "ScaleMax")),
            WeightedFormula::Named(n) => Ok(format!("named {n}")),
            WeightedFormula::NotUnderstood(why) => Err(why),
        }
    }

    #[test]
    fn the_common_hard_coded_forms_are_rewritten() {
        assert_eq!(rewrite("E5/4*D5", "E5", 4.0).unwrap(), "E5/ScaleMax*D5");
        assert_eq!(rewrite("=E5/4*D5", "E5", 4.0).unwrap(), "=E5/ScaleMax*D5");
        assert_eq!(rewrite("IF(E5=\"\",\"\",E5/4*$D5)", "E5", 4.0).unwrap(), "IF(E5=\"\",\"\",E5/ScaleMax*$D5)");
        assert_eq!(rewrite("(E5/4)*D5", "E5", 4.0).unwrap(), "(E5/ScaleMax)*D5");
        assert_eq!(rewrite("E5*D5/4", "E5", 4.0).unwrap(), "E5*D5/ScaleMax");
        assert_eq!(rewrite("$E$5 * $D$5 / 4", "E5", 4.0).unwrap(), "$E$5 * $D$5 / ScaleMax");
        assert_eq!(rewrite("E7/4*$D7*$C$6/100", "E7", 4.0).unwrap(), "E7/ScaleMax*$D7*$C$6/100");
        assert_eq!(rewrite("IF(ISBLANK(E5),\"\",E5*D5/4)", "E5", 4.0).unwrap(), "IF(ISBLANK(E5),\"\",E5*D5/ScaleMax)");
        assert_eq!(rewrite("IF(E5<>\"\",E5/4*D5,\"\")", "E5", 4.0).unwrap(), "IF(E5<>\"\",E5/ScaleMax*D5,\"\")");
        // On a 0-100 scale with a percentage weight, the /100 after the score is the scale's.
        assert_eq!(rewrite("E5/100*D5*C5/100", "E5", 100.0).unwrap(), "E5/ScaleMax*D5*C5/100");
    }

    #[test]
    fn a_named_maximum_needs_nothing() {
        assert_eq!(rewrite("IF(G4=\"\",\"\",G4/ScaleMax*$F4)", "G4", 4.0).unwrap(), "named ScaleMax");
    }

    #[test]
    fn other_formulas_are_not_understood_and_say_why() {
        let why = |f: &str| rewrite(f, "E5", 4.0).unwrap_err();
        assert!(why("VLOOKUP(E5,Scale!A1:B5,2,FALSE)*D5").contains("VLOOKUP"));
        assert!(why("E5/5*D5").contains("divides by 5 but the scale maximum is 4"));
        assert!(why("E5*D5").contains("does not divide by the scale maximum"));
        assert!(why("F5/4*D5").contains("does not multiply the score in E5"));
        assert!(why("(E5+1)/4*D5").contains("'+'"));
        assert!(why("E5/4*(D5").contains("cannot be read"));
    }

    #[test]
    fn a_reference_is_found_alone_or_in_a_range_of_its_own_sheet() {
        assert!(refers_to("PRODUCT(B3,C3)", at("C3")));
        assert!(refers_to("SUM($c$1:$C$9)*2", at("C3")));
        assert!(!refers_to("Other!C3+C30", at("C3")));
        assert!(!refers_to("\"C3\"&B3", at("C3")));
    }

    #[test]
    fn a_shared_formula_moves_its_relative_references() {
        assert_eq!(shifted("PRODUCT(B5,C5)", 3, 0).as_deref(), Some("PRODUCT(B8,C8)"));
        assert_eq!(shifted("D5*$C5/4+SUM($D$5:D5)", 2, 2).as_deref(), Some("F7*$C7/4+SUM($D$5:F7)"));
        assert_eq!(shifted("'Price sheet'!B2+Lösungen!C3", 1, 1).as_deref(), Some("'Price sheet'!C3+Lösungen!D4"));
        assert_eq!(shifted("SUM(B:B)+\"A1\"", 0, 1).as_deref(), Some("SUM(C:C)+\"A1\""));
        assert_eq!(shifted("A1", -1, 0), None);
    }

    #[test]
    fn the_parser_handles_excel_syntax() {
        for f in [
            "SUM(A1:B2)*2%",
            "'My sheet'!$A$1&\" \"&Other!B2",
            "IF(AND(A1>=1,A1<>\"x\"),-A1^2,#N/A)",
            "SUMPRODUCT(--(ROUND($E$4:$E$7,6)>ROUND(E4,6)))+1",
            "MIN($E$4:$E$7)/E4*PriceWeight",
            "IF(A1,,1)",
        ] {
            parse(f).unwrap_or_else(|e| panic!("{f}: {e}"));
        }
        assert!(parse("1+").is_err());
        assert!(parse("\"open").is_err());
    }
}
