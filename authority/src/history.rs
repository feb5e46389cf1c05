//! The signed request a desk sends the TAG server for a printed card's past TMP keys, and the
//! verified keys from its answer. The card's QR id travels blinded (RFC 9497 POPRF); the blind
//! is derived from the desk's key and the request's nonce, so the answer can be finished from
//! the request bytes alone.

use spur_i18n::Msg;
use spur_protocol::history::{blind_card, HistoryRequest};
use spur_protocol::tag::{Evaluation, QrId};
use spur_protocol::time::{Minute, Slot};
use spur_wire::api::tag::TmpKeysResponse;

use crate::desk::Desk;
use crate::error::{DeskError, Result};
use crate::open::TmpHistory;

/// Signs a request for the TMP keys of `qr_id` from `first` to `last` (inclusive), made `now`,
/// with a fresh random nonce (a card trace can be repeated with a new request at once). The
/// result is the body of `POST /v1/tmp-keys/history`; the answer is read by [`finish`].
pub fn request(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    qr_id: QrId,
    first: Slot,
    last: Slot,
    now: Minute,
) -> Result<Vec<u8>> {
    let mut nonce = [0u8; 16];
    rng.fill_bytes(&mut nonce);
    let (_, blinded) = blind_card(desk.sign_key(), &qr_id, &nonce)?;
    Ok(HistoryRequest {
        authority: desk.id,
        blinded: blinded.0,
        first,
        last,
        issued: now,
        nonce,
    }
    .sign(desk.sign_key()))
}

/// The card's past TMP keys from the TAG server's `answer` (JSON) to this desk's `request` for
/// `qr_id`: the request must be this desk's for this card, and every evaluation must verify
/// against the TAG key of the pinned directory (an equivocating server is refused, nothing kept).
pub fn finish(desk: &Desk, request: &[u8], qr_id: &QrId, answer: &[u8]) -> Result<TmpHistory> {
    let req = HistoryRequest::verify_signed(request, &desk.directory)?;
    let (blind, blinded) = blind_card(desk.sign_key(), qr_id, &req.nonce)?;
    if req.authority != desk.id || blinded.0 != req.blinded {
        return Err(DeskError::refused(Msg::new(
            "desk-err-card-not-this-request",
        )));
    }
    let bad = |r: &str| DeskError::bad_file("TMP history", r.to_owned());
    let a: TmpKeysResponse = serde_json::from_slice(answer).map_err(|e| bad(&e.to_string()))?;
    let mut keys = Vec::with_capacity(a.evaluations.len());
    for e in &a.evaluations {
        if e.slot < req.first.0 || e.slot > req.last.0 {
            return Err(bad("a slot outside the requested range"));
        }
        let ev = Evaluation {
            element: hex(&e.evaluated).ok_or_else(|| bad("an element is not 32 bytes"))?,
            proof: hex(&e.proof).ok_or_else(|| bad("a proof is not 64 bytes"))?,
        };
        let tmp = blind
            .tmp(Slot(e.slot), &ev, &desk.directory.tag_key)
            .map_err(|_| DeskError::refused(Msg::new("desk-err-card-unverified")))?;
        keys.push((Slot(e.slot), tmp));
    }
    Ok(TmpHistory {
        qr_id: *qr_id,
        keys,
    })
}

/// Exactly `N` bytes from lower-case hex.
fn hex<const N: usize>(s: &str) -> Option<[u8; N]> {
    data_encoding::HEXLOWER
        .decode(s.as_bytes())
        .ok()?
        .try_into()
        .ok()
}

/// The TMP history of the card `qr_id` from `file`: either the TAG server's answer to `request`
/// (every proof verified by [`finish`]) or the file `spur authority history-request --answer`
/// kept after it verified that answer itself (only for the same card).
pub fn answer_or_kept(
    desk: &Desk,
    request: &[u8],
    qr_id: &QrId,
    file: &[u8],
) -> Result<crate::open::TmpHistory> {
    match crate::open::TmpHistory::parse(file) {
        Ok(kept) if kept.qr_id == *qr_id => Ok(kept),
        Ok(_) => Err(DeskError::refused(Msg::new("desk-err-card-other-card"))),
        Err(_) => finish(desk, request, qr_id, file),
    }
}
