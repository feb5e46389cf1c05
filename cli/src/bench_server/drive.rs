//! The load side of `spur bench server`: servers as child processes, and keep-alive client
//! connections (reqwest, one connection each) that send requests until a time or count bound.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use reqwest::StatusCode;

/// A client that holds one keep-alive connection to a server.
pub fn connect() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .tcp_nodelay(true)
        .build()
}

/// A `spur server …` child process and the loopback address it listens on.
pub struct ServerProc {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl ServerProc {
    /// Starts `spur server ARGS` and reads its port from the ready line.
    pub fn start(spur: &Path, args: &[&str]) -> anyhow::Result<Self> {
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

    /// Its resident memory in KiB.
    pub fn rss_kib(&self) -> u64 {
        rss_kib(self.child.id())
    }

    /// Stops it (SIGTERM) and waits.
    pub fn stop(mut self) {
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
pub async fn drive<F>(
    addr: SocketAddr,
    connections: usize,
    seconds: u64,
    max: u64,
    make: F,
) -> Phase
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
            let Ok(client) = connect() else {
                failed.fetch_add(1, Ordering::Relaxed);
                return;
            };
            while !stop.load(Ordering::Relaxed) {
                let i = issued.fetch_add(1, Ordering::Relaxed);
                if i >= max {
                    break;
                }
                let (path, body) = make(i, &mut rng);
                let sent = client
                    .post(format!("http://{addr}{path}"))
                    .body(body)
                    .send()
                    .await;
                // Read each answer to its end, as a real client would, before the next request.
                let answered = match sent {
                    Ok(resp) => resp.status() == StatusCode::OK && resp.bytes().await.is_ok(),
                    Err(_) => false,
                };
                if answered {
                    ok.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.fetch_add(1, Ordering::Relaxed);
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
