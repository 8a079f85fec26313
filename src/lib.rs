//! tenderkit: a toolkit for public-sector buyers who evaluate tenders in Excel and write their
//! correspondence in Word.
//!
//! Three layers: [`domain`] holds the procurement rules and arithmetic and does no I/O; the
//! adapters ([`opc`], [`xlsx`], [`docx`], [`tender_file`], [`ocds`], and [`web`], `serve`'s page)
//! read and write files and hold no rules; the commands in the `tenderkit` binary wire the two
//! together and print.

pub mod app;
pub mod chart;
pub mod docx;
pub mod domain;
pub mod error;
pub mod fsio;
pub mod ocds;
pub mod parallel;
pub mod opc;
pub mod render;
pub mod report;
pub mod tender_file;
#[cfg(feature = "serve")]
pub mod web;
pub mod xlsx;

pub use error::{Error, Result};
