//! The one public error of the facade. Kotlin sees it as `SpurException`, Swift as `SpurError`.
//! Every variant carries a message already in the user's language, fit to be shown as it is.

use crate::error::{Error, ErrorKind};

/// Why an action failed. Policy: the first five are the user's to fix (show the message);
/// `NotRegistered` and `Locked` lead to a screen; `Offline` means the action was kept and will
/// be retried; `Server` means the server refused and nothing changed there; `Storage` and
/// `Internal` are device or app faults.
///
/// Exported flat: Kotlin and Swift get one exception class per variant whose message is the
/// translated sentence (a field named `message` would clash with Kotlin's `Throwable.message`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum SpurError {
    /// Something the user typed or chose is not acceptable.
    #[error("{message}")]
    InvalidInput {
        /// What to fix.
        message: String,
    },
    /// The scanned text is not a valid spur code of this service.
    #[error("{message}")]
    NotASpurCode {
        /// What is wrong with it.
        message: String,
    },
    /// A consent code was refused: forged, altered, expired, used before, unknown authority.
    #[error("{message}")]
    ConsentRefused {
        /// The reason, in words.
        message: String,
    },
    /// Phone number and secret do not match this device's registration.
    #[error("{message}")]
    WrongCredentials {
        /// What to do.
        message: String,
    },
    /// The action needs a registration first.
    #[error("{message}")]
    NotRegistered {
        /// What to do.
        message: String,
    },
    /// The app is locked with a PIN.
    #[error("{message}")]
    Locked {
        /// What to do.
        message: String,
    },
    /// No connection; what was accepted is kept and sent later.
    #[error("{message}")]
    Offline {
        /// What happens next.
        message: String,
    },
    /// A server refused the request.
    #[error("{message}")]
    Server {
        /// The server's stable error code (empty when the answer was unreadable).
        code: String,
        /// What happened.
        message: String,
    },
    /// The device's storage failed.
    #[error("{message}")]
    Storage {
        /// What happened.
        message: String,
    },
    /// The app's database file is damaged: restore it or delete it to start over (it is never
    /// reset silently).
    #[error("{message}")]
    StoreDamaged {
        /// What happened.
        message: String,
    },
    /// A fault in the app.
    #[error("{message}")]
    Internal {
        /// What happened.
        message: String,
    },
}

impl SpurError {
    /// Converts an internal error, with its message said in `say`'s language.
    pub(crate) fn from_core(e: Error, say: impl Fn(&crate::texts::Msg) -> String) -> Self {
        let message = say(&e.msg);
        match e.kind {
            ErrorKind::InvalidInput => Self::InvalidInput { message },
            ErrorKind::NotASpurCode => Self::NotASpurCode { message },
            ErrorKind::ConsentRefused => Self::ConsentRefused { message },
            ErrorKind::WrongCredentials => Self::WrongCredentials { message },
            ErrorKind::NotRegistered => Self::NotRegistered { message },
            ErrorKind::Locked => Self::Locked { message },
            ErrorKind::Offline => Self::Offline { message },
            ErrorKind::Server => Self::Server {
                code: e.code.unwrap_or_default(),
                message,
            },
            ErrorKind::Storage => Self::Storage { message },
            ErrorKind::StoreDamaged => Self::StoreDamaged { message },
            ErrorKind::Internal => Self::Internal { message },
        }
    }
}
