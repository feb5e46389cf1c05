//! The database schema and its migrations, counted in SQLite's `user_version`.
//!
//! Version 1 is frozen here exactly as it shipped, so the migration test starts from the real old
//! layout. `spur_migrate` (the runner the POST server and the vault use too) applies each later
//! step in one transaction and refuses a database newer than this build.

use rusqlite::Connection;
use spur_migrate::MigrateError;

use crate::error::{Error, ErrorKind, Result};
use crate::texts::Msg;

/// The schema this build writes.
pub const CURRENT: u32 = 4;

/// Version 1, frozen: account, check-ins, outbox, history, counters, settings.
pub const V1: &str = "
CREATE TABLE account (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    registration_id BLOB NOT NULL,
    home_authority INTEGER NOT NULL,
    region BLOB NOT NULL,
    sealed BLOB NOT NULL,
    refreshed INTEGER NOT NULL
);
CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    state INTEGER NOT NULL,
    time_in INTEGER NOT NULL,
    time_out INTEGER,
    find_index INTEGER NOT NULL,
    history_id INTEGER,
    sealed BLOB NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX visits_state ON visits (state);
CREATE TABLE uploads (
    id INTEGER PRIMARY KEY,
    route TEXT NOT NULL,
    body BLOB NOT NULL,
    visit_id INTEGER,
    created INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try INTEGER NOT NULL DEFAULT 0,
    state INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    day INTEGER NOT NULL,
    sealed BLOB NOT NULL
);
CREATE INDEX history_day ON history (day);
CREATE TABLE counters (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    scans INTEGER NOT NULL,
    contact_minutes INTEGER NOT NULL,
    last_scan INTEGER
);
INSERT INTO counters (id, scans, contact_minutes, last_scan) VALUES (1, 0, 0, NULL);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
";

/// Version 2: own codes (for consent releases and reprinting), used consent nonces, and the
/// server's refusal code on outbox rows it refused.
const V2: &str = "
CREATE TABLE own_codes (
    qr_id BLOB PRIMARY KEY,
    kind INTEGER NOT NULL,
    created INTEGER NOT NULL,
    sealed BLOB NOT NULL
);
CREATE TABLE used_consent (
    nonce BLOB PRIMARY KEY,
    used INTEGER NOT NULL
);
ALTER TABLE uploads ADD COLUMN refused_code TEXT;
";

/// Version 3: an index for the per-minute count every check-in makes (its find-tag index), which
/// otherwise scans all 28 days of check-ins.
const V3: &str = "
CREATE INDEX visits_time_in ON visits (time_in);
";

/// Version 4: the planned end of a check-in that is still running (an open check-in's end the
/// user chose or confirmed; a fixed stay's end), so that its records are built only when it is
/// over or ended early, never with an end the person did not stay until. Rows from before keep
/// `NULL` (an open check-in then ends at most 24 hours after it began, as before).
const V4: &str = "
ALTER TABLE visits ADD COLUMN planned_out INTEGER;
";

const STEPS: [&str; 4] = [V1, V2, V3, V4];

// `CURRENT` is the number of steps; the runner records it after the last one.
const _: () = assert!(STEPS.len() == CURRENT as usize);

/// Brings the database to [`CURRENT`], one transaction per step.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    match spur_migrate::migrate(&mut spur_migrate::sqlite::Sqlite(conn), &STEPS) {
        Ok(_) => Ok(()),
        Err(MigrateError::Sqlite(e)) => Err(e.into()),
        Err(MigrateError::TooNew { .. }) => {
            Err(Error::new(ErrorKind::Storage, Msg::new("error-db-too-new")))
        }
        // A version this app never writes (negative), as before: a storage failure.
        Err(_) => Err(Error::new(ErrorKind::Storage, Msg::new("error-storage"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_1_database_migrates_with_its_data() {
        let mut c = Connection::open_in_memory().unwrap();
        c.execute_batch(V1).unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute(
            "INSERT INTO uploads (route, body, created) VALUES ('/v1/visits', x'0105', 7)",
            [],
        )
        .unwrap();
        c.execute(
            "INSERT INTO history (day, sealed) VALUES (20777, x'aa')",
            [],
        )
        .unwrap();
        c.execute("UPDATE counters SET scans = 3, contact_minutes = 95", [])
            .unwrap();

        migrate(&mut c).unwrap();
        let v: u32 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, CURRENT);
        let (body, code): (Vec<u8>, Option<String>) = c
            .query_row("SELECT body, refused_code FROM uploads", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((body, code), (vec![1, 5], None));
        let scans: i64 = c
            .query_row("SELECT scans FROM counters", [], |r| r.get(0))
            .unwrap();
        assert_eq!(scans, 3);
        let days: i64 = c
            .query_row("SELECT day FROM history", [], |r| r.get(0))
            .unwrap();
        assert_eq!(days, 20777);
        c.execute(
            "INSERT INTO used_consent (nonce, used) VALUES (x'01', 1)",
            [],
        )
        .unwrap();
        // A second run changes nothing.
        migrate(&mut c).unwrap();
        // Version 3: the per-minute count of a check-in uses its index instead of a scan.
        let plan: String = c
            .query_row(
                "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM visits WHERE time_in = 1",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("visits_time_in"), "{plan}");
    }

    #[test]
    fn newer_database_is_refused() {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "user_version", CURRENT + 1).unwrap();
        assert_eq!(migrate(&mut c).unwrap_err().kind, ErrorKind::Storage);
    }
}
