//! The desk's one error type: every refusal says what was wrong and where, never with key bytes,
//! phone numbers or other contact data.

use thiserror::Error;

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
    #[error("package refused: only the vault sends files to a desk")]
    NotFromVault,
    /// The folder holds no desk (no `entry.json`).
    #[error(
        "{dir} is not a desk folder yet: run `spur authority --dir {dir} init --id <number> --name <name> --range DE:<from>-<to>` and then `spur authority --dir {dir} pin …` with the operator's files"
    )]
    NotInitialised {
        /// The folder.
        dir: String,
    },
    /// The desk has no pinned directory yet.
    #[error("refused: this desk has no directory yet: run `spur authority pin` first")]
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
    #[error("refused: {0}")]
    Refused(String),
}

impl DeskError {
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
