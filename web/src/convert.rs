//! JS values to and from the core's records: records cross as plain objects (field names as in
//! Rust, snake_case; enums as serde writes them, e.g. `"Open"` or `{"Minutes": 30}`), errors as
//! `{kind, policy, message, code}` objects with the message in the user's language.

use serde::de::DeserializeOwned;
use serde::Serialize;
use spur_core::ffi::SpurError;
use wasm_bindgen::JsValue;

/// A record as a plain JS object.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|_| internal("answer"))?;
    js_sys::JSON::parse(&text)
}

/// A record from a plain JS object; a malformed one is an `InvalidInput` error naming the
/// argument (the shell's bug, never the user's words).
pub(crate) fn from_js<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, JsValue> {
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| invalid(what))?;
    serde_json::from_str(&text).map_err(|_| invalid(what))
}

fn invalid(what: &str) -> JsValue {
    error_object(
        "InvalidInput",
        "FixInput",
        &format!("malformed {what}"),
        None,
    )
}

/// An error of the glue itself (never expected).
pub(crate) fn internal(what: &str) -> JsValue {
    error_object("Internal", "Fatal", what, None)
}

/// The core's error as a JS object: `kind` (the variant), `policy` (what the shell should do),
/// `message` (localized) and `code` (the core's stable id, when it has one).
pub(crate) fn error(e: SpurError) -> JsValue {
    let kind = format!("{e:?}");
    let kind = kind.split([' ', '{', '(']).next().unwrap_or("Internal");
    let policy = format!("{:?}", e.policy());
    let code = match &e {
        SpurError::InvalidInput { code, .. } | SpurError::NotASpurCode { code, .. } => code.clone(),
        SpurError::Server { code, .. } => Some(code.clone()),
        _ => None,
    };
    error_object(kind, &policy, &e.words(), code.as_deref())
}

fn error_object(kind: &str, policy: &str, message: &str, code: Option<&str>) -> JsValue {
    let o = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&o, &k.into(), &v);
    };
    set("kind", kind.into());
    set("policy", policy.into());
    set("message", message.into());
    set("code", code.map_or(JsValue::NULL, JsValue::from));
    o.into()
}
