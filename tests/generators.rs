//! Every generator of a committed file writes the same bytes on every run: run here into a
//! scratch folder, each must reproduce what is committed, byte for byte. The Rust examples always
//! run; the Python generators (openpyxl, python-docx, LibreOffice) run where those are installed,
//! and must, when TENDERKIT_REQUIRE_PYTHON is set (as CI sets it).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// The files under `dir`, relative to it, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p).into_iter().map(|f| Path::new(p.file_name().unwrap()).join(f)));
        } else {
            out.push(PathBuf::from(p.file_name().unwrap()));
        }
    }
    out.sort();
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in files(from) {
        std::fs::create_dir_all(to.join(&f).parent().unwrap()).unwrap();
        std::fs::copy(from.join(&f), to.join(&f)).unwrap();
    }
}

/// Every file in `made` with the extensions given is byte for byte the committed one.
fn same_as_committed(made: &Path, committed: &Path, extensions: &[&str]) {
    let mut compared = 0;
    for f in files(made).into_iter().filter(|f| extensions.iter().any(|e| f.extension().is_some_and(|x| x == *e))) {
        let want = std::fs::read(committed.join(&f)).unwrap_or_else(|_| panic!("{} is made but not committed", f.display()));
        assert!(std::fs::read(made.join(&f)).unwrap() == want, "{} differs from the committed file: regenerate and commit it", f.display());
        compared += 1;
    }
    assert!(compared > 0, "nothing compared in {}", made.display());
}

/// A built example program (plain `cargo test` builds them beside the test binaries).
fn example_bin(name: &str) -> PathBuf {
    let deps = std::env::current_exe().unwrap();
    let bin = deps.parent().unwrap().parent().unwrap().join("examples").join(name);
    assert!(bin.exists(), "{} is not built: run the tests with plain `cargo test`, which builds the examples", bin.display());
    bin
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{:?}: {}{}", cmd, String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_example_matrix_returns_and_moderated_matrix_are_reproducible() {
    let dir = temp();
    let scratch = dir.path().join("examples");
    copy_dir(&root().join("examples"), &scratch);
    run(Command::new(example_bin("make_example")).arg(&scratch));
    run(Command::new(example_bin("make_returns")).arg(&scratch));
    same_as_committed(&scratch, &root().join("examples"), &["xlsx"]);
}

#[test]
fn the_bundled_word_letters_are_reproducible() {
    let dir = temp();
    let scratch = dir.path().join("letters");
    copy_dir(&root().join("templates/letters"), &scratch);
    run(Command::new(example_bin("make_templates")).arg(&scratch));
    same_as_committed(&scratch, &root().join("templates/letters"), &["docx"]);
}

fn python_ready() -> bool {
    let ok = Command::new("python3").args(["-c", "import openpyxl, docx, PIL"]).output().is_ok_and(|o| o.status.success())
        && Command::new("soffice").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("TENDERKIT_REQUIRE_PYTHON").is_some() {
        panic!("python3 with openpyxl, python-docx and pillow, and LibreOffice, are required for the generator tests");
    }
    if !ok {
        eprintln!("SKIPPED Python generators: needs python3 with openpyxl, python-docx, pillow, and LibreOffice");
    }
    ok
}

#[test]
fn the_python_fixture_generators_are_reproducible() {
    if !python_ready() {
        return;
    }
    for (script, committed) in [
        ("tests/fixtures/make_fixtures.py", "tests/fixtures"),
        ("tests/fixtures/corpus/make_corpus.py", "tests/fixtures/corpus"),
        ("tests/fixtures/real/make_real.py", "tests/fixtures/real"),
        ("tests/fixtures/mergefields/make_mergefields.py", "tests/fixtures/mergefields"),
    ] {
        let dir = temp();
        run(Command::new("python3").arg(root().join(script)).arg(dir.path()));
        same_as_committed(dir.path(), &root().join(committed), &["xlsx", "docx", "toml"]);
    }
}
