//! The `tenderkit` command: argument parsing and printing only; the work is in the library.

mod cli;

use std::process::ExitCode;

/// The exit status of a command stopped by Ctrl-C (128 + SIGINT), as shells report it.
const EXIT_INTERRUPTED: i32 = 130;

fn main() -> ExitCode {
    // Output piped into a program that stops reading (`| head`) ends tenderkit quietly, as it
    // ends other command-line tools, instead of a panic at the next print.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Ctrl-C or a termination request mid-write: the destination is untouched either way; this
    // also removes the half-written temporary file.
    let _ = ctrlc::set_handler(|| {
        tenderkit::fsio::remove_unfinished();
        std::process::exit(EXIT_INTERRUPTED);
    });
    cli::run()
}
