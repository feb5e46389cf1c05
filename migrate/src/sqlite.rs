//! The SQLite backend: the version lives in the file header's `user_version`, which SQLite
//! writes inside the step's transaction, so a step and its version commit together.

use rusqlite::{Connection, TransactionBehavior};

use crate::{Database, MigrateError, Result};

/// A SQLite connection to migrate.
pub struct Sqlite<'a>(pub &'a mut Connection);

fn user_version(c: &Connection) -> Result<u32> {
    let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    u32::try_from(v).map_err(|_| MigrateError::BadVersion(v))
}

impl Database for Sqlite<'_> {
    fn version(&mut self) -> Result<u32> {
        user_version(self.0)
    }

    fn step(&mut self, to: u32, sql: &str) -> Result<u32> {
        // IMMEDIATE takes the write lock first, so two processes opening one file cannot both
        // run the same step.
        let tx = self
            .0
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = user_version(&tx)?;
        if now.checked_add(1) != Some(to) {
            return Ok(now);
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", to)?;
        tx.commit()?;
        Ok(to)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::{migrate, Outcome};

    const STEPS: [&str; 2] = [
        "CREATE TABLE t (a INTEGER NOT NULL);",
        "ALTER TABLE t ADD COLUMN b TEXT;",
    ];

    #[test]
    fn steps_run_once_in_order_and_keep_data() {
        let mut c = Connection::open_in_memory().unwrap();
        let first = migrate(&mut Sqlite(&mut c), &STEPS[..1]).unwrap();
        assert_eq!(first, Outcome { from: 0, to: 1 });
        c.execute("INSERT INTO t (a) VALUES (7)", []).unwrap();
        let second = migrate(&mut Sqlite(&mut c), &STEPS).unwrap();
        assert_eq!(second, Outcome { from: 1, to: 2 });
        let again = migrate(&mut Sqlite(&mut c), &STEPS).unwrap();
        assert_eq!(again, Outcome { from: 2, to: 2 });
        let row: (i64, Option<String>) = c
            .query_row("SELECT a, b FROM t", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        assert_eq!(row, (7, None));
    }

    #[test]
    fn a_failing_step_changes_nothing() {
        let mut c = Connection::open_in_memory().unwrap();
        let broken = [
            STEPS[0],
            "ALTER TABLE t ADD COLUMN b TEXT; SELECT * FROM missing;",
        ];
        assert!(matches!(
            migrate(&mut Sqlite(&mut c), &broken),
            Err(MigrateError::Sqlite(_))
        ));
        // Step 1 committed, step 2 rolled back whole: no column b, version 1.
        assert_eq!(Sqlite(&mut c).version().unwrap(), 1);
        assert!(c.prepare("SELECT b FROM t").is_err());
    }

    #[test]
    fn a_newer_or_foreign_version_is_refused_untouched() {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "user_version", 3).unwrap();
        assert!(matches!(
            migrate(&mut Sqlite(&mut c), &STEPS),
            Err(MigrateError::TooNew { found: 3, known: 2 })
        ));
        assert!(c.prepare("SELECT a FROM t").is_err());
        c.pragma_update(None, "user_version", -1).unwrap();
        assert!(matches!(
            migrate(&mut Sqlite(&mut c), &STEPS),
            Err(MigrateError::BadVersion(-1))
        ));
    }
}
