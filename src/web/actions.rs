//! The page's actions, each the `tenderkit` command a buyer would type, run in the request's
//! folder. An answer is JSON: the command's exit status, what it printed (parsed where it
//! printed JSON) and the files it wrote, for the page to offer as downloads.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Multipart, Path as Route, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};
use tokio::io::AsyncBufReadExt;

use super::upload::{Uploads, receive};
use super::{Reply, Shared};

/// Where the commands write, inside the request's folder (no upload can take this name: cleaned
/// names never start with a dot).
const OUT: &str = ".out";

/// Longer than any command takes on a real tender; a command still running then is stopped.
const TIME_LIMIT: Duration = Duration::from_secs(600);

/// What a command did.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ran {
    /// The answer for the page: exit status, output, and the files named in `wrote`.
    fn answer(&self, dir: &Path, wrote: &[&str]) -> Value {
        let files: Vec<Value> = wrote
            .iter()
            .filter_map(|name| {
                let bytes = std::fs::read(dir.join(OUT).join(name)).ok()?;
                Some(json!({ "name": name, "type": mime(name), "base64": base64::engine::general_purpose::STANDARD.encode(bytes) }))
            })
            .collect();
        // The output folder is the server's business: the buyer's files are named plainly.
        let plain = |text: &str| text.replace(&format!("{OUT}/"), "");
        json!({
            "exit": self.code,
            "json": serde_json::from_str::<Value>(&self.stdout).ok(),
            "text": plain(&self.stdout),
            "messages": plain(&self.stderr),
            "files": files,
        })
    }
}

fn mime(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "zip" => "application/zip",
        "toml" | "txt" | "csv" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn os(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    args.iter().map(|a| a.as_ref().to_os_string()).collect()
}

impl Shared {
    fn command(&self, dir: &Path, args: &[OsString]) -> tokio::process::Command {
        let mut c = tokio::process::Command::new(&self.program);
        c.args(args).current_dir(dir).stdin(Stdio::null()).kill_on_drop(true).env("NO_COLOR", "1");
        c
    }

    /// Runs `tenderkit ARGS` in `dir` to the end, once a place in the pool is free.
    async fn run(&self, dir: &Path, args: Vec<OsString>) -> Result<Ran, Reply> {
        let _place = self.place().await?;
        let output = tokio::time::timeout(TIME_LIMIT, self.command(dir, &args).output())
            .await
            .map_err(|_| Reply::failed(format!("stopped after {} s", TIME_LIMIT.as_secs())))?
            .map_err(|e| Reply::failed(format!("could not run {}: {e}", self.program.display())))?;
        Ok(Ran {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }
}

/// `POST /api/ACTION`: the uploads received, the action run, the folder removed.
pub async fn action(State(shared): State<Arc<Shared>>, Route(name): Route<String>, form: Multipart) -> Response {
    let started = Instant::now();
    let up = match receive(shared.root.path(), form, shared.max_upload).await {
        Ok(up) => up,
        Err(reply) => return reply.into_response(),
    };
    if let Err(e) = std::fs::create_dir(up.dir.path().join(OUT)) {
        return Reply::failed(format!("no output folder: {e}")).into_response();
    }
    let answer = match name.as_str() {
        "validate" => validate(&shared, &up).await,
        "score" => score(&shared, &up).await,
        "rescale" => rescale(&shared, &up).await,
        "sensitivity" => sensitivity(&shared, &up).await,
        "collect" => collect(&shared, &up).await,
        "text" => text(&shared, &up).await,
        "conflicts" => conflicts(&shared, &up).await,
        "report" => report(&shared, &up).await,
        // Letters answer as they go (progress, then the zip); the folder goes with the stream.
        "letters" => return letters(shared, up, started),
        _ => Err(Reply::refused(StatusCode::NOT_FOUND, format!("no action '{name}'"))),
    };
    log(&name, &up, started);
    match answer {
        Ok(v) => axum::Json(v).into_response(),
        Err(reply) => reply.into_response(),
    }
}

/// The server's one log line per request: what was done, to which files, and how long it took;
/// never the files' content.
fn log(action: &str, up: &Uploads, started: Instant) {
    eprintln!("{action}: {} ({:.2} s)", up.names().join(", "), started.elapsed().as_secs_f64());
}

fn need<'a>(up: &'a Uploads, field: &str, what: &str) -> Result<&'a Path, Reply> {
    up.file(field).ok_or_else(|| Reply::refused(StatusCode::BAD_REQUEST, format!("choose {what} first")))
}

/// The layout file for a matrix: the one uploaded, or one written from the page's layout form
/// (fields `layout.SECTION.KEY`, as in the file `tenderkit layout` writes).
fn layout_args(up: &Uploads) -> Result<Vec<OsString>, Reply> {
    let form = tenderkit_form(up).map_err(|m| Reply::refused(StatusCode::BAD_REQUEST, m))?;
    if let Some(text) = form {
        std::fs::write(up.dir.path().join(".layout-form.toml"), text).map_err(|e| Reply::failed(e.to_string()))?;
        return Ok(os(&[&"--layout", &".layout-form.toml"]));
    }
    Ok(match up.file("layout") {
        Some(l) => os(&[&"--layout", &l]),
        None => Vec::new(),
    })
}

fn tenderkit_form(up: &Uploads) -> Result<Option<String>, String> {
    crate::app::layout_from_form(up.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// `path` as a name for what is written from it: `matrix.xlsx` -> `matrix-scored.xlsx`.
fn derived(path: &Path, what: &str) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "matrix".into());
    format!("{stem}-{what}.xlsx")
}

fn out(name: &str) -> PathBuf {
    Path::new(OUT).join(name)
}

/// 1. `validate --json`, and `layout`: what was found where, as the layout file to correct.
async fn validate(s: &Shared, up: &Uploads) -> Result<Value, Reply> {
    let matrix = need(up, "matrix", "a matrix workbook")?;
    let layout = layout_args(up)?;
    let dir = up.dir.path();
    let mut args = os(&[&"validate", &"--json", &matrix]);
    args.extend(layout.clone());
    let checked = s.run(dir, args).await?;
    let mut args = os(&[&"layout", &matrix, &"-o", &out("layout.toml")]);
    args.extend(layout);
    let found = s.run(dir, args).await?;
    let mut answer = checked.answer(dir, &[]);
    answer["layout"] = found.answer(dir, &["layout.toml"]);
    if let Some(text) = std::fs::read_to_string(dir.join(OUT).join("layout.toml")).ok() {
        answer["layout"]["toml"] = Value::String(text);
    }
    Ok(answer)
}

/// 2. `score --json -o`: the ranking, and the scored workbook.
async fn score(s: &Shared, up: &Uploads) -> Result<Value, Reply> {
    let matrix = need(up, "matrix", "a matrix workbook")?;
    let scored = derived(matrix, "scored");
    let mut args = os(&[&"score", &matrix, &"--json", &"-o", &out(&scored)]);
    args.extend(layout_args(up)?);
    if up.field("use_mean").is_some() {
        args.push("--use-mean".into());
    }
    if up.field("chart").is_some() {
        args.push("--chart".into());
    }
    Ok(s.run(up.dir.path(), args).await?.answer(up.dir.path(), &[&scored]))
}

/// 3. `rescale --to -o`: its report (with the proof line), and the rescaled workbook.
async fn rescale(s: &Shared, up: &Uploads) -> Result<Value, Reply> {
    let matrix = need(up, "matrix", "a matrix workbook")?;
    let to = up.field("to").ok_or_else(|| Reply::refused(StatusCode::BAD_REQUEST, "give the new scale, for example 0-10"))?;
    let rescaled = derived(matrix, "rescaled");
    let mut args = os(&[&"rescale", &matrix, &"--to", &to, &"-o", &out(&rescaled)]);
    args.extend(layout_args(up)?);
    if up.field("allow_fractional").is_some() {
        args.push("--allow-fractional".into());
    }
    Ok(s.run(up.dir.path(), args).await?.answer(up.dir.path(), &[&rescaled]))
}

/// 2. `sensitivity -o`: how robust the ranking is, and the matrix with its Sensitivity sheet.
async fn sensitivity(s: &Shared, up: &Uploads) -> Result<Value, Reply> {
    let matrix = need(up, "matrix", "a matrix workbook")?;
    let written = derived(matrix, "sensitivity");
    let mut args = os(&[&"sensitivity", &matrix, &"-o", &out(&written)]);
    args.extend(layout_args(up)?);
    Ok(s.run(up.dir.path(), args).await?.answer(up.dir.path(), &[&written]))
}

/// 4. `returns collect --json -o`: the moderation flags, and the moderated workbook.
async fn collect(s: &Shared, up: &Uploads) -> Result<Value, Reply> {
    let matrix = need(up, "matrix", "a matrix workbook")?;
    let returns = up.all("returns");
    if returns.is_empty() {
        return Err(Reply::refused(StatusCode::BAD_REQUEST, "choose the evaluators' returns first"));
    }
    let moderated = derived(matrix, "moderated");
    let mut args = os(&[&"returns", &"collect", &matrix]);
    args.extend(returns.iter().map(|r| r.as_os_str().to_os_string()));
    if let Some(panel) = up.file("panel") {
        args.extend(os(&[&"--evaluators", &panel]));
    }
    args.extend(os(&[&"--json", &"-o", &out(&moderated)]));
    args.extend(layout_args(up)?);
    Ok(s.run(up.dir.path(), args).await?.answer(up.dir.path(), &[&moderated]))
}

/// 6. `notice`, `spd` or `exclusion`: the text, and the same as a Word document.
async fn text(s: &Shared, up: &Uploads) -> Result<Value, Reply> {
    let tender = need(up, "tender", "the tender definition (tender.toml)")?;
    let which = up.field("which").unwrap_or("notice");
    let args = match which {
        "notice" | "spd" => os(&[&which, &tender]),
        "exclusion" => os(&[&"exclusion", &tender, &need(up, "responses", "the bidders' exclusion answers (responses.toml)")?]),
        _ => return Err(Reply::refused(StatusCode::BAD_REQUEST, format!("no text '{which}': notice, spd or exclusion"))),
    };
    text_and_docx(s, up, args, &format!("{which}.docx")).await
}

/// Runs `args` for the text a command prints, then, where it succeeded, again with `-o NAME` for
/// the same as a Word document.
async fn text_and_docx(s: &Shared, up: &Uploads, mut args: Vec<OsString>, name: &str) -> Result<Value, Reply> {
    let dir = up.dir.path();
    let shown = s.run(dir, args.clone()).await?;
    let mut answer = shown.answer(dir, &[]);
    if shown.code == 0 {
        args.extend(os(&[&"-o", &out(name)]));
        let written = s.run(dir, args).await?;
        answer["files"] = written.answer(dir, &[name])["files"].clone();
    }
    Ok(answer)
}

/// 4. `conflicts`: the conflict-of-interest record of the matrix's panel, and the same as a Word
/// document.
async fn conflicts(s: &Shared, up: &Uploads) -> Result<Value, Reply> {
    let tender = need(up, "tender", "the tender definition (tender.toml)")?;
    let matrix = need(up, "matrix", "the moderated matrix")?;
    let mut args = os(&[&"conflicts", &"--tender", &tender, &"--matrix", &matrix]);
    args.extend(layout_args(up)?);
    text_and_docx(s, up, args, "conflicts.docx").await
}

/// 4. `report`: the evaluation report of the decided matrix, and the same as a Word document.
async fn report(s: &Shared, up: &Uploads) -> Result<Value, Reply> {
    let tender = need(up, "tender", "the tender definition (tender.toml)")?;
    let matrix = need(up, "matrix", "the moderated matrix")?;
    let mut args = os(&[&"report", &"--tender", &tender, &"--matrix", &matrix]);
    if let Some(r) = up.file("responses") {
        args.extend(os(&[&"--responses", &r]));
    }
    for (field, option) in [("sent", "--sent"), ("date", "--date")] {
        if let Some(d) = up.field(field).filter(|d| !d.trim().is_empty()) {
            args.extend(os(&[&option, &d]));
        }
    }
    args.extend(layout_args(up)?);
    text_and_docx(s, up, args, "report.docx").await
}

/// The arguments of `letters`, from the form.
fn letters_args(up: &Uploads) -> Result<Vec<OsString>, Reply> {
    let kind = up.field("kind").ok_or_else(|| Reply::refused(StatusCode::BAD_REQUEST, "choose the kind of letter"))?;
    let tender = need(up, "tender", "the tender definition (tender.toml)")?;
    let mut args = os(&[&"letters", &kind, &"--tender", &tender, &"-o", &out("letters"), &"--zip"]);
    for (field, option) in
        [("matrix", "--matrix"), ("responses", "--responses"), ("opening", "--opening"), ("template", "--template"), ("fields", "--fields")]
    {
        if let Some(f) = up.file(field) {
            args.extend(os(&[&option, &f]));
        }
    }
    if let Some(date) = up.field("date") {
        args.extend(os(&[&"--date", &date]));
    }
    if up.file("matrix").is_some() {
        args.extend(layout_args(up)?);
    }
    Ok(args)
}

/// 5. `template check`, then `letters --zip`, answered as lines of JSON: the check, progress
/// (`{"progress": [done, of]}`), and last the command's answer with the zip.
fn letters(shared: Arc<Shared>, up: Uploads, started: Instant) -> Response {
    let args = match letters_args(&up) {
        Ok(a) => a,
        Err(reply) => return reply.into_response(),
    };
    let kind = up.field("kind").unwrap_or_default().to_string();
    let (tx, rx) = tokio::sync::mpsc::channel::<String>(64);
    tokio::spawn(async move {
        letters_job(&shared, &up, &args, &kind, &tx).await;
        log("letters", &up, started);
        // The request's folder is removed before the answer ends (the stream closes with `tx`).
        drop(up);
        drop(tx);
    });
    let stream =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|line| (Ok::<_, std::convert::Infallible>(line), rx)) });
    ([(header::CONTENT_TYPE, "application/x-ndjson")], Body::from_stream(stream)).into_response()
}

/// The letters action's work, each event sent as a line of JSON.
async fn letters_job(shared: &Shared, up: &Uploads, args: &[OsString], kind: &str, tx: &tokio::sync::mpsc::Sender<String>) {
    let dir = up.dir.path();
    let send = |v: Value| async move {
        let _ = tx.send(format!("{v}\n")).await;
    };
    let failed = |r: Reply| json!({ "error": r.message });
    if let Some(template) = up.file("template") {
        let mut check = os(&[&"template", &"check", &template, &"--json"]);
        if let Some(f) = up.file("fields") {
            check.extend(os(&[&"--fields", &f]));
        }
        match shared.run(dir, check).await {
            Ok(ran) => {
                let code = ran.code;
                send(json!({ "template_check": ran.answer(dir, &[]) })).await;
                if code != 0 {
                    return;
                }
            }
            Err(r) => return send(failed(r)).await,
        }
    }
    if shared.pool.available_permits() == 0 {
        send(json!({ "queued": shared.queue() })).await;
    }
    let _place = match shared.place().await {
        Ok(p) => p,
        Err(r) => return send(failed(r)).await,
    };
    let mut command = shared.command(dir, &args);
    command.env("TENDERKIT_PROGRESS", "lines").stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = match command.spawn() {
        Ok(c) => c,
        Err(e) => return send(json!({ "error": format!("could not run tenderkit: {e}") })).await,
    };
    let mut lines = tokio::io::BufReader::new(child.stderr.take().expect("piped")).lines();
    let mut messages = String::new();
    let stdout = child.stdout.take().expect("piped");
    let reading = tokio::spawn(async move {
        let mut text = String::new();
        let _ = tokio::io::AsyncReadExt::read_to_string(&mut tokio::io::BufReader::new(stdout), &mut text).await;
        text
    });
    let deadline = tokio::time::Instant::now() + TIME_LIMIT;
    loop {
        let line = match tokio::time::timeout_at(deadline, lines.next_line()).await {
            Ok(Ok(Some(line))) => line,
            Ok(_) => break,
            Err(_) => {
                let _ = child.kill().await;
                return send(json!({ "error": format!("stopped after {} s", TIME_LIMIT.as_secs()) })).await;
            }
        };
        match line.strip_prefix("progress ").and_then(|p| p.split_once('/')) {
            Some((done, of)) => send(json!({ "progress": [done.parse::<u64>().unwrap_or(0), of.parse::<u64>().unwrap_or(0)] })).await,
            None => {
                messages.push_str(&line);
                messages.push('\n');
            }
        }
    }
    let code = child.wait().await.ok().and_then(|s| s.code()).unwrap_or(-1);
    let ran = Ran { code, stdout: reading.await.unwrap_or_default(), stderr: messages };
    let zip = format!("letters/{kind}-letters.zip");
    let mut answer = ran.answer(dir, &[&zip]);
    if let Some(f) = answer["files"].get_mut(0) {
        f["name"] = Value::String(format!("{kind}-letters.zip"));
    }
    send(json!({ "done": answer })).await;
}
