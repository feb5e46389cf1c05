//! What both servers' routers share: body reading with a size limit, the per-client limit and
//! request timeout layers, the one log line and the metrics of each request (route template,
//! method, status, latency, reject reason — nothing else), and JSON answers for unknown routes
//! and wrong methods.

use std::net::IpAddr;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Serialize;
use spur_wire::api::error::ErrorCode;
use spur_wire::api::health::Health;
use spur_wire::api::routes;

use crate::error::{ApiError, Reason};
use crate::limits::{Limits, RateLimiter, UploadBudget};

/// The client's address, put into each request's extensions by [`crate::serve`] (the TCP peer,
/// or behind a trusted proxy the forwarded client: [`crate::proxy`]). It lives only in memory
/// for the rate limiter and the upload budget and is never logged or stored.
#[derive(Clone, Copy, Debug)]
pub struct PeerIp(pub IpAddr);

/// Reads a whole request body of at most `limit` bytes.
pub async fn read_body(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let mut src: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(s) = src {
            if s.is::<http_body_util::LengthLimitError>() {
                return too_large(limit);
            }
            src = s.source();
        }
        ApiError::bad_request(ErrorCode::Malformed, "the request body could not be read")
    })
}

/// The refusal for a body over the limit.
pub fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::BodyTooLarge,
        format!("the request body is larger than {limit} bytes"),
    )
}

async fn rate_limit(State(limiter): State<Arc<RateLimiter>>, req: Request, next: Next) -> Response {
    let allowed = req
        .extensions()
        .get::<PeerIp>()
        .map(|p| limiter.allow(p.0))
        .unwrap_or(true);
    if !allowed {
        let mut r = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            "too many requests from this network; retry in a few seconds",
        )
        .into_response();
        r.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("2"));
        return r;
    }
    next.run(req).await
}

async fn request_timeout(
    State(limit): State<std::time::Duration>,
    req: Request,
    next: Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            ErrorCode::RequestTimeout,
            "the request took too long; nothing was stored unless an answer said so, retry",
        )
        .into_response(),
    }
}

async fn refuse_content_length(State(limit): State<usize>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large(limit).into_response();
    }
    next.run(req).await
}

/// The POST server's upload routes: what the per-client record budget counts.
pub const UPLOAD_ROUTES: [&str; 5] = [
    routes::REGISTRATIONS,
    routes::REGISTRATIONS_DELETE,
    routes::CODES,
    routes::VISITS,
    routes::CONSENT_RELEASES,
];

async fn upload_budget(
    State((budget, body_limit)): State<(Arc<UploadBudget>, usize)>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != axum::http::Method::POST || !UPLOAD_ROUTES.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    let Some(ip) = req.extensions().get::<PeerIp>().map(|p| p.0) else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let bytes = match read_body(body, body_limit).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let records = crate::post::ingest::count_records(&bytes);
    if !budget.take(ip, records) {
        let b = budget.budget();
        let wait = (b.window.as_secs() / u64::from(b.records.max(1)))
            .saturating_mul(u64::from(records))
            .max(1);
        let mut r = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::UploadBudget,
            format!(
                "this network has uploaded its budget of {} records per {} minutes; nothing of \
                 this request was stored, send it again later",
                b.records,
                b.window.as_secs() / 60
            ),
        )
        .into_response();
        if let Ok(v) = header::HeaderValue::from_str(&wait.to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return r;
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Adds the per-client upload budget to the POST server's routes (when per-client limits are
/// on: `limits.rate` and `limits.upload_budget` both set). It counts the records of every upload
/// ([`UPLOAD_ROUTES`]) against the client network's budget, kept in memory under an HMAC of the
/// address, and answers 429 `upload_budget` when they do not fit.
pub fn with_upload_budget(routes: Router, limits: &Limits) -> Router {
    match (limits.rate, limits.upload_budget) {
        (Some(_), Some(b)) => routes.layer(axum::middleware::from_fn_with_state(
            (Arc::new(UploadBudget::new(b)), limits.body_bytes),
            upload_budget,
        )),
        _ => routes,
    }
}

/// The method as a label: the two the routes use, or `other` (a method is client text).
fn method_label(m: &axum::http::Method) -> &'static str {
    match *m {
        axum::http::Method::GET => "GET",
        axum::http::Method::POST => "POST",
        axum::http::Method::HEAD => "HEAD",
        _ => "other",
    }
}

/// One log line (`debug`, target [`crate::log::ACCESS`]) and the metrics of each request.
/// Fields are the field policy's (docs/operations.md): the route TEMPLATE (never the path,
/// which a client fills), method, status, latency and the refusal's code.
async fn observe(req: Request, next: Next) -> Response {
    let route: std::sync::Arc<str> = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| crate::metrics::UNMATCHED.into(), |m| m.as_str().into());
    let method = method_label(req.method());
    let started = std::time::Instant::now();
    let r = next.run(req).await;
    let took = started.elapsed();
    let status = r.status().as_u16();
    let reason = r
        .extensions()
        .get::<Reason>()
        .map(|c| c.0.as_str().to_owned());
    crate::metrics::metrics().request(&route, method, status, took, reason.as_deref());
    tracing::debug!(
        target: crate::log::ACCESS,
        route = &*route,
        method,
        status,
        micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX),
        reason = reason.as_deref().unwrap_or(""),
        "request"
    );
    r
}

/// Adds the shared layers and JSON fallbacks to a server's routes.
pub fn finish(routes: Router, limits: &Limits) -> Router {
    let mut r = routes
        .fallback(|| async { ApiError::unknown_route() })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .layer(axum::middleware::from_fn_with_state(
            limits.body_bytes,
            refuse_content_length,
        ))
        .layer(axum::middleware::from_fn_with_state(
            limits.request_timeout,
            request_timeout,
        ));
    if let Some(rate) = limits.rate {
        r = r.layer(axum::middleware::from_fn_with_state(
            Arc::new(RateLimiter::new(rate)),
            rate_limit,
        ));
    }
    if !limits.web_origins.is_empty() {
        // Outside the rate limit, so a limited answer still names the origin the browser checks.
        let origins = Arc::new(limits.web_origins.clone());
        r = r.layer(axum::middleware::from_fn_with_state(
            origins,
            crate::web::cors::layer,
        ));
    }
    // Outermost, so rate-limited and timed-out requests are counted too.
    r.layer(axum::middleware::from_fn(observe))
}

/// `{"status": "ok"}` for health checks.
pub async fn health() -> impl IntoResponse {
    axum::Json(Health::OK)
}

/// A JSON answer of the contract with `Cache-Control: no-store` (answers are per request).
pub fn json_no_store<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let mut r = (status, axum::Json(body)).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}

/// A JSON request body of the contract, or 400 `malformed` naming the expected `shape`.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8], shape: &str) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|_| ApiError::malformed_json(shape))
}
