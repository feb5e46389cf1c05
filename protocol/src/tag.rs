//! QR ids, TAG keys, TMP keys and SCAN keys: the time/place key material of the concept.
//!
//! TAG is random per code and lives only in the QR code's fragment. TMP is made by the TAG server
//! from its secret, the QR id and a 30-minute slot. SCAN = KDF(TAG, TMP, QR id, slot) is the same
//! for everyone who scanned one code in one slot, and for nobody else.

use subtle::ConstantTimeEq;

use crate::crypto::{hkdf_expand, hmac_sha256};
use crate::error::{ProtocolError, Result};
use crate::secret::secret_key;
use crate::time::Slot;
use crate::usr::{argon2id, KdfCost};

/// A QR code's public id, issued by the TAG server: 8 random bytes and an 8-byte MAC over them,
/// so the server recognises its own ids without storing any.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct QrId(pub [u8; 16]);

impl QrId {
    /// Encoded width.
    pub const LEN: usize = 16;

    /// Lower-case hex, for URLs and file names.
    pub fn to_hex(&self) -> String {
        data_encoding::HEXLOWER.encode(&self.0)
    }

    /// Parses 32 lower-case hex digits.
    pub fn from_hex(s: &str) -> Result<Self> {
        let v = data_encoding::HEXLOWER.decode(s.as_bytes()).map_err(|_| {
            ProtocolError::InvalidField {
                field: "QR id",
                reason: "must be 32 lower-case hex digits",
            }
        })?;
        let b: [u8; 16] = v.try_into().map_err(|_| ProtocolError::InvalidField {
            field: "QR id",
            reason: "must be 32 lower-case hex digits",
        })?;
        Ok(Self(b))
    }
}

secret_key!(
    /// The TAG server's only secret. Every replica holds the same one, so all agree on ids and TMP keys.
    TagServerSecret,
    32
);
secret_key!(
    /// A code's TAG key: only in the QR code's URL fragment, never sent to a server.
    TagKey,
    16
);
secret_key!(
    /// A TMP key: the TAG server's key for one QR id and one slot.
    TmpKey,
    32
);
secret_key!(
    /// A SCAN key: identical for everyone at one code in one slot.
    ScanKey,
    32
);

impl TagServerSecret {
    fn sub(&self, label: &[u8]) -> Result<zeroize::Zeroizing<[u8; 32]>> {
        hkdf_expand::<32>(self.expose(), None, &[b"spur/v1/tag-server/", label])
    }

    /// Issues a fresh QR id.
    pub fn issue_qr_id(&self, rng: &mut impl rand_core::CryptoRngCore) -> Result<QrId> {
        let mut r = [0u8; 8];
        rng.fill_bytes(&mut r);
        let mac = hmac_sha256(self.sub(b"qr-id")?.as_ref(), &[&r]);
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&r);
        id[8..].copy_from_slice(&mac[..8]);
        Ok(QrId(id))
    }

    /// True when this server (or a replica with the same secret) issued `id`.
    pub fn recognises(&self, id: &QrId) -> bool {
        let Ok(k) = self.sub(b"qr-id") else {
            return false;
        };
        let mac = hmac_sha256(k.as_ref(), &[&id.0[..8]]);
        mac[..8].ct_eq(&id.0[8..]).into()
    }

    /// A key for deriving many TMP keys quickly (the per-request HKDF is done once).
    pub fn tmp_deriver(&self) -> Result<TmpDeriver> {
        Ok(TmpDeriver(TmpKey::from_bytes(*self.sub(b"tmp")?)))
    }
}

/// Derives TMP keys: HMAC-SHA256(tmp sub-key, QR id || slot).
pub struct TmpDeriver(TmpKey);

impl TmpDeriver {
    /// The TMP key of `id` in `slot`.
    pub fn tmp(&self, id: &QrId, slot: Slot) -> TmpKey {
        TmpKey::from_bytes(hmac_sha256(
            self.0.expose(),
            &[&id.0, &slot.0.to_be_bytes()],
        ))
    }
}

impl TagKey {
    /// The TAG key of a PIN-protected printed card: Argon2id(PIN, seed and QR id). The card holds
    /// only the seed, so a photo of it is useless without the PIN; nothing stored anywhere lets
    /// anyone check a PIN guess offline except together with the operator's OP key.
    pub fn from_pin(seed: &TagKey, id: &QrId, pin: &str, cost: KdfCost) -> Result<Self> {
        if pin.len() < 4 || pin.len() > 12 || !pin.bytes().all(|c| c.is_ascii_digit()) {
            return Err(ProtocolError::InvalidField {
                field: "PIN",
                reason: "must be 4 to 12 digits",
            });
        }
        let mut salt = [0u8; 40];
        salt[..8].copy_from_slice(b"spur-pin");
        salt[8..24].copy_from_slice(seed.expose());
        salt[24..].copy_from_slice(&id.0);
        Ok(Self::from_bytes(*argon2id::<16>(
            cost,
            pin.as_bytes(),
            &salt,
        )?))
    }

    /// The SCAN key for this code's `id` in `slot`, given the server's TMP key.
    pub fn scan_key(&self, id: &QrId, slot: Slot, tmp: &TmpKey) -> Result<ScanKey> {
        let mut ikm = zeroize::Zeroizing::new([0u8; 48]);
        ikm[..16].copy_from_slice(self.expose());
        ikm[16..].copy_from_slice(tmp.expose());
        let k = hkdf_expand::<32>(
            ikm.as_ref(),
            Some(&id.0),
            &[b"spur/v1/scan", &slot.0.to_be_bytes()],
        )?;
        Ok(ScanKey::from_bytes(*k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;

    #[test]
    fn ids_are_recognised_only_by_their_server() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
        let s1 = TagServerSecret::random(&mut rng);
        let s2 = TagServerSecret::random(&mut rng);
        let id = s1.issue_qr_id(&mut rng).unwrap();
        assert!(s1.recognises(&id));
        assert!(!s2.recognises(&id));
        let mut forged = id;
        forged.0[3] ^= 1;
        assert!(!s1.recognises(&forged));
        assert_eq!(QrId::from_hex(&id.to_hex()).unwrap(), id);
    }

    #[test]
    fn scan_keys_depend_on_every_input() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2);
        let s = TagServerSecret::random(&mut rng);
        let d = s.tmp_deriver().unwrap();
        let id = s.issue_qr_id(&mut rng).unwrap();
        let id2 = s.issue_qr_id(&mut rng).unwrap();
        let tag = TagKey::random(&mut rng);
        let tag2 = TagKey::random(&mut rng);
        let k = tag.scan_key(&id, Slot(5), &d.tmp(&id, Slot(5))).unwrap();
        assert_eq!(k, tag.scan_key(&id, Slot(5), &d.tmp(&id, Slot(5))).unwrap());
        assert_ne!(k, tag.scan_key(&id, Slot(6), &d.tmp(&id, Slot(6))).unwrap());
        assert_ne!(
            k,
            tag2.scan_key(&id, Slot(5), &d.tmp(&id, Slot(5))).unwrap()
        );
        assert_ne!(
            k,
            tag.scan_key(&id2, Slot(5), &d.tmp(&id2, Slot(5))).unwrap()
        );
    }
}
