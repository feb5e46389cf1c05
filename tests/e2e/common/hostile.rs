//! A hostile client: a registered stranger with a modified app who builds records by hand from
//! `docs/protocol.md` with the protocol crate's builders and only public inputs — the signed
//! directory the TAG server serves (checked against the root key every app pins), the OP public
//! key, a place code's URL as printed on the door, and the TMP keys the TAG server gives anyone
//! near "now" — and uploads them over HTTP to the real POST server.

use rand_core::{OsRng, RngCore};
use spur_protocol::directory::Directory;
use spur_protocol::fields::{PhoneNumber, Region};
use spur_protocol::keys::{SealPublicKey, SealSecretKey, SignPublicKey};
use spur_protocol::qr::{Code, Payload, PlaceCode};
use spur_protocol::record::registration::RegistrationBody;
use spur_protocol::record::visit::{build_visit, CodeKind, VisitInput, Visitor};
use spur_protocol::record::CONTACT_PLAIN;
use spur_protocol::tag::{ScanKey, TmpKey};
use spur_protocol::time::{Minute, Slot};
use spur_protocol::usr::{UsrKey, TEST_KDF};

use super::http::request;
use super::World;
use spur_wire::api::routes;

/// The stranger's tools, made from public inputs only.
pub struct Hostile {
    /// TAG server port.
    pub tag_port: u16,
    /// POST server port.
    pub post_port: u16,
    /// The OP public key (in every app's configuration).
    pub op: SealPublicKey,
    /// The directory as the TAG server serves it, verified against the pinned root key.
    pub directory: Directory,
}

fn hex32(h: &str) -> [u8; 32] {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(h.as_bytes())
        .unwrap()
        .try_into()
        .unwrap()
}

impl Hostile {
    /// Reads the public inputs from the running world: OP and root keys as apps get them, the
    /// directory from `GET /v1/directory`.
    pub fn new(w: &World) -> Self {
        let tag_port = w.tag.as_ref().unwrap().port();
        let a = request(tag_port, "GET", routes::DIRECTORY, &[], &[]);
        assert_eq!(a.status, 200, "{}", a.body);
        let root = SignPublicKey::from_bytes(hex32(&w.root_hex)).unwrap();
        let directory = Directory::verify(&a.bytes, &root).unwrap();
        Self {
            tag_port,
            post_port: w.post_port,
            op: SealPublicKey::from_bytes(hex32(&w.op_hex)).unwrap(),
            directory,
        }
    }

    /// The place code a printed URL carries.
    pub fn place(url: &str) -> PlaceCode {
        match Payload::parse(url).unwrap().code {
            Code::Place(p) => p,
            other => panic!("not a place code: {other:?}"),
        }
    }

    /// An authority's AUTH key from the public directory.
    pub fn auth_key(&self, id: u16) -> SealPublicKey {
        self.directory.authority(id).unwrap().seal
    }

    /// The TMP keys of `place` in `slots`, as the TAG server gives them to anyone near now
    /// (blinded, and checked against the directory's TAG key like an app does).
    pub fn tmp_keys(&self, place: &PlaceCode, slots: &[Slot]) -> Vec<(Slot, TmpKey)> {
        let wanted: Vec<u32> = slots.iter().map(|s| s.0).collect();
        let (req, blinded) = spur_protocol::tag::TmpRequest::new(&place.id, &mut OsRng).unwrap();
        let body = serde_json::json!({
            "blinded": data_encoding::HEXLOWER.encode(&blinded.0),
            "slots": wanted
        })
        .to_string();
        let a = request(
            self.tag_port,
            "POST",
            routes::TMP_KEYS,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        );
        assert_eq!(a.status, 200, "{}", a.body);
        let j: serde_json::Value = serde_json::from_slice(&a.bytes).unwrap();
        j["evaluations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let slot = Slot(e["slot"].as_u64().unwrap() as u32);
                let ev = spur_protocol::tag::Evaluation {
                    element: hex32(e["evaluated"].as_str().unwrap()),
                    proof: data_encoding::HEXLOWER
                        .decode(e["proof"].as_str().unwrap().as_bytes())
                        .unwrap()
                        .try_into()
                        .unwrap(),
                };
                (slot, req.tmp(slot, &ev, &self.directory.tag_key).unwrap())
            })
            .collect()
    }

    /// Uploads raw bytes to a POST route; returns the status.
    pub fn upload(&self, route: &str, body: &[u8]) -> u16 {
        request(
            self.post_port,
            "POST",
            route,
            &[("Content-Type", "application/octet-stream")],
            body,
        )
        .status
    }

    /// Hand-made slot entries at `place` for the stay `time_in..time_out` (the infected person's
    /// slots), whose contact reference names `registration_id` sealed to `seal_to`, and whose
    /// clear routing field names `authority` (which may be any id). Uploaded; asserts 200.
    pub fn slot_entries(
        &self,
        place_url: &str,
        time_in: Minute,
        time_out: Minute,
        authority: u16,
        seal_to: &SealPublicKey,
        registration_id: [u8; 16],
    ) {
        let place = Self::place(place_url);
        let slots: Vec<Slot> = Slot::covering(time_in, time_out).collect();
        let tmp = self.tmp_keys(&place, &slots);
        let scan_keys: Vec<(Slot, ScanKey)> = tmp
            .iter()
            .map(|(s, t)| (*s, place.tag.scan_key(&place.id, *s, t).unwrap()))
            .collect();
        let usr = UsrKey::derive(
            &PhoneNumber::parse("+4915199999999").unwrap(),
            "mallory's throwaway secret",
            TEST_KDF,
        )
        .unwrap();
        let visitor = Visitor {
            usr: &usr,
            registration_id,
            home_authority: (authority, seal_to),
            home_region: Some(Region::parse("DE", Some("80331")).unwrap()),
        };
        let input = VisitInput {
            code_kind: CodeKind::Place,
            qr_id: place.id,
            tag: place.tag.clone(),
            region: Some(place.region),
            time_in,
            time_out,
            scan_keys,
            find_index: 0,
        };
        let recs = build_visit(&mut OsRng, &self.op, &visitor, &input).unwrap();
        for e in &recs.slot_entries {
            assert_eq!(self.upload(routes::VISITS, e), 200);
        }
    }

    /// A random key nobody holds (a contact reference sealed to it opens nowhere).
    pub fn random_key() -> SealPublicKey {
        SealSecretKey::generate(&mut OsRng).public()
    }

    /// A registration built by hand: contact data whose campus id holds `campus` byte for byte
    /// (e.g. a TAB, which the app's builder refuses), sealed to authority `home`, uploaded under a
    /// fresh registration secret. Returns the registration id.
    pub fn registration(&self, phone: &str, campus: &[u8], home: u16) -> [u8; 16] {
        let usr = UsrKey::derive(
            &PhoneNumber::parse(phone).unwrap(),
            &format!("hostile secret {}", OsRng.next_u64()),
            TEST_KDF,
        )
        .unwrap();
        // Contact data as docs/protocol.md lays it out: phone ‖ campus id[32] ‖ region[12] ‖
        // birth year u16 ‖ zero padding.
        let mut plain = Vec::with_capacity(CONTACT_PLAIN);
        plain.extend_from_slice(&PhoneNumber::parse(phone).unwrap().encode());
        let mut c = [0u8; 32];
        c[..campus.len()].copy_from_slice(campus);
        plain.extend_from_slice(&c);
        plain.extend_from_slice(&Region::encode_opt(None));
        plain.extend_from_slice(&0u16.to_be_bytes());
        plain.resize(CONTACT_PLAIN, 0);
        let sealed = self
            .auth_key(home)
            .seal(&mut OsRng, spur_protocol::labels::AUTH_CONTACT, &plain)
            .unwrap();
        let body = RegistrationBody {
            registration_id: usr.registration_id().unwrap(),
            home_authority: home,
            region: None,
            sealed_contact: sealed,
        };
        let wire = body
            .build(&mut OsRng, &self.op, &usr.registration_secret().unwrap())
            .unwrap();
        assert_eq!(self.upload(routes::REGISTRATIONS, &wire), 200);
        body.registration_id
    }
}

/// The whole exchange after a consent, like [`World::trace`], but every step's output is kept
/// (skips are reported there) and a resolve loop fails the test instead of running forever.
/// Returns each desk's contact list as CSV text and everything the steps printed.
pub fn trace_logged(w: &World, case: &str) -> ([Option<String>; 2], String) {
    let (consent, mut log) = w.take_consent(case);
    log += &w.open_consent(case, &consent, &[], &[]);
    let (lists, rest) = w.finish_trace_logged(case);
    (lists, log + &rest)
}

/// The phone column of a contact list (sorted, spreadsheet quote removed).
pub fn phones(csv: &str) -> Vec<String> {
    let mut v: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split("\",\"").collect();
            cells[1]
                .trim_matches('"')
                .trim_start_matches('\'')
                .to_owned()
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The lines of an audit log (vault or desk) whose event is `event`.
pub fn audit_lines(log: &std::path::Path, event: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(_, j)| serde_json::from_str::<serde_json::Value>(j).unwrap())
        .filter(|e| e["event"] == event)
        .collect()
}
