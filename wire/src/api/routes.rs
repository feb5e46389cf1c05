//! Every route of both servers, in one place: the servers mount them, the clients call them.

/// Both servers: liveness (`GET`).
pub const HEALTH: &str = "/v1/health";

/// TAG server: QR ids for commitments (`POST`).
pub const QR_IDS: &str = "/v1/qr-ids";
/// TAG server: TMP keys for (QR id, slot) pairs (`POST`).
pub const TMP_KEYS: &str = "/v1/tmp-keys";
/// TAG server: past TMP keys for a desk's signed card history request (`POST`).
pub const TMP_KEYS_HISTORY: &str = "/v1/tmp-keys/history";
/// TAG server: the signed authority directory (`GET`).
pub const DIRECTORY: &str = "/v1/directory";

/// POST server: a registration record (`POST`).
pub const REGISTRATIONS: &str = "/v1/registrations";
/// POST server: a registration's deletion (`POST`).
pub const REGISTRATIONS_DELETE: &str = "/v1/registrations/delete";
/// POST server: does a registration exist (login on a new phone) (`POST`).
pub const REGISTRATIONS_CHECK: &str = "/v1/registrations/check";
/// POST server: a place or personal code record (`POST`).
pub const CODES: &str = "/v1/codes";
/// POST server: is a card's PIN-derived tag the card's (`POST`).
pub const PIN_CHECK: &str = "/v1/pin-check";
/// POST server: visit (slot entry) records (`POST`).
pub const VISITS: &str = "/v1/visits";
/// POST server: consent release records (`POST`).
pub const CONSENT_RELEASES: &str = "/v1/consent-releases";
/// POST server: one page of the export for the vault (`GET`, bearer token).
pub const EXPORT: &str = "/v1/export";
