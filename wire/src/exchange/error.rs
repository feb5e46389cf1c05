//! Why an exchanged file was refused: one typed reason per check, each message naming the file
//! kind and what was wrong, never its bytes.

use thiserror::Error;

use super::PackageKind;

/// Why a vault/desk file could not be made or was refused. The texts read
/// "`<file>` refused: `<reason>`", as the operator and desk staff see them.
#[derive(Debug, Error)]
pub enum ExchangeError {
    /// Sealing failed, or a protocol-level refusal.
    #[error(transparent)]
    Protocol(#[from] spur_protocol::ProtocolError),
    /// The body could not be written as JSON.
    #[error("package refused: {0}")]
    Encode(String),
    /// The body is larger than a file can say.
    #[error("package refused: too large")]
    TooLarge,
    /// The file does not start with the magic bytes.
    #[error("package refused: not a spur package file")]
    NotAPackage,
    /// A format version this build does not read.
    #[error("package refused: package version not supported by this build")]
    Version,
    /// A kind byte no version knows.
    #[error("package refused: unknown package kind")]
    UnknownKind,
    /// Another kind of file than the step expects.
    #[error("package refused: this is a {} file, not a {} file", found.name(), expected.name())]
    WrongKind {
        /// The kind in the header.
        found: PackageKind,
        /// The kind the step reads.
        expected: PackageKind,
    },
    /// A file for another party.
    #[error("package refused: this file is for {}, not for us", super::party(*to))]
    NotForUs {
        /// The receiver in the header.
        to: u16,
    },
    /// The seal does not open with the receiver's key.
    #[error("package refused: it does not open with our key: altered, or sealed to someone else")]
    DoesNotOpen,
    /// The header inside the seal differs from the clear one.
    #[error("package refused: its inner header does not match the outer one")]
    HeaderMismatch,
    /// The inner length field does not fit the content.
    #[error("package refused: bad length")]
    BadLength,
    /// The signature is not the sender's.
    #[error("package refused: it is not signed by {}", super::party(*from))]
    NotSignedBy {
        /// The sender in the header.
        from: u16,
    },
    /// The JSON body does not parse as the kind's body (serde's message names a field, no data).
    #[error("package refused: malformed content: {0}")]
    Malformed(String),
    /// A case reference that is not `<authority>:<case>`.
    #[error("resolve request refused: bad case reference")]
    BadCaseRef,
}
