//! `spur bench scale`: a town's uploads at production shapes at growing sizes (10^5, 10^6, 10^7
//! records and on while the time bound allows), each size put through every party's step — POST
//! ingest (SQLite, and PostgreSQL when a URL is given), export, vault import, one consent's
//! trace, a resolve, the statistics — with disk and peak memory; every figure printed beside a
//! baseline measured in the same run, then the log-log slope of each figure over the sizes.
//! docs/scale.md turns the figures into a country's sizing.

mod case;
mod fit;
mod measure;
mod population;
mod post;
mod vault;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::anyhow;
use indicatif::{ProgressBar, ProgressStyle};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use spur_protocol::keys::SealSecretKey;
use spur_server::store::Store as PostStore;

use measure::Figure;

/// Options of `spur bench scale`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Record counts to run, in order (default 10^5, 10^6, 10^7, 10^8: stops growing when the
    /// next size would pass --max-seconds or leave less than 20 GB of disk).
    #[arg(long, value_delimiter = ',')]
    pub sizes: Vec<u64>,
    /// Bound on the whole run in seconds: a size whose expected time (from the last one, grown
    /// by the fitted slope) would pass it is not started.
    #[arg(long, default_value_t = 3600)]
    pub max_seconds: u64,
    /// Check-ins per person per day.
    #[arg(long, default_value_t = 1)]
    pub checkins: u32,
    /// Concurrent writers feeding the POST store (as concurrent requests would).
    #[arg(long, default_value_t = 64)]
    pub writers: usize,
    /// PostgreSQL URL for the PostgreSQL ingest (else SPUR_TEST_POSTGRES_URL; skipped without one).
    #[arg(long, env = "SPUR_TEST_POSTGRES_URL", hide_env_values = true)]
    pub pg_url: Option<String>,
    /// Directory for the databases (default: a temporary directory, removed afterwards).
    #[arg(long)]
    pub dir: Option<std::path::PathBuf>,
    /// Only the POST server's steps (ingest, disk and export on SQLite and PostgreSQL) and the
    /// peak memory: for sizes where the vault's steps would not fit the time bound.
    #[arg(long)]
    pub post_only: bool,
}

/// Free disk kept after a size's databases (the machine is shared).
const KEEP_FREE: u64 = 20_000_000_000;
/// Registrations asked for in the resolve.
const RESOLVE_IDS: usize = 1000;

fn bar(len: u64, what: &str) -> ProgressBar {
    let b = ProgressBar::new(len);
    b.set_style(
        ProgressStyle::with_template("  {msg:<28} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    b.set_message(what.to_owned());
    b
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<()> {
    let sizes = if args.sizes.is_empty() {
        vec![100_000, 1_000_000, 10_000_000, 100_000_000]
    } else {
        args.sizes.clone()
    };
    let tmp = match &args.dir {
        Some(d) => tempfile::tempdir_in(d)?,
        None => tempfile::tempdir()?,
    };
    let cores = spur_vault::import::default_threads();
    println!(
        "spur bench scale: {cores} cores, sizes {sizes:?} records, bound {} s, {} check-in(s) per person per day over {} days",
        args.max_seconds,
        args.checkins,
        population::DAYS
    );
    if args.pg_url.is_none() {
        println!("PostgreSQL: skipped (no --pg-url and no SPUR_TEST_POSTGRES_URL)");
    }
    let start = Instant::now();
    let mut runs: Vec<(u64, Vec<Figure>)> = Vec::new();
    let mut last: Option<(u64, f64, u64)> = None; // (records, seconds, disk bytes)
    for (i, &size) in sizes.iter().enumerate() {
        if let Some((n, secs, disk)) = last {
            let grow = size as f64 / n as f64;
            let expect = secs * grow.powf(1.1);
            let left = args.max_seconds as f64 - start.elapsed().as_secs_f64();
            if expect > left {
                println!(
                    "stop: {size} records would take about {expect:.0} s, {left:.0} s of the bound are left"
                );
                break;
            }
            let need = (disk as f64 * grow) as u64;
            if let Some(free) = measure::free_bytes(tmp.path()) {
                if free.saturating_sub(need) < KEEP_FREE {
                    println!(
                        "stop: {size} records need about {} GB of disk, {} GB are free (keeping 20 GB)",
                        need / 1_000_000_000,
                        free / 1_000_000_000
                    );
                    break;
                }
            }
        }
        let t = Instant::now();
        let dir = tmp.path().join(format!("size-{i}"));
        std::fs::create_dir_all(&dir)?;
        let (figs, records, disk) = one_size(&args, size, &dir, cores, i)?;
        let _ = std::fs::remove_dir_all(&dir);
        let secs = t.elapsed().as_secs_f64();
        println!("  size done in {secs:.0} s");
        last = Some((records, secs, disk));
        runs.push((records, figs));
    }
    println!("Growth over the sizes (log-log slope of each figure over records; 1 = linear):");
    for l in fit::lines(&runs) {
        println!("{l}");
    }
    Ok(())
}

/// The SQLite export's figure: `secs` for `rows` beside a raw read of the same bytes from the
/// raw-insert database in `dir`.
fn export_figure(secs: f64, rows: u64, dir: &Path) -> anyhow::Result<Figure> {
    let (raw, _) = post::raw_sqlite_read(&dir.join("raw.sqlite"))?;
    Ok(Figure {
        name: "export SQLite",
        value: secs,
        baseline_name: "raw read of the same bytes",
        baseline: raw,
        unit: "s",
        records: rows,
    })
}

/// One size: returns its figures, its record count and the bytes its databases took.
fn one_size(
    args: &Args,
    size: u64,
    dir: &Path,
    cores: usize,
    index: usize,
) -> anyhow::Result<(Vec<Figure>, u64, u64)> {
    measure::reset_peak();
    let base_rss = measure::rss_kib();
    let mut rng = ChaCha20Rng::seed_from_u64(size);
    let op = SealSecretKey::generate(&mut rng);
    let (people, regions) = population::shape(size, args.checkins);
    println!("size {size} records: a town of {people} people in {regions} postcodes");
    let b = bar(0, "generating");
    let t = Instant::now();
    let mut pop = population::generate(&op.public(), size, args.checkins, cores, &b)?;
    b.finish_and_clear();
    let case = case::Case::build(op, &population::regions(regions)?)?;
    let case_uploads = case.uploads.len();
    pop.uploads.extend(case.uploads.iter().cloned());
    pop.recount();
    let records = pop.records;
    println!(
        "  generated {records} records ({:.0} MB) in {:.1} s; the case adds {case_uploads} real visits",
        pop.bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let mut figs = Vec::new();

    // POST on SQLite.
    let b = bar(pop.uploads.len() as u64, "POST ingest SQLite");
    let store: Arc<dyn PostStore> = Arc::new(spur_server::store::sqlite::SqliteStore::open(
        &dir.join("post.sqlite"),
    )?);
    let ingest = post::ingest(store.clone(), &pop.uploads, args.writers, &b)?;
    b.finish_and_clear();
    let b = bar(pop.uploads.len() as u64, "raw insert SQLite");
    let raw = post::raw_sqlite(&dir.join("raw.sqlite"), &pop.uploads, &b)?;
    b.finish_and_clear();
    let fig = Figure {
        name: "ingest SQLite",
        value: ingest,
        baseline_name: "raw insert of the same bytes",
        baseline: raw,
        unit: "s",
        records,
    };
    println!("{}", fig.line());
    figs.push(fig);
    let post_disk = measure::file_bytes(dir, "post.sqlite");
    let fig = Figure {
        name: "disk POST SQLite",
        value: post_disk as f64,
        baseline_name: "the records' bytes",
        baseline: pop.bytes as f64,
        unit: "B",
        records,
    };
    println!("{}", fig.line());
    figs.push(fig);

    // POST on PostgreSQL.
    let mut schemas = Vec::new();
    let mut pg_disk = 0;
    if let Some(url) = &args.pg_url {
        let run = std::process::id();
        let (s_store, s_raw) = (
            format!("scale_post_{run}_{index}"),
            format!("scale_raw_{run}_{index}"),
        );
        schemas = vec![s_store.clone(), s_raw.clone()];
        let pg: Arc<dyn PostStore> =
            Arc::new(spur_server::store::postgres::PostgresStore::open_in_schema(
                url,
                &s_store,
                spur_server::store::postgres::DEFAULT_CONNECTIONS,
            )?);
        let b = bar(pop.uploads.len() as u64, "POST ingest PostgreSQL");
        let ingest = post::ingest(pg.clone(), &pop.uploads, args.writers, &b)?;
        b.finish_and_clear();
        let b = bar(pop.uploads.len() as u64, "raw insert PostgreSQL");
        let raw = post::raw_postgres(
            url,
            &s_raw,
            &pop.uploads,
            spur_server::store::postgres::DEFAULT_CONNECTIONS,
            &b,
        )?;
        b.finish_and_clear();
        let fig = Figure {
            name: "ingest PostgreSQL",
            value: ingest,
            baseline_name: "raw insert of the same bytes",
            baseline: raw,
            unit: "s",
            records,
        };
        println!("{}", fig.line());
        figs.push(fig);
        pg_disk = post::postgres_bytes(url, &s_store)?;
        let fig = Figure {
            name: "disk PostgreSQL",
            value: pg_disk as f64,
            baseline_name: "raw table with its key",
            baseline: post::postgres_bytes(url, &s_raw)? as f64,
            unit: "B",
            records,
        };
        println!("{}", fig.line());
        figs.push(fig);
        let b = bar(records, "export PostgreSQL");
        let (secs, rows) = post::export(pg.as_ref(), &b, |_| Ok(()))?;
        b.finish_and_clear();
        let (raw, _) = post::raw_postgres_read(url, &s_raw)?;
        let fig = Figure {
            name: "export PostgreSQL",
            value: secs,
            baseline_name: "raw read of the same bytes",
            baseline: raw,
            unit: "s",
            records: rows,
        };
        println!("{}", fig.line());
        figs.push(fig);
    }

    // The resolve asks for the first registrations; keep those uploads for the small vault.
    let regs: Vec<population::Upload> = pop
        .uploads
        .iter()
        .filter(|u| !u.visit)
        .take(RESOLVE_IDS)
        .cloned()
        .collect();
    let ids: Vec<[u8; 16]> = pop
        .registration_ids
        .iter()
        .take(RESOLVE_IDS)
        .copied()
        .collect();
    let pop_bytes = pop.bytes;
    drop(pop);
    if args.post_only {
        let b = bar(records, "export SQLite");
        let (secs, rows) = post::export(store.as_ref(), &b, |_| Ok(()))?;
        b.finish_and_clear();
        drop(store);
        for fig in [
            export_figure(secs, rows, dir)?,
            peak_memory(base_rss, pop_bytes),
        ] {
            println!("{}", fig.line());
            figs.push(fig);
        }
        if let Some(url) = &args.pg_url {
            post::drop_schemas(url, &schemas)?;
        }
        let disk = measure::file_bytes(dir, "") + pg_disk;
        return Ok((figs, records, disk));
    }

    // Export from SQLite, each page imported into the vault on every core.
    let vault_path = dir.join("vault.sqlite");
    let mut vstore = spur_vault::store::sqlite::SqliteStore::open(&vault_path)
        .map_err(|e| anyhow!("vault: {e}"))?;
    let mut imp = vault::Import {
        secs: 0.0,
        rows: 0,
        sample: Vec::new(),
    };
    let b = bar(records, "export SQLite + import");
    let (secs, rows) = post::export(store.as_ref(), &b, |file| {
        vault::import_page(&mut vstore, case.op(), &file, cores, &mut imp)
    })?;
    b.finish_and_clear();
    drop(store);
    let fig = export_figure(secs, rows, dir)?;
    println!("{}", fig.line());
    figs.push(fig);
    let all = vault::x25519_rate(cores, 1.0);
    let fig = Figure {
        name: "vault import",
        value: imp.secs,
        baseline_name: "raw X25519 per record, all cores",
        baseline: imp.rows as f64 / all,
        unit: "s",
        records: imp.rows,
    };
    println!("{}", fig.line());
    figs.push(fig);
    let one = vault::x25519_rate(1, 0.5);
    let open1 = vault::open_rate_one_core(case.op(), &imp.sample);
    let fig = Figure {
        name: "vault open one core",
        value: imp.rows as f64 / open1,
        baseline_name: "raw X25519 per record, one core",
        baseline: imp.rows as f64 / one,
        unit: "s",
        records: imp.rows,
    };
    println!("{}", fig.line());
    figs.push(fig);
    let vault_disk = measure::file_bytes(dir, "vault.sqlite");
    let fig = Figure {
        name: "disk vault",
        value: vault_disk as f64,
        baseline_name: "the records' bytes",
        baseline: pop_bytes as f64,
        unit: "B",
        records,
    };
    println!("{}", fig.line());
    figs.push(fig);

    // The case in a vault holding only its own records and the asked registrations: the floor.
    let small_path = dir.join("small.sqlite");
    let mut small = spur_vault::store::sqlite::SqliteStore::open(&small_path)
        .map_err(|e| anyhow!("vault: {e}"))?;
    let mut rows = Vec::new();
    for u in case.uploads.iter().chain(regs.iter()) {
        for r in post::records(&u.body) {
            rows.push(
                spur_vault::export_file::row_from_upload(u.day, r)
                    .map_err(|e| anyhow!("case row: {e}"))?,
            );
        }
    }
    let file = spur_protocol::export::encode(&rows, false, "case");
    let mut ignored = vault::Import {
        secs: 0.0,
        rows: 0,
        sample: Vec::new(),
    };
    vault::import_page(&mut small, case.op(), &file, cores, &mut ignored)?;

    let (intake, trace, found) = case.trace(&mut vstore)?;
    let (intake0, trace0, found0) = case.trace(&mut small)?;
    if found != case.slot_entries || found0 != case.slot_entries {
        return Err(anyhow!(
            "the trace found {found} (town) and {found0} (case alone) contact entries, expected {}",
            case.slot_entries
        ));
    }
    for (name, v, b) in [
        ("consent intake", intake, intake0),
        ("trace", trace, trace0),
    ] {
        let fig = Figure {
            name,
            value: v,
            baseline_name: "the same on the case's records alone",
            baseline: b,
            unit: "s",
            records: 0,
        };
        println!("{}", fig.line());
        figs.push(fig);
    }
    let (res, given) = case::resolve(&mut vstore, &ids)?;
    let (res0, given0) = case::resolve(&mut small, &ids)?;
    if given != ids.len() || given0 != ids.len() {
        return Err(anyhow!(
            "the resolve gave {given} and {given0} of {} registrations",
            ids.len()
        ));
    }
    let fig = Figure {
        name: "resolve",
        value: res,
        baseline_name: "the same on the case's records alone",
        baseline: res0,
        unit: "s",
        records: 0,
    };
    println!("{}", fig.line());
    figs.push(fig);
    let (stats, _) = vault::statistics(&mut vstore)?;
    let scan = vault::raw_scan(&vault_path)?;
    let fig = Figure {
        name: "statistics",
        value: stats,
        baseline_name: "raw scan of the slot entries",
        baseline: scan,
        unit: "s",
        records: 0,
    };
    println!("{}", fig.line());
    figs.push(fig);
    let fig = peak_memory(base_rss, pop_bytes);
    println!("{}", fig.line());
    figs.push(fig);
    if let Some(url) = &args.pg_url {
        post::drop_schemas(url, &schemas)?;
    }
    let disk = measure::file_bytes(dir, "") + pg_disk;
    Ok((figs, records, disk))
}

/// The process's peak memory above `base_rss` KiB beside the population's bytes.
fn peak_memory(base_rss: u64, pop_bytes: u64) -> Figure {
    Figure {
        name: "peak memory",
        value: measure::peak_kib().saturating_sub(base_rss) as f64,
        baseline_name: "the population's bytes",
        baseline: pop_bytes as f64 / 1024.0,
        unit: "KiB",
        records: 0,
    }
}
