//! The app core as plain Rust: [`App`] composes the parts and is the one object the FFI layer,
//! the CLI and the tests call. Each flow is its own part with its own state (see lib.rs for the
//! order they depend on each other in); `App` checks the app lock, calls the part, and runs the
//! sync that follows an action. It holds no logic of its own beyond that sequencing.

use std::sync::{Arc, MutexGuard};

use crate::checkin::CheckIns;
use crate::clock::Clock;
use crate::codes::{Codes, OwnCode, PlaceForm};
use crate::config::Config;
use crate::consent::{Consent, ConsentRequest};
use crate::crypt::{Column, LocalKey, KEY_CHECK_SETTING};
use crate::directory::Directories;
use crate::error::Result;
use crate::ground::Ground;
use crate::local::{Deleted, History};
use crate::lock::AppLock;
use crate::pdf::CardText;
use crate::register::{Registration, RegistrationForm};
use crate::stay::{CheckIn, HistoryItem, Running, Scanned, Stay};
use crate::store::history::CounterRow;
use crate::store::{Db, Durability, Store};
use crate::sync::{Outbox, SyncReport};
use crate::texts::{Lang, Msg, Texts};
use crate::transport::Transport;
use crate::words::Words;

/// The app core.
pub struct App<T: Transport> {
    /// The store, key, transport, clock and configuration the flows share.
    ground: Ground<T>,
    lock: AppLock,
    /// The message bundles (the FFI layer builds the shells' captions from them).
    pub(crate) texts: Arc<Texts>,
    words: Words,
    history: Arc<History>,
    registration: Arc<Registration<T>>,
    checkins: Arc<CheckIns<T>>,
    codes: Arc<Codes<T>>,
    outbox: Outbox<T>,
    consent: Consent<T>,
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
        let db = Db::new(store);
        let key = Arc::new(LocalKey::from_platform(platform_key)?);
        let config = Arc::new(config);
        let lock = AppLock::new(db.clone(), clock.clone(), config.kdf.cost())?;
        check_local_key(&db, &key)?;
        let ground = Ground {
            db,
            key,
            net: Arc::new(net),
            clock,
            config,
        };
        let directories = Arc::new(Directories::new(
            ground.net.clone(),
            ground.db.clone(),
            ground.clock.clone(),
            ground.config.directory_root,
        ));
        let history = Arc::new(History::new(
            ground.db.clone(),
            ground.key.clone(),
            ground.clock.clone(),
        ));
        let registration = Arc::new(Registration::new(ground.clone(), directories.clone()));
        let checkins = Arc::new(CheckIns::new(
            ground.clone(),
            history.clone(),
            directories.clone(),
        ));
        let codes = Arc::new(Codes::new(
            ground.clone(),
            directories.clone(),
            registration.clone(),
        ));
        let outbox = Outbox::new(
            ground.clone(),
            directories.clone(),
            registration.clone(),
            checkins.clone(),
            history.clone(),
        );
        let consent = Consent::new(
            ground.clone(),
            directories,
            registration.clone(),
            codes.clone(),
        );
        let texts = Arc::new(Texts::new());
        Ok(Self {
            ground,
            lock,
            words: Words::new(texts.clone()),
            texts,
            history,
            registration,
            checkins,
            codes,
            outbox,
            consent,
        })
    }

    /// The store, locked for one synchronous step (never held across an await).
    pub(crate) fn store(&self) -> Result<MutexGuard<'_, Store>> {
        self.ground.db.lock()
    }

    /// Sets how far commits are durable from now on (see [`Durability`]).
    pub fn set_durability(&self, d: Durability) -> Result<()> {
        self.ground.db.lock()?.set_durability(d)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.ground.config
    }

    /// Now, in Unix seconds.
    pub(crate) fn now(&self) -> u64 {
        self.ground.clock.unix_seconds()
    }

    /// Now, as a protocol minute (what check-in times are counted in).
    pub fn now_minute(&self) -> u32 {
        self.ground.clock.minute().0
    }

    // ---- Words ----

    /// The language of messages.
    pub fn lang(&self) -> Lang {
        self.words.lang()
    }

    /// Sets the language of messages.
    pub fn set_lang(&self, lang: Lang) {
        self.words.set_lang(lang);
    }

    /// Sets the device's offset from UTC (minutes east) for the times in messages; `None`
    /// writes times in UTC and says so.
    pub fn set_utc_offset_minutes(&self, offset: Option<i32>) {
        self.words.set_utc_offset_minutes(offset);
    }

    /// A minute as the time of day to show in a message: `HH:MM` in the device's time, or
    /// `HH:MM UTC` when no offset was set.
    pub fn time_text(&self, minute: u32) -> String {
        self.words.time_text(minute)
    }

    /// A message in the current language.
    pub fn say(&self, msg: &Msg) -> String {
        self.words.say(msg)
    }

    /// What a check-in did, in whole sentences: where and until when, whether it merged into a
    /// running stay, which check-in it ended, and whether the servers were reached or it was kept
    /// offline for later.
    pub fn check_in_words(&self, c: &CheckIn) -> String {
        self.words.check_in_words(c)
    }

    /// What ending a check-in did, in whole sentences: where, at what time, and whether it was
    /// sent or is kept for later.
    pub fn check_out_words(&self, c: &CheckIn) -> String {
        self.words.check_out_words(c)
    }

    /// The reminder of an open check-in, in whole sentences.
    pub fn reminder_words(&self, r: &Running) -> String {
        self.words.reminder_words(r)
    }

    /// The consent text to show above the credentials.
    pub fn consent_text(&self, r: &ConsentRequest) -> Msg {
        Words::consent_text(r)
    }

    /// The words printed on a code's card: the place name and how to check in, or for a
    /// personal card what it is for (and that it needs the PIN).
    pub fn card_text(&self, url: &str) -> Result<CardText> {
        self.words.card_text(url)
    }

    // ---- Registration ----

    /// True when this device holds a registration.
    pub fn is_registered(&self) -> Result<bool> {
        self.registration.is_registered()
    }

    /// The registration id (reference) of this device's account, when registered.
    pub fn registration_id(&self) -> Result<Option<[u8; 16]>> {
        Ok(self.ground.db.lock()?.account()?.map(|a| a.registration_id))
    }

    /// Registers, or logs in again with the same phone number and secret on a new device (the
    /// same credentials give the same key, so the server's record is replaced, not doubled).
    /// The upload is queued first and then tried; offline it is sent by a later sync. True when
    /// it was sent.
    pub async fn register(&self, form: RegistrationForm) -> Result<bool> {
        self.lock.ensure_unlocked()?;
        self.registration
            .register(form, crate::register::Admission::New)
            .await?;
        Ok(self.outbox.send_due().await?.failed_offline == 0)
    }

    /// Logs in again with an existing registration: refused with
    /// [`crate::ErrorKind::WrongCredentials`] when the server knows no registration for these
    /// credentials (a mistyped secret, or never registered), and with
    /// [`crate::ErrorKind::Offline`] when it cannot be asked. Nothing is kept in either case.
    /// Otherwise as [`App::register`] (true when the upload was sent).
    pub async fn login(&self, form: RegistrationForm) -> Result<bool> {
        self.lock.ensure_unlocked()?;
        self.registration.check_login(&form).await?;
        self.registration
            .register(form, crate::register::Admission::Existing)
            .await?;
        Ok(self.outbox.send_due().await?.failed_offline == 0)
    }

    // ---- Codes ----

    /// Makes a place code and uploads its sealed record. Needs the network (for the QR id).
    pub async fn create_place_code(&self, form: PlaceForm) -> Result<OwnCode> {
        self.lock.ensure_unlocked()?;
        let code = self.codes.create_place_code(form).await?;
        let _ = self.outbox.send_due().await;
        Ok(code)
    }

    /// Makes a personal code for this user. With a PIN (4–12 digits) the code carries only a seed
    /// and its TAG key needs the PIN, so a photo of a printed card is useless on its own.
    pub async fn create_personal_code(
        &self,
        pin: Option<String>,
        printable: bool,
    ) -> Result<OwnCode> {
        self.lock.ensure_unlocked()?;
        let code = self.codes.create_personal_code(pin, printable).await?;
        let _ = self.outbox.send_due().await;
        Ok(code)
    }

    /// The codes this device made, newest first.
    pub fn own_codes(&self) -> Result<Vec<OwnCode>> {
        self.lock.ensure_unlocked()?;
        self.codes.own_codes()
    }

    // ---- Check-in ----

    /// What a scanned text is (shown before the user chooses a duration).
    pub fn preview(&self, text: &str) -> Result<Scanned> {
        self.checkins.preview(text)
    }

    /// Checks in at the scanned code for `stay` ([`App::accept_check_in`]), then runs a sync
    /// (offline is not an error: the check-in stays kept). Nothing of this check-in is sent now:
    /// its records are built when the stay is over or ended early.
    pub async fn check_in(&self, text: &str, stay: Stay, pin: Option<String>) -> Result<CheckIn> {
        let item = self.accept_check_in(text, stay, pin).await?;
        let _ = self.sync().await;
        Ok(item)
    }

    /// Accepts a check-in and stores it, without sending. With the network there, the TMP keys
    /// of its planned stay are fetched first, so one transaction keeps the check-in with its
    /// keys, its history row and counters (or merges it into the running stay of the same code,
    /// or ends the open check-in it replaces). Offline, or when the keys do not come within
    /// [`crate::KEYS_WAIT`], the scan is kept alone and [`App::sync`] completes it within the
    /// TAG server's window. A kill before the commit leaves nothing (the check-in was not
    /// accepted yet and nothing was sent); after it, everything needed to build and send it is
    /// stored.
    pub async fn accept_check_in(
        &self,
        text: &str,
        stay: Stay,
        pin: Option<String>,
    ) -> Result<CheckIn> {
        self.lock.ensure_unlocked()?;
        self.checkins.accept(text, stay, pin).await
    }

    /// Ends the running check-in `id` now (check-out, or a fixed stay ended early), without
    /// sending: one transaction. `None` when it is not going on (any more).
    pub fn end_stay(&self, id: i64) -> Result<Option<CheckIn>> {
        self.lock.ensure_unlocked()?;
        self.checkins.end_stay(id)
    }

    /// Ends the running check-in `id` now ([`App::end_stay`]) and sends it when the network is
    /// there ([`CheckIn::sent`] says whether it was).
    pub async fn end_check_in(&self, id: i64) -> Result<Option<CheckIn>> {
        let Some(mut c) = self.end_stay(id)? else {
            return Ok(None);
        };
        let _ = self.sync().await;
        c.sent = self.checkins.sent(id)?;
        Ok(Some(c))
    }

    /// Ends the open check-in now; `None` if there is none.
    pub async fn check_out(&self) -> Result<Option<CheckIn>> {
        self.lock.ensure_unlocked()?;
        match self.checkins.open_id()? {
            Some(id) => self.end_check_in(id).await,
            None => Ok(None),
        }
    }

    /// Moves the planned end of the running check-in `id` to `minutes` from now (or from its
    /// planned end, when that is later): the "stay longer" answer to the reminder. At most
    /// [`crate::MAX_OPEN_MINUTES`] after the check-in; the keys of the added time are fetched now
    /// when the network is there (else by a later sync).
    pub async fn extend_check_in(&self, id: i64, minutes: u32) -> Result<Running> {
        self.lock.ensure_unlocked()?;
        self.checkins.extend(id, minutes).await
    }

    /// Check-ins still going on, oldest first (ending first those whose planned end passed).
    pub fn running_check_ins(&self) -> Result<Vec<Running>> {
        self.lock.ensure_unlocked()?;
        self.checkins.running()
    }

    /// Open check-ins whose reminder is due now: the shells show "still there?" with check-out
    /// and "stay longer".
    pub fn reminders_due(&self) -> Result<Vec<Running>> {
        self.lock.ensure_unlocked()?;
        self.checkins.reminders_due()
    }

    /// The open check-in, if any.
    pub fn open_check_in(&self) -> Result<Option<Running>> {
        self.lock.ensure_unlocked()?;
        self.checkins.open()
    }

    // ---- Sync ----

    /// Expires old data, refreshes the registration when due, completes check-ins and sends
    /// what is due. Offline is not an error here: the report says what is left. Runs while the
    /// app is locked too (it shows nothing).
    pub async fn sync(&self) -> Result<SyncReport> {
        self.outbox.sync().await
    }

    /// How many kept check-ins wait for their card's PIN to be checked online.
    pub fn pins_unchecked(&self) -> Result<u32> {
        self.lock.ensure_unlocked()?;
        self.outbox.pins_unchecked()
    }

    /// True when the check-in `id` waits for its PIN to be checked online.
    pub fn pin_unchecked(&self, id: i64) -> Result<bool> {
        self.lock.ensure_unlocked()?;
        self.outbox.pin_unchecked(id)
    }

    // ---- Consent ----

    /// Verifies a scanned consent code and says who asks for what. Refusals are
    /// [`crate::ErrorKind::ConsentRefused`] with a message naming the reason.
    pub async fn consent_request(&self, text: &str) -> Result<ConsentRequest> {
        self.lock.ensure_unlocked()?;
        self.consent.request(text).await
    }

    /// Releases exactly the days the code asks for, after the user entered phone number and
    /// secret again (they must give this device's key) and the code's person check matches that
    /// phone number (a code made for another person is refused). Returns true when the server
    /// has it.
    pub async fn give_consent(&self, text: &str, phone: &str, secret: String) -> Result<bool> {
        self.lock.ensure_unlocked()?;
        self.consent.give(text, phone, secret).await?;
        Ok(self.outbox.send_due().await?.failed_offline == 0)
    }

    // ---- Local data ----

    /// True unless the user turned history off.
    pub fn history_enabled(&self) -> Result<bool> {
        self.history.enabled()
    }

    /// Turns history on or off; off deletes every history row and keeps only the counters.
    pub fn set_history_enabled(&self, on: bool) -> Result<()> {
        self.lock.ensure_unlocked()?;
        self.history.set_enabled(on)
    }

    /// The last 28 days of check-ins, newest first.
    pub fn history(&self) -> Result<Vec<HistoryItem>> {
        self.lock.ensure_unlocked()?;
        self.history.items()
    }

    /// The counters of the concept: scans, contact minutes, last scan.
    pub fn counters(&self) -> Result<CounterRow> {
        self.lock.ensure_unlocked()?;
        self.history.counters()
    }

    /// Wipes everything on the device and asks the server to drop the registration. Offline,
    /// only the delete request itself stays queued until it is sent.
    pub async fn delete_all(&self) -> Result<Deleted> {
        self.lock.ensure_unlocked()?;
        if !self.registration.wipe_all()? {
            return Ok(Deleted::Everything);
        }
        let report = self.outbox.send_due().await?;
        Ok(if report.pending == 0 {
            Deleted::Everything
        } else {
            Deleted::ServerPending
        })
    }

    // ---- App PIN ----

    /// Sets (`Some`) or removes (`None`) the app PIN. Removing needs the app unlocked.
    pub async fn set_app_pin(&self, pin: Option<String>) -> Result<()> {
        self.lock.ensure_unlocked()?;
        self.lock.set_pin(pin).await
    }

    /// True when the app is locked with a PIN.
    pub fn is_locked(&self) -> bool {
        self.lock.is_locked()
    }

    /// Unlocks with the PIN. After [`crate::PIN_FREE_TRIES`] wrong PINs each try waits longer.
    pub async fn unlock(&self, pin: String) -> Result<bool> {
        self.lock.unlock(pin).await
    }

    /// Locks the app again (when a PIN is set).
    pub fn lock(&self) -> Result<()> {
        self.lock.lock()
    }
}

/// Refuses to run with a platform key that does not open this database's rows (the key was
/// lost or another app's key was passed): better a clear error than silently empty data.
fn check_local_key(db: &Db, key: &LocalKey) -> Result<()> {
    let store = db.lock()?;
    match store.setting(KEY_CHECK_SETTING)? {
        Some(blob) => key.open(Column::Account, &blob).map(|_| ()),
        None => {
            let blob = key.seal(Column::Account, b"spur")?;
            store.set_setting(KEY_CHECK_SETTING, Some(&blob))
        }
    }
}
