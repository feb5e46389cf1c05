//! The app core's costs beside the protocol's, measured in the same run:
//! check-in from a scanned URL to the visit's records stored (and handed to an in-process
//! transport that accepts at once, so the network is excluded and TMP keys are at hand) against
//! `build_visit` alone; and opening the store with 28 days × 20 visits of history.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use rand_core::OsRng;
use spur_core::checkin::Stay;
use spur_core::clock::{Clock, ManualClock};
use spur_core::config::{Config, KdfChoice};
use spur_core::register::RegistrationForm;
use spur_core::store::Store;
use spur_core::transport::{NetError, Transport};
use spur_core::App;
use spur_protocol::directory::{Authority, Directory};
use spur_protocol::keys::{AuthorityKeys, SealSecretKey, SignSecretKey};
use spur_protocol::qr::{Code, Payload, PlaceCode};
use spur_protocol::record::visit::{build_visit, CodeKind, VisitInput, Visitor};
use spur_protocol::tag::{QrId, TagKey, TagServerSecret, TmpDeriver, TmpKey};
use spur_protocol::time::{Minute, Slot};
use spur_protocol::usr::{UsrKey, TEST_KDF};

/// TAG server and POST server in-process: keys derived at once, uploads accepted at once.
struct Local {
    dir: Vec<u8>,
    tmp: TmpDeriver,
    ids: TagServerSecret,
}

/// A handle to [`Local`] (the trait is the core's, so it is implemented on a local type).
#[derive(Clone)]
struct Net(Arc<Local>);

impl Transport for Net {
    async fn directory(&self) -> Result<Vec<u8>, NetError> {
        Ok(self.0.dir.clone())
    }
    async fn qr_ids(&self, count: usize) -> Result<Vec<QrId>, NetError> {
        Ok((0..count)
            .map(|_| self.0.ids.issue_qr_id(&mut OsRng).unwrap())
            .collect())
    }
    async fn tmp_keys(&self, id: QrId, slots: Vec<Slot>) -> Result<Vec<(Slot, TmpKey)>, NetError> {
        Ok(slots
            .into_iter()
            .map(|s| (s, self.0.tmp.tmp(&id, s)))
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
    let dir = Directory {
        serial: 1,
        issued: Minute(0),
        default_authority: 1,
        authorities: vec![Authority {
            id: 1,
            name: "Gesundheitsamt".into(),
            seal: auth.seal.public(),
            sign: auth.sign.public(),
            ranges: vec![],
        }],
    };
    let ids = TagServerSecret::random(&mut OsRng);
    let place = PlaceCode {
        id: ids.issue_qr_id(&mut OsRng).unwrap(),
        tag: TagKey::random(&mut OsRng),
        region: spur_protocol::fields::Region::parse("DE", Some("80331")).unwrap(),
        name: "Café Zur Post".into(),
    };
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
        &hex::encode(w.op.public().to_bytes()),
        &hex::encode(w.root.public().to_bytes()),
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
        secret: zeroize::Zeroizing::new("Horse-Battery-Staple-9".into()),
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
    g.bench_function("protocol_build_visit", |b| {
        b.iter(|| {
            let t0 = clock.minute();
            let slots: Vec<_> =
                Slot::covering(Minute(t0.0 / 30 * 30), Minute(t0.0 / 30 * 30 + 60)).collect();
            let keys = slots
                .iter()
                .map(|s| {
                    (
                        *s,
                        w.place
                            .tag
                            .scan_key(&w.place.id, *s, &w.local.tmp.tmp(&w.place.id, *s))
                            .unwrap(),
                    )
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
        })
    });
    g.bench_function("core_check_in_to_outbox", |b| {
        b.iter(|| {
            // One check-in per half hour keeps every stay at two slots, like the baseline.
            clock.set((clock.unix_seconds() / 1800 + 1) * 1800);
            rt.block_on(a.check_in(&w.url, Stay::Minutes(60), None))
                .unwrap()
        })
    });
    // The same with the database in memory: what of the difference is file I/O.
    let mem = App::new(
        Store::in_memory().unwrap(),
        &[5u8; 32],
        Net(w.local.clone()),
        Arc::new(clock.clone()),
        a.config().clone(),
    )
    .unwrap();
    let form = RegistrationForm {
        phone: "+4915123456789".into(),
        secret: zeroize::Zeroizing::new("Horse-Battery-Staple-9".into()),
        country: "DE".into(),
        postcode: Some("80331".into()),
        campus_id: None,
        birth_year: None,
    };
    assert!(rt.block_on(mem.register(form)).unwrap());
    g.bench_function("core_check_in_to_outbox_in_memory_db", |b| {
        b.iter(|| {
            clock.set((clock.unix_seconds() / 1800 + 1) * 1800);
            rt.block_on(mem.check_in(&w.url, Stay::Minutes(60), None))
                .unwrap()
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
            secret: zeroize::Zeroizing::new("Horse-Battery-Staple-9".into()),
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

criterion_group!(benches, check_in, open_store);
criterion_main!(benches);
