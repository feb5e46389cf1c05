//! [`WebSpur`], the page's one object: each method converts its JS arguments, calls the core's
//! `Spur` method of the same name, and converts the answer (records as plain objects, errors as
//! `{kind, policy, message, code}`). Methods that talk to the servers return promises.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use spur_core::ffi::{Host, RegistrationForm, Spur, SpurConfig, SpurError};
use spur_core::Stay;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::clock::PageClock;
use crate::convert::{error, from_js, internal, to_js};
use crate::keys::{self, Preloaded};

/// The citizen app core in the page. Make one with `WebSpur.open(config)` and keep it.
#[wasm_bindgen]
pub struct WebSpur {
    core: Arc<Spur>,
    /// False for `openInMemory`: nothing is kept, so there is no key to forget.
    kept: bool,
}

type JsResult = Result<JsValue, JsValue>;

/// The host the core gets in the browser: HTTPS by the page's `fetch`, the page's clock.
fn host() -> Host {
    Host {
        clock: Arc::new(PageClock),
        ..Host::default()
    }
}

fn key_store_error(core_words: &str, detail: String) -> JsValue {
    error(SpurError::KeyStore {
        reason: core_words.to_owned(),
        detail,
    })
}

/// Runs the core's async `call` as a promise of its converted answer.
fn promise<T, F>(call: F) -> js_sys::Promise
where
    T: serde::Serialize,
    F: Future<Output = Result<T, SpurError>> + 'static,
{
    future_to_promise(async move { to_js(&call.await.map_err(error)?) })
}

#[wasm_bindgen]
impl WebSpur {
    /// Opens (or creates) the app's data in the browser: SQLite in IndexedDB (the relaxed-idb
    /// VFS, usable on the page's main thread) under `config.data_dir`, with the data key kept
    /// wrapped by a non-extractable WebCrypto key. `config` is the core's `SpurConfig` as an
    /// object (`data_dir`, `host`, `tag_url`, `post_url`, `op_public_key`,
    /// `directory_root_key`, `locale`).
    pub async fn open(config: JsValue) -> Result<WebSpur, JsValue> {
        let config: SpurConfig = from_js(&config, "config")?;
        let cfg = sqlite_wasm_vfs::relaxed_idb::RelaxedIdbCfg::default();
        sqlite_wasm_vfs::relaxed_idb::install::<sqlite_wasm_rs::WasmOsCallback>(&cfg, true)
            .await
            .map_err(|_| internal("IndexedDB storage"))?;
        let stored = keys::load()
            .await
            .map_err(|d| key_store_error("key store", d))?;
        let provider = Preloaded::new(stored);
        let core = Spur::with_host(config, &provider, host()).map_err(error)?;
        if let Some(fresh) = provider.fresh() {
            keys::store(&fresh)
                .await
                .map_err(|d| key_store_error("key store", d))?;
        }
        Ok(WebSpur {
            core: Arc::new(core),
            kept: true,
        })
    }

    /// Opens the app with nothing kept: SQLite in memory and a key that lives as long as the
    /// page (a private window, the tests).
    #[wasm_bindgen(js_name = openInMemory)]
    pub fn open_in_memory(config: JsValue) -> Result<WebSpur, JsValue> {
        let mut config: SpurConfig = from_js(&config, "config")?;
        // SQLite's memory VFS keeps a database by name while the module lives: each opening
        // gets a name of its own, so it starts empty (its key is new too). A page that called
        // `open` has made IndexedDB the default VFS; this is for pages that did not.
        static OPENED: AtomicU64 = AtomicU64::new(0);
        let n = OPENED.fetch_add(1, Ordering::Relaxed);
        config.data_dir = format!("{}-memory-{n}", config.data_dir);
        let core = Spur::with_host(config, &Preloaded::default(), host()).map_err(error)?;
        Ok(WebSpur {
            core: Arc::new(core),
            kept: false,
        })
    }

    /// Changes the language of messages and captions (`de`, `en`).
    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(&self, locale: String) {
        self.core.set_locale(locale);
    }

    /// Every caption of the screens in the current language (the core's `Captions`).
    pub fn captions(&self) -> JsResult {
        to_js(&self.core.captions())
    }

    /// How the secret policy judges `secret` (with the phone typed so far): `{level, words}`.
    #[wasm_bindgen(js_name = secretStrength)]
    pub fn secret_strength(&self, secret: String, phone: String) -> JsResult {
        to_js(&self.core.secret_strength(secret, phone))
    }

    /// A fresh five-word passphrase to propose as the secret.
    #[wasm_bindgen(js_name = proposePassphrase)]
    pub fn propose_passphrase(&self) -> String {
        self.core.propose_passphrase()
    }

    /// The phone number in E.164 form, or an error saying what to fix.
    #[wasm_bindgen(js_name = checkPhone)]
    pub fn check_phone(&self, phone: String) -> Result<String, JsValue> {
        self.core.check_phone(phone).map_err(error)
    }

    /// True when this browser holds a registration.
    #[wasm_bindgen(js_name = isRegistered)]
    pub fn is_registered(&self) -> Result<bool, JsValue> {
        self.core.is_registered().map_err(error)
    }

    /// Registers (`form`: `phone`, `secret`, `country`, `postcode`, `campus_id`,
    /// `birth_year`); resolves to true when the server has it, false when queued offline.
    pub fn register(&self, form: JsValue) -> Result<js_sys::Promise, JsValue> {
        let form: RegistrationForm = from_js(&form, "registration form")?;
        let core = self.core.clone();
        Ok(promise(async move { core.register(form).await }))
    }

    /// Logs in again with an existing registration's phone and secret (as `register`).
    pub fn login(&self, form: JsValue) -> Result<js_sys::Promise, JsValue> {
        let form: RegistrationForm = from_js(&form, "registration form")?;
        let core = self.core.clone();
        Ok(promise(async move { core.login(form).await }))
    }

    /// What a scanned text (a code's URL) is: `{Place: {...}}`, `{Personal: {...}}` or
    /// `"Consent"`.
    pub fn scan(&self, text: String) -> JsResult {
        to_js(&self.core.scan(text).map_err(error)?)
    }

    /// Decodes one camera frame: `pixels` are RGBA (4 bytes a pixel, as `getImageData` gives)
    /// or luma (1 byte a pixel), `width` × `height` without padding. Resolves to the core's
    /// `ScannedImage` (`{Spur: {text}}`, `{OtherCode: {message}}` or `"Nothing"`).
    #[wasm_bindgen(js_name = scanFrame)]
    pub fn scan_frame(&self, width: u32, height: u32, pixels: &[u8]) -> JsResult {
        let n = (width as usize).saturating_mul(height as usize);
        let luma = if pixels.len() == n.saturating_mul(4) {
            rgba_to_luma(pixels)
        } else {
            pixels.to_vec()
        };
        to_js(
            &self
                .core
                .scan_frame(width, height, width, 0, luma)
                .map_err(error)?,
        )
    }

    /// Ends the camera's scanning session.
    #[wasm_bindgen(js_name = scanStop)]
    pub fn scan_stop(&self) {
        self.core.scan_stop();
    }

    /// The stays to offer after a scan: `[{stay, label}]`.
    #[wasm_bindgen(js_name = stayOptions)]
    pub fn stay_options(&self) -> JsResult {
        to_js(&self.core.stay_options())
    }

    /// Checks in at a scanned code for `stay` (as `stayOptions` gives it), with a PIN card's
    /// PIN. Resolves to the core's `CheckInResult`.
    #[wasm_bindgen(js_name = checkIn)]
    pub fn check_in(
        &self,
        text: String,
        stay: JsValue,
        pin: Option<String>,
    ) -> Result<js_sys::Promise, JsValue> {
        let stay: Stay = from_js(&stay, "stay")?;
        let core = self.core.clone();
        Ok(promise(async move { core.check_in(text, stay, pin).await }))
    }

    /// Ends the open check-in now; resolves to its `CheckOutResult` or null.
    #[wasm_bindgen(js_name = checkOut)]
    pub fn check_out(&self) -> js_sys::Promise {
        let core = self.core.clone();
        promise(async move { core.check_out().await })
    }

    /// Ends the check-in `id` now; resolves to its `CheckOutResult` or null.
    #[wasm_bindgen(js_name = endCheckIn)]
    pub fn end_check_in(&self, id: i64) -> js_sys::Promise {
        let core = self.core.clone();
        promise(async move { core.end_check_in(id).await })
    }

    /// Stays `minutes` longer at the check-in `id`; resolves to its `RunningCheckIn`.
    #[wasm_bindgen(js_name = extendCheckIn)]
    pub fn extend_check_in(&self, id: i64, minutes: u32) -> js_sys::Promise {
        let core = self.core.clone();
        promise(async move { core.extend_check_in(id, minutes).await })
    }

    /// The check-ins still going on.
    #[wasm_bindgen(js_name = runningCheckIns)]
    pub fn running_check_ins(&self) -> JsResult {
        to_js(&self.core.running_check_ins().map_err(error)?)
    }

    /// Completes waiting check-ins and sends the outbox (call on start and when the network
    /// returns); resolves to the core's `SyncStatus`.
    pub fn sync(&self) -> js_sys::Promise {
        let core = self.core.clone();
        promise(async move { core.sync().await })
    }

    /// The check-ins of the last 28 days, newest first.
    pub fn history(&self) -> JsResult {
        to_js(&self.core.history().map_err(error)?)
    }

    /// The counters with their sentences.
    pub fn counters(&self) -> JsResult {
        to_js(&self.core.counters().map_err(error)?)
    }

    /// Turns history on or off (off deletes it, keeping the counters).
    #[wasm_bindgen(js_name = setHistoryEnabled)]
    pub fn set_history_enabled(&self, enabled: bool) -> Result<(), JsValue> {
        self.core.set_history_enabled(enabled).map_err(error)
    }

    /// Verifies a consent code; resolves to who asks for which days (`ConsentInfo`).
    #[wasm_bindgen(js_name = consentInfo)]
    pub fn consent_info(&self, text: String) -> js_sys::Promise {
        let core = self.core.clone();
        promise(async move { core.consent_info(text).await })
    }

    /// Releases exactly the days the consent code asks for; resolves to the thank-you words.
    #[wasm_bindgen(js_name = giveConsent)]
    pub fn give_consent(&self, text: String, phone: String, secret: String) -> js_sys::Promise {
        let core = self.core.clone();
        promise(async move { core.give_consent(text, phone, secret).await })
    }

    /// Sets the page's offset from UTC in minutes east (`-new Date().getTimezoneOffset()`).
    #[wasm_bindgen(js_name = setUtcOffsetMinutes)]
    pub fn set_utc_offset_minutes(&self, offset: Option<i32>) {
        self.core.set_utc_offset_minutes(offset);
    }

    /// A code's URL drawn as SVG.
    #[wasm_bindgen(js_name = codeSvg)]
    pub fn code_svg(&self, url: String, module_px: u32) -> Result<String, JsValue> {
        self.core.code_svg(url, module_px).map_err(error)
    }

    /// Deletes every piece of data in this browser (and the kept key) and asks the server to
    /// drop the registration; resolves to the core's `DeleteResult`.
    #[wasm_bindgen(js_name = deleteAllData)]
    pub fn delete_all_data(&self) -> js_sys::Promise {
        let core = self.core.clone();
        let kept = self.kept;
        future_to_promise(async move {
            let done = core.delete_all_data().await.map_err(error)?;
            if kept {
                keys::forget()
                    .await
                    .map_err(|d| key_store_error("key store", d))?;
            }
            to_js(&done)
        })
    }
}

/// Camera pixels (RGBA) to the grey the decoder reads: ITU-R BT.601 weights in integers.
fn rgba_to_luma(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|p| ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2])) >> 8) as u8)
        .collect()
}
