//! spur's operator vault: an offline machine that imports the POST server's export files, opens
//! the OP layer, keeps an index, runs its part of tracing and writes statistics, with an
//! append-only, hash-chained audit log of every step. It never talks to a network: everything
//! comes in and goes out as files (`exchange`).

pub mod audit;
pub mod card;
pub mod chart;
pub mod consent;
pub mod csv_safe;
pub mod error;
pub mod exchange;
pub mod export_file;
pub mod forward;
pub mod hex;
pub mod import;
pub mod keyfile;
pub mod reach;
pub mod resolve;
pub mod skip;
pub mod stats;
pub mod store;
pub mod trace;
pub mod vault;

pub use error::{Result, VaultError};
pub use vault::Vault;
