//! The online, rate-limited PIN check of printed personal cards.
//!
//! A personal-code record carries a 32-byte PIN check in clear (`HMAC(TAG, "spur/v1/pin-check" ||
//! QR id)` for a PIN card, random bytes for any other code, so this server cannot tell them apart).
//! The server keeps only `HMAC(pepper, check)` beside the QR id; the pepper is a secret of this
//! server kept in its own file beside the store, never in the database, so a dump of the database
//! and a photo of a card give no offline PIN test. `POST /v1/pin-check` answers whether a presented
//! check matches, the same way for an unknown id and a wrong PIN, and at most
//! [`MAX_UNCONFIRMED`] unconfirmed answers per QR id per hour (counted in memory only).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use data_encoding::HEXLOWER;
use spur_protocol::labels::PIN_PEPPER;
use spur_protocol::record::{check_wire, RecordKind};
use spur_protocol::tag::QrId;
use spur_wire::api::error::ErrorCode;
use spur_wire::api::post::{PinCheckRequest, PinCheckResponse};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::{ingest, store_writes, stored, PostState};
use crate::error::ApiError;
use crate::http::{json_no_store, parse_json, read_body};
use crate::store::StoreError;

/// Unconfirmed answers one QR id gets per [`WINDOW_MINUTES`].
pub const MAX_UNCONFIRMED: u32 = 5;
/// Length of the rate-limit window in minutes.
pub const WINDOW_MINUTES: u32 = 60;
/// Most QR ids the rate limiter tracks at once (about 40 MB); when full after dropping expired
/// windows, further unconfirmed checks of untracked ids get 429 until windows expire.
pub const MAX_TRACKED: usize = 1_000_000;

/// The pepper and the in-memory rate limiter.
pub struct Pins {
    pepper: Zeroizing<[u8; 32]>,
    /// QR id → (first minute of its window, unconfirmed answers in it).
    tries: Mutex<HashMap<[u8; 16], (u32, u32)>>,
}

impl Pins {
    /// With a given pepper.
    pub fn new(pepper: [u8; 32]) -> Self {
        Self {
            pepper: Zeroizing::new(pepper),
            tries: Mutex::new(HashMap::new()),
        }
    }

    /// With a fresh random pepper held in memory only (tests, simulations).
    pub fn ephemeral() -> Self {
        let mut p = [0u8; 32];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut p);
        Self::new(p)
    }

    /// Reads the pepper file, or creates it (32 random bytes, mode 0600) at first start.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        use anyhow::Context;
        if !path.exists() {
            let mut p = Zeroizing::new([0u8; 32]);
            rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, p.as_mut());
            crate::run::write_private(path, p.as_ref())?;
        }
        let bytes = Zeroizing::new(
            std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
        );
        let arr: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| anyhow::anyhow!("{} must hold exactly 32 bytes", path.display()))?;
        Ok(Self::new(arr))
    }

    /// What the store keeps for a presented or uploaded check.
    pub fn hash(&self, check: &[u8]) -> [u8; 32] {
        spur_protocol::crypto::hmac_sha256(self.pepper.as_ref(), &[PIN_PEPPER.as_bytes(), check])
    }

    /// True when `id` may get another unconfirmed answer at `minute`.
    fn allowed(&self, id: &[u8; 16], minute: u32) -> bool {
        let Ok(mut t) = self.tries.lock() else {
            return false;
        };
        let live = |start: u32| minute.saturating_sub(start) < WINDOW_MINUTES;
        match t.get(id) {
            Some(&(start, n)) if live(start) => n < MAX_UNCONFIRMED,
            _ => {
                if t.len() >= MAX_TRACKED {
                    t.retain(|_, (start, _)| live(*start));
                }
                t.len() < MAX_TRACKED || t.contains_key(id)
            }
        }
    }

    /// Counts one unconfirmed answer for `id` at `minute`.
    fn count(&self, id: &[u8; 16], minute: u32) {
        if let Ok(mut t) = self.tries.lock() {
            let e = t.entry(*id).or_insert((minute, 0));
            if minute.saturating_sub(e.0) >= WINDOW_MINUTES {
                *e = (minute, 0);
            }
            e.1 = e.1.saturating_add(1);
        }
    }
}

/// `POST /v1/codes`: a place or personal-code record; a personal one's PIN check is kept peppered.
pub(super) async fn put_code(State(s): State<PostState>, body: Body) -> Result<Response, ApiError> {
    let bytes = read_body(body, s.limits.body_bytes).await?;
    let write = ingest::code(&bytes)?;
    let pin = check_wire(&bytes)
        .ok()
        .filter(|r| r.kind == RecordKind::Personal)
        .and_then(|r| r.pin_check().map(|c| (r.qr_id().to_vec(), s.pins.hash(c))));
    let ids = vec![HEXLOWER.encode(&write.record().id)];
    store_writes(&s, vec![write]).await?;
    if let Some((qr_id, hash)) = pin {
        let store = s.store.clone();
        let day = s.clock.day();
        match tokio::task::spawn_blocking(move || store.put_pin_check(day, &qr_id, &hash)).await {
            Ok(Ok(())) => {}
            Ok(Err(StoreError::Conflict { .. })) => {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    ErrorCode::KeyTaken,
                    "a different PIN check is already stored under this QR id",
                ))
            }
            Ok(Err(StoreError::TooNew { .. })) => return Err(ApiError::storage()),
            Ok(Err(StoreError::Database(e))) => {
                tracing::error!(reason = %crate::log::storage_reason(&e), "storage error");
                return Err(ApiError::storage());
            }
            Err(_) => return Err(ApiError::internal()),
        }
    }
    Ok(stored(ids))
}

/// `POST /v1/pin-check {"qr_id": "<32 hex>", "check": "<64 hex>"}` → `{"confirmed": bool}`.
pub(super) async fn check(State(s): State<PostState>, body: Body) -> Result<Response, ApiError> {
    let bytes = read_body(body, s.limits.body_bytes).await?;
    let req: PinCheckRequest = parse_json(&bytes, r#"{"qr_id": "<32 hex>", "check": "<64 hex>"}"#)?;
    let id = QrId::from_hex(&req.qr_id).map_err(|_| {
        ApiError::bad_request(ErrorCode::BadQrId, "a QR id is 32 lower-case hex digits")
    })?;
    let presented: [u8; 32] = HEXLOWER
        .decode(req.check.as_bytes())
        .ok()
        .and_then(|v| v.try_into().ok())
        .ok_or_else(|| {
            ApiError::bad_request(
                ErrorCode::BadCheck,
                "a PIN check is 64 lower-case hex digits",
            )
        })?;
    let minute = s.clock.minute().0;
    if !s.pins.allowed(&id.0, minute) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::TooManyPinChecks,
            format!(
                "too many wrong PINs for this card; try again in an hour (at most {MAX_UNCONFIRMED} per hour)"
            ),
        ));
    }
    let store = s.store.clone();
    let kept = tokio::task::spawn_blocking(move || store.pin_check(&id.0))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(|_| ApiError::storage())?;
    let want = s.pins.hash(&presented);
    // An unknown id and a wrong PIN get the same answer and count the same.
    let confirmed = kept.is_some_and(|k| bool::from(k.ct_eq(&want)));
    if !confirmed {
        s.pins.count(&id.0, minute);
    }
    Ok(json_no_store(
        StatusCode::OK,
        &PinCheckResponse { confirmed },
    ))
}

/// A shared handle, for [`PostState`].
pub type SharedPins = Arc<Pins>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_unconfirmed_per_hour_per_id() {
        let p = Pins::ephemeral();
        let (a, b) = ([1u8; 16], [2u8; 16]);
        for _ in 0..MAX_UNCONFIRMED {
            assert!(p.allowed(&a, 100));
            p.count(&a, 100);
        }
        assert!(!p.allowed(&a, 100));
        assert!(!p.allowed(&a, 159));
        assert!(p.allowed(&b, 159), "other ids are not affected");
        assert!(p.allowed(&a, 160), "the window ends after an hour");
        p.count(&a, 160);
        assert!(p.allowed(&a, 160));
    }

    #[test]
    fn the_hash_depends_on_the_pepper() {
        let (a, b) = (Pins::new([1; 32]), Pins::new([2; 32]));
        assert_eq!(a.hash(&[9; 32]), a.hash(&[9; 32]));
        assert_ne!(a.hash(&[9; 32]), b.hash(&[9; 32]));
        assert_ne!(a.hash(&[9; 32]), a.hash(&[8; 32]));
    }
}
