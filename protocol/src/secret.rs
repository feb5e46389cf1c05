//! Secret byte strings: zeroized on drop, compared in constant time, never printed.

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A fixed-size secret. `Debug` prints only its length so secrets never reach logs or panics.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Secret<const N: usize>([u8; N]);

impl<const N: usize> Secret<N> {
    /// Wraps bytes that are secret.
    pub fn from_bytes(bytes: [u8; N]) -> Self {
        Self(bytes)
    }

    /// Copies a slice of the right length; `None` otherwise.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        let arr: [u8; N] = bytes.try_into().ok()?;
        Some(Self(arr))
    }

    /// Fresh random bytes from a cryptographic generator.
    pub fn random(rng: &mut impl rand_core::CryptoRngCore) -> Self {
        let mut b = [0u8; N];
        rng.fill_bytes(&mut b);
        Self(b)
    }

    /// Borrows the secret bytes; callers must not copy them into anything that outlives use.
    pub fn expose(&self) -> &[u8; N] {
        &self.0
    }
}

impl<const N: usize> PartialEq for Secret<N> {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl<const N: usize> Eq for Secret<N> {}

impl<const N: usize> std::fmt::Debug for Secret<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret<{N}>(redacted)")
    }
}

/// Declares a named secret key type around [`Secret`], so keys of different roles cannot be mixed up.
macro_rules! secret_key {
    ($(#[$doc:meta])* $name:ident, $len:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Debug)]
        pub struct $name(pub(crate) $crate::secret::Secret<$len>);

        impl $name {
            /// Length in bytes.
            pub const LEN: usize = $len;

            /// Wraps raw key bytes (from storage or a decoded payload).
            pub fn from_bytes(bytes: [u8; $len]) -> Self {
                Self($crate::secret::Secret::from_bytes(bytes))
            }

            /// Fresh random key.
            pub fn random(rng: &mut impl rand_core::CryptoRngCore) -> Self {
                Self($crate::secret::Secret::random(rng))
            }

            /// The raw key bytes, for storage in the device's encrypted store only.
            pub fn expose(&self) -> &[u8; $len] {
                self.0.expose()
            }
        }
    };
}
pub(crate) use secret_key;
