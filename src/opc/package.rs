//! An OPC package opened for reading, with limits that stop hostile archives before they cost
//! memory, and a writer that copies the package with chosen parts replaced.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use quick_xml::events::Event;
use zip::ZipArchive;
use zip::write::SimpleFileOptions;

use crate::error::{Error, Result};
use crate::opc::central::{self, Refusal};
use crate::opc::xml::{self, XmlError};

/// No part may inflate beyond this (a 5,000-bid x 200-criterion Quality sheet is about 110 MiB).
pub const MAX_PART_BYTES: u64 = 200 << 20;
/// Parts above 1 MiB may not inflate more than this many times their stored size; real
/// spreadsheet and document XML compresses 5 to 30 times.
pub const MAX_RATIO: u64 = 100;

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

#[derive(Clone, Debug, PartialEq)]
pub struct Relationship {
    pub id: String,
    pub kind: String,
    /// The target part's name inside the package (no leading slash), or the raw target for
    /// external relationships.
    pub target: String,
    pub external: bool,
}

/// Where a package's bytes come from: a file, or memory (`Send`, so a workbook's cells may be
/// read from two threads).
pub trait Source: Read + Seek + Send {}
impl<T: Read + Seek + Send> Source for T {}

pub struct Package {
    path: PathBuf,
    zip: Mutex<ZipArchive<Box<dyn Source>>>,
    /// Part names in archive order.
    names: Vec<String>,
    defaults: HashMap<String, String>,
    overrides: HashMap<String, String>,
}

impl Package {
    /// Opens `path` as an OPC package, telling apart the files people mistake for one:
    /// encrypted Office files, old binary formats, and things that are not zips at all.
    pub fn open(path: &Path) -> Result<Package> {
        let read_err = |source| Error::Read { path: path.to_path_buf(), source };
        let mut file = File::open(path).map_err(read_err)?;
        let mut magic = [0u8; 8];
        let n = read_up_to(&mut file, &mut magic).map_err(read_err)?;
        file.rewind().map_err(read_err)?;
        sniff(path, &magic[..n], &mut file)?;
        Package::from_source(path, Box::new(BufReader::new(file)))
    }

    /// A package held in memory (the page with no server, a test); `name` is what messages call
    /// it. Told apart from what people mistake for one exactly as [`Package::open`] does.
    pub fn from_bytes(name: &Path, bytes: impl AsRef<[u8]> + Send + 'static) -> Result<Package> {
        let b = bytes.as_ref();
        sniff(name, &b[..b.len().min(8)], &mut std::io::Cursor::new(b))?;
        Package::from_source(name, Box::new(std::io::Cursor::new(bytes)))
    }

    fn from_source(path: &Path, mut source: Box<dyn Source>) -> Result<Package> {
        // The central directory, read before the zip crate reads it: it would spend memory on
        // every entry, and keeps only one entry per name.
        match central::entry_names(&mut *source) {
            Err(Refusal::TooManyEntries(n)) => {
                return Err(Error::Unsafe {
                    path: path.to_path_buf(),
                    detail: format!("the archive lists {n} entries; no workbook or document has more than {}", central::MAX_ENTRIES),
                });
            }
            Err(Refusal::Duplicate(name)) => {
                return Err(Error::Unsafe { path: path.to_path_buf(), detail: format!("the archive holds '{name}' twice") });
            }
            Err(Refusal::Unreadable) | Ok(_) => {}
        }
        let zip = ZipArchive::new(source).map_err(|e| Error::Corrupt {
            path: path.to_path_buf(),
            detail: format!("the zip container cannot be read ({e}); the file may be truncated"),
        })?;
        let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
        let mut seen = HashSet::new();
        for name in &names {
            if name.starts_with('/') || name.contains('\\') || name.split('/').any(|c| c == "..") || name.contains(':') {
                return Err(Error::Unsafe {
                    path: path.to_path_buf(),
                    detail: format!("the archive entry '{name}' points outside the package"),
                });
            }
            if !seen.insert(name.to_ascii_lowercase()) {
                return Err(Error::Unsafe { path: path.to_path_buf(), detail: format!("the archive holds '{name}' twice") });
            }
        }
        let mut package =
            Package { path: path.to_path_buf(), zip: Mutex::new(zip), names, defaults: HashMap::new(), overrides: HashMap::new() };
        if !package.has("[Content_Types].xml") {
            return Err(Error::NotWorkbook {
                path: path.to_path_buf(),
                reason: "it is a zip archive but not an Office document (no [Content_Types].xml)".into(),
                fix: "check you picked the right file; save it from Excel as 'Excel Workbook (.xlsx)'".into(),
            });
        }
        package.read_content_types()?;
        Ok(package)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The archive, for one read at a time (a panic while reading leaves nothing half-changed
    /// that a later read relies on: each starts from the central directory).
    fn zip(&self) -> MutexGuard<'_, ZipArchive<Box<dyn Source>>> {
        self.zip.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn has(&self, part: &str) -> bool {
        self.names.iter().any(|n| n == part)
    }

    /// The content type of a part, from `[Content_Types].xml`.
    pub fn content_type(&self, part: &str) -> Option<&str> {
        if let Some(t) = self.overrides.get(&format!("/{part}").to_ascii_lowercase()) {
            return Some(t);
        }
        let ext = part.rsplit_once('.')?.1.to_ascii_lowercase();
        self.defaults.get(&ext).map(String::as_str)
    }

    /// The whole of one part, inflated within the package limits.
    pub fn read(&self, part: &str) -> Result<Vec<u8>> {
        self.read_with(part, |r, size| {
            let mut out = Vec::with_capacity(size as usize);
            r.read_to_end(&mut out)?;
            Ok(out)
        })
    }

    /// One part inflated as a stream, read by `read` (given the part's declared size), within the
    /// package limits: whatever `read` leaves is inflated too (not held), so the checksum and the
    /// size are always checked, and a part that inflates past them is refused.
    pub fn read_with<R>(&self, part: &str, read: impl FnOnce(&mut dyn Read, u64) -> std::io::Result<R>) -> Result<R> {
        let mut zip = self.zip();
        let corrupt = |e: &dyn std::fmt::Display| Error::Corrupt { path: self.path.clone(), detail: format!("part '{part}': {e}") };
        let mut entry = zip.by_name(part).map_err(|e| corrupt(&e))?;
        let (size, stored) = (entry.size(), entry.compressed_size());
        if size > MAX_PART_BYTES || (size > 1 << 20 && size > stored.saturating_mul(MAX_RATIO)) {
            return Err(self.bomb(part, size, stored));
        }
        // The declared size may lie; never inflate past the limit whatever it says.
        let mut limited = (&mut entry).take(MAX_PART_BYTES + 1);
        let out = read(&mut limited, size).map_err(|e| corrupt(&e))?;
        std::io::copy(&mut limited, &mut std::io::sink()).map_err(|e| corrupt(&e))?;
        let inflated = MAX_PART_BYTES + 1 - limited.limit();
        if inflated > MAX_PART_BYTES || inflated != size {
            return Err(self.bomb(part, inflated, stored));
        }
        Ok(out)
    }

    /// The declared (inflated) size of a part.
    pub fn size(&self, part: &str) -> Option<u64> {
        let mut zip = self.zip();
        let i = zip.index_for_name(part)?;
        zip.by_index_raw(i).ok().map(|e| e.size())
    }

    /// One part as it is stored, still compressed (see [`StoredPart`]).
    pub fn stored(&self, part: &str) -> Result<StoredPart> {
        let mut zip = self.zip();
        let corrupt = |e: &dyn std::fmt::Display| Error::Corrupt { path: self.path.clone(), detail: format!("part '{part}': {e}") };
        let i = zip.index_for_name(part).ok_or_else(|| corrupt(&"not in the package"))?;
        let entry = zip.by_index_raw(i).map_err(|e| corrupt(&e))?;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(entry.compressed_size() as usize + 512)));
        w.raw_copy_file(entry).map_err(|e| corrupt(&e))?;
        Ok(StoredPart(w.finish().map_err(|e| corrupt(&e))?.into_inner()))
    }

    fn bomb(&self, part: &str, size: u64, stored: u64) -> Error {
        Error::Unsafe {
            path: self.path.clone(),
            detail: format!(
                "part '{part}' inflates from {stored} to {size} bytes (limits: {} MiB per part, {MAX_RATIO}:1 ratio); this looks like a zip bomb",
                MAX_PART_BYTES >> 20
            ),
        }
    }

    /// Parses an XML part, turning XML problems into located errors.
    pub fn xml_error(&self, part: &str, e: XmlError) -> Error {
        match e {
            XmlError::Malformed(d) => {
                Error::Corrupt { path: self.path.clone(), detail: format!("part '{part}' is not well-formed XML: {d}") }
            }
            XmlError::Unsafe(d) => Error::Unsafe { path: self.path.clone(), detail: format!("part '{part}': {d}") },
        }
    }

    /// The relationships of `part` (`""` for the package itself), targets resolved to part names.
    pub fn relationships(&self, part: &str) -> Result<Vec<Relationship>> {
        let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
        let rels_part = if dir.is_empty() { format!("_rels/{file}.rels") } else { format!("{dir}/_rels/{file}.rels") };
        if !self.has(&rels_part) {
            return Ok(Vec::new());
        }
        let data = self.read(&rels_part)?;
        parse_relationships(&data, dir).map_err(|e| self.xml_error(&rels_part, e))
    }

    /// The main document part and its relationship type (office documents have one).
    pub fn main_document(&self) -> Result<Relationship> {
        self.relationships("")?.into_iter().find(|r| r.kind.ends_with("/officeDocument")).ok_or_else(|| Error::NotWorkbook {
            path: self.path.clone(),
            reason: "the package has no main document".into(),
            fix: "open it in Excel and save it as 'Excel Workbook (.xlsx)'".into(),
        })
    }

    fn read_content_types(&mut self) -> Result<()> {
        let part = "[Content_Types].xml";
        let data = self.read(part)?;
        let mut r = xml::reader(&data);
        loop {
            match xml::next(&mut r).map_err(|e| self.xml_error(part, e))? {
                Event::Empty(e) | Event::Start(e) => {
                    let attr = |n: &[u8]| xml::attr(&e, n).map_err(|err| self.xml_error(part, err));
                    match e.local_name().as_ref() {
                        b"Default" => {
                            if let (Some(ext), Some(t)) = (attr(b"Extension")?, attr(b"ContentType")?) {
                                self.defaults.insert(ext.to_ascii_lowercase(), t);
                            }
                        }
                        b"Override" => {
                            if let (Some(p), Some(t)) = (attr(b"PartName")?, attr(b"ContentType")?) {
                                self.overrides.insert(p.to_ascii_lowercase(), t);
                            }
                        }
                        _ => {}
                    }
                }
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// Writes a copy of the package to `out`: parts in `replace` get the new bytes, parts in
    /// `add` are appended, and every other part is copied as stored, byte for byte, without
    /// being inflated.
    /// `deflated` holds parts already deflated (by [`deflate_part`], on another thread), as a
    /// one-part zip each, copied in without inflating.
    pub fn write_copy<W: Write + Seek>(
        &self,
        out: W,
        replace: &HashMap<String, Vec<u8>>,
        add: &[(String, Vec<u8>)],
        deflated: &HashMap<String, Vec<u8>>,
    ) -> Result<W> {
        let werr = |e: zip::result::ZipError| Error::Write { path: self.path.clone(), source: std::io::Error::other(e) };
        let mut zip = self.zip();
        let mut w = zip::ZipWriter::new(out);
        for i in 0..zip.len() {
            let name = self.names[i].clone();
            if let Some(one) = deflated.get(&name) {
                let mut single = zip::ZipArchive::new(std::io::Cursor::new(one.as_slice())).map_err(werr)?;
                let entry = single.by_index_raw(0).map_err(werr)?;
                w.raw_copy_file_rename(entry, name).map_err(werr)?;
                continue;
            }
            match replace.get(&name) {
                Some(bytes) => {
                    w.start_file(name, part_options(bytes.len())).map_err(werr)?;
                    w.write_all(bytes).map_err(|e| werr(e.into()))?;
                }
                None => {
                    let entry = zip.by_index_raw(i).map_err(|e| Error::Corrupt { path: self.path.clone(), detail: e.to_string() })?;
                    w.raw_copy_file(entry).map_err(werr)?;
                }
            }
        }
        for (name, bytes) in add {
            w.start_file(name.clone(), part_options(bytes.len())).map_err(werr)?;
            w.write_all(bytes).map_err(|e| werr(e.into()))?;
        }
        w.finish().map_err(werr)
    }
}

/// A part as it is stored (still compressed), in a one-part zip of its own: inflated again as a
/// stream, on any thread, without the package. A sheet patched is read this way as it is written,
/// so its XML is never held whole (at 5,000 bids, 112 MB).
pub struct StoredPart(Vec<u8>);

impl StoredPart {
    /// The part inflated, read by `read` (its checksum checked at the end).
    pub fn inflate<R>(&self, read: impl FnOnce(&mut dyn Read) -> std::io::Result<R>) -> std::io::Result<R> {
        let mut zip = ZipArchive::new(std::io::Cursor::new(self.0.as_slice())).map_err(std::io::Error::other)?;
        let mut entry = zip.by_index(0).map_err(std::io::Error::other)?;
        read(&mut entry)
    }
}

/// Gives a stream a few bytes at a time, as an inflater may (for the tests of what reads one).
#[cfg(test)]
pub(crate) struct Trickle<'a>(pub &'a [u8], pub usize);

#[cfg(test)]
impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.1.min(buf.len()).min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

/// A part deflated as [`Package::write_copy`] stores it, into a one-part zip: `write` produces
/// the part's bytes (about `size` of them) straight into the deflater, so a big part is never
/// held whole, and this can run on its own thread while the rest of the package is worked out.
pub fn deflate_part(name: &str, size: usize, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<Vec<u8>> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(size / 6)));
    w.start_file(name, part_options(size)).map_err(std::io::Error::other)?;
    write(&mut w)?;
    Ok(w.finish().map_err(std::io::Error::other)?.into_inner())
}

/// Deflate; big parts use a faster level, as they are rewritten on every run.
fn part_options(len: usize) -> SimpleFileOptions {
    let level = if len > 4 << 20 { 1 } else { 6 };
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(level))
        .large_file(len as u64 >= u32::MAX as u64)
}

pub fn parse_relationships(data: &[u8], base_dir: &str) -> Result<Vec<Relationship>, XmlError> {
    let mut r = xml::reader(data);
    let mut out = Vec::new();
    loop {
        match xml::next(&mut r)? {
            Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == b"Relationship" => {
                let external = xml::attr(&e, b"TargetMode")?.is_some_and(|m| m == "External");
                let raw = xml::attr(&e, b"Target")?.unwrap_or_default();
                out.push(Relationship {
                    id: xml::attr(&e, b"Id")?.unwrap_or_default(),
                    kind: xml::attr(&e, b"Type")?.unwrap_or_default(),
                    target: if external { raw } else { resolve(base_dir, &raw) },
                    external,
                });
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// Resolves a relationship target against the directory of its source part.
pub fn resolve(base_dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') { Vec::new() } else { base_dir.split('/').filter(|s| !s.is_empty()).collect() };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn read_up_to(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn preview(bytes: &[u8]) -> String {
    if bytes.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
        format!("'{}'", String::from_utf8_lossy(bytes))
    } else {
        bytes.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(" ")
    }
}

/// An OLE compound file is either an encrypted OOXML package or an old binary Office file.
/// Refuses what is not a zip package by its first bytes: encrypted Office files, old binary
/// formats, empty files and anything else, each with what it is and what to do.
fn sniff(path: &Path, magic: &[u8], file: &mut dyn Read) -> Result<()> {
    let n = magic.len();
    if n == 8 && magic == OLE_MAGIC {
        return Err(ole_error(path, file));
    }
    if n < 4 || &magic[..2] != b"PK" {
        let what =
            if n == 0 { "the file is empty".to_string() } else { format!("it is not a zip package (it starts with {})", preview(magic)) };
        return Err(Error::NotWorkbook {
            path: path.to_path_buf(),
            reason: what,
            fix: "open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'".into(),
        });
    }
    Ok(())
}

fn ole_error(path: &Path, file: &mut dyn Read) -> Error {
    let mut head = Vec::new();
    let _ = file.take(64 << 20).read_to_end(&mut head);
    let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
    let has = |s: &str| {
        let n = utf16(s);
        head.windows(n.len()).any(|w| w == n.as_slice())
    };
    if has("EncryptedPackage") || has("EncryptionInfo") {
        Error::Encrypted { path: path.to_path_buf() }
    } else if has("WordDocument") {
        Error::NotWorkbook {
            path: path.to_path_buf(),
            reason: "it is an old binary Word document (.doc)".into(),
            fix: "check you picked the right file".into(),
        }
    } else {
        Error::NotWorkbook {
            path: path.to_path_buf(),
            reason: "it is an old binary Excel workbook (.xls), which tenderkit does not read".into(),
            fix: "open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_source_directory() {
        assert_eq!(resolve("xl", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/worksheets", "../drawings/drawing1.xml"), "xl/drawings/drawing1.xml");
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
    }
}
