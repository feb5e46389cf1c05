//! The data key in the browser: the core makes it (through [`KeyProvider`]) and the page keeps it
//! wrapped by a non-extractable AES-GCM `CryptoKey` in IndexedDB (`web/js/keystore.js`). The
//! core's provider is synchronous and WebCrypto is not, so the wrapped key is unwrapped before the
//! core opens, and a key the core made on first start is wrapped and kept right after.

use std::sync::Mutex;

use spur_core::ffi::{KeyProvider, KeyStoreError};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

#[wasm_bindgen(module = "/js/keystore.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = loadKey)]
    async fn js_load_key() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = storeKey)]
    async fn js_store_key(bytes: js_sys::Uint8Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = forgetKeys)]
    async fn js_forget_keys() -> Result<JsValue, JsValue>;
}

/// Why the browser's key store failed, in words for the `KeyStore` error's detail (never key
/// bytes: only the JS error's name and message).
fn detail(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| format!("{}: {}", String::from(e.name()), String::from(e.message())))
        .unwrap_or_else(|| "key store failed".into())
}

/// The kept data key, unwrapped; `None` on the first start.
pub(crate) async fn load() -> Result<Option<Zeroizing<Vec<u8>>>, String> {
    let v = js_load_key().await.map_err(|e| detail(&e))?;
    if v.is_null() || v.is_undefined() {
        return Ok(None);
    }
    let bytes = js_sys::Uint8Array::new(&v);
    let key = Zeroizing::new(bytes.to_vec());
    // The JS copy is overwritten too, so the key lives on only in the core's wiped memory.
    bytes.fill(0, 0, bytes.length());
    Ok(Some(key))
}

/// Wraps and keeps `key`.
pub(crate) async fn store(key: &[u8]) -> Result<(), String> {
    let bytes = js_sys::Uint8Array::from(key);
    let kept = js_store_key(bytes.clone()).await.map_err(|e| detail(&e));
    bytes.fill(0, 0, bytes.length());
    kept.map(|_| ())
}

/// Forgets the wrapped key and the wrapping key (after the core deleted all data).
pub(crate) async fn forget() -> Result<(), String> {
    js_forget_keys().await.map(|_| ()).map_err(|e| detail(&e))
}

/// The core's [`KeyProvider`] over a key loaded beforehand: `store` keeps the core's fresh key in
/// memory for [`Preloaded::fresh`] to hand to [`store`] once the core has opened.
#[derive(Default)]
pub(crate) struct Preloaded {
    key: Mutex<Option<Zeroizing<Vec<u8>>>>,
    fresh: Mutex<bool>,
}

impl Preloaded {
    /// A provider that loads `key` (or nothing on the first start).
    pub(crate) fn new(key: Option<Zeroizing<Vec<u8>>>) -> Self {
        Self {
            key: Mutex::new(key),
            fresh: Mutex::new(false),
        }
    }

    /// The key the core made during this start, to be kept; `None` when it loaded a kept one.
    pub(crate) fn fresh(&self) -> Option<Zeroizing<Vec<u8>>> {
        let fresh = self.fresh.lock().map(|f| *f).unwrap_or(false);
        fresh.then(|| self.key.lock().ok().and_then(|k| k.clone()))?
    }
}

fn poisoned() -> KeyStoreError {
    KeyStoreError::Failed {
        detail: "key store lock".into(),
    }
}

impl KeyProvider for Preloaded {
    fn load(&self) -> Result<Option<Vec<u8>>, KeyStoreError> {
        let k = self.key.lock().map_err(|_| poisoned())?;
        Ok(k.as_ref().map(|k| k.to_vec()))
    }

    fn store(&self, key: Vec<u8>) -> Result<(), KeyStoreError> {
        *self.key.lock().map_err(|_| poisoned())? = Some(Zeroizing::new(key));
        *self.fresh.lock().map_err(|_| poisoned())? = true;
        Ok(())
    }
}
