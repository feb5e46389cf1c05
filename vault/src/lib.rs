//! spur's operator vault: an offline machine that imports the POST server's export files, opens
//! the OP layer, keeps an index, runs its part of tracing and writes statistics, with an
//! append-only, hash-chained audit log of every step. It never talks to a network: everything
//! comes in and goes out as files (`spur_wire::exchange`). What it shares with the desks beyond
//! that format (audit log, key files, skip counts, CSV) is in `spur_offline`.

pub mod audit;
pub mod card;
pub mod chart;
pub mod consent;
pub mod error;
pub mod export_file;
pub mod forward;
pub mod import;
pub mod reach;
pub mod resolve;
pub mod stats;
pub mod store;
pub mod trace;
pub mod vault;

pub use error::{Result, VaultError};
pub use vault::Vault;
