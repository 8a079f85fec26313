//! A1-style cell references. Rows and columns are 1-based, as a buyer reads them.

use std::fmt;

/// Excel's limits: 1,048,576 rows and 16,384 columns (XFD).
pub const MAX_ROW: u32 = 1_048_576;
pub const MAX_COL: u32 = 16_384;

/// A cell position. Ordered row by row, as cells are stored in a sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(row: u32, col: u32) -> CellRef {
        CellRef { row, col }
    }

    /// Parses `G4`, `$G$4`, `g4`.
    pub fn parse(text: &str) -> Option<CellRef> {
        CellRef::parse_bytes(text.trim().as_bytes())
    }

    /// Parses a reference from raw bytes (as stored in a sheet's `r` attribute).
    pub fn parse_bytes(b: &[u8]) -> Option<CellRef> {
        let mut i = usize::from(b.first() == Some(&b'$'));
        let (mut col, mut letters) = (0u32, 0);
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_alphabetic()) {
            if letters == 3 {
                return None;
            }
            col = col * 26 + u32::from(c.to_ascii_uppercase() - b'A' + 1);
            letters += 1;
            i += 1;
        }
        if letters == 0 || letters > 3 || col > MAX_COL {
            return None;
        }
        if b.get(i) == Some(&b'$') {
            i += 1;
        }
        let digits = &b[i..];
        if digits.is_empty() || digits.len() > 7 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let row = digits.iter().fold(0u32, |r, d| r * 10 + u32::from(d - b'0'));
        (1..=MAX_ROW).contains(&row).then_some(CellRef { row, col })
    }

    /// `$G$4`, for formulas.
    pub fn absolute(self) -> String {
        format!("${}${}", col_name(self.col), self.row)
    }
}

impl CellRef {
    /// `G4` as bytes in a buffer on the stack: writing a big sheet's cells allocates nothing.
    fn a1(self) -> ([u8; 16], usize) {
        let mut buf = [0u8; 16];
        let (letters, n) = col_letters(self.col);
        buf[..n].copy_from_slice(&letters[..n]);
        let mut digits = [0u8; 10];
        let (mut d, mut row) = (0, self.row);
        loop {
            digits[d] = b'0' + (row % 10) as u8;
            row /= 10;
            d += 1;
            if row == 0 {
                break;
            }
        }
        for i in 0..d {
            buf[n + i] = digits[d - 1 - i];
        }
        (buf, n + d)
    }

    /// Appends `G4` to `out`.
    pub fn push_to(self, out: &mut Vec<u8>) {
        let (buf, len) = self.a1();
        out.extend_from_slice(&buf[..len]);
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (buf, len) = self.a1();
        f.pad(std::str::from_utf8(&buf[..len]).map_err(|_| fmt::Error)?)
    }
}

/// `1` -> `A`, `27` -> `AA`.
pub fn col_name(col: u32) -> String {
    let (letters, n) = col_letters(col);
    String::from_utf8_lossy(&letters[..n]).into_owned()
}

/// A column's letters, on the stack (Excel's columns need at most three; a larger number is cut
/// to its last four).
fn col_letters(mut col: u32) -> ([u8; 4], usize) {
    let mut backwards = [0u8; 4];
    let mut n = 0;
    while col > 0 && n < backwards.len() {
        backwards[n] = b'A' + ((col - 1) % 26) as u8;
        col = (col - 1) / 26;
        n += 1;
    }
    let mut letters = [0u8; 4];
    for i in 0..n {
        letters[i] = backwards[n - 1 - i];
    }
    (letters, n)
}

/// `A` -> `1`, `aa` -> `27`.
pub fn parse_col(text: &str) -> Option<u32> {
    let t = text.trim().trim_start_matches('$');
    if t.is_empty() || t.len() > 3 {
        return None;
    }
    let mut col = 0u32;
    for c in t.chars() {
        if !c.is_ascii_alphabetic() {
            return None;
        }
        col = col * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    (col <= MAX_COL).then_some(col)
}

/// A rectangular range, `A1:B5` (a single cell is a range of one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CellRange {
    pub start: CellRef,
    pub end: CellRef,
}

impl CellRange {
    pub fn parse(text: &str) -> Option<CellRange> {
        let (a, b) = text.split_once(':').unwrap_or((text, text));
        let (a, b) = (CellRef::parse(a)?, CellRef::parse(b)?);
        Some(CellRange { start: CellRef::new(a.row.min(b.row), a.col.min(b.col)), end: CellRef::new(a.row.max(b.row), a.col.max(b.col)) })
    }

    pub fn contains(&self, c: CellRef) -> bool {
        (self.start.row..=self.end.row).contains(&c.row) && (self.start.col..=self.end.col).contains(&c.col)
    }

    /// Cells row by row.
    pub fn cells(&self) -> impl Iterator<Item = CellRef> + '_ {
        (self.start.row..=self.end.row).flat_map(move |r| (self.start.col..=self.end.col).map(move |c| CellRef::new(r, c)))
    }
}

impl fmt::Display for CellRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end { write!(f, "{}", self.start) } else { write!(f, "{}:{}", self.start, self.end) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_round_trip() {
        for (n, name) in [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (703, "AAA"), (16384, "XFD")] {
            assert_eq!(col_name(n), name);
            assert_eq!(parse_col(name), Some(n));
        }
        assert_eq!(parse_col("XFE"), None);
        assert_eq!(parse_col("A1"), None);
    }

    #[test]
    fn references_parse() {
        assert_eq!(CellRef::parse("$G$4"), Some(CellRef::new(4, 7)));
        assert_eq!(CellRef::parse("g4").unwrap().to_string(), "G4");
        assert_eq!(CellRef::parse("G0"), None);
        assert_eq!(CellRef::parse("4"), None);
        assert_eq!(CellRef::parse("A1B"), None);
        assert_eq!(CellRef::parse("ScaleMax"), None);
        assert_eq!(CellRef::parse("ABCDEFGHIJ1"), None);
        assert_eq!(CellRef::parse("XFD1048576"), Some(CellRef::new(1_048_576, 16_384)));
        assert_eq!(CellRef::parse("A1048577"), None);
        assert_eq!(CellRef::new(4, 7).absolute(), "$G$4");
        let r = CellRange::parse("$B$3:A1").unwrap();
        assert_eq!(r.to_string(), "A1:B3");
        assert!(r.contains(CellRef::new(2, 2)));
        assert_eq!(r.cells().count(), 6);
        assert_eq!(CellRange::parse("C7").unwrap().to_string(), "C7");
        for at in [CellRef::new(1, 1), CellRef::new(1_048_576, 16_384), CellRef::new(203, 1007)] {
            let mut bytes = Vec::new();
            at.push_to(&mut bytes);
            assert_eq!(String::from_utf8(bytes).unwrap(), format!("{}{}", col_name(at.col), at.row));
        }
    }
}
