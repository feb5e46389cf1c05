//! Encryption at rest: every secret or personal column of the local database is sealed with a
//! key derived from the platform's key (Android Keystore, iOS Keychain, a file for the CLI).
//!
//! AES-256-GCM with a random nonce; the associated data names the column, so a blob copied into
//! another column does not open. The platform key never leaves this module's [`LocalKey`].

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hkdf::Hkdf;
use rand_core::{OsRng, RngCore};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, ErrorKind, Result};
use crate::texts::Msg;

const NONCE: usize = 12;
/// Setting key of a blob sealed with the local key, which shows at start that the platform
/// handed over the key this database was sealed with.
pub(crate) const KEY_CHECK_SETTING: &str = "key-check";

/// The columns that hold sealed blobs; each is its own associated data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// The account: USR key and the opaque sealed contact.
    Account,
    /// A check-in's code keys and fetched TMP keys.
    Visit,
    /// A history row: place name and times.
    History,
    /// An own code: its URL and TAG key.
    OwnCode,
}

impl Column {
    fn label(self) -> &'static [u8] {
        match self {
            Self::Account => b"spur/core/account",
            Self::Visit => b"spur/core/visit",
            Self::History => b"spur/core/history",
            Self::OwnCode => b"spur/core/own-code",
        }
    }
}

/// The key the platform handed over, turned into the database's sealing key.
pub struct LocalKey(Aes256Gcm);

impl LocalKey {
    /// Derives the sealing key from the platform's key (at least 32 bytes).
    pub fn from_platform(platform_key: &[u8]) -> Result<Self> {
        if platform_key.len() < 32 {
            return Err(Error::new(
                ErrorKind::Storage,
                Msg::new("error-platform-key"),
            ));
        }
        let hk = Hkdf::<Sha256>::new(Some(b"spur/core/local-key/v1"), platform_key);
        let mut k = Zeroizing::new([0u8; 32]);
        hk.expand(b"aes-256-gcm", k.as_mut())
            .map_err(|_| Error::internal("local key"))?;
        let cipher =
            Aes256Gcm::new_from_slice(k.as_ref()).map_err(|_| Error::internal("local key"))?;
        Ok(Self(cipher))
    }

    /// Seals `plain` for `column`: nonce || ciphertext.
    pub fn seal(&self, column: Column, plain: &[u8]) -> Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE];
        OsRng.fill_bytes(&mut nonce);
        let ct = self
            .0
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: column.label(),
                },
            )
            .map_err(|_| Error::internal("seal"))?;
        let mut out = Vec::with_capacity(NONCE + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Opens what [`LocalKey::seal`] made for the same column.
    pub fn open(&self, column: Column, blob: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        if blob.len() < NONCE {
            return Err(wrong_key());
        }
        let (nonce, ct) = blob.split_at(NONCE);
        self.0
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: column.label(),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| wrong_key())
    }

    /// Seals a JSON value (the shape of a row's sealed part).
    pub fn seal_json<T: serde::Serialize>(&self, column: Column, value: &T) -> Result<Vec<u8>> {
        let mut plain = serde_json::to_vec(value).map_err(|_| Error::internal("encode row"))?;
        let out = self.seal(column, &plain);
        plain.zeroize();
        out
    }

    /// Opens a sealed JSON value.
    pub fn open_json<T: serde::de::DeserializeOwned>(
        &self,
        column: Column,
        blob: &[u8],
    ) -> Result<T> {
        let plain = self.open(column, blob)?;
        serde_json::from_slice(&plain).map_err(|_| Error::internal("decode row"))
    }
}

fn wrong_key() -> Error {
    Error::new(ErrorKind::Storage, Msg::new("error-local-key-wrong"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_blobs_open_only_with_the_key_and_column() {
        let k = LocalKey::from_platform(&[7u8; 32]).unwrap();
        let other = LocalKey::from_platform(&[8u8; 32]).unwrap();
        let blob = k.seal(Column::History, b"Cafe Zur Post").unwrap();
        assert_eq!(
            k.open(Column::History, &blob).unwrap().as_slice(),
            b"Cafe Zur Post"
        );
        assert!(k.open(Column::Visit, &blob).is_err());
        assert!(other.open(Column::History, &blob).is_err());
        assert_ne!(
            blob,
            k.seal(Column::History, b"Cafe Zur Post").unwrap(),
            "fresh nonce"
        );
        assert!(
            LocalKey::from_platform(&[1u8; 16]).is_err(),
            "short platform key"
        );
    }
}
