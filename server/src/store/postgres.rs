//! The scale-path store: PostgreSQL with one table partitioned by upload day, so the retention
//! sweep drops whole partitions instead of deleting rows, and a pool of blocking connections.
//!
//! Schema (in the configured schema, `public` by default; version 1 of [`super::migrations`],
//! whose applied version is kept in `spur_schema_version`):
//! ```sql
//! CREATE TABLE spur_records (
//!     day  integer  NOT NULL,   -- upload day (UTC day number): the only time kept
//!     kind smallint NOT NULL,
//!     key  bytea    NOT NULL,   -- record id, registration handle or QR id
//!     id   bytea    NOT NULL,   -- SHA-256 record id
//!     body bytea    NOT NULL,   -- OP-sealed body
//!     PRIMARY KEY (day, kind, key)
//! ) PARTITION BY LIST (day);    -- one partition spur_records_d<day> per day
//! CREATE INDEX spur_records_kind_key ON spur_records (kind, key);
//! ```
//! Citus: `SELECT create_distributed_table('spur_records', 'key');` distributes on `key`, which is a
//! hash or random id and so spreads evenly; the primary key contains it (Citus requires that),
//! lookups by (kind, key) route to one shard, and day partitions stay droppable from the
//! coordinator. The advisory locks below serialise writers of one key only when writes go through
//! one coordinator; with several coordinators a same-key race could store a duplicate content-
//! addressed row (harmless: the vault deduplicates by record id) — see docs/server.md.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use std::time::{Duration, Instant};

use postgres::Client;
use spur_migrate::connect::Connector;
use spur_protocol::record::RecordKind;
use spur_protocol::time::{Day, RETENTION_DAYS};

use super::{
    id_from_db, kind_from_db, migrations, pin_from_db, ExportRow, Position, Store, StoreError,
    StoreResult, StoredRecord, Write,
};

fn db(e: postgres::Error) -> StoreError {
    // The message of a PostgreSQL error names the SQL problem, not the connection string.
    StoreError::Database(spur_migrate::connect::describe(&e))
}

fn day_i32(d: u32) -> StoreResult<i32> {
    i32::try_from(d).map_err(|_| StoreError::Database("day out of range".into()))
}

/// What a pooled connection thread needs to (re)connect.
struct Target {
    url: String,
    schema: String,
    connector: Connector,
}

impl Target {
    fn connect(&self) -> StoreResult<Client> {
        let mut c = self.connector.connect(&self.url).map_err(db)?;
        c.batch_execute(&format!("SET search_path TO \"{}\"", self.schema))
            .map_err(db)?;
        Ok(c)
    }
}

/// A pooled connection: the client (none after a failed connect) and when it was last used.
struct Slot {
    client: Option<Client>,
    used: Instant,
    /// Why the last connect failed, for the error a job then returns.
    failure: Option<String>,
}

impl Slot {
    /// Health check before a job: a closed connection, or one idle for [`IDLE_CHECK`] that does
    /// not answer a ping within [`PING_TIMEOUT`], is replaced (after a database restart every
    /// pooled connection is dead, and only a check finds out before a client's request does).
    fn ready(&mut self, target: &Target) {
        let stale = match self.client.as_mut() {
            None => true,
            Some(c) if c.is_closed() => true,
            Some(c) => self.used.elapsed() >= IDLE_CHECK && c.is_valid(PING_TIMEOUT).is_err(),
        };
        if stale {
            self.reconnect(target);
        }
    }

    fn reconnect(&mut self, target: &Target) {
        self.client = None;
        match target.connect() {
            Ok(c) => {
                self.client = Some(c);
                self.failure = None;
            }
            Err(e) => self.failure = Some(e.to_string()),
        }
    }

    /// Whether the connection was lost (closed by the server, the network or a restart).
    fn lost(&self) -> bool {
        self.client.as_ref().is_none_or(Client::is_closed)
    }
}

type Job = Box<dyn FnOnce(&mut Slot, &Target) + Send>;

/// The PostgreSQL store. The blocking `postgres` client keeps a small tokio runtime inside, which
/// must be neither created, used nor dropped on an async worker thread; so every connection lives
/// on its own plain thread for its whole life, and the store hands those threads jobs. The
/// threads are the pool: each holds one connection, checks it before use and reconnects.
pub struct PostgresStore {
    jobs: Mutex<std::sync::mpsc::Sender<Job>>,
    partitions: Arc<Mutex<HashSet<u32>>>,
}

/// Most connections the store opens (the default of `--db-pool`).
pub const DEFAULT_CONNECTIONS: usize = 16;

/// A connection idle this long is pinged before its next job.
const IDLE_CHECK: Duration = Duration::from_secs(30);

/// How long a ping may take before the connection is replaced.
const PING_TIMEOUT: Duration = Duration::from_secs(5);

/// Partitions made ahead of today by each sweep, so that the first write of a day does not
/// pay for (or race on) creating its partition.
const DAYS_AHEAD: u32 = 2;

fn worker(target: Arc<Target>, rx: Arc<Mutex<std::sync::mpsc::Receiver<Job>>>) {
    let mut slot = Slot {
        client: None,
        used: Instant::now(),
        failure: None,
    };
    loop {
        let job = match rx.lock() {
            Ok(r) => match r.recv() {
                Ok(j) => j,
                Err(_) => return,
            },
            Err(_) => return,
        };
        slot.ready(&target);
        job(&mut slot, &target);
        slot.used = Instant::now();
    }
}

impl PostgresStore {
    /// Connects to `url` and brings the tables in schema `public` to the newest version.
    pub fn open(url: &str) -> StoreResult<Self> {
        Self::open_in_schema(url, "public", DEFAULT_CONNECTIONS)
    }

    /// [`PostgresStore::open_with`] without TLS.
    pub fn open_in_schema(url: &str, schema: &str, connections: usize) -> StoreResult<Self> {
        Self::open_with(url, schema, connections, Connector::plain())
    }

    /// Connects through `connector` and uses (creating if missing) `schema`, with a pool of at
    /// most `connections` connections, after bringing its tables to the newest version (a newer
    /// database is refused with [`StoreError::TooNew`]). Tests use one schema each. The schema
    /// name must be letters, digits and underscores.
    pub fn open_with(
        url: &str,
        schema: &str,
        connections: usize,
        connector: Connector,
    ) -> StoreResult<Self> {
        if schema.is_empty()
            || !schema
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(StoreError::Database("invalid schema name".into()));
        }
        let target = Arc::new(Target {
            url: url.to_owned(),
            schema: schema.to_owned(),
            connector,
        });
        // Create the schema and migrate on a plain thread (see the type's comment) before any
        // job runs; a connection or TLS failure surfaces here, at start.
        let setup =
            format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\"; SET search_path TO \"{schema}\";");
        let t = target.clone();
        std::thread::spawn(move || -> StoreResult<()> {
            let mut c = t.connector.connect(&t.url).map_err(db)?;
            c.batch_execute(&setup).map_err(db)?;
            spur_migrate::migrate(
                &mut spur_migrate::postgres::Postgres::new(
                    &mut c,
                    migrations::POSTGRES_VERSION_TABLE,
                ),
                &migrations::POSTGRES,
            )
            .map(|_| ())
            .map_err(migrations::store_error)
        })
        .join()
        .map_err(|_| StoreError::Database("schema setup failed".into()))??;
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..connections.max(1) {
            let (t, r) = (target.clone(), rx.clone());
            std::thread::Builder::new()
                .name(format!("spur-pg-{i}"))
                .spawn(move || worker(t, r))
                .map_err(|e| StoreError::Database(format!("cannot start a worker: {e}")))?;
        }
        Ok(Self {
            jobs: Mutex::new(tx),
            partitions: Arc::new(Mutex::new(HashSet::new())),
        })
    }

    /// Runs `f` on a pooled connection and waits for its answer. When the connection turns out
    /// lost during `f` (terminated backend, database restart), `f` runs once more on a fresh
    /// one: every operation of the store is idempotent (the same write again is a no-op, see
    /// [`Write`]), so a retry cannot store twice, and a write whose first attempt did commit
    /// before the connection dropped is then found and acknowledged.
    fn with<T: Send + 'static>(
        &self,
        f: impl Fn(&mut Client) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let (reply, answer) = std::sync::mpsc::sync_channel(1);
        let job: Job = Box::new(move |slot: &mut Slot, target: &Target| {
            let run = |slot: &mut Slot| match slot.client.as_mut() {
                Some(c) => f(c),
                None => Err(StoreError::Database(format!(
                    "cannot connect to PostgreSQL: {}",
                    slot.failure.as_deref().unwrap_or("no connection")
                ))),
            };
            let mut out = run(slot);
            if matches!(out, Err(StoreError::Database(_))) && slot.lost() {
                slot.reconnect(target);
                out = run(slot);
            }
            if matches!(out, Err(StoreError::Database(_))) && slot.lost() {
                // Start over with a fresh connection next time.
                slot.client = None;
            }
            let _ = reply.send(out);
        });
        let gone = || StoreError::Database("the PostgreSQL workers stopped".into());
        self.jobs
            .lock()
            .map_err(|_| gone())?
            .send(job)
            .map_err(|_| gone())?;
        answer.recv().map_err(|_| gone())?
    }
}

fn ensure_partition(partitions: &Mutex<HashSet<u32>>, c: &mut Client, day: Day) -> StoreResult<()> {
    if partitions.lock().is_ok_and(|p| p.contains(&day.0)) {
        return Ok(());
    }
    let sql = format!(
        "CREATE TABLE IF NOT EXISTS spur_records_d{d} PARTITION OF spur_records FOR VALUES IN ({d})",
        d = day.0
    );
    if let Err(e) = c.batch_execute(&sql) {
        // Two writers creating the same partition at once: the loser sees a duplicate error;
        // it is fine when the partition exists now.
        let exists = c
            .query_one(
                "SELECT to_regclass($1) IS NOT NULL",
                &[&format!("spur_records_d{}", day.0)],
            )
            .map_err(db)?
            .get::<_, bool>(0);
        if !exists {
            return Err(db(e));
        }
    }
    if let Ok(mut p) = partitions.lock() {
        p.insert(day.0);
    }
    Ok(())
}

fn partition_days(c: &mut Client) -> StoreResult<Vec<u32>> {
    let rows = c
        .query(
            "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'spur_records'::regclass",
            &[],
        )
        .map_err(db)?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            r.get::<_, String>(0)
                .strip_prefix("spur_records_d")
                .and_then(|d| d.parse().ok())
        })
        .collect())
}

fn lock_key(key: &[u8]) -> i64 {
    let mut b = [0u8; 8];
    for (d, s) in b.iter_mut().zip(key) {
        *d = *s;
    }
    i64::from_be_bytes(b)
}

fn write_tx(c: &mut Client, day: Day, writes: &[Write]) -> StoreResult<()> {
    let d = day_i32(day.0)?;
    let mut tx = c.transaction().map_err(db)?;
    let mut locks: Vec<i64> = writes.iter().map(|w| lock_key(&w.record().key)).collect();
    locks.sort_unstable();
    locks.dedup();
    tx.execute(
        "SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k ORDER BY k",
        &[&locks],
    )
    .map_err(db)?;

    // What is stored already under each write's (kind, key). The same record again (same id)
    // changes nothing, its day included: no re-upload restarts the 28 days. Another record under
    // an Insert's key is a conflict.
    let kinds: Vec<i16> = writes.iter().map(|w| w.record().kind as i16).collect();
    let keys: Vec<&[u8]> = writes.iter().map(|w| w.record().key.as_slice()).collect();
    let existing = tx
        .query(
            "SELECT s.kind, s.key, s.id FROM spur_records s
             JOIN unnest($1::smallint[], $2::bytea[]) AS w(kind, key)
               ON s.kind = w.kind AND s.key = w.key",
            &[&kinds, &keys],
        )
        .map_err(db)?;
    let mut unchanged = HashSet::new();
    for row in existing {
        let (kind, key, id): (i16, Vec<u8>, Vec<u8>) = (row.get(0), row.get(1), row.get(2));
        for (i, w) in writes.iter().enumerate() {
            let r = w.record();
            if r.kind as i16 != kind || r.key != key {
                continue;
            }
            if r.id.as_slice() == id.as_slice() {
                unchanged.insert(i);
            } else if matches!(w, Write::Insert(_)) {
                return Err(StoreError::Conflict { index: i });
            }
        }
    }

    // A new registration replaces the registration and tombstone under its handle; a delete
    // removes the registration (and an older tombstone, unless it is this same one).
    for (i, w) in writes.iter().enumerate() {
        let (kinds, key): (Vec<i16>, &[u8]) = match w {
            Write::Replace(r) if !unchanged.contains(&i) => (
                vec![
                    RecordKind::Registration as i16,
                    RecordKind::RegistrationDelete as i16,
                ],
                &r.key,
            ),
            Write::Tombstone(t) if unchanged.contains(&i) => {
                (vec![RecordKind::Registration as i16], &t.key)
            }
            Write::Tombstone(t) => (
                vec![
                    RecordKind::Registration as i16,
                    RecordKind::RegistrationDelete as i16,
                ],
                &t.key,
            ),
            _ => continue,
        };
        tx.execute(
            "DELETE FROM spur_records WHERE kind = ANY($1) AND key = $2",
            &[&kinds, &key],
        )
        .map_err(db)?;
    }
    let fresh: Vec<&StoredRecord> = writes
        .iter()
        .enumerate()
        .filter(|(i, _)| !unchanged.contains(i))
        .map(|(_, w)| w.record())
        .collect();
    if !fresh.is_empty() {
        let kinds: Vec<i16> = fresh.iter().map(|r| r.kind as i16).collect();
        let keys: Vec<&[u8]> = fresh.iter().map(|r| r.key.as_slice()).collect();
        let ids: Vec<&[u8]> = fresh.iter().map(|r| r.id.as_slice()).collect();
        let bodies: Vec<&[u8]> = fresh.iter().map(|r| r.body.as_slice()).collect();
        tx.execute(
            "INSERT INTO spur_records (day, kind, key, id, body)
             SELECT $1, * FROM unnest($2::smallint[], $3::bytea[], $4::bytea[], $5::bytea[])
             ON CONFLICT DO NOTHING",
            &[&d, &kinds, &keys, &ids, &bodies],
        )
        .map_err(db)?;
    }
    tx.commit().map_err(db)
}

impl Store for PostgresStore {
    fn write(&self, day: Day, writes: Vec<Write>) -> StoreResult<()> {
        let partitions = self.partitions.clone();
        self.with(move |c| {
            ensure_partition(&partitions, c, day)?;
            write_tx(c, day, &writes)
        })
    }

    fn get(&self, kind: RecordKind, key: &[u8]) -> StoreResult<Option<StoredRecord>> {
        let key = key.to_vec();
        self.with(move |c| {
            let row = c
                .query_opt(
                    "SELECT id, body FROM spur_records WHERE kind = $1 AND key = $2 LIMIT 1",
                    &[&(kind as i16), &key.as_slice()],
                )
                .map_err(db)?;
            row.map(|r| {
                Ok(StoredRecord {
                    kind,
                    key: key.clone(),
                    id: id_from_db(r.get(0))?,
                    body: r.get(1),
                })
            })
            .transpose()
        })
    }

    fn export(&self, from: &Position, through: Day, limit: usize) -> StoreResult<Vec<ExportRow>> {
        let from = from.clone();
        self.with(move |c| {
            let rows = c
                .query(
                    "SELECT day, kind, key, id, body FROM spur_records
                     WHERE (day, kind, key) > ($1, $2, $3) AND day <= $4
                     ORDER BY day, kind, key LIMIT $5",
                    &[
                        &day_i32(from.day)?,
                        &i16::from(from.kind),
                        &from.key,
                        &day_i32(through.0)?,
                        &i64::try_from(limit).unwrap_or(i64::MAX),
                    ],
                )
                .map_err(db)?;
            rows.into_iter()
                .map(|r| {
                    let day: i32 = r.get(0);
                    let kind: i16 = r.get(1);
                    Ok(ExportRow {
                        day: Day(u32::try_from(day).map_err(|_| {
                            StoreError::Database("negative day in the database".into())
                        })?),
                        record: StoredRecord {
                            kind: kind_from_db(i64::from(kind))?,
                            key: r.get(2),
                            id: id_from_db(r.get(3))?,
                            body: r.get(4),
                        },
                    })
                })
                .collect()
        })
    }

    fn sweep(&self, keep_from: Day) -> StoreResult<u64> {
        let partitions = self.partitions.clone();
        self.with(move |c| {
            let mut dropped = 0;
            for day in partition_days(c)? {
                if day < keep_from.0 {
                    c.batch_execute(&format!("DROP TABLE IF EXISTS spur_records_d{day}"))
                        .map_err(db)?;
                    if let Ok(mut p) = partitions.lock() {
                        p.remove(&day);
                    }
                    dropped += 1;
                }
            }
            c.execute(
                "DELETE FROM spur_pin_checks WHERE day < $1",
                &[&day_i32(keep_from.0)?],
            )
            .map_err(db)?;
            // Today's partition and the next ones, made ahead (the sweep runs at start and
            // hourly; a write still makes its own partition when none is there yet).
            let today = keep_from.0.saturating_add(RETENTION_DAYS - 1);
            for d in today..=today.saturating_add(DAYS_AHEAD) {
                ensure_partition(&partitions, c, Day(d))?;
            }
            Ok(dropped)
        })
    }

    fn put_pin_check(&self, day: Day, qr_id: &[u8], hash: &[u8; 32]) -> StoreResult<()> {
        let (qr_id, hash) = (qr_id.to_vec(), *hash);
        self.with(move |c| {
            c.execute(
                "INSERT INTO spur_pin_checks (qr_id, hash, day) VALUES ($1, $2, $3)
                 ON CONFLICT (qr_id) DO UPDATE SET day = excluded.day
                 WHERE spur_pin_checks.hash = excluded.hash",
                &[&qr_id, &hash.as_slice(), &day_i32(day.0)?],
            )
            .map_err(db)?;
            let kept: Option<Vec<u8>> = c
                .query_opt(
                    "SELECT hash FROM spur_pin_checks WHERE qr_id = $1",
                    &[&qr_id],
                )
                .map_err(db)?
                .map(|r| r.get(0));
            match kept {
                Some(h) if h.as_slice() == hash.as_slice() => Ok(()),
                _ => Err(StoreError::Conflict { index: 0 }),
            }
        })
    }

    fn pin_check(&self, qr_id: &[u8]) -> StoreResult<Option<[u8; 32]>> {
        let qr_id = qr_id.to_vec();
        self.with(move |c| {
            c.query_opt(
                "SELECT hash FROM spur_pin_checks WHERE qr_id = $1",
                &[&qr_id],
            )
            .map_err(db)?
            .map(|r| pin_from_db(r.get(0)))
            .transpose()
        })
    }

    fn count(&self) -> StoreResult<u64> {
        self.with(|c| {
            let n: i64 = c
                .query_one("SELECT count(*) FROM spur_records", &[])
                .map_err(db)?
                .get(0);
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }
}
