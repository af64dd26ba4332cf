//! API keys on the wire: `/v1/organizations/{id}/api-keys` and `/api-key-policy`.

use super::Principal;
use crate::api_key::ApiKeyPolicy;
use crate::ids::{ApiKeyId, OrganizationId, ServiceAccountId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// An API key as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub organization_id: OrganizationId,
    /// A member (`user`) or a `service_account`.
    pub owner: Principal,
    pub name: String,
    pub description: String,
    /// The secret's last four characters, to tell keys apart.
    pub last4: String,
    /// The permissions it is limited to (`None`: all of its owner's).
    pub permissions: Option<Vec<String>>,
    pub expires_at: Option<Timestamp>,
    pub created_at: Timestamp,
    /// When it was last used, to within a few seconds (recorded in batches).
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    pub revoke_reason: Option<String>,
}

/// `POST /v1/organizations/{id}/api-keys`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::wire::schema::ShortName))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::wire::schema::Description>))]
    pub description: Option<String>,
    /// Milliseconds since the epoch; none by default.
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
    /// A subset of the owner's permissions (absent: all of them, as they are at each request).
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
    /// The service account that owns the key (absent: the caller).
    #[serde(default)]
    pub service_account_id: Option<ServiceAccountId>,
}

/// The answer to creating a key: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreatedApiKey {
    pub api_key: ApiKey,
    /// `ok_` and 64 hex digits. Store it now: it is never shown again.
    pub secret: String,
}

/// `POST /v1/organizations/{id}/api-keys/{key}/revoke`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevokeApiKeyRequest {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::wire::schema::RevokeReason>))]
    pub reason: Option<String>,
}

/// `GET`/`PUT /v1/organizations/{id}/api-key-policy`: who may create keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiKeyPolicyBody {
    pub policy: ApiKeyPolicy,
}
