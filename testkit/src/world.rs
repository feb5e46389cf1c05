//! A small deterministic world for the protocol tests: operator, two authorities, a TAG server,
//! users, a place, a printed card, and helpers that play each party's part.
#![allow(clippy::too_many_arguments, missing_docs)]

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use spur_protocol::directory::Directory;
use spur_protocol::fields::{PhoneNumber, PlaceKind, Region};
use spur_protocol::keys::{AuthorityKeys, SealPublicKey, SealSecretKey, SignSecretKey};
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
        let tag_server = TagServerSecret::random(&mut rng);
        let tmp = tag_server.tmp_deriver().unwrap();
        let dir = crate::towns::directory(&auth, tmp.public(), Minute(29_000_000));
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

    /// The builders, drawing from this world's randomness.
    pub fn parts(&mut self) -> Parts<'_> {
        Parts {
            rng: &mut self.rng,
            op: self.op.public(),
            dir: &self.dir,
            tag_server: &self.tag_server,
            tmp: &self.tmp,
        }
    }

    pub fn register(&mut self, phone: &str, postcode: &str) -> User {
        self.parts().register(phone, postcode, Some("ga12bcd"))
    }

    pub fn place(&mut self, name: &str, postcode: &str) -> PlaceCodeKeys {
        self.parts()
            .place(name, postcode, "Marienplatz 1, 1st floor")
    }

    pub fn card(&mut self, owner: &User) -> (QrId, TagKey, Vec<u8>) {
        self.parts().card(owner.home, &owner.usr)
    }

    pub fn scan_keys(
        &self,
        id: &QrId,
        tag: &TagKey,
        from: Minute,
        to: Minute,
    ) -> Vec<(Slot, ScanKey)> {
        scan_keys(&self.tmp, id, tag, from, to)
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
        self.parts().visit(
            (&user.usr, user.home, user.region),
            kind,
            id,
            tag,
            region,
            (from, to),
            0,
        )
    }
}

/// What building a party's records takes, borrowed from whichever test world holds it (a
/// [`World`], or a town with a vault on disk): its randomness, the operator's public key, its
/// directory and its TAG server. One copy of each builder, so the worlds cannot drift apart.
pub struct Parts<'a> {
    pub rng: &'a mut ChaCha20Rng,
    pub op: SealPublicKey,
    pub dir: &'a Directory,
    pub tag_server: &'a TagServerSecret,
    pub tmp: &'a TmpDeriver,
}

impl Parts<'_> {
    /// A user living in `postcode`, registered with their home authority; the registration
    /// upload is in [`User::registration_wire`].
    pub fn register(&mut self, phone: &str, postcode: &str, campus: Option<&str>) -> User {
        let phone = PhoneNumber::parse(phone).unwrap();
        let usr = UsrKey::derive(&phone, "a good secret", TEST_KDF).unwrap();
        let region = Region::parse("DE", Some(postcode)).unwrap();
        let home = self.dir.route(Some(&region)).unwrap().clone();
        let contact = ContactData {
            phone: phone.clone(),
            campus_id: campus.map(str::to_owned),
            region: Some(region),
            birth_year: Some(1990),
        };
        let sealed_contact = contact.seal(self.rng, &home.seal).unwrap();
        let body = RegistrationBody {
            registration_id: usr.registration_id().unwrap(),
            home_authority: home.id,
            region: Some(region),
            sealed_contact,
        };
        let registration_wire = body
            .build(self.rng, &self.op, &usr.registration_secret().unwrap())
            .unwrap();
        User {
            phone,
            usr,
            region,
            home: home.id,
            registration_wire,
        }
    }

    /// A place's printed code in `postcode`, sealed for the authority there.
    pub fn place(&mut self, name: &str, postcode: &str, description: &str) -> PlaceCodeKeys {
        let tag = TagKey::random(self.rng);
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
            description: description.into(),
        };
        let record_wire = build_place_record(
            self.rng,
            &self.op,
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

    /// A personal card of the user with `usr` at home with authority `home`: its id, key and
    /// record upload.
    pub fn card(&mut self, home: u16, usr: &UsrKey) -> (QrId, TagKey, Vec<u8>) {
        let tag = TagKey::random(self.rng);
        let id = self
            .tag_server
            .issue_qr_id(&QrCommitment::of_personal(false, &tag))
            .unwrap();
        let home = self.dir.authority(home).unwrap().clone();
        let wire = build_personal_record(
            self.rng,
            &self.op,
            (home.id, &home.seal),
            &id,
            &tag,
            &usr.registration_id().unwrap(),
            false,
        )
        .unwrap();
        (id, tag, wire)
    }

    /// The records of one stay of `visitor` (their key, home authority and home region) at the
    /// code `id` over `stay` (from, to); `find_index` tells apart stays starting in one minute.
    pub fn visit(
        &mut self,
        visitor: (&UsrKey, u16, Region),
        kind: CodeKind,
        id: &QrId,
        tag: &TagKey,
        region: Option<Region>,
        stay: (Minute, Minute),
        find_index: u8,
    ) -> VisitRecords {
        let (usr, home, home_region) = visitor;
        let home = self.dir.authority(home).unwrap().clone();
        let visitor = Visitor {
            usr,
            registration_id: usr.registration_id().unwrap(),
            home_authority: (home.id, &home.seal),
            home_region: Some(home_region),
        };
        let input = VisitInput {
            code_kind: kind,
            qr_id: *id,
            tag: tag.clone(),
            region,
            time_in: stay.0,
            time_out: stay.1,
            scan_keys: scan_keys(self.tmp, id, tag, stay.0, stay.1),
            find_index,
        };
        build_visit(self.rng, &self.op, &visitor, &input).unwrap()
    }
}

/// The scan keys of the code `id` for every slot from `from` to `to`, as a scanning phone gets
/// them from the TAG server.
pub fn scan_keys(
    tmp: &TmpDeriver,
    id: &QrId,
    tag: &TagKey,
    from: Minute,
    to: Minute,
) -> Vec<(Slot, ScanKey)> {
    Slot::covering(from, to)
        .map(|s| (s, tag.scan_key(id, s, &tmp.tmp(id, s)).unwrap()))
        .collect()
}

/// A time on 2026-11-20 at hh:mm UTC.
pub fn at(hh: u32, mm: u32) -> Minute {
    let day = 20_777; // 2026-11-20 as days since the epoch
    Minute(day * 1440 + hh * 60 + mm)
}
