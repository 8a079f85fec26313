use std::path::PathBuf;

use tenderkit::Error;
use tenderkit::docx::template::{Binding, DocxTemplate, escape_value};
use tenderkit::domain::letters::sample_data;
use tenderkit::render::{Problem, Tag, check, engine, text_tags};

use super::EXIT_FINDINGS;

#[derive(clap::Subcommand)]
pub enum Command {
    /// List a template's fields and check them: blocks closed, helpers known, data present.
    Check(CheckArgs),
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// A Word (.docx) or text (.hbs) template.
    template: PathBuf,
    /// Sample data (JSON) to check the fields against: `tenderkit letters KIND ... --data` prints it.
    /// A list checks against its first item.
    #[arg(long, value_name = "DATA.json")]
    data: Option<PathBuf>,
    /// What a Word template's merge fields mean: `Bidder_Name = "bidder"` (TOML). A fields.toml
    /// beside the template is read without this.
    #[arg(long, value_name = "FIELDS.toml")]
    fields: Option<PathBuf>,
    /// Print the fields and problems as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(command: Command) -> tenderkit::Result<u8> {
    let Command::Check(args) = command;
    let is_docx = args.template.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let data = match &args.data {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|source| tenderkit::Error::Read { path: p.clone(), source })?;
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(serde_json::Value::Array(mut a)) if !a.is_empty() => a.swap_remove(0),
                Ok(v) => v,
                Err(e) => return Err(Error::Definition { path: p.clone(), detail: format!("not JSON: {e}") }),
            }
        }
        None => serde_json::Value::Null,
    };
    // Word merge fields are matched against the data given, or every letter's names.
    let names_from = if args.data.is_some() { data.clone() } else { sample_data() };
    let binding = Binding::load(Some(&args.template), args.fields.as_deref(), &[&names_from])?;
    let mut guarded = None;
    let mut before: Vec<Problem> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let mut merged = Vec::new();
    let (tags, hb, syntax) = if is_docx {
        let d = DocxTemplate::open(&args.template, &binding)?;
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
        let text =
            std::fs::read_to_string(&args.template).map_err(|source| tenderkit::Error::Read { path: args.template.clone(), source })?;
        let mut hb = engine(handlebars::no_escape);
        // What the guard refuses is always said (inline partials, nesting, date formats).
        if let Err(refused) = tenderkit::render::guard(&text) {
            guarded = Some(refused);
        }
        for (n, line) in text.lines().enumerate() {
            if let Some((what, instead)) = tenderkit::render::foreign_syntax(line) {
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
        let syntax = tenderkit::render::register(&mut hb, "check", &text).err();
        let tags = text_tags(&text);
        if tags.is_empty() {
            warnings.push("this template has no fields: every letter would be the same".into());
        }
        (tags, hb, syntax)
    };
    let mut problems = check(&tags, &data, &hb);
    if args.data.is_none() {
        problems.retain(|p| !p.message.contains("has no data"));
    }
    if let Some(message) = guarded.clone() {
        problems.insert(0, Problem { place: String::new(), tag: String::new(), text: String::new(), message });
    }
    let found_before = !before.is_empty();
    problems.splice(0..0, before);
    // The parser's own message, where the checks above do not already explain it.
    if let Some(s) = syntax.filter(|_| problems.is_empty() && !found_before) {
        problems.push(Problem { place: String::new(), tag: String::new(), text: String::new(), message: s });
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "template": args.template.display().to_string(),
                "fields": tags,
                "merge_fields": merged,
                "problems": problems,
                "warnings": warnings,
            }))
            .expect("serialises")
        );
    } else {
        println!("{}: {} fields", args.template.display(), tags.len());
        for t in &tags {
            println!("  {}: {}", t.place, t.tag);
        }
        if !merged.is_empty() {
            println!("Word merge fields ({}):", merged.len());
            for m in &merged {
                let to = m.data.as_deref().map_or_else(|| "(no data)".to_string(), |d| format!("-> {d}"));
                println!("  {} paragraph {}: «{}» {to}", m.part, m.paragraph, m.field);
            }
        }
        for p in &problems {
            let at: Vec<&str> = [p.place.as_str(), p.tag.as_str()].into_iter().filter(|x| !x.is_empty()).collect();
            let at = if at.is_empty() { String::new() } else { format!("{}: ", at.join(": ")) };
            println!("error: {}: {at}{}", args.template.display(), p.message);
            if !p.text.is_empty() {
                println!("  in: \"{}\"", p.text);
            }
        }
        for w in &warnings {
            println!("warning: {}: {w}", args.template.display());
        }
        println!("{} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" });
    }
    Ok(if problems.is_empty() { 0 } else { EXIT_FINDINGS })
}
