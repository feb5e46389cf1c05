//! QR payloads: the three spur URLs (place, personal, consent), built and parsed strictly.
//!
//! `HTTPS://HOST/P#<base32(v,id,tag)>.<CC><POSTCODE>.<name>` — a place;
//! `HTTPS://HOST/C#<base32(v,flags,id,key)>` — a personal code;
//! `HTTPS://HOST/A#<base32(consent code)>` — a consent code.
//! Scheme, host and base32 are upper case so that most of the URL fits the QR alphanumeric mode;
//! secrets are only in the fragment, which browsers never send to a server.

use data_encoding::BASE32_NOPAD;

use crate::consent::ConsentCode;
use crate::error::{ProtocolError, Result};
use crate::fields::{Country, Postcode, Region};
use crate::tag::{QrCommitment, QrId, TagKey};
use crate::usr::KdfCost;

/// Version of the place and personal payloads.
pub const PAYLOAD_VERSION: u8 = 1;
/// Longest host name (with optional port).
pub const MAX_HOST: usize = 64;
/// Longest place name in bytes (UTF-8).
pub const MAX_PLACE_NAME: usize = 64;

/// A parsed spur URL: the host it names and the code it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    /// Host, lower case (`spur.example`).
    pub host: String,
    /// The code.
    pub code: Code,
}

/// The three kinds of spur code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Code {
    /// A place's code, on a door or a table.
    Place(PlaceCode),
    /// A person's code, shown on a phone or printed on a card.
    Personal(PersonalCode),
    /// A health authority's consent code.
    Consent(ConsentCode),
}

/// What a place code carries: shown at scan time, keyed by id and TAG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceCode {
    /// QR id from the TAG server.
    pub id: QrId,
    /// TAG key (fragment only).
    pub tag: TagKey,
    /// Country and postcode of the place.
    pub region: Region,
    /// Name shown to the person scanning.
    pub name: String,
}

/// What a personal code carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonalCode {
    /// QR id from the TAG server.
    pub id: QrId,
    /// The TAG key, or for a PIN-protected card the seed the PIN is mixed into.
    pub key: TagKey,
    /// True when the card's TAG key needs the owner's PIN.
    pub pin_protected: bool,
}

impl PlaceCode {
    /// What this code's QR id must commit to (its TAG key, region and name).
    pub fn commitment(&self) -> QrCommitment {
        QrCommitment::of_place(&self.tag, &self.region, &self.name)
    }
}

impl PersonalCode {
    /// What this code's QR id must commit to (its flags and key).
    pub fn commitment(&self) -> QrCommitment {
        QrCommitment::of_personal(self.pin_protected, &self.key)
    }

    /// The code's TAG key: the key itself, or Argon2id(PIN, seed) for a protected card.
    pub fn tag(&self, pin: Option<&str>, cost: KdfCost) -> Result<TagKey> {
        match (self.pin_protected, pin) {
            (false, _) => Ok(self.key.clone()),
            (true, Some(pin)) => TagKey::from_pin(&self.key, &self.id, pin, cost),
            (true, None) => Err(ProtocolError::InvalidField {
                field: "PIN",
                reason: "this card is protected: ask its owner for the PIN",
            }),
        }
    }
}

fn invalid(field: &'static str, reason: &'static str) -> ProtocolError {
    ProtocolError::InvalidField { field, reason }
}

/// Checks a host name (letters, digits, dots, hyphens, optional `:port`) and lower-cases it.
pub fn normalise_host(host: &str) -> Result<String> {
    let ok = !host.is_empty()
        && host.len() <= MAX_HOST
        && host
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':'))
        && !host.starts_with(['.', '-', ':']);
    if ok {
        Ok(host.to_ascii_lowercase())
    } else {
        Err(invalid(
            "host",
            "must be a host name of letters, digits, dots and hyphens",
        ))
    }
}

/// Characters a place name keeps as they are in the fragment (RFC 3986 fragment-safe).
fn keeps(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*,;:@/?".contains(&b)
}

/// Encodes text for the fragment: space as `+`, other unsafe bytes as `%XX` (upper-case hex).
fn encode_fragment_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for b in s.bytes() {
        if keeps(b) {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes [`encode_fragment_text`] and insists on the canonical form.
fn decode_fragment_text(s: &str, field: &'static str) -> Result<String> {
    let mut bytes = Vec::with_capacity(s.len());
    let mut it = s.bytes();
    while let Some(b) = it.next() {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hex = [it.next().unwrap_or(0), it.next().unwrap_or(0)];
                let v = std::str::from_utf8(&hex)
                    .ok()
                    .filter(|h| {
                        h.bytes()
                            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
                    })
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or(invalid(field, "has a bad %-escape"))?;
                bytes.push(v);
            }
            b if keeps(b) => bytes.push(b),
            _ => {
                return Err(invalid(
                    field,
                    "has a character a URL fragment cannot carry",
                ))
            }
        }
    }
    let text = String::from_utf8(bytes).map_err(|_| invalid(field, "is not UTF-8"))?;
    if encode_fragment_text(&text) != s {
        return Err(invalid(field, "is not in canonical form"));
    }
    Ok(text)
}

/// Checks a place name: 1–64 bytes, no control characters.
pub fn validate_place_name(name: &str) -> Result<()> {
    if name.trim().is_empty() || name.len() > MAX_PLACE_NAME {
        return Err(invalid(
            "place name",
            "must have 1 to 64 bytes and no control characters",
        ));
    }
    crate::fields::check_text(name).map_err(|p| p.error("place name"))
}

fn b32_decode(s: &str, field: &'static str) -> Result<Vec<u8>> {
    // data-encoding's BASE32_NOPAD refuses lower case, padding and non-canonical trailing bits.
    BASE32_NOPAD
        .decode(s.as_bytes())
        .map_err(|_| invalid(field, "is not valid base32"))
}

impl Payload {
    /// The URL to put in the QR code.
    pub fn to_url(&self) -> Result<String> {
        let host = normalise_host(&self.host)?.to_ascii_uppercase();
        Ok(match &self.code {
            Code::Place(p) => {
                validate_place_name(&p.name)?;
                let postcode = p
                    .region
                    .postcode
                    .ok_or(invalid("place postcode", "a place needs a postcode"))?;
                place_postcode(p.region.country, postcode.as_str())?;
                let mut bin = Vec::with_capacity(33);
                bin.push(PAYLOAD_VERSION);
                bin.extend_from_slice(&p.id.0);
                bin.extend_from_slice(p.tag.expose());
                format!(
                    "HTTPS://{host}/P#{}.{}{}.{}",
                    BASE32_NOPAD.encode(&bin),
                    p.region.country.as_str(),
                    encode_fragment_text(postcode.as_str()),
                    encode_fragment_text(&p.name)
                )
            }
            Code::Personal(c) => {
                let mut bin = Vec::with_capacity(34);
                bin.push(PAYLOAD_VERSION);
                bin.push(u8::from(c.pin_protected));
                bin.extend_from_slice(&c.id.0);
                bin.extend_from_slice(c.key.expose());
                format!("HTTPS://{host}/C#{}", BASE32_NOPAD.encode(&bin))
            }
            Code::Consent(c) => format!("HTTPS://{host}/A#{}", BASE32_NOPAD.encode(&c.encode())),
        })
    }

    /// Parses a scanned text. Anything that is not shaped like a spur URL is
    /// [`ProtocolError::NotSpurCode`]; a spur URL with a bad part gets the error of that part.
    pub fn parse(text: &str) -> Result<Self> {
        if text.len() > 1024 {
            return Err(ProtocolError::NotSpurCode);
        }
        let rest = match text.get(..8) {
            Some(s) if s.eq_ignore_ascii_case("https://") => text.get(8..).unwrap_or(""),
            _ => return Err(ProtocolError::NotSpurCode),
        };
        let (host, rest) = rest.split_once('/').ok_or(ProtocolError::NotSpurCode)?;
        let (path, fragment) = rest.split_once('#').ok_or(ProtocolError::NotSpurCode)?;
        if !matches!(path, "P" | "C" | "A") {
            return Err(ProtocolError::NotSpurCode);
        }
        let host = normalise_host(host).map_err(|_| ProtocolError::NotSpurCode)?;
        let code = match path {
            "P" => Code::Place(parse_place(fragment)?),
            "C" => Code::Personal(parse_personal(fragment)?),
            _ => Code::Consent(ConsentCode::decode(&b32_decode(fragment, "consent code")?)?),
        };
        Ok(Self { host, code })
    }
}

fn check_version(v: u8, what: &'static str) -> Result<()> {
    if v == PAYLOAD_VERSION {
        Ok(())
    } else {
        Err(ProtocolError::UnsupportedVersion {
            what,
            got: v,
            supported: PAYLOAD_VERSION,
        })
    }
}

fn parse_place(fragment: &str) -> Result<PlaceCode> {
    let mut parts = fragment.splitn(3, '.');
    let (Some(b32), Some(region), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid(
            "place code",
            "must have three parts separated by dots",
        ));
    };
    let bin = b32_decode(b32, "place code")?;
    crate::wire::expect_len(&bin, 33, "place code")?;
    check_version(bin[0], "place code")?;
    let mut id = [0u8; 16];
    id.copy_from_slice(&bin[1..17]);
    let mut tag = [0u8; 16];
    tag.copy_from_slice(&bin[17..33]);
    let country = region
        .get(..2)
        .ok_or(invalid("place region", "is too short"))?;
    if !country.bytes().all(|c| c.is_ascii_uppercase()) {
        return Err(invalid("place country", "must be two upper-case letters"));
    }
    let country = Country::parse(country)?;
    let postcode_text = decode_fragment_text(region.get(2..).unwrap_or(""), "place postcode")?;
    let postcode = place_postcode(country, &postcode_text)?;
    if postcode.as_str() != postcode_text {
        return Err(invalid("place postcode", "is not in canonical form"));
    }
    let name = decode_fragment_text(name, "place name")?;
    validate_place_name(&name)?;
    let code = PlaceCode {
        id: QrId(id),
        tag: TagKey::from_bytes(tag),
        region: Region {
            country,
            postcode: Some(postcode),
        },
        name,
    };
    bound(&code.id, &code.commitment())?;
    Ok(code)
}

/// A place code's postcode: the general rule and its country's format (the one rule of
/// [`Postcode::check_in`], as at place creation), refused with [`ProtocolError::PlacePostcode`].
fn place_postcode(country: Country, text: &str) -> Result<Postcode> {
    Postcode::check_in(country, text)
        .map_err(|problem| ProtocolError::PlacePostcode { country, problem })
}

/// Refuses a code whose QR id was not issued for the data it shows (an edited copy).
fn bound(id: &QrId, c: &QrCommitment) -> Result<()> {
    if id.binds(c) {
        Ok(())
    } else {
        Err(ProtocolError::CodeAltered)
    }
}

fn parse_personal(fragment: &str) -> Result<PersonalCode> {
    let bin = b32_decode(fragment, "personal code")?;
    crate::wire::expect_len(&bin, 34, "personal code")?;
    check_version(bin[0], "personal code")?;
    let pin_protected = match bin[1] {
        0 => false,
        1 => true,
        other => {
            return Err(ProtocolError::UnknownKind {
                what: "personal code flags",
                got: other,
            })
        }
    };
    let mut id = [0u8; 16];
    id.copy_from_slice(&bin[2..18]);
    let mut key = [0u8; 16];
    key.copy_from_slice(&bin[18..34]);
    let code = PersonalCode {
        id: QrId(id),
        key: TagKey::from_bytes(key),
        pin_protected,
    };
    bound(&code.id, &code.commitment())?;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A QR id as the TAG server would issue it for `c` (the MAC half is not checked here).
    fn id_for(c: &QrCommitment) -> QrId {
        let mut id = [0xA5; 16];
        id[..8].copy_from_slice(&c.0);
        QrId(id)
    }

    pub(crate) fn place(name: &str) -> Payload {
        place_in("DE", "80331", name)
    }

    fn place_in(country: &str, postcode: &str, name: &str) -> Payload {
        let mut p = PlaceCode {
            id: QrId([0; 16]),
            tag: TagKey::from_bytes([0x3C; 16]),
            region: Region::parse(country, Some(postcode)).unwrap(),
            name: name.into(),
        };
        p.id = id_for(&p.commitment());
        Payload {
            host: "spur.example".into(),
            code: Code::Place(p),
        }
    }

    fn personal(pin_protected: bool) -> Payload {
        let mut c = PersonalCode {
            id: QrId([0; 16]),
            key: TagKey::from_bytes([0x5A; 16]),
            pin_protected,
        };
        c.id = id_for(&c.commitment());
        Payload {
            host: "spur.example".into(),
            code: Code::Personal(c),
        }
    }

    /// `good`'s id and TAG with `edited`'s shown data: what a forger prints.
    fn with_data_of(good: &Payload, edited: &Payload) -> String {
        let (Code::Place(g), Code::Place(e)) = (&good.code, &edited.code) else {
            panic!("places only")
        };
        Payload {
            host: good.host.clone(),
            code: Code::Place(PlaceCode {
                id: g.id,
                tag: g.tag.clone(),
                region: e.region,
                name: e.name.clone(),
            }),
        }
        .to_url()
        .unwrap()
    }

    #[test]
    fn edited_place_data_is_refused_as_altered() {
        let good = place_in("DE", "80331", "Café Zur Post");
        assert_eq!(Payload::parse(&good.to_url().unwrap()).unwrap(), good);
        for edited in [
            place_in("DE", "80333", "Café Zur Post"),
            place_in("FR", "80331", "Café Zur Post"),
            place_in("DE", "80331", "Café Zur Pos"),
            place_in("DE", "80331", "Cafe Zur Post"),
        ] {
            let url = with_data_of(&good, &edited);
            assert_eq!(
                Payload::parse(&url),
                Err(ProtocolError::CodeAltered),
                "{url}"
            );
        }
    }

    #[test]
    fn scanned_place_postcodes_follow_their_country() {
        use crate::fields::{PostcodeProblem, PostcodeRule};
        let url = place("Café").to_url().unwrap();
        assert!(url.contains(".DE80331."), "{url}");
        let de = Country::parse("DE").unwrap();
        let at = Country::parse("AT").unwrap();
        let ch = Country::parse("CH").unwrap();
        for (region, country, problem) in [
            (
                "DE8033",
                de,
                PostcodeProblem::Format(PostcodeRule::FiveDigits),
            ),
            (
                "DE803310",
                de,
                PostcodeProblem::Format(PostcodeRule::FiveDigits),
            ),
            (
                "DEABCDE",
                de,
                PostcodeProblem::Format(PostcodeRule::FiveDigits),
            ),
            ("DE00000", de, PostcodeProblem::AllZeros),
            (
                "AT0999",
                at,
                PostcodeProblem::Format(PostcodeRule::FourDigits),
            ),
            (
                "AT80331",
                at,
                PostcodeProblem::Format(PostcodeRule::FourDigits),
            ),
            (
                "CH12345",
                ch,
                PostcodeProblem::Format(PostcodeRule::FourDigits),
            ),
        ] {
            let edited = url.replace(".DE80331.", &format!(".{region}."));
            assert_eq!(
                Payload::parse(&edited),
                Err(ProtocolError::PlacePostcode { country, problem }),
                "{edited}"
            );
        }
        // The country rule is checked before the binding, and the general rule stays in force.
        let lower = url.replace(".DE80331.", ".DE-1-1.");
        assert_eq!(
            Payload::parse(&lower),
            Err(ProtocolError::PlacePostcode {
                country: de,
                problem: PostcodeProblem::Separators
            })
        );
        // Codes in every country's format still parse; other countries keep the general rule.
        for (c, pc) in [
            ("DE", "01067"),
            ("AT", "1010"),
            ("CH", "8001"),
            ("GB", "SW1A 1AA"),
        ] {
            let p = place_in(c, pc, "Café");
            assert_eq!(Payload::parse(&p.to_url().unwrap()).unwrap(), p);
        }
        // Nor can a code with such a postcode be made.
        let Code::Place(mut p) = place("Café").code else {
            panic!()
        };
        p.region.postcode = Some(Postcode::parse("8033").unwrap());
        let bad = Payload {
            host: "spur.example".into(),
            code: Code::Place(p),
        };
        assert_eq!(
            bad.to_url(),
            Err(ProtocolError::PlacePostcode {
                country: de,
                problem: PostcodeProblem::Format(PostcodeRule::FiveDigits)
            })
        );
    }

    #[test]
    fn personal_codes_are_bound_to_flags_and_key_and_kind() {
        for pin in [false, true] {
            let p = personal(pin);
            let url = p.to_url().unwrap();
            assert_eq!(Payload::parse(&url).unwrap(), p);
            let Code::Personal(c) = &p.code else { panic!() };
            // The flag flipped (a PIN card presented as a plain one, or the reverse).
            let flipped = Payload {
                host: p.host.clone(),
                code: Code::Personal(PersonalCode {
                    pin_protected: !pin,
                    ..c.clone()
                }),
            };
            assert_eq!(
                Payload::parse(&flipped.to_url().unwrap()),
                Err(ProtocolError::CodeAltered)
            );
            // Another key under the same id.
            let rekeyed = Payload {
                host: p.host.clone(),
                code: Code::Personal(PersonalCode {
                    key: TagKey::from_bytes([0x5B; 16]),
                    ..c.clone()
                }),
            };
            assert_eq!(
                Payload::parse(&rekeyed.to_url().unwrap()),
                Err(ProtocolError::CodeAltered)
            );
        }
        // A place's id and TAG presented as a personal code, and the reverse.
        let Code::Place(pl) = place("Café").code else {
            panic!()
        };
        let as_personal = Payload {
            host: "spur.example".into(),
            code: Code::Personal(PersonalCode {
                id: pl.id,
                key: pl.tag.clone(),
                pin_protected: false,
            }),
        };
        assert_eq!(
            Payload::parse(&as_personal.to_url().unwrap()),
            Err(ProtocolError::CodeAltered)
        );
        let Code::Personal(pe) = personal(false).code else {
            panic!()
        };
        let as_place = Payload {
            host: "spur.example".into(),
            code: Code::Place(PlaceCode {
                id: pe.id,
                tag: pe.key.clone(),
                region: Region::parse("DE", Some("80331")).unwrap(),
                name: "Café".into(),
            }),
        };
        assert_eq!(
            Payload::parse(&as_place.to_url().unwrap()),
            Err(ProtocolError::CodeAltered)
        );
    }

    #[test]
    fn place_url_round_trips_with_awkward_names() {
        for name in [
            "Café Zur Post",
            "A+B 100% #1",
            "Mensa/Garching",
            "Ünï ☕ 😀",
        ] {
            let p = place(name);
            let url = p.to_url().unwrap();
            assert!(url.starts_with("HTTPS://SPUR.EXAMPLE/P#"), "{url}");
            assert_eq!(Payload::parse(&url).unwrap(), p, "{url}");
        }
    }

    #[test]
    fn non_spur_texts_are_named_as_such() {
        for t in [
            "",
            "hello",
            "https://example.com/",
            "https://example.com/menu#x",
            "WIFI:S:cafe;T:WPA;P:secret;;",
            "http://spur.example/P#AAAA",
        ] {
            assert_eq!(Payload::parse(t), Err(ProtocolError::NotSpurCode), "{t}");
        }
    }

    #[test]
    fn malformed_spur_codes_get_typed_errors() {
        let url = place("Café").to_url().unwrap();
        let lower = url.to_lowercase();
        assert!(
            Payload::parse(&lower).is_err(),
            "lower-case base32 is refused"
        );
        let short = url.replacen(".DE", "A.DE", 1);
        assert!(Payload::parse(&short).is_err());
        assert!(
            Payload::parse(&url.replace("%C3%A9", "%c3%a9")).is_err(),
            "non-canonical escape"
        );
        assert!(
            Payload::parse(&url.replace("Caf", "C%61f")).is_err(),
            "needless escape"
        );
        assert!(Payload::parse(&format!("{url} ")).is_err());
    }
}
