//! The one error type of the protocol crate: every refusal is typed and says what was wrong.

use thiserror::Error;

/// Why a key, payload, record or signature was refused. No variant ever carries secret bytes.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProtocolError {
    /// Input ended before a field was complete.
    #[error("{what} is truncated: expected {expected} bytes, got {got}")]
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Bytes the layout needs.
        expected: usize,
        /// Bytes that were there.
        got: usize,
    },
    /// Input had the wrong total length for a fixed-size layout.
    #[error("{what} has the wrong size: expected {expected} bytes, got {got}")]
    WrongSize {
        /// What was being read.
        what: &'static str,
        /// Bytes the layout needs.
        expected: usize,
        /// Bytes that were there.
        got: usize,
    },
    /// Bytes left over after a complete layout.
    #[error("{what} has {extra} unexpected trailing bytes")]
    TrailingBytes {
        /// What was being read.
        what: &'static str,
        /// How many bytes were left.
        extra: usize,
    },
    /// A version byte this implementation does not speak.
    #[error("{what} has unsupported version {got} (this build speaks version {supported})")]
    UnsupportedVersion {
        /// What was being read.
        what: &'static str,
        /// Version found.
        got: u8,
        /// Version understood.
        supported: u8,
    },
    /// A kind or type byte outside the known set.
    #[error("{what} has unknown kind {got}")]
    UnknownKind {
        /// What was being read.
        what: &'static str,
        /// Kind byte found.
        got: u8,
    },
    /// A field whose content breaks its rules (alphabet, range, format).
    #[error("invalid {field}: {reason}")]
    InvalidField {
        /// Which field.
        field: &'static str,
        /// What is wrong with it, in words fit for a user.
        reason: &'static str,
    },
    /// A sealed layer or AEAD did not open: wrong key, wrong label, or altered bytes.
    #[error("{layer} layer did not open: wrong key or altered data")]
    OpenFailed {
        /// Which layer.
        layer: &'static str,
    },
    /// A signature did not verify.
    #[error("signature on {what} is not valid")]
    BadSignature {
        /// What was signed.
        what: &'static str,
    },
    /// A public key that must not be used (low order point).
    #[error("{what} is not a usable public key")]
    WeakKey {
        /// Which key.
        what: &'static str,
    },
    /// A directory that breaks a rule, in words that name the authorities concerned (two
    /// authorities covering the same postcodes, a range with an invalid postcode, a name with
    /// invisible characters). Names only public directory content.
    #[error("the directory is not valid: {0}")]
    InvalidDirectory(String),
    /// A consent code whose expiry is past.
    #[error("this consent code expired")]
    ConsentExpired,
    /// A consent code from an authority the pinned directory does not list.
    #[error("authority {0} is not in the directory")]
    UnknownAuthority(u16),
    /// Text that is not a spur code at all (another QR code, a web link, random text).
    #[error("this is not a spur code")]
    NotSpurCode,
    /// A place or personal code whose shown data (name, country, postcode, kind, key) is not the
    /// data its QR id was issued for: an edited copy.
    #[error("this code was altered (its name, postcode or kind does not match the code)")]
    CodeAltered,
    /// A scanned place code whose postcode does not follow its country's postcode rule
    /// ([`crate::fields::PostcodeRule`]: `DE8033`, `DE00000`, `AT0999`). Such a code was never
    /// made by a spur app (place creation checks the same rule), so it is refused at scan.
    #[error("invalid place postcode for {}: {}", .country.as_str(), .problem.reason())]
    PlacePostcode {
        /// The place code's country.
        country: crate::fields::Country,
        /// What is wrong with the postcode.
        problem: crate::fields::PostcodeProblem,
    },
    /// The key-derivation function refused its parameters (never expected in practice).
    #[error("key derivation failed")]
    KeyDerivation,
    /// A POPRF evaluation (a TMP key) did not verify against the pinned public key: the server
    /// answered with another key than the one it published, or the answer was altered.
    #[error("the TAG server's answer does not verify against its published key")]
    BadPoprfProof,
}

/// Shorthand used throughout the crate.
pub type Result<T> = std::result::Result<T, ProtocolError>;
