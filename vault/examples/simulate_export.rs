//! Writes a POST-server export file of a simulated town for a real vault, so the commands can be
//! tried (and charts made) without servers: `cargo run -p spur-vault --example simulate_export --
//! VAULT_DIR OUT_FILE [CONSENT_URL]`. It reads the vault's op.pub, root.pub and directory.bin;
//! with a consent URL (from `spur authority consent-code`), user 0 also consents to it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::PathBuf;

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use spur_offline::keyfile;
use spur_protocol::directory::Directory;
use spur_protocol::export::encode;
use spur_protocol::fields::{PhoneNumber, PlaceKind, Region};
use spur_protocol::keys::{SealPublicKey, SignPublicKey};
use spur_protocol::qr::{Code, Payload};
use spur_protocol::record::consent_release::{build_consent_release, Releaser};
use spur_protocol::record::place::{build_place_record, PlaceDetails};
use spur_protocol::record::registration::{ContactData, RegistrationBody};
use spur_protocol::record::visit::{build_visit, CodeKind, VisitInput, Visitor};
use spur_protocol::tag::{TagKey, TagServerSecret};
use spur_protocol::time::{Minute, Slot};
use spur_protocol::usr::{UsrKey, TEST_KDF};
use spur_vault::export_file::row_from_upload;
use spur_wire::exchange::{OP_PUBLIC, ROOT_PUBLIC};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let vault = PathBuf::from(&args[0]);
    let out = PathBuf::from(&args[1]);
    let op = SealPublicKey::from_bytes(
        keyfile::read_public::<32>(&vault.join("op.pub"), OP_PUBLIC).unwrap(),
    )
    .unwrap();
    let root = SignPublicKey::from_bytes(
        keyfile::read_public::<32>(&vault.join("root.pub"), ROOT_PUBLIC).unwrap(),
    )
    .unwrap();
    let dir =
        Directory::verify(&std::fs::read(vault.join("directory.bin")).unwrap(), &root).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let tag_server = TagServerSecret::random(&mut rng);
    let tmp = tag_server.tmp_deriver().unwrap();
    let now = Minute::from_unix_seconds(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    );
    let first_day = now.day().0 - 14;
    let postcodes = [
        "80331", "80469", "80539", "80636", "80797", "81241", "81369", "81541", "10115", "10243",
        "10435", "12043",
    ];
    let mut uploads = Vec::new();
    let mut users = Vec::new();
    for i in 0..300u32 {
        // Busier districts get more people; two postcodes stay below the threshold.
        let pc = postcodes[((i * i) % 97 % postcodes.len() as u32) as usize];
        let pc = if i % 150 == 7 { "85748" } else { pc };
        let phone = PhoneNumber::parse(&format!("+49151{:08}", 2000 + i)).unwrap();
        let usr = UsrKey::derive(&phone, "a good secret", TEST_KDF).unwrap();
        let region = Region::parse("DE", Some(pc)).unwrap();
        let home = dir.route(Some(&region)).unwrap().clone();
        let contact = ContactData {
            phone,
            campus_id: None,
            region: Some(region),
            birth_year: Some(1970 + (i % 40) as u16),
        };
        let body = RegistrationBody {
            registration_id: usr.registration_id().unwrap(),
            home_authority: home.id,
            region: Some(region),
            sealed_contact: contact.seal(&mut rng, &home.seal).unwrap(),
        };
        let day = first_day + i % 14;
        uploads.push((
            day,
            body.build(&mut rng, &op, &usr.registration_secret().unwrap())
                .unwrap(),
        ));
        users.push((usr, region, home));
    }
    let mut places = Vec::new();
    for (i, pc) in postcodes.iter().enumerate() {
        for k in 0..2 {
            let id = tag_server
                .issue_qr_id(&spur_protocol::tag::QrCommitment::random(&mut rng))
                .unwrap();
            let tag = TagKey::random(&mut rng);
            let region = Region::parse("DE", Some(pc)).unwrap();
            let auth = dir.route(Some(&region)).unwrap().clone();
            let details = PlaceDetails {
                responsible_phone: PhoneNumber::parse("+498912345678").unwrap(),
                region,
                kind: PlaceKind::Gastronomy,
                name: format!("Café {i}-{k}"),
                description: String::new(),
            };
            uploads.push((
                first_day,
                build_place_record(&mut rng, &op, (auth.id, &auth.seal), &id, &tag, &details)
                    .unwrap(),
            ));
            places.push((id, tag, region));
        }
    }
    for d in 0..14u32 {
        // A wave: more visits in the middle of the period.
        let rate = 20 + 30 * (7 - (d as i32 - 7).abs()) as u32;
        for (u, (usr, region, home)) in users.iter().enumerate() {
            if rng.next_u32() % 100 >= rate && u != 0 {
                continue;
            }
            let p =
                (rng.next_u32() as usize % places.len()) * (rng.next_u32() as usize % 3 + 1) / 3;
            let (id, tag, place_region) = &places[p];
            let from = Minute((first_day + d) * 1440 + 600 + rng.next_u32() % 600);
            let to = from.plus(20 + rng.next_u32() % 120);
            let input = VisitInput {
                code_kind: CodeKind::Place,
                qr_id: *id,
                tag: tag.clone(),
                region: Some(*place_region),
                time_in: from,
                time_out: to,
                scan_keys: Slot::covering(from, to)
                    .map(|s| (s, tag.scan_key(id, s, &tmp.tmp(id, s)).unwrap()))
                    .collect(),
                find_index: 0,
            };
            let visitor = Visitor {
                usr,
                registration_id: usr.registration_id().unwrap(),
                home_authority: (home.id, &home.seal),
                home_region: Some(*region),
            };
            let v = build_visit(&mut rng, &op, &visitor, &input).unwrap();
            for r in v.slot_entries.into_iter().chain(v.user_entries) {
                uploads.push((from.day().0, r));
            }
        }
    }
    if let Some(url) = args.get(2) {
        let Code::Consent(code) = Payload::parse(url).unwrap().code else {
            panic!("not a consent URL")
        };
        let verified = code.verify(&dir, now).unwrap();
        let (usr, _, home) = &users[0];
        // The first simulated user's number (the code must have been issued for it).
        let phone = PhoneNumber::parse(&format!("+49151{:08}", 2000)).unwrap();
        let person = Releaser {
            usr,
            home_authority: home.id,
            phone: &phone,
            own_codes: &[],
        };
        uploads.push((
            now.day().0,
            build_consent_release(&mut rng, &op, &verified, &person).unwrap(),
        ));
    }
    let rows: Vec<_> = uploads
        .iter()
        .map(|(d, w)| row_from_upload(spur_protocol::time::Day(*d), w).unwrap())
        .collect();
    std::fs::write(&out, encode(&rows, false, "simulated")).unwrap();
    println!("wrote {} records to {}", rows.len(), out.display());
}
