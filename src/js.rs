//! Reading and writing plain JS objects. Parameters are read field by field: serde's
//! deserializers (serde-wasm-bindgen's included) format their error messages, which brings in
//! float formatting, 16.7 KB gzipped (BENCHMARKS.md). serde-wasm-bindgen writes the rule
//! book's lists of names (`names`), where it costs least.

use crate::error::invalid_input;
use js_sys::{Array, Date, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// A list of the rule book's names (event types, permission keys) as a JS array of strings,
/// written by serde-wasm-bindgen.
#[must_use]
pub fn names<T: AsRef<str>>(list: &[T]) -> JsValue {
    let list: Vec<&str> = list.iter().map(AsRef::as_ref).collect();
    // A sequence of strings always serializes.
    serde_wasm_bindgen::to_value(&list).unwrap_or(JsValue::UNDEFINED)
}

/// `value[key]`, or `undefined`.
#[must_use]
pub fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `value[key]` as a string, when it is one.
#[must_use]
pub fn string(value: &JsValue, key: &str) -> Option<String> {
    field(value, key).as_string()
}

/// `value[key]` as a string, or an empty string (for trusted server answers).
#[must_use]
pub fn text(value: &JsValue, key: &str) -> String {
    string(value, key).unwrap_or_default()
}

/// `value[key]` as a number, or 0.
#[must_use]
pub fn number(value: &JsValue, key: &str) -> f64 {
    field(value, key).as_f64().unwrap_or(0.0)
}

/// `value[key]` as a list of strings.
#[must_use]
pub fn strings(value: &JsValue, key: &str) -> Vec<String> {
    match field(value, key).dyn_into::<Array>() {
        Ok(list) => list.iter().filter_map(|v| v.as_string()).collect(),
        Err(_) => Vec::new(),
    }
}

/// `value[key]` as an array, or an empty one.
#[must_use]
pub fn array(value: &JsValue, key: &str) -> Array {
    field(value, key).dyn_into::<Array>().unwrap_or_default()
}

/// A required string parameter; a missing one is a `validation_failed` rejection.
pub fn param(value: &JsValue, key: &str, usage: &str) -> Result<String, JsValue> {
    string(value, key).ok_or_else(|| invalid_input(usage))
}

/// An optional string parameter; present but not a string is a `validation_failed` rejection.
pub fn optional_param(value: &JsValue, key: &str, usage: &str) -> Result<Option<String>, JsValue> {
    let v = field(value, key);
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        v.as_string().map(Some).ok_or_else(|| invalid_input(usage))
    }
}

/// Checks that parameters are an object.
pub fn params(value: &JsValue, usage: &str) -> Result<(), JsValue> {
    if value.is_object() {
        Ok(())
    } else {
        Err(invalid_input(usage))
    }
}

/// A plain object from pairs; `undefined` values are left out.
#[must_use]
pub fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (key, value) in pairs {
        if !value.is_undefined() {
            set(&o, key, value);
        }
    }
    o.into()
}

/// `target[key] = value`.
pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Setting a property on a plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// A millisecond timestamp as a `Date`.
#[must_use]
pub fn date(ms: f64) -> Date {
    Date::new(&JsValue::from_f64(ms))
}

/// Replaces the millisecond timestamp `value[key]` with a `Date`, in place.
pub fn dates(value: &JsValue, keys: &[&str]) {
    for key in keys {
        set(value, key, &date(number(value, key)));
    }
}

/// A path segment, percent-encoded.
#[must_use]
pub fn segment(raw: &str) -> String {
    String::from(js_sys::encode_uri_component(raw))
}

/// A list of strings at `value[key]`: `None` when absent, a `validation_failed` rejection
/// naming the first position that is not a string (or the list, when it is not one).
pub fn string_list(
    value: &JsValue,
    key: &str,
    usage: &str,
) -> Result<Option<Vec<String>>, JsValue> {
    let raw = field(value, key);
    if raw.is_undefined() || raw.is_null() {
        return Ok(None);
    }
    strings_of(raw, key, usage).map(Some)
}

/// The strings of the list `raw` (named `name` in messages): a `validation_failed` rejection
/// naming the first position that is not a string, or the list when it is not one.
pub fn strings_of(raw: JsValue, name: &str, usage: &str) -> Result<Vec<String>, JsValue> {
    let Ok(list) = raw.dyn_into::<Array>() else {
        return Err(invalid_input(usage));
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        match item.as_string() {
            Some(s) => out.push(s),
            None => {
                let at = name.to_owned() + "[" + &i.to_string() + "] is not a string. " + usage;
                return Err(invalid_input(&at));
            }
        }
    }
    Ok(out)
}

/// Refuses an id that cannot be one (`validation_failed`): `well_formed` is the id kind's
/// `is_well_formed` from the rule book, asked by the caller.
pub fn check_id(well_formed: bool) -> Result<(), JsValue> {
    if well_formed {
        Ok(())
    } else {
        Err(invalid_input("The id is not valid."))
    }
}

/// Refuses a member reference that cannot be one: a user id, or `me` (the signed-in user, which
/// the server's member paths accept and the SDK's checks read as me).
pub fn check_member_ref(user_id: &str) -> Result<(), JsValue> {
    check_id(user_id == crate::checks::ME || orgkit_core::UserId::is_well_formed(user_id))
}

/// The cursor of a page request: `None` for the first page (absent or empty), or a cursor
/// `well_formed` accepts (the shape the server's list expects); otherwise `validation_failed`,
/// as the server answers.
pub fn cursor(
    after: Option<String>,
    well_formed: fn(&str) -> bool,
) -> Result<Option<String>, JsValue> {
    match after.filter(|a| !a.is_empty()) {
        Some(a) if !well_formed(&a) => Err(invalid_input("The cursor is not valid.")),
        after => Ok(after),
    }
}

/// Refuses a token that cannot be one of `kind` with the rule book's `not_found`.
pub fn check_token(kind: orgkit_core::secret::TokenKind, raw: &str) -> Result<(), JsValue> {
    kind.check(raw).map_err(crate::error::local)
}
