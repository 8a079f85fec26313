//! Writing a Word document from paragraphs, runs and tables, every element in the order the
//! WordprocessingML schema requires (ECMA-376 Part 1, 17.3: `CT_PPr`, `CT_RPr`, `CT_Tbl`,
//! `CT_SectPr`). Word silently drops properties out of sequence, where LibreOffice forgives them,
//! so order is not cosmetic here. Every string passes through the one XML escaping function
//! (`opc::xml::escape`); a vertical tab or form feed (pasted from Word) is a line break.
//!
//! Replaces docx-rs, whose 0.4 series writes run properties in the order they were set (`w:sz`
//! before `w:rFonts`) and parts Word's schema rejects.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use crate::opc::xml::escape;

/// The letters' typeface: the document default (`styles.xml`), so runs carry only what differs.
pub const FONT: &str = "Arial";
/// The default size, in half-points (10.5 pt).
pub const SIZE: u32 = 21;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    /// Half-points; `None` for the document default.
    pub size: Option<u32>,
}

impl Run {
    pub fn new(text: impl Into<String>) -> Run {
        Run { text: text.into(), ..Run::default() }
    }
    pub fn bold(self) -> Run {
        Run { bold: true, ..self }
    }
    pub fn size(self, half_points: u32) -> Run {
        Run { size: Some(half_points), ..self }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Paragraph {
    pub runs: Vec<Run>,
    /// Left indent, in twentieths of a point.
    pub indent: Option<u32>,
    pub align: Option<Align>,
}

impl Paragraph {
    pub fn new() -> Paragraph {
        Paragraph::default()
    }
    pub fn run(mut self, r: Run) -> Paragraph {
        self.runs.push(r);
        self
    }
    pub fn indent(self, twips: u32) -> Paragraph {
        Paragraph { indent: Some(twips), ..self }
    }
    pub fn align(self, a: Align) -> Paragraph {
        Paragraph { align: Some(a), ..self }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Width in twentieths of a point.
    pub width: u32,
    pub paragraphs: Vec<Paragraph>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Column widths, in twentieths of a point; the layout is fixed so word processors keep them.
    pub grid: Vec<u32>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table of a bold heading row `head` and `rows` of text, its columns `widths` points wide
    /// (451 in all is the text's width), its text `size` half-points (`None`: the document's).
    pub fn of(widths: &[u32], head: &[&str], rows: impl IntoIterator<Item = Vec<String>>, size: Option<u32>) -> Table {
        let cell = |points: u32, text: &str, bold: bool| Cell {
            width: points * 20,
            paragraphs: vec![Paragraph::new().run(Run { text: text.to_string(), bold, size })],
        };
        let mut out = vec![head.iter().zip(widths).map(|(h, w)| cell(*w, h, true)).collect::<Vec<_>>()];
        out.extend(rows.into_iter().map(|r| r.iter().zip(widths).map(|(t, w)| cell(*w, t, false)).collect()));
        Table { grid: widths.iter().map(|w| w * 20).collect(), rows: out }
    }
}

/// A PNG picture in a paragraph of its own, as wide as the text; `description` is its alternative
/// text (what a screen reader says).
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
    Picture(Picture),
}

/// A document: its body, and an optional header and footer (each a list of paragraphs).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub body: Vec<Block>,
    pub header: Vec<Paragraph>,
    pub footer: Vec<Paragraph>,
}

impl Document {
    pub fn paragraph(mut self, p: Paragraph) -> Document {
        self.body.push(Block::Paragraph(p));
        self
    }
    pub fn table(mut self, t: Table) -> Document {
        self.body.push(Block::Table(t));
        self
    }
    pub fn picture(mut self, p: Picture) -> Document {
        self.body.push(Block::Picture(p));
        self
    }

    fn pictures(&self) -> impl Iterator<Item = &Picture> {
        self.body.iter().filter_map(|b| match b {
            Block::Picture(p) => Some(p),
            _ => None,
        })
    }

    /// The `.docx` file's bytes. The same document always gives the same bytes (fixed entry
    /// times), so generated templates are reproducible.
    pub fn to_bytes(&self) -> Vec<u8> {
        let pictures = self.pictures().count();
        let mut parts: Vec<(String, Vec<u8>)> = [
            ("[Content_Types].xml", content_types(!self.header.is_empty(), !self.footer.is_empty(), pictures > 0)),
            ("_rels/.rels", ROOT_RELS.to_string()),
            ("word/document.xml", self.document_xml()),
            ("word/_rels/document.xml.rels", document_rels(!self.header.is_empty(), !self.footer.is_empty(), pictures)),
            ("word/styles.xml", styles()),
            ("word/settings.xml", SETTINGS.to_string()),
            ("word/fontTable.xml", FONT_TABLE.to_string()),
            ("word/theme/theme1.xml", theme()),
            ("docProps/core.xml", CORE.to_string()),
            ("docProps/app.xml", APP.to_string()),
        ]
        .into_iter()
        .map(|(name, xml)| (name.to_string(), xml.into_bytes()))
        .collect();
        if !self.header.is_empty() {
            parts.push(("word/header1.xml".into(), story("hdr", &self.header).into_bytes()));
        }
        if !self.footer.is_empty() {
            parts.push(("word/footer1.xml".into(), story("ftr", &self.footer).into_bytes()));
        }
        for (i, p) in self.pictures().enumerate() {
            parts.push((format!("word/media/image{}.png", i + 1), p.png.clone()));
        }
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in parts {
            // PNG is compressed already.
            let options = if name.ends_with(".png") { options.compression_method(zip::CompressionMethod::Stored) } else { options };
            zip.start_file(name, options).expect("writing to memory");
            zip.write_all(&bytes).expect("writing to memory");
        }
        zip.finish().expect("writing to memory").into_inner()
    }

    fn document_xml(&self) -> String {
        let drawing = if self.pictures().next().is_some() { format!(" xmlns:wp=\"{WP}\" xmlns:a=\"{A}\" xmlns:pic=\"{PIC}\"") } else { String::new() };
        let mut out = format!("{DECL}<w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"{drawing}><w:body>");
        let mut pictures = 0;
        for b in &self.body {
            match b {
                Block::Paragraph(p) => paragraph(&mut out, p),
                Block::Table(t) => table(&mut out, t),
                Block::Picture(p) => {
                    pictures += 1;
                    picture(&mut out, p, pictures);
                }
            }
        }
        // CT_SectPr: headerReference, footerReference, pgSz, pgMar (A4, 2.54 cm margins).
        out.push_str("<w:sectPr>");
        if !self.header.is_empty() {
            out.push_str("<w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>");
        }
        if !self.footer.is_empty() {
            out.push_str("<w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>");
        }
        out.push_str(
            "<w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>",
        );
        out
    }
}

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const PIC: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";
/// The text's width on the page (A4 less two 2.54 cm margins), in EMU (635 to the twip).
const TEXT_WIDTH_EMU: u64 = (11906 - 2 * 1440) * 635;

/// An inline picture (CT_Inline: extent, effectExtent, docPr, cNvGraphicFramePr, graphic; the
/// picture's nvPicPr, blipFill, spPr), scaled to the text's width.
fn picture(out: &mut String, p: &Picture, n: usize) {
    let cx = TEXT_WIDTH_EMU;
    let cy = cx * u64::from(p.height) / u64::from(p.width.max(1));
    let descr = escape(&p.description);
    out.push_str(&format!(
        "<w:p><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"{n}\" name=\"Picture {n}\" descr=\"{descr}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"{PIC}\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"image{n}.png\" descr=\"{descr}\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rIdImage{n}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    ));
}

/// CT_P: pPr (ind before jc, per CT_PPr), then the runs.
fn paragraph(out: &mut String, p: &Paragraph) {
    out.push_str("<w:p>");
    if p.indent.is_some() || p.align.is_some() {
        out.push_str("<w:pPr>");
        if let Some(left) = p.indent {
            out.push_str(&format!("<w:ind w:left=\"{left}\"/>"));
        }
        if let Some(a) = p.align {
            let v = match a {
                Align::Left => "left",
                Align::Right => "right",
                Align::Center => "center",
            };
            out.push_str(&format!("<w:jc w:val=\"{v}\"/>"));
        }
        out.push_str("</w:pPr>");
    }
    for r in &p.runs {
        run(out, r);
    }
    out.push_str("</w:p>");
}

/// CT_R: rPr (b before sz, per CT_RPr), then text with line breaks.
fn run(out: &mut String, r: &Run) {
    out.push_str("<w:r>");
    if r.bold || r.size.is_some() {
        out.push_str("<w:rPr>");
        if r.bold {
            out.push_str("<w:b/><w:bCs/>");
        }
        if let Some(s) = r.size {
            out.push_str(&format!("<w:sz w:val=\"{s}\"/><w:szCs w:val=\"{s}\"/>"));
        }
        out.push_str("</w:rPr>");
    }
    for (i, part) in r.text.replace("\r\n", "\n").split(['\u{B}', '\u{C}', '\n']).enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str("<w:t xml:space=\"preserve\">");
        out.push_str(&escape(part));
        out.push_str("</w:t>");
    }
    out.push_str("</w:r>");
}

/// CT_Tbl: tblPr (tblW, tblLayout, tblCellMar: CT_TblPr order), tblGrid, rows; each cell's tcPr
/// holds its width, and every cell at least one paragraph.
fn table(out: &mut String, t: &Table) {
    let total: u32 = t.grid.iter().sum();
    out.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:tblBorders>{}</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>",
        ["top", "left", "bottom", "right", "insideH", "insideV"].map(|s| format!("<w:{s} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>")).concat()
    ));
    for w in &t.grid {
        out.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    for row in &t.rows {
        out.push_str("<w:tr>");
        for c in row {
            out.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr>", c.width));
            if c.paragraphs.is_empty() {
                out.push_str("<w:p/>");
            }
            for p in &c.paragraphs {
                paragraph(out, p);
            }
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

fn story(root: &str, paragraphs: &[Paragraph]) -> String {
    let mut out = format!("{DECL}<w:{root} xmlns:w=\"{W}\" xmlns:r=\"{R}\">");
    for p in paragraphs {
        paragraph(&mut out, p);
    }
    out.push_str(&format!("</w:{root}>"));
    out
}

fn content_types(header: bool, footer: bool, png: bool) -> String {
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let mut out = format!(
        "{DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>{}<Override PartName=\"/word/document.xml\" ContentType=\"{main}.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"{main}.styles+xml\"/><Override PartName=\"/word/settings.xml\" ContentType=\"{main}.settings+xml\"/><Override PartName=\"/word/fontTable.xml\" ContentType=\"{main}.fontTable+xml\"/><Override PartName=\"/word/theme/theme1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.theme+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>",
        if png { "<Default Extension=\"png\" ContentType=\"image/png\"/>" } else { "" }
    );
    if header {
        out.push_str(&format!("<Override PartName=\"/word/header1.xml\" ContentType=\"{main}.header+xml\"/>"));
    }
    if footer {
        out.push_str(&format!("<Override PartName=\"/word/footer1.xml\" ContentType=\"{main}.footer+xml\"/>"));
    }
    out.push_str("</Types>");
    out
}

const ROOT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
    "</Relationships>"
);

fn document_rels(header: bool, footer: bool, pictures: usize) -> String {
    let mut out = format!(
        "{DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rIdStyles\" Type=\"{R}/styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdSettings\" Type=\"{R}/settings\" Target=\"settings.xml\"/><Relationship Id=\"rIdFonts\" Type=\"{R}/fontTable\" Target=\"fontTable.xml\"/><Relationship Id=\"rIdTheme\" Type=\"{R}/theme\" Target=\"theme/theme1.xml\"/>"
    );
    if header {
        out.push_str(&format!("<Relationship Id=\"rIdHeader\" Type=\"{R}/header\" Target=\"header1.xml\"/>"));
    }
    if footer {
        out.push_str(&format!("<Relationship Id=\"rIdFooter\" Type=\"{R}/footer\" Target=\"footer1.xml\"/>"));
    }
    for n in 1..=pictures {
        out.push_str(&format!("<Relationship Id=\"rIdImage{n}\" Type=\"{R}/image\" Target=\"media/image{n}.png\"/>"));
    }
    out.push_str("</Relationships>");
    out
}

/// The document defaults (Arial, 10.5 pt, a little space after each paragraph) and the Normal
/// style: CT_DocDefaults, then CT_Style with its name first.
fn styles() -> String {
    format!(
        "{DECL}<w:styles xmlns:w=\"{W}\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:eastAsia=\"{FONT}\" w:cs=\"{FONT}\"/><w:sz w:val=\"{SIZE}\"/><w:szCs w:val=\"{SIZE}\"/><w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"80\" w:line=\"259\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style><w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style></w:styles>"
    )
}

const SETTINGS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>",
    "</w:settings>"
);

const FONT_TABLE: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:font w:name=\"Arial\"><w:panose1 w:val=\"020B0604020202020204\"/><w:charset w:val=\"00\"/><w:family w:val=\"swiss\"/><w:pitch w:val=\"variable\"/></w:font>",
    "</w:fonts>"
);

/// A theme with Arial for headings and body, and the plain Office colours: the smallest a word
/// processor accepts (CT_OfficeStyleSheet: three fills, lines, effects and background fills).
fn theme() -> String {
    let colours = [
        ("dk1", "000000"),
        ("lt1", "FFFFFF"),
        ("dk2", "1F3864"),
        ("lt2", "E7E6E6"),
        ("accent1", "1D70B8"),
        ("accent2", "505A5F"),
        ("accent3", "00703C"),
        ("accent4", "F47738"),
        ("accent5", "4C2C92"),
        ("accent6", "D4351C"),
        ("hlink", "1D70B8"),
        ("folHlink", "4C2C92"),
    ]
    .map(|(n, c)| format!("<a:{n}><a:srgbClr val=\"{c}\"/></a:{n}>"))
    .concat();
    let font = format!("<a:latin typeface=\"{FONT}\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/>");
    let fill = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>";
    let line = "<a:ln w=\"9525\"><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:ln>";
    let effect = "<a:effectStyle><a:effectLst/></a:effectStyle>";
    format!(
        "{DECL}<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" name=\"tenderkit\"><a:themeElements><a:clrScheme name=\"tenderkit\">{colours}</a:clrScheme><a:fontScheme name=\"tenderkit\"><a:majorFont>{font}</a:majorFont><a:minorFont>{font}</a:minorFont></a:fontScheme><a:fmtScheme name=\"tenderkit\"><a:fillStyleLst>{fill}{fill}{fill}</a:fillStyleLst><a:lnStyleLst>{line}{line}{line}</a:lnStyleLst><a:effectStyleLst>{effect}{effect}{effect}</a:effectStyleLst><a:bgFillStyleLst>{fill}{fill}{fill}</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>"
    )
}

const CORE: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
    "<dc:creator>tenderkit</dc:creator></cp:coreProperties>"
);

const APP: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>tenderkit</Application></Properties>"
);

#[cfg(test)]
mod tests {
    use super::*;

    fn xml_of(doc: &Document, part: &str) -> String {
        let bytes = doc.to_bytes();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut s).unwrap();
        s
    }

    #[test]
    fn run_and_paragraph_properties_come_in_schema_order() {
        let doc = Document::default().paragraph(Paragraph::new().indent(567).align(Align::Right).run(Run::new("A").bold().size(24)));
        let xml = xml_of(&doc, "word/document.xml");
        assert!(xml.contains("<w:pPr><w:ind w:left=\"567\"/><w:jc w:val=\"right\"/></w:pPr>"), "{xml}");
        assert!(xml.contains("<w:rPr><w:b/><w:bCs/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr>"), "{xml}");
        assert!(xml.ends_with("</w:sectPr></w:body></w:document>"));
    }

    #[test]
    fn text_is_escaped_and_breaks_are_breaks() {
        let doc = Document::default().paragraph(Paragraph::new().run(Run::new("a & <b>\u{B}c\u{1}]]>")));
        let xml = xml_of(&doc, "word/document.xml");
        assert!(xml.contains("a &amp; &lt;b&gt;</w:t><w:br/><w:t xml:space=\"preserve\">c]]&gt;"), "{xml}");
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let doc = Document { header: vec![Paragraph::new().run(Run::new("h"))], ..Document::default() }.paragraph(Paragraph::new());
        assert_eq!(doc.to_bytes(), doc.to_bytes());
    }
}
