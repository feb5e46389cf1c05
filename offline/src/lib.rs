//! What spur's two offline parties, the operator's vault and the authority desks, share beyond
//! the file format they exchange (`spur_wire::exchange`): the hash-chained audit log, key files
//! and owner-only files, the typed counts of skipped records and the one spreadsheet-safe CSV
//! writer. Neither party links the other; both link this.

pub mod audit;
pub mod csv;
pub mod error;
pub mod keyfile;
pub mod private;
pub mod skip;

pub use error::OfflineError;
