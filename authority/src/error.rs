//! The desk's one error type: every refusal says what was wrong and where, never with key bytes,
//! phone numbers or other contact data. The desk's own refusals are Fluent messages (desk.ftl):
//! `Display` gives them in English (logs, tests), [`DeskError::say`] in the desk's language.

use std::sync::OnceLock;

use spur_i18n::{Lang, Msg};
use thiserror::Error;

use crate::texts::Texts;

/// Why a desk step refused or failed.
#[derive(Debug, Error)]
pub enum DeskError {
    /// A protocol-level refusal (wrong key, altered bytes, bad field, unknown authority).
    #[error(transparent)]
    Protocol(#[from] spur_protocol::ProtocolError),
    /// A file from the vault that is malformed, altered, forged or not for this desk.
    #[error(transparent)]
    Exchange(#[from] spur_wire::exchange::ExchangeError),
    /// A key file, the audit log, a private file or a CSV table failed.
    #[error(transparent)]
    Offline(#[from] spur_offline::OfflineError),
    /// A file was sent to the desk by someone other than the vault.
    #[error("{}", english(&Msg::new("desk-err-not-from-vault")))]
    NotFromVault,
    /// The folder holds no desk (no `entry.json`).
    #[error("{}", english(&not_initialised(dir)))]
    NotInitialised {
        /// The folder.
        dir: String,
    },
    /// The desk has no pinned directory yet.
    #[error("{}", english(&Msg::new("desk-err-not-pinned")))]
    NotPinned,
    /// A file of the desk's own (case file, directory entry, TMP history) that is malformed.
    #[error("{what} refused: {reason}")]
    BadFile {
        /// Which file.
        what: &'static str,
        /// Why (names the field or the parser's complaint, no contents).
        reason: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A request the desk does not allow (no consent on record, a case it has no file of, terms
    /// outside the rules, a PIN not confirmed, …).
    #[error("{}", english(.0))]
    Refused(Msg),
}

/// The desk's words, loaded once for `Display` (which has no desk at hand).
fn texts() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    TEXTS.get_or_init(Texts::new)
}

fn english(msg: &Msg) -> String {
    texts().format(Lang::En, msg)
}

fn not_initialised(dir: &str) -> Msg {
    Msg::new("desk-err-not-initialised").text("dir", dir)
}

impl DeskError {
    /// A refusal worded by the desk.ftl message `msg`.
    pub fn refused(msg: Msg) -> Self {
        Self::Refused(msg)
    }

    /// This error in `lang`: the desk's own refusals from desk.ftl; errors of the protocol, of
    /// files and of I/O in their own (English) words, which name fields and paths.
    pub fn say(&self, lang: Lang) -> String {
        match self {
            Self::Refused(m) => texts().format(lang, m),
            Self::NotFromVault => texts().format(lang, &Msg::new("desk-err-not-from-vault")),
            Self::NotPinned => texts().format(lang, &Msg::new("desk-err-not-pinned")),
            Self::NotInitialised { dir } => texts().format(lang, &not_initialised(dir)),
            other => other.to_string(),
        }
    }

    /// An I/O error with the path it concerns.
    pub fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }

    /// A refusal of a malformed file.
    pub fn bad_file(what: &'static str, reason: impl Into<String>) -> Self {
        Self::BadFile {
            what,
            reason: reason.into(),
        }
    }
}

/// Shorthand.
pub type Result<T> = std::result::Result<T, DeskError>;
