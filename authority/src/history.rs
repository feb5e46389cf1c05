//! The signed request a desk sends the TAG server for a printed card's past TMP keys.

use spur_protocol::history::HistoryRequest;
use spur_protocol::tag::QrId;
use spur_protocol::time::{Minute, Slot};

use crate::desk::Desk;

/// Signs a request for the TMP keys of `qr_id` from `first` to `last` (inclusive), made `now`,
/// with a fresh random nonce (a card trace can be repeated with a new request at once). The
/// result is the body of `POST /v1/tmp-keys/history`; the answer is read by
/// [`crate::open::TmpHistory::parse`].
pub fn request(
    desk: &Desk,
    rng: &mut impl rand_core::CryptoRngCore,
    qr_id: QrId,
    first: Slot,
    last: Slot,
    now: Minute,
) -> Vec<u8> {
    let mut nonce = [0u8; 16];
    rng.fill_bytes(&mut nonce);
    HistoryRequest {
        authority: desk.id,
        qr_id,
        first,
        last,
        issued: now,
        nonce,
    }
    .sign(desk.sign_key())
}
