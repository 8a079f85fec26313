//! What detection found in a workbook, written as a layout file: every position tenderkit will
//! use, with a comment saying where each came from, and `# NOT FOUND` lines for what it could not
//! find. Saved, corrected and passed back with `--layout`, it reads the workbook the same way.

use std::fmt::Write as _;

use crate::domain::Matrix;
use crate::domain::scale::fmt_number;
use crate::xlsx::cellref::{CellRef, col_name};
use crate::xlsx::layout::Orientation;
use crate::xlsx::matrix::{MatrixLayout, ReadMatrix, ScaleSource, Source, SummaryRole, place};
use crate::xlsx::workbook::Workbook;

/// A TOML string.
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

struct Out(String);

impl Out {
    fn line(&mut self, key: &str, value: impl std::fmt::Display, comment: &str) {
        let entry = format!("{key} = {value}");
        if comment.is_empty() {
            let _ = writeln!(self.0, "{entry}");
        } else {
            let _ = writeln!(self.0, "{entry:<34} # {comment}");
        }
    }

    fn missing(&mut self, key: &str, example: &str, why: &str) {
        let entry = format!("# {key} = {example}");
        let _ = writeln!(self.0, "{entry:<34} # NOT FOUND: {why}");
    }

    fn text(&mut self, t: &str) {
        let _ = writeln!(self.0, "{t}");
    }
}

/// The layout file for `read`, read from `wb` (for the headings quoted in comments).
pub fn layout_toml(wb: &Workbook, read: &ReadMatrix) -> String {
    let mut o = Out(String::new());
    let file = wb.path().file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    o.text(&format!("# Where tenderkit found everything in {file}."));
    o.text("# Check each line; correct what is wrong, and pass the file back with --layout layout.toml.");
    o.text("# Columns are letters, rows are numbers. Lines marked NOT FOUND are what tenderkit could not find.");
    // Top-level keys come before the first table.
    if let Some(c) = read.matrix.commodity {
        o.text("");
        o.line("commodity", q(c.name()), "the CommodityType cell");
    }
    if let Source::Cell(sheet, at) = &read.layout.settings.minimum_quality {
        o.line("minimum_quality_cell", q(&place(sheet, at)), "the MinimumQuality cell");
    }
    // On one line, whatever breaks the cell holds (a comment ends at the line's end).
    let heading = |sheet: &str, at: CellRef| wb.sheet(sheet).map(|s| s.text(at).split_whitespace().collect::<Vec<_>>().join(" ")).unwrap_or_default();
    quality(&mut o, &read.layout, &read.matrix, &heading);
    price(&mut o, &read.layout, &heading);
    summary(&mut o, &read.layout, &heading);
    split(&mut o, &read.layout, &read.matrix);
    scale(&mut o, &read.layout, &read.matrix, &heading);
    o.0
}

fn quality(o: &mut Out, l: &MatrixLayout, m: &Matrix, heading: &dyn Fn(&str, CellRef) -> String) {
    o.text("");
    let Some(ql) = &l.quality else {
        o.text("# [quality]                         # NOT FOUND: no sheet has a row headed Criterion (or Question),");
        o.text("#                                   # Weighting and Score, or a row of weights with bidders below.");
        o.text("#                                   # Fine for a lowest-price award (split 100:0); otherwise give sheet and header_row.");
        return;
    };
    o.text("[quality]");
    let col = |c: u32| q(&col_name(c));
    let said = |c: u32| format!("'{}'", heading(&ql.sheet, CellRef::new(ql.header_row, c)));
    o.line("sheet", q(&ql.sheet), "");
    match ql.weights {
        crate::xlsx::layout::WeightUnit::Points => o.line("weights", q("points"), "each criterion's share of its section's points"),
        crate::xlsx::layout::WeightUnit::Fractions => o.line("weights", q("fractions"), "shares of 1"),
        crate::xlsx::layout::WeightUnit::Equal => o.line("weights", q("equal"), "no weightings: every criterion counts the same"),
        crate::xlsx::layout::WeightUnit::Percent => {}
    }
    let mut lower: Vec<String> = Vec::new();
    for (_, c) in m.criteria().filter(|(_, c)| c.lower_is_better) {
        let name = q(if c.title.is_empty() { &c.reference } else { &c.title });
        if !lower.contains(&name) {
            lower.push(name);
        }
    }
    if !lower.is_empty() {
        o.line("lower_is_better", format!("[{}]", lower.join(", ")), "less is better: the scale read backwards");
    }
    let first = Some(ql.first_line).filter(|&l| l > 0);
    let end = ql.total_row.or(ql.criterion_rows.last().copied());
    match ql.orientation {
        Orientation::CriteriaInRows => {
            o.line("orientation", q("criteria-in-rows"), "one row per criterion, a score column per bidder");
            o.line("header_row", ql.header_row, "the row of headings");
            if let Some(r) = first {
                o.line("first_row", r, "where the table starts (its first criterion or section heading)");
            }
            if let Some(r) = end {
                let why = if ql.total_row.is_some() { "the Total row, where the table ends" } else { "the last criterion" };
                o.line("last_row", r, why);
            }
            let cols = &ql.cols;
            for (key, c, example, why) in [
                ("section", cols.section, "\"A\"", "no Section column (sections come from heading rows, or there is one)"),
                ("reference", cols.reference, "\"A\"", "no Ref or Q No. column"),
                ("criterion", cols.criterion, "\"B\"", "no Criterion or Question column"),
                ("section_weight", cols.section_weight, "\"C\"", "no Section weight column"),
                ("weight", Some(cols.weight), "\"D\"", ""),
                ("effective_weight", cols.effective_weight, "\"E\"", "no Effective weight column (nothing to cache there)"),
                ("pass_mark", cols.pass_mark, "\"F\"", "no Pass mark column"),
            ] {
                match c {
                    Some(c) => o.line(key, col(c), &said(c)),
                    None => o.missing(key, example, why),
                }
            }
            o.text("bidders = [");
            for b in &ql.bidders {
                let mut entry = format!("    {{ name = {}, score = {}", q(&b.name), col(b.score));
                if let Some(w) = b.weighted {
                    let _ = write!(entry, ", weighted = {}", col(w));
                }
                let _ = write!(entry, ", name_cell = {} }},", q(&b.name_cell.to_string()));
                let from = if b.name_cell.row == ql.header_row {
                    format!("from the heading {}", said(b.score))
                } else {
                    format!("the name above the heading, at {}", b.name_cell)
                };
                o.text(&format!("{entry:<34} # {from}"));
            }
            o.text("]");
        }
        Orientation::BiddersInRows => {
            o.line("orientation", q("bidders-in-rows"), "one row per bidder, a column per criterion");
            o.line("header_row", ql.header_row, "the row of criterion names");
            if let Some(w) = ql.weights_row {
                o.line("weights_row", w, "the row of criterion weightings");
            }
            if let Some(c) = first {
                o.line("first_column", col(c), "the first criterion");
            }
            if let Some(c) = end {
                let why = if ql.total_row.is_some() { "the Total column, where the table ends" } else { "the last criterion" };
                o.line("last_column", col(c), why);
            }
            if let Some(b) = ql.bidders.first() {
                o.line("bidder", col(b.name_cell.col), "the bidder names");
                o.line("first_row", b.score, "the first bidder");
            }
            if let Some(b) = ql.bidders.last() {
                o.line("last_row", b.score, "the last bidder");
            }
            match ql.total_row {
                Some(c) => o.line("total", col(c), &format!("{}: each bid's quality score is cached there", said(c))),
                None => o.missing("total", "\"H\"", "no Total column (nothing to cache there)"),
            }
        }
    }
}

fn price(o: &mut Out, l: &MatrixLayout, heading: &dyn Fn(&str, CellRef) -> String) {
    o.text("");
    let Some(p) = &l.price else {
        o.text("# [price]                           # NOT FOUND: no sheet named Price, Commercial or Cost has a row headed");
        o.text("#                                   # Bidder and Price (or Whole-life cost). Fine for a quality-only award (0:100).");
        return;
    };
    let said = |c: u32| format!("'{}'", heading(&p.sheet, CellRef::new(p.header_row, c)));
    o.text("[price]");
    o.line("sheet", q(&p.sheet), "");
    if p.across {
        let total_row = p.components.first().map_or(p.last_row, |c| c.1);
        let label = (1..=3).map(|c| heading(&p.sheet, CellRef::new(total_row, c))).find(|t| !t.is_empty()).unwrap_or_default();
        o.line("orientation", q("bidders-across"), "one column group per bidder");
        o.line("names_row", p.bidder, "the bidders' names, over their groups");
        o.line("header_row", p.header_row, "the row of headings");
        o.line("total_row", total_row, &format!("each bid's price: '{label}'"));
        return;
    }
    if p.items.iter().any(|rows| rows.len() > 1) {
        o.line("orientation", q("item-rows"), "one row per item and bidder: each bid's price is the sum of its rows");
    }
    o.line("header_row", p.header_row, "the row of headings");
    o.line("first_row", p.first_row, "the first bid");
    o.line("last_row", p.last_row, "the last bid (rows after it, such as an estimate, are not bids)");
    o.line("bidder", q(&col_name(p.bidder)), &said(p.bidder));
    for (component, c) in &p.components {
        let key = match component {
            crate::domain::CostComponent::Acquisition => "acquisition",
            crate::domain::CostComponent::Operating => "operating",
            crate::domain::CostComponent::EndOfLife => "end_of_life",
            crate::domain::CostComponent::Price => "price",
        };
        o.line(key, q(&col_name(*c)), &said(*c));
    }
    for (key, c, why) in [
        ("whole_life", p.whole_life, "no Whole-life cost column (nothing to cache there)"),
        ("eligible_whole_life", p.eligible_whole_life, "no column for the whole-life cost of bids that pass"),
        ("score", p.score, "no Price score column (nothing to cache there)"),
    ] {
        match c {
            Some(c) => o.line(key, q(&col_name(c)), &said(c)),
            None => o.missing(key, "\"G\"", why),
        }
    }
}

fn summary(o: &mut Out, l: &MatrixLayout, heading: &dyn Fn(&str, CellRef) -> String) {
    o.text("");
    let Some(s) = &l.summary else {
        o.text("# [summary]                         # NOT FOUND: no Summary or Results sheet with Bidder and Total or Rank headings;");
        o.text("#                                   # totals and ranks are printed but not written into the workbook.");
        return;
    };
    o.text("[summary]");
    o.line("sheet", q(&s.sheet), "");
    o.line("header_row", s.header_row, "the row of headings");
    for (role, c) in &s.columns {
        let key = match role {
            SummaryRole::Bidder => "bidder",
            SummaryRole::Quality => "quality",
            SummaryRole::QualityWeighted => "quality_weighted",
            SummaryRole::Price => "price",
            SummaryRole::Total => "total",
            SummaryRole::Rank => "rank",
            SummaryRole::BelowPassMark => "below_pass_mark",
            SummaryRole::Status => "status",
        };
        o.line(key, q(&col_name(*c)), &format!("'{}'", heading(&s.sheet, CellRef::new(s.header_row, *c))));
    }
}

fn split(o: &mut Out, l: &MatrixLayout, m: &Matrix) {
    o.text("");
    o.text("[split]");
    for (key, source, value) in
        [("price", &l.settings.price_weight, &m.split.price), ("quality", &l.settings.quality_weight, &m.split.quality)]
    {
        let figure = value.number().map(fmt_number).unwrap_or_default();
        match source {
            Source::Cell(sheet, at) => o.line(&format!("{key}_cell"), q(&place(sheet, at)), &format!("the {key} share, {figure}")),
            Source::Label { sheet, at, label } => o.line(key, &figure, &format!("stated at {}: '{label}'", place(sheet, at))),
            Source::LayoutFile => o.line(key, &figure, "from the layout file"),
            Source::OtherHalf => o.line(key, &figure, "NOT STATED in the workbook: taken as 100 minus the other half"),
            Source::OneTable => o.line(key, &figure, "NOT STATED in the workbook, which has one table only: it is the whole evaluation"),
            Source::Missing => {
                o.missing(key, "40", &format!("no {key} share: no defined name and no labelled figure such as '{key} weighting 40%'"))
            }
        }
    }
}

fn scale(o: &mut Out, l: &MatrixLayout, m: &Matrix, heading: &dyn Fn(&str, CellRef) -> String) {
    if l.quality.is_none() {
        return;
    }
    o.text("");
    o.text("[scale]");
    let values = || format!("[{}]", m.scale.points().iter().map(|p| fmt_number(p.value)).collect::<Vec<_>>().join(", "));
    match &l.settings.scale {
        ScaleSource::Range(sheet, range) => {
            o.line("values_range", q(&place(sheet, range)), "the scale's scores, with descriptors beside them")
        }
        ScaleSource::Heading(sheet, at) => {
            o.line("values", values(), &format!("from the heading at {}: '{}'", place(sheet, at), heading(sheet, *at)))
        }
        ScaleSource::Names => o.line("values", values(), "from the defined names ScaleValues or ScaleMax"),
        ScaleSource::LayoutFile if m.scale.is_continuous() => {
            o.line("min", fmt_number(m.scale.min()), "from the layout file: any number between");
            o.line("max", fmt_number(m.scale.max()), "");
            o.line("continuous", true, "");
        }
        ScaleSource::LayoutFile => o.line("values", values(), "from the layout file"),
        ScaleSource::PercentScores => o.line("values", values(), "GUESS: the scores are percentages and no scale is stated"),
        ScaleSource::FromScores(max) => {
            o.line("min", 0, "GUESS: no scale is stated; whole-number scores up to the highest typed");
            o.line("max", fmt_number(*max), "");
        }
        ScaleSource::Assumed => o.line("name", q("0-4"), "GUESS: no scale is stated anywhere; the guidance's 0-4 is assumed"),
    }
}
