//! The price table: one row per bid, with its costs (acquisition, operating, end of life) or a
//! single price, and where the whole-life cost and price score go. In a price-only (lowest
//! price) workbook it is also where the bidders are.

use std::collections::HashMap;

use crate::domain::{Cost, CostComponent, Entry, Finding, Rule, Subject, name_key};
use crate::error::Result;
use crate::xlsx::cellref::CellRef;
use crate::xlsx::headings::{PRICE_HEADINGS, PriceRole, ROW_LABELS, RowRole, classify};
use crate::xlsx::layout::{PriceOrientation, find_header_row, headings_in_row};
use crate::xlsx::matrix::{BidderColumns, Kind, PriceLayout, Reader, place};
use crate::xlsx::workbook::{Sheet, Value, Workbook};
use crate::domain::money::Currency;

/// What the price table gives: its layout (if there is one), per bid its costs; with no quality
/// table, the bidders' names too.
pub(crate) struct PriceRead {
    pub layout: Option<PriceLayout>,
    pub costs: Vec<Vec<Cost>>,
    pub names: Vec<String>,
}

/// Words in a sheet name that say it holds prices.
const PRICE_SHEETS: [&str; 8] = ["price", "commercial", "cost", "bid tab", "tabulation", "pricing", "financial", "bids"];

/// Words that make a heading certainly about money: on a sheet not named for prices, a column
/// headed only "Total" is more likely a total score than a price.
const MONEY_WORDS: [&str; 10] = ["price", "cost", "costs", "sum", "amount", "quote", "bid", "fee", "fees", "percent"];

/// A heading's role, and whether it names money outright.
pub(crate) fn price_role(text: &str) -> Option<(PriceRole, bool)> {
    let role = classify(PRICE_HEADINGS, text)?.0;
    let ws = crate::xlsx::headings::words(text);
    Some((role, text.contains('£') || ws.iter().any(|w| MONEY_WORDS.contains(&w.as_str()) && w != "percent")))
}

impl Reader<'_> {
    /// `bidders` are the quality table's; `None` when there is no quality table, and then the
    /// price table's rows are the bids.
    pub(crate) fn price(&self, bidders: Option<&[BidderColumns]>, quality_sheet: Option<&str>) -> Result<PriceRead> {
        let h = &self.hints.price;
        let named = |n: &str| {
            let n = crate::xlsx::layout::norm(n);
            PRICE_SHEETS.iter().any(|w| n.contains(w))
        };
        let names: Vec<&str> = match &h.sheet {
            Some(s) => vec![self.wb.sheet(s).map_err(|_| self.missing_sheet("price", s))?.name.as_str()],
            None => self.candidates(&PRICE_SHEETS).into_iter().filter(|n| Some(*n) != quality_sheet).collect(),
        };
        let none = || PriceRead {
            layout: None,
            costs: bidders.map_or_else(Vec::new, |b| b.iter().map(|_| Vec::new()).collect()),
            names: Vec::new(),
        };
        for name in names {
            let sheet = self.wb.sheet(name)?;
            // A sheet named for prices needs a Bidder and a price column; any other sheet needs
            // the price column to say it is money.
            let strict = h.sheet.is_none() && !named(name);
            let accept = |hs: &[(u32, (PriceRole, bool))]| {
                hs.iter().any(|(_, x)| x.0 == PriceRole::Bidder)
                    && hs.iter().any(|(_, (role, money))| matches!(role, PriceRole::Cost(_) | PriceRole::WholeLife) && (*money || !strict))
            };
            let header = match (h.header_row, h.orientation) {
                (_, Some(PriceOrientation::BiddersAcross)) => None,
                (Some(row), _) => Some((row, headings_in_row(sheet, row, price_role))),
                (None, _) => find_header_row(sheet, price_role, accept),
            };
            if let Some((row, headers)) = header {
                let headers: Vec<(u32, PriceRole)> = headers.into_iter().map(|(c, (role, _))| (c, role)).collect();
                if let Some(read) = self.price_rows(sheet, row, &headers, bidders)? {
                    return Ok(read);
                }
            }
            // No table with a row per bid here: a bid tabulation with bidders across, if it is one.
            if let Some(read) = self.price_across(sheet, bidders)? {
                return Ok(read);
            }
        }
        Ok(none())
    }

    /// The table with one row per bid under `header_row`; `None` where it has no bidder or price
    /// column, or (unless the layout file places it) no bid rows.
    fn price_rows(
        &self,
        sheet: &Sheet,
        header_row: u32,
        headers: &[(u32, PriceRole)],
        bidders: Option<&[BidderColumns]>,
    ) -> Result<Option<PriceRead>> {
        let h = &self.hints.price;
        let placed = h.sheet.is_some() || h.header_row.is_some();
        let first = |f: &dyn Fn(&PriceRole) -> bool| headers.iter().find(|(_, x)| f(x)).map(|(c, _)| *c);
        let Some(bidder) = self.col(&h.bidder, "price.bidder")?.or_else(|| first(&|x| *x == PriceRole::Bidder)) else {
            return Ok(None);
        };
        let mut components = Vec::new();
        for (component, hint) in [
            (CostComponent::Acquisition, &h.acquisition),
            (CostComponent::Operating, &h.operating),
            (CostComponent::EndOfLife, &h.end_of_life),
        ] {
            if let Some(c) = self.col(hint, "price cost column")?.or_else(|| first(&|x| *x == PriceRole::Cost(component))) {
                components.push((component, c));
            }
        }
        let mut whole_life = self.col(&h.whole_life, "price.whole_life")?.or_else(|| first(&|x| *x == PriceRole::WholeLife));
        if components.is_empty() {
            // No breakdown: a single price column, or the whole-life cost typed in directly.
            match self
                .col(&h.price, "price.price")?
                .or_else(|| first(&|x| *x == PriceRole::Cost(CostComponent::Price)))
                .or(whole_life.take())
            {
                Some(c) => components.push((CostComponent::Price, c)),
                None => return Ok(None),
            }
        }
        let score = self.col(&h.score, "price.score")?.or_else(|| first(&|x| *x == PriceRole::Score));
        let eligible_whole_life =
            self.col(&h.eligible_whole_life, "price.eligible_whole_life")?.or_else(|| first(&|x| *x == PriceRole::EligibleWholeLife));

        // Bid rows run from under the header to the first blank row, a total, or a row that is
        // not a bid (an engineer's estimate, notes); the layout file may bound them instead.
        let first_row = h.first_row.unwrap_or(header_row + 1);
        let last_row = h.last_row.unwrap_or_else(|| sheet.last_row());
        let item_rows = h.orientation == Some(PriceOrientation::ItemRows);
        let mut by_name: Vec<(String, u32)> = Vec::new();
        for row in first_row..=last_row {
            let at = CellRef::new(row, bidder);
            let subject = || if bidders.is_some() { Subject::Bids } else { Subject::Bidder { bid: by_name.len() } };
            // A number where the name should be (a price under a bidder's heading, on a tab
            // with bidders across) is no bid's name.
            if matches!(sheet.value(at), Value::Number(_)) {
                continue;
            }
            let mut name = self.text(sheet, at, subject);
            if name.is_empty() && sheet.cell(at).is_some_and(|c| c.has_formula()) {
                // A name formula never calculated: reported already; the row is still a bid.
                name = format!("(the bidder at {})", place(&sheet.name, at));
            }
            if name.is_empty() {
                if h.last_row.is_some() {
                    continue;
                }
                break;
            }
            match classify(ROW_LABELS, &name).map(|x| x.0) {
                Some(RowRole::Skip) => continue,
                Some(RowRole::End | RowRole::Total) if h.last_row.is_none() => break,
                Some(_) => continue,
                None => by_name.push((name, row)),
            }
        }
        if by_name.is_empty() && !placed {
            return Ok(None);
        }
        let last_read = by_name.last().map_or(first_row, |x| x.1);
        // One row per item and bidder: each bidder once, in the order first met, at its first
        // row, with every row of its items (by that first row).
        let mut items: HashMap<u32, Vec<u32>> = HashMap::new();
        if item_rows {
            let mut first_of: HashMap<String, u32> = HashMap::new();
            let mut bids: Vec<(String, u32)> = Vec::new();
            for (name, row) in by_name {
                let first = *first_of.entry(name_key(&name)).or_insert_with(|| {
                    bids.push((name, row));
                    row
                });
                items.entry(first).or_default().push(row);
            }
            by_name = bids;
        }
        let mut rows = Vec::new();
        let mut costs = Vec::new();
        let mut names = Vec::new();
        // Each bid's row: matched by name to the quality table's bidders, or, with no quality
        // table, the row itself (so two rows whose names look alike never share one's costs).
        let rows_by_key: HashMap<String, u32> = by_name.iter().rev().map(|(n, r)| (name_key(n), *r)).collect();
        let owners: Vec<(String, Option<u32>)> = match bidders {
            Some(b) => b.iter().map(|b| (b.name.clone(), rows_by_key.get(&name_key(&b.name)).copied())).collect(),
            None => by_name.iter().map(|(n, r)| (n.clone(), Some(*r))).collect(),
        };
        for (b, (name, row)) in owners.iter().enumerate() {
            let row = *row;
            if row.is_none() {
                self.note(Finding::error(
                    Rule::BidderMismatch,
                    Subject::Bidder { bid: b },
                    format!("bidder '{name}' has a score column on the quality sheet but no row on {}", sheet.name),
                    format!("add a row for '{name}' on {} with the same name, or correct the spelling", sheet.name),
                ));
            }
            let mut bid_costs = Vec::new();
            if let Some(r) = row {
                // With item rows, the bid's rows (found by its first); else the row alone.
                let one = [r];
                let lines = items.get(&r).map_or(&one[..], Vec::as_slice);
                for (k, &(component, c)) in components.iter().enumerate() {
                    let mut amount = Entry::Empty;
                    for &line in lines {
                        let read = self.read(sheet, CellRef::new(line, c), Kind::Money, || Subject::Cost { bid: b, cost: k })?.entry;
                        amount = amount.plus(read);
                    }
                    bid_costs.push(Cost { component, amount });
                }
            }
            costs.push(bid_costs);
            rows.push(row);
            names.push(name.clone());
        }
        if bidders.is_some() {
            let keys: std::collections::HashSet<String> = owners.iter().map(|(n, _)| name_key(n)).collect();
            for (name, row) in &by_name {
                if !keys.contains(&name_key(name)) {
                    self.note(Finding::error(
                        Rule::BidderMismatch,
                        Subject::Bids,
                        format!(
                            "bidder '{name}' at {} has a price but no score column on the quality sheet",
                            place(&sheet.name, CellRef::new(*row, bidder))
                        ),
                        "spell each bidder's name the same on every sheet, or add their score column",
                    ));
                }
            }
        }
        // A bid's figures have no one row to be cached in where its price is a sum of item rows.
        let per_bid = |c: Option<u32>| c.filter(|_| !item_rows);
        // In the matrix's order of bids (the quality table's, where there is one).
        let items = if item_rows { rows.iter().map(|r| r.and_then(|r| items.remove(&r)).unwrap_or_default()).collect() } else { Vec::new() };
        let layout = PriceLayout {
            sheet: sheet.name.clone(),
            across: false,
            header_row,
            bidder,
            components,
            whole_life: per_bid(whole_life),
            eligible_whole_life: per_bid(eligible_whole_life),
            score: per_bid(score),
            abnormally_low: per_bid(first(&|x| *x == PriceRole::AbnormallyLow)),
            for_median: per_bid(first(&|x| *x == PriceRole::ForMedian)),
            items,
            rows,
            first_row,
            last_row: last_read,
        };
        Ok(Some(PriceRead { layout: Some(layout), costs, names }))
    }
}

impl PriceLayout {
    /// Costs can be written back one cell each: refused where a bid's price is the sum of its
    /// item rows, as one figure written into one of them would change what the sheet adds up.
    pub fn writable_costs(&self, path: &std::path::Path) -> Result<()> {
        match self.items.iter().position(|rows| rows.len() > 1) {
            None => Ok(()),
            Some(b) => Err(crate::error::Error::Layout {
                path: path.to_path_buf(),
                place: place(&self.sheet, CellRef::new(self.items[b][0], self.bidder)),
                detail: format!(
                    "each bid's price on this sheet is the sum of its {} item rows; tenderkit reads such sums but does not write a cost into them",
                    self.items[b].len()
                ),
                fix: "enter agreed costs on the sheet by hand, or point the layout file at a table with one row per bid".into(),
            }),
        }
    }

    /// The cell where a bid's line (its row, or bidders across, its column) meets a crossing line.
    pub fn at(&self, line: u32, cross: u32) -> CellRef {
        if self.across { CellRef::new(cross, line) } else { CellRef::new(line, cross) }
    }

    /// The currency most of the bids' cost cells show in their number format, if any names one;
    /// or the one a price heading names; or the one every currency format of the workbook
    /// names (a bid tab's long form in General format beside its dollar-formatted tab).
    pub fn currency(&self, wb: &Workbook) -> Option<Currency> {
        let sheet = wb.sheet(&self.sheet).ok()?;
        let cols: Vec<u32> = self.components.iter().map(|(_, c)| *c).chain(self.whole_life).collect();
        let mut seen: Vec<(Currency, usize)> = Vec::new();
        for row in self.rows.iter().flatten() {
            for &col in &cols {
                let Some(c) = sheet.cell(self.at(*row, col)).and_then(|cell| wb.currency(cell).ok().flatten()) else { continue };
                match seen.iter_mut().find(|(x, _)| *x == c) {
                    Some((_, n)) => *n += 1,
                    None => seen.push((c, 1)),
                }
            }
        }
        // Or, where the cells' format names none, the price headings: "Cost/Unit (USD)", "Price (€)".
        seen.into_iter().max_by_key(|(_, n)| *n).map(|(c, _)| c).or_else(|| {
            if self.across {
                return None;
            }
            cols.iter().find_map(|&col| Currency::find_in(&sheet.text(CellRef::new(self.header_row, col))))
        })
        .or_else(|| wb.only_currency())
    }
}
