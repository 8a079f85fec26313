//! The page with no server, timed in headless Chromium: `bench/run.py` runs this beside the
//! native program on the same matrix.
//!
//!     cargo run --release --example bench_page -- dist/tenderkit.html MATRIX.xlsx RUNS
//!
//! Opens the page as a file, hands it the matrix's bytes and times, inside the page
//! (`performance.now()`), what a drop does: the core's validate and score on those bytes. Prints
//! one JSON line: the median seconds and the ranking the page's core gave.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use fantoccini::ClientBuilder;
use serde_json::json;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, page, matrix, runs] = &args[..] else {
        eprintln!("usage: bench_page PAGE.html MATRIX.xlsx RUNS");
        std::process::exit(2);
    };
    let runs: usize = runs.parse().expect("RUNS is a number");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut driver = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver");
    let profile = tempfile::tempdir().unwrap();
    let caps = json!({ "goog:chromeOptions": { "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        format!("--user-data-dir={}", profile.path().display())] } });
    let caps: serde_json::Map<String, serde_json::Value> = serde_json::from_value(caps).unwrap();
    let started = Instant::now();
    let client = loop {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => break c,
            Err(_) if started.elapsed() < Duration::from_secs(20) => tokio::time::sleep(Duration::from_millis(200)).await,
            Err(e) => panic!("chromedriver: {e}"),
        }
    };
    let page = std::fs::canonicalize(page).expect("the page");
    client.goto(&format!("file://{}", page.display())).await.unwrap();
    let bytes = base64::engine::general_purpose::STANDARD.encode(std::fs::read(matrix).expect("the matrix"));
    let name = std::path::Path::new(matrix).file_name().unwrap().to_string_lossy().into_owned();
    let result = client
        .execute_async(
            "const [data, name, runs, done] = arguments;
             window.tenderkitReady.then((core) => {
               const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
               const times = []; let ranking = null;
               for (let i = 0; i < runs; i++) {
                 const t = performance.now();
                 core.validate(name, bytes, '{}', undefined);
                 const scored = JSON.parse(core.score(name, bytes, '{}', undefined, '2026-12-04T10:00:00Z'));
                 times.push((performance.now() - t) / 1000);
                 ranking = scored.json.ranking;
               }
               times.sort((a, b) => a - b);
               done({ seconds: times[Math.floor(times.length / 2)], ranking });
             }).catch((e) => done({ error: String(e) }));",
            vec![json!(bytes), json!(name), json!(runs)],
        )
        .await
        .unwrap();
    println!("{result}");
    let _ = client.close().await;
    let _ = driver.kill();
}
