//! The one error of the shared offline parts: which file, and what was wrong with it, never its
//! secret bytes.

use thiserror::Error;

/// Why a shared offline step failed.
#[derive(Debug, Error)]
pub enum OfflineError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A key file that is not what it should be (wrong kind, not hex, wrong length, readable by
    /// others); the reason names the problem, never the key.
    #[error("key file refused: {path}: {reason}")]
    KeyFile {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
    /// The audit log does not verify (or a line could not be written).
    #[error("audit log does not verify: {0}")]
    Audit(String),
    /// A CSV table could not be written.
    #[error("CSV: {0}")]
    Csv(String),
}

impl OfflineError {
    /// An I/O error with the path it concerns.
    pub fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }

    /// A refused key file.
    pub fn key_file(path: &std::path::Path, reason: impl Into<String>) -> Self {
        Self::KeyFile {
            path: path.display().to_string(),
            reason: reason.into(),
        }
    }
}
