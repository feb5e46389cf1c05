//! The POST server's side at scale: ingest through the server's own parser and store (the request
//! handler's work without HTTP, which `spur bench server` measures) beside a raw insert of the
//! same record bytes into a bare table of the same engine; and the export pages the vault pulls
//! beside a raw read of that bare table.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::anyhow;
use indicatif::ProgressBar;
use spur_protocol::export::{Encoder, RowRef};
use spur_protocol::record::{RecordKind, VERSION};
use spur_protocol::time::Day;
use spur_server::post::ingest;
use spur_server::store::{ExportRow, Position, Store};

use super::population::{Upload, DAYS, FIRST_DAY};

/// Uploads one raw-insert transaction takes, as the SQLite store's group commit takes at most.
const RAW_BATCH: usize = 256;
/// Rows per export page (the server's default page).
const PAGE: usize = spur_server::post::DEFAULT_EXPORT_PAGE;
/// Rows per store read inside a page (as the server streams).
const CHUNK: usize = spur_server::export::CHUNK_ROWS;

/// The records of an upload body, each as its wire bytes.
pub fn records(body: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = body;
    while let (Some(&v), Some(&k)) = (rest.first(), rest.get(1)) {
        let len = match RecordKind::from_byte(k) {
            Ok(kind) if v == VERSION => kind.wire_len(),
            _ => break,
        };
        let (one, tail) = rest.split_at(len.min(rest.len()));
        out.push(one);
        rest = tail;
    }
    out
}

/// A stable unique key for a record's bytes in the raw table: its first 32 sealed bytes (the
/// OP layer's fresh ephemeral public key).
fn raw_key(record: &[u8]) -> &[u8] {
    record.get(2..34).unwrap_or(record)
}

/// Feeds every upload through the POST server's parser into `store` from `threads` threads.
pub fn ingest(
    store: Arc<dyn Store>,
    uploads: &[Upload],
    threads: usize,
    bar: &ProgressBar,
) -> anyhow::Result<f64> {
    let next = AtomicUsize::new(0);
    let t = Instant::now();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| {
                let (store, next) = (store.clone(), &next);
                s.spawn(move || -> anyhow::Result<()> {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(u) = uploads.get(i) else {
                            return Ok(());
                        };
                        let writes = if u.visit {
                            ingest::visit(&u.body)
                        } else {
                            ingest::registration(&u.body).map(|w| vec![w])
                        }
                        .map_err(|e| {
                            anyhow!("the POST server refused a generated upload: {}", e.message)
                        })?;
                        store.write(u.day, writes)?;
                        if i.is_multiple_of(1024) {
                            bar.set_position(i as u64);
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().map_err(|_| anyhow!("an ingest thread failed"))?)
    })?;
    Ok(t.elapsed().as_secs_f64())
}

/// Raw insert into SQLite: a bare table (key, day, body) in WAL mode with `synchronous=FULL` like
/// the store, one writer, one transaction per [`RAW_BATCH`] uploads.
pub fn raw_sqlite(
    path: &std::path::Path,
    uploads: &[Upload],
    bar: &ProgressBar,
) -> anyhow::Result<f64> {
    let mut c = rusqlite::Connection::open(path)?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    c.execute_batch(
        "CREATE TABLE raw (key BLOB PRIMARY KEY, day INTEGER NOT NULL, body BLOB NOT NULL)",
    )?;
    let t = Instant::now();
    for (n, batch) in uploads.chunks(RAW_BATCH).enumerate() {
        let tx = c.transaction()?;
        {
            let mut st =
                tx.prepare_cached("INSERT INTO raw (key, day, body) VALUES (?1, ?2, ?3)")?;
            for u in batch {
                for r in records(&u.body) {
                    st.execute(rusqlite::params![raw_key(r), u.day.0, r])?;
                }
            }
        }
        tx.commit()?;
        bar.set_position(((n + 1) * RAW_BATCH) as u64);
    }
    Ok(t.elapsed().as_secs_f64())
}

/// Reads every row of the raw SQLite table in key order (the export's baseline).
pub fn raw_sqlite_read(path: &std::path::Path) -> anyhow::Result<(f64, u64)> {
    let c = rusqlite::Connection::open(path)?;
    let t = Instant::now();
    let mut st = c.prepare("SELECT day, key, body FROM raw ORDER BY key")?;
    let mut rows = st.query([])?;
    let mut bytes = 0u64;
    while let Some(r) = rows.next()? {
        let key: Vec<u8> = r.get(1)?;
        let body: Vec<u8> = r.get(2)?;
        bytes += (key.len() + body.len()) as u64;
    }
    Ok((t.elapsed().as_secs_f64(), bytes))
}

/// Raw insert into PostgreSQL: a bare table in `schema`, `threads` connections, one
/// transaction per upload (as the store commits a request).
pub fn raw_postgres(
    url: &str,
    schema: &str,
    uploads: &[Upload],
    threads: usize,
    bar: &ProgressBar,
) -> anyhow::Result<f64> {
    let mut c = postgres::Client::connect(url, postgres::NoTls)?;
    c.batch_execute(&format!(
        "CREATE SCHEMA \"{schema}\"; CREATE TABLE \"{schema}\".raw (key BYTEA PRIMARY KEY, day INTEGER NOT NULL, body BYTEA NOT NULL)"
    ))?;
    let next = AtomicUsize::new(0);
    let t = Instant::now();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| {
                let next = &next;
                s.spawn(move || -> anyhow::Result<()> {
                    let mut c = postgres::Client::connect(url, postgres::NoTls)?;
                    let st = c.prepare(&format!(
                        "INSERT INTO \"{schema}\".raw (key, day, body) VALUES ($1, $2, $3)"
                    ))?;
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(u) = uploads.get(i) else {
                            return Ok(());
                        };
                        let mut tx = c.transaction()?;
                        let day = i32::try_from(u.day.0)?;
                        for r in records(&u.body) {
                            tx.execute(&st, &[&raw_key(r), &day, &r])?;
                        }
                        tx.commit()?;
                        if i.is_multiple_of(1024) {
                            bar.set_position(i as u64);
                        }
                    }
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .map_err(|_| anyhow!("a raw insert thread failed"))?
        })
    })?;
    Ok(t.elapsed().as_secs_f64())
}

/// Reads every row of the raw PostgreSQL table in key order.
pub fn raw_postgres_read(url: &str, schema: &str) -> anyhow::Result<(f64, u64)> {
    let mut c = postgres::Client::connect(url, postgres::NoTls)?;
    let t = Instant::now();
    let mut bytes = 0u64;
    let mut tx = c.transaction()?;
    let portal = tx.bind(
        &format!("SELECT day, key, body FROM \"{schema}\".raw ORDER BY key"),
        &[],
    )?;
    loop {
        let rows = tx.query_portal(&portal, 10_000)?;
        if rows.is_empty() {
            break;
        }
        for r in rows {
            let key: &[u8] = r.get(1);
            let body: &[u8] = r.get(2);
            bytes += (key.len() + body.len()) as u64;
        }
    }
    Ok((t.elapsed().as_secs_f64(), bytes))
}

/// Bytes of the tables (with indexes and TOAST) in `schema`.
pub fn postgres_bytes(url: &str, schema: &str) -> anyhow::Result<u64> {
    let mut c = postgres::Client::connect(url, postgres::NoTls)?;
    let row = c.query_one(
        "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::BIGINT FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
        &[&schema],
    )?;
    Ok(u64::try_from(row.get::<_, i64>(0))?)
}

/// Drops `schemas` (the run's tables).
pub fn drop_schemas(url: &str, schemas: &[String]) -> anyhow::Result<()> {
    let mut c = postgres::Client::connect(url, postgres::NoTls)?;
    for s in schemas {
        c.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{s}\" CASCADE"))?;
    }
    Ok(())
}

/// Exports everything in pages as the server streams them (store reads of [`CHUNK`] rows, each
/// row framed by the export codec) and hands each finished page file to `page`, whose time is
/// not counted. Returns (export seconds, rows).
pub fn export(
    store: &dyn Store,
    bar: &ProgressBar,
    mut page: impl FnMut(Vec<u8>) -> anyhow::Result<()>,
) -> anyhow::Result<(f64, u64)> {
    let through = Day(FIRST_DAY + DAYS);
    let mut pos = Position::start_of(Day(FIRST_DAY));
    let mut total = 0u64;
    let mut secs = 0f64;
    loop {
        let t = Instant::now();
        let mut enc = Encoder::new();
        let mut file = enc.header();
        let mut in_page = 0;
        let mut more = false;
        while in_page < PAGE {
            let rows: Vec<ExportRow> = store.export(&pos, through, CHUNK.min(PAGE - in_page))?;
            for row in &rows {
                file.extend(enc.row(RowRef {
                    day: row.day,
                    kind: row.record.kind,
                    key: &row.record.key,
                    id: &row.record.id,
                    body: &row.record.body,
                }));
            }
            in_page += rows.len();
            if let Some(last) = rows.last() {
                pos = Position::after(last);
            }
            if rows.len() < CHUNK.min(PAGE - in_page + rows.len()) {
                break;
            }
            more = in_page == PAGE;
        }
        file.extend(enc.end(more, "bench"));
        secs += t.elapsed().as_secs_f64();
        total += in_page as u64;
        bar.set_position(total);
        if in_page > 0 {
            page(file)?;
        }
        if !more {
            return Ok((secs, total));
        }
    }
}
