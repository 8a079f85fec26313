//! Office Open XML packages (the zip container shared by .xlsx and .docx): opening them safely,
//! reading their parts, and writing a copy with some parts replaced and the rest copied byte for
//! byte. No spreadsheet or procurement knowledge here.

pub mod central;
pub mod package;
pub mod xml;

pub use package::{Package, Relationship};
