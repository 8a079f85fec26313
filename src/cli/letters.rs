use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tenderkit::Error;
use tenderkit::docx::bundled;
use tenderkit::docx::template::{Binding, DocxTemplate, escape_value};
use tenderkit::domain::letters::{Input, KINDS, Kind, Opening, StandstillInfo, check_opening, opening_form, plan};
use tenderkit::domain::standstill::weekday_long;
use tenderkit::render::{TemplateError, engine, text_tags, tidy};
use tenderkit::tender_file::load;
use tenderkit::xlsx::returns::slug;

use super::{EXIT_FINDINGS, LayoutArg};

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("destination").required(true).multiple(true)))]
pub struct Args {
    /// disqualification, unsuccessful (Scotland 2015's standstill letter), successful,
    /// assessment-summary (Procurement Act 2023), abnormally-low (a request to explain a price),
    /// self-cleansing, late-bid or tender-opening-form.
    kind: String,
    /// The tender definition.
    #[arg(long, value_name = "TENDER.toml")]
    tender: PathBuf,
    /// The scored (or moderated) matrix: scores, ranks, pass marks, justifications.
    #[arg(long, value_name = "MATRIX.xlsx")]
    matrix: Option<PathBuf>,
    #[command(flatten)]
    layout: LayoutArg,
    /// The bidders' SPD exclusion answers (for disqualification and self-cleansing letters).
    #[arg(long, value_name = "RESPONSES.toml")]
    responses: Option<PathBuf>,
    #[command(flatten)]
    on: super::exclusion::DecidedOn,
    /// The tender opening board's record (for disqualification, late-bid and the opening form).
    #[arg(long, value_name = "OPENING.toml")]
    opening: Option<PathBuf>,
    /// One letter template of the buyer's own, used instead of the bundled one: a Word .docx, or a
    /// .hbs text template.
    #[arg(long, value_name = "TEMPLATE.docx|TEMPLATE.hbs")]
    template: Option<PathBuf>,
    /// What the Word template's merge fields mean: `Bidder_Name = "bidder"` (TOML). A fields.toml
    /// beside the template is read without this.
    #[arg(long, value_name = "FIELDS.toml")]
    fields: Option<PathBuf>,
    /// docx (default) or txt.
    #[arg(long, default_value = "docx")]
    format: String,
    /// The letters' date (YYYY-MM-DD); by default the day in --sent for the Scottish award letters
    /// (the notices themselves), else today.
    #[arg(long)]
    date: Option<String>,
    /// For the standstill dates in award letters; without --sent, the letters' date.
    #[command(flatten)]
    notices: super::standstill::NoticesSent,
    /// Also write everything into one zip archive.
    #[arg(long)]
    zip: bool,
    /// Print the data each letter is filled from, as JSON (for `template check --data`), and write nothing.
    #[arg(long, group = "destination")]
    data: bool,
    /// Replace letters that already exist in the folder.
    #[arg(long)]
    force: bool,
    /// The folder to write the letters into.
    #[arg(short, long, value_name = "DIR", group = "destination")]
    output: Option<PathBuf>,
}

enum Template {
    Word(DocxTemplate),
    Text(String),
}

/// A letter, rendered: its file name and bytes.
struct Written {
    bidder: String,
    file: String,
    bytes: Vec<u8>,
    reasons: String,
}

fn count(n: usize, kind: Kind) -> String {
    let what = if kind == Kind::TenderOpeningForm { "document" } else { "letter" };
    format!("{n} {} {what}{}", kind.name(), if n == 1 { "" } else { "s" })
}

/// What messages call the template: the buyer's file, or the bundled one.
fn template_name_of(template: &Option<PathBuf>, kind: Kind) -> String {
    template.as_ref().map_or_else(|| format!("templates/letters/{}", kind.name()), |p| p.display().to_string())
}

/// Spreadsheet programs run cells starting with these as formulas; the index quotes them.
fn csv_cell(text: &str) -> String {
    let safe = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    format!("\"{}\"", safe.replace('"', "\"\""))
}

/// The letters' date. A Scottish award letter is the notice of regulation 85, sent on --sent: it
/// is dated that day, and a different --date is refused. An assessment summary is provided before
/// the contract award notice is published (s.50(3)), so it cannot be dated after --sent.
fn letter_date(args: &Args, kind: Kind, regime: tenderkit::domain::regime::Regime) -> tenderkit::Result<chrono::NaiveDate> {
    let parse =
        |flag: &str, d: &str| d.parse::<chrono::NaiveDate>().map_err(|_| Error::Usage(format!("{flag} {d}: write the date as YYYY-MM-DD")));
    let date = args.date.as_deref().map(|d| parse("--date", d)).transpose()?;
    let sent = args.notices.sent.as_deref().map(|d| parse("--sent", d)).transpose()?;
    let scottish_notice = regime == tenderkit::domain::regime::Regime::Scotland2015 && kind.tells_standstill();
    match (date, sent) {
        (Some(date), Some(sent)) if scottish_notice && date != sent => Err(Error::Usage(format!(
            "--date {date} and --sent {sent} differ, but this letter is the notice of the award decision (regulation 85), dated the day it is sent: give one of them"
        ))),
        (Some(date), Some(sent)) if kind == Kind::AssessmentSummary && date > sent => Err(Error::Usage(format!(
            "--date {date} is after --sent {sent}: assessment summaries are provided before the contract award notice is published (s.50(3))"
        ))),
        (Some(date), _) => Ok(date),
        (None, Some(sent)) if scottish_notice => Ok(sent),
        (None, _) => Ok(super::exclusion::today()),
    }
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let kind = Kind::parse(&args.kind)
        .ok_or_else(|| Error::Usage(format!("unknown letter '{}': use one of {}", args.kind, KINDS.map(Kind::name).join(", "))))?;
    // A letter's inputs not given is a usage error, found before any work is done.
    let given = |i: Input| match i {
        Input::Matrix => args.matrix.is_some(),
        Input::Responses => args.responses.is_some(),
        Input::Opening => args.opening.is_some(),
    };
    let (all, any) = kind.needs();
    if let Some(missing) = all.iter().find(|&&i| !given(i)) {
        return Err(Error::Usage(format!("{} letters need {}", kind.name(), missing.option())));
    }
    if !any.is_empty() && !any.iter().any(|&i| given(i)) {
        let options: Vec<&str> = any.iter().map(|i| i.option()).collect();
        return Err(Error::Usage(format!("{} letters need at least one of {}", kind.name(), options.join(", "))));
    }
    let Some(tender) = super::checked_tender(&args.tender)? else {
        eprintln!("no letters written: fix the tender definition first");
        return Ok(EXIT_FINDINGS);
    };
    kind.under(tender.regime).map_err(Error::Usage)?;
    let date = letter_date(&args, kind, tender.regime)?.to_string();
    let opening: Option<Opening> = args.opening.as_deref().map(load).transpose()?;
    if let Some(problem) = opening.as_ref().and_then(check_opening) {
        eprintln!("error: {}: {problem}", args.opening.as_ref().unwrap().display());
        return Ok(EXIT_FINDINGS);
    }
    let exclusions = match &args.responses {
        Some(p) => match super::exclusion::decided(&tender, p, &args.on, date.parse().expect("a date"), "no letters written")? {
            Some(d) => d,
            None => return Ok(EXIT_FINDINGS),
        },
        None => Vec::new(),
    };

    // The evaluation, where a matrix is given.
    let evaluated = match &args.matrix {
        Some(path) => match super::evaluated::evaluated(path, &args.layout, "no letters")? {
            Some(e) => Some(e),
            None => return Ok(EXIT_FINDINGS),
        },
        None => None,
    };
    let eval = evaluated.as_ref().map(|e| e.evaluation(&tender));

    // The data for each document (and, for letters to bidders, the letters themselves).
    let mut planned = None;
    let mut standstill = None;
    let data: Vec<(String, serde_json::Value, String)> = if kind == Kind::TenderOpeningForm {
        let o = opening
            .as_ref()
            .ok_or_else(|| Error::Usage("the tender opening form needs the opening record (--opening opening.toml)".into()))?;
        vec![(tender.reference.clone(), serde_json::to_value(opening_form(&date, &tender, o)).expect("serialises"), String::new())]
    } else {
        let p = plan(kind, &date, &tender, eval.as_ref(), &exclusions, opening.as_ref());
        if !p.problems.is_empty() {
            for problem in &p.problems {
                eprintln!("error: {problem}");
            }
            return Ok(EXIT_FINDINGS);
        }
        let mut letters = p.letters;
        if kind.tells_standstill() {
            standstill = args.notices.standstill(&tender, &args.tender, Some(&date))?;
            let info = standstill.as_ref().map(StandstillInfo::from);
            for l in &mut letters {
                l.standstill = info.clone();
            }
        }
        // An award letter gives everything the regulations list, or is not sent.
        let lacking: Vec<(String, Vec<String>)> =
            letters.iter().map(|l| (l.bidder.clone(), l.lacks())).filter(|(_, lacks)| !lacks.is_empty()).collect();
        if !lacking.is_empty() {
            for (bidder, lacks) in &lacking {
                for lack in lacks {
                    eprintln!("error: {bidder}: {lack}");
                }
            }
            let law = match kind {
                Kind::AssessmentSummary => tender.regime.assessment_summary_regulation(tender.devolved_welsh_authority).unwrap_or_default(),
                _ => "regulation 85(2) of the Public Contracts (Scotland) Regulations 2015",
            };
            eprintln!("  the letter must give all of these ({law}); no letters written");
            return Ok(EXIT_FINDINGS);
        }
        let data = letters.iter().map(|l| (l.bidder.clone(), serde_json::to_value(l).expect("serialises"), l.reasons.join("; "))).collect();
        planned = Some(letters);
        data
    };
    if args.data {
        println!("{}", serde_json::to_string_pretty(&data.iter().map(|d| &d.1).collect::<Vec<_>>()).expect("serialises"));
        return Ok(0);
    }
    if data.is_empty() {
        println!("no {} letters to write", kind.name());
        return Ok(0);
    }

    // The template, and an engine for it.
    let txt =
        args.format == "txt" || args.template.as_ref().is_some_and(|t| !t.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx")));
    let values: Vec<&serde_json::Value> = data.iter().map(|d| &d.1).collect();
    let binding = Binding::load(args.template.as_deref(), args.fields.as_deref(), &values)?;
    let template = match (&args.template, txt) {
        (Some(t), false) => Template::Word(DocxTemplate::open(t, &binding)?),
        (Some(t), true) => Template::Text(std::fs::read_to_string(t).map_err(|source| tenderkit::Error::Read { path: t.clone(), source })?),
        (None, false) => Template::Word(DocxTemplate::from_bytes(
            Path::new(&format!("templates/letters/{}.docx", kind.name())),
            bundled::docx(kind).to_vec(),
            &binding,
        )?),
        (None, true) => Template::Text(bundled::text(kind).to_string()),
    };
    // A template that shows the panel's reasons must have them for every criterion: a blank
    // reason is never sent.
    let shows_reasons = match &template {
        Template::Word(d) => d.tags().iter().any(|t| t.tag.contains("justification")),
        Template::Text(t) => t.contains("justification"),
    };
    if shows_reasons && let Some(letters) = &planned {
        let missing: Vec<String> = letters
            .iter()
            .filter(|l| !l.missing_reasons().is_empty())
            .map(|l| format!("{}: no reasons for criteria {}", l.bidder, l.missing_reasons().join(", ")))
            .collect();
        if !missing.is_empty() {
            for m in &missing {
                eprintln!("error: {m}: the moderation note and every evaluator's comment are empty");
            }
            eprintln!(
                "  fix: collect the evaluators' returns (tenderkit returns collect), or write the panel's reasons in the Moderation sheet's Note column; no letters written"
            );
            return Ok(EXIT_FINDINGS);
        }
    }
    // A template that would fill nothing, or not everything, is refused before any letter.
    if let Template::Word(d) = &template {
        let problems = d.problems();
        if let Some(p) = problems.iter().find(|p| p.error) {
            let more = problems.iter().filter(|p| p.error).count() - 1;
            return Err(Error::Template(TemplateError {
                template: template_name_of(&args.template, kind),
                detail: format!(
                    "{}: {}: {}{}",
                    p.place,
                    p.tag,
                    p.message,
                    if more > 0 { format!(" (and {more} more: tenderkit template check lists them)") } else { String::new() }
                ),
            }));
        }
        for p in problems.iter().filter(|p| !p.error) {
            eprintln!("warning: {}: {}", template_name_of(&args.template, kind), p.message);
        }
    }
    let template_name = template_name_of(&args.template, kind);
    let mut hb = engine(if txt { handlebars::no_escape } else { escape_value });
    let registered = match &template {
        Template::Word(d) => d.register(&mut hb, "letter:"),
        Template::Text(t) => tenderkit::render::register(&mut hb, "letter", t)
            .map_err(|e| TemplateError { template: template_name.clone(), detail: tenderkit::render::explain(&text_tags(t), &e) }),
    };
    registered?;

    // Render every letter, on every core, with a progress bar on a terminal.
    let out_dir = args.output.clone().expect("required without --data");
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(data.len() as u64);
        b.set_style(indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}").expect("style").progress_chars("=> "));
        b.set_message(format!("writing {} letters", kind.name()));
        b
    });
    // `serve`'s page shows the same progress: with TENDERKIT_PROGRESS=lines, "progress DONE/OF"
    // lines on stderr, about a hundred in all.
    let lines = std::env::var_os("TENDERKIT_PROGRESS").is_some_and(|v| v == "lines");
    let done = std::sync::atomic::AtomicUsize::new(0);
    let step = data.len().div_ceil(100).max(1);
    let ext = if txt { "txt" } else { "docx" };
    let mut names: Vec<String> = Vec::new();
    let mut taken = std::collections::HashSet::new();
    for (bidder, _, _) in &data {
        // File systems refuse names over 255 bytes: a long bidder name is shortened (the number
        // below keeps two shortened names apart).
        let short: String = slug(bidder).chars().take(80).collect();
        let base = format!("{}-{}", kind.name(), short.trim_end_matches('-'));
        let mut name = format!("{base}.{ext}");
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}-{n}.{ext}");
            n += 1;
        }
        names.push(name);
    }
    let rendered: Vec<Result<Written, Error>> = data
        .par_iter()
        .zip(names.par_iter())
        .map(|((bidder, value, reasons), file)| {
            let failed = |detail: String| Error::Letter { bidder: bidder.clone(), detail };
            let bytes = match &template {
                Template::Word(d) => {
                    let parts = d.render(&hb, "letter:", value).map_err(|e| failed(e.to_string()))?;
                    d.document(&parts).map_err(|e| failed(e.to_string()))?
                }
                Template::Text(_) => {
                    tidy(&hb.render("letter", value).map_err(|e| failed(TemplateError::from_render(&template_name, &e).to_string()))?)
                        .into_bytes()
                }
            };
            if let Some(b) = &bar {
                b.inc(1);
            }
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if lines && (n % step == 0 || n == data.len()) {
                eprintln!("progress {n}/{}", data.len());
            }
            Ok(Written { bidder: bidder.clone(), file: file.clone(), bytes, reasons: reasons.clone() })
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let written = rendered.into_iter().collect::<Result<Vec<_>, _>>()?;
    let mut index = String::from("\"bidder\",\"letter\",\"file\",\"reasons\"\n");
    for w in &written {
        index += &format!("{},{},{},{}\n", csv_cell(&w.bidder), csv_cell(kind.name()), csv_cell(&w.file), csv_cell(&w.reasons));
    }
    // All or nothing: every letter, the index and the archive are placed together, or none is.
    let index_name = format!("{}-index.csv", kind.name());
    let zip_name = format!("{}-letters.zip", kind.name());
    let mut files: Vec<(String, Vec<u8>)> = written.iter().map(|w| (w.file.clone(), w.bytes.clone())).collect();
    files.push((index_name.clone(), index.clone().into_bytes()));
    if args.zip {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let werr = |e: &dyn std::fmt::Display| tenderkit::Error::Write {
            path: out_dir.join(&zip_name),
            source: std::io::Error::other(e.to_string()),
        };
        for (name, bytes) in &files {
            z.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).map_err(|e| werr(&e))?;
            z.write_all(bytes).map_err(|e| werr(&e))?;
        }
        files.push((zip_name.clone(), z.finish().map_err(|e| werr(&e))?.into_inner()));
    }
    tenderkit::fsio::write_batch(&out_dir, &files, args.force)?;
    if args.zip {
        let zip_path = out_dir.join(&zip_name);
        println!("wrote {} and their index to {} (and {})", count(written.len(), kind), out_dir.display(), zip_path.display());
    } else {
        println!("wrote {} and their index to {}", count(written.len(), kind), out_dir.display());
    }
    for w in &written {
        println!("  {}: {}", w.bidder, w.file);
    }
    if let Some(s) = &standstill {
        println!(
            "standstill (counted from {}{}): ends at {}; the law allows the contract to be entered into from {}",
            tenderkit::domain::date::long(s.sent),
            if args.notices.sent.is_none() { ", the letters' date: give --sent if the notices go another day" } else { "" },
            s.ends_text(),
            weekday_long(s.contract_from)
        );
        if let Some(own) = &s.own_wait {
            println!(
                "  your own choice (offices closed): the letters say you will not enter into it before {}",
                weekday_long(own.contract_from)
            );
        }
    }
    Ok(0)
}
