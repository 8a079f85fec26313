//! What the contract notice and the SPD statements say, built from the tender definition alone,
//! so the published weightings can never differ from the matrix's (guidance, "Publication of
//! Criteria": the advertised criteria and weightings must not change once notified).

use serde::Serialize;

use crate::domain::exclusion::{Standing, all_grounds};
use crate::domain::finding::{Finding, Rule, Subject};
use crate::domain::letters::{Contact, Evaluation, StandstillInfo, contact};
use crate::domain::matrix::{Entry, Matrix};
use crate::domain::regime::Regime;
use crate::domain::scale::fmt_number;
use crate::domain::standstill::Standstill;
use crate::domain::tender::{Lot, Tender, Variants};

#[derive(Clone, Debug, Serialize)]
pub struct NoticeCriterion {
    pub reference: String,
    pub title: String,
    /// Weighting within its section.
    pub weight: f64,
    /// Share of the quality score: section weight x weight / 100.
    pub overall: f64,
    pub pass_mark: Option<f64>,
    pub minimum_standard: Option<String>,
    /// The outcome the criterion measures, where the tender states it.
    pub outcome: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct NoticeSection {
    pub name: String,
    pub weight: f64,
    pub criteria: Vec<NoticeCriterion>,
}

#[derive(Clone, Debug, Serialize)]
pub struct NoticePoint {
    pub value: f64,
    pub descriptor: String,
    pub meaning: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Shortlist {
    pub invite: u32,
    pub minimum: u32,
}

/// Everything the notice template can use.
#[derive(Clone, Debug, Serialize)]
pub struct NoticeContext {
    pub title: String,
    pub reference: String,
    pub organisation: String,
    pub price_weight: f64,
    /// How price is scored, in words.
    pub price_rule: String,
    pub quality_weight: f64,
    pub sections: Vec<NoticeSection>,
    pub scale: Vec<NoticePoint>,
    pub scale_max: f64,
    pub has_minimum_standards: bool,
    pub pass_marks: Vec<NoticeCriterion>,
    pub minimum_quality: Option<f64>,
    pub procedure: String,
    pub shortlist: Option<Shortlist>,
    pub variants_allowed: bool,
    pub variants_required: bool,
    pub lots: Vec<Lot>,
    pub electronic_auction: bool,
    pub reserved: bool,
    pub above_threshold: bool,
    pub mandatory_grounds: Vec<String>,
    pub discretionary_grounds: Vec<String>,
    /// Under the Procurement Act 2023.
    pub act: bool,
    /// What the contract is awarded to: the most economically advantageous tender (Scotland
    /// 2015), or the most advantageous tender (the Act, s.19).
    pub award_basis: String,
    /// The open procedure (under the Act, every other procedure is the competitive flexible one).
    pub open: bool,
}

/// What a contract award notice says: the notice's own fields, and the award.
#[derive(Clone, Debug, Serialize)]
pub struct AwardNotice {
    #[serde(flatten)]
    pub notice: NoticeContext,
    pub supplier: Contact,
    /// The successful tender's whole-life cost, in pounds.
    pub value: f64,
    /// Tenders in the matrix, and those assessed (scored and not disqualified before assessment).
    pub bids: usize,
    pub assessed: usize,
    pub standstill: Option<StandstillInfo>,
}

/// The award notice for an evaluation with a single most advantageous tender; `Err` says why
/// there is none.
pub fn award_notice(e: &Evaluation, standstill: Option<&Standstill>) -> Result<AwardNotice, String> {
    let w = e.winner().ok_or_else(|| match e.ranking.meat.len() {
        0 => "no bid passes, so there is no award to publish".to_string(),
        _ => "the ranking has a tie for first place: resolve it by the method published before the award notice".to_string(),
    })?;
    let notice = context(e.tender)?;
    Ok(AwardNotice {
        notice,
        supplier: contact(e.tender, &e.matrix.bids[w].bidder),
        value: e.figures.bids[w].whole_life_cost.unwrap_or(0.0),
        bids: e.matrix.bids.len(),
        assessed: e.ranking.standings.len() + e.ranking.failed.len(),
        standstill: standstill.map(StandstillInfo::from),
    })
}

pub fn context(t: &Tender) -> Result<NoticeContext, String> {
    let scale = t.scale.scale()?;
    let sections: Vec<NoticeSection> = t
        .sections
        .iter()
        .map(|s| NoticeSection {
            name: s.name.clone(),
            weight: s.weight,
            criteria: s
                .criteria
                .iter()
                .map(|c| NoticeCriterion {
                    reference: c.reference.clone(),
                    title: c.title.clone(),
                    weight: c.weight,
                    overall: s.weight * c.weight / 100.0,
                    pass_mark: c.pass_mark,
                    minimum_standard: c.minimum_standard.clone(),
                    outcome: c.outcome.clone(),
                })
                .collect(),
        })
        .collect();
    let pass_marks: Vec<NoticeCriterion> =
        sections.iter().flat_map(|s| s.criteria.iter()).filter(|c| c.pass_mark.is_some()).cloned().collect();
    // The mandatory grounds of the tender's regime: in Scotland, those the tender asks about (it
    // must ask all three questions: the tender checks say so); under the Act, all of them.
    let below = !t.above_threshold;
    let mandatory_grounds = all_grounds()
        .filter(|g| g.standing(t.regime, below) == Standing::Mandatory)
        .filter(|g| t.regime == Regime::ProcurementAct2023 || g.question().is_some_and(|q| t.exclusion.mandatory.contains(&q)))
        .map(|g| g.name().to_string())
        .collect();
    // Scotland: the discretionary grounds the tender applies. The Act: every ground of Schedule 7,
    // which the authority must consider (s.26(2)(a)).
    let discretionary_grounds = all_grounds()
        .filter(|g| g.standing(t.regime, below) == Standing::Discretionary)
        .filter(|g| t.regime == Regime::ProcurementAct2023 || t.exclusion.discretionary.contains(g))
        .map(|g| g.name().to_string())
        .collect();
    Ok(NoticeContext {
        title: t.title.clone(),
        reference: t.reference.clone(),
        organisation: t.organisation.clone().unwrap_or_default(),
        price_weight: t.price_weight,
        price_rule: crate::domain::scoring::price_rule(&t.price, t.price_weight),
        quality_weight: t.quality_weight,
        sections,
        scale: scale
            .points()
            .iter()
            .map(|p| NoticePoint { value: p.value, descriptor: p.descriptor.clone(), meaning: p.meaning.clone() })
            .collect(),
        scale_max: scale.max(),
        has_minimum_standards: !pass_marks.is_empty() || t.minimum_quality.is_some(),
        pass_marks,
        minimum_quality: t.minimum_quality,
        procedure: t.procedure.name_under(t.regime).to_string(),
        shortlist: t.procedure.minimum_invited().zip(t.notice.shortlist).map(|(minimum, invite)| Shortlist { invite, minimum }),
        variants_allowed: t.notice.variants != Variants::NotAllowed,
        variants_required: t.notice.variants == Variants::Required,
        lots: t.notice.lots.clone(),
        electronic_auction: t.notice.electronic_auction,
        reserved: t.notice.reserved,
        above_threshold: t.above_threshold,
        mandatory_grounds,
        discretionary_grounds,
        act: t.regime == Regime::ProcurementAct2023,
        award_basis: match t.regime {
            Regime::Scotland2015 => "most economically advantageous tender",
            Regime::ProcurementAct2023 => "most advantageous tender",
        }
        .into(),
        open: t.procedure == crate::domain::tender::Procedure::Open,
    })
}

/// Every difference between the published tender's criteria and a workbook's: a workbook whose
/// weightings, pass marks, split or scale were changed after publication is caught.
pub fn compare(published: &Matrix, workbook: &Matrix) -> Vec<Finding> {
    let mut out = Vec::new();
    let differ = |a: &Entry, b: &Entry| match (a.number(), b.number()) {
        (Some(x), Some(y)) => (x - y).abs() > 1e-9,
        _ => a != b,
    };
    let show = |e: &Entry| match e {
        Entry::Number(n) => fmt_number(*n),
        Entry::Empty => "none".into(),
        Entry::Text(t) => format!("'{t}'"),
    };
    let changed = |subject: Subject, what: String, ours: &Entry, theirs: &Entry| {
        Finding::error(
            Rule::ChangedAfterPublication,
            subject,
            format!("{what} is {} in the workbook but {} in the published tender", show(theirs), show(ours)),
            "published criteria and weightings must not change: restore the published value, or correct the tender definition if it was mistyped",
        )
    };
    for (what, subject, a, b) in [
        ("the price weighting", Subject::PriceWeight, &published.split.price, &workbook.split.price),
        ("the quality weighting", Subject::QualityWeight, &published.split.quality, &workbook.split.quality),
        ("the minimum quality score", Subject::MinimumQuality, &published.minimum_quality, &workbook.minimum_quality),
    ] {
        if differ(a, b) {
            out.push(changed(subject, what.into(), a, b));
        }
    }
    if published.scale.values_text() != workbook.scale.values_text() {
        out.push(Finding::error(
            Rule::ChangedAfterPublication,
            Subject::Criteria,
            format!("the workbook scores on {} but the published scale is {}", workbook.scale.values_text(), published.scale.values_text()),
            "use the published scale (tenderkit rescale can move the workbook back to it)",
        ));
    }
    let key = |r: &str| r.trim().to_lowercase();
    let theirs: Vec<(usize, usize, &crate::domain::Criterion)> = workbook.criteria().enumerate().map(|(i, (s, c))| (i, s, c)).collect();
    for section in &published.sections {
        match workbook.sections.iter().position(|x| key(&x.name) == key(&section.name)) {
            Some(ws) if differ(&section.weight, &workbook.sections[ws].weight) => {
                out.push(changed(
                    Subject::SectionWeight { section: ws },
                    format!("section '{}' weighting", section.name),
                    &section.weight,
                    &workbook.sections[ws].weight,
                ));
            }
            Some(_) => {}
            None if published.sections.len() > 1 || workbook.sections.len() > 1 => out.push(Finding::error(
                Rule::ChangedAfterPublication,
                Subject::SectionWeights,
                format!("the published section '{}' is not in the workbook", section.name),
                "the workbook must have the published sections",
            )),
            None => {}
        }
    }
    for (_, c) in published.criteria() {
        match theirs.iter().find(|(_, _, w)| key(&w.reference) == key(&c.reference)) {
            None => out.push(Finding::error(
                Rule::ChangedAfterPublication,
                Subject::Criteria,
                format!("the published criterion {} '{}' is not in the workbook", c.reference, c.title),
                "the workbook must have every published criterion",
            )),
            Some((i, _, w)) => {
                if differ(&c.weight, &w.weight) {
                    out.push(changed(
                        Subject::CriterionWeight { criterion: *i },
                        format!("criterion {} weighting", c.reference),
                        &c.weight,
                        &w.weight,
                    ));
                }
                if differ(&c.pass_mark, &w.pass_mark) {
                    out.push(changed(
                        Subject::PassMark { criterion: *i },
                        format!("criterion {} pass mark", c.reference),
                        &c.pass_mark,
                        &w.pass_mark,
                    ));
                }
            }
        }
    }
    for (i, _, w) in &theirs {
        if !published.criteria().any(|(_, c)| key(&c.reference) == key(&w.reference)) {
            out.push(Finding::error(
                Rule::ChangedAfterPublication,
                Subject::Criterion { criterion: *i },
                format!("criterion {} '{}' is in the workbook but was not published", w.reference, w.title),
                "only published criteria may be evaluated",
            ));
        }
    }
    out
}
