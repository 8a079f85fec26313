//! A bid tabulation: one column group per bidder (manufacturer, unit price, total...) under the
//! bidder's name, items in rows, and each bid's price in a row labelled Total, Totals or Grand
//! Total. Every real bid tab in the collections has this shape. The bid's price is the first
//! number of the totals row within its group; the layout file may name the rows instead
//! (`[price] orientation = "bidders-across"`, `names_row`, `header_row`, `total_row`).

use std::collections::HashMap;

use crate::domain::{Cost, CostComponent, Finding, Rule, Subject, name_key};
use crate::error::Result;
use crate::xlsx::cellref::CellRef;
use crate::xlsx::headings::{PriceRole, ROW_LABELS, RowRole, classify};
use crate::xlsx::layout::PriceOrientation;
use crate::xlsx::matrix::price::{PriceRead, price_role};
use crate::xlsx::matrix::{BidderColumns, Kind, PriceLayout, Reader, place};
use crate::xlsx::workbook::{Sheet, Value};

/// How far above the price headings the bidders' names may be (a vendor questionnaire sits
/// between them on real tabs).
const NAMES_ABOVE: u32 = 20;

/// Whether a cell's text is a heading word and nothing else ("Supplier", "Notes", "Total"), not a
/// bidder's name ("Bidder 1 (Quote Rev 0)" is a name that happens to hold one).
fn only_a_heading(text: &str) -> bool {
    let n = crate::xlsx::headings::words(text).len();
    let whole = |span: Option<std::ops::Range<usize>>| span.is_some_and(|r| r.len() == n);
    whole(classify(crate::xlsx::headings::PRICE_HEADINGS, text).map(|x| x.1)) || whole(classify(ROW_LABELS, text).map(|x| x.1))
}

impl Reader<'_> {
    /// The bid tabulation on `sheet`, if it is one (or the layout file says so).
    pub(crate) fn price_across(&self, sheet: &Sheet, bidders: Option<&[BidderColumns]>) -> Result<Option<PriceRead>> {
        let h = &self.hints.price;
        let stated = h.orientation == Some(PriceOrientation::BiddersAcross);
        if h.orientation == Some(PriceOrientation::BidsInRows) {
            return Ok(None);
        }
        // The price headings' row: the first with two or more headings about money (one per
        // bidder: Price, Total Cost, "Vendor Data Costs").
        let about_money = |text: &str| price_role(text).is_some_and(|(r, money)| money || matches!(r, PriceRole::Cost(_) | PriceRole::WholeLife));
        let money = |row: u32| sheet.row_cells(row).iter().filter(|c| about_money(c.value.text().trim())).count();
        // Or, with no price headings (a technical and commercial tab), the row labelled Supplier
        // or Bidder with two or more names beside the label.
        let labelled = |row: u32| {
            let cells: Vec<String> = sheet.row_cells(row).iter().map(|c| c.value.text().trim().to_string()).filter(|t| !t.is_empty()).collect();
            cells.len() >= 3
                && only_a_heading(&cells[0])
                && classify(crate::xlsx::headings::PRICE_HEADINGS, &cells[0]).is_some_and(|x| x.0 == PriceRole::Bidder)
        };
        let by_money = h.header_row.or_else(|| (1..=sheet.last_row().min(60)).find(|&r| money(r) >= 2));
        let by_label = by_money.is_none().then(|| (1..=sheet.last_row().min(60)).find(|&r| labelled(r))).flatten();
        let Some(header_row) = by_money.or(by_label) else {
            return Ok(None);
        };
        // The groups start at the first heading the row repeats (Manufacturer, Part #, Price...
        // once per bidder); labels and item columns are left of it.
        let headings: Vec<(u32, String)> =
            sheet.row_cells(header_row).iter().map(|c| (c.at.col, c.value.text().trim().to_lowercase())).filter(|(_, t)| !t.is_empty()).collect();
        let first_group = headings
            .iter()
            .find(|(c, t)| headings.iter().any(|(c2, t2)| c2 > c && t2 == t))
            .or_else(|| headings.iter().find(|(_, t)| about_money(t)))
            .map_or(1, |(c, _)| *c);
        // The names: the first row above with two or more different texts over the groups (a
        // vendor questionnaire may follow them, its answers often alike), or the headings' row.
        let texts = |row: u32| -> Vec<(u32, String)> {
            sheet
                .row_cells(row)
                .iter()
                .filter(|c| c.at.col >= first_group)
                .map(|c| (c.at.col, c.value.text().trim().to_string()))
                .filter(|(_, t)| !t.is_empty())
                .collect()
        };
        let names_row = h.names_row.or(by_label).or_else(|| {
            // The headings' own row last: where each bidder has one column, its name heads it.
            (header_row.saturating_sub(NAMES_ABOVE).max(1)..=header_row).find(|&r| {
                let t = texts(r);
                let unique: std::collections::HashSet<&String> = t.iter().map(|x| &x.1).collect();
                t.len() >= 2 && unique.len() == t.len()
            })
        });
        let Some(names_row) = names_row else { return Ok(None) };
        // A name cell may hold the bidder's address (or a description) on the lines below it.
        // Where the names share the headings' row, the headings repeated over each bidder and the
        // words that only head a column (Supplier, Notes) are not names.
        let all = texts(names_row);
        let groups: Vec<(u32, String)> = all
            .iter()
            .filter(|(_, t)| all.iter().filter(|(_, u)| u == t).count() == 1 && !only_a_heading(t))
            .map(|(c, t)| (*c, t.lines().next().unwrap_or_default().trim().to_string()))
            .collect();
        let first_group = groups.first().map_or(first_group, |g| g.0.max(first_group));
        if groups.len() < 2 && !stated {
            return Ok(None);
        }
        // Labels sit left of the first group.
        let label_cols = 1..first_group.max(2);
        // The totals row: labelled so, with a figure (or a formula for one) under a bidder
        // ("Total length" in a data sheet above it has neither).
        let figure = |r: u32| {
            groups.iter().any(|(c, _)| {
                sheet.row_cells(r).iter().any(|x| x.at.col >= *c && (matches!(x.value, Value::Number(_)) || x.has_formula()))
            })
        };
        let total_row = h.total_row.or_else(|| {
            (header_row + 1..=sheet.last_row()).find(|&r| {
                label_cols.clone().any(|c| classify(ROW_LABELS, sheet.text(CellRef::new(r, c)).trim()).is_some_and(|x| x.0 == RowRole::Total))
                    && figure(r)
            })
        });
        let Some(total_row) = total_row else {
            if stated {
                return Err(self.layout_err(
                    place(&sheet.name, CellRef::new(header_row, 1)),
                    "no row labelled Total, Totals or Grand Total was found below the price headings",
                    "give [price] total_row in the layout file",
                ));
            }
            return Ok(None);
        };
        // Each bid's price: the first number of the totals row within its group.
        let mut found: Vec<(String, u32, Option<u32>)> = Vec::new();
        for (i, (start, name)) in groups.iter().enumerate() {
            let end = groups.get(i + 1).map_or(sheet.last_col(), |g| g.0 - 1);
            let col = (*start..=end).find(|&c| matches!(sheet.value(CellRef::new(total_row, c)), Value::Number(_)));
            found.push((name.clone(), *start, col));
        }
        let by_key: HashMap<String, usize> = found.iter().enumerate().rev().map(|(i, f)| (name_key(&f.0), i)).collect();
        let owners: Vec<(String, Option<usize>)> = match bidders {
            Some(b) => b.iter().map(|b| (b.name.clone(), by_key.get(&name_key(&b.name)).copied())).collect(),
            None => found.iter().enumerate().map(|(i, f)| (f.0.clone(), Some(i))).collect(),
        };
        let (mut costs, mut rows, mut names) = (Vec::new(), Vec::new(), Vec::new());
        for (b, (name, group)) in owners.iter().enumerate() {
            let Some(g) = group else {
                self.note(Finding::error(
                    Rule::BidderMismatch,
                    Subject::Bidder { bid: b },
                    format!("bidder '{name}' has a score column on the quality sheet but no column group on {}", sheet.name),
                    format!("head a column group on {} with '{name}', or correct the spelling", sheet.name),
                ));
                costs.push(Vec::new());
                rows.push(None);
                names.push(name.clone());
                continue;
            };
            let (_, start, col) = &found[*g];
            let line = col.unwrap_or(*start);
            let amount = self.read(sheet, CellRef::new(total_row, line), Kind::Money, || Subject::Cost { bid: b, cost: 0 })?.entry;
            costs.push(vec![Cost { component: CostComponent::Price, amount }]);
            rows.push(Some(line));
            names.push(name.clone());
        }
        let layout = PriceLayout {
            sheet: sheet.name.clone(),
            across: true,
            header_row,
            bidder: names_row,
            components: vec![(CostComponent::Price, total_row)],
            whole_life: None,
            eligible_whole_life: None,
            score: None,
            abnormally_low: None,
            for_median: None,
            rows,
            items: Vec::new(),
            first_row: header_row + 1,
            last_row: total_row,
        };
        Ok(Some(PriceRead { layout: Some(layout), costs, names }))
    }
}
