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
mod roster;
pub use roster::{BulkRemoveRequest, BulkRemoveResponse, BulkRemoveResult, RosterEntry};
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
    /// The caller's role.
    pub role: Role,
    /// The permissions of the caller's role, as wire names such as `org:memberships:manage`.
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
    pub role: Role,
    pub public_user_data: PublicUserData,
    pub created_at: Timestamp,
    /// How the membership began: `"sso"` for a member added at SSO sign-in (just in time),
    /// who is added again at their next SSO sign-in after a removal; `null` otherwise.
    #[serde(default)]
    pub source: Option<String>,
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
}

/// The result for one address of a bulk invitation: the invitation, or why it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InviteResult {
    /// The address as given.
    pub email_address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation: Option<Invitation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

/// The answer to a bulk invitation: one result per address, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkInviteResponse {
    pub data: Vec<InviteResult>,
}

/// `POST /v1/auth/sign-up`.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignInRequest {
    /// Anything else answers `invalid_credentials`, like a wrong password.
    #[cfg_attr(feature = "openapi", schema(value_type = EmailAddress))]
    pub email_address: String,
    pub password: String,
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
}

/// `PATCH /v1/organizations/{orgId}/memberships/{userId}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateMembershipRequest {
    pub role: Role,
}

/// A list of addresses: a JSON array, or one comma-separated string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum EmailList {
    List(Vec<String>),
    Joined(String),
}

impl EmailList {
    /// The addresses, trimmed, empty entries dropped (not yet validated).
    #[must_use]
    pub fn entries(&self) -> Vec<String> {
        match self {
            EmailList::List(list) => list
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            EmailList::Joined(joined) => crate::validate::split_email_list(joined),
        }
    }
}

/// `POST /v1/organizations/{orgId}/invitations`: one address, or many.
///
/// With `emailAddress` the answer is one [`Invitation`]; with `emailAddresses` it is a
/// [`BulkInviteResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InviteRequest {
    /// One address: the answer is the invitation, or the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<EmailAddress>))]
    pub email_address: Option<String>,
    /// Many addresses: the answer has one result per address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_addresses: Option<EmailList>,
    pub role: Role,
    /// How the invitee hears of it: `email` (the default), `none` (the answer carries the
    /// accept URL and token, once) or `webhook` (an `organizationInvitation.delivery` event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<crate::delivery::InvitationDelivery>,
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

/// Schemas for the checked strings of request bodies, with the bounds of [`crate::validate`]:
/// the OpenAPI document states them and the server enforces them.
#[cfg(feature = "openapi")]
mod schema {
    use crate::validate::{MAX_NAME_CHARS, PASSWORD_CHARS, SLUG_CHARS};
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
    use utoipa::openapi::RefOr;

    /// What `str::trim` removes, and the control characters a name may not hold.
    const SPACE: &str =
        r"\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";
    const CONTROL: &str = r"\u0000-\u001F\u007F-\u009F";
    const ATOM: &str = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";

    macro_rules! string_schemas {
        ($($name:ident: $doc:literal => $schema:expr;)*) => {$(
            #[doc = $doc]
            pub struct $name;
            impl utoipa::ToSchema for $name {}
            impl utoipa::PartialSchema for $name {
                fn schema() -> RefOr<Schema> {
                    let schema: ObjectBuilder = $schema;
                    schema.schema_type(Type::String).description(Some($doc)).into()
                }
            }
        )*};
    }

    string_schemas! {
        EmailAddress: "An email address (`validate::email`); trimmed and lowercased." =>
            ObjectBuilder::new().format(Some(SchemaFormat::Custom("email".to_owned())))
                .max_length(Some(254))
                .pattern(Some(format!(r"^{ATOM}{{1,64}}(\.{ATOM}{{1,63}})*@([A-Za-z0-9]([A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+[A-Za-z]{{2,63}}$")));
        Name: "A name: trimmed, then 1 to 256 characters without control characters." =>
            ObjectBuilder::new().min_length(Some(1)).pattern(Some(format!(
                "^[{SPACE}]*[^{SPACE}{CONTROL}]([^{CONTROL}]{{0,{}}}[^{SPACE}{CONTROL}])?[{SPACE}]*$",
                MAX_NAME_CHARS - 2
            )));
        Slug: "Lowercase letters and digits in hyphen-separated groups, 3 to 64 characters." =>
            ObjectBuilder::new().pattern(Some("^[a-z0-9]+(-[a-z0-9]+)*$"))
                .min_length(Some(*SLUG_CHARS.start())).max_length(Some(*SLUG_CHARS.end()));
        Password: "A new password: 8 to 256 characters." =>
            ObjectBuilder::new().format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)))
                .min_length(Some(*PASSWORD_CHARS.start())).max_length(Some(*PASSWORD_CHARS.end()));
        SsoConnectionName: "An SSO connection's name: trimmed, then 1 to 100 characters without control characters." =>
            ObjectBuilder::new().min_length(Some(1)).pattern(Some(format!(
                "^[{SPACE}]*[^{SPACE}{CONTROL}]([^{CONTROL}]{{0,98}}[^{SPACE}{CONTROL}])?[{SPACE}]*$"
            )));
        SsoIssuer: "An OIDC issuer or discovery URL: https (plain http only to localhost on a --dev server), no credentials, query or fragment." =>
            ObjectBuilder::new().format(Some(SchemaFormat::Custom("uri".to_owned())))
                .min_length(Some(1)).max_length(Some(2048))
                .pattern(Some(r#"^[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[!"$->@-\[\]-~]*)?$"#));
        SsoClientId: "An OIDC client id: 1 to 255 printable ASCII characters, no spaces." =>
            ObjectBuilder::new().min_length(Some(1)).max_length(Some(255)).pattern(Some("^[!-~]+$"));
        SsoClientSecret: "An OIDC client secret: 1 to 1024 printable ASCII characters, no spaces." =>
            ObjectBuilder::new().format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)))
                .min_length(Some(1)).max_length(Some(1024)).pattern(Some("^[!-~]+$"));
        SsoScopes: "Space-separated OAuth scopes (RFC 6749 tokens), `openid` among them; at most 512 characters." =>
            ObjectBuilder::new().max_length(Some(512))
                .pattern(Some(r#"^ *([!#-\[\]-~]+ +)*openid( +[!#-\[\]-~]+)* *$"#));
        SsoClaimName: "An ID token claim name: 1 to 128 letters, digits or _ - . : /." =>
            ObjectBuilder::new().min_length(Some(1)).max_length(Some(128)).pattern(Some("^[A-Za-z0-9_.:/-]+$"));
    }
}
#[cfg(feature = "openapi")]
use schema::{EmailAddress, Name, Password, Slug};
#[cfg(feature = "openapi")]
use schema::{SsoClaimName, SsoClientId, SsoClientSecret, SsoConnectionName, SsoIssuer, SsoScopes};

#[cfg(test)]
mod tests;
