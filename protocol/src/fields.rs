//! Validated plain fields: country, postcode, region, phone number, place kind, short texts.
//!
//! Each has a fixed encoded width so the records that carry them have fixed sizes. The rules for
//! what a country, a postcode and a piece of text may be live here and only here
//! (`docs/protocol.md` §4); every party (app, desk, vault, directory) calls these functions, and
//! each refusal has a typed reason ([`CountryProblem`], [`PostcodeProblem`], [`TextProblem`]).

use crate::error::{ProtocolError, Result};

/// Every assigned ISO 3166-1 alpha-2 code (249), in alphabetical order. User-assigned codes
/// (`AA`, `QM`–`QZ`, `XA`–`XZ` such as `XK`, `ZZ`) and reserved ones are not countries here.
const ISO_3166_ALPHA2: &str = "\
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ \
EC EE EG EH ER ES ET \
FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU \
ID IE IL IM IN IO IQ IR IS IT \
JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ \
LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ \
OM \
PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
QA \
RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ \
UA UG UM US UY UZ \
VA VC VE VG VI VN VU \
WF WS \
YE YT \
ZA ZM ZW";

/// Why a country code was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountryProblem {
    /// Not exactly two letters.
    NotTwoLetters,
    /// Two letters, but no assigned ISO 3166-1 alpha-2 code (`XX`, `ZZ`, `XK`, …).
    NotAssigned,
}

impl CountryProblem {
    /// The reason in words.
    pub fn reason(self) -> &'static str {
        match self {
            Self::NotTwoLetters => "must be two letters (ISO 3166-1 alpha-2, e.g. DE)",
            Self::NotAssigned => "is not an assigned ISO 3166-1 country code",
        }
    }
}

impl From<CountryProblem> for ProtocolError {
    fn from(p: CountryProblem) -> Self {
        ProtocolError::InvalidField {
            field: "country",
            reason: p.reason(),
        }
    }
}

/// ISO 3166-1 alpha-2 country code, upper case (`DE`), always an assigned one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country([u8; 2]);

impl Country {
    /// Encoded width.
    pub const LEN: usize = 2;

    /// Checks two letters (lower case is accepted and upper-cased) against the assigned codes.
    pub fn check(s: &str) -> std::result::Result<Self, CountryProblem> {
        let b = s.as_bytes();
        if b.len() != 2 || !b.iter().all(u8::is_ascii_alphabetic) {
            return Err(CountryProblem::NotTwoLetters);
        }
        Self::assigned([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()])
    }

    fn assigned(b: [u8; 2]) -> std::result::Result<Self, CountryProblem> {
        let known = ISO_3166_ALPHA2
            .split(' ')
            .any(|c| c.as_bytes() == b.as_slice());
        if known {
            Ok(Self(b))
        } else {
            Err(CountryProblem::NotAssigned)
        }
    }

    /// Parses two letters; lower case is accepted and upper-cased; unassigned codes are refused.
    pub fn parse(s: &str) -> Result<Self> {
        Ok(Self::check(s)?)
    }

    /// Decodes the encoded bytes strictly (an assigned code in upper case).
    pub fn decode(b: [u8; 2]) -> Result<Self> {
        if !b.iter().all(u8::is_ascii_uppercase) {
            return Err(ProtocolError::InvalidField {
                field: "country",
                reason: "must be two upper-case letters",
            });
        }
        Ok(Self::assigned(b)?)
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

/// The format a country's postcodes follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostcodeRule {
    /// Germany: exactly 5 digits, not `00000`.
    FiveDigits,
    /// Austria, Switzerland: exactly 4 digits, 1000 to 9999.
    FourDigits,
    /// Every other country: the general rule of [`Postcode::check`].
    General,
}

impl PostcodeRule {
    /// The rule of `country`.
    pub fn of(country: Country) -> Self {
        match country.as_str() {
            "DE" => Self::FiveDigits,
            "AT" | "CH" => Self::FourDigits,
            _ => Self::General,
        }
    }

    /// The rule in words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::FiveDigits => "5 digits",
            Self::FourDigits => "4 digits from 1000 to 9999",
            Self::General => "1 to 10 letters, digits, single spaces or hyphens",
        }
    }

    fn fits(self, p: &str) -> bool {
        let digits = |n: usize| p.len() == n && p.bytes().all(|c| c.is_ascii_digit());
        match self {
            Self::FiveDigits => digits(5),
            Self::FourDigits => digits(4) && !p.starts_with('0'),
            Self::General => true,
        }
    }
}

/// Why a postcode was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostcodeProblem {
    /// Nothing given.
    Empty,
    /// More than 10 characters.
    TooLong,
    /// A character other than `A–Z 0–9`, space and hyphen.
    Character(char),
    /// Starts or ends with a space or hyphen, or has two in a row.
    Separators,
    /// Only zeros (and separators): no real postcode.
    AllZeros,
    /// Does not follow the country's format.
    Format(PostcodeRule),
}

impl PostcodeProblem {
    /// The reason in words.
    pub fn reason(self) -> &'static str {
        match self {
            Self::Empty => "is empty",
            Self::TooLong => "must have 1 to 10 characters",
            Self::Character(_) => "may contain only letters, digits, space and hyphen",
            Self::Separators => {
                "must not start or end with a space or hyphen, nor have two of them in a row"
            }
            Self::AllZeros => "must not be all zeros",
            Self::Format(PostcodeRule::FiveDigits) => "must have 5 digits in this country",
            Self::Format(PostcodeRule::FourDigits) => {
                "must have 4 digits from 1000 to 9999 in this country"
            }
            Self::Format(PostcodeRule::General) => "does not follow the postcode rules",
        }
    }
}

impl From<PostcodeProblem> for ProtocolError {
    fn from(p: PostcodeProblem) -> Self {
        ProtocolError::InvalidField {
            field: "postcode",
            reason: p.reason(),
        }
    }
}

/// A postcode: 1–10 characters of `A–Z 0–9`, space or hyphen, stored upper case, zero-padded.
/// It never starts or ends with a separator, never has two in a row and is not all zeros; a
/// [`Region`] also holds it to its country's format ([`PostcodeRule`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Postcode([u8; 10]);

/// The general postcode rule on normalised (upper-case, trimmed) bytes.
fn general_postcode_rule(b: &[u8]) -> std::result::Result<(), PostcodeProblem> {
    if b.is_empty() {
        return Err(PostcodeProblem::Empty);
    }
    if b.len() > Postcode::LEN {
        return Err(PostcodeProblem::TooLong);
    }
    let sep = |c: u8| c == b' ' || c == b'-';
    if let Some(&c) = b
        .iter()
        .find(|&&c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || sep(c)))
    {
        return Err(PostcodeProblem::Character(char::from(c)));
    }
    let first_last = b.first().is_some_and(|&c| sep(c)) || b.last().is_some_and(|&c| sep(c));
    if first_last || b.windows(2).any(|w| sep(w[0]) && sep(w[1])) {
        return Err(PostcodeProblem::Separators);
    }
    if b.iter().filter(|&&c| !sep(c)).all(|&c| c == b'0') {
        return Err(PostcodeProblem::AllZeros);
    }
    Ok(())
}

impl Postcode {
    /// Encoded width.
    pub const LEN: usize = 10;

    /// Checks the general rule (any country) on trimmed, upper-cased text. Non-ASCII
    /// characters are reported as they were typed.
    pub fn check(s: &str) -> std::result::Result<Self, PostcodeProblem> {
        let t = s.trim();
        if t.chars().count() > Self::LEN {
            return Err(PostcodeProblem::TooLong);
        }
        if let Some(c) = t.chars().find(|c| !c.is_ascii()) {
            return Err(PostcodeProblem::Character(c));
        }
        let upper = t.to_ascii_uppercase();
        general_postcode_rule(upper.as_bytes())?;
        let mut out = [0u8; 10];
        out[..upper.len()].copy_from_slice(upper.as_bytes());
        Ok(Self(out))
    }

    /// Checks the general rule and then `country`'s format.
    pub fn check_in(country: Country, s: &str) -> std::result::Result<Self, PostcodeProblem> {
        let p = Self::check(s)?;
        p.fits(country)?;
        Ok(p)
    }

    /// Whether this postcode follows `country`'s format.
    pub fn fits(&self, country: Country) -> std::result::Result<(), PostcodeProblem> {
        let rule = PostcodeRule::of(country);
        if rule.fits(self.as_str()) {
            Ok(())
        } else {
            Err(PostcodeProblem::Format(rule))
        }
    }

    /// Parses and normalises (trimmed, upper case) by the general rule.
    pub fn parse(s: &str) -> Result<Self> {
        Ok(Self::check(s)?)
    }

    /// Decodes the zero-padded bytes strictly (the general rule, upper case only).
    pub fn decode(b: [u8; 10]) -> Result<Option<Self>> {
        if b == [0u8; 10] {
            return Ok(None);
        }
        let len = b.iter().position(|&c| c == 0).unwrap_or(10);
        let (text, pad) = b.split_at(len);
        if pad.iter().any(|&c| c != 0) {
            return Err(ProtocolError::InvalidField {
                field: "postcode",
                reason: "bad encoding",
            });
        }
        general_postcode_rule(text)?;
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

    /// A region from text: an assigned country and a postcode in that country's format.
    pub fn parse(country: &str, postcode: Option<&str>) -> Result<Self> {
        let country = Country::parse(country)?;
        Ok(Self {
            country,
            postcode: postcode
                .map(|p| Postcode::check_in(country, p))
                .transpose()?,
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

    /// Decodes 12 bytes; all zeros is `None`. The country must be assigned and the postcode keep
    /// the general rule; the country's format is checked where postcodes are entered, so a
    /// record from another party is never lost over it.
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

/// Why a piece of text (a name, description or id) was refused. Each carries the character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextProblem {
    /// A control character (general category Cc: C0, DEL, C1), e.g. ESC or a line feed.
    Control(char),
    /// A bidirectional control (U+202A–202E, U+2066–2069, U+200E, U+200F, U+061C): it reorders
    /// what is shown around it.
    Bidi(char),
    /// An invisible formatting character (general category Cf: zero-width space, joiners,
    /// word joiner, BOM, soft hyphen, tags, …) or an invisible filler letter.
    Invisible(char),
    /// A line or paragraph separator (U+2028, U+2029).
    LineBreak(char),
}

impl TextProblem {
    /// The character refused.
    pub fn character(self) -> char {
        match self {
            Self::Control(c) | Self::Bidi(c) | Self::Invisible(c) | Self::LineBreak(c) => c,
        }
    }

    /// The reason in words (without the character, which [`TextProblem::character`] gives).
    pub fn reason(self) -> &'static str {
        match self {
            Self::Control(_) => "must not contain control characters",
            Self::Bidi(_) => "must not contain bidirectional control characters",
            Self::Invisible(_) => "must not contain invisible formatting characters",
            Self::LineBreak(_) => "must not contain line or paragraph separators",
        }
    }

    /// As a protocol error for `field`.
    pub fn error(self, field: &'static str) -> ProtocolError {
        ProtocolError::InvalidField {
            field,
            reason: self.reason(),
        }
    }
}

impl std::fmt::Display for TextProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (U+{:04X})",
            self.reason(),
            u32::from(self.character())
        )
    }
}

/// General category Cf (format characters), Unicode 15.1, as inclusive ranges.
const FORMAT_CHARS: [(u32, u32); 21] = [
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// Letters and marks that render as nothing and are used to hide or fake text: the combining
/// grapheme joiner and the Hangul fillers.
const INVISIBLE_LETTERS: [char; 5] = ['\u{034F}', '\u{115F}', '\u{1160}', '\u{3164}', '\u{FFA0}'];

/// What is wrong with one character of a name or id, if anything. The one text rule.
pub fn text_problem(c: char) -> Option<TextProblem> {
    let u = u32::from(c);
    if c.is_control() {
        Some(TextProblem::Control(c))
    } else if matches!(u, 0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C) {
        Some(TextProblem::Bidi(c))
    } else if matches!(u, 0x2028 | 0x2029) {
        Some(TextProblem::LineBreak(c))
    } else if FORMAT_CHARS.iter().any(|&(a, b)| (a..=b).contains(&u))
        || INVISIBLE_LETTERS.contains(&c)
    {
        Some(TextProblem::Invisible(c))
    } else {
        None
    }
}

/// Checks every character of a name, description or id against the text rule: no control,
/// bidirectional-control, invisible-format or line-separator characters. Lengths are the
/// caller's (each field has its own).
pub fn check_text(s: &str) -> std::result::Result<(), TextProblem> {
    match s.chars().find_map(text_problem) {
        Some(p) => Err(p),
        None => Ok(()),
    }
}

/// Text from a code or a record made safe to print on a terminal or show on a screen: every
/// character the text rule refuses is written visibly as `\u{…}` (and a backslash as `\\`),
/// so a foreign QR code cannot move the cursor, retitle or clear a terminal, or reorder what is
/// shown around it.
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\\' {
            out.push_str("\\\\");
        } else if text_problem(c).is_some() {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Encodes UTF-8 text into exactly `N` zero-padded bytes; refuses text that is too long or
/// breaks the text rule ([`check_text`]; NUL would also break the padding).
pub fn encode_text<const N: usize>(field: &'static str, s: &str) -> Result<[u8; N]> {
    if s.len() > N {
        return Err(ProtocolError::InvalidField {
            field,
            reason: "is too long",
        });
    }
    check_text(s).map_err(|p| p.error(field))?;
    let mut out = [0u8; N];
    out[..s.len()].copy_from_slice(s.as_bytes());
    Ok(out)
}

/// Decodes what [`encode_text`] made, strictly (the same text rule).
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
    check_text(s).map_err(|p| p.error(field))?;
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

    #[test]
    fn countries_must_be_assigned_codes() {
        assert_eq!(ISO_3166_ALPHA2.split(' ').count(), 249);
        let mut sorted: Vec<&str> = ISO_3166_ALPHA2.split(' ').collect();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 249, "sorted, no duplicates");
        for ok in ["DE", "de", "At", "CH", "US", "GB", "FR", "ZW", "AX"] {
            assert!(Country::check(ok).is_ok(), "{ok}");
        }
        let table: [(&str, CountryProblem); 11] = [
            ("XX", CountryProblem::NotAssigned),
            ("xx", CountryProblem::NotAssigned),
            ("ZZ", CountryProblem::NotAssigned),
            ("XK", CountryProblem::NotAssigned),
            ("AA", CountryProblem::NotAssigned),
            ("UK", CountryProblem::NotAssigned),
            ("D", CountryProblem::NotTwoLetters),
            ("DEU", CountryProblem::NotTwoLetters),
            ("D1", CountryProblem::NotTwoLetters),
            ("", CountryProblem::NotTwoLetters),
            ("DÉ", CountryProblem::NotTwoLetters),
        ];
        for (text, want) in table {
            assert_eq!(Country::check(text), Err(want), "{text:?}");
        }
        assert!(Country::decode(*b"XX").is_err());
        assert!(Country::decode(*b"de").is_err());
        assert_eq!(Country::decode(*b"DE").unwrap().as_str(), "DE");
        assert!(Region::parse("XX", None).is_err());
    }

    #[test]
    fn postcodes_follow_their_country() {
        use PostcodeProblem as P;
        let ok: [(&str, &str, &str); 14] = [
            ("DE", "80331", "80331"),
            ("DE", " 01067 ", "01067"),
            ("AT", "1010", "1010"),
            ("AT", "9999", "9999"),
            ("CH", "8001", "8001"),
            ("CH", "1000", "1000"),
            ("GB", "sw1a 1aa", "SW1A 1AA"),
            ("NL", "1012 AB", "1012 AB"),
            ("PL", "00-950", "00-950"),
            ("US", "10001", "10001"),
            ("US", "10001-1234", "10001-1234"),
            ("IE", "D02", "D02"),
            ("SG", "018956", "018956"),
            ("FR", "75001", "75001"),
        ];
        for (c, p, want) in ok {
            let r = Region::parse(c, Some(p)).unwrap_or_else(|e| panic!("{c} {p:?}: {e}"));
            assert_eq!(r.postcode.unwrap().as_str(), want);
            assert_eq!(Region::decode(r.encode()).unwrap(), Some(r));
        }
        let bad: [(&str, &str, PostcodeProblem); 24] = [
            ("DE", "ABCDE", P::Format(PostcodeRule::FiveDigits)),
            ("DE", "8033", P::Format(PostcodeRule::FiveDigits)),
            ("DE", "803311", P::Format(PostcodeRule::FiveDigits)),
            ("DE", "80 331", P::Format(PostcodeRule::FiveDigits)),
            ("DE", "00000", P::AllZeros),
            ("AT", "0999", P::Format(PostcodeRule::FourDigits)),
            ("AT", "10100", P::Format(PostcodeRule::FourDigits)),
            ("CH", "800", P::Format(PostcodeRule::FourDigits)),
            ("CH", "0000", P::AllZeros),
            ("CH", "CH-8001", P::Format(PostcodeRule::FourDigits)),
            ("GB", "-1-1", P::Separators),
            ("DE", "-1-1", P::Separators),
            ("GB", "1-", P::Separators),
            ("GB", "SW1A  1AA", P::Separators),
            ("GB", "12 -34", P::Separators),
            ("GB", "0 0-0", P::AllZeros),
            ("GB", "", P::Empty),
            ("GB", "   ", P::Empty),
            ("GB", "12345678901", P::TooLong),
            ("GB", "80331!", P::Character('!')),
            ("GB", "=1+1", P::Character('=')),
            ("GB", "80\u{200B}331", P::Character('\u{200B}')),
            ("GB", "８０３３１", P::Character('８')),
            ("GB", "1\t2", P::Character('\t')),
        ];
        for (c, p, want) in bad {
            let country = Country::parse(c).unwrap();
            assert_eq!(Postcode::check_in(country, p), Err(want), "{c} {p:?}");
            assert!(Region::parse(c, Some(p)).is_err(), "{c} {p:?}");
        }
        // Stored bytes keep the general rule: a hand-built record cannot carry "-1-1".
        let mut b = [0u8; 12];
        b[..2].copy_from_slice(b"DE");
        b[2..6].copy_from_slice(b"-1-1");
        assert!(Region::decode(b).is_err());
        b[2..7].copy_from_slice(b"00000");
        assert!(Region::decode(b).is_err());
    }

    #[test]
    fn text_rule_refuses_every_invisible_or_reordering_character() {
        use TextProblem as T;
        let table: [(char, TextProblem); 27] = [
            ('\u{0}', T::Control('\u{0}')),
            ('\u{1b}', T::Control('\u{1b}')),
            ('\n', T::Control('\n')),
            ('\r', T::Control('\r')),
            ('\t', T::Control('\t')),
            ('\u{7f}', T::Control('\u{7f}')),
            ('\u{85}', T::Control('\u{85}')),
            ('\u{9b}', T::Control('\u{9b}')),
            ('\u{202A}', T::Bidi('\u{202A}')),
            ('\u{202B}', T::Bidi('\u{202B}')),
            ('\u{202C}', T::Bidi('\u{202C}')),
            ('\u{202D}', T::Bidi('\u{202D}')),
            ('\u{202E}', T::Bidi('\u{202E}')),
            ('\u{2066}', T::Bidi('\u{2066}')),
            ('\u{2067}', T::Bidi('\u{2067}')),
            ('\u{2068}', T::Bidi('\u{2068}')),
            ('\u{2069}', T::Bidi('\u{2069}')),
            ('\u{200E}', T::Bidi('\u{200E}')),
            ('\u{200F}', T::Bidi('\u{200F}')),
            ('\u{061C}', T::Bidi('\u{061C}')),
            ('\u{200B}', T::Invisible('\u{200B}')),
            ('\u{200C}', T::Invisible('\u{200C}')),
            ('\u{200D}', T::Invisible('\u{200D}')),
            ('\u{2060}', T::Invisible('\u{2060}')),
            ('\u{FEFF}', T::Invisible('\u{FEFF}')),
            ('\u{2028}', T::LineBreak('\u{2028}')),
            ('\u{2029}', T::LineBreak('\u{2029}')),
        ];
        for (c, want) in table {
            let text = format!("Gesundheitsamt M{c}nehcnü");
            assert_eq!(check_text(&text), Err(want), "U+{:04X}", u32::from(c));
            assert!(encode_text::<64>("place name", &text).is_err());
            let mut raw = [0u8; 64];
            raw[..text.len()].copy_from_slice(text.as_bytes());
            assert!(
                decode_text("place name", &raw).is_err(),
                "decode U+{:04X}",
                u32::from(c)
            );
            assert!(
                !printable(&text).contains(c),
                "printable shows U+{:04X} escaped",
                u32::from(c)
            );
        }
        for c in [
            '\u{00AD}',
            '\u{0600}',
            '\u{180E}',
            '\u{2064}',
            '\u{206F}',
            '\u{FFF9}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{1D173}',
            '\u{3164}',
            '\u{115F}',
            '\u{034F}',
        ] {
            assert_eq!(
                text_problem(c),
                Some(T::Invisible(c)),
                "U+{:04X}",
                u32::from(c)
            );
        }
        for fine in [
            "Café Müller",
            "Gesundheitsamt München",
            "Zur Post (2. OG)",
            "Ελληνικά",
            "מסעדה",
            "مطعم",
            "日本料理",
            "Bäckerei\u{00A0}Kühn",
            "A&B 50% #1",
            "👩‍🍳",
        ] {
            // The emoji joins with U+200D, which is refused: allow only the rest.
            if fine.contains('\u{200D}') {
                assert!(check_text(fine).is_err());
            } else {
                assert_eq!(check_text(fine), Ok(()), "{fine}");
                assert_eq!(printable(fine), fine);
            }
        }
    }

    #[test]
    fn printable_escapes_terminal_sequences_visibly() {
        assert_eq!(
            printable("\u{1b}]0;pwned\u{7}\u{1b}[2Jhi"),
            "\\u{1b}]0;pwned\\u{7}\\u{1b}[2Jhi"
        );
        assert_eq!(printable("M\u{202E}abc"), "M\\u{202e}abc");
        assert_eq!(printable("a\\b"), "a\\\\b");
        assert!(!printable("x\u{9b}31m").chars().any(|c| c.is_control()));
    }
}
