//! The `tenderkit` command: argument parsing and printing only; the work is in the library.

mod cli;

use std::process::ExitCode;

/// The exit status of a command stopped by Ctrl-C (128 + SIGINT), as shells report it.
const EXIT_INTERRUPTED: i32 = 130;

fn main() -> ExitCode {
    // Ctrl-C or a termination request mid-write: the destination is untouched either way; this
    // also removes the half-written temporary file.
    let _ = ctrlc::set_handler(|| {
        tenderkit::fsio::remove_unfinished();
        std::process::exit(EXIT_INTERRUPTED);
    });
    cli::run()
}
