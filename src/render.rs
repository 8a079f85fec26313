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
];

/// A template problem, located in its file.
#[derive(Debug, thiserror::Error)]
#[error("{template}: {detail}")]
pub struct TemplateError {
    pub template: String,
    pub detail: String,
}

impl TemplateError {
    fn from_render(name: &str, e: &RenderError) -> TemplateError {
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

fn number_arg(h: &Helper, name: &str) -> Result<f64, RenderError> {
    h.param(0)
        .and_then(|p| p.value().as_f64())
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
    out.write(&d.format(style).to_string())?;
    Ok(())
}

impl Templates {
    /// The bundled templates, or the buyer's from `dir` where a file of the same name is there.
    pub fn load(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        hb.register_helper("money", Box::new(money));
        hb.register_helper("number", Box::new(number));
        hb.register_helper("date", Box::new(date));
        for (name, bundled) in BUNDLED {
            let own = dir.map(|d| d.join(format!("{name}{}", if *name == "notice" { ".txt.hbs" } else { ".hbs" }))).filter(|p| p.exists());
            let text = match &own {
                Some(p) => {
                    std::fs::read_to_string(p).map_err(|e| TemplateError { template: p.display().to_string(), detail: e.to_string() })?
                }
                None => bundled.to_string(),
            };
            hb.register_template_string(name, text).map_err(|e| TemplateError {
                template: own.map_or_else(|| format!("templates/{name}.hbs"), |p| p.display().to_string()),
                detail: e.to_string(),
            })?;
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
    fn tidying() {
        assert_eq!(tidy("\n\na  \n\n\n\nb\n\n"), "a\n\nb\n");
    }
}
