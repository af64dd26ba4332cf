//! Moving values between JS and Rust: serde-wasm-bindgen for data, `Date` for timestamps.

use crate::error::invalid_input;
use orgkit_core::Timestamp;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// Reads a JS value into a Rust type; a wrong shape is a `validation_failed` rejection.
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &'static str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|_| invalid_input(what))
}

/// Reads a server answer; a wrong shape means the server and SDK disagree.
pub fn from_server<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|_| {
        crate::error::orgkit_error(
            orgkit_core::ErrorCode::Internal,
            0,
            "The server's answer has an unexpected shape.",
        )
    })
}

/// Writes a Rust value as a plain JS object (maps as objects, `None` as `null`).
pub fn to_js<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// A timestamp as a JS `Date`.
#[must_use]
pub fn date(at: Timestamp) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(at.millis() as f64))
}

/// A path segment, percent-encoded.
#[must_use]
pub fn segment(raw: &str) -> String {
    String::from(js_sys::encode_uri_component(raw))
}
