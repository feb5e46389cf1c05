//! The embedded default store: one SQLite file in WAL mode with `synchronous=FULL`, one writer
//! thread that commits concurrent requests together (group commit, without a savepoint per request
//! unless one fails), and a few reader connections.
//!
//! Why FULL and not NORMAL: in WAL mode NORMAL already survives `kill -9` (the WAL is in the
//! OS page cache), but a power cut can lose the last transactions; FULL fsyncs the WAL at every
//! commit, so an acknowledged upload also survives power loss. Group commit pays for the fsync once
//! per batch instead of once per upload. `secure_delete` overwrites what the retention sweep
//! deletes. The schema and its versions are in [`super::migrations`].

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OptionalExtension};
use spur_protocol::record::RecordKind;
use spur_protocol::time::Day;

use super::{
    id_from_db, kind_from_db, migrations, pin_from_db, ExportRow, Position, Store, StoreError,
    StoreResult, StoredRecord, Write,
};

/// Most requests one group commit takes.
const MAX_BATCH: usize = 256;
/// Reader connections kept open.
const MAX_READERS: usize = 8;
/// Longest a batch waits for the next request before it commits.
const GAP: Duration = Duration::from_micros(200);
/// Longest a batch keeps gathering in all.
const MAX_WAIT: Duration = Duration::from_millis(2);

struct Job {
    day: Day,
    writes: Vec<Write>,
    reply: mpsc::SyncSender<StoreResult<()>>,
}

/// The SQLite store.
pub struct SqliteStore {
    path: PathBuf,
    jobs: Mutex<mpsc::Sender<Job>>,
    readers: Mutex<Vec<Connection>>,
}

fn db(e: rusqlite::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

fn open_conn(path: &Path) -> StoreResult<Connection> {
    let c = Connection::open(path).map_err(db)?;
    c.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(db)?;
    c.pragma_update(None, "journal_mode", "WAL").map_err(db)?;
    c.pragma_update(None, "synchronous", "FULL").map_err(db)?;
    // Deleted records are overwritten, not left in free pages for a forensic look after retention.
    c.pragma_update(None, "secure_delete", "ON").map_err(db)?;
    Ok(c)
}

impl SqliteStore {
    /// Opens (or creates) the database file at `path`, brings its schema to the newest version
    /// (refusing a newer one with [`StoreError::TooNew`]) and starts the writer thread.
    pub fn open(path: &Path) -> StoreResult<Self> {
        let mut writer = open_conn(path)?;
        spur_migrate::migrate(
            &mut spur_migrate::sqlite::Sqlite(&mut writer),
            &migrations::SQLITE,
        )
        .map_err(migrations::store_error)?;
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("spur-sqlite-writer".into())
            .spawn(move || writer_loop(writer, rx))
            .map_err(|e| StoreError::Database(format!("cannot start the writer thread: {e}")))?;
        Ok(Self {
            path: path.to_path_buf(),
            jobs: Mutex::new(tx),
            readers: Mutex::new(Vec::new()),
        })
    }

    fn with_reader<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let taken = self.readers.lock().ok().and_then(|mut v| v.pop());
        let conn = match taken {
            Some(c) => c,
            None => open_conn(&self.path)?,
        };
        let out = f(&conn);
        if let Ok(mut v) = self.readers.lock() {
            if v.len() < MAX_READERS {
                v.push(conn);
            }
        }
        out
    }
}

fn writer_loop(mut conn: Connection, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let jobs = gather(first, &rx);
        let results = commit_batch(&mut conn, &jobs);
        for (job, result) in jobs.into_iter().zip(results) {
            // The requester may have gone (timeout); the write stays committed either way.
            let _ = job.reply.send(result);
        }
    }
}

/// The batch one commit takes: `first`, whatever is queued, and whatever arrives while requests
/// keep coming (each within [`GAP`] of the last, for at most [`MAX_WAIT`] in all).
///
/// Why wait at all: writers answered by the last commit send their next request a few
/// microseconds later, so taking only what is queued at this instant commits a trickle (one fsync
/// for a handful of uploads) followed by a crowd. A lone request waits one `GAP` — far less than
/// the fsync it would pay anyway.
fn gather(first: Job, rx: &mpsc::Receiver<Job>) -> Vec<Job> {
    let start = Instant::now();
    let mut jobs = vec![first];
    while jobs.len() < MAX_BATCH {
        let next = match rx.try_recv() {
            Ok(j) => Some(j),
            Err(mpsc::TryRecvError::Disconnected) => None,
            Err(mpsc::TryRecvError::Empty) => {
                let left = MAX_WAIT.saturating_sub(start.elapsed());
                if left.is_zero() {
                    None
                } else {
                    rx.recv_timeout(GAP.min(left)).ok()
                }
            }
        };
        match next {
            Some(j) => jobs.push(j),
            None => break,
        }
    }
    jobs
}

/// Applies the jobs in one transaction and commits once.
///
/// Fast path: every job applied straight into the transaction (no savepoint per job). Should any
/// job fail (a conflict, which honest clients do not cause), the transaction is rolled back and
/// the batch applied again with a savepoint per job, so the failing request leaves nothing behind
/// and the others still commit. Either way nothing is answered before the commit, so an
/// acknowledged upload is durable. A client sending conflicts on purpose makes its batch take the
/// second pass: at most twice the work, about what a savepoint per request always cost.
fn commit_batch(conn: &mut Connection, jobs: &[Job]) -> Vec<StoreResult<()>> {
    match apply_all(conn, jobs) {
        Ok(results) => results,
        Err(e) => {
            let msg = e.to_string();
            jobs.iter()
                .map(|_| Err(StoreError::Database(msg.clone())))
                .collect()
        }
    }
}

/// [`commit_batch`] with its database failures (begin, savepoint, commit) as one error.
fn apply_all(conn: &mut Connection, jobs: &[Job]) -> rusqlite::Result<Vec<StoreResult<()>>> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if jobs
        .iter()
        .all(|job| apply(&tx, job.day, &job.writes).is_ok())
    {
        tx.commit()?;
        return Ok(jobs.iter().map(|_| Ok(())).collect());
    }
    tx.rollback()?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        tx.execute_batch("SAVEPOINT job")?;
        let r = apply(&tx, job.day, &job.writes);
        if r.is_err() {
            tx.execute_batch("ROLLBACK TO job")?;
        }
        tx.execute_batch("RELEASE job")?;
        results.push(r);
    }
    tx.commit()?;
    Ok(results)
}

fn existing_id(c: &Connection, kind: RecordKind, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
    c.prepare_cached("SELECT id FROM records WHERE kind = ?1 AND key = ?2")
        .map_err(db)?
        .query_row(params![kind as u8, key], |r| r.get::<_, Vec<u8>>(0))
        .optional()
        .map_err(db)
}

fn apply(c: &Connection, day: Day, writes: &[Write]) -> StoreResult<()> {
    let put = |r: &StoredRecord| -> StoreResult<()> {
        c.prepare_cached(
            "INSERT OR REPLACE INTO records (kind, key, day, id, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(db)?
        .execute(params![r.kind as u8, r.key, day.0, r.id.as_slice(), r.body])
        .map(|_| ())
        .map_err(db)
    };
    // Stores `r` unless its key is taken; returns whether it did. One B-tree descent where a
    // lookup followed by an insert would take two.
    let put_new = |r: &StoredRecord| -> StoreResult<bool> {
        c.prepare_cached(
            "INSERT INTO records (kind, key, day, id, body) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (kind, key) DO NOTHING",
        )
        .map_err(db)?
        .execute(params![r.kind as u8, r.key, day.0, r.id.as_slice(), r.body])
        .map(|n| n > 0)
        .map_err(db)
    };
    let remove = |kind: RecordKind, key: &[u8]| -> StoreResult<()> {
        c.prepare_cached("DELETE FROM records WHERE kind = ?1 AND key = ?2")
            .map_err(db)?
            .execute(params![kind as u8, key])
            .map(|_| ())
            .map_err(db)
    };
    for (index, w) in writes.iter().enumerate() {
        match w {
            Write::Insert(r) => {
                if put_new(r)? {
                    continue;
                }
                // The key was taken: the same record again changes nothing, its day included.
                if existing_id(c, r.kind, &r.key)?.is_some_and(|id| id != r.id) {
                    return Err(StoreError::Conflict { index });
                }
            }
            Write::Replace(r) => {
                if existing_id(c, r.kind, &r.key)?.is_some_and(|id| id == r.id) {
                    continue;
                }
                remove(RecordKind::RegistrationDelete, &r.key)?;
                put(r)?;
            }
            Write::Tombstone(t) => {
                remove(RecordKind::Registration, &t.key)?;
                if existing_id(c, t.kind, &t.key)?.is_some_and(|id| id == t.id) {
                    continue;
                }
                put(t)?;
            }
        }
    }
    Ok(())
}

/// day, kind, key, id, body as SQLite returns them.
type RawRow = (i64, i64, Vec<u8>, Vec<u8>, Vec<u8>);

fn row_to_export(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

impl Store for SqliteStore {
    fn write(&self, day: Day, writes: Vec<Write>) -> StoreResult<()> {
        let (reply, answer) = mpsc::sync_channel(1);
        let gone = || StoreError::Database("the writer thread stopped".into());
        self.jobs
            .lock()
            .map_err(|_| gone())?
            .send(Job { day, writes, reply })
            .map_err(|_| gone())?;
        answer.recv().map_err(|_| gone())?
    }

    fn get(&self, kind: RecordKind, key: &[u8]) -> StoreResult<Option<StoredRecord>> {
        self.with_reader(|c| {
            let row = c
                .query_row(
                    "SELECT id, body FROM records WHERE kind = ?1 AND key = ?2",
                    params![kind as u8, key],
                    |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?)),
                )
                .optional()
                .map_err(db)?;
            row.map(|(id, body)| {
                Ok(StoredRecord {
                    kind,
                    key: key.to_vec(),
                    id: id_from_db(id)?,
                    body,
                })
            })
            .transpose()
        })
    }

    fn export(&self, from: &Position, through: Day, limit: usize) -> StoreResult<Vec<ExportRow>> {
        self.with_reader(|c| {
            let mut st = c
                .prepare_cached(
                    "SELECT day, kind, key, id, body FROM records
                     WHERE (day, kind, key) > (?1, ?2, ?3) AND day <= ?4
                     ORDER BY day, kind, key LIMIT ?5",
                )
                .map_err(db)?;
            let lim = i64::try_from(limit).unwrap_or(i64::MAX);
            let rows = st
                .query_map(
                    params![from.day, from.kind, from.key, through.0, lim],
                    row_to_export,
                )
                .map_err(db)?;
            let mut out = Vec::new();
            for row in rows {
                let (day, kind, key, id, body) = row.map_err(db)?;
                out.push(ExportRow {
                    day: Day(u32::try_from(day).map_err(|_| {
                        StoreError::Database("day out of range in the database".into())
                    })?),
                    record: StoredRecord {
                        kind: kind_from_db(kind)?,
                        key,
                        id: id_from_db(id)?,
                        body,
                    },
                });
            }
            Ok(out)
        })
    }

    fn sweep(&self, keep_from: Day) -> StoreResult<u64> {
        // Through the writer connection's lock-free path would need a job type; a separate
        // connection with busy_timeout is enough for an hourly delete.
        let c = open_conn(&self.path)?;
        let n = c
            .execute("DELETE FROM records WHERE day < ?1", params![keep_from.0])
            .map_err(db)?;
        c.execute(
            "DELETE FROM pin_checks WHERE day < ?1",
            params![keep_from.0],
        )
        .map_err(db)?;
        // The WAL still holds the deleted rows' old pages: copy back and truncate it. Under load
        // a reader can keep part of it alive until the next sweep; that is fine.
        let _ = c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        Ok(n as u64)
    }

    fn put_pin_check(&self, day: Day, qr_id: &[u8], hash: &[u8; 32]) -> StoreResult<()> {
        self.with_reader(|c| {
            c.execute(
                "INSERT INTO pin_checks (qr_id, hash, day) VALUES (?1, ?2, ?3)
                 ON CONFLICT (qr_id) DO UPDATE SET day = excluded.day
                 WHERE pin_checks.hash = excluded.hash",
                params![qr_id, hash.as_slice(), day.0],
            )
            .map_err(db)?;
            Ok(())
        })?;
        match self.pin_check(qr_id)? {
            Some(h) if h == *hash => Ok(()),
            _ => Err(StoreError::Conflict { index: 0 }),
        }
    }

    fn pin_check(&self, qr_id: &[u8]) -> StoreResult<Option<[u8; 32]>> {
        self.with_reader(|c| {
            c.query_row(
                "SELECT hash FROM pin_checks WHERE qr_id = ?1",
                params![qr_id],
                |r| r.get::<_, Vec<u8>>(0),
            )
            .optional()
            .map_err(db)?
            .map(pin_from_db)
            .transpose()
        })
    }

    fn count(&self) -> StoreResult<u64> {
        self.with_reader(|c| {
            c.query_row("SELECT count(*) FROM records", [], |r| r.get::<_, i64>(0))
                .map(|n| u64::try_from(n).unwrap_or(0))
                .map_err(db)
        })
    }
}
