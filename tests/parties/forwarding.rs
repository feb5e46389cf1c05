//! Forwarding between desks: what the consenting desk cannot open because it is sealed to another
//! authority reaches that authority through the vault, and only it. Card owners of another
//! authority land on that authority's list; a person whose home authority is not the consenting
//! one has their user entries relayed (home desk takes off its layer, the consenting desk opens
//! the rest); the infected person is on nobody's list. A contact of another authority is listed
//! there at the place the consenting desk named in a place label; a hand-made label is skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use rand_chacha::rand_core::RngCore;
use spur_authority::contacts::{ContactList, Found, PersonRow};
use spur_authority::{case, open, relay};
use spur_offline::skip::SkipReason;
use spur_protocol::keys::SignSecretKey;
use spur_wire::exchange::{
    self, peek, ContactsPackage, Envelope, ForwardLabel, Hex, PackageKind, PlaceLabel,
    ResolveRequest, SealedPlaceLabel, PLACE_LABEL_SEALED, VAULT,
};

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
    // The Berlin desk has the contact. Its place is a Berlin place: its details are sealed to
    // Berlin, so Munich could not open them and sent no label; the stay is named by its case.
    let berlin = &t.lists(MUNICH, CASE)[&BERLIN];
    let c = berlin
        .people
        .iter()
        .find(|c| c.phone == t.users[16].phone)
        .unwrap();
    assert_eq!(c.stays[0].found_through, Found::Stay);
    // Munich named its own place to Berlin, but Berlin's only "contact" there is the infected
    // person (their own slot entries): no place of a contact, not kept.
    let berlin_file: case::ContactFile = case::load(&case::contacts_path(
        &t.desks[&BERLIN].cases_dir().unwrap(),
        MUNICH,
        CASE,
    ))
    .unwrap()
    .unwrap();
    assert!(berlin_file.places.is_empty(), "{:?}", berlin_file.places);

    // A relayed file for a consent the vault never handled is refused.
    let mut forged = back.clone();
    let last = forged.len() - 1;
    forged[last] ^= 1;
    assert!(t.vault.relay(&mut t.rng, &forged).is_err());
}

fn row<'a>(list: &'a ContactList, phone: &str) -> &'a PersonRow {
    list.people
        .iter()
        .find(|p| p.phone == phone)
        .unwrap_or_else(|| panic!("{phone} is not on the list"))
}

/// A Munich case with a contact from each city at each of two Munich places, played to the end.
/// Returns the town and the users: (Munich contact at place 0, Berlin contact at place 0, Berlin
/// contact at place 1).
fn labelled_case(seed: u64) -> (tempfile::TempDir, Town, (usize, usize, usize)) {
    let (tmp, mut t, places) = town(seed);
    let infected = 0usize;
    t.visit(infected, places[0], at(0, 12, 0), at(0, 13, 0));
    t.visit(2, places[0], at(0, 12, 10), at(0, 12, 40)); // Munich
    t.visit(14, places[0], at(0, 12, 30), at(0, 14, 0)); // Berlin
    t.visit(infected, places[1], at(1, 10, 0), at(1, 11, 0));
    t.visit(15, places[1], at(1, 10, 30), at(1, 11, 30)); // Berlin
    t.consent(infected, 3, &[]);
    t.import_all(500);
    let opened = consent_opened_at_munich(&mut t);
    t.play(vec![opened.scan_file], vec![(MUNICH, opened.resolve_file)]);
    (tmp, t, (2, 14, 15))
}

#[test]
fn a_forwarded_contact_is_listed_at_the_place_the_consenting_desk_named() {
    let (_tmp, mut t, (munich, berlin_0, berlin_1)) = labelled_case(13);
    let lists = t.lists(MUNICH, CASE);
    let phone = |u: usize| t.users[u].phone.clone();
    // Munich opened the place itself: its row is the ground truth of name, address and phone.
    let at_munich = &row(&lists[&MUNICH], &phone(munich)).stays[0];
    assert_eq!(at_munich.place, "Place 0");
    assert!(at_munich.address.contains("80331"), "{at_munich:?}");
    assert!(at_munich.place_phone.starts_with('+'), "{at_munich:?}");

    let berlin = &lists[&BERLIN];
    assert_eq!(berlin.people.len(), 2, "{berlin:#?}");
    let s = &row(berlin, &phone(berlin_0)).stays;
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].found_through, Found::Place);
    assert_eq!(
        (&s[0].place, &s[0].address, &s[0].place_phone),
        (&at_munich.place, &at_munich.address, &at_munich.place_phone)
    );
    assert_eq!(
        (
            s[0].time_in_minute,
            s[0].time_out_minute,
            s[0].overlap_minutes
        ),
        (at(0, 12, 30).0, at(0, 14, 0).0, 30)
    );
    let s = &row(berlin, &phone(berlin_1)).stays;
    assert_eq!(
        (s[0].place.as_str(), s[0].found_through),
        ("Place 1", Found::Place)
    );
    assert_eq!(
        (s[0].time_in_minute, s[0].time_out_minute),
        (at(1, 10, 30).0, at(1, 11, 30).0)
    );
    assert!(s[0].address.contains("80331") && !s[0].place_phone.is_empty());
    let csv = spur_authority::contacts::to_csv(berlin).unwrap();
    assert!(csv.contains("Place 0") && csv.contains("Place 1"), "{csv}");

    // The vault forwards one label per stay and authority, only where that authority received
    // contacts: Munich sending it again, or hand-made ones, is skipped and reported.
    let munich_desk = &t.desks[&MUNICH];
    let label = PlaceLabel {
        from: MUNICH,
        to: BERLIN,
        stay: 0,
        stay_in: at(0, 12, 0).0,
        stay_out: at(0, 13, 0).0,
        name: "Elsewhere".into(),
        description: String::new(),
        region: "DE 80331".into(),
        phone: String::new(),
    };
    let berlin_key = t.dir.authority(BERLIN).unwrap().seal;
    let sealed = label
        .seal(&mut t.rng, CASE, &berlin_key, munich_desk.sign_key())
        .unwrap();
    let again = open::to_vault(
        munich_desk,
        &mut t.rng,
        PackageKind::ResolveRequest,
        &ResolveRequest {
            case_id: exchange::case_ref(MUNICH, CASE),
            forward_labels: vec![
                ForwardLabel {
                    to: BERLIN,
                    stay: 0,
                    sealed: Hex(sealed.clone()),
                },
                // A stay Berlin received no contacts at, an authority not in the directory, and
                // a label of the wrong size.
                ForwardLabel {
                    to: BERLIN,
                    stay: 5,
                    sealed: Hex(sealed.clone()),
                },
                ForwardLabel {
                    to: 99,
                    stay: 0,
                    sealed: Hex(sealed),
                },
                ForwardLabel {
                    to: BERLIN,
                    stay: 1,
                    sealed: Hex(vec![0; 10]),
                },
            ],
            ..Default::default()
        },
    )
    .unwrap();
    let r = t.vault.resolve(&mut t.rng, &again).unwrap();
    assert!(r.forwarded.is_empty());
    assert_eq!(r.skips.count(SkipReason::OutsideCase), 2, "again, stay 5");
    assert_eq!(r.skips.count(SkipReason::UnknownAuthority), 1);
    assert_eq!(r.skips.count(SkipReason::BadField), 1);
}

#[test]
fn hand_made_place_labels_are_skipped_and_reported_while_the_list_stands() {
    let (_tmp, mut t, (_, berlin_0, _)) = labelled_case(14);
    let before = t.lists(MUNICH, CASE)[&BERLIN].clone();
    let berlin_key = t.dir.authority(BERLIN).unwrap().seal;
    let label = |stay: u32, stay_in: u32, stay_out: u32| PlaceLabel {
        from: MUNICH,
        to: BERLIN,
        stay,
        stay_in,
        stay_out,
        name: "Forged Place".into(),
        description: "nowhere".into(),
        region: "DE 10115".into(),
        phone: "+4915199999999".into(),
    };
    let (stay_in, stay_out) = (at(0, 12, 0).0, at(0, 13, 0).0);
    let mut garbage = vec![0u8; PLACE_LABEL_SEALED];
    t.rng.fill_bytes(&mut garbage);
    let munich_sign = t.desks[&MUNICH].sign_key();
    // Signed by Munich, but for a stay Berlin received no contacts at.
    let wrong_stay = label(7, stay_in, stay_out)
        .seal(&mut t.rng, CASE, &berlin_key, munich_sign)
        .unwrap();
    // Right stay, wrong times (not the stay of Berlin's contacts).
    let wrong_times = label(0, stay_in, stay_out + 60)
        .seal(&mut t.rng, CASE, &berlin_key, munich_sign)
        .unwrap();
    // Names Munich but is signed by a key the directory does not pin.
    let forger = SignSecretKey::generate(&mut t.rng);
    let wrong_signer = label(0, stay_in, stay_out)
        .seal(&mut t.rng, CASE, &berlin_key, &forger)
        .unwrap();
    // Munich's label of another case moved into this one.
    let other_case = label(0, stay_in, stay_out)
        .seal(&mut t.rng, "M-2026-0099", &berlin_key, munich_sign)
        .unwrap();
    let labels = [
        (0, garbage),
        (0, vec![1u8; 10]),
        (7, wrong_stay),
        (0, wrong_times),
        (0, wrong_signer),
        (0, other_case),
    ]
    .into_iter()
    .map(|(stay, b)| SealedPlaceLabel {
        stay,
        sealed: Hex(b),
    })
    .collect();
    // As a vault would send them (signed with its root key): the desk checks each label itself.
    let root = spur_offline::keyfile::read_secret::<32>(
        &t.root.join("vault").join("root.key"),
        spur_vault::vault::ROOT_SECRET,
    )
    .unwrap();
    let file = exchange::seal(
        &mut t.rng,
        Envelope {
            kind: PackageKind::Contacts,
            from: VAULT,
            to: BERLIN,
        },
        &berlin_key,
        &SignSecretKey::from_bytes(*root),
        &ContactsPackage {
            case_id: CASE.into(),
            consenting_authority: MUNICH,
            infected_ref: None,
            contacts: vec![],
            place_labels: labels,
        },
    )
    .unwrap();
    let o = open::open_contacts(&t.desks[&BERLIN], &mut t.rng, &file).unwrap();
    assert_eq!(o.place_labels, 0);
    assert_eq!(
        o.skips.count(SkipReason::DoesNotOpen),
        3,
        "garbage, signer, case"
    );
    assert_eq!(o.skips.count(SkipReason::BadField), 1, "wrong size");
    assert_eq!(o.skips.count(SkipReason::OutsideCase), 2, "stay, times");
    let after = t.lists(MUNICH, CASE)[&BERLIN].clone();
    assert_eq!(after, before, "the list stands as it was");
    let s = &row(&after, &t.users[berlin_0].phone).stays[0];
    assert_eq!(s.place, "Place 0");
    // The desk's audit log records the skips.
    let log = std::fs::read_to_string(t.root.join(format!("desk{BERLIN}")).join("audit.log"))
        .unwrap_or_default();
    assert!(
        log.lines()
            .last()
            .is_some_and(|l| l.contains("open-contacts") && l.contains("does-not-open")),
        "{log}"
    );
}
