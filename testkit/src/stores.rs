//! Test support for the stores' schema-migration tests (POST server and vault), so that both
//! stores check their versions with one set of probes: the PostgreSQL test URL, a throw-away
//! PostgreSQL schema with its recorded version and layout, and the same for a SQLite file.
//! Feature `stores`, enabled only by dev-dependencies: nothing here ships.

use std::path::Path;

use postgres::{Client, NoTls};
use rusqlite::Connection;
use spur_migrate::{migrate, Outcome};

/// The PostgreSQL URL from `SPUR_TEST_POSTGRES_URL`; `None` (with a note) when unset, unless
/// `SPUR_REQUIRE_POSTGRES=1` demands it, so a CI run cannot pass by skipping.
pub fn postgres_url() -> Option<String> {
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

/// A fresh, empty PostgreSQL schema for one test, dropped with everything in it when the guard
/// goes. `version_table` is the store's version table, which [`PgSchema::layout`] leaves out.
pub struct PgSchema {
    /// The database URL.
    pub url: String,
    /// The schema's name.
    pub name: String,
    version_table: &'static str,
}

impl PgSchema {
    /// Creates schema `{prefix}_{tag}_{process id}` (dropping a leftover of that name first);
    /// the process id keeps parallel test runs apart, the prefix keeps stores apart.
    pub fn new(url: String, prefix: &str, tag: &str, version_table: &'static str) -> Self {
        let name = format!("{prefix}_{tag}_{}", std::process::id());
        let s = Self {
            url,
            name,
            version_table,
        };
        Client::connect(&s.url, NoTls)
            .unwrap()
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}",
                s.name
            ))
            .unwrap();
        s
    }

    /// A connection whose `search_path` is this schema.
    pub fn client(&self) -> Client {
        let mut c = Client::connect(&self.url, NoTls).unwrap();
        c.batch_execute(&format!("SET search_path TO {}", self.name))
            .unwrap();
        c
    }

    /// The recorded version, or `None` when no version table exists.
    pub fn version(&self) -> Option<i32> {
        let mut c = self.client();
        let has: bool = c
            .query_one("SELECT to_regclass($1) IS NOT NULL", &[&self.version_table])
            .unwrap()
            .get(0);
        has.then(|| {
            c.query_one(&format!("SELECT version FROM {}", self.version_table), &[])
                .unwrap()
                .get(0)
        })
    }

    /// Records `version` as a newer build would: the version table with its one row.
    pub fn stamp(&self, version: i32) {
        self.client()
            .batch_execute(&format!(
                "CREATE TABLE {0} (id smallint PRIMARY KEY, version integer NOT NULL);
                 INSERT INTO {0} VALUES (1, {version})",
                self.version_table
            ))
            .unwrap();
    }

    /// Runs `steps` with the migration runner, as the store does at open.
    pub fn migrate<S: AsRef<str>>(&self, steps: &[S]) -> Outcome {
        let mut c = self.client();
        migrate(
            &mut spur_migrate::postgres::Postgres::new(&mut c, self.version_table),
            steps,
        )
        .unwrap()
    }

    /// Asserts that the schema is at the newest of `steps` with nothing left to run.
    pub fn assert_current<S: AsRef<str>>(&self, steps: &[S]) {
        let known = u32::try_from(steps.len()).unwrap();
        assert_eq!(
            self.migrate(steps),
            Outcome {
                from: known,
                to: known
            }
        );
    }

    /// Stamps the schema one version newer than the `known` steps, opens it with `open`, and
    /// checks that the refusal left version and layout as they were; returns the refusal (for
    /// the caller to match against its store's error) and the stamped version.
    pub fn open_newer<T, E: std::fmt::Debug>(
        &self,
        known: usize,
        open: impl FnOnce(&Self) -> Result<T, E>,
    ) -> (E, i32) {
        let newer = i32::try_from(known).unwrap() + 1;
        self.stamp(newer);
        let layout = self.layout();
        let Err(e) = open(self) else {
            panic!("a store of version {newer} opened with {known} known steps");
        };
        assert_eq!(self.version(), Some(newer));
        assert_eq!(self.layout(), layout);
        (e, newer)
    }

    /// Columns and indexes of the store's own tables (not the version table), to show that a
    /// migration left the layout as it was.
    pub fn layout(&self) -> Vec<String> {
        let mut c = self.client();
        let mut out: Vec<String> = c
            .query(
                "SELECT table_name::text || '.' || column_name::text || ' ' || data_type::text
                 FROM information_schema.columns
                 WHERE table_schema = $1 AND table_name <> $2 ORDER BY 1",
                &[&self.name, &self.version_table],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        out.extend(
            c.query(
                "SELECT indexdef FROM pg_indexes
                 WHERE schemaname = $1 AND tablename <> $2 ORDER BY 1",
                &[&self.name, &self.version_table],
            )
            .unwrap()
            .iter()
            .map(|r| r.get::<_, String>(0)),
        );
        out
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        // Best effort: a failed drop must not turn a passing test into a panic while unwinding.
        if let Ok(mut c) = Client::connect(&self.url, NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// The SQLite file's recorded version (`user_version`).
pub fn sqlite_version(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// Records `version` in the SQLite file as a newer build would.
pub fn sqlite_stamp(path: &Path, version: i64) {
    Connection::open(path)
        .unwrap()
        .pragma_update(None, "user_version", version)
        .unwrap();
}

/// Runs `steps` on the SQLite file with the migration runner, as the store does at open.
pub fn sqlite_migrate<S: AsRef<str>>(path: &Path, steps: &[S]) -> Outcome {
    let mut c = Connection::open(path).unwrap();
    migrate(&mut spur_migrate::sqlite::Sqlite(&mut c), steps).unwrap()
}

/// Asserts that the SQLite file is at the newest of `steps` with nothing left to run.
pub fn sqlite_assert_current<S: AsRef<str>>(path: &Path, steps: &[S]) {
    let known = u32::try_from(steps.len()).unwrap();
    assert_eq!(
        sqlite_migrate(path, steps),
        Outcome {
            from: known,
            to: known
        }
    );
}

/// Stamps the SQLite file one version newer than the `known` steps, opens it with `open`, and
/// checks that the refusal left version and layout as they were; returns the refusal (for the
/// caller to match against its store's error) and the stamped version.
pub fn sqlite_open_newer<T, E: std::fmt::Debug>(
    path: &Path,
    known: usize,
    open: impl FnOnce(&Path) -> Result<T, E>,
) -> (E, i64) {
    let newer = i64::try_from(known).unwrap() + 1;
    sqlite_stamp(path, newer);
    let layout = sqlite_layout(path);
    let Err(e) = open(path) else {
        panic!("a store of version {newer} opened with {known} known steps");
    };
    assert_eq!(sqlite_version(path), newer);
    assert_eq!(sqlite_layout(path), layout);
    (e, newer)
}

/// Every table and index of the SQLite file with its SQL, to show that a migration left the
/// layout as it was.
pub fn sqlite_layout(path: &Path) -> Vec<(String, Option<String>)> {
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

/// What the TLS tests need from the test cluster (scripts/postgres.sh sets it up).
pub struct PgTls {
    /// URL of a role the cluster accepts over TLS only.
    pub tls_only_url: String,
    /// The CA that signed the cluster's certificate (for 127.0.0.1 and localhost).
    pub ca: std::path::PathBuf,
    /// A CA that signed nothing the cluster uses.
    pub other_ca: std::path::PathBuf,
}

/// The TLS test setup from `SPUR_TEST_POSTGRES_TLS_ONLY_URL`, `SPUR_TEST_POSTGRES_CA` and
/// `SPUR_TEST_POSTGRES_OTHER_CA`; `None` (with a note) when unset, unless
/// `SPUR_REQUIRE_POSTGRES=1` demands it.
pub fn postgres_tls() -> Option<PgTls> {
    let var = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
    match (
        var("SPUR_TEST_POSTGRES_TLS_ONLY_URL"),
        var("SPUR_TEST_POSTGRES_CA"),
        var("SPUR_TEST_POSTGRES_OTHER_CA"),
    ) {
        (Some(tls_only_url), Some(ca), Some(other_ca)) => Some(PgTls {
            tls_only_url,
            ca: ca.into(),
            other_ca: other_ca.into(),
        }),
        _ => {
            if std::env::var("SPUR_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("SPUR_REQUIRE_POSTGRES=1 but the PostgreSQL TLS variables are not set (scripts/postgres.sh)");
            }
            eprintln!("PostgreSQL TLS test not run: start the cluster with scripts/postgres.sh");
            None
        }
    }
}
