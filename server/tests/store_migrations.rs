//! The POST store's schema versions, from a frozen copy of the schema that shipped before
//! versioning: such a database opens stamped as version 1 with its data and layout unchanged, a
//! newer database is refused untouched, opening twice changes nothing, and a later step keeps
//! the data. SQLite always; PostgreSQL from SPUR_TEST_POSTGRES_URL (required when
//! SPUR_REQUIRE_POSTGRES=1).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rusqlite::{params, Connection};
use spur_migrate::Outcome;
use spur_protocol::record::RecordKind;
use spur_protocol::time::Day;
use spur_server::store::migrations;
use spur_server::store::postgres::PostgresStore;
use spur_server::store::sqlite::SqliteStore;
use spur_server::store::{Position, Store, StoreError, StoredRecord};
use spur_testkit::stores::{
    sqlite_assert_current, sqlite_layout, sqlite_migrate, sqlite_open_newer,
    sqlite_version as user_version, PgSchema,
};

// The two frozen schemas below are, today, word for word the code's step 1
// (`migrations::SQLITE[0]`, `migrations::POSTGRES[0]`): that is the point, not a copy to
// replace with a reference. They stand for databases already in the field, so they must never
// follow an edit of the code; `step_1_is_the_schema_that_shipped_before_versions` catches the
// code drifting from them instead.

/// The SQLite schema exactly as `SqliteStore::open` created it before versions (frozen: never
/// edit it to follow the code).
const SQLITE_FROZEN_V1: &str = "
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

/// The PostgreSQL schema exactly as `PostgresStore::open_in_schema` created it before versions.
const POSTGRES_FROZEN_V1: &str = "
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

const DAY: u32 = 20_100;
const PIN: [u8; 32] = [0x5a; 32];

fn place() -> StoredRecord {
    StoredRecord {
        kind: RecordKind::Place,
        key: vec![7; 16],
        id: [0x11; 32],
        body: b"sealed place body".to_vec(),
    }
}

/// The old data is all there, read through today's store.
fn assert_old_data(store: &dyn Store) {
    let p = place();
    assert_eq!(store.get(p.kind, &p.key).unwrap(), Some(p.clone()));
    assert_eq!(store.pin_check(&[9; 16]).unwrap(), Some(PIN));
    let rows = store
        .export(&Position::default(), Day(u32::MAX >> 1), 100)
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].day, &rows[0].record), (Day(DAY), &p));
}

// ---- SQLite ----

/// A database file as the code before versions left it: frozen schema, one record, one PIN
/// check, `user_version` 0.
fn sqlite_v1(path: &std::path::Path) {
    let c = Connection::open(path).unwrap();
    c.execute_batch(SQLITE_FROZEN_V1).unwrap();
    let p = place();
    c.execute(
        "INSERT INTO records (kind, key, day, id, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![p.kind as u8, p.key, DAY, p.id.as_slice(), p.body],
    )
    .unwrap();
    c.execute(
        "INSERT INTO pin_checks (qr_id, hash, day) VALUES (?1, ?2, ?3)",
        params![[9u8; 16].as_slice(), PIN.as_slice(), DAY],
    )
    .unwrap();
}

#[test]
fn step_1_is_the_schema_that_shipped_before_versions() {
    // A released step is never edited: a database stamped 1 must have exactly this layout.
    assert_eq!(migrations::SQLITE[0], SQLITE_FROZEN_V1);
    assert_eq!(migrations::POSTGRES[0], POSTGRES_FROZEN_V1);
}

#[test]
fn sqlite_database_from_before_versions_opens_as_version_1_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("post.sqlite");
    sqlite_v1(&path);
    let before = sqlite_layout(&path);
    assert_eq!(user_version(&path), 0);

    let store = SqliteStore::open(&path).unwrap();
    assert_old_data(&store);
    drop(store);
    assert_eq!(user_version(&path), migrations::SQLITE.len() as i64);
    assert_eq!(
        migrations::SQLITE.len(),
        1,
        "steps after 1: test their upgrade"
    );
    assert_eq!(sqlite_layout(&path), before, "stamping changed the layout");
}

#[test]
fn sqlite_opening_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("post.sqlite");
    sqlite_v1(&path);
    drop(SqliteStore::open(&path).unwrap());
    let layout = sqlite_layout(&path);
    let store = SqliteStore::open(&path).unwrap();
    assert_old_data(&store);
    drop(store);
    assert_eq!(sqlite_layout(&path), layout);
    sqlite_assert_current(&path, &migrations::SQLITE);
}

#[test]
fn sqlite_newer_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("post.sqlite");
    sqlite_v1(&path);
    let (e, newer) = sqlite_open_newer(&path, migrations::SQLITE.len(), SqliteStore::open);
    assert!(
        matches!(e, StoreError::TooNew { found, known }
            if i64::from(found) == newer && known as usize == migrations::SQLITE.len()),
        "{e:?}"
    );
}

#[test]
fn sqlite_a_later_step_upgrades_with_the_data_and_older_code_then_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("post.sqlite");
    sqlite_v1(&path);
    // What adding a step looks like: the released list plus one new step at the end.
    let mut steps = migrations::SQLITE.to_vec();
    steps.push("CREATE INDEX records_by_id ON records (id);");
    assert_eq!(
        sqlite_migrate(&path, &steps),
        Outcome {
            from: 0,
            to: steps.len() as u32
        }
    );
    let c = Connection::open(&path).unwrap();
    let plan: String = c
        .query_row(
            "EXPLAIN QUERY PLAN SELECT body FROM records WHERE id = x'00'",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("records_by_id"), "{plan}");
    drop(c);
    // This build knows one step fewer: it must refuse, not misread.
    assert!(matches!(
        SqliteStore::open(&path).err().unwrap(),
        StoreError::TooNew { .. }
    ));
    // The data went through the upgrade.
    let c = Connection::open(&path).unwrap();
    let body: Vec<u8> = c
        .query_row("SELECT body FROM records", [], |r| r.get(0))
        .unwrap();
    assert_eq!(body, place().body);
}

// ---- PostgreSQL ----

/// A fresh schema for this store's tests; dropped when the guard goes.
fn schema(url: String, tag: &str) -> PgSchema {
    PgSchema::new(url, "mig", tag, migrations::POSTGRES_VERSION_TABLE)
}

/// Today's store on the schema, as a server opens it.
fn open(s: &PgSchema) -> Result<PostgresStore, StoreError> {
    PostgresStore::open_in_schema(&s.url, &s.name, 2)
}

/// The schema as the code before versions left it, with one record and one PIN check.
fn with_v1_data(s: PgSchema) -> PgSchema {
    let mut c = s.client();
    c.batch_execute(POSTGRES_FROZEN_V1).unwrap();
    c.batch_execute(&format!(
        "CREATE TABLE spur_records_d{DAY} PARTITION OF spur_records FOR VALUES IN ({DAY})"
    ))
    .unwrap();
    let p = place();
    c.execute(
        "INSERT INTO spur_records (day, kind, key, id, body) VALUES ($1, $2, $3, $4, $5)",
        &[
            &(DAY as i32),
            &(p.kind as i16),
            &p.key,
            &p.id.as_slice(),
            &p.body,
        ],
    )
    .unwrap();
    c.execute(
        "INSERT INTO spur_pin_checks (qr_id, hash, day) VALUES ($1, $2, $3)",
        &[&[9u8; 16].as_slice(), &PIN.as_slice(), &(DAY as i32)],
    )
    .unwrap();
    s
}

#[test]
fn postgres_database_from_before_versions_opens_as_version_1_unchanged() {
    let Some(url) = spur_testkit::stores::postgres_url() else {
        return;
    };
    let s = with_v1_data(schema(url, "old"));
    let before = s.layout();
    assert_eq!(s.version(), None);

    let store = open(&s).unwrap();
    assert_old_data(&store);
    drop(store);
    assert_eq!(s.version(), Some(migrations::POSTGRES.len() as i32));
    assert_eq!(
        migrations::POSTGRES.len(),
        1,
        "steps after 1: test their upgrade"
    );
    assert_eq!(s.layout(), before, "stamping changed the layout");
}

#[test]
fn postgres_opening_twice_changes_nothing() {
    let Some(url) = spur_testkit::stores::postgres_url() else {
        return;
    };
    let s = with_v1_data(schema(url, "twice"));
    drop(open(&s).unwrap());
    let layout = s.layout();
    let store = open(&s).unwrap();
    assert_old_data(&store);
    drop(store);
    assert_eq!(s.layout(), layout);
    s.assert_current(&migrations::POSTGRES);
}

#[test]
fn postgres_newer_database_is_refused_untouched() {
    let Some(url) = spur_testkit::stores::postgres_url() else {
        return;
    };
    let s = with_v1_data(schema(url, "newer"));
    let (e, newer) = s.open_newer(migrations::POSTGRES.len(), open);
    assert!(
        matches!(e, StoreError::TooNew { found, known }
            if found as i32 == newer && known as usize == migrations::POSTGRES.len()),
        "{e:?}"
    );
}

#[test]
fn postgres_a_later_step_upgrades_with_the_data_and_older_code_then_refuses() {
    let Some(url) = spur_testkit::stores::postgres_url() else {
        return;
    };
    let s = with_v1_data(schema(url, "later"));
    let mut steps = migrations::POSTGRES.to_vec();
    steps.push("CREATE INDEX spur_records_by_id ON spur_records (id);");
    assert_eq!(
        s.migrate(&steps),
        Outcome {
            from: 0,
            to: steps.len() as u32
        }
    );
    assert!(s.layout().iter().any(|l| l.contains("spur_records_by_id")));
    assert!(matches!(open(&s).err().unwrap(), StoreError::TooNew { .. }));
    let body: Vec<u8> = s
        .client()
        .query_one("SELECT body FROM spur_records", &[])
        .unwrap()
        .get(0);
    assert_eq!(body, place().body);
}

#[test]
fn postgres_servers_starting_at_once_migrate_once() {
    let Some(url) = spur_testkit::stores::postgres_url() else {
        return;
    };
    // The schema exists (as `public` does); several servers open the empty store together.
    let s = schema(url, "race");
    let opened: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6).map(|_| scope.spawn(|| open(&s))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for o in opened {
        let store = o.unwrap();
        assert_eq!(store.count().unwrap(), 0);
    }
    assert_eq!(s.version(), Some(migrations::POSTGRES.len() as i32));
}
