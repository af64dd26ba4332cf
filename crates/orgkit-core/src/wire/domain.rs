//! Verified email domains' JSON bodies: an organization's domains, the requests that verify
//! them and set their enrollment mode, and the suggestions a user sees.

use crate::domain::EnrollmentMode;
use crate::ids::{DomainId, JoinRequestId, OrganizationId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// An email domain of an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrganizationDomain {
    pub id: DomainId,
    pub organization_id: OrganizationId,
    /// The ASCII (IDNA) form, lowercased: `xn--bcher-kva.example` for `bücher.example`.
    pub name: String,
    pub enrollment_mode: EnrollmentMode,
    /// Whether the domain is verified, by affiliation or by ownership. A name is verified for
    /// one organization at a time.
    pub verified: bool,
    /// The address that proved affiliation, or to which the last code was sent.
    pub affiliation_email_address: Option<String>,
    pub affiliation_verified_at: Option<Timestamp>,
    /// The TXT record to publish to prove ownership: its name…
    pub ownership_record_name: String,
    /// …and its value (public: it is meant for DNS).
    pub ownership_record_value: String,
    pub ownership_verified_at: Option<Timestamp>,
    /// Pending invitations this domain created (automatic invitation).
    pub pending_invitations: u32,
    pub created_at: Timestamp,
}

/// `POST /v1/organizations/{orgId}/domains`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateDomainRequest {
    /// A domain name, stored in its ASCII form, lowercased. A Unicode name is accepted too and
    /// converted (IDNA, `bücher.example` is `xn--bcher-kva.example`); the pattern states the
    /// ASCII form.
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 253,
            pattern = r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"
        )
    )]
    pub name: String,
    /// `manual_invitation` when absent; the automatic modes need a verified domain, so a new
    /// domain cannot start in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrollment_mode: Option<EnrollmentMode>,
}

/// `PATCH /v1/organizations/{orgId}/domains/{domainId}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateDomainRequest {
    pub enrollment_mode: EnrollmentMode,
    /// Revoke the pending invitations this domain created, and withdraw the pending join
    /// requests its suggestions led to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_pending: Option<bool>,
}

/// `POST /v1/organizations/{orgId}/domains/{domainId}/prepare-affiliation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PrepareAffiliationRequest {
    /// An address at the domain itself.
    #[cfg_attr(feature = "openapi", schema(value_type = super::EmailAddress))]
    pub email_address: String,
}

/// `POST /v1/organizations/{orgId}/domains/{domainId}/attempt-affiliation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AttemptAffiliationRequest {
    /// The 6-digit code mailed to the address.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{6}$"))]
    pub code: String,
}

/// An organization I could join through my verified address's domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DomainSuggestion {
    /// The domain that suggests it; accept with `POST /v1/me/suggestions/{domainId}/accept`.
    pub domain_id: DomainId,
    pub domain_name: String,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub organization_slug: String,
}

/// What accepting a suggestion answers: the join request it filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SuggestionAccepted {
    pub join_request_id: JoinRequestId,
    pub organization_id: OrganizationId,
}
