//! The UniFFI facade: what the Kotlin and Swift shells see. One entry object ([`Spur`]), a few
//! records and enums (among them [`Captions`], every word of the shells' screens), one public error ([`SpurError`]), and one callback interface
//! ([`KeyProvider`]) through which the platform hands over the key that protects local data.
//!
//! Everything here only converts and delegates to [`crate::app::App`].
// The uniffi macros expand to `extern "C"` functions with `#[no_mangle]`, which the `unsafe_code`
// lint counts as unsafe; this module is the only place the crate allows it (see Cargo.toml).
#![allow(unsafe_code)]

mod captions;
mod error;
mod media;
mod spur;
mod types;

pub use captions::Captions;
pub use error::SpurError;
pub use spur::Spur;
pub use types::*;

uniffi::setup_scaffolding!("spur_core");

/// The platform's keeper of the key that encrypts the app's local data at rest.
///
/// Android: a random 32-byte key wrapped by the Android Keystore; iOS: a Keychain item; the
/// desktop CLI: a file readable only by its owner. The core asks once, when [`Spur`] is made.
#[uniffi::export(foreign)]
pub trait KeyProvider: Send + Sync {
    /// The key: at least 32 random bytes, the same every time for this installation.
    fn local_data_key(&self) -> Vec<u8>;
}
