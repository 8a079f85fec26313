//! Text from templates: handlebars, strict (a field with no data is an error, never a blank),
//! no HTML escaping (the output is plain text, or escaped for XML by the document writer), and
//! the helpers buyers need: `money` (£1,234.56), `number` (12.5), `date` (23 November 2026).
//!
//! The bundled templates are compiled in; `--templates DIR` uses the buyer's edited copies of
//! the same files instead.

use std::path::{Path, PathBuf};

use handlebars::{Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderError, RenderErrorReason};
use serde::Serialize;

use crate::domain::money::fmt_money;
use crate::domain::scale::fmt_number;

/// The bundled templates: name and text.
pub const BUNDLED: &[(&str, &str)] = &[
    ("notice", include_str!("../templates/notice.txt.hbs")),
    ("tender-notice", include_str!("../templates/tender-notice.txt.hbs")),
    ("award-notice", include_str!("../templates/award-notice.txt.hbs")),
    ("award-criteria", include_str!("../templates/award-criteria.hbs")),
    ("exclusion-act", include_str!("../templates/exclusion-act.hbs")),
    ("exclusion-below-threshold", include_str!("../templates/exclusion-below-threshold.hbs")),
    ("exclusion-above-threshold", include_str!("../templates/exclusion-above-threshold.hbs")),
    ("spd/turnover", include_str!("../templates/spd/turnover.hbs")),
    ("spd/ratios", include_str!("../templates/spd/ratios.hbs")),
    ("spd/insurance", include_str!("../templates/spd/insurance.hbs")),
    ("spd/registers", include_str!("../templates/spd/registers.hbs")),
    ("spd/experience", include_str!("../templates/spd/experience.hbs")),
    ("spd/quality-management", include_str!("../templates/spd/quality-management.hbs")),
    ("spd/health-and-safety", include_str!("../templates/spd/health-and-safety.hbs")),
    ("spd/environmental-management", include_str!("../templates/spd/environmental-management.hbs")),
    ("spd/prompt-payment", include_str!("../templates/spd/prompt-payment.hbs")),
    ("spd/cyber", include_str!("../templates/spd/cyber.hbs")),
];

/// A template problem, located in its file.
#[derive(Debug, thiserror::Error)]
#[error("{template}: {detail}")]
pub struct TemplateError {
    pub template: String,
    pub detail: String,
}

impl TemplateError {
    pub fn from_render(name: &str, e: &RenderError) -> TemplateError {
        let at = e.line_no.map(|l| format!("line {l}: ")).unwrap_or_default();
        let detail = match e.reason() {
            RenderErrorReason::MissingVariable(Some(path)) => format!("the field '{path}' has no data"),
            other => other.to_string(),
        };
        TemplateError { template: name.to_string(), detail: format!("{at}{detail}") }
    }
}

pub struct Templates {
    hb: Handlebars<'static>,
    /// Where the buyer's templates come from, if not bundled.
    pub dir: Option<PathBuf>,
}

/// A helper's number: a number, or text holding one (letters carry figures as shown, "88.06").
fn number_arg(h: &Helper, name: &str) -> Result<f64, RenderError> {
    h.param(0)
        .and_then(|p| p.value().as_f64().or_else(|| p.value().as_str()?.trim().parse().ok()))
        .ok_or_else(|| RenderErrorReason::Other(format!("{name} needs a number, e.g. {{{{{name} amount}}}}")).into())
}

fn money(h: &Helper, _: &Handlebars, _: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    out.write(&fmt_money(number_arg(h, "money")?))?;
    Ok(())
}

fn number(h: &Helper, _: &Handlebars, _: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    out.write(&fmt_number(number_arg(h, "number")?))?;
    Ok(())
}

/// `{{date d}}` -> `23 November 2026`; `{{date d "%d/%m/%Y"}}` for another style.
fn date(h: &Helper, _: &Handlebars, _: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    let text = h
        .param(0)
        .and_then(|p| p.value().as_str())
        .ok_or_else(|| RenderErrorReason::Other("date needs a date such as 2026-11-23".into()))?;
    let d: chrono::NaiveDate =
        text.get(..10).unwrap_or(text).parse().map_err(|_| RenderErrorReason::Other(format!("'{text}' is not a date (YYYY-MM-DD)")))?;
    let style = h.param(1).and_then(|p| p.value().as_str()).unwrap_or("%-d %B %Y");
    // chrono panics when it displays a format it cannot read: check first.
    date_format(style).map_err(RenderErrorReason::Other)?;
    out.write(&d.format(style).to_string())?;
    Ok(())
}

/// Checks a date format (chrono's strftime codes: `%d/%m/%Y`, `%-d %B %Y`).
pub fn date_format(style: &str) -> Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    if StrftimeItems::new(style).any(|i| matches!(i, Item::Error)) {
        return Err(format!("'{style}' is not a date format (use codes such as %d, %-d, %B, %m, %Y)"));
    }
    Ok(())
}

/// Blocks nested deeper than this are refused: no letter needs it, and the template parser
/// recurses once per level.
pub const MAX_NESTING: usize = 50;
/// Sub-expressions `(lookup (lookup ...))` nested deeper than this are refused, for the same reason.
pub const MAX_SUBEXPRESSIONS: usize = 20;

/// Checks a template before handlebars reads it: nesting within the limits, no inline partials
/// or partial blocks (a partial that includes itself never ends), and every literal date format
/// valid. Problems come back with their line.
pub fn guard(template: &str) -> Result<(), String> {
    let mut depth = 0usize;
    let mut line = 1;
    let mut at = 0;
    while let Some(i) = template[at..].find("{{") {
        let start = at + i;
        line += template[at..start].matches('\n').count();
        let Some(j) = template[start..].find("}}") else { break };
        let end = start + j + 2;
        let inner = template[start..end].trim_start_matches('{').trim_end_matches('}').trim().trim_matches('~').trim();
        let here = |m: String| Err(format!("line {line}: {m}"));
        if inner.starts_with("#*") || inner.starts_with("#>") {
            return here("inline partials and partial blocks are not supported; write the text out in the template".into());
        }
        if inner.starts_with('#') || (inner.starts_with('^') && inner.len() > 1) {
            depth += 1;
            if depth > MAX_NESTING {
                return here(format!("blocks are nested more than {MAX_NESTING} deep"));
            }
        } else if inner.starts_with('/') {
            depth = depth.saturating_sub(1);
        }
        let mut parens = 0usize;
        for c in inner.chars() {
            match c {
                '(' => {
                    parens += 1;
                    if parens > MAX_SUBEXPRESSIONS {
                        return here(format!("sub-expressions are nested more than {MAX_SUBEXPRESSIONS} deep"));
                    }
                }
                ')' => parens = parens.saturating_sub(1),
                _ => {}
            }
        }
        let ws = words(inner);
        if ws.first().map(String::as_str) == Some("date")
            && let Some(style) = ws.get(2).and_then(|w| w.strip_prefix('"').and_then(|w| w.strip_suffix('"')))
            && let Err(e) = date_format(style)
        {
            return here(e);
        }
        if ws.first().map(String::as_str) == Some("picture")
            && let Some(pic) = ws.get(2).and_then(|w| w.strip_prefix('"').and_then(|w| w.strip_suffix('"')))
            && let Some(e) = crate::docx::field::picture_problem(pic)
        {
            return here(e);
        }
        line += template[start..end].matches('\n').count();
        at = end;
    }
    Ok(())
}

/// Why a template could not be read, in the words `template check` uses: its located problems
/// (a block not closed, closed by the wrong tag, a helper that does not exist), or, where those
/// do not explain it, the parser's own message cut short (it may quote a whole document).
pub fn explain(tags: &[Tag], parse_error: &str) -> String {
    let hb = engine(handlebars::no_escape);
    let problems: Vec<String> = check(tags, &serde_json::Value::Null, &hb)
        .into_iter()
        .filter(|p| !p.message.contains("has no data"))
        .take(3)
        .map(|p| format!("{}: {}: {}", p.place, p.tag, p.message))
        .collect();
    if !problems.is_empty() {
        return problems.join("; ");
    }
    let first = parse_error.lines().next().unwrap_or(parse_error);
    if first.chars().count() > 200 { format!("{}...", first.chars().take(200).collect::<String>()) } else { first.to_string() }
}

/// docxtpl/Jinja syntax a buyer's template may carry, and what to write instead.
const FOREIGN_SYNTAX: &[(&str, &str)] = &[
    ("{%tr", "a row that repeats: {{#each list}} at the start of the row's first cell and {{/each}} at the end of its last"),
    ("{%p", "a paragraph that repeats or is left out: {{#each list}} or {{#if x}} alone in its own paragraph"),
    ("{%r", "inline: {{#if x}}...{{/if}} within the paragraph"),
    ("{%", "{{#if x}}...{{/if}}, {{#each list}}...{{/each}} ({% if %} and {% for %} are Jinja's)"),
    ("{{p ", "a block alone in its own paragraph ({{p ...}} is docxtpl's)"),
    ("{{r ", "the field itself, {{name}} ({{r ...}} is docxtpl's)"),
    ("{{tr ", "a row that repeats: {{#each list}} in the first cell, {{/each}} in the last"),
];

/// Another template language's syntax in `text` (docxtpl/Jinja), which tenderkit would leave
/// unfilled: what it is, and what to write instead.
pub fn foreign_syntax(text: &str) -> Option<(String, String)> {
    FOREIGN_SYNTAX.iter().find_map(|(syntax, instead)| {
        let at = text.find(syntax)?;
        let end = text[at..].find("}}").or_else(|| text[at..].find("%}")).map_or(text.len(), |e| at + e + 2);
        Some((text[at..text.ceil_char_boundary(end.min(text.len()))].to_string(), instead.to_string()))
    })
}

/// Registers a template after [`guard`] has passed it.
pub fn register(hb: &mut Handlebars<'static>, name: &str, template: &str) -> Result<(), String> {
    guard(template)?;
    hb.register_template_string(name, template).map_err(|e| e.to_string())
}

/// At most `width` characters of `text` around byte `at`, for showing where a tag is without
/// copying a whole (possibly huge) line for every tag in it.
pub fn excerpt(text: &str, at: usize, width: usize) -> String {
    let start = text.floor_char_boundary(at.saturating_sub(width / 2));
    let end = text.ceil_char_boundary((start + width).min(text.len()));
    let mut out = String::new();
    if start > 0 {
        out.push_str("...");
    }
    out.push_str(text[start..end].trim());
    if end < text.len() {
        out.push_str("...");
    }
    out
}

/// The helpers a template may use: handlebars' own and tenderkit's (the case and picture helpers
/// are what Word's field switches become).
pub const HELPERS: [&str; 26] = [
    "if", "unless", "each", "with", "lookup", "raw", "log", "eq", "ne", "gt", "gte", "lt", "lte", "and", "or", "not", "len", "money",
    "number", "date", "upper", "lower", "caps", "firstcap", "picture", "wordif",
];

/// A helper that changes a text's case: `{{upper bidder}}`.
fn case(change: fn(&str) -> String) -> impl handlebars::HelperDef + Send + Sync {
    move |h: &Helper, _: &Handlebars, _: &Context, _: &mut RenderContext, out: &mut dyn Output| -> HelperResult {
        let v = h.param(0).map(|p| p.value().clone()).unwrap_or(serde_json::Value::Null);
        let text = match &v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        };
        out.write(&change(&text))?;
        Ok(())
    }
}

/// Word's `\* Caps`: each word's first letter capital.
fn caps(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut start = true;
    for c in t.chars() {
        if start {
            out.extend(c.to_uppercase())
        } else {
            out.push(c)
        }
        start = c.is_whitespace();
    }
    out
}

/// Word's `\* FirstCap`: the first letter capital.
fn firstcap(t: &str) -> String {
    let mut chars = t.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `{{picture total "£#,##0.00"}}`: a number by a Word number picture.
fn picture(h: &Helper, _: &Handlebars, _: &Context, _: &mut RenderContext, out: &mut dyn Output) -> HelperResult {
    let n = number_arg(h, "picture")?;
    let pic = h.param(1).and_then(|p| p.value().as_str()).unwrap_or("0.00");
    out.write(&crate::docx::field::picture(n, pic).map_err(RenderErrorReason::Other)?)?;
    Ok(())
}

/// A merged value as Word's IF field reads it: text, a number's shortest form, nothing for null.
fn field_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

// `{{#if (wordif total ">" "80")}}`: the comparison of a Word IF field, made as Word makes it.
handlebars::handlebars_helper!(wordif: |left: Json, op: str, right: Json| {
    match crate::docx::field::Op::parse(op) {
        Some(op) => crate::docx::field::compare(&field_text(left), op, &field_text(right)),
        None => false,
    }
});

/// A handlebars engine with tenderkit's helpers, in strict mode, escaping values with `escape`
/// (none for plain text; XML for Word documents).
pub fn engine(escape: fn(&str) -> String) -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(escape);
    hb.register_helper("money", Box::new(money));
    hb.register_helper("number", Box::new(number));
    hb.register_helper("date", Box::new(date));
    hb.register_helper("upper", Box::new(case(|t| t.to_uppercase())));
    hb.register_helper("lower", Box::new(case(|t| t.to_lowercase())));
    hb.register_helper("caps", Box::new(case(caps)));
    hb.register_helper("firstcap", Box::new(case(firstcap)));
    hb.register_helper("picture", Box::new(picture));
    hb.register_helper("wordif", Box::new(wordif));
    hb
}

impl Templates {
    /// The bundled templates, or the buyer's from `dir` where a file of the same name is there.
    pub fn load(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut hb = engine(handlebars::no_escape);
        let mut texts: Vec<(&str, String)> = Vec::new();
        for (name, bundled) in BUNDLED {
            let own =
                dir.map(|d| d.join(format!("{name}{}", if name.ends_with("notice") { ".txt.hbs" } else { ".hbs" }))).filter(|p| p.exists());
            let text = match &own {
                Some(p) => {
                    std::fs::read_to_string(p).map_err(|e| TemplateError { template: p.display().to_string(), detail: e.to_string() })?
                }
                None => bundled.to_string(),
            };
            register(&mut hb, name, &text).map_err(|detail| TemplateError {
                template: own.map_or_else(|| format!("templates/{name}.hbs"), |p| p.display().to_string()),
                detail,
            })?;
            texts.push((name, text));
        }
        // A buyer's copy may include another template: a cycle of inclusions would never end.
        if let Some(cycle) = partial_cycle(&texts) {
            return Err(TemplateError { template: dir.map(|d| d.display().to_string()).unwrap_or_default(), detail: cycle });
        }
        Ok(Templates { hb, dir: dir.map(Path::to_path_buf) })
    }

    pub fn render<T: Serialize>(&self, name: &str, data: &T) -> Result<String, TemplateError> {
        self.hb.render(name, data).map_err(|e| TemplateError::from_render(name, &e))
    }

    /// Renders a template given as text (a buyer's own `.hbs` file).
    pub fn render_text<T: Serialize>(&self, name: &str, template: &str, data: &T) -> Result<String, TemplateError> {
        self.hb.render_template(template, data).map_err(|e| TemplateError::from_render(name, &e))
    }
}

/// A template that includes itself, directly or through others (`{{> notice}}` in a partial of
/// the notice), described; `None` when there is none. `texts` are the templates by name.
fn partial_cycle(texts: &[(&str, String)]) -> Option<String> {
    let includes = |name: &str| -> Vec<&str> {
        let Some((_, text)) = texts.iter().find(|(n, _)| *n == name) else { return Vec::new() };
        text.match_indices("{{>")
            .filter_map(|(i, _)| text[i + 3..].split(|c: char| c.is_whitespace() || c == '}').find(|w| !w.is_empty()))
            .collect()
    };
    fn visit<'a>(n: &'a str, path: &mut Vec<&'a str>, includes: &dyn Fn(&str) -> Vec<&'a str>) -> Option<String> {
        if path.contains(&n) {
            return Some(format!("the templates include each other in a circle: {} -> {n}", path.join(" -> ")));
        }
        path.push(n);
        for next in includes(n) {
            if let Some(c) = visit(next, path, includes) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    texts.iter().find_map(|(n, _)| visit(n, &mut Vec::new(), &|x| includes(x)))
}

/// Tidies rendered text: no trailing spaces, at most one blank line in a row, one final newline.
pub fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_and_strictness() {
        let t = Templates::load(None).unwrap();
        let data = serde_json::json!({"v": 1234.5, "d": "2026-11-23", "name": "A & B <x>"});
        assert_eq!(
            t.render_text("t", "{{money v}} {{number v}} {{date d}} {{date d \"%d/%m/%Y\"}} {{name}}", &data).unwrap(),
            "£1,234.50 1234.5 23 November 2026 23/11/2026 A & B <x>"
        );
        let e = t.render_text("letter.hbs", "Dear {{bidder.name}}", &data).unwrap_err();
        assert!(e.to_string().contains("the field 'bidder.name' has no data"), "{e}");
        assert!(t.render_text("t", "{{#if}}", &data).is_err());
    }

    #[test]
    fn word_if_comparisons_and_pictures_in_templates() {
        let t = Templates::load(None).unwrap();
        let data = serde_json::json!({"total": 88.06, "name": "Acme Ltd"});
        let r = |s: &str| t.render_text("t", s, &data);
        assert_eq!(r(r#"{{#if (wordif total ">" "80")}}high{{else}}low{{/if}}"#).unwrap(), "high");
        assert_eq!(r(r#"{{#if (wordif total "<=" "9")}}under{{else}}not{{/if}}"#).unwrap(), "not");
        assert_eq!(r(r#"{{#if (wordif name "=" "Acme*")}}yes{{/if}}"#).unwrap(), "yes");
        assert_eq!(r(r#"{{picture total "0.0"}}"#).unwrap(), "88.1");
        let many = format!("{{{{picture total \"0.{}\"}}}}", "0".repeat(400));
        assert!(guard(&many).unwrap_err().contains("400 decimal places"));
    }

    #[test]
    fn tidying() {
        assert_eq!(tidy("\n\na  \n\n\n\nb\n\n"), "a\n\nb\n");
    }
}

/// A tag found in a template, with where it is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tag {
    /// `document paragraph 12`, `line 4`.
    pub place: String,
    pub tag: String,
    /// The paragraph or line it is in.
    pub text: String,
}

/// A problem `template check` found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    pub place: String,
    pub tag: String,
    pub text: String,
    pub message: String,
}

/// The tags of a plain-text template, by line.
pub fn text_tags(template: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    for (n, line) in template.lines().enumerate() {
        let mut at = 0;
        while let Some(i) = line[at..].find("{{") {
            let start = at + i;
            let Some(j) = line[start..].find("}}") else { break };
            let end = start + j + 2;
            out.push(Tag { place: format!("line {}", n + 1), tag: line[start..end].to_string(), text: excerpt(line, start, 120) });
            at = end;
        }
    }
    out
}

/// Splits a tag's inside into words, keeping quoted strings and (sub expressions) whole.
fn words(inner: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut depth, mut quote) = (0, None::<char>);
    for c in inner.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                cur.push(c);
            }
            (None, '(') => {
                depth += 1;
                cur.push(c);
            }
            (None, ')') => {
                depth -= 1;
                cur.push(c);
            }
            (None, c) if c.is_whitespace() && depth == 0 => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_literal(w: &str) -> bool {
    w.starts_with('"') || w.starts_with('\'') || w.parse::<f64>().is_ok() || matches!(w, "true" | "false" | "null") || w.contains('=')
}

/// Resolves a path in the data, following `this`, `../`, `@root`.
fn resolve<'a>(
    path: &str,
    stack: &[Option<&'a serde_json::Value>],
    root: &'a serde_json::Value,
) -> Result<Option<&'a serde_json::Value>, ()> {
    if path.starts_with('@') && !path.starts_with("@root") {
        return Ok(None); // @index, @first, @last, @key: always there inside each
    }
    let mut level = stack.len() - 1;
    let mut rest = path;
    let mut from = stack[level];
    if let Some(r) = rest.strip_prefix("@root") {
        from = Some(root);
        rest = r.trim_start_matches('.');
    }
    while let Some(r) = rest.strip_prefix("../") {
        level = level.saturating_sub(1);
        from = stack[level];
        rest = r;
    }
    let rest = rest.trim_start_matches("this").trim_start_matches(['.', '/']);
    let Some(mut v) = from else { return Ok(None) };
    for seg in rest.split(['.', '/']).filter(|s| !s.is_empty()) {
        v = match v {
            serde_json::Value::Object(m) => m.get(seg).ok_or(())?,
            serde_json::Value::Array(a) if seg == "length" => return Ok(None),
            serde_json::Value::Array(a) => a.get(seg.parse::<usize>().map_err(|_| ())?).ok_or(())?,
            _ => return Err(()),
        };
    }
    Ok(Some(v))
}

/// Checks the tags of a template against sample data: blocks that are not closed or closed by
/// the wrong tag, helpers that do not exist, and fields the data does not have.
/// Why a field has no data: it names a field of each item of a list, used outside the list's
/// repeating block, or it names nothing.
fn no_data(field: &str, data: &serde_json::Value) -> String {
    let list = data.as_object().and_then(|o| {
        o.iter().find_map(|(k, v)| v.as_array()?.first()?.as_object()?.contains_key(field).then_some(k.as_str()))
    });
    match list {
        Some(l) => format!(
            "the field '{field}' is a field of each item of '{l}', used outside its repeating block: put it between {{{{#each {l}}}}} and {{{{/each}}}}"
        ),
        None => format!("the field '{field}' has no data"),
    }
}

pub fn check(tags: &[Tag], data: &serde_json::Value, hb: &Handlebars<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let problem = |t: &Tag, message: String| Problem { place: t.place.clone(), tag: t.tag.clone(), text: t.text.clone(), message };
    let mut blocks: Vec<(String, &Tag)> = Vec::new();
    let mut stack: Vec<Option<&serde_json::Value>> = vec![Some(data)];
    let known = |name: &str| HELPERS.contains(&name) || hb.has_template(name);
    fn check_words<'a>(
        ws: &[String],
        stack: &[Option<&'a serde_json::Value>],
        data: &'a serde_json::Value,
        known: &dyn Fn(&str) -> bool,
        lenient: bool,
    ) -> Vec<String> {
        let mut out = Vec::new();
        let Some(first) = ws.first() else { return out };
        let (name, args): (&str, &[String]) = if ws.len() > 1 || known(first) { (first, &ws[1..]) } else { ("", ws) };
        if !name.is_empty() && !known(name) {
            out.push(format!("unknown helper '{name}' (known: money, number, date, eq, ne, gt, gte, lt, lte, and, or, not, len, lookup)"));
            return out;
        }
        for a in args {
            if let Some(sub) = a.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
                out.extend(check_words(&words(sub), stack, data, known, lenient));
            } else if !is_literal(a) && resolve(a, stack, data).is_err() && !lenient {
                out.push(no_data(a, data));
            }
        }
        out
    }
    for t in tags {
        let inner = t.tag.trim_start_matches('{').trim_end_matches('}').trim().trim_matches('~').trim();
        if inner.starts_with('!') {
            continue;
        }
        if let Some(p) = inner.strip_prefix('>') {
            if !known(p.trim()) {
                problems.push(problem(t, format!("no partial named '{}'", p.trim())));
            }
            continue;
        }
        if let Some(open) = inner.strip_prefix('#') {
            let ws = words(open);
            let name = ws.first().cloned().unwrap_or_default();
            let args = ws.get(1..).unwrap_or(&[]);
            match name.as_str() {
                "" => {
                    problems.push(problem(t, "a block tag with no helper name (write {{#if ...}}, {{#each ...}}...)".into()));
                    stack.push(None);
                }
                "each" | "with" => {
                    let target = args.first().map(|a| resolve(a, &stack, data));
                    match target {
                        Some(Ok(Some(v))) => stack.push(match v {
                            serde_json::Value::Array(a) => a.first(),
                            serde_json::Value::Object(_) if name == "with" => Some(v),
                            serde_json::Value::Object(o) => o.values().next(),
                            _ => None,
                        }),
                        Some(Err(())) => {
                            problems.push(problem(t, no_data(&args[0], data)));
                            stack.push(None);
                        }
                        _ => stack.push(None),
                    }
                }
                "if" | "unless" => {
                    for m in check_words(args, &stack, data, &known, true) {
                        problems.push(problem(t, m));
                    }
                    stack.push(stack.last().copied().flatten());
                }
                other if known(other) => stack.push(stack.last().copied().flatten()),
                other => {
                    problems.push(problem(t, format!("unknown block helper '#{other}' (use #if, #unless, #each or #with)")));
                    stack.push(None);
                }
            }
            blocks.push((name, t));
            continue;
        }
        if let Some(close) = inner.strip_prefix('/') {
            match blocks.pop() {
                Some((name, _)) if name == close.trim() => {
                    stack.pop();
                }
                Some((name, open)) => {
                    problems.push(problem(
                        t,
                        format!("{{{{/{}}}}} closes {{{{#{name}}}}} opened at {} (\"{}\")", close.trim(), open.place, open.text),
                    ));
                    stack.pop();
                }
                None => problems.push(problem(t, format!("{{{{/{}}}}} closes a block that was never opened", close.trim()))),
            }
            continue;
        }
        if inner == "else" || inner.starts_with("else ") || inner == "^" {
            if blocks.is_empty() {
                problems.push(problem(t, "{{else}} outside a block".into()));
            }
            continue;
        }
        for m in check_words(&words(inner), &stack, data, &known, false) {
            problems.push(problem(t, m));
        }
    }
    for (name, open) in blocks {
        problems.push(problem(open, format!("{{{{#{name}}}}} is never closed (add {{{{/{name}}}}})")));
    }
    problems
}

#[cfg(test)]
mod check_tests {
    use super::*;

    fn problems(template: &str, data: serde_json::Value) -> Vec<String> {
        let hb = engine(handlebars::no_escape);
        check(&text_tags(template), &data, &hb).into_iter().map(|p| format!("{}: {}", p.place, p.message)).collect()
    }

    #[test]
    fn template_problems_are_found_with_their_line() {
        let data = serde_json::json!({"bidder": {"name": "Acme"}, "scores": [{"ref": "1.1", "score": 3}], "total": 80.5});
        assert!(
            problems(
                "Dear {{bidder.name}}\n{{#each scores}}{{ref}} {{score}} of {{../total}}{{/each}}\n{{money total}} {{#if failed}}x{{/if}}",
                data.clone()
            )
            .is_empty()
        );
        assert_eq!(problems("Dear {{bidder.nmae}}", data.clone()), vec!["line 1: the field 'bidder.nmae' has no data"]);
        assert_eq!(
            problems("{{score}}\n", data.clone()),
            vec!["line 1: the field 'score' is a field of each item of 'scores', used outside its repeating block: put it between {{#each scores}} and {{/each}}"]
        );
        assert_eq!(
            problems("{{#each scores}}\n{{justification}}\n{{/each}}", data.clone()),
            vec!["line 2: the field 'justification' has no data"]
        );
        assert_eq!(problems("{{#each scores}}\nx", data.clone()), vec!["line 1: {{#each}} is never closed (add {{/each}})"]);
        assert_eq!(
            problems("{{#if a}}\n{{/each}}", data.clone()),
            vec!["line 2: {{/each}} closes {{#if}} opened at line 1 (\"{{#if a}}\")"]
        );
        assert_eq!(
            problems("{{shout bidder.name}}", data.clone())[0],
            "line 1: unknown helper 'shout' (known: money, number, date, eq, ne, gt, gte, lt, lte, and, or, not, len, lookup)"
        );
        assert_eq!(
            problems("{{#loop scores}}{{/loop}}", data),
            vec!["line 1: unknown block helper '#loop' (use #if, #unless, #each or #with)"]
        );
    }
}
