//! The floor under the matrix job: the I/O it cannot avoid, done with the crates tenderkit uses.
//! Every part of the workbook is inflated, the worksheets are read as quick-xml events (no tree,
//! no cells kept), and every part is deflated into a new package at the levels tenderkit writes
//! (level 1 for parts over 4 MiB, else 6). `bench/run.py` prints how far above this the job is.
//!
//!     cargo run --release -p tenderkit-bench --bin bench_floor -- MATRIX.xlsx [RUNS]
//!
//! Prints the median seconds of RUNS (default 5) and the events read, as one line of JSON.

use std::io::{Read, Write};
use std::time::Instant;

use quick_xml::events::Event;

fn once(bytes: &[u8]) -> (f64, u64) {
    let start = Instant::now();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut parts = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).expect("a part");
        let mut data = Vec::with_capacity(f.size() as usize);
        f.read_to_end(&mut data).expect("inflates");
        parts.push((f.name().to_string(), data));
    }
    let mut events = 0u64;
    for (name, data) in &parts {
        if !name.starts_with("xl/worksheets/") || !name.ends_with(".xml") {
            continue;
        }
        let mut r = quick_xml::Reader::from_reader(data.as_slice());
        let mut buf = Vec::new();
        loop {
            match r.read_event_into(&mut buf).expect("well-formed") {
                Event::Eof => break,
                _ => events += 1,
            }
            buf.clear();
        }
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in &parts {
        let level = if data.len() > 4 << 20 { 1 } else { 6 };
        let options =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).compression_level(Some(level));
        out.start_file(name.as_str(), options).expect("a part");
        out.write_all(data).expect("deflates");
    }
    let written = out.finish().expect("a package").into_inner();
    std::hint::black_box(written);
    (start.elapsed().as_secs_f64(), events)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: bench_floor MATRIX.xlsx [RUNS]");
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    // Reading the file is part of the job, as it is for `tenderkit score`.
    let start = Instant::now();
    let bytes = std::fs::read(&path).expect("readable");
    let read = start.elapsed().as_secs_f64();
    let mut times = Vec::new();
    let mut events = 0;
    for _ in 0..runs {
        let (t, e) = once(&bytes);
        times.push(t + read);
        events = e;
    }
    times.sort_by(f64::total_cmp);
    println!("{{\"seconds\": {}, \"events\": {events}}}", times[times.len() / 2]);
}
