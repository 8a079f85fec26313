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
    // A symbolic link is written through: the file it points at is replaced, the link stays.
    let resolved;
    let path = if path.is_symlink() {
        resolved = std::fs::canonicalize(path).map_err(werr)?;
        resolved.as_path()
    } else {
        path
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // A folder that is not there is made (every command does the same), and removed again if
    // the write fails.
    let created = create_folders(&dir).map_err(werr)?;
    let result = write_in(path, &dir, fill);
    if result.is_err()
        && let Some(top) = created
    {
        let _ = std::fs::remove_dir_all(top);
    }
    result
}

/// Makes `dir` and any missing parents; the top-most folder made, if any.
fn create_folders(dir: &Path) -> std::io::Result<Option<PathBuf>> {
    let mut top = None;
    let mut d = dir;
    while !d.as_os_str().is_empty() && !d.exists() {
        top = Some(d.to_path_buf());
        match d.parent() {
            Some(p) => d = p,
            None => break,
        }
    }
    if top.is_some() {
        std::fs::create_dir_all(dir)?;
    }
    Ok(top)
}

fn write_in<T>(path: &Path, dir: &Path, fill: impl FnOnce(&mut BufWriter<File>) -> Result<T>) -> Result<T> {
    let werr = |source| Error::Write { path: path.to_path_buf(), source };
    // A replaced file keeps its permissions; a new one gets the usual ones (0666 less umask),
    // not the owner-only mode temporary files are created with.
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    // Created and registered under the lock, so an interrupt never finds the file unregistered.
    let mut unfinished = UNFINISHED.lock().unwrap_or_else(|e| e.into_inner());
    let tmp =
        tempfile::Builder::new().prefix(".tenderkit-").suffix(".part").permissions(default_permissions()).tempfile_in(dir).map_err(werr)?;
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
    if must_not_exist(path) {
        // The "already exists" check and the rename are one step (link, then unlink), so two
        // runs writing the same new file cannot both succeed.
        tmp_path.persist_noclobber(path).map_err(|e| match e.error.kind() {
            std::io::ErrorKind::AlreadyExists => Error::OutputExists { path: path.to_path_buf() },
            _ => werr(e.error),
        })?;
    } else {
        tmp_path.persist(path).map_err(|e| werr(e.error))?;
    }
    Ok(value)
}

/// Destinations `check_output` found free and may not replace: written only if still free.
static NEW_FILES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn must_not_exist(path: &Path) -> bool {
    NEW_FILES.lock().unwrap_or_else(|e| e.into_inner()).iter().any(|p| p == path)
}

/// An exclusive advisory lock on a file being updated in place, held from before it is read
/// until its replacement is in place: a second tenderkit run on the same file waits, then reads
/// what the first wrote.
#[derive(Debug)]
pub struct UpdateLock {
    _file: File,
}

/// Locks `path` for a read-modify-write. The lock is on the file the path names once the lock
/// is held: if another run replaced it while this one waited, the new file is locked instead.
pub fn lock_for_update(path: &Path) -> Result<UpdateLock> {
    let rerr = |source| Error::Read { path: path.to_path_buf(), source };
    loop {
        let file = File::open(path).map_err(rerr)?;
        file.lock().map_err(rerr)?;
        if same_file(&file, path) {
            return Ok(UpdateLock { _file: file });
        }
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, _path: &Path) -> bool {
    true
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

/// Marks a temporary folder (such as `serve`'s uploads) to be removed by [`remove_unfinished`]
/// if the process is interrupted before the folder's owner removes it.
pub fn remove_if_interrupted(dir: &Path) {
    UNFINISHED.lock().unwrap_or_else(|e| e.into_inner()).push(dir.to_path_buf());
}

/// Removes the temporary files (and batch folders) of writes still under way, so an interrupted
/// command leaves nothing behind: for a Ctrl-C handler, just before the process exits. The
/// destinations are untouched.
pub fn remove_unfinished() {
    for p in UNFINISHED.lock().unwrap_or_else(|e| e.into_inner()).drain(..) {
        if p.is_dir() {
            let _ = std::fs::remove_dir_all(p);
        } else {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Writes a batch of files into `dir` all or nothing (see [`Batch`]). Existing files are replaced
/// only with `force`.
pub fn write_batch(dir: &Path, files: &[(String, Vec<u8>)], force: bool) -> Result<()> {
    let batch = Batch::begin(dir, files.iter().map(|(n, _)| n.clone()).collect(), force)?;
    for (i, (_, bytes)) in files.iter().enumerate() {
        batch.stage(i, bytes)?;
    }
    batch.place()
}

/// Files placed in a folder all or nothing: each is staged in a temporary folder inside it as it
/// is made (so a thousand letters need not all be held at once), then, once every one is staged,
/// all reach the disk and are renamed into place together. If anything fails (a full disk, a name
/// the file system refuses), or the batch is dropped unplaced, whatever was placed is taken back
/// out, any file it replaced is put back, and a folder this batch created is removed.
pub struct Batch {
    dir: PathBuf,
    names: Vec<String>,
    staging: tempfile::TempDir,
    created: Option<PathBuf>,
    placed: bool,
    _unfinished: Unfinished,
}

impl Batch {
    /// Refuses (before anything is made) a file that exists, unless `force`.
    pub fn begin(dir: &Path, names: Vec<String>, force: bool) -> Result<Batch> {
        for name in &names {
            let target = dir.join(name);
            if target.exists() && !force {
                return Err(Error::OutputExists { path: target });
            }
        }
        let created = create_folders(dir).map_err(werr(dir))?;
        let mut unfinished = UNFINISHED.lock().unwrap_or_else(|e| e.into_inner());
        let staging = match tempfile::Builder::new().prefix(".tenderkit-").suffix(".batch").tempdir_in(dir) {
            Ok(s) => s,
            Err(e) => {
                if let Some(top) = created {
                    let _ = std::fs::remove_dir_all(top);
                }
                return Err(werr(dir)(e));
            }
        };
        unfinished.push(staging.path().to_path_buf());
        drop(unfinished);
        let _unfinished = Unfinished(staging.path().to_path_buf());
        Ok(Batch { dir: dir.to_path_buf(), names, staging, created, placed: false, _unfinished })
    }

    /// Where file `i` waits until the batch is placed.
    pub fn staged(&self, i: usize) -> PathBuf {
        self.staging.path().join(i.to_string())
    }

    /// Stages file `i` (of the names given to [`Batch::begin`]); files may be staged from several
    /// threads at once.
    pub fn stage(&self, i: usize, bytes: &[u8]) -> Result<()> {
        self.stage_with(i, |w| w.write_all(bytes))
    }

    /// Stages file `i`, written by `fill`.
    pub fn stage_with(&self, i: usize, fill: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>) -> Result<()> {
        let target = self.dir.join(&self.names[i]);
        let mut w = BufWriter::new(File::create(self.staged(i)).map_err(werr(&target))?);
        fill(&mut w).and_then(|()| w.flush()).map_err(werr(&target))
    }

    /// Every staged file to the disk, then each renamed into place; on a failure, undone.
    pub fn place(mut self) -> Result<()> {
        self.sync_staged()?;
        let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        let undo = |done: &mut Vec<(PathBuf, Option<PathBuf>)>| {
            for (target, backup) in done.drain(..).rev() {
                let _ = std::fs::remove_file(&target);
                if let Some(b) = backup {
                    let _ = std::fs::rename(b, &target);
                }
            }
        };
        for (i, name) in self.names.iter().enumerate() {
            let target = self.dir.join(name);
            let backup = if target.exists() {
                let b = self.staging.path().join(format!("{i}.old"));
                if let Err(e) = std::fs::rename(&target, &b) {
                    undo(&mut done);
                    return Err(werr(&target)(e));
                }
                Some(b)
            } else {
                None
            };
            if let Err(e) = std::fs::rename(self.staged(i), &target) {
                if let Some(b) = &backup {
                    let _ = std::fs::rename(b, &target);
                }
                undo(&mut done);
                return Err(werr(&target)(e));
            }
            done.push((target, backup));
        }
        self.placed = true;
        Ok(())
    }

    /// Every staged file to the disk, all written first and synced after (a thousand letters
    /// synced one by one as they were written took twice as long). On Linux one `syncfs` of the
    /// staging folder's file system does it: Linux waits for the writes, so it gives "the same
    /// guarantees as fsync() called on every file in the ... filesystem" (sync(2)), and reports a
    /// write that failed since the last one (from Linux 5.8). Where it fails, or elsewhere, each
    /// file is synced, which names the one that cannot be written.
    fn sync_staged(&self) -> Result<()> {
        #[cfg(target_os = "linux")]
        if File::open(self.staging.path()).and_then(|dir| Ok(rustix::fs::syncfs(&dir)?)).is_ok() {
            return Ok(());
        }
        for (i, name) in self.names.iter().enumerate() {
            // Opened for writing: Windows flushes only a handle that may write.
            let staged = std::fs::OpenOptions::new().write(true).open(self.staged(i));
            staged.and_then(|f| f.sync_all()).map_err(werr(&self.dir.join(name)))?;
        }
        Ok(())
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Unplaced: the staging folder goes with its TempDir; a folder the batch made goes too.
        if !self.placed
            && let Some(top) = &self.created
        {
            let _ = std::fs::remove_dir_all(top);
        }
    }
}

fn werr(path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Write { path, source }
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
    if !same && !force {
        NEW_FILES.lock().unwrap_or_else(|e| e.into_inner()).push(output.to_path_buf());
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
/// The SHA-256 of `bytes`, as hex (what the audit trail records).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_that_fails_partway_is_taken_back_out() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("letters");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("a.txt"), "old a").unwrap();
        // "b.txt" is placed, then "c/d.txt" cannot be (no folder c): "b.txt" goes again, and the
        // "a.txt" it replaced comes back.
        let files = vec![("a.txt".to_string(), b"new a".to_vec()), ("b.txt".into(), b"b".to_vec()), ("c/d.txt".into(), b"d".to_vec())];
        assert!(write_batch(&out, &files, true).is_err());
        let mut left: Vec<String> =
            std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, ["a.txt"], "only what was there before, and no staging folder");
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "old a");
        // Without --force an existing file stops the batch before anything is written.
        assert!(matches!(write_batch(&out, &files[..1], false), Err(Error::OutputExists { .. })));
        // A folder the batch created is removed when it fails.
        let fresh = dir.path().join("fresh");
        assert!(write_batch(&fresh, &files[1..], false).is_err());
        assert!(!fresh.exists());
        // And a batch that works places everything.
        assert!(write_batch(&fresh, &files[..2], false).is_ok());
        assert_eq!(std::fs::read_to_string(fresh.join("a.txt")).unwrap(), "new a");
    }

    #[test]
    fn a_batch_dropped_before_it_is_placed_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("letters");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("a.txt"), "old a").unwrap();
        // Staged as they are made, then a later letter fails: nothing of the batch is left.
        let batch = Batch::begin(&out, vec!["a.txt".into(), "b.txt".into()], true).unwrap();
        batch.stage(0, b"new a").unwrap();
        assert_eq!(std::fs::read_to_string(batch.staged(0)).unwrap(), "new a");
        drop(batch);
        let left: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(left, ["a.txt"]);
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "old a");
        // In a folder it made, the folder goes too.
        let fresh = dir.path().join("fresh/inner");
        let batch = Batch::begin(&fresh, vec!["a.txt".into()], false).unwrap();
        batch.stage_with(0, |w| w.write_all(b"a")).unwrap();
        drop(batch);
        assert!(!dir.path().join("fresh").exists());
        // Staged from several threads, then placed.
        let batch = Batch::begin(&fresh, (0..8).map(|i| format!("{i}.txt")).collect(), false).unwrap();
        std::thread::scope(|s| {
            for i in 0..8 {
                let b = &batch;
                s.spawn(move || b.stage(i, format!("letter {i}").as_bytes()).unwrap());
            }
        });
        batch.place().unwrap();
        assert_eq!(std::fs::read_to_string(fresh.join("7.txt")).unwrap(), "letter 7");
        assert_eq!(std::fs::read_dir(&fresh).unwrap().count(), 8, "no staging folder left");
    }
}
