//! The TAG server's JSON bodies: QR ids for commitments and blinded TMP-key evaluations for slots. Ids, commitments
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

/// `POST /v1/tmp-keys`: the POPRF evaluation (RFC 9497, ristretto255-SHA512) of one blinded QR
/// id in slots near now. The server never sees the QR id, only the blinded element and the slots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TmpKeysRequest {
    /// The blinded QR id (`BlindedElement`, a ristretto255 element), 64 lower-case hex digits.
    pub blinded: String,
    /// Slot numbers (half hours since the epoch), 1 to 97, each within the server's window.
    pub slots: Vec<u32>,
}

/// The evaluation for one slot: the POPRF info is the slot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TmpEvaluation {
    /// `EvaluationElement`, 64 lower-case hex digits.
    pub evaluated: String,
    /// The DLEQ proof against the directory's TAG key tweaked by this slot, 128 lower-case hex
    /// digits.
    pub proof: String,
    /// The slot.
    pub slot: u32,
}

/// The answer of `POST /v1/tmp-keys` and `POST /v1/tmp-keys/history`: one evaluation per slot,
/// in the order the slots were asked for (history: every slot of the granted range).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TmpKeysResponse {
    /// The evaluations.
    pub evaluations: Vec<TmpEvaluation>,
}
