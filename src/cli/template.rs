use std::path::PathBuf;

use tenderkit::Error;
use tenderkit::docx::template::{DocxTemplate, escape_value};
use tenderkit::render::{Tag, check, engine, text_tags};

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
    /// Print the fields and problems as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(command: Command) -> tenderkit::Result<u8> {
    let Command::Check(args) = command;
    let is_docx = args.template.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let mut guarded = None;
    let (tags, hb, syntax) = if is_docx {
        let d = DocxTemplate::open(&args.template)?;
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
        let syntax = tenderkit::render::register(&mut hb, "check", &text).err();
        (text_tags(&text), hb, syntax)
    };
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
    let mut problems = check(&tags, &data, &hb);
    if args.data.is_none() {
        problems.retain(|p| !p.message.contains("has no data"));
    }
    if let Some(message) = guarded.clone() {
        problems.insert(0, tenderkit::render::Problem { place: String::new(), tag: String::new(), text: String::new(), message });
    }
    // The parser's own message, where the checks above do not already explain it.
    if let Some(s) = syntax.filter(|_| problems.is_empty()) {
        problems.push(tenderkit::render::Problem { place: String::new(), tag: String::new(), text: String::new(), message: s });
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"template": args.template.display().to_string(), "fields": tags, "problems": problems})
            )
            .expect("serialises")
        );
    } else {
        println!("{}: {} fields", args.template.display(), tags.len());
        for t in &tags {
            println!("  {}: {}", t.place, t.tag);
        }
        for p in &problems {
            let at: Vec<&str> = [p.place.as_str(), p.tag.as_str()].into_iter().filter(|x| !x.is_empty()).collect();
            let at = if at.is_empty() { String::new() } else { format!("{}: ", at.join(": ")) };
            println!("error: {}: {at}{}", args.template.display(), p.message);
            if !p.text.is_empty() {
                println!("  in: \"{}\"", p.text);
            }
        }
        println!("{} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" });
    }
    Ok(if problems.is_empty() { 0 } else { EXIT_FINDINGS })
}
