//! The Excel add-in's manifest (src/web/addin/manifest.xml, filled in by `tools/dist addin`): valid
//! against the XML Schema of the part of the add-in manifest format it uses
//! (tests/fixtures/addin/officeapp-taskpane.xsd, checked with lxml), and read by Microsoft's own
//! manifest tool (`office-addin-manifest info`, offline; its `validate` needs Microsoft's online
//! service). The task pane itself is tested in tests/browser.rs.

mod common;

use std::process::Command;

use common::*;

/// The manifest as `tools/dist addin` writes it for `base`.
fn filled(base: &str) -> String {
    std::fs::read_to_string(root().join("src/web/addin/manifest.xml"))
        .unwrap()
        .replace("{{base}}", base)
        .replace("{{version}}", &format!("{}.0", env!("CARGO_PKG_VERSION")))
}

/// lxml's verdict on `xml` against the schema: `None` where Python or lxml is missing (and that
/// is allowed), else the errors (empty: valid).
fn schema_errors(xml: &str) -> Option<String> {
    let dir = temp();
    let file = dir.path().join("manifest.xml");
    std::fs::write(&file, xml).unwrap();
    let check = "import sys\nfrom lxml import etree\ns = etree.XMLSchema(etree.parse(sys.argv[1]))\nok = s.validate(etree.parse(sys.argv[2]))\nprint('' if ok else s.error_log)";
    let xsd = root().join("tests/fixtures/addin/officeapp-taskpane.xsd");
    match Command::new("python3").arg("-c").arg(check).arg(&xsd).arg(&file).output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).trim().to_string()),
        other => {
            let why = format!("python3 with lxml is needed for the manifest's schema check: {other:?}");
            if std::env::var_os("TENDERKIT_REQUIRE_PYTHON").is_some() {
                panic!("{why}");
            }
            eprintln!("SKIPPED: {why}");
            None
        }
    }
}

#[test]
fn the_manifest_is_valid_against_the_schema_of_what_it_uses() {
    let good = filled("https://intranet.example.org/tenderkit/");
    let Some(errors) = schema_errors(&good) else { return };
    assert_eq!(errors, "", "{good}");
    // The check can fail: elements out of their sequence, an address that is not HTTPS, a host
    // that is not one of Office's, a version that is not dotted numbers.
    let moved = good.replace("  <Permissions>ReadWriteDocument</Permissions>\n", "").replace("  <DefaultSettings>", "  <Permissions>ReadWriteDocument</Permissions>\n  <DefaultSettings>");
    let wrong = [
        moved,
        filled("http://intranet.example.org/tenderkit/"),
        good.replace("<Host Name=\"Workbook\"/>", "<Host Name=\"Excel\"/>"),
        good.replace(&format!("<Version>{}.0</Version>", env!("CARGO_PKG_VERSION")), "<Version>v1</Version>"),
    ];
    for bad in wrong {
        assert_ne!(schema_errors(&bad).unwrap(), "", "accepted: {bad}");
    }
    // What tools/dist wrote, where it has been run: the default address, for sideloading.
    let built = root().join("dist/addin/manifest.xml");
    if built.exists() {
        let text = std::fs::read_to_string(&built).unwrap();
        assert_eq!(schema_errors(&text).unwrap(), "");
        assert!(text.contains("<SourceLocation DefaultValue=\"https://localhost:3000/taskpane.html\"/>"), "{text}");
    }
}

#[test]
fn microsoft_s_manifest_tool_reads_it() {
    let cli = root().join("addin/node_modules/office-addin-manifest/cli.js");
    if !cli.exists() {
        if std::env::var_os("TENDERKIT_REQUIRE_PAGE").is_some() {
            panic!("office-addin-manifest is not installed (npm ci --prefix addin)");
        }
        eprintln!("SKIPPED: office-addin-manifest is not installed (npm ci --prefix addin)");
        return;
    }
    let dir = temp();
    let file = dir.path().join("manifest.xml");
    std::fs::write(&file, filled("https://intranet.example.org/tenderkit/")).unwrap();
    let out = Command::new("node").arg(&cli).arg("info").arg(&file).output().expect("node");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}{}", String::from_utf8_lossy(&out.stderr));
    for line in [
        "Type: TaskPaneApp",
        "Hosts: Workbook",
        "Permissions: ReadWriteDocument",
        "Source Location: https://intranet.example.org/tenderkit/taskpane.html",
        "Id: 6f1e3c52-8d4a-4b8e-9a57-3c2d0b7e41a9",
    ] {
        assert!(said.contains(line), "office-addin-manifest info did not say '{line}': {said}");
    }
}
