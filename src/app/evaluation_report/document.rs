//! The evaluation report drawn from its [`Data`]: as text, and as the bundled Word document with
//! the ranking chart as a picture.

use crate::chart::{self, Bar, BarChart};
use crate::docx::write::{Document, Paragraph, Picture, Run, Table};
use crate::domain::standstill::{Standstill, weekday_long};

use super::{Data, FailedRow, Line, RankRow};

/// The chart in words: its alternative text, and the caption under it.
pub fn chart_words(ranking: &[RankRow], failed: &[FailedRow], per_point: bool) -> String {
    let bars: Vec<String> = ranking
        .iter()
        .map(|r| {
            if per_point {
                format!("{} {}: {} per quality point", r.rank, r.bidder, r.total)
            } else {
                format!("{} {}: {} (quality {}, price {})", r.rank, r.bidder, r.total, r.quality_weighted, r.price_score)
            }
        })
        .collect();
    let what = if per_point { "Whole-life cost per quality point, lowest first" } else { "Total score out of 100, quality part and price part" };
    let mut out = format!("{what}: {}.", bars.join("; "));
    if !failed.is_empty() {
        out += &format!(" Failed, not ranked: {}.", failed.iter().map(|f| f.bidder.as_str()).collect::<Vec<_>>().join(", "));
    }
    out
}

/// The standstill, as the report states it: the statutory period apart from the buyer's own wait.
pub fn standstill_words(s: &Standstill, info: &crate::domain::letters::StandstillInfo, sent_given: bool) -> String {
    let on = crate::domain::date::long(s.sent);
    let act = s.regime == crate::domain::regime::Regime::ProcurementAct2023;
    let from = match (act, sent_given) {
        (true, true) => format!("the contract award notice is published on {on}"),
        (true, false) => format!("the contract award notice is published on the date of this report, {on}"),
        (false, true) => format!("the award notices are sent on {on}"),
        (false, false) => format!("the award notices are sent on the date of this report, {on}"),
    };
    let mut out = format!(
        "{} If {from}, the period ends at {}, and the law allows the contract to be entered into from {}.",
        if s.statutory { format!("The standstill period: {}.", s.rule) } else { format!("No standstill is required by law; a voluntary standstill is observed, counted as {}.", s.rule) },
        s.ends_text(),
        weekday_long(s.contract_from)
    );
    if !info.own_wait.is_empty() {
        out += &format!(
            " Our own choice, not the law's: because {}, we will not enter into the contract before {}.",
            info.own_wait,
            weekday_long(info.enter_from.parse().unwrap_or(s.contract_from))
        );
    }
    out
}


/// The report's parts in order: the heading and its blocks. Text and document both walk it.
enum Part {
    Heading(String),
    Para(String),
    Strong(String),
    Grid { widths: Vec<u32>, head: Vec<String>, rows: Vec<Vec<String>> },
    Chart,
}

fn grid(widths: &[u32], head: &[&str], rows: Vec<Vec<String>>) -> Part {
    Part::Grid { widths: widths.to_vec(), head: head.iter().map(|h| h.to_string()).collect(), rows }
}

impl Data {
    fn parts(&self) -> Vec<Part> {
        use Part::*;
        let mut p = vec![
            Heading("1. The requirement and the procedure".into()),
            Para(format!(
                "{} sought {} (a {} contract; estimated value {}), {}, by the {} under {}. Tenders were due on {}.",
                if self.organisation.is_empty() { "The contracting authority".to_string() } else { self.organisation.clone() },
                self.tender_title,
                self.contract_type,
                self.estimated_value,
                self.thresholds,
                self.procedure,
                self.law,
                self.tender_date
            )),
            Heading("2. Award criteria and weightings, as published".into()),
            Para(format!(
                "Price {}%, quality {}%. Each criterion was scored on a scale of {}; a bid whose quality score is below {} out of 100 fails, as does one scoring below a criterion's pass mark.",
                self.price_weight,
                self.quality_weight,
                self.scale,
                self.minimum_quality
            )),
            grid(
                &[100, 190, 50, 56, 55],
                &["Section (weight %)", "Criterion", "Weight in section %", "Points of 100 for quality", "Pass mark"],
                self.criteria
                    .iter()
                    .map(|c| {
                        vec![
                            format!("{} ({})", c.section, c.section_weight),
                            format!("{} {}", c.reference, c.title),
                            c.weight.clone(),
                            c.effective_weight.clone(),
                            c.pass_mark.clone(),
                        ]
                    })
                    .collect(),
            ),
            Heading("3. The evaluation panel and their declarations".into()),
            grid(
                &[85, 70, 96, 85, 70, 45],
                &["Name", "Role", "Evaluates", "Declaration signed by", "Declared on", "Conflicts"],
                self.panel
                    .iter()
                    .map(|x| vec![x.name.clone(), x.role.clone(), x.evaluates.clone(), x.declared_by.clone(), x.declared_on.clone(), x.conflicts.clone()])
                    .collect(),
            ),
        ];
        p.push(Para(format!("The duty: {}.", self.conflicts_law)));
        if self.conflicts.is_empty() {
            p.push(Para("No member of the panel declared a conflict of interest with any bidder.".into()));
        } else {
            p.push(grid(
                &[80, 90, 100, 181],
                &["Person", "Bidder", "Conflict declared", "Step taken"],
                self.conflicts.iter().map(|c| vec![c.person.clone(), c.bidder.clone(), c.nature.clone(), c.step.clone()]).collect(),
            ));
        }
        p.push(Heading("4. Moderation".into()));
        p.push(Para(format!(
            "Each evaluator scored on their own; the panel then met and agreed each score. Spreads of {} or more between evaluators were discussed, and the reason for the score agreed is recorded; where a smaller difference was settled without a note, the evaluators' own comments stand as the reasons.",
            self.spread_threshold
        )));
        // One column per quality evaluator, as on the Moderation sheet.
        let n = self.evaluators.len() as u32;
        let per = 38;
        let mut widths = vec![35, 110];
        widths.extend(std::iter::repeat_n(per, n as usize));
        widths.extend([45, 40, 451u32.saturating_sub(230 + n * per).max(80)]);
        let mut head: Vec<&str> = vec!["Criterion", "Bidder"];
        head.extend(self.evaluators.iter().map(String::as_str));
        head.extend(["Spread", "Agreed", "Reason recorded"]);
        p.push(grid(
            &widths,
            &head,
            self.moderation
                .iter()
                .map(|r| {
                    let mut row = vec![r.criterion.clone(), r.bidder.clone()];
                    row.extend(r.scores.iter().cloned());
                    row.extend([
                        if r.discussed { format!("{} (discussed)", r.spread) } else { r.spread.clone() },
                        if r.basis.starts_with("mean") { format!("{} (mean)", r.agreed) } else { r.agreed.clone() },
                        r.reason.clone(),
                    ]);
                    row
                })
                .collect(),
        ));
        p.push(Heading("5. Price evaluation".into()));
        p.push(Para(self.price_method.clone()));
        p.push(grid(
            &[171, 100, 100, 80],
            &["Bidder", "Whole-life cost", "Price score", "Abnormally low"],
            self.prices
                .iter()
                .map(|r| vec![r.bidder.clone(), r.whole_life_cost.clone(), r.price_score.clone(), if r.abnormally_low { "yes" } else { "no" }.into()])
                .collect(),
        ));
        for r in self.prices.iter().filter(|r| r.abnormally_low) {
            p.push(Para(format!("{}: {}", r.bidder, r.handling)));
        }
        if !self.prices.iter().any(|r| r.abnormally_low) {
            p.push(Para("No tender's price was abnormally low under the published test.".into()));
        }
        if !self.agreed_costs.is_empty() {
            p.push(Para("Where the commercial evaluators' figures differed, the amount they agreed:".into()));
            p.push(grid(
                &[110, 70, 111, 70, 90],
                &["Bidder", "Cost", "Figures returned", "Agreed", "Reason"],
                self.agreed_costs
                    .iter()
                    .map(|r| vec![r.bidder.clone(), r.component.clone(), r.returned.clone(), r.agreed.clone(), r.reason.clone()])
                    .collect(),
            ));
        }
        p.push(Heading("6. Exclusions".into()));
        if self.exclusions.is_empty() {
            p.push(Para("No exclusion decisions were given for this report: the selection-stage record of the exclusion grounds should be read with it.".into()));
        } else {
            p.push(Para(format!("The bidders' exclusion declarations, decided on {} under {}:", self.exclusions_decided_on, self.law)));
            p.push(grid(
                &[120, 110, 221],
                &["Bidder", "Outcome", "Grounds declared and why"],
                self.exclusions.iter().map(|r| vec![r.bidder.clone(), r.outcome.clone(), r.grounds.clone()]).collect(),
            ));
        }
        p.push(Heading("7. The ranking".into()));
        let (q, pr) = (format!("Quality ({}%)", self.quality_weight), format!("Price ({}%)", self.price_weight));
        let head = ["Rank", "Bidder", "Quality /100", &q, "Whole-life cost", &pr, "Total"];
        p.push(grid(
            &[38, 118, 50, 52, 97, 48, 48],
            &head,
            self.ranking
                .iter()
                .map(|r| vec![r.rank.clone(), r.bidder.clone(), r.quality.clone(), r.quality_weighted.clone(), r.whole_life_cost.clone(), r.price_score.clone(), r.total.clone()])
                .collect(),
        ));
        for f in &self.failed {
            p.push(Para(format!("{} failed and is not ranked (quality {} out of 100): {}.", f.bidder, f.quality, f.reasons)));
        }
        p.push(Chart);
        p.push(Para(format!("Figure 1. {}", self.chart)));
        p.push(Heading("8. How robust the decision is".into()));
        for Line { heading, text } in &self.robustness {
            p.push(if *heading { Strong(text.clone()) } else { Para(text.clone()) });
        }
        p.push(Heading("9. Recommendation".into()));
        p.push(Para(self.recommendation.clone()));
        for n in &self.notes {
            p.push(Strong(format!("For the approver: {n}.")));
        }
        p.push(Heading("10. Standstill".into()));
        p.push(Para(self.standstill_words.clone()));
        p.push(Heading("11. Approval".into()));
        p.push(grid(
            &[110, 110, 100, 131],
            &["Step", "Name and role", "Date", "Signature"],
            vec![vec!["Recommended by".into(), String::new(), String::new(), String::new()], vec!["Approved by".into(), String::new(), String::new(), String::new()]],
        ));
        p
    }

    /// The report as text.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n{} {}\n{}\n", self.title.to_uppercase(), self.reference, self.tender_title, self.date);
        for part in self.parts() {
            match part {
                Part::Heading(h) => out += &format!("\n{}\n", h.to_uppercase()),
                Part::Para(t) => out += &format!("{t}\n"),
                Part::Strong(t) => out += &format!("{t}\n"),
                Part::Grid { head, rows, .. } => {
                    let head: Vec<&str> = head.iter().map(String::as_str).filter(|h| !h.is_empty()).collect();
                    out += &format!("  [{}]\n", head.join(" | "));
                    for r in rows {
                        out += &format!("  {}\n", r.iter().map(|c| c.replace('\n', "; ")).collect::<Vec<_>>().join(" | "));
                    }
                }
                Part::Chart => {}
            }
        }
        out
    }

    /// The bars of the chart: each ranked bid, then each failed bid.
    fn bar_chart(&self) -> BarChart {
        let mut bars: Vec<Bar> = self
            .ranking
            .iter()
            .map(|r| Bar {
                label: r.bidder.clone(),
                parts: if self.per_point { vec![r.value] } else { vec![r.parts.0, r.parts.1] },
                end: r.total.clone(),
            })
            .collect();
        bars.extend(self.failed.iter().map(|f| Bar { label: f.bidder.clone(), parts: Vec::new(), end: "failed: not ranked".into() }));
        if self.per_point {
            let max = bars.iter().flat_map(|b| b.parts.iter().copied()).fold(0.0, f64::max);
            BarChart { series: vec!["Cost per quality point".into()], max: max * 1.1, axis: "Pounds per quality point (lower is better)".into(), bars }
        } else {
            BarChart {
                series: vec![format!("Quality ({}%)", self.quality_weight), format!("Price ({}%)", self.price_weight)],
                max: 100.0,
                axis: "Total score out of 100".into(),
                bars,
            }
        }
    }

    /// The bundled report as a Word document.
    pub fn document(&self) -> Vec<u8> {
        let mut doc = Document::default()
            .paragraph(Paragraph::new().run(Run::new(&self.title).bold().size(32)))
            .paragraph(Paragraph::new().run(Run::new(format!("{} {}", self.reference, self.tender_title)).bold()))
            .paragraph(Paragraph::new().run(Run::new(format!("Date: {}", self.date))));
        doc.footer = vec![Paragraph::new().run(Run::new(format!("{} evaluation report: for approval, not for publication", self.reference)).size(16))];
        for part in self.parts() {
            doc = match part {
                Part::Heading(h) => doc.paragraph(Paragraph::new().run(Run::new(h).bold().size(24))),
                Part::Para(t) => doc.paragraph(Paragraph::new().run(Run::new(t))),
                Part::Strong(t) => doc.paragraph(Paragraph::new().run(Run::new(t).bold())),
                Part::Grid { widths, head, rows } => {
                    let head: Vec<&str> = head.iter().map(String::as_str).collect();
                    // Tables at 9 pt: the moderation record has a row for every criterion and bid.
                    doc.table(Table::of(&widths, &head, rows, Some(18)))
                }
                Part::Chart => {
                    let picture = chart::draw(&self.bar_chart());
                    doc.picture(Picture { png: picture.png, width: picture.width, height: picture.height, description: self.chart.clone() })
                }
            };
        }
        doc.to_bytes()
    }
}
