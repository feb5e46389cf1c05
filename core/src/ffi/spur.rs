//! [`Spur`], the one entry object of the facade: every method converts, delegates to
//! [`App`], and translates errors into [`SpurError`] in the user's language.

use std::sync::Arc;

use spur_protocol::usr::SecretStrength;
use zeroize::Zeroizing;

use super::types::*;
use super::{KeyProvider, SpurError};
use crate::app::App;
use crate::clock::SystemClock;
use crate::config::{Config, KdfChoice};
use crate::error::Error;
use crate::http::HttpTransport;
use crate::store::Store;
use crate::texts::{Lang, Msg, Texts};

/// The citizen app core. Make one per process and keep it; every method is safe to call from
/// any thread. Methods that talk to the servers are `suspend`/`async`.
#[derive(uniffi::Object)]
pub struct Spur {
    pub(super) app: App<HttpTransport>,
}

type R<T> = Result<T, SpurError>;

impl Spur {
    pub(super) fn err(&self, e: Error) -> SpurError {
        SpurError::from_core(e, |m| self.app.say(m))
    }

    fn ended(&self, c: crate::checkin::CheckIn) -> CheckOutResult {
        CheckOutResult {
            message: self.app.check_out_words(&c),
            sent: c.sent,
            entry: entry(c.item, &self.words("personal-code")),
        }
    }

    fn running(&self, r: crate::checkin::Running) -> RunningCheckIn {
        let now = self.app.now() / 60;
        RunningCheckIn {
            id: r.id,
            reminder: if r.open {
                self.app.reminder_words(&r)
            } else {
                String::new()
            },
            reminder_due: r.reminder_at.is_some_and(|t| u64::from(t) <= now),
            reminder_at: r.reminder_at.map(|t| u64::from(t) * 60),
            planned_out: u64::from(r.planned_out) * 60,
            open: r.open,
            entry: entry(r.item, &self.words("personal-code")),
        }
    }

    fn words(&self, id: &'static str) -> String {
        self.app.say(&Msg::new(id))
    }

    fn status(&self, r: crate::sync::SyncReport) -> SyncStatus {
        let mut parts = Vec::new();
        if r.pending > 0 {
            parts.push(
                self.app
                    .say(&Msg::new("sync-pending").num("count", r.pending)),
            );
        }
        if r.lost > 0 {
            parts.push(self.app.say(&Msg::new("sync-lost").num("count", r.lost)));
        }
        for (id, n) in [
            ("sync-not-issued", r.not_issued),
            ("sync-wrong-pin", r.wrong_pin),
        ] {
            if n > 0 {
                parts.push(self.app.say(&Msg::new(id).num("count", n)));
            }
        }
        SyncStatus {
            sent: r.sent,
            waiting: r.waiting,
            pending: r.pending,
            refused: r.refused,
            lost: r.lost,
            message: parts.join(" "),
        }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Spur {
    /// Opens (or creates) the app's data in `config.data_dir`, with the key from `keys`.
    #[uniffi::constructor]
    pub fn new(config: SpurConfig, keys: Arc<dyn KeyProvider>) -> R<Arc<Self>> {
        let lang = Lang::from_tag(&config.locale);
        let fail = |e: Error| SpurError::from_core(e, |m| Texts::new().format(lang, m));
        let kdf = if config.test_kdf {
            KdfChoice::Test
        } else {
            KdfChoice::Standard
        };
        let cfg = Config::parse(
            &config.host,
            &config.tag_url,
            &config.post_url,
            &config.op_public_key,
            &config.directory_root_key,
            kdf,
        )
        .map_err(fail)?;
        std::fs::create_dir_all(&config.data_dir).map_err(|_| fail(Error::storage()))?;
        let store =
            Store::open(&std::path::Path::new(&config.data_dir).join("spur.db")).map_err(fail)?;
        let net = HttpTransport::new(&cfg.tag_url, &cfg.post_url).map_err(fail)?;
        let key = Zeroizing::new(keys.local_data_key());
        let app = App::new(store, &key, net, Arc::new(SystemClock), cfg).map_err(fail)?;
        app.set_lang(lang);
        Ok(Arc::new(Self { app }))
    }

    /// Changes the language of messages (`de`, `en`, …).
    pub fn set_locale(&self, locale: String) {
        self.app.set_lang(Lang::from_tag(&locale));
    }

    /// How strong a secret is, in plain words (call while the user types).
    pub fn secret_strength(&self, secret: String) -> SecretStrengthInfo {
        let secret = Zeroizing::new(secret);
        let (s, msg) = crate::register::secret_strength(&secret);
        let level = match s {
            SecretStrength::TooShort => SecretLevel::TooShort,
            SecretStrength::Weak => SecretLevel::Weak,
            SecretStrength::Fair => SecretLevel::Fair,
            SecretStrength::Strong => SecretLevel::Strong,
        };
        SecretStrengthInfo {
            level,
            words: self.app.say(&msg),
        }
    }

    /// Checks a phone number; returns it in E.164 form or says what to fix.
    pub fn check_phone(&self, phone: String) -> R<String> {
        crate::register::check_phone(&phone)
            .map(|p| p.as_str().to_owned())
            .map_err(|e| self.err(e))
    }

    /// True when this device holds a registration.
    pub fn is_registered(&self) -> R<bool> {
        self.app
            .store()
            .and_then(|s| s.account())
            .map(|a| a.is_some())
            .map_err(|e| self.err(e))
    }

    /// Registers, or logs in again on a new device with the same phone number and secret.
    /// Returns true when the server has the registration, false when it is queued (offline).
    pub async fn register(&self, form: RegistrationForm) -> R<bool> {
        let form = crate::register::RegistrationForm {
            phone: form.phone,
            secret: Zeroizing::new(form.secret),
            country: form.country,
            postcode: form.postcode,
            campus_id: form.campus_id,
            birth_year: form.birth_year,
        };
        self.app.register(form).await.map_err(|e| self.err(e))
    }

    /// What a scanned text is (a place, a person's code, a consent code), before acting on it.
    pub fn scan(&self, text: String) -> R<ScannedCode> {
        use crate::checkin::Scanned;
        Ok(match self.app.preview(&text).map_err(|e| self.err(e))? {
            Scanned::Place {
                name,
                country,
                postcode,
            } => ScannedCode::Place {
                name,
                country,
                postcode,
            },
            Scanned::Personal { pin_protected } => ScannedCode::Personal { pin_protected },
            Scanned::Consent => ScannedCode::Consent,
        })
    }

    /// The stays to offer after a scan, with their labels.
    pub fn stay_options(&self) -> Vec<StayOption> {
        crate::checkin::Stay::choices()
            .into_iter()
            .map(|s| StayOption {
                stay: s.into(),
                label: self.app.say(&s.label()),
            })
            .collect()
    }

    /// Sets the device's offset from UTC (minutes east, e.g. 60 for CET) for the times in
    /// messages; `None` writes them in UTC and says so.
    pub fn set_utc_offset_minutes(&self, offset: Option<i32>) {
        self.app.set_utc_offset_minutes(offset);
    }

    /// Checks in at a scanned place or personal code. Kept at once; its records are sent when
    /// the stay ends. The result says what it did (a merge into the running stay of the same
    /// code, the open check-in it ended, online or kept offline).
    pub async fn check_in(
        &self,
        text: String,
        stay: StayChoice,
        pin: Option<String>,
    ) -> R<CheckInResult> {
        let c = self
            .app
            .check_in(&text, stay.into(), pin)
            .await
            .map_err(|e| self.err(e))?;
        let personal = self.words("personal-code");
        Ok(CheckInResult {
            id: c.id,
            message: self.app.check_in_words(&c),
            entry: entry(c.item, &personal),
            open: c.open,
            planned_out: u64::from(c.planned_out) * 60,
            merged: c.merged,
            online: c.online,
            ended: c.ended.map(|e| entry(e, &personal)),
        })
    }

    /// Ends the open check-in now; `None` when there is none.
    pub async fn check_out(&self) -> R<Option<CheckOutResult>> {
        let c = self.app.check_out().await.map_err(|e| self.err(e))?;
        Ok(c.map(|c| self.ended(c)))
    }

    /// Ends the check-in `id` now: check-out of an open one, or a fixed stay ended early. Its
    /// records are built with this end. `None` when it is not going on any more.
    pub async fn end_check_in(&self, id: i64) -> R<Option<CheckOutResult>> {
        let c = self.app.end_check_in(id).await.map_err(|e| self.err(e))?;
        Ok(c.map(|c| self.ended(c)))
    }

    /// Moves the planned end of the check-in `id` to `minutes` later (from now, or from its
    /// planned end when that is later): the reminder's "stay longer". At most 24 hours after the
    /// check-in.
    pub async fn extend_check_in(&self, id: i64, minutes: u32) -> R<RunningCheckIn> {
        let r = self
            .app
            .extend_check_in(id, minutes)
            .await
            .map_err(|e| self.err(e))?;
        Ok(self.running(r))
    }

    /// The check-ins still going on (open ones and fixed stays not over), oldest first.
    pub fn running_check_ins(&self) -> R<Vec<RunningCheckIn>> {
        let v = self.app.running_check_ins().map_err(|e| self.err(e))?;
        Ok(v.into_iter().map(|r| self.running(r)).collect())
    }

    /// The open check-in, if any.
    pub fn open_check_in(&self) -> R<Option<RunningCheckIn>> {
        let c = self.app.open_check_in().map_err(|e| self.err(e))?;
        Ok(c.map(|r| self.running(r)))
    }

    /// "PIN not checked yet …" when a kept check-in at a PIN card waits for its PIN to be checked
    /// online (show it after `check_in`); `None` otherwise. A wrong PIN is then told by `sync`.
    pub fn pin_not_checked_note(&self) -> R<Option<String>> {
        let n = self.app.pins_unchecked().map_err(|e| self.err(e))?;
        Ok((n > 0).then(|| self.app.say(&Msg::new("check-in-pin-unchecked"))))
    }

    /// Completes waiting check-ins and sends the outbox. Call on start, on network return and
    /// periodically; offline is reported in the status, not as an error.
    pub async fn sync(&self) -> R<SyncStatus> {
        let r = self.app.sync().await.map_err(|e| self.err(e))?;
        Ok(self.status(r))
    }

    /// The check-ins of the last 28 days, newest first (empty with history off).
    pub fn history(&self) -> R<Vec<HistoryEntry>> {
        let words = self.words("personal-code");
        let items = self.app.history().map_err(|e| self.err(e))?;
        Ok(items.into_iter().map(|i| entry(i, &words)).collect())
    }

    /// The counters: scans, contact hours, last scan.
    pub fn counters(&self) -> R<Counters> {
        let c = self.app.counters().map_err(|e| self.err(e))?;
        Ok(Counters {
            scans: c.scans,
            contact_hours: c.contact_minutes as f64 / 60.0,
            last_scan: c.last_scan.map(|m| u64::from(m) * 60),
        })
    }

    /// True unless history is turned off.
    pub fn history_enabled(&self) -> R<bool> {
        self.app.history_enabled().map_err(|e| self.err(e))
    }

    /// Turns history on or off; off deletes the history and keeps only the counters.
    pub fn set_history_enabled(&self, enabled: bool) -> R<()> {
        self.app
            .set_history_enabled(enabled)
            .map_err(|e| self.err(e))
    }

    /// The place types to offer, with their labels.
    pub fn place_types(&self) -> Vec<PlaceTypeOption> {
        // The protocol's list is the one order; the shells get it in their own type.
        spur_protocol::fields::PlaceKind::ALL
            .into_iter()
            .map(PlaceType::from_kind)
            .map(|k| PlaceTypeOption {
                kind: k,
                label: self.app.say(&Msg::new(kind_label(k))),
            })
            .collect()
    }

    /// Makes a place code (needs the network) and uploads its sealed record.
    pub async fn create_place_code(&self, form: PlaceForm) -> R<OwnCodeInfo> {
        let f = crate::codes::PlaceForm {
            responsible_phone: form.responsible_phone,
            country: form.country,
            postcode: form.postcode,
            name: form.name,
            kind: form.kind.kind(),
            description: form.description,
        };
        self.app
            .create_place_code(f)
            .await
            .map(own)
            .map_err(|e| self.err(e))
    }

    /// Makes a personal code, temporary or for printing, optionally protected by a PIN.
    pub async fn create_personal_code(
        &self,
        pin: Option<String>,
        printable: bool,
    ) -> R<OwnCodeInfo> {
        self.app
            .create_personal_code(pin, printable)
            .await
            .map(own)
            .map_err(|e| self.err(e))
    }

    /// The codes this device made, newest first.
    pub fn own_codes(&self) -> R<Vec<OwnCodeInfo>> {
        self.app
            .own_codes()
            .map(|v| v.into_iter().map(own).collect())
            .map_err(|e| self.err(e))
    }

    /// Verifies a scanned consent code and says who asks for which days.
    pub async fn consent_info(&self, text: String) -> R<ConsentInfo> {
        let r = self
            .app
            .consent_request(&text)
            .await
            .map_err(|e| self.err(e))?;
        let day = |d: Option<&spur_protocol::time::Day>| {
            d.map(|d| crate::consent::day_text(*d)).unwrap_or_default()
        };
        Ok(ConsentInfo {
            authority: r.authority.clone(),
            case_id: r.case_id.clone(),
            first_day: day(r.days.first()),
            last_day: day(r.days.last()),
            day_count: u32::try_from(r.days.len()).unwrap_or(0),
            text: self.app.say(&self.app.consent_text(&r)),
        })
    }

    /// Releases exactly the days the consent code asks for, after the user entered phone number
    /// and secret. Returns the thank-you sentence.
    pub async fn give_consent(&self, text: String, phone: String, secret: String) -> R<String> {
        let info = self
            .app
            .consent_request(&text)
            .await
            .map_err(|e| self.err(e))?;
        self.app
            .give_consent(&text, &phone, secret)
            .await
            .map_err(|e| self.err(e))?;
        Ok(self
            .app
            .say(&Msg::new("consent-given").text("authority", info.authority)))
    }

    /// Sets (or with `None` removes) the app PIN (4 to 12 digits).
    pub async fn set_app_pin(&self, pin: Option<String>) -> R<()> {
        self.app.set_app_pin(pin).await.map_err(|e| self.err(e))
    }

    /// Unlocks the app; false when the PIN is wrong.
    pub async fn unlock(&self, pin: String) -> R<bool> {
        self.app.unlock(pin).await.map_err(|e| self.err(e))
    }

    /// True while the app is locked.
    pub fn is_locked(&self) -> bool {
        self.app.is_locked()
    }

    /// Locks the app (when a PIN is set), e.g. when it goes to the background.
    pub fn lock(&self) -> R<()> {
        self.app.lock().map_err(|e| self.err(e))
    }

    /// Deletes every piece of data on this device and asks the server to drop the registration.
    pub async fn delete_all_data(&self) -> R<DeleteResult> {
        let d = self.app.delete_all().await.map_err(|e| self.err(e))?;
        let confirmed = d == crate::local::Deleted::Everything;
        let msg = if confirmed {
            "delete-done"
        } else {
            "delete-pending"
        };
        Ok(DeleteResult {
            server_confirmed: confirmed,
            message: self.words(msg),
        })
    }
}

fn kind_label(k: PlaceType) -> &'static str {
    match k {
        PlaceType::Gastronomy => "kind-gastronomy",
        PlaceType::Retail => "kind-retail",
        PlaceType::Company => "kind-company",
        PlaceType::Education => "kind-education",
        PlaceType::Event => "kind-event",
        PlaceType::Other => "kind-other",
    }
}

fn own(c: crate::codes::OwnCode) -> OwnCodeInfo {
    OwnCodeInfo {
        url: c.url,
        qr_id: c.qr_id,
        name: c.name,
        personal: c.personal,
        pin_protected: c.pin_protected,
        printable: c.printable,
        created: c.created,
    }
}
