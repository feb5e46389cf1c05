//! The desk's stylesheet and script, compiled into the binary: nothing is loaded from elsewhere.

use axum::http::header;
use axum::response::IntoResponse;

const CSS: &str = include_str!("assets/desk.css");
const JS: &str = include_str!("assets/desk.js");

/// `GET /assets/desk.css`.
pub async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS)
}

/// `GET /assets/desk.js`.
pub async fn js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        JS,
    )
}
