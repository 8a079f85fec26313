//! The tender definition: what the buyer decided before publishing (guidance, "Publication of
//! Criteria": the advertised criteria and weightings must not change afterwards). One definition
//! drives the matrix, the notice text and the letters.

use serde::{Deserialize, Serialize};

use crate::domain::matrix::{Bid, Cost, CostComponent, Criterion, Entry, Matrix, Section, Split};
use crate::domain::{Commodity, Scale, ScalePoint};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tender {
    pub title: String,
    pub reference: String,
    #[serde(default)]
    pub organisation: Option<String>,
    /// Estimated contract value, in pounds.
    #[serde(default)]
    pub estimated_value: Option<f64>,
    #[serde(default)]
    pub commodity: Option<Commodity>,
    /// Price share of the price:quality split, in percent.
    pub price_weight: f64,
    /// Quality share of the price:quality split, in percent.
    pub quality_weight: f64,
    #[serde(default)]
    pub scale: ScaleSpec,
    /// A minimum standard for quality as a whole: bids scoring below this (out of 100) fail.
    #[serde(default)]
    pub minimum_quality: Option<f64>,
    pub sections: Vec<SectionDef>,
    #[serde(default)]
    pub bidders: Vec<BidderDef>,
}

/// How a tender file names its scale: `"0-4"`, `"0-100"`, `"0-N"`, or its points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ScaleSpec {
    Named(String),
    Points { points: Vec<ScalePoint> },
}

impl Default for ScaleSpec {
    fn default() -> Self {
        ScaleSpec::Named("0-4".into())
    }
}

impl ScaleSpec {
    pub fn scale(&self) -> Result<Scale, String> {
        match self {
            ScaleSpec::Named(name) => Scale::parse(name),
            ScaleSpec::Points { points } => Scale::new(points.clone()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    pub name: String,
    /// Weighting within quality, in percent.
    pub weight: f64,
    pub criteria: Vec<CriterionDef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionDef {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    /// Weighting within its section, in percent.
    pub weight: f64,
    /// The lowest score (on the tender's scale) that passes; a bid scoring below it fails.
    #[serde(default)]
    pub pass_mark: Option<f64>,
    /// What a response must show to pass, as published to bidders.
    #[serde(default)]
    pub minimum_standard: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BidderDef {
    pub name: String,
}

impl Tender {
    /// An empty matrix for this tender: every score and cost still to be entered.
    pub fn matrix(&self) -> Result<Matrix, String> {
        let sections: Vec<Section> = self
            .sections
            .iter()
            .map(|s| Section {
                name: s.name.clone(),
                weight: s.weight.into(),
                criteria: s
                    .criteria
                    .iter()
                    .map(|c| Criterion {
                        reference: c.reference.clone(),
                        title: c.title.clone(),
                        weight: c.weight.into(),
                        pass_mark: c.pass_mark.into(),
                    })
                    .collect(),
            })
            .collect();
        let n: usize = sections.iter().map(|s| s.criteria.len()).sum();
        let bids = self
            .bidders
            .iter()
            .map(|b| Bid {
                bidder: b.name.clone(),
                scores: vec![Entry::Empty; n],
                costs: [CostComponent::Acquisition, CostComponent::Operating, CostComponent::EndOfLife]
                    .into_iter()
                    .map(|component| Cost { component, amount: Entry::Empty })
                    .collect(),
            })
            .collect();
        Ok(Matrix {
            sections,
            bids,
            split: Split { price: self.price_weight.into(), quality: self.quality_weight.into() },
            scale: self.scale.scale()?,
            commodity: self.commodity,
            minimum_quality: self.minimum_quality.into(),
        })
    }
}
