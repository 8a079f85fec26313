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
        let shared = Arc::new(Shared { token: new_token()?, port, max_upload: options.max_upload, program: options.program, root });
        started(&format!("http://127.0.0.1:{port}/?token={}", shared.token));
        axum::serve(listener, router(shared)).await
    })
}

fn router(shared: Arc<Shared>) -> Router {
    let limit = usize::try_from(shared.max_upload).unwrap_or(usize::MAX);
    Router::new()
        .route("/", get(page))
        .route("/app.js", get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT) }))
        .route("/app.css", get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE) }))
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
