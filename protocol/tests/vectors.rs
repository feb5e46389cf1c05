//! Fixed test vectors: keys, derivations and records built from a fixed seed, committed in
//! `tests/vectors.txt`. Another implementation derives the same keys and opens the same records.
//! Run with `SPUR_UPDATE_VECTORS=1` after an intended format change, and say so in the commit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use spur_testkit::world as common;

use common::*;
use spur_protocol::consent::{ConsentCode, ConsentTerms};
use spur_protocol::fields::PhoneNumber;
use spur_protocol::qr::{Code, Payload, PlaceCode};
use spur_protocol::record::check_wire;
use spur_protocol::record::consent_release::{
    build_consent_release, ReleaseForAuthority, ReleaseForVault, Releaser,
};
use spur_protocol::record::registration::{ContactData, RegistrationBody};
use spur_protocol::record::visit::{
    open_user_auth_layer, open_visit, CodeKind, SlotEntryBody, SlotOpener, UserEntryBody,
};
use spur_protocol::tag::QrId;
use spur_protocol::time::Slot;
use spur_protocol::usr::{UsrKey, USR_KDF};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors.txt");

fn build() -> Vec<(String, String)> {
    let mut w = World::new(2026);
    let mut v: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, val: &[u8]| v.push((k.to_owned(), data_encoding::HEXLOWER.encode(val)));
    put("op_secret", w.op.to_bytes().as_ref());
    put(
        "auth_munich_secret",
        w.keys_of(MUNICH).seal.to_bytes().as_ref(),
    );
    put(
        "auth_berlin_secret",
        w.keys_of(BERLIN).seal.to_bytes().as_ref(),
    );
    put("tag_server_secret", w.tag_server.expose());

    // USR at the real cost, from fixed credentials.
    let phone = PhoneNumber::parse("+4915123456789").unwrap();
    let usr = UsrKey::derive(&phone, "correct horse battery staple", USR_KDF).unwrap();
    put("usr_phone", phone.as_str().as_bytes());
    put("usr_secret", b"correct horse battery staple");
    put("usr_key", usr.expose());
    let day = at(0, 0).day();
    put("usr_find_key_day", usr.find_key(day).unwrap().expose());
    put("usr_enc_key_day", usr.enc_key(day).unwrap().expose());
    put(
        "usr_find_tag_12_00_n0",
        &usr.find_key(day).unwrap().tag(at(12, 0), 0),
    );
    put("usr_registration_id", &usr.registration_id().unwrap());
    put(
        "usr_registration_handle",
        &usr.registration_secret().unwrap().handle(),
    );

    let id = QrId([0x11; 16]);
    let tag = spur_protocol::tag::TagKey::from_bytes([0x22; 16]);
    let slot = Slot(997_296);
    // TMP = HKDF(POPRF(QR id; info "spur/v1/tmp/" || slot)) under the TAG server's POPRF key.
    let tmp = w.tmp.tmp(&id, slot);
    put("tag_poprf_public", &w.tmp.public().to_bytes());
    put("tmp_info_997296", &spur_protocol::tag::tmp_info(slot));
    put("tmp_qr_id", &id.0);
    put("tmp_slot_997296", tmp.expose());
    put(
        "scan_tag_2222",
        tag.scan_key(&id, slot, &tmp).unwrap().expose(),
    );

    let user = w.register("+4915100000001", "80331");
    let place = w.place("Café Zur Post", "80331");
    let visit = w.visit(
        &user,
        CodeKind::Place,
        &place.id,
        &place.tag,
        Some(place.region),
        at(12, 0),
        at(12, 40),
    );
    let url = Payload {
        host: "spur.example".into(),
        code: Code::Place(PlaceCode {
            id: place.id,
            tag: place.tag.clone(),
            region: place.region,
            name: place.name.clone(),
        }),
    }
    .to_url()
    .unwrap();
    put("place_url", url.as_bytes());
    put("place_qr_commitment", &place.id.commitment().0);
    put("pin_check_2222_1111", &tag.pin_check(&id));
    let (card_id, _, card_wire) = w.card(&user);
    put("card_qr_id", &card_id.0);
    put("record_personal", &card_wire);
    put("record_registration", &user.registration_wire);
    put("record_place", &place.record_wire);
    put("record_slot_entry_0", &visit.slot_entries[0]);
    put("record_user_entry_0", &visit.user_entries[0]);
    put("user_usr_key", user.usr.expose());

    // Consent code v2 for that user (docs/protocol.md section 6) and the release it triggers.
    let phone = PhoneNumber::parse("+4915100000001").unwrap();
    let code = ConsentCode::issue(
        &w.keys_of(MUNICH).sign,
        &ConsentTerms {
            authority: MUNICH,
            case_id: "M-2026-0042",
            first_day: day,
            days: 1,
            issued: at(20, 0),
            expires: at(23, 0),
        },
        [0x33; 16],
        &phone,
    )
    .unwrap();
    put("consent_person_check", &code.person_check);
    put("consent_code", &code.encode());
    let verified = code.verify(&w.dir, at(21, 0)).unwrap();
    let release = build_consent_release(
        &mut w.rng,
        &w.op.public(),
        &verified,
        &Releaser {
            usr: &user.usr,
            home_authority: user.home,
            phone: &phone,
            own_codes: &[],
        },
    )
    .unwrap();
    put("record_consent_release", &release);
    v
}

fn read_committed() -> Vec<(String, String)> {
    std::fs::read_to_string(PATH)
        .expect("tests/vectors.txt is committed; create it with SPUR_UPDATE_VECTORS=1")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (k, v) = l.split_once(" = ").unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

#[test]
fn vectors_are_reproduced_exactly() {
    let built = build();
    if std::env::var_os("SPUR_UPDATE_VECTORS").is_some() {
        let mut out = String::from(
            "# spur protocol v1 test vectors: name = hex (see docs/protocol.md section 13)\n",
        );
        for (k, v) in &built {
            out.push_str(&format!("{k} = {v}\n"));
        }
        std::fs::write(PATH, out).unwrap();
    }
    assert_eq!(
        read_committed(),
        built,
        "format or derivation changed: see the header of this file"
    );
}

#[test]
fn committed_vectors_still_open() {
    // The decoding side alone, from the committed bytes: what another implementation would run.
    let v: std::collections::HashMap<_, _> = read_committed().into_iter().collect();
    let b = |k: &str| data_encoding::HEXLOWER.decode(v[k].as_bytes()).unwrap();
    let arr = |k: &str| -> [u8; 32] { b(k).try_into().unwrap() };
    let op = spur_protocol::keys::SealSecretKey::from_bytes(arr("op_secret"));
    let munich = spur_protocol::keys::SealSecretKey::from_bytes(arr("auth_munich_secret"));

    let reg = b("record_registration");
    let (_, body) = RegistrationBody::open_wire(&op, &reg).unwrap();
    assert_eq!(
        ContactData::open(&munich, &body.sealed_contact)
            .unwrap()
            .phone
            .as_str(),
        "+4915100000001"
    );

    let url = String::from_utf8(b("place_url")).unwrap();
    let Code::Place(place) = Payload::parse(&url).unwrap().code else {
        panic!("place")
    };
    assert_eq!(place.name, "Café Zur Post");
    // The id carries the commitment to the code's data (parse checked it; so does this).
    assert_eq!(place.commitment().0.to_vec(), b("place_qr_commitment"));
    assert!(place.id.binds(&place.commitment()));
    let pin_check = spur_protocol::tag::TagKey::from_bytes([0x22; 16]).pin_check(&QrId([0x11; 16]));
    assert_eq!(pin_check.to_vec(), b("pin_check_2222_1111"));
    let personal = b("record_personal");
    let rec = check_wire(&personal).unwrap();
    assert_eq!(
        (
            rec.kind,
            personal.len(),
            rec.qr_id().to_vec(),
            rec.pin_check().map(<[u8]>::len)
        ),
        (
            spur_protocol::record::RecordKind::Personal,
            192,
            b("card_qr_id"),
            Some(32)
        )
    );

    let user = UsrKey::from_bytes(arr("user_usr_key"));
    let ue =
        UserEntryBody::open(&op, check_wire(&b("record_user_entry_0")).unwrap().sealed).unwrap();
    let day = at(12, 0).day();
    assert_eq!(ue.find_tag, user.find_key(day).unwrap().tag(at(12, 0), 0));
    let seg = open_visit(
        &user.enc_key(day).unwrap(),
        &open_user_auth_layer(&munich, &ue.auth_layer).unwrap(),
    )
    .unwrap();
    assert_eq!(seg.qr_id, place.id);
    let se =
        SlotEntryBody::open(&op, check_wire(&b("record_slot_entry_0")).unwrap().sealed).unwrap();
    let contact = SlotOpener::new(&seg.scan_keys[0].1)
        .unwrap()
        .try_open(&se.scan_layer)
        .unwrap();
    assert_eq!((contact.time_in, contact.time_out), (at(12, 0), at(12, 40)));

    let code = ConsentCode::decode(&b("consent_code")).unwrap();
    let phone = PhoneNumber::parse("+4915100000001").unwrap();
    assert!(code.is_for(&phone));
    assert_eq!(code.person_check.to_vec(), b("consent_person_check"));
    let release = ReleaseForVault::open_wire(&op, &b("record_consent_release")).unwrap();
    assert_eq!(release.nonce, code.nonce);
    assert_eq!(release.find_keys, vec![(day, user.find_key(day).unwrap())]);
    let auth = ReleaseForAuthority::open(&munich, &release.auth_part).unwrap();
    assert_eq!(auth.phone, phone);
    assert_eq!(auth.registration_id, user.registration_id().unwrap());
}
