//! Errors reach JS as real `Error` objects: `name` is "OrgKitError", `code` is a stable code
//! from `orgkit_core::ErrorCode`, `status` the HTTP status (0 when no server answered).

use js_sys::{Error, Reflect};
use orgkit_core::{DomainError, ErrorCode};
use wasm_bindgen::JsValue;

/// Builds the `OrgKitError` that a method rejects with.
#[must_use]
pub fn orgkit_error(code: ErrorCode, status: u16, message: &str) -> JsValue {
    let error = Error::new(message);
    error.set_name("OrgKitError");
    let value: JsValue = error.into();
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&value, &"code".into(), &code.as_str().into());
    let _ = Reflect::set(&value, &"status".into(), &JsValue::from(status));
    value
}

/// A refusal by the local rule book: same code as the server's, status 0 (no request sent).
#[must_use]
pub fn local(e: DomainError) -> JsValue {
    orgkit_error(e.code, 0, e.message)
}

/// A failed or unreadable exchange with the server.
#[must_use]
pub fn network(message: &str) -> JsValue {
    orgkit_error(ErrorCode::NetworkError, 0, message)
}

/// A value the SDK could not read or write.
#[must_use]
pub fn invalid_input(message: &str) -> JsValue {
    orgkit_error(ErrorCode::ValidationFailed, 0, message)
}
