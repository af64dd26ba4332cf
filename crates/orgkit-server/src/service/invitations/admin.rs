//! The organization's side of invitations: inviting one or many addresses, listing, revoking
//! and resending.

use super::{pending_conflict, InvitationRow, INVITATION_COLUMNS};
use crate::auth::CurrentUser;
use crate::db::Tx;
use crate::error::{detail, ApiError, ApiResult};
use crate::mail::invitation_email;
use crate::queue::enqueue_mail;
use crate::rate_limit::Limit;
use crate::service::memberships::wire_json;
use crate::service::AuditEntry;
use crate::service::{audit, begin_org_write, finish_page, page_request};
use crate::state::AppState;
use crate::token::{hash, new_id, new_secret, now};
use crate::webhooks::{self, emit, emit_secret, Queued};
use orgkit_core::delivery::InvitationDelivery;
use orgkit_core::policy::Action;
use orgkit_core::wire::{Invitation, InviteResult, Page};
use orgkit_core::{
    validate, ErrorCode, EventType, InvitationId, InvitationStatus, OrganizationId, Role, Timestamp,
};

mod invite;
pub use invite::{bulk_results, invite};

fn ttl_ms(state: &AppState) -> i64 {
    state.config.invitation_ttl_seconds.saturating_mul(1000)
}

/// Counts `sends` invitation emails against the per-account and per-client-address limits.
async fn limit_sends(
    state: &AppState,
    me: &CurrentUser,
    client_ip: &str,
    sends: u32,
) -> ApiResult<()> {
    state
        .limiter
        .check(
            &[
                format!("invite:acct:{}", me.id()),
                format!("invite:ip:{client_ip}"),
            ],
            sends,
            state.config.invite_limit_per_minute,
            now().millis(),
        )
        .await
}

/// Counts one email to `address` against the per-target-address limit (`Limit::mail_to`). On
/// SQLite it never waits (in-process counters), so SQLite's writer thread may run it in a job.
async fn limit_mail_to(state: &AppState, address: &str) -> ApiResult<()> {
    let limit = Limit::mail_to(address, state.config.mail_to_address_limit_per_minute);
    state.limiter.check_all(&[limit], now().millis()).await
}

/// One page of an organization's invitations with an effective `status`.
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    status: InvitationStatus,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<Invitation>> {
    let (limit, after) = page_request(limit, after, InvitationId::is_well_formed)?;
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ListInvitations)?;
    // The SQL twin of `InvitationStatus::effective`, so the filter runs on the index.
    let filter = match status {
        InvitationStatus::Pending => "i.status = 'pending' AND i.expires_at > $4",
        InvitationStatus::Expired => {
            "(i.status = 'expired' OR (i.status = 'pending' AND i.expires_at <= $4))"
        }
        InvitationStatus::Accepted => "i.status = 'accepted' AND $4 = $4",
        InvitationStatus::Declined => "i.status = 'declined' AND $4 = $4",
        _ => "i.status = 'revoked' AND $4 = $4",
    };
    let sql = format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN organizations o ON o.id = i.org_id \
         WHERE i.org_id = $1 AND i.id > $2 AND {filter} ORDER BY i.id LIMIT $3"
    );
    let rows: Vec<InvitationRow> = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(after)
        .bind(i64::from(limit) + 1)
        .bind(now().millis())
        .fetch_all(&state.db.pool)
        .await?;
    Ok(finish_page(
        rows,
        limit,
        |r| r.id.as_str(),
        InvitationRow::into_wire,
    ))
}

/// One invitation of `org_id`, read inside `tx`.
async fn load(tx: &mut Tx, org_id: &OrganizationId, id: &InvitationId) -> ApiResult<InvitationRow> {
    let sql = format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i JOIN organizations o ON o.id = i.org_id \
         WHERE i.org_id = $1 AND i.id = $2"
    );
    sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| ApiError::not_found("Invitation"))
}

/// Revokes a pending invitation; its token stops working at once.
pub async fn revoke(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &InvitationId,
) -> ApiResult<Invitation> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let row = load(&mut tx, org_id, id).await?;
    let action = Action::RevokeInvitation {
        status: row.effective_status(),
    };
    locked.access.check(me, action)?;
    sqlx::query("UPDATE invitations SET status = 'revoked' WHERE id = $1")
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "invitation.revoked",
        subject: id.as_str(),
        detail: &row.email,
    };
    audit(&mut tx, event).await?;
    let mut invitation = row.into_wire();
    invitation.status = InvitationStatus::Revoked;
    let data = wire_json(&invitation)?;
    let queued = emit(&mut tx, org_id, EventType::InvitationRevoked, data, now()).await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(invitation)
}

/// Sends an invitation again with a new token and a new expiry; the old link stops working.
pub async fn resend(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &InvitationId,
    client_ip: &str,
) -> ApiResult<Invitation> {
    limit_sends(state, me, client_ip, 1).await?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let row = load(&mut tx, org_id, id).await?;
    let action = Action::ResendInvitation {
        status: row.effective_status(),
    };
    locked.access.check(me, action)?;
    limit_mail_to(state, &row.email).await?;
    let token = new_secret();
    let expires_at = now().plus_millis(ttl_ms(state));
    sqlx::query(
        "UPDATE invitations SET token_hash = $1, expires_at = $2, status = 'pending' WHERE id = $3",
    )
    .bind(hash(&token))
    .bind(expires_at.millis())
    .bind(id.as_str())
    .execute(&mut *tx)
    .await
    .map_err(pending_conflict)?;
    let message = invitation_email(
        &state.public_url,
        &row.email,
        &row.org_name,
        &row.role,
        &token,
    );
    enqueue_mail(&mut tx, &message, Some(org_id.as_str())).await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "invitation.resent",
        subject: id.as_str(),
        detail: &row.email,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    state.queue.wake();
    let mut invitation = row.into_wire();
    invitation.status = InvitationStatus::Pending;
    invitation.expires_at = expires_at;
    Ok(invitation)
}
