//! The whole tracing flow at protocol level: register, make codes, check in, consent, and every
//! party's step of the trace, with an exact expected contact list (DESIGN.md property 2).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use spur_testkit::world as common;

use std::collections::{BTreeSet, HashMap};

use common::*;
use spur_protocol::consent::{ConsentCode, ConsentTerms};
use spur_protocol::fields::PhoneNumber;
use spur_protocol::record::check_wire;
use spur_protocol::record::consent_release::{
    build_consent_release, ReleaseForAuthority, ReleaseForVault, Releaser,
};
use spur_protocol::record::place::{
    open_contact_ref, open_personal_record, PlaceDetails, PlaceRecordBody,
};
use spur_protocol::record::registration::{ContactData, RegistrationBody};
use spur_protocol::record::visit::{
    open_user_auth_layer, open_visit, CodeKind, SlotEntryBody, UserEntryBody,
};
use spur_protocol::record::RecordKind;
use spur_protocol::tag::QrId;
use spur_protocol::time::{Minute, Slot};
use spur_protocol::trace::{find_tag_index, overlapping_contacts};

/// What the POST server holds: every upload, as the vault later imports it.
#[derive(Default)]
struct Dump {
    registrations: Vec<Vec<u8>>,
    places: Vec<Vec<u8>>,
    personal: Vec<Vec<u8>>,
    slot_entries: Vec<Vec<u8>>,
    user_entries: Vec<Vec<u8>>,
}

fn sealed(wire: &[u8]) -> &[u8] {
    check_wire(wire).unwrap().sealed
}

#[test]
fn trace_finds_exactly_the_overlapping_people_and_routes_them_to_their_authority() {
    let mut w = World::new(42);
    let mut dump = Dump::default();

    let alice = w.register("+4915100000001", "80331"); // infected, Munich
    let bob = w.register("+4915100000002", "80469"); // overlaps at the place, Munich
    let carol = w.register("+4915100000003", "10115"); // overlaps at the place, Berlin
    let dave = w.register("+4915100000004", "80331"); // same place and slot, no overlap
    let erin = w.register("+4915100000005", "80331"); // other place, same time
    let frank = w.register("+4915100000006", "81000"); // scanned Alice's card
    let gina = w.register("+4915100000007", "80331"); // same place, later slots
    for u in [&alice, &bob, &carol, &dave, &erin, &frank, &gina] {
        dump.registrations.push(u.registration_wire.clone());
    }

    let cafe = w.place("Café Zur Post", "80331");
    let bar = w.place("Bar Nebenan", "80333");
    dump.places.push(cafe.record_wire.clone());
    dump.places.push(bar.record_wire.clone());
    let (card_id, card_tag, card_record) = w.card(&alice);
    dump.personal.push(card_record);

    let add = |v: spur_protocol::record::visit::VisitRecords, dump: &mut Dump| {
        dump.slot_entries.extend(v.slot_entries);
        dump.user_entries.extend(v.user_entries);
    };
    let visits = [
        (&alice, &cafe, at(12, 0), at(13, 10)),
        (&bob, &cafe, at(12, 40), at(13, 30)),
        (&carol, &cafe, at(13, 0), at(14, 0)),
        (&dave, &cafe, at(13, 15), at(13, 45)),
        (&gina, &cafe, at(14, 0), at(15, 0)),
        (&erin, &bar, at(12, 0), at(13, 0)),
    ];
    for (u, p, from, to) in visits {
        let v = w.visit(u, CodeKind::Place, &p.id, &p.tag, Some(p.region), from, to);
        add(v, &mut dump);
    }
    // Frank scans Alice's card at 18:00 for 30 minutes, no scan region given.
    let v = w.visit(
        &frank,
        CodeKind::Personal,
        &card_id,
        &card_tag,
        None,
        at(18, 0),
        at(18, 30),
    );
    add(v, &mut dump);

    // Every record of a kind has the same size.
    for (kind, set) in [
        (RecordKind::Registration, &dump.registrations),
        (RecordKind::Place, &dump.places),
        (RecordKind::Personal, &dump.personal),
        (RecordKind::SlotEntry, &dump.slot_entries),
        (RecordKind::UserEntry, &dump.user_entries),
    ] {
        assert!(set.iter().all(|r| r.len() == kind.wire_len()), "{kind:?}");
    }

    // --- Consent: Munich issues a code for that day; Alice's app verifies and releases.
    let munich = w.keys_of(MUNICH).clone();
    let day = at(12, 0).day();
    let alice_phone = PhoneNumber::parse("+4915100000001").unwrap();
    let code = ConsentCode::issue(
        &munich.sign,
        &ConsentTerms {
            authority: MUNICH,
            case_id: "M-2026-0042",
            first_day: day,
            days: 1,
            issued: at(19, 0),
            expires: at(23, 0),
        },
        [9; 16],
        &alice_phone,
    )
    .unwrap();
    let verified = code.verify(&w.dir, at(20, 0)).unwrap();
    assert!(verified.code.is_for(&alice_phone));
    let op_pk = w.op.public();
    let own = [(card_id, card_tag.clone())];
    let release = build_consent_release(
        &mut w.rng,
        &op_pk,
        &verified,
        &Releaser {
            usr: &alice.usr,
            home_authority: alice.home,
            phone: &alice_phone,
            own_codes: &own,
        },
    )
    .unwrap();
    assert_eq!(release.len(), RecordKind::ConsentRelease.wire_len());

    // --- Vault: open the release, enumerate find-tags, find Alice's user entries.
    let for_vault = ReleaseForVault::open_wire(&w.op, &release).unwrap();
    assert_eq!(for_vault.case_id, "M-2026-0042");
    let index = find_tag_index(&for_vault.find_keys);
    let found: Vec<(Minute, Vec<u8>)> = dump
        .user_entries
        .iter()
        .filter_map(|u| {
            let body = UserEntryBody::open(&w.op, sealed(u)).unwrap();
            index.get(&body.find_tag).map(|m| (*m, body.auth_layer))
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "Alice made one user entry that day (70 minutes < 4 h)"
    );
    assert_eq!(found[0].0, at(12, 0));

    // --- Authority (Munich): open the release's AUTH part and the user entries.
    let for_auth = ReleaseForAuthority::open(&munich.seal, &for_vault.auth_part).unwrap();
    assert_eq!(for_auth.nonce, for_vault.nonce);
    assert_eq!(
        for_auth.phone, alice_phone,
        "the desk compares it with its case register"
    );
    assert_eq!(
        for_auth.registration_id,
        alice.usr.registration_id().unwrap(),
        "the AUTH part names the consenting person, so desks leave out exactly their entries"
    );
    let enc: HashMap<_, _> = for_auth.enc_keys.iter().cloned().collect();
    let mut segments = Vec::new();
    for (minute, layer) in &found {
        let usr_layer = open_user_auth_layer(&munich.seal, layer).unwrap();
        segments.push(open_visit(&enc[&minute.day()], &usr_layer).unwrap());
    }
    assert_eq!(segments[0].qr_id, cafe.id);
    assert_eq!(segments[0].scan_keys.len(), 3);

    // The TAG server gives the authority the card's past TMP keys (signed request, checked
    // elsewhere); the authority computes the card's SCAN keys for the released day.
    let (own_id, own_tag) = &for_auth.own_codes[0];
    let card_slots: Vec<_> = (day.start().slot().0..day.start().slot().0 + 48)
        .map(Slot)
        .collect();
    let card_keys: Vec<_> = card_slots
        .iter()
        .map(|s| {
            (
                *s,
                own_tag
                    .scan_key(own_id, *s, &w.tmp.tmp(own_id, *s))
                    .unwrap(),
            )
        })
        .collect();

    // --- Vault: index slot entries by bucket, trial-open with the SCAN keys, keep overlaps.
    let mut buckets: HashMap<
        (Slot, CodeKind, Option<spur_protocol::fields::Region>),
        Vec<Vec<u8>>,
    > = HashMap::new();
    for s in &dump.slot_entries {
        let b = SlotEntryBody::open(&w.op, sealed(s)).unwrap();
        let key_region = if b.code_kind == CodeKind::Personal {
            None
        } else {
            b.region
        };
        buckets
            .entry((b.slot, b.code_kind, key_region))
            .or_default()
            .push(b.scan_layer);
    }
    let mut contacts = Vec::new();
    for seg in &segments {
        for (slot, key) in &seg.scan_keys {
            let layers = buckets
                .get(&(*slot, seg.code_kind, seg.region))
                .cloned()
                .unwrap_or_default();
            contacts.extend(
                overlapping_contacts(
                    key,
                    seg.time_in,
                    seg.time_out,
                    layers.iter().map(Vec::as_slice),
                )
                .unwrap(),
            );
        }
    }
    for (slot, key) in &card_keys {
        let layers = buckets
            .get(&(*slot, CodeKind::Personal, None))
            .cloned()
            .unwrap_or_default();
        // The card's "stay" is the whole released day.
        contacts.extend(
            overlapping_contacts(
                key,
                day.start(),
                day.start().plus(1440),
                layers.iter().map(Vec::as_slice),
            )
            .unwrap(),
        );
    }

    // --- Each contact goes to its home authority, who opens the reference; the vault resolves
    // the registration; the authority opens the contact data.
    let registrations: HashMap<[u8; 16], RegistrationBody> = dump
        .registrations
        .iter()
        .map(|r| {
            let b = RegistrationBody::open(&w.op, sealed(r)).unwrap();
            (b.registration_id, b)
        })
        .collect();
    let alice_id = alice.usr.registration_id().unwrap();
    let mut phones_by_authority: HashMap<u16, BTreeSet<String>> = HashMap::new();
    for (c, _minutes) in &contacts {
        let keys = w.keys_of(c.home_authority);
        let reg_id = open_contact_ref(&keys.seal, &c.sealed_ref).unwrap();
        if reg_id == alice_id {
            continue; // the infected person's own entries
        }
        // Another authority's key opens nothing of this contact.
        let other = w.keys_of(if c.home_authority == MUNICH {
            BERLIN
        } else {
            MUNICH
        });
        assert!(open_contact_ref(&other.seal, &c.sealed_ref).is_err());
        let reg = &registrations[&reg_id];
        let contact = ContactData::open(&keys.seal, &reg.sealed_contact).unwrap();
        phones_by_authority
            .entry(c.home_authority)
            .or_default()
            .insert(contact.phone.as_str().to_owned());
    }
    let expect = |v: &[&common::User]| {
        v.iter()
            .map(|u| u.phone.as_str().to_owned())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(phones_by_authority[&MUNICH], expect(&[&bob, &frank]));
    assert_eq!(phones_by_authority[&BERLIN], expect(&[&carol]));
    let _ = (&dave, &erin, &gina); // present, overlapping nothing: never in the list

    // --- The place owner is resolved through the TAG key from Alice's user entry.
    let place_wire = dump
        .places
        .iter()
        .find(|p| check_wire(p).unwrap().clear == cafe.id.0)
        .unwrap();
    let body = PlaceRecordBody::open(&w.op, sealed(place_wire)).unwrap();
    let inner = body.open_tag(&segments[0].tag).unwrap();
    let details = PlaceDetails::open(&w.keys_of(inner.authority).seal, &inner.sealed).unwrap();
    assert_eq!(details.name, "Café Zur Post");
    assert_eq!(details.responsible_phone.as_str(), "+498912345678");
    assert!(
        body.open_tag(&bar.tag).is_err(),
        "another code's TAG does not open it"
    );

    // --- The card's owner is Alice herself, resolved through the card's TAG key.
    let card_inner = open_personal_record(&w.op, sealed(&dump.personal[0]), own_tag).unwrap();
    assert_eq!(
        open_contact_ref(&w.keys_of(card_inner.authority).seal, &card_inner.sealed).unwrap(),
        alice_id
    );
    let _: QrId = *own_id;
}
