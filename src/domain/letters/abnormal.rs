//! The request for an explanation of an abnormally low tender: the letter asks, it never rejects.
//!
//! Scotland 2015: the buyer must require the tenderer to explain the price or costs (reg 69(1)),
//! assess the explanation by consulting the tenderer (reg 69(3)), may reject only where the
//! explanation does not satisfactorily account for the low price (reg 69(4)), and must reject where
//! it has established that the price is abnormally low because the tender does not comply with
//! environmental, social or labour law (reg 69(5)). Procurement Act 2023: before disregarding a
//! tender whose price it considers abnormally low (s.19(3)(c)) the authority must notify the supplier
//! and give it a reasonable opportunity to show it can perform the contract for the price (s.19(4));
//! if it does, the tender may not be disregarded on that ground (s.19(5)).

use serde::Serialize;

use crate::domain::price::{AbnormallyLowTest, PriceDef};
use crate::domain::regime::Regime;

/// Calendar days the bidder is given to reply, counted from the letter's date. Not set by the
/// regulations (they require a request "in writing"); the template states it, so a buyer who
/// gives a different period edits one line.
pub const REPLY_DAYS: i64 = 10;

/// How the buyer handled an abnormally low tender, as the responses file records it
/// (`[[abnormally_low]]`): the evaluation report states it, and is not written without it.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handled {
    pub bidder: String,
    /// The day the explanation was assessed.
    #[serde(default, deserialize_with = "crate::domain::date::deserialize_option")]
    pub assessed: Option<chrono::NaiveDate>,
    /// `accepted`: the explanation accounts for the price; `rejected`: the tender is rejected.
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

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
    /// What the law requires of the buyer, in the regime's words, with its provisions.
    pub law: String,
    /// What happens after the reply, with its provisions.
    pub consequence: String,
}

/// The letter's statement of the law, and of what follows the reply (module docs).
pub fn law(regime: Regime) -> (&'static str, &'static str) {
    match regime {
        Regime::Scotland2015 => (
            "Regulation 69 of the Public Contracts (Scotland) Regulations 2015 requires us to ask you to explain the price or costs proposed in your tender (regulation 69(1)), and to assess your explanation by consulting you (regulation 69(3)).",
            "We may reject your tender only if your explanation and any evidence you supply do not satisfactorily account for the low price or costs (regulation 69(4)). We must reject it if we establish that it is abnormally low because it does not comply with obligations under environmental, social or labour law (regulation 69(5)).",
        ),
        Regime::ProcurementAct2023 => (
            "We consider the price of your tender to be abnormally low for the performance of the contract. Section 19(4) of the Procurement Act 2023 requires us to tell you so, and to give you a reasonable opportunity to demonstrate that you will be able to perform the contract for the price offered.",
            "If you demonstrate that to our satisfaction, we may not disregard your tender on this ground (section 19(5)); if you do not, we may disregard it (section 19(3)(c)).",
        ),
    }
}

/// The request for bid `b`: `costs` are the bids' whole-life costs, `qualifying` which of them
/// pass, as the test compared them.
pub fn info(
    p: &PriceDef,
    costs: &[Option<f64>],
    qualifying: &[bool],
    b: usize,
    date: chrono::NaiveDate,
    regime: Regime,
) -> Option<AbnormallyLowInfo> {
    let own = costs.get(b).copied().flatten()?;
    let figure = p.abnormally_low_reference(costs, qualifying, b)?;
    let what = match p.abnormally_low {
        AbnormallyLowTest::BelowMedian => "the median whole-life cost of the compliant tenders",
        AbnormallyLowTest::BelowMean => "the mean whole-life cost of the other compliant tenders",
        AbnormallyLowTest::ConstructionHandbook => "the average of the compliant tenders leaving out the highest",
    };
    Some(AbnormallyLowInfo {
        price: p.currency.fmt(own),
        compared_with: format!("{what} ({})", p.currency.fmt(figure)),
        below_percent: crate::domain::figure::fixed((figure - own) / figure * 100.0, 2),
        test: format!("a tender {}", p.abnormally_low_rule()),
        reply_by: (date + chrono::Duration::days(REPLY_DAYS)).to_string(),
        law: law(regime).0.to_string(),
        consequence: law(regime).1.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_states_the_comparison_worked_by_hand() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let all = [true; 4];
        let mean = PriceDef { abnormally_low: AbnormallyLowTest::BelowMean, ..PriceDef::default() };
        // 700,000 against the mean of 1,020,000 and 1,300,000 (1,160,000): 39.66% below.
        let i = info(&mean, &[Some(1_020_000.0), Some(1_300_000.0), Some(700_000.0), None], &all, 2, date, Regime::Scotland2015).unwrap();
        assert_eq!(i.price, "£700,000.00");
        assert_eq!(i.compared_with, "the mean whole-life cost of the other compliant tenders (£1,160,000.00)");
        assert_eq!(i.below_percent, "39.66");
        assert_eq!(i.reply_by, "2026-12-11");
        assert_eq!(i.test, "a tender more than 15% below the mean of the other tenders that pass");
        // Issue 26 item 12: the law, as each regime has it.
        assert!(
            i.law.contains("(regulation 69(1))")
                && i.consequence.contains("(regulation 69(4))")
                && i.consequence.contains("(regulation 69(5))")
        );
        let act =
            info(&mean, &[Some(1_020_000.0), Some(1_300_000.0), Some(700_000.0)], &all[..3], 2, date, Regime::ProcurementAct2023).unwrap();
        assert!(
            act.law.contains("Section 19(4)")
                && act.consequence.contains("(section 19(5))")
                && act.consequence.contains("(section 19(3)(c))")
        );
        assert!(!format!("{}{}", act.law, act.consequence).contains("34"));
        // The handbook: the average without the highest (1,300,000) is 860,000: 18.60% below.
        let handbook = PriceDef { abnormally_low: AbnormallyLowTest::ConstructionHandbook, ..PriceDef::default() };
        let i = info(&handbook, &[Some(1_020_000.0), Some(1_300_000.0), Some(700_000.0)], &all, 2, date, Regime::Scotland2015).unwrap();
        assert_eq!(
            (i.compared_with.as_str(), i.below_percent.as_str()),
            ("the average of the compliant tenders leaving out the highest (£860,000.00)", "18.60")
        );
        // The default: the median of 700,000, 1,020,000, 1,300,000 is 1,020,000: 31.37% below.
        let i = info(&PriceDef::default(), &[Some(1_020_000.0), Some(1_300_000.0), Some(700_000.0)], &all, 2, date, Regime::Scotland2015)
            .unwrap();
        assert_eq!(
            (i.compared_with.as_str(), i.below_percent.as_str()),
            ("the median whole-life cost of the compliant tenders (£1,020,000.00)", "31.37")
        );
        // Alone, nothing to compare with; a bid that fails is not compared.
        assert!(info(&mean, &[Some(1.0), None], &all, 0, date, Regime::Scotland2015).is_none());
        assert!(info(&mean, &[Some(1.0), Some(2.0), Some(3.0)], &[false, true, true], 0, date, Regime::Scotland2015).is_none());
    }
}
