//! The storage trait's contract, run against SQLite and PostgreSQL alike.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{open, stored_record as rec, stored_slot as slot, Backend};
use spur_protocol::record::RecordKind;
use spur_protocol::time::Day;
use spur_server::post::retention::keep_from;
use spur_server::store::{ExportRow, Position, StoreError, Write};

fn all(ts: &common::TestStore) -> Vec<ExportRow> {
    ts.store
        .export(&Position::default(), Day(u32::MAX >> 1), 1_000_000)
        .unwrap()
}

fn insert_is_idempotent_and_conflicts_are_refused(b: Backend) {
    let Some(ts) = open(b) else { return };
    let s = slot(1);
    ts.store
        .write(Day(100), vec![Write::Insert(s.clone())])
        .unwrap();
    ts.store
        .write(Day(100), vec![Write::Insert(s.clone())])
        .unwrap();
    // a retry on a later day is still the same record, stored once
    ts.store
        .write(Day(101), vec![Write::Insert(s.clone())])
        .unwrap();
    assert_eq!(ts.store.count().unwrap(), 1);

    let place = rec(RecordKind::Place, vec![7; 16], 2);
    ts.store
        .write(Day(100), vec![Write::Insert(place.clone())])
        .unwrap();
    let other = rec(RecordKind::Place, vec![7; 16], 3);
    let e = ts
        .store
        .write(Day(100), vec![Write::Insert(other)])
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict { index: 0 }), "{e:?}");
    assert_eq!(
        ts.store.get(RecordKind::Place, &[7; 16]).unwrap(),
        Some(place)
    );
    assert_eq!(ts.store.get(RecordKind::Personal, &[7; 16]).unwrap(), None);
}

fn a_request_is_all_or_nothing(b: Backend) {
    let Some(ts) = open(b) else { return };
    let place = rec(RecordKind::Place, vec![1; 16], 10);
    ts.store.write(Day(5), vec![Write::Insert(place)]).unwrap();
    let batch = vec![
        Write::Insert(slot(11)),
        Write::Insert(slot(12)),
        Write::Insert(rec(RecordKind::Place, vec![1; 16], 13)),
    ];
    let e = ts.store.write(Day(5), batch).unwrap_err();
    assert!(matches!(e, StoreError::Conflict { index: 2 }), "{e:?}");
    assert_eq!(
        ts.store.count().unwrap(),
        1,
        "nothing of the refused batch stays"
    );
}

fn registrations_replace_and_leave_tombstones(b: Backend) {
    let Some(ts) = open(b) else { return };
    let handle = vec![9u8; 32];
    let r1 = rec(RecordKind::Registration, handle.clone(), 20);
    let r2 = rec(RecordKind::Registration, handle.clone(), 21);
    ts.store.write(Day(10), vec![Write::Replace(r1)]).unwrap();
    ts.store
        .write(Day(12), vec![Write::Replace(r2.clone())])
        .unwrap();
    let rows = all(&ts);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].day,
        Day(12),
        "a refresh moves the record to its day"
    );
    assert_eq!(rows[0].record, r2);

    let mut t = rec(RecordKind::RegistrationDelete, handle.clone(), 22);
    t.body.clear();
    ts.store
        .write(Day(13), vec![Write::Tombstone(t.clone())])
        .unwrap();
    ts.store
        .write(Day(13), vec![Write::Tombstone(t.clone())])
        .unwrap();
    let rows = all(&ts);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].record, t);
    assert_eq!(
        ts.store.get(RecordKind::Registration, &handle).unwrap(),
        None
    );

    // registering again removes the tombstone
    let r3 = rec(RecordKind::Registration, handle.clone(), 23);
    ts.store
        .write(Day(14), vec![Write::Replace(r3.clone())])
        .unwrap();
    let rows = all(&ts);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].record, r3);
}

fn export_pages_in_order_and_resumes(b: Backend) {
    let Some(ts) = open(b) else { return };
    let mut expected = Vec::new();
    for day in [30u32, 31, 32] {
        let batch: Vec<Write> = (0..25)
            .map(|i| Write::Insert(slot(u64::from(day) * 100 + i)))
            .collect();
        for w in &batch {
            if let Write::Insert(r) = w {
                expected.push((day, r.kind as u8, r.key.clone()));
            }
        }
        ts.store.write(Day(day), batch).unwrap();
    }
    expected.sort();
    let mut got = Vec::new();
    let mut pos = Position::default();
    loop {
        let page = ts.store.export(&pos, Day(32), 7).unwrap();
        for r in &page {
            got.push((r.day.0, r.record.kind as u8, r.record.key.clone()));
        }
        match page.last() {
            Some(last) if page.len() == 7 => pos = Position::after(last),
            _ => break,
        }
    }
    assert_eq!(got, expected);
    // `through` bounds the days
    assert_eq!(
        ts.store
            .export(&Position::default(), Day(30), 1000)
            .unwrap()
            .len(),
        25
    );
    assert_eq!(
        ts.store
            .export(&Position::start_of(Day(32)), Day(40), 1000)
            .unwrap()
            .len(),
        25
    );
}

fn retention_sweep_deletes_exactly_the_old_days(b: Backend) {
    let Some(ts) = open(b) else { return };
    let today = Day(20_100);
    for age in [0u32, 1, 26, 27, 28, 29, 40] {
        ts.store
            .write(
                Day(today.0 - age),
                vec![Write::Insert(slot(u64::from(age)))],
            )
            .unwrap();
    }
    let removed = ts.store.sweep(keep_from(today)).unwrap();
    assert!(removed >= 3, "removed {removed}");
    let mut ages: Vec<u32> = all(&ts).iter().map(|r| today.0 - r.day.0).collect();
    ages.sort_unstable();
    assert_eq!(
        ages,
        vec![0, 1, 26, 27],
        "28 days or older are gone, younger stay"
    );
    // sweeping again changes nothing, and writes to today still work afterwards
    ts.store.sweep(keep_from(today)).unwrap();
    ts.store
        .write(today, vec![Write::Insert(slot(99))])
        .unwrap();
    assert_eq!(ts.store.count().unwrap(), 5);
}

fn concurrent_identical_uploads_store_once(b: Backend) {
    let Some(ts) = open(b) else { return };
    let s = slot(77);
    let mut handles = Vec::new();
    for _ in 0..16 {
        let store = ts.store.clone();
        let s = s.clone();
        handles.push(std::thread::spawn(move || {
            store.write(Day(50), vec![Write::Insert(s)]).unwrap()
        }));
    }
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(ts.store.count().unwrap(), 1);
}

fn reupload_never_restarts_retention(b: Backend) {
    let Some(ts) = open(b) else { return };
    // A place and a personal record, a visit entry and a registration, each uploaded again
    // (byte for byte) days later: every one keeps its first day.
    let place = rec(RecordKind::Place, vec![4; 16], 30);
    let personal = rec(RecordKind::Personal, vec![5; 16], 32);
    let visit = slot(33);
    let registration = rec(RecordKind::Registration, vec![6; 32], 34);
    let writes = || {
        vec![
            Write::Insert(place.clone()),
            Write::Insert(personal.clone()),
            Write::Insert(visit.clone()),
            Write::Replace(registration.clone()),
        ]
    };
    ts.store.write(Day(200), writes()).unwrap();
    ts.store.write(Day(210), writes()).unwrap();
    ts.store.write(Day(226), writes()).unwrap();
    let rows = all(&ts);
    assert_eq!(rows.len(), 4);
    for r in &rows {
        assert_eq!(r.day, Day(200), "{:?} moved to a later day", r.record.kind);
    }
    // So the sweep 28 days after the first upload removes them all.
    ts.store.sweep(keep_from(Day(228))).unwrap();
    assert_eq!(ts.store.count().unwrap(), 0, "nothing outlives its 28 days");

    // A delete sent twice keeps its tombstone's first day.
    let handle = vec![7u8; 32];
    let mut t = rec(RecordKind::RegistrationDelete, handle.clone(), 35);
    t.body.clear();
    ts.store
        .write(
            Day(300),
            vec![Write::Replace(rec(RecordKind::Registration, handle, 36))],
        )
        .unwrap();
    ts.store
        .write(Day(301), vec![Write::Tombstone(t.clone())])
        .unwrap();
    ts.store
        .write(Day(305), vec![Write::Tombstone(t.clone())])
        .unwrap();
    let rows = all(&ts);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].day, &rows[0].record), (Day(301), &t));

    // Another record under a taken QR id is still a conflict.
    ts.store
        .write(Day(400), vec![Write::Insert(place.clone())])
        .unwrap();
    let other = rec(RecordKind::Place, vec![4; 16], 31);
    let e = ts
        .store
        .write(Day(401), vec![Write::Insert(other)])
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict { index: 0 }), "{e:?}");
}

on_both_backends_blocking!(
    insert_is_idempotent_and_conflicts_are_refused,
    a_request_is_all_or_nothing,
    registrations_replace_and_leave_tombstones,
    export_pages_in_order_and_resumes,
    retention_sweep_deletes_exactly_the_old_days,
    concurrent_identical_uploads_store_once,
    reupload_never_restarts_retention,
);

#[test]
fn sqlite_sweep_leaves_no_trace_of_deleted_bodies_in_the_files() {
    let ts = open(Backend::Sqlite).unwrap();
    let old = slot(500);
    let young = slot(501);
    ts.store
        .write(Day(100), vec![Write::Insert(old.clone())])
        .unwrap();
    ts.store
        .write(Day(200), vec![Write::Insert(young.clone())])
        .unwrap();
    ts.store.sweep(Day(150)).unwrap();
    let dir = ts.dir.as_ref().unwrap().path();
    let mut bytes = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        bytes.extend(std::fs::read(e.unwrap().path()).unwrap());
    }
    let has = |b: &[u8]| bytes.windows(b.len()).any(|w| w == b);
    assert!(has(&young.body), "the kept record is in the files");
    assert!(
        !has(&old.body),
        "the swept record's body is gone from the database and its WAL"
    );
}
