//! Who may use the page: only this machine's browser, on the address `serve` printed.
//!
//! Three checks on every request, so that another user of a shared machine, or a web page in
//! another tab, cannot drive the server: the token printed at start (in the address, or the
//! `X-Tenderkit-Token` header the page's script sends); a Host header naming the loopback
//! address and port (a rebound DNS name is refused); and, when a browser says where a request
//! comes from (`Origin`, `Sec-Fetch-Site`), that it is this page.

use axum::http::{HeaderMap, Method, StatusCode, Uri};

pub const TOKEN_HEADER: &str = "x-tenderkit-token";

/// Why a request was refused, for the person who sent it.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

impl Refusal {
    fn forbidden(message: impl Into<String>) -> Self {
        Refusal { status: StatusCode::FORBIDDEN, message: message.into() }
    }
}

/// A new token: 128 bits from the operating system's random source, as hex.
pub fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The addresses the page may be reached by.
fn hosts(port: u16) -> [String; 2] {
    [format!("127.0.0.1:{port}"), format!("localhost:{port}")]
}

/// Equal in content, in a time that does not depend on where they first differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

fn query_token(uri: &Uri) -> Option<&str> {
    uri.query()?.split('&').find_map(|kv| kv.strip_prefix("token="))
}

/// Admits a request, or says why not.
pub fn admit(token: &str, port: u16, method: &Method, uri: &Uri, headers: &HeaderMap) -> Result<(), Refusal> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let allowed = hosts(port);
    let host = header("host").unwrap_or_default().to_ascii_lowercase();
    if !allowed.contains(&host) {
        return Err(Refusal::forbidden(format!(
            "refused: this page is served only at http://127.0.0.1:{port}/ (the request named host '{host}')"
        )));
    }
    if let Some(origin) = header("origin") {
        let origin = origin.to_ascii_lowercase();
        if !allowed.iter().any(|h| origin == format!("http://{h}")) {
            return Err(Refusal::forbidden(format!("refused: a request from another site ({origin})")));
        }
    } else if method != Method::GET && method != Method::HEAD {
        // Browsers send Origin with every POST; one without it did not come from the page.
        return Err(Refusal::forbidden("refused: a request that does not say it comes from this page (no Origin header)"));
    }
    if let Some(site) = header("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return Err(Refusal::forbidden(format!("refused: a request from another site (Sec-Fetch-Site: {site})")));
    }
    let given = header(TOKEN_HEADER).or_else(|| query_token(uri)).unwrap_or_default();
    if !same(given.as_bytes(), token.as_bytes()) {
        return Err(Refusal::forbidden(
            "refused: the address must carry the token `tenderkit serve` printed when it started (open the address it printed)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(host: &str, extra: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("host", host.parse().unwrap());
        for (k, v) in extra {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    const T: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn the_page_with_its_token_is_admitted() {
        let uri: Uri = format!("/?token={T}").parse().unwrap();
        assert_eq!(admit(T, 8080, &Method::GET, &uri, &request("127.0.0.1:8080", &[])), Ok(()));
        assert_eq!(admit(T, 8080, &Method::GET, &uri, &request("LOCALHOST:8080", &[("sec-fetch-site", "none")])), Ok(()));
        let post = request("127.0.0.1:8080", &[("origin", "http://127.0.0.1:8080"), (TOKEN_HEADER, T)]);
        assert_eq!(admit(T, 8080, &Method::POST, &"/api/score".parse().unwrap(), &post), Ok(()));
    }

    #[test]
    fn a_missing_or_wrong_token_is_refused() {
        let h = request("127.0.0.1:8080", &[]);
        for uri in ["/", "/?token=", "/?token=0123456789abcdef0123456789abcdee", "/?token=0123"] {
            let r = admit(T, 8080, &Method::GET, &uri.parse().unwrap(), &h).unwrap_err();
            assert_eq!(r.status, StatusCode::FORBIDDEN);
            assert!(r.message.contains("token"), "{}", r.message);
        }
    }

    #[test]
    fn a_foreign_host_or_origin_is_refused() {
        let uri: Uri = format!("/?token={T}").parse().unwrap();
        for host in ["evil.example:8080", "127.0.0.1:8081", "127.0.0.1", "0.0.0.0:8080"] {
            let r = admit(T, 8080, &Method::GET, &uri, &request(host, &[])).unwrap_err();
            assert!(r.message.contains("served only"), "{host}: {}", r.message);
        }
        let foreign = request("127.0.0.1:8080", &[("origin", "http://evil.example"), (TOKEN_HEADER, T)]);
        assert!(admit(T, 8080, &Method::POST, &uri, &foreign).unwrap_err().message.contains("another site"));
        let no_origin = request("127.0.0.1:8080", &[(TOKEN_HEADER, T)]);
        assert!(admit(T, 8080, &Method::POST, &uri, &no_origin).unwrap_err().message.contains("Origin"));
        let cross = request("127.0.0.1:8080", &[("sec-fetch-site", "cross-site")]);
        assert!(admit(T, 8080, &Method::GET, &uri, &cross).unwrap_err().message.contains("another site"));
    }

    #[test]
    fn tokens_are_new_each_time() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
