//! The invited person's side: previewing an invitation by its token, accepting it (by token
//! or, with a verified address, by id) and listing the invitations addressed to me.

use super::{InvitationRow, INVITATION_COLUMNS};
use crate::auth::CurrentUser;
use crate::db::is_unique_violation;
use crate::error::{ApiError, ApiResult};
use crate::service::memberships::wire_json;
use crate::service::rows::membership_with_org;
use crate::service::{audit, AuditEntry};
use crate::state::AppState;
use crate::token::{hash, new_id, now};
use crate::webhooks::{self, emit};
use orgkit_core::invitation::{check_invitee_access, AcceptFacts, InviteeAccess};
use orgkit_core::policy::Action;
use orgkit_core::secret::TokenKind;
use orgkit_core::wire::{Invitation, InvitationPreview, Membership};
use orgkit_core::{
    ErrorCode, EventType, InvitationId, InvitationStatus, MembershipId, OrganizationId, Timestamp,
};

/// What the accept page shows before anyone signs in: the token is the secret.
pub async fn preview(state: &AppState, token: &str) -> ApiResult<InvitationPreview> {
    TokenKind::Invitation.check(token)?;
    let sql = format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN organizations o ON o.id = i.org_id \
         WHERE i.token_hash = $1"
    );
    let row: InvitationRow = sqlx::query_as(&sql)
        .bind(hash(token))
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("Invitation"))?;
    let invitation = row.into_wire();
    Ok(InvitationPreview {
        email_address: invitation.email_address,
        organization_name: invitation.organization_name,
        role: invitation.role,
        status: invitation.status,
        expires_at: invitation.expires_at,
    })
}

/// How an invitation is being accepted.
pub enum AcceptBy<'a> {
    /// With the emailed token, which also proves the address.
    Token(&'a str),
    /// By id, from my list of invitations (needs a verified address).
    Id(&'a InvitationId),
}

/// Accepts an invitation: one membership, however many times it is accepted at once.
pub async fn accept(state: &AppState, me: &CurrentUser, by: AcceptBy<'_>) -> ApiResult<Membership> {
    if let AcceptBy::Token(token) = &by {
        TokenKind::Invitation.check(token)?;
    }
    let (access, column, key) = match by {
        AcceptBy::Token(token) => (InviteeAccess::Token, "token_hash", hash(token)),
        AcceptBy::Id(id) => (InviteeAccess::Id, "id", id.as_str().to_owned()),
    };
    check_invitee_access(access, me.user.email_verified)?;
    let find = format!("SELECT org_id FROM invitations WHERE {column} = $1");
    let mut tx = state.db.begin_write().await?;
    let org: Option<(String,)> = sqlx::query_as(&find)
        .bind(&key)
        .fetch_optional(&mut *tx)
        .await?;
    let org_id = OrganizationId(org.ok_or_else(|| ApiError::not_found("Invitation"))?.0);
    // Every change to this organization's invitations and memberships holds this lock, so the
    // invitation read below is the latest: a second accept sees the first one's result.
    let locked = state
        .db
        .lock_organization(&mut tx, &org_id, me.id())
        .await?;
    let read = format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN organizations o ON o.id = i.org_id \
         WHERE i.{column} = $1"
    );
    let invitation: InvitationRow = sqlx::query_as(&read).bind(&key).fetch_one(&mut *tx).await?;
    let facts = AcceptFacts {
        status: invitation.stored_status(),
        expires_at: invitation.expires_at,
        invited_email: &invitation.email,
        user_email: &me.user.email_address,
        already_member: locked.is_some_and(|l| l.my_role.is_some()),
    };
    crate::service::access::outsider(state).check(me, Action::AcceptInvitation(facts))?;
    crate::service::limits::check_join(state, &mut tx, &org_id, me.id()).await?;
    let accepted_at = now();
    let at = accepted_at.millis();
    sqlx::query("INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(new_id(MembershipId::PREFIX))
        .bind(org_id.as_str())
        .bind(me.id().as_str())
        .bind(&invitation.role)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(|e| if is_unique_violation(&e) {
            ApiError::new(ErrorCode::AlreadyMember, "You are already a member of this organization.")
        } else {
            e.into()
        })?;
    sqlx::query(
        "UPDATE invitations SET status = 'accepted', accepted_by = $1, accepted_at = $2 WHERE id = $3",
    )
    .bind(me.id().as_str())
    .bind(at)
    .bind(invitation.id.as_str())
    .execute(&mut *tx)
    .await?;
    if access == InviteeAccess::Token {
        // The emailed token proves the address.
        sqlx::query("UPDATE users SET email_verified = 1 WHERE id = $1")
            .bind(me.id().as_str())
            .execute(&mut *tx)
            .await?;
    }
    let event = AuditEntry {
        org_id: &org_id,
        actor: me,
        action: "invitation.accepted",
        subject: invitation.id.as_str(),
        detail: &invitation.email,
    };
    audit(&mut tx, event).await?;
    let membership = membership_with_org(state, &mut tx, &org_id, me.id()).await?;
    let mut accepted = invitation.into_wire();
    accepted.status = InvitationStatus::Accepted;
    let joined = orgkit_core::wire::Membership {
        organization: None,
        ..membership.clone()
    };
    let queued = emit_all(
        &mut tx,
        &org_id,
        [
            (EventType::InvitationAccepted, wire_json(&accepted)?),
            (EventType::MembershipCreated, wire_json(&joined)?),
        ],
        accepted_at,
    )
    .await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(membership)
}

/// Emits several events of one change, in order.
async fn emit_all<const N: usize>(
    tx: &mut crate::db::Tx,
    org_id: &OrganizationId,
    events: [(EventType, serde_json::Value); N],
    at: Timestamp,
) -> ApiResult<webhooks::Queued> {
    let mut queued = webhooks::Queued::default();
    for (event_type, data) in events {
        queued = queued + emit(tx, org_id, event_type, data, at).await?;
    }
    Ok(queued)
}

/// The pending invitations addressed to me, and the expired ones I have not dismissed; needs
/// a verified address (see `check_invitee_access`).
pub async fn mine(state: &AppState, me: &CurrentUser) -> ApiResult<Vec<Invitation>> {
    check_invitee_access(InviteeAccess::ListMine, me.user.email_verified)?;
    let sql = format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN organizations o ON o.id = i.org_id \
         WHERE i.email = $1 AND i.status = 'pending' AND i.dismissed_at IS NULL \
         ORDER BY i.id LIMIT 100"
    );
    let rows: Vec<InvitationRow> = sqlx::query_as(&sql)
        .bind(&me.user.email_address)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(rows.into_iter().map(InvitationRow::into_wire).collect())
}
