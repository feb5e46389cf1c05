//! The local database: SQLite in WAL mode, one file in the app's data directory.
//!
//! Tables: `account`, `visits` (check-ins until uploaded), `uploads` (the outbox: exact bytes),
//! `history`, `counters`, `settings`, `own_codes`, `used_consent` (see `schema.rs` and
//! docs/app-core.md). Secret and personal columns hold blobs sealed by `crate::crypt`; this
//! module only moves rows. Every multi-row change is one transaction, so a killed app never
//! leaves half a check-in.

pub(crate) mod history;
pub(crate) mod outbox;
pub(crate) mod records;
pub(crate) mod schema;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// Runs a statement through the connection's statement cache (the outbox and history statements
/// run on every check-in; preparing them once saves most of their cost).
pub(crate) fn exec<P: rusqlite::Params>(
    c: &rusqlite::Connection,
    sql: &str,
    p: P,
) -> rusqlite::Result<usize> {
    c.prepare_cached(sql)?.execute(p)
}

/// Queries one row through the statement cache.
pub(crate) fn one<T, P: rusqlite::Params>(
    c: &rusqlite::Connection,
    sql: &str,
    p: P,
    f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    c.prepare_cached(sql)?.query_row(p, f)
}

/// How far a commit is durable (SQLite's `synchronous` in WAL mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// `NORMAL`, the default: a commit survives the app being killed (it is in the operating
    /// system's hands once `COMMIT` returns); a power cut may roll back the last commits, always
    /// to a consistent earlier state. No fsync per commit.
    AppKill,
    /// `FULL`: every commit is fsynced and survives a power cut as well; costs one fsync per
    /// commit (see docs/app-core.md for the figures and why it is not the default).
    PowerLoss,
}

/// The store shared by the app's parts: each locks it for one synchronous step, never across an
/// await.
#[derive(Clone)]
pub(crate) struct Db(Arc<Mutex<Store>>);

impl Db {
    /// Shares `store`.
    pub(crate) fn new(store: Store) -> Self {
        Self(Arc::new(Mutex::new(store)))
    }

    /// The store, locked.
    pub(crate) fn lock(&self) -> Result<MutexGuard<'_, Store>> {
        self.0.lock().map_err(|_| Error::internal("store lock"))
    }
}

/// An open database.
pub struct Store {
    pub(crate) conn: Connection,
}

impl Store {
    /// Opens (or creates) the database file and brings its schema up to date. A file that is
    /// there but is not an intact spur database (truncated to nothing, overwritten, damaged) is
    /// refused with [`crate::error::ErrorKind::StoreDamaged`]: it is never reset silently, since
    /// that would drop check-ins not sent yet and the registration without a word.
    pub fn open(path: &Path) -> Result<Self> {
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.len() == 0 {
                return Err(Error::store_damaged());
            }
        }
        let existed = path.exists();
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // The browser's database lives in its VFS (IndexedDB), not in a file `std::fs` can see:
        // it existed when it has any table, and is then checked like an existing file.
        #[cfg(target_arch = "wasm32")]
        let existed = existed
            || conn
                .query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
                    r.get::<_, i64>(0)
                })
                .map_err(|_| Error::store_damaged())?
                > 0;
        if existed {
            // An existing file must be an intact database with spur's tables; `quick_check`
            // reads every page once (a small file: 28 days of check-ins), at start only.
            let ok: String = conn
                .query_row("PRAGMA quick_check", [], |r| r.get(0))
                .map_err(|_| Error::store_damaged())?;
            let tables: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'account'",
                    [],
                    |r| r.get(0),
                )
                .map_err(|_| Error::store_damaged())?;
            if ok != "ok" || tables != 1 {
                return Err(Error::store_damaged());
            }
        }
        Self::setup(conn, true)
    }

    /// An in-memory database (tests, benchmarks).
    pub fn in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?, false)
    }

    fn setup(mut conn: Connection, wal: bool) -> Result<Self> {
        if wal {
            // WAL: a crash leaves either the old or the new state of every transaction. With
            // `synchronous = NORMAL` a committed transaction survives the app being killed (the
            // WAL is in the OS's hands; tests/kill.rs kills a real process to show it); only a
            // power cut may roll back the last commits. FULL would add an fsync (milliseconds
            // on flash) to every commit; docs/app-core.md weighs the two.
            #[cfg(not(target_arch = "wasm32"))]
            {
                conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))?;
                conn.pragma_update(None, "synchronous", "NORMAL")?;
            }
            // The browser's VFS (relaxed-idb) keeps the database in memory and writes the pages
            // a commit changed to IndexedDB on its own; it refuses any `synchronous` but OFF and
            // has no shared memory for a WAL (docs/app-core.md, "The web core").
            #[cfg(target_arch = "wasm32")]
            conn.pragma_update(None, "synchronous", "OFF")?;
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrate(&mut conn)?;
        Ok(Self { conn })
    }

    /// Sets how far commits are durable from now on (files only; memory has nothing to sync).
    pub fn set_durability(&self, d: Durability) -> Result<()> {
        let mode = match d {
            Durability::AppKill => "NORMAL",
            Durability::PowerLoss => "FULL",
        };
        // The browser's VFS has one durability only (see `setup`).
        #[cfg(target_arch = "wasm32")]
        let _ = mode;
        #[cfg(not(target_arch = "wasm32"))]
        self.conn.pragma_update(None, "synchronous", mode)?;
        Ok(())
    }

    /// Deletes every row of every table and compacts the file, so deleted data is not left in
    /// free pages (with `secure_delete` it is zeroed as well).
    pub fn wipe(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "DELETE FROM account; DELETE FROM visits; DELETE FROM uploads; DELETE FROM history;
             DELETE FROM settings; DELETE FROM own_codes; DELETE FROM used_consent;
             UPDATE counters SET scans = 0, contact_minutes = 0, last_scan = NULL;",
        )?;
        tx.commit()?;
        self.conn.execute_batch("VACUUM")?;
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        Ok(())
    }
}
