//! Figures written as the buyer's spreadsheet shows them. A weighted score of 76.125 is 76.13 in
//! the workbook's `0.00` cells: Excel and LibreOffice take the number to 15 significant digits
//! and round half away from zero. Rust's `{:.2}` rounds the binary value half to even (76.12),
//! so a letter would tell a bidder a different score from the matrix it was written from. The
//! formula evaluator's `TEXT(n, "0.00")` rounds with the same function.

use std::fmt;

/// `x` to `dp` decimal places as a spreadsheet shows it (see the module's comment).
pub fn fixed(x: f64, dp: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    // 15 significant digits, d.dddddddddddddde±N: the value is 0.d1d2...d15 x 10^(N+1).
    let sci = format!("{:.14e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').expect("scientific notation");
    let exp: i64 = exp.parse().expect("an exponent");
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
    // How many of those digits come before the cut (negative: the cut is above the first).
    let keep = exp + 1 + dp as i64;
    let mut kept: Vec<u8> = (0..keep.max(0)).map(|i| digits.get(i as usize).copied().unwrap_or(0)).collect();
    let next = if keep < 0 { 0 } else { digits.get(keep as usize).copied().unwrap_or(0) };
    if next >= 5 {
        // Half away from zero, carried leftwards.
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, 1);
                break;
            }
            i -= 1;
            if kept[i] == 9 {
                kept[i] = 0;
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    // At least one digit before the point.
    while kept.len() < dp + 1 {
        kept.insert(0, 0);
    }
    let split = kept.len() - dp;
    let text = |d: &[u8]| d.iter().map(|&x| char::from(b'0' + x)).collect::<String>();
    let (whole, frac) = (text(&kept[..split]), text(&kept[split..]));
    let sign = if x < 0.0 && kept.iter().any(|&d| d != 0) { "-" } else { "" };
    if dp == 0 { format!("{sign}{whole}") } else { format!("{sign}{whole}.{frac}") }
}

/// A figure to two decimal places as a spreadsheet shows it, for `format!` (padding and
/// alignment apply: `{:>7}`).
#[derive(Clone, Copy, Debug)]
pub struct Two(pub f64);

impl fmt::Display for Two {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&fixed(self.0, 2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_as_a_spreadsheet_shows() {
        for (x, dp, want) in [
            (76.125, 2, "76.13"),
            (38.0625, 2, "38.06"),
            (0.125, 2, "0.13"),
            (-0.125, 2, "-0.13"),
            (2.5, 0, "3"),
            (1.005, 2, "1.01"),
            (99.995, 2, "100.00"),
            (9.995, 2, "10.00"),
            (0.005, 2, "0.01"),
            (0.0049, 2, "0.00"),
            (0.004999, 2, "0.00"),
            (1234.5, 0, "1235"),
            (-2.675, 2, "-2.68"),
            (-0.001, 2, "0.00"),
            (0.0, 2, "0.00"),
            (100.0, 2, "100.00"),
            (73.25, 2, "73.25"),
            (1234567.891, 2, "1234567.89"),
            (1e-20, 2, "0.00"),
            (5e-3, 1, "0.0"),
            (0.05, 1, "0.1"),
            (74.99999999999999, 2, "75.00"),
            (49.999999999999986, 2, "50.00"),
        ] {
            assert_eq!(fixed(x, dp), want, "{x} to {dp}");
        }
        assert_eq!(format!("[{:>7}]", Two(76.125)), "[  76.13]");
        assert_eq!(format!("{}", Two(f64::NAN)), "NaN");
    }

    /// Where no half is involved, the same as `{:.2}`.
    #[test]
    fn agrees_with_the_formatter_away_from_halves() {
        let mut x = -1000.0_f64;
        while x < 1000.0 {
            let third = x / 3.0;
            assert_eq!(fixed(third, 2), format!("{third:.2}"), "{third}");
            x += 0.37;
        }
    }
}
