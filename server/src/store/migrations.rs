//! The POST server's schema steps, one list per backend, run by `spur_migrate` at open.
//!
//! Step 1 is the schema as it shipped before versioning, word for word: its `IF NOT EXISTS`
//! makes it a no-op on a database that code created, which is then stamped as version 1. Never
//! edit a released step; append a new one (see docs/server.md, "Storage").

use spur_migrate::MigrateError;

use super::StoreError;

/// SQLite steps; the version is the file's `user_version`.
pub const SQLITE: [&str; 1] = [SQLITE_V1];

/// PostgreSQL steps; the version is in [`POSTGRES_VERSION_TABLE`] of the store's schema.
pub const POSTGRES: [&str; 1] = [POSTGRES_V1];

/// The PostgreSQL table that records the applied version.
pub const POSTGRES_VERSION_TABLE: &str = "spur_schema_version";

/// SQLite version 1: records by (kind, key) with a day index for export, and PIN checks.
const SQLITE_V1: &str = "
CREATE TABLE IF NOT EXISTS records (
    kind INTEGER NOT NULL,
    key  BLOB    NOT NULL,
    day  INTEGER NOT NULL,
    id   BLOB    NOT NULL,
    body BLOB    NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_by_day ON records (day, kind, key);
CREATE TABLE IF NOT EXISTS pin_checks (
    qr_id BLOB    NOT NULL PRIMARY KEY,
    hash  BLOB    NOT NULL,
    day   INTEGER NOT NULL
) WITHOUT ROWID;
";

/// PostgreSQL version 1: records partitioned by upload day (partitions are made per day at
/// write time), a (kind, key) index for lookups, and PIN checks.
const POSTGRES_V1: &str = "
CREATE TABLE IF NOT EXISTS spur_records (
    day  integer  NOT NULL,
    kind smallint NOT NULL,
    key  bytea    NOT NULL,
    id   bytea    NOT NULL,
    body bytea    NOT NULL,
    PRIMARY KEY (day, kind, key)
) PARTITION BY LIST (day);
CREATE INDEX IF NOT EXISTS spur_records_kind_key ON spur_records (kind, key);
CREATE TABLE IF NOT EXISTS spur_pin_checks (
    qr_id bytea   NOT NULL PRIMARY KEY,
    hash  bytea   NOT NULL,
    day   integer NOT NULL
);
";

/// A migration failure as the store reports it: a newer database is its own refusal.
pub(crate) fn store_error(e: MigrateError) -> StoreError {
    match e {
        MigrateError::TooNew { found, known } => StoreError::TooNew { found, known },
        other => StoreError::Database(other.to_string()),
    }
}
