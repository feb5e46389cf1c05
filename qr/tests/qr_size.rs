//! The place code must stay small: a 30-character name and a 20-character host fit QR version 7
//! at error-correction level M (larger modules, more decodes at a distance), drawn by spur-qr's
//! encoder exactly as the app and the desk draw them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use spur_protocol::fields::Region;
use spur_protocol::qr::{Code, Payload, PersonalCode, PlaceCode};
use spur_protocol::tag::{QrId, TagKey};

fn place_url(host: &str, name: &str, postcode: &str) -> String {
    Payload {
        host: host.into(),
        code: Code::Place(PlaceCode {
            id: QrId([0xFF; 16]),
            tag: TagKey::from_bytes([0xEE; 16]),
            region: Region::parse("DE", Some(postcode)).unwrap(),
            name: name.into(),
        }),
    }
    .to_url()
    .unwrap()
}

fn version_of(url: &str) -> u8 {
    let m = spur_qr::encode(url).unwrap();
    assert_eq!(m.ecc(), spur_qr::Ecc::M);
    m.version()
}

#[test]
fn place_code_fits_version_7_m() {
    let host = "contact.spur-app.org"; // 20 characters
    assert_eq!(host.len(), 20);
    for name in [
        "Gasthaus Zum Goldenen Hirschen",
        "Lecture Hall MW 2001, TU Munich",
        "Cafe 1 2 3 4 5 6 7 8 9 10 11 1",
    ] {
        let name = &name[..30];
        let url = place_url(host, name, "80331");
        let v = version_of(&url);
        eprintln!("{url} ({} chars): version {v}", url.len());
        assert!(v <= 7, "{url} ({} chars) needs version {v}", url.len());
    }
}

#[test]
fn personal_and_short_place_codes_are_smaller_still() {
    let personal = Payload {
        host: "contact.spur-app.org".into(),
        code: Code::Personal(PersonalCode {
            id: QrId([1; 16]),
            key: TagKey::from_bytes([2; 16]),
            pin_protected: true,
        }),
    }
    .to_url()
    .unwrap();
    assert!(version_of(&personal) <= 5, "{personal}");
    assert!(version_of(&place_url("spur.example", "Kiosk", "80331")) <= 6);
}
