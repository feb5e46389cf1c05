//! The page's script and style sheet, compiled into the binary (no third-party asset, nothing
//! read from disk at run time).

use axum::http::header;
use axum::response::{IntoResponse, Response};

const SCRIPT: &str = include_str!("assets/code.js");
const STYLE: &str = include_str!("assets/style.css");

/// The script that reads the code's fragment in the browser.
pub fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SCRIPT,
    )
        .into_response()
}

/// The pages' style sheet.
pub fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}
