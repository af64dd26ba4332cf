//! The bodies of signing up, signing in, resetting a password and my active organization.

#[cfg(feature = "openapi")]
use super::schema::{EmailAddress, Name, Password};
use crate::ids::OrganizationId;
use serde::{Deserialize, Deserializer, Serialize};

/// `POST /v1/auth/sign-up`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignUpRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = EmailAddress))]
    pub email_address: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Password))]
    pub password: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Name))]
    pub name: String,
}

/// `POST /v1/auth/sign-in`.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignInRequest {
    /// Anything else answers `invalid_credentials`, like a wrong password.
    #[cfg_attr(feature = "openapi", schema(value_type = EmailAddress))]
    pub email_address: String,
    pub password: String,
}

/// `POST /v1/auth/password/forgot`: the address to mail a password-reset link to.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PasswordForgotRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = EmailAddress))]
    pub email_address: String,
}

/// `POST /v1/auth/password/reset`: the mailed token and the new password.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PasswordResetRequest {
    /// The token from the emailed link: 256 bits, base64url.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Za-z0-9_-]{43}$"))]
    pub token: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Password))]
    pub password: String,
}

/// `PUT /v1/me/active-organization`, and its answer: the organization a new tab of mine starts
/// in, or `null` for none. The field is required (`null` clears it), so a misspelt field is
/// refused rather than read as clearing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ActiveOrganization {
    #[serde(deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub organization_id: Option<OrganizationId>,
}

/// An `Option` that must be present (`null` or a value): serde reads a missing `Option` field
/// as `None` unless it has a `deserialize_with`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OrganizationId>, D::Error> {
    Option::deserialize(d)
}
