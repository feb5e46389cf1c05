//! A place label: what the consenting desk tells another authority's desk about the place of a
//! stay that authority received contacts for, so its tracer can name the place and phone its
//! responsible person. Made by the consenting desk, carried by the vault (which cannot read it),
//! opened by the receiving desk.
//!
//! ```text
//! plain  = from u16 || to u16 || stay u32 || stay_in u32 || stay_out u32
//!          || name [64] || description [128] || region [16] || phone [16]      (240 bytes)
//! signed = case_ref(from, case) || 0x00 || plain          (Ed25519, label AUTH_PLACE_LABEL)
//! sealed = seal(to's AUTH key, AUTH_PLACE_LABEL, plain || signature)        (352 bytes)
//! ```
//! Fixed size, so its length says nothing about the place; every seal is fresh. The signature
//! binds the label to its sender, receiver, case and stay: the vault, which carries it, cannot
//! make one, move one to another case or stay, or pass one off as another authority's.

use spur_protocol::crypto::SEAL_OVERHEAD;
use spur_protocol::error::{ProtocolError, Result};
use spur_protocol::fields::{decode_text, encode_text, PhoneNumber};
use spur_protocol::keys::{SealPublicKey, SealSecretKey, SignPublicKey, SignSecretKey};
use spur_protocol::labels::AUTH_PLACE_LABEL;
use spur_protocol::wire::{expect_len, Reader, Writer};
use zeroize::Zeroizing;

use super::case_ref;

/// Bytes of a label before signing and sealing.
pub const PLACE_LABEL_PLAIN: usize = 2 + 2 + 4 + 4 + 4 + 64 + 128 + 16 + 16;
/// Bytes of a sealed label (what the files carry).
pub const PLACE_LABEL_SEALED: usize = PLACE_LABEL_PLAIN + 64 + SEAL_OVERHEAD;

/// What one authority tells another about the place of one stay of its case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceLabel {
    /// The consenting authority (the signer).
    pub from: u16,
    /// The authority it is sealed to.
    pub to: u16,
    /// The case's stay.
    pub stay: u32,
    /// The infected person's check-in at the place (minute).
    pub stay_in: u32,
    /// Their check-out.
    pub stay_out: u32,
    /// The place's name (≤ 64 bytes).
    pub name: String,
    /// Its address or description (≤ 128 bytes, may be empty).
    pub description: String,
    /// Country and postcode as text, e.g. `DE 80331` (≤ 16 bytes).
    pub region: String,
    /// The phone (E.164) of the person responsible for the place.
    pub phone: String,
}

fn signed_message(case_id: &str, from: u16, plain: &[u8]) -> Zeroizing<Vec<u8>> {
    let r = case_ref(from, case_id);
    let mut m = Zeroizing::new(Vec::with_capacity(r.len() + 1 + plain.len()));
    m.extend_from_slice(r.as_bytes());
    m.push(0);
    m.extend_from_slice(plain);
    m
}

impl PlaceLabel {
    fn encode(&self) -> Result<Zeroizing<Vec<u8>>> {
        let mut w = Writer::with_capacity(PLACE_LABEL_PLAIN);
        w.u16(self.from)
            .u16(self.to)
            .u32(self.stay)
            .u32(self.stay_in)
            .u32(self.stay_out)
            .bytes(&encode_text::<64>("place name", &self.name)?)
            .bytes(&encode_text::<128>("description", &self.description)?)
            .bytes(&encode_text::<16>("place region", &self.region)?)
            .bytes(&encode_text::<16>("place phone", &self.phone)?);
        Ok(Zeroizing::new(w.into_vec()))
    }

    fn decode(b: &[u8]) -> Result<Self> {
        let mut r = Reader::new(b, "place label");
        let l = Self {
            from: r.u16()?,
            to: r.u16()?,
            stay: r.u32()?,
            stay_in: r.u32()?,
            stay_out: r.u32()?,
            name: decode_text("place name", r.take(64)?)?,
            description: decode_text("description", r.take(128)?)?,
            region: decode_text("place region", r.take(16)?)?,
            phone: decode_text("place phone", r.take(16)?)?,
        };
        r.finish()?;
        if l.stay_in >= l.stay_out {
            return Err(ProtocolError::InvalidField {
                field: "place label times",
                reason: "check-out is not after check-in",
            });
        }
        if l.name.trim().is_empty() {
            return Err(ProtocolError::InvalidField {
                field: "place name",
                reason: "is empty",
            });
        }
        if !l.phone.is_empty() {
            PhoneNumber::parse(&l.phone)?;
        }
        Ok(l)
    }

    /// Signs the label for case `case_id` of `self.from` with that authority's signing key and
    /// seals it to `to_key` (the AUTH key of `self.to` from the pinned directory).
    pub fn seal(
        &self,
        rng: &mut impl rand_core::CryptoRngCore,
        case_id: &str,
        to_key: &SealPublicKey,
        signer: &SignSecretKey,
    ) -> Result<Vec<u8>> {
        let plain = self.encode()?;
        let sig = signer.sign(
            AUTH_PLACE_LABEL,
            &signed_message(case_id, self.from, &plain),
        );
        let mut inner = Zeroizing::new(Vec::with_capacity(PLACE_LABEL_PLAIN + 64));
        inner.extend_from_slice(&plain);
        inner.extend_from_slice(&sig);
        to_key.seal(rng, AUTH_PLACE_LABEL, &inner)
    }

    /// Opens a sealed label of case `case_id` with this desk's AUTH key and checks the signature
    /// of the authority it names as sender (`sender_key`: that authority's signing key from the
    /// pinned directory, or [`ProtocolError::UnknownAuthority`]). Random bytes, another
    /// receiver's label, a forged or moved one and invalid fields are refused; whether the label
    /// is for this desk, from the case's authority and for one of its stays is the caller's check.
    pub fn open(
        sealed: &[u8],
        case_id: &str,
        key: &SealSecretKey,
        sender_key: impl Fn(u16) -> Result<SignPublicKey>,
    ) -> Result<Self> {
        expect_len(sealed, PLACE_LABEL_SEALED, "sealed place label")?;
        let inner = key.open(AUTH_PLACE_LABEL, "place label", sealed)?;
        let (plain, sig) = inner.split_at(PLACE_LABEL_PLAIN);
        let mut s = [0u8; 64];
        s.copy_from_slice(sig);
        let from = u16::from_be_bytes([plain[0], plain[1]]);
        sender_key(from)?.verify(
            AUTH_PLACE_LABEL,
            &signed_message(case_id, from, plain),
            &s,
            "place label",
        )?;
        Self::decode(plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;

    fn label() -> PlaceLabel {
        PlaceLabel {
            from: 1,
            to: 2,
            stay: 3,
            stay_in: 100,
            stay_out: 160,
            name: "Café Ümlaut".into(),
            description: "Hauptstraße 1, 1. OG".into(),
            region: "DE 80331".into(),
            phone: "+4915112345678".into(),
        }
    }

    #[test]
    fn a_label_opens_for_its_receiver_signed_by_its_sender_only() {
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([7; 32]);
        let to = SealSecretKey::generate(&mut rng);
        let other = SealSecretKey::generate(&mut rng);
        let signer = SignSecretKey::generate(&mut rng);
        let forger = SignSecretKey::generate(&mut rng);
        let ok = |_: u16| Ok(signer.public());
        let a = label()
            .seal(&mut rng, "M-1", &to.public(), &signer)
            .unwrap();
        let b = label()
            .seal(&mut rng, "M-1", &to.public(), &signer)
            .unwrap();
        assert_eq!(a.len(), PLACE_LABEL_SEALED);
        assert_ne!(a, b, "every seal is fresh");
        assert_eq!(PlaceLabel::open(&a, "M-1", &to, ok).unwrap(), label());
        // Another receiver's key, another case, a forged signer, random bytes: refused.
        assert!(matches!(
            PlaceLabel::open(&a, "M-1", &other, ok),
            Err(ProtocolError::OpenFailed { .. })
        ));
        assert!(matches!(
            PlaceLabel::open(&a, "M-2", &to, ok),
            Err(ProtocolError::BadSignature { .. })
        ));
        let forged = label()
            .seal(&mut rng, "M-1", &to.public(), &forger)
            .unwrap();
        assert!(matches!(
            PlaceLabel::open(&forged, "M-1", &to, ok),
            Err(ProtocolError::BadSignature { .. })
        ));
        let unknown = |id: u16| Err(ProtocolError::UnknownAuthority(id));
        assert!(matches!(
            PlaceLabel::open(&a, "M-1", &to, unknown),
            Err(ProtocolError::UnknownAuthority(1))
        ));
        assert!(PlaceLabel::open(&[0u8; PLACE_LABEL_SEALED], "M-1", &to, ok).is_err());
        assert!(PlaceLabel::open(&a[1..], "M-1", &to, ok).is_err());
    }

    #[test]
    fn a_label_with_invalid_fields_is_not_made() {
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([8; 32]);
        let to = SealSecretKey::generate(&mut rng);
        let signer = SignSecretKey::generate(&mut rng);
        let mut l = label();
        l.name = "x".repeat(65);
        assert!(l.seal(&mut rng, "M-1", &to.public(), &signer).is_err());
        let mut l = label();
        l.description = "bidi \u{202e} text".into();
        assert!(l.seal(&mut rng, "M-1", &to.public(), &signer).is_err());
    }
}
