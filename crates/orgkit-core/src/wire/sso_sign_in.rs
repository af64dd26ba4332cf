//! SSO sign-in's JSON bodies: what starts it, where it sends the browser, and where a
//! `sso_required` refusal tells the SDK to go.

use serde::{Deserialize, Serialize};

/// `POST /v1/sso/start`: one of the email address, the organization slug (with the email to
/// choose among several connections) or the connection id; where to return afterwards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SsoStartRequest {
    /// Picks the connection serving its domain; also the provider's `login_hint`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<super::EmailAddress>))]
    pub email_address: Option<String>,
    /// Picks the organization's active connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<super::Slug>))]
    pub organization_slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^sso_[0-9A-Z]{26}$"))]
    pub connection_id: Option<String>,
    /// A path on this site (`/…`) or a URL at an allowed origin; `/` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2048))]
    pub return_to: Option<String>,
}

/// Where to send the browser: the identity provider's authorization URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SsoStartResponse {
    pub redirect_url: String,
}

/// Where to sign in instead, in a `sso_required` refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SsoRequiredDetail {
    /// The organization to start SSO with (`signInWithSso({ organizationSlug })`).
    pub organization_slug: String,
    /// Its SSO join link, which starts SSO in a browser.
    pub start_url: String,
}
