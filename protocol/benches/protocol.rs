//! Protocol benchmarks: each operation beside the raw primitives it needs, measured interleaved
//! in the same run so the ratio holds on a noisy machine. `cargo bench -p spur-protocol [-- NAME]`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use sha2::Sha256;
use spur_protocol::fields::{PhoneNumber, Region};
use spur_protocol::keys::SealSecretKey;
use spur_protocol::record::visit::{
    build_visit, CodeKind, SlotEntryBody, SlotOpener, VisitInput, Visitor,
};
use spur_protocol::record::{check_wire, open_op, RecordKind};
use spur_protocol::tag::{QrId, ScanKey, TagKey};
use spur_protocol::time::{Day, Minute, Slot};
use spur_protocol::trace::find_tag_index;
use spur_protocol::usr::{FindKey, UsrKey, USR_KDF};
use x25519_dalek::{PublicKey, StaticSecret};

/// Median nanoseconds per call of `f`, over `rounds` rounds of `batch` calls.
fn median_ns(rounds: usize, batch: usize, mut f: impl FnMut()) -> f64 {
    let mut samples: Vec<f64> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..batch {
                f();
            }
            t.elapsed().as_nanos() as f64 / batch as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Runs subject and baseline interleaved (so both see the same machine load) and prints a row.
fn compare(
    name: &str,
    target: &str,
    batch: usize,
    mut subject: impl FnMut(),
    mut baseline: impl FnMut(),
) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(4);
    let (mut s, mut b) = (Vec::new(), Vec::new());
    subject();
    baseline();
    while Instant::now() < deadline || s.len() < 5 {
        s.push(median_ns(3, batch, &mut subject));
        b.push(median_ns(3, batch, &mut baseline));
    }
    s.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    let (sm, bm) = (s[s.len() / 2], b[b.len() / 2]);
    println!(
        "| {name} | {} | {} | {:.2}× | {target} |",
        fmt_ns(sm),
        fmt_ns(bm),
        sm / bm
    );
    sm
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// The raw cost of one sealed box: ephemeral key, agreement, AES-256-GCM of `len` bytes.
fn raw_seal(rng: &mut ChaCha20Rng, to: &PublicKey, len: usize) {
    let e = StaticSecret::random_from_rng(&mut *rng);
    let epk = PublicKey::from(&e);
    let shared = e.diffie_hellman(to);
    let c = Aes256Gcm::new_from_slice(shared.as_bytes()).unwrap();
    black_box((
        epk,
        c.encrypt(Nonce::from_slice(&[0; 12]), &vec![0u8; len][..])
            .unwrap(),
    ));
}

/// The raw cost of one AEAD encryption of `len` bytes under a fresh key.
fn raw_aead(key: &[u8; 32], len: usize) {
    let c = Aes256Gcm::new_from_slice(key).unwrap();
    black_box(
        c.encrypt(Nonce::from_slice(&[1; 12]), &vec![0u8; len][..])
            .unwrap(),
    );
}

fn main() {
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let on = |n: &str| filter.as_deref().is_none_or(|f| n.contains(f));
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let op = SealSecretKey::generate(&mut rng);
    let op_pk = op.public();
    let auth = SealSecretKey::generate(&mut rng);
    let auth_pk = auth.public();
    let raw_op = PublicKey::from(op_pk.to_bytes());
    let usr = UsrKey::from_bytes([5; 32]);

    println!("| operation | spur | baseline (raw primitives, same run) | ratio | target |");
    println!("|---|--:|--:|--:|---|");

    if on("seal") {
        let mut r2 = ChaCha20Rng::seed_from_u64(2);
        compare(
            "seal 131 B (sealed box)",
            "—",
            200,
            || {
                black_box(op_pk.seal(&mut rng, "op/slot-entry", &[0u8; 131]).unwrap());
            },
            || raw_seal(&mut r2, &raw_op, 131),
        );
        let sealed = op_pk.seal(&mut rng, "op/slot-entry", &[0u8; 131]).unwrap();
        let e = StaticSecret::random_from_rng(&mut r2);
        let epk = PublicKey::from(&e);
        let secret = StaticSecret::from(*op.to_bytes());
        compare(
            "open 131 B (sealed box)",
            "—",
            200,
            || {
                black_box(op.open("op/slot-entry", "OP", &sealed).unwrap());
            },
            || {
                let s = secret.diffie_hellman(&epk);
                let c = Aes256Gcm::new_from_slice(s.as_bytes()).unwrap();
                black_box(
                    c.encrypt(Nonce::from_slice(&[0; 12]), &[0u8; 131][..])
                        .unwrap(),
                );
            },
        );
    }

    let id = QrId([1; 16]);
    let tag = TagKey::from_bytes([2; 16]);
    let t0 = Minute(966_667 * 30); // slot-aligned, so 2 h = 4 slots
    let t1 = t0.plus(120);
    let keys: Vec<(Slot, ScanKey)> = Slot::covering(t0, t1)
        .map(|s| (s, ScanKey::from_bytes([s.0 as u8; 32])))
        .collect();
    assert_eq!(keys.len(), 4);
    let input = VisitInput {
        code_kind: CodeKind::Place,
        qr_id: id,
        tag: tag.clone(),
        region: Some(Region::parse("DE", Some("80331")).unwrap()),
        time_in: t0,
        time_out: t1,
        scan_keys: keys,
        find_index: 0,
    };
    let visitor = Visitor {
        usr: &usr,
        registration_id: [3; 16],
        home_authority: (1, &auth_pk),
        home_region: None,
    };
    if on("visit") {
        let raw_auth = PublicKey::from(auth_pk.to_bytes());
        let mut r2 = ChaCha20Rng::seed_from_u64(3);
        compare(
            "visit, 4 slots (4 slot entries + 1 user entry)",
            "≤ 1.3×",
            20,
            || {
                black_box(build_visit(&mut rng, &op_pk, &visitor, &input).unwrap());
            },
            || {
                for _ in 0..4 {
                    raw_seal(&mut r2, &raw_auth, 16);
                    raw_aead(&[7; 32], 86);
                    raw_seal(&mut r2, &raw_op, 131);
                }
                raw_aead(&[8; 32], 314);
                raw_seal(&mut r2, &raw_auth, 342);
                raw_seal(&mut r2, &raw_op, 422);
            },
        );
    }

    let visit = build_visit(&mut rng, &op_pk, &visitor, &input).unwrap();
    if on("op") {
        let wire = visit.slot_entries[0].clone();
        let secret = StaticSecret::from(*op.to_bytes());
        let epk = PublicKey::from(
            <[u8; 32]>::try_from(&check_wire(&wire).unwrap().sealed[..32]).unwrap(),
        );
        compare(
            "open OP layer of a slot entry",
            "—",
            200,
            || {
                black_box(
                    open_op(
                        &op,
                        RecordKind::SlotEntry,
                        check_wire(&wire).unwrap().sealed,
                    )
                    .unwrap(),
                );
            },
            || {
                let s = secret.diffie_hellman(&epk);
                let c = Aes256Gcm::new_from_slice(s.as_bytes()).unwrap();
                black_box(
                    c.encrypt(Nonce::from_slice(&[0; 12]), &[0u8; 131][..])
                        .unwrap(),
                );
            },
        );
    }

    if on("trial") {
        let body =
            SlotEntryBody::open(&op, check_wire(&visit.slot_entries[0]).unwrap().sealed).unwrap();
        let wrong = SlotOpener::new(&ScanKey::from_bytes([99; 32])).unwrap();
        let raw = Aes256Gcm::new_from_slice(&[99; 32]).unwrap();
        let layer = body.scan_layer.clone();
        let ns = compare(
            "trial-open one slot entry (key does not fit)",
            "≥ 1 M/s per core",
            20_000,
            || {
                black_box(wrong.try_open(black_box(&layer)));
            },
            || {
                black_box(
                    raw.decrypt(
                        Nonce::from_slice(&layer[..12]),
                        Payload {
                            msg: &layer[12..],
                            aad: b"scan/slot-entry",
                        },
                    )
                    .is_ok(),
                );
            },
        );
        println!(
            "|   → trial-open rate | {:.2} M entries/s | | | |",
            1e3 / ns
        );
    }

    if on("find") {
        let fk: Vec<(Day, FindKey)> = (0..14)
            .map(|d| (Day(20_000 + d), FindKey::from_bytes([d as u8; 32])))
            .collect();
        compare(
            "find-tag enumeration, 14 days (80,640 tags, indexed)",
            "—",
            1,
            || {
                black_box(find_tag_index(&fk));
            },
            || {
                for (_, k) in &fk {
                    for m in 0..1440u32 * 4 {
                        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(k.expose()).unwrap();
                        mac.update(&m.to_be_bytes());
                        black_box(mac.finalize());
                    }
                }
            },
        );
    }

    if on("argon2") {
        let phone = PhoneNumber::parse("+4915123456789").unwrap();
        let mut pw = [0u8; 16];
        rng.fill_bytes(&mut pw);
        let t = Instant::now();
        let n = 5;
        for _ in 0..n {
            black_box(UsrKey::derive(&phone, "correct horse battery staple", USR_KDF).unwrap());
        }
        let per = t.elapsed().as_secs_f64() / n as f64;
        println!(
            "| Argon2id USR key (64 MiB, 3 passes, 4 lanes) | {:.0} ms | RFC 9106 option 2 floor | | ≈ 200 ms |",
            per * 1e3
        );
    }
}
