//! Findings: what validation says about a matrix. A finding names *what* it is about (a
//! [`Subject`]); the adapter that read the matrix says *where* that is (sheet and cell, or a key
//! in a tender file), so the same rules serve every source.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The rule a finding enforces; its code is stable for `--json` consumers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The price:quality split must be stated.
    SplitNotStated,
    /// Price + quality = 100.
    SplitSum,
    /// The split is one the guidance suggests for the commodity type.
    SplitForCommodity,
    /// Section weights sum to 100.
    SectionWeightsSum,
    /// Criterion weights within a section sum to 100.
    CriterionWeightsSum,
    /// A weighting is a number of zero or more.
    WeightNotNumber,
    /// Every section weight given for a section is the same.
    SectionWeightConflict,
    /// A score is a number.
    ScoreNotNumber,
    /// A score is one of the scale's scores.
    ScoreOffScale,
    /// Every criterion is scored for every bid before the award.
    ScoreMissing,
    /// A cost is a number.
    CostNotNumber,
    /// A cost is not negative (end-of-life may be).
    CostNegative,
    /// Every bid's costs are entered before the award.
    CostMissing,
    /// A whole-life cost is above zero, so price scores can be computed.
    WholeLifeCostNotPositive,
    /// A bid whose price looks abnormally low is explained by the bidder before the award.
    AbnormallyLow,
    /// At least one criterion.
    NoCriteria,
    /// At least one bid.
    NoBids,
    /// Best practice is at least three bids.
    FewBids,
    /// A single bid: consider why.
    SingleBid,
    /// Bidder names are unique.
    DuplicateBidder,
    /// Criterion references are unique.
    DuplicateCriterion,
    /// The same bidders appear on every sheet.
    BidderMismatch,
    /// A pass mark is a score on the scale; a minimum quality score is from 0 to 100.
    PassMarkInvalid,
    /// Nobody is on the panel twice, or in both roles; evaluators score criteria that exist.
    PanelConflict,
    /// At least two evaluators per criterion and for the price.
    PanelTooSmall,
    /// A panel, return or matrix belongs to another tender.
    WrongTender,
    /// A return from someone not on the panel, or in the wrong role, is not collected.
    ReturnRefused,
    /// A row of a return that cannot be placed in the matrix is left out.
    ReturnRowIgnored,
    /// A panel member's return has not come in.
    ReturnOutstanding,
    /// A return's declaration of interests is completed before its scores count (PCSR 2015
    /// reg 24; Procurement Act 2023 s.81).
    DeclarationIncomplete,
    /// An evaluator's scores are not counted for a bidder they declared a conflict with (PCSR
    /// 2015 reg 24; Procurement Act 2023 s.82).
    ConflictDeclared,
    /// Every criterion an evaluator is given is scored.
    ReturnScoreMissing,
    /// A returned score is a number on the scale.
    ReturnScoreInvalid,
    /// Every score carries a justification (guidance, "Unsuccessful Bids").
    JustificationMissing,
    /// A justification names the submission's features, not just the scale's words.
    JustificationRestatesScale,
    /// A wide spread between evaluators is discussed at moderation.
    SpreadNeedsDiscussion,
    /// A commercial evaluator enters every cost.
    ReturnCostMissing,
    /// Commercial evaluators' figures differ until an amount is agreed.
    CostsDisagree,
    /// Every score has an agreed (consensus) value before the award.
    ConsensusMissing,
    /// An agreed score is on the scale.
    ConsensusInvalid,
    /// Every cost is agreed before the award.
    CostNotAgreed,
    /// Selection requirements are proportionate (turnover, insurance, experience).
    Proportionality,
    /// The mandatory exclusion questions are asked.
    MandatoryExclusionMissing,
    /// Shortlisting invites at least the minimum number of candidates.
    ShortlistTooSmall,
    /// Published criteria and weightings do not change after publication.
    ChangedAfterPublication,
    /// A formula the matrix depends on has a saved result (the file was saved by a spreadsheet).
    FormulaNotCalculated,
    /// A number typed as text was read as the number it states.
    NumberTypedAsText,
    /// Weights are written one way: all as percentages or all as plain numbers.
    PercentMixed,
    /// Only one half of the split is stated; the other is 100 minus it.
    SplitInferred,
    /// The split is stated once, or the same everywhere it is stated.
    SplitConflict,
    /// The scoring scale is stated; where it is not, what was assumed is said.
    ScaleAssumed,
    /// Where several sheets look like the table, which one was read and why is said.
    SheetChosen,
    /// With bidders in rows, a column with figures but no weighting is not read as a criterion,
    /// and that is said.
    ColumnNotRead,
    /// One scale for every criterion.
    ScaleConflict,
    /// A tender's settings belong to the law it is run under.
    RegimeMismatch,
    /// A price method's parameter is in its range, and a budget is above the lowest bid.
    PriceParameter,
}

impl Rule {
    pub fn code(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    }
}

/// What a finding is about. Indices are into the [`Matrix`](crate::domain::Matrix): criteria are
/// flat indices in [`Matrix::criteria`](crate::domain::Matrix::criteria) order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Subject {
    PriceWeight,
    QualityWeight,
    MinimumQuality,
    PassMark {
        criterion: usize,
    },
    /// The section weights as a whole.
    SectionWeights,
    SectionWeight {
        section: usize,
    },
    /// The criterion weights of one section as a whole.
    CriterionWeights {
        section: usize,
    },
    CriterionWeight {
        criterion: usize,
    },
    /// All criteria.
    Criteria,
    /// All bids.
    Bids,
    Bidder {
        bid: usize,
    },
    /// Two bids with the same bidder name: `bid`, and the `other` bid that first had it.
    SameBidder {
        bid: usize,
        other: usize,
    },
    Score {
        criterion: usize,
        bid: usize,
    },
    Cost {
        bid: usize,
        cost: usize,
    },
    /// A bid's costs as a whole.
    Costs {
        bid: usize,
    },
    /// A criterion as a whole (its row).
    Criterion {
        criterion: usize,
    },
    /// The evaluation panel as a whole.
    Panel,
    Evaluator {
        evaluator: usize,
    },
    /// An evaluator's return file as a whole (index into the returns read): who sent it.
    Return {
        file: usize,
    },
    /// The tender a return file says it is for.
    ReturnTender {
        file: usize,
    },
    /// A score in an evaluator's return.
    Returned {
        evaluator: usize,
        criterion: usize,
        bid: usize,
    },
    /// The justification beside a score in an evaluator's return.
    Justification {
        evaluator: usize,
        criterion: usize,
        bid: usize,
    },
    /// A cost in a commercial evaluator's return.
    ReturnedCost {
        evaluator: usize,
        bid: usize,
        cost: usize,
    },
    /// The score the panel agreed at moderation.
    Consensus {
        criterion: usize,
        bid: usize,
    },
    /// A setting of the tender definition, by its key (`selection.turnover.minimum`).
    Definition {
        key: String,
    },
    /// The scoring scale.
    Scale,
    /// A price method's parameter (its tender-file key).
    PriceParameter {
        key: &'static str,
    },
    /// The cost the commercial evaluators agreed.
    AgreedCost {
        bid: usize,
        cost: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub rule: Rule,
    #[serde(skip)]
    pub subject: Subject,
    /// What is wrong, stating the fact and the rule.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl Finding {
    pub fn error(rule: Rule, subject: Subject, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding { severity: Severity::Error, rule, subject, message: message.into(), fix: fix.into() }
    }

    pub fn warning(rule: Rule, subject: Subject, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding { severity: Severity::Warning, rule, subject, message: message.into(), fix: fix.into() }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
