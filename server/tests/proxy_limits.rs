//! The per-client limits behind a reverse proxy, over real HTTP on 127.0.0.1: a forged
//! `X-Forwarded-For` from a peer that is not a trusted proxy does not escape the peer's limit;
//! behind a trusted proxy two clients get separate request limits and upload budgets, and a
//! client cannot pick its key by forging the left part of the header.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use spur_protocol::record::RecordKind;
use spur_server::clock::ManualClock;
use spur_server::limits::{Budget, Limits, Rate};
use spur_server::proxy::{parse_cidr, TrustedProxies};
use spur_wire::api::routes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One raw HTTP/1.1 exchange with the given `X-Forwarded-For`; the status.
async fn status(addr: SocketAddr, method: &str, path: &str, xff: &str, body: &[u8]) -> u16 {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\nx-forwarded-for: {xff}\r\n\
         content-length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    String::from_utf8_lossy(&out)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap()
}

fn limits(trusted: &[&str]) -> Limits {
    Limits {
        rate: Some(Rate {
            per_second: 0.001,
            burst: 3.0,
        }),
        upload_budget: Some(Budget {
            records: 10,
            window: Duration::from_secs(3600),
        }),
        trusted_proxies: TrustedProxies::new(
            trusted.iter().map(|c| parse_cidr(c).unwrap()).collect(),
        ),
        ..Limits::default()
    }
}

async fn tag(trusted: &[&str]) -> SocketAddr {
    common::start_tag(1, ManualClock::new(common::T0), None, limits(trusted)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_header_from_an_untrusted_peer_is_keyed_on_the_peer() {
    // 127.0.0.1 is not in the trusted network: every header is ignored.
    let addr = tag(&["10.0.0.0/8"]).await;
    for i in 0..3 {
        let st = status(addr, "GET", routes::HEALTH, &format!("203.0.113.{i}"), b"").await;
        assert_eq!(st, 200);
    }
    let st = status(addr, "GET", routes::HEALTH, "203.0.113.99", b"").await;
    assert_eq!(st, 429, "a new forged address does not buy a new bucket");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_behind_a_trusted_proxy_have_their_own_limits() {
    let addr = tag(&["127.0.0.1/32"]).await;
    for _ in 0..3 {
        assert_eq!(
            status(addr, "GET", routes::HEALTH, "203.0.113.1", b"").await,
            200
        );
    }
    assert_eq!(
        status(addr, "GET", routes::HEALTH, "203.0.113.1", b"").await,
        429
    );
    // Forging the left part does not help: the proxy appended the real address on the right.
    let forged = "198.51.100.9, 203.0.113.1";
    assert_eq!(status(addr, "GET", routes::HEALTH, forged, b"").await, 429);
    // Another client behind the same proxy has its own bucket.
    for _ in 0..3 {
        assert_eq!(
            status(addr, "GET", routes::HEALTH, "203.0.113.2", b"").await,
            200
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_budgets_are_per_client_behind_a_trusted_proxy() {
    let ts = common::open(common::Backend::Sqlite).unwrap();
    let mut l = limits(&["127.0.0.1"]);
    l.rate = Some(Rate {
        per_second: 1000.0,
        burst: 1000.0,
    });
    let srv = common::start_post(ts.store.clone(), l).await;
    let mut r = common::rng(5);
    let batch = |r: &mut rand_chacha::ChaCha20Rng, n: usize| {
        let mut b = Vec::new();
        for _ in 0..n {
            b.extend(common::record(RecordKind::SlotEntry, r));
        }
        b
    };
    let a = "203.0.113.1";
    assert_eq!(
        status(srv.addr, "POST", routes::VISITS, a, &batch(&mut r, 10)).await,
        200
    );
    assert_eq!(
        status(srv.addr, "POST", routes::VISITS, a, &batch(&mut r, 1)).await,
        429
    );
    let b = "2001:db8:2::1";
    assert_eq!(
        status(srv.addr, "POST", routes::VISITS, b, &batch(&mut r, 10)).await,
        200
    );
    srv.stop().await;
}
