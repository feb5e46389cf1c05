//! The test worlds every spur crate's tests share, so "Munich and Berlin" are defined once: the
//! two towns' authorities and postcode ranges (`towns`), a deterministic protocol-level world
//! that plays every party's part in memory (`world`), and the custody table read from
//! docs/protocol.md (`custody_table`); with feature `stores`, the probes of the
//! stores' schema-migration tests (`stores`). Test support only: nothing here ships.
// A failed setup step is a failed test, so the kit may unwrap and panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod custody_table;
#[cfg(feature = "stores")]
pub mod stores;
pub mod towns;
pub mod world;
