//! Every command README.md shows works as written: each `cargo run --release -- ...` line of the
//! README's `sh` blocks (continuations joined) runs, in order, in a scratch copy of `examples/` and
//! `tests/fixtures/`, with the tenderkit this build made, through `sh` (so globs expand as they
//! would for the reader). It must exit 0, or the code its comment gives (`# exit 1: ...`).

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// The commands, with the exit code each is documented to give.
fn readme_commands() -> Vec<(String, i32)> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = line.trim() == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let line = line.trim();
        if pending.is_empty() && !line.starts_with("cargo run --release -- ") {
            continue;
        }
        if let Some(head) = line.strip_suffix('\\') {
            pending += head;
            pending.push(' ');
            continue;
        }
        pending += line;
        let (command, comment) = match pending.split_once(" #") {
            Some((c, k)) => (c.trim().to_string(), k.to_string()),
            None => (pending.trim().to_string(), String::new()),
        };
        let code = comment.split_once("exit ").and_then(|(_, rest)| rest.get(..1)?.parse().ok()).unwrap_or(0);
        out.push((command, code));
        pending.clear();
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn every_command_the_readme_shows_works_as_written() {
    let commands = readme_commands();
    assert!(commands.len() >= 15, "the README's commands were found: {commands:?}");
    let dir = temp();
    copy_dir(&root().join("examples"), &dir.path().join("examples"));
    copy_dir(&root().join("tests/fixtures"), &dir.path().join("tests/fixtures"));
    let bin = env!("CARGO_BIN_EXE_tenderkit");
    for (command, code) in commands {
        let shell = command.replacen("cargo run --release -- ", &format!("{bin} "), 1);
        if command.split_whitespace().nth(4) == Some("serve") {
            serves_the_page(&shell, dir.path());
            continue;
        }
        let run = Command::new("sh").arg("-c").arg(&shell).current_dir(dir.path()).output().unwrap();
        assert_eq!(
            run.status.code(),
            Some(code),
            "README command `{command}` exited {:?}, not {code}:\n{}{}",
            run.status.code(),
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

/// `serve` runs until stopped: started as written (its browser a no-op), it must print an
/// address whose page answers; then it is stopped.
fn serves_the_page(shell: &str, dir: &Path) {
    use std::io::{BufRead, Read, Write};
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("exec {shell}"))
        .current_dir(dir)
        .env("BROWSER", "true")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let url =
        first.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).unwrap_or_else(|| panic!("`{shell}` printed {first:?}"));
    let (host, path) = url.trim_start_matches("http://").split_once('/').unwrap();
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(s, "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut page = String::new();
    s.read_to_string(&mut page).unwrap();
    assert!(page.starts_with("HTTP/1.1 200") && page.contains("<h1>tenderkit</h1>"), "{page}");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_readme_shows_what_score_prints() {
    // The first output block after the score command is its output, word for word.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let shown = readme.split("`score` prints:").nth(1).unwrap();
    let block = shown.split("```text\n").nth(1).unwrap().split("```").next().unwrap();
    let dir = temp();
    let out = dir.path().join("scored.xlsx");
    let run = Command::new(env!("CARGO_BIN_EXE_tenderkit"))
        .args(["score", "examples/matrix.xlsx", "-o"])
        .arg(&out)
        .current_dir(root())
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&run.stdout).replace(&out.display().to_string(), "scored.xlsx");
    assert_eq!(printed, block, "README's score output drifted");
}
