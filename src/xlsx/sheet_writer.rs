//! Whole worksheets that tenderkit owns (evaluator scores, moderation, audit), written as XML
//! from scratch and added to, or replacing, a sheet in an existing workbook. Their cells borrow
//! the workbook's own heading, input and formula styles, so no styles part is rewritten.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::opc::xml::escape;
use crate::xlsx::cellref::{CellRange, CellRef, col_name};
use crate::xlsx::patch::{CellEdit, render};

/// What a cell is, for borrowing a style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    Plain,
    Heading,
    /// Typed in by a person.
    Input,
    /// Computed.
    Formula,
}

/// Style indices to use for each look, taken from cells of the same kind in the workbook.
#[derive(Clone, Copy, Debug, Default)]
pub struct Looks {
    pub heading: Option<u32>,
    pub input: Option<u32>,
    pub formula: Option<u32>,
    /// A differential format (conditional formatting) that marks a cell for attention.
    pub alert: Option<u32>,
}

impl Looks {
    fn style(&self, look: Look) -> Option<u32> {
        match look {
            Look::Plain => None,
            Look::Heading => self.heading,
            Look::Input => self.input,
            Look::Formula => self.formula,
        }
    }
}

/// A sheet to write.
#[derive(Clone, Debug, Default)]
pub struct NewSheet {
    cells: BTreeMap<CellRef, (CellEdit, Look)>,
    widths: Vec<(u32, f64)>,
    merged: Vec<CellRange>,
    /// Whole `<dataValidation>` elements.
    validations: Vec<String>,
    /// Rows above and columns left of this cell stay in view.
    freeze: Option<CellRef>,
    /// (range, formula): cells marked for attention where the formula holds.
    alerts: Vec<(String, String)>,
    pub(crate) chart: Option<BarChart>,
}

/// A stacked bar chart drawn from this sheet's cells (a drawing part and a chart part are
/// written beside the sheet).
#[derive(Clone, Debug)]
pub struct BarChart {
    pub title: String,
    /// The category labels, as a reference (`'Score chart'!$A$4:$A$7`).
    pub categories: String,
    /// (series name, values reference).
    pub series: Vec<(String, String)>,
    /// The top-left and bottom-right cells it covers.
    pub from: CellRef,
    pub to: CellRef,
}

/// The relationship id of a new sheet's drawing, in the sheet's own (new) relationships part.
pub(crate) const DRAWING_REL: &str = "rId1";

impl BarChart {
    /// The chart part.
    pub(crate) fn chart_xml(&self) -> Vec<u8> {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><c:chart>",
        );
        let _ = write!(
            out,
            "<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title><c:autoTitleDeleted val=\"0\"/><c:plotArea><c:layout/><c:barChart><c:barDir val=\"bar\"/><c:grouping val=\"stacked\"/><c:varyColors val=\"0\"/>",
            escape(&self.title)
        );
        for (i, (name, values)) in self.series.iter().enumerate() {
            let _ = write!(
                out,
                "<c:ser><c:idx val=\"{i}\"/><c:order val=\"{i}\"/><c:tx><c:v>{}</c:v></c:tx><c:invertIfNegative val=\"0\"/><c:cat><c:strRef><c:f>{}</c:f></c:strRef></c:cat><c:val><c:numRef><c:f>{}</c:f></c:numRef></c:val></c:ser>",
                escape(name),
                escape(&self.categories),
                escape(values)
            );
        }
        out.push_str(
            "<c:gapWidth val=\"50\"/><c:overlap val=\"100\"/><c:axId val=\"1\"/><c:axId val=\"2\"/></c:barChart>\
<c:catAx><c:axId val=\"1\"/><c:scaling><c:orientation val=\"maxMin\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"l\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"2\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>\
<c:valAx><c:axId val=\"2\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"b\"/><c:majorGridlines/><c:numFmt formatCode=\"0\" sourceLinked=\"0\"/><c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"1\"/><c:crosses val=\"max\"/><c:crossBetween val=\"between\"/></c:valAx>\
</c:plotArea><c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/></c:legend><c:plotVisOnly val=\"1\"/></c:chart></c:chartSpace>",
        );
        out.into_bytes()
    }

    /// The drawing part placing the chart (relationship `rId1` to the chart part).
    pub(crate) fn drawing_xml(&self) -> Vec<u8> {
        let anchor = |tag: &str, at: CellRef| {
            format!(
                "<xdr:{tag}><xdr:col>{}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:{tag}>",
                at.col - 1,
                at.row - 1
            )
        };
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<xdr:wsDr xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><xdr:twoCellAnchor>{}{}<xdr:graphicFrame macro=\"\"><xdr:nvGraphicFramePr><xdr:cNvPr id=\"2\" name=\"{}\"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/></xdr:xfrm><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:id=\"rId1\"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>",
            anchor("from", self.from),
            anchor("to", self.to),
            escape(&self.title)
        )
        .into_bytes()
    }
}

impl NewSheet {
    pub fn set(&mut self, at: CellRef, edit: CellEdit, look: Look) {
        self.cells.insert(at, (edit, look));
    }

    pub fn text(&mut self, at: CellRef, text: impl Into<String>, look: Look) {
        let t = text.into();
        if !t.is_empty() {
            self.set(at, CellEdit::Text(t), look);
        }
    }

    pub fn width(&mut self, col: u32, width: f64) {
        self.widths.push((col, width));
    }

    pub fn merge(&mut self, range: CellRange) {
        self.merged.push(range);
    }

    pub fn freeze(&mut self, at: CellRef) {
        self.freeze = Some(at);
    }

    /// Marks the cells of `sqref` where `formula` (written for its top-left cell) holds, in the
    /// workbook's alert format; nothing where the workbook has none.
    pub fn alert(&mut self, sqref: &str, formula: &str) {
        self.alerts.push((sqref.to_string(), formula.to_string()));
    }

    /// A list validation (`formula1` as Excel writes it: a range, a name, or `"0,1,2"`).
    pub fn list_validation(&mut self, sqref: &str, formula1: &str, message: &str) {
        self.validations.push(format!(
            "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" errorTitle=\"Not allowed\" error=\"{}\" sqref=\"{}\"><formula1>{}</formula1></dataValidation>",
            escape(message),
            escape(sqref),
            escape(formula1)
        ));
    }

    /// Adds a stacked bar chart drawn from this sheet's cells.
    pub fn chart(&mut self, chart: BarChart) {
        self.chart = Some(chart);
    }

    pub fn get(&self, at: CellRef) -> Option<&CellEdit> {
        self.cells.get(&at).map(|(e, _)| e)
    }

    /// The sheet's XML.
    pub fn xml(&self, looks: &Looks) -> Vec<u8> {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
        );
        out.push_str("<sheetViews><sheetView workbookViewId=\"0\">");
        if let Some(at) = self.freeze {
            let (x, y) = (at.col - 1, at.row - 1);
            let pane = match (x > 0, y > 0) {
                (true, true) => "bottomRight",
                (false, true) => "bottomLeft",
                _ => "topRight",
            };
            let _ = write!(out, "<pane");
            if x > 0 {
                let _ = write!(out, " xSplit=\"{x}\"");
            }
            if y > 0 {
                let _ = write!(out, " ySplit=\"{y}\"");
            }
            let _ = write!(out, " topLeftCell=\"{at}\" activePane=\"{pane}\" state=\"frozen\"/>");
        }
        out.push_str("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
        if !self.widths.is_empty() {
            out.push_str("<cols>");
            let mut widths = self.widths.clone();
            widths.sort_by_key(|w| w.0);
            widths.dedup_by_key(|w| w.0);
            for (col, w) in widths {
                let _ = write!(out, "<col min=\"{col}\" max=\"{col}\" width=\"{w}\" customWidth=\"1\"/>");
            }
            out.push_str("</cols>");
        }
        out.push_str("<sheetData>");
        let mut row = 0;
        for (at, (edit, look)) in &self.cells {
            if at.row != row {
                if row != 0 {
                    out.push_str("</row>");
                }
                row = at.row;
                let _ = write!(out, "<row r=\"{row}\">");
            }
            let style = looks.style(*look).map(|s| format!("<c s=\"{s}\"/>"));
            out.push_str(&render("", *at, edit, style.as_deref().map(str::as_bytes)));
        }
        if row != 0 {
            out.push_str("</row>");
        }
        out.push_str("</sheetData>");
        if !self.merged.is_empty() {
            let _ = write!(out, "<mergeCells count=\"{}\">", self.merged.len());
            for m in &self.merged {
                let _ = write!(out, "<mergeCell ref=\"{m}\"/>");
            }
            out.push_str("</mergeCells>");
        }
        if let Some(dxf) = looks.alert {
            for (i, (sqref, formula)) in self.alerts.iter().enumerate() {
                let _ = write!(
                    out,
                    "<conditionalFormatting sqref=\"{}\"><cfRule type=\"expression\" dxfId=\"{dxf}\" priority=\"{}\"><formula>{}</formula></cfRule></conditionalFormatting>",
                    escape(sqref),
                    i + 1,
                    escape(formula)
                );
            }
        }
        if !self.validations.is_empty() {
            let _ = write!(out, "<dataValidations count=\"{}\">{}</dataValidations>", self.validations.len(), self.validations.concat());
        }
        if self.chart.is_some() {
            let _ = write!(out, "<drawing r:id=\"{DRAWING_REL}\"/>");
        }
        out.push_str("</worksheet>");
        out.into_bytes()
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\` or control characters,
/// not starting or ending with an apostrophe (Excel refuses those), not blank.
pub fn sheet_name(wanted: &str) -> String {
    let cleaned: String = wanted.chars().filter(|c| !c.is_control()).map(|c| if "[]:*?/\\".contains(c) { '-' } else { c }).collect();
    let edges = |c: char| c.is_whitespace() || c == '\'';
    let short: String = cleaned.trim_matches(edges).chars().take(31).collect();
    let short = short.trim_matches(edges);
    if short.is_empty() { "Sheet".into() } else { short.to_string() }
}

/// `A1:A9`-style range text for a column between two rows.
pub fn column_range(col: u32, first: u32, last: u32) -> String {
    format!("{}{first}:{}{last}", col_name(col), col_name(col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_follow_excel_rules() {
        assert_eq!(sheet_name("Scores: Jane/Smith"), "Scores- Jane-Smith");
        assert_eq!(sheet_name("A very long evaluator name indeed, more than 31"), "A very long evaluator name inde");
        assert_eq!(sheet_name("  "), "Sheet");
        assert_eq!(sheet_name("Eval - Dara O'"), "Eval - Dara O");
        assert_eq!(sheet_name("Eval - A\u{1}B\u{B}C"), "Eval - ABC");
        // Cut at 31 characters, the name must not end in an apostrophe either.
        assert_eq!(sheet_name("Eval - Siobhan O'Sullivan-Mac' Leod"), "Eval - Siobhan O'Sullivan-Mac");
    }

    #[test]
    fn a_new_sheet_is_well_formed_with_borrowed_styles() {
        let mut s = NewSheet::default();
        s.text(CellRef::new(1, 1), "Ref & <name>", Look::Heading);
        s.set(CellRef::new(2, 2), CellEdit::Number(3.0), Look::Input);
        s.set(CellRef::new(2, 3), CellEdit::Formula { formula: "B2*2".into(), result: crate::xlsx::Computed::Number(6.0) }, Look::Formula);
        s.width(1, 20.0);
        s.freeze(CellRef::new(2, 1));
        s.list_validation("B2:B9", "\"0,1,2,3,4\"", "Enter 0-4");
        let xml = String::from_utf8(s.xml(&Looks { heading: Some(3), input: Some(7), formula: None, alert: None })).unwrap();
        assert!(
            xml.contains(
                "<row r=\"1\"><c r=\"A1\" s=\"3\" t=\"inlineStr\"><is><t xml:space=\"preserve\">Ref &amp; &lt;name&gt;</t></is></c></row>"
            ),
            "{xml}"
        );
        assert!(xml.contains("<c r=\"B2\" s=\"7\"><v>3</v></c><c r=\"C2\"><f>B2*2</f><v>6</v></c>"), "{xml}");
        assert!(xml.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"));
        let mut r = crate::opc::xml::reader(xml.as_bytes());
        while !matches!(crate::opc::xml::next(&mut r).unwrap(), quick_xml::events::Event::Eof) {}
    }
}
