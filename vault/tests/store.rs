//! The store contract, run against SQLite and (when `SPUR_TEST_POSTGRES_URL` is set, as the test
//! script does) PostgreSQL: import is all-or-nothing and idempotent, every blob is kept once,
//! tombstones delete registrations, a bad file is refused whole, retention deletes old rows,
//! statistics count what was imported.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use spur_protocol::export::{encode, parse, record_id, ExportRow};
use spur_protocol::fields::{PhoneNumber, Region};
use spur_protocol::keys::{AuthorityKeys, SealSecretKey};
use spur_protocol::record::registration::{build_delete, ContactData, RegistrationBody};
use spur_protocol::record::visit::{build_visit, CodeKind, VisitInput, Visitor};
use spur_protocol::tag::{QrId, ScanKey, TagKey};
use spur_protocol::time::{Day, Minute, Slot};
use spur_protocol::usr::{UsrKey, TEST_KDF};
use spur_vault::export_file::row_from_upload;
use spur_vault::import::import_file;
use spur_vault::store::postgres::PostgresStore;
use spur_vault::store::sqlite::SqliteStore;
use spur_vault::store::Store;

const DAY: u32 = 20_777;

struct Fixture {
    op: SealSecretKey,
    rows: Vec<ExportRow>,
    delete: ExportRow,
}

fn fixture() -> Fixture {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let op = SealSecretKey::generate(&mut rng);
    let auth = AuthorityKeys::generate(&mut rng);
    let mut rows = Vec::new();
    let mut delete = None;
    for i in 0..6u32 {
        let phone = PhoneNumber::parse(&format!("+4915100000{i:03}")).unwrap();
        let usr = UsrKey::derive(&phone, "secret", TEST_KDF).unwrap();
        let region = Region::parse("DE", Some("80331")).unwrap();
        let contact = ContactData {
            phone,
            campus_id: None,
            region: Some(region),
            birth_year: None,
        };
        let body = RegistrationBody {
            registration_id: usr.registration_id().unwrap(),
            home_authority: 1,
            region: Some(region),
            sealed_contact: contact.seal(&mut rng, &auth.seal.public()).unwrap(),
        };
        let secret = usr.registration_secret().unwrap();
        rows.push(
            row_from_upload(
                Day(DAY),
                &body.build(&mut rng, &op.public(), &secret).unwrap(),
            )
            .unwrap(),
        );
        if i == 0 {
            delete = Some(row_from_upload(Day(DAY + 1), &build_delete(&secret)).unwrap());
        }
        let from = Minute(DAY * 1440 + 600 + i);
        let input = VisitInput {
            code_kind: CodeKind::Place,
            qr_id: QrId([9; 16]),
            tag: TagKey::from_bytes([1; 16]),
            region: Some(region),
            time_in: from,
            time_out: from.plus(60),
            scan_keys: Slot::covering(from, from.plus(60))
                .map(|s| (s, ScanKey::from_bytes([s.0 as u8; 32])))
                .collect(),
            find_index: 0,
        };
        let visitor = Visitor {
            usr: &usr,
            registration_id: usr.registration_id().unwrap(),
            home_authority: (1, &auth.seal.public()),
            home_region: Some(region),
        };
        let v = build_visit(&mut rng, &op.public(), &visitor, &input).unwrap();
        for w in v.slot_entries.iter().chain(&v.user_entries) {
            rows.push(row_from_upload(Day(DAY), w).unwrap());
        }
    }
    Fixture {
        op,
        rows,
        delete: delete.unwrap(),
    }
}

fn contract(store: &mut dyn Store) {
    let f = fixture();
    let (a, b) = f.rows.split_at(f.rows.len() / 2);
    // Two overlapping pulls: the second repeats the end of the first.
    let file1 = parse(&encode(a, true, "c1")).unwrap();
    let mut second = a[a.len() - 3..].to_vec();
    second.extend_from_slice(b);
    let file2 = parse(&encode(&second, false, "c2")).unwrap();
    let c1 = import_file(store, &f.op, &file1, "one", 2, Day(0)).unwrap();
    assert_eq!((c1.new, c1.duplicates, c1.unopened), (a.len() as u64, 0, 0));
    let c2 = import_file(store, &f.op, &file2, "two", 2, Day(0)).unwrap();
    assert_eq!(
        (c2.new, c2.duplicates),
        (b.len() as u64, 3),
        "each blob once"
    );
    let again = import_file(store, &f.op, &file1, "one", 2, Day(0)).unwrap();
    assert!(again.already_imported);
    let counts = store.counts().unwrap();
    assert_eq!(counts.registrations, 6);
    // 6 visits of 60 minutes from 10:00+i: 2 or 3 slots each.
    let slots: u64 = f
        .rows
        .iter()
        .filter(|r| r.kind == spur_protocol::record::RecordKind::SlotEntry)
        .count() as u64;
    assert_eq!(counts.slot_entries, slots);
    assert_eq!(counts.user_entries, 6);

    // Buckets: slot, kind, region.
    let region = Region::parse("DE", Some("80331")).unwrap().encode();
    let first = Slot((DAY * 1440 + 600) / 30);
    assert_eq!(store.slot_layers(first.0, 1, &region).unwrap().len(), 6);
    assert_eq!(
        store.slot_layers(first.0, 2, &region).unwrap().len(),
        0,
        "personal bucket is separate"
    );

    // A record the server accepted but whose OP layer does not open is kept apart, not lost.
    let mut garbage = f.rows[1].clone();
    garbage.body[40] ^= 1;
    garbage.id = record_id(garbage.kind, &[], &garbage.body);
    garbage.key = garbage.id.to_vec();
    let g = import_file(
        store,
        &f.op,
        &parse(&encode(&[garbage], false, "g")).unwrap(),
        "g",
        1,
        Day(0),
    )
    .unwrap();
    assert_eq!(g.unopened, 1);
    assert_eq!(store.counts().unwrap().unopened, 1);

    // The tombstone deletes the registration.
    let t = import_file(
        store,
        &f.op,
        &parse(&encode(std::slice::from_ref(&f.delete), false, "t")).unwrap(),
        "t",
        1,
        Day(0),
    )
    .unwrap();
    assert_eq!(t.new, 1);
    assert_eq!(store.counts().unwrap().registrations, 5);

    // Statistics see the day's registrations and slot entries.
    let raw = store.raw_stats().unwrap();
    let today: Vec<_> = raw
        .iter()
        .filter(|r| r.day == Day(DAY) && r.region == region)
        .collect();
    assert_eq!(today.len(), 1);
    assert_eq!(today[0].registrations, 5);
    assert_eq!(today[0].slot_entries, slots);

    // Nonces are used once.
    assert!(store.use_nonce(&[7; 16], "C-1", 1).unwrap());
    assert!(!store.use_nonce(&[7; 16], "C-1", 1).unwrap());
    assert_eq!(
        store.nonce_case(&[7; 16]).unwrap(),
        Some(("C-1".to_owned(), 1))
    );

    // Retention: 28 days later everything from DAY is gone.
    assert_eq!(
        store.sweep(Day(DAY)).unwrap(),
        0,
        "nothing is older than DAY"
    );
    assert!(store.sweep(Day(DAY + 2)).unwrap() > 0);
    let c = store.counts().unwrap();
    assert_eq!(
        (c.registrations, c.slot_entries, c.user_entries, c.unopened),
        (0, 0, 0, 0)
    );
}

#[test]
fn sqlite_store_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(&dir.path().join("v.db")).unwrap();
    contract(&mut s);
}

#[test]
fn postgres_store_keeps_the_contract() {
    let Some(url) = spur_testkit::stores::postgres_url() else {
        return;
    };
    let schema = format!("vault_test_{}", std::process::id());
    let mut s = PostgresStore::connect(&url, &schema).unwrap();
    contract(&mut s);
    drop(s);
    PostgresStore::drop_schema(&url, &schema).unwrap();
}

#[test]
fn a_bad_file_is_refused_whole_and_changes_nothing() {
    let f = fixture();
    let good = encode(&f.rows, false, "c");
    let mut cut = good.clone();
    cut.truncate(good.len() - 40);
    let mut flipped = good.clone();
    flipped[200] ^= 0x08;
    for (bad, why) in [(cut, "incomplete"), (flipped, "")] {
        let e = spur_vault::VaultError::from(parse(&bad).unwrap_err()).to_string();
        assert!(
            e.starts_with("export file refused, nothing imported"),
            "{e}"
        );
        assert!(e.contains(why), "{e}");
    }
}
