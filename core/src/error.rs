//! The core's one internal error: a kind the shells can act on and a message in no language yet.
//!
//! Policy per kind (mirrored by the public `SpurError` in `ffi`): `InvalidInput`, `NotASpurCode`,
//! `ConsentRefused`, `WrongCredentials` are the user's to fix and are shown as they are;
//! `NotRegistered` and `Locked` send the user to a screen; `Offline` means the action is kept
//! and retried; `Server` means the server refused and nothing was changed there; `Storage` and
//! `Internal` are bugs or a broken device. No message ever carries a secret.

use spur_protocol::ProtocolError;

use crate::texts::Msg;

/// What kind of failure, i.e. what the shell should do about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Something the user typed or chose is not acceptable.
    InvalidInput,
    /// The scanned text is not a (valid) spur code of this service.
    NotASpurCode,
    /// A consent code was refused (forged, altered, expired, used, unknown authority).
    ConsentRefused,
    /// Phone number and secret do not match this device's registration.
    WrongCredentials,
    /// The action needs a registration first.
    NotRegistered,
    /// The app is locked with a PIN.
    Locked,
    /// No connection to the servers; what was accepted is kept and retried.
    Offline,
    /// A server refused the request.
    Server,
    /// The local database failed.
    Storage,
    /// The local database file is damaged (truncated, overwritten): it is never reset silently;
    /// the user restores it or deletes it to start over.
    StoreDamaged,
    /// A bug: something that should not happen.
    Internal,
}

/// A failure with its kind, its message and, for server refusals, the server's code.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    /// The kind.
    pub kind: ErrorKind,
    /// The message, translated when shown.
    pub msg: Msg,
    /// The server's stable error code, for [`ErrorKind::Server`]; or the core's stable id of a
    /// refused code or PIN (`code_altered`, `code_not_issued`, `wrong_pin`, `pin_rate_limited`).
    pub code: Option<String>,
}

/// Shorthand.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error of `kind` with message `msg`.
    pub fn new(kind: ErrorKind, msg: Msg) -> Self {
        Self {
            kind,
            msg,
            code: None,
        }
    }

    /// Invalid input with message id `id`.
    pub fn input(msg: Msg) -> Self {
        Self::new(ErrorKind::InvalidInput, msg)
    }

    /// A bug; `what` names the place (no data).
    pub fn internal(what: &'static str) -> Self {
        Self::new(
            ErrorKind::Internal,
            Msg::new("error-internal").text("what", what),
        )
    }

    /// A storage failure; the database's own message can name paths, so it is not kept.
    pub fn storage() -> Self {
        Self::new(ErrorKind::Storage, Msg::new("error-storage"))
    }

    /// The database file is damaged.
    pub fn store_damaged() -> Self {
        Self::new(ErrorKind::StoreDamaged, Msg::new("error-store-damaged"))
    }

    /// No connection.
    pub fn offline() -> Self {
        Self::new(ErrorKind::Offline, Msg::new("error-offline"))
    }

    fn with_code(kind: ErrorKind, msg: &'static str, code: &'static str) -> Self {
        Self {
            kind,
            msg: Msg::new(msg),
            code: Some(code.into()),
        }
    }

    /// A code whose shown data is not the data its QR id was issued for (an edited copy).
    pub fn code_altered() -> Self {
        Self::with_code(
            ErrorKind::NotASpurCode,
            "error-code-altered",
            Self::CODE_ALTERED,
        )
    }

    /// The TAG server answered a TMP key that does not verify against the key in the signed
    /// directory: nothing was stored with it.
    pub fn tag_key_unverified() -> Self {
        Self::with_code(
            ErrorKind::Server,
            "error-tag-key-unverified",
            Self::TAG_KEY_UNVERIFIED,
        )
    }

    /// A code with a QR id the TAG server never issued.
    pub fn code_not_issued() -> Self {
        Self::with_code(
            ErrorKind::NotASpurCode,
            "error-code-not-issued",
            Self::CODE_NOT_ISSUED,
        )
    }

    /// The POST server did not confirm a PIN card's PIN (wrong PIN, or the card is not known yet).
    pub fn wrong_pin() -> Self {
        Self::with_code(ErrorKind::InvalidInput, "error-pin-wrong", Self::WRONG_PIN)
    }

    /// Too many wrong PINs for one card within an hour.
    pub fn pin_rate_limited() -> Self {
        Self::with_code(
            ErrorKind::InvalidInput,
            "error-pin-too-many",
            Self::PIN_RATE_LIMITED,
        )
    }

    /// [`Error::code`] of [`Error::code_altered`].
    pub const CODE_ALTERED: &'static str = "code_altered";
    /// [`Error::code`] of [`Error::code_not_issued`].
    pub const CODE_NOT_ISSUED: &'static str = "code_not_issued";
    /// Code of [`Error::tag_key_unverified`].
    pub const TAG_KEY_UNVERIFIED: &'static str = "tag_key_unverified";
    /// [`Error::code`] of [`Error::wrong_pin`].
    pub const WRONG_PIN: &'static str = "wrong_pin";
    /// [`Error::code`] of [`Error::pin_rate_limited`].
    pub const PIN_RATE_LIMITED: &'static str = "pin_rate_limited";
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Self::store_damaged(),
            _ => Self::storage(),
        }
    }
}

impl From<ProtocolError> for Error {
    /// Protocol refusals of user input. Field errors keep the protocol's English reason as an
    /// argument, wrapped in a translated sentence naming the field.
    fn from(e: ProtocolError) -> Self {
        match e {
            ProtocolError::NotSpurCode => {
                Self::new(ErrorKind::NotASpurCode, Msg::new("error-not-spur"))
            }
            ProtocolError::InvalidField { field, reason } => Self::input(
                Msg::new("error-field")
                    .text("field", field)
                    .text("reason", reason),
            ),
            ProtocolError::InvalidDirectory(_) => {
                Self::new(ErrorKind::Server, Msg::new("error-directory-bad"))
            }
            ProtocolError::ConsentExpired => Self::new(
                ErrorKind::ConsentRefused,
                Msg::new("consent-refused-expired"),
            ),
            ProtocolError::UnknownAuthority(_) => Self::new(
                ErrorKind::ConsentRefused,
                Msg::new("consent-refused-unknown-authority"),
            ),
            ProtocolError::BadSignature { .. } => Self::new(
                ErrorKind::ConsentRefused,
                Msg::new("consent-refused-signature"),
            ),
            ProtocolError::Truncated { .. }
            | ProtocolError::WrongSize { .. }
            | ProtocolError::TrailingBytes { .. }
            | ProtocolError::UnsupportedVersion { .. }
            | ProtocolError::UnknownKind { .. } => {
                Self::new(ErrorKind::NotASpurCode, Msg::new("error-code-damaged"))
            }
            ProtocolError::CodeAltered => Self::code_altered(),
            ProtocolError::PlacePostcode { country, problem } => {
                Self::input(crate::reasons::postcode(country, problem))
            }
            ProtocolError::OpenFailed { .. }
            | ProtocolError::WeakKey { .. }
            | ProtocolError::KeyDerivation => Self::internal("protocol"),
            ProtocolError::BadPoprfProof => Self::tag_key_unverified(),
        }
    }
}
