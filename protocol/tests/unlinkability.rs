//! Unlinkability (DESIGN.md property 1): two uploads by one user share no byte sequence beyond
//! what chance gives, records of a kind all have one size, and the same holds after the OP layer
//! is removed (for everything but the bucket the vault needs to index).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use spur_testkit::world as common;

use common::*;
use spur_protocol::record::check_wire;
use spur_protocol::record::visit::{CodeKind, SlotEntryBody, UserEntryBody};
use spur_protocol::record::RecordKind;

/// Length of the longest common substring (dynamic programming, O(n·m)).
fn longest_common_substring(a: &[u8], b: &[u8]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut best = 0;
    for &x in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            if x == y {
                cur[j + 1] = prev[j] + 1;
                best = best.max(cur[j + 1]);
            }
        }
        prev = cur;
    }
    best
}

/// For random byte strings of these lengths a common run of 5 bytes has odds below 1 in 10^6.
const CHANCE: usize = 4;

fn assert_unlinkable(records: &[Vec<u8>], what: &str) {
    for (i, a) in records.iter().enumerate() {
        for b in &records[i + 1..] {
            assert_eq!(a.len(), b.len(), "{what}: sizes differ");
            let l = longest_common_substring(a, b);
            assert!(
                l <= CHANCE,
                "{what}: {l} common bytes between two records of one user"
            );
        }
    }
}

#[test]
fn two_scans_of_one_user_share_nothing_beyond_chance() {
    let mut w = World::new(11);
    let alice = w.register("+4915100000001", "80331");
    let bob = w.register("+4915100000002", "80331");
    let p = w.place("Mensa", "80333");
    let q = w.place("Bibliothek", "80333");
    let mut alice_slots = Vec::new();
    let mut alice_users = Vec::new();
    // The same place twice in one day, another place, and the same slot as Bob.
    for (place, from, to) in [
        (&p, at(8, 0), at(9, 0)),
        (&p, at(12, 0), at(12, 45)),
        (&q, at(14, 10), at(14, 40)),
    ] {
        let v = w.visit(
            &alice,
            CodeKind::Place,
            &place.id,
            &place.tag,
            Some(place.region),
            from,
            to,
        );
        alice_slots.extend(v.slot_entries);
        alice_users.extend(v.user_entries);
    }
    let bob_visit = w.visit(
        &bob,
        CodeKind::Place,
        &p.id,
        &p.tag,
        Some(p.region),
        at(8, 0),
        at(9, 0),
    );

    // The 2-byte header (version, kind) is the same for every record of a kind, whoever made it.
    let strip = |v: &Vec<Vec<u8>>| v.iter().map(|r| r[2..].to_vec()).collect::<Vec<_>>();
    assert_unlinkable(&strip(&alice_slots), "slot entries");
    assert_unlinkable(&strip(&alice_users), "user entries");
    assert!(alice_slots
        .iter()
        .all(|r| r.len() == RecordKind::SlotEntry.wire_len()));
    assert!(alice_users
        .iter()
        .all(|r| r.len() == RecordKind::UserEntry.wire_len()));

    // After the OP layer: the bucket (slot, code kind, region) is what the vault indexes by and is
    // the same for every visitor of that bucket; everything after it is unlinkable.
    let scan_layers: Vec<Vec<u8>> = alice_slots
        .iter()
        .map(|r| {
            SlotEntryBody::open(&w.op, check_wire(r).unwrap().sealed)
                .unwrap()
                .scan_layer
        })
        .collect();
    assert_unlinkable(&scan_layers, "SCAN layers");
    let user_bodies: Vec<Vec<u8>> = alice_users
        .iter()
        .map(|r| {
            let b = UserEntryBody::open(&w.op, check_wire(r).unwrap().sealed).unwrap();
            [b.find_tag.to_vec(), b.auth_layer].concat()
        })
        .collect();
    assert_unlinkable(&user_bodies, "user entry bodies");

    // Alice's and Bob's entries in the same bucket look alike exactly as much as Alice's own do.
    let a0 = SlotEntryBody::open(&w.op, check_wire(&alice_slots[0]).unwrap().sealed).unwrap();
    let b0 = SlotEntryBody::open(
        &w.op,
        check_wire(&bob_visit.slot_entries[0]).unwrap().sealed,
    )
    .unwrap();
    assert_eq!(
        (a0.slot, a0.code_kind, a0.region),
        (b0.slot, b0.code_kind, b0.region)
    );
    assert!(longest_common_substring(&a0.scan_layer, &b0.scan_layer) <= CHANCE);
}

#[test]
fn sealing_the_same_bytes_twice_gives_unrelated_outputs() {
    let mut w = World::new(12);
    let pk = w.op.public();
    let a = pk.seal(&mut w.rng, "op/slot-entry", &[0u8; 131]).unwrap();
    let b = pk.seal(&mut w.rng, "op/slot-entry", &[0u8; 131]).unwrap();
    assert!(longest_common_substring(&a, &b) <= CHANCE);
}

#[test]
fn the_chance_bound_is_not_vacuous() {
    // The detector does see a shared run when there is one.
    let mut a = vec![0u8; 181];
    let mut b = vec![1u8; 181];
    a[50..56].copy_from_slice(b"linked");
    b[120..126].copy_from_slice(b"linked");
    assert_eq!(longest_common_substring(&a, &b), 6);
}
