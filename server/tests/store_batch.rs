//! Group commit under contention: many requests land in one commit, some of them refused midway
//! (a conflict at their last write); each refused request leaves nothing and every other one is
//! stored whole — on SQLite (where a failing request makes the batch fall back to a savepoint per
//! request) and PostgreSQL alike.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Barrier};

use common::{open, stored_record as rec, stored_slot as slot, Backend};
use spur_protocol::record::RecordKind;
use spur_protocol::time::Day;
use spur_server::store::{StoreError, Write};

const REQUESTS: u64 = 64;

fn refused_requests_leave_nothing_and_the_rest_of_their_batch_commits(b: Backend) {
    let Some(ts) = open(b) else { return };
    let place = rec(RecordKind::Place, vec![1; 16], 1);
    ts.store
        .write(Day(9), vec![Write::Insert(place.clone())])
        .unwrap();
    let start = Arc::new(Barrier::new(REQUESTS as usize));
    let handles: Vec<_> = (0..REQUESTS)
        .map(|i| {
            let (store, start) = (ts.store.clone(), start.clone());
            std::thread::spawn(move || {
                let (a, b) = (slot(100 + 3 * i), slot(101 + 3 * i));
                // Every fourth request ends with another record under the taken place key.
                let last = if i % 4 == 0 {
                    rec(RecordKind::Place, vec![1; 16], 102 + 3 * i)
                } else {
                    slot(102 + 3 * i)
                };
                let writes = vec![
                    Write::Insert(a.clone()),
                    Write::Insert(b.clone()),
                    Write::Insert(last.clone()),
                ];
                start.wait();
                (i, store.write(Day(10), writes), [a, b, last])
            })
        })
        .collect();
    let mut stored = 1;
    for h in handles {
        let (i, result, records) = h.join().unwrap();
        let refused = i % 4 == 0;
        match result {
            Err(StoreError::Conflict { index: 2 }) if refused => {}
            Ok(()) if !refused => stored += 3,
            other => panic!("request {i}: {other:?}"),
        }
        for r in &records[..2] {
            let got = ts.store.get(r.kind, &r.key).unwrap();
            assert_eq!(got.is_some(), !refused, "request {i}");
        }
    }
    assert_eq!(ts.store.count().unwrap(), stored);
    assert_eq!(
        ts.store.get(RecordKind::Place, &[1; 16]).unwrap(),
        Some(place),
        "the first place record keeps its key"
    );
}

on_both_backends_blocking!(refused_requests_leave_nothing_and_the_rest_of_their_batch_commits,);
