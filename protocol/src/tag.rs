//! QR ids, TAG keys, TMP keys and SCAN keys: the time/place key material of the concept.
//!
//! TAG is random per code and lives only in the QR code's fragment. TMP is a POPRF (RFC 9497) of
//! the QR id (private input) and a 30-minute slot (public info) under the TAG server's key: the
//! server evaluates a blinded QR id and proves it used its published key. SCAN = KDF(TAG, TMP, QR id, slot) is the same
//! for everyone who scanned one code in one slot, and for nobody else.

use subtle::ConstantTimeEq;

use crate::crypto::{hkdf_expand, hmac_sha256};
use crate::error::{ProtocolError, Result};
use crate::poprf::{Blind, PoprfKey};
use crate::secret::secret_key;
use crate::time::Slot;
use crate::usr::{argon2id, KdfCost};

/// Exactly `N` bytes from `2N` lower-case hex digits (`data-encoding`'s strict `HEXLOWER`: an
/// upper-case digit is refused, so every id has one spelling).
fn hex_bytes<const N: usize>(s: &str) -> Option<[u8; N]> {
    let v = data_encoding::HEXLOWER.decode(s.as_bytes()).ok()?;
    v.try_into().ok()
}

/// A QR code's public id, issued by the TAG server: the code's 8-byte commitment (see
/// [`QrCommitment`]) and an 8-byte MAC over it, so the server recognises its own ids without
/// storing any, and a scanner can check that the data shown beside the id is the data it was
/// issued for.
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
        hex_bytes(s).map(Self).ok_or(ProtocolError::InvalidField {
            field: "QR id",
            reason: "must be 32 lower-case hex digits",
        })
    }

    /// The commitment this id was issued for (its first 8 bytes).
    pub fn commitment(&self) -> QrCommitment {
        let mut c = [0u8; QrCommitment::LEN];
        c.copy_from_slice(&self.0[..QrCommitment::LEN]);
        QrCommitment(c)
    }

    /// True when this id was issued for `c` (the data beside the id is the data it was made for).
    pub fn binds(&self, c: &QrCommitment) -> bool {
        self.0[..QrCommitment::LEN].ct_eq(&c.0).into()
    }
}

/// What a code's QR id commits to: `SHA-256("spur/v1/qr-commit/" || code kind || data)[0..8]`,
/// where data is `TAG || region (12) || name` for a place and `flags || key` for a personal code.
/// The client computes it and sends only it to the TAG server; the TAG key (16 random bytes) in
/// the data hides the rest from the server.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct QrCommitment(pub [u8; 8]);

impl QrCommitment {
    /// Encoded width.
    pub const LEN: usize = 8;

    /// The commitment of a place code: its TAG key, country and postcode, and name.
    pub fn of_place(tag: &TagKey, region: &crate::fields::Region, name: &str) -> Self {
        Self::of(
            crate::record::visit::CodeKind::Place as u8,
            &[tag.expose(), &region.encode(), name.as_bytes()],
        )
    }

    /// The commitment of a personal code: its flags byte and key (TAG key, or a PIN card's seed).
    pub fn of_personal(pin_protected: bool, key: &TagKey) -> Self {
        Self::of(
            crate::record::visit::CodeKind::Personal as u8,
            &[&[u8::from(pin_protected)], key.expose()],
        )
    }

    fn of(kind: u8, parts: &[&[u8]]) -> Self {
        let mut all: Vec<&[u8]> = Vec::with_capacity(parts.len() + 2);
        all.push(crate::labels::QR_COMMIT.as_bytes());
        let k = [kind];
        all.push(&k);
        all.extend_from_slice(parts);
        let h = crate::crypto::sha256(&all);
        let mut c = [0u8; Self::LEN];
        c.copy_from_slice(&h[..Self::LEN]);
        Self(c)
    }

    /// A commitment to nothing: for benchmarks and simulations whose codes are never parsed (a
    /// parsed code with such an id is refused as altered).
    pub fn random(rng: &mut impl rand_core::CryptoRngCore) -> Self {
        let mut c = [0u8; Self::LEN];
        rng.fill_bytes(&mut c);
        Self(c)
    }

    /// Lower-case hex (16 digits), as sent to the TAG server.
    pub fn to_hex(&self) -> String {
        data_encoding::HEXLOWER.encode(&self.0)
    }

    /// Parses 16 lower-case hex digits.
    pub fn from_hex(s: &str) -> Result<Self> {
        hex_bytes(s).map(Self).ok_or(ProtocolError::InvalidField {
            field: "QR commitment",
            reason: "must be 16 lower-case hex digits",
        })
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
        hkdf_expand::<32>(
            self.expose(),
            None,
            &[crate::labels::TAG_SERVER.as_bytes(), label],
        )
    }

    /// Issues the QR id of a code with commitment `c`: `c || HMAC(k_qr, c)[0..8]`.
    pub fn issue_qr_id(&self, c: &QrCommitment) -> Result<QrId> {
        let mac = hmac_sha256(self.sub(b"qr-id")?.as_ref(), &[&c.0]);
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&c.0);
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

    /// The TMP-key POPRF of this server: its key is `DeriveKeyPair(k_poprf, "spur/v1/tmp-poprf")`
    /// (RFC 9497 §3.2.1), so every replica with the same secret has the same key pair.
    pub fn tmp_deriver(&self) -> Result<TmpDeriver> {
        let seed = self.sub(b"poprf")?;
        Ok(TmpDeriver(PoprfKey::derive(
            &seed,
            crate::labels::TMP_POPRF.as_bytes(),
        )?))
    }
}

/// The TAG server's POPRF public key, as the signed directory carries it and clients pin it.
pub use crate::poprf::PoprfPublicKey as TagPublicKey;
pub use crate::poprf::{Blinded, Evaluation};

/// The POPRF info of `slot`: `"spur/v1/tmp/" || slot (u32, big-endian)`. The slot is public: the
/// server sees it and refuses slots outside its window.
pub fn tmp_info(slot: Slot) -> [u8; 16] {
    let mut info = [0u8; 16];
    info[..12].copy_from_slice(crate::labels::TMP_INFO.as_bytes());
    info[12..].copy_from_slice(&slot.0.to_be_bytes());
    info
}

/// TMP = HKDF-SHA256(POPRF output, info `"spur/v1/tmp-key"`), 32 bytes. The output already
/// depends on the QR id, the slot and the server's key; the KDF only sizes and labels it.
fn tmp_from_output(output: &[u8; crate::poprf::OUTPUT_LEN]) -> Result<TmpKey> {
    Ok(TmpKey::from_bytes(*hkdf_expand::<32>(
        output,
        None,
        &[crate::labels::TMP_KEY.as_bytes()],
    )?))
}

/// The TAG server's side of TMP keys: the POPRF private key. TMP(QR id, slot) =
/// KDF(POPRF(QR id; info = slot)); the server evaluates blinded QR ids and never sees one.
pub struct TmpDeriver(PoprfKey);

impl TmpDeriver {
    /// The public key clients verify every evaluation against.
    pub fn public(&self) -> TagPublicKey {
        self.0.public()
    }

    /// Evaluates blinded QR ids for one slot, with one DLEQ proof for all of them.
    pub fn evaluate<R: rand_core::RngCore + rand_core::CryptoRng>(
        &self,
        rng: &mut R,
        blinded: &[Blinded],
        slot: Slot,
    ) -> Result<(
        Vec<[u8; crate::poprf::ELEMENT_LEN]>,
        [u8; crate::poprf::PROOF_LEN],
    )> {
        self.0.evaluate(rng, blinded, &tmp_info(slot))
    }

    /// The TMP key of `id` in `slot` computed directly (unblinded): the same key a client gets
    /// through [`TmpRequest`]. For simulations, benchmarks and tests that play the server.
    pub fn tmp(&self, id: &QrId, slot: Slot) -> TmpKey {
        // A 16-byte input and a 16-byte info are always in the POPRF's range, so neither call can
        // fail; the fallback keeps the signature infallible without a panic.
        self.0
            .evaluate_unblinded(&id.0, &tmp_info(slot))
            .and_then(|o| tmp_from_output(&o))
            .unwrap_or_else(|_| TmpKey::from_bytes([0; 32]))
    }
}

/// A client's blinded request for the TMP keys of one QR id: the blind stays here, the blinded
/// id goes to the TAG server with the slots, and each answer is checked against the pinned key.
pub struct TmpRequest {
    blind: Blind,
    id: QrId,
}

impl TmpRequest {
    /// Blinds `id` with a fresh blind from `rng`; the returned element is all the server sees.
    pub fn new<R: rand_core::RngCore + rand_core::CryptoRng>(
        id: &QrId,
        rng: &mut R,
    ) -> Result<(Self, Blinded)> {
        let (blind, b) = Blind::new(&id.0, rng)?;
        Ok((Self { blind, id: *id }, b))
    }

    /// The QR id this request blinds.
    pub fn qr_id(&self) -> QrId {
        self.id
    }

    /// The TMP key of `slot` from the server's evaluation, after checking its proof against
    /// `pk`. A server that evaluated with another key, or for another slot, is refused with
    /// [`ProtocolError::BadPoprfProof`].
    pub fn tmp(&self, slot: Slot, evaluation: &Evaluation, pk: &TagPublicKey) -> Result<TmpKey> {
        let o = self
            .blind
            .finalize(&self.id.0, evaluation, pk, &tmp_info(slot))?;
        tmp_from_output(&o)
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

    /// A personal-code record's PIN check for this (PIN-derived) TAG key:
    /// `HMAC(TAG, "spur/v1/pin-check" || QR id)`. The POST server keeps only a peppered hash of it
    /// and answers whether a presented check matches, rate-limited; nothing it stores lets anyone
    /// test a PIN offline.
    pub fn pin_check(&self, id: &QrId) -> [u8; 32] {
        hmac_sha256(self.expose(), &[crate::labels::PIN_CHECK.as_bytes(), &id.0])
    }

    /// The SCAN key for this code's `id` in `slot`, given the server's TMP key.
    pub fn scan_key(&self, id: &QrId, slot: Slot, tmp: &TmpKey) -> Result<ScanKey> {
        let mut ikm = zeroize::Zeroizing::new([0u8; 48]);
        ikm[..16].copy_from_slice(self.expose());
        ikm[16..].copy_from_slice(tmp.expose());
        let k = hkdf_expand::<32>(
            ikm.as_ref(),
            Some(&id.0),
            &[crate::labels::SCAN_KEY.as_bytes(), &slot.0.to_be_bytes()],
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
        let c = QrCommitment::of_personal(false, &TagKey::random(&mut rng));
        let id = s1.issue_qr_id(&c).unwrap();
        assert!(id.binds(&c));
        assert_eq!(id.commitment(), c);
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
        let id = s.issue_qr_id(&QrCommitment([1; 8])).unwrap();
        let id2 = s.issue_qr_id(&QrCommitment([2; 8])).unwrap();
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

    #[test]
    fn blinded_tmp_keys_equal_the_servers_and_another_key_or_slot_is_refused() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
        let s = TagServerSecret::random(&mut rng);
        let d = s.tmp_deriver().unwrap();
        let liar = TagServerSecret::random(&mut rng).tmp_deriver().unwrap();
        let id = s.issue_qr_id(&QrCommitment([1; 8])).unwrap();
        // Two clients blind the same id differently and still get the same key.
        let (a, ba) = TmpRequest::new(&id, &mut rng).unwrap();
        let (b, bb) = TmpRequest::new(&id, &mut rng).unwrap();
        assert_ne!(ba, bb, "blinded ids differ per request");
        let ev = |d: &TmpDeriver, bl: Blinded, slot: Slot, rng: &mut rand_chacha::ChaCha20Rng| {
            let (e, proof) = d.evaluate(rng, &[bl], slot).unwrap();
            Evaluation {
                element: e[0],
                proof,
            }
        };
        let ka = a
            .tmp(Slot(9), &ev(&d, ba, Slot(9), &mut rng), &d.public())
            .unwrap();
        let kb = b
            .tmp(Slot(9), &ev(&d, bb, Slot(9), &mut rng), &d.public())
            .unwrap();
        assert_eq!(ka, kb);
        assert_eq!(ka, d.tmp(&id, Slot(9)));
        assert_ne!(ka, d.tmp(&id, Slot(10)));
        // Evaluated with another key, or for another slot: refused against the pinned key.
        assert_eq!(
            a.tmp(Slot(9), &ev(&liar, ba, Slot(9), &mut rng), &d.public()),
            Err(ProtocolError::BadPoprfProof)
        );
        assert_eq!(
            a.tmp(Slot(9), &ev(&d, ba, Slot(10), &mut rng), &d.public()),
            Err(ProtocolError::BadPoprfProof)
        );
    }

    #[test]
    fn commitments_cover_every_shown_field_and_the_kind() {
        use crate::fields::Region;
        let tag = TagKey::from_bytes([7; 16]);
        let r = Region::parse("DE", Some("80331")).unwrap();
        let base = QrCommitment::of_place(&tag, &r, "Café");
        assert_eq!(base, QrCommitment::of_place(&tag, &r, "Café"));
        let others = [
            QrCommitment::of_place(&tag, &r, "Cafe"),
            QrCommitment::of_place(&tag, &Region::parse("DE", Some("80333")).unwrap(), "Café"),
            QrCommitment::of_place(&tag, &Region::parse("FR", Some("80331")).unwrap(), "Café"),
            QrCommitment::of_place(&TagKey::from_bytes([8; 16]), &r, "Café"),
            QrCommitment::of_personal(false, &tag),
            QrCommitment::of_personal(true, &tag),
        ];
        for o in others {
            assert_ne!(o, base);
        }
        assert_ne!(
            QrCommitment::of_personal(false, &tag),
            QrCommitment::of_personal(true, &tag)
        );
        assert_eq!(QrCommitment::from_hex(&base.to_hex()).unwrap(), base);
        assert!(QrCommitment::from_hex("00").is_err());
    }

    #[test]
    fn pin_checks_depend_on_key_and_id() {
        let a = TagKey::from_bytes([1; 16]);
        let b = TagKey::from_bytes([2; 16]);
        let i = QrId([3; 16]);
        let j = QrId([4; 16]);
        assert_eq!(a.pin_check(&i), a.pin_check(&i));
        assert_ne!(a.pin_check(&i), b.pin_check(&i));
        assert_ne!(a.pin_check(&i), a.pin_check(&j));
    }
}
