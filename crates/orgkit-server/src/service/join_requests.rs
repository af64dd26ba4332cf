//! Requests to join an organization. Every path that asks to be let in (a user's own request,
//! an invite link that requires approval, acting on a domain suggestion) files one through
//! [`file_pending`], inside the transaction that locks the organization.

use crate::db::{is_unique_violation, Tx};
use crate::error::{ApiError, ApiResult};
use crate::token::new_id;
use orgkit_core::{ErrorCode, InviteLinkId, JoinRequestId, OrganizationId, Timestamp, UserId};

/// How a join request came to be (the `source` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinRequestSource<'a> {
    /// The user asked, from the organization's page.
    Request,
    /// The user accepted an invite link that requires approval.
    Link(&'a InviteLinkId),
    /// The user acted on a suggestion from a verified domain.
    Suggestion,
}

impl JoinRequestSource<'_> {
    /// The stored form.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            JoinRequestSource::Request => "request",
            JoinRequestSource::Link(_) => "link",
            JoinRequestSource::Suggestion => "suggestion",
        }
    }
}

/// What a new pending request holds.
pub struct NewJoinRequest<'a> {
    pub org_id: &'a OrganizationId,
    pub user_id: &'a UserId,
    pub message: Option<&'a str>,
    pub source: JoinRequestSource<'a>,
    /// The role proposed (a link's role); `None` means the organization's default role.
    pub role: Option<&'a str>,
    pub at: Timestamp,
}

/// Files a pending join request. The caller holds the organization's lock and has asked the
/// rule book; a second pending request of the same user is refused with `already_requested`
/// (backed by the unique index `join_requests_one_pending`).
pub async fn file_pending(tx: &mut Tx, new: NewJoinRequest<'_>) -> ApiResult<JoinRequestId> {
    let id = JoinRequestId(new_id(JoinRequestId::PREFIX));
    let link_id = match new.source {
        JoinRequestSource::Link(link) => Some(link.as_str()),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO join_requests (id, org_id, user_id, message, source, link_id, role, status, \
         pending, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 1, $8)",
    )
    .bind(id.as_str())
    .bind(new.org_id.as_str())
    .bind(new.user_id.as_str())
    .bind(new.message)
    .bind(new.source.as_str())
    .bind(link_id)
    .bind(new.role)
    .bind(new.at.millis())
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            ApiError::new(
                ErrorCode::AlreadyRequested,
                "You already asked to join this organization.",
            )
        } else {
            e.into()
        }
    })?;
    Ok(id)
}
