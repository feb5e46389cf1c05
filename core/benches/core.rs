//! The app core's costs beside the protocol's, measured in the same run: check-in from a scanned
//! URL to the visit's bytes stored in the outbox (TMP keys at hand from an in-process transport,
//! so the network is excluded) against `build_visit` alone; the same with the send, the old
//! four-commit order (which offline scans still take), and with `synchronous = FULL`; and
//! opening the store with 28 days × 20 visits of history.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use rand_core::OsRng;
use spur_core::transport::{NetError, Transport};
use spur_core::App;
use spur_core::RegistrationForm;
use spur_core::Stay;
use spur_core::{Clock, ManualClock};
use spur_core::{Config, KdfChoice};
use spur_core::{Durability, Store};
use spur_protocol::directory::{Authority, Directory};
use spur_protocol::keys::{AuthorityKeys, SealSecretKey, SignSecretKey};
use spur_protocol::qr::{Code, Payload, PlaceCode};
use spur_protocol::record::visit::{build_visit, CodeKind, VisitInput, Visitor};
use spur_protocol::tag::{
    Blinded, Evaluation, QrId, TagKey, TagServerSecret, TmpDeriver, TmpRequest,
};
use spur_protocol::time::{Minute, Slot};
use spur_protocol::usr::{UsrKey, TEST_KDF};

/// TAG server and POST server in-process: keys derived at once, uploads accepted at once.
struct Local {
    dir: Vec<u8>,
    tmp: TmpDeriver,
    ids: TagServerSecret,
    /// Fail the next key fetch as offline (then answer again): drives the old order.
    fail_next_keys: AtomicBool,
}

/// A handle to [`Local`] (the trait is the core's, so it is implemented on a local type).
#[derive(Clone)]
struct Net(Arc<Local>);

impl Transport for Net {
    async fn directory(&self) -> Result<Vec<u8>, NetError> {
        Ok(self.0.dir.clone())
    }
    async fn qr_ids(
        &self,
        commitments: Vec<spur_protocol::tag::QrCommitment>,
    ) -> Result<Vec<QrId>, NetError> {
        Ok(commitments
            .iter()
            .map(|c| self.0.ids.issue_qr_id(c).unwrap())
            .collect())
    }
    async fn pin_check(&self, _id: QrId, _check: [u8; 32]) -> Result<bool, NetError> {
        Ok(true)
    }
    async fn tmp_keys(
        &self,
        blinded: Blinded,
        slots: Vec<Slot>,
    ) -> Result<Vec<(Slot, Evaluation)>, NetError> {
        if self.0.fail_next_keys.swap(false, Ordering::SeqCst) {
            return Err(NetError::Offline);
        }
        // The TAG server's work, in process: one POPRF evaluation with its proof per slot.
        Ok(slots
            .into_iter()
            .map(|s| {
                let (e, proof) = self.0.tmp.evaluate(&mut OsRng, &[blinded], s).unwrap();
                (
                    s,
                    Evaluation {
                        element: e[0],
                        proof,
                    },
                )
            })
            .collect())
    }
    async fn upload(&self, _route: &str, _body: Vec<u8>) -> Result<(), NetError> {
        Ok(())
    }
}

struct World {
    op: SealSecretKey,
    root: SignSecretKey,
    auth: AuthorityKeys,
    local: Arc<Local>,
    url: String,
    place: PlaceCode,
}

fn world() -> World {
    let op = SealSecretKey::generate(&mut OsRng);
    let root = SignSecretKey::generate(&mut OsRng);
    let auth = AuthorityKeys::generate(&mut OsRng);
    let ids = TagServerSecret::random(&mut OsRng);
    let dir = Directory {
        serial: 1,
        issued: Minute(0),
        tag_key: ids.tmp_deriver().unwrap().public(),
        default_authority: 1,
        authorities: vec![Authority {
            id: 1,
            name: "Gesundheitsamt".into(),
            seal: auth.seal.public(),
            sign: auth.sign.public(),
            ranges: vec![],
        }],
    };
    let mut place = PlaceCode {
        id: QrId([0; 16]),
        tag: TagKey::random(&mut OsRng),
        region: spur_protocol::fields::Region::parse("DE", Some("80331")).unwrap(),
        name: "Café Zur Post".into(),
    };
    place.id = ids.issue_qr_id(&place.commitment()).unwrap();
    let url = Payload {
        host: "spur.test".into(),
        code: Code::Place(place.clone()),
    }
    .to_url()
    .unwrap();
    let local = Arc::new(Local {
        dir: dir.sign(&root).unwrap(),
        tmp: ids.tmp_deriver().unwrap(),
        ids,
        fail_next_keys: AtomicBool::new(false),
    });
    World {
        op,
        root,
        auth,
        local,
        url,
        place,
    }
}

fn app(w: &World, path: &std::path::Path, clock: &ManualClock) -> App<Net> {
    let cfg = Config::parse(
        "spur.test",
        "http://127.0.0.1:1",
        "http://127.0.0.1:2",
        &data_encoding::HEXLOWER.encode(&w.op.public().to_bytes()),
        &data_encoding::HEXLOWER.encode(&w.root.public().to_bytes()),
        KdfChoice::Test,
    )
    .unwrap();
    App::new(
        Store::open(path).unwrap(),
        &[5u8; 32],
        Net(w.local.clone()),
        Arc::new(clock.clone()),
        cfg,
    )
    .unwrap()
}

/// 2026-11-20 12:00 UTC.
const T0: u64 = 20_777 * 86_400 + 12 * 3600;

fn check_in(c: &mut Criterion) {
    let w = world();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let a = app(&w, &dir.path().join("app.db"), &clock);
    let form = RegistrationForm {
        phone: "+4915123456789".into(),
        secret: zeroize::Zeroizing::new("ballot-quarry-tiptoe-lantern-minnow".into()),
        country: "DE".into(),
        postcode: Some("80331".into()),
        campus_id: None,
        birth_year: None,
    };
    assert!(rt.block_on(a.register(form)).unwrap());

    let mut g = c.benchmark_group("visit_60_min");
    // The protocol's cost of the same visit: 60 minutes from a slot start = 2 slots.
    let usr = UsrKey::derive(
        &spur_protocol::fields::PhoneNumber::parse("+4915123456789").unwrap(),
        "x",
        TEST_KDF,
    )
    .unwrap();
    let op = w.op.public();
    let seal = w.auth.seal.public();
    let protocol = || {
        let t0 = clock.minute();
        let slots: Vec<_> =
            Slot::covering(Minute(t0.0 / 30 * 30), Minute(t0.0 / 30 * 30 + 60)).collect();
        // TMP keys as the app gets them: blind once, the server's evaluation and proof per
        // slot (in process, as the bench's Net does), finalize and verify per slot.
        let pk = w.local.tmp.public();
        let (req, blinded) = TmpRequest::new(&w.place.id, &mut OsRng).unwrap();
        let keys = slots
            .iter()
            .map(|s| {
                let (e, proof) = w.local.tmp.evaluate(&mut OsRng, &[blinded], *s).unwrap();
                let ev = Evaluation {
                    element: e[0],
                    proof,
                };
                let tmp = req.tmp(*s, &ev, &pk).unwrap();
                (*s, w.place.tag.scan_key(&w.place.id, *s, &tmp).unwrap())
            })
            .collect();
        let visitor = Visitor {
            usr: &usr,
            registration_id: [1; 16],
            home_authority: (1, &seal),
            home_region: Some(w.place.region),
        };
        let input = VisitInput {
            code_kind: CodeKind::Place,
            qr_id: w.place.id,
            tag: w.place.tag.clone(),
            region: Some(w.place.region),
            time_in: Minute(t0.0 / 30 * 30),
            time_out: Minute(t0.0 / 30 * 30 + 60),
            scan_keys: keys,
            find_index: 0,
        };
        build_visit(&mut OsRng, &op, &visitor, &input).unwrap()
    };
    g.bench_function("protocol_build_visit", |b| b.iter(protocol));
    // One check-in per hour keeps every stay at two slots, like the baseline, and starts each
    // after the one before is over (a scan of the same code during its stay would merge).
    let next = || clock.set((clock.unix_seconds() / 3600 + 1) * 3600);
    // Payload → check-in kept with its keys (the issue's measure; since the time rules its
    // records are built when the stay is over, by the sync). The sync that ends, builds and
    // sends the stay before runs untimed before each timed accept, as in real use.
    let accept = |b: &mut criterion::Bencher<'_>| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                next();
                rt.block_on(a.sync()).unwrap();
                let t = Instant::now();
                rt.block_on(a.accept_check_in(&w.url, Stay::Minutes(60), None))
                    .unwrap();
                timed += t.elapsed();
            }
            timed
        })
    };
    g.bench_function("core_accept_check_in_to_outbox", accept);

    // The whole check-in as the shells call it: accept, then sync sends and marks it done.
    g.bench_function("core_check_in_and_send", |b| {
        b.iter(|| {
            next();
            rt.block_on(a.check_in(&w.url, Stay::Minutes(60), None))
                .unwrap()
        })
    });
    // Before: scan kept first, then keys stored, visit queued, sent — four commits. Offline
    // scans still go this way; here the first key fetch fails and the sync's succeeds.
    g.bench_function("core_check_in_four_commits_old_order", |b| {
        b.iter(|| {
            next();
            w.local.fail_next_keys.store(true, Ordering::SeqCst);
            let c = rt
                .block_on(a.check_in(&w.url, Stay::Minutes(60), None))
                .unwrap();
            assert!(!w.local.fail_next_keys.load(Ordering::SeqCst));
            c
        })
    });
    // The accept with every commit fsynced (survives a power cut too).
    a.set_durability(Durability::PowerLoss).unwrap();
    g.bench_function("core_accept_check_in_to_outbox_synchronous_full", accept);
    a.set_durability(Durability::AppKill).unwrap();
    g.finish();

    // Load from other work on a shared machine drifts during a run. Interleaving the baseline
    // and the accept round by round exposes both to the same load, so their ratio holds.
    let rounds = 400;
    let (mut base, mut core) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        std::hint::black_box(protocol());
        base.push(t.elapsed());
        next();
        rt.block_on(a.sync()).unwrap();
        let t = Instant::now();
        rt.block_on(a.accept_check_in(&w.url, Stay::Minutes(60), None))
            .unwrap();
        core.push(t.elapsed());
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (base, core) = (median(&mut base), median(&mut core));
    println!(
        "interleaved, {rounds} rounds, medians: protocol_build_visit {base:.2?}, \
         core_accept_check_in_to_outbox {core:.2?}: {:.2}× the protocol (target ≤ 1.5×)",
        core.as_secs_f64() / base.as_secs_f64()
    );
}

/// The TMP key's cost, old and new, beside the raw ristretto255 operations it is made of, in
/// one run: the HMAC derivation the TAG server used before, the server's POPRF evaluation with
/// its DLEQ proof (one slot), and the client's blind, finalize-with-verify and whole per-slot
/// work.
fn tmp_poprf(c: &mut Criterion) {
    use spur_protocol::poprf::primitives;
    let ids = TagServerSecret::random(&mut OsRng);
    let d = ids.tmp_deriver().unwrap();
    let pk = d.public();
    let id = QrId([7; 16]);
    let slot = Slot(1_000_000);
    let mut g = c.benchmark_group("tmp_poprf");
    let hmac_key = [9u8; 32];
    g.bench_function("old_hmac_tmp", |b| {
        b.iter(|| spur_protocol::crypto::hmac_sha256(&hmac_key, &[&id.0, &slot.0.to_be_bytes()]))
    });
    g.bench_function("raw_hash_to_group", |b| {
        b.iter(|| primitives::hash_to_group(&id.0).unwrap())
    });
    let p = primitives::hash_to_group(&id.0).unwrap();
    let k = primitives::random_scalar(&mut OsRng);
    g.bench_function("raw_scalar_mult", |b| b.iter(|| primitives::mul(&p, &k)));
    let (req, blinded) = TmpRequest::new(&id, &mut OsRng).unwrap();
    g.bench_function("server_evaluate_1_slot_with_proof", |b| {
        b.iter(|| d.evaluate(&mut OsRng, &[blinded], slot).unwrap())
    });
    g.bench_function("client_blind", |b| {
        b.iter(|| TmpRequest::new(&id, &mut OsRng).unwrap())
    });
    let (e, proof) = d.evaluate(&mut OsRng, &[blinded], slot).unwrap();
    let ev = Evaluation {
        element: e[0],
        proof,
    };
    g.bench_function("client_finalize_verify_1_slot", |b| {
        b.iter(|| req.tmp(slot, &ev, &pk).unwrap())
    });
    g.bench_function("client_per_slot_blind_finalize_verify", |b| {
        b.iter(|| {
            let (r, _) = TmpRequest::new(&id, &mut OsRng).unwrap();
            r.tmp(slot, &ev, &pk).is_err()
        })
    });
    g.finish();
}

fn open_store(c: &mut Criterion) {
    let w = world();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let clock = ManualClock::new(T0);
    {
        let a = app(&w, &path, &clock);
        let form = RegistrationForm {
            phone: "+4915123456789".into(),
            secret: zeroize::Zeroizing::new("ballot-quarry-tiptoe-lantern-minnow".into()),
            country: "DE".into(),
            postcode: None,
            campus_id: None,
            birth_year: None,
        };
        rt.block_on(a.register(form)).unwrap();
        // 28 days × 20 visits, going back from now.
        clock.set(T0 - 27 * 86_400);
        for _ in 0..28 {
            for _ in 0..20 {
                rt.block_on(a.check_in(&w.url, Stay::Minutes(30), None))
                    .unwrap();
                clock.set(clock.unix_seconds() + 40 * 60);
            }
            clock.set((clock.unix_seconds() / 86_400 + 1) * 86_400 + 8 * 3600);
        }
        clock.set(T0 + 3600);
        assert_eq!(a.history().unwrap().len(), 560);
    }
    c.bench_function("open_store_560_history_rows", |b| {
        b.iter(|| {
            let a = app(&w, &path, &clock);
            let h = a.history().unwrap();
            assert_eq!(h.len(), 560);
            h
        })
    });
}

criterion_group!(benches, tmp_poprf, check_in, open_store);
criterion_main!(benches);
