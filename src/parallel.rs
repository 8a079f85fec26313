//! Two pieces of work at once, where there are threads: a big sheet is patched and deflated while
//! the rest of the workbook is worked out. In the browser's WebAssembly (no threads) they run in
//! turn.

/// How many threads work at once here: 1 in the browser's WebAssembly, else the machine's cores
/// (asked once: the answer reads the cgroup's files).
pub fn cores() -> usize {
    #[cfg(target_arch = "wasm32")]
    return 1;
    #[cfg(not(target_arch = "wasm32"))]
    {
        static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    }
}

/// Drops `value` on a thread beside, not waited for: what is left to do goes on meanwhile, and
/// a process that ends first gives the memory back all the same. On one core (the browser's
/// WebAssembly among them), or where the system gives no thread, it is dropped here.
pub fn drop_beside<T: Send + 'static>(value: T) {
    if cores() > 1 {
        let _ = std::thread::Builder::new().spawn(move || drop(value));
    }
}

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

/// `produce` hands items, one at a time, to `take`, which works on them beside it on as many
/// threads as help (up to four); returns what `produce` returned and what `take` made of each
/// item, in the order they were handed. At most two items per thread wait. A big sheet is read
/// this way: stretches of rows are read while the next is inflated. In WebAssembly each item is
/// taken as it is handed over.
pub fn stream<T: Send, U: Send, R>(take: impl Fn(T) -> U + Sync, produce: impl FnOnce(&mut dyn FnMut(T)) -> R) -> (R, Vec<U>) {
    let mut out = Vec::new();
    #[cfg(target_arch = "wasm32")]
    {
        let r = produce(&mut |item| out.push(take(item)));
        (r, out)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::{Arc, Mutex};
        let threads = cores().clamp(1, 4);
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, T)>(threads);
        // Each worker holds the receiver: were they all to panic, it goes with them, and a send
        // fails instead of waiting for ever.
        let rx = Arc::new(Mutex::new(rx));
        let made = Mutex::new(Vec::new());
        let (take, made_ref) = (&take, &made);
        // Moved in, so that a panic in `produce` drops the sender and the workers stop.
        let r = std::thread::scope(move |s| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    let rx = Arc::clone(&rx);
                    s.spawn(move || {
                        loop {
                            // The lock is held only to receive: items are taken side by side.
                            let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                            let Ok((i, item)) = next else { break };
                            let u = take(item);
                            made_ref.lock().unwrap_or_else(|e| e.into_inner()).push((i, u));
                        }
                    })
                })
                .collect();
            drop(rx);
            let mut n = 0;
            let r = produce(&mut |item| {
                // A send fails only where every worker panicked: the panic is raised at the join.
                let _ = tx.send((n, item));
                n += 1;
            });
            // No more items: each worker finishes what it holds and stops.
            drop(tx);
            for w in workers {
                w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            }
            r
        });
        let mut made = made.into_inner().unwrap_or_else(|e| e.into_inner());
        made.sort_unstable_by_key(|&(i, _)| i);
        out.extend(made.into_iter().map(|(_, u)| u));
        (r, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_taken_comes_back_in_the_order_handed() {
        let (handed, made) = stream(
            |i: u64| {
                // Uneven work, so the workers finish out of order.
                std::thread::sleep(std::time::Duration::from_micros((i * 7919) % 300));
                i * i
            },
            |hand| {
                for i in 0..500 {
                    hand(i);
                }
                500
            },
        );
        assert_eq!(handed, 500);
        assert_eq!(made, (0..500).map(|i| i * i).collect::<Vec<u64>>());
    }

    #[test]
    fn a_panic_on_either_side_is_raised_not_waited_on() {
        // Every worker panics: the producer's sends fail rather than wait, and the panic is raised.
        let workers = std::panic::catch_unwind(|| stream(|_: u32| -> u32 { panic!("taking") }, |hand| (0..100).for_each(&mut *hand)));
        assert!(workers.is_err());
        // The producer panics: the workers stop, and its panic is raised.
        let producer = std::panic::catch_unwind(|| {
            stream(
                |i: u32| i,
                |hand| {
                    hand(1);
                    panic!("producing")
                },
            )
        });
        assert!(producer.is_err());
    }
}
