//! `tenderkit serve`: the page for buyers who never open a terminal (tenderkit::web).

use tenderkit::Error;

#[derive(clap::Args)]
pub struct Args {
    /// The port on 127.0.0.1 (only this machine can reach it); a free one by default.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Do not open the page in the default browser.
    #[arg(long)]
    no_open: bool,
    /// The largest upload accepted, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 100)]
    max_upload_mib: u64,
}

pub fn run(args: Args) -> tenderkit::Result<u8> {
    let program = std::env::current_exe().map_err(|e| Error::Usage(format!("cannot find the tenderkit program: {e}")))?;
    let options = tenderkit::web::Options { port: args.port, max_upload: args.max_upload_mib.saturating_mul(1024 * 1024), program };
    tenderkit::web::serve(options, |url| {
        println!("tenderkit is serving the page at {url}");
        println!("only this computer can reach it, and only with that address; Ctrl-C stops it");
        if !args.no_open && webbrowser::open(url).is_err() {
            println!("(no browser could be opened: open the address above in yours)");
        }
    })
    .map_err(|e| Error::Usage(format!("serve: {e}")))?;
    Ok(0)
}
