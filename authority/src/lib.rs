//! spur's health-authority desk: the authority's keys and directory entry, consent codes, opening
//! what the vault sends, and the contact list its staff phone through. It shares the vault's
//! file formats (`spur_vault::exchange`) and error type.

pub mod audit;
pub mod card;
pub mod case;
pub mod code;
pub mod contacts;
pub mod desk;
pub mod entry;
pub mod history;
pub mod open;
pub mod pdf;
pub mod playthrough;
pub mod register;
pub mod relay;
pub mod retention;
pub mod stays;

pub use desk::Desk;
/// The one spreadsheet-safe CSV writer, shared with the vault's statistics.
pub use spur_vault::csv_safe;
