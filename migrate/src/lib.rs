//! One schema-migration runner for every spur database: a numbered, ordered list of SQL steps,
//! the applied version recorded in the database, one transaction per step, and a typed refusal
//! of a database newer than the code.
//!
//! Why not `refinery`: its releases that accept rusqlite 0.32 turn on `native-tls` (OpenSSL) with
//! their `postgres` feature, and it keeps its own history table; the whole need here is the loop
//! below over a two-method trait, implemented once per backend.
//!
//! Step `n` (1-based) is `steps[n - 1]`. A step is never edited once released: a change is a new
//! step at the end. Version 0 is an empty (or pre-versioning) database.

#[cfg(feature = "postgres")]
pub mod connect;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;

/// Why a migration did not run to the end. Messages name no paths, hosts or data. Which
/// backend variants exist depends on the crate's features (unified across a build), hence
/// `non_exhaustive`: callers end their match with a catch-all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// The database was written by a newer build: opening it with this one could lose data.
    #[error("the database has schema version {found}, newer than version {known} that this build knows; use a newer build")]
    TooNew {
        /// The version recorded in the database.
        found: u32,
        /// The newest version this build knows (the number of its steps).
        known: u32,
    },
    /// The recorded version is not a number spur ever writes (negative).
    #[error("the database records schema version {0}, which spur never writes")]
    BadVersion(i64),
    /// A backend reported success for a step but the recorded version did not move.
    #[error("schema step {0} did not record its version")]
    NoProgress(u32),
    /// SQLite failed.
    #[cfg(feature = "sqlite")]
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL failed.
    #[cfg(feature = "postgres")]
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] ::postgres::Error),
}

/// Shorthand.
pub type Result<T> = std::result::Result<T, MigrateError>;

/// What a backend must do for the runner: read the recorded version, and apply one step.
pub trait Database {
    /// The recorded schema version; 0 when none is recorded yet.
    fn version(&mut self) -> Result<u32>;

    /// In one transaction, under a lock that keeps other openers out: when the recorded version
    /// is still `to - 1`, runs `sql` and records `to`. Returns the version recorded when the
    /// transaction ends (`to`, or the newer one another opener recorded first).
    fn step(&mut self, to: u32, sql: &str) -> Result<u32>;
}

/// Versions before and after [`migrate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The version found at open.
    pub from: u32,
    /// The version now recorded (the number of steps).
    pub to: u32,
}

/// Brings `db` to version `steps.len()`, one transaction per step; refuses a newer database
/// with [`MigrateError::TooNew`] before changing anything.
pub fn migrate<S: AsRef<str>>(db: &mut impl Database, steps: &[S]) -> Result<Outcome> {
    let known = u32::try_from(steps.len()).unwrap_or(u32::MAX);
    let from = db.version()?;
    let mut now = from;
    loop {
        if now > known {
            return Err(MigrateError::TooNew { found: now, known });
        }
        let Some(sql) = steps.get(now as usize) else {
            return Ok(Outcome { from, to: now });
        };
        let next = db.step(now + 1, sql.as_ref())?;
        if next <= now {
            return Err(MigrateError::NoProgress(now + 1));
        }
        now = next;
    }
}
