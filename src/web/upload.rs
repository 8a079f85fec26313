//! A request's uploads, streamed to files in a temporary folder of its own that is removed when
//! the request is over. File names are the buyer's (so messages name their files), cleaned to
//! a plain name: nothing is ever written outside the folder.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use axum::extract::Multipart;
use axum::http::StatusCode;
use tokio::io::AsyncWriteExt;

use super::Reply;

/// What a request sent: its files by field (a field may hold many, as returns do) and its fields.
pub struct Uploads {
    pub dir: tempfile::TempDir,
    pub files: BTreeMap<String, Vec<PathBuf>>,
    pub fields: BTreeMap<String, String>,
    taken: HashSet<String>,
}

/// The longest an upload may send nothing before it is given up.
const UPLOAD_IDLE: std::time::Duration = std::time::Duration::from_secs(30);

/// The longest a text field may be: form values are short.
const MAX_FIELD: usize = 64 * 1024;

impl Uploads {
    /// The one file sent as `field`, by its name in the folder.
    pub fn file(&self, field: &str) -> Option<&Path> {
        self.files.get(field).and_then(|f| f.first()).map(PathBuf::as_path)
    }

    pub fn all(&self, field: &str) -> &[PathBuf] {
        self.files.get(field).map_or(&[], Vec::as_slice)
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str).map(str::trim).filter(|v| !v.is_empty())
    }

    /// The names of the uploaded files, for the log.
    pub fn names(&self) -> Vec<String> {
        self.files.values().flatten().map(|p| p.display().to_string()).collect()
    }

    /// A name no other upload in this request has.
    fn unique(&mut self, wanted: String) -> String {
        let (stem, ext) = match wanted.rfind('.') {
            Some(i) if i > 0 => (wanted[..i].to_string(), wanted[i..].to_string()),
            _ => (wanted.clone(), String::new()),
        };
        let mut name = wanted;
        let mut n = 2;
        while !self.taken.insert(name.to_lowercase()) {
            name = format!("{stem}-{n}{ext}");
            n += 1;
        }
        name
    }
}

/// The uploaded file's name, cleaned: its last path part, letters, digits and `-_.() ` only, no
/// leading dot or `-` (a name never reads as an option of the command it is given to), at most
/// 100 characters (keeping the extension).
pub fn clean_name(given: &str) -> String {
    let last = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = last.chars().filter(|c| c.is_alphanumeric() || "-_.() ".contains(*c)).collect();
    let kept = kept.trim_start_matches(['.', ' ', '-']).trim_end().to_string();
    let kept = if kept.is_empty() { "upload".to_string() } else { kept };
    if kept.chars().count() <= 100 {
        return kept;
    }
    let ext: String = kept.rfind('.').map(|i| kept[i..].chars().take(10).collect()).unwrap_or_default();
    let stem: String = kept.chars().take(100 - ext.chars().count()).collect();
    format!("{stem}{ext}")
}

/// The message for an upload over the limit.
pub fn too_large(limit: u64) -> Reply {
    Reply::refused(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "upload refused: it is larger than the limit of {} MiB (start tenderkit serve with --max-upload-mib to change it)",
            limit / (1024 * 1024)
        ),
    )
}

/// Streams every part of the request into a new folder inside `root`.
pub async fn receive(root: &Path, mut form: Multipart, limit: u64) -> Result<Uploads, Reply> {
    let dir =
        tempfile::Builder::new().prefix("request-").tempdir_in(root).map_err(|e| Reply::failed(format!("no temporary folder: {e}")))?;
    let mut up = Uploads { dir, files: BTreeMap::new(), fields: BTreeMap::new(), taken: HashSet::new() };
    let refused = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(limit)
        } else {
            Reply::refused(StatusCode::BAD_REQUEST, format!("the upload could not be read: {}", e.body_text()))
        }
    };
    // An upload that stops sending holds its connection and folder: give up on it.
    let stalled =
        || Reply::refused(StatusCode::REQUEST_TIMEOUT, format!("the upload stalled: nothing arrived for {} s", UPLOAD_IDLE.as_secs()));
    macro_rules! within {
        ($e:expr) => {
            tokio::time::timeout(UPLOAD_IDLE, $e).await.map_err(|_| stalled())?.map_err(refused)?
        };
    }
    while let Some(mut field) = within!(form.next_field()) {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) if !file_name.is_empty() => {
                let clean = up.unique(clean_name(&file_name));
                let path = up.dir.path().join(&clean);
                let mut out = tokio::fs::File::create(&path).await.map_err(|e| Reply::failed(format!("{clean}: {e}")))?;
                while let Some(chunk) = within!(field.chunk()) {
                    out.write_all(&chunk).await.map_err(|e| Reply::failed(format!("{clean}: {e}")))?;
                }
                out.flush().await.map_err(|e| Reply::failed(format!("{clean}: {e}")))?;
                up.files.entry(name).or_default().push(PathBuf::from(clean));
            }
            // A file input left empty sends a part with no file name: nothing was chosen.
            Some(_) => while within!(field.chunk()).is_some() {},
            None => {
                let mut value = Vec::new();
                while let Some(chunk) = within!(field.chunk()) {
                    value.extend_from_slice(&chunk);
                    if value.len() > MAX_FIELD {
                        return Err(Reply::refused(StatusCode::BAD_REQUEST, format!("the form field '{name}' is too long")));
                    }
                }
                up.fields.insert(name, String::from_utf8_lossy(&value).into_owned());
            }
        }
    }
    Ok(up)
}

#[cfg(test)]
mod tests {
    use super::clean_name;

    #[test]
    fn names_are_cleaned_to_a_plain_file_name() {
        assert_eq!(clean_name("matrix.xlsx"), "matrix.xlsx");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\buyer\\Evaluation Matrix (v2).xlsx"), "Evaluation Matrix (v2).xlsx");
        assert_eq!(clean_name(".."), "upload");
        assert_eq!(clean_name(".bashrc"), "bashrc");
        assert_eq!(clean_name("--help"), "help");
        assert_eq!(clean_name(" -o x.xlsx"), "o x.xlsx");
        assert_eq!(clean_name("-"), "upload");
        assert_eq!(clean_name("a\0b;rm -rf $HOME.xlsx"), "abrm -rf HOME.xlsx");
        let long = format!("{}.xlsx", "x".repeat(300));
        let cleaned = clean_name(&long);
        assert_eq!(cleaned.chars().count(), 100);
        assert!(cleaned.ends_with(".xlsx"));
    }
}
