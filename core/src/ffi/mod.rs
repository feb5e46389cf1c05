//! The UniFFI facade, the app's one public API: what the Kotlin and Swift shells see, and what
//! the `spur` CLI and its demo drive too. One entry object ([`Spur`]), records and enums (among
//! them [`Captions`], every word of the shells' screens), one public error ([`SpurError`]) with
//! a policy per variant ([`ErrorPolicy`]), and one callback interface ([`KeyProvider`]) through
//! which the platform keeps the key (generated here) that protects local data. [`Host`] is the
//! Rust-only door for a host's own network and clock.
//!
//! Everything here only converts and delegates to the core's internals.
// The uniffi macros expand to `extern "C"` functions with `#[no_mangle]`, which the `unsafe_code`
// lint counts as unsafe; this module is the only place the crate allows it (see Cargo.toml).
#![allow(unsafe_code)]

mod captions;
mod error;
mod host;
mod keys;
mod media;
mod screens;
mod spur;
mod types;

pub use captions::Captions;
pub use error::{ErrorPolicy, SpurError};
#[cfg(debug_assertions)]
pub use host::TEST_KDF_VAR;
pub use host::{https, Clock, Host, NetError, NetFuture, Network, SystemClock, Transport};
pub use keys::{KeyProvider, KeyStoreError, LOCAL_KEY_BYTES};
pub use spur::Spur;
pub use types::*;

uniffi::setup_scaffolding!("spur_core");
