//! `template check`: a letter template's fields listed and checked (blocks closed, helpers known,
//! merge fields mapped, data present) before any letter is written with it.

use crate::app::Input;
use crate::docx::merge::Merged;
use crate::docx::template::{Binding, DocxTemplate, escape_value};
use crate::domain::letters::sample_data;
use crate::render::{Problem, Tag, check as check_tags, engine, text_tags};
use crate::{Error, Result};

/// A Word template refused at its first error (the others counted, for `template check`); its
/// warnings, as lines naming `template_name`, where it has none.
pub fn refuse_errors(d: &DocxTemplate, template_name: &str) -> Result<String> {
    let problems = d.problems();
    if let Some(p) = problems.iter().find(|p| p.error) {
        let more = problems.iter().filter(|p| p.error).count() - 1;
        return Err(Error::Template(crate::render::TemplateError {
            template: template_name.to_string(),
            detail: format!(
                "{}: {}: {}{}",
                p.place,
                p.tag,
                p.message,
                if more > 0 { format!(" (and {more} more: tenderkit template check lists them)") } else { String::new() }
            ),
        }));
    }
    Ok(problems.iter().filter(|p| !p.error).map(|p| format!("warning: {template_name}: {}\n", p.message)).collect())
}

/// A buyer's own Word template filled once with `data`, its field mapping `fields` applied:
/// refused at the template's first error, like the letters.
pub fn fill_docx(template: &Input, fields: Option<&Input>, data: &serde_json::Value) -> Result<(Vec<u8>, String)> {
    let binding = match fields {
        Some(f) => Binding::new(Some((f.path(), f.text()?)), &[data])?,
        None => Binding::new(None, &[data])?,
    };
    let d = DocxTemplate::from_bytes(template.path(), template.bytes.to_vec(), &binding)?;
    let warnings = refuse_errors(&d, &template.name)?;
    let mut hb = engine(escape_value);
    d.register(&mut hb, "fill:")?;
    let failed = |e: &dyn std::fmt::Display| Error::Template(crate::render::TemplateError { template: template.name.clone(), detail: e.to_string() });
    let parts = d.render(&hb, "fill:", data).map_err(|e| failed(&e))?;
    Ok((d.document(&parts)?, warnings))
}

/// What the check found.
pub struct Checked {
    pub template: String,
    pub tags: Vec<Tag>,
    pub merged: Vec<Merged>,
    pub problems: Vec<Problem>,
    pub warnings: Vec<String>,
}

/// Checks `template` (a Word .docx, else a text template) with its field mapping `fields`,
/// against `data` (JSON; a list checks against its first item) or, without it, the names every
/// letter's data has.
pub fn check(template: &Input, fields: Option<&Input>, data: Option<&Input>) -> Result<Checked> {
    let is_docx = template.path().extension().is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let sample = match data {
        Some(d) => match serde_json::from_str::<serde_json::Value>(d.text()?) {
            Ok(serde_json::Value::Array(mut a)) if !a.is_empty() => a.swap_remove(0),
            Ok(v) => v,
            Err(e) => return Err(Error::Definition { path: d.path().to_path_buf(), detail: format!("not JSON: {e}") }),
        },
        None => serde_json::Value::Null,
    };
    // Word merge fields are matched against the data given, or every letter's names.
    let names_from = if data.is_some() { sample.clone() } else { sample_data() };
    let binding = match fields {
        Some(f) => Binding::new(Some((f.path(), f.text()?)), &[&names_from])?,
        None => Binding::new(None, &[&names_from])?,
    };
    let mut guarded = None;
    let mut before: Vec<Problem> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let mut merged = Vec::new();
    let (tags, hb, syntax) = if is_docx {
        let d = DocxTemplate::from_bytes(template.path(), template.bytes.to_vec(), &binding)?;
        for p in d.problems() {
            if p.error {
                before.push(Problem { place: p.place, tag: p.tag, text: String::new(), message: p.message });
            } else {
                warnings.push(p.message);
            }
        }
        merged = d.merged().to_vec();
        let tags: Vec<Tag> = d.tags();
        let mut hb = engine(escape_value);
        let syntax = d.register(&mut hb, "check:").err().map(|e| e.to_string());
        (tags, hb, syntax)
    } else {
        let text = String::from_utf8(template.bytes.to_vec()).map_err(|e| Error::Read {
            path: template.path().to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })?;
        let mut hb = engine(handlebars::no_escape);
        // What the guard refuses is always said (inline partials, nesting, date formats).
        if let Err(refused) = crate::render::guard(&text) {
            guarded = Some(refused);
        }
        for (n, line) in text.lines().enumerate() {
            if let Some((what, instead)) = crate::render::foreign_syntax(line) {
                before.push(Problem {
                    place: format!("line {}", n + 1),
                    tag: what,
                    text: String::new(),
                    message: format!(
                        "this is another template language's syntax (docxtpl/Jinja), which tenderkit does not fill: write {instead}"
                    ),
                });
            }
        }
        let syntax = crate::render::register(&mut hb, "check", &text).err();
        let tags = text_tags(&text);
        if tags.is_empty() {
            warnings.push("this template has no fields: every letter would be the same".into());
        }
        (tags, hb, syntax)
    };
    let mut problems = check_tags(&tags, &sample, &hb);
    if data.is_none() {
        problems.retain(|p| !p.message.contains("has no data"));
    }
    if let Some(message) = guarded {
        problems.insert(0, Problem { place: String::new(), tag: String::new(), text: String::new(), message });
    }
    let found_before = !before.is_empty();
    problems.splice(0..0, before);
    // The parser's own message, where the checks above do not already explain it.
    if let Some(s) = syntax.filter(|_| problems.is_empty() && !found_before) {
        problems.push(Problem { place: String::new(), tag: String::new(), text: String::new(), message: s });
    }
    Ok(Checked { template: template.name.clone(), tags, merged, problems, warnings })
}

impl Checked {
    /// 0 when the template is fit to write letters with, else 1.
    pub fn exit(&self) -> u8 {
        u8::from(!self.problems.is_empty())
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "template": self.template,
            "fields": self.tags,
            "merge_fields": self.merged,
            "problems": self.problems,
            "warnings": self.warnings,
        })
    }

    /// The fields, merge fields, problems and warnings, as the command prints them.
    pub fn text(&self) -> String {
        let name = &self.template;
        let mut out = format!("{name}: {} fields\n", self.tags.len());
        for t in &self.tags {
            out += &format!("  {}: {}\n", t.place, t.tag);
        }
        if !self.merged.is_empty() {
            out += &format!("Word merge fields ({}):\n", self.merged.len());
            for m in &self.merged {
                let to = m.data.as_deref().map_or_else(|| "(no data)".to_string(), |d| format!("-> {d}"));
                out += &format!("  {} paragraph {}: «{}» {to}\n", m.part, m.paragraph, m.field);
            }
        }
        for p in &self.problems {
            let at: Vec<&str> = [p.place.as_str(), p.tag.as_str()].into_iter().filter(|x| !x.is_empty()).collect();
            let at = if at.is_empty() { String::new() } else { format!("{}: ", at.join(": ")) };
            out += &format!("error: {name}: {at}{}\n", p.message);
            if !p.text.is_empty() {
                out += &format!("  in: \"{}\"\n", p.text);
            }
        }
        for w in &self.warnings {
            out += &format!("warning: {name}: {w}\n");
        }
        out += &format!("{} problem{}\n", self.problems.len(), if self.problems.len() == 1 { "" } else { "s" });
        out
    }
}
