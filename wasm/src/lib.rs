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

/// A command that stopped with an error: its exit status and message as the command gives them.
fn failed(e: &tenderkit::Error) -> Value {
    json!({ "exit": e.exit_code(), "json": app::error_json(e), "text": "", "messages": format!("error: {e}\n"), "files": [] })
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
    let (validated, layout) = app::validate::run_and_layout(&input, &hints, false);
    let mut out = match validated {
        Ok(v) => answer(u8::from(v.errors > 0), v.to_json(name), Vec::new()),
        Err(e) => failed(&e),
    };
    out["layout"] = match layout {
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
    // The same edits the file writer spliced into that copy, for the Excel add-in to apply to the
    // open workbook through Excel's own API.
    out["edits"] = scored.edits.as_ref().map_or(Value::Null, |e| e.to_json(&scored.workbook));
    if scored.decided.is_none() {
        out["messages"] = Value::String(format!(
            "{}not scored: the matrix must be valid and complete before bids are ranked\n",
            report::human(&scored.findings, 50)
        ));
    }
    out.to_string()
}

/// Step 2: `sensitivity -o`: how robust the ranking is, and the matrix with its Sensitivity sheet.
#[wasm_bindgen]
pub fn sensitivity(name: &str, matrix: Vec<u8>, form: &str, layout_file: Option<String>) -> String {
    let form = fields(form);
    let outcome = layout(&form, layout_file).and_then(|h| app::sensitivity::run(Input::new(name, matrix), &h));
    let report = match outcome {
        Ok(app::sensitivity::Outcome::Done(r)) => r,
        Ok(app::sensitivity::Outcome::Refused(said)) => {
            return json!({ "exit": 1, "json": null, "text": "", "messages": said, "files": [] }).to_string();
        }
        Err(e) => return failed(&e).to_string(),
    };
    let written = derived(name, "sensitivity");
    match report.workbook_bytes() {
        Ok(bytes) => json!({
            "exit": 0,
            "json": null,
            "text": format!("{}\nwrote {written} (sheet {})\n", report.text(), app::sensitivity::SHEET),
            "messages": "",
            "files": [file(&written, XLSX, &bytes)],
        })
        .to_string(),
        Err(e) => failed(&e).to_string(),
    }
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

/// Step 4: `returns collect --json -o`: the evaluators' returns (packed as the page packs files:
/// `[field, name, length]` for each and their bytes one after another, see [`inputs`]), the panel
/// file if given, the flags and the moderated workbook. `now` is the page's clock, for the audit trail.
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
    let files: Vec<Input> = match inputs(returns_index, &returns) {
        Ok(given) => given.into_iter().map(|(_, input)| input).collect(),
        Err(e) => return e.to_string(),
    };
    if files.is_empty() {
        return json!({ "error": "choose the evaluators' returns first" }).to_string();
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

/// The page's files for one action: their field names, file names and lengths as a JSON array
/// of `[field, name, length]`, their bytes one after another in `bytes`.
fn inputs(index: &str, bytes: &[u8]) -> Result<Vec<(String, Input)>, Value> {
    let index: Vec<(String, String, usize)> = serde_json::from_str(index).unwrap_or_default();
    let mut out = Vec::new();
    let mut at = 0usize;
    for (field, name, len) in index {
        let Some(part) = at.checked_add(len).and_then(|end| bytes.get(at..end)) else {
            return Err(json!({ "error": "the files did not arrive whole" }));
        };
        out.push((field, Input::new(name, part.to_vec())));
        at += len;
    }
    Ok(out)
}

fn day(text: &str, what: &str) -> Result<chrono::NaiveDate, tenderkit::Error> {
    text.parse().map_err(|_| tenderkit::Error::Usage(format!("{what} {text}: write the date as YYYY-MM-DD")))
}

/// Step 6: the contract notice, the SPD statements or the exclusion decisions (`responses`, decided
/// on `today`, the page's date, unless the file gives its determination_date), and the same as a
/// Word document.
#[wasm_bindgen]
pub fn text(tender_name: &str, tender: Vec<u8>, which: &str, responses_name: Option<String>, responses: Option<Vec<u8>>, today: &str) -> String {
    let input = Input::new(tender_name, tender);
    let checked = match app::text::checked_tender(&input) {
        Ok(c) => c,
        Err(e) => return failed(&e).to_string(),
    };
    let templates = match tenderkit::render::Templates::load(None) {
        Ok(t) => t,
        Err(e) => return failed(&e.into()).to_string(),
    };
    let (made, exit, messages) = match which {
        "exclusion" => {
            let Some(bytes) = responses else {
                return json!({ "error": "choose the bidders' exclusion answers (responses.toml) first" }).to_string();
            };
            let responses = Input::new(responses_name.unwrap_or_else(|| "responses.toml".into()), bytes);
            // The command reads the tender without its findings, as `exclusion` does.
            let tender = match input.toml::<tenderkit::domain::Tender>() {
                Ok(t) => t,
                Err(e) => return failed(&e).to_string(),
            };
            match day(today, "today").and_then(|today| app::exclusion::decide(&tender, &responses, None, today)) {
                Ok(d) => (Ok(d.text(&tender)), u8::from(!d.missing.is_empty()), d.missing_messages()),
                Err(e) => return failed(&e).to_string(),
            }
        }
        "notice" | "spd" => {
            let Some(tender) = checked.tender else {
                let why = if which == "spd" {
                    "no statements: the selection requirements break the rules above"
                } else {
                    "no notice text: fix the tender definition first"
                };
                return json!({ "exit": 1, "json": null, "text": "", "messages": format!("{}{why}\n", checked.messages), "files": [] }).to_string();
            };
            let made = if which == "notice" {
                app::text::notice(&tender, input.path(), &templates)
            } else {
                app::text::spd(&tender, &templates).map(|t| t.unwrap_or_else(|| "the tender sets no selection requirements ([selection] is empty)\n".into()))
            };
            (made, 0, checked.messages)
        }
        _ => return json!({ "error": format!("no text '{which}': notice, spd or exclusion") }).to_string(),
    };
    match made {
        Ok(text) => {
            // As `serve` does: the Word document only when the command said nothing is missing.
            let files: Vec<Value> =
                if exit == 0 { vec![file(&format!("{which}.docx"), DOCX, &tenderkit::docx::plain::document(&text))] } else { Vec::new() };
            json!({ "exit": exit, "json": null, "text": text, "messages": messages, "files": files }).to_string()
        }
        Err(e) => failed(&e).to_string(),
    }
}

/// Step 5: `template check` when the buyer gives a template, then `letters KIND --zip`: answered as
/// `serve` streams it, lines of JSON (`{"template_check": ...}`, then `{"done": ...}` with the zip).
/// The files (`tender`, `matrix`, `responses`, `opening`, `template`, `fields`, `layout`) come as
/// [`inputs`]; `form` holds `kind`, `date` and the layout form; `today` is the page's date.
#[wasm_bindgen]
pub fn letters(files_index: &str, files: Vec<u8>, form: &str, today: &str) -> String {
    let given = match inputs(files_index, &files) {
        Ok(g) => g,
        Err(e) => return e.to_string(),
    };
    let form = fields(form);
    let field = |k: &str| form.iter().find(|(f, _)| f == k).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty());
    let get = |k: &str| given.iter().find(|(f, _)| f == k).map(|(_, i)| i);
    let mut lines = Vec::new();
    if let Some(template) = get("template") {
        match app::template::check(template, get("fields"), None) {
            Ok(checked) => {
                let exit = checked.exit();
                let json = checked.to_json();
                lines.push(json!({ "template_check": answer(exit, json, Vec::new()) }));
                if exit != 0 {
                    return ndjson(&lines);
                }
            }
            Err(e) => {
                lines.push(json!({ "template_check": failed(&e) }));
                return ndjson(&lines);
            }
        }
    }
    let done = letters_done(&given, &form, field("kind"), field("date"), today);
    // A refusal before any work (no tender, no kind) is the stream's error, as `serve` sends it.
    lines.push(if done.get("error").is_some() { done } else { json!({ "done": done }) });
    ndjson(&lines)
}

fn ndjson(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// The letters' answer: the report and the zip (exit 0), or what stopped them.
fn letters_done(given: &[(String, Input)], form: &[(String, String)], kind: Option<String>, date: Option<String>, today: &str) -> Value {
    let get = |k: &str| given.iter().find(|(f, _)| f == k).map(|(_, i)| i);
    let refused = |said: String| json!({ "exit": 1, "json": null, "text": "", "messages": said, "files": [] });
    let Some(tender) = get("tender") else { return json!({ "error": "choose the tender definition (tender.toml) first" }) };
    let kind = match app::letters::kind(kind.as_deref().unwrap_or_default()) {
        Ok(k) => k,
        Err(e) => return failed(&e),
    };
    let layout = match layout(form, get("layout").and_then(|l| l.text().ok().map(str::to_string))) {
        Ok(l) => l,
        Err(e) => return failed(&e),
    };
    let (today, date) = match day(today, "today").and_then(|t| Ok((t, date.as_deref().map(|d| day(d, "--date")).transpose()?))) {
        Ok(d) => d,
        Err(e) => return failed(&e),
    };
    let request = app::letters::Request {
        kind,
        tender,
        matrix: get("matrix"),
        layout: &layout,
        responses: get("responses"),
        on: None,
        opening: get("opening"),
        date,
        notices: Default::default(),
        today,
    };
    let plan = match app::letters::plan(&request) {
        Ok(app::letters::Planned::Ready(p)) => p,
        Ok(app::letters::Planned::Refused(said)) => return refused(said),
        Err(e) => return failed(&e),
    };
    let mut messages = plan.messages.clone();
    if plan.data.is_empty() {
        return json!({ "exit": 0, "json": null, "text": format!("no {} letters to write\n", kind.name()), "messages": messages, "files": [] });
    }
    let prepared = match plan.template(get("template"), get("fields"), false) {
        Ok(app::letters::Templated::Ready(p)) => p,
        Ok(app::letters::Templated::Refused(said)) => return refused(messages + &said),
        Err(e) => return failed(&e),
    };
    messages += &prepared.messages;
    let rendered: Result<Vec<Vec<u8>>, _> = (0..prepared.len()).map(|i| prepared.render(i)).collect();
    let made = rendered.and_then(|r| prepared.zipped(r));
    match made {
        Ok((letters, name, bytes)) => {
            json!({
                "exit": 0,
                "json": null,
                "text": letters.report(std::path::Path::new("letters")),
                "messages": messages,
                "files": [file(&name, "application/zip", &bytes)],
            })
        }
        Err(e) => failed(&e),
    }
}

/// Step 4: `conflicts`: the conflict-of-interest record (or conflicts assessment) of the matrix's
/// panel, prepared on `today` (the page's date), and the same as a Word document.
#[wasm_bindgen]
pub fn conflicts(tender_name: &str, tender: Vec<u8>, name: &str, matrix: Vec<u8>, form: &str, layout_file: Option<String>, today: &str) -> String {
    let form = fields(form);
    let made = Input::new(tender_name, tender).toml::<tenderkit::domain::Tender>().and_then(|t| {
        let today = day(today, "today")?;
        app::conflicts::assess(&t, &Input::new(name, matrix), &layout(&form, layout_file)?, today)
    });
    match made {
        Ok(app::conflicts::Outcome::Done(a)) => {
            json!({ "exit": 0, "json": null, "text": a.text(), "messages": "", "files": [file("conflicts.docx", DOCX, &a.document())] })
                .to_string()
        }
        Ok(app::conflicts::Outcome::Refused(said)) => json!({ "exit": 1, "json": null, "text": "", "messages": said, "files": [] }).to_string(),
        Err(e) => failed(&e).to_string(),
    }
}

/// Step 4: `report`: the evaluation report of the decided matrix (with the bidders' `responses`,
/// if given), dated the form's `date` or `today`, its standstill counted from the form's `sent`;
/// and the same as a Word document with its chart.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn report(
    tender_name: &str,
    tender: Vec<u8>,
    name: &str,
    matrix: Vec<u8>,
    responses_name: Option<String>,
    responses: Option<Vec<u8>>,
    form: &str,
    layout_file: Option<String>,
    today: &str,
) -> String {
    let form = fields(form);
    let given = |key: &str| {
        let value = form.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
        value.map(|v| day(v, &format!("--{key}"))).transpose()
    };
    let made = (|| {
        let (tender, matrix) = (Input::new(tender_name, tender), Input::new(name, matrix));
        let responses = responses.map(|b| Input::new(responses_name.unwrap_or_else(|| "responses.toml".into()), b));
        let layout = layout(&form, layout_file)?;
        let request = app::evaluation_report::Request {
            tender: &tender,
            matrix: &matrix,
            layout: &layout,
            responses: responses.as_ref(),
            on: None,
            sent: given("sent")?,
            by: None,
            date: given("date")?,
            today: day(today, "today")?,
        };
        app::evaluation_report::gather(&request)
    })();
    match made {
        Ok(app::evaluation_report::Outcome::Done(r)) => json!({
            "exit": 0, "json": null, "text": r.data.text(), "messages": r.messages,
            "files": [file("report.docx", DOCX, &r.data.document())]
        })
        .to_string(),
        Ok(app::evaluation_report::Outcome::Refused(said)) => json!({ "exit": 1, "json": null, "text": "", "messages": said, "files": [] }).to_string(),
        Err(e) => failed(&e).to_string(),
    }
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The library's version, for the page's footer and the tests.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
