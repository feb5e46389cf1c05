//! The one public error of the facade, with its fields and a coded policy per variant. Kotlin
//! sees it as `SpurException` (subclasses per variant), Swift as `SpurError` (an enum with
//! associated values).

use crate::error::{Error, ErrorKind};

/// Why an action failed. Every variant carries `reason`, a sentence already in the user's
/// language (the field is not named `message`: that would clash with Kotlin's
/// `Throwable.message`), and whatever else the shell may act on; [`SpurError::policy`] says what
/// to do about it.
///
/// Exported with its fields (not flat), so `Server { code }` reaches Kotlin and Swift.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum SpurError {
    /// Something the user typed or chose is not acceptable.
    #[error("{reason}")]
    InvalidInput {
        /// What to fix.
        reason: String,
        /// The core's stable id of the refusal when it has one (`wrong_pin`,
        /// `pin_rate_limited`).
        code: Option<String>,
    },
    /// The scanned text is not a valid spur code of this service.
    #[error("{reason}")]
    NotASpurCode {
        /// What is wrong with it.
        reason: String,
        /// The core's stable id when it has one (`code_altered`, `code_not_issued`).
        code: Option<String>,
    },
    /// A consent code was refused: forged, altered, expired, used before, unknown authority.
    #[error("{reason}")]
    ConsentRefused {
        /// The reason, in words.
        reason: String,
    },
    /// Phone number and secret do not match this device's registration.
    #[error("{reason}")]
    WrongCredentials {
        /// What to do.
        reason: String,
    },
    /// The action needs a registration first.
    #[error("{reason}")]
    NotRegistered {
        /// What to do.
        reason: String,
    },
    /// The app is locked with a PIN.
    #[error("{reason}")]
    Locked {
        /// What to do.
        reason: String,
    },
    /// No connection (or the server was busy); what was accepted is kept and sent later.
    #[error("{reason}")]
    Offline {
        /// What happens next.
        reason: String,
    },
    /// A server refused the request; nothing changed there.
    #[error("{reason}")]
    Server {
        /// The server's stable error code (empty when the answer was unreadable).
        code: String,
        /// What happened.
        reason: String,
    },
    /// The device's storage failed.
    #[error("{reason}")]
    Storage {
        /// What happened.
        reason: String,
    },
    /// The app's database file is damaged: restore it or delete it to start over (it is never
    /// reset silently).
    #[error("{reason}")]
    StoreDamaged {
        /// What happened.
        reason: String,
    },
    /// The platform's key store (`KeyProvider`) failed to load or keep the local-data key: the
    /// core refuses to start rather than use a key it could not keep (a fresh key on every
    /// launch would make yesterday's data unreadable).
    #[error("{reason}")]
    KeyStore {
        /// What happened, in the user's words.
        reason: String,
        /// The shell's own description of the failure (a status code, never key bytes).
        detail: String,
    },
    /// A fault in the app.
    #[error("{reason}")]
    Internal {
        /// What happened.
        reason: String,
    },
}

/// What a shell does about a [`SpurError`]: one code per variant, so a shell needs no list of
/// variants to decide (docs/app-core.md, "Errors").
#[derive(serde::Serialize, Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum ErrorPolicy {
    /// Show the reason beside what the user typed or scanned; they change it and try again.
    FixInput,
    /// Send the user to registration or login (again).
    Relogin,
    /// Show the lock screen.
    Unlock,
    /// Nothing to do now: the action was kept and `sync` retries it; show the reason as a note.
    RetryLater,
    /// The server refused for good; show the reason; the same request again would fail again.
    Refused,
    /// The app cannot go on on this device (storage, damaged database, key store, a bug): show
    /// the reason and offer no retry; for a damaged database offer restore or delete.
    Fatal,
}

#[uniffi::export]
impl SpurError {
    /// What the shell should do about this error.
    pub fn policy(&self) -> ErrorPolicy {
        match self {
            Self::InvalidInput { .. }
            | Self::NotASpurCode { .. }
            | Self::ConsentRefused { .. }
            | Self::WrongCredentials { .. } => ErrorPolicy::FixInput,
            Self::NotRegistered { .. } => ErrorPolicy::Relogin,
            Self::Locked { .. } => ErrorPolicy::Unlock,
            Self::Offline { .. } => ErrorPolicy::RetryLater,
            Self::Server { .. } => ErrorPolicy::Refused,
            Self::Storage { .. }
            | Self::StoreDamaged { .. }
            | Self::KeyStore { .. }
            | Self::Internal { .. } => ErrorPolicy::Fatal,
        }
    }

    /// The sentence to show, in the user's language (every variant's `reason`).
    pub fn words(&self) -> String {
        self.to_string()
    }
}

impl SpurError {
    /// Converts an internal error, with its message said in `say`'s language.
    pub(crate) fn from_core(e: Error, say: impl Fn(&crate::texts::Msg) -> String) -> Self {
        let reason = say(&e.msg);
        match e.kind {
            ErrorKind::InvalidInput => Self::InvalidInput {
                reason,
                code: e.code,
            },
            ErrorKind::NotASpurCode => Self::NotASpurCode {
                reason,
                code: e.code,
            },
            ErrorKind::ConsentRefused => Self::ConsentRefused { reason },
            ErrorKind::WrongCredentials => Self::WrongCredentials { reason },
            ErrorKind::NotRegistered => Self::NotRegistered { reason },
            ErrorKind::Locked => Self::Locked { reason },
            ErrorKind::Offline => Self::Offline { reason },
            ErrorKind::Server => Self::Server {
                code: e.code.unwrap_or_default(),
                reason,
            },
            ErrorKind::Storage => Self::Storage { reason },
            ErrorKind::StoreDamaged => Self::StoreDamaged { reason },
            ErrorKind::Internal => Self::Internal { reason },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts::Msg;

    #[test]
    fn a_server_refusal_keeps_its_code_and_is_refused() {
        let e = Error {
            kind: ErrorKind::Server,
            msg: Msg::new("error-server-refused").text("message", "no"),
            code: Some("rate_limited".into()),
        };
        let e = SpurError::from_core(e, |_| "refused".into());
        assert_eq!(
            e,
            SpurError::Server {
                code: "rate_limited".into(),
                reason: "refused".into()
            }
        );
        assert_eq!(e.policy(), ErrorPolicy::Refused);
        assert_eq!(e.words(), "refused");
    }

    #[test]
    fn a_wrong_pin_keeps_its_stable_id_and_asks_for_a_fix() {
        let e = SpurError::from_core(Error::wrong_pin(), |_| "wrong".into());
        assert_eq!(
            e,
            SpurError::InvalidInput {
                reason: "wrong".into(),
                code: Some(Error::WRONG_PIN.into())
            }
        );
        assert_eq!(e.policy(), ErrorPolicy::FixInput);
    }

    #[test]
    fn every_kind_has_its_policy() {
        let cases = [
            (ErrorKind::Offline, ErrorPolicy::RetryLater),
            (ErrorKind::NotRegistered, ErrorPolicy::Relogin),
            (ErrorKind::Locked, ErrorPolicy::Unlock),
            (ErrorKind::StoreDamaged, ErrorPolicy::Fatal),
            (ErrorKind::WrongCredentials, ErrorPolicy::FixInput),
        ];
        for (kind, policy) in cases {
            let e = SpurError::from_core(Error::new(kind, Msg::new("error-internal")), |_| {
                String::new()
            });
            assert_eq!(e.policy(), policy, "{kind:?}");
        }
    }
}
