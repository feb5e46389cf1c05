//! Tracing on a simulated town (DESIGN.md property 2): 200 people, 30 places, printed personal
//! codes, 14 days. The contact lists the desks end up with hold exactly the people whose stays
//! overlap the infected person's at the same codes — precision and recall 100% — and nobody who
//! was at the same code in an adjacent slot, or at another place at the same time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use spur_protocol::time::Minute;

const DAYS: u32 = 14;

#[test]
fn tracing_a_simulated_town_finds_exactly_the_overlapping_people() {
    let tmp = tempfile::tempdir().unwrap();
    let mut t = Town::new(tmp.path(), 7);
    for i in 0..200u32 {
        let (postcode, campus) = if i % 10 < 7 {
            (
                format!("{}", 80_000 + (i * 37) % 2000),
                Some(format!("ga{i:05}")),
            )
        } else {
            (format!("{}", 10_000 + (i * 53) % 5000), None)
        };
        t.register(
            &format!("+49151{:08}", 1000 + i),
            &postcode,
            campus.as_deref(),
        );
    }
    let places: Vec<usize> = (0..30u32)
        .map(|i| {
            let pc = if i < 20 {
                format!("{}", 80_100 + i * 7)
            } else {
                format!("{}", 10_100 + i * 11)
            };
            t.place(&format!("Place {i}"), &pc)
        })
        .collect();
    // Printed cards of Munich residents; user 0 (the infected person) owns the first.
    let card_owners = [0usize, 3, 10, 21, 40, 52, 63, 91];
    let cards: Vec<usize> = card_owners.iter().map(|o| t.card(*o)).collect();

    // Roles around the infected person's first stay (place 0, day 0, 12:00–13:10).
    let infected = 0usize;
    let (overlap, same_slot, adjacent, other_place) = (195usize, 196usize, 197usize, 198usize);
    t.visit(infected, places[0], at(0, 12, 0), at(0, 13, 10));
    t.visit(overlap, places[0], at(0, 12, 40), at(0, 13, 30));
    t.visit(same_slot, places[0], at(0, 13, 15), at(0, 13, 45));
    t.visit(adjacent, places[0], at(0, 13, 10), at(0, 14, 0));
    t.visit(other_place, places[1], at(0, 12, 0), at(0, 13, 0));

    // Everyone else: about one visit every two days at a busy place, some card scans.
    for day in 0..DAYS {
        for u in 1..195usize {
            if t.random(100) >= 45 {
                continue;
            }
            let from = at(day, 8 + t.random(13), t.random(60));
            let to = from.plus(15 + t.random(165));
            let r = t.random(100);
            if r < 8 {
                let card = cards[t.random(cards.len() as u32) as usize];
                if t.codes[card].owner != Some(u) {
                    t.visit(u, card, from, from.plus(30));
                }
            } else {
                // Skewed towards the first places so that stays overlap.
                let p = places[(t.random(30) * t.random(30) / 30) as usize];
                t.visit(u, p, from, to);
            }
        }
        // The infected person: two stays a day (one at a card some days), plus the first one.
        for k in 0..2u32 {
            if day == 0 && k == 0 {
                continue;
            }
            let from = at(day, 9 + 6 * k + t.random(4), t.random(60));
            let to = from.plus(30 + t.random(150));
            let code = if k == 1 && day % 4 == 1 {
                cards[1 + (day as usize / 4) % 7]
            } else {
                places[t.random(10) as usize]
            };
            t.visit(infected, code, from, to);
        }
    }
    t.consent(infected, DAYS as u8, &[cards[0]]);
    t.import_all(700);

    let history = t.history(cards[0], DAYS);
    let lists = t.run_trace(&[history]);
    let expected = t.expected(infected, DAYS, &[cards[0]]);

    let got: BTreeMap<u16, BTreeSet<String>> = lists
        .iter()
        .map(|(a, l)| {
            (
                *a,
                l.people
                    .iter()
                    .map(|c| c.phone.clone())
                    .filter(|p| !p.is_empty())
                    .collect(),
            )
        })
        .filter(|(_, s): &(u16, BTreeSet<String>)| !s.is_empty())
        .collect();
    let total: usize = expected.values().map(BTreeSet::len).sum();
    assert!(
        total >= 20,
        "the town must give a real trace, got {total} contacts"
    );
    assert!(
        expected.contains_key(&BERLIN) && expected.contains_key(&MUNICH),
        "contacts in both cities"
    );
    for (a, phones) in &expected {
        let g = got.get(a).cloned().unwrap_or_default();
        let missed: Vec<_> = phones.difference(&g).collect();
        let extra: Vec<_> = g.difference(phones).collect();
        assert!(
            missed.is_empty() && extra.is_empty(),
            "authority {a}: missed {missed:?}, extra {extra:?}"
        );
    }
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );

    // The near misses are in the town but not on any list; the overlapping one is.
    let phone = |u: usize| t.users[u].phone.clone();
    let all: BTreeSet<String> = got.values().flatten().cloned().collect();
    assert!(all.contains(&phone(overlap)));
    for u in [same_slot, adjacent, other_place] {
        assert!(
            !all.contains(&phone(u)),
            "user {u} did not overlap and must stay sealed"
        );
    }
    assert!(
        !all.contains(&phone(infected)),
        "the infected person is not their own contact"
    );

    // The consenting desk reads place names; stays carry the overlap.
    let munich = &lists[&MUNICH];
    let o = munich
        .people
        .iter()
        .find(|c| c.phone == phone(overlap))
        .unwrap();
    let s = o
        .stays
        .iter()
        .find(|s| Minute(s.time_in_minute).clock_text(0) == "12:40")
        .unwrap();
    assert!(s.place.starts_with("Place 0"), "{}", s.place);
    assert_eq!(s.overlap_minutes, 30);
}
