//! The TAG server: issues QR ids it can recognise without storing them, and evaluates the TMP-key
//! POPRF (RFC 9497) on a blinded QR id for slots near now, with a proof against the key in the
//! signed directory. It never sees a QR id at TMP time, keeps no state and writes nothing: no
//! file, no log, no address.

pub mod history;

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use data_encoding::HEXLOWER;
use spur_protocol::tag::{Blinded, QrCommitment, TagServerSecret, TmpDeriver};
use spur_protocol::time::{Slot, SLOTS_PER_DAY};
use spur_wire::api::error::ErrorCode;
use spur_wire::api::routes;
use spur_wire::api::tag::{
    QrIdsRequest, QrIdsResponse, TmpEvaluation, TmpKeysRequest, TmpKeysResponse,
};

use crate::clock::Clock;
use crate::error::ApiError;
use crate::http::{finish, health, json_no_store, parse_json, read_body};
use crate::limits::Limits;
use crate::mount::Mounted;

pub use history::{HistoryGrant, HistoryVerifier};

/// Most QR ids one request may ask for.
pub const MAX_QR_IDS: usize = 100;
/// Most slots one TMP request may ask for (a 24-hour stay is 48 slots; the window is 97).
pub const MAX_SLOTS: usize = 2 * SLOTS_PER_DAY as usize + 1;

/// Everything the TAG server's handlers share.
pub struct TagState {
    secret: TagServerSecret,
    deriver: TmpDeriver,
    clock: Arc<dyn Clock>,
    window_slots: u32,
    directory: Option<Bytes>,
    history: Option<Arc<dyn HistoryVerifier>>,
    body_limit: usize,
}

impl TagState {
    /// State for a TAG server with `secret`, answering slots within `window_hours` of now.
    pub fn new(
        secret: TagServerSecret,
        clock: Arc<dyn Clock>,
        window_hours: u32,
        directory: Option<Vec<u8>>,
        history: Option<Arc<dyn HistoryVerifier>>,
        limits: &Limits,
    ) -> Result<Self, spur_protocol::ProtocolError> {
        let deriver = secret.tmp_deriver()?;
        Ok(Self {
            secret,
            deriver,
            clock,
            window_slots: window_hours.saturating_mul(2),
            directory: directory.map(Bytes::from),
            history,
            body_limit: limits.body_bytes,
        })
    }
}

/// The TAG server's routes, before state and the shared layers.
pub fn routes() -> Mounted<Arc<TagState>> {
    Mounted::default()
        .get(routes::HEALTH, health)
        .post(routes::QR_IDS, issue_ids)
        .post(routes::TMP_KEYS, tmp_keys)
        .post(routes::TMP_KEYS_HISTORY, history::handler)
        .get(routes::DIRECTORY, directory)
}

/// The TAG server's routes with the shared layers.
pub fn router(state: TagState, limits: &Limits) -> Router {
    finish(routes().into_router().with_state(Arc::new(state)), limits)
}

/// The blinded QR id of a request: 64 lower-case hex digits naming a ristretto255 element (the
/// element itself is checked when it is evaluated).
fn parse_blinded(hex: &str) -> Result<Blinded, ApiError> {
    HEXLOWER
        .decode(hex.as_bytes())
        .ok()
        .and_then(|v| <[u8; 32]>::try_from(v).ok())
        .map(Blinded)
        .ok_or_else(|| {
            ApiError::bad_request(
                ErrorCode::BadQrId,
                "the blinded QR id is 64 lower-case hex digits",
            )
        })
}

/// Issues `c || HMAC(k_qr, c)[0..8]` for each commitment `c`, in order. The server learns only
/// the commitments (hashes that include the code's random TAG key) and keeps nothing.
async fn issue_ids(State(s): State<Arc<TagState>>, body: Body) -> Result<Response, ApiError> {
    let bytes = read_body(body, s.body_limit).await?;
    let req: QrIdsRequest = parse_json(&bytes, r#"{"commitments": ["<16 hex>", ...]}"#)?;
    if req.commitments.is_empty() || req.commitments.len() > MAX_QR_IDS {
        return Err(ApiError::bad_request(
            ErrorCode::BadCount,
            format!("send between 1 and {MAX_QR_IDS} commitments"),
        ));
    }
    let mut ids = Vec::with_capacity(req.commitments.len());
    for c in &req.commitments {
        let c = QrCommitment::from_hex(c).map_err(|_| {
            ApiError::bad_request(
                ErrorCode::BadCommitment,
                "a commitment is 16 lower-case hex digits",
            )
        })?;
        ids.push(
            s.secret
                .issue_qr_id(&c)
                .map_err(|_| ApiError::internal())?
                .to_hex(),
        );
    }
    Ok(json_no_store(
        StatusCode::OK,
        &QrIdsResponse { qr_ids: ids },
    ))
}

/// The JSON answer for `slots`: per slot, the evaluation of `blinded` under that slot's info and
/// its DLEQ proof. A blinded element that is not a ristretto255 element is refused.
pub(crate) fn evaluations_json(
    d: &TmpDeriver,
    blinded: Blinded,
    slots: impl Iterator<Item = Slot>,
) -> Result<Response, ApiError> {
    let mut rng = rand_core::OsRng;
    let mut evaluations = Vec::new();
    for slot in slots {
        let (elements, proof) = d.evaluate(&mut rng, &[blinded], slot).map_err(|_| {
            ApiError::bad_request(
                ErrorCode::BadQrId,
                "the blinded QR id is not a ristretto255 element",
            )
        })?;
        let Some(element) = elements.first() else {
            return Err(ApiError::internal());
        };
        evaluations.push(TmpEvaluation {
            evaluated: HEXLOWER.encode(element),
            proof: HEXLOWER.encode(&proof),
            slot: slot.0,
        });
    }
    Ok(json_no_store(
        StatusCode::OK,
        &TmpKeysResponse { evaluations },
    ))
}

async fn tmp_keys(State(s): State<Arc<TagState>>, body: Body) -> Result<Response, ApiError> {
    let bytes = read_body(body, s.body_limit).await?;
    let req: TmpKeysRequest =
        parse_json(&bytes, r#"{"blinded": "<64 hex>", "slots": [<slot>, ...]}"#)?;
    if req.slots.is_empty() || req.slots.len() > MAX_SLOTS {
        return Err(ApiError::bad_request(
            ErrorCode::BadSlots,
            format!("ask for 1 to {MAX_SLOTS} slots"),
        ));
    }
    let blinded = parse_blinded(&req.blinded)?;
    let now = s.clock.slot().0;
    if let Some(far) = req
        .slots
        .iter()
        .find(|&&sl| sl.abs_diff(now) > s.window_slots)
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::SlotOutOfWindow,
            format!(
                "slot {far} is more than {} hours from now; TMP keys are given only near the present",
                s.window_slots / 2
            ),
        ));
    }
    evaluations_json(&s.deriver, blinded, req.slots.into_iter().map(Slot))
}

async fn directory(State(s): State<Arc<TagState>>) -> Result<Response, ApiError> {
    match &s.directory {
        Some(d) => Ok((
            [
                (header::CONTENT_TYPE, "application/octet-stream"),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            d.clone(),
        )
            .into_response()),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NoDirectory,
            "this server has no authority directory configured",
        )),
    }
}
