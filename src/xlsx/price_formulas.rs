//! The Price sheet's formulas for each price method (`domain::price` states the methods): each
//! computes in the same order as the Rust code, so LibreOffice's recalculation agrees with the
//! cached figures to 1e-9, and takes its parameters from named cells on the Tender sheet.

use crate::domain::price::{AbnormallyLowTest, Method, PriceDef};

/// The named parameter cells, with their labels, in the order the Tender sheet shows them.
pub const PARAMETERS: [(&str, &str); 8] = [
    ("PriceMeanScore", "Mean scores (% of the price weighting)"),
    ("PriceMarksPerPercent", "Marks per 1% from the mean (% of the weighting)"),
    ("PriceBudget", "Budget: the price that scores 0 (£)"),
    ("PriceRate", "Marks lost per % above the lowest"),
    ("PriceRateBeyond", "Marks lost per % beyond the inflection"),
    ("PriceInflectionMargin", "Point of inflection: median plus (%)"),
    ("AbnormallyLowPercent", "Abnormally low: % below the mean of the others"),
    ("AbnormallyLowTest", "Abnormally low test"),
];

/// The value each named number parameter holds for `p` (`None` for `PriceBudget` when there is
/// no budget, and for the test, which is text).
pub fn parameter(p: &PriceDef, name: &str) -> Option<f64> {
    let mut copy = p.clone();
    match name {
        "PriceBudget" => p.budget,
        _ => field(&mut copy, name).map(|f| *f),
    }
}

/// Sets the named number parameter of `p` to `value`, as read back from the workbook.
pub fn set(p: &mut PriceDef, name: &str, value: f64) {
    match name {
        "PriceBudget" => p.budget = Some(value),
        _ => {
            if let Some(f) = field(p, name) {
                *f = value;
            }
        }
    }
}

fn field<'a>(p: &'a mut PriceDef, name: &str) -> Option<&'a mut f64> {
    Some(match name {
        "PriceMeanScore" => &mut p.mean_score,
        "PriceMarksPerPercent" => &mut p.marks_per_percent,
        "PriceRate" => &mut p.rate,
        "PriceRateBeyond" => &mut p.rate_beyond,
        "PriceInflectionMargin" => &mut p.inflection_margin,
        "AbnormallyLowPercent" => &mut p.abnormally_low_percent,
        _ => return None,
    })
}

/// Whether the Tender sheet shows the named parameter: the ones the method's formula and the
/// abnormally-low test use.
pub fn shown(p: &PriceDef, name: &str) -> bool {
    let by_method: &[&str] = match p.method {
        Method::LowestOverBid | Method::CostPerQualityPoint => &[],
        Method::RelativeToMean => &["PriceMeanScore", "PriceMarksPerPercent"],
        Method::Linear => &["PriceBudget"],
        Method::Graduated => &["PriceRate", "PriceRateBeyond", "PriceInflectionMargin"],
    };
    by_method.contains(&name)
        || name == "AbnormallyLowTest"
        || (name == "AbnormallyLowPercent" && p.abnormally_low.uses_percent())
}

/// The Price sheet's columns: A bidder, B-D costs, E whole-life cost, F price score, G the
/// whole-life cost of bids that pass, H abnormally low, I the costs the median is taken over.
pub struct Rows {
    pub first: u32,
    pub last: u32,
}

impl Rows {
    fn range(&self, col: char) -> String {
        format!("${col}${}:${col}${}", self.first, self.last)
    }

    /// Row `row`'s price score (for cost per quality point, its cost per point).
    pub fn score(&self, p: &PriceDef, row: u32) -> String {
        let g = self.range('G');
        let low = format!("MIN({g})");
        let blank = format!("OR(E{row}=\"\",Summary!H{row}=\"Fail\")");
        let score = match p.method {
            Method::LowestOverBid => format!("{low}/E{row}*PriceWeight"),
            Method::RelativeToMean => format!(
                "MAX(0,MIN(PriceWeight,PriceWeight*PriceMeanScore/100-PriceWeight*PriceMarksPerPercent/100*((E{row}-AVERAGE({g}))/AVERAGE({g})*100)))"
            ),
            // As `PriceDef::scores`: a budget at or below the lowest bid scores every bid 0.
            Method::Linear => {
                let line = |ceiling: &str| format!("MAX(0,MIN(PriceWeight,PriceWeight*({ceiling}-E{row})/({ceiling}-{low})))");
                format!(
                    "IF(ISNUMBER(PriceBudget),IF(PriceBudget<={low},0,{}),IF(MAX({g})={low},PriceWeight,{}))",
                    line("PriceBudget"),
                    line(&format!("MAX({g})"))
                )
            }
            Method::Graduated => {
                let point = format!("IFERROR(MEDIAN({}),MEDIAN({g}))*(1+PriceInflectionMargin/100)", self.range('I'));
                let above = format!("(E{row}-{low})/{low}*100");
                let to_point = format!("MAX(0,({point}-{low})/{low}*100)");
                format!("MAX(0,100-PriceRate*MIN({above},{to_point})-PriceRateBeyond*MAX(0,{above}-{to_point}))/100*PriceWeight")
            }
            Method::CostPerQualityPoint => {
                return format!("IF(OR({blank},N(Summary!B{row})<=0),\"\",E{row}/Summary!B{row})");
            }
        };
        format!("IF({blank},\"\",{score})")
    }

    /// Row `row` is flagged abnormally low ("Yes"/"No"), by the tender's test.
    pub fn abnormally_low(&self, p: &PriceDef, row: u32) -> String {
        let g = self.range('G');
        // The lowest qualifying price: the lowest cost not below the boundary (SMALL after those
        // below it; ISNUMBER leaves out the blank of a bid that fails).
        let proximity = |boundary: &str| format!("G{row}<SMALL({g},SUMPRODUCT(ISNUMBER({g})*({g}<{boundary}))+1)*0.99");
        let test = match p.abnormally_low {
            AbnormallyLowTest::BelowMedian => {
                let boundary = format!("MEDIAN({g})*(1-AbnormallyLowPercent/100)");
                format!("AND(G{row}<{boundary},{})", proximity(&boundary))
            }
            AbnormallyLowTest::BelowMean => format!("G{row}<(SUM({g})-G{row})/(COUNT({g})-1)*(1-AbnormallyLowPercent/100)"),
            AbnormallyLowTest::ConstructionHandbook => {
                let boundary = format!("(SUM({g})-MAX({g}))/(COUNT({g})-1)*0.85");
                format!("AND(G{row}<{boundary},{})", proximity(&boundary))
            }
        };
        format!("IF(OR(G{row}=\"\",COUNT({g})<2),\"No\",IF({test},\"Yes\",\"No\"))")
    }

    /// Row `row`'s cost, where it counts towards the graduated method's median.
    pub fn for_median(&self, row: u32) -> String {
        format!("IF(OR(G{row}=\"\",H{row}=\"Yes\"),\"\",G{row})")
    }
}
