//! The procurement domain: criteria, weightings, scales, bids and the rules the guidance sets for
//! them. Nothing here knows about files; the adapters in [`crate::xlsx`] and [`crate::tender_file`]
//! turn workbooks and tender definitions into these types and back.
//!
//! # How numbers are held
//! Weights, scores and money are `f64`. The buyer's workbook computes in IEEE doubles, and the
//! figures tenderkit caches beside each formula must agree with Excel's and LibreOffice's own
//! recalculation (the tests hold us to 1e-9), so we do the same arithmetic, in the same order, as
//! the formulas we write. No check compares floats for equality: sums of weights are checked to the
//! cent ([`weighting::sums_to`]) and ties are judged on totals rounded to
//! [`scoring::TIE_DECIMALS`] places.

pub mod calendar;
pub mod date;
pub mod declaration;
pub mod exclusion;
pub mod figure;
pub mod finding;
pub mod letters;
pub mod matrix;
pub mod moderation;
pub mod money;
pub mod notice;
pub mod panel;
pub mod price;
pub mod prompts;
pub mod regime;
pub mod rescale;
pub mod scale;
pub mod scoring;
pub mod selection;
pub mod sensitivity;
pub mod standstill;
pub mod tender;
pub mod validate;
pub mod weighting;

pub use finding::{Finding, Rule, Severity, Subject};
pub use matrix::{Bid, Cost, CostComponent, Criterion, Entry, Matrix, Section, Split, name_key, same_name};
pub use scale::{Scale, ScalePoint};
pub use scoring::{Figures, Ranking, Standing};
pub use tender::Tender;
pub use validate::{Stage, validate};
pub use weighting::Commodity;
