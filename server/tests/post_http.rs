//! The POST server over real HTTP on 127.0.0.1, against SQLite and PostgreSQL alike.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use spur_wire::api::routes;

use axum::http::{Method, StatusCode};
use common::client::Client;
use common::{json, open, record, rng, start_post, test_limits, Backend, TOKEN};
use spur_protocol::export::{parse, ExportRow};
use spur_protocol::record::RecordKind;
use spur_server::limits::{Limits, Rate};
use spur_server::post::ingest::registration_handle;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn export_all(c: &mut Client, page: usize) -> (Vec<ExportRow>, String) {
    let auth = format!("Bearer {TOKEN}");
    let mut rows = Vec::new();
    let mut cursor = String::new();
    loop {
        let path = if cursor.is_empty() {
            format!("{}?limit={page}", routes::EXPORT)
        } else {
            format!("{}?limit={page}&cursor={cursor}", routes::EXPORT)
        };
        let (st, body) = c
            .send(Method::GET, &path, &[("authorization", &auth)], Vec::new())
            .await
            .unwrap();
        assert_eq!(st, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        let file = parse(&body).unwrap();
        rows.extend(file.rows);
        cursor = file.cursor;
        if !file.more {
            return (rows, cursor);
        }
    }
}

async fn visit_upload_is_idempotent(b: Backend) {
    let Some(ts) = open(b) else { return };
    let srv = start_post(ts.store.clone(), test_limits()).await;
    let mut c = Client::connect(srv.addr).await.unwrap();
    let mut r = rng(1);
    let mut body = Vec::new();
    for _ in 0..3 {
        body.extend(record(RecordKind::SlotEntry, &mut r));
    }
    body.extend(record(RecordKind::UserEntry, &mut r));
    let first = c.post(routes::VISITS, body.clone()).await.unwrap();
    assert_eq!(first.0, StatusCode::OK, "{:?}", first.1);
    assert_eq!(json(&first.1)["ids"].as_array().unwrap().len(), 4);
    let again = c.post(routes::VISITS, body.clone()).await.unwrap();
    assert_eq!(again, first, "the same upload is answered the same");
    assert_eq!(common::count(&ts.store), 4, "and stored once");
    let (rows, _) = export_all(&mut c, 1000).await;
    assert_eq!(rows.len(), 4);
    for row in rows {
        assert!(body
            .windows(row.body.len())
            .any(|w| w == row.body.as_slice()));
    }
    srv.stop().await;
}

async fn bad_input_is_refused_with_json_and_changes_nothing(b: Backend) {
    let Some(ts) = open(b) else { return };
    let srv = start_post(ts.store.clone(), test_limits()).await;
    let mut r = rng(2);
    let slot = record(RecordKind::SlotEntry, &mut r);
    let mut short = slot.clone();
    short.pop();
    let mut v2 = slot.clone();
    v2[0] = 2;
    let mut unknown = slot.clone();
    unknown[1] = 99;
    let mut tail = slot.clone();
    tail.extend_from_slice(&[1, 5, 0, 0]);
    let mut many = Vec::new();
    for _ in 0..65 {
        many.extend(record(RecordKind::SlotEntry, &mut r));
    }
    let place = record(RecordKind::Place, &mut r);
    let reg = record(RecordKind::Registration, &mut r);
    let code_path = format!("{}/not-hex", routes::CODES);
    let nope = format!("{}/nope", routes::HEALTH);
    let cases: Vec<(Method, &str, Vec<u8>, u16, &str)> = vec![
        (Method::POST, routes::VISITS, vec![], 400, "malformed"),
        (Method::POST, routes::VISITS, vec![1], 400, "malformed"),
        (
            Method::POST,
            routes::VISITS,
            b"hello, world".to_vec(),
            400,
            "unsupported_version",
        ),
        (Method::POST, routes::VISITS, short, 400, "wrong_size"),
        (Method::POST, routes::VISITS, v2, 400, "unsupported_version"),
        (Method::POST, routes::VISITS, unknown, 400, "unknown_kind"),
        (Method::POST, routes::VISITS, tail, 400, "wrong_size"),
        (
            Method::POST,
            routes::VISITS,
            place.clone(),
            400,
            "wrong_kind",
        ),
        (Method::POST, routes::VISITS, many, 413, "too_many_records"),
        (
            Method::POST,
            routes::VISITS,
            vec![0; 70_000],
            413,
            "body_too_large",
        ),
        (Method::POST, routes::CODES, slot.clone(), 400, "wrong_kind"),
        (
            Method::POST,
            routes::CONSENT_RELEASES,
            place.clone(),
            400,
            "wrong_kind",
        ),
        (
            Method::POST,
            routes::REGISTRATIONS,
            place,
            400,
            "wrong_kind",
        ),
        (
            Method::POST,
            routes::REGISTRATIONS_DELETE,
            reg,
            400,
            "wrong_kind",
        ),
        (
            Method::GET,
            code_path.as_str(),
            vec![],
            404,
            "unknown_route",
        ),
        (Method::GET, nope.as_str(), vec![], 404, "unknown_route"),
        (Method::POST, "/", vec![], 404, "unknown_route"),
        (
            Method::DELETE,
            routes::VISITS,
            vec![],
            405,
            "method_not_allowed",
        ),
        (
            Method::GET,
            routes::VISITS,
            vec![],
            405,
            "method_not_allowed",
        ),
        (Method::GET, routes::EXPORT, vec![], 401, "unauthorized"),
    ];
    for (method, path, body, status, code) in cases {
        // A fresh connection per case: after an early 413 the server may close the connection.
        let mut c = Client::connect(srv.addr).await.unwrap();
        let (st, resp) = c.send(method.clone(), path, &[], body).await.unwrap();
        assert_eq!(
            st.as_u16(),
            status,
            "{method} {path}: {}",
            String::from_utf8_lossy(&resp)
        );
        let j = json(&resp);
        assert_eq!(j["error"], code, "{method} {path}");
        assert!(
            j["message"].as_str().unwrap().len() > 10,
            "{method} {path} has a sentence"
        );
        assert_eq!(j.as_object().unwrap().len(), 2, "only error and message");
    }
    assert_eq!(common::count(&ts.store), 0, "no refusal stored anything");

    // An oversized body sent chunked (no Content-Length) is cut off at the limit as well.
    let mut raw = tokio::net::TcpStream::connect(srv.addr).await.unwrap();
    let head = format!(
        "POST {} HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n",
        routes::VISITS
    );
    raw.write_all(head.as_bytes()).await.unwrap();
    for _ in 0..20 {
        let chunk = vec![1u8; 4096];
        raw.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await
            .unwrap();
        raw.write_all(&chunk).await.unwrap();
        raw.write_all(b"\r\n").await.unwrap();
    }
    raw.write_all(b"0\r\n\r\n").await.unwrap();
    let mut answer = vec![0u8; 4096];
    let n = raw.read(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("\"body_too_large\""), "{answer}");
    assert_eq!(common::count(&ts.store), 0);
    srv.stop().await;
}

async fn registration_put_refresh_delete(b: Backend) {
    let Some(ts) = open(b) else { return };
    let srv = start_post(ts.store.clone(), test_limits()).await;
    let mut c = Client::connect(srv.addr).await.unwrap();
    let mut r = rng(3);
    let secret = [0x5au8; 32];
    let mut reg = record(RecordKind::Registration, &mut r);
    reg[2..34].copy_from_slice(&secret);
    let first = c.post(routes::REGISTRATIONS, reg.clone()).await.unwrap();
    assert_eq!(first.0, StatusCode::OK);
    assert_eq!(
        c.post(routes::REGISTRATIONS, reg.clone()).await.unwrap(),
        first
    );
    let mut refreshed = record(RecordKind::Registration, &mut r);
    refreshed[2..34].copy_from_slice(&secret);
    assert_eq!(
        c.post(routes::REGISTRATIONS, refreshed.clone())
            .await
            .unwrap()
            .0,
        StatusCode::OK
    );
    let (rows, _) = export_all(&mut c, 100).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].key, registration_handle(&secret).to_vec());
    assert_eq!(rows[0].body, refreshed[34..].to_vec());

    let mut del = vec![1u8, RecordKind::RegistrationDelete as u8];
    del.extend_from_slice(&secret);
    let d1 = c
        .post(routes::REGISTRATIONS_DELETE, del.clone())
        .await
        .unwrap();
    assert_eq!(d1.0, StatusCode::OK);
    assert_eq!(c.post(routes::REGISTRATIONS_DELETE, del).await.unwrap(), d1);
    let auth = format!("Bearer {TOKEN}");
    let (_, file) = c
        .send(
            Method::GET,
            routes::EXPORT,
            &[("authorization", &auth)],
            Vec::new(),
        )
        .await
        .unwrap();
    let parsed = parse(&file).unwrap();
    let (rows, more) = (parsed.rows, parsed.more);
    assert!(!more);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].kind, RecordKind::RegistrationDelete);
    assert!(
        !file.windows(32).any(|w| w == secret),
        "the secret never reaches storage"
    );
    srv.stop().await;
}

async fn codes_put_and_conflict_with_no_way_to_read_them_back(b: Backend) {
    let Some(ts) = open(b) else { return };
    let srv = start_post(ts.store.clone(), test_limits()).await;
    let mut c = Client::connect(srv.addr).await.unwrap();
    let mut r = rng(4);
    let mut stored_ids = Vec::new();
    for kind in [RecordKind::Place, RecordKind::Personal] {
        let rec = record(kind, &mut r);
        stored_ids.push(data_encoding::HEXLOWER.encode(&rec[2..18]));
        let put = c.post(routes::CODES, rec.clone()).await.unwrap();
        assert_eq!(put.0, StatusCode::OK);
        assert_eq!(c.post(routes::CODES, rec.clone()).await.unwrap(), put);
        let mut other = record(kind, &mut r);
        other[2..18].copy_from_slice(&rec[2..18]);
        let (st, body) = c.post(routes::CODES, other).await.unwrap();
        assert_eq!(st, StatusCode::CONFLICT);
        assert_eq!(json(&body)["error"], "key_taken");
    }
    // No existence oracle: a registered card's id, an unused id and garbage get the same answer.
    let unused = "0".repeat(32);
    let mut answers = Vec::new();
    for id in [
        stored_ids[0].as_str(),
        stored_ids[1].as_str(),
        &unused,
        "zz",
    ] {
        let (st, body) = c.get(&format!("{}/{id}", routes::CODES)).await.unwrap();
        assert_eq!(st, StatusCode::NOT_FOUND, "{id}");
        answers.push(body);
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    assert_eq!(json(&answers[0])["error"], "unknown_route");
    assert_eq!(common::count(&ts.store), 2);
    srv.stop().await;
}

async fn consent_release_is_stored_once(b: Backend) {
    let Some(ts) = open(b) else { return };
    let srv = start_post(ts.store.clone(), test_limits()).await;
    let mut c = Client::connect(srv.addr).await.unwrap();
    let rec = record(RecordKind::ConsentRelease, &mut rng(5));
    let a = c.post(routes::CONSENT_RELEASES, rec.clone()).await.unwrap();
    assert_eq!(a.0, StatusCode::OK);
    assert_eq!(c.post(routes::CONSENT_RELEASES, rec).await.unwrap(), a);
    assert_eq!(common::count(&ts.store), 1);
    srv.stop().await;
}

async fn export_is_authenticated_paged_and_resumable(b: Backend) {
    let Some(ts) = open(b) else { return };
    let srv = start_post(ts.store.clone(), test_limits()).await;
    let mut c = Client::connect(srv.addr).await.unwrap();
    let mut r = rng(6);
    let mut uploaded = std::collections::BTreeSet::new();
    for day in 0..3u64 {
        for _ in 0..10 {
            let rec = record(RecordKind::SlotEntry, &mut r);
            let (st, body) = c.post(routes::VISITS, rec).await.unwrap();
            assert_eq!(st, StatusCode::OK);
            uploaded.insert(json(&body)["ids"][0].as_str().unwrap().to_owned());
        }
        if day < 2 {
            srv.clock.advance_days(1);
        }
    }
    for (auth, code) in [
        ("Bearer wrong-token-0123456789", "unauthorized"),
        ("Basic x", "unauthorized"),
    ] {
        let (st, body) = c
            .send(
                Method::GET,
                routes::EXPORT,
                &[("authorization", auth)],
                Vec::new(),
            )
            .await
            .unwrap();
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        assert_eq!(json(&body)["error"], code);
    }
    let auth = format!("Bearer {TOKEN}");
    for q in ["cursor=%%%", "cursor=AQ", "limit=0", "limit=x"] {
        let (st, body) = c
            .send(
                Method::GET,
                &format!("{}?{q}", routes::EXPORT),
                &[("authorization", &auth)],
                Vec::new(),
            )
            .await
            .unwrap();
        assert_eq!(st, StatusCode::BAD_REQUEST, "{q}");
        assert!(["bad_cursor", "bad_query"].contains(&json(&body)["error"].as_str().unwrap()));
    }
    let (rows, cursor) = export_all(&mut c, 7).await;
    let got: std::collections::BTreeSet<String> = rows
        .iter()
        .map(|r| data_encoding::HEXLOWER.encode(&r.id))
        .collect();
    assert_eq!(got, uploaded);
    assert_eq!(rows.len(), 30, "no duplicates within one pull");
    // The next pull starts at the open day: it sends today's rows again and the new ones.
    let rec = record(RecordKind::SlotEntry, &mut r);
    c.post(routes::VISITS, rec).await.unwrap();
    let path = format!("{}?cursor={cursor}", routes::EXPORT);
    let (_, file) = c
        .send(Method::GET, &path, &[("authorization", &auth)], Vec::new())
        .await
        .unwrap();
    let file = parse(&file).unwrap();
    let (again, more) = (file.rows, file.more);
    assert!(!more);
    assert_eq!(again.len(), 11, "today's 10 again plus the new one");
    srv.stop().await;
}

async fn retention_sweep_through_the_clock(b: Backend) {
    let Some(ts) = open(b) else { return };
    let srv = start_post(ts.store.clone(), test_limits()).await;
    let mut c = Client::connect(srv.addr).await.unwrap();
    let rec = record(RecordKind::Place, &mut rng(7));
    let qr = rec[2..18].to_vec();
    assert_eq!(
        c.post(routes::CODES, rec.clone()).await.unwrap().0,
        StatusCode::OK
    );
    let stored = |ts: &common::TestStore| {
        tokio::task::block_in_place(|| ts.store.get(RecordKind::Place, &qr).unwrap().is_some())
    };
    srv.clock.advance_days(20);
    // Uploading the same record again, as anyone holding its bytes could, restarts nothing.
    assert_eq!(c.post(routes::CODES, rec).await.unwrap().0, StatusCode::OK);
    srv.clock.advance_days(7);
    tokio::task::block_in_place(|| {
        spur_server::post::retention::sweep_once(ts.store.as_ref(), &srv.clock).unwrap()
    });
    assert!(stored(&ts), "kept through day 27");
    srv.clock.advance_days(1);
    tokio::task::block_in_place(|| {
        spur_server::post::retention::sweep_once(ts.store.as_ref(), &srv.clock).unwrap()
    });
    assert!(!stored(&ts), "gone on day 28 after the first upload");
    assert_eq!(common::count(&ts.store), 0);
    srv.stop().await;
}

async fn per_client_rate_limit_answers_429(b: Backend) {
    let Some(ts) = open(b) else { return };
    let limits = Limits {
        rate: Some(Rate {
            per_second: 0.5,
            burst: 3.0,
        }),
        ..Limits::default()
    };
    let srv = start_post(ts.store.clone(), limits).await;
    let mut c = Client::connect(srv.addr).await.unwrap();
    for _ in 0..3 {
        assert_eq!(c.get(routes::HEALTH).await.unwrap().0, StatusCode::OK);
    }
    let (st, body) = c.get(routes::HEALTH).await.unwrap();
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(json(&body)["error"], "rate_limited");
    srv.stop().await;
}

async fn upload_budget_answers_429_after_the_budget(b: Backend) {
    let Some(ts) = open(b) else { return };
    let limits = Limits {
        rate: Some(Rate {
            per_second: 1000.0,
            burst: 1000.0,
        }),
        upload_budget: Some(spur_server::limits::Budget {
            records: 10,
            window: std::time::Duration::from_secs(3600),
        }),
        ..Limits::default()
    };
    let srv = start_post(ts.store.clone(), limits).await;
    let mut c = Client::connect(srv.addr).await.unwrap();
    let mut r = rng(11);
    let visit = |r: &mut rand_chacha::ChaCha20Rng, n: usize| {
        let mut body = Vec::new();
        for _ in 0..n {
            body.extend(record(RecordKind::SlotEntry, r));
        }
        body
    };
    // 4 + 4 + 1 records fit the budget of 10.
    for n in [4, 4, 1] {
        assert_eq!(
            c.post(routes::VISITS, visit(&mut r, n)).await.unwrap().0,
            StatusCode::OK
        );
    }
    // 4 more do not: refused whole, with a clear message and Retry-After; nothing stored.
    let (st, body) = c.post(routes::VISITS, visit(&mut r, 4)).await.unwrap();
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    let j = json(&body);
    assert_eq!(j["error"], "upload_budget");
    let msg = j["message"].as_str().unwrap();
    assert!(msg.contains("10 records per 60 minutes"), "{msg}");
    assert_eq!(common::count(&ts.store), 9);
    // One still fits; every upload route counts; reads are not charged.
    let place = record(RecordKind::Place, &mut r);
    assert_eq!(
        c.post(routes::CODES, place).await.unwrap().0,
        StatusCode::OK
    );
    let (st, body) = c
        .post(routes::CODES, record(RecordKind::Personal, &mut r))
        .await
        .unwrap();
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(json(&body)["error"], "upload_budget");
    assert_eq!(c.get(routes::HEALTH).await.unwrap().0, StatusCode::OK);
    assert_eq!(common::count(&ts.store), 10);
    srv.stop().await;
}

async fn shutdown_finishes_accepted_writes(b: Backend) {
    let Some(ts) = open(b) else { return };
    let srv = start_post(ts.store.clone(), test_limits()).await;
    let addr = srv.addr;
    let mut tasks = Vec::new();
    for i in 0..20u64 {
        tasks.push(tokio::spawn(async move {
            let mut c = Client::connect(addr).await.ok()?;
            let mut acked = Vec::new();
            let mut r = rng(100 + i);
            for _ in 0..50 {
                match c
                    .post(routes::VISITS, record(RecordKind::SlotEntry, &mut r))
                    .await
                {
                    Ok((StatusCode::OK, body)) => {
                        acked.push(json(&body)["ids"][0].as_str().unwrap().to_owned())
                    }
                    _ => break,
                }
            }
            Some(acked)
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    srv.stop().await;
    let mut acked = Vec::new();
    for t in tasks {
        acked.extend(t.await.unwrap().unwrap_or_default());
    }
    assert!(!acked.is_empty());
    let stored = common::stored_ids(&ts.store);
    for id in &acked {
        assert!(stored.contains(id), "acknowledged {id} is stored");
    }
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer accepting"
    );
}

async fn pull_writes_checked_files_and_a_cursor(b: Backend) {
    let Some(ts) = open(b) else { return };
    let srv = start_post(ts.store.clone(), test_limits()).await;
    let mut c = Client::connect(srv.addr).await.unwrap();
    let mut r = rng(8);
    for _ in 0..5 {
        c.post(routes::VISITS, record(RecordKind::SlotEntry, &mut r))
            .await
            .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, format!("{TOKEN}\n")).unwrap();
    // Plain http to a host that is not loopback is refused before anything is sent.
    let far = spur_server::pull::PullArgs {
        server: "http://192.0.2.7:8082".into(),
        token_file: token.clone(),
        dir: dir.path().join("far"),
        page: 2,
    };
    let refused = spur_server::pull::pull(&far, |_| {}).await.unwrap_err();
    assert_eq!(
        refused.downcast_ref::<spur_server::pull::ServerUrlError>(),
        Some(&spur_server::pull::ServerUrlError::PlainHttpNotLoopback {
            host: "192.0.2.7".into()
        })
    );
    // A bare host:port is plain http to loopback.
    let args = spur_server::pull::PullArgs {
        server: srv.addr.to_string(),
        token_file: token,
        dir: dir.path().join("out"),
        page: 2,
    };
    assert_eq!(
        spur_server::pull::pull(&args, |_| {}).await.unwrap(),
        3,
        "pages of 2, 2 and 1"
    );
    let mut rows = 0;
    for e in std::fs::read_dir(&args.dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "spurx") {
            rows += parse(&std::fs::read(&p).unwrap()).unwrap().rows.len();
        }
    }
    assert_eq!(rows, 5);
    assert!(!std::fs::read_to_string(args.dir.join("cursor"))
        .unwrap()
        .is_empty());
    srv.stop().await;
}

on_both_backends!(
    visit_upload_is_idempotent,
    bad_input_is_refused_with_json_and_changes_nothing,
    registration_put_refresh_delete,
    codes_put_and_conflict_with_no_way_to_read_them_back,
    consent_release_is_stored_once,
    export_is_authenticated_paged_and_resumable,
    retention_sweep_through_the_clock,
    per_client_rate_limit_answers_429,
    upload_budget_answers_429_after_the_budget,
    shutdown_finishes_accepted_writes,
    pull_writes_checked_files_and_a_cursor,
);
