//! The app core as plain Rust: one [`App`] holding the store, the local key, the transport, the
//! clock and the language. The flows live in their own files as `impl App` blocks
//! (`register.rs`, `checkin.rs`, `sync.rs`, `consent.rs`, `codes.rs`, `local.rs`); the UniFFI
//! facade in `ffi/` only delegates here.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use spur_protocol::directory::Directory;

use crate::clock::Clock;
use crate::config::Config;
use crate::crypt::LocalKey;
use crate::error::{Error, ErrorKind, Result};
use crate::store::Store;
use crate::texts::{Lang, Msg, Texts};
use crate::transport::Transport;

/// How long a fetched directory is used before it is fetched again.
const DIRECTORY_MAX_AGE: u64 = 3600;

/// The app core.
pub struct App<T: Transport> {
    pub(crate) store: Mutex<Store>,
    pub(crate) key: LocalKey,
    pub(crate) net: T,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) config: Config,
    pub(crate) texts: Texts,
    lang: RwLock<Lang>,
    pub(crate) unlocked: AtomicBool,
    directory: Mutex<Option<(u64, Directory)>>,
    /// When expiry last ran (it needs to run at most hourly).
    pub(crate) last_expiry: AtomicU64,
    /// The device's offset from UTC in minutes, for times in messages; `None` says "UTC".
    utc_offset: RwLock<Option<i32>>,
}

impl<T: Transport> App<T> {
    /// An app over an opened store. `platform_key` is the key the platform keeps for this app.
    pub fn new(
        store: Store,
        platform_key: &[u8],
        net: T,
        clock: Arc<dyn Clock>,
        config: Config,
    ) -> Result<Self> {
        let app = Self {
            store: Mutex::new(store),
            key: LocalKey::from_platform(platform_key)?,
            net,
            clock,
            config,
            texts: Texts::new(),
            lang: RwLock::new(Lang::En),
            unlocked: AtomicBool::new(false),
            directory: Mutex::new(None),
            last_expiry: AtomicU64::new(0),
            utc_offset: RwLock::new(None),
        };
        let locked = app.store()?.setting(crate::local::PIN_SETTING)?.is_some();
        app.unlocked.store(!locked, Ordering::SeqCst);
        app.check_local_key()?;
        Ok(app)
    }

    /// The store, locked for one synchronous step (never held across an await).
    pub fn store(&self) -> Result<MutexGuard<'_, Store>> {
        self.store.lock().map_err(|_| Error::internal("store lock"))
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Now, in Unix seconds.
    pub(crate) fn now(&self) -> u64 {
        self.clock.unix_seconds()
    }

    /// Now, as a protocol minute (what check-in times are counted in).
    pub fn now_minute(&self) -> u32 {
        self.clock.minute().0
    }

    /// The language of messages.
    pub fn lang(&self) -> Lang {
        self.lang.read().map(|l| *l).unwrap_or(Lang::En)
    }

    /// Sets the language of messages.
    pub fn set_lang(&self, lang: Lang) {
        if let Ok(mut l) = self.lang.write() {
            *l = lang;
        }
    }

    /// Sets the device's offset from UTC (minutes east) for the times in messages; `None`
    /// writes times in UTC and says so.
    pub fn set_utc_offset_minutes(&self, offset: Option<i32>) {
        if let Ok(mut o) = self.utc_offset.write() {
            *o = offset.map(|m| m.clamp(-14 * 60, 14 * 60));
        }
    }

    /// A minute as the time of day to show in a message: `HH:MM` in the device's time, or
    /// `HH:MM UTC` when no offset was set.
    pub fn time_text(&self, minute: u32) -> String {
        let offset = self.utc_offset.read().ok().and_then(|o| *o);
        let hhmm = spur_protocol::time::Minute(minute).clock_text(offset.unwrap_or(0));
        match offset {
            Some(_) => hhmm,
            None => format!("{hhmm} UTC"),
        }
    }

    /// A message in the current language.
    pub fn say(&self, msg: &Msg) -> String {
        self.texts.format(self.lang(), msg)
    }

    /// Refuses when the app is locked with a PIN.
    pub(crate) fn ensure_unlocked(&self) -> Result<()> {
        if self.unlocked.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::Locked, Msg::new("error-locked")))
        }
    }

    /// Refuses to run with a platform key that does not open this database's rows (the key was
    /// lost or another app's key was passed): better a clear error than silently empty data.
    fn check_local_key(&self) -> Result<()> {
        let store = self.store()?;
        match store.setting("key-check")? {
            Some(blob) => self
                .key
                .open(crate::crypt::Column::Account, &blob)
                .map(|_| ()),
            None => {
                let blob = self.key.seal(crate::crypt::Column::Account, b"spur")?;
                store.set_setting("key-check", Some(&blob))
            }
        }
    }

    /// The authority directory: fetched from the TAG server and verified against the pinned root
    /// key, cached in memory and in the store; the stored copy is used (verified again) offline.
    pub(crate) async fn directory(&self) -> Result<Directory> {
        let now = self.now();
        if let Ok(cached) = self.directory.lock() {
            if let Some((at, d)) = cached.as_ref() {
                if now.saturating_sub(*at) < DIRECTORY_MAX_AGE {
                    return Ok(d.clone());
                }
            }
        }
        let fetched = match self.net.directory().await {
            Ok(bytes) => {
                let dir = Directory::verify(&bytes, &self.config.directory_root)
                    .map_err(|_| Error::new(ErrorKind::Server, Msg::new("error-directory-bad")))?;
                self.store()?.set_setting("directory", Some(&bytes))?;
                dir
            }
            Err(e) => {
                let stored = self.store()?.setting("directory")?;
                match stored {
                    Some(bytes) => {
                        Directory::verify(&bytes, &self.config.directory_root).map_err(|_| {
                            Error::new(ErrorKind::Storage, Msg::new("error-directory-bad"))
                        })?
                    }
                    None => return Err(e.into()),
                }
            }
        };
        if let Ok(mut cached) = self.directory.lock() {
            *cached = Some((now, fetched.clone()));
        }
        Ok(fetched)
    }
}
