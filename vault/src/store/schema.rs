//! The vault's schema steps, written once for both databases (`{B}` is the byte-string type and
//! `{WR}` the SQLite clustering clause, filled in per dialect), and the retention sweeps.
//!
//! `spur_migrate` runs the steps at open, one transaction each; the applied version is SQLite's
//! `user_version` or the PostgreSQL table [`POSTGRES_VERSION_TABLE`]. Never edit a released step;
//! append a new one (see docs/vault-authority.md, "Storage").

use spur_migrate::MigrateError;

use crate::error::VaultError;

/// The PostgreSQL table that records the applied version.
pub const POSTGRES_VERSION_TABLE: &str = "schema_version";

/// Version 1, exactly the schema as it shipped before versions (its `IF NOT EXISTS` make it a
/// no-op on a store that code created, which is then stamped as version 1), with its own marker
/// row `meta.schema = '1'`.
const V1: &str = "
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS imported_files (
    digest {B} PRIMARY KEY, name TEXT NOT NULL, rows BIGINT NOT NULL, at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS slot_entries (
    slot BIGINT NOT NULL, code_kind SMALLINT NOT NULL, bucket {B} NOT NULL, id {B} NOT NULL,
    stat_region {B} NOT NULL, scan_layer {B} NOT NULL,
    PRIMARY KEY (slot, code_kind, bucket, id)){WR};
CREATE TABLE IF NOT EXISTS user_entries (
    find_tag {B} NOT NULL, id {B} NOT NULL, day BIGINT NOT NULL, auth_layer {B} NOT NULL,
    PRIMARY KEY (find_tag, id)){WR};
CREATE TABLE IF NOT EXISTS registrations (
    handle {B} PRIMARY KEY, id {B} NOT NULL, day BIGINT NOT NULL, registration_id {B} NOT NULL,
    home_authority INTEGER NOT NULL, region {B} NOT NULL, sealed_contact {B} NOT NULL);
CREATE INDEX IF NOT EXISTS registrations_by_id ON registrations (registration_id);
CREATE TABLE IF NOT EXISTS tombstones (handle {B} PRIMARY KEY, day BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS codes (
    personal SMALLINT NOT NULL, qr_id {B} NOT NULL, id {B} NOT NULL, day BIGINT NOT NULL,
    region {B} NOT NULL, place_kind SMALLINT NOT NULL, tag_layer {B} NOT NULL,
    PRIMARY KEY (personal, qr_id, id));
CREATE TABLE IF NOT EXISTS consent_releases (
    id {B} PRIMARY KEY, day BIGINT NOT NULL, case_id TEXT NOT NULL,
    consenting_authority INTEGER NOT NULL, nonce {B} NOT NULL, sealed {B} NOT NULL);
CREATE TABLE IF NOT EXISTS used_nonces (
    nonce {B} PRIMARY KEY, case_id TEXT NOT NULL, authority INTEGER NOT NULL, day BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS case_reach (
    authority INTEGER NOT NULL, case_id TEXT NOT NULL, day BIGINT NOT NULL, reach TEXT NOT NULL,
    PRIMARY KEY (authority, case_id));
CREATE TABLE IF NOT EXISTS unopened (
    id {B} PRIMARY KEY, day BIGINT NOT NULL, kind SMALLINT NOT NULL, k {B} NOT NULL, body {B} NOT NULL);
INSERT INTO meta (k, v) VALUES ('schema', '1') ON CONFLICT (k) DO NOTHING;
";

/// Version 2: the version-1 marker row goes. The migration runner records the version now, and a
/// `meta.schema` left at '1' would contradict it after any later step.
const V2: &str = "
DELETE FROM meta WHERE k = 'schema';
";

const STEPS: [&str; 2] = [V1, V2];

/// The steps for SQLite, in order.
pub fn sqlite() -> Vec<String> {
    STEPS
        .iter()
        .map(|t| t.replace("{B}", "BLOB").replace("{WR}", " WITHOUT ROWID"))
        .collect()
}

/// The steps for PostgreSQL, in order.
pub fn postgres() -> Vec<String> {
    STEPS
        .iter()
        .map(|t| t.replace("{B}", "BYTEA").replace("{WR}", ""))
        .collect()
}

/// A store written by a newer build is its own refusal; other migration failures are store
/// errors.
impl From<MigrateError> for VaultError {
    fn from(e: MigrateError) -> Self {
        match e {
            MigrateError::TooNew { found, known } => VaultError::StoreTooNew { found, known },
            other => VaultError::Store(other.to_string()),
        }
    }
}

/// Statements that delete what is older than the retention window: (table, SQL with one
/// parameter, whether the parameter is a slot rather than a day).
pub const SWEEPS: [(&str, bool); 9] = [
    ("DELETE FROM slot_entries WHERE slot < $1", true),
    ("DELETE FROM user_entries WHERE day < $1", false),
    ("DELETE FROM registrations WHERE day < $1", false),
    ("DELETE FROM tombstones WHERE day < $1", false),
    ("DELETE FROM codes WHERE day < $1", false),
    ("DELETE FROM consent_releases WHERE day < $1", false),
    ("DELETE FROM used_nonces WHERE day < $1", false),
    ("DELETE FROM unopened WHERE day < $1", false),
    ("DELETE FROM case_reach WHERE day < $1", false),
];
