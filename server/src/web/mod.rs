//! The code's web address: `spur server web`, a small static host for the pages a phone camera
//! opens when it reads a spur code (`/P`, `/C`, `/A`), a home page, and the app-links files
//! (`/.well-known/assetlinks.json`, `/.well-known/apple-app-site-association`).
//!
//! Stateless and storing nothing: no request log, no client address, no cookies. Every page,
//! style and script is compiled into the binary (no third-party asset), served under a strict
//! Content-Security-Policy. The code itself is only in the URL's fragment, which browsers never
//! send; the page's script (served from 'self') reads it in the browser and may not send
//! anything anywhere (`default-src 'none'` leaves it no connection to make).

pub mod app;
mod assets;
pub mod cors;
mod headers;
mod page;
pub mod run;
mod texts;
pub mod wellknown;

use axum::extract::Request;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::limits::Limits;
pub use app::{App, AppConfig, AppError};
pub use page::Kind;
pub use wellknown::{AppLinks, AppLinksError};

/// Where the page's script is served (the one script the CSP allows).
pub const SCRIPT_PATH: &str = "/assets/code.js";
/// Where the pages' style sheet is served.
pub const STYLE_PATH: &str = "/assets/style.css";

/// The web host's routes with the shared limits (rate, timeouts) and its security headers.
pub fn router(links: AppLinks, limits: &Limits) -> Router {
    router_with_app(links, limits, None)
}

/// The web host's routes, with the web check-in under `/app/` when `app` is given (the code
/// pages then link to it).
pub fn router_with_app(links: AppLinks, limits: &Limits, app: Option<App>) -> Router {
    let links = std::sync::Arc::new(links);
    let (a, b) = (links.clone(), links);
    let on = app.is_some();
    let mut routes = Router::new()
        .route("/", get(|h: HeaderMap| async move { page::home(&h) }))
        .route(
            "/P",
            get(move |h: HeaderMap| async move { page::code(Kind::Place, &h, on) }),
        )
        .route(
            "/C",
            get(move |h: HeaderMap| async move { page::code(Kind::Personal, &h, on) }),
        )
        .route(
            "/A",
            get(move |h: HeaderMap| async move { page::code(Kind::Consent, &h, on) }),
        )
        .route(SCRIPT_PATH, get(|| async { assets::script() }))
        .route(STYLE_PATH, get(|| async { assets::style() }))
        .route(
            "/.well-known/assetlinks.json",
            get(move || async move { json_or_404(a.assetlinks()) }),
        )
        .route(
            "/.well-known/apple-app-site-association",
            get(move || async move { json_or_404(b.apple_app_site_association()) }),
        );
    if let Some(app) = app {
        let app = std::sync::Arc::new(app);
        let (c, d) = (app.clone(), app);
        routes = routes
            .route(
                "/app",
                get(|| async { axum::response::Redirect::permanent(app::PREFIX) }),
            )
            .route("/app/", get(move || async move { c.serve("") }))
            .route(
                "/app/{*rest}",
                get(
                    move |axum::extract::Path(rest): axum::extract::Path<String>| async move {
                        d.serve(&rest)
                    },
                ),
            );
    }
    crate::http::finish(routes, limits).layer(axum::middleware::from_fn(
        |req: Request, next: axum::middleware::Next| async move {
            let mut r = next.run(req).await;
            headers::secure(r.headers_mut());
            r
        },
    ))
}

/// A configured app-links file as `application/json`; 404 when the deployment configured none.
fn json_or_404(body: Option<String>) -> Response {
    match body {
        Some(b) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            b,
        )
            .into_response(),
        None => crate::ApiError::unknown_route().into_response(),
    }
}
