//! Cross-origin access for the web check-in: the TAG and POST servers answer a browser's requests
//! from the configured web shells' origins (`--web-origin`), and no other.
//!
//! The shell (served by `spur server web`) runs the core in the page, which calls the TAG and POST
//! servers with `fetch`; they are other origins, so the browser asks first (a preflight) and reads
//! an answer only if it names the page's origin. The servers carry no cookie and no ambient
//! credential, so allowing an origin grants that page nothing a native app does not have; naming
//! origins (instead of `*`) keeps other web sites from using visitors' browsers as clients.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// How long a browser may reuse a preflight's answer, in seconds.
const MAX_AGE: &str = "600";

/// Checks one `--web-origin`: `http(s)://host[:port]`, no path, no trailing slash; lower case
/// as browsers send it.
pub fn parse_origin(s: &str) -> Result<HeaderValue, String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| format!("{s:?} is not an origin: it must start with https:// or http://"))?;
    let ok = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.:[]".contains(&b));
    if !ok {
        return Err(format!(
            "{s:?} is not an origin: only scheme://host[:port] in lower case, without a path"
        ));
    }
    HeaderValue::from_str(s).map_err(|_| format!("{s:?} is not an origin"))
}

/// The middleware: answers preflights from allowed origins, adds the allow headers to their
/// requests' answers, and leaves every other request as it is (a browser then refuses the
/// page the answer; other clients never look at these headers).
pub async fn layer(
    State(origins): State<Arc<Vec<HeaderValue>>>,
    req: Request,
    next: Next,
) -> Response {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .filter(|o| origins.iter().any(|a| a == *o))
        .cloned();
    let Some(origin) = origin else {
        let mut r = next.run(req).await;
        vary(r.headers_mut());
        return r;
    };
    if req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
    {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        allow(h, origin);
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        // The core sends JSON and binary bodies; no credential header is ever needed.
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static(MAX_AGE),
        );
        return r;
    }
    let mut r = next.run(req).await;
    allow(r.headers_mut(), origin);
    // A rate-limited client reads how long to wait.
    r.headers_mut().insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("retry-after"),
    );
    r
}

fn allow(h: &mut HeaderMap, origin: HeaderValue) {
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    vary(h);
}

/// Answers differ by `Origin`: shared caches must keep them apart.
fn vary(h: &mut HeaderMap) {
    h.append(header::VARY, HeaderValue::from_static("origin"));
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        for good in [
            "https://spur.example",
            "http://127.0.0.1:8083",
            "https://[::1]:443",
        ] {
            assert!(parse_origin(good).is_ok(), "{good}");
        }
        for bad in [
            "spur.example",
            "https://spur.example/",
            "https://spur.example/app",
            "https://Spur.example",
            "*",
            "null",
            "https://",
            "ftp://spur.example",
            "https://spur.example\r\nx: y",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}
