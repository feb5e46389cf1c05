//! The primitives: sealed box (X25519 + HKDF-SHA256 + AES-256-GCM), symmetric AEAD, HKDF, HMAC.
//!
//! Every use names a domain label (see [`crate::labels`]); a blob sealed under one label never
//! opens under another, so a record of one kind can never be passed off as another.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::error::{ProtocolError, Result};

/// Bytes a sealed box adds: the ephemeral public key and the GCM tag (the nonce is derived).
pub const SEAL_OVERHEAD: usize = 32 + 16;
/// Bytes a symmetric AEAD adds: a random 96-bit nonce and the GCM tag.
pub const AEAD_OVERHEAD: usize = 12 + 16;

/// Seals `plaintext` to `recipient` with a fresh ephemeral key: output is
/// `ephemeral_pk(32) || AES-256-GCM(ciphertext || tag)`. Two seals of the same data share no bytes
/// beyond chance, because the ephemeral key (and so key and nonce) is new every time.
pub fn seal(
    rng: &mut impl rand_core::CryptoRngCore,
    recipient: &PublicKey,
    label: &str,
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    let ephemeral = StaticSecret::random_from_rng(&mut *rng);
    let ephemeral_pk = PublicKey::from(&ephemeral);
    let shared = ephemeral.diffie_hellman(recipient);
    if !shared.was_contributory() {
        return Err(ProtocolError::WeakKey {
            what: "recipient key",
        });
    }
    let cipher = seal_cipher(shared.as_bytes(), ephemeral_pk.as_bytes(), recipient, label)?;
    let ct = cipher
        .0
        .encrypt(
            Nonce::from_slice(&cipher.1),
            Payload {
                msg: plaintext,
                aad: label.as_bytes(),
            },
        )
        .map_err(|_| ProtocolError::KeyDerivation)?;
    let mut out = Vec::with_capacity(32 + ct.len());
    out.extend_from_slice(ephemeral_pk.as_bytes());
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Opens a sealed box made by [`seal`] with the recipient's secret key and the same label.
pub fn open_sealed(
    recipient: &StaticSecret,
    recipient_pk: &PublicKey,
    label: &str,
    layer: &'static str,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    if sealed.len() < SEAL_OVERHEAD {
        return Err(ProtocolError::OpenFailed { layer });
    }
    let (epk, ct) = sealed.split_at(32);
    let mut epk_bytes = [0u8; 32];
    epk_bytes.copy_from_slice(epk);
    let ephemeral_pk = PublicKey::from(epk_bytes);
    let shared = recipient.diffie_hellman(&ephemeral_pk);
    if !shared.was_contributory() {
        return Err(ProtocolError::OpenFailed { layer });
    }
    let cipher = seal_cipher(shared.as_bytes(), &epk_bytes, recipient_pk, label)?;
    cipher
        .0
        .decrypt(
            Nonce::from_slice(&cipher.1),
            Payload {
                msg: ct,
                aad: label.as_bytes(),
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| ProtocolError::OpenFailed { layer })
}

/// Derives the one-time AES key and nonce of a sealed box from the X25519 shared secret.
/// The salt binds both public keys so a box cannot be re-targeted.
fn seal_cipher(
    shared: &[u8; 32],
    ephemeral_pk: &[u8; 32],
    recipient: &PublicKey,
    label: &str,
) -> Result<(Aes256Gcm, [u8; 12])> {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral_pk);
    salt[32..].copy_from_slice(recipient.as_bytes());
    let hk = Hkdf::<Sha256>::new(Some(&salt), shared);
    let mut okm = Zeroizing::new([0u8; 44]);
    hk.expand_multi_info(
        &[crate::labels::SEAL_PREFIX.as_bytes(), label.as_bytes()],
        okm.as_mut(),
    )
    .map_err(|_| ProtocolError::KeyDerivation)?;
    let cipher = Aes256Gcm::new_from_slice(&okm[..32]).map_err(|_| ProtocolError::KeyDerivation)?;
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&okm[32..]);
    Ok((cipher, nonce))
}

/// A symmetric AEAD key bound to one label: AES-256-GCM with random nonces.
pub struct AeadKey {
    cipher: Aes256Gcm,
    label: &'static str,
}

impl AeadKey {
    /// Derives the AEAD key for `label` from a 32-byte (or 16-byte) root key with HKDF.
    pub fn derive(root: &[u8], label: &'static str) -> Result<Self> {
        let key = hkdf_expand::<32>(
            root,
            None,
            &[crate::labels::AEAD_PREFIX.as_bytes(), label.as_bytes()],
        )?;
        let cipher =
            Aes256Gcm::new_from_slice(key.as_ref()).map_err(|_| ProtocolError::KeyDerivation)?;
        Ok(Self { cipher, label })
    }

    /// Encrypts with a fresh random nonce: `nonce(12) || ciphertext || tag(16)`.
    pub fn encrypt(
        &self,
        rng: &mut impl rand_core::CryptoRngCore,
        plaintext: &[u8],
    ) -> Result<Vec<u8>> {
        let mut nonce = [0u8; 12];
        rng.fill_bytes(&mut nonce);
        let ct = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: self.label.as_bytes(),
                },
            )
            .map_err(|_| ProtocolError::KeyDerivation)?;
        let mut out = Vec::with_capacity(12 + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypts what [`AeadKey::encrypt`] made; `layer` names the layer in the error.
    pub fn decrypt(&self, layer: &'static str, data: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        if data.len() < AEAD_OVERHEAD {
            return Err(ProtocolError::OpenFailed { layer });
        }
        let (nonce, ct) = data.split_at(12);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: self.label.as_bytes(),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| ProtocolError::OpenFailed { layer })
    }
}

/// HKDF-SHA256 with the info given as parts (concatenated), output of `N` bytes.
pub fn hkdf_expand<const N: usize>(
    ikm: &[u8],
    salt: Option<&[u8]>,
    info: &[&[u8]],
) -> Result<Zeroizing<[u8; N]>> {
    let hk = Hkdf::<Sha256>::new(salt, ikm);
    let mut out = Zeroizing::new([0u8; N]);
    hk.expand_multi_info(info, out.as_mut())
        .map_err(|_| ProtocolError::KeyDerivation)?;
    Ok(out)
}

/// HMAC-SHA256 of the concatenated parts.
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail; fall back defensively.
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(key) else {
        return [0u8; 32];
    };
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// SHA-256 of the concatenated parts.
pub fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}
