//! Invitations, split by who acts: [`admin`] (invite, list, revoke, resend: the organization's
//! side) and [`invitee`] (preview, accept, my invitations: the invited person's side).

mod admin;
mod decline;
mod invitee;

pub use admin::{bulk_results, invite, list, resend, revoke};
pub use decline::{answer, Answer};
pub use invitee::{accept, mine, preview, AcceptBy};

use crate::db::is_unique_violation;
use crate::error::ApiError;
use crate::token::now;
use orgkit_core::wire::Invitation;
use orgkit_core::{ErrorCode, InvitationId, InvitationStatus, OrganizationId, Role, Timestamp};

/// An invitation with its organization's name.
#[derive(Debug, Clone, sqlx::FromRow)]
struct InvitationRow {
    #[sqlx(try_from = "String")]
    id: InvitationId,
    #[sqlx(try_from = "String")]
    org_id: OrganizationId,
    email: String,
    role: String,
    status: String,
    #[sqlx(try_from = "i64")]
    created_at: Timestamp,
    #[sqlx(try_from = "i64")]
    expires_at: Timestamp,
    org_name: String,
}

/// The select list that yields an [`InvitationRow`] from `invitations i JOIN organizations o`.
const INVITATION_COLUMNS: &str =
    "i.id, i.org_id, i.email, i.role, i.status, i.created_at, i.expires_at, o.name AS org_name";

impl InvitationRow {
    /// The stored status; an unknown value reads as revoked, so it can never be accepted.
    fn stored_status(&self) -> InvitationStatus {
        InvitationStatus::parse(&self.status).unwrap_or(InvitationStatus::Revoked)
    }

    /// The status a person sees now (a pending invitation past its expiry is expired).
    fn effective_status(&self) -> InvitationStatus {
        InvitationStatus::effective(self.stored_status(), self.expires_at, now())
    }

    fn into_wire(self) -> Invitation {
        Invitation {
            status: self.effective_status(),
            id: self.id,
            email_address: self.email,
            role: Role(self.role),
            organization_id: self.org_id,
            organization_name: self.org_name,
            created_at: self.created_at,
            expires_at: self.expires_at,
            accept_url: None,
            token: None,
        }
    }
}

/// Maps a violation of the one-pending-invitation-per-address index to `already_invited`.
fn pending_conflict(e: sqlx::Error) -> ApiError {
    if is_unique_violation(&e) {
        already_invited()
    } else {
        e.into()
    }
}

/// `already_invited`: the address has a pending invitation to the organization.
fn already_invited() -> ApiError {
    ApiError::new(
        ErrorCode::AlreadyInvited,
        "This address already has a pending invitation.",
    )
}
