//! One escaping function for every string that reaches XML (`opc::xml::escape`), held to the XML
//! reader over arbitrary Unicode; and the files tenderkit writes, with such text in every field a
//! buyer types, are well-formed XML throughout (issue 27).

mod common;

use std::path::Path;

use common::*;
use proptest::prelude::*;
use tenderkit::opc::xml::{escape, next, push_text, reader};

/// Characters a buyer might paste: control characters, XML's specials, CDATA's end, header codes,
/// and the rest of Unicode.
fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec![
                "\u{0}", "\u{1}", "\u{B}", "\u{C}", "\u{1F}", "\u{FFFE}", "\u{FFFF}", "&", "<", ">", "\"", "'", "]]>", "&P", "&&",
                "_x000B_", "\r\n", "\t"
            ])
            .prop_map(str::to_string),
            any::<char>().prop_map(|c| c.to_string()),
            "[a-zA-Z0-9 ]{1,6}",
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

/// The text of an XML document, as the reader gives it.
fn text_of(xml: &str) -> String {
    let mut r = reader(xml.as_bytes());
    let mut out = String::new();
    loop {
        let e = next(&mut r).unwrap_or_else(|e| panic!("not well-formed: {e:?}\n{xml}"));
        if matches!(e, quick_xml::events::Event::Eof) {
            return out;
        }
        push_text(&mut out, &e).unwrap();
    }
}

fn allowed(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

proptest! {
    #[test]
    fn escaped_text_reads_back_as_written_less_what_xml_cannot_hold(s in hostile()) {
        let xml = format!("<t a=\"{}\">{}</t>", escape(&s), escape(&s));
        let want: String = s.chars().filter(|c| allowed(*c)).collect();
        prop_assert_eq!(text_of(&xml), want.clone());
        let mut r = reader(xml.as_bytes());
        let start = loop {
            if let quick_xml::events::Event::Start(e) = next(&mut r).unwrap() { break e.into_owned() }
        };
        prop_assert_eq!(tenderkit::opc::xml::attr(&start, b"a").unwrap().unwrap(), want);
    }
}

/// Every XML part of a package parses.
fn well_formed(path: &Path) {
    for (name, bytes) in zip_parts(path) {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            text_of(std::str::from_utf8(&bytes).unwrap_or_else(|_| panic!("{}: {name} is not UTF-8", path.display())));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]
    /// A tender whose every typed field is hostile makes a matrix, a Word notice and a letter that
    /// are well-formed XML in every part.
    #[test]
    fn hostile_fields_make_well_formed_workbooks_and_documents(title in hostile(), reference in hostile(), name in hostile(), heading in hostile()) {
        let dir = temp();
        let mut tender = tenderkit::tender_file::load_tender(&example("tender.toml")).unwrap();
        // Names are compared without case and spacing, so the hostile one is made distinct.
        tender.title = format!("T{title}");
        tender.reference = format!("R{reference}");
        tender.organisation = Some(format!("O{heading}"));
        tender.sections[0].name = format!("S{heading}");
        tender.sections[0].criteria[0].title = format!("C{title}");
        tender.bidders[0].name = format!("B{name}");
        let m = tender.matrix().unwrap();
        let out = dir.path().join("matrix.xlsx");
        tenderkit::xlsx::create::new_matrix(&tender, &m, &out).unwrap();
        well_formed(&out);
        let doc = dir.path().join("notice.docx");
        std::fs::write(&doc, tenderkit::docx::plain::document(&format!("{}\n  {}\n{}", tender.title, tender.reference, name))).unwrap();
        well_formed(&doc);
    }
}

/// The print footer took the title unescaped: a vertical tab made every sheet of a new matrix
/// malformed. Control characters are dropped there, and header codes doubled so they print as typed.
#[test]
fn a_control_character_in_the_title_leaves_the_footer_well_formed() {
    let dir = temp();
    let text = std::fs::read_to_string(example("tender.toml")).unwrap();
    let tender = dir.path().join("t.toml");
    std::fs::write(&tender, text.replacen("title = \"Electric", "title = \"Electric\\u000b&P", 1)).unwrap();
    let out = dir.path().join("m.xlsx");
    let run = tenderkit(&[&"matrix", &"new", &tender, &"-o", &out]);
    assert_eq!(run.code, 0, "{}", run.all());
    well_formed(&out);
    let sheet = zip_text(&out, "xl/worksheets/sheet2.xml");
    let footer = sheet.split("<oddFooter>").nth(1).unwrap().split("</oddFooter>").next().unwrap();
    assert!(footer.contains("Electric&amp;&amp;P"), "{footer}");
    assert!(!footer.contains('\u{b}'), "{footer}");
}

/// A character reference XML cannot hold (a lone surrogate) in a file tenderkit reads is a located
/// error, never a crash.
#[test]
fn a_lone_surrogate_reference_is_refused_not_a_crash() {
    let dir = temp();
    let template = dir.path().join("t.docx");
    let mut parts: Vec<(&str, Vec<u8>)> = zip_parts(&example("../templates/letters/late-bid.docx"))
        .into_iter()
        .map(|(n, b)| (Box::leak(n.into_boxed_str()) as &str, b))
        .collect();
    for (name, bytes) in &mut parts {
        if *name == "word/document.xml" {
            *bytes = String::from_utf8(bytes.clone()).unwrap().replacen("{{bidder}}", "&#xD800;{{bidder}}", 1).into_bytes();
        }
    }
    package(&template, &parts, true);
    let run = tenderkit(&[&"template", &"check", &template]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("t.docx"), "{}", run.stderr);
}
