//! The POST server: accepts OP-sealed records, keeps them 28 days, lets the vault pull them.
//! It can open nothing; it checks sizes and versions, stores blobs, and forgets who sent them.

pub mod ingest;
pub mod pin;
pub mod registration_check;
pub mod retention;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use data_encoding::HEXLOWER;
use spur_protocol::time::Minute;
use spur_wire::api::error::ErrorCode;
use spur_wire::api::post::{ExportQuery, StoredIds};
use spur_wire::api::routes;
use subtle::ConstantTimeEq;

use crate::clock::Clock;
use crate::error::ApiError;
use crate::export;
use crate::http::{finish, health, json_no_store, read_body};
use crate::limits::Limits;
use crate::mount::Mounted;
use crate::store::{Store, StoreError, Write};

/// Rows per export page when the vault does not say.
pub const DEFAULT_EXPORT_PAGE: usize = 100_000;
/// Most rows per export page.
pub const MAX_EXPORT_PAGE: usize = 1_000_000;
/// Minutes after midnight during which yesterday still counts as open for the export cursor
/// (a write that started before midnight may commit a little after).
pub const EXPORT_GRACE_MINUTES: u32 = 10;

/// The operator's export token (kept as its SHA-256 so comparison is constant-time and the token
/// itself is not held).
#[derive(Clone)]
pub struct ExportToken([u8; 32], Option<Arc<spur_protocol::keys::SignSecretKey>>);

impl ExportToken {
    /// From the token text (surrounding whitespace removed). Refuses tokens shorter than 16 characters.
    pub fn new(token: &str) -> Option<Self> {
        let t = token.trim();
        (t.len() >= 16).then(|| Self(spur_protocol::crypto::sha256(&[t.as_bytes()]), None))
    }

    /// Signs every export file with the POST server's export key (format version 2), so the
    /// vault that pinned its public key detects rows added, removed or altered in transit.
    pub fn with_signer(self, key: Arc<spur_protocol::keys::SignSecretKey>) -> Self {
        Self(self.0, Some(key))
    }

    fn matches(&self, presented: &str) -> bool {
        let h = spur_protocol::crypto::sha256(&[presented.as_bytes()]);
        h.ct_eq(&self.0).into()
    }
}

/// Everything the POST server's handlers share.
#[derive(Clone)]
pub struct PostState {
    /// The record store.
    pub store: Arc<dyn Store>,
    /// Where "today" comes from.
    pub clock: Arc<dyn Clock>,
    /// Limits (the body limit is used by handlers).
    pub limits: Limits,
    /// The export token; `None` turns the export off.
    pub export_token: Option<ExportToken>,
    /// The PIN-check pepper and rate limiter (`pin.rs`).
    pub pins: pin::SharedPins,
}

/// The POST server's routes, before state and the shared layers.
pub fn routes() -> Mounted<PostState> {
    Mounted::default()
        .get(routes::HEALTH, health)
        .post(routes::REGISTRATIONS, put_registration)
        .post(routes::REGISTRATIONS_DELETE, delete_registration)
        .post(
            routes::REGISTRATIONS_CHECK,
            registration_check::check_registration,
        )
        .post(routes::CODES, pin::put_code)
        .post(routes::PIN_CHECK, pin::check)
        .post(routes::VISITS, put_visit)
        .post(routes::CONSENT_RELEASES, put_consent)
        .get(routes::EXPORT, export_page)
}

/// The POST server's routes with the shared layers.
pub fn router(state: PostState) -> Router {
    let limits = state.limits.clone();
    let routes = routes().into_router().with_state(state);
    finish(crate::http::with_upload_budget(routes, &limits), &limits)
}

async fn store_writes(s: &PostState, writes: Vec<Write>) -> Result<(), ApiError> {
    let store = s.store.clone();
    let day = s.clock.day();
    let started = std::time::Instant::now();
    let done = tokio::task::spawn_blocking(move || store.write(day, writes)).await;
    let outcome = match &done {
        Ok(Ok(())) => "ok",
        Ok(Err(StoreError::Conflict { .. })) => "conflict",
        _ => "error",
    };
    crate::metrics::metrics().store("write", outcome, started.elapsed());
    match done {
        Ok(Ok(())) => Ok(()),
        Ok(Err(StoreError::Conflict { .. })) => Err(ApiError::new(
            StatusCode::CONFLICT,
            ErrorCode::KeyTaken,
            "a different record is already stored under this QR id; nothing was changed",
        )),
        // Only opening a store refuses a newer schema; a write never does.
        Ok(Err(StoreError::TooNew { .. })) => Err(ApiError::storage()),
        Ok(Err(StoreError::Database(e))) => {
            // Operator console only; the message names no client.
            // Operator log; the first line only (drivers quote values after it).
            tracing::error!(reason = %crate::log::storage_reason(&e), "storage error");
            Err(ApiError::storage())
        }
        Err(_) => Err(ApiError::internal()),
    }
}

fn ids(writes: &[Write]) -> Vec<String> {
    writes
        .iter()
        .map(|w| HEXLOWER.encode(&w.record().id))
        .collect()
}

fn stored(ids: Vec<String>) -> Response {
    json_no_store(StatusCode::OK, &StoredIds { ids })
}

async fn ingest_one(
    s: &PostState,
    body: Body,
    parse: impl FnOnce(&[u8]) -> Result<Vec<Write>, ApiError>,
) -> Result<Response, ApiError> {
    let bytes = read_body(body, s.limits.body_bytes).await?;
    let writes = parse(&bytes)?;
    let ids = ids(&writes);
    store_writes(s, writes).await?;
    Ok(stored(ids))
}

async fn put_registration(State(s): State<PostState>, body: Body) -> Result<Response, ApiError> {
    ingest_one(&s, body, |b| match ingest::registration(b)? {
        w @ Write::Replace(_) => Ok(vec![w]),
        _ => Err(ApiError::bad_request(
            ErrorCode::WrongKind,
            format!(
                "this endpoint takes registration records; deletes go to {}",
                routes::REGISTRATIONS_DELETE
            ),
        )),
    })
    .await
}

async fn delete_registration(State(s): State<PostState>, body: Body) -> Result<Response, ApiError> {
    ingest_one(&s, body, |b| match ingest::registration(b)? {
        w @ Write::Tombstone(_) => Ok(vec![w]),
        _ => Err(ApiError::bad_request(
            ErrorCode::WrongKind,
            "this endpoint takes registration-delete records",
        )),
    })
    .await
}

async fn put_visit(State(s): State<PostState>, body: Body) -> Result<Response, ApiError> {
    ingest_one(&s, body, ingest::visit).await
}

async fn put_consent(State(s): State<PostState>, body: Body) -> Result<Response, ApiError> {
    ingest_one(&s, body, |b| Ok(vec![ingest::consent_release(b)?])).await
}

async fn export_page(
    State(s): State<PostState>,
    headers: HeaderMap,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Some(token) = &s.export_token else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::ExportDisabled,
            "this server has no export token configured",
        ));
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !presented.is_some_and(|p| token.matches(p)) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            "the export needs the operator's bearer token",
        ));
    }
    let Query(q) = query.map_err(|_| {
        ApiError::bad_request(
            ErrorCode::BadQuery,
            "query parameters are cursor=<text> and limit=<number>",
        )
    })?;
    let from = match q.cursor.as_deref() {
        Some(c) => export::cursor::decode(c)?,
        None => crate::store::Position::default(),
    };
    let limit = q.limit.unwrap_or(DEFAULT_EXPORT_PAGE);
    if limit == 0 || limit > MAX_EXPORT_PAGE {
        return Err(ApiError::bad_request(
            ErrorCode::BadQuery,
            format!("limit must be between 1 and {MAX_EXPORT_PAGE}"),
        ));
    }
    let now = s.clock.minute();
    let through = now.day();
    let rewind_to = Minute(now.0.saturating_sub(EXPORT_GRACE_MINUTES)).day();
    let body = export::stream(
        s.store.clone(),
        from,
        through,
        rewind_to,
        limit,
        token.1.clone(),
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.spur.export"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}
