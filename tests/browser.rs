//! The page in a real browser: headless Chromium driven through WebDriver (chromedriver), every
//! state checked with axe-core and photographed to target/screenshots/.
//!
//! Without Chromium, chromedriver or axe-core (`npm ci --prefix tests/browser`) these tests say
//! they were skipped, unless TENDERKIT_REQUIRE_BROWSER is set (CI sets it): then they fail.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::served::Served;
use common::*;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// Chromium, chromedriver and axe-core's script, or why not.
fn tools() -> Option<(PathBuf, PathBuf, String)> {
    let find = |names: &[&str]| {
        names.iter().map(PathBuf::from).find(|p| p.exists()).or_else(|| {
            names.iter().find_map(|n| {
                let out = Command::new("which").arg(n).output().ok()?;
                out.status.success().then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
            })
        })
    };
    let chromium = find(&["/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"]);
    let driver = find(&["/usr/bin/chromedriver", "chromedriver"]);
    let axe = std::fs::read_to_string(root().join("tests/browser/node_modules/axe-core/axe.min.js")).ok();
    match (chromium, driver, axe) {
        (Some(c), Some(d), Some(a)) => Some((c, d, a)),
        missing => {
            let why = format!(
                "chromium {}, chromedriver {}, axe-core {}",
                if missing.0.is_some() { "found" } else { "NOT found" },
                if missing.1.is_some() { "found" } else { "NOT found" },
                if missing.2.is_some() { "found" } else { "NOT found (npm ci --prefix tests/browser)" }
            );
            if std::env::var_os("TENDERKIT_REQUIRE_BROWSER").is_some() {
                panic!("the browser tests need Chromium, chromedriver and axe-core: {why}");
            }
            eprintln!("SKIPPED browser test: {why} (apt-get install chromium chromium-driver)");
            None
        }
    }
}

struct Browser {
    client: Client,
    driver: Child,
    downloads: tempfile::TempDir,
    axe: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn start() -> Option<Browser> {
        let (chromium, chromedriver, axe) = tools()?;
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let (downloads, profile) = (temp(), temp());
        let caps = json!({
            "goog:chromeOptions": {
                "binary": chromium,
                // The machine's network is closed: without the background-networking flags
                // Chromium keeps trying to reach Google.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=1280,1600", format!("--user-data-dir={}", profile.path().display())],
                "prefs": { "download.default_directory": downloads.path(), "download.prompt_for_download": false },
            }
        });
        let caps: serde_json::Map<String, Value> = serde_json::from_value(caps).unwrap();
        let address = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&address)
                .await
            {
                Ok(c) => break c,
                Err(e) if started.elapsed() < Duration::from_secs(20) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("chromedriver did not start a session: {e}"),
            }
        };
        Some(Browser { client, driver, downloads, axe, _profile: profile })
    }

    /// Waits (up to 30 s) for an element matching `css`.
    async fn wait(&self, css: &str) -> fantoccini::elements::Element {
        self.client.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    /// Waits (up to 30 s) for `css`'s text to contain `needle`; the text.
    async fn wait_text(&self, css: &str, needle: &str) -> String {
        let started = Instant::now();
        loop {
            // The DOM's text, not what is painted: status regions are visually hidden.
            let text = self
                .client
                .execute("const e = document.querySelector(arguments[0]); return e ? e.innerText || e.textContent : '';", vec![json!(css)])
                .await
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            if text.contains(needle) {
                return text;
            }
            if started.elapsed() > Duration::from_secs(30) {
                panic!("{css} never said '{needle}'; it says: {text}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn choose(&self, css: &str, files: &[PathBuf]) {
        let paths: Vec<String> = files.iter().map(|f| f.canonicalize().unwrap().display().to_string()).collect();
        self.client.find(Locator::Css(css)).await.unwrap().send_keys(&paths.join("\n")).await.unwrap();
    }

    /// axe-core on the page as it is: no serious or critical violation of WCAG 2.2 A or AA.
    async fn accessible(&self, state: &str) {
        self.client.execute(&self.axe, vec![]).await.unwrap();
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] })
                    .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) }))))
                    .catch(e => done([{ id: 'axe-failed', impact: 'critical', help: String(e), nodes: [] }]));",
                vec![],
            )
            .await
            .unwrap();
        let bad: Vec<&Value> =
            result.as_array().unwrap().iter().filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical"))).collect();
        assert!(bad.is_empty(), "{state}: axe-core found serious or critical violations: {bad:#?}");
    }

    /// A screenshot of the page scrolled to `css`, to target/screenshots/NAME.png.
    async fn photograph(&self, name: &str, css: &str) {
        let e = self.client.find(Locator::Css(css)).await.unwrap();
        self.client.execute("arguments[0].scrollIntoView({block: 'start'});", vec![serde_json::to_value(&e).unwrap()]).await.unwrap();
        let png = self.client.screenshot().await.unwrap();
        let dir = root().join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Clicks the download link in `css` and waits for the file to be saved.
    async fn download(&self, css: &str, name: &str) -> PathBuf {
        self.wait(css).await.click().await.unwrap();
        self.downloaded(name).await
    }

    /// Waits for the browser to have saved `name`.
    async fn downloaded(&self, name: &str) -> PathBuf {
        let path = self.downloads.path().join(name);
        let started = Instant::now();
        while !path.exists() || std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) == 0 {
            assert!(started.elapsed() < Duration::from_secs(30), "{name} was not downloaded");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // Chromium writes a .crdownload first and renames it when done.
        tokio::time::sleep(Duration::from_millis(200)).await;
        path
    }

    async fn stop(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The ranking's sensitivity, tested from the page: the report as `sensitivity` prints it for the
/// example, and the workbook offered with its Sensitivity sheet.
async fn sensitivity_shown(b: &Browser) {
    b.client.find(Locator::Css("#sensitivity-form button")).await.unwrap().click().await.unwrap();
    let report = b.wait_text("#sensitivity-report", "Winner:").await;
    let run = tenderkit(&[&"sensitivity", &example("matrix.xlsx")]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(report.trim(), format!("{}\n\nwrote matrix-sensitivity.xlsx (sheet Sensitivity)", run.stdout.trim()), "the command's report");
    let book = b.download("#sensitivity-out a.download", "matrix-sensitivity.xlsx").await;
    let wb = tenderkit::xlsx::Workbook::open(&book).unwrap();
    assert!(wb.sheet("Sensitivity").unwrap().text(tenderkit::xlsx::CellRef::new(3, 1)).starts_with("Winner:"));
}

fn ranking_of(path: &Path) -> tenderkit::domain::scoring::Ranking {
    let wb = tenderkit::xlsx::Workbook::open(path).unwrap();
    let read = tenderkit::xlsx::matrix::read_matrix(&wb, &Default::default()).unwrap();
    tenderkit::domain::scoring::evaluate(&read.matrix).unwrap().1
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_action_in_a_real_browser() {
    let Some(b) = Browser::start().await else { return };
    let tmp = temp();
    let served = Served::start(tmp.path(), &[]);
    b.client.goto(&served.url).await.unwrap();
    b.wait("#matrix-file").await;
    b.accessible("the page as it opens").await;
    b.photograph("1-start", "body").await;

    // 1-2. The example matrix: no problems, the ranking with the MEAT, the failed bid, the chart.
    let dropped = Instant::now();
    b.choose("#matrix-file", &[example("matrix.xlsx")]).await;
    let meat = b.wait_text("#ranking-out .meat", "Most Economically Advantageous Tender").await;
    eprintln!("ranking shown {:.2} s after the example matrix was chosen", dropped.elapsed().as_secs_f64());
    assert_eq!(meat, "Most Economically Advantageous Tender: Forth Valley Commercial Vehicles LLP (total 92.38)");
    b.wait_text("#findings", "No problems found").await;
    let failed = b.wait_text("#failed", "Ardmore").await;
    assert!(failed.contains("below the minimum of 60"), "{failed}");
    let rows = b.client.find_all(Locator::Css("#ranking-table tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(b.client.find_all(Locator::Css("#ranking-chart rect.quality-part")).await.unwrap().len(), 3);
    assert_eq!(b.client.find_all(Locator::Css("#ranking-chart rect.price-part")).await.unwrap().len(), 3);
    b.accessible("the ranking").await;
    let scored = b.download("#ranking-out a.download", "matrix-scored.xlsx").await;
    sensitivity_shown(&b).await;
    b.accessible("the ranking tested").await;
    b.photograph("2-ranking", "#ranking").await;
    let ranking = ranking_of(&scored);
    assert_eq!(ranking.standings[0].bidder, "Forth Valley Commercial Vehicles LLP");
    assert!((ranking.standings[0].total - 92.38480392156863).abs() < 1e-9);

    // 3. Rescale the example to 0-8: the proof line, and the workbook.
    b.client.find(Locator::Css("#rescale-to")).await.unwrap().send_keys("0-8").await.unwrap();
    b.client.find(Locator::Css("#rescale-form button")).await.unwrap().click().await.unwrap();
    b.wait_text("#rescale-report", "weighted scores unchanged").await;
    b.accessible("rescaled").await;
    b.photograph("4-rescale", "#rescale").await;
    let rescaled = b.download("#rescale-out a.download", "matrix-rescaled.xlsx").await;
    assert_eq!(ranking_of(&rescaled).standings[0].total, ranking.standings[0].total);

    // 4. The panel's returns, all at once: collected, flagged, the moderated workbook.
    b.choose("#panel-file", &[example("panel.toml")]).await;
    let returns: Vec<PathBuf> = std::fs::read_dir(example("returns")).unwrap().map(|e| e.unwrap().path()).collect();
    b.choose("#returns-files", &returns).await;
    b.client.find(Locator::Css("#panel-form button")).await.unwrap().click().await.unwrap();
    b.wait_text("#panel-out", "Collected 5 of 5 returns").await;
    b.accessible("returns collected").await;
    b.photograph("5-panel", "#panel").await;
    let moderated = b.download("#panel-out a.download", "matrix-moderated.xlsx").await;
    assert!(tenderkit::xlsx::moderation::is_moderated(&tenderkit::xlsx::Workbook::open(&moderated).unwrap()));

    // 5. Letters from the moderated example (it has the panel's reasons): one zip.
    b.choose("#matrix-file", &[example("moderated.xlsx")]).await;
    b.wait_text("#ranking-out .meat", "Forth Valley").await;
    b.choose("#letters-tender", &[example("tender.toml")]).await;
    b.choose("#letters-template", &[root().join("templates/letters/unsuccessful.docx")]).await;
    b.client.find(Locator::Css("#letters-form button")).await.unwrap().click().await.unwrap();
    b.wait_text("#letters-out", "wrote 2 unsuccessful letters").await;
    let check = b.wait_text("#letters-out", "Template check").await;
    assert!(check.contains("fields are all known"), "{check}");
    assert!(!check.lines().any(|l| l.trim() == "null"), "nothing shows as 'null': {check}");
    b.accessible("letters written").await;
    b.photograph("6-letters", "#letters").await;
    let zip = b.download("#letters-out a.download", "unsuccessful-letters.zip").await;
    let parts = zip_parts(&zip);
    let names: Vec<&String> = parts.keys().collect();
    assert_eq!(names.iter().filter(|n| n.ends_with(".docx")).count(), 2, "{names:?}");
    assert!(names.iter().any(|n| n.as_str() == "unsuccessful-index.csv"), "{names:?}");
    let letter = names.iter().find(|n| n.ends_with(".docx")).unwrap();
    let inner = tmp.path().join("letter.docx");
    std::fs::write(&inner, &parts[letter.as_str()]).unwrap();
    assert!(zip_text(&inner, "word/document.xml").contains("Forth Valley Commercial Vehicles LLP"), "the letter names the winner");
    // The conflict-of-interest record of the moderated example's panel (step 4).
    b.choose("#conflicts-tender", &[example("tender.toml")]).await;
    b.client.find(Locator::Css("#conflicts-form button")).await.unwrap().click().await.unwrap();
    let record = b.wait_text("#conflicts-text", "CONFLICT OF INTEREST RECORD").await;
    assert!(record.contains("Priya Nair, commercial evaluator") && record.contains("REVIEW LOG"), "{record}");
    b.download("#conflicts-out a.download", "conflicts.docx").await;
    b.accessible("the conflict of interest record").await;
    // The evaluation report (step 4), its chart a picture in the Word document.
    b.choose("#report-tender", &[example("tender.toml")]).await;
    b.choose("#report-responses", &[example("responses.toml")]).await;
    b.client.find(Locator::Css("#report-form button")).await.unwrap().click().await.unwrap();
    let report = b.wait_text("#report-text", "EVALUATION REPORT AND AWARD RECOMMENDATION").await;
    assert!(report.contains("That the contract is awarded to Forth Valley Commercial Vehicles LLP"), "{report}");
    let docx = b.download("#report-out a.download", "report.docx").await;
    assert!(zip_part(&docx, "word/media/image1.png").starts_with(b"\x89PNG"), "the chart is a picture");
    b.accessible("the evaluation report").await;

    // 6. Notice text, with its copy button and Word download.
    b.choose("#text-tender", &[example("tender.toml")]).await;
    b.client.find(Locator::Css("#text-form button")).await.unwrap().click().await.unwrap();
    b.wait("#text-area").await;
    let text: String =
        b.client.execute("return document.getElementById('text-area').value;", vec![]).await.unwrap().as_str().unwrap().into();
    assert!(text.contains("Payload and range"), "{text}");
    b.wait("#text-out a.download").await;
    b.accessible("notice text").await;
    b.photograph("7-text", "#text").await;
    let notice = b.download("#text-out a.download", "notice.docx").await;
    assert!(zip_text(&notice, "word/document.xml").contains("Payload and range"));

    // 1 again. A flawed foreign workbook: the error located, in the page; then one whose split
    // the buyer points to in the layout form, the layout file shown.
    b.choose("#matrix-file", &[fixture("real/mixed-percent.xlsx")]).await;
    let findings = b.wait_text("#findings", "Evaluation!C4:C7").await;
    let stale: Value =
        b.client.execute("return document.querySelectorAll('#rescale-out a, #panel-out a, #letters-out a').length;", vec![]).await.unwrap();
    assert_eq!(stale, json!(0), "files made from the last workbook are not offered beside another");
    assert!(findings.contains("1 error") && findings.contains("written two ways"), "{findings}");
    assert!(findings.contains("Fix: write every weight the same way"), "{findings}");
    b.accessible("a flawed workbook's findings").await;
    b.photograph("3-findings", "#matrix").await;
    b.choose("#matrix-file", &[fixture("corpus/openpyxl-styles.xlsx")]).await;
    b.wait_text("#findings", "no Quality or Price sheet").await;
    let open: Value = b.client.execute("return document.getElementById('layout-fix').open;", vec![]).await.unwrap();
    assert_eq!(open, json!(true), "the layout form opens when nothing was found");
    b.accessible("a workbook whose layout was not found").await;
    b.choose("#matrix-file", &[fixture("foreign-openpyxl.xlsx")]).await;
    b.wait_text("#layout-out", "[split]").await;
    b.client.execute("document.getElementById('layout-fix').open = true;", vec![]).await.unwrap();
    let price_cell = b.client.find(Locator::Css("#l-s-price")).await.unwrap();
    price_cell.clear().await.unwrap();
    price_cell.send_keys("Settings!B2").await.unwrap();
    let quality_cell = b.client.find(Locator::Css("#l-s-quality")).await.unwrap();
    quality_cell.clear().await.unwrap();
    quality_cell.send_keys("Settings!B3").await.unwrap();
    b.client.find(Locator::Css("#layout-form button")).await.unwrap().click().await.unwrap();
    b.wait_text("#layout-out", "price_cell = \"Settings!B2\"").await;
    let layout = b.download("#layout-out a.download", "layout.toml").await;
    let text = std::fs::read_to_string(&layout).unwrap();
    let cli = tenderkit(&[&"layout", &fixture("foreign-openpyxl.xlsx"), &"--layout", &fixture("layout-foreign.toml")]);
    assert_eq!(
        text.lines().skip(1).collect::<Vec<_>>(),
        cli.stdout.lines().skip(1).collect::<Vec<_>>(),
        "the page's layout file is `tenderkit layout`'s"
    );
    b.stop().await;
}

/// Presses `key` as the keyboard does: to whatever has the focus.
async fn press(b: &Browser, key: Key) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let c: char = key.into();
    let actions = KeyActions::new("keyboard".into()).then(KeyAction::Down { value: c }).then(KeyAction::Up { value: c });
    b.client.perform_actions(actions).await.unwrap();
}

/// The focused element shows a focus indicator (an outline or a ring).
async fn focus_shown(b: &Browser) -> (String, bool) {
    let v = b
        .client
        .execute(
            "const e = document.activeElement; const s = getComputedStyle(e);
             return [e.id || e.tagName + ':' + e.textContent.trim().slice(0, 30),
                     (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'];",
            vec![],
        )
        .await
        .unwrap();
    (v[0].as_str().unwrap().to_string(), v[1].as_bool().unwrap())
}

/// Tabs (at most 40 times) to the element `id`, checking each stop shows where the focus is.
async fn tab_to(b: &Browser, id: &str) {
    for _ in 0..40 {
        press(b, Key::Tab).await;
        let (at, shown) = focus_shown(b).await;
        // A file input's focus ring is drawn by the browser around its button.
        assert!(
            shown || at.starts_with("matrix-file") || b.client.find(Locator::Css(&format!("#{at}[type=file]"))).await.is_ok(),
            "no visible focus on {at}"
        );
        if at == id {
            return;
        }
    }
    panic!("#{id} cannot be reached with the Tab key");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_main_path_by_keyboard_alone() {
    let Some(b) = Browser::start().await else { return };
    let tmp = temp();
    let served = Served::start(tmp.path(), &[]);
    b.client.goto(&served.url).await.unwrap();
    b.wait("#matrix-file").await;
    // The first Tab reaches the skip link; Enter moves the focus to the steps.
    press(&b, Key::Tab).await;
    let (at, shown) = focus_shown(&b).await;
    assert!(at.contains("Skip to the tender steps") && shown, "{at}");
    press(&b, Key::Enter).await;
    tab_to(&b, "matrix-file").await;
    // The file chooser is the system's own (keyboard-operable) dialog; WebDriver types its answer.
    let chooser = b.client.active_element().await.unwrap();
    chooser.send_keys(&example("matrix.xlsx").canonicalize().unwrap().display().to_string()).await.unwrap();
    b.wait_text("#ranking-out .meat", "Forth Valley Commercial Vehicles LLP").await;
    b.wait_text("#status", "Ranking ready").await;
    // On to rescaling: the field, the scale typed, Enter submits.
    tab_to(&b, "rescale-to").await;
    b.client.active_element().await.unwrap().send_keys(&format!("0-8{}", Key::Enter)).await.unwrap();
    b.wait_text("#rescale-report", "weighted scores unchanged").await;
    // And the download, reached and followed by keyboard.
    tab_to(&b, "rescale-download").await;
    press(&b, Key::Enter).await;
    b.downloaded("matrix-rescaled.xlsx").await;
    b.photograph("8-keyboard", "#rescale").await;
    b.stop().await;
}

/// The page with no server (`tools/build-page` writes it): `TENDERKIT_PAGE`, else
/// `dist/tenderkit.html`. Skipped with a message where it has not been built, unless
/// TENDERKIT_REQUIRE_PAGE is set (CI builds it first and sets it).
fn static_page() -> Option<PathBuf> {
    let page = std::env::var_os("TENDERKIT_PAGE").map(PathBuf::from).unwrap_or_else(|| root().join("dist/tenderkit.html"));
    if page.exists() {
        return Some(page);
    }
    if std::env::var_os("TENDERKIT_REQUIRE_PAGE").is_some() {
        panic!("the page with no server is not at {} (run tools/build-page)", page.display());
    }
    eprintln!("SKIPPED: the page with no server is not built ({}; run tools/build-page)", page.display());
    None
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_with_no_server_checks_and_ranks_in_the_browser() {
    let Some(page) = static_page() else { return };
    let Some(b) = Browser::start().await else { return };
    // Opened as a buyer opens it from a shared drive: a file, no server anywhere.
    b.client.goto(&format!("file://{}", page.canonicalize().unwrap().display())).await.unwrap();
    b.wait("#matrix-file").await;
    b.accessible("the page with no server as it opens").await;
    let dropped = Instant::now();
    b.choose("#matrix-file", &[example("matrix.xlsx")]).await;
    let meat = b.wait_text("#ranking-out .meat", "Most Economically Advantageous Tender").await;
    eprintln!("no server: ranking shown {:.2} s after the example matrix was chosen", dropped.elapsed().as_secs_f64());
    assert_eq!(meat, "Most Economically Advantageous Tender: Forth Valley Commercial Vehicles LLP (total 92.38)");
    b.wait_text("#findings", "No problems found").await;
    let failed = b.wait_text("#failed", "Ardmore").await;
    assert!(failed.contains("below the minimum of 60"), "{failed}");
    b.accessible("the page with no server: the ranking").await;
    sensitivity_shown(&b).await;
    b.photograph("9-no-server-ranking", "#ranking").await;
    // The scored workbook is the command's, byte for byte.
    let scored = b.download("#ranking-out a.download", "matrix-scored.xlsx").await;
    let dir = temp();
    let cli = dir.path().join("matrix-scored.xlsx");
    let run = tenderkit(&[&"score", &example("matrix.xlsx"), &"-o", &cli]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(std::fs::read(&scored).unwrap() == std::fs::read(&cli).unwrap(), "the page's scored workbook is the command's, byte for byte");
    // Rescale to 0-8: the report with its proof line, and the command's workbook, byte for byte.
    b.client.find(Locator::Css("#rescale-to")).await.unwrap().send_keys("0-8").await.unwrap();
    b.client.find(Locator::Css("#rescale-form button")).await.unwrap().click().await.unwrap();
    b.wait_text("#rescale-report", "weighted scores unchanged").await;
    let rescaled = b.download("#rescale-out a.download", "matrix-rescaled.xlsx").await;
    let cli = dir.path().join("matrix-rescaled.xlsx");
    // (Exit 1: the example's legend rows are left for the buyer to update, as the report says.)
    let run = tenderkit(&[&"rescale", &example("matrix.xlsx"), &"--to", &"0-8", &"-o", &cli]);
    assert!(run.stdout.contains("weighted scores unchanged"), "{}", run.all());
    assert!(std::fs::read(&rescaled).unwrap() == std::fs::read(&cli).unwrap(), "the page's rescaled workbook is the command's");
    b.accessible("the page with no server: rescaled").await;
    // The panel's returns, all at once: collected, flagged, the moderated workbook.
    b.choose("#panel-file", &[example("panel.toml")]).await;
    let returns: Vec<PathBuf> = std::fs::read_dir(example("returns")).unwrap().map(|e| e.unwrap().path()).collect();
    b.choose("#returns-files", &returns).await;
    b.client.find(Locator::Css("#panel-form button")).await.unwrap().click().await.unwrap();
    b.wait_text("#panel-out", "Collected 5 of 5 returns").await;
    let moderated = b.download("#panel-out a.download", "matrix-moderated.xlsx").await;
    assert!(tenderkit::xlsx::moderation::is_moderated(&tenderkit::xlsx::Workbook::open(&moderated).unwrap()));
    b.accessible("the page with no server: returns collected").await;
    // The notice text and its Word document.
    b.choose("#text-tender", &[example("tender.toml")]).await;
    b.client.find(Locator::Css("#text-form button")).await.unwrap().click().await.unwrap();
    b.wait("#text-area").await;
    let text: String =
        b.client.execute("return document.getElementById('text-area').value;", vec![]).await.unwrap().as_str().unwrap().into();
    assert!(text.contains("Payload and range"), "{text}");
    let notice = b.download("#text-out a.download", "notice.docx").await;
    assert!(zip_text(&notice, "word/document.xml").contains("Payload and range"));
    b.accessible("the page with no server: notice text").await;
    // The exclusion decisions, on the responses file's own determination date.
    b.client.execute("const s = document.getElementById('text-which'); s.value = 'exclusion'; s.dispatchEvent(new Event('change'));", vec![]).await.unwrap();
    b.choose("#text-responses", &[example("responses.toml")]).await;
    b.client.find(Locator::Css("#text-form button")).await.unwrap().click().await.unwrap();
    b.wait_text("#text-out", "exclusion.docx").await;
    let decided: String =
        b.client.execute("return document.getElementById('text-area').value;", vec![]).await.unwrap().as_str().unwrap().into();
    let run = tenderkit(&[&"exclusion", &example("tender.toml"), &example("responses.toml")]);
    assert_eq!(decided, run.stdout, "the page decides as the command does");
    // Letters from the moderated example, the bundled template given as the buyer's own: checked,
    // written, one zip, byte for byte the command's.
    b.choose("#matrix-file", &[example("moderated.xlsx")]).await;
    b.wait_text("#ranking-out .meat", "Forth Valley").await;
    b.choose("#letters-tender", &[example("tender.toml")]).await;
    let template = root().join("templates/letters/unsuccessful.docx");
    b.choose("#letters-template", &[template.clone()]).await;
    b.client.execute("document.getElementById('letters-date').value = '2026-12-04';", vec![]).await.unwrap();
    b.client.find(Locator::Css("#letters-form button")).await.unwrap().click().await.unwrap();
    b.wait_text("#letters-out", "wrote 2 unsuccessful letters").await;
    let check = b.wait_text("#letters-out", "Template check").await;
    assert!(check.contains("fields are all known"), "{check}");
    b.accessible("the page with no server: letters written").await;
    b.photograph("10-no-server-letters", "#letters").await;
    let zip = b.download("#letters-out a.download", "unsuccessful-letters.zip").await;
    let out = dir.path().join("letters");
    let run = tenderkit(&[
        &"letters", &"unsuccessful", &"--tender", &example("tender.toml"), &"--matrix", &example("moderated.xlsx"), &"--template",
        &template, &"--date", &"2026-12-04", &"--zip", &"-o", &out,
    ]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(std::fs::read(&zip).unwrap() == std::fs::read(out.join("unsuccessful-letters.zip")).unwrap(), "the page's letters are the command's");
    // The conflict-of-interest record of the moderated example's panel.
    b.choose("#conflicts-tender", &[example("tender.toml")]).await;
    b.client.find(Locator::Css("#conflicts-form button")).await.unwrap().click().await.unwrap();
    let record = b.wait_text("#conflicts-text", "CONFLICT OF INTEREST RECORD").await;
    assert!(record.contains("Morag Campbell, quality evaluator") && record.contains("None declared."), "{record}");
    let docx = b.download("#conflicts-out a.download", "conflicts.docx").await;
    assert!(zip_text(&docx, "word/document.xml").contains("Conflict of interest record"));
    b.accessible("the page with no server: the conflict of interest record").await;
    // The evaluation report, worked out in the page: the same text the command prints today.
    b.choose("#report-tender", &[example("tender.toml")]).await;
    b.client.find(Locator::Css("#report-form button")).await.unwrap().click().await.unwrap();
    let report = b.wait_text("#report-text", "EVALUATION REPORT AND AWARD RECOMMENDATION").await;
    let run = tenderkit(&[&"report", &"--tender", &example("tender.toml"), &"--matrix", &example("moderated.xlsx")]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(report.trim(), run.stdout.trim(), "the page's report is the command's");
    let docx = b.download("#report-out a.download", "report.docx").await;
    assert!(zip_part(&docx, "word/media/image1.png").starts_with(b"\x89PNG"), "the chart is a picture");
    b.accessible("the page with no server: the evaluation report").await;
    // A flawed workbook of another organisation: the located error, as `validate` gives it.
    b.choose("#matrix-file", &[fixture("real/mixed-percent.xlsx")]).await;
    let findings = b.wait_text("#findings", "Evaluation!C4:C7").await;
    assert!(findings.contains("1 error") && findings.contains("written two ways"), "{findings}");
    // Nothing found: the layout form opens, as with the server.
    b.choose("#matrix-file", &[fixture("corpus/openpyxl-styles.xlsx")]).await;
    b.wait_text("#findings", "no Quality or Price sheet").await;
    b.accessible("the page with no server: findings").await;
    b.stop().await;
}

/// The Excel add-in `tools/dist addin` writes: `TENDERKIT_ADDIN`, else `dist/addin/`. Skipped with
/// a message where it has not been built, unless TENDERKIT_REQUIRE_PAGE is set (CI builds it).
fn addin_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("TENDERKIT_ADDIN").map(PathBuf::from).unwrap_or_else(|| root().join("dist/addin"));
    if dir.join("taskpane.html").exists() {
        return Some(dir);
    }
    if std::env::var_os("TENDERKIT_REQUIRE_PAGE").is_some() {
        panic!("the Excel add-in is not at {} (run tools/dist addin)", dir.display());
    }
    eprintln!("SKIPPED: the Excel add-in is not built ({}; run tools/dist addin)", dir.display());
    None
}

/// The add-in's task pane copied into `dir` with the Office.js test double as its office/office.js
/// (tests/browser/office-double.js), serving `workbook` with the sheets `protected` protected.
fn pane(dir: &Path, addin: &Path, workbook: &Path, protected: &[&str]) -> String {
    use base64::Engine as _;
    std::fs::create_dir_all(dir.join("office")).unwrap();
    std::fs::copy(addin.join("taskpane.html"), dir.join("taskpane.html")).unwrap();
    let fixture = json!({
        "name": workbook.file_name().unwrap().to_string_lossy(),
        "base64": base64::engine::general_purpose::STANDARD.encode(std::fs::read(workbook).unwrap()),
        "protected": protected,
    });
    let double = std::fs::read_to_string(root().join("tests/browser/office-double.js")).unwrap();
    std::fs::write(dir.join("office/office.js"), format!("window.__tkFixture = {fixture};\n{double}")).unwrap();
    format!("file://{}", dir.join("taskpane.html").canonicalize().unwrap().display())
}

/// What the task pane did through the double (`window.__tk`).
async fn recorded(b: &Browser) -> Value {
    b.client.execute("return window.__tk;", vec![]).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_excel_task_pane_checks_and_writes_what_score_writes() {
    use tenderkit::xlsx::{CellRef, Value as Cell, Workbook};
    let Some(addin) = addin_dir() else { return };
    let Some(b) = Browser::start().await else { return };
    let tmp = temp();

    // Check: another organisation's workbook with an error; every finding `validate` gives, and
    // "Go to" selects the finding's range in Excel.
    let flawed = fixture("real/mixed-percent.xlsx");
    b.client.goto(&pane(&tmp.path().join("check"), &addin, &flawed, &[])).await.unwrap();
    b.wait_text("#status", "Ready").await;
    b.accessible("the task pane as it opens").await;
    b.client.find(Locator::Css("#check")).await.unwrap().click().await.unwrap();
    let shown = b.wait_text("#findings", "Go to").await;
    let run = tenderkit(&[&"validate", &flawed, &"--json"]);
    let validated: Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = validated["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert!(shown.contains(f["message"].as_str().unwrap()), "{} not shown: {shown}", f["message"]);
    }
    let first = findings.iter().find_map(|f| f["place"].as_str().filter(|p| p.contains('!'))).unwrap();
    b.client.find(Locator::Css("#findings button.link")).await.unwrap().click().await.unwrap();
    let started = Instant::now();
    while recorded(&b).await["selected"].as_array().unwrap().is_empty() {
        assert!(started.elapsed() < Duration::from_secs(10), "nothing was selected");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let tk = recorded(&b).await;
    assert_eq!(tk["selected"], json!([first.replace('\'', "")]));
    assert_eq!((tk["closed"].as_u64(), tk["writes"].as_array().unwrap().len()), (Some(1), 0), "the file closed, nothing written");
    b.accessible("the task pane's findings").await;
    b.photograph("addin-findings", "main").await;

    // Score on the example: every figure is a formula of the workbook, which Excel works out
    // itself, so nothing is written.
    let matrix = example("matrix.xlsx");
    b.client.goto(&pane(&tmp.path().join("example"), &addin, &matrix, &[])).await.unwrap();
    b.wait_text("#status", "Ready").await;
    b.client.find(Locator::Css("#score")).await.unwrap().click().await.unwrap();
    let said = b.wait_text("#ranking", "Nothing to fill in").await;
    assert!(said.contains("1. Forth Valley Commercial Vehicles LLP: 92.38"), "{said}");
    let tk = recorded(&b).await;
    assert!(tk["slicesRead"].as_u64().unwrap() > 1, "the workbook was read in several slices and joined");
    assert!(tk["writes"].as_array().unwrap().is_empty());

    // A matrix whose Price sheet figures were typed over (their formulas gone, the cells blank):
    // the pane writes each figure, and they are the cells `score -o` writes, with the same values.
    let typed = tmp.path().join("typed.xlsx");
    {
        // Every figure the matrix's formulas compute (the example has them all cached, so `score`
        // itself would write none).
        let wb = Workbook::open(&matrix).unwrap();
        let read = tenderkit::xlsx::matrix::read_matrix(&wb, &tenderkit::xlsx::layout::LayoutFile::default()).unwrap();
        let every = read.layout.figure_edits(&wb, &read.matrix, &tenderkit::domain::scoring::compute(&read.matrix));
        let mut clear = tenderkit::xlsx::Edits::default();
        for (sheet, at, _) in every.iter().filter(|(s, ..)| *s == "Price") {
            clear.set(sheet, at, tenderkit::xlsx::CellEdit::Clear);
        }
        assert!(clear.len() > 4, "the Price sheet has figures");
        wb.write(&clear, &typed).unwrap();
    }
    b.client.goto(&pane(&tmp.path().join("score"), &addin, &typed, &[])).await.unwrap();
    b.wait_text("#status", "Ready").await;
    b.client.find(Locator::Css("#score")).await.unwrap().click().await.unwrap();
    b.wait_text("#ranking", "cells filled in").await;
    let tk = recorded(&b).await;
    let writes = tk["writes"].as_array().unwrap();
    assert!(!writes.is_empty());
    let scored = tmp.path().join("typed-scored.xlsx");
    let run = tenderkit(&[&"score", &typed, &"-o", &scored]);
    assert_eq!(run.code, 0, "{}", run.all());
    let (before, after) = (Workbook::open(&typed).unwrap(), Workbook::open(&scored).unwrap());
    let mut written = std::collections::BTreeSet::new();
    for w in writes {
        let (sheet, at) = (w["sheet"].as_str().unwrap(), w["cell"].as_str().unwrap());
        let cell = after.sheet(sheet).unwrap().cell(CellRef::parse(at).unwrap()).unwrap_or_else(|| panic!("{sheet}!{at} not in score -o's file"));
        match (w["what"].as_str().unwrap(), &w["value"][0][0], &cell.value) {
            ("values", Value::Number(n), Cell::Number(x)) => assert!((n.as_f64().unwrap() - x).abs() < 1e-9, "{sheet}!{at}: {n} and {x}"),
            ("values", Value::String(t), Cell::Text(x)) => assert_eq!(t.strip_prefix('\'').filter(|r| r.starts_with('=')).unwrap_or(t), &**x),
            ("values", Value::String(t), Cell::Empty) => assert_eq!(t, "", "{sheet}!{at}"),
            ("formulas", Value::String(f), _) => assert_eq!(Some(&f[1..]), after.sheet(sheet).unwrap().formula(cell), "{sheet}!{at}"),
            ("clear", _, v) => assert!(matches!(v, Cell::Empty), "{sheet}!{at}"),
            other => panic!("{sheet}!{at}: the pane wrote {other:?}"),
        }
        written.insert(format!("{sheet}!{at}"));
    }
    // Every value score -o changed in a cell without a formula, the pane wrote.
    for entry in after.sheets() {
        let (old, new) = (before.sheet(&entry.name).unwrap(), after.sheet(&entry.name).unwrap());
        for row in 1..=new.last_row() {
            for c in new.row_cells(row) {
                let was = old.cell(c.at);
                if was.is_some_and(|w| w.has_formula()) {
                    continue;
                }
                let empty = |v: &Cell| matches!(v, Cell::Empty) || matches!(v, Cell::Text(t) if t.is_empty());
                let changed = match was {
                    Some(w) => w.value != c.value,
                    None => !empty(&c.value),
                };
                if changed {
                    assert!(written.contains(&format!("{}!{}", entry.name, c.at)), "{}!{} changed by score -o, not by the pane", entry.name, c.at);
                }
            }
        }
    }
    b.accessible("the task pane's ranking").await;
    b.photograph("addin-scored", "main").await;

    // A protected sheet: nothing written, the scored copy offered.
    let sheet = writes[0]["sheet"].as_str().unwrap().to_string();
    b.client.goto(&pane(&tmp.path().join("protected"), &addin, &typed, &[&sheet])).await.unwrap();
    b.wait_text("#status", "Ready").await;
    b.client.find(Locator::Css("#score")).await.unwrap().click().await.unwrap();
    let said = b.wait_text("#ranking", "protected sheet").await;
    assert!(said.contains(&sheet), "{said}");
    assert!(recorded(&b).await["writes"].as_array().unwrap().is_empty(), "nothing written into a protected workbook");
    let copy = b.download("#ranking a.download", "typed-scored.xlsx").await;
    assert_eq!(tenderkit(&[&"score", &copy]).code, 0, "the offered copy is a scored matrix");
    b.accessible("the task pane offering the scored copy").await;
    b.stop().await;
}
