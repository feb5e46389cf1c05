//! The TAG server writes no request log and no IP address anywhere: it runs in a read-only working
//! directory under load (good, bad, garbage and stalled requests), every byte it writes to stdout
//! and stderr is captured, its open files are watched, and the file tree is compared afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use spur_wire::api::routes;

use std::collections::BTreeMap;
use std::io::Read;
use std::net::SocketAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use common::child::{run_child_if_asked, spawn, terminate};
use common::client::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn main() {
    run_child_if_asked();
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("tag-secret");
    spur_server::run::write_private(&secret, &[7u8; 32]).unwrap();
    let cwd = dir.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    std::fs::set_permissions(&cwd, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(dir.path());

    let mut server = spawn(
        &[
            "tag",
            "--listen",
            "127.0.0.1:0",
            "--secret-file",
            secret.to_str().unwrap(),
            "--rate-limit",
            "20000",
            "--burst",
            "2000",
            "--header-timeout",
            "1",
        ],
        &cwd,
    );
    let addr: SocketAddr = ([127, 0, 0, 1], server.port).into();
    let pid = server.child.id();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (answered, statuses, files) = rt.block_on(load(addr, pid));
    terminate(&server.child);
    let status = server.child.wait().unwrap();
    let mut out = server.first_line.clone().into_bytes();
    server.stdout.read_to_end(&mut out).unwrap();
    let mut err = Vec::new();
    server.stderr.take().unwrap().read_to_end(&mut err).unwrap();
    std::fs::set_permissions(&cwd, std::fs::Permissions::from_mode(0o755)).unwrap();

    assert!(status.success(), "graceful exit on SIGTERM: {status:?}");
    assert!(answered > 5000, "the load ran ({answered} answers)");
    assert!(
        statuses.len() >= 4,
        "good and bad requests were answered: {statuses:?}"
    );
    let out_text = String::from_utf8_lossy(&out);
    assert_eq!(
        out_text,
        format!("spur tag server ready on port {}\n", server.port),
        "stdout holds the ready line and nothing else"
    );
    assert!(
        err.is_empty(),
        "stderr is empty, got {:?}",
        String::from_utf8_lossy(&err)
    );
    for hay in [&out, &err] {
        let t = String::from_utf8_lossy(hay);
        // The routes' common prefix, taken from the contract.
        let routes_prefix = routes::HEALTH.trim_end_matches("health");
        for needle in [
            "127.0.0.1",
            "::1",
            routes_prefix,
            "GET",
            "POST",
            "HTTP",
            "qr_id",
        ] {
            assert!(!t.contains(needle), "output mentions {needle}");
        }
        assert!(!has_ipv4(&t), "output holds an IPv4 address");
    }
    assert!(
        files.is_empty(),
        "the server held files open during load: {files:?}"
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "no file was created or changed"
    );
    println!(
        "TAG no-log test: {answered} answers ({statuses:?}), {} bytes of output (the ready line), no files: ok",
        out.len() + err.len()
    );
    println!("test result: ok");
}

/// Every path under `root` with size and modification time.
fn snapshot(root: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    let mut m = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let e = e.unwrap();
            let md = e.metadata().unwrap();
            if md.is_dir() {
                stack.push(e.path());
            }
            m.insert(
                e.path().display().to_string(),
                (md.len(), md.modified().unwrap()),
            );
        }
    }
    m
}

fn has_ipv4(t: &str) -> bool {
    t.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .any(|w| {
            let parts: Vec<&str> = w.split('.').collect();
            parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3)
        })
}

/// Regular files the process has open (sockets, pipes and /dev/null are not files on disk).
fn open_files(pid: u32) -> Vec<String> {
    let Ok(rd) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return vec![];
    };
    rd.filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .map(|p| p.display().to_string())
        .filter(|p| p.starts_with('/') && p != "/dev/null" && !p.starts_with("/dev/pts"))
        .collect()
}

async fn load(addr: SocketAddr, pid: u32) -> (usize, BTreeMap<u16, usize>, Vec<String>) {
    let mut tasks = Vec::new();
    for t in 0..4u32 {
        tasks.push(tokio::spawn(async move {
            let mut c = Client::connect(addr).await.unwrap();
            let mut seen = Vec::new();
            let body = br#"{"commitments": ["0011223344556677"]}"#.to_vec();
            let (_, b) = c.post(routes::QR_IDS, body).await.unwrap();
            let id = common::json(&b)["qr_ids"][0].as_str().unwrap().to_owned();
            // The TMP keys are asked for blinded (POPRF): one blinded element per task.
            let (_, blinded) = spur_protocol::tag::TmpRequest::new(
                &spur_protocol::tag::QrId::from_hex(&id).unwrap(),
                &mut rand_core::OsRng,
            )
            .unwrap();
            let blinded = data_encoding::HEXLOWER.encode(&blinded.0);
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs()
                / 1800;
            for i in 0..1500u32 {
                let r = match (i + t) % 6 {
                    0 => {
                        c.post(routes::QR_IDS, r#"{"commitments": ["8899aabbccddeeff"]}"#)
                            .await
                    }
                    1 => {
                        c.post(
                            routes::TMP_KEYS,
                            format!(r#"{{"blinded":"{blinded}","slots":[{now}]}}"#),
                        )
                        .await
                    }
                    2 => {
                        c.post(
                            routes::TMP_KEYS,
                            format!(r#"{{"blinded":"{blinded}","slots":[{}]}}"#, now + 99),
                        )
                        .await
                    }
                    3 => c.post(routes::TMP_KEYS, "{not json").await,
                    4 => c.get(&format!("{}/no/such/route", routes::HEALTH)).await,
                    _ => c.get(routes::DIRECTORY).await,
                };
                match r {
                    Ok((st, _)) => seen.push(st.as_u16()),
                    Err(_) => c = Client::connect(addr).await.unwrap(),
                }
            }
            seen
        }));
    }
    // Garbage that is not HTTP, and clients that stall in the headers.
    for i in 0..20 {
        tasks.push(tokio::spawn(async move {
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            if i % 2 == 0 {
                let _ = s
                    .write_all(b"\x16\x03\x01\x02\x00garbage from 203.0.113.9\r\n\r\n")
                    .await;
            } else {
                let _ = s
                    .write_all(
                        format!(
                            "POST {} HTTP/1.1\r\nHost: 198.51.100.7\r\n",
                            routes::TMP_KEYS
                        )
                        .as_bytes(),
                    )
                    .await;
            }
            let mut buf = Vec::new();
            let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
            vec![]
        }));
    }
    let mut files = Vec::new();
    for _ in 0..10 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        files.extend(open_files(pid));
    }
    let mut statuses = BTreeMap::new();
    let mut answered = 0;
    for t in tasks {
        for st in t.await.unwrap() {
            *statuses.entry(st).or_insert(0) += 1;
            answered += 1;
        }
    }
    files.sort();
    files.dedup();
    (answered, statuses, files)
}
