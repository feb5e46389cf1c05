//! spur-core: the citizen app's behaviour, shared by the Android and iOS shells and the CLI.
//!
//! This file is the facade of plain Rust: [`App`] and the types its methods take and return,
//! re-exported below, are everything the CLI and the tests use; `ffi` is the UniFFI facade over
//! the same [`App`] for Kotlin and Swift. Every other module is private. Start at [`App`] and
//! docs/app-core.md.
//!
//! # Parts and the order they depend on each other
//!
//! Each flow is a struct owning what it needs (the shared `Ground`: store handle, local key,
//! transport, clock and configuration; and the lower parts it builds on); [`App`] builds the
//! ground once and composes them. A module uses only modules of a lower
//! layer; within the foundation, modules use each other without cycles. `tests/layering.rs`
//! reads this table and checks every `crate::` path of the code against it.
//!
//! ```text
//! layer 8  facade:      ffi
//! layer 7  composer:    app
//! layer 6  sentences:   words
//! layer 5  consent:     consent
//! layer 4  on flows:    codes, sync
//! layer 3  flows:       register, checkin
//! layer 2  shared:      directory, lock, local, tmp
//! layer 1  check-ins:   stay
//! layer 0  foundation:  error, texts, reasons, clock, config, crypt, hex, retry, store,
//!                       transport, http, pdf, render, scan, ground, secret_policy,
//!                       passphrase, rt
//! ```

mod app;
mod checkin;
mod clock;
mod codes;
mod config;
mod consent;
mod crypt;
mod directory;
mod error;
pub mod ffi;
mod ground;
mod hex;
pub mod http;
mod local;
mod lock;
mod passphrase;
pub mod pdf;
mod reasons;
mod register;
mod render;
mod retry;
mod rt;
mod scan;
mod secret_policy;
mod stay;
mod store;
mod sync;
pub mod texts;
mod tmp;
pub mod transport;
mod words;

pub use ffi::UniFfiTag;

// The entry object and its setup.
pub use app::App;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{Config, KdfChoice};
pub use error::{Error, ErrorKind, Result};
pub use store::{Durability, Store};

// What the flows take and return.
pub use codes::{OwnCode, PlaceForm};
pub use consent::{day_text, ConsentRequest};
pub use local::Deleted;
pub use lock::PIN_FREE_TRIES;
pub use passphrase::{
    draw as draw_passphrase, entropy_bits as passphrase_entropy_bits,
    propose as propose_passphrase, words as passphrase_words, LIST_SIZE as PASSPHRASE_LIST_SIZE,
    SEPARATOR as PASSPHRASE_SEPARATOR, WORD_COUNT as PASSPHRASE_WORDS,
};
pub use register::{secret_strength, RegistrationForm};
pub use retry::{backoff, BASE_BACKOFF, MAX_BACKOFF};
pub use secret_policy::{
    check as check_secret, rate as rate_secret, SecretLevel, SecretRating, Weakness,
    MIN_GUESSES_LOG2, STRONG_GUESSES_LOG2,
};
pub use stay::{
    CheckIn, HistoryItem, Running, Scanned, Stay, KEYS_WAIT, MAX_FIXED_MINUTES, MAX_OPEN_MINUTES,
    OPEN_DEFAULT_MINUTES, REMINDER_BEFORE_MINUTES, SHORT_CONTACT_MINUTES,
};
pub use store::history::CounterRow;
pub use sync::SyncReport;

// Drawing and reading codes (stateless).
pub use render::{matrix as qr_matrix, png as qr_png, svg as qr_svg};
pub use scan::{picture as scan_picture, Seen};
