//! Vault benchmarks, each printed beside a baseline measured in the same run:
//!
//! - `import`: OP layers opened per second on one core (slot and user entries of real visits),
//!   beside the raw X25519 rate of the same core; then a whole import into SQLite on all cores.
//! - `trace`: one trace for an infected person with 14 days × 10 visits against a vault holding
//!   `SPUR_BENCH_SLOTS` slot entries (default 10 million): consent intake (find-tag enumeration
//!   and lookups) and the trace (bucket lookups and trial opening), the vault's steps only.
//!
//! - `stats`: the statistics over the same large vault, beside a bare scan of the slot entries and
//!   beside the same counts as one SQL `GROUP BY`.
//!
//! `cargo bench -p spur-vault --bench vault -- import|trace|stats`. The large vault is built once into
//! `$CARGO_TARGET_DIR/bench-vault-<n>.db` by bulk inserts of pre-built OP-opened rows (random
//! SCAN layers and find-tags, which open under no key, as other people's entries do), in slot order.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Instant;

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use spur_protocol::consent::{ConsentCode, ConsentTerms};
use spur_protocol::directory::{Authority, Directory};
use spur_protocol::export::{encode, parse, ExportRow};
use spur_protocol::fields::{PhoneNumber, Region};
use spur_protocol::keys::{AuthorityKeys, SealSecretKey};
use spur_protocol::record::consent_release::{
    build_consent_release, ReleaseForAuthority, Releaser,
};
use spur_protocol::record::visit::{
    build_visit, open_user_auth_layer, open_visit, CodeKind, VisitInput, Visitor,
};
use spur_protocol::record::SLOT_SCAN_LAYER;
use spur_protocol::tag::{QrId, TagKey, TagServerSecret};
use spur_protocol::time::{Day, Minute, Slot};
use spur_protocol::usr::{UsrKey, TEST_KDF};
use spur_vault::export_file::row_from_upload;
use spur_vault::import::{import_file, open_rows};
use spur_vault::store::sqlite::SqliteStore;
use spur_vault::store::{bucket_of, ConsentRow, Opened, SlotRow, Store, UserRow};
use spur_wire::exchange::Hex;
use spur_wire::exchange::{ScanKeyFile, ScanStay};
use x25519_dalek::{PublicKey, StaticSecret};

const FIRST_DAY: u32 = 20_758;

struct World {
    rng: ChaCha20Rng,
    op: SealSecretKey,
    auth: AuthorityKeys,
    tag_server: TagServerSecret,
}

impl World {
    fn new() -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let op = SealSecretKey::generate(&mut rng);
        let auth = AuthorityKeys::generate(&mut rng);
        let tag_server = TagServerSecret::random(&mut rng);
        Self {
            rng,
            op,
            auth,
            tag_server,
        }
    }

    fn user(&self, i: u32) -> UsrKey {
        UsrKey::derive(
            &PhoneNumber::parse(&format!("+49151{i:08}")).unwrap(),
            "secret",
            TEST_KDF,
        )
        .unwrap()
    }

    /// One visit's uploads: slot entries and user entries.
    fn visit(
        &mut self,
        usr: &UsrKey,
        id: QrId,
        tag: &TagKey,
        region: Region,
        from: Minute,
        to: Minute,
    ) -> Vec<Vec<u8>> {
        let tmp = self.tag_server.tmp_deriver().unwrap();
        let input = VisitInput {
            code_kind: CodeKind::Place,
            qr_id: id,
            tag: tag.clone(),
            region: Some(region),
            time_in: from,
            time_out: to,
            scan_keys: Slot::covering(from, to)
                .map(|s| (s, tag.scan_key(&id, s, &tmp.tmp(&id, s)).unwrap()))
                .collect(),
            find_index: 0,
        };
        let visitor = Visitor {
            usr,
            registration_id: usr.registration_id().unwrap(),
            home_authority: (1, &self.auth.seal.public()),
            home_region: Some(region),
        };
        let v = build_visit(&mut self.rng, &self.op.public(), &visitor, &input).unwrap();
        v.slot_entries.into_iter().chain(v.user_entries).collect()
    }
}

fn region(i: u32) -> Region {
    Region::parse("DE", Some(&format!("{}", 80_000 + i))).unwrap()
}

fn bench_import() {
    let mut w = World::new();
    let usr = w.user(1);
    let tag = TagKey::random(&mut w.rng);
    let id = w
        .tag_server
        .issue_qr_id(&spur_protocol::tag::QrCommitment::random(&mut w.rng))
        .unwrap();
    let visits = 1500u32;
    let mut rows: Vec<ExportRow> = Vec::new();
    for i in 0..visits {
        let from = Minute((FIRST_DAY + i % 14) * 1440 + 600 + (i / 14) % 400);
        // 70 minutes: 3 slot entries and 1 user entry, as a typical stay.
        for up in w.visit(&usr, id, &tag, region(i % 50), from, from.plus(70)) {
            rows.push(row_from_upload(from.day(), &up).unwrap());
        }
    }
    let records = rows.len();
    let per_visit = records as f64 / f64::from(visits);
    println!("import: {visits} visits of 70 minutes = {records} records ({per_visit:.2} per visit: slot entries and a user entry)");

    // Raw X25519: one Diffie-Hellman per OP layer is the floor of opening.
    let secret = StaticSecret::random_from_rng(&mut w.rng);
    let points: Vec<PublicKey> = (0..2000)
        .map(|_| PublicKey::from(&StaticSecret::random_from_rng(&mut w.rng)))
        .collect();
    let mut best_dh = 0f64;
    let mut best_open = 0f64;
    for _ in 0..3 {
        let t = Instant::now();
        let mut acc = 0u8;
        for _ in 0..(records / points.len()).max(1) {
            for p in &points {
                acc ^= secret.diffie_hellman(p).as_bytes()[0];
            }
        }
        let n = (records / points.len()).max(1) * points.len();
        best_dh = best_dh.max(n as f64 / t.elapsed().as_secs_f64());
        std::hint::black_box(acc);
        let t = Instant::now();
        let opened = open_rows(&w.op, &rows, 1);
        best_open = best_open.max(records as f64 / t.elapsed().as_secs_f64());
        assert!(opened.iter().all(|o| !matches!(o, Opened::Unopened { .. })));
    }
    println!("  raw X25519 (one core):        {best_dh:>10.0} DH/s");
    println!(
        "  OP layers opened (one core):  {best_open:>10.0} records/s = {:.0} visits/s per core ({:.0}% of the X25519 rate)",
        best_open / per_visit,
        100.0 * best_open / best_dh
    );
    // A whole import: parse, open on every core, one SQLite transaction.
    let file = parse(&encode(&rows, false, "c")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("v.db")).unwrap();
    let threads = spur_vault::import::default_threads();
    let t = Instant::now();
    let c = import_file(&mut store, &w.op, &file, "bench", threads, Day(0)).unwrap();
    let s = t.elapsed().as_secs_f64();
    assert_eq!(c.new as usize, records);
    println!(
        "  whole import into SQLite ({threads} threads): {:.0} records/s, {:.0} visits/s",
        records as f64 / s,
        f64::from(visits) / s
    );
}

/// The workspace's target directory: `CARGO_TARGET_DIR` when it is absolute, else
/// `<workspace>/target`. Cargo runs a bench with the crate's folder as working directory, so a
/// relative `target` would point into `vault/target`, which does not exist in a fresh clone.
fn bench_target_dir() -> std::path::PathBuf {
    let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = crate_dir.parent().expect("vault/ sits in the workspace");
    match std::env::var_os("CARGO_TARGET_DIR").map(std::path::PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir,
        // A relative CARGO_TARGET_DIR is relative to where cargo was started; the workspace
        // root is the usual place.
        Some(dir) => workspace.join(dir),
        None => workspace.join("target"),
    }
}

/// Regions (postcodes) of the large vault's slot entries.
const BIG_VAULT_REGIONS: u32 = 500;

/// The large vault of `SPUR_BENCH_SLOTS` slot entries (default 10 million) in the target
/// directory, built once and kept for later runs: the store, its path and its slot-entry count.
fn big_vault() -> (SqliteStore, std::path::PathBuf, u64) {
    let total: u64 = std::env::var("SPUR_BENCH_SLOTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let regions = BIG_VAULT_REGIONS;
    let slots = 28 * 48u32;
    let path = bench_target_dir().join(format!("bench-vault-{total}.db"));
    let mut store = SqliteStore::open(&path).unwrap();
    let built = store.meta_get("bench_rows").unwrap();
    if built.as_deref() != Some(&total.to_string()) {
        println!(
            "building a vault of {total} slot entries in {} (once)",
            path.display()
        );
        let t = Instant::now();
        let mut rng = ChaCha20Rng::seed_from_u64(99);
        let per_slot = total / u64::from(slots);
        let mut batch = Vec::with_capacity(200_000);
        let mut users = Vec::with_capacity(200_000);
        for s in 0..slots {
            let slot = FIRST_DAY * 48 + s;
            for _ in 0..per_slot {
                let mut id = [0u8; 32];
                rng.fill_bytes(&mut id);
                let mut layer = vec![0u8; SLOT_SCAN_LAYER];
                rng.fill_bytes(&mut layer);
                let r = region(rng.next_u32() % regions).encode();
                batch.push(SlotRow {
                    id,
                    slot,
                    code_kind: 1,
                    bucket: bucket_of(1, r),
                    stat_region: r,
                    scan_layer: layer,
                });
                if rng.next_u32() % 4 == 0 {
                    // About one user entry per 4 slot entries, with random find-tags.
                    let mut tag = [0u8; 32];
                    rng.fill_bytes(&mut tag);
                    let mut auth = vec![0u8; spur_protocol::record::USER_AUTH_LAYER];
                    rng.fill_bytes(&mut auth);
                    users.push(UserRow {
                        id,
                        day: Day(slot / 48),
                        find_tag: tag,
                        auth_layer: auth,
                    });
                }
            }
            if batch.len() >= 150_000 || s + 1 == slots {
                store.bulk_slots(&batch).unwrap();
                store.bulk_users(&users).unwrap();
                batch.clear();
                users.clear();
            }
        }
        store.meta_set("bench_rows", &total.to_string()).unwrap();
        println!(
            "  built in {:.0} s (bulk inserts of pre-built rows, 150k per transaction, slot order)",
            t.elapsed().as_secs_f64()
        );
    }
    (store, path, total)
}

fn bench_trace() {
    let (mut store, _, _) = big_vault();
    let mut w = World::new();

    // The infected person: 14 days × 10 visits, each with 3 real contacts, added to the vault.
    let infected = w.user(1);
    let others: Vec<UsrKey> = (2..5).map(|i| w.user(i)).collect();
    let mut uploads = Vec::new();
    for d in 0..14u32 {
        for v in 0..10u32 {
            let id = w
                .tag_server
                .issue_qr_id(&spur_protocol::tag::QrCommitment::random(&mut w.rng))
                .unwrap();
            let tag = TagKey::random(&mut w.rng);
            let from = Minute((FIRST_DAY + d) * 1440 + 480 + v * 75);
            let reg = region((d * 10 + v) % BIG_VAULT_REGIONS);
            uploads.extend(w.visit(&infected, id, &tag, reg, from, from.plus(50)));
            for o in &others {
                uploads.extend(w.visit(o, id, &tag, reg, from.plus(10), from.plus(40)));
            }
        }
    }
    let rows: Vec<ExportRow> = uploads
        .iter()
        .map(|u| row_from_upload(Day(FIRST_DAY), u).unwrap())
        .collect();
    let file = parse(&encode(&rows, false, &format!("real-{}", w.rng.next_u32()))).unwrap();
    import_file(&mut store, &w.op, &file, "infected", 2, Day(0)).unwrap();
    let counts = store.counts().unwrap();
    println!(
        "trace: vault holds {} slot entries and {} user entries",
        counts.slot_entries, counts.user_entries
    );

    // Consent for the 14 days.
    let dir = Directory {
        serial: 1,
        issued: Minute(FIRST_DAY * 1440),
        tag_key: w.tag_server.tmp_deriver().unwrap().public(),
        default_authority: 1,
        authorities: vec![Authority {
            id: 1,
            name: "Gesundheitsamt".into(),
            seal: w.auth.seal.public(),
            sign: w.auth.sign.public(),
            ranges: vec![],
        }],
    };
    let mut nonce = [0u8; 16];
    w.rng.fill_bytes(&mut nonce);
    let now = Minute((FIRST_DAY + 14) * 1440);
    let phone = spur_protocol::fields::PhoneNumber::parse("+4915100000001").unwrap();
    let code = ConsentCode::issue(
        &w.auth.sign,
        &ConsentTerms {
            authority: 1,
            case_id: "BENCH-1",
            first_day: Day(FIRST_DAY),
            days: 14,
            issued: now,
            expires: now.plus(600),
        },
        nonce,
        &phone,
    )
    .unwrap();
    let verified = code.verify(&dir, now).unwrap();
    let person = Releaser {
        usr: &infected,
        home_authority: 1,
        phone: &phone,
        own_codes: &[],
    };
    let release = build_consent_release(&mut w.rng, &w.op.public(), &verified, &person).unwrap();
    let row = row_from_upload(now.day(), &release).unwrap();
    let consent = ConsentRow {
        id: row.id,
        day: row.day,
        case_id: "BENCH-1".into(),
        consenting_authority: 1,
        nonce,
        sealed: row.body,
    };

    // Vault step 1: consent intake.
    let t = Instant::now();
    let intake = spur_vault::consent::intake(&mut store, &w.op, &code, &[consent]).unwrap();
    let t_intake = t.elapsed().as_secs_f64();
    let found = &intake.package.candidates[0];
    println!(
        "  consent intake: {} find-tags enumerated and looked up, {} user entries found: {:.3} s",
        14 * 1440 * 4,
        found.user_entries.len(),
        t_intake
    );
    assert_eq!(found.user_entries.len(), 140);

    // The authority's step (not timed): open the user entries, make the SCAN-key file.
    let rel = ReleaseForAuthority::open(&w.auth.seal, &found.release_auth_part.0).unwrap();
    let enc: std::collections::HashMap<_, _> = rel.enc_keys.iter().cloned().collect();
    let stays: Vec<ScanStay> = found
        .user_entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let usr = open_user_auth_layer(&w.auth.seal, &e.auth_layer.0).unwrap();
            let seg = open_visit(&enc[&Minute(e.minute).day()], &usr).unwrap();
            ScanStay {
                stay: i as u32,
                code_kind: 1,
                bucket: Hex(Region::encode_opt(seg.region.as_ref()).to_vec()),
                time_in: seg.time_in.0,
                time_out: seg.time_out.0,
                own_code: false,
                keys: seg
                    .scan_keys
                    .iter()
                    .map(|(s, k)| (s.0, Hex(k.expose().to_vec())))
                    .collect(),
            }
        })
        .collect();
    let scan = ScanKeyFile {
        case_id: "BENCH-1".into(),
        nonce: Hex(nonce.to_vec()),
        stays,
        infected_ref: None,
        card_request: None,
    };

    // Vault step 2: the trace.
    let t = Instant::now();
    let out = spur_vault::trace::trace(&mut store, &scan, 1, |_| true)
        .unwrap()
        .packages;
    let t_trace = t.elapsed().as_secs_f64();
    let found: usize = out.values().map(|p| p.contacts.len()).sum();
    let keys: usize = scan.stays.iter().map(|s| s.keys.len()).sum();
    println!("  trace: {} stays, {keys} SCAN keys, {found} contact entries (infected's own included): {:.3} s", scan.stays.len(), t_trace);
    println!(
        "  vault's steps together: {:.3} s (target ≤ 2 s)",
        t_intake + t_trace
    );
    // Every real slot entry sits in one of the infected person's buckets and overlaps.
    let real = rows
        .iter()
        .filter(|r| r.kind == spur_protocol::record::RecordKind::SlotEntry)
        .count();
    assert_eq!(found, real);
}

/// The statistics over the large vault (raw counts per day and region, then the threshold), beside
/// two baselines from the same run: a bare scan of the slot entries' columns, and the same counts
/// as one SQL `GROUP BY` (how the store counted before it streamed the rows into a map).
fn bench_stats() {
    let (mut store, path, total) = big_vault();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let time = |f: &mut dyn FnMut() -> usize| {
        // Twice, the faster counting: the first run also warms the page cache for the others.
        (0..2)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let scan = time(&mut || {
        conn.query_row(
            "SELECT COUNT(*) + SUM(length(stat_region)) + SUM(slot) FROM slot_entries",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap() as usize
    });
    let group_by = time(&mut || {
        let mut st = conn
            .prepare("SELECT slot / 48 AS d, stat_region, COUNT(*) FROM slot_entries GROUP BY d, stat_region")
            .unwrap();
        let rows = st.query_map([], |r| r.get::<_, i64>(2)).unwrap();
        rows.count()
    });
    let stats = time(&mut || {
        let raw = store.raw_stats().unwrap();
        spur_vault::stats::table(&raw, 5).len()
    });
    println!(
        "stats: {total} slot entries: statistics {stats:.3} s | baseline bare scan {scan:.3} s \
         (ratio {:.2}) | SQL GROUP BY {group_by:.3} s (ratio {:.2})",
        stats / scan,
        stats / group_by
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let all = args.is_empty();
    if all || args.iter().any(|a| a == "import") {
        bench_import();
    }
    if all || args.iter().any(|a| a == "trace") {
        bench_trace();
    }
    if all || args.iter().any(|a| a == "stats") {
        bench_stats();
    }
}
