//! The vault store's schema versions, from a frozen copy of the schema that shipped before
//! versioning: such a store is stamped as version 1 without any change, then upgraded to version 2
//! (which drops the old `meta.schema` marker) with every row intact; a newer store is refused
//! untouched; opening twice changes nothing. SQLite always; PostgreSQL from
//! SPUR_TEST_POSTGRES_URL (required when SPUR_REQUIRE_POSTGRES=1).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use rusqlite::{params, Connection};
use spur_migrate::{migrate, Outcome};
use spur_protocol::time::Day;
use spur_vault::error::VaultError;
use spur_vault::store::postgres::PostgresStore;
use spur_vault::store::schema;
use spur_vault::store::sqlite::SqliteStore;
use spur_vault::store::{CodeRow, RegistrationRow, Store};

/// The SQLite schema exactly as `SqliteStore::open` created it before versions (frozen: never
/// edit it to follow the code).
const SQLITE_FROZEN_V1: &str = "
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS imported_files (
    digest BLOB PRIMARY KEY, name TEXT NOT NULL, rows BIGINT NOT NULL, at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS slot_entries (
    slot BIGINT NOT NULL, code_kind SMALLINT NOT NULL, bucket BLOB NOT NULL, id BLOB NOT NULL,
    stat_region BLOB NOT NULL, scan_layer BLOB NOT NULL,
    PRIMARY KEY (slot, code_kind, bucket, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS user_entries (
    find_tag BLOB NOT NULL, id BLOB NOT NULL, day BIGINT NOT NULL, auth_layer BLOB NOT NULL,
    PRIMARY KEY (find_tag, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS registrations (
    handle BLOB PRIMARY KEY, id BLOB NOT NULL, day BIGINT NOT NULL, registration_id BLOB NOT NULL,
    home_authority INTEGER NOT NULL, region BLOB NOT NULL, sealed_contact BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS registrations_by_id ON registrations (registration_id);
CREATE TABLE IF NOT EXISTS tombstones (handle BLOB PRIMARY KEY, day BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS codes (
    personal SMALLINT NOT NULL, qr_id BLOB NOT NULL, id BLOB NOT NULL, day BIGINT NOT NULL,
    region BLOB NOT NULL, place_kind SMALLINT NOT NULL, tag_layer BLOB NOT NULL,
    PRIMARY KEY (personal, qr_id, id));
CREATE TABLE IF NOT EXISTS consent_releases (
    id BLOB PRIMARY KEY, day BIGINT NOT NULL, case_id TEXT NOT NULL,
    consenting_authority INTEGER NOT NULL, nonce BLOB NOT NULL, sealed BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS used_nonces (
    nonce BLOB PRIMARY KEY, case_id TEXT NOT NULL, authority INTEGER NOT NULL, day BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS case_reach (
    authority INTEGER NOT NULL, case_id TEXT NOT NULL, day BIGINT NOT NULL, reach TEXT NOT NULL,
    PRIMARY KEY (authority, case_id));
CREATE TABLE IF NOT EXISTS unopened (
    id BLOB PRIMARY KEY, day BIGINT NOT NULL, kind SMALLINT NOT NULL, k BLOB NOT NULL, body BLOB NOT NULL);
";

/// The PostgreSQL schema exactly as `PostgresStore::connect` created it before versions.
const POSTGRES_FROZEN_V1: &str = "
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS imported_files (
    digest BYTEA PRIMARY KEY, name TEXT NOT NULL, rows BIGINT NOT NULL, at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS slot_entries (
    slot BIGINT NOT NULL, code_kind SMALLINT NOT NULL, bucket BYTEA NOT NULL, id BYTEA NOT NULL,
    stat_region BYTEA NOT NULL, scan_layer BYTEA NOT NULL,
    PRIMARY KEY (slot, code_kind, bucket, id));
CREATE TABLE IF NOT EXISTS user_entries (
    find_tag BYTEA NOT NULL, id BYTEA NOT NULL, day BIGINT NOT NULL, auth_layer BYTEA NOT NULL,
    PRIMARY KEY (find_tag, id));
CREATE TABLE IF NOT EXISTS registrations (
    handle BYTEA PRIMARY KEY, id BYTEA NOT NULL, day BIGINT NOT NULL, registration_id BYTEA NOT NULL,
    home_authority INTEGER NOT NULL, region BYTEA NOT NULL, sealed_contact BYTEA NOT NULL);
CREATE INDEX IF NOT EXISTS registrations_by_id ON registrations (registration_id);
CREATE TABLE IF NOT EXISTS tombstones (handle BYTEA PRIMARY KEY, day BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS codes (
    personal SMALLINT NOT NULL, qr_id BYTEA NOT NULL, id BYTEA NOT NULL, day BIGINT NOT NULL,
    region BYTEA NOT NULL, place_kind SMALLINT NOT NULL, tag_layer BYTEA NOT NULL,
    PRIMARY KEY (personal, qr_id, id));
CREATE TABLE IF NOT EXISTS consent_releases (
    id BYTEA PRIMARY KEY, day BIGINT NOT NULL, case_id TEXT NOT NULL,
    consenting_authority INTEGER NOT NULL, nonce BYTEA NOT NULL, sealed BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS used_nonces (
    nonce BYTEA PRIMARY KEY, case_id TEXT NOT NULL, authority INTEGER NOT NULL, day BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS case_reach (
    authority INTEGER NOT NULL, case_id TEXT NOT NULL, day BIGINT NOT NULL, reach TEXT NOT NULL,
    PRIMARY KEY (authority, case_id));
CREATE TABLE IF NOT EXISTS unopened (
    id BYTEA PRIMARY KEY, day BIGINT NOT NULL, kind SMALLINT NOT NULL, k BYTEA NOT NULL, body BYTEA NOT NULL);
";

const DAY: u32 = 20_777;
const SLOT: u32 = DAY * 48 + 20;

fn registration() -> RegistrationRow {
    RegistrationRow {
        handle: [1; 32],
        id: [2; 32],
        day: Day(DAY),
        registration_id: [3; 16],
        home_authority: 1,
        region: [4; 12],
        sealed_contact: b"sealed contact".to_vec(),
    }
}

fn place() -> CodeRow {
    CodeRow {
        qr_id: [5; 16],
        id: [6; 32],
        day: Day(DAY),
        region: [4; 12],
        place_kind: 2,
        tag_layer: b"tag layer".to_vec(),
    }
}

/// Every row written by the old code reads back through today's store.
fn assert_old_data(store: &mut dyn Store) {
    assert_eq!(store.registration(&[3; 16]).unwrap(), Some(registration()));
    assert_eq!(store.code(false, &[5; 16]).unwrap(), vec![place()]);
    assert_eq!(
        store.user_entries(&[[7; 32]]).unwrap(),
        vec![([7; 32], b"auth layer".to_vec())]
    );
    assert_eq!(
        store.slot_layers(SLOT, 1, &[4; 12]).unwrap(),
        vec![b"scan layer".to_vec()]
    );
    assert_eq!(
        store.nonce_case(&[10; 16]).unwrap(),
        Some(("case-1".to_owned(), 1))
    );
    assert_eq!(store.reach_get(1, "case-1").unwrap().as_deref(), Some("{}"));
    assert_eq!(
        store.meta_get("audit_head").unwrap().as_deref(),
        Some("head")
    );
    let counts = store.counts().unwrap();
    assert_eq!(
        (
            counts.registrations,
            counts.places,
            counts.user_entries,
            counts.slot_entries
        ),
        (1, 1, 1, 1)
    );
}

// ---- SQLite ----

/// A store file as the code before versions left it: frozen schema, its `meta.schema` marker,
/// one row in most tables, `user_version` 0.
fn sqlite_v1(path: &std::path::Path) {
    let c = Connection::open(path).unwrap();
    c.execute_batch(SQLITE_FROZEN_V1).unwrap();
    c.execute_batch(
        "INSERT INTO meta (k, v) VALUES ('schema', '1'), ('audit_head', 'head');
         INSERT INTO used_nonces (nonce, case_id, authority, day)
             VALUES (x'0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a', 'case-1', 1, 20777);
         INSERT INTO case_reach (authority, case_id, day, reach) VALUES (1, 'case-1', 20777, '{}');",
    )
    .unwrap();
    let r = registration();
    c.execute(
        "INSERT INTO registrations (handle, id, day, registration_id, home_authority, region, sealed_contact)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![r.handle, r.id, r.day.0, r.registration_id, r.home_authority, r.region, r.sealed_contact],
    )
    .unwrap();
    let p = place();
    c.execute(
        "INSERT INTO codes (personal, qr_id, id, day, region, place_kind, tag_layer)
         VALUES (0, ?1, ?2, ?3, ?4, ?5, ?6)",
        params![p.qr_id, p.id, p.day.0, p.region, p.place_kind, p.tag_layer],
    )
    .unwrap();
    c.execute(
        "INSERT INTO user_entries (find_tag, id, day, auth_layer) VALUES (?1, ?2, ?3, ?4)",
        params![[7u8; 32], [8u8; 32], DAY, b"auth layer".to_vec()],
    )
    .unwrap();
    c.execute(
        "INSERT INTO slot_entries (slot, code_kind, bucket, id, stat_region, scan_layer)
         VALUES (?1, 1, ?2, ?3, ?2, ?4)",
        params![SLOT, [4u8; 12], [9u8; 32], b"scan layer".to_vec()],
    )
    .unwrap();
}

fn user_version(path: &std::path::Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// Every table and index with its SQL.
fn sqlite_layout(path: &std::path::Path) -> Vec<(String, Option<String>)> {
    let c = Connection::open(path).unwrap();
    let mut st = c
        .prepare("SELECT name, sql FROM sqlite_master ORDER BY name")
        .unwrap();
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows
}

fn sqlite_meta_schema(path: &std::path::Path) -> Option<String> {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT v FROM meta WHERE k = 'schema'", [], |r| r.get(0))
        .ok()
}

#[test]
fn sqlite_store_from_before_versions_is_stamped_1_unchanged_then_upgraded_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    sqlite_v1(&path);
    let before = sqlite_layout(&path);

    // Step 1 alone: the store is stamped as version 1 and nothing else changes.
    let mut c = Connection::open(&path).unwrap();
    let steps = schema::sqlite();
    let one = migrate(&mut spur_migrate::sqlite::Sqlite(&mut c), &steps[..1]).unwrap();
    assert_eq!(one, Outcome { from: 0, to: 1 });
    drop(c);
    assert_eq!(user_version(&path), 1);
    assert_eq!(sqlite_layout(&path), before);
    assert_eq!(sqlite_meta_schema(&path).as_deref(), Some("1"));

    // Opening brings it to the newest version, every row intact.
    let mut store = SqliteStore::open(&path).unwrap();
    assert_old_data(&mut store);
    drop(store);
    assert_eq!(user_version(&path), steps.len() as i64);
    assert_eq!(
        steps.len(),
        2,
        "a new step: extend this test's upgrade checks"
    );
    assert_eq!(
        sqlite_meta_schema(&path),
        None,
        "version 2 drops the marker"
    );
    assert_eq!(sqlite_layout(&path), before);
}

#[test]
fn sqlite_store_from_before_versions_opens_directly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    sqlite_v1(&path);
    let mut store = SqliteStore::open(&path).unwrap();
    assert_old_data(&mut store);
    assert_eq!(store.meta_get("schema").unwrap(), None);
}

#[test]
fn sqlite_opening_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    sqlite_v1(&path);
    drop(SqliteStore::open(&path).unwrap());
    let layout = sqlite_layout(&path);
    let mut store = SqliteStore::open(&path).unwrap();
    assert_old_data(&mut store);
    drop(store);
    assert_eq!(sqlite_layout(&path), layout);
    let known = schema::sqlite().len() as u32;
    let mut c = Connection::open(&path).unwrap();
    let again = migrate(&mut spur_migrate::sqlite::Sqlite(&mut c), &schema::sqlite()).unwrap();
    assert_eq!(
        again,
        Outcome {
            from: known,
            to: known
        }
    );
}

#[test]
fn sqlite_newer_store_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    sqlite_v1(&path);
    let newer = schema::sqlite().len() as i64 + 1;
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();
    let layout = sqlite_layout(&path);
    let e = SqliteStore::open(&path).err().unwrap();
    assert!(
        matches!(e, VaultError::StoreTooNew { found, known }
            if i64::from(found) == newer && known as usize == schema::sqlite().len()),
        "{e:?}"
    );
    assert_eq!(user_version(&path), newer);
    assert_eq!(sqlite_layout(&path), layout);
    assert_eq!(sqlite_meta_schema(&path).as_deref(), Some("1"));
}

#[test]
fn a_new_in_memory_store_is_at_the_newest_version() {
    let mut store = SqliteStore::in_memory().unwrap();
    assert_eq!(store.meta_get("schema").unwrap(), None);
    assert_eq!(store.counts().unwrap(), Default::default());
}

// ---- PostgreSQL ----

/// The PostgreSQL URL; `None` (with a note) when unset, unless SPUR_REQUIRE_POSTGRES=1 demands it.
fn postgres_url() -> Option<String> {
    match std::env::var("SPUR_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            if std::env::var("SPUR_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("SPUR_REQUIRE_POSTGRES=1 but SPUR_TEST_POSTGRES_URL is not set");
            }
            eprintln!("PostgreSQL test not run: set SPUR_TEST_POSTGRES_URL (scripts/test.sh does)");
            None
        }
    }
}

/// A fresh schema; dropped when the guard goes.
struct Schema {
    url: String,
    name: String,
}

impl Schema {
    fn new(url: String, tag: &str) -> Self {
        let name = format!("vmig_{tag}_{}", std::process::id());
        PostgresStore::drop_schema(&url, &name).unwrap();
        let s = Self { url, name };
        s.client()
            .batch_execute(&format!("CREATE SCHEMA {}", s.name))
            .unwrap();
        s
    }

    fn client(&self) -> postgres::Client {
        let mut c = postgres::Client::connect(&self.url, postgres::NoTls).unwrap();
        c.batch_execute(&format!("SET search_path TO {}", self.name))
            .unwrap();
        c
    }

    fn open(&self) -> Result<PostgresStore, VaultError> {
        PostgresStore::connect(&self.url, &self.name)
    }

    /// The schema as the code before versions left it, with its marker and one row in most
    /// tables.
    fn with_v1_data(self) -> Self {
        let mut c = self.client();
        c.batch_execute(POSTGRES_FROZEN_V1).unwrap();
        c.batch_execute(
            "INSERT INTO meta (k, v) VALUES ('schema', '1'), ('audit_head', 'head');
             INSERT INTO used_nonces (nonce, case_id, authority, day)
                 VALUES (decode('0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a', 'hex'), 'case-1', 1, 20777);
             INSERT INTO case_reach (authority, case_id, day, reach) VALUES (1, 'case-1', 20777, '{}');",
        )
        .unwrap();
        let r = registration();
        c.execute(
            "INSERT INTO registrations (handle, id, day, registration_id, home_authority, region, sealed_contact)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &&r.handle[..],
                &&r.id[..],
                &i64::from(r.day.0),
                &&r.registration_id[..],
                &i32::from(r.home_authority),
                &&r.region[..],
                &r.sealed_contact,
            ],
        )
        .unwrap();
        let p = place();
        c.execute(
            "INSERT INTO codes (personal, qr_id, id, day, region, place_kind, tag_layer)
             VALUES (0, $1, $2, $3, $4, $5, $6)",
            &[
                &&p.qr_id[..],
                &&p.id[..],
                &i64::from(p.day.0),
                &&p.region[..],
                &i16::from(p.place_kind),
                &p.tag_layer,
            ],
        )
        .unwrap();
        c.execute(
            "INSERT INTO user_entries (find_tag, id, day, auth_layer) VALUES ($1, $2, $3, $4)",
            &[
                &&[7u8; 32][..],
                &&[8u8; 32][..],
                &i64::from(DAY),
                &&b"auth layer"[..],
            ],
        )
        .unwrap();
        c.execute(
            "INSERT INTO slot_entries (slot, code_kind, bucket, id, stat_region, scan_layer)
             VALUES ($1, 1, $2, $3, $2, $4)",
            &[
                &i64::from(SLOT),
                &&[4u8; 12][..],
                &&[9u8; 32][..],
                &&b"scan layer"[..],
            ],
        )
        .unwrap();
        self
    }

    fn version(&self) -> Option<i32> {
        let mut c = self.client();
        let has: bool = c
            .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
            .unwrap()
            .get(0);
        has.then(|| {
            c.query_one("SELECT version FROM schema_version", &[])
                .unwrap()
                .get(0)
        })
    }

    fn meta_schema(&self) -> Option<String> {
        self.client()
            .query_opt("SELECT v FROM meta WHERE k = 'schema'", &[])
            .unwrap()
            .map(|r| r.get(0))
    }

    /// Columns and indexes of the store's own tables.
    fn layout(&self) -> Vec<String> {
        let mut c = self.client();
        let mut out: Vec<String> = c
            .query(
                "SELECT table_name::text || '.' || column_name::text || ' ' || data_type::text
                 FROM information_schema.columns
                 WHERE table_schema = $1 AND table_name <> 'schema_version' ORDER BY 1",
                &[&self.name],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        out.extend(
            c.query(
                "SELECT indexdef FROM pg_indexes
                 WHERE schemaname = $1 AND tablename <> 'schema_version' ORDER BY 1",
                &[&self.name],
            )
            .unwrap()
            .iter()
            .map(|r| r.get::<_, String>(0)),
        );
        out
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = PostgresStore::drop_schema(&self.url, &self.name);
    }
}

#[test]
fn postgres_store_from_before_versions_is_stamped_1_unchanged_then_upgraded_with_its_data() {
    let Some(url) = postgres_url() else { return };
    let s = Schema::new(url, "old").with_v1_data();
    let before = s.layout();
    assert_eq!(s.version(), None);

    let steps = schema::postgres();
    let mut c = s.client();
    let one = migrate(
        &mut spur_migrate::postgres::Postgres::new(&mut c, schema::POSTGRES_VERSION_TABLE),
        &steps[..1],
    )
    .unwrap();
    assert_eq!(one, Outcome { from: 0, to: 1 });
    drop(c);
    assert_eq!(s.version(), Some(1));
    assert_eq!(s.layout(), before);
    assert_eq!(s.meta_schema().as_deref(), Some("1"));

    let mut store = s.open().unwrap();
    assert_old_data(&mut store);
    drop(store);
    assert_eq!(s.version(), Some(steps.len() as i32));
    assert_eq!(s.meta_schema(), None, "version 2 drops the marker");
    assert_eq!(s.layout(), before);
}

#[test]
fn postgres_store_from_before_versions_opens_directly_and_twice_changes_nothing() {
    let Some(url) = postgres_url() else { return };
    let s = Schema::new(url, "twice").with_v1_data();
    let mut store = s.open().unwrap();
    assert_old_data(&mut store);
    drop(store);
    let layout = s.layout();
    let mut store = s.open().unwrap();
    assert_old_data(&mut store);
    drop(store);
    assert_eq!(s.layout(), layout);
    let known = schema::postgres().len() as u32;
    let mut c = s.client();
    let again = migrate(
        &mut spur_migrate::postgres::Postgres::new(&mut c, schema::POSTGRES_VERSION_TABLE),
        &schema::postgres(),
    )
    .unwrap();
    assert_eq!(
        again,
        Outcome {
            from: known,
            to: known
        }
    );
    assert_eq!(s.version(), Some(known as i32));
}

#[test]
fn postgres_newer_store_is_refused_untouched() {
    let Some(url) = postgres_url() else { return };
    let s = Schema::new(url, "newer").with_v1_data();
    let newer = schema::postgres().len() as i32 + 1;
    s.client()
        .batch_execute(&format!(
            "CREATE TABLE schema_version (id smallint PRIMARY KEY, version integer NOT NULL);
             INSERT INTO schema_version VALUES (1, {newer})"
        ))
        .unwrap();
    let layout = s.layout();
    let e = s.open().err().unwrap();
    assert!(
        matches!(e, VaultError::StoreTooNew { found, known }
            if found as i32 == newer && known as usize == schema::postgres().len()),
        "{e:?}"
    );
    assert_eq!(s.version(), Some(newer));
    assert_eq!(s.layout(), layout);
    assert_eq!(s.meta_schema().as_deref(), Some("1"));
}
