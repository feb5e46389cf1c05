//! The USR key: Argon2id from the user's secret and phone number, and its per-day sub-keys.
//!
//! The same credentials give the same key on any device, so a user who lost the phone can still
//! consent to release past days. A day's find key lets the vault locate that day's user entries;
//! a day's encryption key opens them. Consent releases exactly the days asked for.

use argon2::{Algorithm, Argon2, Params, Version};

use crate::crypto::{hkdf_expand, hmac_sha256, sha256};
use crate::error::{ProtocolError, Result};
use crate::fields::PhoneNumber;
use crate::secret::secret_key;
use crate::time::{Day, Minute};

/// Argon2id cost, fixed per protocol version so every device derives the same key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes.
    pub passes: u32,
    /// Lanes.
    pub lanes: u32,
}

/// RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes. Chosen by benchmark
/// (`cargo bench -p spur-protocol -- argon2`); see docs/performance.md.
pub const USR_KDF: KdfCost = KdfCost {
    memory_kib: 64 * 1024,
    passes: 3,
    lanes: 4,
};

/// A deliberately cheap cost, only for tests and the demo's large simulated populations.
/// Never used by the app for real users.
pub const TEST_KDF: KdfCost = KdfCost {
    memory_kib: 64,
    passes: 1,
    lanes: 1,
};

/// Runs Argon2id at `cost` with output length `N`: the one Argon2 helper of the workspace (USR key,
/// card PINs; other crates call this rather than configuring `argon2` themselves).
pub fn argon2id<const N: usize>(
    cost: KdfCost,
    password: &[u8],
    salt: &[u8],
) -> Result<zeroize::Zeroizing<[u8; N]>> {
    let params = Params::new(cost.memory_kib, cost.passes, cost.lanes, Some(N))
        .map_err(|_| ProtocolError::KeyDerivation)?;
    let a = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = zeroize::Zeroizing::new([0u8; N]);
    a.hash_password_into(password, salt, out.as_mut())
        .map_err(|_| ProtocolError::KeyDerivation)?;
    Ok(out)
}

secret_key!(
    /// The user's root key. Kept on the device; re-derivable from phone number and secret.
    UsrKey,
    32
);
secret_key!(
    /// One day's find key: given to the vault on consent to enumerate that day's find-tags.
    FindKey,
    32
);
secret_key!(
    /// One day's encryption key: given to the authority on consent to open that day's visits.
    EncKey,
    32
);
secret_key!(
    /// Proves ownership of a registration to the POST server (refresh, delete).
    RegistrationSecret,
    32
);

/// A find-tag: HMAC of a scan minute under that day's find key.
pub type FindTag = [u8; 32];

/// How many visits may start in one minute and still get distinct find-tags.
pub const FIND_TAGS_PER_MINUTE: u8 = 4;

impl UsrKey {
    /// Derives the USR key with Argon2id from the secret, salted by the normalised phone number.
    pub fn derive(phone: &PhoneNumber, secret: &str, cost: KdfCost) -> Result<Self> {
        let salt = sha256(&[
            crate::labels::USR_SALT.as_bytes(),
            phone.as_str().as_bytes(),
        ]);
        let k = argon2id::<32>(cost, secret.as_bytes(), &salt)?;
        Ok(Self::from_bytes(*k))
    }

    fn sub(&self, label: &[u8], day: Option<Day>) -> Result<[u8; 32]> {
        let d = day.map(|d| d.0.to_be_bytes()).unwrap_or_default();
        Ok(*hkdf_expand::<32>(
            self.expose(),
            None,
            &[crate::labels::USR_DERIVE.as_bytes(), label, &d],
        )?)
    }

    /// The find key of `day`.
    pub fn find_key(&self, day: Day) -> Result<FindKey> {
        Ok(FindKey::from_bytes(self.sub(b"find", Some(day))?))
    }

    /// The encryption key of `day`.
    pub fn enc_key(&self, day: Day) -> Result<EncKey> {
        Ok(EncKey::from_bytes(self.sub(b"enc", Some(day))?))
    }

    /// The registration id: stable across devices, seen only inside AUTH layers and by the vault.
    pub fn registration_id(&self) -> Result<[u8; 16]> {
        let full = self.sub(b"registration-id", None)?;
        let mut id = [0u8; 16];
        id.copy_from_slice(&full[..16]);
        Ok(id)
    }

    /// The registration secret shown to the POST server to refresh or delete the registration.
    pub fn registration_secret(&self) -> Result<RegistrationSecret> {
        Ok(RegistrationSecret::from_bytes(
            self.sub(b"registration-secret", None)?,
        ))
    }
}

/// The registration handle: what the POST server stores in place of a registration secret
/// (SHA-256 of the label and the secret). The server computes it from the bytes a record carries,
/// the app from its [`RegistrationSecret`]; both call this one function.
pub fn registration_handle(secret: &[u8]) -> [u8; 32] {
    sha256(&[crate::labels::REGISTRATION_HANDLE.as_bytes(), secret])
}

impl RegistrationSecret {
    /// What the POST server stores in its place ([`registration_handle`]).
    pub fn handle(&self) -> [u8; 32] {
        registration_handle(self.expose())
    }
}

impl FindKey {
    /// The find-tag of a visit that started at `minute`, the `n`-th visit starting in that minute.
    pub fn tag(&self, minute: Minute, n: u8) -> FindTag {
        hmac_sha256(
            self.expose(),
            &[
                crate::labels::FIND_TAG.as_bytes(),
                &minute.0.to_be_bytes(),
                &[n],
            ],
        )
    }

    /// Every find-tag this key can produce on `day`, with the minute it stands for:
    /// 1440 minutes × [`FIND_TAGS_PER_MINUTE`] tags. This is the vault's enumeration.
    pub fn enumerate(&self, day: Day) -> impl Iterator<Item = (FindTag, Minute)> + '_ {
        use hmac::Mac;
        // Key the HMAC once and clone its state per tag: half the hashing of `tag()`.
        let keyed = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(self.expose())
            .map(|mut m| {
                m.update(crate::labels::FIND_TAG.as_bytes());
                m
            })
            .ok();
        let start = day.start().0;
        (start..start + crate::time::DAY_MINUTES).flat_map(move |m| {
            let keyed = keyed.clone();
            (0..FIND_TAGS_PER_MINUTE).filter_map(move |n| {
                let mut mac = keyed.clone()?;
                mac.update(&m.to_be_bytes());
                mac.update(&[n]);
                Some((mac.finalize().into_bytes().into(), Minute(m)))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_credentials_same_key_other_phone_other_key() {
        let p1 = PhoneNumber::parse("+4915123456789").unwrap();
        let p2 = PhoneNumber::parse("+4915123456788").unwrap();
        let a = UsrKey::derive(&p1, "correct horse", TEST_KDF).unwrap();
        let b = UsrKey::derive(&p1, "correct horse", TEST_KDF).unwrap();
        let c = UsrKey::derive(&p2, "correct horse", TEST_KDF).unwrap();
        let d = UsrKey::derive(&p1, "correct horsf", TEST_KDF).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
        assert_ne!(a.find_key(Day(1)).unwrap(), a.find_key(Day(2)).unwrap());
        assert_ne!(
            *a.find_key(Day(1)).unwrap().expose(),
            *a.enc_key(Day(1)).unwrap().expose()
        );
        assert_eq!(format!("{a:?}"), "UsrKey(Secret<32>(redacted))");
    }

    #[test]
    fn enumeration_finds_every_tag_of_the_day() {
        let k = FindKey::from_bytes([7; 32]);
        let day = Day(20_000);
        let m = Minute(day.start().0 + 777);
        let t = k.tag(m, 2);
        let found: Vec<_> = k.enumerate(day).filter(|(x, _)| *x == t).collect();
        assert_eq!(found, vec![(t, m)]);
        assert_eq!(k.enumerate(day).count(), 1440 * 4);
        assert!(!k.enumerate(Day(20_001)).any(|(x, _)| x == t));
    }
}
