//! The signed request a desk sends the TAG server for a printed card's past TMP keys.

use spur_protocol::history::HistoryRequest;
use spur_protocol::tag::QrId;
use spur_protocol::time::{Minute, Slot};

use crate::desk::Desk;

/// Signs a request for the TMP keys of `qr_id` from `first` to `last` (inclusive), made `now`.
/// The result is the body of `POST /v1/tmp-keys/history`; the answer is read by
/// [`crate::open::TmpHistory::parse`].
pub fn request(desk: &Desk, qr_id: QrId, first: Slot, last: Slot, now: Minute) -> Vec<u8> {
    HistoryRequest {
        authority: desk.id,
        qr_id,
        first,
        last,
        issued: now,
    }
    .sign(desk.sign_key())
}
