//! The baselines of `spur bench server`, measured in the same run as the HTTP phases: TMP keys
//! derived directly, and the same visit blobs inserted directly into the same kind of store.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use spur_protocol::record::{RecordKind, VERSION};
use spur_protocol::tag::TagServerSecret;
use spur_protocol::time::Slot;
use spur_server::clock::{Clock, SystemClock};
use spur_server::post::ingest;
use spur_server::store::Store;

use super::drive::Phase;

fn record(kind: RecordKind, rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut v = vec![0u8; kind.wire_len()];
    rng.fill_bytes(&mut v);
    if let Some(h) = v.get_mut(..2) {
        h.copy_from_slice(&[VERSION, kind as u8]);
    }
    v
}

/// Visit number `i`: the same bytes every time it is asked for.
pub fn visit_n(slots: usize, i: u64) -> Vec<u8> {
    visit(slots, &mut ChaCha8Rng::seed_from_u64(i))
}

/// A visit upload of `slots` slot entries and one user entry, from `rng`.
pub fn visit(slots: usize, rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut body = Vec::new();
    for _ in 0..slots {
        body.extend(record(RecordKind::SlotEntry, rng));
    }
    body.extend(record(RecordKind::UserEntry, rng));
    body
}

/// Inserts visits directly through the store from `threads` threads, like the server's handlers
/// would, for `seconds` or `max` visits.
pub fn direct_insert(
    store: Arc<dyn Store>,
    threads: usize,
    seconds: u64,
    max: u64,
    slots: usize,
    offset: u64,
) -> anyhow::Result<Phase> {
    let issued = Arc::new(AtomicU64::new(0));
    let ok = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut handles = Vec::new();
    for _ in 0..threads {
        let (store, issued, ok) = (store.clone(), issued.clone(), ok.clone());
        handles.push(std::thread::spawn(move || -> anyhow::Result<()> {
            let day = SystemClock.day();
            loop {
                let i = issued.fetch_add(1, Ordering::Relaxed);
                if Instant::now() >= deadline || i >= max {
                    break;
                }
                let body = visit_n(slots, offset + i);
                let writes = ingest::visit(&body).map_err(|e| anyhow::anyhow!("{e}"))?;
                store.write(day, writes)?;
                ok.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        }));
    }
    for h in handles {
        h.join()
            .map_err(|_| anyhow::anyhow!("an insert thread failed"))??;
    }
    Ok(Phase {
        ok: ok.load(Ordering::Relaxed),
        failed: 0,
        elapsed: start.elapsed(),
    })
}

/// Runs `f` (one operation, returning a byte to keep the work alive) for `seconds` on one
/// thread, in batches of 100.
fn per_second(seconds: u64, mut f: impl FnMut(u32) -> u8) -> Phase {
    let start = Instant::now();
    let mut n = 0u64;
    let mut sink = 0u8;
    while start.elapsed() < Duration::from_secs(seconds) {
        for s in 0..100u32 {
            sink ^= f(s);
        }
        n += 100;
    }
    std::hint::black_box(sink);
    Phase {
        ok: n,
        failed: 0,
        elapsed: start.elapsed(),
    }
}

/// The TAG server's work per TMP key on one thread, without HTTP, in the same run: the POPRF
/// evaluation with its proof (what the server does now), the HMAC derivation it did before,
/// and the raw ristretto255 operations (hash-to-group, variable-base scalar multiplication).
pub fn tmp_baselines(seconds: u64) -> anyhow::Result<Vec<(&'static str, Phase)>> {
    use spur_protocol::poprf::primitives;
    let secret = TagServerSecret::random(&mut rand_core::OsRng);
    let d = secret.tmp_deriver()?;
    let id = secret.issue_qr_id(&spur_protocol::tag::QrCommitment::random(
        &mut rand_core::OsRng,
    ))?;
    let (_, blinded) = spur_protocol::tag::TmpRequest::new(&id, &mut rand_core::OsRng)?;
    let key = [7u8; 32];
    let p = primitives::hash_to_group(&id.0)?;
    let k = primitives::random_scalar(&mut rand_core::OsRng);
    Ok(vec![
        (
            "POPRF evaluation + DLEQ proof (now)",
            per_second(seconds, |s| {
                d.evaluate(&mut rand_core::OsRng, &[blinded], Slot(s))
                    .map(|(_, proof)| proof[0])
                    .unwrap_or(0)
            }),
        ),
        (
            "HMAC-SHA256 derivation (before)",
            per_second(seconds, |s| {
                spur_protocol::crypto::hmac_sha256(&key, &[&id.0, &s.to_be_bytes()])[0]
            }),
        ),
        (
            "raw ristretto255 hash-to-group",
            per_second(seconds, |s| {
                u8::from(std::hint::black_box(primitives::hash_to_group(&s.to_be_bytes())).is_ok())
            }),
        ),
        (
            "raw ristretto255 scalar mult",
            per_second(seconds, |_| primitives::mul(&p, &k)[0]),
        ),
    ])
}
