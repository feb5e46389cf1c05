//! The security headers every answer of the web host carries, pages and errors alike.

use axum::http::{header, HeaderMap, HeaderValue};

/// Only the host's own script and style; no connection, frame, form, base or plug-in at all.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                       base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Adds the CSP (the strict one, unless the answer set its own: the web check-in's pages
/// allow WebAssembly and connections to the servers), no-referrer, nosniff and framing headers,
/// and removes any cookie (there is none to set; this keeps it so whatever a later change adds).
pub fn secure(h: &mut HeaderMap) {
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.remove(header::SET_COOKIE);
}
