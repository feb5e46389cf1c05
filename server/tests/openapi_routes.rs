//! The routers and the OpenAPI description (`spur_wire::api::openapi`, docs/openapi.json) name
//! exactly the same routes: every route the TAG and POST routers mount is described under its
//! server, every described operation is mounted, and the running servers answer each described
//! operation (not `unknown_route` or `method_not_allowed`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::collections::BTreeSet;

use axum::http::Method;
use common::client::Client;
use common::{json, open, start_post, start_tag, test_limits, Backend};
use spur_server::clock::ManualClock;

type Ops = BTreeSet<(String, String)>;

/// The described operations of one server (by its tag), as (METHOD, path).
fn described(server: &str) -> Ops {
    let doc: serde_json::Value = serde_json::from_str(&spur_wire::api::openapi()).unwrap();
    let mut out = Ops::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let tags = op["tags"].as_array().unwrap();
            if tags.iter().any(|t| t == server) {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

fn mounted(routes: &[(Method, &'static str)]) -> Ops {
    routes
        .iter()
        .map(|(m, p)| (m.as_str().to_owned(), (*p).to_owned()))
        .collect()
}

#[test]
fn the_tag_router_mounts_exactly_the_described_routes() {
    let tag = mounted(spur_server::tag::routes().routes());
    assert_eq!(tag, described("TAG server"));
}

#[test]
fn the_post_router_mounts_exactly_the_described_routes() {
    let post = mounted(spur_server::post::routes().routes());
    assert_eq!(post, described("POST server"));
}

async fn answers_every_described_operation(addr: std::net::SocketAddr, ops: &Ops) {
    let mut c = Client::connect(addr).await.unwrap();
    for (method, path) in ops {
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let (status, body) = c.send(m, path, &[], Vec::new()).await.unwrap();
        if !status.is_success() {
            let code = json(&body)["error"].as_str().unwrap().to_owned();
            assert!(
                code != "unknown_route" && code != "method_not_allowed",
                "{method} {path}: {status} {code}"
            );
        }
    }
}

#[tokio::test]
async fn the_running_servers_answer_every_described_operation() {
    let limits = test_limits();
    let tag_addr = start_tag(1, ManualClock::new(common::T0), None, limits.clone()).await;
    answers_every_described_operation(tag_addr, &described("TAG server")).await;

    let ts = open(Backend::Sqlite).unwrap();
    let srv = start_post(ts.store.clone(), limits).await;
    answers_every_described_operation(srv.addr, &described("POST server")).await;
    srv.stop().await;
}
