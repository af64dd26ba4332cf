//! The HTTP status of each error code.

use super::ErrorCode;

impl ErrorCode {
    /// The HTTP status the server answers with. `NetworkError` never comes from a server: 0.
    #[must_use]
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorCode::ValidationFailed
            | ErrorCode::WebhookUrlInvalid
            | ErrorCode::DomainInvalid => 400,
            ErrorCode::Unauthenticated
            | ErrorCode::InvalidCredentials
            | ErrorCode::SsoTokenInvalid => 401,
            ErrorCode::Forbidden
            | ErrorCode::WrongRecipient
            | ErrorCode::EmailNotVerified
            | ErrorCode::WebhookUrlForbidden
            | ErrorCode::JoinRequestsDisabled
            | ErrorCode::DomainNotAllowed
            | ErrorCode::SsoEmailOutsideDomains
            | ErrorCode::SsoJitDisabled
            | ErrorCode::SsoRequired
            | ErrorCode::SsoReturnUrlForbidden
            | ErrorCode::OwnerRequired
            | ErrorCode::MembershipSuspended => 403,
            ErrorCode::NotFound | ErrorCode::SsoConnectionNotFound => 404,
            ErrorCode::LastAdmin
            | ErrorCode::AlreadyMember
            | ErrorCode::AlreadyInvited
            | ErrorCode::InvitationExpired
            | ErrorCode::InvitationNotPending
            | ErrorCode::SlugTaken
            | ErrorCode::EmailTaken
            | ErrorCode::VerificationTokenUsed
            | ErrorCode::VerificationTokenExpired
            | ErrorCode::WebhookLimitReached
            | ErrorCode::WebhookEndpointDisabled
            | ErrorCode::WebhooksNotConfigured
            | ErrorCode::NoWebhookEndpoint
            | ErrorCode::InviteLinkRevoked
            | ErrorCode::InviteLinkExpired
            | ErrorCode::InviteLinkExhausted
            | ErrorCode::AlreadyRequested
            | ErrorCode::JoinRequestNotPending
            | ErrorCode::DomainLimitReached
            | ErrorCode::DomainTaken
            | ErrorCode::DomainNotVerified
            | ErrorCode::VerificationCodeExpired
            | ErrorCode::VerificationAttemptsExceeded
            | ErrorCode::OwnershipRecordNotFound
            | ErrorCode::SsoNotConfigured
            | ErrorCode::SsoConnectionInactive
            | ErrorCode::SsoDomainConflict
            | ErrorCode::SsoStateInvalid
            | ErrorCode::SsoStateExpired
            | ErrorCode::SsoConnectionInUse
            | ErrorCode::SessionTokensNotConfigured
            | ErrorCode::OrganizationLimitReached
            | ErrorCode::OneOrganizationPerAccount
            | ErrorCode::MembershipLimitReached
            | ErrorCode::MetadataTooLarge
            | ErrorCode::LogoUnsupported
            | ErrorCode::BillingProfileInvalid
            | ErrorCode::CardDataRefused
            | ErrorCode::EmailNotAtDomain
            | ErrorCode::LastOwner
            | ErrorCode::CreatorProtected
            | ErrorCode::ConfirmationMismatch => 409,
            ErrorCode::UnknownRole
            | ErrorCode::UnknownEventType
            | ErrorCode::VerificationCodeInvalid => 422,
            ErrorCode::LogoTooLarge => 413,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
            ErrorCode::SsoProviderError => 502,
            ErrorCode::Unavailable => 503,
            ErrorCode::NetworkError => 0,
            ErrorCode::PermissionEscalation => 403,
            ErrorCode::UnknownPermission
            | ErrorCode::RoleLimitReached
            | ErrorCode::RoleKeyTaken
            | ErrorCode::BuiltInRole
            | ErrorCode::RoleInUse
            | ErrorCode::CreatorRoleInsufficient
            | ErrorCode::WorkspaceArchived
            | ErrorCode::WorkspacePersonal
            | ErrorCode::WorkspaceSlugTaken
            | ErrorCode::GroupNameTaken
            | ErrorCode::NotAMember => 409,
            ErrorCode::ApiKeysDisabled => 403,
        }
    }

    /// The code of a refusal with HTTP `status` that carries no orgkit error body (a proxy's
    /// or a load balancer's answer, often an HTML page): read from the status alone.
    #[must_use]
    pub const fn for_bare_status(status: u16) -> ErrorCode {
        match status {
            401 => ErrorCode::Unauthenticated,
            403 => ErrorCode::Forbidden,
            404 | 410 => ErrorCode::NotFound,
            429 => ErrorCode::RateLimited,
            503 => ErrorCode::Unavailable,
            500..=599 => ErrorCode::Internal,
            0 => ErrorCode::NetworkError,
            _ => ErrorCode::ValidationFailed,
        }
    }
}
