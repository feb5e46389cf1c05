//! The page for an unknown address.

use super::*;

#[derive(Template)]
#[template(path = "error.html")]
pub(super) struct NotFound<'a> {
    pub(super) t: Words<'a>,
    pub(super) c: Chrome,
    pub(super) message: String,
    pub(super) back: String,
}

pub(super) fn not_found_page(s: &Shared, sess: &Session) -> Response {
    let t = words(s, sess);
    let c = chrome(t.w("web-error-title"), sess);
    let message = t.w("web-not-found");
    let mut r = html(NotFound {
        t,
        c,
        message,
        back: "/".into(),
    });
    *r.status_mut() = StatusCode::NOT_FOUND;
    r
}

/// Any other address.
pub async fn not_found(State(s): State<Shared>, headers: HeaderMap) -> Response {
    match staff(&s, &headers) {
        Ok((_, sess, _)) => not_found_page(&s, &sess),
        Err(r) => r,
    }
}
