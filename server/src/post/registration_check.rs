//! `POST /v1/registrations/check`: does a registration exist under this registration secret?
//! Used by an app that logs in again on a new device, so that a mistyped secret is told instead
//! of silently becoming a new identity.
//!
//! The body is a registration-delete record (header and the registration secret), the very bytes
//! `/v1/registrations/delete` takes; it is hashed to the handle here and goes no further, and
//! nothing is written. `204` when a registration is stored under the handle, `404 not_registered`
//! otherwise (never registered, deleted, or expired). Knowing the registration secret takes the
//! phone number *and* the secret through Argon2id, so this answers nothing to a photo or a phone
//! number alone; each guess of a secret costs the guesser that derivation and one request under
//! the server's per-client rate limit (docs/server.md).

use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use spur_protocol::record::RecordKind;

use super::{ingest, PostState};
use crate::error::ApiError;
use crate::http::read_body;
use crate::store::Write;
use spur_wire::api::error::ErrorCode;

/// The handler.
pub(super) async fn check_registration(
    State(s): State<PostState>,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(body, s.limits.body_bytes).await?;
    let handle = match ingest::registration(&bytes)? {
        Write::Tombstone(rec) => rec.key,
        _ => {
            return Err(ApiError::bad_request(
                ErrorCode::WrongKind,
                "this endpoint takes a registration-delete record (the registration secret)",
            ))
        }
    };
    let store = s.store.clone();
    let found = tokio::task::spawn_blocking(move || store.get(RecordKind::Registration, &handle))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(|_| ApiError::storage())?;
    if found.is_some() {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotRegistered,
            "no registration is stored under this registration secret",
        ))
    }
}
