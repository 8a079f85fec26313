//! Money as buyers write it, in the currency of the tender (pounds unless the workbook's cost
//! cells or the tender file say otherwise).

use serde::{Deserialize, Serialize};

/// The currencies a workbook's number format or a tender file can name: ISO code and the symbol
/// printed before an amount.
pub const CURRENCIES: &[(&str, &str)] = &[("GBP", "£"), ("USD", "$"), ("EUR", "€"), ("CHF", "CHF "), ("JPY", "¥")];

/// The currency amounts are printed in: `[price] currency = "EUR"` in a tender or layout file, or
/// found in the number format of a workbook's cost cells. An index into [`CURRENCIES`]; pounds
/// (the first) by default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(usize);

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Currency::parse(&text).ok_or_else(|| {
            format!("unknown currency '{text}': one of {}", CURRENCIES.iter().map(|c| c.0).collect::<Vec<_>>().join(", "))
        })
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_string()
    }
}

impl Currency {
    /// By ISO code or symbol (`EUR`, `€`).
    pub fn parse(text: &str) -> Option<Currency> {
        let t = text.trim();
        CURRENCIES.iter().position(|(code, symbol)| code.eq_ignore_ascii_case(t) || symbol.trim() == t).map(Currency)
    }

    /// The first currency named in free text: an ISO code as a word of its own in capitals
    /// ("Cost/Unit (USD)") or a symbol ("Price (€)", "US$"); never a word that happens to spell a
    /// code ("Eur" in a sentence).
    pub fn find_in(text: &str) -> Option<Currency> {
        text.split(|c: char| !c.is_alphanumeric() && !is_symbol(c)).find_map(|word| {
            let code = word.len() == 3 && word.chars().all(|c| c.is_ascii_uppercase());
            if code && let Some(c) = Currency::parse(word) {
                return Some(c);
            }
            word.chars().filter(|&c| is_symbol(c)).find_map(|c| Currency::parse(c.encode_utf8(&mut [0; 4])))
        })
    }

    pub fn code(&self) -> &'static str {
        CURRENCIES[self.0].0
    }

    pub fn symbol(&self) -> &'static str {
        CURRENCIES[self.0].1
    }

    /// The spreadsheet number format for amounts (`£#,##0.00`, `"€"#,##0.00`).
    pub fn number_format(&self) -> String {
        match self.symbol() {
            "£" => "£#,##0.00".to_string(),
            s => format!("\"{s}\"#,##0.00"),
        }
    }

    /// `€1,234.56`; negative amounts as `-€50.00`.
    pub fn fmt(&self, amount: f64) -> String {
        grouped(amount, self.symbol())
    }
}

/// A currency symbol of [`CURRENCIES`] (one character).
pub fn is_symbol(c: char) -> bool {
    CURRENCIES.iter().any(|(_, symbol)| symbol.chars().count() == 1 && symbol.starts_with(c))
}

/// `£1,234.56`; negative amounts as `-£50.00`. Amounts the law states in pounds (the thresholds
/// and minimum insurance of a UK tender) are always pounds.
pub fn fmt_money(amount: f64) -> String {
    grouped(amount, "£")
}

fn grouped(amount: f64, symbol: &str) -> String {
    // Rounded as the workbook's currency format shows it (crate::domain::figure).
    let shown = super::figure::fixed(amount.abs(), 2);
    let (digits, pence) = shown.split_once('.').expect("two decimal places");
    let zero = shown.bytes().all(|b| b == b'0' || b == b'.');
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if amount < 0.0 && !zero { "-" } else { "" };
    format!("{sign}{symbol}{grouped}.{pence}")
}

#[cfg(test)]
mod tests {
    use super::{Currency, fmt_money};

    #[test]
    fn a_currency_is_found_in_text_by_code_or_symbol() {
        let find = |t: &str| Currency::find_in(t).map(|c| c.code());
        assert_eq!(find("Cost/Unit (USD)"), Some("USD"));
        assert_eq!(find("Price (€)"), Some("EUR"));
        assert_eq!(find("US$ per unit"), Some("USD"));
        assert_eq!(find("Preis in CHF"), Some("CHF"));
        assert_eq!(find("£#,##0.00"), Some("GBP"));
        // Words that spell a code are not one; nor is a heading with no currency.
        assert_eq!(find("Eur price"), None);
        assert_eq!(find("Usd"), None);
        assert_eq!(find("Total Cost"), None);
    }

    #[test]
    fn money_is_grouped_and_rounded_to_pence() {
        assert_eq!(fmt_money(1234.56), "£1,234.56");
        assert_eq!(fmt_money(0.0), "£0.00");
        assert_eq!(fmt_money(1_000_000.0), "£1,000,000.00");
        assert_eq!(fmt_money(999.999), "£1,000.00");
        assert_eq!(fmt_money(-50.0), "-£50.00");
        assert_eq!(fmt_money(12.5), "£12.50");
    }

    #[test]
    fn a_currency_is_named_by_code_or_symbol() {
        let euro = super::Currency::parse("€").unwrap();
        assert_eq!((euro.code(), euro.fmt(-1234.5)), ("EUR", "-€1,234.50".to_string()));
        assert_eq!(super::Currency::parse("usd").unwrap().fmt(115_750.0), "$115,750.00");
        assert_eq!(super::Currency::default().fmt(1.0), "£1.00");
        assert!(super::Currency::parse("XYZ").is_none());
    }
}
