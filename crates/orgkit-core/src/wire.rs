//! Wire types: the JSON bodies of the HTTP API, in camelCase. The server serializes them and
//! generates its OpenAPI document from them. The SDK reads the same JSON field by field (it
//! does not use serde, for size); `src/types.rs` declares its TypeScript shapes, and the
//! browser tests check both against the live server.

use crate::error::ErrorCode;
use crate::ids::{InvitationId, MembershipId, OrganizationId, UserId};
use crate::invitation::InvitationStatus;
use crate::role::Role;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

mod audit;
mod join_request;
mod webhook;
pub use audit::{AuditActor, AuditEvent};
pub use join_request::{AcceptJoinRequestRequest, CreateJoinRequestRequest, JoinRequest};
mod link;
pub use link::{
    CreateInviteLinkRequest, InviteLink, InviteLinkAcceptance, InviteLinkPreview, LinkJoinRequest,
};
mod domain;
pub use domain::{
    AttemptAffiliationRequest, CreateDomainRequest, DomainSuggestion, OrganizationDomain,
    PrepareAffiliationRequest, SuggestionAccepted, UpdateDomainRequest,
};
mod sso_sign_in;
pub use sso_sign_in::{SsoRequiredDetail, SsoStartRequest, SsoStartResponse};
mod sso;
pub use sso::{
    CreateSsoConnectionRequest, SsoClaimMapping, SsoClaimMappingInput, SsoConnection,
    SsoConnectionDomain, SsoConnectionTest, UpdateSsoConnectionRequest,
};
mod auth;
pub use auth::{
    ActiveOrganization, PasswordForgotRequest, PasswordResetRequest, SignInRequest, SignUpRequest,
};
mod billing;
pub use billing::{BillingAddress, BillingProfile, PaymentMethod, TaxId};
mod ownership;
pub use ownership::TransferOwnershipRequest;
mod invite;
pub use invite::{BulkInviteResponse, EmailList, InviteRequest, InviteResult};
mod role;
mod roster;
mod workspace;
pub use workspace::{
    CreateGroupRequest, CreateServiceAccountRequest, CreateWorkspaceRequest, EffectiveAccessBody,
    GrantRequest, Group, GroupMember, GroupMemberRequest, Principal, ServiceAccount,
    UpdateGroupRequest, UpdateServiceAccountRequest, UpdateWorkspaceRequest, Workspace,
    WorkspaceGrant,
};
mod api_key;
pub use api_key::{
    ApiKey, ApiKeyPolicyBody, CreateApiKeyRequest, CreatedApiKey, RevokeApiKeyRequest,
};
mod session_token;
pub use role::{
    CreateRoleRequest, RoleCatalogBody, RoleInfo, RoleSettingsRequest, UpdateMembershipRequest,
    UpdateRoleRequest,
};
pub use roster::{BulkRemoveRequest, BulkRemoveResponse, BulkRemoveResult, RosterEntry};
pub use session_token::{Jwk, Jwks, SessionToken, SessionTokenRequest};
pub use webhook::{
    CreateWebhookEndpointRequest, ResendWebhookRequest, UpdateWebhookEndpointRequest,
    WebhookAttempt, WebhookEndpoint, WebhookEndpointWithSecret, WebhookMessageQueued,
    WebhookPayload,
};

/// The public part of a user, as the user sees themself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: UserId,
    pub email_address: String,
    pub name: String,
    pub email_verified: bool,
    pub created_at: Timestamp,
    /// The organization I last made active (`PUT /v1/me/active-organization`), where a new tab
    /// starts; `null` when none was chosen or I am no longer an active member of it (read with
    /// the membership, never a stale value, and never "the newest membership").
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub last_active_organization_id: Option<OrganizationId>,
}

/// What sign-up and sign-in answer: the user, and the session token for `Authorization:
/// Bearer` use (the same token is also set as an HttpOnly cookie).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub user: User,
    pub token: String,
}

/// An organization, with the caller's role and permissions in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub id: OrganizationId,
    pub name: String,
    pub slug: String,
    pub created_at: Timestamp,
    /// The caller's primary role: the first of `roles`.
    pub role: Role,
    /// Every role the caller holds, the primary one first.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// The permissions the caller's roles hold together, as wire names such as
    /// `org:memberships:manage`.
    pub permissions: Vec<String>,
    /// Whether signed-in people may ask to join (`POST /v1/join-requests`).
    #[serde(default)]
    pub allow_join_requests: bool,
    /// Whether members at the organization's SSO domains must sign in through SSO.
    #[serde(default)]
    pub require_sso: bool,
    /// The SSO join link: `{publicUrl}/sso/{slug}` starts SSO for this organization.
    #[serde(default)]
    pub sso_join_url: String,
    /// The most members it may have (Clerk's name); 0 is unlimited.
    #[serde(default)]
    pub max_allowed_memberships: u64,
    /// Whether it has a logo.
    #[serde(default)]
    pub has_image: bool,
    /// The logo's URL (served with an `ETag`), when it has one; versioned by the logo's content
    /// (`?v=`), so each logo has its own.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Whether the caller owns the organization.
    #[serde(default)]
    pub is_owner: bool,
    /// Whether the creator can neither leave nor be removed until ownership is transferred.
    #[serde(default)]
    pub creator_protection: bool,
    /// Who may create API keys.
    #[serde(default)]
    pub api_key_policy: crate::api_key::ApiKeyPolicy,
}

/// The public data of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicUserData {
    pub user_id: UserId,
    /// The member's email address.
    pub identifier: String,
    pub name: String,
}

/// One user's membership in one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub id: MembershipId,
    pub organization_id: OrganizationId,
    /// The primary role: the first of `roles` (the single-role API reads and writes it).
    pub role: Role,
    /// Every role the member holds, the primary one first; their permissions are the union.
    #[serde(default)]
    pub roles: Vec<Role>,
    pub public_user_data: PublicUserData,
    pub created_at: Timestamp,
    /// How the membership began: `"sso"` for a member added at SSO sign-in (just in time),
    /// who is added again at their next SSO sign-in after a removal; `null` otherwise.
    #[serde(default)]
    pub source: Option<String>,
    /// Whether the member owns the organization (a flag beside the role).
    #[serde(default)]
    pub is_owner: bool,
    /// Whether the membership is suspended: roles kept, no access.
    #[serde(default)]
    pub suspended: bool,
    /// The organization, as the caller sees it. Present in `GET /v1/me/memberships` and when
    /// accepting an invitation; absent in an organization's member list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
}

/// An invitation to join an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    pub id: InvitationId,
    pub email_address: String,
    pub role: Role,
    /// The effective status: a pending invitation past its expiry reads `expired`.
    pub status: InvitationStatus,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// The link that accepts the invitation: only in the answer that created it with
    /// `delivery: "none"`, and never again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_url: Option<String>,
    /// The invitation's secret token (the `token` of `acceptUrl`): shown as `acceptUrl` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// One page of a list, and the cursor of the next page (`null` on the last one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub data: Vec<T>,
    pub next_cursor: Option<String>,
}

/// The body of every error answer: `{"error": {"code", "message"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// A stable code and a message a person can read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    /// With `sso_required`: where to sign in instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso: Option<SsoRequiredDetail>,
    /// With `permission_escalation`: the permission keys the actor lacks.
    #[serde(
        default,
        rename = "missingPermissions",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub missing_permissions: Vec<String>,
    /// With `unauthenticated` for an API key: `api_key_unknown`, `api_key_revoked` or
    /// `api_key_expired`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A body carrying one token: verifying an email address, accepting an invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenRequest {
    /// The token from the emailed link: 256 bits, base64url.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[A-Za-z0-9_-]{43}$"))]
    pub token: String,
}

/// `POST /v1/organizations`. Without a slug, one is suggested from the name.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateOrganizationRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = Name))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Slug>))]
    pub slug: Option<String>,
}

/// `PATCH /v1/organizations/{orgId}`: the fields to change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateOrganizationRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Name>))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Slug>))]
    pub slug: Option<String>,
    /// Let signed-in people ask to join; needs `org:requests:manage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_join_requests: Option<bool>,
    /// Require SSO of members at the SSO domains; needs `org:sso:manage`, and an active
    /// connection to turn on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_sso: Option<bool>,
    /// The most members it may have, 0 for unlimited; needs `org:profile:manage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000))]
    pub max_allowed_memberships: Option<u64>,
    /// Keep the creator from leaving or removal until they transfer ownership; owners only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator_protection: Option<bool>,
}

/// What `POST /v1/invitations/preview` tells about an invitation before anyone signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InvitationPreview {
    pub email_address: String,
    pub organization_name: String,
    pub role: Role,
    pub status: InvitationStatus,
    pub expires_at: Timestamp,
}

/// `GET /v1/organizations/{orgId}/permissions/check`: whether I hold a permission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermissionCheck {
    pub permission: String,
    pub allowed: bool,
}

/// A list without pagination: `{data: [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct List<T> {
    pub data: Vec<T>,
}

/// A message in the dev mailbox (`GET /v1/dev/mailbox`, `--dev` only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MailboxMessage {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The first link in the body, for convenience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub created_at: Timestamp,
}

/// Schemas for the checked strings of request bodies (`wire/schema.rs`).
#[cfg(feature = "openapi")]
mod schema;
#[cfg(feature = "openapi")]
use schema::{EmailAddress, Name, Slug};
#[cfg(feature = "openapi")]
use schema::{SsoClaimName, SsoClientId, SsoClientSecret, SsoConnectionName, SsoIssuer, SsoScopes};

#[cfg(test)]
mod tests;
