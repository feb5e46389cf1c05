//! The TMP-key fetch: blinds the QR id (RFC 9497 POPRF), asks the TAG server for the slots'
//! evaluations, checks every proof against the TAG key of the verified directory (the caller
//! passes it) and derives the keys. Nothing unverified leaves this file: one bad proof refuses
//! the whole answer.

use spur_protocol::tag::{QrId, TagPublicKey, TmpKey, TmpRequest};
use spur_protocol::time::Slot;

use crate::error::Error;
use crate::transport::{NetError, Transport};

/// Why no TMP keys came.
#[derive(Debug)]
pub(crate) enum TmpError {
    /// The request failed on the way (offline, busy, refused, unreadable).
    Net(NetError),
    /// The answer did not verify against the pinned TAG key (an equivocating or altered
    /// server), or the directory that pins it could not be had.
    Refused(Error),
}

/// The verified TMP keys of `id` in `slots`, in order; `pk` is the TAG key of the verified
/// directory (`Directory::tag_key`, or the directory's error).
pub(crate) async fn fetch<T: Transport>(
    net: &T,
    pk: Result<TagPublicKey, Error>,
    id: QrId,
    slots: Vec<Slot>,
) -> Result<Vec<(Slot, TmpKey)>, TmpError> {
    let pk = pk.map_err(TmpError::Refused)?;
    let (request, blinded) =
        TmpRequest::new(&id, &mut rand_core::OsRng).map_err(|e| TmpError::Refused(e.into()))?;
    let answers = net.tmp_keys(blinded, slots).await.map_err(TmpError::Net)?;
    answers
        .iter()
        .map(|(slot, ev)| {
            request
                .tmp(*slot, ev, &pk)
                .map(|k| (*slot, k))
                .map_err(|e| TmpError::Refused(e.into()))
        })
        .collect()
}
