//! The long-lived key pairs: OP (operator), AUTH (one per health authority), the directory root.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::crypto;
use crate::error::{ProtocolError, Result};

/// An X25519 public key that records are sealed to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SealPublicKey(pub(crate) PublicKey);

impl SealPublicKey {
    /// From 32 bytes; refuses low-order points that would make every seal readable.
    pub fn from_bytes(b: [u8; 32]) -> Result<Self> {
        let pk = PublicKey::from(b);
        // A probe agreement with a fixed scalar reveals low-order points (result all zero).
        let probe = StaticSecret::from([0x42u8; 32]).diffie_hellman(&pk);
        if !probe.was_contributory() {
            return Err(ProtocolError::WeakKey { what: "X25519 key" });
        }
        Ok(Self(pk))
    }

    /// The 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }
}

/// An X25519 secret key: the OP key of the operator or the AUTH key of an authority. The public
/// key is kept beside it because every open needs it (it is bound into the sealed box's KDF).
#[derive(Clone)]
pub struct SealSecretKey(pub(crate) StaticSecret, PublicKey);

impl std::fmt::Debug for SealSecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealSecretKey(redacted)")
    }
}

impl SealSecretKey {
    /// A fresh key pair.
    pub fn generate(rng: &mut impl rand_core::CryptoRngCore) -> Self {
        Self::from_static(StaticSecret::random_from_rng(rng))
    }

    /// From stored bytes.
    pub fn from_bytes(b: [u8; 32]) -> Self {
        Self::from_static(StaticSecret::from(b))
    }

    fn from_static(s: StaticSecret) -> Self {
        let pk = PublicKey::from(&s);
        Self(s, pk)
    }

    /// The secret bytes, for the owner's key file only.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The matching public key.
    pub fn public(&self) -> SealPublicKey {
        SealPublicKey(self.1)
    }

    /// Opens a box sealed to this key under `label`.
    pub fn open(
        &self,
        label: &str,
        layer: &'static str,
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>> {
        crypto::open_sealed(&self.0, &self.1, label, layer, sealed)
    }
}

impl SealPublicKey {
    /// Seals to this key under `label` with a fresh ephemeral key.
    pub fn seal(
        &self,
        rng: &mut impl rand_core::CryptoRngCore,
        label: &str,
        plaintext: &[u8],
    ) -> Result<Vec<u8>> {
        crypto::seal(rng, &self.0, label, plaintext)
    }
}

/// An Ed25519 verifying key (directory root, authority signing key).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SignPublicKey(pub(crate) VerifyingKey);

impl SignPublicKey {
    /// From 32 bytes; refuses bytes that are not a valid point.
    pub fn from_bytes(b: [u8; 32]) -> Result<Self> {
        VerifyingKey::from_bytes(&b)
            .map(Self)
            .map_err(|_| ProtocolError::WeakKey {
                what: "Ed25519 key",
            })
    }

    /// The 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Verifies `sig` over `label || message` (strict verification: no malleable signatures).
    pub fn verify(
        &self,
        label: &str,
        message: &[u8],
        sig: &[u8; 64],
        what: &'static str,
    ) -> Result<()> {
        let mut m = Vec::with_capacity(label.len() + message.len());
        m.extend_from_slice(label.as_bytes());
        m.extend_from_slice(message);
        self.0
            .verify_strict(&m, &Signature::from_bytes(sig))
            .map_err(|_| ProtocolError::BadSignature { what })
    }
}

/// An Ed25519 signing key.
#[derive(Clone)]
pub struct SignSecretKey(pub(crate) SigningKey);

impl std::fmt::Debug for SignSecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignSecretKey(redacted)")
    }
}

impl SignSecretKey {
    /// A fresh signing key.
    pub fn generate(rng: &mut impl rand_core::CryptoRngCore) -> Self {
        Self(SigningKey::generate(rng))
    }

    /// From stored bytes.
    pub fn from_bytes(b: [u8; 32]) -> Self {
        Self(SigningKey::from_bytes(&b))
    }

    /// The secret bytes, for the owner's key file only.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The verifying key.
    pub fn public(&self) -> SignPublicKey {
        SignPublicKey(self.0.verifying_key())
    }

    /// Signs `label || message`.
    pub fn sign(&self, label: &str, message: &[u8]) -> [u8; 64] {
        let mut m = Vec::with_capacity(label.len() + message.len());
        m.extend_from_slice(label.as_bytes());
        m.extend_from_slice(message);
        self.0.sign(&m).to_bytes()
    }
}

/// The keys a health authority holds: AUTH (X25519) for opening, Ed25519 for signing consent codes.
#[derive(Clone, Debug)]
pub struct AuthorityKeys {
    /// Opens what was sealed to this authority.
    pub seal: SealSecretKey,
    /// Signs consent codes and TMP-history requests.
    pub sign: SignSecretKey,
}

impl AuthorityKeys {
    /// Fresh keys.
    pub fn generate(rng: &mut impl rand_core::CryptoRngCore) -> Self {
        Self {
            seal: SealSecretKey::generate(rng),
            sign: SignSecretKey::generate(rng),
        }
    }
}
