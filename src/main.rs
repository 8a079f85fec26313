//! The `tenderkit` command: argument parsing and printing only; the work is in the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
