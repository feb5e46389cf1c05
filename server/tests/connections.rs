//! Slow clients with huge request heads cannot grow a server without bound: the head is capped
//! (a head over the limit is answered 431 or the connection closed), connections over the cap are
//! closed at once, and 500 such connections leave the server's memory small. Runs the real
//! `spur server post` entry point in a child process and reads its RSS from /proc.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use spur_wire::api::routes;

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::StatusCode;
use common::child::{run_child_if_asked, spawn, terminate};
use common::client::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Opens a connection and sends the start of a request head of `pad` bytes, without its end.
async fn slow_head(addr: SocketAddr, pad: usize) -> Option<TcpStream> {
    let mut s = TcpStream::connect(addr).await.ok()?;
    let _ = s
        .write_all(format!("POST {} HTTP/1.1\r\nhost: spur\r\nx-pad: ", routes::VISITS).as_bytes())
        .await;
    let chunk = vec![b'a'; 8192];
    let mut sent = 0;
    while sent < pad {
        let n = chunk.len().min(pad - sent);
        if s.write_all(&chunk[..n]).await.is_err() {
            break;
        }
        sent += n;
    }
    Some(s)
}

/// True when the server ended the connection (EOF, reset, or a 431 answer) within `wait`.
async fn closed_by_server(s: &mut TcpStream, wait: Duration) -> bool {
    let mut buf = vec![0u8; 4096];
    let mut seen = Vec::new();
    let r = tokio::time::timeout(wait, async {
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => return true,
                Ok(n) => {
                    seen.extend_from_slice(&buf[..n]);
                    if seen.starts_with(b"HTTP/1.1 431") {
                        return true;
                    }
                }
            }
        }
    })
    .await;
    r.unwrap_or(false)
}

async fn health_ok(addr: SocketAddr) -> bool {
    match Client::connect(addr).await {
        Ok(mut c) => c
            .get(routes::HEALTH)
            .await
            .is_ok_and(|(st, _)| st == StatusCode::OK),
        Err(_) => false,
    }
}

async fn huge_heads_keep_memory_small(dir: &std::path::Path) {
    let db = dir.join("heads.sqlite");
    let args = [
        "post",
        "--listen",
        "127.0.0.1:0",
        "--sqlite",
        db.to_str().unwrap(),
        "--header-timeout",
        "120",
    ];
    let mut server = spawn(&args, dir);
    let addr: SocketAddr = ([127, 0, 0, 1], server.port).into();
    assert!(health_ok(addr).await);
    let before = rss_kib(server.child.id());
    // 250 connections hold a head just under the limit; 250 send 390 kB heads (under hyper's
    // own ~400 kB buffer, which is what let such heads sit in memory until the header timeout).
    let mut held = Vec::new();
    for _ in 0..250 {
        held.push(slow_head(addr, 15 * 1024).await);
    }
    let mut big = Vec::new();
    for _ in 0..250 {
        big.push(tokio::spawn(async move {
            let mut s = slow_head(addr, 390 * 1024).await;
            let closed = match s.as_mut() {
                Some(s) => closed_by_server(s, Duration::from_secs(10)).await,
                None => true,
            };
            (closed, s)
        }));
    }
    let mut refused = 0;
    let mut kept_open = Vec::new();
    for t in big {
        let (closed, s) = t.await.unwrap();
        refused += usize::from(closed);
        kept_open.push(s);
    }
    let after = rss_kib(server.child.id());
    let grown = after.saturating_sub(before);
    println!("RSS {before} kB -> {after} kB with 500 slow connections");
    assert_eq!(refused, 250, "every head over the limit is refused");
    // Unlimited, 500 heads of 400 kB grew the server by ~180 MiB; capped, they fit in 16 KiB
    // each. 64 MiB leaves room for allocator slack and thread stacks.
    assert!(grown < 64 * 1024, "the server grew by {grown} kB");
    // The held connections are still open (below the limit, within the header timeout), and
    // the server still answers others.
    assert!(health_ok(addr).await);
    drop(held);
    drop(kept_open);
    terminate(&server.child);
    server.child.wait().unwrap();
}

async fn connections_over_the_cap_are_closed(dir: &std::path::Path) {
    let db = dir.join("cap.sqlite");
    let args = [
        "post",
        "--listen",
        "127.0.0.1:0",
        "--sqlite",
        db.to_str().unwrap(),
        "--header-timeout",
        "120",
        "--max-connections",
        "20",
    ];
    let mut server = spawn(&args, dir);
    let addr: SocketAddr = ([127, 0, 0, 1], server.port).into();
    let mut held = Vec::new();
    for _ in 0..20 {
        held.push(slow_head(addr, 100).await.unwrap());
    }
    // Every further connection, whatever it sends, is closed without an answer.
    for _ in 0..5 {
        let mut extra = slow_head(addr, 100).await.unwrap();
        assert!(
            closed_by_server(&mut extra, Duration::from_secs(20)).await,
            "a connection over the cap is closed"
        );
    }
    assert!(!health_ok(addr).await, "no room for a 21st connection");
    // The held ones were not disturbed: finishing a head still gets an answer.
    let mut first = held.remove(0);
    first
        .write_all(b"\r\ncontent-length: 0\r\n\r\n")
        .await
        .unwrap();
    let mut answer = vec![0u8; 12];
    first.read_exact(&mut answer).await.unwrap();
    assert!(answer.starts_with(b"HTTP/1.1 "), "{answer:?}");
    // Once the slow clients go, their slots are free again.
    drop(first);
    drop(held);
    let mut ok = false;
    for _ in 0..100 {
        if health_ok(addr).await {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ok, "slots are released when connections end");
    terminate(&server.child);
    server.child.wait().unwrap();
}

fn main() {
    run_child_if_asked();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    println!("connections over the cap");
    rt.block_on(connections_over_the_cap_are_closed(dir.path()));
    println!("500 slow connections with huge heads");
    rt.block_on(huge_heads_keep_memory_small(dir.path()));
    println!("ok");
}
