//! Reading a workbook lazily: opening parses only the workbook part; a sheet is parsed the first
//! time it is asked for, and its XML is kept so that writing can splice changed cells into it
//! without parsing or re-serialising anything else.

use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use quick_xml::events::Event;

use crate::error::{Error, Result};
use crate::opc::xml::{self, XmlError};
use crate::opc::{Package, Relationship};
use crate::xlsx::cellref::{CellRange, CellRef, parse_col};
use crate::xlsx::sheet_parse::{self, Fault, Streamed, Strings};
use crate::xlsx::styles::{self, NumberFormats};
use crate::xlsx::xstring;

const SPREADSHEET_TYPES: [&str; 4] = [
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
];

/// A cell's value as stored (for formula cells, the cached result). Text behind one thin
/// pointer, so a value takes 16 bytes (a 5,000-bid sheet holds two million).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Empty,
    Number(f64),
    /// Text; a shared string's text is held once however many cells show it.
    Text(Arc<String>),
    Bool(bool),
    /// An error value such as `#DIV/0!`.
    Error(Arc<String>),
}

impl Value {
    pub fn text_of(t: impl Into<String>) -> Value {
        Value::Text(Arc::new(t.into()))
    }

    /// The value as a person reads it.
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Number(n) => crate::domain::scale::fmt_number(*n),
            Value::Text(t) => t.to_string(),
            Value::Error(t) => t.to_string(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Cell {
    pub at: CellRef,
    pub value: Value,
    /// Where the formula text starts in its row's [`Row::formulas`] (`NONE` for none): the texts
    /// of a row held in one string, not one allocation each (a 5,000-bid sheet has a million
    /// formulas). [`Sheet::formula`] gives the text.
    pub(crate) formula: u32,
    /// See [`Cell::style`]: `NONE` for none. A cell takes 40 bytes (a 5,000-bid sheet holds two
    /// million): what is rare (a shared formula's group) is held by the row.
    pub(crate) style: u32,
    /// Byte range of the whole `<c>` element in the sheet XML (a part is at most 200 MiB, so
    /// 32 bits: a sheet of two million cells holds each of them).
    pub(crate) start: u32,
    pub(crate) end: u32,
}

/// No style, no formula.
pub(crate) const NONE: u32 = u32::MAX;

// What a 5,000-bid sheet's two million cells cost, held to it.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(size_of::<Cell>() == 40 && size_of::<Value>() == 16);

impl Cell {
    /// Whether the cell holds a formula (its text may be empty: it shares its master's).
    pub fn has_formula(&self) -> bool {
        self.formula != NONE
    }

    /// The cell's style (an index into the workbook's cell formats).
    pub fn style(&self) -> Option<u32> {
        (self.style != NONE).then_some(self.style)
    }

    /// Byte range of the whole `<c>` element in the sheet XML.
    pub(crate) fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A data-validation rule of a sheet (the `<dataValidations>` list, not extensions).
#[derive(Clone, Debug, PartialEq)]
pub struct Validation {
    /// `list`, `whole`, `decimal`, ...
    pub kind: String,
    pub operator: String,
    pub sqref: Vec<CellRange>,
    pub formula1: String,
    pub formula2: String,
    /// Byte range of the `<dataValidation>` element.
    pub(crate) span: Range<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub index: u32,
    /// The whole `<row>` element.
    pub span: Range<usize>,
    /// Where `</row>` starts (equal to `span.end` for an empty `<row/>`).
    pub close: usize,
    pub empty_element: bool,
    pub cells: Vec<Cell>,
    /// The formula texts of the row's cells, each ended by a NUL (a character no XML holds).
    pub formulas: String,
    /// The shared-formula group of each cell whose formula is in one: (column, group), in the
    /// order of the cells.
    pub shared: Vec<(u32, u32)>,
}

impl Row {
    pub(crate) fn new(index: u32, span: Range<usize>, close: usize, empty_element: bool) -> Row {
        Row { index, span, close, empty_element, cells: Vec::new(), formulas: String::new(), shared: Vec::new() }
    }

    /// Room for as many cells and formula text as `like` (the row before) holds: a sheet's rows
    /// are much alike, and a row of 1,000 cells otherwise grows (and is copied) ten times.
    pub(crate) fn with_room_of(mut self, like: Option<&Row>) -> Row {
        if let Some(like) = like {
            self.cells.reserve_exact(like.cells.len());
            self.formulas.reserve_exact(like.formulas.len());
        }
        self
    }

    /// The text of `cell`'s formula, a cell of this row; empty for a cell sharing its master's.
    pub(crate) fn formula(&self, cell: &Cell) -> Option<&str> {
        let text = self.formulas.get(cell.formula as usize..).filter(|_| cell.has_formula())?;
        Some(&text[..memchr::memchr(0, text.as_bytes()).unwrap_or(text.len())])
    }

    /// The shared-formula group of `cell`, a cell of this row.
    pub(crate) fn shared(&self, cell: &Cell) -> Option<u32> {
        let col = cell.at.col;
        let found = match self.shared.binary_search_by_key(&col, |s| s.0) {
            Ok(i) => Some(self.shared[i]),
            Err(_) => self.shared.iter().find(|s| s.0 == col).copied(),
        };
        found.map(|s| s.1)
    }

    /// Room for the next rows' cells is not kept past the row's end.
    pub(crate) fn finish(&mut self) {
        self.cells.shrink_to_fit();
        self.formulas.shrink_to_fit();
    }
}

/// See [`Workbook::sheets_in_turn`]: the last sheet asked for, kept until another is.
pub struct SheetsInTurn<'w> {
    wb: &'w Workbook,
    last: Option<(String, Option<&'w Sheet>)>,
}

impl<'w> SheetsInTurn<'w> {
    /// The sheet with this name, or none where [`Workbook::sheet`] has none.
    pub fn sheet(&mut self, name: &str) -> Option<&'w Sheet> {
        match &self.last {
            Some((last, sheet)) if last == name => *sheet,
            _ => {
                let sheet = self.wb.sheet(name).ok();
                self.last = Some((name.to_string(), sheet));
                sheet
            }
        }
    }
}

/// One worksheet, parsed.
#[derive(Debug)]
pub struct Sheet {
    pub name: String,
    pub part: String,
    /// The length of the sheet's XML. The XML itself is not held once read: a patch inflates the
    /// part again as it writes (the spans below point into it).
    pub(crate) size: usize,
    pub(crate) rows: Vec<Row>,
    pub merged: Vec<CellRange>,
    pub validations: Vec<Validation>,
    /// Where `</sheetData>` starts, or the span of an empty `<sheetData/>`.
    pub(crate) data_end: usize,
    pub(crate) data_empty: Option<Range<usize>>,
    /// The used range the sheet declares (`<dimension ref>`), with the element's span.
    pub(crate) dimension: Option<(CellRange, Range<usize>)>,
    /// The root element's namespace prefix (`"x:"`), for elements written into the sheet.
    pub(crate) prefix: String,
}

static EMPTY: Value = Value::Empty;

/// The workbook's shared strings, read when a cell first needs them.
struct Lazy<'a>(&'a Workbook);

impl Strings for Lazy<'_> {
    fn get(&self) -> Result<&SharedStrings> {
        self.0.shared_strings()
    }
}

/// More distinct strings than any matrix has; beyond this a table is hostile.
pub const MAX_SHARED_STRINGS: usize = 2_000_000;
/// More cells than one sheet of any matrix has (5,000 bids x 200 criteria is 2 million); beyond
/// this a sheet is hostile, and reading it would cost gigabytes.
pub const MAX_CELLS: usize = 4_000_000;
/// Excel's limit on the characters in one cell (UTF-16 units).
pub const MAX_CELL_CHARS: usize = 32_767;

/// The item numbered `key` where a run with no gaps would hold it (a matrix's rows and cells
/// are such runs): one look instead of a binary search's ten scattered ones, which dominated
/// reading and caching 100,000 scores.
fn at_guess<T>(items: &[T], key: u32, key_of: impl Fn(&T) -> u32) -> Option<&T> {
    let i = key.checked_sub(key_of(items.first()?))? as usize;
    items.get(i).filter(|item| key_of(item) == key)
}

impl Sheet {
    pub fn cell(&self, at: CellRef) -> Option<&Cell> {
        let cells = &self.row(at.row)?.cells;
        at_guess(cells, at.col, |c| c.at.col)
            .or_else(|| cells.binary_search_by_key(&at.col, |c| c.at.col).ok().map(|i| &cells[i]))
            .or_else(|| cells.iter().find(|c| c.at.col == at.col))
    }

    pub(crate) fn row(&self, index: u32) -> Option<&Row> {
        if let Some(row) = at_guess(&self.rows, index, |r| r.index) {
            return Some(row);
        }
        match self.rows.binary_search_by_key(&index, |r| r.index) {
            Ok(i) => Some(&self.rows[i]),
            Err(_) => self.rows.iter().find(|r| r.index == index),
        }
    }

    /// The formula text of `cell`, one of this sheet's cells (empty for a cell that shares its
    /// master cell's formula).
    pub fn formula(&self, cell: &Cell) -> Option<&str> {
        self.row(cell.at.row)?.formula(cell)
    }

    /// The shared-formula group `cell`'s formula belongs to (its master has the text).
    pub fn shared(&self, cell: &Cell) -> Option<u32> {
        self.row(cell.at.row)?.shared(cell)
    }

    pub fn value(&self, at: CellRef) -> &Value {
        self.cell(at).map_or(&EMPTY, |c| &c.value)
    }

    /// The trimmed text of a cell, looking through merged ranges to their top-left cell.
    pub fn text(&self, at: CellRef) -> String {
        let at = self.merged.iter().find(|m| m.contains(at)).map_or(at, |m| m.start);
        self.value(at).text().trim().to_string()
    }

    /// The cells of one row that are stored, in the order the file has them.
    pub fn row_cells(&self, index: u32) -> &[Cell] {
        self.row(index).map_or(&[], |r| r.cells.as_slice())
    }

    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        self.rows.iter().flat_map(|r| r.cells.iter())
    }

    pub fn last_row(&self) -> u32 {
        self.rows.iter().filter(|r| !r.cells.is_empty()).map(|r| r.index).max().unwrap_or(0)
    }

    pub fn last_col(&self) -> u32 {
        self.cells().map(|c| c.at.col).max().unwrap_or(0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SheetState {
    Visible,
    Hidden,
    VeryHidden,
}

#[derive(Debug)]
pub struct SheetEntry {
    pub name: String,
    pub part: String,
    pub state: SheetState,
    /// False for chart sheets and dialog sheets, which hold no cells.
    pub is_worksheet: bool,
    parsed: OnceLock<Sheet>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DefinedName {
    pub name: String,
    /// Index of the sheet the name is local to, if it is not global.
    pub local_sheet: Option<usize>,
    pub formula: String,
    /// The `<definedName ...>` start tag and the whole element, in the workbook part.
    pub(crate) start_tag: Range<usize>,
    pub(crate) span: Range<usize>,
}

/// What a defined name stands for.
#[derive(Clone, Debug, PartialEq)]
pub enum NameValue {
    Range(String, CellRange),
    Number(f64),
    /// An array constant such as `{0,25,50,75,100}`.
    Numbers(Vec<f64>),
}

/// Positions in the workbook part that writing needs.
#[derive(Debug, Default)]
pub(crate) struct WorkbookSpans {
    /// The `<calcPr>` start tag (or empty element), if present.
    pub calc_pr: Option<Range<usize>>,
    /// Where a `<calcPr>` may be inserted when there is none.
    pub calc_pr_insert: usize,
    /// Where `</definedNames>` starts, if the workbook has defined names.
    pub defined_names_close: Option<usize>,
    /// Where a `<definedNames>` element may be inserted when there is none.
    pub defined_names_insert: usize,
    /// Where `</sheets>` starts: new `<sheet>` entries go there.
    pub sheets_close: usize,
    /// The largest sheetId in use.
    pub max_sheet_id: u32,
    /// The root element's namespace prefix (`"x:"`), for elements written into the part.
    pub prefix: String,
}

pub struct Workbook {
    pub(crate) package: Package,
    pub(crate) part: String,
    pub(crate) xml: Vec<u8>,
    pub(crate) spans: WorkbookSpans,
    /// The workbook part's relationships (sheets, styles, shared strings...).
    pub(crate) rels: Vec<Relationship>,
    sheets: Vec<SheetEntry>,
    defined_names: Vec<DefinedName>,
    shared_strings_part: Option<String>,
    shared_strings: OnceLock<SharedStrings>,
    styles_part: Option<String>,
    number_formats: OnceLock<NumberFormats>,
}

impl Workbook {
    pub fn open(path: &Path) -> Result<Workbook> {
        Workbook::from_package(Package::open(path)?)
    }

    /// A workbook held in memory; `name` is what messages call it.
    pub fn from_bytes(name: &Path, bytes: impl AsRef<[u8]> + Send + 'static) -> Result<Workbook> {
        Workbook::from_package(Package::from_bytes(name, bytes)?)
    }

    fn from_package(package: Package) -> Result<Workbook> {
        let path = package.path().to_path_buf();
        let path = path.as_path();
        let main = package.main_document()?;
        if main.kind.starts_with("http://purl.oclc.org/ooxml/") {
            return Err(Error::NotWorkbook {
                path: path.to_path_buf(),
                reason: "it is saved as 'Strict Open XML Spreadsheet', which tenderkit does not read".into(),
                fix: "open it in Excel and save it as 'Excel Workbook (.xlsx)'".into(),
            });
        }
        let content_type = package.content_type(&main.target).unwrap_or("").to_string();
        if !SPREADSHEET_TYPES.contains(&content_type.as_str()) {
            let what = if content_type.contains("wordprocessingml") {
                "it is a Word document (.docx), not a workbook"
            } else if content_type.contains("presentationml") {
                "it is a PowerPoint presentation (.pptx), not a workbook"
            } else {
                "its main part is not a spreadsheet"
            };
            return Err(Error::NotWorkbook {
                path: path.to_path_buf(),
                reason: what.into(),
                fix: "check you picked the right file; the matrix is an Excel workbook".into(),
            });
        }
        let xml = package.read(&main.target)?;
        let rels = package.relationships(&main.target)?;
        let (sheets, defined_names, spans) = parse_workbook(&xml, &rels).map_err(|e| package.xml_error(&main.target, e))?;
        let shared_strings_part = rels.iter().find(|r| r.kind.ends_with("/sharedStrings")).map(|r| r.target.clone());
        let styles_part = rels.iter().find(|r| r.kind.ends_with("/styles")).map(|r| r.target.clone());
        Ok(Workbook {
            package,
            part: main.target,
            xml,
            spans,
            rels,
            sheets,
            defined_names,
            shared_strings_part,
            shared_strings: OnceLock::new(),
            styles_part,
            number_formats: OnceLock::new(),
        })
    }

    pub fn path(&self) -> &Path {
        self.package.path()
    }

    pub fn sheets(&self) -> &[SheetEntry] {
        &self.sheets
    }

    /// Lets go of the sheets read so far (each is read again if asked for): once a workbook is
    /// written, what is left to do rarely needs its cells, which at 5,000 bids are most of the
    /// memory held. It is given back on a thread beside (200,000 cells took 2 ms to free).
    pub fn let_go_of_sheets(&mut self) {
        let sheets: Vec<Sheet> = self.sheets.iter_mut().filter_map(|s| s.parsed.take()).collect();
        crate::parallel::drop_beside(sheets);
    }

    pub fn sheet_names(&self) -> Vec<&str> {
        self.sheets.iter().map(|s| s.name.as_str()).collect()
    }

    /// Runs `work` here while the worksheets read whole (under a MiB of XML: a matrix's Price,
    /// Summary and Checks sheets) are parsed on a thread beside it, as `work` reads the biggest.
    /// Only as many as come to half the biggest sheet's XML: `work` waits for them at its end, and
    /// a workbook may hold sheets it never reads. Their XML is inflated first, here: the big
    /// sheet's reading holds the archive. A sheet that fails to parse beside is left for
    /// [`Workbook::sheet`] to read again, and say why.
    pub fn with_small_sheets_beside<R>(&self, work: impl FnOnce() -> R) -> R {
        if crate::parallel::cores() < 2 {
            return work();
        }
        let sized: Vec<(&SheetEntry, u64)> = self
            .sheets
            .iter()
            .filter(|e| e.is_worksheet && e.parsed.get().is_none())
            .filter_map(|e| Some((e, self.package.size(&e.part)?)))
            .collect();
        let mut room = sized.iter().map(|(_, n)| *n).max().unwrap_or(0) / 2;
        let mut small: Vec<(&SheetEntry, Vec<u8>)> = Vec::new();
        for (entry, n) in sized {
            if n < STREAM_FROM && n <= room {
                room -= n;
                small.extend(self.package.read(&entry.part).ok().map(|xml| (entry, xml)));
            }
        }
        if small.is_empty() || self.shared_strings().is_err() {
            return work();
        }
        let beside = || {
            for (entry, xml) in small {
                if let Ok(sheet) = self.parse_sheet(&entry.name, &entry.part, &xml) {
                    let _ = entry.parsed.set(sheet);
                }
            }
        };
        crate::parallel::join(work, beside).0
    }

    /// Sheets looked up by name for a run of cells that come a sheet at a time (a matrix's
    /// figures: 100,000 on the Quality sheet at 500 bids), each found once for its run.
    pub fn sheets_in_turn(&self) -> SheetsInTurn<'_> {
        SheetsInTurn { wb: self, last: None }
    }

    /// The sheet with this name (matched without regard to case, as Excel does), parsed on
    /// first use.
    pub fn sheet(&self, name: &str) -> Result<&Sheet> {
        // Every cell a formula reads comes through here: the ASCII comparison allocates nothing,
        // and a name with other letters is lower-cased once, not once per sheet.
        let entry = match self.sheets.iter().find(|s| s.name.eq_ignore_ascii_case(name)) {
            Some(e) => Some(e),
            None if !name.is_ascii() => {
                let lower = name.to_lowercase();
                self.sheets.iter().find(|s| s.name.to_lowercase() == lower)
            }
            None => None,
        };
        let entry = entry.ok_or_else(
                || Error::MissingSheet {
                    path: self.path().to_path_buf(),
                    role: "such",
                    detail: format!("there is no sheet named '{name}' (the sheets are: {})", self.sheet_names().join(", ")),
                    fix: "check the sheet name".into(),
                },
            )?;
        if let Some(s) = entry.parsed.get() {
            return Ok(s);
        }
        if !entry.is_worksheet {
            return Err(Error::Layout {
                path: self.path().to_path_buf(),
                place: entry.name.clone(),
                detail: "this is a chart sheet, not a worksheet".into(),
                fix: "point tenderkit at the worksheet that holds the data".into(),
            });
        }
        let sheet = self.read_sheet(&entry.name, &entry.part)?;
        let _ = entry.parsed.set(sheet);
        Ok(entry.parsed.get().expect("just set"))
    }

    pub fn defined_names(&self) -> &[DefinedName] {
        &self.defined_names
    }

    /// The defined name (global first, then local to a sheet).
    pub fn defined_name(&self, name: &str) -> Option<&DefinedName> {
        let mut candidates: Vec<&DefinedName> = self.defined_names.iter().filter(|d| d.name.eq_ignore_ascii_case(name)).collect();
        candidates.sort_by_key(|d| d.local_sheet.is_some());
        candidates.first().copied()
    }

    /// What a defined name stands for: a range, a number, or an array of numbers.
    pub fn defined_value(&self, name: &str) -> Option<NameValue> {
        let d = self.defined_name(name)?;
        let f = d.formula.trim().trim_start_matches('=');
        if let Ok(n) = f.parse::<f64>() {
            return Some(NameValue::Number(n));
        }
        if let Some(inner) = f.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
            return inner.split([',', ';']).map(|x| x.trim().parse().ok()).collect::<Option<Vec<f64>>>().map(NameValue::Numbers);
        }
        let (sheet, range) = split_reference(f)?;
        let sheet = sheet.or_else(|| d.local_sheet.and_then(|i| self.sheets.get(i)).map(|s| s.name.clone()))?;
        Some(NameValue::Range(sheet, CellRange::parse(&range)?))
    }

    /// Resolves a defined name that refers to cells to a sheet and a range.
    pub fn defined_range(&self, name: &str) -> Option<(String, CellRange)> {
        match self.defined_value(name)? {
            NameValue::Range(sheet, range) => Some((sheet, range)),
            _ => None,
        }
    }

    /// The currency a cell's number format shows, where it names one.
    pub fn currency(&self, cell: &Cell) -> Result<Option<crate::domain::money::Currency>> {
        Ok(self.number_formats()?.currency(cell.style()))
    }

    /// The one currency the workbook's cell formats name, where they name exactly one.
    pub fn only_currency(&self) -> Option<crate::domain::money::Currency> {
        self.number_formats().ok()?.only_currency()
    }

    /// Whether the cell shows its number as a percentage (so 0.2 is what a person reads as 20).
    pub fn is_percent(&self, cell: &Cell) -> Result<bool> {
        Ok(cell.style().is_some() && self.number_formats()?.is_percent(cell.style()))
    }

    /// The index of the workbook's first differential format (the formats conditional formatting
    /// uses) whose fill is `argb`, if it has one: a sheet tenderkit adds can then highlight cells
    /// without rewriting the workbook's styles.
    pub fn dxf_with_fill(&self, argb: &str) -> Option<u32> {
        let part = self.styles_part.as_ref().filter(|p| self.package.has(p))?;
        let text = String::from_utf8(self.package.read(part).ok()?).ok()?;
        let dxfs = &text[text.find("<dxfs")?..text.find("</dxfs>")?];
        dxfs.split("<dxf>").skip(1).position(|d| d.contains(&format!("rgb=\"{argb}\"")) && d.contains("<fill")).map(|i| i as u32)
    }

    fn number_formats(&self) -> Result<&NumberFormats> {
        if let Some(f) = self.number_formats.get() {
            return Ok(f);
        }
        let formats = match &self.styles_part {
            Some(part) if self.package.has(part) => {
                let data = self.package.read(part)?;
                styles::parse(&data).map_err(|e| self.package.xml_error(part, e))?
            }
            _ => NumberFormats::default(),
        };
        let _ = self.number_formats.set(formats);
        Ok(self.number_formats.get().expect("just set"))
    }

    fn shared_strings(&self) -> Result<&SharedStrings> {
        if let Some(s) = self.shared_strings.get() {
            return Ok(s);
        }
        let strings = match &self.shared_strings_part {
            Some(part) if self.package.has(part) => {
                let data = self.package.read(part)?;
                parse_shared_strings(&data).map_err(|e| self.package.xml_error(part, e))?
            }
            _ => SharedStrings::default(),
        };
        let _ = self.shared_strings.set(strings);
        Ok(self.shared_strings.get().expect("just set"))
    }

    /// A sheet of a megabyte or more is read as it is inflated, its shared strings read first
    /// (see [`sheet_parse::streamed`]); a smaller one, or one of another shape, is read whole.
    fn read_sheet(&self, name: &str, part: &str) -> Result<Sheet> {
        let size = self.package.size(part).unwrap_or(0);
        // A sheet that could hold more cells than any matrix has (each takes 4 bytes at least) is
        // counted as it is inflated before any cell is built: a hostile one is refused before it
        // costs memory. (A 5,000-bid matrix, 112 MB, is counted; a 500-bid one cannot be too big.)
        // `streamed` counts again as it goes: a part may inflate past the size it declares, which
        // is only found at its end.
        if size >= 4 * MAX_CELLS as u64 && self.package.read_with(part, |r, _| sheet_parse::count_cells(r))? > MAX_CELLS {
            return Err(self.package.xml_error(part, too_many_cells()));
        }
        if size >= STREAM_FROM
            && let Ok(strings) = self.shared_strings()
        {
            match self.package.read_with(part, |r, _| sheet_parse::streamed(r, strings, STRETCH))? {
                Streamed::Read(parsed, prefix, size) => return self.sheet_of(name, part, Ok(parsed), prefix, size),
                Streamed::Whole(xml) => return self.parse_sheet(name, part, &xml),
                Streamed::TooManyCells => return Err(self.package.xml_error(part, too_many_cells())),
                Streamed::Again => {}
            }
        }
        self.parse_sheet(name, part, &self.package.read(part)?)
    }

    fn parse_sheet(&self, name: &str, part: &str, xml: &[u8]) -> Result<Sheet> {
        // Count cells before building any: a hostile sheet is refused before it costs memory.
        if sheet_parse::cell_tags(xml) > MAX_CELLS {
            return Err(self.package.xml_error(part, too_many_cells()));
        }
        self.sheet_of(name, part, sheet_parse::read(xml, &Lazy(self)), xml::root_prefix(xml), xml.len())
    }

    fn sheet_of(&self, name: &str, part: &str, parsed: Result<sheet_parse::Parsed, Fault>, prefix: String, size: usize) -> Result<Sheet> {
        let xml_err = |e| self.package.xml_error(part, e);
        let parsed = parsed.map_err(|f| match f {
            Fault::Xml(e) => xml_err(e),
            Fault::Cell(Error::Corrupt { detail, .. }) => xml_err(XmlError::Malformed(detail)),
            Fault::Cell(Error::Unsafe { detail, .. }) => {
                Error::Unsafe { path: self.path().to_path_buf(), detail: format!("sheet '{name}': {detail}") }
            }
            Fault::Cell(other) | Fault::Plain(other) => other,
        })?;
        if parsed.data_end == 0 && parsed.data_empty.is_none() {
            return Err(xml_err(XmlError::Malformed("the worksheet has no <sheetData>".into())));
        }
        Ok(Sheet {
            name: name.to_string(),
            part: part.to_string(),
            size,
            rows: parsed.rows,
            merged: parsed.merged,
            validations: parsed.validations,
            data_end: parsed.data_end,
            data_empty: parsed.data_empty,
            dimension: parsed.dimension,
            prefix,
        })
    }
}

/// A sheet this big is read as it is inflated (below, whole: a second thread would cost more
/// than it saves).
const STREAM_FROM: u64 = 1 << 20;
/// About this many bytes of rows are read at a time.
const STRETCH: usize = 2 << 20;

fn too_many_cells() -> XmlError {
    XmlError::Unsafe(format!("the sheet has more than {MAX_CELLS} cells; no evaluation matrix needs that many"))
}

type Parsed = (Vec<SheetEntry>, Vec<DefinedName>, WorkbookSpans);

fn parse_workbook(data: &[u8], rels: &[Relationship]) -> Result<Parsed, XmlError> {
    let mut r = xml::reader(data);
    let mut sheets = Vec::new();
    let mut names = Vec::new();
    let mut spans = WorkbookSpans { prefix: xml::root_prefix(data), ..Default::default() };
    let mut current_name: Option<DefinedName> = None;
    loop {
        let pos = r.buffer_position() as usize;
        let ev = xml::next(&mut r)?;
        let end = r.buffer_position() as usize;
        match &ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"sheet" => {
                    let name = xml::attr(e, b"name")?.unwrap_or_default();
                    let id: u32 = xml::attr(e, b"sheetId")?.and_then(|s| s.parse().ok()).unwrap_or(0);
                    spans.max_sheet_id = spans.max_sheet_id.max(id);
                    let id = xml::attr(e, b"id")?.unwrap_or_default();
                    let rel = rels.iter().find(|r| r.id == id);
                    let state = match xml::attr(e, b"state")?.as_deref() {
                        Some("hidden") => SheetState::Hidden,
                        Some("veryHidden") => SheetState::VeryHidden,
                        _ => SheetState::Visible,
                    };
                    sheets.push(SheetEntry {
                        name,
                        part: rel.map(|r| r.target.clone()).unwrap_or_default(),
                        state,
                        is_worksheet: rel.is_some_and(|r| r.kind.ends_with("/worksheet")),
                        parsed: OnceLock::new(),
                    });
                }
                b"definedName" => {
                    let d = DefinedName {
                        name: xml::attr(e, b"name")?.unwrap_or_default(),
                        local_sheet: xml::attr(e, b"localSheetId")?.and_then(|s| s.parse().ok()),
                        formula: String::new(),
                        start_tag: pos..end,
                        span: pos..end,
                    };
                    if matches!(ev, Event::Start(_)) {
                        current_name = Some(d);
                    }
                }
                b"calcPr" => spans.calc_pr = Some(pos..end),
                _ => {}
            },
            Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) => {
                if let Some(d) = current_name.as_mut() {
                    xml::push_text(&mut d.formula, &ev)?;
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"definedName" => names.extend(current_name.take().map(|mut d| {
                    d.span.end = end;
                    d
                })),
                // definedNames and calcPr follow these in the schema's sequence.
                b"sheets" | b"functionGroups" | b"externalReferences" => {
                    if e.local_name().as_ref() == b"sheets" {
                        spans.sheets_close = pos;
                    }
                    spans.calc_pr_insert = end;
                    spans.defined_names_insert = end;
                }
                b"definedNames" => {
                    spans.calc_pr_insert = end;
                    spans.defined_names_close = Some(pos);
                }
                _ => {}
            },
            Event::Eof => return Ok((sheets, names, spans)),
            _ => {}
        }
    }
}

/// The shared-string table: each string held once, shared by every cell that shows it.
#[derive(Debug, Default)]
pub(crate) struct SharedStrings {
    pub(crate) strings: Vec<Arc<String>>,
    /// Indices (ascending) of strings longer than a cell may hold: a cell showing one is refused,
    /// by name, when it is read.
    pub(crate) too_long: Vec<usize>,
}

pub(crate) fn parse_shared_strings(data: &[u8]) -> Result<SharedStrings, XmlError> {
    let mut r = xml::reader(data);
    let mut out = SharedStrings::default();
    let mut current: Option<String> = None;
    let (mut in_t, mut in_phonetic) = (false, false);
    let push = |out: &mut SharedStrings, s: String| -> Result<(), XmlError> {
        if out.strings.len() >= MAX_SHARED_STRINGS {
            return Err(XmlError::Unsafe(format!(
                "the shared-string table holds more than {MAX_SHARED_STRINGS} strings; no evaluation matrix needs that many"
            )));
        }
        let s = xstring::decode(&s).into_owned();
        if s.len() > MAX_CELL_CHARS && s.encode_utf16().count() > MAX_CELL_CHARS {
            out.too_long.push(out.strings.len());
        }
        out.strings.push(Arc::new(s));
        Ok(())
    };
    loop {
        let ev = xml::next(&mut r)?;
        match &ev {
            Event::Start(e) => match e.local_name().as_ref() {
                b"si" => current = Some(String::new()),
                b"t" if !in_phonetic => in_t = true,
                b"rPh" => in_phonetic = true,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == b"si" => push(&mut out, String::new())?,
            Event::End(e) => match e.local_name().as_ref() {
                b"si" => {
                    if let Some(s) = current.take() {
                        push(&mut out, s)?;
                    }
                }
                b"t" => in_t = false,
                b"rPh" => in_phonetic = false,
                _ => {}
            },
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) if in_t => {
                if let Some(s) = current.as_mut() {
                    xml::push_text(s, &ev)?;
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// Splits `'My Sheet'!$A$1:$B$2` into the sheet name and the range text.
pub fn split_reference(formula: &str) -> Option<(Option<String>, String)> {
    let f = formula.trim().trim_start_matches('=');
    match f.rfind('!') {
        Some(i) => {
            let sheet = &f[..i];
            let sheet = match sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                Some(quoted) => quoted.replace("''", "'"),
                None => sheet.to_string(),
            };
            Some((Some(sheet), f[i + 1..].to_string()))
        }
        None => Some((None, f.to_string())),
    }
}

/// Quotes a sheet name for use in a formula when it needs it.
pub fn quote_sheet(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && parse_col(name).is_none()
        && CellRef::parse(name).is_none()
    {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workbook of two sheets: "Good", of a hundred rows, and "Bad", holding `second` (well-formed
    /// or not; NS stands for the namespace).
    fn two_sheets(second: &str) -> Vec<u8> {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let parts = [
            ("[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
            ("_rels/.rels", format!(r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#)),
            ("xl/workbook.xml", format!(r#"<?xml version="1.0"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets><sheet name="Good" sheetId="1" r:id="rId1"/><sheet name="Bad" sheetId="2" r:id="rId2"/></sheets></workbook>"#)),
            ("xl/_rels/workbook.xml.rels", format!(r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/worksheet" Target="worksheets/sheet2.xml"/></Relationships>"#)),
            // The bigger sheet, read by the work: the other is under half its size.
            ("xl/worksheets/sheet1.xml", {
                let rows: String = (1..=100).map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{}</v></c></row>"#, r + 6)).collect();
                format!(r#"<?xml version="1.0"?><worksheet xmlns="{ns}"><sheetData>{rows}</sheetData></worksheet>"#)
            }),
            ("xl/worksheets/sheet2.xml", second.replace("NS", ns)),
        ];
        for (name, xml) in parts {
            z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(xml.as_bytes()).unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    #[test]
    fn sheets_parsed_beside_are_the_sheets_read_here() {
        let good = r#"<worksheet xmlns="NS"><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>x &amp; y</t></is></c></row></sheetData></worksheet>"#;
        let bad = r#"<worksheet xmlns="NS"><sheetData><row r="2"><c r="B2"><v>1</v></row></sheetData></worksheet>"#;
        // Parsed beside, then asked for: the same cells as read on asking, and a sheet that would
        // not parse says why when asked for, as it does unprefetched.
        let beside = Workbook::from_bytes(Path::new("beside.xlsx"), two_sheets(good)).unwrap();
        let here = Workbook::from_bytes(Path::new("beside.xlsx"), two_sheets(good)).unwrap();
        let v = beside.with_small_sheets_beside(|| beside.sheet("Good").unwrap().text(CellRef::new(1, 1)));
        assert_eq!(v, "7");
        if crate::parallel::cores() > 1 {
            assert!(beside.sheets[1].parsed.get().is_some(), "the small sheet parsed beside");
        }
        for name in ["Good", "Bad"] {
            let (a, b) = (beside.sheet(name).unwrap(), here.sheet(name).unwrap());
            assert_eq!(format!("{:?}", a.cells().collect::<Vec<_>>()), format!("{:?}", b.cells().collect::<Vec<_>>()));
        }
        let beside = Workbook::from_bytes(Path::new("beside.xlsx"), two_sheets(bad)).unwrap();
        let here = Workbook::from_bytes(Path::new("beside.xlsx"), two_sheets(bad)).unwrap();
        beside.with_small_sheets_beside(|| ());
        let (a, b) = (beside.sheet("Bad").map(|_| ()).unwrap_err(), here.sheet("Bad").map(|_| ()).unwrap_err());
        assert_eq!(a.to_string(), b.to_string());
        assert!(beside.sheet("Good").is_ok());
        // A small sheet of more than half the biggest's XML is left to be read when asked for.
        let rows: String = (1..=100).map(|r| format!(r#"<row r="{r}"><c r="B{r}"><v>{r}</v></c></row>"#)).collect();
        let big = format!(r#"<worksheet xmlns="NS"><sheetData>{rows}</sheetData></worksheet>"#);
        let beside = Workbook::from_bytes(Path::new("beside.xlsx"), two_sheets(&big)).unwrap();
        beside.with_small_sheets_beside(|| ());
        assert!(beside.sheets.iter().all(|e| e.parsed.get().is_none()));
        assert_eq!(beside.sheet("Bad").unwrap().text(CellRef::new(100, 2)), "100");
    }

    #[test]
    fn references_split_and_quote() {
        assert_eq!(split_reference("Tender!$B$7"), Some((Some("Tender".into()), "$B$7".into())));
        assert_eq!(split_reference("'Bob''s sheet'!A1:A5"), Some((Some("Bob's sheet".into()), "A1:A5".into())));
        assert_eq!(quote_sheet("Tender"), "Tender");
        assert_eq!(quote_sheet("Bob's sheet"), "'Bob''s sheet'");
        assert_eq!(quote_sheet("AB1"), "'AB1'");
    }

    #[test]
    fn shared_strings_join_runs_and_skip_phonetics() {
        let sst = br#"<sst><si><t>Plain</t></si><si><r><t>Rich </t></r><r><t xml:space="preserve">text</t></r><rPh><t>x</t></rPh></si><si/></sst>"#;
        let table = parse_shared_strings(sst).unwrap();
        assert_eq!(table.strings.iter().map(|s| s.as_str()).collect::<Vec<_>>(), vec!["Plain", "Rich text", ""]);
    }
}
