//! The vault store's schema versions, from a frozen copy of the schema that shipped before
//! versioning: such a store is stamped as version 1 without any change, then upgraded to version 2
//! (which drops the old `meta.schema` marker) with every row intact; a newer store is refused
//! untouched; opening twice changes nothing. SQLite always; PostgreSQL from
//! SPUR_TEST_POSTGRES_URL (required when SPUR_REQUIRE_POSTGRES=1).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use rusqlite::{params, Connection};
use spur_migrate::Outcome;
use spur_protocol::time::Day;
use spur_testkit::stores::{
    postgres_url, sqlite_assert_current, sqlite_layout, sqlite_migrate, sqlite_open_newer,
    sqlite_version as user_version, PgSchema,
};
use spur_vault::error::VaultError;
use spur_vault::store::postgres::PostgresStore;
use spur_vault::store::schema;
use spur_vault::store::sqlite::SqliteStore;
use spur_vault::store::{CodeRow, RegistrationRow, Store};

/// The schema exactly as `SqliteStore::open` and `PostgresStore::connect` created it before
/// versions: one template, with `{B}` the byte-string type and `{WR}` SQLite's clustering clause,
/// filled in per dialect as that code did ([`frozen_v1`]). Frozen: never edit it to follow the
/// code (today's step 1 also adds the `meta.schema` marker the old code wrote separately).
///
/// It repeats the start of `schema.rs`'s step 1 on purpose, not as a copy to replace with a
/// reference: it stands for stores already in the field, so it must never follow an edit of
/// the code; `step_1_is_the_schema_that_shipped_before_versions` catches the code drifting.
const FROZEN_V1: &str = "
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
";

/// The marker row the old code wrote after its schema, which step 1 writes too.
const V1_MARKER: &str =
    "INSERT INTO meta (k, v) VALUES ('schema', '1') ON CONFLICT (k) DO NOTHING;\n";

/// [`FROZEN_V1`] in SQLite's (`sqlite == true`) or PostgreSQL's dialect.
fn frozen_v1(sqlite: bool) -> String {
    let (bytes, clustering) = if sqlite {
        ("BLOB", " WITHOUT ROWID")
    } else {
        ("BYTEA", "")
    };
    FROZEN_V1.replace("{B}", bytes).replace("{WR}", clustering)
}

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

#[test]
fn step_1_is_the_schema_that_shipped_before_versions() {
    // A released step is never edited: a store stamped 1 must have exactly this layout.
    assert_eq!(schema::sqlite()[0], frozen_v1(true) + V1_MARKER);
    assert_eq!(schema::postgres()[0], frozen_v1(false) + V1_MARKER);
}

// ---- SQLite ----

/// A store file as the code before versions left it: frozen schema, its `meta.schema` marker,
/// one row in most tables, `user_version` 0. The rows go in by hand (the same columns as the
/// store's own inserts), because today's store would migrate the file before writing.
fn sqlite_v1(path: &std::path::Path) {
    let c = Connection::open(path).unwrap();
    c.execute_batch(&frozen_v1(true)).unwrap();
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
    let steps = schema::sqlite();
    assert_eq!(
        sqlite_migrate(&path, &steps[..1]),
        Outcome { from: 0, to: 1 }
    );
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
    sqlite_assert_current(&path, &schema::sqlite());
}

#[test]
fn sqlite_newer_store_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    sqlite_v1(&path);
    let (e, newer) = sqlite_open_newer(&path, schema::sqlite().len(), SqliteStore::open);
    assert!(
        matches!(e, VaultError::StoreTooNew { found, known }
            if i64::from(found) == newer && known as usize == schema::sqlite().len()),
        "{e:?}"
    );
    assert_eq!(sqlite_meta_schema(&path).as_deref(), Some("1"));
}

#[test]
fn a_new_in_memory_store_is_at_the_newest_version() {
    let mut store = SqliteStore::in_memory().unwrap();
    assert_eq!(store.meta_get("schema").unwrap(), None);
    assert_eq!(store.counts().unwrap(), Default::default());
}

// ---- PostgreSQL ----

/// A fresh schema for this store's tests; dropped when the guard goes.
fn schema(url: String, tag: &str) -> PgSchema {
    PgSchema::new(url, "vmig", tag, schema::POSTGRES_VERSION_TABLE)
}

/// Today's store on the schema, as the vault opens it.
fn open(s: &PgSchema) -> Result<PostgresStore, VaultError> {
    PostgresStore::connect(&s.url, &s.name)
}

/// The `meta.schema` marker, when there is one.
fn meta_schema(s: &PgSchema) -> Option<String> {
    s.client()
        .query_opt("SELECT v FROM meta WHERE k = 'schema'", &[])
        .unwrap()
        .map(|r| r.get(0))
}

/// The schema as the code before versions left it, with its marker and one row in most
/// tables, written by hand as in [`sqlite_v1`].
fn with_v1_data(s: PgSchema) -> PgSchema {
    let mut c = s.client();
    c.batch_execute(&frozen_v1(false)).unwrap();
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
    s
}

#[test]
fn postgres_store_from_before_versions_is_stamped_1_unchanged_then_upgraded_with_its_data() {
    let Some(url) = postgres_url() else { return };
    let s = with_v1_data(schema(url, "old"));
    let before = s.layout();
    assert_eq!(s.version(), None);

    let steps = schema::postgres();
    assert_eq!(s.migrate(&steps[..1]), Outcome { from: 0, to: 1 });
    assert_eq!(s.version(), Some(1));
    assert_eq!(s.layout(), before);
    assert_eq!(meta_schema(&s).as_deref(), Some("1"));

    let mut store = open(&s).unwrap();
    assert_old_data(&mut store);
    drop(store);
    assert_eq!(s.version(), Some(steps.len() as i32));
    assert_eq!(meta_schema(&s), None, "version 2 drops the marker");
    assert_eq!(s.layout(), before);
}

#[test]
fn postgres_store_from_before_versions_opens_directly_and_twice_changes_nothing() {
    let Some(url) = postgres_url() else { return };
    let s = with_v1_data(schema(url, "twice"));
    let mut store = open(&s).unwrap();
    assert_old_data(&mut store);
    drop(store);
    let layout = s.layout();
    let mut store = open(&s).unwrap();
    assert_old_data(&mut store);
    drop(store);
    assert_eq!(s.layout(), layout);
    s.assert_current(&schema::postgres());
    assert_eq!(s.version(), Some(schema::postgres().len() as i32));
}

#[test]
fn postgres_newer_store_is_refused_untouched() {
    let Some(url) = postgres_url() else { return };
    let s = with_v1_data(schema(url, "newer"));
    let (e, newer) = s.open_newer(schema::postgres().len(), open);
    assert!(
        matches!(e, VaultError::StoreTooNew { found, known }
            if found as i32 == newer && known as usize == schema::postgres().len()),
        "{e:?}"
    );
    assert_eq!(meta_schema(&s).as_deref(), Some("1"));
}

#[test]
fn postgres_over_tls_verify_full_and_a_wrong_ca_refused() {
    use spur_migrate::connect::{Connector, TlsMode};
    let (Some(url), Some(tls)) = (postgres_url(), spur_testkit::stores::postgres_tls()) else {
        return;
    };
    let s = schema(url, "tls");
    // The role accepts TLS connections only (scripts/postgres.sh), so opening proves TLS.
    let good = Connector::new(TlsMode::VerifyFull, Some(&tls.ca)).unwrap();
    PostgresStore::connect_with(&tls.tls_only_url, &s.name, &good).unwrap();
    s.assert_current(&schema::postgres());
    let wrong = Connector::new(TlsMode::VerifyFull, Some(&tls.other_ca)).unwrap();
    let Err(e) = PostgresStore::connect_with(&tls.tls_only_url, &s.name, &wrong) else {
        panic!("a certificate from another CA was accepted");
    };
    assert!(
        e.to_string().contains("certificate"),
        "unclear refusal: {e}"
    );
    let Err(e) = PostgresStore::connect_with(&tls.tls_only_url, &s.name, &Connector::plain())
    else {
        panic!("a plain connection to a TLS-only role was accepted");
    };
    assert!(
        e.to_string().contains("no encryption"),
        "unclear refusal: {e}"
    );
}
