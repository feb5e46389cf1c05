//! `spur bench server`: TMP-key requests per second and visit uploads per second on loopback,
//! each beside a baseline measured in the same run (direct TMP derivation; the same kind of blobs
//! inserted directly into the same database), plus the servers' memory over a longer mixed run.
//! Bounded in requests and time; servers run as child processes (`spur server ...`).

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use axum::http::StatusCode;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use spur_protocol::record::{RecordKind, VERSION};
use spur_protocol::tag::TagServerSecret;
use spur_protocol::time::Slot;

use crate::client::Client;
use crate::clock::{Clock, SystemClock};
use crate::post::ingest;
use crate::store::postgres::PostgresStore;
use crate::store::sqlite::SqliteStore;
use crate::store::Store;

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

struct ServerProc {
    child: Child,
    addr: SocketAddr,
}

impl ServerProc {
    fn start(spur: &Path, args: &[&str]) -> anyhow::Result<Self> {
        let mut child = Command::new(spur)
            .arg("server")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting {}", spur.display()))?;
        let out = child.stdout.take().context("no stdout")?;
        let mut line = String::new();
        BufReader::new(out).read_line(&mut line)?;
        let port: u16 = line
            .trim()
            .rsplit(' ')
            .next()
            .and_then(|p| p.parse().ok())
            .with_context(|| format!("server did not start: {line:?}"))?;
        Ok(Self {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        })
    }

    fn rss_kib(&self) -> u64 {
        rss_kib(self.child.id())
    }

    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// Resident memory of a process in KiB (0 when unknown).
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// One measured phase.
#[derive(Clone, Debug)]
pub struct Phase {
    /// Requests answered 200.
    pub ok: u64,
    /// Requests answered otherwise or failed.
    pub failed: u64,
    /// Wall time.
    pub elapsed: Duration,
}

impl Phase {
    /// Successful requests per second.
    pub fn per_second(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Drives `connections` keep-alive connections, each sending `make(i)` requests until `seconds`
/// or `max` requests in total.
async fn drive<F>(addr: SocketAddr, connections: usize, seconds: u64, max: u64, make: F) -> Phase
where
    F: Fn(u64, &mut ChaCha8Rng) -> (&'static str, Vec<u8>) + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let issued = Arc::new(AtomicU64::new(0));
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let (make, issued, ok, failed, stop) = (
            make.clone(),
            issued.clone(),
            ok.clone(),
            failed.clone(),
            stop.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut rng = ChaCha8Rng::seed_from_u64(c as u64 ^ u64::from(std::process::id()) << 16);
            let Ok(mut client) = Client::connect(addr).await else {
                failed.fetch_add(1, Ordering::Relaxed);
                return;
            };
            while !stop.load(Ordering::Relaxed) {
                let i = issued.fetch_add(1, Ordering::Relaxed);
                if i >= max {
                    break;
                }
                let (path, body) = make(i, &mut rng);
                match client.post(path, body).await {
                    Ok((StatusCode::OK, _)) => {
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(_) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                        match Client::connect(addr).await {
                            Ok(c) => client = c,
                            Err(_) => return,
                        }
                    }
                }
            }
        }));
    }
    let deadline = tokio::time::sleep(Duration::from_secs(seconds));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            () = &mut deadline => break,
            () = tokio::time::sleep(Duration::from_millis(20)) => {
                if issued.load(Ordering::Relaxed) >= max {
                    break;
                }
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    Phase {
        ok: ok.load(Ordering::Relaxed),
        failed: failed.load(Ordering::Relaxed),
        elapsed: start.elapsed(),
    }
}

fn record(kind: RecordKind, rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut v = vec![0u8; kind.wire_len()];
    rng.fill_bytes(&mut v);
    if let Some(h) = v.get_mut(..2) {
        h.copy_from_slice(&[VERSION, kind as u8]);
    }
    v
}

/// Visit number `i`: the same bytes every time it is asked for.
fn visit_n(slots: usize, i: u64) -> Vec<u8> {
    visit(slots, &mut ChaCha8Rng::seed_from_u64(i))
}

fn visit(slots: usize, rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut body = Vec::new();
    for _ in 0..slots {
        body.extend(record(RecordKind::SlotEntry, rng));
    }
    body.extend(record(RecordKind::UserEntry, rng));
    body
}

/// Inserts visits directly through the store from `threads` threads, like the server's handlers
/// would, for `seconds` or `max` visits.
fn direct_insert(
    store: Arc<dyn Store>,
    threads: usize,
    seconds: u64,
    max: u64,
    slots: usize,
    offset: u64,
) -> anyhow::Result<Phase> {
    let issued = Arc::new(AtomicU64::new(0));
    let ok = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut handles = Vec::new();
    for _ in 0..threads {
        let (store, issued, ok) = (store.clone(), issued.clone(), ok.clone());
        handles.push(std::thread::spawn(move || -> anyhow::Result<()> {
            let day = SystemClock.day();
            loop {
                let i = issued.fetch_add(1, Ordering::Relaxed);
                if Instant::now() >= deadline || i >= max {
                    break;
                }
                let body = visit_n(slots, offset + i);
                let writes = ingest::visit(&body).map_err(|e| anyhow::anyhow!("{e}"))?;
                store.write(day, writes)?;
                ok.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        }));
    }
    for h in handles {
        h.join()
            .map_err(|_| anyhow::anyhow!("an insert thread failed"))??;
    }
    Ok(Phase {
        ok: ok.load(Ordering::Relaxed),
        failed: 0,
        elapsed: start.elapsed(),
    })
}

fn tmp_baseline(seconds: u64) -> anyhow::Result<Phase> {
    let secret = TagServerSecret::random(&mut rand_core::OsRng);
    let d = secret.tmp_deriver()?;
    let id = secret.issue_qr_id(&spur_protocol::tag::QrCommitment::random(
        &mut rand_core::OsRng,
    ))?;
    let start = Instant::now();
    let mut n = 0u64;
    let mut sink = 0u8;
    while start.elapsed() < Duration::from_secs(seconds) {
        for s in 0..1000u32 {
            sink ^= d.tmp(&id, Slot(s)).expose()[0];
        }
        n += 1000;
    }
    std::hint::black_box(sink);
    Ok(Phase {
        ok: n,
        failed: 0,
        elapsed: start.elapsed(),
    })
}

async fn issue_id(addr: SocketAddr) -> anyhow::Result<String> {
    let mut c = Client::connect(addr).await?;
    let (st, body) = c.post("/v1/qr-ids", Vec::new()).await?;
    if st != StatusCode::OK {
        bail!("the TAG server refused to issue an id");
    }
    let v: serde_json::Value = serde_json::from_slice(&body)?;
    v["qr_ids"][0]
        .as_str()
        .map(str::to_owned)
        .context("no id in the answer")
}

fn tmp_request(id: &str) -> impl Fn(u64, &mut ChaCha8Rng) -> (&'static str, Vec<u8>) + Send + Sync {
    let now = SystemClock.slot().0;
    let id = id.to_owned();
    move |i, _| {
        let slot = now - 1 + (i % 3) as u32;
        let body = format!(r#"{{"qr_id":"{id}","slots":[{slot}]}}"#);
        ("/v1/tmp-keys", body.into_bytes())
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

/// Runs the benchmark on a fresh runtime (for `spur bench server`).
pub fn main(args: BenchArgs) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(args))
}

/// Runs the benchmark and prints its figures.
pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
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
    let base = tokio::task::spawn_blocking(move || tmp_baseline(2)).await??;
    println!(
        "TAG  TMP-key requests (1 slot each) : {}",
        fmt_rate(&tag_phase)
    );
    println!(
        "     baseline: TMP derivations, 1 thread, no HTTP: {:>10.0}/s",
        base.per_second()
    );
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
                            crate::store::postgres::DEFAULT_CONNECTIONS,
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
                move |i, _| ("/v1/visits", visit_n(slots, offset + i)),
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
        ("/v1/visits", visit(slots, rng))
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
