//! Past TMP keys of one code for a health authority (the printed-card case): POPRF evaluations
//! of the card's blinded QR id, only against a request signed by an authority listed in the
//! operator-signed directory, and only for past slots of the retention window. The check sits behind a small trait so the route does not depend on how
//! the directory is held.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use spur_protocol::directory::Directory;
use spur_protocol::history::HistoryRequest;
use spur_protocol::keys::SignPublicKey;
use spur_protocol::tag::Blinded;
use spur_protocol::time::{Minute, Slot};

use super::{evaluations_json, TagState};
use crate::error::ApiError;
use crate::http::read_body;
use spur_wire::api::error::ErrorCode;

/// What a verified history request grants: evaluations of one blinded QR id over an inclusive
/// range of past slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryGrant {
    /// The card's QR id, blinded by the authority.
    pub blinded: Blinded,
    /// First slot.
    pub first: Slot,
    /// Last slot (inclusive).
    pub last: Slot,
}

/// Checks a signed history request at `now`; the only thing the route needs from the directory.
pub trait HistoryVerifier: Send + Sync + 'static {
    /// The grant, or the refusal (bad signature, unknown authority, stale, out of range).
    fn verify(&self, request: &[u8], now: Minute) -> Result<HistoryGrant, ApiError>;
}

/// The verifier backed by the operator-signed directory (`spur_protocol::history`).
pub struct DirectoryVerifier {
    directory: Directory,
}

impl DirectoryVerifier {
    /// Verifies the signed directory bytes against the pinned root key.
    pub fn new(signed_directory: &[u8], root: &SignPublicKey) -> spur_protocol::Result<Self> {
        Ok(Self {
            directory: Directory::verify(signed_directory, root)?,
        })
    }
}

impl HistoryVerifier for DirectoryVerifier {
    fn verify(&self, request: &[u8], now: Minute) -> Result<HistoryGrant, ApiError> {
        let req = HistoryRequest::verify(request, &self.directory, now).map_err(|e| {
            let mut err = ApiError::from(e);
            err.status = StatusCode::FORBIDDEN;
            err
        })?;
        Ok(HistoryGrant {
            blinded: Blinded(req.blinded),
            first: req.first,
            last: req.last,
        })
    }
}

/// `POST /v1/tmp-keys/history`: body = the signed request bytes.
pub(super) async fn handler(
    State(s): State<Arc<TagState>>,
    body: Body,
) -> Result<Response, ApiError> {
    let Some(verifier) = s.history.clone() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::HistoryUnavailable,
            "this server has no authority directory, so it cannot check history requests",
        ));
    };
    let bytes = read_body(body, s.body_limit).await?;
    let grant = verifier.verify(&bytes, s.clock.minute())?;
    evaluations_json(
        &s.deriver,
        grant.blinded,
        (grant.first.0..=grant.last.0).map(Slot),
    )
}
