//! Letters from Word templates: the buyer's own (fields split across runs, tables, headers,
//! footers) and the bundled ones; every document opens in LibreOffice Writer.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use tenderkit::xlsx::{CellEdit, Edits, Workbook};

fn letters(kind: &str, out: &Path, extra: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"letters", &kind];
    let (tender, matrix, responses, opening) =
        (example("tender.toml"), example("moderated.xlsx"), example("responses.toml"), example("opening.toml"));
    let owned: Vec<PathBuf> = vec![tender, matrix, responses, opening];
    let flags = ["--tender", "--matrix", "--responses", "--opening"];
    for (f, p) in flags.iter().zip(&owned) {
        args.push(f);
        args.push(p);
    }
    args.extend([&"--date" as &dyn AsRef<std::ffi::OsStr>, &"2026-12-18", &"-o", &out, &"--force"]);
    args.extend_from_slice(extra);
    tenderkit(&args)
}

#[test]
fn the_buyers_own_template_is_filled_however_word_split_the_fields() {
    let dir = temp();
    let template = fixture("letter-split-runs.docx");
    let run = letters("unsuccessful", dir.path(), &[&"--template", &template]);
    assert_eq!(run.code, 0, "{}", run.all());
    let doc = dir.path().join("unsuccessful-northgate-ev-vehicles-plc.docx");
    let body = zip_text(&doc, "word/document.xml");
    let t = paragraphs(&body);
    assert!(t.contains("Dear Northgate EV Vehicles plc,\n"), "{t}");
    assert!(t.contains("Re: Electric refuse collection vehicles: supply, maintenance and end-of-life (FLT-2026-031)"), "{t}");
    assert!(t.contains("Your total was 88.06 and you ranked 2 of 3."), "{t}");
    assert!(
        t.contains("1.4 Manoeuvrability in narrow and rural streets (weighting 9%): the winning tender scored 4 (Excellent) against your 2 (Acceptable). Rear-steer and narrow-track variants"),
        "{t}"
    );
    assert!(!t.contains("{{") && !t.contains("}}"), "every field filled: {t}");
    // {{bid + der}}: the field started in a plain run, so the name is in that run's formatting.
    let name_run = body.split("<w:r>").find(|r| r.contains("Northgate EV Vehicles plc</w:t>")).unwrap();
    assert!(!name_run.contains("<w:b/>"), "{name_run}");
    // The table row with {{#each scores}} repeats: a heading row and one per criterion.
    assert_eq!(body.matches("<w:tr>").count() + body.matches("<w:tr ").count(), 11);
    assert!(t.contains("1.1 Payload and range on the council's collection rounds\n4\nPayload of 19.5t"), "{t}");
    // Header and footer fields.
    assert!(paragraphs(&zip_text(&doc, "word/header1.xml")).contains("Kelvinside Council"));
    assert!(paragraphs(&zip_text(&doc, "word/footer1.xml")).contains("Ref: FLT-2026-031"));
    // Image, numbering and styles are copied untouched.
    for p in ["word/media/image1.png", "word/numbering.xml", "word/styles.xml"] {
        assert_eq!(zip_part(&doc, p), zip_part(&template, p), "{p} untouched");
    }
    libreoffice_pdf(&doc, dir.path());
}

#[test]
fn every_bundled_letter_converts_to_pdf() {
    let dir = temp();
    let mut docs = Vec::new();
    for kind in ["disqualification", "unsuccessful", "successful", "self-cleansing", "late-bid", "tender-opening-form"] {
        let run = letters(kind, dir.path(), &[]);
        assert_eq!(run.code, 0, "{kind}: {}", run.all());
        let index = std::fs::read_to_string(dir.path().join(format!("{kind}-index.csv"))).unwrap();
        for line in index.lines().skip(1) {
            let file = line.split("\",\"").nth(2).unwrap();
            docs.push(dir.path().join(file));
        }
    }
    assert_eq!(docs.len(), 9, "{docs:?}");
    let t = paragraphs(&zip_text(&dir.path().join("disqualification-ardmore-municipal-engineering-ltd.docx"), "word/document.xml"));
    for reason in [
        "the tender was not signed and dated",
        "quality score 55.06 out of 100, below the minimum of 60",
        "corruption (reg 58(1)(b)), conviction on 4 September 2025; the period of reg 58(11) runs from 5 September 2025 to 4 September 2030: a mandatory exclusion ground",
    ] {
        assert!(t.contains(reason), "{reason} in {t}");
    }
    let late = paragraphs(&zip_text(&dir.path().join("late-bid-kinross-vehicle-hire-ltd.docx"), "word/document.xml"));
    assert!(late.contains("We have decided not to accept your tender") && late.contains("41 minutes after the deadline"), "{late}");
    let sc = paragraphs(&zip_text(&dir.path().join("self-cleansing-ardmore-municipal-engineering-ltd.docx"), "word/document.xml"));
    assert!(
        sc.contains("Your evidence does not show that you have:")
            && sc.contains("taken concrete technical, organisational and personnel measures"),
        "{sc}"
    );
    let form = paragraphs(&zip_text(&dir.path().join("tender-opening-form-flt-2026-031.docx"), "word/document.xml"));
    assert!(
        form.contains("Fiona Baird, Procurement Officer") && form.contains("Kinross Vehicle Hire Ltd") && form.contains("Late: rejected"),
        "{form}"
    );
    for d in &docs {
        libreoffice_pdf(d, dir.path());
    }
}

#[test]
fn plain_text_letters_and_one_archive() {
    let dir = temp();
    let run = letters("unsuccessful", dir.path(), &[&"--format", &"txt", &"--zip"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let letter = std::fs::read_to_string(dir.path().join("unsuccessful-caledonian-fleet-solutions-ltd.txt")).unwrap();
    assert!(letter.starts_with("Kelvinside Council\n18 December 2026\n"), "{letter}");
    assert!(letter.contains("Your tender ranked 3 of 3, with a total score of 86.04 against the winning tender's 92.38"));
    let mut z = zip::ZipArchive::new(std::fs::File::open(dir.path().join("unsuccessful-letters.zip")).unwrap()).unwrap();
    let names: Vec<String> = (0..z.len()).map(|i| z.by_index(i).unwrap().name().to_string()).collect();
    assert_eq!(
        names,
        ["unsuccessful-northgate-ev-vehicles-plc.txt", "unsuccessful-caledonian-fleet-solutions-ltd.txt", "unsuccessful-index.csv"]
    );
    assert!(run.stderr.is_empty(), "no progress bar when not on a terminal: {}", run.stderr);
}

#[test]
fn missing_data_and_malformed_templates_are_errors_not_blanks() {
    let dir = temp();
    let bad = dir.path().join("bad.hbs");
    std::fs::write(&bad, "Dear {{bidder}},\nYour score was {{totl}}.\n").unwrap();
    let out = dir.path().join("out");
    let run = letters("unsuccessful", &out, &[&"--template", &bad]);
    assert_eq!(run.code, 1, "a template's problems exit 1, as the README says: {}", run.all());
    assert!(run.stderr.contains("the field 'totl' has no data"), "{}", run.stderr);
    assert!(!out.join("unsuccessful-northgate-ev-vehicles-plc.txt").exists(), "no half-written letters");

    // template check names the paragraph of a block that is never closed, and unknown helpers.
    let data = dir.path().join("data.json");
    let run = letters("unsuccessful", &out, &[&"--data"]);
    std::fs::write(&data, &run.stdout).unwrap();
    let broken = dir.path().join("broken.hbs");
    std::fs::write(&broken, "Dear {{bidder}}\n{{#each scores}}\n{{reference}} {{shout score}}\n").unwrap();
    let run = tenderkit(&[&"template", &"check", &broken, &"--data", &data]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("line 2: {{#each scores}}: {{#each}} is never closed"), "{}", run.stdout);
    assert!(run.stdout.contains("line 3: {{shout score}}: unknown helper 'shout'"), "{}", run.stdout);
    let run = tenderkit(&[&"template", &"check", &fixture("letter-split-runs.docx"), &"--data", &data]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stdout.contains("document paragraph 14 (table): {{#each scores}}")
            && run.stdout.contains("header1 paragraph 1: {{tender.organisation}}"),
        "{}",
        run.stdout
    );
}

#[test]
fn awkward_bidder_names_are_escaped_and_give_safe_file_names() {
    let dir = temp();
    // The third bid fails the minimum quality score (a disqualification letter), the fourth wins.
    let names = ["\"Quoted\" O'Brien Haulage", "../../etc/passwd Trucks", "Smith & Jones <Fleet> Ltd", "=cmd|' /C calc'!A0"];
    let mut tender = std::fs::read_to_string(example("tender.toml")).unwrap();
    for (old, new) in [
        "Caledonian Fleet Solutions Ltd",
        "Northgate EV Vehicles plc",
        "Ardmore Municipal Engineering Ltd",
        "Forth Valley Commercial Vehicles LLP",
    ]
    .iter()
    .zip(names)
    {
        tender = tender.replace(&format!("name = \"{old}\""), &format!("name = '''{new}'''"));
    }
    let t = dir.path().join("tender.toml");
    std::fs::write(&t, tender).unwrap();
    let m = dir.path().join("m.xlsx");
    assert_eq!(tenderkit(&[&"matrix", &"new", &t, &"-o", &m]).code, 0);
    // Score it as the example was scored.
    let example_wb = Workbook::open(&example("matrix.xlsx")).unwrap();
    let wb = Workbook::open(&m).unwrap();
    let mut e = Edits::default();
    for sheet in ["Quality", "Price"] {
        for c in example_wb
            .sheet(sheet)
            .unwrap()
            .cells()
            .filter(|c| !c.has_formula() && c.at.row >= 4 && c.at.col >= 2 && matches!(c.value, tenderkit::xlsx::Value::Number(_)))
        {
            if let tenderkit::xlsx::Value::Number(n) = c.value {
                e.set(sheet, c.at, CellEdit::Number(n));
            }
        }
    }
    let scored = dir.path().join("scored.xlsx");
    wb.write(&e, &scored).unwrap();
    let out = dir.path().join("letters");
    let run = tenderkit(&[&"letters", &"disqualification", &"--tender", &t, &"--matrix", &scored, &"--date", &"2026-12-18", &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    let letter = out.join("disqualification-smith-jones-fleet-ltd.docx");
    let body = zip_text(&letter, "word/document.xml");
    assert!(body.contains("Smith &amp; Jones &lt;Fleet&gt; Ltd"), "escaped in XML");
    assert!(paragraphs(&body).contains("Dear Smith & Jones <Fleet> Ltd,"));
    // Every name makes a safe file name: the late-bid letters go to all four.
    let opening = dir.path().join("opening.toml");
    let mut record = String::from("opened = \"4 December 2026, 14:00\"\ndeadline = \"4 December 2026, 12:00\"\nboard = [\"A\", \"B\"]\n");
    for n in names {
        record += &format!(
            "\n[[tenders]]\nbidder = '''{n}'''\nreceived = \"4 December 2026, 12:30\"\nlate = true\nlate_accepted = false\nlate_reason = \"Late.\"\n"
        );
    }
    std::fs::write(&opening, record).unwrap();
    let late = dir.path().join("late");
    let run = tenderkit(&[&"letters", &"late-bid", &"--tender", &t, &"--opening", &opening, &"-o", &late]);
    assert_eq!(run.code, 0, "{}", run.all());
    let files: Vec<String> = std::fs::read_dir(&late).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert_eq!(files.len(), 5, "{files:?}");
    assert!(
        files.iter().all(|f| !f.contains('/') && !f.contains("..") && f.chars().all(|c| c.is_ascii_alphanumeric() || "-.".contains(c))),
        "{files:?}"
    );
    libreoffice_pdf(&letter, dir.path());
    // The formula-looking name wins: its letter and index line are safe too.
    let run = tenderkit(&[&"letters", &"successful", &"--tender", &t, &"--matrix", &scored, &"--date", &"2026-12-18", &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    let index = std::fs::read_to_string(out.join("successful-index.csv")).unwrap();
    assert!(index.contains("\"'=cmd|' /C calc'!A0\""), "a formula-looking name is quoted in the index: {index}");
    let winner = out.join("successful-cmd-c-calc-a0.docx");
    assert!(paragraphs(&zip_text(&winner, "word/document.xml")).contains("Dear =cmd|' /C calc'!A0,"));
}

#[test]
fn letters_read_as_written_by_one_person() {
    let dir = temp();
    let (t, m, r, o) = (example("tender.toml"), example("moderated.xlsx"), example("responses.toml"), example("opening.toml"));
    for kind in ["disqualification", "unsuccessful", "successful", "self-cleansing", "late-bid", "tender-opening-form"] {
        let run = tenderkit(&[
            &"letters",
            &kind,
            &"--tender",
            &t,
            &"--matrix",
            &m,
            &"--responses",
            &r,
            &"--opening",
            &o,
            &"--format",
            &"txt",
            &"--date",
            &"2026-12-04",
            &"-o",
            &dir.path(),
        ]);
        assert_eq!(run.code, 0, "{kind}: {}", run.all());
    }
    let iso = |s: &str| {
        s.as_bytes()
            .windows(10)
            .any(|w| w[4] == b'-' && w[7] == b'-' && w.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()))
    };
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&p).unwrap();
            assert!(!iso(&text), "{}: one date style (4 December 2026), no ISO dates:\n{text}", p.display());
        }
    }
    let letter = std::fs::read_to_string(dir.path().join("unsuccessful-northgate-ev-vehicles-plc.txt")).unwrap();
    assert!(letter.contains("your score 4 (Excellent); the winning tender scored 3 (Good)."), "{letter}");
    // Two evaluators wrote the same first sentence: the bidder reads it once.
    let line = letter.lines().skip_while(|l| !l.contains("1.2 Charging")).nth(1).unwrap();
    assert_eq!(line.matches("Smart charging with tariff scheduling").count(), 1, "{line}");
    // A letter with no reasons for a criterion is not written.
    let run =
        tenderkit(&[&"letters", &"unsuccessful", &"--tender", &t, &"--matrix", &example("matrix.xlsx"), &"-o", &dir.path().join("none")]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stderr.contains("Northgate EV Vehicles plc: no reasons recorded for the winning tender's score on criterion 1.2"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("none").exists());
}
