//! The TAG server's JSON bodies: QR ids for commitments and TMP keys for slots. Ids, commitments
//! and keys travel as lower-case hex text; the server checks each one and answers its own code
//! (`bad_commitment`, `bad_qr_id`), so they are plain strings here. Fields are declared in
//! alphabetical order: that is the order the servers have always sent them in.

use serde::{Deserialize, Serialize};

/// `POST /v1/qr-ids`: the commitments of the codes to issue ids for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QrIdsRequest {
    /// Commitments, 16 lower-case hex digits each (1 to 100).
    pub commitments: Vec<String>,
}

/// The answer to [`QrIdsRequest`]: one id per commitment, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QrIdsResponse {
    /// QR ids, 32 lower-case hex digits each.
    pub qr_ids: Vec<String>,
}

/// `POST /v1/tmp-keys`: the TMP keys of one QR id in slots near now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TmpKeysRequest {
    /// The QR id, 32 lower-case hex digits.
    pub qr_id: String,
    /// Slot numbers (half hours since the epoch), 1 to 97, each within the server's window.
    pub slots: Vec<u32>,
}

/// One TMP key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TmpKeyEntry {
    /// The slot.
    pub slot: u32,
    /// The TMP key, 64 lower-case hex digits.
    pub tmp: String,
}

/// The answer of `POST /v1/tmp-keys` and `POST /v1/tmp-keys/history`: the keys in the order
/// the slots were asked for (history: every slot of the granted range).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TmpKeysResponse {
    /// The keys.
    pub keys: Vec<TmpKeyEntry>,
    /// The QR id the keys belong to.
    pub qr_id: String,
}
