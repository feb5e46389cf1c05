//! Shared test harness: stores for both backends, servers on 127.0.0.1, record makers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod child;
pub mod client;

use std::net::SocketAddr;
use std::sync::Arc;

use rand_chacha::rand_core::{RngCore, SeedableRng};
use spur_protocol::record::{RecordKind, VERSION};
use spur_protocol::tag::TagServerSecret;
use spur_server::clock::{Clock, ManualClock};
use spur_server::limits::Limits;
use spur_server::post::{ExportToken, PostState};
use spur_server::store::postgres::PostgresStore;
use spur_server::store::sqlite::SqliteStore;
use spur_server::store::Store;
use spur_server::tag::{HistoryVerifier, TagState};

/// The export token the tests use.
pub const TOKEN: &str = "test-export-token-0123456789";

/// A day well after the epoch (2024-11-02).
pub const T0: u64 = 20_029 * 86_400 + 12 * 3600;

/// Which store a test runs against.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    /// SQLite in a temporary directory.
    Sqlite,
    /// PostgreSQL from SPUR_TEST_POSTGRES_URL, in a fresh schema.
    Postgres,
}

/// A store plus whatever keeps it alive.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    pub dir: Option<tempfile::TempDir>,
}

/// The PostgreSQL URL, shared with the vault's tests.
pub use spur_testkit::stores::postgres_url;

/// A fresh, empty store of `backend`; `None` when PostgreSQL is not available.
pub fn open(backend: Backend) -> Option<TestStore> {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let store = SqliteStore::open(&dir.path().join("post.sqlite")).unwrap();
            Some(TestStore {
                store: Arc::new(store),
                dir: Some(dir),
            })
        }
        Backend::Postgres => {
            let url = postgres_url()?;
            let mut r = [0u8; 8];
            rand_chacha::rand_core::OsRng.fill_bytes(&mut r);
            let schema = format!("t_{}", data_encoding::HEXLOWER.encode(&r));
            // The blocking PostgreSQL client must not run on an async worker thread.
            let store = tokio::task::block_in_place(|| {
                PostgresStore::open_in_schema(&url, &schema, 8).unwrap()
            });
            Some(TestStore {
                store: Arc::new(store),
                dir: None,
            })
        }
    }
}

/// Rows in the store (blocking call moved off the async worker).
pub fn count(store: &Arc<dyn Store>) -> u64 {
    tokio::task::block_in_place(|| store.count().unwrap())
}

/// Every stored record id, hex.
pub fn stored_ids(store: &Arc<dyn Store>) -> std::collections::HashSet<String> {
    tokio::task::block_in_place(|| {
        store
            .export(
                &Default::default(),
                spur_protocol::time::Day(u32::MAX >> 1),
                10_000_000,
            )
            .unwrap()
            .iter()
            .map(|r| data_encoding::HEXLOWER.encode(&r.record.id))
            .collect()
    })
}

/// Limits without a per-client rate (tests send bursts from one address).
pub fn test_limits() -> Limits {
    Limits {
        rate: None,
        ..Limits::default()
    }
}

/// A running POST server.
pub struct PostServer {
    pub addr: SocketAddr,
    pub clock: ManualClock,
    pub store: Arc<dyn Store>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl PostServer {
    /// Stops accepting, lets accepted requests finish.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            t.await.unwrap();
        }
    }
}

/// Starts a POST server on 127.0.0.1 over `store`.
pub async fn start_post(store: Arc<dyn Store>, limits: Limits) -> PostServer {
    let clock = ManualClock::new(T0);
    let state = PostState {
        store: store.clone(),
        clock: Arc::new(clock.clone()) as Arc<dyn Clock>,
        limits: limits.clone(),
        export_token: ExportToken::new(TOKEN),
        pins: Arc::new(spur_server::post::pin::Pins::ephemeral()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let router = spur_server::post::router(state);
    let task = tokio::spawn(async move {
        spur_server::serve(listener, router, &limits, async {
            let _ = rx.await;
        })
        .await;
    });
    PostServer {
        addr,
        clock,
        store,
        stop: Some(tx),
        task: Some(task),
    }
}

/// Starts a TAG server on 127.0.0.1 with the secret drawn from `secret_seed`, 24 slots of keys,
/// and the signed directory with its history verifier when given; returns its address.
pub async fn start_tag(
    secret_seed: u64,
    clock: ManualClock,
    dir: Option<(Vec<u8>, Arc<dyn HistoryVerifier>)>,
    limits: Limits,
) -> SocketAddr {
    let secret = TagServerSecret::random(&mut rng(secret_seed));
    let (d, h) = match dir {
        Some((d, h)) => (Some(d), Some(h)),
        None => (None, None),
    };
    let state =
        TagState::new(secret, Arc::new(clock) as Arc<dyn Clock>, 24, d, h, &limits).unwrap();
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let router = spur_server::tag::router(state, &limits);
    tokio::spawn(async move {
        spur_server::serve(l, router, &limits, std::future::pending()).await;
    });
    addr
}

/// A record of `kind` with random content (so every call is a distinct record).
pub fn record(kind: RecordKind, rng: &mut impl RngCore) -> Vec<u8> {
    let mut v = vec![0u8; kind.wire_len()];
    rng.fill_bytes(&mut v);
    v[0] = VERSION;
    v[1] = kind as u8;
    v
}

/// A seeded generator.
pub fn rng(seed: u64) -> rand_chacha::ChaCha20Rng {
    rand_chacha::ChaCha20Rng::seed_from_u64(seed)
}

/// Parses a JSON answer.
pub fn json(b: &[u8]) -> serde_json::Value {
    serde_json::from_slice(b).unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(b)))
}

/// Runs each named `async fn(Backend)` against SQLite and PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Postgres).await
                }
            )*
        }
    };
}

/// Runs each named blocking `fn(Backend)` against SQLite and PostgreSQL.
#[macro_export]
macro_rules! on_both_backends_blocking {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::common::Backend::Sqlite)
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::common::Backend::Postgres)
                }
            )*
        }
    };
}

/// A stored record of `kind` under `key` with an id and a 100-byte body drawn from `seed`.
pub fn stored_record(
    kind: RecordKind,
    key: Vec<u8>,
    seed: u64,
) -> spur_server::store::StoredRecord {
    let mut r = rng(seed);
    let mut id = [0u8; 32];
    r.fill_bytes(&mut id);
    let mut body = vec![0u8; 100];
    r.fill_bytes(&mut body);
    spur_server::store::StoredRecord {
        kind,
        key,
        id,
        body,
    }
}

/// A stored slot entry drawn from `seed`, keyed by its id as the POST server keys slot entries.
pub fn stored_slot(seed: u64) -> spur_server::store::StoredRecord {
    let mut r = stored_record(RecordKind::SlotEntry, vec![], seed);
    r.key = r.id.to_vec();
    r
}
