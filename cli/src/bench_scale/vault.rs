//! The vault's side at scale: importing export pages on every core beside raw X25519 (one
//! Diffie-Hellman per OP layer is the floor of opening), one core beside one core, and the
//! statistics beside a raw scan of the same table.

use std::time::{Duration, Instant};

use anyhow::anyhow;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use spur_protocol::export::ExportRow;
use spur_protocol::keys::SealSecretKey;
use spur_protocol::time::Day;
use spur_vault::store::sqlite::SqliteStore;
use spur_vault::store::Store;
use x25519_dalek::{PublicKey, StaticSecret};

/// Rows kept from the first page to time opening on one core.
const SAMPLE: usize = 20_000;

/// Import state across pages.
pub struct Import {
    /// Seconds spent parsing and importing pages.
    pub secs: f64,
    /// Rows imported.
    pub rows: u64,
    /// A sample of rows for the one-core figure.
    pub sample: Vec<ExportRow>,
}

/// Imports one export page file into `store` on `threads` threads (the vault's own import).
pub fn import_page(
    store: &mut dyn Store,
    op: &SealSecretKey,
    file: &[u8],
    threads: usize,
    state: &mut Import,
) -> anyhow::Result<()> {
    let t = Instant::now();
    let parsed = spur_protocol::export::parse(file).map_err(|e| anyhow!("export page: {e}"))?;
    let name = format!("page-{}", state.rows);
    let c = spur_vault::import::import_file(store, op, &parsed, &name, threads, Day(0))
        .map_err(|e| anyhow!("import: {e}"))?;
    state.secs += t.elapsed().as_secs_f64();
    state.rows += c.rows;
    if state.sample.len() < SAMPLE {
        let want = SAMPLE - state.sample.len();
        state.sample.extend(parsed.rows.into_iter().take(want));
    }
    Ok(())
}

/// X25519 operations per second on `threads` threads for about `secs` seconds.
pub fn x25519_rate(threads: usize, secs: f64) -> f64 {
    let total: u64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.max(1) as u64)
            .map(|t| {
                s.spawn(move || {
                    let mut rng = ChaCha20Rng::seed_from_u64(t);
                    let secret = StaticSecret::random_from_rng(&mut rng);
                    let points: Vec<PublicKey> = (0..256)
                        .map(|_| PublicKey::from(&StaticSecret::random_from_rng(&mut rng)))
                        .collect();
                    let start = Instant::now();
                    let mut n = 0u64;
                    let mut acc = 0u8;
                    while start.elapsed() < Duration::from_secs_f64(secs) {
                        for p in &points {
                            acc ^= secret.diffie_hellman(p).as_bytes()[0];
                        }
                        n += points.len() as u64;
                    }
                    std::hint::black_box(acc);
                    (n as f64 / start.elapsed().as_secs_f64()) as u64
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    total as f64
}

/// OP layers opened per second on one core over the sample.
pub fn open_rate_one_core(op: &SealSecretKey, sample: &[ExportRow]) -> f64 {
    let t = Instant::now();
    let opened = spur_vault::import::open_rows(op, sample, 1);
    std::hint::black_box(opened.len());
    sample.len() as f64 / t.elapsed().as_secs_f64().max(1e-9)
}

/// The statistics table (raw counts grouped, then the threshold applied): seconds and rows.
pub fn statistics(store: &mut SqliteStore) -> anyhow::Result<(f64, usize)> {
    let t = Instant::now();
    let raw = store.raw_stats().map_err(|e| anyhow!("statistics: {e}"))?;
    let table = spur_vault::stats::table(&raw, 5);
    Ok((t.elapsed().as_secs_f64(), table.len()))
}

/// A raw scan reading every slot entry's columns (the statistics' baseline).
pub fn raw_scan(path: &std::path::Path) -> anyhow::Result<f64> {
    let c = rusqlite::Connection::open(path)?;
    let t = Instant::now();
    let n: i64 = c.query_row(
        "SELECT COUNT(*) + SUM(length(stat_region)) + SUM(slot) FROM slot_entries",
        [],
        |r| r.get(0),
    )?;
    std::hint::black_box(n);
    Ok(t.elapsed().as_secs_f64())
}
