//! Texts for the corpus: real spur URLs (place and personal codes, built by `spur-protocol`)
//! and other people's codes.
//!
//! A spur code's QR id must carry the commitment of the data the code shows (its first 8 bytes,
//! `spur_protocol::tag::QrCommitment`), or `Payload::parse` refuses it as altered. The sample
//! codes therefore get ids bound to their data; the other 8 bytes (the TAG server's MAC, which
//! only that server can check) stay random.

use super::rng::Rng;
use spur_protocol::fields::Region;
use spur_protocol::qr::{Code, Payload, PersonalCode, PlaceCode};
use spur_protocol::tag::{QrCommitment, QrId, TagKey};

const NAMES: &[&str] = &[
    "Café Müller am Marktplatz",
    "Bäckerei Schmidt, Filiale Ost",
    "Hörsaal 1200, TU München",
    "Stadtbibliothek Lesesaal B",
    "Turnhalle Grundschule Nord",
    "Pizzeria Da Luigi",
    "Kino im Hinterhof, Saal 3",
];
const HOSTS: &[&str] = &["spur.example.org", "qr.spur-app.de", "checkin.spur-app.org"];
const POSTCODES: &[&str] = &["80331", "10115", "20095", "50667", "01067"];

fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    list.get(rng.below(list.len())).copied().unwrap_or("x")
}

fn bytes16(rng: &mut Rng) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    b[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
    b
}

/// A QR id as the TAG server issues it for `c`: `c` followed by 8 bytes standing in for the
/// server's MAC (taken from `random`, drawn where the corpus always drew a whole random id, so
/// the rest of the corpus is drawn as before).
fn bound_id(c: &QrCommitment, random: [u8; 16]) -> QrId {
    let mut id = random;
    id[..QrCommitment::LEN].copy_from_slice(&c.0);
    QrId(id)
}

/// The URL of a place code with this host and name (postcode 80331, Germany).
pub fn place_url(rng: &mut Rng, host: &str, name: &str, postcode: &str) -> Option<String> {
    let region = Region::parse("DE", Some(postcode)).ok()?;
    let random_id = bytes16(rng);
    let mut place = PlaceCode {
        id: QrId(random_id),
        tag: TagKey::from_bytes(bytes16(rng)),
        region,
        name: name.to_string(),
    };
    place.id = bound_id(&place.commitment(), random_id);
    let code = Code::Place(place);
    Payload {
        host: host.to_string(),
        code,
    }
    .to_url()
    .ok()
}

/// A spur code: mostly place codes (about 110–150 characters), sometimes a personal code.
pub fn spur_text(rng: &mut Rng) -> String {
    let host = pick(rng, HOSTS);
    let url = if rng.chance(0.2) {
        let random_id = bytes16(rng);
        let mut personal = PersonalCode {
            id: QrId(random_id),
            key: TagKey::from_bytes(bytes16(rng)),
            pin_protected: rng.chance(0.5),
        };
        personal.id = bound_id(&personal.commitment(), random_id);
        let code = Code::Personal(personal);
        Payload {
            host: host.to_string(),
            code,
        }
        .to_url()
        .ok()
    } else {
        let (name, postcode) = (pick(rng, NAMES), pick(rng, POSTCODES));
        place_url(rng, host, name, postcode)
    };
    url.unwrap_or_else(|| "HTTPS://SPUR.EXAMPLE.ORG/C#INVALID".into())
}

/// The longest place code the protocol promises to fit version 7 at ECC M: a 20-character
/// host and a 30-character name (`ascii` picks a name without umlauts, which need %XX escapes).
pub fn longest_place_text(rng: &mut Rng, ascii: bool) -> Option<String> {
    let name = if ascii {
        "Gaststaette Zum Goldenen Hirsc"
    } else {
        "Gaststätte Zum Goldenen Hirsch"
    };
    place_url(rng, "checkin.spur-app.org", name, "80331")
}

/// A QR code someone else made: a menu link, Wi-Fi credentials, a vCard, plain text.
pub fn foreign_text(rng: &mut Rng) -> String {
    let n = rng.next_u64() % 100_000;
    match rng.below(6) {
        0 => format!("https://www.example-restaurant.de/speisekarte?table={n}"),
        1 => format!("WIFI:T:WPA;S:Cafe-Gast-{n};P:sommer{n}!;;"),
        2 => format!("BEGIN:VCARD\nVERSION:3.0\nN:Muster;Erika\nTEL:+4989{n}\nEND:VCARD"),
        3 => format!("Tisch {n} – bitte an der Theke bezahlen"),
        // Looks like spur at a glance but is not one of its codes.
        4 => format!("HTTPS://SPUR.EXAMPLE.ORG/X#{n}"),
        _ => format!("{n:05}{n:05}{n:05}"),
    }
}
