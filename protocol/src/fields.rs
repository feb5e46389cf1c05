//! Validated plain fields: country, postcode, region, phone number, place kind, short texts.
//!
//! Each has a fixed encoded width so the records that carry them have fixed sizes.

use crate::error::{ProtocolError, Result};

/// ISO 3166-1 alpha-2 country code, upper case (`DE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country([u8; 2]);

impl Country {
    /// Encoded width.
    pub const LEN: usize = 2;

    /// Parses two letters; lower case is accepted and upper-cased.
    pub fn parse(s: &str) -> Result<Self> {
        let b = s.as_bytes();
        if b.len() != 2 || !b.iter().all(u8::is_ascii_alphabetic) {
            return Err(ProtocolError::InvalidField {
                field: "country",
                reason: "must be two letters (ISO 3166-1 alpha-2, e.g. DE)",
            });
        }
        Ok(Self([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]))
    }

    /// Decodes the encoded bytes strictly (upper-case letters only).
    pub fn decode(b: [u8; 2]) -> Result<Self> {
        if b.iter().all(u8::is_ascii_uppercase) {
            Ok(Self(b))
        } else {
            Err(ProtocolError::InvalidField {
                field: "country",
                reason: "must be two upper-case letters",
            })
        }
    }

    /// The encoded bytes.
    pub fn bytes(&self) -> [u8; 2] {
        self.0
    }

    /// As text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

/// A postcode: 1–10 characters of `A–Z 0–9`, space or hyphen, stored upper case, zero-padded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Postcode([u8; 10]);

impl Postcode {
    /// Encoded width.
    pub const LEN: usize = 10;

    /// Parses and normalises (trimmed, upper case).
    pub fn parse(s: &str) -> Result<Self> {
        let t = s.trim();
        let b = t.as_bytes();
        if b.is_empty() || b.len() > Self::LEN {
            return Err(ProtocolError::InvalidField {
                field: "postcode",
                reason: "must have 1 to 10 characters",
            });
        }
        let mut out = [0u8; 10];
        for (o, c) in out.iter_mut().zip(b) {
            let c = c.to_ascii_uppercase();
            if !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == b' ' || c == b'-') {
                return Err(ProtocolError::InvalidField {
                    field: "postcode",
                    reason: "may contain only letters, digits, space and hyphen",
                });
            }
            *o = c;
        }
        Ok(Self(out))
    }

    /// Decodes the zero-padded bytes strictly.
    pub fn decode(b: [u8; 10]) -> Result<Option<Self>> {
        if b == [0u8; 10] {
            return Ok(None);
        }
        let len = b.iter().position(|&c| c == 0).unwrap_or(10);
        let (text, pad) = b.split_at(len);
        let ok = pad.iter().all(|&c| c == 0)
            && text
                .iter()
                .all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b' ' || c == b'-');
        if !ok {
            return Err(ProtocolError::InvalidField {
                field: "postcode",
                reason: "bad encoding",
            });
        }
        Ok(Some(Self(b)))
    }

    /// The encoded bytes.
    pub fn bytes(&self) -> [u8; 10] {
        self.0
    }

    /// As text.
    pub fn as_str(&self) -> &str {
        let len = self.0.iter().position(|&c| c == 0).unwrap_or(10);
        std::str::from_utf8(self.0.get(..len).unwrap_or(&[])).unwrap_or("")
    }
}

/// Country and optional postcode: the only location the operator ever sees (for statistics
/// and routing). Encoded as 12 bytes: country, then postcode or zeros.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Region {
    /// Country.
    pub country: Country,
    /// Postcode, when given.
    pub postcode: Option<Postcode>,
}

impl Region {
    /// Encoded width.
    pub const LEN: usize = 12;
    /// The all-zero encoding, meaning "no region given".
    pub const NONE_BYTES: [u8; 12] = [0u8; 12];

    /// A region from text.
    pub fn parse(country: &str, postcode: Option<&str>) -> Result<Self> {
        Ok(Self {
            country: Country::parse(country)?,
            postcode: postcode.map(Postcode::parse).transpose()?,
        })
    }

    /// The 12 encoded bytes.
    pub fn encode(&self) -> [u8; 12] {
        let mut out = [0u8; 12];
        out[..2].copy_from_slice(&self.country.bytes());
        if let Some(p) = self.postcode {
            out[2..].copy_from_slice(&p.bytes());
        }
        out
    }

    /// Decodes 12 bytes; all zeros is `None`.
    pub fn decode(b: [u8; 12]) -> Result<Option<Self>> {
        if b == Self::NONE_BYTES {
            return Ok(None);
        }
        let mut c = [0u8; 2];
        c.copy_from_slice(&b[..2]);
        let mut p = [0u8; 10];
        p.copy_from_slice(&b[2..]);
        Ok(Some(Self {
            country: Country::decode(c)?,
            postcode: Postcode::decode(p)?,
        }))
    }

    /// Encodes an optional region (zeros for none).
    pub fn encode_opt(r: Option<&Region>) -> [u8; 12] {
        r.map(Region::encode).unwrap_or(Self::NONE_BYTES)
    }
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.postcode {
            Some(p) => write!(f, "{}-{}", self.country.as_str(), p.as_str()),
            None => write!(f, "{}", self.country.as_str()),
        }
    }
}

/// A phone number in E.164 form: `+`, then 8 to 15 digits, the first not 0.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Encoded width: `+` and up to 15 digits, zero-padded.
    pub const LEN: usize = 16;

    /// Parses a number, ignoring spaces, hyphens, dots, slashes and parentheses; `00` becomes `+`.
    pub fn parse(s: &str) -> Result<Self> {
        let cleaned: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '/' | '(' | ')'))
            .collect();
        let digits = if let Some(rest) = cleaned.strip_prefix('+') {
            rest
        } else if let Some(rest) = cleaned.strip_prefix("00") {
            rest
        } else {
            return Err(ProtocolError::InvalidField {
                field: "phone number",
                reason: "must start with + and the country code, e.g. +49 151 23456789",
            });
        };
        if !digits.bytes().all(|c| c.is_ascii_digit()) {
            return Err(ProtocolError::InvalidField {
                field: "phone number",
                reason: "may contain only digits after the +",
            });
        }
        if digits.starts_with('0') {
            return Err(ProtocolError::InvalidField {
                field: "phone number",
                reason: "the country code cannot start with 0",
            });
        }
        if !(8..=15).contains(&digits.len()) {
            return Err(ProtocolError::InvalidField {
                field: "phone number",
                reason: "must have 8 to 15 digits including the country code",
            });
        }
        Ok(Self(format!("+{digits}")))
    }

    /// The normalised E.164 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 16 encoded bytes.
    pub fn encode(&self) -> [u8; 16] {
        let mut out = [0u8; 16];
        for (o, c) in out.iter_mut().zip(self.0.bytes()) {
            *o = c;
        }
        out
    }

    /// Decodes 16 bytes strictly.
    pub fn decode(b: [u8; 16]) -> Result<Self> {
        let len = b.iter().position(|&c| c == 0).unwrap_or(16);
        let text = std::str::from_utf8(b.get(..len).unwrap_or(&[])).map_err(|_| {
            ProtocolError::InvalidField {
                field: "phone number",
                reason: "bad encoding",
            }
        })?;
        if b.get(len..).unwrap_or(&[]).iter().any(|&c| c != 0) {
            return Err(ProtocolError::InvalidField {
                field: "phone number",
                reason: "bad padding",
            });
        }
        let p = Self::parse(text)?;
        if p.0 != text {
            return Err(ProtocolError::InvalidField {
                field: "phone number",
                reason: "not in normal form",
            });
        }
        Ok(p)
    }
}

impl std::fmt::Debug for PhoneNumber {
    // Personal data stays out of debug output and logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PhoneNumber(redacted)")
    }
}

/// Kind of place, from the fixed list of the concept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    /// Restaurants, cafés, bars.
    Gastronomy = 1,
    /// Shops.
    Retail = 2,
    /// Companies and offices.
    Company = 3,
    /// Schools, universities, lecture rooms.
    Education = 4,
    /// Events.
    Event = 5,
    /// Anything else.
    Other = 6,
}

impl PlaceKind {
    /// All kinds, in list order.
    pub const ALL: [PlaceKind; 6] = [
        Self::Gastronomy,
        Self::Retail,
        Self::Company,
        Self::Education,
        Self::Event,
        Self::Other,
    ];

    /// From the encoded byte.
    pub fn decode(b: u8) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| *k as u8 == b)
            .ok_or(ProtocolError::UnknownKind {
                what: "place kind",
                got: b,
            })
    }

    /// Stable English identifier (`gastronomy`, …).
    pub fn id(self) -> &'static str {
        match self {
            Self::Gastronomy => "gastronomy",
            Self::Retail => "retail",
            Self::Company => "company",
            Self::Education => "education",
            Self::Event => "event",
            Self::Other => "other",
        }
    }

    /// From the identifier.
    pub fn from_id(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.id() == s)
            .ok_or(ProtocolError::InvalidField {
                field: "place kind",
                reason: "must be one of gastronomy, retail, company, education, event, other",
            })
    }
}

/// Encodes UTF-8 text into exactly `N` zero-padded bytes; refuses text that is too long or
/// contains control characters (NUL would break the padding).
pub fn encode_text<const N: usize>(field: &'static str, s: &str) -> Result<[u8; N]> {
    if s.len() > N {
        return Err(ProtocolError::InvalidField {
            field,
            reason: "is too long",
        });
    }
    if s.chars().any(char::is_control) {
        return Err(ProtocolError::InvalidField {
            field,
            reason: "must not contain control characters",
        });
    }
    let mut out = [0u8; N];
    out[..s.len()].copy_from_slice(s.as_bytes());
    Ok(out)
}

/// Decodes what [`encode_text`] made, strictly.
pub fn decode_text(field: &'static str, b: &[u8]) -> Result<String> {
    let len = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    let (text, pad) = b.split_at(len);
    if pad.iter().any(|&c| c != 0) {
        return Err(ProtocolError::InvalidField {
            field,
            reason: "bad padding",
        });
    }
    let s = std::str::from_utf8(text).map_err(|_| ProtocolError::InvalidField {
        field,
        reason: "is not UTF-8",
    })?;
    if s.chars().any(char::is_control) {
        return Err(ProtocolError::InvalidField {
            field,
            reason: "contains control characters",
        });
    }
    Ok(s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_normalise_and_refuse() {
        assert_eq!(
            PhoneNumber::parse("+49 151 2345-6789").unwrap().as_str(),
            "+4915123456789"
        );
        assert_eq!(
            PhoneNumber::parse("0049 151 23456789").unwrap().as_str(),
            "+4915123456789"
        );
        assert!(PhoneNumber::parse("0151 23456789").is_err());
        assert!(PhoneNumber::parse("+0151234567").is_err());
        assert!(PhoneNumber::parse("+49 151 2345678901234").is_err());
        assert!(PhoneNumber::parse("+49abc12345678").is_err());
        let p = PhoneNumber::parse("+4915123456789").unwrap();
        assert_eq!(PhoneNumber::decode(p.encode()).unwrap(), p);
        assert_eq!(format!("{p:?}"), "PhoneNumber(redacted)");
    }

    #[test]
    fn regions_round_trip() {
        let r = Region::parse("de", Some("80331")).unwrap();
        assert_eq!(Region::decode(r.encode()).unwrap(), Some(r));
        assert_eq!(r.to_string(), "DE-80331");
        assert!(Postcode::parse("80331!").is_err());
        assert!(Postcode::parse("12345678901").is_err());
        assert_eq!(Region::decode([0; 12]).unwrap(), None);
    }
}
