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

/// The value each named parameter holds for `p`.
pub fn parameter(p: &PriceDef, name: &str) -> Option<f64> {
    match name {
        "PriceMeanScore" => Some(p.mean_score),
        "PriceMarksPerPercent" => Some(p.marks_per_percent),
        "PriceBudget" => p.budget,
        "PriceRate" => Some(p.rate),
        "PriceRateBeyond" => Some(p.rate_beyond),
        "PriceInflectionMargin" => Some(p.inflection_margin),
        "AbnormallyLowPercent" => Some(p.abnormally_low_percent),
        _ => None,
    }
}

pub fn test_name(t: AbnormallyLowTest) -> &'static str {
    match t {
        AbnormallyLowTest::BelowMean => "below-mean",
        AbnormallyLowTest::ConstructionHandbook => "construction-handbook",
    }
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
            Method::Linear => {
                let ceiling = format!("IF(ISNUMBER(PriceBudget),PriceBudget,MAX({g}))");
                format!("IF({ceiling}={low},PriceWeight,MAX(0,MIN(PriceWeight,PriceWeight*({ceiling}-E{row})/({ceiling}-{low}))))")
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
        let test = match p.abnormally_low {
            AbnormallyLowTest::BelowMean => format!("G{row}<(SUM({g})-G{row})/(COUNT({g})-1)*(1-AbnormallyLowPercent/100)"),
            AbnormallyLowTest::ConstructionHandbook => format!(
                "AND(G{row}<(SUM({g})-MAX({g}))/(COUNT({g})-1)*0.85,G{row}<IF(G{row}=MIN({g}),SMALL({g},2),MIN({g}))*0.99)"
            ),
        };
        format!("IF(OR(G{row}=\"\",COUNT({g})<2),\"No\",IF({test},\"Yes\",\"No\"))")
    }

    /// Row `row`'s cost, where it counts towards the graduated method's median.
    pub fn for_median(&self, row: u32) -> String {
        format!("IF(OR(G{row}=\"\",H{row}=\"Yes\"),\"\",G{row})")
    }
}
