//! Money as buyers write it.

/// `£1,234.56`; negative amounts as `-£50.00`.
pub fn fmt_money(amount: f64) -> String {
    let pence = (amount.abs() * 100.0).round() as u128;
    let (pounds, pence) = (pence / 100, pence % 100);
    let digits = pounds.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if amount < 0.0 && (pounds > 0 || pence > 0) { "-" } else { "" };
    format!("{sign}£{grouped}.{pence:02}")
}

#[cfg(test)]
mod tests {
    use super::fmt_money;

    #[test]
    fn money_is_grouped_and_rounded_to_pence() {
        assert_eq!(fmt_money(1234.56), "£1,234.56");
        assert_eq!(fmt_money(0.0), "£0.00");
        assert_eq!(fmt_money(1_000_000.0), "£1,000,000.00");
        assert_eq!(fmt_money(999.999), "£1,000.00");
        assert_eq!(fmt_money(-50.0), "-£50.00");
        assert_eq!(fmt_money(12.5), "£12.50");
    }
}
