//! The tender definition: what the buyer decided before publishing (guidance, "Publication of
//! Criteria": the advertised criteria and weightings must not change afterwards). One definition
//! drives the matrix, the notice text and the letters.

use serde::{Deserialize, Serialize};

use crate::domain::matrix::{Bid, Cost, CostComponent, Criterion, Entry, Matrix, Section, Split};
use crate::domain::regime::Regime;
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
    /// The procurement procedure.
    #[serde(default)]
    pub procedure: Procedure,
    /// Whether the contract is above the GPA threshold (Route 3).
    #[serde(default)]
    pub above_threshold: bool,
    /// Goods, services or works: what experience examples may be asked for depends on it.
    #[serde(default)]
    pub contract_type: ContractType,
    /// The date tenders are due. (Exclusion periods are counted to the day the decision is made,
    /// not to this: see `exclusion`.)
    #[serde(default, deserialize_with = "crate::domain::date::deserialize_option")]
    pub tender_date: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub notice: NoticeOptions,
    #[serde(default)]
    pub selection: Selection,
    #[serde(default)]
    pub exclusion: ExclusionPolicy,
    /// The procurement law the tender is run under: `scotland-2015` (the default) or
    /// `procurement-act-2023`.
    #[serde(default)]
    pub regime: Regime,
    /// Procurement Act 2023: the buyer is a devolved Welsh authority, so the Procurement (Wales)
    /// Regulations 2024 (SI 2024/782) say what its assessment summaries give (reg 32) instead of
    /// the Procurement Regulations 2024 (reg 31).
    #[serde(default)]
    pub devolved_welsh_authority: bool,
    #[serde(default)]
    pub calendar: CalendarDef,
    /// Where the award criteria and how they are assessed are set out in full ("the Invitation
    /// to Tender, section 5"): an assessment summary that gives only their summary must say where
    /// (Procurement Regulations 2024, reg. 31(2)(d)(ii)).
    #[serde(default)]
    pub award_criteria_document: Option<String>,
    /// The organisation's prefix for Open Contracting IDs, registered with the Open Contracting
    /// Partnership ("ocds-xxxxxx"): `tenderkit ocds` builds the ocid from it and the reference.
    #[serde(default)]
    pub ocid_prefix: Option<String>,
    /// The sectors the subject falls in (the guidance's list of sectors vulnerable to Serious
    /// Organised Crime, or "other"): `tenderkit check` prompts accordingly.
    #[serde(default)]
    pub sectors: Vec<crate::domain::prompts::Sector>,
    #[serde(default)]
    pub digital: DigitalDef,
    /// The buyer's answers to `tenderkit check`'s prompts, by prompt id: where the tender
    /// addresses it, or why it does not apply.
    #[serde(default)]
    pub considered: std::collections::BTreeMap<String, String>,
    /// How price is scored (`[price] method = "..."` and its parameters).
    #[serde(default)]
    pub price: crate::domain::price::PriceDef,
}

/// What digital processing the contract involves (guidance, "Cyber Security / cyber
/// resilience"), and whether the subject is ICT.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigitalDef {
    /// Digital processing of information on the organisation's behalf.
    #[serde(default)]
    pub processing: bool,
    #[serde(default)]
    pub sensitive_information: bool,
    #[serde(default)]
    pub industrial_control: bool,
    /// Devices that communicate over the internet (telematics, sensors).
    #[serde(default)]
    pub connected_devices: bool,
    /// The subject is information and communications technology.
    #[serde(default)]
    pub ict: bool,
}

impl DigitalDef {
    pub fn involved(&self) -> Vec<crate::domain::prompts::Digital> {
        use crate::domain::prompts::Digital;
        [
            (self.processing, Digital::Processing),
            (self.sensitive_information, Digital::SensitiveInformation),
            (self.industrial_control, Digital::IndustrialControl),
            (self.connected_devices, Digital::ConnectedDevices),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, d)| d)
        .collect()
    }
}

/// A cyber security requirement in the selection criteria (SPD).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cyber {
    /// What bidders must hold or show: "Cyber Essentials Plus".
    pub requirement: String,
    /// Why it is proportionate to the contract's risk.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The buyer's own working-day calendar: days its offices are closed besides bank holidays.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarDef {
    #[serde(default, deserialize_with = "crate::domain::date::deserialize_list")]
    pub closed: Vec<chrono::NaiveDate>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Procedure {
    #[default]
    Open,
    Restricted,
    CompetitiveDialogue,
    CompetitiveProcedureWithNegotiation,
    InnovationPartnership,
}

impl Procedure {
    pub fn name(self) -> &'static str {
        match self {
            Procedure::Open => "open procedure",
            Procedure::Restricted => "restricted procedure",
            Procedure::CompetitiveDialogue => "competitive dialogue",
            Procedure::CompetitiveProcedureWithNegotiation => "competitive procedure with negotiation",
            Procedure::InnovationPartnership => "innovation partnership",
        }
    }

    /// The procedure's name under `regime`: the Procurement Act 2023 has the open procedure and the
    /// competitive flexible procedure (s.20), which the others are run as.
    pub fn name_under(self, regime: crate::domain::regime::Regime) -> &'static str {
        match (regime, self) {
            (crate::domain::regime::Regime::ProcurementAct2023, Procedure::Open) => "open procedure",
            (crate::domain::regime::Regime::ProcurementAct2023, _) => "competitive flexible procedure",
            _ => self.name(),
        }
    }

    /// The fewest candidates that may be invited after shortlisting (guidance, "How do I use
    /// Part V of the SPD?"): five for the restricted procedure, three for the others that
    /// shortlist; `None` where there is no shortlisting.
    pub fn minimum_invited(self) -> Option<u32> {
        match self {
            Procedure::Open => None,
            Procedure::Restricted => Some(5),
            _ => Some(3),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContractType {
    Goods,
    #[default]
    Services,
    Works,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Variants {
    #[default]
    NotAllowed,
    Allowed,
    Required,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lot {
    pub number: u32,
    pub title: String,
}

/// What the contract notice says about the procedure itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeOptions {
    /// How many candidates will be invited to tender (or taken forward) after shortlisting.
    #[serde(default)]
    pub shortlist: Option<u32>,
    #[serde(default)]
    pub variants: Variants,
    #[serde(default)]
    pub lots: Vec<Lot>,
    #[serde(default)]
    pub electronic_auction: bool,
    /// Reserved for supported businesses.
    #[serde(default)]
    pub reserved: bool,
}

/// Minimum general yearly turnover.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Turnover {
    pub minimum: f64,
    pub years: u32,
    /// Why more than twice the estimated value is needed, where it is.
    #[serde(default)]
    pub justification: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ratio {
    pub name: String,
    /// The requirement as bidders read it: "at least 1.2", "above 0".
    pub requirement: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InsuranceKind {
    EmployersLiability,
    PublicLiability,
    ProfessionalIndemnity,
    ProductLiability,
}

impl InsuranceKind {
    pub fn name(self) -> &'static str {
        match self {
            InsuranceKind::EmployersLiability => "Employer's (Compulsory) Liability Insurance",
            InsuranceKind::PublicLiability => "Public Liability Insurance",
            InsuranceKind::ProfessionalIndemnity => "Professional Indemnity Insurance",
            InsuranceKind::ProductLiability => "Product Liability Insurance",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Insurance {
    pub kind: InsuranceKind,
    pub minimum: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Experience {
    /// How many examples of previous work.
    pub examples: u32,
    /// From how many years back.
    pub years: u32,
    /// What the examples must show.
    pub description: String,
}

/// The SPD selection requirements the tender uses, with the buyer's minimums.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    #[serde(default)]
    pub turnover: Option<Turnover>,
    #[serde(default)]
    pub ratios: Vec<Ratio>,
    #[serde(default)]
    pub insurance: Vec<Insurance>,
    /// Professional or trade registers bidders must be on.
    #[serde(default)]
    pub registers: Vec<String>,
    #[serde(default)]
    pub experience: Option<Experience>,
    /// ISO 9001 or equivalent.
    #[serde(default)]
    pub quality_management: bool,
    #[serde(default)]
    pub health_and_safety: bool,
    /// ISO 14001 or equivalent.
    #[serde(default)]
    pub environmental_management: bool,
    /// Bidders may use a supply chain: SPD 4C.4 (prompt payment) is included.
    #[serde(default)]
    pub subcontracting: bool,
    #[serde(default)]
    pub cyber: Option<Cyber>,
}

/// Which exclusion grounds the tender asks about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusionPolicy {
    #[serde(default = "mandatory_questions")]
    pub mandatory: Vec<crate::domain::exclusion::MandatoryQuestion>,
    #[serde(default)]
    pub discretionary: Vec<crate::domain::exclusion::Ground>,
}

fn mandatory_questions() -> Vec<crate::domain::exclusion::MandatoryQuestion> {
    crate::domain::exclusion::MANDATORY_QUESTIONS.iter().map(|(q, _)| *q).collect()
}

impl Default for ExclusionPolicy {
    fn default() -> Self {
        ExclusionPolicy { mandatory: mandatory_questions(), discretionary: Vec::new() }
    }
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
    /// The outcome the criterion measures (guidance: define outcomes, not products).
    #[serde(default)]
    pub outcome: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BidderDef {
    pub name: String,
    /// Contact postal address, email and unique identifier (Companies House number, or the
    /// central digital platform's identifier): an assessment summary under the Procurement Act
    /// 2023 gives them for the successful supplier (Procurement Regulations 2024, reg. 31(2)(a)-(c)).
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub identifier: Option<String>,
}

impl Tender {
    /// The checks every command that publishes or generates from a tender definition runs first
    /// (`matrix new`, `notice`, `spd`, `letters`, `ocds`), so none publishes weightings that do not
    /// add up: the matrix rules a definition can break (weightings, split, scale, pass marks) and
    /// the selection requirements' proportionality. Bid counts are not among them: a notice is
    /// published before any bid comes in. `Err` when the scale itself cannot be read.
    pub fn check(&self) -> Result<Vec<crate::domain::Finding>, String> {
        use crate::domain::Rule;
        let m = self.matrix().map_err(|e| format!("scale: {e}"))?;
        let mut findings: Vec<_> = crate::domain::validate(&m, crate::domain::Stage::Draft)
            .into_iter()
            .filter(|f| !matches!(f.rule, Rule::NoBids | Rule::FewBids | Rule::SingleBid))
            .collect();
        findings.extend(crate::domain::selection::check(self));
        Ok(findings)
    }

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
                        lower_is_better: false,
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
            price: self.price.clone(),
        })
    }
}
