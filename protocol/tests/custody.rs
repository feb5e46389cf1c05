//! The key-custody matrix (DESIGN.md properties 3, 8, 9, 10): for every combination of keys an
//! attacker holding a full dump of the POST server and the vault might have, try every opening
//! step with exactly those keys and compare what opened with the table in docs/protocol.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use spur_testkit::world as common;

use common::*;
use spur_protocol::keys::SealSecretKey;
use spur_protocol::record::check_wire;
use spur_protocol::record::place::{
    open_contact_ref, open_personal_record, PlaceDetails, PlaceRecordBody,
};
use spur_protocol::record::registration::{ContactData, RegistrationBody};
use spur_protocol::record::visit::{
    open_user_auth_layer, open_visit, CodeKind, SlotEntryBody, SlotOpener, UserEntryBody,
};
use spur_protocol::tag::{ScanKey, TagKey};
use spur_protocol::time::Slot;
use spur_protocol::trace::find_tag_index;
use spur_testkit::custody_table::{assert_row, documented, KEYS};

/// A fixed dump: Xaver (Munich) and Yvonne (Munich) at one Munich place in one slot; Xaver's
/// printed card. The "right" authority is Munich; "other" is Berlin.
struct Fixture {
    w: World,
    xaver: User,
    registration: Vec<u8>,
    place: PlaceCodeKeys,
    card: (spur_protocol::tag::QrId, TagKey, Vec<u8>),
    slot_entries: Vec<Vec<u8>>,
    user_entries: Vec<Vec<u8>>,
}

fn fixture() -> Fixture {
    let mut w = World::new(7);
    let xaver = w.register("+4917600000001", "80331");
    let yvonne = w.register("+4917600000002", "80335");
    let place = w.place("Wirtshaus am Eck", "80331");
    let card = w.card(&xaver);
    let mut slot_entries = Vec::new();
    let mut user_entries = Vec::new();
    for u in [&xaver, &yvonne] {
        let v = w.visit(
            u,
            CodeKind::Place,
            &place.id,
            &place.tag,
            Some(place.region),
            at(19, 0),
            at(19, 25),
        );
        slot_entries.extend(v.slot_entries);
        user_entries.extend(v.user_entries);
    }
    let registration = xaver.registration_wire.clone();
    Fixture {
        w,
        xaver,
        registration,
        place,
        card,
        slot_entries,
        user_entries,
    }
}

fn sealed(wire: &[u8]) -> &[u8] {
    check_wire(wire).unwrap().sealed
}

/// Plays an attacker with the keys in `held` (indices into KEYS) and reports what opened.
fn attack(f: &Fixture, held: &[bool; 6]) -> [bool; 7] {
    let [op, right, other, usr, tag, tmp] = *held;
    let op_key: Option<&SealSecretKey> = op.then_some(&f.w.op);
    let mut auth_keys: Vec<&SealSecretKey> = Vec::new();
    if right {
        auth_keys.push(&f.w.keys_of(MUNICH).seal);
    }
    if other {
        auth_keys.push(&f.w.keys_of(BERLIN).seal);
    }
    let day = at(19, 0).day();
    let slot = at(19, 0).slot();
    let mut out = [false; 7];

    // phone: the registration's contact data.
    if let Some(opk) = op_key {
        if let Ok(body) = RegistrationBody::open(opk, sealed(&f.registration)) {
            out[0] = auth_keys
                .iter()
                .any(|a| ContactData::open(a, &body.sealed_contact).is_ok());
        }
    }
    // place: the place's details, through OP, TAG, AUTH.
    if let (Some(opk), true) = (op_key, tag) {
        if let Ok(inner) = PlaceRecordBody::open(opk, sealed(&f.place.record_wire))
            .and_then(|b| b.open_tag(&f.place.tag))
        {
            out[1] = auth_keys
                .iter()
                .any(|a| PlaceDetails::open(a, &inner.sealed).is_ok());
        }
    }
    // card-owner: the card owner's registration id, through OP, the card's TAG, AUTH.
    if let (Some(opk), true) = (op_key, tag) {
        if let Ok(inner) = open_personal_record(opk, sealed(&f.card.2), &f.card.1) {
            out[2] = auth_keys
                .iter()
                .any(|a| open_contact_ref(a, &inner.sealed).is_ok());
        }
    }
    // find: which user entries are Xaver's (needs OP to see find-tags, USR's find key to enumerate).
    let bodies: Vec<UserEntryBody> = op_key
        .map(|k| {
            f.user_entries
                .iter()
                .map(|u| UserEntryBody::open(k, sealed(u)).unwrap())
                .collect()
        })
        .unwrap_or_default();
    if usr {
        let index = find_tag_index(&[(day, f.xaver.usr.find_key(day).unwrap())]);
        out[3] = bodies.iter().any(|b| index.contains_key(&b.find_tag));
    }
    // visits: Xaver's visited codes and SCAN keys (OP, AUTH, USR's encryption key).
    let mut scan_keys: Vec<(Slot, ScanKey)> = Vec::new();
    for b in &bodies {
        for a in &auth_keys {
            if let Ok(usr_layer) = open_user_auth_layer(a, &b.auth_layer) {
                if usr {
                    if let Ok(seg) = open_visit(&f.xaver.usr.enc_key(day).unwrap(), &usr_layer) {
                        out[4] = true;
                        scan_keys.extend(seg.scan_keys);
                    }
                }
            }
        }
    }
    // SCAN keys also come from TAG and TMP together.
    if tag && tmp {
        let tmp_key = f.w.tmp.tmp(&f.place.id, slot);
        scan_keys.push((
            slot,
            f.place.tag.scan_key(&f.place.id, slot, &tmp_key).unwrap(),
        ));
    }
    // slot: a slot entry's content; identity: whose registration it points to.
    if let Some(opk) = op_key {
        for s in &f.slot_entries {
            let body = SlotEntryBody::open(opk, sealed(s)).unwrap();
            for (_, k) in &scan_keys {
                if let Some(contact) = SlotOpener::new(k).unwrap().try_open(&body.scan_layer) {
                    out[5] = true;
                    if auth_keys
                        .iter()
                        .any(|a| open_contact_ref(a, &contact.sealed_ref).is_ok())
                    {
                        out[6] = true;
                    }
                }
            }
        }
    }
    out
}

#[test]
fn custody_matrix_matches_docs_row_by_row() {
    let f = fixture();
    let rows = documented();
    assert_eq!(
        rows.len(),
        64,
        "every combination of the six keys is in the table"
    );
    let mut seen = std::collections::HashSet::new();
    for (keys, expected) in rows {
        assert!(seen.insert(keys), "duplicate row {keys:?}");
        assert_row(keys, attack(&f, &keys), expected);
    }
}

#[test]
fn each_of_op_auth_usr_alone_is_useless_and_all_three_are_needed() {
    let f = fixture();
    for alone in [0usize, 1, 3] {
        let mut keys = [false; 6];
        keys[alone] = true;
        assert_eq!(attack(&f, &keys), [false; 7], "{} alone", KEYS[alone]);
    }
    // Any two of OP, AUTH, USR do not give Xaver's visits; all three do.
    for missing in [0usize, 1, 3] {
        let mut keys = [false, true, false, true, false, false];
        keys[0] = true;
        keys[missing] = false;
        assert!(!attack(&f, &keys)[4], "without {}", KEYS[missing]);
    }
    assert!(attack(&f, &[true, true, false, true, false, false])[4]);
}

#[test]
fn another_authoritys_key_adds_nothing() {
    let f = fixture();
    for bits in 0u8..64 {
        let keys: [bool; 6] = std::array::from_fn(|i| bits & (1 << i) != 0);
        let mut with_other = keys;
        with_other[2] = true;
        let mut without = keys;
        without[2] = false;
        assert_eq!(attack(&f, &with_other), attack(&f, &without), "{keys:?}");
    }
}

#[test]
fn a_photo_of_a_printed_card_gives_nobody_its_owners_history() {
    // The photo gives the card's QR id and TAG (or, for a PIN card, only the seed). Even together
    // with the operator's whole dump and OP key and the TAG server's TMP keys, the owner's own
    // visits and find-tags stay sealed: they are under the owner's USR key, not the card's TAG.
    let f = fixture();
    let got = attack(&f, &[true, false, false, false, true, true]);
    assert!(!got[3] && !got[4], "owner's visits stay sealed: {got:?}");
    // And a PIN card's printed seed is not its TAG key.
    let seed = TagKey::from_bytes([1; 16]);
    let pin_tag =
        TagKey::from_pin(&seed, &f.card.0, "482913", spur_protocol::usr::TEST_KDF).unwrap();
    assert_ne!(pin_tag, seed);
    assert_ne!(
        pin_tag,
        TagKey::from_pin(&seed, &f.card.0, "482914", spur_protocol::usr::TEST_KDF).unwrap()
    );
}
