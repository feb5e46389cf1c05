//! spur-web: the citizen app core in the browser, a thin wasm-bindgen facade ([`WebSpur`]) over
//! spur-core's one facade (`ffi::Spur`). It only converts between JS values and the core's
//! records, keeps the data key wrapped by a browser key (`keys`), gives the core the page's clock
//! (`clock`) and its SQLite a persistent VFS (IndexedDB); every behaviour is the core's.
//!
//! Built only for `wasm32-unknown-unknown` (scripts/build-web.sh); on other targets the crate is
//! empty, so the native workspace builds as before. docs/app-core.md ("The web core") tells how
//! it is built, stored and kept.
#![cfg(target_arch = "wasm32")]

mod clock;
mod convert;
mod keys;
mod spur;

pub use spur::WebSpur;
