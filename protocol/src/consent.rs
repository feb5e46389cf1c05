//! The consent code a health authority's desk makes for one person: authority, case, days, nonce,
//! issue minute, expiry, a 16-bit check of the person's phone number, signed.
//!
//! The policy numbers live here, in one place, and every party enforces them through
//! [`check_policy`]: the desk when it issues a code, the app and the vault when they verify one.
//! The app accepts a code only when the signature checks against the pinned directory, the policy
//! holds, it has not expired and it names the person who enters their credentials; "used before"
//! is checked by the app (nonce store) and by the vault (nonce per take).

use crate::crypto::sha256;
use crate::directory::{Authority, Directory};
use crate::error::{ProtocolError, Result};
use crate::fields::PhoneNumber;
use crate::keys::SignSecretKey;
use crate::labels::{CONSENT_PERSON, SIGN_CONSENT};
use crate::record::MAX_CONSENT_DAYS;
use crate::time::{Day, Minute, DAY_MINUTES, RETENTION_DAYS};
use crate::wire::{Reader, Writer};

/// Consent code format version (version 1, without issue minute and person check, is refused).
pub const CONSENT_VERSION: u8 = 2;
/// Longest case id.
pub const MAX_CASE_LEN: usize = 16;
/// Most days one code asks for (the retention period).
pub const MAX_DAYS: u8 = 28;
/// The oldest day a code may ask for, counted back from the day it is issued: older data is
/// deleted everywhere (retention 28 days: the issue day and the 27 before it).
pub const OLDEST_DAY_BACK: u32 = RETENTION_DAYS - 1;
/// Longest lifetime of a code (`expires − issued`), in minutes: 7 days. A code is handed to the
/// person at the desk or by letter; a week is enough for that and short enough that a lost code
/// is soon worthless.
pub const MAX_LIFETIME_MINUTES: u32 = 7 * DAY_MINUTES;
/// Longest lifetime in hours (for the desk's `--valid-hours`).
pub const MAX_LIFETIME_HOURS: u32 = MAX_LIFETIME_MINUTES / 60;
/// Bytes of the person check.
pub const PERSON_CHECK_LEN: usize = 2;

// The record layout and the policy must agree on the most days.
const _: () = assert!(MAX_DAYS as usize == MAX_CONSENT_DAYS);

/// The signed fields of a consent code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentCode {
    /// Issuing authority.
    pub authority: u16,
    /// The authority's case id: 1–16 characters of `A–Z 0–9 - /`.
    pub case_id: String,
    /// First day asked for.
    pub first_day: Day,
    /// Number of days asked for (1–28).
    pub days: u8,
    /// Random, unique per code: a code can be used once.
    pub nonce: [u8; 16],
    /// The minute the desk issued the code.
    pub issued: Minute,
    /// After this minute the code is refused.
    pub expires: Minute,
    /// `SHA-256("spur/v1/consent-person/" ‖ nonce ‖ E.164 phone)[0..2]` of the person the code is
    /// made for.
    pub person_check: [u8; PERSON_CHECK_LEN],
    /// Ed25519 signature of the authority over everything above.
    pub signature: [u8; 64],
}

/// What a desk asks for when it issues a code (everything but nonce and person).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConsentTerms<'a> {
    /// Issuing authority.
    pub authority: u16,
    /// Case id.
    pub case_id: &'a str,
    /// First day asked for.
    pub first_day: Day,
    /// Number of days.
    pub days: u8,
    /// Issue minute (now, at the desk).
    pub issued: Minute,
    /// Expiry minute.
    pub expires: Minute,
}

/// A consent code whose signature checked against the directory and whose policy holds.
#[derive(Clone, Debug)]
pub struct VerifiedConsent {
    /// The code.
    pub code: ConsentCode,
    /// The authority from the pinned directory: its name is shown, its AUTH key is sealed to.
    pub authority: Authority,
}

/// Checks a case id's alphabet and length.
pub fn validate_case_id(case: &str) -> Result<()> {
    let ok = !case.is_empty()
        && case.len() <= MAX_CASE_LEN
        && case
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'-' || c == b'/');
    if ok {
        Ok(())
    } else {
        Err(ProtocolError::InvalidField {
            field: "case id",
            reason: "must have 1 to 16 characters of A-Z, 0-9, - and /",
        })
    }
}

fn policy(reason: &'static str) -> ProtocolError {
    ProtocolError::InvalidField {
        field: "consent code",
        reason,
    }
}

/// The last day of `days` days from `first`, or `None` when it would run past the calendar's end.
pub fn last_day(first: Day, days: u8) -> Option<Day> {
    first
        .0
        .checked_add(u32::from(days.checked_sub(1)?))
        .map(Day)
}

/// The day and time policy of a consent code, enforced by desk, app and vault:
/// 1–28 days; no day after the issue day; none older than 27 days before it (retention); the code
/// expires after it was issued and lives at most 7 days. All arithmetic is checked.
pub fn check_policy(first_day: Day, days: u8, issued: Minute, expires: Minute) -> Result<()> {
    if days == 0 || days > MAX_DAYS {
        return Err(policy("must ask for 1 to 28 days"));
    }
    let last =
        last_day(first_day, days).ok_or(policy("its days run past the end of the calendar"))?;
    let issue_day = issued.day();
    if last > issue_day {
        return Err(policy(
            "asks for days after the day it was issued (days that have not happened)",
        ));
    }
    if first_day.0 < issue_day.0.saturating_sub(OLDEST_DAY_BACK) {
        return Err(policy(
            "asks for days older than 28 days before it was issued (deleted everywhere)",
        ));
    }
    if expires <= issued {
        return Err(policy("expires before it was issued"));
    }
    if expires.0 - issued.0 > MAX_LIFETIME_MINUTES {
        return Err(policy("is valid for more than 7 days"));
    }
    Ok(())
}

/// The person check of a code with `nonce` for `phone` (E.164).
pub fn person_check(nonce: &[u8; 16], phone: &PhoneNumber) -> [u8; PERSON_CHECK_LEN] {
    let h = sha256(&[CONSENT_PERSON.as_bytes(), nonce, phone.as_str().as_bytes()]);
    [h[0], h[1]]
}

impl ConsentCode {
    /// Makes and signs a code for the person with `phone`. Refuses terms outside the policy.
    pub fn issue(
        key: &SignSecretKey,
        terms: &ConsentTerms<'_>,
        nonce: [u8; 16],
        phone: &PhoneNumber,
    ) -> Result<Self> {
        validate_case_id(terms.case_id)?;
        check_policy(terms.first_day, terms.days, terms.issued, terms.expires)?;
        let mut c = Self {
            authority: terms.authority,
            case_id: terms.case_id.to_owned(),
            first_day: terms.first_day,
            days: terms.days,
            nonce,
            issued: terms.issued,
            expires: terms.expires,
            person_check: person_check(&nonce, phone),
            signature: [0; 64],
        };
        c.signature = key.sign(SIGN_CONSENT, &c.signed_part());
        Ok(c)
    }

    fn signed_part(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(64);
        w.u8(CONSENT_VERSION)
            .u16(self.authority)
            .u8(u8::try_from(self.case_id.len()).unwrap_or(u8::MAX))
            .bytes(self.case_id.as_bytes())
            .u32(self.first_day.0)
            .u8(self.days)
            .bytes(&self.nonce)
            .u32(self.issued.0)
            .u32(self.expires.0)
            .bytes(&self.person_check);
        w.into_vec()
    }

    /// The bytes carried (base32) in the consent URL.
    pub fn encode(&self) -> Vec<u8> {
        let mut b = self.signed_part();
        b.extend_from_slice(&self.signature);
        b
    }

    /// Parses the bytes strictly; does not verify (see [`ConsentCode::verify`]). Refuses days
    /// outside 1–28 and days that run past the end of the calendar.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes, "consent code");
        let v = r.u8()?;
        if v != CONSENT_VERSION {
            return Err(ProtocolError::UnsupportedVersion {
                what: "consent code",
                got: v,
                supported: CONSENT_VERSION,
            });
        }
        let authority = r.u16()?;
        let case_len = usize::from(r.u8()?);
        let case_id = std::str::from_utf8(r.take(case_len)?)
            .map_err(|_| ProtocolError::InvalidField {
                field: "case id",
                reason: "is not text",
            })?
            .to_owned();
        validate_case_id(&case_id)?;
        let first_day = Day(r.u32()?);
        let days = r.u8()?;
        if days == 0 || days > MAX_DAYS {
            return Err(policy("must ask for 1 to 28 days"));
        }
        if last_day(first_day, days).is_none() {
            return Err(policy("its days run past the end of the calendar"));
        }
        let nonce = r.array()?;
        let issued = Minute(r.u32()?);
        let expires = Minute(r.u32()?);
        let person_check = r.array()?;
        let signature = r.array()?;
        r.finish()?;
        Ok(Self {
            authority,
            case_id,
            first_day,
            days,
            nonce,
            issued,
            expires,
            person_check,
            signature,
        })
    }

    /// Verifies the signature against the pinned directory and the policy, without the clock:
    /// what the vault checks (it takes releases after the code expired). Refusals are typed:
    /// unknown authority, bad signature (forged or altered), outside the policy.
    pub fn verify_signed(&self, dir: &Directory) -> Result<VerifiedConsent> {
        let authority = dir
            .authority(self.authority)
            .ok_or(ProtocolError::UnknownAuthority(self.authority))?;
        authority.sign.verify(
            SIGN_CONSENT,
            &self.signed_part(),
            &self.signature,
            "consent code",
        )?;
        self.check_policy()?;
        Ok(VerifiedConsent {
            code: self.clone(),
            authority: authority.clone(),
        })
    }

    /// Verifies against the pinned directory, the policy and the clock (what the app checks):
    /// everything [`ConsentCode::verify_signed`] checks, and that it has not expired.
    pub fn verify(&self, dir: &Directory, now: Minute) -> Result<VerifiedConsent> {
        let v = self.verify_signed(dir)?;
        if now >= self.expires {
            return Err(ProtocolError::ConsentExpired);
        }
        Ok(v)
    }

    /// The policy of this code's days and times ([`check_policy`]).
    pub fn check_policy(&self) -> Result<()> {
        check_policy(self.first_day, self.days, self.issued, self.expires)
    }

    /// Whether the code was made for the person with `phone` (16-bit check: another person's
    /// app refuses it; a match is no proof of who the person is).
    pub fn is_for(&self, phone: &PhoneNumber) -> bool {
        person_check(&self.nonce, phone) == self.person_check
    }

    /// The last day asked for (`None` only for a code that was never decoded or issued).
    pub fn last_day(&self) -> Option<Day> {
        last_day(self.first_day, self.days)
    }

    /// Whether `day` is one of the days asked for.
    pub fn covers(&self, day: Day) -> bool {
        self.last_day()
            .is_some_and(|last| day >= self.first_day && day <= last)
    }

    /// The days asked for, in order (empty for days past the calendar's end, which decode and
    /// issue refuse).
    pub fn day_list(&self) -> impl Iterator<Item = Day> {
        let first = self.first_day.0;
        let end = self.last_day().map_or(first, |l| l.0.saturating_add(1));
        (first..end).map(Day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::tests::sample;

    const ISSUED: Minute = Minute(20_113 * DAY_MINUTES + 600);

    fn phone(s: &str) -> PhoneNumber {
        PhoneNumber::parse(s).unwrap()
    }

    fn terms(first_day: Day, days: u8, expires: Minute) -> ConsentTerms<'static> {
        ConsentTerms {
            authority: 1,
            case_id: "CASE-2026/17",
            first_day,
            days,
            issued: ISSUED,
            expires,
        }
    }

    fn code() -> (ConsentCode, Directory, Vec<crate::keys::AuthorityKeys>) {
        let (_, keys, dir) = sample();
        let c = ConsentCode::issue(
            &keys[0].sign,
            &terms(Day(20_100), 14, ISSUED.plus(72 * 60)),
            [5; 16],
            &phone("+4915100000001"),
        )
        .unwrap();
        (c, dir, keys)
    }

    #[test]
    fn valid_code_verifies_and_round_trips() {
        let (c, dir, _) = code();
        let bytes = c.encode();
        assert_eq!(bytes[0], 2);
        assert_eq!(bytes.len(), 1 + 2 + 1 + 12 + 4 + 1 + 16 + 4 + 4 + 2 + 64);
        let back = ConsentCode::decode(&bytes).unwrap();
        assert_eq!(back, c);
        let v = back.verify(&dir, ISSUED.plus(60)).unwrap();
        assert_eq!(v.authority.name, "Gesundheitsamt München");
        assert_eq!(back.day_list().count(), 14);
        assert_eq!(back.last_day(), Some(Day(20_113)));
        assert!(back.covers(Day(20_100)) && back.covers(Day(20_113)));
        assert!(!back.covers(Day(20_099)) && !back.covers(Day(20_114)));
        // The vault verifies without the clock: an expired code still has a valid signature.
        assert!(back.verify_signed(&dir).is_ok());
    }

    #[test]
    fn forged_altered_expired_unknown_are_refused() {
        let (c, dir, keys) = code();
        let now = ISSUED.plus(60);
        let mut altered = c.clone();
        altered.days = 12;
        assert!(matches!(
            altered.verify(&dir, now),
            Err(ProtocolError::BadSignature { .. })
        ));
        let mut other_person = c.clone();
        other_person.person_check[0] ^= 1;
        assert!(matches!(
            other_person.verify(&dir, now),
            Err(ProtocolError::BadSignature { .. })
        ));
        let forged = ConsentCode::issue(
            &keys[1].sign,
            &terms(Day(20_100), 14, ISSUED.plus(72 * 60)),
            [5; 16],
            &phone("+4915100000001"),
        )
        .unwrap();
        assert!(matches!(
            forged.verify(&dir, now),
            Err(ProtocolError::BadSignature { .. })
        ));
        assert!(matches!(
            c.verify(&dir, ISSUED.plus(72 * 60)),
            Err(ProtocolError::ConsentExpired)
        ));
        let mut unknown = c.clone();
        unknown.authority = 77;
        assert!(matches!(
            unknown.verify(&dir, now),
            Err(ProtocolError::UnknownAuthority(77))
        ));
        let p = phone("+4915100000001");
        let mut t = terms(Day(20_100), 1, ISSUED.plus(60));
        t.case_id = "lower";
        assert!(ConsentCode::issue(&keys[0].sign, &t, [0; 16], &p).is_err());
        let t = terms(Day(20_100), 29, ISSUED.plus(60));
        assert!(ConsentCode::issue(&keys[0].sign, &t, [0; 16], &p).is_err());
    }

    #[test]
    fn version_1_is_refused_with_a_typed_error() {
        let (c, _, _) = code();
        let mut b = c.encode();
        b[0] = 1;
        assert_eq!(
            ConsentCode::decode(&b),
            Err(ProtocolError::UnsupportedVersion {
                what: "consent code",
                got: 1,
                supported: 2
            })
        );
    }

    #[test]
    fn policy_edges() {
        let today = ISSUED.day();
        let ok = |first: u32, days: u8, expires: Minute| {
            check_policy(Day(first), days, ISSUED, expires).is_ok()
        };
        let week = ISSUED.plus(MAX_LIFETIME_MINUTES);
        // Last day = issue day: fine; one day later: refused.
        assert!(ok(today.0 - 13, 14, week));
        assert!(!ok(today.0 - 12, 14, week));
        assert!(!ok(today.0 + 1, 1, week));
        // Oldest day: 27 days back fine, 28 refused.
        assert!(ok(today.0 - 27, 28, week));
        assert!(!ok(today.0 - 28, 1, week));
        // Days 1–28.
        assert!(!ok(today.0, 0, week));
        assert!(!ok(today.0 - 28, 29, week));
        // Lifetime: at most 7 days, after the issue minute.
        assert!(!ok(today.0, 1, ISSUED.plus(MAX_LIFETIME_MINUTES + 1)));
        assert!(!ok(today.0, 1, ISSUED));
        assert!(!ok(today.0, 1, Minute(ISSUED.0 - 1)));
        assert!(!ok(today.0, 1, Minute(u32::MAX)));
        assert_eq!(MAX_LIFETIME_HOURS, 168);
        // Near u32::MAX: refused, never wrapped.
        assert!(!ok(u32::MAX, 1, week));
        assert!(!ok(u32::MAX - 1, 28, week));
        assert_eq!(last_day(Day(u32::MAX), 2), None);
        assert_eq!(last_day(Day(u32::MAX), 1), Some(Day(u32::MAX)));
        assert_eq!(last_day(Day(5), 0), None);
    }

    #[test]
    fn a_code_past_the_calendar_end_is_refused_at_decode_and_never_wraps() {
        let (_, keys, dir) = sample();
        // Built by hand, signed with the right key: decode refuses it before anything is shown.
        let mut c = code().0;
        c.first_day = Day(u32::MAX - 3);
        c.days = 14;
        c.signature = keys[0].sign.sign(SIGN_CONSENT, &c.signed_part());
        assert!(matches!(
            ConsentCode::decode(&c.encode()),
            Err(ProtocolError::InvalidField { .. })
        ));
        assert_eq!(c.day_list().count(), 0);
        assert!(!c.covers(Day(u32::MAX)));
        assert!(c.verify_signed(&dir).is_err());
        // A signed code for future days (issued by a desk that skipped the check) is refused.
        let mut f = code().0;
        f.first_day = Day(ISSUED.day().0 + 1);
        f.days = 1;
        f.signature = keys[0].sign.sign(SIGN_CONSENT, &f.signed_part());
        let back = ConsentCode::decode(&f.encode()).unwrap();
        assert!(matches!(
            back.verify(&dir, ISSUED.plus(1)),
            Err(ProtocolError::InvalidField { .. })
        ));
        // And a signed code that lives until the year 10136.
        let mut l = code().0;
        l.expires = Minute(u32::MAX);
        l.signature = keys[0].sign.sign(SIGN_CONSENT, &l.signed_part());
        assert!(ConsentCode::decode(&l.encode())
            .unwrap()
            .verify_signed(&dir)
            .is_err());
    }

    #[test]
    fn person_check_binds_the_code_to_its_phone() {
        let (c, _, _) = code();
        assert!(c.is_for(&phone("+4915100000001")));
        assert!(c.is_for(&phone("0049 151 0000 0001")));
        assert!(!c.is_for(&phone("+4915100000002")));
        // Two bytes of SHA-256 over label, nonce and the E.164 text.
        let h = sha256(&[b"spur/v1/consent-person/", &[5; 16], b"+4915100000001"]);
        assert_eq!(c.person_check, [h[0], h[1]]);
        // Another nonce gives another check for the same phone (no table across codes).
        let other = person_check(&[6; 16], &phone("+4915100000001"));
        let again = person_check(&[5; 16], &phone("+4915100000001"));
        assert_eq!(again, c.person_check);
        assert_ne!(other, again);
        // About 1 in 65 536 numbers match: of 200 000 guesses a handful do, not one.
        let matches = (0..200_000u32)
            .filter(|i| c.is_for(&phone(&format!("+49151{:08}", i))))
            .count();
        assert!((1..=12).contains(&matches), "{matches}");
    }
}
