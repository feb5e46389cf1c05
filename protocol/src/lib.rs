//! spur's protocol: keys, sealed layers, QR payloads and record formats, shared by every party.
//!
//! Plain Rust, no I/O. Randomness comes in as a parameter so that test vectors are reproducible.
//! The byte layouts are written down in `docs/protocol.md`; the sizes in [`record`] are the
//! single source both follow.

pub mod consent;
pub mod crypto;
pub mod directory;
pub mod error;
pub mod export;
pub mod fields;
pub mod history;
pub mod keys;
pub mod labels;
pub mod poprf;
pub mod qr;
pub mod record;
pub(crate) mod secret;
pub mod tag;
pub mod time;
pub mod trace;
pub mod usr;
pub mod wire;

pub use error::{ProtocolError, Result};
pub use secret::Secret;
