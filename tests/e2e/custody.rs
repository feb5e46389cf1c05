//! DESIGN.md property 8 end to end: the key-custody matrix of docs/protocol.md, played against
//! records a real POST server stored (its export) and keys taken from the files the real parties
//! wrote — the vault's OP key, the Munich and Berlin desks' AUTH keys, the TAG server's secret
//! (for TMP keys), the TAG keys a scan of the printed codes gives, and a citizen's USR key derived
//! from her credentials. The protocol crate checks the same table on records it built itself
//! (`protocol/tests/custody.rs`); this test shows the deployed binaries keep it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dump::{export_rows, Row};
use common::http::export;
use common::{auth_secret, op_secret, scan_url, World};
use spur_protocol::keys::SealSecretKey;
use spur_protocol::qr::{Code, Payload};
use spur_protocol::record::place::{
    open_contact_ref, open_personal_record, PlaceDetails, PlaceRecordBody,
};
use spur_protocol::record::registration::{ContactData, RegistrationBody};
use spur_protocol::record::visit::{
    open_user_auth_layer, open_visit, SlotEntryBody, SlotOpener, UserEntryBody,
};
use spur_protocol::record::RecordKind;
use spur_protocol::tag::{QrId, ScanKey, TagKey, TagServerSecret, TmpDeriver};
use spur_protocol::time::{Clock, Day, Slot, SystemClock, SLOTS_PER_DAY};
use spur_protocol::usr::{UsrKey, TEST_KDF};
use spur_testkit::custody_table::{assert_row, documented};

/// The dump and every key of the matrix, as the real processes left them. Xaver (Munich) carries
/// a printed card and meets Yvonne (Munich) at a Munich place; Berlin has no resident here, so
/// its key is the "other authority" of the table.
struct Dump {
    rows: Vec<Row>,
    op: SealSecretKey,
    munich: SealSecretKey,
    berlin: SealSecretKey,
    xaver: UsrKey,
    place: (QrId, TagKey),
    card: (QrId, TagKey),
    tmp: TmpDeriver,
    day: Day,
}

fn tag_of(picture: &std::path::Path) -> (QrId, TagKey) {
    match Payload::parse(&scan_url(picture)).unwrap().code {
        Code::Place(p) => (p.id, p.tag),
        Code::Personal(c) => (c.id, c.tag(None, TEST_KDF).unwrap()),
        Code::Consent(_) => panic!("not a place or personal code"),
    }
}

fn dump(w: &World) -> Dump {
    let xaver = w.citizen("xaver", "+4917600000001", "80331", Some("XAVER-CAMPUS-1"));
    let yvonne = w.citizen("yvonne", "+4917600000002", "80335", None);
    let place = xaver.place_code("Wirtshaus am Eck", "80331", "+4917600000099");
    let card = xaver.card();
    for c in [&xaver, &yvonne] {
        c.check_in(&place, "30", 0);
        // Sent once the stay is over: the phone syncs a day later.
        let out = c.sync(1);
        assert!(out.contains("pending 0"), "{out}");
    }
    let token = std::fs::read_to_string(&w.token).unwrap();
    let rows = export_rows(&export(w.post_port, &token));
    let secret: [u8; 32] = std::fs::read(&w.tag_secret).unwrap().try_into().unwrap();
    let phone = spur_protocol::fields::PhoneNumber::parse(&xaver.phone).unwrap();
    Dump {
        rows,
        op: op_secret(&w.vault),
        munich: auth_secret(&w.desks[0]),
        berlin: auth_secret(&w.desks[1]),
        xaver: UsrKey::derive(&phone, &xaver.secret, TEST_KDF).unwrap(),
        place: tag_of(&place),
        card: tag_of(&card),
        tmp: TagServerSecret::from_bytes(secret).tmp_deriver().unwrap(),
        day: SystemClock.day(),
    }
}

impl Dump {
    fn bodies(&self, kind: RecordKind) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(move |r| r.kind == kind as u8)
    }
}

/// Plays an attacker holding exactly the keys in `held` (the table's column order) against the
/// real dump and reports what opened (the table's item order).
fn attack(d: &Dump, held: &[bool; 6]) -> [bool; 7] {
    let [op, right, other, usr, tag, tmp] = *held;
    let op = op.then_some(&d.op);
    let auth: Vec<&SealSecretKey> = [(right, &d.munich), (other, &d.berlin)]
        .into_iter()
        .filter_map(|(h, k)| h.then_some(k))
        .collect();
    let any_auth = |f: &dyn Fn(&SealSecretKey) -> bool| auth.iter().any(|a| f(a));
    let mut out = [false; 7];
    // Without OP every record is one sealed box: there is nothing to try the other keys on.
    let Some(op) = op else { return out };

    for r in d.bodies(RecordKind::Registration) {
        let body = RegistrationBody::open(op, &r.body).unwrap();
        out[0] |= any_auth(&|a| ContactData::open(a, &body.sealed_contact).is_ok());
    }
    if tag {
        for r in d.bodies(RecordKind::Place) {
            let body = PlaceRecordBody::open(op, &r.body).unwrap();
            if let Ok(inner) = body.open_tag(&d.place.1) {
                out[1] |= any_auth(&|a| PlaceDetails::open(a, &inner.sealed).is_ok());
            }
        }
        for r in d.bodies(RecordKind::Personal) {
            if let Ok(inner) = open_personal_record(op, &r.body, &d.card.1) {
                out[2] |= any_auth(&|a| open_contact_ref(a, &inner.sealed).is_ok());
            }
        }
    }
    let users: Vec<UserEntryBody> = d
        .bodies(RecordKind::UserEntry)
        .map(|r| UserEntryBody::open(op, &r.body).unwrap())
        .collect();
    let mut scan_keys: Vec<ScanKey> = Vec::new();
    if usr {
        let find = d.xaver.find_key(d.day).unwrap();
        let index = spur_protocol::trace::find_tag_index(&[(d.day, find)]);
        out[3] = users.iter().any(|u| index.contains_key(&u.find_tag));
        let enc = d.xaver.enc_key(d.day).unwrap();
        for u in &users {
            for a in &auth {
                if let Ok(layer) = open_user_auth_layer(a, &u.auth_layer) {
                    if let Ok(visit) = open_visit(&enc, &layer) {
                        out[4] = true;
                        scan_keys.extend(visit.scan_keys.into_iter().map(|(_, k)| k));
                    }
                }
            }
        }
    }
    if tag && tmp {
        // TAG and TMP together give the SCAN key of every slot of the day.
        let first = d.day.0 * SLOTS_PER_DAY;
        for s in first..first + SLOTS_PER_DAY {
            let tmp_key = d.tmp.tmp(&d.place.0, Slot(s));
            scan_keys.push(d.place.1.scan_key(&d.place.0, Slot(s), &tmp_key).unwrap());
        }
    }
    for r in d.bodies(RecordKind::SlotEntry) {
        let body = SlotEntryBody::open(op, &r.body).unwrap();
        for k in &scan_keys {
            if let Some(contact) = SlotOpener::new(k).unwrap().try_open(&body.scan_layer) {
                out[5] = true;
                out[6] |= any_auth(&|a| open_contact_ref(a, &contact.sealed_ref).is_ok());
            }
        }
    }
    out
}

#[test]
fn p8_custody_matrix_holds_on_a_real_post_dump_with_the_parties_key_files() {
    let w = World::new();
    let d = dump(&w);
    let rows = documented();
    assert_eq!(rows.len(), 64, "every combination of the six keys");
    for (keys, expected) in rows {
        assert_row(keys, attack(&d, &keys), expected);
    }
}
