//! The Word adapter: writing `.docx` documents. No procurement rules here.

pub mod bundled;
pub mod field;
pub mod merge;
pub mod plain;
pub mod template;
pub mod write;
