//! The local-data key: generated here in Rust, kept by the platform's key store through the
//! [`KeyProvider`] callback, and refused (a typed error, never a silent fresh key) when the store
//! cannot keep it.

use zeroize::Zeroizing;

/// Length of the key the core generates (the core accepts any stored key of at least this many
/// bytes, as keys kept by earlier versions of the shells are 32 bytes too).
pub const LOCAL_KEY_BYTES: usize = 32;

/// The platform key store's failure, told by the shell (Kotlin: `KeyStoreException.Failed`,
/// Swift: `KeyStoreError.Failed(detail:)`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum KeyStoreError {
    /// The store could not load or keep the key.
    #[error("key store failed: {detail}")]
    Failed {
        /// What failed, e.g. the Keychain's `OSStatus` or the exception's class; never key bytes.
        detail: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for KeyStoreError {
    /// An exception the shell did not declare is a failure of the store too.
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed { detail: e.reason }
    }
}

/// The platform's keeper of the key that encrypts the app's local data at rest: it only stores
/// and loads bytes; the core makes the key.
///
/// Android: bytes wrapped by an Android Keystore key; iOS: a Keychain item (this device only);
/// the desktop CLI: a file readable only by its owner. The core asks once, when `Spur` is made.
#[uniffi::export(foreign)]
pub trait KeyProvider: Send + Sync {
    /// The stored key, or `None` when none was ever stored on this installation.
    fn load(&self) -> Result<Option<Vec<u8>>, KeyStoreError>;
    /// Keeps `key` for every later `load`. An error (or a later `load` that does not return
    /// these bytes) makes the core refuse to start.
    fn store(&self, key: Vec<u8>) -> Result<(), KeyStoreError>;
}

/// Why no key could be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyFailure {
    /// The provider failed; its detail.
    Provider(String),
    /// The stored key is shorter than [`LOCAL_KEY_BYTES`].
    TooShort,
    /// The key was stored without error but did not load back.
    NotKept,
}

impl From<KeyStoreError> for KeyFailure {
    fn from(e: KeyStoreError) -> Self {
        match e {
            KeyStoreError::Failed { detail } => Self::Provider(detail),
        }
    }
}

/// The installation's key: the stored one, or on first start a new random one that the provider
/// has kept (stored, then loaded back and compared).
pub(crate) fn local_key(keys: &dyn KeyProvider) -> Result<Zeroizing<Vec<u8>>, KeyFailure> {
    if let Some(stored) = keys.load()? {
        let stored = Zeroizing::new(stored);
        return if stored.len() < LOCAL_KEY_BYTES {
            Err(KeyFailure::TooShort)
        } else {
            Ok(stored)
        };
    }
    let mut fresh = Zeroizing::new(vec![0u8; LOCAL_KEY_BYTES]);
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, fresh.as_mut_slice());
    keys.store(fresh.to_vec())?;
    // A store that reports success but keeps nothing would otherwise give a new key, and so an
    // unreadable database, on every launch.
    match keys.load()?.map(Zeroizing::new) {
        Some(back) if back.as_slice() == fresh.as_slice() => Ok(fresh),
        _ => Err(KeyFailure::NotKept),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// A key store in memory that can be told to fail writes or to forget them.
    #[derive(Default)]
    struct Memory {
        key: Mutex<Option<Vec<u8>>>,
        fail_store: bool,
        forget: bool,
        stores: Mutex<usize>,
    }

    impl KeyProvider for Memory {
        fn load(&self) -> Result<Option<Vec<u8>>, KeyStoreError> {
            Ok(self.key.lock().map_err(|_| fail())?.clone())
        }
        fn store(&self, key: Vec<u8>) -> Result<(), KeyStoreError> {
            *self.stores.lock().map_err(|_| fail())? += 1;
            if self.fail_store {
                return Err(fail());
            }
            if !self.forget {
                *self.key.lock().map_err(|_| fail())? = Some(key);
            }
            Ok(())
        }
    }

    fn fail() -> KeyStoreError {
        KeyStoreError::Failed {
            detail: "errSecInteractionNotAllowed".into(),
        }
    }

    #[test]
    fn the_first_key_is_generated_kept_and_then_loaded() -> Result<(), KeyFailure> {
        let m = Memory::default();
        let first = local_key(&m)?;
        assert_eq!(first.len(), LOCAL_KEY_BYTES);
        assert_ne!(first.as_slice(), &[0u8; LOCAL_KEY_BYTES]);
        let again = local_key(&m)?;
        assert_eq!(first.as_slice(), again.as_slice());
        assert_eq!(*m.stores.lock().map_err(|_| KeyFailure::NotKept)?, 1);
        Ok(())
    }

    #[test]
    fn a_failed_store_is_refused_not_replaced_by_a_fresh_key() {
        let m = Memory {
            fail_store: true,
            ..Memory::default()
        };
        assert_eq!(
            local_key(&m),
            Err(KeyFailure::Provider("errSecInteractionNotAllowed".into()))
        );
    }

    #[test]
    fn a_store_that_keeps_nothing_is_refused() {
        let m = Memory {
            forget: true,
            ..Memory::default()
        };
        assert_eq!(local_key(&m), Err(KeyFailure::NotKept));
    }

    #[test]
    fn a_short_stored_key_is_refused() {
        let m = Memory {
            key: Mutex::new(Some(vec![1; 16])),
            ..Memory::default()
        };
        assert_eq!(local_key(&m), Err(KeyFailure::TooShort));
    }
}
