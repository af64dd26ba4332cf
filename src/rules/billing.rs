//! A billing profile read from its JS object by hand (the SDK deserializes nothing with serde:
//! BENCHMARKS.md, "serde-wasm-bindgen and tsify at the typed boundary"), for the rule book's
//! `billing::check_profile`.

use crate::error::invalid_input;
use crate::js::{array, field, number};
use orgkit_core::wire::{BillingAddress, BillingProfile, PaymentMethod, TaxId};
use wasm_bindgen::JsValue;

const BILLING_USAGE: &str = "updateBillingProfile takes a BillingProfile object.";

/// An optional string field of a billing object; present but not a string is refused.
fn opt(value: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let v = field(value, key);
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        v.as_string()
            .map(Some)
            .ok_or_else(|| invalid_input(BILLING_USAGE))
    }
}

fn req(value: &JsValue, key: &str) -> Result<String, JsValue> {
    opt(value, key)?.ok_or_else(|| invalid_input(BILLING_USAGE))
}

/// Reads a billing profile from a JS object, by hand (the SDK has no serde).
pub(super) fn read_profile(p: &JsValue) -> Result<BillingProfile, JsValue> {
    let address = field(p, "address");
    let address = if address.is_object() {
        Some(BillingAddress {
            line1: req(&address, "line1")?,
            line2: opt(&address, "line2")?,
            city: req(&address, "city")?,
            state: opt(&address, "state")?,
            postal_code: req(&address, "postalCode")?,
            country: req(&address, "country")?,
        })
    } else {
        None
    };
    let mut tax_ids = Vec::new();
    for t in array(p, "taxIds").iter() {
        tax_ids.push(TaxId {
            kind: req(&t, "type")?,
            value: req(&t, "value")?,
            country: req(&t, "country")?,
        });
    }
    let method = field(p, "paymentMethod");
    let payment_method = if method.is_object() {
        Some(PaymentMethod {
            provider: req(&method, "provider")?,
            reference: req(&method, "reference")?,
            brand: req(&method, "brand")?,
            last4: req(&method, "last4")?,
            exp_month: number(&method, "expMonth") as u32,
            exp_year: number(&method, "expYear") as u32,
        })
    } else {
        None
    };
    Ok(BillingProfile {
        legal_name: opt(p, "legalName")?,
        email: opt(p, "email")?,
        phone: opt(p, "phone")?,
        address,
        tax_ids,
        payment_method,
        updated_at: None,
    })
}
