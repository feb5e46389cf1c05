//! A small deterministic world for the protocol tests: operator, two authorities, a TAG server,
//! users, a place, a printed card, and helpers that play each party's part.
#![allow(clippy::too_many_arguments, missing_docs)]

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use spur_protocol::directory::Directory;
use spur_protocol::fields::{PhoneNumber, PlaceKind, Region};
use spur_protocol::keys::{AuthorityKeys, SealSecretKey, SignSecretKey};
use spur_protocol::record::place::{build_personal_record, build_place_record, PlaceDetails};
use spur_protocol::record::registration::{ContactData, RegistrationBody};
use spur_protocol::record::visit::{build_visit, CodeKind, VisitInput, VisitRecords, Visitor};
use spur_protocol::tag::{QrCommitment, QrId, ScanKey, TagKey, TagServerSecret, TmpDeriver};
use spur_protocol::time::{Minute, Slot};
use spur_protocol::usr::{UsrKey, TEST_KDF};

pub use crate::towns::{BERLIN, MUNICH};

pub struct World {
    pub rng: ChaCha20Rng,
    pub op: SealSecretKey,
    pub root: SignSecretKey,
    pub auth: Vec<AuthorityKeys>,
    pub dir: Directory,
    pub tag_server: TagServerSecret,
    pub tmp: TmpDeriver,
}

pub struct User {
    pub phone: PhoneNumber,
    pub usr: UsrKey,
    pub region: Region,
    pub home: u16,
    pub registration_wire: Vec<u8>,
}

pub struct PlaceCodeKeys {
    pub id: QrId,
    pub tag: TagKey,
    pub region: Region,
    pub name: String,
    pub record_wire: Vec<u8>,
}

impl World {
    pub fn new(seed: u64) -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let op = SealSecretKey::generate(&mut rng);
        let root = SignSecretKey::generate(&mut rng);
        let auth: Vec<_> = (0..2).map(|_| AuthorityKeys::generate(&mut rng)).collect();
        let dir = crate::towns::directory(&auth, Minute(29_000_000));
        let tag_server = TagServerSecret::random(&mut rng);
        let tmp = tag_server.tmp_deriver().unwrap();
        Self {
            rng,
            op,
            root,
            auth,
            dir,
            tag_server,
            tmp,
        }
    }

    pub fn keys_of(&self, authority: u16) -> &AuthorityKeys {
        &self.auth[usize::from(authority - 1)]
    }

    pub fn register(&mut self, phone: &str, postcode: &str) -> User {
        let phone = PhoneNumber::parse(phone).unwrap();
        let usr = UsrKey::derive(&phone, "a good secret", TEST_KDF).unwrap();
        let region = Region::parse("DE", Some(postcode)).unwrap();
        let home = self.dir.route(Some(&region)).unwrap().clone();
        let contact = ContactData {
            phone: phone.clone(),
            campus_id: Some("ga12bcd".into()),
            region: Some(region),
            birth_year: Some(1990),
        };
        let sealed_contact = contact.seal(&mut self.rng, &home.seal).unwrap();
        let body = RegistrationBody {
            registration_id: usr.registration_id().unwrap(),
            home_authority: home.id,
            region: Some(region),
            sealed_contact,
        };
        let registration_wire = body
            .build(
                &mut self.rng,
                &self.op.public(),
                &usr.registration_secret().unwrap(),
            )
            .unwrap();
        User {
            phone,
            usr,
            region,
            home: home.id,
            registration_wire,
        }
    }

    pub fn place(&mut self, name: &str, postcode: &str) -> PlaceCodeKeys {
        let tag = TagKey::random(&mut self.rng);
        let region = Region::parse("DE", Some(postcode)).unwrap();
        let id = self
            .tag_server
            .issue_qr_id(&QrCommitment::of_place(&tag, &region, name))
            .unwrap();
        let auth = self.dir.route(Some(&region)).unwrap().clone();
        let details = PlaceDetails {
            responsible_phone: PhoneNumber::parse("+498912345678").unwrap(),
            region,
            kind: PlaceKind::Gastronomy,
            name: name.into(),
            description: "Marienplatz 1, 1st floor".into(),
        };
        let record_wire = build_place_record(
            &mut self.rng,
            &self.op.public(),
            (auth.id, &auth.seal),
            &id,
            &tag,
            &details,
        )
        .unwrap();
        PlaceCodeKeys {
            id,
            tag,
            region,
            name: name.into(),
            record_wire,
        }
    }

    pub fn card(&mut self, owner: &User) -> (QrId, TagKey, Vec<u8>) {
        let tag = TagKey::random(&mut self.rng);
        let id = self
            .tag_server
            .issue_qr_id(&QrCommitment::of_personal(false, &tag))
            .unwrap();
        let home = self.dir.authority(owner.home).unwrap().clone();
        let wire = build_personal_record(
            &mut self.rng,
            &self.op.public(),
            (home.id, &home.seal),
            &id,
            &tag,
            &owner.usr.registration_id().unwrap(),
            false,
        )
        .unwrap();
        (id, tag, wire)
    }

    pub fn scan_keys(
        &self,
        id: &QrId,
        tag: &TagKey,
        from: Minute,
        to: Minute,
    ) -> Vec<(Slot, ScanKey)> {
        Slot::covering(from, to)
            .map(|s| (s, tag.scan_key(id, s, &self.tmp.tmp(id, s)).unwrap()))
            .collect()
    }

    pub fn visit(
        &mut self,
        user: &User,
        kind: CodeKind,
        id: &QrId,
        tag: &TagKey,
        region: Option<Region>,
        from: Minute,
        to: Minute,
    ) -> VisitRecords {
        let home = self.dir.authority(user.home).unwrap().clone();
        let visitor = Visitor {
            usr: &user.usr,
            registration_id: user.usr.registration_id().unwrap(),
            home_authority: (home.id, &home.seal),
            home_region: Some(user.region),
        };
        let input = VisitInput {
            code_kind: kind,
            qr_id: *id,
            tag: tag.clone(),
            region,
            time_in: from,
            time_out: to,
            scan_keys: self.scan_keys(id, tag, from, to),
            find_index: 0,
        };
        let op = self.op.public();
        build_visit(&mut self.rng, &op, &visitor, &input).unwrap()
    }
}

/// A time on 2026-11-20 at hh:mm UTC.
pub fn at(hh: u32, mm: u32) -> Minute {
    let day = 20_777; // 2026-11-20 as days since the epoch
    Minute(day * 1440 + hh * 60 + mm)
}
