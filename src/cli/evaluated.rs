//! The decided evaluation of a matrix workbook, read from its file (`tenderkit::app::evaluated`).

use std::path::Path;

pub use tenderkit::app::evaluated::Evaluated;

use super::LayoutArg;

/// Reads and decides `path`. `Ok(None)` when the matrix is incomplete or invalid: its findings
/// are printed, with `what` (for example "no letters") saying what was not done.
pub fn evaluated(path: &Path, layout: &LayoutArg, what: &str) -> tenderkit::Result<Option<Evaluated>> {
    match tenderkit::app::evaluated::evaluated(&super::input(path)?, &layout.load()?, what)? {
        Ok(e) => Ok(Some(e)),
        Err(said) => {
            eprint!("{said}");
            Ok(None)
        }
    }
}
