//! The authority directory: the operator-root-signed list of health authorities, with their keys
//! and postcode ranges, and the routing from a region to the responsible authority.
//!
//! Apps pin the root key. Everything sealed "to AUTH" takes the key from a verified directory,
//! never from a QR code or a server answer.

use crate::error::{ProtocolError, Result};
use crate::fields::{check_text, decode_text, printable, Country, Postcode, Region};
use crate::keys::{SealPublicKey, SignPublicKey, SignSecretKey};
use crate::labels::SIGN_DIRECTORY;
use crate::tag::TagPublicKey;
use crate::time::Minute;
use crate::wire::{Reader, Writer};

/// Directory format version (2: the TAG server's POPRF public key follows the issue time).
pub const DIRECTORY_VERSION: u8 = 2;
/// Longest authority name in bytes.
pub const MAX_NAME: usize = 64;
/// Most authorities one directory lists.
pub const MAX_AUTHORITIES: usize = 4096;

/// An inclusive range of postcodes in one country, compared as upper-case text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PostcodeRange {
    /// Country of the range.
    pub country: Country,
    /// First postcode.
    pub from: Postcode,
    /// Last postcode.
    pub to: Postcode,
}

impl std::fmt::Display for PostcodeRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}–{}",
            self.country.as_str(),
            self.from.as_str(),
            self.to.as_str()
        )
    }
}

impl PostcodeRange {
    /// True when `region` falls in this range.
    pub fn contains(&self, region: &Region) -> bool {
        match region.postcode {
            Some(p) => {
                region.country == self.country
                    && self.from.as_str() <= p.as_str()
                    && p.as_str() <= self.to.as_str()
            }
            None => false,
        }
    }
}

/// One health authority as the directory lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authority {
    /// Stable id, carried in consent codes and records.
    pub id: u16,
    /// Name shown to citizens ("Gesundheitsamt München").
    pub name: String,
    /// AUTH key: what is sealed to this authority.
    pub seal: SealPublicKey,
    /// Verifies this authority's consent codes and requests.
    pub sign: SignPublicKey,
    /// Postcodes this authority is responsible for.
    pub ranges: Vec<PostcodeRange>,
}

/// The verified directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directory {
    /// Increases with every new edition.
    pub serial: u32,
    /// When the operator signed it.
    pub issued: Minute,
    /// The TAG server's POPRF public key: every client checks each TMP key against it, so a TAG
    /// server cannot hand different clients different keys for one code and slot.
    pub tag_key: TagPublicKey,
    /// The authority for regions no range covers, and for users who gave no postcode.
    pub default_authority: u16,
    /// Every authority.
    pub authorities: Vec<Authority>,
}

impl Directory {
    /// Checks the rules every directory must keep: unique ids, a default that exists, sane sizes,
    /// names that keep the text rule, range ends that are valid postcodes of their country, and
    /// no postcode covered by two ranges.
    pub fn validate(&self) -> Result<()> {
        if self.authorities.is_empty() || self.authorities.len() > MAX_AUTHORITIES {
            return Err(invalid("must list 1 to 4096 authorities"));
        }
        let mut ids: Vec<u16> = self.authorities.iter().map(|a| a.id).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return Err(invalid("authority ids must be unique"));
        }
        if self.authority(self.default_authority).is_none() {
            return Err(invalid("the default authority must be listed"));
        }
        for a in &self.authorities {
            if a.name.trim().is_empty() || a.name.len() > MAX_NAME {
                return Err(invalid("authority names must have 1 to 64 bytes"));
            }
            if let Err(p) = check_text(&a.name) {
                return Err(ProtocolError::InvalidDirectory(format!(
                    "the name of authority {}, {:?}, {p}",
                    a.id,
                    printable(&a.name)
                )));
            }
            if a.ranges.len() > 255 {
                return Err(invalid("an authority may have at most 255 postcode ranges"));
            }
            for r in &a.ranges {
                for end in [r.from, r.to] {
                    if let Err(p) = end.fits(r.country) {
                        return Err(ProtocolError::InvalidDirectory(format!(
                            "{} has the range {}: postcode {} {}",
                            label(a),
                            r,
                            end.as_str(),
                            p.reason()
                        )));
                    }
                }
                if r.from.as_str() > r.to.as_str() {
                    return Err(ProtocolError::InvalidDirectory(format!(
                        "{} has the range {}, which ends before it starts",
                        label(a),
                        r
                    )));
                }
            }
        }
        self.check_overlaps()
    }

    /// Refuses two ranges (of two authorities, or of one) that share a postcode: routing would
    /// silently pick one of them.
    fn check_overlaps(&self) -> Result<()> {
        let mut all: Vec<(&PostcodeRange, &Authority)> = self
            .authorities
            .iter()
            .flat_map(|a| a.ranges.iter().map(move |r| (r, a)))
            .collect();
        all.sort_by(|x, y| (x.0.country, x.0.from.as_str()).cmp(&(y.0.country, y.0.from.as_str())));
        // Sweep per country: the earlier range reaching furthest is the one any later range
        // starting inside it overlaps.
        let mut reach: Option<(&PostcodeRange, &Authority)> = None;
        for (r, a) in all {
            if let Some((pr, pa)) = reach.filter(|(pr, _)| pr.country == r.country) {
                if r.from.as_str() <= pr.to.as_str() {
                    return Err(ProtocolError::InvalidDirectory(format!(
                        "postcode ranges overlap: {pr} of {} and {r} of {}; each postcode must \
                         have exactly one authority",
                        label(pa),
                        label(a)
                    )));
                }
                if r.to.as_str() <= pr.to.as_str() {
                    continue;
                }
            }
            reach = Some((r, a));
        }
        Ok(())
    }

    /// The authority whose ranges cover `region`'s postcode (at most one: ranges do not
    /// overlap). `None` when the region has no postcode or no range covers it.
    pub fn covering(&self, region: &Region) -> Option<&Authority> {
        self.authorities
            .iter()
            .find(|a| a.ranges.iter().any(|range| range.contains(region)))
    }

    /// The authority with `id`.
    pub fn authority(&self, id: u16) -> Option<&Authority> {
        self.authorities.iter().find(|a| a.id == id)
    }

    /// The authority responsible for `region`: the one whose ranges contain it, else the default.
    /// Where a person or place enters a postcode, use [`Directory::covering`] first so that a
    /// postcode nobody covers is said, not silently routed to the default.
    pub fn route(&self, region: Option<&Region>) -> Result<&Authority> {
        let hit = region.and_then(|r| self.covering(r));
        match hit {
            Some(a) => Ok(a),
            None => self
                .authority(self.default_authority)
                .ok_or(ProtocolError::UnknownAuthority(self.default_authority)),
        }
    }

    fn encode_body(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(64 + self.authorities.len() * 128);
        w.u8(DIRECTORY_VERSION)
            .u32(self.serial)
            .u32(self.issued.0)
            .bytes(&self.tag_key.to_bytes())
            .u16(self.default_authority)
            .u16(u16::try_from(self.authorities.len()).unwrap_or(u16::MAX));
        for a in &self.authorities {
            w.u16(a.id)
                .u8(u8::try_from(a.name.len()).unwrap_or(u8::MAX))
                .bytes(a.name.as_bytes())
                .bytes(&a.seal.to_bytes())
                .bytes(&a.sign.to_bytes())
                .u8(u8::try_from(a.ranges.len()).unwrap_or(u8::MAX));
            for r in &a.ranges {
                w.bytes(&r.country.bytes())
                    .bytes(&r.from.bytes())
                    .bytes(&r.to.bytes());
            }
        }
        w.into_vec()
    }

    /// Validates and signs with the operator's root key: `body || signature(64)`.
    pub fn sign(&self, root: &SignSecretKey) -> Result<Vec<u8>> {
        self.validate()?;
        let mut body = self.encode_body();
        let sig = root.sign(SIGN_DIRECTORY, &body);
        body.extend_from_slice(&sig);
        Ok(body)
    }

    /// Parses signed directory bytes and verifies them against the pinned root key.
    pub fn verify(signed: &[u8], root: &SignPublicKey) -> Result<Self> {
        if signed.len() < 64 + 45 {
            return Err(ProtocolError::Truncated {
                what: "directory",
                expected: 109,
                got: signed.len(),
            });
        }
        let (body, sig) = signed.split_at(signed.len() - 64);
        let mut s = [0u8; 64];
        s.copy_from_slice(sig);
        root.verify(SIGN_DIRECTORY, body, &s, "directory")?;
        let dir = Self::decode_body(body)?;
        dir.validate()?;
        Ok(dir)
    }

    fn decode_body(body: &[u8]) -> Result<Self> {
        let mut r = Reader::new(body, "directory");
        let v = r.u8()?;
        if v != DIRECTORY_VERSION {
            return Err(ProtocolError::UnsupportedVersion {
                what: "directory",
                got: v,
                supported: DIRECTORY_VERSION,
            });
        }
        let serial = r.u32()?;
        let issued = Minute(r.u32()?);
        let tag_key = TagPublicKey::from_bytes(r.array()?)?;
        let default_authority = r.u16()?;
        let n = usize::from(r.u16()?);
        let mut authorities = Vec::with_capacity(n.min(MAX_AUTHORITIES));
        for _ in 0..n {
            let id = r.u16()?;
            let name_len = usize::from(r.u8()?);
            let name = decode_text("authority name", r.take(name_len)?)?;
            let seal = SealPublicKey::from_bytes(r.array()?)?;
            let sign = SignPublicKey::from_bytes(r.array()?)?;
            let nr = usize::from(r.u8()?);
            let mut ranges = Vec::with_capacity(nr);
            for _ in 0..nr {
                let country = Country::decode(r.array()?)?;
                let from = Postcode::decode(r.array()?)?.ok_or(invalid("empty range start"))?;
                let to = Postcode::decode(r.array()?)?.ok_or(invalid("empty range end"))?;
                ranges.push(PostcodeRange { country, from, to });
            }
            authorities.push(Authority {
                id,
                name,
                seal,
                sign,
                ranges,
            });
        }
        r.finish()?;
        Ok(Self {
            serial,
            issued,
            tag_key,
            default_authority,
            authorities,
        })
    }
}

/// "authority 2 (Gesundheitsamt Berlin)", with the name made printable.
fn label(a: &Authority) -> String {
    format!("authority {} ({})", a.id, printable(&a.name))
}

fn invalid(reason: &'static str) -> ProtocolError {
    ProtocolError::InvalidField {
        field: "directory",
        reason,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::keys::{AuthorityKeys, SignSecretKey};
    use rand_chacha::rand_core::SeedableRng;

    /// Two authorities (Munich 80000–81999, Berlin 10000–14999) and a root; authority 1 is default.
    pub(crate) fn sample() -> (SignSecretKey, Vec<AuthorityKeys>, Directory) {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(9);
        let root = SignSecretKey::generate(&mut rng);
        let keys: Vec<_> = (0..2).map(|_| AuthorityKeys::generate(&mut rng)).collect();
        let range = |c: &str, a: &str, b: &str| PostcodeRange {
            country: Country::parse(c).unwrap(),
            from: Postcode::parse(a).unwrap(),
            to: Postcode::parse(b).unwrap(),
        };
        let tag = crate::tag::TagServerSecret::random(&mut rng);
        let dir = Directory {
            serial: 1,
            issued: Minute(29_000_000),
            tag_key: tag.tmp_deriver().unwrap().public(),
            default_authority: 1,
            authorities: vec![
                Authority {
                    id: 1,
                    name: "Gesundheitsamt München".into(),
                    seal: keys[0].seal.public(),
                    sign: keys[0].sign.public(),
                    ranges: vec![range("DE", "80000", "81999")],
                },
                Authority {
                    id: 2,
                    name: "Gesundheitsamt Berlin".into(),
                    seal: keys[1].seal.public(),
                    sign: keys[1].sign.public(),
                    ranges: vec![range("DE", "10000", "14999")],
                },
            ],
        };
        (root, keys, dir)
    }

    #[test]
    fn signed_directory_round_trips_and_routes() {
        let (root, _, dir) = sample();
        let signed = dir.sign(&root).unwrap();
        let back = Directory::verify(&signed, &root.public()).unwrap();
        assert_eq!(back, dir);
        let berlin = Region::parse("DE", Some("10115")).unwrap();
        let munich = Region::parse("de", Some("80331")).unwrap();
        let hamburg = Region::parse("DE", Some("20095")).unwrap();
        assert_eq!(back.route(Some(&berlin)).unwrap().id, 2);
        assert_eq!(back.route(Some(&munich)).unwrap().id, 1);
        assert_eq!(back.route(Some(&hamburg)).unwrap().id, 1, "default");
        assert_eq!(back.route(None).unwrap().id, 1, "default");
    }

    #[test]
    fn tampered_or_foreign_directory_is_refused() {
        let (root, _, dir) = sample();
        let signed = dir.sign(&root).unwrap();
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(10);
        let other = SignSecretKey::generate(&mut rng);
        assert!(matches!(
            Directory::verify(&signed, &other.public()),
            Err(ProtocolError::BadSignature { .. })
        ));
        for i in [0, 5, 20, signed.len() - 1] {
            let mut t = signed.clone();
            t[i] ^= 0x10;
            assert!(Directory::verify(&t, &root.public()).is_err(), "byte {i}");
        }
        assert!(Directory::verify(&signed[..signed.len() - 1], &root.public()).is_err());
    }

    fn set_range(dir: &mut Directory, i: usize, c: &str, a: &str, b: &str) {
        dir.authorities[i].ranges = vec![PostcodeRange {
            country: Country::parse(c).unwrap(),
            from: Postcode::parse(a).unwrap(),
            to: Postcode::parse(b).unwrap(),
        }];
    }

    #[test]
    fn overlapping_ranges_are_refused_naming_both_authorities() {
        let (root, _, _) = sample();
        // (Munich's range, Berlin's range, refused?)
        let table: [(&str, &str, &str, &str, bool); 7] = [
            ("80000", "81999", "81000", "82999", true),
            ("80000", "81999", "70000", "80000", true),
            ("80000", "81999", "80500", "80600", true),
            ("80000", "81999", "79000", "99999", true),
            ("80000", "81999", "81999", "81999", true),
            ("80000", "81999", "82000", "82999", false),
            ("80000", "81999", "10000", "79999", false),
        ];
        for (a, b, c, d, refused) in table {
            let (_, _, mut dir) = sample();
            set_range(&mut dir, 0, "DE", a, b);
            set_range(&mut dir, 1, "DE", c, d);
            match dir.sign(&root) {
                Err(ProtocolError::InvalidDirectory(m)) => {
                    assert!(refused, "{a}-{b} / {c}-{d}: {m}");
                    assert!(m.contains("overlap"), "{m}");
                    assert!(m.contains("Gesundheitsamt München"), "{m}");
                    assert!(m.contains("Gesundheitsamt Berlin"), "{m}");
                }
                Err(e) => panic!("{a}-{b} / {c}-{d}: wrong error {e}"),
                Ok(_) => assert!(!refused, "{a}-{b} / {c}-{d} was signed"),
            }
        }
        // The same numbers in two countries do not overlap; two ranges of one authority do.
        let (_, _, mut dir) = sample();
        set_range(&mut dir, 1, "AT", "1000", "9999");
        let again = dir.authorities[0].ranges[0];
        dir.authorities[0].ranges.push(again);
        let err = dir.sign(&root).unwrap_err().to_string();
        assert!(err.contains("overlap") && err.contains("München"), "{err}");
        dir.authorities[0].ranges.pop();
        set_range(&mut dir, 1, "AT", "1000", "9999");
        assert!(dir.sign(&root).is_ok());
    }

    #[test]
    fn ranges_with_invalid_postcodes_or_names_with_invisible_characters_are_refused() {
        let (root, _, _) = sample();
        for (c, a, b) in [
            ("DE", "8000", "8199"),
            ("AT", "0100", "0999"),
            ("CH", "100", "999"),
        ] {
            let (_, _, mut dir) = sample();
            set_range(&mut dir, 1, c, a, b);
            let err = dir.sign(&root).unwrap_err().to_string();
            assert!(
                err.contains("Gesundheitsamt Berlin") && err.contains(a),
                "{err}"
            );
        }
        let (_, _, mut dir) = sample();
        set_range(&mut dir, 1, "DE", "14999", "10000");
        assert!(dir
            .sign(&root)
            .unwrap_err()
            .to_string()
            .contains("ends before"));
        for c in [
            '\u{202E}', '\u{200B}', '\u{2066}', '\u{2069}', '\u{FEFF}', '\u{1b}',
        ] {
            let (_, _, mut dir) = sample();
            dir.authorities[0].name = format!("Gesundheitsamt M{c}nehcnü");
            let err = dir.sign(&root).unwrap_err().to_string();
            assert!(err.contains("authority 1"), "{err}");
            assert!(
                !err.contains(c),
                "the message shows the character escaped: {err:?}"
            );
        }
    }

    #[test]
    fn covering_names_only_the_range_owner() {
        let (_, _, dir) = sample();
        let berlin = Region::parse("DE", Some("10115")).unwrap();
        let hamburg = Region::parse("DE", Some("20095")).unwrap();
        assert_eq!(dir.covering(&berlin).unwrap().id, 2);
        assert!(dir.covering(&hamburg).is_none());
        assert!(dir.covering(&Region::parse("DE", None).unwrap()).is_none());
    }

    #[test]
    fn invalid_directories_are_not_signed() {
        let (root, _, mut dir) = sample();
        dir.default_authority = 9;
        assert!(dir.sign(&root).is_err());
        let (_, _, mut dir) = sample();
        dir.authorities[1].id = 1;
        assert!(dir.sign(&root).is_err());
    }
}
