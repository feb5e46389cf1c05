//! Local data the user sees and controls: history, counters, the history switch, the app PIN,
//! and "delete all data".

use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::{OsRng, RngCore};
use spur_protocol::record::registration::build_delete;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::app::App;
use crate::checkin::HistoryItem;
use crate::crypt::Column;
use crate::error::{Error, ErrorKind, Result};
use crate::store::history::{self, CounterRow};
use crate::store::outbox;
use crate::texts::Msg;
use crate::transport::Transport;

/// Setting key of the app PIN's salt and hash.
pub(crate) const PIN_SETTING: &str = "app-pin";
const PIN_FAILURES: &str = "app-pin-failures";
const HISTORY_SETTING: &str = "history";
/// Wrong PINs allowed before each further try has to wait.
pub const PIN_FREE_TRIES: u32 = 5;
/// Route of registration deletes.
pub const ROUTE_DELETE: &str = spur_wire::api::routes::REGISTRATIONS_DELETE;

/// What "delete all data" did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deleted {
    /// Local data wiped; the server confirmed dropping the registration (or there was none).
    Everything,
    /// Local data wiped; the server's delete request is queued (offline) and sent by the next sync.
    ServerPending,
}

fn check_pin_format(pin: &str) -> Result<()> {
    if (4..=12).contains(&pin.len()) && pin.bytes().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::input(Msg::new("pin-format")))
    }
}

fn pin_hash(
    pin: &str,
    salt: &[u8],
    cost: spur_protocol::usr::KdfCost,
) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(cost.memory_kib, cost.passes, cost.lanes, Some(32))
        .map_err(|_| Error::internal("PIN"))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(pin.as_bytes(), salt, out.as_mut())
        .map_err(|_| Error::internal("PIN"))?;
    Ok(out)
}

impl<T: Transport> App<T> {
    /// True unless the user turned history off.
    pub fn history_enabled(&self) -> Result<bool> {
        Ok(self.store()?.setting(HISTORY_SETTING)?.as_deref() != Some(b"off"))
    }

    /// Turns history on or off; off deletes every history row and keeps only the counters.
    pub fn set_history_enabled(&self, on: bool) -> Result<()> {
        self.ensure_unlocked()?;
        let mut store = self.store()?;
        let tx = store.conn.transaction()?;
        if on {
            tx.execute("DELETE FROM settings WHERE key = ?1", [HISTORY_SETTING])?;
        } else {
            tx.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, x'6f6666')",
                [HISTORY_SETTING],
            )?;
            history::clear(&tx)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The last 28 days of check-ins, newest first.
    pub fn history(&self) -> Result<Vec<HistoryItem>> {
        self.ensure_unlocked()?;
        self.expire()?;
        let rows = history::all(&self.store()?.conn)?;
        rows.iter()
            .map(|r| self.key.open_json(Column::History, &r.sealed))
            .collect()
    }

    /// The counters of the concept: scans, contact minutes, last scan.
    pub fn counters(&self) -> Result<CounterRow> {
        self.ensure_unlocked()?;
        history::counters(&self.store()?.conn)
    }

    /// Sets (`Some`) or removes (`None`) the app PIN. Removing needs the app unlocked.
    pub async fn set_app_pin(&self, pin: Option<String>) -> Result<()> {
        self.ensure_unlocked()?;
        let value = match pin.map(Zeroizing::new) {
            Some(pin) => {
                check_pin_format(&pin)?;
                let mut salt = [0u8; 16];
                OsRng.fill_bytes(&mut salt);
                let cost = self.config.kdf.cost();
                let hash = tokio::task::spawn_blocking(move || pin_hash(&pin, &salt, cost))
                    .await
                    .map_err(|_| Error::internal("PIN"))??;
                let mut v = salt.to_vec();
                v.extend_from_slice(hash.as_ref());
                Some(v)
            }
            None => None,
        };
        let store = self.store()?;
        store.set_setting(PIN_SETTING, value.as_deref())?;
        store.set_setting(PIN_FAILURES, None)
    }

    /// True when the app is locked with a PIN.
    pub fn is_locked(&self) -> bool {
        self.ensure_unlocked().is_err()
    }

    /// Unlocks with the PIN. After [`PIN_FREE_TRIES`] wrong PINs each try waits longer.
    pub async fn unlock(&self, pin: String) -> Result<bool> {
        let pin = Zeroizing::new(pin);
        let (stored, failures) = {
            let store = self.store()?;
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
            self.unlocked
                .store(true, std::sync::atomic::Ordering::SeqCst);
            return Ok(true);
        };
        let (count, wait_until) = failures;
        let now = self.now();
        if now < wait_until {
            return Err(Error::new(
                ErrorKind::Locked,
                Msg::new("pin-wait").num("seconds", (wait_until - now) as f64),
            ));
        }
        let (salt, hash) = stored.split_at(16.min(stored.len()));
        let salt = salt.to_vec();
        let cost = self.config.kdf.cost();
        let got = tokio::task::spawn_blocking(move || pin_hash(&pin, &salt, cost))
            .await
            .map_err(|_| Error::internal("PIN"))??;
        let ok: bool = got.as_ref().ct_eq(hash).into();
        let store = self.store()?;
        if ok {
            store.set_setting(PIN_FAILURES, None)?;
            self.unlocked
                .store(true, std::sync::atomic::Ordering::SeqCst);
        } else {
            let count = count + 1;
            let wait = if count >= PIN_FREE_TRIES {
                crate::sync::backoff(count - PIN_FREE_TRIES)
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
    pub fn lock(&self) -> Result<()> {
        let has_pin = self.store()?.setting(PIN_SETTING)?.is_some();
        self.unlocked
            .store(!has_pin, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// Wipes everything on the device and asks the server to drop the registration. Offline,
    /// only the delete request itself stays queued until it is sent.
    pub async fn delete_all(&self) -> Result<Deleted> {
        self.ensure_unlocked()?;
        // Read first: a guard held by a `match` scrutinee would deadlock `account_secret`.
        let registered = self.store()?.account()?.is_some();
        let delete = if registered {
            Some(build_delete(
                &self.account_secret()?.1.registration_secret()?,
            ))
        } else {
            None
        };
        {
            let mut store = self.store()?;
            store.wipe()?;
            if let Some(body) = &delete {
                outbox::queue(&store.conn, ROUTE_DELETE, body, None, self.now())?;
            }
            let blob = self.key.seal(Column::Account, b"spur")?;
            store.set_setting("key-check", Some(&blob))?;
        }
        if delete.is_none() {
            return Ok(Deleted::Everything);
        }
        let report = self.send_due().await?;
        Ok(if report.pending == 0 {
            Deleted::Everything
        } else {
            Deleted::ServerPending
        })
    }
}
