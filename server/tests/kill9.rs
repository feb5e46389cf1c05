//! Durability: SIGKILL the POST server in the middle of a burst of uploads, restart it, and find
//! every acknowledged upload present exactly once — on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use spur_wire::api::routes;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use common::child::{run_child_if_asked, spawn};
use common::client::{exported_ids, Client};
use common::{json, record, rng, TOKEN};
use rand_chacha::rand_core::RngCore;
use spur_protocol::record::RecordKind;

fn main() {
    run_child_if_asked();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, TOKEN).unwrap();
    let token = token.to_str().unwrap().to_owned();
    let db = dir.path().join("post.sqlite");
    println!("kill -9 test against SQLite");
    rt.block_on(round(
        &[
            "--sqlite",
            db.to_str().unwrap(),
            "--export-token-file",
            &token,
        ],
        dir.path(),
    ));
    match common::postgres_url() {
        Some(url) => {
            let mut r = [0u8; 6];
            rand_chacha::rand_core::OsRng.fill_bytes(&mut r);
            let schema = format!("kill9_{}", data_encoding::HEXLOWER.encode(&r));
            println!("kill -9 test against PostgreSQL");
            rt.block_on(round(
                &[
                    "--postgres",
                    &url,
                    "--postgres-schema",
                    &schema,
                    "--export-token-file",
                    &token,
                ],
                dir.path(),
            ));
        }
        None => println!("PostgreSQL kill -9 test not run"),
    }
    println!("test result: ok");
}

/// Uploads visits on 8 connections until the server dies; returns acknowledged body → ids.
async fn burst(addr: SocketAddr, acked: Arc<Mutex<HashMap<Vec<u8>, Vec<String>>>>) {
    let mut tasks = Vec::new();
    for t in 0..8u64 {
        let acked = acked.clone();
        tasks.push(tokio::spawn(async move {
            let Ok(mut c) = Client::connect(addr).await else {
                return;
            };
            let mut r = rng(1000 + t + u64::from(std::process::id()));
            loop {
                let n = 1 + (r.next_u32() % 4) as usize;
                let mut body = Vec::new();
                for _ in 0..n {
                    body.extend(record(RecordKind::SlotEntry, &mut r));
                }
                body.extend(record(RecordKind::UserEntry, &mut r));
                match c.post(routes::VISITS, body.clone()).await {
                    Ok((StatusCode::OK, resp)) => {
                        let ids = json(&resp)["ids"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|v| v.as_str().unwrap().to_owned())
                            .collect();
                        acked.lock().unwrap().insert(body, ids);
                    }
                    Ok((st, resp)) => panic!("unexpected {st}: {}", String::from_utf8_lossy(&resp)),
                    Err(_) => return, // the server died mid-request: not acknowledged
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}

async fn round(store_args: &[&str], cwd: &std::path::Path) {
    let mut args = vec!["post", "--listen", "127.0.0.1:0", "--rate-limit", "0"];
    args.extend_from_slice(store_args);
    let mut server = spawn(&args, cwd);
    let addr: SocketAddr = ([127, 0, 0, 1], server.port).into();
    let acked = Arc::new(Mutex::new(HashMap::new()));
    let load = tokio::spawn(burst(addr, acked.clone()));
    // Kill once a good number of uploads were acknowledged, in the middle of the burst.
    let start = std::time::Instant::now();
    while acked.lock().unwrap().len() < 300 && start.elapsed().as_secs() < 30 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    load.await.unwrap();
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    let acked_ids: HashSet<String> = acked.values().flatten().cloned().collect();
    assert!(
        acked.len() >= 300,
        "only {} uploads acknowledged",
        acked.len()
    );

    let mut server = spawn(&args, cwd);
    let addr: SocketAddr = ([127, 0, 0, 1], server.port).into();
    let ids = exported_ids(addr).await;
    let unique: HashSet<String> = ids.iter().cloned().collect();
    assert_eq!(unique.len(), ids.len(), "no record is stored twice");
    let missing = acked_ids.difference(&unique).count();
    assert_eq!(missing, 0, "{missing} acknowledged records lost");
    // Retrying every acknowledged upload changes nothing and is answered the same.
    let mut c = Client::connect(addr).await.unwrap();
    for (body, ids) in acked.iter().take(100) {
        let (st, resp) = c.post(routes::VISITS, body.clone()).await.unwrap();
        assert_eq!(st, StatusCode::OK);
        let again: Vec<String> = json(&resp)["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(&again, ids);
    }
    assert_eq!(exported_ids(addr).await.len(), ids.len());
    println!(
        "  {} uploads ({} records) acknowledged before SIGKILL; {} records stored after restart; all present once",
        acked.len(),
        acked_ids.len(),
        ids.len()
    );
    // The POST server, too, wrote nothing about its clients: only its ready line.
    common::child::terminate(&server.child);
    assert!(server.child.wait().unwrap().success());
    let mut out = String::new();
    std::io::Read::read_to_string(&mut server.stdout, &mut out).unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut server.stderr.take().unwrap(), &mut err).unwrap();
    assert!(out.is_empty(), "stdout after the ready line: {out:?}");
    assert!(err.is_empty(), "stderr: {err:?}");
    assert!(!server.first_line.contains("127.0.0.1"));
}
