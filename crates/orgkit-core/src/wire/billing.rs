//! The billing profile's JSON bodies (`GET` and `PUT /v1/organizations/{orgId}/billing`).

use crate::time::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};

/// A whole number, also when written with a fraction of zero (`5.0`), as JSON Schema's
/// `integer` allows; out of range saturates (the rule book refuses it).
fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let n = f64::deserialize(d)?;
    if n.fract() != 0.0 || !n.is_finite() {
        return Err(serde::de::Error::custom("expected a whole number"));
    }
    Ok(n.clamp(0.0, f64::from(u32::MAX)) as u32)
}

/// An organization's billing profile. Every field may be absent; `PUT` replaces the whole.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BillingProfile {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub legal_name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: Option<String>,
    /// Digits with an optional leading `+` and spaces, dashes, dots or parentheses.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<BillingAddress>,
    /// At most 10.
    #[serde(default)]
    pub tax_ids: Vec<TaxId>,
    /// The default payment method: a provider's reference and what a person sees, never card
    /// data.
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    /// When it last changed (absent until it is first written; ignored in a request).
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BillingAddress {
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub line1: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub line2: Option<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub city: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub state: Option<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, for example `FR`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Z]{2}$"))]
    pub country: String,
}

/// A tax id, for example `{"type": "eu_vat", "value": "FR12345678901", "country": "FR"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaxId {
    /// `<country or area>_<kind>` in lowercase, for example `eu_vat` or `us_ein`.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z]{2,3}_[a-z]{2,8}$"))]
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub value: String,
    /// ISO 3166-1 alpha-2.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Z]{2}$"))]
    pub country: String,
}

/// A payment method as the payment provider keeps it: its reference there, and display fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethod {
    /// The provider, for example `stripe`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9_]{1,32}$"))]
    pub provider: String,
    /// The provider's id of the method, for example `pm_1Nv…`.
    #[cfg_attr(feature = "openapi", schema(max_length = 255))]
    pub reference: String,
    /// `visa`, `mastercard`, `amex`, `discover`, `jcb`, `diners`, `unionpay` or `unknown`.
    pub brand: String,
    /// The last four digits.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4}$"))]
    pub last4: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 12))]
    #[serde(deserialize_with = "whole")]
    pub exp_month: u32,
    #[cfg_attr(feature = "openapi", schema(minimum = 2000, maximum = 2100))]
    #[serde(deserialize_with = "whole")]
    pub exp_year: u32,
}
