//! Registration: the user's contact data sealed to AUTH, wrapped with country and postcode in
//! the OP layer; and the delete request.
//!
//! The device keeps only the AUTH-sealed contact (opaque to it once sealed), the registration id
//! and the USR key; it re-wraps the same sealed contact in a fresh OP layer to refresh.

use zeroize::Zeroizing;

use super::{
    check_wire, open_op, start, RecordKind, CONTACT_PLAIN, CONTACT_SEALED, REGISTRATION_BODY,
};
use crate::error::{ProtocolError, Result};
use crate::fields::{decode_text, encode_text, PhoneNumber, Region};
use crate::keys::{SealPublicKey, SealSecretKey};
use crate::labels::AUTH_CONTACT;
use crate::usr::RegistrationSecret;
use crate::wire::{Reader, Writer};

/// Longest campus id in bytes.
pub const MAX_CAMPUS_ID: usize = 32;

/// What a user registers with. Only the responsible authority ever reads it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ContactData {
    /// Phone number (E.164).
    pub phone: PhoneNumber,
    /// Optional campus id (university enrolment or staff number).
    pub campus_id: Option<String>,
    /// Country and optional postcode of residence.
    pub region: Option<Region>,
    /// Optional birth year, for the authority's risk assessment.
    pub birth_year: Option<u16>,
}

impl ContactData {
    fn encode(&self) -> Result<Zeroizing<Vec<u8>>> {
        if let Some(y) = self.birth_year {
            if !(1900..=2100).contains(&y) {
                return Err(ProtocolError::InvalidField {
                    field: "birth year",
                    reason: "must be between 1900 and 2100",
                });
            }
        }
        let campus =
            encode_text::<MAX_CAMPUS_ID>("campus id", self.campus_id.as_deref().unwrap_or(""))?;
        let mut w = Writer::with_capacity(CONTACT_PLAIN);
        w.bytes(&self.phone.encode())
            .bytes(&campus)
            .bytes(&Region::encode_opt(self.region.as_ref()))
            .u16(self.birth_year.unwrap_or(0))
            .pad_to(CONTACT_PLAIN);
        Ok(Zeroizing::new(w.into_vec()))
    }

    fn decode(b: &[u8]) -> Result<Self> {
        crate::wire::expect_len(b, CONTACT_PLAIN, "contact data")?;
        let mut r = Reader::new(b, "contact data");
        let phone = PhoneNumber::decode(r.array()?)?;
        let campus = decode_text("campus id", r.take(MAX_CAMPUS_ID)?)?;
        let region = Region::decode(r.array()?)?;
        let year = r.u16()?;
        if r.rest().iter().any(|&c| c != 0) {
            return Err(ProtocolError::InvalidField {
                field: "contact data",
                reason: "bad padding",
            });
        }
        Ok(Self {
            phone,
            campus_id: (!campus.is_empty()).then_some(campus),
            region,
            birth_year: (year != 0).then_some(year),
        })
    }

    /// Seals the contact data to the responsible authority's AUTH key.
    pub fn seal(
        &self,
        rng: &mut impl rand_core::CryptoRngCore,
        auth: &SealPublicKey,
    ) -> Result<Vec<u8>> {
        auth.seal(rng, AUTH_CONTACT, &self.encode()?)
    }

    /// Opens an AUTH-sealed contact with the authority's key.
    pub fn open(auth: &SealSecretKey, sealed: &[u8]) -> Result<Self> {
        crate::wire::expect_len(sealed, CONTACT_SEALED, "sealed contact")?;
        Self::decode(&auth.open(AUTH_CONTACT, "AUTH", sealed)?)
    }
}

/// The OP-layer content of a registration: what the vault sees after opening OP.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RegistrationBody {
    /// Stable id (from the USR key); contact references point to it.
    pub registration_id: [u8; 16],
    /// Authority the contact is sealed to.
    pub home_authority: u16,
    /// Country and postcode, for statistics (none if not given).
    pub region: Option<Region>,
    /// The contact data sealed to AUTH (opaque to the vault).
    pub sealed_contact: Vec<u8>,
}

impl RegistrationBody {
    /// Builds the upload: header, registration secret, OP-sealed body.
    pub fn build(
        &self,
        rng: &mut impl rand_core::CryptoRngCore,
        op: &SealPublicKey,
        secret: &RegistrationSecret,
    ) -> Result<Vec<u8>> {
        crate::wire::expect_len(&self.sealed_contact, CONTACT_SEALED, "sealed contact")?;
        let mut body = Writer::with_capacity(REGISTRATION_BODY);
        body.bytes(&self.registration_id)
            .u16(self.home_authority)
            .bytes(&Region::encode_opt(self.region.as_ref()))
            .bytes(&self.sealed_contact);
        let sealed = op.seal(rng, RecordKind::Registration.op_label(), &body.into_vec())?;
        let mut w = start(RecordKind::Registration, secret.expose());
        w.bytes(&sealed);
        Ok(w.into_vec())
    }

    /// Opens the OP-sealed part of a registration (as the POST server stores and exports it).
    pub fn open(op: &SealSecretKey, sealed: &[u8]) -> Result<Self> {
        let body = open_op(op, RecordKind::Registration, sealed)?;
        let mut r = Reader::new(&body, "registration");
        Ok(Self {
            registration_id: r.array()?,
            home_authority: r.u16()?,
            region: Region::decode(r.array()?)?,
            sealed_contact: r.take(CONTACT_SEALED)?.to_vec(),
        })
    }

    /// Opens a whole upload (header included); returns the secret's handle and the body.
    pub fn open_wire(op: &SealSecretKey, bytes: &[u8]) -> Result<([u8; 32], Self)> {
        let rec = check_wire(bytes)?;
        expect_kind(&rec, RecordKind::Registration)?;
        let secret = RegistrationSecret::from_bytes(rec.clear.try_into().map_err(|_| {
            ProtocolError::WrongSize {
                what: "registration secret",
                expected: 32,
                got: rec.clear.len(),
            }
        })?);
        Ok((secret.handle(), Self::open(op, rec.sealed)?))
    }
}

/// The delete request: header and the registration secret.
pub fn build_delete(secret: &RegistrationSecret) -> Vec<u8> {
    start(RecordKind::RegistrationDelete, secret.expose()).into_vec()
}

pub(crate) fn expect_kind(rec: &super::WireRecord<'_>, kind: RecordKind) -> Result<()> {
    if rec.kind == kind {
        Ok(())
    } else {
        Err(ProtocolError::UnknownKind {
            what: kind.name(),
            got: rec.kind as u8,
        })
    }
}
