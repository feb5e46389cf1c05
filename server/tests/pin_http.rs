//! The PIN check over real HTTP: a personal record's PIN check is kept only peppered, answered the
//! same way for an unknown id and a wrong check, and rate-limited per QR id for an hour.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use spur_wire::api::routes;

use axum::http::StatusCode;
use common::client::Client;
use common::{json, open, record, rng, start_post, test_limits, Backend};
use spur_protocol::record::RecordKind;
use spur_server::post::pin::{MAX_UNCONFIRMED, WINDOW_MINUTES};

async fn check(c: &mut Client, id: &[u8], check: &[u8]) -> (StatusCode, serde_json::Value) {
    let body = serde_json::json!({ "qr_id": data_encoding::HEXLOWER.encode(id), "check": data_encoding::HEXLOWER.encode(check) });
    let (st, b) = c.post(routes::PIN_CHECK, body.to_string()).await.unwrap();
    (st, json(&b))
}

/// A personal record for `id` with PIN check `pin` (the rest random).
fn personal(id: [u8; 16], pin: [u8; 32], seed: u64) -> Vec<u8> {
    let mut r = record(RecordKind::Personal, &mut rng(seed));
    r[2..18].copy_from_slice(&id);
    r[18..50].copy_from_slice(&pin);
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pin_check_confirms_only_the_stored_check_and_says_nothing_about_existence() {
    let ts = open(Backend::Sqlite).unwrap();
    let srv = start_post(ts.store.clone(), test_limits()).await;
    let mut c = Client::connect(srv.addr).await.unwrap();
    let (id, pin) = ([0x42; 16], [0x9E; 32]);
    let (st, b) = c.post(routes::CODES, personal(id, pin, 1)).await.unwrap();
    assert_eq!(st, StatusCode::OK, "{}", String::from_utf8_lossy(&b));

    assert_eq!(
        check(&mut c, &id, &pin).await,
        (StatusCode::OK, serde_json::json!({"confirmed": true}))
    );
    let wrong = check(&mut c, &id, &[0x9F; 32]).await;
    let unknown = check(&mut c, &[0x43; 16], &pin).await;
    assert_eq!(
        wrong,
        (StatusCode::OK, serde_json::json!({"confirmed": false}))
    );
    assert_eq!(wrong, unknown, "an unknown id answers like a wrong PIN");

    // The same record again is fine; another PIN check under the same id is refused.
    let (st, _) = c.post(routes::CODES, personal(id, pin, 1)).await.unwrap();
    assert_eq!(st, StatusCode::OK);
    let (st, b) = c
        .post(routes::CODES, personal(id, [0x11; 32], 1))
        .await
        .unwrap();
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(json(&b)["error"], "key_taken");
    assert_eq!(check(&mut c, &id, &pin).await.1["confirmed"], true);

    // Bad bodies.
    for body in [
        r#"{"qr_id": "00", "check": "00"}"#.to_string(),
        serde_json::json!({"qr_id": data_encoding::HEXLOWER.encode(&id), "check": "zz"})
            .to_string(),
        "{".into(),
    ] {
        let (st, _) = c.post(routes::PIN_CHECK, body.clone()).await.unwrap();
        assert_eq!(st, StatusCode::BAD_REQUEST, "{body}");
    }

    // The database holds no PIN check, only its peppered hash (the pepper is not in it).
    tokio::task::block_in_place(|| {
        assert!(ts.store.pin_check(&id).unwrap().is_some());
        assert_ne!(ts.store.pin_check(&id).unwrap().unwrap(), pin);
    });
    srv.stop().await;
    let dir = ts.dir.as_ref().unwrap().path();
    let mut seen = 0;
    for f in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(f.unwrap().path()).unwrap();
        seen += bytes.len();
        assert!(
            !bytes.windows(pin.len()).any(|w| w == pin),
            "the PIN check is in a database file"
        );
    }
    assert!(seen > 4096, "the database files were read ({seen} bytes)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pin_checks_are_rate_limited_per_id_for_an_hour() {
    let ts = open(Backend::Sqlite).unwrap();
    let srv = start_post(ts.store.clone(), test_limits()).await;
    let mut c = Client::connect(srv.addr).await.unwrap();
    let (id, pin) = ([0x42; 16], [0x9E; 32]);
    let (st, _) = c.post(routes::CODES, personal(id, pin, 2)).await.unwrap();
    assert_eq!(st, StatusCode::OK);
    for _ in 0..MAX_UNCONFIRMED {
        assert_eq!(check(&mut c, &id, &[1; 32]).await.1["confirmed"], false);
    }
    // Now even the right check is not answered: guessing gets no further this hour.
    for guess in [[2u8; 32], pin] {
        let (st, b) = check(&mut c, &id, &guess).await;
        assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(b["error"], "too_many_pin_checks");
        assert!(b["message"]
            .as_str()
            .unwrap()
            .contains("try again in an hour"));
    }
    // Other ids are not affected, unknown ones included.
    assert_eq!(
        check(&mut c, &[7; 16], &[1; 32]).await.1["confirmed"],
        false
    );
    srv.clock.advance(u64::from(WINDOW_MINUTES) * 60);
    assert_eq!(check(&mut c, &id, &pin).await.1["confirmed"], true);
    srv.stop().await;
}
