//! The vault's storage behind one trait, with SQLite (default) and PostgreSQL (scale)
//! implementations that pass the same tests.
//!
//! What is stored is what the OP layer reveals and nothing more: slot entries by (slot, code
//! kind, bucket region) with their SCAN layers, user entries by find-tag with their AUTH layers,
//! registrations by handle and registration id with their AUTH-sealed contact, place and
//! personal-code records by QR id with their TAG layers, and consent releases still OP-sealed
//! (their find keys are read only at intake). Records whose OP layer did not open are kept too.

pub mod postgres;
pub mod schema;
pub mod sqlite;

use spur_protocol::time::Day;

use crate::error::Result;

/// A record after the vault opened its OP layer, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opened {
    /// A registration put or refresh.
    Registration(RegistrationRow),
    /// A registration delete: removes the registration under the handle.
    Tombstone {
        /// Registration handle.
        handle: [u8; 32],
        /// Record id.
        id: [u8; 32],
        /// Upload day.
        day: Day,
    },
    /// A place record.
    Place(CodeRow),
    /// A personal-code record.
    Personal(CodeRow),
    /// A slot entry.
    Slot(SlotRow),
    /// A user entry.
    User(UserRow),
    /// A consent release (OP-sealed body kept; the clear fields say which case it is).
    Consent(ConsentRow),
    /// A record the server accepted whose OP layer does not open: kept, counted, never lost.
    Unopened {
        /// Record id.
        id: [u8; 32],
        /// Upload day.
        day: Day,
        /// Kind byte.
        kind: u8,
        /// Export key.
        key: Vec<u8>,
        /// OP-sealed body.
        body: Vec<u8>,
    },
}

/// A registration as the vault keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationRow {
    /// Registration handle (the POST server's key).
    pub handle: [u8; 32],
    /// Record id.
    pub id: [u8; 32],
    /// Upload day.
    pub day: Day,
    /// Registration id (what contact references point to).
    pub registration_id: [u8; 16],
    /// Authority the contact is sealed to.
    pub home_authority: u16,
    /// Encoded region (zeros when none), for statistics.
    pub region: [u8; 12],
    /// AUTH-sealed contact data.
    pub sealed_contact: Vec<u8>,
}

/// A place or personal-code record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRow {
    /// QR id.
    pub qr_id: [u8; 16],
    /// Record id.
    pub id: [u8; 32],
    /// Upload day.
    pub day: Day,
    /// Encoded region of a place (zeros for a personal code).
    pub region: [u8; 12],
    /// Place kind byte (0 for a personal code).
    pub place_kind: u8,
    /// TAG layer.
    pub tag_layer: Vec<u8>,
}

/// A slot entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotRow {
    /// Record id.
    pub id: [u8; 32],
    /// Slot.
    pub slot: u32,
    /// Code kind byte (1 place, 2 personal).
    pub code_kind: u8,
    /// Bucket region: the place's region; zeros for a personal code (its bucket ignores region).
    pub bucket: [u8; 12],
    /// Region for statistics: the place's, or where a personal code was scanned (zeros if none).
    pub stat_region: [u8; 12],
    /// The SCAN layer.
    pub scan_layer: Vec<u8>,
}

/// A user entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    /// Record id.
    pub id: [u8; 32],
    /// Upload day.
    pub day: Day,
    /// Find-tag.
    pub find_tag: [u8; 32],
    /// AUTH layer.
    pub auth_layer: Vec<u8>,
}

/// A consent release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentRow {
    /// Record id.
    pub id: [u8; 32],
    /// Upload day.
    pub day: Day,
    /// Case id.
    pub case_id: String,
    /// Consenting authority.
    pub consenting_authority: u16,
    /// Nonce of the consent code.
    pub nonce: [u8; 16],
    /// The OP-sealed body, opened again at intake.
    pub sealed: Vec<u8>,
}

/// What one import added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportCounts {
    /// True when this file (same SHA-256) was imported before: nothing changed.
    pub already_imported: bool,
    /// Rows in the file.
    pub rows: u64,
    /// Rows that added something new.
    pub new: u64,
    /// Rows already present (an overlapping pull): skipped.
    pub duplicates: u64,
    /// Rows whose OP layer did not open: kept apart.
    pub unopened: u64,
    /// Rows uploaded more than 28 days ago: past retention, not stored again.
    pub expired: u64,
}

/// Raw counts for statistics, one per day and region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawStat {
    /// Day.
    pub day: Day,
    /// Encoded region (zeros when unknown).
    pub region: [u8; 12],
    /// Registrations uploaded that day with this region.
    pub registrations: u64,
    /// Slot entries of that day at codes in this region.
    pub slot_entries: u64,
}

/// Rows per table, for status output and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Registrations.
    pub registrations: u64,
    /// Place records.
    pub places: u64,
    /// Personal-code records.
    pub personal: u64,
    /// Slot entries.
    pub slot_entries: u64,
    /// User entries.
    pub user_entries: u64,
    /// Consent releases.
    pub consent_releases: u64,
    /// Records whose OP layer did not open.
    pub unopened: u64,
}

/// The storage trait. Every write method is all-or-nothing and durable when it returns `Ok`.
pub trait Store: Send {
    /// Stores the rows of one export file in one transaction; a file whose digest was imported
    /// before changes nothing.
    fn import(&mut self, digest: &[u8; 32], name: &str, rows: &[Opened]) -> Result<ImportCounts>;
    /// The AUTH layers of the user entries with these find-tags.
    fn user_entries(&mut self, tags: &[[u8; 32]]) -> Result<Vec<([u8; 32], Vec<u8>)>>;
    /// The SCAN layers of one bucket.
    fn slot_layers(&mut self, slot: u32, code_kind: u8, bucket: &[u8; 12]) -> Result<Vec<Vec<u8>>>;
    /// The registration with this registration id.
    fn registration(&mut self, registration_id: &[u8; 16]) -> Result<Option<RegistrationRow>>;
    /// Place (`personal` false) or personal-code records under a QR id.
    fn code(&mut self, personal: bool, qr_id: &[u8; 16]) -> Result<Vec<CodeRow>>;
    /// Every consent release not used yet.
    fn pending_consents(&mut self) -> Result<Vec<ConsentRow>>;
    /// Marks a consent nonce used by `authority` for `case_id`; false when it was used before.
    fn use_nonce(&mut self, nonce: &[u8; 16], case_id: &str, authority: u16) -> Result<bool>;
    /// The case id and authority a used nonce was handed to, if any.
    fn nonce_case(&mut self, nonce: &[u8; 16]) -> Result<Option<(String, u16)>>;
    /// Raw counts per day and region.
    fn raw_stats(&mut self) -> Result<Vec<RawStat>>;
    /// Deletes everything recorded before `keep_from`; returns the rows deleted.
    fn sweep(&mut self, keep_from: Day) -> Result<u64>;
    /// What a case of `authority` reached (`crate::reach::CaseReach` as JSON), if anything.
    fn reach_get(&mut self, authority: u16, case_id: &str) -> Result<Option<String>>;
    /// Stores what a case reached, dated today (swept with retention).
    fn reach_put(&mut self, authority: u16, case_id: &str, reach: &str) -> Result<()>;
    /// A metadata value.
    fn meta_get(&mut self, key: &str) -> Result<Option<String>>;
    /// Sets a metadata value.
    fn meta_set(&mut self, key: &str, value: &str) -> Result<()>;
    /// Rows per table.
    fn counts(&mut self) -> Result<Counts>;
}

/// The bucket region a slot entry is filed under (the exchange format's rule: personal codes
/// ignore the region).
pub use spur_wire::exchange::bucket_of;
