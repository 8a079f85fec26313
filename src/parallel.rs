//! Two pieces of work at once, where there are threads: a big sheet is patched and deflated while
//! the rest of the workbook is worked out. In the browser's WebAssembly (no threads) they run in
//! turn.

/// Runs `a` here and `b` beside it; returns both results.
pub fn join<RA, RB: Send>(a: impl FnOnce() -> RA, b: impl FnOnce() -> RB + Send) -> (RA, RB) {
    #[cfg(target_arch = "wasm32")]
    {
        let rb = b();
        (a(), rb)
    }
    #[cfg(not(target_arch = "wasm32"))]
    std::thread::scope(|s| {
        let beside = s.spawn(b);
        let ra = a();
        (ra, beside.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}
