//! Shared fixtures of the end-to-end tests: the real `spur` binary run as separate processes on
//! 127.0.0.1 — servers that are killed when dropped, CLI steps whose exit status and message are
//! checked, the operator's vault and two authority desks on disk, citizens with their own data
//! directories, the whole trace exchanged as files, and readers of raw database bytes.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod citizen;
pub mod dump;
pub mod forge;
pub mod hostile;
pub mod http;
mod process;
pub mod town;
mod world;

pub use citizen::*;
pub use process::*;
pub use world::*;

/// The binary under test.
pub const SPUR: &str = env!("CARGO_BIN_EXE_spur");
/// The host every code of these tests names.
pub const HOST: &str = "spur.e2e";
/// The Munich authority (spur-testkit's towns): id, name, postcode range.
pub const MUNICH: (u16, &str, &str) = town(0);
/// The Berlin authority.
pub const BERLIN: (u16, &str, &str) = town(1);

const fn town(i: usize) -> (u16, &'static str, &'static str) {
    let t = spur_testkit::towns::TOWNS[i];
    (t.id, t.name, t.range)
}
/// The environment variable of the clock hook in `protocol/src/time.rs`.
pub const SHIFT: &str = "SPUR_CLOCK_SHIFT_DAYS";
