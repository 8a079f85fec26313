//! The Excel adapter: reading and writing `.xlsx` workbooks. It knows where things are in a
//! workbook, never what the procurement rules are.

pub mod cache;
pub mod cellref;
pub mod checks;
pub mod create;
pub mod declaration;
pub mod detected;
pub mod draft;
pub mod evaluate;
pub mod formula;
pub mod headings;
pub mod layout;
pub mod matrix;
pub mod moderation;
pub mod patch;
pub mod price_formulas;
pub mod print;
pub mod rescale;
pub mod returns;
mod sheet_parse;
mod sheet_rows;
pub mod sheet_writer;
pub mod stated_split;
pub mod styles;
pub mod typed_number;
pub mod workbook;
pub mod xstring;

pub use cellref::{CellRange, CellRef};
pub use patch::{CellEdit, Computed, Edits};
pub use workbook::{Sheet, Value, Workbook};
