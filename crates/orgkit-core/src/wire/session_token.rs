//! Session tokens' JSON bodies: the request for one, the token, and the published keys.

use crate::ids::OrganizationId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Asks for a session token; with `organizationId`, the token speaks for that organization.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionTokenRequest {
    #[serde(default)]
    pub organization_id: Option<OrganizationId>,
}

/// A signed session token (a compact JWS, ES256) and when it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionToken {
    pub jwt: String,
    pub expires_at: Timestamp,
}

/// One public key of the JSON Web Key Set (a P-256 key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Jwk {
    /// `EC`.
    pub kty: String,
    /// `P-256`.
    pub crv: String,
    pub x: String,
    pub y: String,
    pub kid: String,
    /// `ES256`.
    pub alg: String,
    /// `sig`.
    #[serde(rename = "use")]
    pub use_: String,
}

/// The keys that verify session tokens: the active one and those retired too recently for
/// their tokens to have expired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}
