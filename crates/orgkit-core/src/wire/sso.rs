//! SSO connections' JSON bodies: a connection (never its client secret), the requests that
//! create and change one, and what "test connection" found.

use crate::ids::{DomainId, OrganizationId, SsoConnectionId, UserId};
use crate::role::Role;
use crate::sso::connection::ConnectionState;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use super::{SsoClaimName, SsoClientId, SsoClientSecret, SsoConnectionName, SsoIssuer, SsoScopes};

/// Which ID token claims hold the email address, the name and whether the address is verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SsoClaimMapping {
    pub email: String,
    pub name: String,
    pub email_verified: String,
}

/// A change of the claim mapping: absent fields keep their claim (`email`, `name` and
/// `email_verified` by default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SsoClaimMappingInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<SsoClaimName>))]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<SsoClaimName>))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<SsoClaimName>))]
    pub email_verified: Option<String>,
}

/// A verified domain a connection serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SsoConnectionDomain {
    pub id: DomainId,
    pub name: String,
}

/// An organization's OIDC connection. Its client secret is sealed at rest and never answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SsoConnection {
    pub id: SsoConnectionId,
    pub organization_id: OrganizationId,
    pub name: String,
    /// The issuer (its discovery document is at `{issuer}/.well-known/openid-configuration`).
    pub issuer: String,
    pub client_id: String,
    /// Always true: a connection has a client secret, which is never shown again.
    pub has_client_secret: bool,
    /// Space-separated, always with `openid`.
    pub scopes: String,
    /// Proof Key for Code Exchange (on by default).
    pub pkce: bool,
    pub claim_mapping: SsoClaimMapping,
    pub state: ConnectionState,
    /// Whether people the provider vouches for join (or get an account) at their first sign-in.
    pub jit_enabled: bool,
    /// The role people added just in time get.
    pub jit_role: Role,
    pub domains: Vec<SsoConnectionDomain>,
    /// The redirect URI to register at the provider: `{publicUrl}/v1/sso/callback/{id}`.
    pub callback_url: String,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// `POST /v1/organizations/{orgId}/sso-connections`: a new connection starts as a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateSsoConnectionRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = SsoConnectionName))]
    pub name: String,
    /// The issuer, or its discovery URL (ending in `/.well-known/openid-configuration`).
    #[cfg_attr(feature = "openapi", schema(value_type = SsoIssuer))]
    pub issuer: String,
    #[cfg_attr(feature = "openapi", schema(value_type = SsoClientId))]
    pub client_id: String,
    /// Sealed with the server's key; never answered.
    #[cfg_attr(feature = "openapi", schema(value_type = SsoClientSecret))]
    pub client_secret: String,
    /// `openid email profile` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<SsoScopes>))]
    pub scopes: Option<String>,
    /// On when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pkce: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_mapping: Option<SsoClaimMappingInput>,
    /// On when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jit_enabled: Option<bool>,
    /// The organization's default role (`basic_member`) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jit_role: Option<Role>,
    /// Domains of the organization whose ownership is verified by DNS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub domain_ids: Option<Vec<DomainId>>,
}

/// `PATCH /v1/organizations/{orgId}/sso-connections/{connectionId}`: absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateSsoConnectionRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<SsoConnectionName>))]
    pub name: Option<String>,
    /// Only while the connection is not active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<SsoIssuer>))]
    pub issuer: Option<String>,
    /// Only while the connection is not active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<SsoClientId>))]
    pub client_id: Option<String>,
    /// Replaces the client secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<SsoClientSecret>))]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<SsoScopes>))]
    pub scopes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pkce: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_mapping: Option<SsoClaimMappingInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jit_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jit_role: Option<Role>,
    /// Replaces the domains served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub domain_ids: Option<Vec<DomainId>>,
    /// `active` activates (needs a domain), `inactive` deactivates; nothing returns to `draft`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ConnectionState>,
}

/// What "test connection" found at the issuer's discovery document. `ok` is false with an
/// `error` when discovery failed; the connection itself is not changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SsoConnectionTest {
    pub ok: bool,
    /// The issuer tested.
    pub issuer: String,
    /// Why discovery failed (unreachable, a redirect, a malformed document, another issuer).
    pub error: Option<String>,
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    pub userinfo_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    /// The ID token signing algorithms the provider supports.
    pub signing_algs: Vec<String>,
    /// The connection's scopes the provider does not list as supported.
    pub unsupported_scopes: Vec<String>,
    /// The mapped claims the provider does not list as supported (empty when it lists none).
    pub unsupported_claims: Vec<String>,
}
