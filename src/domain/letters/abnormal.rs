//! The request for an explanation of an abnormally low tender. A buyer must ask a bidder whose
//! price appears abnormally low to explain it, and may reject the tender only after assessing
//! the explanation (Public Contracts (Scotland) Regulations 2015, reg 69(1)-(3); Procurement
//! Act 2023, s.34): the letter asks, it never rejects.

use serde::Serialize;

use crate::domain::money::fmt_money;
use crate::domain::price::{AbnormallyLowTest, PriceDef};

/// Calendar days the bidder is given to reply, counted from the letter's date. Not set by the
/// regulations (they require a request "in writing"); the template states it, so a buyer who
/// gives a different period edits one line.
pub const REPLY_DAYS: i64 = 10;

/// What the request tells the bidder.
#[derive(Clone, Debug, Default, Serialize)]
pub struct AbnormallyLowInfo {
    /// The bid's whole-life cost, formatted (£1,234.00).
    pub price: String,
    /// What it was compared with, in words, with the figure.
    pub compared_with: String,
    /// How far below that figure the bid is, in percent (two decimals).
    pub below_percent: String,
    /// The test that flagged it, in words.
    pub test: String,
    /// The date the explanation is due (YYYY-MM-DD).
    pub reply_by: String,
}

/// The request for bid `b`: `costs` are the bids' whole-life costs, `qualifying` which of them
/// pass, as the test compared them.
pub fn info(p: &PriceDef, costs: &[Option<f64>], qualifying: &[bool], b: usize, date: chrono::NaiveDate) -> Option<AbnormallyLowInfo> {
    let own = costs.get(b).copied().flatten()?;
    let figure = p.abnormally_low_reference(costs, qualifying, b)?;
    let what = match p.abnormally_low {
        AbnormallyLowTest::BelowMean => "the mean whole-life cost of the other compliant tenders",
        AbnormallyLowTest::ConstructionHandbook => "the average of the compliant tenders leaving out the highest",
    };
    Some(AbnormallyLowInfo {
        price: fmt_money(own),
        compared_with: format!("{what} ({})", fmt_money(figure)),
        below_percent: format!("{:.2}", (figure - own) / figure * 100.0),
        test: format!("a tender {}", p.abnormally_low_rule()),
        reply_by: (date + chrono::Duration::days(REPLY_DAYS)).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_states_the_comparison_worked_by_hand() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let all = [true; 4];
        let mean = PriceDef::default();
        // 700,000 against the mean of 1,020,000 and 1,300,000 (1,160,000): 39.66% below.
        let i = info(&mean, &[Some(1_020_000.0), Some(1_300_000.0), Some(700_000.0), None], &all, 2, date).unwrap();
        assert_eq!(i.price, "£700,000.00");
        assert_eq!(i.compared_with, "the mean whole-life cost of the other compliant tenders (£1,160,000.00)");
        assert_eq!(i.below_percent, "39.66");
        assert_eq!(i.reply_by, "2026-12-11");
        assert_eq!(i.test, "a tender more than 15% below the mean of the other tenders that pass");
        // The handbook: the average without the highest (1,300,000) is 860,000: 18.60% below.
        let handbook = PriceDef { abnormally_low: AbnormallyLowTest::ConstructionHandbook, ..PriceDef::default() };
        let i = info(&handbook, &[Some(1_020_000.0), Some(1_300_000.0), Some(700_000.0)], &all, 2, date).unwrap();
        assert_eq!(
            (i.compared_with.as_str(), i.below_percent.as_str()),
            ("the average of the compliant tenders leaving out the highest (£860,000.00)", "18.60")
        );
        // Alone, nothing to compare with; a bid that fails is not compared.
        assert!(info(&mean, &[Some(1.0), None], &all, 0, date).is_none());
        assert!(info(&mean, &[Some(1.0), Some(2.0), Some(3.0)], &[false, true, true], 0, date).is_none());
    }
}
