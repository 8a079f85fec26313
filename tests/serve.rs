//! `tenderkit serve` over plain HTTP: who is refused, what an upload over the limit or a hostile
//! workbook gets, that answers are the commands' own, and that nothing is left behind.

mod common;

use common::served::Served;
use common::*;

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[test]
fn the_page_and_its_assets_need_the_token() {
    let tmp = temp();
    let s = Served::start(tmp.path(), &[]);
    let host = format!("Host: 127.0.0.1:{}", s.port);
    for path in ["/", "/app.js", "/app.css", "/?token=", "/?token=00000000000000000000000000000000"] {
        let (status, body) = s.send(&format!("GET {path} HTTP/1.1\r\n{host}"), b"");
        assert_eq!(status, 403, "{path}: {body}");
        assert!(body.contains("token `tenderkit serve` printed"), "{path}: {body}");
    }
    let (status, body) = s.send(&format!("GET /?token={} HTTP/1.1\r\n{host}", s.token), b"");
    assert_eq!(status, 200);
    assert!(body.contains("<h1>tenderkit</h1>") && body.contains(&format!("/app.js?token={}", s.token)));
    let (status, body) = s.send(&format!("GET /app.js?token={} HTTP/1.1\r\n{host}", s.token), b"");
    assert_eq!(status, 200);
    assert!(body.contains("X-Tenderkit-Token"));
    // An action without the token, even from the page's own origin.
    let (ct, form) = served::multipart(&[("matrix", Some("matrix.xlsx"), &std::fs::read(example("matrix.xlsx")).unwrap())]);
    let (status, body) = s.send(&format!("POST /api/score HTTP/1.1\r\n{host}\r\nOrigin: {}\r\nContent-Type: {ct}", s.origin()), &form);
    assert_eq!(status, 403, "{body}");
}

#[test]
fn a_foreign_host_or_another_site_is_refused() {
    let tmp = temp();
    let s = Served::start(tmp.path(), &[]);
    let t = &s.token;
    // DNS rebinding: a name that resolves to 127.0.0.1 but is not ours.
    let (status, body) = s.send(&format!("GET /?token={t} HTTP/1.1\r\nHost: attacker.example:{}", s.port), b"");
    assert_eq!(status, 403);
    assert!(body.contains("served only at"), "{body}");
    let (status, _) = s.send(&format!("GET /?token={t} HTTP/1.1"), b"");
    assert_eq!(status, 403, "no Host header at all");
    let (ct, form) = served::multipart(&[("matrix", Some("matrix.xlsx"), &std::fs::read(example("matrix.xlsx")).unwrap())]);
    let base = format!("POST /api/score HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Tenderkit-Token: {t}\r\nContent-Type: {ct}", s.port);
    for (extra, why) in [
        ("\r\nOrigin: http://attacker.example", "another site"),
        (&format!("\r\nOrigin: http://127.0.0.1:{}\r\nSec-Fetch-Site: cross-site", s.port) as &str, "another site"),
        ("", "no Origin header"),
    ] {
        let (status, body) = s.send(&format!("{base}{extra}"), &form);
        assert_eq!(status, 403, "{extra}: {body}");
        assert!(body.contains(why), "{extra}: {body}");
    }
}

#[test]
fn an_upload_over_the_limit_is_refused_with_the_limit_named() {
    let tmp = temp();
    let s = Served::start(tmp.path(), &["--max-upload-mib", "1"]);
    let big = vec![b'x'; 2 << 20];
    let (status, body) = s.post("score", &[("matrix", Some("big.xlsx"), &big)]);
    assert_eq!(status, 413, "{body}");
    assert_eq!(
        json(&body)["error"],
        "upload refused: it is larger than the limit of 1 MiB (start tenderkit serve with --max-upload-mib to change it)"
    );
}

#[test]
fn a_zip_bomb_meets_the_commands_own_defence() {
    let tmp = temp();
    let s = Served::start(tmp.path(), &[]);
    let work = temp();
    let bomb = work.path().join("bomb.xlsx");
    write_parts(&bomb, &example_parts(&[("xl/worksheets/sheet2.xml", vec![b' '; 300 << 20])]), true);
    let (status, body) = s.post("score", &[("matrix", Some("bomb.xlsx"), &std::fs::read(&bomb).unwrap())]);
    assert_eq!(status, 200, "{body}");
    let answer = json(&body);
    assert_eq!(answer["exit"], 2, "{body}");
    let text = answer["json"]["findings"][0]["message"].as_str().unwrap_or_default().to_string() + answer["messages"].as_str().unwrap();
    assert!(text.contains("zip bomb"), "{body}");
    assert_eq!(answer["files"].as_array().unwrap().len(), 0, "nothing written from a refused workbook");
}

#[test]
fn answers_are_the_commands_own_and_nothing_is_left_behind() {
    let tmp = temp();
    let s = Served::start(tmp.path(), &[]);
    let matrix = std::fs::read(example("matrix.xlsx")).unwrap();
    // A file name that tries to climb out of the request's folder keeps only its last part.
    let (status, body) = s.post("score", &[("matrix", Some("../../../escaped.xlsx"), &matrix)]);
    assert_eq!(status, 200, "{body}");
    let page = json(&body);
    let cli = tenderkit(&[&"score", &example("matrix.xlsx"), &"--json"]);
    let cli: serde_json::Value = serde_json::from_str(&cli.stdout).unwrap();
    assert_eq!(page["json"]["ranking"], cli["ranking"], "the page ranks exactly as the command does");
    assert_eq!(page["json"]["file"], "escaped.xlsx");
    assert_eq!(page["files"][0]["name"], "escaped-scored.xlsx");
    assert!(!tmp.path().join("escaped.xlsx").exists() && !tmp.path().parent().unwrap().join("escaped.xlsx").exists());

    // The scored workbook sent back is the one `score -o` writes: read it with the library.
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD.decode(page["files"][0]["base64"].as_str().unwrap()).unwrap();
    let scored = tmp.path().join("scored.xlsx");
    std::fs::write(&scored, bytes).unwrap();
    let wb = tenderkit::xlsx::Workbook::open(&scored).unwrap();
    let read = tenderkit::xlsx::matrix::read_matrix(&wb, &Default::default()).unwrap();
    let (_, ranking, _) = tenderkit::domain::scoring::evaluate(&read.matrix).unwrap();
    assert_eq!(ranking.standings[0].bidder, "Forth Valley Commercial Vehicles LLP");

    // Letters stream their progress, then the zip.
    let (status, body) = s.post(
        "letters",
        &[
            ("kind", None, b"unsuccessful"),
            ("tender", Some("tender.toml"), &std::fs::read(example("tender.toml")).unwrap()),
            ("matrix", Some("moderated.xlsx"), &std::fs::read(example("moderated.xlsx")).unwrap()),
        ],
    );
    assert_eq!(status, 200, "{body}");
    let events: Vec<serde_json::Value> = body.lines().filter(|l| l.starts_with('{')).map(json).collect();
    assert!(events.iter().any(|e| e["progress"] == serde_json::json!([2, 2])), "{body}");
    let done = &events.last().unwrap()["done"];
    assert_eq!(done["exit"], 0, "{body}");
    assert_eq!(done["files"][0]["name"], "unsuccessful-letters.zip");

    // Every request's folder is gone once it has been answered; the server's own folder stays
    // (empty) until it stops.
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().path()).filter(|p| p != &scored).collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].file_name().unwrap().to_string_lossy().starts_with("tenderkit-serve-"));
    assert_eq!(std::fs::read_dir(&left[0]).unwrap().count(), 0, "a request folder was left behind");
}
