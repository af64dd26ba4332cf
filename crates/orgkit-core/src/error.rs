//! The one list of error codes shared by the server and the SDK.

use core::fmt;
use serde::{Deserialize, Serialize};

/// A stable, snake_case error code. It is the only source of error codes on the wire: the
/// server answers `{"error": {"code", "message"}}` with it and the SDK rejects with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// No valid session was presented.
    Unauthenticated,
    /// The caller is signed in but lacks the permission for this action.
    Forbidden,
    /// The resource does not exist, or the caller may not know that it does.
    NotFound,
    /// The input is malformed or out of bounds.
    ValidationFailed,
    /// The action would leave an organization without an admin.
    LastAdmin,
    /// The invitee is already a member of the organization.
    AlreadyMember,
    /// A pending invitation for this address already exists.
    AlreadyInvited,
    /// The invitation has expired.
    InvitationExpired,
    /// The invitation was already accepted or revoked.
    InvitationNotPending,
    /// The invitation is addressed to another email address.
    WrongRecipient,
    /// The action needs a verified email address.
    EmailNotVerified,
    /// Another organization already uses this slug.
    SlugTaken,
    /// The email address already belongs to an account.
    EmailTaken,
    /// The email address or password is wrong.
    InvalidCredentials,
    /// Too many attempts; try again later.
    RateLimited,
    /// The role does not exist.
    UnknownRole,
    /// The email-verification link was already used.
    VerificationTokenUsed,
    /// The email-verification link has expired; signing in sends a new one.
    VerificationTokenExpired,
    /// A webhook endpoint's URL is malformed, too long, carries credentials, or is not
    /// `https` (plain `http` is allowed only to loopback hosts on a `--dev` server).
    WebhookUrlInvalid,
    /// A webhook endpoint's URL names an address the server refuses to call: private,
    /// loopback, link-local and the like (see `webhook::AddressClass`). A refusal by the server's
    /// policy rather than malformed input, hence 403.
    WebhookUrlForbidden,
    /// A webhook event type is not in the catalog.
    UnknownEventType,
    /// The organization has as many webhook endpoints as it may have.
    WebhookLimitReached,
    /// The webhook endpoint is disabled; enable it first.
    WebhookEndpointDisabled,
    /// The server has no secret key (`--secret-key`), so it cannot keep webhook secrets.
    WebhooksNotConfigured,
    /// Invitations were to be delivered by webhook, and no endpoint of the organization
    /// receives `organizationInvitation.delivery`.
    NoWebhookEndpoint,
    /// The invite link was revoked (or reset, which revokes it).
    InviteLinkRevoked,
    /// The invite link has expired.
    InviteLinkExpired,
    /// The invite link has no uses left.
    InviteLinkExhausted,
    /// The organization does not take requests to join.
    JoinRequestsDisabled,
    /// The user already has a pending request to join this organization.
    AlreadyRequested,
    /// The join request was already accepted, rejected or withdrawn.
    JoinRequestNotPending,
    /// A domain name is malformed or too long.
    DomainInvalid,
    /// The domain belongs to a consumer or disposable email provider, which no organization may claim.
    DomainNotAllowed,
    /// The organization has as many domains as it may have.
    DomainLimitReached,
    /// The domain is already added to this organization, or verified by another one.
    DomainTaken,
    /// The domain must be verified first.
    DomainNotVerified,
    /// The email address is not at the domain being verified.
    EmailNotAtDomain,
    /// The verification code is wrong.
    VerificationCodeInvalid,
    /// The verification code has expired, or was never sent; send a new one.
    VerificationCodeExpired,
    /// Too many wrong codes were entered; send a new one.
    VerificationAttemptsExceeded,
    /// The domain's DNS has no TXT record with the expected value.
    OwnershipRecordNotFound,
    /// The server has no secret key (`--secret-key`), so it cannot keep SSO client secrets.
    SsoNotConfigured,
    /// No active SSO connection matches the email domain, organization slug or connection id given to start SSO.
    SsoConnectionNotFound,
    /// The SSO connection is a draft or inactive; activate it first.
    SsoConnectionInactive,
    /// A domain cannot both belong to an SSO connection and enroll people automatically (automatic invitation or suggestion), and belongs to at most one connection.
    SsoDomainConflict,
    /// The SSO sign-in's state is unknown or was already used (a replay).
    SsoStateInvalid,
    /// The SSO sign-in took longer than its 10 minutes; start again.
    SsoStateExpired,
    /// The identity provider's answer failed verification: its ID token's signature, issuer, audience, nonce or expiry, or the code exchange.
    SsoTokenInvalid,
    /// The identity provider could not be reached, or answered with an error or a malformed document.
    SsoProviderError,
    /// The identity provider vouched for an email address outside the connection's domains.
    SsoEmailOutsideDomains,
    /// The person has no account and no membership, and the connection does not create them just in time.
    SsoJitDisabled,
    /// The organization requires SSO for this address: password sign-in is refused; the error's details name the organization to start SSO with.
    SsoRequired,
    /// The URL to return to after SSO is not on the server's allow-list.
    SsoReturnUrlForbidden,
    /// The SSO connection is in use: an active connection keeps its issuer and client id and
    /// cannot be deleted (deactivate it first), and the last active one stays while the
    /// organization requires SSO.
    SsoConnectionInUse,
    /// The server has no secret key (`--secret-key`), so it cannot keep the keys that sign
    /// session tokens.
    SessionTokensNotConfigured,
    /// The person already created as many organizations as the server allows (`--max-organizations-per-user`).
    OrganizationLimitReached,
    /// The server allows one organization per account (`--one-organization-per-account`) and the
    /// person already belongs to one.
    OneOrganizationPerAccount,
    /// The organization has as many members as its `maxAllowedMemberships` allows.
    MembershipLimitReached,
    /// Public or private metadata would be larger than the rule book's limit (8 KiB).
    MetadataTooLarge,
    /// A logo larger than 1 MB.
    LogoTooLarge,
    /// A logo that is not a well-formed PNG, JPEG or WebP image, judged by its content.
    LogoUnsupported,
    /// A billing profile field breaks a rule (the message names it).
    BillingProfileInvalid,
    /// The request carries what looks like a card number; billing keeps only a provider
    /// reference and display fields.
    CardDataRefused,
    /// The server failed; the cause is in its logs.
    Internal,
    /// A dependency of the server (its database) is briefly unreachable; retry after the
    /// `Retry-After` seconds.
    Unavailable,
    /// The request never reached the server (SDK only).
    NetworkError,
    /// The action would leave an organization without an owner.
    LastOwner,
    /// Only an owner may do this: change, remove, suspend or make an owner, transfer
    /// ownership, change the creator protection, or delete the organization.
    OwnerRequired,
    /// The organization protects its creator: they can neither leave nor be removed or
    /// suspended until they transfer ownership.
    CreatorProtected,
    /// The membership is suspended: a suspended member has no access to the organization.
    MembershipSuspended,
    /// Deleting an organization needs its slug repeated as `confirm`; it was missing or wrong.
    ConfirmationMismatch,
    /// A permission key is neither a system permission nor one the app declared.
    UnknownPermission,
    /// The escalation guard: the action would grant permissions the actor does not hold; the
    /// error's `missingPermissions` lists them.
    PermissionEscalation,
    /// The organization has as many custom roles as it may have (20).
    RoleLimitReached,
    /// The organization already has a role with this key.
    RoleKeyTaken,
    /// Built-in roles (`admin`, `basic_member`) cannot be edited or deleted.
    BuiltInRole,
    /// The role is assigned to a member, or is the creator or default role: it cannot be
    /// deleted.
    RoleInUse,
    /// The creator role must hold `org:memberships:manage`, `org:memberships:read` and
    /// `org:profile:delete`.
    CreatorRoleInsufficient,
    /// The workspace is archived: it takes no new grants.
    WorkspaceArchived,
    /// A personal workspace belongs to its owner alone: it takes no grants.
    WorkspacePersonal,
    /// Another workspace of the organization has this slug.
    WorkspaceSlugTaken,
    /// Another group of the organization has this name.
    GroupNameTaken,
    /// Only members of the organization (and its service accounts) can be added to a group or workspace.
    NotAMember,
    /// The organization's API key policy allows no new keys.
    ApiKeysDisabled,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 84] = [
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::ValidationFailed,
        ErrorCode::LastAdmin,
        ErrorCode::AlreadyMember,
        ErrorCode::AlreadyInvited,
        ErrorCode::InvitationExpired,
        ErrorCode::InvitationNotPending,
        ErrorCode::WrongRecipient,
        ErrorCode::EmailNotVerified,
        ErrorCode::SlugTaken,
        ErrorCode::EmailTaken,
        ErrorCode::InvalidCredentials,
        ErrorCode::RateLimited,
        ErrorCode::UnknownRole,
        ErrorCode::VerificationTokenUsed,
        ErrorCode::VerificationTokenExpired,
        ErrorCode::WebhookUrlInvalid,
        ErrorCode::WebhookUrlForbidden,
        ErrorCode::UnknownEventType,
        ErrorCode::WebhookLimitReached,
        ErrorCode::WebhookEndpointDisabled,
        ErrorCode::WebhooksNotConfigured,
        ErrorCode::NoWebhookEndpoint,
        ErrorCode::InviteLinkRevoked,
        ErrorCode::InviteLinkExpired,
        ErrorCode::InviteLinkExhausted,
        ErrorCode::JoinRequestsDisabled,
        ErrorCode::AlreadyRequested,
        ErrorCode::JoinRequestNotPending,
        ErrorCode::DomainInvalid,
        ErrorCode::DomainNotAllowed,
        ErrorCode::DomainLimitReached,
        ErrorCode::DomainTaken,
        ErrorCode::DomainNotVerified,
        ErrorCode::EmailNotAtDomain,
        ErrorCode::VerificationCodeInvalid,
        ErrorCode::VerificationCodeExpired,
        ErrorCode::VerificationAttemptsExceeded,
        ErrorCode::OwnershipRecordNotFound,
        ErrorCode::SsoNotConfigured,
        ErrorCode::SsoConnectionNotFound,
        ErrorCode::SsoConnectionInactive,
        ErrorCode::SsoDomainConflict,
        ErrorCode::SsoStateInvalid,
        ErrorCode::SsoStateExpired,
        ErrorCode::SsoTokenInvalid,
        ErrorCode::SsoProviderError,
        ErrorCode::SsoEmailOutsideDomains,
        ErrorCode::SsoJitDisabled,
        ErrorCode::SsoRequired,
        ErrorCode::SsoReturnUrlForbidden,
        ErrorCode::SsoConnectionInUse,
        ErrorCode::SessionTokensNotConfigured,
        ErrorCode::OrganizationLimitReached,
        ErrorCode::OneOrganizationPerAccount,
        ErrorCode::MembershipLimitReached,
        ErrorCode::MetadataTooLarge,
        ErrorCode::LogoTooLarge,
        ErrorCode::LogoUnsupported,
        ErrorCode::BillingProfileInvalid,
        ErrorCode::CardDataRefused,
        ErrorCode::Internal,
        ErrorCode::Unavailable,
        ErrorCode::NetworkError,
        ErrorCode::LastOwner,
        ErrorCode::OwnerRequired,
        ErrorCode::CreatorProtected,
        ErrorCode::MembershipSuspended,
        ErrorCode::ConfirmationMismatch,
        ErrorCode::UnknownPermission,
        ErrorCode::PermissionEscalation,
        ErrorCode::RoleLimitReached,
        ErrorCode::RoleKeyTaken,
        ErrorCode::BuiltInRole,
        ErrorCode::RoleInUse,
        ErrorCode::CreatorRoleInsufficient,
        ErrorCode::WorkspaceArchived,
        ErrorCode::WorkspacePersonal,
        ErrorCode::WorkspaceSlugTaken,
        ErrorCode::GroupNameTaken,
        ErrorCode::NotAMember,
        ErrorCode::ApiKeysDisabled,
    ];

    /// The wire form, for example `"last_admin"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::LastAdmin => "last_admin",
            ErrorCode::AlreadyMember => "already_member",
            ErrorCode::AlreadyInvited => "already_invited",
            ErrorCode::InvitationExpired => "invitation_expired",
            ErrorCode::InvitationNotPending => "invitation_not_pending",
            ErrorCode::WrongRecipient => "wrong_recipient",
            ErrorCode::EmailNotVerified => "email_not_verified",
            ErrorCode::SlugTaken => "slug_taken",
            ErrorCode::EmailTaken => "email_taken",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::UnknownRole => "unknown_role",
            ErrorCode::VerificationTokenUsed => "verification_token_used",
            ErrorCode::VerificationTokenExpired => "verification_token_expired",
            ErrorCode::WebhookUrlInvalid => "webhook_url_invalid",
            ErrorCode::WebhookUrlForbidden => "webhook_url_forbidden",
            ErrorCode::UnknownEventType => "unknown_event_type",
            ErrorCode::WebhookLimitReached => "webhook_limit_reached",
            ErrorCode::WebhookEndpointDisabled => "webhook_endpoint_disabled",
            ErrorCode::WebhooksNotConfigured => "webhooks_not_configured",
            ErrorCode::NoWebhookEndpoint => "no_webhook_endpoint",
            ErrorCode::InviteLinkRevoked => "invite_link_revoked",
            ErrorCode::InviteLinkExpired => "invite_link_expired",
            ErrorCode::InviteLinkExhausted => "invite_link_exhausted",
            ErrorCode::JoinRequestsDisabled => "join_requests_disabled",
            ErrorCode::AlreadyRequested => "already_requested",
            ErrorCode::JoinRequestNotPending => "join_request_not_pending",
            ErrorCode::DomainInvalid => "domain_invalid",
            ErrorCode::DomainNotAllowed => "domain_not_allowed",
            ErrorCode::DomainLimitReached => "domain_limit_reached",
            ErrorCode::DomainTaken => "domain_taken",
            ErrorCode::DomainNotVerified => "domain_not_verified",
            ErrorCode::EmailNotAtDomain => "email_not_at_domain",
            ErrorCode::VerificationCodeInvalid => "verification_code_invalid",
            ErrorCode::VerificationCodeExpired => "verification_code_expired",
            ErrorCode::VerificationAttemptsExceeded => "verification_attempts_exceeded",
            ErrorCode::OwnershipRecordNotFound => "ownership_record_not_found",
            ErrorCode::SsoNotConfigured => "sso_not_configured",
            ErrorCode::SsoConnectionNotFound => "sso_connection_not_found",
            ErrorCode::SsoConnectionInactive => "sso_connection_inactive",
            ErrorCode::SsoDomainConflict => "sso_domain_conflict",
            ErrorCode::SsoStateInvalid => "sso_state_invalid",
            ErrorCode::SsoStateExpired => "sso_state_expired",
            ErrorCode::SsoTokenInvalid => "sso_token_invalid",
            ErrorCode::SsoProviderError => "sso_provider_error",
            ErrorCode::SsoEmailOutsideDomains => "sso_email_outside_domains",
            ErrorCode::SsoJitDisabled => "sso_jit_disabled",
            ErrorCode::SsoRequired => "sso_required",
            ErrorCode::SsoReturnUrlForbidden => "sso_return_url_forbidden",
            ErrorCode::SsoConnectionInUse => "sso_connection_in_use",
            ErrorCode::SessionTokensNotConfigured => "session_tokens_not_configured",
            ErrorCode::OrganizationLimitReached => "organization_limit_reached",
            ErrorCode::OneOrganizationPerAccount => "one_organization_per_account",
            ErrorCode::MembershipLimitReached => "membership_limit_reached",
            ErrorCode::MetadataTooLarge => "metadata_too_large",
            ErrorCode::LogoTooLarge => "logo_too_large",
            ErrorCode::LogoUnsupported => "logo_unsupported",
            ErrorCode::BillingProfileInvalid => "billing_profile_invalid",
            ErrorCode::CardDataRefused => "card_data_refused",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::NetworkError => "network_error",
            ErrorCode::LastOwner => "last_owner",
            ErrorCode::OwnerRequired => "owner_required",
            ErrorCode::CreatorProtected => "creator_protected",
            ErrorCode::MembershipSuspended => "membership_suspended",
            ErrorCode::ConfirmationMismatch => "confirmation_mismatch",
            ErrorCode::UnknownPermission => "unknown_permission",
            ErrorCode::PermissionEscalation => "permission_escalation",
            ErrorCode::RoleLimitReached => "role_limit_reached",
            ErrorCode::RoleKeyTaken => "role_key_taken",
            ErrorCode::BuiltInRole => "built_in_role",
            ErrorCode::RoleInUse => "role_in_use",
            ErrorCode::CreatorRoleInsufficient => "creator_role_insufficient",
            ErrorCode::WorkspaceArchived => "workspace_archived",
            ErrorCode::WorkspacePersonal => "workspace_personal",
            ErrorCode::WorkspaceSlugTaken => "workspace_slug_taken",
            ErrorCode::GroupNameTaken => "group_name_taken",
            ErrorCode::NotAMember => "not_a_member",
            ErrorCode::ApiKeysDisabled => "api_keys_disabled",
        }
    }

    /// Parses a wire code; unknown codes give `None`.
    #[must_use]
    pub fn parse(code: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refusal by the rule book: a stable code and a message a person can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainError {
    pub code: ErrorCode,
    pub message: &'static str,
    /// For `permission_escalation`: the permissions the actor lacks (named by the catalog,
    /// `RoleCatalog::names`); empty otherwise.
    pub missing: crate::permission::PermissionSet,
}

impl DomainError {
    #[must_use]
    pub const fn new(code: ErrorCode, message: &'static str) -> Self {
        DomainError {
            code,
            message,
            missing: crate::permission::PermissionSet::EMPTY,
        }
    }
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for DomainError {}

mod status;

#[cfg(test)]
mod tests;
