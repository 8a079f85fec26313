//! A first look at a zip archive's central directory, before the zip crate reads it: how many
//! entries it declares (refused beyond [`MAX_ENTRIES`] before any memory is spent on them) and
//! every entry's name as stored (the zip crate keeps one entry per name, so a second
//! `xl/worksheets/sheet2.xml` would otherwise pass unseen). APPNOTE.TXT 4.3.12-4.3.16 give the
//! record layouts.

use std::io::{Read, Seek, SeekFrom};

/// More parts than any workbook or letter template has (they hold tens to a few hundred).
pub const MAX_ENTRIES: u64 = 10_000;

const EOCD: u32 = 0x0605_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const ZIP64_EOCD: u32 = 0x0606_4b50;
const CENTRAL_ENTRY: u32 = 0x0201_4b50;

/// Why the central directory was refused.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// Not readable as a zip directory: left for the zip crate to describe.
    Unreadable,
    TooManyEntries(u64),
    Duplicate(String),
}

fn u16_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?)))
}

fn u32_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?)))
}

fn u64_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?))
}

/// Every entry name the central directory lists, in order, after checking the count.
pub fn entry_names<R: Read + Seek + ?Sized>(r: &mut R) -> Result<Vec<String>, Refusal> {
    let len = r.seek(SeekFrom::End(0)).map_err(|_| Refusal::Unreadable)?;
    // The end record is the last 22 bytes plus a comment of up to 65,535.
    let tail_len = len.min(22 + 65_535);
    let mut tail = vec![0u8; tail_len as usize];
    r.seek(SeekFrom::Start(len - tail_len)).map_err(|_| Refusal::Unreadable)?;
    r.read_exact(&mut tail).map_err(|_| Refusal::Unreadable)?;
    let at = (0..tail.len().saturating_sub(21)).rev().find(|&i| u32_at(&tail, i) == Some(u64::from(EOCD))).ok_or(Refusal::Unreadable)?;
    let mut entries = u16_at(&tail, at + 10).ok_or(Refusal::Unreadable)?;
    let mut size = u32_at(&tail, at + 12).ok_or(Refusal::Unreadable)?;
    let mut offset = u32_at(&tail, at + 16).ok_or(Refusal::Unreadable)?;
    if entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
        // ZIP64: the locator sits just before the end record and points at the real counts.
        let locator = at.checked_sub(20).filter(|&l| u32_at(&tail, l) == Some(u64::from(ZIP64_LOCATOR))).ok_or(Refusal::Unreadable)?;
        let record = u64_at(&tail, locator + 8).ok_or(Refusal::Unreadable)?;
        let mut z = [0u8; 56];
        r.seek(SeekFrom::Start(record)).map_err(|_| Refusal::Unreadable)?;
        r.read_exact(&mut z).map_err(|_| Refusal::Unreadable)?;
        if u32_at(&z, 0) != Some(u64::from(ZIP64_EOCD)) {
            return Err(Refusal::Unreadable);
        }
        entries = u64_at(&z, 32).ok_or(Refusal::Unreadable)?;
        size = u64_at(&z, 40).ok_or(Refusal::Unreadable)?;
        offset = u64_at(&z, 48).ok_or(Refusal::Unreadable)?;
    }
    if entries > MAX_ENTRIES {
        return Err(Refusal::TooManyEntries(entries));
    }
    // Each entry takes at least 46 bytes: a directory bigger than the file, or too small for its
    // count, is damaged.
    if size > len || offset > len || entries.saturating_mul(46) > size {
        return Err(Refusal::Unreadable);
    }
    let mut dir = vec![0u8; size as usize];
    r.seek(SeekFrom::Start(offset)).map_err(|_| Refusal::Unreadable)?;
    r.read_exact(&mut dir).map_err(|_| Refusal::Unreadable)?;
    let mut names = Vec::with_capacity(entries as usize);
    let mut seen = std::collections::HashSet::new();
    let mut i = 0usize;
    for _ in 0..entries {
        if u32_at(&dir, i) != Some(u64::from(CENTRAL_ENTRY)) {
            return Err(Refusal::Unreadable);
        }
        let name_len = u16_at(&dir, i + 28).ok_or(Refusal::Unreadable)? as usize;
        let extra_len = u16_at(&dir, i + 30).ok_or(Refusal::Unreadable)? as usize;
        let comment_len = u16_at(&dir, i + 32).ok_or(Refusal::Unreadable)? as usize;
        let name = String::from_utf8_lossy(dir.get(i + 46..i + 46 + name_len).ok_or(Refusal::Unreadable)?).into_owned();
        if !seen.insert(name.clone()) {
            return Err(Refusal::Duplicate(name));
        }
        names.push(name);
        i += 46 + name_len + extra_len + comment_len;
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn zip_of(names: &[&str]) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for n in names {
            z.start_file(*n, zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(b"x").unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    #[test]
    fn names_are_listed_in_order() {
        let bytes = zip_of(&["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]);
        assert_eq!(entry_names(&mut Cursor::new(bytes)).unwrap(), ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]);
    }

    #[test]
    fn a_name_listed_twice_is_refused() {
        // The zip crate will not write a duplicate: rename one entry in the bytes instead.
        let mut bytes = zip_of(&["a/sheet1.xml", "a/sheet2.xml"]);
        let needle = b"a/sheet1.xml";
        let positions: Vec<usize> = bytes.windows(needle.len()).enumerate().filter(|(_, w)| w == needle).map(|(i, _)| i).collect();
        for p in positions {
            bytes[p + 7] = b'2';
        }
        assert_eq!(entry_names(&mut Cursor::new(bytes)), Err(Refusal::Duplicate("a/sheet2.xml".into())));
    }

    #[test]
    fn not_a_zip_is_unreadable() {
        assert_eq!(entry_names(&mut Cursor::new(b"PK\x03\x04 but truncated".to_vec())), Err(Refusal::Unreadable));
    }
}
