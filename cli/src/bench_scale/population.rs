//! A town's uploads at production shapes, generated once per size and reused by every step:
//! one registration per person, one check-in per person per day (by default) over 28 days, stays
//! of 20 to 120 minutes between 8:00 and 22:00 at places grouped in postcodes of about 10 000
//! people, uploaded as the app uploads them (one visit = its slot entries and user entries).
//!
//! The fast path: every record has its real OP layer (`SealPublicKey::seal`, fresh ephemeral key,
//! the layer the POST server stores and the vault opens) around a body of the real layout; the
//! layers inside it that only a SCAN key or the authority's key opens are random bytes of their
//! exact length, which is what other people's layers are to the vault. That is one sealed box per
//! record instead of two, on every core. The case (an infected person and their contacts, see
//! [`super::case`]) is built fully by the protocol's own `build_visit`.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use spur_protocol::fields::Region;
use spur_protocol::keys::SealPublicKey;
use spur_protocol::record::registration::RegistrationBody;
use spur_protocol::record::{
    RecordKind, CONTACT_SEALED, SLOT_SCAN_LAYER, USER_AUTH_LAYER, VERSION,
};
use spur_protocol::time::{Day, Minute, Slot};
use spur_protocol::usr::RegistrationSecret;

/// The first day of the simulated 28 days.
pub const FIRST_DAY: u32 = 20_758;
/// Days the POST server keeps uploads.
pub const DAYS: u32 = 28;
/// People per postcode (Germany: about 83 M people in about 8 200 postcodes).
pub const PEOPLE_PER_REGION: u32 = 10_000;
/// Average records one check-in makes with 20–120-minute stays (slots covered plus a user entry),
/// used only to size the town for a wanted record count.
const RECORDS_PER_VISIT: f64 = 4.3;

/// One upload as the app sends it.
#[derive(Clone)]
pub struct Upload {
    /// The day it is uploaded (the POST server's retention day).
    pub day: Day,
    /// A visit (slot entries and user entries) or a registration.
    pub visit: bool,
    /// The request body.
    pub body: Vec<u8>,
}

/// The generated town.
pub struct Population {
    /// Every upload, visits and registrations.
    pub uploads: Vec<Upload>,
    /// Records in all uploads.
    pub records: u64,
    /// Bytes of all uploads.
    pub bytes: u64,
    /// Registration ids of the first people (what a resolve asks for).
    pub registration_ids: Vec<[u8; 16]>,
}

/// The town's postcodes (German five-digit postcodes from 10000 on).
pub fn regions(n: u32) -> anyhow::Result<Vec<Region>> {
    (0..n)
        .map(|i| {
            Region::parse("DE", Some(&format!("{}", 10_000 + i % 80_000)))
                .map_err(|e| anyhow::anyhow!("postcode {i}: {e}"))
        })
        .collect()
}

/// People and postcodes for about `records` records at `checkins` per person per day.
pub fn shape(records: u64, checkins: u32) -> (u32, u32) {
    let per_person = f64::from(DAYS) * f64::from(checkins) * RECORDS_PER_VISIT + 1.0;
    let people = ((records as f64 / per_person).ceil() as u32).max(1);
    (people, people.div_ceil(PEOPLE_PER_REGION).max(1))
}

fn sealed(
    rng: &mut ChaCha20Rng,
    op: &SealPublicKey,
    kind: RecordKind,
    body: &[u8],
) -> anyhow::Result<Vec<u8>> {
    let s = op
        .seal(rng, kind.op_label(), body)
        .map_err(|e| anyhow::anyhow!("sealing a generated record: {e}"))?;
    let mut w = Vec::with_capacity(2 + s.len());
    w.extend_from_slice(&[VERSION, kind as u8]);
    w.extend(s);
    Ok(w)
}

fn random(rng: &mut ChaCha20Rng, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rng.fill_bytes(&mut v);
    v
}

/// One check-in of a person: its slot entries and user entry, in one upload body.
fn visit(
    rng: &mut ChaCha20Rng,
    op: &SealPublicKey,
    day: u32,
    region: &Region,
) -> anyhow::Result<Vec<u8>> {
    // Check-in between 8:00 and 20:00, stay 20–120 minutes.
    let from = Minute(day * 1440 + 480 + rng.next_u32() % 720);
    let to = from.plus(20 + rng.next_u32() % 101);
    let bucket = region.encode();
    let mut upload = Vec::new();
    for slot in Slot::covering(from, to) {
        let mut body = Vec::with_capacity(17 + SLOT_SCAN_LAYER);
        body.extend_from_slice(&slot.0.to_be_bytes());
        body.push(1); // a place code
        body.extend_from_slice(&bucket);
        body.extend(random(rng, SLOT_SCAN_LAYER));
        upload.extend(sealed(rng, op, RecordKind::SlotEntry, &body)?);
    }
    let mut body = random(rng, 32 + USER_AUTH_LAYER);
    body.truncate(32 + USER_AUTH_LAYER);
    upload.extend(sealed(rng, op, RecordKind::UserEntry, &body)?);
    Ok(upload)
}

/// A person's registration (real layout; the contact sealed to the authority is random bytes).
fn registration(
    rng: &mut ChaCha20Rng,
    op: &SealPublicKey,
    region: &Region,
) -> anyhow::Result<([u8; 16], Vec<u8>)> {
    let mut id = [0u8; 16];
    rng.fill_bytes(&mut id);
    let body = RegistrationBody {
        registration_id: id,
        home_authority: 1,
        region: Some(*region),
        sealed_contact: random(rng, CONTACT_SEALED),
    };
    let secret = RegistrationSecret::random(rng);
    let up = body
        .build(rng, op, &secret)
        .map_err(|e| anyhow::anyhow!("building a registration: {e}"))?;
    Ok((id, up))
}

/// The uploads of persons `from..to` (one thread's share).
fn people(
    seed: u64,
    op: &SealPublicKey,
    from: u32,
    to: u32,
    regions: &[Region],
    checkins: u32,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<(Vec<Upload>, Vec<[u8; 16]>)> {
    let n = regions.len().max(1);
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    let mut ids = Vec::new();
    for p in from..to {
        let Some(home) = regions.get(p as usize % n) else {
            anyhow::bail!("no postcodes");
        };
        let (id, up) = registration(&mut rng, op, home)?;
        ids.push(id);
        out.push(Upload {
            day: Day(FIRST_DAY),
            visit: false,
            body: up,
        });
        for d in 0..DAYS {
            for _ in 0..checkins {
                // Most check-ins near home, one in five elsewhere in the town.
                let r = if rng.next_u32() % 5 == 0 {
                    regions.get(rng.next_u32() as usize % n).unwrap_or(home)
                } else {
                    home
                };
                let body = visit(&mut rng, op, FIRST_DAY + d, r)?;
                out.push(Upload {
                    day: Day(FIRST_DAY + d),
                    visit: true,
                    body,
                });
            }
        }
        progress.inc(1);
    }
    Ok((out, ids))
}

/// Generates the town for about `records` records on `threads` threads.
pub fn generate(
    op: &SealPublicKey,
    records: u64,
    checkins: u32,
    threads: usize,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<Population> {
    let (n_people, n_regions) = shape(records, checkins);
    let regions = &regions(n_regions)?;
    progress.set_length(u64::from(n_people));
    let threads = threads.max(1) as u32;
    let per = n_people.div_ceil(threads);
    let parts = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (from, to) = ((t * per).min(n_people), ((t + 1) * per).min(n_people));
                s.spawn(move || {
                    people(
                        u64::from(t) + records,
                        op,
                        from,
                        to,
                        regions,
                        checkins,
                        progress,
                    )
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow::anyhow!("a generator thread failed"))?
            })
            .collect::<anyhow::Result<Vec<_>>>()
    })?;
    let mut pop = Population {
        uploads: Vec::new(),
        records: 0,
        bytes: 0,
        registration_ids: Vec::new(),
    };
    for (ups, ids) in parts {
        pop.uploads.extend(ups);
        pop.registration_ids.extend(ids);
    }
    pop.recount();
    Ok(pop)
}

impl Population {
    /// Counts records and bytes again (after the case's uploads were added).
    pub fn recount(&mut self) {
        self.records = self
            .uploads
            .iter()
            .map(|u| u64::from(spur_server::post::ingest::count_records(&u.body)))
            .sum();
        self.bytes = self.uploads.iter().map(|u| u.body.len() as u64).sum();
    }
}
