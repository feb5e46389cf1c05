//! The vault's one error type: every refusal says what was wrong, never with secret bytes.

use thiserror::Error;

/// Why a vault step refused or failed.
#[derive(Debug, Error)]
pub enum VaultError {
    /// A protocol-level refusal (wrong key, altered bytes, bad field).
    #[error(transparent)]
    Protocol(#[from] spur_protocol::ProtocolError),
    /// An export file that breaks its format; the whole file is refused and nothing is imported.
    #[error("export file refused, nothing imported: {0}")]
    BadExport(#[from] spur_protocol::export::ExportError),
    /// A file exchanged with an authority that is malformed, altered or not for us.
    #[error(transparent)]
    Exchange(#[from] spur_wire::exchange::ExchangeError),
    /// A shared offline part failed: a key file, the audit log, a private file, a CSV table.
    #[error(transparent)]
    Offline(#[from] spur_offline::OfflineError),
    /// Another file the vault reads (a request's contents, a signed directory) that is malformed.
    #[error("{what} refused: {reason}")]
    BadFile {
        /// Which file.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// The store failed; the message names no data.
    #[error("store error: {0}")]
    Store(String),
    /// The store was written by a newer build (schema version past this build's last step).
    #[error("the store has schema version {found}, newer than version {known} that this build knows; use a newer build")]
    StoreTooNew {
        /// The version recorded in the store.
        found: u32,
        /// The newest version this build knows.
        known: u32,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A request the vault does not allow (wrong authority, replayed consent, …).
    #[error("refused: {0}")]
    Refused(String),
    /// Drawing a chart failed.
    #[error("chart: {0}")]
    Chart(String),
}

impl VaultError {
    /// An I/O error with the path it concerns.
    pub fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }

    /// A refusal of an exchanged file.
    pub fn bad_file(what: &'static str, reason: impl Into<String>) -> Self {
        Self::BadFile {
            what,
            reason: reason.into(),
        }
    }
}

impl From<rusqlite::Error> for VaultError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Store(e.to_string())
    }
}

impl From<postgres::Error> for VaultError {
    fn from(e: postgres::Error) -> Self {
        // With its causes (a TLS refusal names the certificate problem), without row values.
        Self::Store(spur_migrate::connect::describe(&e))
    }
}

/// Shorthand.
pub type Result<T> = std::result::Result<T, VaultError>;
