//! The app PIN: set or remove it, unlock with it (each try after [`PIN_FREE_TRIES`] wrong ones
//! waits longer), lock again. Holds whether the app is unlocked; the facade asks it before every
//! action that shows or changes the user's data.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::{OsRng, RngCore};
use spur_protocol::usr::KdfCost;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::clock::Clock;
use crate::error::{Error, ErrorKind, Result};
use crate::retry::backoff;
use crate::store::Db;
use crate::texts::Msg;

/// Setting key of the app PIN's salt and hash.
const PIN_SETTING: &str = "app-pin";
/// Setting key of the wrong-PIN count and the time the next try may be made.
const PIN_FAILURES: &str = "app-pin-failures";
/// Wrong PINs allowed before each further try has to wait.
pub const PIN_FREE_TRIES: u32 = 5;

/// The app PIN and the lock state.
pub(crate) struct AppLock {
    db: Db,
    clock: Arc<dyn Clock>,
    cost: KdfCost,
    unlocked: AtomicBool,
}

fn check_pin_format(pin: &str) -> Result<()> {
    if (4..=12).contains(&pin.len()) && pin.bytes().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::input(Msg::new("pin-format")))
    }
}

fn pin_hash(pin: &str, salt: &[u8], cost: KdfCost) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(cost.memory_kib, cost.passes, cost.lanes, Some(32))
        .map_err(|_| Error::internal("PIN"))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(pin.as_bytes(), salt, out.as_mut())
        .map_err(|_| Error::internal("PIN"))?;
    Ok(out)
}

/// Hashes off the async threads (Argon2id takes a while by design).
async fn pin_hash_blocking(
    pin: Zeroizing<String>,
    salt: Vec<u8>,
    cost: KdfCost,
) -> Result<Zeroizing<[u8; 32]>> {
    crate::rt::blocking(move || pin_hash(&pin, &salt, cost))
        .await
        .map_err(|_| Error::internal("PIN"))?
}

impl AppLock {
    /// The lock of the store in `db`: locked when a PIN is set.
    pub(crate) fn new(db: Db, clock: Arc<dyn Clock>, cost: KdfCost) -> Result<Self> {
        let locked = db.lock()?.setting(PIN_SETTING)?.is_some();
        Ok(Self {
            db,
            clock,
            cost,
            unlocked: AtomicBool::new(!locked),
        })
    }

    /// Refuses when the app is locked with a PIN.
    pub(crate) fn ensure_unlocked(&self) -> Result<()> {
        if self.unlocked.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::Locked, Msg::new("error-locked")))
        }
    }

    /// True when the app is locked with a PIN.
    pub(crate) fn is_locked(&self) -> bool {
        self.ensure_unlocked().is_err()
    }

    /// Sets (`Some`) or removes (`None`) the PIN (the caller checked the app is unlocked).
    pub(crate) async fn set_pin(&self, pin: Option<String>) -> Result<()> {
        let value = match pin.map(Zeroizing::new) {
            Some(pin) => {
                check_pin_format(&pin)?;
                let mut salt = [0u8; 16];
                OsRng.fill_bytes(&mut salt);
                let hash = pin_hash_blocking(pin, salt.to_vec(), self.cost).await?;
                let mut v = salt.to_vec();
                v.extend_from_slice(hash.as_ref());
                Some(v)
            }
            None => None,
        };
        let store = self.db.lock()?;
        store.set_setting(PIN_SETTING, value.as_deref())?;
        store.set_setting(PIN_FAILURES, None)
    }

    /// Unlocks with the PIN. After [`PIN_FREE_TRIES`] wrong PINs each try waits longer.
    pub(crate) async fn unlock(&self, pin: String) -> Result<bool> {
        let pin = Zeroizing::new(pin);
        let (stored, failures) = {
            let store = self.db.lock()?;
            let failures = store
                .setting(PIN_FAILURES)?
                .and_then(|v| <[u8; 12]>::try_from(v).ok())
                .map(|b| {
                    let mut n = [0u8; 4];
                    n.copy_from_slice(&b[..4]);
                    let mut t = [0u8; 8];
                    t.copy_from_slice(&b[4..]);
                    (u32::from_be_bytes(n), u64::from_be_bytes(t))
                })
                .unwrap_or((0, 0));
            (store.setting(PIN_SETTING)?, failures)
        };
        let Some(stored) = stored else {
            self.unlocked.store(true, Ordering::SeqCst);
            return Ok(true);
        };
        let (count, wait_until) = failures;
        let now = self.clock.unix_seconds();
        if now < wait_until {
            return Err(Error::new(
                ErrorKind::Locked,
                Msg::new("pin-wait").num("seconds", (wait_until - now) as f64),
            ));
        }
        let (salt, hash) = stored.split_at(16.min(stored.len()));
        let got = pin_hash_blocking(pin, salt.to_vec(), self.cost).await?;
        let ok: bool = got.as_ref().ct_eq(hash).into();
        let store = self.db.lock()?;
        if ok {
            store.set_setting(PIN_FAILURES, None)?;
            self.unlocked.store(true, Ordering::SeqCst);
        } else {
            let count = count + 1;
            let wait = if count >= PIN_FREE_TRIES {
                backoff(count - PIN_FREE_TRIES)
            } else {
                0
            };
            let mut v = count.to_be_bytes().to_vec();
            v.extend_from_slice(&(now + wait).to_be_bytes());
            store.set_setting(PIN_FAILURES, Some(&v))?;
        }
        Ok(ok)
    }

    /// Locks the app again (when a PIN is set).
    pub(crate) fn lock(&self) -> Result<()> {
        let has_pin = self.db.lock()?.setting(PIN_SETTING)?.is_some();
        self.unlocked.store(!has_pin, Ordering::SeqCst);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::store::Store;
    use spur_protocol::usr::TEST_KDF;

    #[tokio::test]
    async fn a_pin_locks_and_wrong_pins_wait_after_the_free_tries() {
        let db = Db::new(Store::in_memory().unwrap());
        let clock = Arc::new(ManualClock::new(1_800_000_000));
        let lock = AppLock::new(db.clone(), clock.clone(), TEST_KDF).unwrap();
        assert!(!lock.is_locked(), "no PIN, no lock");
        assert_eq!(
            lock.set_pin(Some("12a4".into())).await.unwrap_err().msg.id,
            "pin-format"
        );
        lock.set_pin(Some("1234".into())).await.unwrap();
        lock.lock().unwrap();
        assert_eq!(lock.ensure_unlocked().unwrap_err().kind, ErrorKind::Locked);
        for _ in 0..PIN_FREE_TRIES {
            assert!(!lock.unlock("9999".into()).await.unwrap());
        }
        let waited = lock.unlock("1234".into()).await.unwrap_err();
        assert_eq!(waited.msg.id, "pin-wait", "the right PIN waits too");
        clock.advance(backoff(0));
        assert!(lock.unlock("1234".into()).await.unwrap());
        assert!(!lock.is_locked());
        let again = AppLock::new(db, clock, TEST_KDF).unwrap();
        assert!(
            again.is_locked(),
            "a restart over the same store starts locked"
        );
    }
}
