//! Writing files so that nothing is lost: every output goes to a temporary file beside its
//! destination and is renamed into place only once complete, so a failure or Ctrl-C leaves the
//! previous file as it was.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// Writes `path` atomically with `fill`. On any error the destination is untouched and the
/// temporary file is removed.
pub fn write_atomically<T>(path: &Path, fill: impl FnOnce(&mut BufWriter<File>) -> Result<T>) -> Result<T> {
    let werr = |source| Error::Write { path: path.to_path_buf(), source };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // A replaced file keeps its permissions; a new one gets the usual ones (0666 less umask),
    // not the owner-only mode temporary files are created with.
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    // Created and registered under the lock, so an interrupt never finds the file unregistered.
    let mut unfinished = UNFINISHED.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::Builder::new()
        .prefix(".tenderkit-")
        .suffix(".part")
        .permissions(default_permissions())
        .tempfile_in(&dir)
        .map_err(werr)?;
    let (file, tmp_path) = tmp.into_parts();
    unfinished.push(tmp_path.to_path_buf());
    drop(unfinished);
    let _unfinished = Unfinished(tmp_path.to_path_buf());
    if let Some(p) = existing {
        file.set_permissions(p).map_err(werr)?;
    }
    let mut w = BufWriter::new(file);
    let value = fill(&mut w)?;
    let file = w.into_inner().map_err(|e| werr(e.into_error()))?;
    file.sync_all().map_err(werr)?;
    tmp_path.persist(path).map_err(|e| werr(e.error))?;
    Ok(value)
}

/// Temporary files of writes under way, for [`remove_unfinished`].
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Takes a temporary file off [`UNFINISHED`] once its write is over.
struct Unfinished(PathBuf);

impl Drop for Unfinished {
    fn drop(&mut self) {
        UNFINISHED.lock().unwrap_or_else(|e| e.into_inner()).retain(|p| p != &self.0);
    }
}

/// Removes the temporary files of writes still under way, so an interrupted command leaves
/// nothing behind: for a Ctrl-C handler, just before the process exits. The destinations are
/// untouched.
pub fn remove_unfinished() {
    for p in UNFINISHED.lock().unwrap_or_else(|e| e.into_inner()).drain(..) {
        let _ = std::fs::remove_file(p);
    }
}

#[cfg(unix)]
fn default_permissions() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    // Masked by the umask when the file is created.
    std::fs::Permissions::from_mode(0o666)
}

#[cfg(not(unix))]
fn default_permissions() -> std::fs::Permissions {
    std::fs::File::open(".").and_then(|f| f.metadata()).map(|m| m.permissions()).expect("current directory")
}

/// Refuses to write over the input unless `in_place`, and over any other existing file unless
/// `force`.
pub fn check_output(input: &Path, output: &Path, in_place: bool, force: bool) -> Result<()> {
    let same = match (input.canonicalize(), output.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same && !in_place {
        return Err(Error::WouldOverwriteInput { path: output.to_path_buf() });
    }
    if !same && output.exists() && !force {
        return Err(Error::OutputExists { path: output.to_path_buf() });
    }
    Ok(())
}

/// Writes bytes atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically(path, |w| w.write_all(bytes).map_err(|source| Error::Write { path: path.to_path_buf(), source }))
}

/// The current time in RFC 3339 (UTC), or the time `SOURCE_DATE_EPOCH` names, so that examples
/// and tests can be reproduced byte for byte.
pub fn now() -> String {
    let t = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(chrono::Utc::now);
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The SHA-256 of a file, in hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut f = File::open(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = std::io::Read::read(&mut f, &mut buf).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
