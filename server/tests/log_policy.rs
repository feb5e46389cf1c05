//! The log field policy (docs/operations.md), enforced: every route of both servers (their
//! mounted lists, which `openapi_routes` keeps equal to `spur_wire::api::routes`) is driven over
//! real HTTP on 127.0.0.1 with marked inputs — addresses in `X-Forwarded-For` and `Forwarded`,
//! QR ids, key bytes and records, JSON and garbage bodies, query strings, bearer tokens, a phone
//! number — plus wrong methods, unknown paths, rate-limit and upload-budget refusals, a retention
//! sweep. The log, captured at `trace` as text and as JSON, must hold none of the markers (plain,
//! hex, base64) and must hold a route/status line for every route; the metrics page must hold
//! the expected series and none of the markers either.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::Method;
use data_encoding::{BASE64, BASE64URL_NOPAD, BASE64_NOPAD, HEXLOWER, HEXUPPER};
use spur_protocol::record::{RecordKind, VERSION};
use spur_server::clock::ManualClock;
use spur_server::limits::{Budget, Limits, Rate};
use spur_server::proxy::{parse_cidr, TrustedProxies};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tracing_subscriber::layer::SubscriberExt as _;

/// A shared in-memory log.
#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buf {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// The client behind the proxy, and the proxy's own hop; both must stay out of the log.
const CLIENT_IP: &str = "203.0.113.77";
const FORGED_IP: &str = "198.51.100.23";
const BUDGET_IP: &str = "192.0.2.199";
const CLIENT_V6: &str = "2001:db8:77::77";
/// Bytes every record body and key is filled with.
const KEY_BYTES: [u8; 8] = [0xa7, 0x5e, 0xc4, 0x11, 0x9b, 0x3d, 0x62, 0xf0];
/// A QR id the TAG server did not issue.
const QR_ID: &str = "5e77a1b2c3d4e5f60718293a4b5c6d7e";
const TOKEN_MARK: &str = "marker-token-Zq81LpX0vW";
const QUERY_MARK: &str = "qmark-Vb72TnYy";
const PATH_MARK: &str = "pmark-Kk40Rr";
const BODY_MARK: &str = "bodymark-Hh19Ee";
const PHONE: &str = "+4915112345678";

/// One raw HTTP/1.1 exchange (no client library: nothing in this process logs but the servers).
async fn send(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> (u16, Vec<u8>) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\nhost: spur.example\r\nconnection: close\r\n\
         content-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(out.len(), |p| p + 4);
    (status, out[split..].to_vec())
}

/// The headers every request carries: forwarded addresses, a bearer token, a phone number.
fn marked_headers(client: &str) -> Vec<(&'static str, String)> {
    vec![
        ("x-forwarded-for", format!("{FORGED_IP}, {client}")),
        ("forwarded", format!("for=\"[{CLIENT_V6}]:443\"")),
        ("authorization", format!("Bearer {TOKEN_MARK}")),
        ("user-agent", format!("spur-test {PHONE}")),
        ("content-type", "application/json".into()),
    ]
}

/// A record of `kind` whose bytes after the header are [`KEY_BYTES`] over and over (with
/// `salt` at the end so records differ).
fn marked_record(kind: RecordKind, salt: u8) -> Vec<u8> {
    let mut v: Vec<u8> = KEY_BYTES
        .iter()
        .copied()
        .cycle()
        .take(kind.wire_len())
        .collect();
    v[0] = VERSION;
    v[1] = kind as u8;
    if let Some(last) = v.last_mut() {
        *last = salt;
    }
    v
}

/// Every form a marker could take in a log: plain, hex both cases, base64 in three alignments.
fn forms(marker: &[u8]) -> Vec<String> {
    let mut f = vec![HEXLOWER.encode(marker), HEXUPPER.encode(marker)];
    if let Ok(s) = std::str::from_utf8(marker) {
        f.push(s.to_owned());
    }
    if marker.len() >= 6 {
        let rep: Vec<u8> = marker
            .iter()
            .copied()
            .cycle()
            .take(marker.len() * 4)
            .collect();
        for shift in 0..3 {
            for enc in [&BASE64, &BASE64_NOPAD, &BASE64URL_NOPAD] {
                let e = enc.encode(&rep[shift..shift + marker.len() * 3]);
                // Only the characters fully determined by this stretch (not its edges).
                f.push(e[4..e.len().saturating_sub(4)].to_owned());
            }
        }
    }
    f
}

fn ip_forms(ip: &str) -> Vec<Vec<u8>> {
    let a: std::net::IpAddr = ip.parse().unwrap();
    let octets = match a {
        std::net::IpAddr::V4(v) => v.octets().to_vec(),
        std::net::IpAddr::V6(v) => v.octets().to_vec(),
    };
    vec![ip.as_bytes().to_vec(), octets]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_identifier_reaches_the_log_or_the_metrics_and_every_route_is_logged() {
    let (text, json) = (Buf::default(), Buf::default());
    let (t, j) = (text.clone(), json.clone());
    let subscriber = tracing_subscriber::registry()
        .with(spur_server::log::filter("trace").unwrap())
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(move || t.clone()),
        )
        .with(
            tracing_subscriber::fmt::layer()
                .json()
                .flatten_event(true)
                .with_writer(move || j.clone()),
        );
    tracing::subscriber::set_global_default(subscriber).unwrap();

    // Both servers behind a trusted proxy (127.0.0.1): the forwarded client is the key.
    let limits = Limits {
        rate: Some(Rate {
            per_second: 0.001,
            burst: 400.0,
        }),
        upload_budget: Some(Budget {
            records: 100,
            window: Duration::from_secs(3600),
        }),
        trusted_proxies: TrustedProxies::new(vec![parse_cidr("127.0.0.1").unwrap()]),
        ..Limits::default()
    };
    let clock = ManualClock::new(common::T0);
    let tag = common::start_tag(7, clock, None, limits.clone()).await;
    let ts = common::open(common::Backend::Sqlite).unwrap();
    let post_server = common::start_post(ts.store.clone(), limits.clone()).await;
    let post = post_server.addr;

    let mut markers: Vec<Vec<u8>> = vec![
        KEY_BYTES.to_vec(),
        HEXLOWER.decode(QR_ID.as_bytes()).unwrap(),
        TOKEN_MARK.into(),
        common::TOKEN.into(),
        QUERY_MARK.into(),
        PATH_MARK.into(),
        BODY_MARK.into(),
        PHONE.into(),
    ];
    for ip in [CLIENT_IP, FORGED_IP, BUDGET_IP, CLIENT_V6] {
        markers.extend(ip_forms(ip));
    }

    let h = marked_headers(CLIENT_IP);
    let q = format!("?cursor={QUERY_MARK}&q={QUERY_MARK}");
    let json_body = serde_json::json!({
        "commitments": ["a75ec4119b3d62f0"],
        "qr_id": QR_ID,
        "slots": [spur_protocol::time::Slot::from_unix_seconds(common::T0).0],
        "check": HEXLOWER.encode(&[0xa7; 32]),
        "phone": PHONE,
        "note": BODY_MARK,
        "handle": HEXLOWER.encode(&KEY_BYTES),
    })
    .to_string();
    let garbage = format!("{BODY_MARK}{PHONE}\u{0}{QR_ID}").into_bytes();

    // TAG: issue an id for a marked commitment, then its TMP keys; both answers are markers too.
    let (st, b) = send(
        tag,
        "POST",
        spur_wire::api::routes::QR_IDS,
        &h,
        br#"{"commitments": ["a75ec4119b3d62f0"]}"#,
    )
    .await;
    assert_eq!(st, 200, "{}", String::from_utf8_lossy(&b));
    let issued: serde_json::Value = serde_json::from_slice(&b).unwrap();
    let issued = issued["qr_ids"][0].as_str().unwrap().to_owned();
    markers.push(HEXLOWER.decode(issued.as_bytes()).unwrap());
    let now_slot = spur_protocol::time::Slot::from_unix_seconds(common::T0).0;
    // The TMP keys of the issued id, asked for blinded (POPRF): the blinded element, the
    // evaluations and the proofs are markers too.
    let (_, blinded) = spur_protocol::tag::TmpRequest::new(
        &spur_protocol::tag::QrId::from_hex(&issued).unwrap(),
        &mut rand_core::OsRng,
    )
    .unwrap();
    markers.push(blinded.0.to_vec());
    let blinded = HEXLOWER.encode(&blinded.0);
    let body = serde_json::json!({"blinded": blinded, "slots": [now_slot]}).to_string();
    let (st, b) = send(
        tag,
        "POST",
        spur_wire::api::routes::TMP_KEYS,
        &h,
        body.as_bytes(),
    )
    .await;
    assert_eq!(st, 200, "{}", String::from_utf8_lossy(&b));
    let keys: serde_json::Value = serde_json::from_slice(&b).unwrap();
    let body = serde_json::json!({"blinded": blinded, "slots": [now_slot + 10_000]}).to_string();
    let (st, _) = send(
        tag,
        "POST",
        spur_wire::api::routes::TMP_KEYS,
        &h,
        body.as_bytes(),
    )
    .await;
    assert_eq!(st, 422, "a slot outside the server's window");
    for k in keys["evaluations"].as_array().unwrap() {
        for field in ["evaluated", "proof"] {
            markers.push(
                HEXLOWER
                    .decode(k[field].as_str().unwrap().as_bytes())
                    .unwrap(),
            );
        }
    }

    // Every route of both servers: marked JSON, garbage, every record kind, wrong method,
    // with the marked query string and headers.
    let servers = [
        (tag, spur_server::tag::routes().routes().to_vec()),
        (post, spur_server::post::routes().routes().to_vec()),
    ];
    let mut salt = 0u8;
    for (addr, routes) in &servers {
        for (method, route) in routes {
            let target = format!("{route}{q}");
            let m = method.as_str();
            let mut bodies: Vec<Vec<u8>> = vec![json_body.clone().into_bytes(), garbage.clone()];
            if *method == Method::POST {
                for kind in RecordKind::ALL {
                    salt = salt.wrapping_add(1);
                    bodies.push(marked_record(kind, salt));
                }
            }
            for body in &bodies {
                let (st, _) = send(*addr, m, &target, &h, body).await;
                // 503: the TAG server without a directory cannot check history requests.
                assert!((200..500).contains(&st) || st == 503, "{m} {route}: {st}");
            }
            let wrong = if *method == Method::GET {
                "POST"
            } else {
                "GET"
            };
            let (st, _) = send(*addr, wrong, &target, &h, b"").await;
            assert_eq!(st, 405, "{wrong} {route}");
        }
        let (st, _) = send(
            *addr,
            "GET",
            &format!("/v1/{PATH_MARK}/{QR_ID}{q}"),
            &h,
            b"",
        )
        .await;
        assert_eq!(st, 404);
    }
    // The export with the right token: rows full of marked bytes go out, none into the log.
    let mut auth = h.clone();
    auth.retain(|(k, _)| *k != "authorization");
    auth.push(("authorization", format!("Bearer {}", common::TOKEN)));
    let (st, b) = send(post, "GET", spur_wire::api::routes::EXPORT, &auth, b"").await;
    assert_eq!(st, 200);
    assert!(
        b.windows(KEY_BYTES.len()).any(|w| w == KEY_BYTES),
        "the marked records were stored and exported"
    );
    let (st, _) = send(
        post,
        "GET",
        &format!("{}{q}", spur_wire::api::routes::EXPORT),
        &auth,
        b"",
    )
    .await;
    assert_eq!(st, 400, "a marked cursor is refused");

    // Another client behind the proxy spends its upload budget; the first client floods.
    let hb = marked_headers(BUDGET_IP);
    let mut budget_refused = false;
    for i in 0..4u8 {
        let mut many = Vec::new();
        for k in 0..40u8 {
            many.extend(marked_record(
                RecordKind::SlotEntry,
                i.wrapping_mul(64).wrapping_add(k),
            ));
        }
        let (st, _) = send(post, "POST", spur_wire::api::routes::VISITS, &hb, &many).await;
        budget_refused |= st == 429;
    }
    assert!(budget_refused, "the budget of the second client ran out");
    let mut limited = false;
    for _ in 0..600 {
        let (st, _) = send(tag, "GET", spur_wire::api::routes::HEALTH, &h, b"").await;
        if st == 429 {
            limited = true;
            break;
        }
    }
    assert!(limited, "the flooding client was rate limited");

    // A retention sweep 40 days on: it deletes what was stored above.
    let sweeper = tokio::spawn(spur_server::post::retention::run(
        ts.store.clone(),
        Arc::new(ManualClock::new(common::T0 + 40 * 86_400)),
        Duration::from_secs(3600),
    ));
    tokio::time::sleep(Duration::from_millis(500)).await;
    sweeper.abort();

    // Metrics, scraped over HTTP from the metrics router.
    let ml = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let maddr = ml.local_addr().unwrap();
    tokio::spawn(spur_server::metrics::serve_on(ml, std::future::pending()));
    let (st, page) = send(maddr, "GET", spur_server::metrics::PATH, &[], b"").await;
    assert_eq!(st, 200);
    let page = String::from_utf8(page).unwrap();
    post_server.stop().await;

    let text = text.text();
    let json = json.text();
    std::io::stderr()
        .write_all(format!("log: {} text lines\n", text.lines().count()).as_bytes())
        .unwrap();
    for (what, hay) in [("text log", &text), ("JSON log", &json), ("metrics", &page)] {
        let lower = hay.to_lowercase();
        for m in &markers {
            for f in forms(m) {
                assert!(
                    !hay.contains(&f) && !lower.contains(&f.to_lowercase()),
                    "{what} holds the marker form {f:?}"
                );
            }
        }
    }

    // The log is not empty: a line per route with its status, and the refusals by reason.
    for (_, routes) in &servers {
        for (method, route) in routes {
            let line = text
                .lines()
                .find(|l| {
                    l.contains("spur::access")
                        && l.contains(&format!("route=\"{route}\""))
                        && l.contains(&format!("method=\"{method}\""))
                })
                .unwrap_or_else(|| panic!("no access line for {method} {route}"));
            assert!(line.contains("status="), "{line}");
            assert!(
                json.contains(&format!("\"route\":\"{route}\"")),
                "no JSON line for {route}"
            );
        }
    }
    for needle in [
        "route=\"unmatched\"",
        "reason=\"rate_limited\"",
        "reason=\"upload_budget\"",
        "reason=\"method_not_allowed\"",
        "reason=\"slot_out_of_window\"",
        "status=429",
        "retention sweep",
    ] {
        assert!(text.contains(needle), "the log lacks {needle}");
    }

    // The metrics: per-route counts and latencies, refusals by reason, store and sweeps.
    for needle in [
        "spur_http_requests_total{route=\"/v1/qr-ids\",method=\"POST\",status=\"200\"}",
        "spur_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"}",
        "spur_http_request_duration_seconds_count{route=\"/v1/visits\"}",
        "spur_http_rejects_total{route=\"/v1/health\",reason=\"rate_limited\"}",
        "spur_http_rejects_total{route=\"/v1/visits\",reason=\"upload_budget\"}",
        "spur_store_duration_seconds_count{op=\"write\",outcome=\"ok\"}",
        "spur_store_duration_seconds_count{op=\"export\",outcome=\"ok\"}",
        "spur_retention_sweeps_total{outcome=\"ok\"} 1",
        "spur_retention_swept_rows_total",
    ] {
        assert!(page.contains(needle), "the metrics lack {needle}:\n{page}");
    }
}
