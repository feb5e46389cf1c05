//! Forwarding between desks: what the consenting desk cannot open because it is sealed to another
//! authority reaches that authority through the vault, and only it. Card owners of another
//! authority land on that authority's list; a person whose home authority is not the consenting
//! one has their user entries relayed (home desk takes off its layer, the consenting desk opens
//! the rest); the infected person is on nobody's list.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use spur_authority::contacts::ContactList;
use spur_authority::{case, open, relay};
use spur_wire::exchange::{peek, PackageKind};

const CASE: &str = "M-2026-0042";

fn phones(lists: &BTreeMap<u16, ContactList>) -> BTreeMap<u16, BTreeSet<String>> {
    lists
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
        .collect()
}

/// The vault's package for the one pending consent, which must go to Munich, opened by the Munich
/// desk; the case is saved there as [`CASE`].
fn consent_opened_at_munich(t: &mut Town) -> open::ConsentOpened {
    let url = t.code_urls.last().unwrap().clone();
    let pkg = t.vault.consent(&mut t.rng, &url).unwrap().file;
    assert_eq!(pkg.to, MUNICH);
    let munich = &t.desks[&MUNICH];
    let opened = open::open_consent(munich, &mut t.rng, &pkg.bytes, &[]).unwrap();
    case::save(
        &case::case_path(&munich.cases_dir().unwrap(), CASE),
        &opened.case,
    )
    .unwrap();
    opened
}

/// 12 Munich and 12 Berlin residents, 4 places in each city.
fn town(seed: u64) -> (tempfile::TempDir, Town, Vec<usize>) {
    let tmp = tempfile::tempdir().unwrap();
    let mut t = Town::new(tmp.path(), seed);
    for i in 0..24u32 {
        let pc = if i < 12 {
            format!("{}", 80_100 + i)
        } else {
            format!("{}", 10_100 + i)
        };
        t.register(&format!("+49151{:08}", 5000 + i), &pc, None);
    }
    let places = (0..8u32)
        .map(|i| {
            let pc = if i < 4 { "80331" } else { "10115" };
            t.place(&format!("Place {i}"), pc)
        })
        .collect();
    (tmp, t, places)
}

#[test]
fn card_owners_of_another_authority_reach_it_and_only_it() {
    let (_tmp, mut t, places) = town(11);
    let (infected, munich_owner, berlin_owner) = (0usize, 1usize, 13usize);
    let munich_card = t.card(munich_owner);
    let berlin_card = t.card(berlin_owner);
    t.visit(infected, places[0], at(0, 12, 0), at(0, 13, 0));
    t.visit(2, places[0], at(0, 12, 30), at(0, 14, 0)); // overlaps (Munich)
    t.visit(14, places[0], at(0, 12, 50), at(0, 13, 20)); // overlaps (Berlin)
    t.visit(3, places[0], at(0, 13, 0), at(0, 13, 30)); // right after: sealed
    t.visit(infected, munich_card, at(1, 9, 0), at(1, 9, 30));
    t.visit(infected, berlin_card, at(2, 18, 0), at(2, 18, 30));
    t.consent(infected, 3, &[]);
    t.import_all(500);

    let opened = consent_opened_at_munich(&mut t);
    assert!(opened.notes.is_empty(), "{:?}", opened.notes);
    t.play(vec![opened.scan_file], vec![]);
    // The codes' records: the Berlin card's owner reference is sealed to Berlin.
    let ans = t.vault.resolve(&mut t.rng, &opened.resolve_file).unwrap();
    assert!(ans.forwarded.is_empty());
    let more = open::open_resolved(&t.desks[&MUNICH], &mut t.rng, &ans.answer.bytes)
        .unwrap()
        .request
        .expect("the Munich owner to resolve and the Berlin owner to forward");
    let r = t.vault.resolve(&mut t.rng, &more).unwrap();
    assert_eq!(r.forwarded.len(), 1, "one contacts file, for Berlin");
    let fwd = &r.forwarded[0];
    assert_eq!(fwd.to, BERLIN);
    assert_eq!(peek(&fwd.bytes).unwrap().kind, PackageKind::Contacts);
    // Munich cannot open what went to Berlin.
    assert!(open::open_contacts(&t.desks[&MUNICH], &mut t.rng, &fwd.bytes).is_err());
    let o = open::open_contacts(&t.desks[&BERLIN], &mut t.rng, &fwd.bytes).unwrap();
    let (cf, req) = (o.file, o.request);
    assert_eq!(cf.consenting_authority, MUNICH);
    assert_eq!(
        cf.stays.iter().filter(|s| s.code_owner).count(),
        1,
        "the Berlin card's owner, next to Berlin's contact from the trace"
    );
    let mut requests = vec![(BERLIN, req.unwrap())];
    if let Some(m) = open::open_resolved(&t.desks[&MUNICH], &mut t.rng, &r.answer.bytes)
        .unwrap()
        .request
    {
        requests.push((MUNICH, m));
    }
    t.play(vec![], requests);

    let got = phones(&t.lists(MUNICH, CASE));
    let expected = t.expected(infected, 3, &[]);
    assert_eq!(got, expected);
    let phone = |u: usize| t.users[u].phone.clone();
    assert!(got[&BERLIN].contains(&phone(berlin_owner)));
    assert!(got[&MUNICH].contains(&phone(munich_owner)));
    assert!(!got.values().flatten().any(|p| *p == phone(3)));
    assert!(!got.values().flatten().any(|p| *p == phone(infected)));
}

#[test]
fn user_entries_sealed_to_the_home_authority_are_relayed_and_only_the_consenting_desk_reads_them() {
    let (_tmp, mut t, places) = town(12);
    // A Berlin resident falls ill in Munich: Munich issues the consent code.
    let infected = 15usize;
    let card = t.card(4); // a Munich resident's card
    t.visit(infected, places[1], at(0, 10, 0), at(0, 11, 0));
    t.visit(infected, places[5], at(1, 19, 0), at(1, 21, 0));
    t.visit(infected, card, at(2, 8, 0), at(2, 8, 30));
    t.visit(5, places[1], at(0, 10, 30), at(0, 12, 0)); // Munich, overlaps
    t.visit(16, places[5], at(1, 20, 30), at(1, 22, 0)); // Berlin, overlaps
    t.visit(17, places[5], at(1, 21, 0), at(1, 22, 0)); // right after: sealed
    t.visit(6, places[2], at(0, 10, 0), at(0, 11, 0)); // another place: sealed
    for d in 0..3 {
        t.visit(
            7 + d as usize,
            places[(d % 3) as usize],
            at(d, 15, 0),
            at(d, 16, 0),
        );
    }
    t.consent_by(MUNICH, infected, 3, &[]);
    t.import_all(500);

    let opened = consent_opened_at_munich(&mut t);
    assert!(
        opened.case.stays.is_empty(),
        "Munich cannot open a Berlin resident's entries"
    );
    assert_eq!(opened.notes.len(), 1, "{:?}", opened.notes);
    let r = t.vault.resolve(&mut t.rng, &opened.resolve_file).unwrap();
    assert_eq!(r.forwarded.len(), 1);
    let relay_file = &r.forwarded[0];
    assert_eq!(relay_file.to, BERLIN);
    assert_eq!(peek(&relay_file.bytes).unwrap().kind, PackageKind::Relay);
    assert!(relay::open_relay(&t.desks[&MUNICH], &mut t.rng, &relay_file.bytes).is_err());
    let (back, n) = relay::open_relay(&t.desks[&BERLIN], &mut t.rng, &relay_file.bytes).unwrap();
    assert_eq!(n, 3, "three visits, one user entry each");
    let to_munich = t.vault.relay(&mut t.rng, &back).unwrap();
    assert_eq!(to_munich.to, MUNICH);
    // Berlin holds no encryption key: the relayed file is not for it.
    assert!(relay::open_relayed(&t.desks[&BERLIN], &mut t.rng, &to_munich.bytes).is_err());
    let o = relay::open_relayed(&t.desks[&MUNICH], &mut t.rng, &to_munich.bytes).unwrap();
    assert_eq!(o.added, 3);
    assert_eq!(o.unopened, 0);
    t.play(
        vec![o.scan_file.unwrap()],
        vec![(MUNICH, o.resolve_file.unwrap())],
    );

    let got = phones(&t.lists(MUNICH, CASE));
    let expected = t.expected(infected, 3, &[]);
    assert!(expected.contains_key(&MUNICH) && expected.contains_key(&BERLIN));
    assert_eq!(got, expected);
    let all: BTreeSet<&String> = got.values().flatten().collect();
    assert!(
        !all.contains(&t.users[infected].phone),
        "the infected person's own slot entries went to Berlin and were left out by id"
    );
    for u in [17usize, 6] {
        assert!(!all.contains(&t.users[u].phone));
    }
    // The Berlin desk's list names no place (its details are with Munich) but has the contact.
    let berlin = &t.lists(MUNICH, CASE)[&BERLIN];
    assert!(berlin.people.iter().any(|c| c.phone == t.users[16].phone));

    // A relayed file for a consent the vault never handled is refused.
    let mut forged = back.clone();
    let last = forged.len() - 1;
    forged[last] ^= 1;
    assert!(t.vault.relay(&mut t.rng, &forged).is_err());
}
