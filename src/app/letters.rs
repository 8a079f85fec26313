//! `letters`: each bidder's letter (or the tender opening form) from the tender, the decided
//! matrix, the exclusion decisions and the opening record, filled into the bundled template or
//! the buyer's own. Three steps, so a shell can stop after each: [`plan`] (who gets what, the data
//! of each letter), [`Plan::template`] (the template checked and ready), and [`Prepared::render`]
//! for each letter (the command renders them on every core; the page one after another), then
//! [`Prepared::finish`] for the index and the zip.

use std::path::Path;

use chrono::NaiveDate;
use handlebars::Handlebars;

use crate::app::Input;
use crate::app::evaluated::evaluated;
use crate::docx::bundled;
use crate::docx::template::{Binding, DocxTemplate, escape_value};
use crate::domain::Tender;
use crate::domain::date::long;
use crate::domain::letters::{self, KINDS, Kind, Opening, StandstillInfo, check_opening, opening_form};
use crate::domain::regime::Regime;
use crate::domain::standstill::{Sending, Standstill, statutory_or_voluntary, weekday_long};
use crate::render::{TemplateError, engine, text_tags, tidy};
use crate::xlsx::layout::LayoutFile;
use crate::xlsx::returns::slug;
use crate::{Error, Result};

/// The kind of letter a buyer names, or a usage error listing the kinds.
pub fn kind(name: &str) -> Result<Kind> {
    Kind::parse(name).ok_or_else(|| Error::Usage(format!("unknown letter '{name}': use one of {}", KINDS.map(Kind::name).join(", "))))
}

/// When the award was notified (`--sent`, `--by`).
#[derive(Clone, Copy, Default)]
pub struct Notices {
    /// Scotland 2015: the day the award notices are sent; the Act: the day the contract award
    /// notice is published.
    pub sent: Option<NaiveDate>,
    /// How the notices are sent (Scotland 2015 only); none is electronic.
    pub by: Option<Sending>,
}

/// The standstill period for `tender` counted from `sent`; `tender_file` names the tender in errors.
pub fn standstill(tender: &Tender, tender_file: &str, sent: NaiveDate, by: Option<Sending>) -> Result<Standstill> {
    if tender.regime == Regime::ProcurementAct2023 && by.is_some() {
        return Err(Error::Usage(
            "--by applies under the Scottish regulations only: under the Procurement Act 2023 the period runs from the contract award notice, however bidders were told".into(),
        ));
    }
    statutory_or_voluntary(tender.regime, sent, by.unwrap_or(Sending::Electronic), &tender.calendar.closed, tender.above_threshold)
        .map_err(|e| Error::Definition { path: tender_file.into(), detail: format!("the standstill period cannot be counted: {e}") })
}

/// What the buyer gave for a batch of letters.
pub struct Request<'a> {
    pub kind: Kind,
    pub tender: &'a Input,
    pub matrix: Option<&'a Input>,
    pub layout: &'a LayoutFile,
    pub responses: Option<&'a Input>,
    /// The day exclusion decisions are made (`--on`).
    pub on: Option<NaiveDate>,
    pub opening: Option<&'a Input>,
    /// The letters' date (`--date`).
    pub date: Option<NaiveDate>,
    pub notices: Notices,
    /// Today, from the shell's clock.
    pub today: NaiveDate,
}

/// The letters' date. A Scottish award letter is the notice of regulation 85, sent on --sent: it
/// is dated that day, and a different --date is refused. An assessment summary is provided before
/// the contract award notice is published (s.50(3)), so it cannot be dated after --sent.
fn letter_date(req: &Request, regime: Regime) -> Result<NaiveDate> {
    let scottish_notice = regime == Regime::Scotland2015 && req.kind.tells_standstill();
    match (req.date, req.notices.sent) {
        (Some(date), Some(sent)) if scottish_notice && date != sent => Err(Error::Usage(format!(
            "--date {date} and --sent {sent} differ, but this letter is the notice of the award decision (regulation 85), dated the day it is sent: give one of them"
        ))),
        (Some(date), Some(sent)) if req.kind == Kind::AssessmentSummary && date > sent => Err(Error::Usage(format!(
            "--date {date} is after --sent {sent}: assessment summaries are provided before the contract award notice is published (s.50(3))"
        ))),
        (Some(date), _) => Ok(date),
        (None, Some(sent)) if scottish_notice => Ok(sent),
        (None, _) => Ok(req.today),
    }
}

/// One letter's data: its bidder, the values its template is filled from, and the reasons the
/// index lists.
pub struct Data {
    pub bidder: String,
    pub value: serde_json::Value,
    pub reasons: String,
}

/// What [`plan`] decided.
pub enum Planned {
    /// Nothing may be written: what to say (standard error), ending with what was not done.
    Refused(String),
    Ready(Box<Plan>),
}

/// Who gets a letter and what each says.
pub struct Plan {
    pub kind: Kind,
    pub data: Vec<Data>,
    /// The letters to bidders (none for the opening form), for the reasons check.
    letters: Option<Vec<letters::Letter>>,
    pub standstill: Option<Standstill>,
    /// Whether the standstill was counted from `--sent` (else from the letters' date).
    sent_given: bool,
    /// What the checks said on the way (warnings about the tender definition).
    pub messages: String,
}

/// Reads what the buyer gave and decides who gets which letter. `Err` for a usage or file error
/// (exit 2), `Refused` for what the buyer must fix first (exit 1).
pub fn plan(req: &Request) -> Result<Planned> {
    let kind = req.kind;
    // A letter's inputs not given is a usage error, found before any work is done.
    let given = |i: letters::Input| match i {
        letters::Input::Matrix => req.matrix.is_some(),
        letters::Input::Responses => req.responses.is_some(),
        letters::Input::Opening => req.opening.is_some(),
    };
    let (all, any) = kind.needs();
    if let Some(missing) = all.iter().find(|&&i| !given(i)) {
        return Err(Error::Usage(format!("{} letters need {}", kind.name(), missing.option())));
    }
    if !any.is_empty() && !any.iter().any(|&i| given(i)) {
        let options: Vec<&str> = any.iter().map(|i| i.option()).collect();
        return Err(Error::Usage(format!("{} letters need at least one of {}", kind.name(), options.join(", "))));
    }
    let checked = crate::app::text::checked_tender(req.tender)?;
    let mut messages = checked.messages;
    let Some(tender) = checked.tender else {
        return Ok(Planned::Refused(messages + "no letters written: fix the tender definition first\n"));
    };
    kind.under(tender.regime).map_err(Error::Usage)?;
    let date = letter_date(req, tender.regime)?;
    let opening: Option<Opening> = req.opening.map(Input::toml).transpose()?;
    if let Some(problem) = opening.as_ref().and_then(check_opening) {
        return Ok(Planned::Refused(format!("{messages}error: {}: {problem}\n", req.opening.expect("read").name)));
    }
    let exclusions = match req.responses {
        Some(r) => match crate::app::exclusion::decide(&tender, r, req.on, date)?.complete("no letters written") {
            Ok(d) => d,
            Err(said) => return Ok(Planned::Refused(messages + &said)),
        },
        None => Vec::new(),
    };
    let evaluated = match req.matrix {
        Some(m) => match evaluated(m, req.layout, "no letters")? {
            Ok(e) => Some(e),
            Err(said) => return Ok(Planned::Refused(messages + &said)),
        },
        None => None,
    };
    let eval = evaluated.as_ref().map(|e| e.evaluation(&tender));
    let date = date.to_string();

    if kind == Kind::TenderOpeningForm {
        let o = opening.as_ref().ok_or_else(|| Error::Usage("the tender opening form needs the opening record (--opening opening.toml)".into()))?;
        let value = serde_json::to_value(opening_form(&date, &tender, o)).expect("serialises");
        let data = vec![Data { bidder: tender.reference.clone(), value, reasons: String::new() }];
        return Ok(Planned::Ready(Box::new(Plan { kind, data, letters: None, standstill: None, sent_given: false, messages })));
    }
    let p = letters::plan(kind, &date, &tender, eval.as_ref(), &exclusions, opening.as_ref());
    if !p.problems.is_empty() {
        for problem in &p.problems {
            messages += &format!("error: {problem}\n");
        }
        return Ok(Planned::Refused(messages));
    }
    let mut letters = p.letters;
    let mut counted = None;
    if kind.tells_standstill() {
        let from = req.notices.sent.unwrap_or(date.parse().expect("a date"));
        let s = standstill(&tender, &req.tender.name, from, req.notices.by)?;
        let info = StandstillInfo::from(&s);
        for l in &mut letters {
            l.standstill = Some(info.clone());
        }
        counted = Some(s);
    }
    // An award letter gives everything the regulations list, or is not sent.
    let lacking: Vec<(&str, Vec<String>)> =
        letters.iter().map(|l| (l.bidder.as_str(), l.lacks())).filter(|(_, lacks)| !lacks.is_empty()).collect();
    if !lacking.is_empty() {
        for (bidder, lacks) in &lacking {
            for lack in lacks {
                messages += &format!("error: {bidder}: {lack}\n");
            }
        }
        let law = match kind {
            Kind::AssessmentSummary => tender.regime.assessment_summary_regulation(tender.devolved_welsh_authority).unwrap_or_default(),
            _ => "regulation 85(2) of the Public Contracts (Scotland) Regulations 2015",
        };
        messages += &format!("  the letter must give all of these ({law}); no letters written\n");
        return Ok(Planned::Refused(messages));
    }
    let data = letters
        .iter()
        .map(|l| Data { bidder: l.bidder.clone(), value: serde_json::to_value(l).expect("serialises"), reasons: l.reasons.join("; ") })
        .collect();
    Ok(Planned::Ready(Box::new(Plan {
        kind,
        data,
        letters: Some(letters),
        standstill: counted,
        sent_given: req.notices.sent.is_some(),
        messages,
    })))
}

enum Template {
    Word(DocxTemplate),
    Text(String),
}

/// A plan with its template checked and compiled: ready to render each letter.
pub struct Prepared {
    plan: Plan,
    template: Template,
    template_name: String,
    hb: Handlebars<'static>,
    names: Vec<String>,
    /// What the template check said that does not stop the letters (warnings).
    pub messages: String,
}

/// What [`Plan::template`] decided.
pub enum Templated {
    Refused(String),
    Ready(Box<Prepared>),
}

impl Plan {
    /// The data each letter is filled from, as JSON (`letters --data`, for `template check --data`).
    pub fn data_json(&self) -> String {
        serde_json::to_string_pretty(&self.data.iter().map(|d| &d.value).collect::<Vec<_>>()).expect("serialises")
    }

    /// The buyer's template (`None`: the bundled one) and its field mapping, checked. `txt` asks
    /// for text letters; a template that is not a .docx is text anyway.
    pub fn template(self, template: Option<&Input>, fields: Option<&Input>, txt: bool) -> Result<Templated> {
        let kind = self.kind;
        let txt = txt || template.is_some_and(|t| !t.path().extension().is_some_and(|e| e.eq_ignore_ascii_case("docx")));
        let template_name = template.map_or_else(|| format!("templates/letters/{}", kind.name()), |t| t.name.clone());
        let values: Vec<&serde_json::Value> = self.data.iter().map(|d| &d.value).collect();
        let binding = match fields {
            Some(f) => Binding::new(Some((f.path(), f.text()?)), &values)?,
            None => Binding::new(None, &values)?,
        };
        let compiled = match (template, txt) {
            (Some(t), false) => Template::Word(DocxTemplate::from_bytes(t.path(), t.bytes.to_vec(), &binding)?),
            (Some(t), true) => Template::Text(
                String::from_utf8(t.bytes.to_vec()).map_err(|e| Error::Read {
                    path: t.path().to_path_buf(),
                    source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
                })?,
            ),
            (None, false) => Template::Word(DocxTemplate::from_bytes(
                Path::new(&format!("templates/letters/{}.docx", kind.name())),
                bundled::docx(kind).to_vec(),
                &binding,
            )?),
            (None, true) => Template::Text(bundled::text(kind).to_string()),
        };
        // A template that shows the panel's reasons must have them for every criterion: a blank
        // reason is never sent.
        let shows_reasons = match &compiled {
            Template::Word(d) => d.tags().iter().any(|t| t.tag.contains("justification")),
            Template::Text(t) => t.contains("justification"),
        };
        if shows_reasons && let Some(letters) = &self.letters {
            let missing: Vec<String> = letters
                .iter()
                .filter(|l| !l.missing_reasons().is_empty())
                .map(|l| format!("error: {}: no reasons for criteria {}: the moderation note and every evaluator's comment are empty\n", l.bidder, l.missing_reasons().join(", ")))
                .collect();
            if !missing.is_empty() {
                return Ok(Templated::Refused(format!(
                    "{}{}  fix: collect the evaluators' returns (tenderkit returns collect), or write the panel's reasons in the Moderation sheet's Note column; no letters written\n",
                    self.messages,
                    missing.concat()
                )));
            }
        }
        // A template that would fill nothing, or not everything, is refused before any letter.
        let messages = match &compiled {
            Template::Word(d) => crate::app::template::refuse_errors(d, &template_name)?,
            Template::Text(_) => String::new(),
        };
        let mut hb = engine(if txt { handlebars::no_escape } else { escape_value });
        match &compiled {
            Template::Word(d) => d.register(&mut hb, "letter:")?,
            Template::Text(t) => crate::render::register(&mut hb, "letter", t)
                .map_err(|e| TemplateError { template: template_name.clone(), detail: crate::render::explain(&text_tags(t), &e) })?,
        }
        let names = file_names(kind, &self.data, if txt { "txt" } else { "docx" });
        Ok(Templated::Ready(Box::new(Prepared { plan: self, template: compiled, template_name, hb, names, messages })))
    }
}

/// Each letter's file name: the kind and the bidder. File systems refuse names over 255 bytes: a
/// long bidder name is shortened (a number keeps two shortened names apart).
fn file_names(kind: Kind, data: &[Data], ext: &str) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    data.iter()
        .map(|d| {
            let short: String = slug(&d.bidder).chars().take(80).collect();
            let base = format!("{}-{}", kind.name(), short.trim_end_matches('-'));
            let mut name = format!("{base}.{ext}");
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{n}.{ext}");
                n += 1;
            }
            name
        })
        .collect()
}

/// Spreadsheet programs run cells starting with these as formulas; the index quotes them.
fn csv_cell(text: &str) -> String {
    let safe = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    format!("\"{}\"", safe.replace('"', "\"\""))
}

/// The letters written, and what to say.
pub struct Letters {
    /// The zip's name, when one was asked for (it is the last file).
    pub zip: Option<String>,
    kind: Kind,
    written: Vec<(String, String)>,
    standstill: Option<Standstill>,
    sent_given: bool,
}

impl Prepared {
    pub fn len(&self) -> usize {
        self.plan.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.plan.data.is_empty()
    }

    pub fn kind(&self) -> Kind {
        self.plan.kind
    }

    /// Letter `i`'s bytes.
    pub fn render(&self, i: usize) -> Result<Vec<u8>> {
        let d = &self.plan.data[i];
        let failed = |detail: String| Error::Letter { bidder: d.bidder.clone(), detail };
        match &self.template {
            Template::Word(t) => {
                let parts = t.render(&self.hb, "letter:", &d.value).map_err(|e| failed(e.to_string()))?;
                t.document(&parts).map_err(|e| failed(e.to_string()))
            }
            Template::Text(_) => Ok(tidy(
                &self.hb.render("letter", &d.value).map_err(|e| failed(TemplateError::from_render(&self.template_name, &e).to_string()))?,
            )
            .into_bytes()),
        }
    }

    /// Every file the batch places, in order: the letters, their index, and the zip where one
    /// is asked for.
    pub fn file_names(&self, zip: bool) -> Vec<String> {
        let kind = self.plan.kind;
        let mut names = self.names.clone();
        names.push(format!("{}-index.csv", kind.name()));
        if zip {
            names.push(format!("{}-letters.zip", kind.name()));
        }
        names
    }

    /// The letters' index: one CSV row per letter.
    fn index(&self) -> String {
        let kind = self.plan.kind;
        let mut index = String::from("\"bidder\",\"letter\",\"file\",\"reasons\"\n");
        for (d, file) in self.plan.data.iter().zip(&self.names) {
            index += &format!("{},{},{},{}\n", csv_cell(&d.bidder), csv_cell(kind.name()), csv_cell(file), csv_cell(&d.reasons));
        }
        index
    }

    /// What is said once the files are made; `zip` names the archive where there is one.
    fn into_letters(self, zip: Option<String>) -> Letters {
        let written: Vec<(String, String)> = self.plan.data.iter().map(|d| d.bidder.clone()).zip(self.names).collect();
        Letters { zip, kind: self.plan.kind, written, standstill: self.plan.standstill, sent_given: self.plan.sent_given }
    }

    /// With every letter staged in `batch` (file `i` is letter `i`, as [`Prepared::file_names`]
    /// lists them), stages their index and, where `zip` asks for one, a zip of them all, read
    /// back from the staged files one at a time.
    pub fn finish(self, batch: &crate::fsio::Batch, zip: bool) -> Result<Letters> {
        let n = self.names.len();
        let index = self.index();
        batch.stage(n, index.as_bytes())?;
        let names = self.file_names(zip);
        if zip {
            batch.stage_with(n + 1, |w| {
                let files = names[..=n].iter().enumerate().map(|(i, name)| (name, std::fs::File::open(batch.staged(i))));
                zip_into(w, files)
            })?;
        }
        Ok(self.into_letters(zip.then(|| names[n + 1].clone())))
    }

    /// With no file system (the page with no server): the letters (each [`Prepared::render`]'s
    /// bytes, in order) and their index in one zip, with its name.
    pub fn zipped(self, rendered: Vec<Vec<u8>>) -> Result<(Letters, String, Vec<u8>)> {
        let index = self.index();
        let names = self.file_names(true);
        let contents = rendered.iter().map(Vec::as_slice).chain([index.as_bytes()]);
        let name = names[names.len() - 1].clone();
        let mut out = std::io::Cursor::new(Vec::new());
        zip_into(&mut out, names.iter().zip(contents.map(Ok))).map_err(|source| Error::Write { path: name.clone().into(), source })?;
        Ok((self.into_letters(Some(name.clone())), name, out.into_inner()))
    }
}

/// A zip of `files` (each a name and what to read its bytes from), written to `w`.
fn zip_into<'a, R: std::io::Read>(
    w: impl std::io::Write + std::io::Seek,
    files: impl IntoIterator<Item = (&'a String, std::io::Result<R>)>,
) -> std::io::Result<()> {
    let mut z = zip::ZipWriter::new(w);
    for (name, bytes) in files {
        z.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).map_err(std::io::Error::other)?;
        std::io::copy(&mut bytes?, &mut z)?;
    }
    z.finish().map_err(std::io::Error::other).map(|_| ())
}

fn count(n: usize, kind: Kind) -> String {
    let what = if kind == Kind::TenderOpeningForm { "document" } else { "letter" };
    format!("{n} {} {what}{}", kind.name(), if n == 1 { "" } else { "s" })
}

impl Letters {
    /// What the command prints once the files are in `dir`: each letter's file and the standstill.
    pub fn report(&self, dir: &Path) -> String {
        let mut out = match &self.zip {
            Some(zip) => {
                format!("wrote {} and their index to {} (and {})\n", count(self.written.len(), self.kind), dir.display(), dir.join(zip).display())
            }
            None => format!("wrote {} and their index to {}\n", count(self.written.len(), self.kind), dir.display()),
        };
        for (bidder, file) in &self.written {
            out += &format!("  {bidder}: {file}\n");
        }
        if let Some(s) = &self.standstill {
            out += &format!(
                "standstill (counted from {}{}): ends at {}; the law allows the contract to be entered into from {}\n",
                long(s.sent),
                if self.sent_given { "" } else { ", the letters' date: give --sent if the notices go another day" },
                s.ends_text(),
                weekday_long(s.contract_from)
            );
            if let Some(own) = &s.own_wait {
                out += &format!(
                    "  your own choice (offices closed): the letters say you will not enter into it before {}\n",
                    weekday_long(own.contract_from)
                );
            }
        }
        out
    }
}
