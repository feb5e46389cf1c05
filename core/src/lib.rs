//! spur-core: the citizen app's behaviour, shared by the Android and iOS shells and the CLI.
//!
//! `ffi` is the exported UniFFI facade; everything else is plain Rust it delegates to. Start at
//! [`app::App`] and docs/app-core.md.

pub mod app;
pub mod checkin;
pub mod clock;
pub mod codes;
pub mod config;
pub mod consent;
pub mod crypt;
pub mod error;
pub mod ffi;
pub mod fields;
pub mod http;
pub mod local;
pub mod login;
pub mod pdf;
pub mod register;
pub mod render;
pub mod scan;
pub mod store;
pub mod sync;
pub mod texts;
pub mod transport;

pub use app::App;
pub use error::{Error, ErrorKind, Result};
pub use ffi::UniFfiTag;
