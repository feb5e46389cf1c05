//! The POST server's storage behind one small trait, with SQLite and PostgreSQL implementations.
//!
//! Rows hold only what the server may know: kind, a key (content hash, registration handle or QR
//! id), the upload day (retention granularity, nothing finer), the record id and the OP-sealed
//! body. No sequence number, no timestamp, no client data. Every method is blocking; the HTTP
//! layer calls them on tokio's blocking pool.
//!
//! Retention: a row's day is set when it is first stored and never moved by storing the same
//! record again, in either store, so nobody holding a record's bytes can extend its 28 days.

pub mod migrations;
pub mod pg_options;
pub mod postgres;
pub mod sqlite;

use spur_protocol::record::RecordKind;
use spur_protocol::time::Day;

/// A record as stored and exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRecord {
    /// Kind of the upload (a tombstone has [`RecordKind::RegistrationDelete`]).
    pub kind: RecordKind,
    /// Lookup key: the record id for content-addressed kinds, the registration handle, or the QR id.
    pub key: Vec<u8>,
    /// SHA-256 record id (see [`crate::post::ingest::record_id`]): random-looking, reveals no order.
    pub id: [u8; 32],
    /// The OP-sealed body (empty for a tombstone).
    pub body: Vec<u8>,
}

/// One change a request asks for. A request's writes are applied all together or not at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Write {
    /// Store once under (kind, key). The same id again is a no-op that keeps the stored day (a
    /// re-upload never restarts the 28 days); another id under the same key is a
    /// [`StoreError::Conflict`]. Content-addressed records and place/personal records.
    Insert(StoredRecord),
    /// Registration put or refresh: replaces whatever is under the handle, removes its tombstone,
    /// and stores it with today's day. A refresh is a new record (fresh OP layer, new id), so it
    /// restarts the registration's 28 days; the same record again (same id) changes nothing.
    Replace(StoredRecord),
    /// Registration delete: removes the registration under the handle and leaves a tombstone
    /// (the given record, kind `RegistrationDelete`, empty body) for the vault; a tombstone that
    /// is already there keeps its day.
    Tombstone(StoredRecord),
}

impl Write {
    /// The record this write stores.
    pub fn record(&self) -> &StoredRecord {
        match self {
            Write::Insert(r) | Write::Replace(r) | Write::Tombstone(r) => r,
        }
    }
}

/// A row of an export, in (day, kind, key) order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRow {
    /// Upload day.
    pub day: Day,
    /// The record (a tombstone has kind `RegistrationDelete` and an empty body).
    pub record: StoredRecord,
}

/// A position in export order: rows strictly after (day, kind, key), or from the start of `day`
/// when `kind` is 0 and `key` empty.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Position {
    /// Day.
    pub day: u32,
    /// Kind byte (0 = before every kind).
    pub kind: u8,
    /// Key (empty = before every key).
    pub key: Vec<u8>,
}

impl Position {
    /// The start of `day`.
    pub fn start_of(day: Day) -> Self {
        Self {
            day: day.0,
            kind: 0,
            key: Vec::new(),
        }
    }

    /// The position of a row (the next page starts after it).
    pub fn after(row: &ExportRow) -> Self {
        Self {
            day: row.day.0,
            kind: row.record.kind as u8,
            key: row.record.key.clone(),
        }
    }
}

/// Why storage refused or failed. Messages name no paths, hosts or data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The key is taken by a different record (e.g. a second place record for one QR id).
    #[error("the key is already taken by a different record")]
    Conflict {
        /// Index of the write in the request that conflicted.
        index: usize,
    },
    /// The database failed; the detail is for the operator's console, not for clients.
    #[error("database error: {0}")]
    Database(String),
    /// At open: the database was written by a newer build (its schema version is past the last
    /// step in [`migrations`]), so this build refuses it instead of misreading it.
    #[error("the database has schema version {found}, newer than version {known} that this build knows; use a newer build")]
    TooNew {
        /// The version recorded in the database.
        found: u32,
        /// The newest version this build knows.
        known: u32,
    },
}

/// Shorthand.
pub type StoreResult<T> = Result<T, StoreError>;

/// The storage trait. Implementations must make a returned `Ok` from [`Store::write`] durable
/// (it survives `kill -9` of the server process).
pub trait Store: Send + Sync + 'static {
    /// Applies every write of one request, all or nothing, with `day` as upload day.
    fn write(&self, day: Day, writes: Vec<Write>) -> StoreResult<()>;

    /// The record of `kind` under `key`, if any.
    fn get(&self, kind: RecordKind, key: &[u8]) -> StoreResult<Option<StoredRecord>>;

    /// Up to `limit` rows after `from`, up to and including day `through`, in export order.
    fn export(&self, from: &Position, through: Day, limit: usize) -> StoreResult<Vec<ExportRow>>;

    /// Deletes every row whose day is before `keep_from`; returns how many rows (or, for a
    /// partitioned store, at least how many partitions) went.
    fn sweep(&self, keep_from: Day) -> StoreResult<u64>;

    /// Number of stored rows (tombstones included); for tests, benchmarks and health output.
    fn count(&self) -> StoreResult<u64>;

    /// Keeps the peppered PIN check of the personal code `qr_id` (see `post::pin`), uploaded on
    /// `day`: the first one stays; the same one again moves it to `day`; a different one is a
    /// [`StoreError::Conflict`]. Swept with the records by [`Store::sweep`].
    fn put_pin_check(&self, day: Day, qr_id: &[u8], hash: &[u8; 32]) -> StoreResult<()>;

    /// The peppered PIN check kept for `qr_id`, if any.
    fn pin_check(&self, qr_id: &[u8]) -> StoreResult<Option<[u8; 32]>>;
}

/// A 32-byte PIN-check hash from a stored blob.
pub(crate) fn pin_from_db(v: Vec<u8>) -> StoreResult<[u8; 32]> {
    v.try_into()
        .map_err(|_| StoreError::Database("PIN check of the wrong size in the database".into()))
}

/// Kind from a stored kind byte; a byte no kind has means the database was tampered with.
pub(crate) fn kind_from_db(b: i64) -> StoreResult<RecordKind> {
    u8::try_from(b)
        .ok()
        .and_then(|b| RecordKind::from_byte(b).ok())
        .ok_or_else(|| StoreError::Database(format!("unknown kind {b} in the database")))
}

/// A 32-byte id from a stored blob.
pub(crate) fn id_from_db(v: Vec<u8>) -> StoreResult<[u8; 32]> {
    v.try_into()
        .map_err(|_| StoreError::Database("record id of the wrong size in the database".into()))
}
