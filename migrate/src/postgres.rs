//! The PostgreSQL backend: the version lives in a one-row table of the connection's schema
//! (first on its `search_path`), written in the step's transaction; a transaction-scoped advisory
//! lock keeps two servers starting at once from running the same step.

use postgres::Client;

use crate::{Database, MigrateError, Result};

/// The advisory-lock key every spur migration takes ("spurmigr" in ASCII).
const LOCK_KEY: i64 = 0x7370_7572_6d69_6772;

/// A PostgreSQL connection to migrate, with the name of its version table.
pub struct Postgres<'a> {
    client: &'a mut Client,
    table: &'static str,
}

impl<'a> Postgres<'a> {
    /// `table` names the version table: a constant identifier of the store (letters, digits and
    /// underscores), distinct per store that may share a schema.
    pub fn new(client: &'a mut Client, table: &'static str) -> Self {
        Self { client, table }
    }
}

fn read(c: &mut impl postgres::GenericClient, table: &str) -> Result<u32> {
    let exists: bool = c
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let row = c.query_opt(&format!("SELECT version FROM {table} WHERE id = 1"), &[])?;
    match row.map(|r| r.get::<_, i32>(0)) {
        None => Ok(0),
        Some(v) => u32::try_from(v).map_err(|_| MigrateError::BadVersion(i64::from(v))),
    }
}

impl Database for Postgres<'_> {
    fn version(&mut self) -> Result<u32> {
        read(&mut *self.client, self.table)
    }

    fn step(&mut self, to: u32, sql: &str) -> Result<u32> {
        let table = self.table;
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])?;
        tx.batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS {table} (
                 id smallint PRIMARY KEY CHECK (id = 1),
                 version integer NOT NULL)"
        ))?;
        let now = read(&mut tx, table)?;
        if now.checked_add(1) != Some(to) {
            return Ok(now);
        }
        tx.batch_execute(sql)?;
        let v = i32::try_from(to).map_err(|_| MigrateError::BadVersion(i64::from(to)))?;
        tx.execute(
            &format!(
                "INSERT INTO {table} (id, version) VALUES (1, $1)
                 ON CONFLICT (id) DO UPDATE SET version = excluded.version"
            ),
            &[&v],
        )?;
        tx.commit()?;
        Ok(to)
    }
}
