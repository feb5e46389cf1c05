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

/// TMP derivations per second on one thread, without HTTP.
pub fn tmp_baseline(seconds: u64) -> anyhow::Result<Phase> {
    let secret = TagServerSecret::random(&mut rand_core::OsRng);
    let d = secret.tmp_deriver()?;
    let id = secret.issue_qr_id(&spur_protocol::tag::QrCommitment::random(
        &mut rand_core::OsRng,
    ))?;
    let start = Instant::now();
    let mut n = 0u64;
    let mut sink = 0u8;
    while start.elapsed() < Duration::from_secs(seconds) {
        for s in 0..1000u32 {
            sink ^= d.tmp(&id, Slot(s)).expose()[0];
        }
        n += 1000;
    }
    std::hint::black_box(sink);
    Ok(Phase {
        ok: n,
        failed: 0,
        elapsed: start.elapsed(),
    })
}
