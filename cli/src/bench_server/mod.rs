//! `spur bench server`: TMP-key requests per second and visit uploads per second on loopback,
//! each beside a baseline measured in the same run (direct TMP derivation; the same kind of blobs
//! inserted directly into the same database), plus the servers' memory over a longer mixed run.
//! Bounded in requests and time; servers run as child processes (`spur server ...`). It lives in
//! the CLI, not in the server library, so the shipped servers carry no benchmark code.

mod baseline;
mod drive;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use rand_chacha::ChaCha8Rng;
use spur_protocol::tag::QrCommitment;
use spur_server::clock::{Clock, SystemClock};
use spur_server::store::postgres::PostgresStore;
use spur_server::store::sqlite::SqliteStore;
use spur_server::store::Store;
use spur_wire::api::routes;
use spur_wire::api::tag::{QrIdsRequest, QrIdsResponse, TmpKeysRequest};

use baseline::{direct_insert, tmp_baselines, visit, visit_n};
use drive::{drive, Phase, ServerProc};

/// Options.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    bench: BenchArgs,
}

/// Options of `spur bench server`.
#[derive(clap::Args, Clone, Debug)]
pub struct BenchArgs {
    /// Seconds per throughput phase.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Most requests per phase (the phase ends at whichever bound comes first).
    #[arg(long, default_value_t = 2_000_000)]
    pub max_requests: u64,
    /// Concurrent client connections.
    #[arg(long, default_value_t = 32)]
    pub connections: usize,
    /// Slot entries per visit upload (plus one user entry): 2 = a one-hour visit.
    #[arg(long, default_value_t = 2)]
    pub slots_per_visit: usize,
    /// PostgreSQL URL (else SPUR_TEST_POSTGRES_URL; PostgreSQL phases are skipped without one).
    #[arg(long, env = "SPUR_TEST_POSTGRES_URL", hide_env_values = true)]
    pub postgres: Option<String>,
    /// Rounds of (HTTP phase, direct-insert phase) per backend, alternating to even out noise.
    #[arg(long, default_value_t = 2)]
    pub rounds: usize,
    /// Seconds of the mixed run whose server memory is reported (0 = skip).
    #[arg(long, default_value_t = 60)]
    pub memory_seconds: u64,
    /// The `spur` binary to start servers with (default: this executable).
    #[arg(long)]
    pub spur: Option<PathBuf>,
}

enum DirectStore {
    Sqlite(PathBuf),
    Postgres(String, String),
}

/// A QR id from the TAG server (for a random commitment).
async fn issue_id(addr: SocketAddr) -> anyhow::Result<String> {
    let request = QrIdsRequest {
        commitments: vec![QrCommitment::random(&mut rand_core::OsRng).to_hex()],
    };
    let resp = drive::connect()?
        .post(format!("http://{addr}{}", routes::QR_IDS))
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&request)?)
        .send()
        .await?;
    if !resp.status().is_success() {
        bail!("the TAG server refused to issue an id");
    }
    let body = resp.bytes().await?;
    let answer: QrIdsResponse = serde_json::from_slice(&body)?;
    answer
        .qr_ids
        .into_iter()
        .next()
        .context("no id in the answer")
}

/// Request `i`: the TMP key of one slot around now.
fn tmp_request(id: &str) -> impl Fn(u64, &mut ChaCha8Rng) -> (&'static str, Vec<u8>) + Send + Sync {
    let now = SystemClock.slot().0;
    // One blinded id, as a client sends it (the server's work does not depend on which).
    let blinded = spur_protocol::tag::QrId::from_hex(id)
        .ok()
        .and_then(|q| spur_protocol::tag::TmpRequest::new(&q, &mut rand_core::OsRng).ok())
        .map(|(_, b)| data_encoding::HEXLOWER.encode(&b.0))
        .unwrap_or_default();
    move |i, _| {
        let body = TmpKeysRequest {
            blinded: blinded.clone(),
            slots: vec![now - 1 + (i % 3) as u32],
        };
        (
            routes::TMP_KEYS,
            serde_json::to_vec(&body).unwrap_or_default(),
        )
    }
}

fn fmt_rate(p: &Phase) -> String {
    format!(
        "{:>10.0}/s ({} in {:.1} s, {} failed)",
        p.per_second(),
        p.ok,
        p.elapsed.as_secs_f64(),
        p.failed
    )
}

/// Runs the command on a fresh runtime.
pub fn run(args: Args) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(bench(args.bench))
}

/// Runs the benchmark and prints its figures.
async fn bench(args: BenchArgs) -> anyhow::Result<()> {
    let spur = match &args.spur {
        Some(p) => p.clone(),
        None => std::env::current_exe()?,
    };
    let dir = tempfile::tempdir()?;
    let secret = dir.path().join("tag-secret");
    let secret_s = secret.to_string_lossy().into_owned();
    let common = ["--listen", "127.0.0.1:0", "--rate-limit", "0"];
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!(
        "spur bench server: {cores} cores, {} connections, {} s per phase, loopback only",
        args.connections, args.seconds
    );

    // TAG
    let mut a = vec!["tag", "--secret-file", &secret_s, "--create-secret"];
    a.extend_from_slice(&common);
    let tag = ServerProc::start(&spur, &a)?;
    let id = issue_id(tag.addr).await?;
    let tag_phase = drive(
        tag.addr,
        args.connections,
        args.seconds,
        args.max_requests,
        tmp_request(&id),
    )
    .await;
    let tag_rss = tag.rss_kib();
    tag.stop();
    let bases = tokio::task::spawn_blocking(move || tmp_baselines(2)).await??;
    println!(
        "TAG  TMP-key requests (1 slot each, POPRF) : {}",
        fmt_rate(&tag_phase)
    );
    for (what, base) in &bases {
        println!(
            "     baseline, 1 thread, no HTTP: {what}: {:>10.0}/s",
            base.per_second()
        );
    }
    println!("     TAG server RSS after the phase: {} KiB", tag_rss);

    // POST on SQLite, then PostgreSQL
    let run_id = rand_core::RngCore::next_u32(&mut rand_core::OsRng);
    let mut backends: Vec<(&str, Vec<String>, DirectStore)> = vec![(
        "SQLite",
        vec![
            "--sqlite".into(),
            dir.path()
                .join("http.sqlite")
                .to_string_lossy()
                .into_owned(),
        ],
        DirectStore::Sqlite(dir.path().join("direct.sqlite")),
    )];
    if let Some(url) = &args.postgres {
        backends.push((
            "PostgreSQL",
            vec![
                "--postgres".into(),
                url.clone(),
                "--postgres-schema".into(),
                format!("bench_http_{run_id}"),
            ],
            DirectStore::Postgres(url.clone(), format!("bench_direct_{run_id}")),
        ));
    } else {
        println!("PostgreSQL: skipped (no --postgres and no SPUR_TEST_POSTGRES_URL)");
    }
    let slots = args.slots_per_visit;
    for (name, http_store, direct_store) in &backends {
        let mut a: Vec<&str> = vec!["post"];
        a.extend(http_store.iter().map(String::as_str));
        a.extend_from_slice(&common);
        let direct: Arc<dyn Store> = match direct_store {
            DirectStore::Sqlite(path) => Arc::new(SqliteStore::open(path)?),
            DirectStore::Postgres(url, schema) => {
                let (url, schema) = (url.clone(), schema.clone());
                Arc::new(
                    tokio::task::spawn_blocking(move || {
                        PostgresStore::open_in_schema(
                            &url,
                            &schema,
                            spur_server::store::postgres::DEFAULT_CONNECTIONS,
                        )
                    })
                    .await??,
                )
            }
        };
        let (mut http_total, mut direct_total) = (Vec::new(), Vec::new());
        let mut rss = 0;
        for round in 0..args.rounds.max(1) {
            // Visit i is the same blob in both phases (seeded by i); rounds use disjoint i.
            let offset = round as u64 * 1_000_000_000;
            let post = ServerProc::start(&spur, &a)?;
            let phase = drive(
                post.addr,
                args.connections,
                args.seconds,
                args.max_requests,
                move |i, _| (routes::VISITS, visit_n(slots, offset + i)),
            )
            .await;
            rss = rss.max(post.rss_kib());
            post.stop();
            let (st, threads, secs, max) = (
                direct.clone(),
                args.connections,
                args.seconds,
                args.max_requests,
            );
            let base = tokio::task::spawn_blocking(move || {
                direct_insert(st, threads, secs, max, slots, offset)
            })
            .await??;
            println!(
                "POST {name} round {}: HTTP visit uploads {} | direct insert {}",
                round + 1,
                fmt_rate(&phase),
                fmt_rate(&base)
            );
            http_total.push(phase);
            direct_total.push(base);
        }
        let rate = |v: &[Phase]| {
            v.iter().map(|p| p.ok).sum::<u64>() as f64
                / v.iter()
                    .map(|p| p.elapsed.as_secs_f64())
                    .sum::<f64>()
                    .max(1e-9)
        };
        let (h, d) = (rate(&http_total), rate(&direct_total));
        println!(
            "POST {name}: {h:.0} visit uploads/s ({slots} slot entries + 1 user entry each, {:.0} records/s) \
             vs direct insert of the same blobs {d:.0}/s: ingest = {:.0}% of direct; POST RSS max {rss} KiB",
            h * (slots as f64 + 1.0),
            100.0 * h / d.max(1e-9)
        );
    }

    if args.memory_seconds > 0 {
        memory_run(&spur, &secret_s, dir.path(), &args).await?;
    }
    Ok(())
}

async fn memory_run(spur: &Path, secret: &str, dir: &Path, args: &BenchArgs) -> anyhow::Result<()> {
    let common = ["--listen", "127.0.0.1:0", "--rate-limit", "0"];
    let mut a = vec!["tag", "--secret-file", secret];
    a.extend_from_slice(&common);
    let tag = ServerProc::start(spur, &a)?;
    let db = dir.join("memory.sqlite").to_string_lossy().into_owned();
    let mut a = vec!["post", "--sqlite", &db];
    a.extend_from_slice(&common);
    let post = ServerProc::start(spur, &a)?;
    let id = issue_id(tag.addr).await?;
    let secs = args.memory_seconds;
    let conns = (args.connections / 2).max(1);
    let slots = args.slots_per_visit;
    let t = tokio::spawn(drive(tag.addr, conns, secs, u64::MAX, tmp_request(&id)));
    let p = tokio::spawn(drive(post.addr, conns, secs, u64::MAX, move |_, rng| {
        (routes::VISITS, visit(slots, rng))
    }));
    let mut samples = Vec::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(secs) {
        tokio::time::sleep(Duration::from_secs(1)).await;
        samples.push((start.elapsed().as_secs(), tag.rss_kib(), post.rss_kib()));
    }
    let (tp, pp) = (t.await?, p.await?);
    tag.stop();
    post.stop();
    println!("Memory over a {secs}-second mixed run (TAG and POST/SQLite under load at once):");
    println!(
        "     TAG  {} TMP requests/s, POST {} visit uploads/s",
        tp.per_second() as u64,
        pp.per_second() as u64
    );
    let pick = |f: fn(&(u64, u64, u64)) -> u64| -> (u64, u64, u64, u64) {
        let v: Vec<u64> = samples.iter().map(f).collect();
        let first = v.get(4).or(v.first()).copied().unwrap_or(0);
        (
            first,
            v.iter().copied().min().unwrap_or(0),
            v.iter().copied().max().unwrap_or(0),
            v.last().copied().unwrap_or(0),
        )
    };
    let (a, b, c, d) = pick(|s| s.1);
    println!("     TAG  RSS KiB: at 5 s {a}, min {b}, max {c}, at end {d}");
    let (a, b, c, d) = pick(|s| s.2);
    println!("     POST RSS KiB: at 5 s {a}, min {b}, max {c}, at end {d}");
    Ok(())
}
