//! The page with no server: the same answers `serve` gives (`{exit, json, text, messages,
//! files}`), worked out in the browser by the library's commands on bytes. Nothing here decides
//! anything; it only turns the page's files and fields into the core's inputs and its results
//! into the answer the page's script already reads.

use base64::Engine;
use serde_json::{Value, json};
use tenderkit::app::{self, Input};
use tenderkit::report;
use wasm_bindgen::prelude::*;

/// The page's form fields, as the JSON object the script sends.
fn fields(form: &str) -> Vec<(String, String)> {
    serde_json::from_str::<serde_json::Map<String, Value>>(form)
        .map(|m| m.into_iter().map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_string))).collect())
        .unwrap_or_default()
}

/// The layout the page gives: its layout form, else an uploaded layout file.
fn layout(form: &[(String, String)], layout_file: Option<String>) -> tenderkit::Result<tenderkit::xlsx::layout::LayoutFile> {
    let from_form = app::layout_from_form(form.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(tenderkit::Error::Usage)?;
    match from_form.or(layout_file) {
        Some(text) => app::layout_from_toml("layout.toml", &text),
        None => Ok(Default::default()),
    }
}

fn file(name: &str, kind: &str, bytes: &[u8]) -> Value {
    json!({ "name": name, "type": kind, "base64": base64::engine::general_purpose::STANDARD.encode(bytes) })
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An answer as `serve` gives it for a command that printed `json` (exit status from its errors).
fn answer(exit: u8, json: Value, files: Vec<Value>) -> Value {
    let text = serde_json::to_string_pretty(&json).unwrap_or_default() + "\n";
    json!({ "exit": exit, "json": json, "text": text, "messages": "", "files": files })
}

/// A command that stopped with an error: exit 2, its message as the command prints it.
fn failed(e: &tenderkit::Error) -> Value {
    json!({ "exit": 2, "json": app::error_json(e), "text": "", "messages": format!("error: {e}\n"), "files": [] })
}

/// `<stem>-<what>.xlsx`, as `serve` names what it writes.
fn derived(name: &str, what: &str) -> String {
    let stem = std::path::Path::new(name).file_stem().map_or_else(|| "matrix".into(), |s| s.to_string_lossy().into_owned());
    format!("{stem}-{what}.xlsx")
}

/// Step 1: `validate --json`, and the layout file `layout` writes.
#[wasm_bindgen]
pub fn validate(name: &str, matrix: Vec<u8>, form: &str, layout_file: Option<String>) -> String {
    let form = fields(form);
    let input = Input::new(name, matrix);
    let hints = match layout(&form, layout_file) {
        Ok(h) => h,
        Err(e) => return failed(&e).to_string(),
    };
    let mut out = match app::validate::run(&input, &hints, false) {
        Ok(v) => answer(u8::from(v.errors > 0), v.to_json(name), Vec::new()),
        Err(e) => failed(&e),
    };
    out["layout"] = match app::validate::layout(&input, &hints) {
        Ok(layout) => {
            let bytes = layout.toml.as_bytes();
            let mut a = json!({ "exit": u8::from(layout.draft), "json": null, "text": "", "messages": "", "files": [file("layout.toml", "text/plain; charset=utf-8", bytes)] });
            a["toml"] = Value::String(layout.toml);
            a
        }
        Err(e) => failed(&e),
    };
    out.to_string()
}

/// Step 2: `score --json -o`: the ranking and the scored workbook. `now` is the page's clock
/// (RFC 3339), for a moderated workbook's audit trail.
#[wasm_bindgen]
pub fn score(name: &str, matrix: Vec<u8>, form: &str, layout_file: Option<String>, now: &str) -> String {
    let form = fields(form);
    let flag = |k: &str| form.iter().any(|(f, v)| f == k && !v.trim().is_empty());
    let options = app::score::Options {
        use_mean: flag("use_mean"),
        chart: flag("chart"),
        write: true,
        now: now.to_string(),
        by: format!("tenderkit {}", env!("CARGO_PKG_VERSION")),
    };
    let input = Input::new(name, matrix);
    let scored = match layout(&form, layout_file).and_then(|h| app::score::run(&input, &h, &options)) {
        Ok(s) => s,
        Err(e) => return failed(&e).to_string(),
    };
    let scored_name = derived(name, "scored");
    let bytes = match scored.workbook_bytes() {
        Ok(b) => b,
        Err(e) => return failed(&e).to_string(),
    };
    let written = bytes.as_ref().map(|_| scored_name.as_str());
    let exit = if scored.decided.is_none() || scored.errors() > 0 { 1 } else { 0 };
    let mut out = answer(exit, scored.to_json(name, written), bytes.iter().map(|b| file(&scored_name, XLSX, b)).collect());
    if scored.decided.is_none() {
        out["messages"] = Value::String(format!(
            "{}not scored: the matrix must be valid and complete before bids are ranked\n",
            report::human(&scored.findings, 50)
        ));
    }
    out.to_string()
}

/// Step 3: `rescale --to SCALE -o`: its report (with the proof line) and the rescaled workbook.
#[wasm_bindgen]
pub fn rescale(name: &str, matrix: Vec<u8>, form: &str, layout_file: Option<String>) -> String {
    let form = fields(form);
    let field = |k: &str| form.iter().find(|(f, _)| f == k).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty());
    let Some(to) = field("to") else {
        return json!({ "error": "give the new scale, for example 0-10" }).to_string();
    };
    let input = Input::new(name, matrix);
    let outcome = app::rescale::parse_scale(&to)
        .and_then(|to| layout(&form, layout_file).and_then(|h| app::rescale::run(&input, &h, to, field("allow_fractional").is_some())));
    let done = match outcome {
        Ok(app::rescale::Outcome::Done(done)) => done,
        Ok(app::rescale::Outcome::Refused(why)) => {
            return json!({ "exit": 1, "json": null, "text": "", "messages": why, "files": [] }).to_string();
        }
        Err(e) => return failed(&e).to_string(),
    };
    let written = derived(name, "rescaled");
    match done.workbook_bytes() {
        Ok(bytes) => json!({
            "exit": done.exit(),
            "json": null,
            "text": done.report(name, &written),
            "messages": done.left_alone(),
            "files": [file(&written, XLSX, &bytes)],
        })
        .to_string(),
        Err(e) => failed(&e).to_string(),
    }
}

/// Step 4: `returns collect --json -o`: the evaluators' returns (their names as a JSON array of
/// `[name, length]`, their bytes one after another in `returns`), the panel file if given, the
/// flags and the moderated workbook. `now` is the page's clock, for the audit trail.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn collect(
    name: &str,
    matrix: Vec<u8>,
    returns_index: &str,
    returns: Vec<u8>,
    panel_name: Option<String>,
    panel: Option<Vec<u8>>,
    form: &str,
    layout_file: Option<String>,
    now: &str,
) -> String {
    let form = fields(form);
    let index: Vec<(String, usize)> = serde_json::from_str(returns_index).unwrap_or_default();
    if index.is_empty() {
        return json!({ "error": "choose the evaluators' returns first" }).to_string();
    }
    let mut files = Vec::new();
    let mut at = 0usize;
    for (file_name, len) in index {
        let Some(bytes) = at.checked_add(len).and_then(|end| returns.get(at..end)) else {
            return json!({ "error": "the returns did not arrive whole" }).to_string();
        };
        files.push(Input::new(file_name, bytes.to_vec()));
        at += len;
    }
    let panel = panel.map(|bytes| Input::new(panel_name.unwrap_or_else(|| "panel.toml".into()), bytes));
    let written = derived(name, "moderated");
    let input = Input::new(name, matrix);
    let outcome = layout(&form, layout_file).and_then(|h| app::returns::collect(&input, &files, panel.as_ref(), &h, now, &written));
    match outcome {
        Ok(app::returns::Outcome::PanelRefused(said)) => {
            json!({ "exit": 1, "json": null, "text": "", "messages": format!("{said}nothing collected: fix the panel first\n"), "files": [] })
                .to_string()
        }
        Ok(app::returns::Outcome::Done(done)) => match done.workbook_bytes() {
            Ok(bytes) => {
                let mut out = answer(done.exit(), done.to_json(name, &written), vec![file(&written, XLSX, &bytes)]);
                out["messages"] = Value::String(done.panel_messages.clone());
                out.to_string()
            }
            Err(e) => failed(&e).to_string(),
        },
        Err(e) => failed(&e).to_string(),
    }
}

/// Step 6: the contract notice or the SPD statements from the tender definition, and the same
/// as a Word document. (Exclusion decisions need the day they are made on: not here yet.)
#[wasm_bindgen]
pub fn text(tender_name: &str, tender: Vec<u8>, which: &str) -> String {
    let input = Input::new(tender_name, tender);
    let checked = match app::text::checked_tender(&input) {
        Ok(c) => c,
        Err(e) => return failed(&e).to_string(),
    };
    let Some(tender) = checked.tender else {
        let why = if which == "spd" {
            "no statements: the selection requirements break the rules above"
        } else {
            "no notice text: fix the tender definition first"
        };
        return json!({ "exit": 1, "json": null, "text": "", "messages": format!("{}{why}\n", checked.messages), "files": [] }).to_string();
    };
    let templates = match tenderkit::render::Templates::load(None) {
        Ok(t) => t,
        Err(e) => return failed(&e.into()).to_string(),
    };
    let made = match which {
        "notice" => app::text::notice(&tender, input.path(), &templates),
        "spd" => app::text::spd(&tender, &templates)
            .map(|t| t.unwrap_or_else(|| "the tender sets no selection requirements ([selection] is empty)\n".into())),
        _ => {
            return json!({ "error": format!("'{which}' is not in the page with no server yet: use tenderkit serve, or the command") })
                .to_string();
        }
    };
    match made {
        Ok(text) => {
            let docx = tenderkit::docx::plain::document(&text);
            let name = format!("{which}.docx");
            json!({ "exit": 0, "json": null, "text": text, "messages": checked.messages, "files": [file(&name, DOCX, &docx)] }).to_string()
        }
        Err(e) => failed(&e).to_string(),
    }
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The library's version, for the page's footer and the tests.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
