//! Buyers' own Word templates made with Word's Mail Merge (`tests/fixtures/mergefields/`,
//! generator committed): MERGEFIELDs simple and complex, with switches, a repeating table row,
//! fields in the header and footer; the same template saved by LibreOffice Writer; a docxtpl
//! template, one with no fields, one mixing both kinds of field.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn mf(name: &str) -> PathBuf {
    fixture(&format!("mergefields/{name}"))
}

/// The text of a Word part, paragraph by paragraph.
fn paragraphs(xml: &str) -> Vec<String> {
    xml.split("</w:p>")
        .map(|p| {
            let mut text = String::new();
            let mut rest = p;
            while let Some(i) = rest.find("<w:t") {
                rest = &rest[i..];
                // Only <w:t> itself, not <w:tbl...> or <w:tc>.
                if !matches!(rest.as_bytes().get(4), Some(b'>' | b' ')) {
                    rest = &rest[4..];
                    continue;
                }
                let Some(open_end) = rest.find('>') else { break };
                if rest[..open_end].ends_with('/') {
                    rest = &rest[open_end..];
                    continue;
                }
                let Some(close) = rest.find("</w:t>") else { break };
                text += &rest[open_end + 1..close];
                rest = &rest[close..];
            }
            text.replace("&amp;", "&").replace("&apos;", "'").replace("&quot;", "\"")
        })
        .filter(|t| !t.trim().is_empty())
        .collect()
}

fn letters_from(template: &Path, out: &Path, extra: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    let (t, m) = (example("tender.toml"), example("moderated.xlsx"));
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![
        &"letters",
        &"unsuccessful",
        &"--tender",
        &t,
        &"--matrix",
        &m,
        &"--template",
        &template,
        &"--date",
        &"2026-12-04",
        &"-o",
        &out,
    ];
    args.extend_from_slice(extra);
    tenderkit(&args)
}

fn check_letters(template: &str, switches_kept: bool) {
    let dir = temp();
    let out = dir.path().join("letters");
    let run = letters_from(&mf(template), &out, &[]);
    assert_eq!(run.code, 0, "{template}: {}", run.all());
    let letter = out.join("unsuccessful-northgate-ev-vehicles-plc.docx");
    let document = zip_text(&letter, "word/document.xml");
    for code in ["MERGEFIELD", "fldSimple", "«", "»", "{{"] {
        assert!(!document.contains(code), "{template}: no field code or «» left ({code}): {document}");
    }
    let text = paragraphs(&document);
    let want = [
        "4 December 2026",
        "Dear Northgate EV Vehicles plc,",
        if switches_kept {
            "ELECTRIC REFUSE COLLECTION VEHICLES: SUPPLY, MAINTENANCE AND END-OF-LIFE"
        } else {
            "Electric refuse collection vehicles: supply, maintenance and end-of-life"
        },
        if switches_kept {
            "Your tender has not been successful. Your total score was 88.06 and the winning tender's 92.38. Your rank: 2."
        } else {
            "Your tender has not been successful. Your total score was 88.06 and the winning tender's 92.38. 2"
        },
    ];
    for w in want {
        assert!(text.iter().any(|t| t == w), "{template}: expected {w:?} in {text:#?}");
    }
    // The repeated table row: one per criterion, in order, with the reasons.
    let rows: Vec<&String> = text.iter().filter(|t| t.starts_with(['1', '2', '3']) && t.len() == 3).collect();
    assert_eq!(
        rows.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"],
        "{text:#?}"
    );
    let descriptor = if switches_kept { "excellent" } else { "Excellent" };
    assert!(text.iter().any(|t| t == &format!("4 {descriptor}")), "{template}: {text:#?}");
    assert!(text.iter().any(|t| t.starts_with("Payload of 19.5t and range proven on three comparable rounds in Fife.")), "{text:#?}");
    // The value takes the formatting of the field's shown result: the bidder's name is bold (in
    // Word's own file; LibreOffice's save keeps no formatting on that result to take).
    if switches_kept {
        let at = document.find("Northgate EV Vehicles plc</w:t>").unwrap();
        let run = &document[document[..at].rfind("<w:r>").or_else(|| document[..at].rfind("<w:r ")).unwrap()..at];
        assert!(run.contains("<w:b/>"), "{template}: the bidder's name keeps the result's bold: {run}");
    }
    // Other fields stay fields: the printed DATE, and the PAGE number in the footer.
    assert!(document.contains(" DATE "), "{template}: the DATE field is kept");
    let footer =
        zip_parts(&letter).into_iter().find(|(n, _)| n.starts_with("word/footer")).map(|(_, b)| String::from_utf8(b).unwrap()).unwrap();
    assert!(footer.contains("PAGE") && footer.contains("FLT-2026-031"), "{template}: {footer}");
    let header =
        zip_parts(&letter).into_iter().find(|(n, _)| n.starts_with("word/header")).map(|(_, b)| String::from_utf8(b).unwrap()).unwrap();
    assert!(header.contains("Kelvinside Council") && !header.contains("MERGEFIELD"), "{template}: {header}");
    libreoffice_pdf(&letter, dir.path());
}

#[test]
fn word_mail_merge_fields_are_filled_as_word_would() {
    check_letters("letter-mergefields.docx", true);
}

#[test]
fn the_same_template_saved_by_libreoffice_writer_is_filled() {
    // LibreOffice keeps the fields but drops their switches: the values come through unformatted,
    // except dates, which take the letters' date style.
    check_letters("letter-mergefields-lo.docx", false);
}

#[test]
fn template_check_lists_merge_fields_with_what_they_are_filled_from() {
    let run = tenderkit(&[&"template", &"check", &mf("letter-mergefields.docx")]);
    assert_eq!(run.code, 0, "{}", run.all());
    for want in [
        "document paragraph 3: «Bidder_Name» -> bidder",
        "document paragraph 10: «TableStart:Scores» -> scores",
        "document paragraph 12: «Score» -> score",
        "header1 paragraph 1: «Tender_Organisation» -> tender.organisation",
        "footer1 paragraph 1: «Tender_Reference» -> tender.reference",
    ] {
        assert!(run.stdout.contains(want), "expected {want:?} in:\n{}", run.stdout);
    }
}

#[test]
fn an_unmapped_field_is_an_error_naming_it_its_place_and_the_nearest_names() {
    // Without the fields.toml beside it, Bidder_Name means nothing.
    let dir = temp();
    let t = dir.path().join("letter.docx");
    std::fs::copy(mf("letter-mergefields.docx"), &t).unwrap();
    let run = tenderkit(&[&"template", &"check", &t]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stdout.contains("document paragraph 3: «Bidder_Name»: no data named 'Bidder_Name'; map it in fields.toml")
            && run.stdout.contains("the nearest data names are bidder"),
        "{}",
        run.stdout
    );
    let out = dir.path().join("letters");
    let run = letters_from(&t, &out, &[]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("no data named 'Letter_Date'") && run.stderr.contains("and 2 more"), "{}", run.stderr);
    assert!(!out.exists());
    // The mapping on the command line does it.
    let run = letters_from(&t, &out, &[&"--fields", &mf("fields.toml")]);
    assert_eq!(run.code, 0, "{}", run.all());
}

#[test]
fn a_template_for_another_engine_or_with_no_fields_never_passes_silently() {
    let run = tenderkit(&[&"template", &"check", &mf("letter-docxtpl.docx")]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stdout.contains("{% for s in scores %}: this is another template language's syntax"), "{}", run.stdout);
    assert!(run.stdout.contains("{%tr for s in scores %}") && run.stdout.contains("a row that repeats"), "{}", run.stdout);
    let dir = temp();
    let run = letters_from(&mf("letter-docxtpl.docx"), &dir.path().join("a"), &[]);
    assert_eq!(run.code, 1, "{}", run.all());

    let run = tenderkit(&[&"template", &"check", &mf("letter-no-fields.docx")]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stdout.contains("warning: ") && run.stdout.contains("this template has no fields: every letter would be the same"),
        "{}",
        run.stdout
    );
    let run = letters_from(&mf("letter-no-fields.docx"), &dir.path().join("b"), &[]);
    assert!(run.stderr.contains("this template has no fields"), "{}", run.all());
}

#[test]
fn merge_fields_and_handlebars_fields_mix() {
    let dir = temp();
    let out = dir.path().join("letters");
    let run = letters_from(&mf("letter-mixed.docx"), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    let text = paragraphs(&zip_text(&out.join("unsuccessful-northgate-ev-vehicles-plc.docx"), "word/document.xml"));
    assert_eq!(
        text,
        [
            "Dear Northgate EV Vehicles plc, your tender for Electric refuse collection vehicles: supply, maintenance and end-of-life ranked 2."
        ]
    );
}

/// A template like `letter-mixed.docx` whose body is `body` (paragraphs of WordprocessingML).
fn template_with_body(dir: &Path, body: &str) -> PathBuf {
    let src = mf("letter-mixed.docx");
    let document = zip_text(&src, "word/document.xml");
    let (head, rest) = document.split_once("<w:body>").unwrap();
    let sect = &rest[rest.find("<w:sectPr").unwrap()..];
    let document = format!("{head}<w:body>{body}{sect}");
    let parts: Vec<(String, Vec<u8>)> = zip_parts(&src)
        .into_iter()
        .map(|(n, b)| if n == "word/document.xml" { (n, document.clone().into_bytes()) } else { (n, b) })
        .collect();
    let path = dir.join("template.docx");
    write_parts(&path, &parts, true);
    path
}

/// Runs of a complex field: begin, instruction pieces (nested fields written by the caller),
/// separate, Word's stale shown result, end.
fn begin() -> &'static str {
    r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r>"#
}
fn instr(text: &str) -> String {
    format!(r#"<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>"#)
}
fn result_and_end(shown: &str) -> String {
    format!(r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{shown}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#)
}
fn mergefield(name: &str, shown: &str) -> String {
    format!("{}{}{}", begin(), instr(&format!(" MERGEFIELD {name} ")), result_and_end(shown))
}

#[test]
fn a_mergefield_inside_an_if_field_is_worked_out_never_left_stale() {
    let dir = temp();
    // IF { MERGEFIELD TotalScore } > 80 "HIGH SCORE" "LOW SCORE", Word's stale result "LOW SCORE";
    // then text compared with a wildcard and a field in the true text.
    let body = format!(
        "<w:p>{b}{i1}{m1}{i2}{r1}</w:p><w:p>{b}{i3}{m2}{i4}{m3}{i5}{r2}</w:p><w:p>{b}{i6}{m4}{i7}{r3}</w:p>",
        b = begin(),
        i1 = instr(" IF "),
        m1 = mergefield("TotalScore", "50"),
        i2 = instr(r#" &gt; 80 "HIGH SCORE" "LOW SCORE" \* MERGEFORMAT "#),
        r1 = result_and_end("LOW SCORE"),
        i3 = instr(r#" IF ""#),
        m2 = mergefield("Bidder_Name", "Old Name"),
        i4 = instr(r#"" = "Northgate*" "Dear "#),
        m3 = mergefield("Bidder_Name", "Old Name"),
        i5 = instr(r#"," "Dear bidder,""#),
        r2 = result_and_end("Dear bidder,"),
        i6 = instr(" IF "),
        m4 = mergefield("TotalScore", "50"),
        i7 = instr(r#" &lt;= 9 "under ten" "ten or more""#),
        r3 = result_and_end("under ten"),
    );
    let t = template_with_body(dir.path(), &body);
    std::fs::copy(mf("fields.toml"), dir.path().join("fields.toml")).unwrap();
    let run = tenderkit(&[&"template", &"check", &t]);
    assert_eq!(run.code, 0, "{}", run.all());
    let out = dir.path().join("letters");
    let run = letters_from(&t, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    let document = zip_text(&out.join("unsuccessful-northgate-ev-vehicles-plc.docx"), "word/document.xml");
    assert!(!document.contains("instrText") && !document.contains("{{"), "{document}");
    // 88.06 > 80 as numbers; 88.06 <= 9 is false as numbers (as text "88.06" < "9").
    assert_eq!(paragraphs(&document), ["HIGH SCORE", "Dear Northgate EV Vehicles plc,", "ten or more"]);
}

#[test]
fn a_field_tenderkit_cannot_work_out_is_refused_with_its_place() {
    let dir = temp();
    std::fs::copy(mf("fields.toml"), dir.path().join("fields.toml")).unwrap();
    let cases = [
        // A MERGEFIELD in a field other than IF.
        (
            format!(
                "<w:p><w:r><w:t>Intro</w:t></w:r></w:p><w:p>{}{}{}{}{}</w:p>",
                begin(),
                instr(" QUOTE "),
                mergefield("TotalScore", "50"),
                instr(""),
                result_and_end("50")
            ),
            "document paragraph 2: «QUOTE { MERGEFIELD TotalScore }»: a MERGEFIELD inside a QUOTE field",
        ),
        // A MERGEFIELD with no end fldChar.
        (
            format!(
                "<w:p>{}{}<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>«TotalScore»</w:t></w:r></w:p>",
                begin(),
                instr(" MERGEFIELD TotalScore ")
            ),
            "document paragraph 1: «MERGEFIELD TotalScore»: the field has no end",
        ),
        // A MERGEFIELD that ends in the next paragraph.
        (
            format!(
                "<w:p>{}{}<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>«TotalScore»</w:t></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>",
                begin(),
                instr(" MERGEFIELD TotalScore ")
            ),
            "document paragraph 1: «MERGEFIELD TotalScore»: the field begins in paragraph 1 and ends in paragraph 2",
        ),
        // A number picture of more decimals than a figure holds (it printed "NaN").
        (
            format!("<w:p>{}</w:p>", mergefield(&format!("TotalScore \\# 0.{}", "0".repeat(309)), "88")),
            "asks for 309 decimal places; at most 15",
        ),
    ];
    for (body, want) in cases {
        let t = template_with_body(dir.path(), &body);
        let run = tenderkit(&[&"template", &"check", &t]);
        assert_eq!(run.code, 1, "{want}: {}", run.all());
        assert!(run.stdout.contains(want), "expected {want:?} in:\n{}", run.stdout);
        let out = dir.path().join("letters");
        let run = letters_from(&t, &out, &[]);
        assert_eq!(run.code, 1, "{want}: {}", run.all());
        assert!(!out.exists(), "{want}: nothing written");
    }
}

#[test]
fn a_fields_toml_maps_handlebars_fields_as_it_maps_merge_fields() {
    use tenderkit::docx::write::{Document, Paragraph, Run};
    let dir = temp();
    // A buyer's own template in {{ }} fields named as their organisation names them.
    let t = dir.path().join("own.docx");
    let doc = Document::default()
        .paragraph(Paragraph::new().run(Run::new("Dear {{Bidder_Name}},")))
        .paragraph(Paragraph::new().run(Run::new("Your total score: {{Total_Score}} ({{date Letter_Date}})")));
    std::fs::write(&t, doc.to_bytes()).unwrap();
    let out = dir.path().join("letters");
    // Unmapped, the names have no data: refused, exit 1, nothing written.
    let run = letters_from(&t, &out, &[]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains("Bidder_Name"), "{}", run.all());
    assert!(!out.exists());
    let fields = dir.path().join("map.toml");
    std::fs::write(&fields, "Bidder_Name = \"bidder\"\nTotal_Score = \"total\"\nLetter_Date = \"date\"\n").unwrap();
    let run = tenderkit(&[&"template", &"check", &t, &"--fields", &fields]);
    assert_eq!(run.code, 0, "{}", run.all());
    let run = letters_from(&t, &out, &[&"--fields", &fields]);
    assert_eq!(run.code, 0, "{}", run.all());
    let letter = zip_text(&out.join("unsuccessful-northgate-ev-vehicles-plc.docx"), "word/document.xml");
    assert!(letter.contains("Dear Northgate EV Vehicles plc,"), "{letter}");
    assert!(letter.contains("Your total score: 88.06 (4 December 2026)"), "{letter}");
}
