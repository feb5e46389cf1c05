//! Round trips and rejection (DESIGN.md properties 4 and 5 at protocol level): every payload and
//! record survives a round trip with random content; truncated, extended, bit-flipped,
//! wrong-version, wrong-key and wrong-label inputs are all refused with the right error; parsers
//! never panic on arbitrary input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use spur_testkit::world as common;

use common::*;
use proptest::prelude::*;
use rand_chacha::rand_core::SeedableRng;
use spur_protocol::consent::{ConsentCode, ConsentTerms};
use spur_protocol::fields::{PhoneNumber, Region};
use spur_protocol::keys::SealSecretKey;
use spur_protocol::labels::ALL_LAYER_LABELS;
use spur_protocol::qr::{Code, Payload, PersonalCode, PlaceCode};
use spur_protocol::record::registration::{ContactData, RegistrationBody};
use spur_protocol::record::visit::{
    open_user_auth_layer, open_visit, CodeKind, SlotEntryBody, UserEntryBody,
};
use spur_protocol::record::{check_wire, open_op, RecordKind, VERSION};
use spur_protocol::tag::{QrId, TagKey};
use spur_protocol::time::{Day, Minute};
use spur_protocol::ProtocolError;

fn one_of_each(w: &mut World) -> Vec<Vec<u8>> {
    let u = w.register("+4915100000009", "80331");
    let p = w.place("Kiosk", "80331");
    let (cid, ctag, card) = w.card(&u);
    let _ = (cid, ctag);
    let v = w.visit(
        &u,
        CodeKind::Place,
        &p.id,
        &p.tag,
        Some(p.region),
        at(10, 0),
        at(10, 20),
    );
    vec![
        u.registration_wire.clone(),
        p.record_wire.clone(),
        card,
        v.slot_entries[0].clone(),
        v.user_entries[0].clone(),
    ]
}

#[test]
fn truncated_extended_and_wrong_version_records_are_refused_before_anything_opens() {
    let mut w = World::new(21);
    for rec in one_of_each(&mut w) {
        let kind = check_wire(&rec).unwrap().kind;
        for cut in [0, 1, 2, rec.len() / 2, rec.len() - 1] {
            assert!(
                matches!(
                    check_wire(&rec[..cut]),
                    Err(ProtocolError::Truncated { .. } | ProtocolError::WrongSize { .. })
                ),
                "{kind:?} cut at {cut}"
            );
        }
        let mut longer = rec.clone();
        longer.push(0);
        assert!(matches!(
            check_wire(&longer),
            Err(ProtocolError::WrongSize { .. })
        ));
        let mut v2 = rec.clone();
        v2[0] = VERSION + 1;
        assert!(matches!(
            check_wire(&v2),
            Err(ProtocolError::UnsupportedVersion { .. })
        ));
        let mut k = rec.clone();
        k[1] = 0;
        assert!(matches!(
            check_wire(&k),
            Err(ProtocolError::UnknownKind { .. })
        ));
    }
}

#[test]
fn every_flipped_bit_of_a_sealed_body_is_detected() {
    let mut w = World::new(22);
    for rec in one_of_each(&mut w) {
        let wire = check_wire(&rec).unwrap();
        let kind = wire.kind;
        let sealed = wire.sealed.to_vec();
        assert!(open_op(&w.op, kind, &sealed).is_ok());
        for byte in 0..sealed.len() {
            let mut t = sealed.clone();
            t[byte] ^= 1 << (byte % 8);
            assert!(
                matches!(
                    open_op(&w.op, kind, &t),
                    Err(ProtocolError::OpenFailed { layer: "OP" })
                ),
                "{kind:?} byte {byte}"
            );
        }
    }
}

#[test]
fn wrong_key_and_wrong_kind_never_open() {
    let mut w = World::new(23);
    let stranger = SealSecretKey::generate(&mut rand_chacha::ChaCha20Rng::seed_from_u64(99));
    for rec in one_of_each(&mut w) {
        let wire = check_wire(&rec).unwrap();
        assert!(matches!(
            open_op(&stranger, wire.kind, wire.sealed),
            Err(ProtocolError::OpenFailed { .. })
        ));
        // A body of one kind offered as another kind fails on size or on the label.
        for other in RecordKind::ALL {
            if other != wire.kind {
                assert!(
                    open_op(&w.op, other, wire.sealed).is_err(),
                    "{:?} as {other:?}",
                    wire.kind
                );
            }
        }
    }
}

#[test]
fn wrong_label_never_opens() {
    let mut w = World::new(24);
    let pk = w.op.public();
    for label in ALL_LAYER_LABELS {
        let sealed = pk.seal(&mut w.rng, label, b"content").unwrap();
        for other in ALL_LAYER_LABELS {
            let r = w.op.open(other, "test", &sealed);
            assert_eq!(r.is_ok(), label == other, "{label} opened as {other}");
        }
    }
}

#[test]
fn user_entry_layers_refuse_wrong_authority_and_wrong_day() {
    let mut w = World::new(25);
    let u = w.register("+4915100000010", "80331");
    let p = w.place("Kiosk", "80331");
    let v = w.visit(
        &u,
        CodeKind::Place,
        &p.id,
        &p.tag,
        Some(p.region),
        at(10, 0),
        at(10, 20),
    );
    let body = UserEntryBody::open(&w.op, check_wire(&v.user_entries[0]).unwrap().sealed).unwrap();
    assert!(open_user_auth_layer(&w.keys_of(BERLIN).seal, &body.auth_layer).is_err());
    let usr_layer = open_user_auth_layer(&w.keys_of(MUNICH).seal, &body.auth_layer).unwrap();
    let day = at(10, 0).day();
    assert!(open_visit(&u.usr.enc_key(Day(day.0 + 1)).unwrap(), &usr_layer).is_err());
    assert!(open_visit(&u.usr.enc_key(day).unwrap(), &usr_layer).is_ok());
    let slot = SlotEntryBody::open(&w.op, check_wire(&v.slot_entries[0]).unwrap().sealed).unwrap();
    assert_eq!(slot.region, Some(p.region));
}

fn name_strategy() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 äöüßéè&'()+%#/.-]{1,30}".prop_filter("not blank", |s| !s.trim().is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn place_payload_round_trips(id in any::<[u8; 16]>(), tag in any::<[u8; 16]>(), name in name_strategy(),
                                 postcode in "[1-9][0-9]{4}", host in "[a-z]{1,10}\\.[a-z]{2,6}") {
        let mut code = PlaceCode {
            id: QrId(id), tag: TagKey::from_bytes(tag),
            region: Region::parse("DE", Some(&postcode)).unwrap(), name,
        };
        // An id bound to nothing (random) is refused as altered.
        prop_assume!(!code.id.binds(&code.commitment()));
        let unbound = Payload { host: host.clone(), code: Code::Place(code.clone()) };
        prop_assert_eq!(Payload::parse(&unbound.to_url().unwrap()), Err(ProtocolError::CodeAltered));
        let cm = code.commitment();
        code.id.0[..8].copy_from_slice(&cm.0);
        let p = Payload { host, code: Code::Place(code) };
        let url = p.to_url().unwrap();
        prop_assert_eq!(Payload::parse(&url).unwrap(), p);
    }

    #[test]
    fn personal_payload_round_trips(id in any::<[u8; 16]>(), key in any::<[u8; 16]>(), pin in any::<bool>()) {
        let mut code = PersonalCode { id: QrId(id), key: TagKey::from_bytes(key), pin_protected: pin };
        prop_assume!(!code.id.binds(&code.commitment()));
        let unbound = Payload { host: "spur.example".into(), code: Code::Personal(code.clone()) };
        prop_assert_eq!(Payload::parse(&unbound.to_url().unwrap()), Err(ProtocolError::CodeAltered));
        let cm = code.commitment();
        code.id.0[..8].copy_from_slice(&cm.0);
        let p = Payload { host: "spur.example".into(), code: Code::Personal(code) };
        prop_assert_eq!(Payload::parse(&p.to_url().unwrap()).unwrap(), p);
    }

    #[test]
    fn consent_payload_round_trips_and_any_flip_breaks_it(days in 1u8..=28, nonce in any::<[u8; 16]>(),
                                                          case in "[A-Z0-9/-]{1,16}", flip in 0usize..1000) {
        let w = World::new(31);
        let key = &w.keys_of(MUNICH).sign;
        let terms = ConsentTerms { authority: MUNICH, case_id: &case, first_day: Day(20_777 - 27),
            days, issued: Day(20_777).start(), expires: Day(20_777).start().plus(72 * 60) };
        let phone = PhoneNumber::parse("+4915100000001").unwrap();
        let c = ConsentCode::issue(key, &terms, nonce, &phone).unwrap();
        let p = Payload { host: "spur.example".into(), code: Code::Consent(c.clone()) };
        let back = Payload::parse(&p.to_url().unwrap()).unwrap();
        prop_assert_eq!(&back, &p);
        let mut bytes = c.encode();
        let i = flip % bytes.len();
        bytes[i] ^= 0x01;
        let verified = ConsentCode::decode(&bytes).and_then(|d| d.verify(&w.dir, Day(20_777).start().plus(60)));
        prop_assert!(verified.is_err());
    }

    #[test]
    fn registration_round_trips(digits in "[1-9][0-9]{7,14}", campus in proptest::option::of("[a-z0-9]{1,32}"),
                                year in proptest::option::of(1900u16..2030), seed in any::<u64>()) {
        let mut w = World::new(seed);
        let contact = ContactData {
            phone: PhoneNumber::parse(&format!("+{digits}")).unwrap(),
            campus_id: campus, region: Some(Region::parse("DE", Some("80331")).unwrap()), birth_year: year,
        };
        let auth = w.dir.authority(MUNICH).unwrap().seal;
        let sealed = contact.seal(&mut w.rng, &auth).unwrap();
        let usr = spur_protocol::usr::UsrKey::from_bytes([3; 32]);
        let body = RegistrationBody { registration_id: [1; 16], home_authority: MUNICH,
            region: contact.region, sealed_contact: sealed };
        let wire = body.build(&mut w.rng, &w.op.public(), &usr.registration_secret().unwrap()).unwrap();
        let (handle, back) = RegistrationBody::open_wire(&w.op, &wire).unwrap();
        prop_assert_eq!(handle, usr.registration_secret().unwrap().handle());
        prop_assert_eq!(&back, &body);
        prop_assert_eq!(ContactData::open(&w.keys_of(MUNICH).seal, &back.sealed_contact).unwrap(), contact);
    }

    #[test]
    fn visits_of_any_length_round_trip(start in 0u32..1440, minutes in 1u32..(24 * 60), seed in any::<u64>()) {
        let mut w = World::new(seed);
        let u = w.register("+4915100000011", "80331");
        let p = w.place("Halle", "80331");
        let from = Minute(at(0, 0).0 + start);
        let to = from.plus(minutes);
        let v = w.visit(&u, CodeKind::Place, &p.id, &p.tag, Some(p.region), from, to);
        let slots = spur_protocol::time::Slot::covering(from, to).count();
        prop_assert_eq!(v.slot_entries.len(), slots);
        prop_assert_eq!(v.user_entries.len(), slots.div_ceil(8));
        let mut seen = 0;
        for ue in &v.user_entries {
            let body = UserEntryBody::open(&w.op, check_wire(ue).unwrap().sealed).unwrap();
            let usr_layer = open_user_auth_layer(&w.keys_of(MUNICH).seal, &body.auth_layer).unwrap();
            // The entry is filed under the day of its first minute; try the visit's days.
            let seg = [from.day(), to.day()].iter()
                .find_map(|d| open_visit(&u.usr.enc_key(*d).unwrap(), &usr_layer).ok()).unwrap();
            prop_assert_eq!(seg.qr_id, p.id);
            prop_assert_eq!((seg.time_in, seg.time_out), (from, to));
            seen += seg.scan_keys.len();
        }
        prop_assert_eq!(seen, slots);
    }

    #[test]
    fn parsers_never_panic_on_arbitrary_input(bytes in proptest::collection::vec(any::<u8>(), 0..600), text in ".{0,300}") {
        let _ = check_wire(&bytes);
        let _ = ConsentCode::decode(&bytes);
        let _ = Payload::parse(&text);
        let _ = Payload::parse(&format!("HTTPS://SPUR.EXAMPLE/P#{text}"));
        let _ = Payload::parse(&format!("HTTPS://SPUR.EXAMPLE/C#{text}"));
        let _ = Payload::parse(&format!("HTTPS://SPUR.EXAMPLE/A#{text}"));
        let _ = spur_protocol::directory::Directory::verify(&bytes, &spur_protocol::keys::SignSecretKey::from_bytes([1; 32]).public());
    }
}
