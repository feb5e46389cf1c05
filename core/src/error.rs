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
    /// The server's stable error code, for [`ErrorKind::Server`].
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

    /// No connection.
    pub fn offline() -> Self {
        Self::new(ErrorKind::Offline, Msg::new("error-offline"))
    }
}

impl From<rusqlite::Error> for Error {
    fn from(_: rusqlite::Error) -> Self {
        Self::storage()
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
            ProtocolError::OpenFailed { .. }
            | ProtocolError::WeakKey { .. }
            | ProtocolError::KeyDerivation => Self::internal("protocol"),
        }
    }
}
