//! The invitee saying no: declining a pending invitation (by its emailed token, or by id from
//! my list with a verified address) and dismissing an expired one from my list.
//!
//! Neither emits a webhook: Clerk's catalog has no "declined" event, and orgkit's catalog keeps
//! Clerk's names; the audit log records both (`invitation.declined`, `invitation.dismissed`).

use super::{InvitationRow, INVITATION_COLUMNS};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::service::{audit, AuditEntry};
use crate::state::AppState;
use crate::token::{hash, now};
use orgkit_core::invitation::{
    check_decline, check_dismiss, check_invitee_access, AcceptFacts, InviteeAccess,
};
use orgkit_core::wire::Invitation;
use orgkit_core::{DomainError, InvitationStatus, OrganizationId};

use super::AcceptBy;

/// What the invitee does.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Say no to a pending invitation.
    Decline,
    /// Remove an expired invitation from my list.
    Dismiss,
}

/// Declines or dismisses one invitation addressed to me, under its organization's lock.
pub async fn answer(
    state: &AppState,
    me: &CurrentUser,
    by: AcceptBy<'_>,
    what: Answer,
) -> ApiResult<Invitation> {
    if let AcceptBy::Token(token) = &by {
        orgkit_core::secret::TokenKind::Invitation.check(token)?;
    }
    let (access, column, key) = match by {
        AcceptBy::Token(token) => (InviteeAccess::Token, "token_hash", hash(token)),
        AcceptBy::Id(id) => (InviteeAccess::Id, "id", id.as_str().to_owned()),
    };
    check_invitee_access(access, me.user.email_verified)?;
    let mut tx = state.db.begin_write().await?;
    let find = format!("SELECT org_id FROM invitations WHERE {column} = $1");
    let org: Option<(String,)> = sqlx::query_as(&find)
        .bind(&key)
        .fetch_optional(&mut *tx)
        .await?;
    let org_id = OrganizationId(org.ok_or_else(|| ApiError::not_found("Invitation"))?.0);
    // The same lock as accepting and revoking: a decline and an accept never both win.
    state
        .db
        .lock_organization(&mut tx, &org_id, me.id())
        .await?;
    let read = format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN organizations o ON o.id = i.org_id \
         WHERE i.{column} = $1"
    );
    let row: InvitationRow = sqlx::query_as(&read).bind(&key).fetch_one(&mut *tx).await?;
    let at = now();
    let facts = AcceptFacts {
        status: row.stored_status(),
        expires_at: row.expires_at,
        invited_email: &row.email,
        user_email: &me.user.email_address,
        already_member: false,
    };
    let checked: Result<(), DomainError> = match what {
        Answer::Decline => check_decline(facts, at),
        Answer::Dismiss => check_dismiss(facts, at),
    };
    checked?;
    let action = match what {
        Answer::Decline => {
            sqlx::query("UPDATE invitations SET status = 'declined' WHERE id = $1")
                .bind(row.id.as_str())
                .execute(&mut *tx)
                .await?;
            "invitation.declined"
        }
        Answer::Dismiss => {
            sqlx::query("UPDATE invitations SET dismissed_at = $1 WHERE id = $2")
                .bind(at.millis())
                .bind(row.id.as_str())
                .execute(&mut *tx)
                .await?;
            "invitation.dismissed"
        }
    };
    let event = AuditEntry {
        org_id: &org_id,
        actor: me,
        action,
        subject: row.id.as_str(),
        detail: &row.email,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    let mut invitation = row.into_wire();
    if what == Answer::Decline {
        invitation.status = InvitationStatus::Declined;
    }
    Ok(invitation)
}
