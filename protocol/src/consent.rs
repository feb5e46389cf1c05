//! The consent code a health authority's desk makes: authority, case, days, nonce, expiry, signed.
//!
//! The app accepts it only when the signature checks against the pinned directory and it has not
//! expired; "used before" is checked by the app (nonce store) and by the vault (nonce per release).

use crate::directory::{Authority, Directory};
use crate::error::{ProtocolError, Result};
use crate::keys::SignSecretKey;
use crate::labels::SIGN_CONSENT;
use crate::record::MAX_CONSENT_DAYS;
use crate::time::{Day, Minute};
use crate::wire::{Reader, Writer};

/// Consent code format version.
pub const CONSENT_VERSION: u8 = 1;
/// Longest case id.
pub const MAX_CASE_LEN: usize = 16;

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
    /// After this minute the code is refused.
    pub expires: Minute,
    /// Ed25519 signature of the authority over everything above.
    pub signature: [u8; 64],
}

/// A consent code whose signature checked against the directory and that has not expired.
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

impl ConsentCode {
    /// Makes and signs a code.
    pub fn issue(
        key: &SignSecretKey,
        authority: u16,
        case_id: &str,
        first_day: Day,
        days: u8,
        nonce: [u8; 16],
        expires: Minute,
    ) -> Result<Self> {
        validate_case_id(case_id)?;
        if days == 0 || usize::from(days) > MAX_CONSENT_DAYS {
            return Err(ProtocolError::InvalidField {
                field: "consent days",
                reason: "must be 1 to 28 days",
            });
        }
        let mut c = Self {
            authority,
            case_id: case_id.to_owned(),
            first_day,
            days,
            nonce,
            expires,
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
            .u32(self.expires.0);
        w.into_vec()
    }

    /// The bytes carried (base32) in the consent URL.
    pub fn encode(&self) -> Vec<u8> {
        let mut b = self.signed_part();
        b.extend_from_slice(&self.signature);
        b
    }

    /// Parses the bytes strictly; does not verify (see [`ConsentCode::verify`]).
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
        if days == 0 || usize::from(days) > MAX_CONSENT_DAYS {
            return Err(ProtocolError::InvalidField {
                field: "consent days",
                reason: "must be 1 to 28 days",
            });
        }
        let nonce = r.array()?;
        let expires = Minute(r.u32()?);
        let signature = r.array()?;
        r.finish()?;
        Ok(Self {
            authority,
            case_id,
            first_day,
            days,
            nonce,
            expires,
            signature,
        })
    }

    /// Verifies against the pinned directory and the clock. Refusals are typed: unknown
    /// authority, bad signature (forged or altered), expired.
    pub fn verify(&self, dir: &Directory, now: Minute) -> Result<VerifiedConsent> {
        let authority = dir
            .authority(self.authority)
            .ok_or(ProtocolError::UnknownAuthority(self.authority))?;
        authority.sign.verify(
            SIGN_CONSENT,
            &self.signed_part(),
            &self.signature,
            "consent code",
        )?;
        if now >= self.expires {
            return Err(ProtocolError::ConsentExpired);
        }
        Ok(VerifiedConsent {
            code: self.clone(),
            authority: authority.clone(),
        })
    }

    /// The days asked for, in order.
    pub fn day_list(&self) -> impl Iterator<Item = Day> {
        let first = self.first_day.0;
        (first..first + u32::from(self.days)).map(Day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::tests::sample;

    fn code() -> (ConsentCode, Directory, Vec<crate::keys::AuthorityKeys>) {
        let (_, keys, dir) = sample();
        let c = ConsentCode::issue(
            &keys[0].sign,
            1,
            "CASE-2026/17",
            Day(20_100),
            14,
            [5; 16],
            Minute(29_000_000),
        )
        .unwrap();
        (c, dir, keys)
    }

    #[test]
    fn valid_code_verifies_and_round_trips() {
        let (c, dir, _) = code();
        let back = ConsentCode::decode(&c.encode()).unwrap();
        assert_eq!(back, c);
        let v = back.verify(&dir, Minute(28_999_999)).unwrap();
        assert_eq!(v.authority.name, "Gesundheitsamt München");
        assert_eq!(back.day_list().count(), 14);
    }

    #[test]
    fn forged_altered_expired_unknown_are_refused() {
        let (c, dir, keys) = code();
        let now = Minute(28_999_000);
        let mut altered = c.clone();
        altered.days = 28;
        assert!(matches!(
            altered.verify(&dir, now),
            Err(ProtocolError::BadSignature { .. })
        ));
        let forged = ConsentCode::issue(
            &keys[1].sign,
            1,
            "CASE-2026/17",
            Day(20_100),
            14,
            [5; 16],
            Minute(29_000_000),
        )
        .unwrap();
        assert!(matches!(
            forged.verify(&dir, now),
            Err(ProtocolError::BadSignature { .. })
        ));
        assert!(matches!(
            c.verify(&dir, Minute(29_000_000)),
            Err(ProtocolError::ConsentExpired)
        ));
        let mut unknown = c.clone();
        unknown.authority = 77;
        assert!(matches!(
            unknown.verify(&dir, now),
            Err(ProtocolError::UnknownAuthority(77))
        ));
        assert!(
            ConsentCode::issue(&keys[0].sign, 1, "lower", Day(1), 1, [0; 16], Minute(1)).is_err()
        );
        assert!(ConsentCode::issue(&keys[0].sign, 1, "A", Day(1), 29, [0; 16], Minute(1)).is_err());
    }
}
