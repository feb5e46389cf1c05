//! A real kill of the app's process: the check-in runs in a child process (this test binary run
//! again with `SPUR_KILL_CHILD` set), which the parent kills with SIGKILL — no destructors, no
//! WAL checkpoint, exactly what a phone does to an app in the background. Then the parent opens
//! the same database file and proves what `docs/app-core.md` claims for `synchronous = NORMAL`:
//! a committed check-in survives the kill and is sent exactly once (when its stay is over); a kill
//! before the commit leaves nothing behind and sends nothing; a stay ended early and killed before
//! its send is sent once, with its real end.
//!
//! `harness = false` (see Cargo.toml): the child mode must not run as a test of its own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::world::{world, World};
use common::*;
use spur_core::http::HttpTransport;
use spur_core::Stay;
use spur_core::Store;

const CHILD: &str = "SPUR_KILL_CHILD";
/// What the child prints once `accept_check_in` returned (its transaction is committed).
const ACCEPTED: &str = "accepted";

/// Everything the child needs, one value per line (passed through the environment).
struct Spec {
    db: String,
    tag_url: String,
    post_url: String,
    op: String,
    root: String,
    now: u64,
    url: String,
    /// `keep`: check in and wait; `end-early`: check in, end the stay 20 minutes later (no
    /// sync), then wait.
    mode: String,
}

impl Spec {
    fn encode(&self) -> String {
        [
            &self.db,
            &self.tag_url,
            &self.post_url,
            &self.op,
            &self.root,
            &self.now.to_string(),
            &self.url,
            &self.mode,
        ]
        .map(|s| s.as_str())
        .join("\n")
    }
    fn decode(s: &str) -> Self {
        let v: Vec<&str> = s.lines().collect();
        Self {
            db: v[0].into(),
            tag_url: v[1].into(),
            post_url: v[2].into(),
            op: v[3].into(),
            root: v[4].into(),
            now: v[5].parse().unwrap(),
            url: v[6].into(),
            mode: v[7].into(),
        }
    }
}

/// The child: opens the app on the parent's database, checks in for an hour, says so, and waits
/// to be killed.
fn child(spec: &str) {
    let s = Spec::decode(spec);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let clock = Arc::new(spur_core::ManualClock::new(s.now));
    let cfg = spur_core::Config::parse(
        HOST,
        &s.tag_url,
        &s.post_url,
        &s.op,
        &s.root,
        spur_core::KdfChoice::Test,
    )
    .unwrap();
    let app = spur_core::App::new(
        Store::open(std::path::Path::new(&s.db)).unwrap(),
        &[42u8; 32],
        HttpTransport::new(&s.tag_url, &s.post_url).unwrap(),
        clock.clone(),
        cfg,
    )
    .unwrap();
    let c = rt
        .block_on(app.accept_check_in(&s.url, Stay::Minutes(60), None))
        .unwrap();
    if s.mode == "end-early" {
        clock.advance(20 * 60);
        app.end_stay(c.id).unwrap().unwrap();
    }
    println!("{ACCEPTED}");
    loop {
        std::thread::sleep(Duration::from_secs(60));
    }
}

impl World {
    /// Starts the child against `tag_url` (the real TAG server, or a stand-in).
    fn spawn(&self, tag_url: &str) -> std::process::Child {
        self.spawn_mode(tag_url, "keep")
    }

    /// Starts the child in `mode` (see [`Spec::mode`]).
    fn spawn_mode(&self, tag_url: &str, mode: &str) -> std::process::Child {
        let spec = Spec {
            db: self.db().display().to_string(),
            tag_url: tag_url.into(),
            post_url: self.s.post_url.clone(),
            op: self.s.op_hex(),
            root: self.s.root_hex(),
            now: self.clock.now(),
            url: self.url.clone(),
            mode: mode.into(),
        };
        Command::new(std::env::current_exe().unwrap())
            .env(CHILD, spec.encode())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap()
    }
}

/// Waits for the child's "accepted" line, then kills it (SIGKILL).
fn kill_when_accepted(mut child: std::process::Child) {
    let out = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(out).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), ACCEPTED, "the child failed before accepting");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Online: keys fetched and the check-in kept in one commit, then the kill (before any send).
/// Its records are built and sent once the stay is over.
async fn killed_after_an_online_check_in_the_queued_visit_is_sent_once() {
    let w = world().await;
    let base = w.s.stored();
    kill_when_accepted(w.spawn(&w.s.tag_url));
    assert_eq!(w.s.stored(), base, "accepting does not send");
    let app = w.app();
    assert_eq!(app.history().unwrap().len(), 1, "the check-in survived");
    assert_eq!(app.counters().unwrap().scans, 1);
    let r = app.sync().await.unwrap();
    assert_eq!(
        (r.sent, r.waiting),
        (0, 1),
        "the stay is not over: nothing sent"
    );
    w.clock.advance(3600);
    let r = app.sync().await.unwrap();
    assert_eq!((r.sent, r.waiting, r.pending, r.lost), (1, 0, 0, 0));
    assert_eq!(
        w.s.stored(),
        base + 3,
        "two slot entries and one user entry"
    );
    assert_eq!(app.sync().await.unwrap().sent, 0);
    assert_eq!(w.s.stored(), base + 3, "once");
}

/// Offline: the scan alone is kept, then the kill; the next start completes and sends it.
async fn killed_after_an_offline_check_in_the_scan_is_completed_once() {
    let w = world().await;
    let base = w.s.stored();
    // Nothing listens on port 1 of loopback: the key fetch fails at once, as offline.
    kill_when_accepted(w.spawn("http://127.0.0.1:1"));
    w.clock.advance(3 * 3600);
    let app = w.app();
    assert_eq!(app.history().unwrap().len(), 1, "the scan survived");
    let r = app.sync().await.unwrap();
    assert_eq!((r.sent, r.waiting, r.pending, r.lost), (1, 0, 0, 0));
    assert_eq!(w.s.stored(), base + 3);
    assert_eq!(app.sync().await.unwrap().sent, 0);
    assert_eq!(w.s.stored(), base + 3, "once");
}

/// The kill point the keys-first order adds: during the key fetch, before the commit. Nothing
/// was accepted (the user saw no confirmation), so nothing is kept and nothing is sent.
async fn killed_during_the_key_fetch_nothing_is_kept_or_sent() {
    let w = world().await;
    let base = w.s.stored();
    // A TAG "server" that takes the connection and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let tag = format!("http://{}", silent.local_addr().unwrap());
    let mut child = w.spawn(&tag);
    let (_conn, _) = silent.accept().unwrap(); // the child is now waiting for its keys
    child.kill().unwrap();
    child.wait().unwrap();
    let app = w.app();
    assert!(app.history().unwrap().is_empty());
    assert_eq!(app.counters().unwrap().scans, 0);
    let r = app.sync().await.unwrap();
    assert_eq!((r.sent, r.waiting, r.pending), (0, 0, 0));
    assert_eq!(w.s.stored(), base);
}

/// Keys that do not come within `KEYS_WAIT` do not hold the scan back: it is kept without them
/// and completed by a later sync.
async fn a_silent_tag_server_does_not_hold_the_scan_back() {
    let w = world().await;
    let base = w.s.stored();
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let slow = spur_core::App::new(
        Store::open(&w.db()).unwrap(),
        &[42u8; 32],
        HttpTransport::new(
            &format!("http://{}", silent.local_addr().unwrap()),
            &w.s.post_url,
        )
        .unwrap(),
        Arc::new(w.clock.clone()),
        config(&w.s),
    )
    .unwrap();
    let t = Instant::now();
    slow.accept_check_in(&w.url, Stay::Minutes(30), None)
        .await
        .unwrap();
    let waited = t.elapsed();
    assert!(
        waited >= spur_core::KEYS_WAIT && waited < spur_core::KEYS_WAIT * 2,
        "{waited:?}"
    );
    drop(slow);
    drop(silent);
    w.clock.advance(30 * 60);
    let app = w.app();
    let r = app.sync().await.unwrap();
    assert_eq!((r.sent, r.waiting, r.pending), (1, 0, 0));
    assert_eq!(
        w.s.stored(),
        base + 2,
        "30 minutes from 12:00: one slot entry, one user entry"
    );
}

/// The kill point ending a stay early adds: the end is committed (state, history, counters), the
/// records are not built yet. The next start builds them with the real end and sends them once:
/// 20 minutes from 12:00 is one slot, not the two the planned hour would have claimed.
async fn killed_after_ending_a_stay_early_it_is_sent_once_with_its_real_end() {
    let w = world().await;
    let base = w.s.stored();
    kill_when_accepted(w.spawn_mode(&w.s.tag_url, "end-early"));
    assert_eq!(w.s.stored(), base, "ending does not send by itself");
    w.clock.advance(20 * 60);
    let app = w.app();
    let h = app.history().unwrap();
    assert_eq!(
        h[0].time_out,
        Some(h[0].time_in + 20),
        "the real end survived"
    );
    assert_eq!(app.counters().unwrap().contact_minutes, 20);
    let r = app.sync().await.unwrap();
    assert_eq!((r.sent, r.waiting, r.pending, r.lost), (1, 0, 0, 0));
    assert_eq!(w.s.stored(), base + 2, "one slot entry and one user entry");
    w.clock.advance(3600);
    assert_eq!(app.sync().await.unwrap().sent, 0);
    assert_eq!(w.s.stored(), base + 2, "once");
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        child(&spec);
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    macro_rules! run {
        ($($t:ident),*) => {$(
            let name = stringify!($t);
            if filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str())) {
                rt.block_on($t());
                println!("test {name} ... ok");
            }
        )*};
    }
    run!(
        killed_after_an_online_check_in_the_queued_visit_is_sent_once,
        killed_after_an_offline_check_in_the_scan_is_completed_once,
        killed_during_the_key_fetch_nothing_is_kept_or_sent,
        a_silent_tag_server_does_not_hold_the_scan_back,
        killed_after_ending_a_stay_early_it_is_sent_once_with_its_real_end
    );
}
