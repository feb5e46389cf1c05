//! Two POST server processes over one PostgreSQL, as a country runs them behind a load
//! balancer: a burst of uploads split across both, one replica killed with SIGKILL in the
//! middle, the uploads it left unanswered retried against the survivor (as a client would),
//! and every acknowledged upload then found exactly once in the export — no loss, and no
//! duplicate from the retries or from the same upload sent to both replicas at once.
//! Needs PostgreSQL (SPUR_TEST_POSTGRES_URL; required when SPUR_REQUIRE_POSTGRES=1); connects
//! with `--db-tls verify-full` when the test cluster's CA is there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use common::child::{run_child_if_asked, spawn};
use common::client::{exported_ids, Client};
use common::{json, record, rng, TOKEN};
use rand_chacha::rand_core::RngCore;
use spur_protocol::record::RecordKind;
use spur_wire::api::routes;

/// Upload body → the ids the server acknowledged.
type Acked = Arc<Mutex<HashMap<Vec<u8>, Vec<String>>>>;

fn main() {
    run_child_if_asked();
    let Some(url) = common::postgres_url() else {
        println!("PostgreSQL replica test not run");
        println!("test result: ok");
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, TOKEN).unwrap();
    let mut r = [0u8; 6];
    rand_chacha::rand_core::OsRng.fill_bytes(&mut r);
    let schema = format!("replicas_{}", data_encoding::HEXLOWER.encode(&r));
    let (url, tls) = match spur_testkit::stores::postgres_tls() {
        Some(t) => (
            t.tls_only_url,
            vec![
                "--db-tls".to_owned(),
                "verify-full".to_owned(),
                "--db-ca-file".to_owned(),
                t.ca.to_str().unwrap().to_owned(),
            ],
        ),
        None => (url, Vec::new()),
    };
    let mut args: Vec<String> = [
        "post",
        "--listen",
        "127.0.0.1:0",
        "--rate-limit",
        "0",
        "--db-pool",
        "4",
        "--postgres",
        &url,
        "--postgres-schema",
        &schema,
        "--export-token-file",
        token.to_str().unwrap(),
        "--pin-pepper-file",
        dir.path().join("pepper").to_str().unwrap(),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    args.extend(tls);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    rt.block_on(two_replicas(&args, dir.path()));
    println!("test result: ok");
}

/// Uploads visits on one connection to `addr` until `stop` or until the server dies; an upload
/// that got no answer goes to `unanswered`.
async fn uploader(
    addr: SocketAddr,
    seed: u64,
    acked: Acked,
    unanswered: Arc<Mutex<Vec<Vec<u8>>>>,
    stop: Arc<AtomicBool>,
) {
    let Ok(mut c) = Client::connect(addr).await else {
        return;
    };
    let mut r = rng(seed);
    while !stop.load(Ordering::Relaxed) {
        let mut body = Vec::new();
        for _ in 0..1 + (r.next_u32() % 4) {
            body.extend(record(RecordKind::SlotEntry, &mut r));
        }
        body.extend(record(RecordKind::UserEntry, &mut r));
        match c.post(routes::VISITS, body.clone()).await {
            Ok((StatusCode::OK, resp)) => {
                acked.lock().unwrap().insert(body, ids(&resp));
            }
            Ok((st, resp)) => panic!("unexpected {st}: {}", String::from_utf8_lossy(&resp)),
            Err(_) => {
                // The replica died mid-request: the client does not know, and will retry.
                unanswered.lock().unwrap().push(body);
                return;
            }
        }
    }
}

fn ids(resp: &[u8]) -> Vec<String> {
    json(resp)["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Restarts the test cluster (scripts/postgres.sh `pg_restart`: every connection cut), then
/// checks that the survivor's pool reconnects: an upload is acknowledged again (retried as a
/// client would while the database comes back) and the export holds it, once.
async fn restart_database_then_upload(addr: SocketAddr, before: usize) {
    if std::env::var("PG_TEST_DIR").is_err() {
        assert_ne!(
            std::env::var("SPUR_REQUIRE_POSTGRES").as_deref(),
            Ok("1"),
            "SPUR_REQUIRE_POSTGRES=1 but PG_TEST_DIR is not set (scripts/postgres.sh)"
        );
        println!("  database restart not tested: no scripts/postgres.sh cluster");
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let ok = std::process::Command::new("bash")
        .args(["-c", "source scripts/postgres.sh && pg_restart"])
        .current_dir(root)
        .status()
        .unwrap()
        .success();
    assert!(ok, "pg_restart failed");
    let mut r = rng(99 + u64::from(std::process::id()));
    let body = [
        record(RecordKind::SlotEntry, &mut r),
        record(RecordKind::UserEntry, &mut r),
    ]
    .concat();
    let start = std::time::Instant::now();
    let acked = loop {
        let answer = match Client::connect(addr).await {
            Ok(mut c) => c.post(routes::VISITS, body.clone()).await.ok(),
            Err(_) => None,
        };
        match answer {
            Some((StatusCode::OK, resp)) => break ids(&resp),
            _ if start.elapsed().as_secs() < 30 => {
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            other => panic!("no upload acknowledged 30 s after the restart: {other:?}"),
        }
    };
    let listed = exported_ids(addr).await;
    assert_eq!(listed.len(), before + acked.len());
    assert!(acked.iter().all(|id| listed.contains(id)));
    println!("  the database restarted; the survivor reconnected and stored the next upload");
}

async fn two_replicas(args: &[&str], cwd: &std::path::Path) {
    let mut a = spawn(args, cwd);
    let b = spawn(args, cwd);
    let addr_a: SocketAddr = ([127, 0, 0, 1], a.port).into();
    let addr_b: SocketAddr = ([127, 0, 0, 1], b.port).into();

    // The same uploads sent to both replicas at once: both acknowledge, with the same ids.
    let mut r = rng(7 + u64::from(std::process::id()));
    let mut twins = Vec::new();
    for _ in 0..20 {
        let body = [
            record(RecordKind::SlotEntry, &mut r),
            record(RecordKind::UserEntry, &mut r),
        ]
        .concat();
        let (x, y) = (body.clone(), body.clone());
        let (ra, rb) = tokio::join!(
            async move {
                Client::connect(addr_a)
                    .await
                    .unwrap()
                    .post(routes::VISITS, x)
                    .await
            },
            async move {
                Client::connect(addr_b)
                    .await
                    .unwrap()
                    .post(routes::VISITS, y)
                    .await
            },
        );
        let ((sa, ba), (sb, bb)) = (ra.unwrap(), rb.unwrap());
        assert_eq!((sa, sb), (StatusCode::OK, StatusCode::OK));
        assert_eq!(ids(&ba), ids(&bb));
        twins.extend(ids(&ba));
    }

    // The burst: 8 connections, split across the replicas.
    let acked: Acked = Arc::default();
    let unanswered = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = (0..8u64)
        .map(|t| {
            let addr = if t % 2 == 0 { addr_a } else { addr_b };
            tokio::spawn(uploader(
                addr,
                1000 + t + u64::from(std::process::id()),
                acked.clone(),
                unanswered.clone(),
                stop.clone(),
            ))
        })
        .collect();
    let start = std::time::Instant::now();
    while acked.lock().unwrap().len() < 300 && start.elapsed().as_secs() < 60 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    a.child.kill().unwrap(); // SIGKILL, in the middle of the burst
    a.child.wait().unwrap();
    let at_kill = acked.lock().unwrap().len();
    // The survivor keeps taking uploads.
    while acked.lock().unwrap().len() < at_kill + 200 && start.elapsed().as_secs() < 90 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    let unanswered = std::mem::take(&mut *unanswered.lock().unwrap());
    assert!(
        !unanswered.is_empty(),
        "no upload was in flight when the replica died"
    );

    // The client retries what got no answer against the survivor.
    let mut c = Client::connect(addr_b).await.unwrap();
    let mut retried = HashSet::new();
    for body in &unanswered {
        let (st, resp) = c.post(routes::VISITS, body.clone()).await.unwrap();
        assert_eq!(st, StatusCode::OK);
        retried.extend(ids(&resp));
    }
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    let acked_ids: HashSet<String> = acked.values().flatten().cloned().collect();
    assert!(acked.len() >= at_kill + 200, "the survivor stalled");

    let listed = exported_ids(addr_b).await;
    let unique: HashSet<String> = listed.iter().cloned().collect();
    assert_eq!(unique.len(), listed.len(), "a record is exported twice");
    let expected: HashSet<String> = acked_ids
        .iter()
        .chain(&retried)
        .chain(&twins)
        .cloned()
        .collect();
    let missing = expected.difference(&unique).count();
    assert_eq!(missing, 0, "{missing} acknowledged records lost");
    assert_eq!(unique, expected, "the export holds records nobody sent");

    // Uploads the dead replica acknowledged, retried at the survivor: the same ids, no new row.
    for (body, want) in acked.iter().take(100) {
        let (st, resp) = c.post(routes::VISITS, body.clone()).await.unwrap();
        assert_eq!(st, StatusCode::OK);
        assert_eq!(&ids(&resp), want);
    }
    assert_eq!(exported_ids(addr_b).await.len(), listed.len());
    restart_database_then_upload(addr_b, listed.len()).await;
    println!(
        "  {} uploads acknowledged across two replicas ({at_kill} before one was killed), {} \
         unanswered and retried, {} records exported, each once",
        acked.len(),
        unanswered.len(),
        listed.len()
    );
    common::child::terminate(&b.child);
}
