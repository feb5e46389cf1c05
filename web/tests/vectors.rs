//! The protocol's committed test vectors (protocol/tests/vectors.txt) checked in WebAssembly:
//! the keys derived in wasm32 equal the committed bytes exactly (Argon2id at the real cost, the
//! day keys, tags, TMP info, PIN checks), and every committed record opens here with the native
//! sizes. Run by scripts/wasm-tests.sh with wasm-bindgen-test-runner under Node.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::HashMap;

use spur_protocol::consent::ConsentCode;
use spur_protocol::fields::PhoneNumber;
use spur_protocol::qr::{Code, Payload};
use spur_protocol::record::consent_release::{ReleaseForAuthority, ReleaseForVault};
use spur_protocol::record::registration::{ContactData, RegistrationBody};
use spur_protocol::record::visit::{
    open_user_auth_layer, open_visit, SlotEntryBody, SlotOpener, UserEntryBody,
};
use spur_protocol::record::{check_wire, RecordKind};
use spur_protocol::tag::{QrId, TagKey};
use spur_protocol::time::Slot;
use spur_protocol::usr::{UsrKey, USR_KDF};
use spur_testkit::world::at;
use wasm_bindgen_test::wasm_bindgen_test;

const COMMITTED: &str = include_str!("../../protocol/tests/vectors.txt");

fn vectors() -> HashMap<String, Vec<u8>> {
    COMMITTED
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (k, v) = l.split_once(" = ").unwrap();
            (
                k.to_owned(),
                data_encoding::HEXLOWER.decode(v.as_bytes()).unwrap(),
            )
        })
        .collect()
}

fn arr(v: &HashMap<String, Vec<u8>>, k: &str) -> [u8; 32] {
    v[k].clone().try_into().unwrap()
}

#[wasm_bindgen_test]
fn keys_derived_in_wasm_are_the_committed_bytes() {
    let v = vectors();
    let phone = PhoneNumber::parse(std::str::from_utf8(&v["usr_phone"]).unwrap()).unwrap();
    let secret = std::str::from_utf8(&v["usr_secret"]).unwrap();
    let usr = UsrKey::derive(&phone, secret, USR_KDF).unwrap();
    assert_eq!(usr.expose().to_vec(), v["usr_key"]);
    let day = at(0, 0).day();
    assert_eq!(
        usr.find_key(day).unwrap().expose().to_vec(),
        v["usr_find_key_day"]
    );
    assert_eq!(
        usr.enc_key(day).unwrap().expose().to_vec(),
        v["usr_enc_key_day"]
    );
    assert_eq!(
        usr.find_key(day).unwrap().tag(at(12, 0), 0).to_vec(),
        v["usr_find_tag_12_00_n0"]
    );
    assert_eq!(
        usr.registration_id().unwrap().to_vec(),
        v["usr_registration_id"]
    );
    assert_eq!(
        usr.registration_secret().unwrap().handle().to_vec(),
        v["usr_registration_handle"]
    );

    let id = QrId([0x11; 16]);
    let tag = TagKey::from_bytes([0x22; 16]);
    let slot = Slot(997_296);
    assert_eq!(
        spur_protocol::tag::tmp_info(slot).to_vec(),
        v["tmp_info_997296"]
    );
    assert_eq!(tag.pin_check(&id).to_vec(), v["pin_check_2222_1111"]);
}

#[wasm_bindgen_test]
fn committed_records_open_in_wasm_with_the_native_sizes() {
    let v = vectors();
    let b = |k: &str| v[k].clone();
    let op = spur_protocol::keys::SealSecretKey::from_bytes(arr(&v, "op_secret"));
    let munich = spur_protocol::keys::SealSecretKey::from_bytes(arr(&v, "auth_munich_secret"));

    let reg = b("record_registration");
    let (_, body) = RegistrationBody::open_wire(&op, &reg).unwrap();
    let contact = ContactData::open(&munich, &body.sealed_contact).unwrap();
    assert_eq!(contact.phone.as_str(), "+4915100000001");

    let url = String::from_utf8(b("place_url")).unwrap();
    let Code::Place(place) = Payload::parse(&url).unwrap().code else {
        panic!("not a place code")
    };
    assert_eq!(place.name, "Café Zur Post");
    assert_eq!(place.commitment().0.to_vec(), b("place_qr_commitment"));

    let personal = b("record_personal");
    let rec = check_wire(&personal).unwrap();
    assert_eq!((rec.kind, personal.len()), (RecordKind::Personal, 192));
    assert_eq!(rec.qr_id().to_vec(), b("card_qr_id"));

    // A check-in's two records: the user entry and the slot entry, as the app uploads them.
    let user = UsrKey::from_bytes(arr(&v, "user_usr_key"));
    let ue_wire = b("record_user_entry_0");
    let ue_rec = check_wire(&ue_wire).unwrap();
    assert_eq!(ue_rec.kind, RecordKind::UserEntry);
    assert_eq!(ue_wire.len(), RecordKind::UserEntry.wire_len());
    let ue = UserEntryBody::open(&op, ue_rec.sealed).unwrap();
    let day = at(12, 0).day();
    assert_eq!(ue.find_tag, user.find_key(day).unwrap().tag(at(12, 0), 0));
    let seg = open_visit(
        &user.enc_key(day).unwrap(),
        &open_user_auth_layer(&munich, &ue.auth_layer).unwrap(),
    )
    .unwrap();
    assert_eq!(seg.qr_id, place.id);
    let se_wire = b("record_slot_entry_0");
    assert_eq!(se_wire.len(), RecordKind::SlotEntry.wire_len());
    assert_eq!(reg.len(), RecordKind::Registration.wire_len());
    let se = SlotEntryBody::open(&op, check_wire(&se_wire).unwrap().sealed).unwrap();
    let contact = SlotOpener::new(&seg.scan_keys[0].1)
        .unwrap()
        .try_open(&se.scan_layer)
        .unwrap();
    assert_eq!((contact.time_in, contact.time_out), (at(12, 0), at(12, 40)));

    let code = ConsentCode::decode(&b("consent_code")).unwrap();
    let phone = PhoneNumber::parse("+4915100000001").unwrap();
    assert!(code.is_for(&phone));
    let release = ReleaseForVault::open_wire(&op, &b("record_consent_release")).unwrap();
    assert_eq!(release.nonce, code.nonce);
    let auth = ReleaseForAuthority::open(&munich, &release.auth_part).unwrap();
    assert_eq!(auth.registration_id, user.registration_id().unwrap());
}
