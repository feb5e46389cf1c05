//! The TMP key's cost, old and new, in one run and interleaved round by round (so machine load
//! hits all rows alike): the HMAC derivation the TAG server used before, the raw ristretto255
//! operations (hash-to-group, variable-base scalar multiplication), the server's POPRF
//! evaluation with its DLEQ proof for one slot, and the client's blind, finalize-with-verify and
//! whole per-slot work. `cargo bench -p spur-protocol --bench tmp_poprf`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use rand_core::OsRng;
use spur_protocol::poprf::primitives;
use spur_protocol::tag::{Evaluation, QrId, TagServerSecret, TmpRequest};
use spur_protocol::time::Slot;

/// One measured operation: its name, the closure and how many calls one run makes.
type Row<'a> = (&'static str, Box<dyn FnMut() + 'a>, usize);

/// Median nanoseconds per call of `f` over one batch.
fn batch_ns(batch: usize, f: &mut dyn FnMut()) -> f64 {
    let t = Instant::now();
    for _ in 0..batch {
        f();
    }
    t.elapsed().as_nanos() as f64 / batch as f64
}

fn main() {
    let secret = TagServerSecret::random(&mut OsRng);
    let d = secret.tmp_deriver().unwrap();
    let pk = d.public();
    let id = QrId([7; 16]);
    let slot = Slot(1_000_000);
    let hmac_key = [9u8; 32];
    let p = primitives::hash_to_group(&id.0).unwrap();
    let k = primitives::random_scalar(&mut OsRng);
    let (req, blinded) = TmpRequest::new(&id, &mut OsRng).unwrap();
    let (e, proof) = d.evaluate(&mut OsRng, &[blinded], slot).unwrap();
    let ev = Evaluation {
        element: e[0],
        proof,
    };
    let mut rows: Vec<Row<'_>> = vec![
        (
            "old: HMAC-SHA256 TMP derivation",
            Box::new(|| {
                std::hint::black_box(spur_protocol::crypto::hmac_sha256(
                    &hmac_key,
                    &[&id.0, &slot.0.to_be_bytes()],
                ));
            }),
            2000,
        ),
        (
            "raw: ristretto255 hash-to-group (SHA-512)",
            Box::new(|| {
                std::hint::black_box(primitives::hash_to_group(&id.0).is_ok());
            }),
            200,
        ),
        (
            "raw: ristretto255 variable-base scalar mult",
            Box::new(|| {
                std::hint::black_box(primitives::mul(&p, &k));
            }),
            200,
        ),
        (
            "server: POPRF evaluation + DLEQ proof, 1 slot",
            Box::new(|| {
                std::hint::black_box(d.evaluate(&mut OsRng, &[blinded], slot).unwrap());
            }),
            50,
        ),
        (
            "client: blind (hash-to-group + mult)",
            Box::new(|| {
                std::hint::black_box(TmpRequest::new(&id, &mut OsRng).unwrap());
            }),
            50,
        ),
        (
            "client: finalize + verify proof, 1 slot",
            Box::new(|| {
                std::hint::black_box(req.tmp(slot, &ev, &pk).unwrap());
            }),
            50,
        ),
        (
            "server's own unblinded evaluation (TmpDeriver::tmp)",
            Box::new(|| {
                std::hint::black_box(d.tmp(&id, slot));
            }),
            50,
        ),
    ];
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); rows.len()];
    let deadline = Instant::now() + Duration::from_secs(6);
    while Instant::now() < deadline || samples[0].len() < 5 {
        for (i, (_, f, batch)) in rows.iter_mut().enumerate() {
            samples[i].push(batch_ns(*batch, f.as_mut()));
        }
    }
    println!("| operation | median per call | calls/s on one core |");
    println!("|---|--:|--:|");
    for (i, (name, _, _)) in rows.iter().enumerate() {
        let s = &mut samples[i];
        s.sort_by(f64::total_cmp);
        let m = s[s.len() / 2];
        println!("| {name} | {:.2} µs | {:.0} |", m / 1000.0, 1e9 / m);
    }
}
