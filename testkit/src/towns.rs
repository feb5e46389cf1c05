//! The two towns of every test: their authority ids, names and postcode ranges, and the
//! directory built from them.

use spur_protocol::directory::{Authority, Directory, PostcodeRange};
use spur_protocol::fields::{Country, Postcode};
use spur_protocol::keys::AuthorityKeys;
use spur_protocol::time::Minute;

/// Munich's health office: authority 1.
pub const MUNICH: u16 = 1;
/// Berlin's health office: authority 2.
pub const BERLIN: u16 = 2;

/// A town's authority as the tests configure it.
#[derive(Clone, Copy, Debug)]
pub struct Town {
    /// Authority id in the directory.
    pub id: u16,
    /// The authority's name.
    pub name: &'static str,
    /// Its postcode range in the `spur` CLI's `COUNTRY:FROM-TO` notation.
    pub range: &'static str,
}

/// Both towns, Munich first (the directory's default authority).
pub const TOWNS: [Town; 2] = [
    Town {
        id: MUNICH,
        name: "Gesundheitsamt München",
        range: "DE:80000-81999",
    },
    Town {
        id: BERLIN,
        name: "Gesundheitsamt Berlin",
        range: "DE:10000-14999",
    },
];

/// The town with this authority id.
pub fn town(id: u16) -> Town {
    *TOWNS
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no test town {id}"))
}

/// A `COUNTRY:FROM-TO` range as a directory entry.
pub fn range(spec: &str) -> PostcodeRange {
    let (country, span) = spec.split_once(':').expect("COUNTRY:FROM-TO");
    let (from, to) = span.split_once('-').expect("FROM-TO");
    PostcodeRange {
        country: Country::parse(country).unwrap(),
        from: Postcode::parse(from).unwrap(),
        to: Postcode::parse(to).unwrap(),
    }
}

/// The directory of both towns with these authorities' keys (Munich's first) and the TAG
/// server's POPRF key, serial 1.
pub fn directory(
    keys: &[AuthorityKeys],
    tag_key: spur_protocol::tag::TagPublicKey,
    issued: Minute,
) -> Directory {
    Directory {
        serial: 1,
        issued,
        tag_key,
        default_authority: MUNICH,
        authorities: TOWNS
            .iter()
            .zip(keys)
            .map(|(t, k)| Authority {
                id: t.id,
                name: t.name.into(),
                seal: k.seal.public(),
                sign: k.sign.public(),
                ranges: vec![range(t.range)],
            })
            .collect(),
    }
}
