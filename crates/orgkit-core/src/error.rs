//! The one list of error codes shared by the server and the SDK.

use core::fmt;
use serde::{Deserialize, Serialize};

/// A stable, snake_case error code. It is the only source of error codes on the wire: the
/// server answers `{"error": {"code", "message"}}` with it and the SDK rejects with it.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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

mod names;
mod status;

#[cfg(test)]
mod tests;
