//! spur's health-authority desk: the authority's keys and directory entry, consent codes, opening
//! what the vault sends, and the contact list its staff phone through. It depends on the contract
//! (`spur_wire::exchange`, the files it swaps with the vault) and on what the offline parties
//! share (`spur_offline`), never on the vault crate; its refusals are [`DeskError`]s.

pub mod audit;
pub mod calls;
pub mod card;
pub mod case;
pub mod code;
pub mod contacts;
pub mod desk;
pub mod entry;
pub mod error;
pub mod history;
pub mod listing;
pub mod open;
pub mod pdf;
pub mod place_labels;
pub mod register;
pub mod relay;
pub mod retention;
pub mod settings;
pub mod stays;
pub mod texts;
pub mod web;
pub mod workflow;

pub use desk::Desk;
pub use error::{DeskError, Result};
