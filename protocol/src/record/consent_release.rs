//! Consent release: what the app uploads after the user accepted a verified consent code.
//!
//! OP { nonce, case, consenting authority, home authority, days, find keys, AUTH { case, nonce,
//! registration id, phone, days, encryption keys, own personal codes } }. The vault gets only the
//! find keys (to locate the user entries); the authority gets only the encryption keys (to open
//! them). Neither alone reads a visit. The AUTH part is sealed to the consenting authority's key
//! from the pinned directory; the phone number in it lets that desk check the release against the
//! person it issued the code to (it has the number in its case register already).

use zeroize::Zeroizing;

use super::{
    check_wire, open_op, start, RecordKind, CONSENT_AUTH_PLAIN, CONSENT_BODY, MAX_CONSENT_DAYS,
    MAX_OWN_CODES,
};
use crate::consent::{validate_case_id, VerifiedConsent};
use crate::crypto::SEAL_OVERHEAD;
use crate::error::{ProtocolError, Result};
use crate::fields::PhoneNumber;
use crate::keys::{SealPublicKey, SealSecretKey};
use crate::labels::AUTH_CONSENT;
use crate::tag::{QrId, TagKey};
use crate::time::Day;
use crate::usr::{EncKey, FindKey, UsrKey};
use crate::wire::{Reader, Writer};

/// What the vault reads from a consent release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseForVault {
    /// The consent code's nonce (a release per nonce is accepted once).
    pub nonce: [u8; 16],
    /// The authority's case id.
    pub case_id: String,
    /// The authority that issued the consent code (the AUTH part is sealed to it).
    pub consenting_authority: u16,
    /// The authority the user's entries are sealed to.
    pub home_authority: u16,
    /// Released days with their find keys.
    pub find_keys: Vec<(Day, FindKey)>,
    /// The AUTH part, for the consenting authority.
    pub auth_part: Vec<u8>,
}

/// What the consenting authority reads from the AUTH part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseForAuthority {
    /// Case id (must match the vault's copy).
    pub case_id: String,
    /// Nonce (must match the vault's copy).
    pub nonce: [u8; 16],
    /// The consenting person's registration id: their own slot entries point to it, so the
    /// desks leave exactly those out of the contact list.
    pub registration_id: [u8; 16],
    /// The consenting person's phone number (E.164), as they entered it with their credentials:
    /// the desk compares it with the number in its case register.
    pub phone: PhoneNumber,
    /// Released days with their encryption keys.
    pub enc_keys: Vec<(Day, EncKey)>,
    /// The user's own personal codes (QR id and TAG key), so people who scanned them are found too.
    pub own_codes: Vec<(QrId, TagKey)>,
}

fn case_bytes(case: &str) -> Result<[u8; 16]> {
    validate_case_id(case)?;
    crate::fields::encode_text::<16>("case id", case)
}

/// The person's side of a release: their USR key, home authority, phone number and own codes.
#[derive(Clone, Copy)]
pub struct Releaser<'a> {
    /// The person's USR key.
    pub usr: &'a UsrKey,
    /// The authority their entries are sealed to.
    pub home_authority: u16,
    /// Their phone number (E.164), re-entered with the credentials.
    pub phone: &'a PhoneNumber,
    /// Their own personal codes (at most 8).
    pub own_codes: &'a [(QrId, TagKey)],
}

/// Builds the consent release for exactly the days the verified code asks for. It does not check
/// the code's person check: the app does that before it calls this (docs/protocol.md §6).
pub fn build_consent_release(
    rng: &mut impl rand_core::CryptoRngCore,
    op: &SealPublicKey,
    consent: &VerifiedConsent,
    person: &Releaser<'_>,
) -> Result<Vec<u8>> {
    let (usr, home_authority, own_codes) = (person.usr, person.home_authority, person.own_codes);
    let code = &consent.code;
    if own_codes.len() > MAX_OWN_CODES {
        return Err(ProtocolError::InvalidField {
            field: "consent release",
            reason: "at most 8 own personal codes",
        });
    }
    let case = case_bytes(&code.case_id)?;
    let days: Vec<Day> = code.day_list().collect();
    if days.is_empty() {
        return Err(ProtocolError::InvalidField {
            field: "consent code",
            reason: "its days run past the end of the calendar",
        });
    }
    let registration_id = usr.registration_id()?;
    let mut auth = Writer::with_capacity(CONSENT_AUTH_PLAIN);
    auth.bytes(&case)
        .bytes(&code.nonce)
        .bytes(&registration_id)
        .bytes(&person.phone.encode())
        .u32(code.first_day.0)
        .u8(code.days);
    for d in &days {
        auth.bytes(usr.enc_key(*d)?.expose());
    }
    auth.pad_to(16 + 16 + 16 + PhoneNumber::LEN + 4 + 1 + MAX_CONSENT_DAYS * 32);
    auth.u8(u8::try_from(own_codes.len()).unwrap_or(0));
    for (id, tag) in own_codes {
        auth.bytes(&id.0).bytes(tag.expose());
    }
    auth.pad_to(CONSENT_AUTH_PLAIN);
    let auth_plain = Zeroizing::new(auth.into_vec());
    let auth_part = consent
        .authority
        .seal
        .seal(rng, AUTH_CONSENT, &auth_plain)?;

    let mut body = Writer::with_capacity(CONSENT_BODY);
    body.bytes(&code.nonce)
        .bytes(&case)
        .u16(code.authority)
        .u16(home_authority)
        .u32(code.first_day.0)
        .u8(code.days);
    for d in &days {
        body.bytes(usr.find_key(*d)?.expose());
    }
    body.pad_to(16 + 16 + 2 + 2 + 4 + 1 + MAX_CONSENT_DAYS * 32)
        .bytes(&auth_part);
    let body = Zeroizing::new(body.into_vec());
    let sealed = op.seal(rng, RecordKind::ConsentRelease.op_label(), &body)?;
    let mut w = start(RecordKind::ConsentRelease, &[]);
    w.bytes(&sealed);
    Ok(w.into_vec())
}

fn read_days(r: &mut Reader<'_>) -> Result<(Day, usize)> {
    let first = Day(r.u32()?);
    let n = usize::from(r.u8()?);
    if n == 0 || n > MAX_CONSENT_DAYS {
        return Err(ProtocolError::InvalidField {
            field: "consent days",
            reason: "must be 1 to 28 days",
        });
    }
    Ok((first, n))
}

fn day_keys(r: &mut Reader<'_>, first: Day, n: usize) -> Result<Vec<(Day, [u8; 32])>> {
    let mut out = Vec::with_capacity(n);
    for i in 0..MAX_CONSENT_DAYS {
        let k: [u8; 32] = r.array()?;
        if i < n {
            out.push((
                Day(first
                    .0
                    .checked_add(u32::try_from(i).unwrap_or(u32::MAX))
                    .ok_or(ProtocolError::InvalidField {
                        field: "consent days",
                        reason: "run past the end of the calendar",
                    })?),
                k,
            ));
        }
    }
    Ok(out)
}

impl ReleaseForVault {
    /// Opens the OP-sealed part of a consent release.
    pub fn open(op: &SealSecretKey, sealed: &[u8]) -> Result<Self> {
        let body = open_op(op, RecordKind::ConsentRelease, sealed)?;
        let mut r = Reader::new(&body, "consent release");
        let nonce = r.array()?;
        let case_id = crate::fields::decode_text("case id", r.take(16)?)?;
        validate_case_id(&case_id)?;
        let consenting_authority = r.u16()?;
        let home_authority = r.u16()?;
        let (first, n) = read_days(&mut r)?;
        let find_keys = day_keys(&mut r, first, n)?
            .into_iter()
            .map(|(d, k)| (d, FindKey::from_bytes(k)))
            .collect();
        let auth_part = r.take(CONSENT_AUTH_PLAIN + SEAL_OVERHEAD)?.to_vec();
        r.finish()?;
        Ok(Self {
            nonce,
            case_id,
            consenting_authority,
            home_authority,
            find_keys,
            auth_part,
        })
    }

    /// Opens a whole upload (header included).
    pub fn open_wire(op: &SealSecretKey, bytes: &[u8]) -> Result<Self> {
        let rec = check_wire(bytes)?;
        super::registration::expect_kind(&rec, RecordKind::ConsentRelease)?;
        Self::open(op, rec.sealed)
    }
}

impl ReleaseForAuthority {
    /// Opens the AUTH part with the consenting authority's key.
    pub fn open(auth: &SealSecretKey, auth_part: &[u8]) -> Result<Self> {
        crate::wire::expect_len(
            auth_part,
            CONSENT_AUTH_PLAIN + SEAL_OVERHEAD,
            "consent release AUTH part",
        )?;
        let plain = auth.open(AUTH_CONSENT, "AUTH", auth_part)?;
        let mut r = Reader::new(&plain, "consent release AUTH part");
        let case_id = crate::fields::decode_text("case id", r.take(16)?)?;
        validate_case_id(&case_id)?;
        let nonce = r.array()?;
        let registration_id = r.array()?;
        let phone = PhoneNumber::decode(r.array()?)?;
        let (first, n) = read_days(&mut r)?;
        let enc_keys = day_keys(&mut r, first, n)?
            .into_iter()
            .map(|(d, k)| (d, EncKey::from_bytes(k)))
            .collect();
        let count = usize::from(r.u8()?);
        if count > MAX_OWN_CODES {
            return Err(ProtocolError::InvalidField {
                field: "consent release",
                reason: "too many own codes",
            });
        }
        let mut own_codes = Vec::with_capacity(count);
        for i in 0..MAX_OWN_CODES {
            let id = QrId(r.array()?);
            let tag: [u8; 16] = r.array()?;
            if i < count {
                own_codes.push((id, TagKey::from_bytes(tag)));
            }
        }
        r.finish()?;
        Ok(Self {
            case_id,
            nonce,
            registration_id,
            phone,
            enc_keys,
            own_codes,
        })
    }
}
