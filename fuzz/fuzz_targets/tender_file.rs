//! Any text as a tender definition, panel, layout or exclusion responses: parsing and the rules
//! must give a value or an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tenderkit::domain::{Stage, Tender, validate};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(t) = toml::from_str::<Tender>(text) {
        let _ = tenderkit::domain::selection::check(&t);
        let _ = tenderkit::domain::selection::statements(&t);
        let _ = tenderkit::domain::notice::context(&t);
        if let Ok(m) = t.matrix() {
            let _ = validate(&m, Stage::Draft);
            let _ = tenderkit::domain::scoring::compute(&m);
        }
    }
    if let Ok(r) = toml::from_str::<tenderkit::domain::exclusion::Responses>(text) {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let _ = tenderkit::domain::exclusion::assess(&r, date, &[], Default::default());
    }
    let _ = toml::from_str::<tenderkit::domain::panel::Panel>(text);
    let _ = toml::from_str::<tenderkit::xlsx::layout::LayoutFile>(text);
});
