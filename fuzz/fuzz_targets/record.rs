//! Fuzzes the record header check and every OP-layer opener and inner decoder with arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spur_protocol::keys::SealSecretKey;
use spur_protocol::record::consent_release::{ReleaseForAuthority, ReleaseForVault};
use spur_protocol::record::place::{open_contact_ref, open_personal_record, PlaceDetails, PlaceRecordBody};
use spur_protocol::record::registration::{ContactData, RegistrationBody};
use spur_protocol::record::visit::{open_user_auth_layer, open_visit, SlotEntryBody, SlotOpener, UserEntryBody};
use spur_protocol::record::check_wire;
use spur_protocol::tag::{ScanKey, TagKey};
use spur_protocol::usr::EncKey;

fuzz_target!(|data: &[u8]| {
    let key = SealSecretKey::from_bytes([7; 32]);
    let _ = check_wire(data);
    let _ = RegistrationBody::open(&key, data);
    let _ = RegistrationBody::open_wire(&key, data);
    let _ = PlaceRecordBody::open(&key, data);
    let _ = open_personal_record(&key, data, &TagKey::from_bytes([1; 16]));
    let _ = SlotEntryBody::open(&key, data);
    let _ = UserEntryBody::open(&key, data);
    let _ = ReleaseForVault::open(&key, data);
    let _ = ReleaseForAuthority::open(&key, data);
    let _ = ContactData::open(&key, data);
    let _ = PlaceDetails::open(&key, data);
    let _ = open_contact_ref(&key, data);
    let _ = open_user_auth_layer(&key, data);
    let _ = open_visit(&EncKey::from_bytes([2; 32]), data);
    if let Ok(o) = SlotOpener::new(&ScanKey::from_bytes([3; 32])) {
        let _ = o.try_open(data);
    }
});
