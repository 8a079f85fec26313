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

#[test]
fn an_uploaded_file_named_like_an_option_is_only_a_file_name() {
    let tmp = temp();
    let s = Served::start(tmp.path(), &[]);
    let matrix = std::fs::read(example("matrix.xlsx")).unwrap();
    for name in ["--help", " -o x.xlsx", "-"] {
        let (status, body) = s.post("score", &[("matrix", Some(name), &matrix)]);
        assert_eq!(status, 200, "{name}: {body}");
        let answer = json(&body);
        assert_eq!(answer["exit"], 0, "{name}: {body}");
        assert!(answer["json"]["ranking"]["standings"].is_array(), "{name}: the ranking, not a usage message: {}", answer["text"]);
    }
}

/// The children of process `pid` (Linux: each process's parent is in /proc/N/stat).
#[cfg(target_os = "linux")]
fn children_of(pid: u32) -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else { return 0 };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|n| {
            std::fs::read_to_string(format!("/proc/{n}/stat"))
                .ok()
                .and_then(|stat| stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse::<u32>().ok())
                == Some(pid)
        })
        .count()
}

/// How long the page takes to answer a plain GET.
fn page_time(s: &Served) -> std::time::Duration {
    let started = std::time::Instant::now();
    let (status, _) = s.send(&format!("GET /?token={} HTTP/1.1\r\nHost: 127.0.0.1:{}", s.token, s.port), b"");
    assert_eq!(status, 200);
    started.elapsed()
}

#[test]
fn connections_that_never_finish_their_headers_do_not_stop_the_page() {
    use std::io::{Read, Write};
    let tmp = temp();
    let s = Served::start(tmp.path(), &[]);
    // 300 connections that start a request and never finish its headers.
    let mut slow: Vec<std::net::TcpStream> = (0..300)
        .map(|_| {
            let mut c = std::net::TcpStream::connect(("127.0.0.1", s.port)).unwrap();
            c.write_all(format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Slow: ", s.port).as_bytes()).unwrap();
            c
        })
        .collect();
    assert!(page_time(&s) < std::time::Duration::from_secs(1), "the page answers at once beside 300 stalled connections");
    // A keep-alive connection left idle after its answer.
    let mut idle = std::net::TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    idle.write_all(format!("GET /?token={} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", s.token, s.port).as_bytes()).unwrap();
    let mut first = [0u8; 64];
    assert!(idle.read(&mut first).unwrap() > 0);
    // The server closes them all once the header timeout (5 s) has passed: a read ends (0 bytes or
    // an error), never blocks past the bound.
    std::thread::sleep(std::time::Duration::from_secs(6));
    for c in slow.iter_mut().chain(std::iter::once(&mut idle)) {
        c.set_read_timeout(Some(std::time::Duration::from_millis(200))).unwrap();
        let mut buf = vec![0u8; 1 << 16];
        let mut closed = false;
        for _ in 0..8 {
            match c.read(&mut buf) {
                Ok(0) => closed = true,
                Ok(_) => continue, // an error answer (408) before the close
                Err(e) => closed = !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
            }
            break;
        }
        assert!(closed, "a stalled or idle connection is closed by the server");
    }
    assert!(page_time(&s) < std::time::Duration::from_secs(1));
}

#[test]
#[cfg(target_os = "linux")]
fn thirty_parallel_actions_wait_their_turn_in_a_pool_of_one_per_core() {
    let tmp = temp();
    let s = std::sync::Arc::new(Served::start(tmp.path(), &[]));
    let pool = std::thread::available_parallelism().map_or(2, |n| n.get());
    let matrix = std::sync::Arc::new(std::fs::read(example("matrix.xlsx")).unwrap());
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Count the server's children while the actions run (bounded: at most 120 s of 10 ms looks).
    let watcher = {
        let (done, pid) = (done.clone(), s.pid());
        std::thread::spawn(move || {
            let mut peak = 0;
            for _ in 0..12_000 {
                if done.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                peak = peak.max(children_of(pid));
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            peak
        })
    };
    let actions: Vec<_> = (0..30)
        .map(|_| {
            let (s, matrix) = (s.clone(), matrix.clone());
            std::thread::spawn(move || s.post("score", &[("matrix", Some("matrix.xlsx"), &matrix)]))
        })
        .collect();
    // While they run the page answers, and says how many wait.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(page_time(&s) < std::time::Duration::from_secs(1), "the page answers while 30 actions are queued");
    let (status, body) = s.send(&format!("GET /api/queue HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Tenderkit-Token: {}", s.port, s.token), b"");
    assert_eq!(status, 200, "{body}");
    let queue = json(&body);
    assert_eq!(queue["pool"], pool, "{body}");
    assert!(queue["running"].as_u64().unwrap() <= pool as u64, "{body}");
    for a in actions {
        let (status, body) = a.join().unwrap();
        assert_eq!(status, 200, "{body}");
        assert_eq!(json(&body)["exit"], 0, "{body}");
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let peak = watcher.join().unwrap();
    assert!(peak >= 1 && peak <= pool, "at most {pool} commands at once; {peak} seen");
}
