//! The hostile client: a registered stranger with a modified app who builds records by hand with
//! the protocol crate's builders from docs/protocol.md and only public inputs — the OP public key,
//! the signed directory the TAG server serves, a consent code's URL as printed, their own
//! credentials — and uploads them to the real POST server over HTTP.

use std::path::Path;

use rand_core::{OsRng, RngCore};
use spur_protocol::consent::{ConsentCode, VerifiedConsent};
use spur_protocol::directory::Directory;
use spur_protocol::fields::{PhoneNumber, Region};
use spur_protocol::keys::{SealPublicKey, SignPublicKey, SignSecretKey};
use spur_protocol::labels::SIGN_CONSENT;
use spur_protocol::qr::{Code, Payload};
use spur_protocol::record::consent_release::{build_consent_release, Releaser};
use spur_protocol::time::{Day, Minute};
use spur_protocol::usr::{UsrKey, TEST_KDF};

use super::http::request;
use super::{Citizen, World, HOST};
use spur_wire::api::routes;

/// What anyone can get: the OP public key and the signed directory.
pub struct Hostile {
    /// The OP public key (printed in every app's configuration).
    pub op: SealPublicKey,
    /// The directory, verified against the root key every app pins.
    pub dir: Directory,
    post_port: u16,
}

impl Hostile {
    /// The public inputs of `w`.
    pub fn new(w: &World) -> Self {
        let op = SealPublicKey::from_bytes(hex32(&w.op_hex)).unwrap();
        let root = SignPublicKey::from_bytes(hex32(&w.root_hex)).unwrap();
        let signed = std::fs::read(w.vault.join("directory.bin")).unwrap();
        let dir = Directory::verify(&signed, &root).unwrap();
        Self {
            op,
            dir,
            post_port: w.post_port,
        }
    }

    /// A consent release built by hand by `who` (their own credentials, so their own visits),
    /// answering `code` — which need not be signed: the builder takes any code — with `phone`
    /// written into the AUTH part.
    pub fn release(&self, who: &Citizen, code: &ConsentCode, phone: &str) -> Vec<u8> {
        let own = PhoneNumber::parse(&who.phone).unwrap();
        let usr = UsrKey::derive(&own, &who.secret, TEST_KDF).unwrap();
        let region = Region::parse("DE", Some(&who.postcode)).unwrap();
        let home = self.dir.route(Some(&region)).unwrap().id;
        let consent = VerifiedConsent {
            code: code.clone(),
            authority: self.dir.authority(code.authority).unwrap().clone(),
        };
        let phone = PhoneNumber::parse(phone).unwrap();
        build_consent_release(
            &mut OsRng,
            &self.op,
            &consent,
            &Releaser {
                usr: &usr,
                home_authority: home,
                phone: &phone,
                own_codes: &[],
            },
        )
        .unwrap()
    }

    /// Uploads a record to the real POST server; asserts it was accepted (the server cannot tell).
    pub fn upload_release(&self, bytes: &[u8]) {
        let a = request(
            self.post_port,
            "POST",
            routes::CONSENT_RELEASES,
            &[("Content-Type", "application/octet-stream")],
            bytes,
        );
        assert_eq!(a.status, 200, "{}", a.body);
    }
}

/// An unsigned code naming `case` of authority 1 with a fresh random nonce: what a forger who
/// knows only the case id (printed on the consent sheet) puts in a release.
pub fn guessed_code(case: &str, first_day: Day, days: u8) -> ConsentCode {
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    ConsentCode {
        authority: 1,
        case_id: case.into(),
        first_day,
        days,
        nonce,
        issued: first_day.start(),
        expires: first_day.start().plus(60),
        person_check: [0; 2],
        signature: [0; 64],
    }
}

/// The code a URL carries (what a photo of the printed code gives).
pub fn code_of(url: &str) -> ConsentCode {
    match Payload::parse(url).unwrap().code {
        Code::Consent(c) => c,
        _ => panic!("not a consent URL: {url}"),
    }
}

/// A code with any fields, signed with desk `desk`'s real signing key (as a desk that skips its
/// own checks would): the bytes of docs/protocol.md §6, built field by field and signed. Returns
/// the URL.
#[allow(clippy::too_many_arguments)]
pub fn signed_code_url(
    desk: &Path,
    case: &str,
    phone: &str,
    first_day: u32,
    days: u8,
    issued: Minute,
    expires: Minute,
) -> String {
    let key = spur_offline::keyfile::read_secret::<32>(
        &desk.join("sign.key"),
        spur_authority::desk::SIGN_SECRET,
    )
    .unwrap();
    let key = SignSecretKey::from_bytes(*key);
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    let phone = PhoneNumber::parse(phone).unwrap();
    let mut signed = vec![2u8];
    signed.extend_from_slice(&1u16.to_be_bytes());
    signed.push(case.len() as u8);
    signed.extend_from_slice(case.as_bytes());
    signed.extend_from_slice(&first_day.to_be_bytes());
    signed.push(days);
    signed.extend_from_slice(&nonce);
    signed.extend_from_slice(&issued.0.to_be_bytes());
    signed.extend_from_slice(&expires.0.to_be_bytes());
    signed.extend_from_slice(&spur_protocol::consent::person_check(&nonce, &phone));
    let signature = key.sign(SIGN_CONSENT, &signed);
    let code = ConsentCode {
        authority: 1,
        case_id: case.into(),
        first_day: Day(first_day),
        days,
        nonce,
        issued,
        expires,
        person_check: spur_protocol::consent::person_check(&nonce, &phone),
        signature,
    };
    // Our hand-made bytes are exactly the documented layout the code encodes to.
    let mut whole = signed.clone();
    whole.extend_from_slice(&signature);
    assert_eq!(code.encode(), whole);
    Payload {
        host: HOST.into(),
        code: Code::Consent(code),
    }
    .to_url()
    .unwrap()
}

fn hex32(s: &str) -> [u8; 32] {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(s.as_bytes())
        .unwrap()
        .try_into()
        .unwrap()
}
