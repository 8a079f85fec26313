//! The matrix's settings: the price:quality split, the scoring scale, the commodity type and a
//! minimum quality score. Each comes from the layout file first, then the defined names
//! tenderkit writes (`PriceWeight`, `ScaleValues`...), then what people write: a labelled split
//! ("Price 40%"), a scale in a heading ("Score (0-4)"). What had to be assumed or inferred is a
//! warning that says so.

use crate::domain::price::{AbnormallyLowTest, Method, PriceDef};
use crate::domain::scale::fmt_number;
use crate::domain::{Commodity, Entry, Finding, Rule, Scale, ScalePoint, Subject};
use crate::error::Result;
use crate::xlsx::cellref::{CellRange, CellRef};
use crate::xlsx::layout::{norm, sheet_cell, sheet_range};
use crate::xlsx::matrix::quality::{QualityRead, entry_text};
use crate::xlsx::matrix::{Kind, Reader, ScaleSource, Source, place};
use crate::xlsx::stated_split::{self, FIRST_ROWS, SETTINGS_SHEETS, Stated};
use crate::xlsx::workbook::{NameValue, Value};

pub(crate) struct SplitRead {
    pub price: (Entry, Source),
    pub quality: (Entry, Source),
}

pub(crate) struct ScaleRead {
    pub scale: Scale,
    pub max_cell: Option<(String, CellRef)>,
    pub values: Option<(String, CellRange)>,
    pub source: ScaleSource,
}

/// Figures closer than this are the same share (half a cent of a point).
const SAME_SHARE: f64 = 0.005;

impl Reader<'_> {
    fn named_cell(&self, name: &str) -> Option<(String, CellRef)> {
        let (sheet, range) = self.wb.defined_range(name)?;
        Some((sheet, range.start))
    }

    /// How price is scored: the layout file's `[pricing]`, else the named cells `matrix new`
    /// writes on the Tender sheet (`PriceMethod` and its parameters), else the default.
    pub(crate) fn pricing(&self) -> PriceDef {
        if let Some(p) = &self.hints.pricing {
            return p.clone();
        }
        let value = |name: &str| self.named_cell(name).and_then(|(sheet, at)| self.wb.sheet(&sheet).ok().map(|s| s.value(at).clone()));
        let number = |name: &str| match value(name) {
            Some(Value::Number(n)) => Some(n),
            _ => None,
        };
        let text = |name: &str| match value(name) {
            Some(Value::Text(t)) => Some(t.to_string()),
            _ => None,
        };
        let mut p = PriceDef::default();
        let Some(method) = text("PriceMethod").and_then(|t| Method::parse(&t)) else { return p };
        p.method = method;
        for (name, _) in crate::xlsx::price_formulas::PARAMETERS {
            if let Some(n) = number(name) {
                crate::xlsx::price_formulas::set(&mut p, name, n);
            }
        }
        if let Some(test) = text("AbnormallyLowTest").and_then(|t| AbnormallyLowTest::parse(&t)) {
            p.abnormally_low = test;
        }
        p
    }

    /// A setting from the layout file (a figure or a cell), else the defined name.
    pub(crate) fn setting(
        &self,
        constant: Option<f64>,
        cell: &Option<String>,
        name: &str,
        subject: impl Fn() -> Subject,
    ) -> Result<(Entry, Source)> {
        if let Some(n) = constant {
            return Ok((Entry::Number(n), Source::LayoutFile));
        }
        let at = match cell {
            Some(text) => Some(sheet_cell(text).ok_or_else(|| {
                self.layout_err("layout file", format!("'{text}' is not a cell such as \"Setup!B4\""), "write the cell as Sheet!B4")
            })?),
            None => self.named_cell(name),
        };
        match at {
            Some((sheet, at)) => {
                let read = self.read(self.wb.sheet(&sheet)?, at, Kind::Share, subject)?;
                Ok((read.entry, Source::Cell(sheet, at)))
            }
            None => Ok((Entry::Empty, Source::Missing)),
        }
    }

    /// The split: layout file, defined names, then labelled figures; one half stated means the
    /// other is 100 minus it.
    pub(crate) fn split(&self, matrix_sheets: &[Option<&str>]) -> Result<SplitRead> {
        let h = &self.hints.split;
        let mut price = self.setting(h.price, &h.price_cell, "PriceWeight", || Subject::PriceWeight)?;
        let mut quality = self.setting(h.quality, &h.quality_cell, "QualityWeight", || Subject::QualityWeight)?;
        if price.1 == Source::Missing || quality.1 == Source::Missing {
            let stated = self.stated(matrix_sheets)?;
            if price.1 == Source::Missing {
                price = self.from_labels(&stated, |s| s.price, "price", Subject::PriceWeight);
            }
            if quality.1 == Source::Missing {
                quality = self.from_labels(&stated, |s| s.quality, "quality", Subject::QualityWeight);
            }
        }
        let infer = |given: &(Entry, Source), what: &str, other: &str, subject: Subject| {
            let n = given.0.number()?;
            self.note(Finding::warning(
                Rule::SplitInferred,
                subject,
                format!(
                    "only the {what} share is stated ({}, at {}); the {other} share is taken as 100 - {} = {}",
                    fmt_number(n),
                    given.1.describe(),
                    fmt_number(n),
                    fmt_number(100.0 - n)
                ),
                format!("state the {other} share too, so the split is not inferred"),
            ));
            Some((Entry::Number(100.0 - n), Source::OtherHalf))
        };
        if quality.1 == Source::Missing
            && let Some(q) = infer(&price, "price", "quality", Subject::QualityWeight)
        {
            quality = q;
        } else if price.1 == Source::Missing
            && let Some(p) = infer(&quality, "quality", "price", Subject::PriceWeight)
        {
            price = p;
        }
        // Nothing stated and one table only (a quality-only evaluation, or a lowest-price one):
        // that table is the whole evaluation, as the workbook itself ranks by it.
        let tables = (matrix_sheets.first().copied().flatten(), matrix_sheets.get(1).copied().flatten());
        if price.1 == Source::Missing && quality.1 == Source::Missing && tables.0.is_some() != tables.1.is_some() {
            let (whole, none) = if tables.0.is_some() { ("quality", "price") } else { ("price", "quality") };
            self.note(Finding::warning(
                Rule::SplitInferred,
                if tables.0.is_some() { Subject::QualityWeight } else { Subject::PriceWeight },
                format!("no price:quality split is stated and the workbook has no {none} table: {whole} is taken as the whole evaluation (100), {none} as 0"),
                format!("state the split (a layout file's [split], or cells labelled '{whole} weighting' and '{none} weighting') if {none} counts too"),
            ));
            let (hundred, zero) = ((Entry::Number(100.0), Source::OneTable), (Entry::Number(0.0), Source::OneTable));
            (price, quality) = if tables.0.is_some() { (zero, hundred) } else { (hundred, zero) };
        }
        Ok(SplitRead { price, quality })
    }

    /// Every labelled split figure on the matrix sheets' first rows and on settings sheets.
    fn stated(&self, matrix_sheets: &[Option<&str>]) -> Result<Vec<Stated>> {
        let mut sheets: Vec<(&str, u32)> = matrix_sheets.iter().flatten().map(|s| (*s, FIRST_ROWS)).collect();
        for entry in self.wb.sheets().iter().filter(|s| s.is_worksheet) {
            let n = norm(&entry.name);
            if SETTINGS_SHEETS.iter().any(|w| n.contains(w)) && !sheets.iter().any(|(s, _)| *s == entry.name) {
                sheets.push((&entry.name, FIRST_ROWS * 4));
            }
        }
        let mut out = Vec::new();
        for (name, rows) in sheets {
            out.extend(stated_split::find(self.wb, self.wb.sheet(name)?, rows)?);
        }
        Ok(out)
    }

    fn from_labels(&self, stated: &[Stated], half: fn(&Stated) -> Option<f64>, what: &str, subject: Subject) -> (Entry, Source) {
        let mut found = stated.iter().filter_map(|s| Some((half(s)?, s)));
        let Some((value, first)) = found.next() else { return (Entry::Empty, Source::Missing) };
        if let Some((other, second)) = found.find(|(v, _)| (v - value).abs() >= SAME_SHARE) {
            self.note(Finding::error(
                Rule::SplitConflict,
                subject.clone(),
                format!(
                    "the {what} share is stated twice, differently: {} at {} ('{}') and {} at {} ('{}')",
                    fmt_number(value),
                    place(&first.sheet, first.at),
                    first.label,
                    fmt_number(other),
                    place(&second.sheet, second.at),
                    second.label
                ),
                "state the split once, or make every statement of it the same",
            ));
        }
        (Entry::Number(value), Source::Label { sheet: first.sheet.clone(), at: first.at, label: first.label.clone() })
    }

    pub(crate) fn scale(&self, quality: Option<&QualityRead>) -> Result<ScaleRead> {
        let s = &self.hints.scale;
        let bad = |place: String, e: String| self.layout_err(place, e, "list the scale's scores, lowest first, as numbers");
        let max_cell = self.named_cell("ScaleMax");
        let read = |scale, values, source| ScaleRead { scale, max_cell: max_cell.clone(), values, source };
        if let Some(values) = &s.values {
            return Ok(read(Scale::from_values(values).map_err(|e| bad("layout file".into(), e))?, None, ScaleSource::LayoutFile));
        }
        if let Some(name) = &s.name {
            return Ok(read(Scale::parse(name).map_err(|e| bad("layout file".into(), e))?, None, ScaleSource::LayoutFile));
        }
        if s.min.is_some() || s.max.is_some() || s.step.is_some() || s.continuous.is_some() {
            let (Some(min), Some(max)) = (s.min, s.max) else {
                return Err(bad("layout file [scale]".into(), "a range of scores needs both min and max".into()));
            };
            let scale = match s.continuous {
                Some(true) if s.step.is_some() => Err("a continuous scale has no step".to_string()),
                Some(true) => Scale::continuous(min, max),
                _ => Scale::range(min, max, s.step.unwrap_or(1.0)),
            }
            .map_err(|e| bad("layout file [scale]".into(), e))?;
            return Ok(read(scale, None, ScaleSource::LayoutFile));
        }
        let range = match &s.values_range {
            Some(text) => Some(
                sheet_range(text).ok_or_else(|| bad("layout file".into(), format!("'{text}' is not a range such as \"Setup!A10:A14\"")))?,
            ),
            None => self.wb.defined_range("ScaleValues"),
        };
        if let Some((sheet_name, range)) = range {
            let sheet = self.wb.sheet(&sheet_name)?;
            let mut points = Vec::new();
            for at in range.cells().filter(|c| c.col == range.start.col) {
                match sheet.value(at) {
                    Value::Number(value) => points.push(ScalePoint {
                        value: *value,
                        descriptor: sheet.text(CellRef::new(at.row, at.col + 1)),
                        meaning: sheet.text(CellRef::new(at.row, at.col + 2)),
                    }),
                    Value::Empty => {}
                    other => {
                        return Err(bad(place(&sheet_name, at), format!("the scale lists '{}', which is not a number", other.text())));
                    }
                }
            }
            let scale = Scale::new(points).map_err(|e| bad(place(&sheet_name, range), e))?;
            return Ok(read(scale, Some((sheet_name.clone(), range)), ScaleSource::Range(sheet_name, range)));
        }
        // A workbook tenderkit rescaled carries its scale as constant names.
        if let Some(NameValue::Numbers(values)) = self.wb.defined_value("ScaleValues") {
            let scale = Scale::with_values(&values).map_err(|e| bad("defined name ScaleValues".into(), e))?;
            return Ok(read(scale, None, ScaleSource::Names));
        }
        let max = match (self.wb.defined_value("ScaleMax"), &max_cell) {
            (Some(NameValue::Number(n)), _) => Some((n, "defined name ScaleMax".to_string())),
            (_, Some((sheet, at))) => {
                let entry = self.read(self.wb.sheet(sheet)?, *at, Kind::Share, || Subject::Scale)?.entry;
                let n = entry.number().ok_or_else(|| bad(place(sheet, at), "the scale maximum (ScaleMax) is not a number".into()))?;
                Some((n, place(sheet, at)))
            }
            _ => None,
        };
        if let Some((max, at)) = max {
            let scale = if (max - 100.0).abs() < 1e-9 {
                Scale::percentage()
            } else {
                Scale::parse(&format!("0-{}", max.round() as i64)).map_err(|e| bad(at, e))?
            };
            return Ok(read(scale, None, ScaleSource::Names));
        }
        if let Some(q) = quality {
            let sheet = &q.layout.sheet;
            if let Some((scale, at)) = q.heading_scales.first() {
                if let Some((other, other_at)) = q.heading_scales.iter().find(|(s, _)| s != scale) {
                    self.note(Finding::error(
                        Rule::ScaleConflict,
                        Subject::Scale,
                        format!(
                            "the headings state two scales: {} at {} and {} at {}",
                            scale.name(),
                            place(sheet, at),
                            other.name(),
                            place(sheet, other_at)
                        ),
                        "score every criterion on one scale, and say so in every heading",
                    ));
                }
                return Ok(read(scale.clone(), None, ScaleSource::Heading(sheet.clone(), *at)));
            }
            if q.percent_scores {
                self.note(Finding::warning(
                    Rule::ScaleAssumed,
                    Subject::Scale,
                    "the scores are percentages and no scale is stated: any whole percentage from 0 to 100 is taken as a score",
                    "state the scale in the score headings, e.g. 'Score (0-100%)', or in the layout file ([scale] name = \"0-100\")",
                ));
                let whole: Vec<f64> = (0..=100).map(f64::from).collect();
                return Ok(read(Scale::from_values(&whole).expect("0..=100 is a scale"), None, ScaleSource::PercentScores));
            }
            // Scores above 4 cannot be on the guidance's 0-4 scale: whole numbers up to the
            // smallest usual maximum that holds them all (0-5, 0-10, 0-100) are assumed, and said.
            let typed: Vec<f64> = q.scores.iter().flatten().filter_map(Entry::number).collect();
            let highest = typed.iter().copied().fold(0.0, f64::max);
            let whole = typed.iter().all(|x| *x >= 0.0 && x.fract() == 0.0);
            if let Some(max) = [5.0, 10.0, 100.0].into_iter().find(|m| whole && highest > 4.0 && highest <= *m) {
                self.note(Finding::warning(
                    Rule::ScaleAssumed,
                    Subject::Scale,
                    format!(
                        "no scoring scale is stated and the scores are whole numbers up to {}: a scale of 0 to {} in whole numbers is assumed, and weighted scores are the score / {} of each weighting",
                        fmt_number(highest),
                        fmt_number(max),
                        fmt_number(max)
                    ),
                    format!("state the scale in the score headings, e.g. 'Score (0-{})', or in the layout file ([scale] min = 0, max = {})", fmt_number(max), fmt_number(max)),
                ));
                let scale = Scale::range(0.0, max, 1.0).expect("a whole-number range");
                return Ok(read(scale, None, ScaleSource::FromScores(max)));
            }
            self.note(Finding::warning(
                Rule::ScaleAssumed,
                Subject::Scale,
                "no scoring scale is stated (no ScaleValues or ScaleMax name, no scale in the score headings): the guidance's 0-4 scale is assumed",
                "state the scale in the score headings, e.g. 'Score (0-4)', or in the layout file ([scale] name = \"0-4\")",
            ));
        }
        Ok(read(Scale::matrix(), None, ScaleSource::Assumed))
    }

    pub(crate) fn commodity(&self) -> Result<Option<Commodity>> {
        if let Some(c) = self.hints.commodity {
            return Ok(Some(c));
        }
        let Some((sheet, at)) = self.named_cell("CommodityType") else {
            return Ok(None);
        };
        let cell = self.wb.sheet(&sheet)?.value(at).clone();
        match crate::xlsx::matrix::entry(&cell) {
            Entry::Empty => Ok(None),
            e => {
                let text = entry_text(&e);
                Commodity::parse(&text).map(Some).ok_or_else(|| {
                    self.layout_err(
                        place(&sheet, at),
                        format!("commodity type '{text}' is not one the guidance names"),
                        "enter routine, leverage, strategic or bottleneck",
                    )
                })
            }
        }
    }
}
