//! `tenderkit serve`: a page in the buyer's browser that does what the commands do, on this
//! machine only.
//!
//! An adapter, like the file formats: it holds no procurement rule and no second implementation
//! of a command. Each page action runs the `tenderkit` program itself, with the same arguments a
//! buyer would type, in a temporary folder holding the request's uploads, and sends back what
//! it printed and wrote. The page therefore says exactly what the command line says; a hostile
//! workbook meets the command's own defences, and cannot take the server down with it.

mod actions;
mod guard;
mod upload;

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use guard::{TOKEN_HEADER, admit, new_token};

/// How `serve` was started.
pub struct Options {
    /// 0 for any free port.
    pub port: u16,
    /// The largest request accepted, in bytes.
    pub max_upload: u64,
    /// The `tenderkit` program each action runs.
    pub program: PathBuf,
}

/// What every request shares.
pub struct Shared {
    token: String,
    port: u16,
    max_upload: u64,
    program: PathBuf,
    /// Every request's folder is made inside this one, removed when the server stops.
    root: tempfile::TempDir,
    /// The commands running at once: one per core; the rest wait their turn.
    pool: Arc<tokio::sync::Semaphore>,
    pool_size: usize,
    /// Actions waiting for a place in the pool.
    waiting: AtomicUsize,
}

/// A request's headers must arrive within this (a browser sends them at once); a connection
/// idle this long between requests is closed too.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Actions that may wait for the pool; more are answered "busy". A waiting action holds only its
/// connection and its uploads on disk.
const MAX_WAITING: usize = 64;

/// The most connections served at once: half the descriptors the process may open (each action
/// holds a few more for its command's pipes and files), at most 512. Further connections wait
/// in the system's queue until one closes.
fn max_connections() -> usize {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit only writes the struct it is given.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
            let soft = usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX);
            return (soft.saturating_sub(64) / 2).clamp(16, 512);
        }
    }
    512
}

/// A place in the action pool, held while a command runs.
pub struct Place {
    _permit: tokio::sync::OwnedSemaphorePermit,
}

/// Counts an action as waiting while it exists (also when the request is dropped mid-wait).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Shared {
    /// Waits for a place in the pool; "busy" when too many actions wait already.
    pub async fn place(&self) -> Result<Place, Reply> {
        if let Ok(permit) = self.pool.clone().try_acquire_owned() {
            return Ok(Place { _permit: permit });
        }
        let limit = MAX_WAITING;
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= limit {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(Reply::refused(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("busy: {} actions running and {limit} waiting; try again when one has finished", self.pool_size),
            ));
        }
        let _waiting = Waiting(&self.waiting);
        let permit = self.pool.clone().acquire_owned().await.map_err(|_| Reply::failed("the server is stopping"))?;
        Ok(Place { _permit: permit })
    }

    /// The pool as the page shows it: places, running, waiting.
    fn queue(&self) -> serde_json::Value {
        let running = self.pool_size - self.pool.available_permits();
        serde_json::json!({ "pool": self.pool_size, "running": running, "waiting": self.waiting.load(Ordering::SeqCst) })
    }
}

/// An answer that is not the action's own: a refusal or a failure, as JSON `{ "error": ... }`.
#[derive(Debug)]
pub struct Reply {
    status: StatusCode,
    message: String,
}

impl Reply {
    pub fn refused(status: StatusCode, message: impl Into<String>) -> Self {
        Reply { status, message: message.into() }
    }
    pub fn failed(message: impl Into<String>) -> Self {
        Reply { status: StatusCode::INTERNAL_SERVER_ERROR, message: message.into() }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        (self.status, axum::Json(serde_json::json!({ "error": self.message }))).into_response()
    }
}

const PAGE: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/app.css");

/// Serves until the process is stopped; `started` is told the address (with its token) once
/// the port is bound.
pub fn serve(options: Options, started: impl FnOnce(&str)) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, options.port)).await?;
        let port = listener.local_addr()?.port();
        let root = tempfile::Builder::new().prefix("tenderkit-serve-").tempdir()?;
        crate::fsio::remove_if_interrupted(root.path());
        let pool_size = std::thread::available_parallelism().map_or(2, |n| n.get());
        let shared = Arc::new(Shared {
            token: new_token()?,
            port,
            max_upload: options.max_upload,
            program: options.program,
            root,
            pool: Arc::new(tokio::sync::Semaphore::new(pool_size)),
            pool_size,
            waiting: AtomicUsize::new(0),
        });
        started(&format!("http://127.0.0.1:{port}/?token={}", shared.token));
        accept(listener, router(shared)).await
    })
}

/// Serves each connection (HTTP/1) under the connection cap, with the header-read timeout.
async fn accept(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    let connections = Arc::new(tokio::sync::Semaphore::new(max_connections()));
    loop {
        let permit = connections.clone().acquire_owned().await.map_err(std::io::Error::other)?;
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors or a connection reset before it was taken: wait, never spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
            let _ = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service).await;
            drop(permit);
        });
    }
}

fn router(shared: Arc<Shared>) -> Router {
    let limit = usize::try_from(shared.max_upload).unwrap_or(usize::MAX);
    Router::new()
        .route("/", get(page))
        .route("/app.js", get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT) }))
        .route("/app.css", get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE) }))
        .route("/api/queue", get(|State(shared): State<Arc<Shared>>| async move { axum::Json(shared.queue()) }))
        .route("/api/{action}", post(actions::action))
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn_with_state(shared.clone(), guarded))
        .with_state(shared)
}

async fn page(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let html = PAGE.replace("{{token}}", &shared.token).replace("{{max_upload_mib}}", &(shared.max_upload / (1024 * 1024)).to_string());
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html)
}

/// Every request passes [`admit`] and the size limit first; every answer carries headers that
/// keep the page to itself (no framing, no scripts from elsewhere, no address sent on).
async fn guarded(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let mut response = match admit(&shared.token, shared.port, request.method(), request.uri(), request.headers()) {
        Err(refusal) => Reply::refused(refusal.status, refusal.message).into_response(),
        Ok(()) => {
            let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
            if request.method() == Method::POST && declared.is_some_and(|n| n > shared.max_upload) {
                upload::too_large(shared.max_upload).into_response()
            } else {
                next.run(request).await
            }
        }
    };
    let h = response.headers_mut();
    let fixed = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in fixed {
        h.insert(name, HeaderValue::from_static(value));
    }
    response
}
