//! The TAG server over real HTTP on 127.0.0.1: ids, blinded TMP evaluations checked against the
//! key, window, history, directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use spur_wire::api::routes;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::StatusCode;
use common::client::Client;
use common::{json, rng, test_limits, T0};
use spur_protocol::directory::{Authority, Directory};
use spur_protocol::history::{blind_card, HistoryRequest};
use spur_protocol::keys::{AuthorityKeys, SignSecretKey};
use spur_protocol::tag::{Evaluation, QrId, TagPublicKey, TagServerSecret, TmpKey, TmpRequest};
use spur_protocol::time::{Minute, Slot};
use spur_protocol::ProtocolError;
use spur_server::clock::{Clock, ManualClock};
use spur_server::tag::history::DirectoryVerifier;
use spur_server::tag::HistoryVerifier;

/// A TAG server with the test limits.
async fn start_tag(
    secret_seed: u64,
    clock: ManualClock,
    dir: Option<(Vec<u8>, Arc<dyn HistoryVerifier>)>,
) -> SocketAddr {
    common::start_tag(secret_seed, clock, dir, test_limits()).await
}

async fn new_id(c: &mut Client) -> String {
    let mut commitment = [0u8; 8];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut commitment);
    let body = serde_json::json!({ "commitments": [data_encoding::HEXLOWER.encode(&commitment)] })
        .to_string();
    let (st, body) = c.post(routes::QR_IDS, body).await.unwrap();
    assert_eq!(st, StatusCode::OK);
    json(&body)["qr_ids"][0].as_str().unwrap().to_owned()
}

/// Posts a raw TMP request body for an already blinded id.
async fn tmp_raw(c: &mut Client, blinded: &str, slots: &[u32]) -> (StatusCode, serde_json::Value) {
    let body = serde_json::json!({ "blinded": blinded, "slots": slots }).to_string();
    let (st, b) = c.post(routes::TMP_KEYS, body).await.unwrap();
    (st, json(&b))
}

/// The TMP keys of `id` as a client gets them: blinded, evaluated, each proof checked against
/// `pk`. Returns the status, the answer, and the keys (or the first refusal).
async fn tmp(
    c: &mut Client,
    id: &str,
    slots: &[u32],
    pk: &TagPublicKey,
) -> (
    StatusCode,
    serde_json::Value,
    Result<Vec<TmpKey>, ProtocolError>,
) {
    let qr = QrId::from_hex(id).unwrap();
    let (req, blinded) = TmpRequest::new(&qr, &mut rand_core::OsRng).unwrap();
    let (st, j) = tmp_raw(c, &data_encoding::HEXLOWER.encode(&blinded.0), slots).await;
    let keys = if st == StatusCode::OK {
        let evs = j["evaluations"].as_array().unwrap();
        assert_eq!(evs.len(), slots.len());
        evs.iter()
            .zip(slots)
            .map(|(e, s)| {
                assert_eq!(e["slot"], *s, "in the order asked");
                let h = |k: &str| {
                    data_encoding::HEXLOWER
                        .decode(e[k].as_str().unwrap().as_bytes())
                        .unwrap()
                };
                let ev = Evaluation {
                    element: h("evaluated").try_into().unwrap(),
                    proof: h("proof").try_into().unwrap(),
                };
                req.tmp(Slot(*s), &ev, pk)
            })
            .collect()
    } else {
        Err(ProtocolError::BadPoprfProof)
    };
    (st, j, keys)
}

fn public(seed: u64) -> TagPublicKey {
    TagServerSecret::random(&mut rng(seed))
        .tmp_deriver()
        .unwrap()
        .public()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tmp_keys_are_the_same_across_replicas_verified_and_windowed() {
    let clock = ManualClock::new(T0);
    let a = start_tag(1, clock.clone(), None).await;
    let b = start_tag(1, clock.clone(), None).await;
    let other = start_tag(2, clock.clone(), None).await;
    let mut ca = Client::connect(a).await.unwrap();
    let mut cb = Client::connect(b).await.unwrap();
    let mut co = Client::connect(other).await.unwrap();
    let pk = public(1);

    let id = new_id(&mut ca).await;
    let now = clock.slot().0;
    let slots = [now - 48, now - 1, now, now + 1, now + 48];
    let (st, ja, ka) = tmp(&mut ca, &id, &slots, &pk).await;
    assert_eq!(st, StatusCode::OK, "{ja}");
    let ka = ka.unwrap();
    let (_, jb, kb) = tmp(&mut cb, &id, &slots, &pk).await;
    assert_eq!(
        ka,
        kb.unwrap(),
        "every replica with the secret gives the same keys"
    );
    assert_ne!(ja, jb, "fresh blinds: the answers themselves differ");
    let d = TagServerSecret::random(&mut rng(1)).tmp_deriver().unwrap();
    let qr = QrId::from_hex(&id).unwrap();
    for (k, s) in ka.iter().zip(slots) {
        assert_eq!(
            *k,
            d.tmp(&qr, Slot(s)),
            "blinded = the server's own evaluation"
        );
    }
    let distinct: std::collections::HashSet<_> = ka.iter().map(|k| *k.expose()).collect();
    assert_eq!(distinct.len(), slots.len());

    for far in [now - 49, now + 49] {
        let (st, e, _) = tmp(&mut ca, &id, &[now, far], &pk).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e["error"], "slot_out_of_window");
    }
    // A server with another secret answers, but its keys do not verify against the pinned key.
    let (st, _, k) = tmp(&mut co, &id, &[now], &pk).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(k, Err(ProtocolError::BadPoprfProof));

    // when the clock moves on, yesterday's edge leaves the window
    clock.set(T0 + 3600);
    let (st, _, _) = tmp(&mut ca, &id, &[now - 48], &pk).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_refusals_are_json() {
    let clock = ManualClock::new(T0);
    let a = start_tag(3, clock.clone(), None).await;
    let mut c = Client::connect(a).await.unwrap();
    let id = new_id(&mut c).await;
    let (_, blinded) =
        TmpRequest::new(&QrId::from_hex(&id).unwrap(), &mut rand_core::OsRng).unwrap();
    let id = data_encoding::HEXLOWER.encode(&blinded.0);
    let not_a_point = "ff".repeat(32);
    let now = clock.slot().0;
    let too_many: Vec<u32> = (0..98).map(|i| now - 48 + i).collect();
    let nothing = format!("{}/nothing", routes::HEALTH);
    let cases: Vec<(&str, String, u16, &str)> = vec![
        (routes::TMP_KEYS, "not json".into(), 400, "malformed"),
        (
            routes::TMP_KEYS,
            r#"{"blinded": 5}"#.into(),
            400,
            "malformed",
        ),
        (
            routes::TMP_KEYS,
            format!(r#"{{"qr_id":"{id}","slots":[{now}]}}"#),
            400,
            "malformed",
        ),
        (
            routes::TMP_KEYS,
            format!(r#"{{"blinded":"{not_a_point}","slots":[{now}]}}"#),
            400,
            "bad_qr_id",
        ),
        (
            routes::TMP_KEYS,
            format!(r#"{{"blinded":"{id}","slots":[],"x":1}}"#),
            400,
            "malformed",
        ),
        (
            routes::TMP_KEYS,
            format!(r#"{{"blinded":"{id}","slots":[]}}"#),
            400,
            "bad_slots",
        ),
        (
            routes::TMP_KEYS,
            serde_json::json!({"blinded": id, "slots": too_many}).to_string(),
            400,
            "bad_slots",
        ),
        (
            routes::TMP_KEYS,
            format!(r#"{{"blinded":"XYZ","slots":[{now}]}}"#),
            400,
            "bad_qr_id",
        ),
        (
            routes::QR_IDS,
            r#"{"commitments": []}"#.into(),
            400,
            "bad_count",
        ),
        (
            routes::QR_IDS,
            serde_json::json!({ "commitments": vec!["00".repeat(8); 101] }).to_string(),
            400,
            "bad_count",
        ),
        (
            routes::QR_IDS,
            r#"{"commitments": ["0011"]}"#.into(),
            400,
            "bad_commitment",
        ),
        (routes::QR_IDS, r#"{"count": 5}"#.into(), 400, "malformed"),
        (routes::QR_IDS, String::new(), 400, "malformed"),
        (routes::QR_IDS, "x".repeat(70_000), 413, "body_too_large"),
        (
            routes::TMP_KEYS_HISTORY,
            "x".into(),
            503,
            "history_unavailable",
        ),
        (nothing.as_str(), String::new(), 404, "unknown_route"),
    ];
    for (path, body, status, code) in cases {
        // A fresh connection per case: after an early 413 the server may close the connection.
        let mut c = Client::connect(a).await.unwrap();
        let (st, b) = c.post(path, body).await.unwrap();
        assert_eq!(
            st.as_u16(),
            status,
            "{path}: {}",
            String::from_utf8_lossy(&b)
        );
        assert_eq!(json(&b)["error"], code, "{path}");
    }
    let (st, b) = c.get(routes::DIRECTORY).await.unwrap();
    assert_eq!(
        (st, json(&b)["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("no_directory"))
    );
    // Ids are issued for the commitments sent, in order, and carry them.
    let commitments: Vec<String> = (1u8..=5)
        .map(|i| data_encoding::HEXLOWER.encode(&[i; 8]))
        .collect();
    let (st, b) = c
        .post(
            routes::QR_IDS,
            serde_json::json!({ "commitments": commitments }).to_string(),
        )
        .await
        .unwrap();
    assert_eq!(st, StatusCode::OK);
    let ids = json(&b)["qr_ids"].as_array().unwrap().clone();
    assert_eq!(ids.len(), 5);
    for (id, commitment) in ids.iter().zip(&commitments) {
        let id = id.as_str().unwrap();
        assert!(
            id.starts_with(commitment.as_str()),
            "{id} carries {commitment}"
        );
        // TMP keys are given for them (blinded, so the server cannot tell them from others).
        let (st, _, k) = tmp(&mut c, id, &[now], &public(3)).await;
        assert_eq!(st, StatusCode::OK);
        assert!(k.is_ok(), "{id}");
    }
}

fn directory(root: &SignSecretKey, keys: &[AuthorityKeys]) -> Vec<u8> {
    let authorities = keys
        .iter()
        .enumerate()
        .map(|(i, k)| Authority {
            id: i as u16 + 1,
            name: format!("Authority {}", i + 1),
            seal: k.seal.public(),
            sign: k.sign.public(),
            ranges: vec![],
        })
        .collect();
    Directory {
        serial: 1,
        issued: Minute(1),
        tag_key: TagServerSecret::from_bytes([3; 32])
            .tmp_deriver()
            .unwrap()
            .public(),
        default_authority: 1,
        authorities,
    }
    .sign(root)
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_only_for_a_listed_authority_and_directory_is_served() {
    let mut r = rng(9);
    let root = SignSecretKey::generate(&mut r);
    let keys = [
        AuthorityKeys::generate(&mut r),
        AuthorityKeys::generate(&mut r),
    ];
    let signed_dir = directory(&root, &keys);
    let verifier: Arc<dyn HistoryVerifier> =
        Arc::new(DirectoryVerifier::new(&signed_dir, &root.public()).unwrap());
    let clock = ManualClock::new(T0);
    let a = start_tag(4, clock.clone(), Some((signed_dir.clone(), verifier))).await;
    let mut c = Client::connect(a).await.unwrap();
    let (st, served) = c.get(routes::DIRECTORY).await.unwrap();
    assert_eq!(st, StatusCode::OK);
    assert_eq!(served.as_ref(), signed_dir.as_slice());

    let id = QrId::from_hex(&new_id(&mut c).await).unwrap();
    let now = clock.minute();
    let (blind, blinded) = blind_card(&keys[1].sign, &id, &[7; 16]).unwrap();
    let req = HistoryRequest {
        authority: 2,
        blinded: blinded.0,
        first: Slot(now.slot().0 - 27 * 48),
        last: now.slot(),
        issued: now,
        nonce: [7; 16],
    };
    let (st, body) = c
        .post(routes::TMP_KEYS_HISTORY, req.sign(&keys[1].sign))
        .await
        .unwrap();
    assert_eq!(st, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let j = json(&body);
    let list = j["evaluations"].as_array().unwrap();
    assert_eq!(list.len(), 27 * 48 + 1);
    let d = TagServerSecret::random(&mut rng(4)).tmp_deriver().unwrap();
    let h = |k: &str| {
        data_encoding::HEXLOWER
            .decode(list[0][k].as_str().unwrap().as_bytes())
            .unwrap()
    };
    let ev = Evaluation {
        element: h("evaluated").try_into().unwrap(),
        proof: h("proof").try_into().unwrap(),
    };
    assert_eq!(list[0]["slot"], req.first.0);
    assert_eq!(
        blind.tmp(req.first, &ev, &d.public()).unwrap(),
        d.tmp(&id, req.first),
        "the desk's unblinded key is the card's TMP key"
    );

    // signed by another authority's key, by the root, or altered: refused
    for bad in [req.sign(&keys[0].sign), req.sign(&root), {
        let mut t = req.sign(&keys[1].sign);
        t[10] ^= 1;
        t
    }] {
        let (st, body) = c.post(routes::TMP_KEYS_HISTORY, bad).await.unwrap();
        assert_eq!(
            st,
            StatusCode::FORBIDDEN,
            "{}",
            String::from_utf8_lossy(&body)
        );
        assert!(json(&body)["error"].is_string());
    }
    // replayed after the skew window
    clock.set(T0 + 3600);
    let (st, _) = c
        .post(routes::TMP_KEYS_HISTORY, req.sign(&keys[1].sign))
        .await
        .unwrap();
    assert_eq!(st, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_headers_and_idle_connections_are_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let limits = spur_server::limits::Limits {
        header_timeout: std::time::Duration::from_secs(1),
        connection_lifetime: std::time::Duration::from_secs(3),
        ..test_limits()
    };
    let addr = common::start_tag(5, ManualClock::new(T0), None, limits).await;

    // Headers that never finish: closed after the header timeout.
    let start = std::time::Instant::now();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("POST {} HTTP/1.1\r\nhost: x\r\n", routes::TMP_KEYS).as_bytes())
        .await
        .unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf).await;
    let t = start.elapsed();
    assert!(
        t >= std::time::Duration::from_millis(900) && t < std::time::Duration::from_secs(3),
        "{t:?}"
    );

    // A keep-alive connection that sits idle is closed by the lifetime bound at the latest.
    let start = std::time::Instant::now();
    let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
    c.write_all(format!("GET {} HTTP/1.1\r\nhost: x\r\n\r\n", routes::HEALTH).as_bytes())
        .await
        .unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), c.read_to_end(&mut buf)).await;
    assert!(String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 200"));
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}
