//! Any text as a template, plain or Word XML: rendering must give text, well-formed XML, or a
//! clear error, never panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tenderkit::render::{Templates, check, engine, text_tags};

static TEMPLATES: OnceLock<Templates> = OnceLock::new();
static ENGINE: OnceLock<handlebars::Handlebars<'static>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let sample = serde_json::json!({
        "bidder": "Acme & Sons <Ltd>", "total": 86.04, "date": "2026-12-18",
        "scores": [{"reference": "1.1", "score": "3", "justification": "line one\nline two"}],
        "tender": {"title": "T", "reference": "R"}, "failed": false
    });
    let t = TEMPLATES.get_or_init(|| Templates::load(None).expect("bundled templates load"));
    let _ = t.render_text("fuzz", text, &sample);
    let hb = ENGINE.get_or_init(|| engine(handlebars::no_escape));
    let _ = check(&text_tags(text), &sample, hb);
    let xml = format!(
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>",
        text
    );
    if let Ok(out) = tenderkit::docx::template::fill_part(xml.as_bytes(), &sample) {
        assert!(!out.is_empty());
    }
    let _ = tenderkit::docx::template::fill_part(data, &sample);
});
