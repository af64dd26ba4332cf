//! The enrollment mode: changing it (with the `automatic_invitation` backfill), and the hook
//! that invites a user whose address at a verified domain just became verified.

use super::{begin_manage, load, DomainRow};
use crate::auth::{ClientInfo, CurrentUser};
use crate::db::{Kind, Tx};
use crate::error::ApiResult;
use crate::service::memberships::wire_json;
use crate::service::{audit, AuditEntry};
use crate::state::AppState;
use crate::token::{new_id_at, now};
use crate::webhooks::{emit, subscribed};
use orgkit_core::domain::{self, EnrollmentMode};
use orgkit_core::policy::Action;
use orgkit_core::wire::{Invitation, OrganizationDomain, UpdateDomainRequest, User};
use orgkit_core::{
    DomainId, EventType, InvitationId, InvitationStatus, OrganizationId, Role, Timestamp,
};

/// Sets the enrollment mode. Switching to `automatic_invitation` invites, in the same
/// transaction, every user with a verified address at the domain who is neither a member nor
/// invited. `deletePending` revokes the pending invitations the domain created and withdraws
/// the pending join requests that came from suggestions by users at the domain.
pub async fn update(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &DomainId,
    req: UpdateDomainRequest,
) -> ApiResult<OrganizationDomain> {
    let (mut tx, access) = begin_manage(state, me, org_id).await?;
    let row = load(&mut *tx, org_id, id).await?;
    let mode = req.enrollment_mode;
    let verified = row.verified == 1;
    access.check(me, Action::SetEnrollmentMode { mode, verified })?;
    // A domain an SSO connection serves enrolls nobody automatically.
    crate::service::sso::check_enrollment_mode(&mut tx, id, mode).await?;
    let at = now();
    sqlx::query("UPDATE org_domains SET enrollment_mode = $2 WHERE id = $1")
        .bind(id.as_str())
        .bind(mode.as_str())
        .execute(&mut *tx)
        .await?;
    let mut detail = format!("{} → {}", row.enrollment_mode, mode.as_str());
    if req.delete_pending == Some(true) {
        let revoked = sqlx::query(
            "UPDATE invitations SET status = 'revoked' WHERE domain_id = $1 AND status = 'pending'",
        )
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let withdrawn = sqlx::query(
            "UPDATE join_requests SET status = 'withdrawn', pending = 0, decided_by = $3, \
             decided_at = $4 WHERE org_id = $1 AND source = 'suggestion' AND status = 'pending' \
             AND user_id IN (SELECT u.id FROM users u WHERE u.email LIKE $2)",
        )
        .bind(org_id.as_str())
        .bind(format!("%@{}", row.name))
        .bind(me.id().as_str())
        .bind(at.millis())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        detail.push_str(&format!(
            "; {revoked} invitations revoked, {withdrawn} requests withdrawn"
        ));
    }
    if mode == EnrollmentMode::AutomaticInvitation {
        let invited = backfill(state, &mut tx, &row, me, at).await?;
        detail.push_str(&format!("; {invited} invited"));
    }
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "domain.enrollment_mode_changed",
        subject: id.as_str(),
        detail: &detail,
    };
    audit(&mut tx, event).await?;
    let answer = load(&mut *tx, org_id, id).await?;
    tx.commit().await?;
    state.queue.wake();
    Ok(answer.into_wire())
}

/// Invites every verified address at the domain that is neither a member nor invited, in one
/// `INSERT … SELECT` (the pending-invitation index skips the invited). On PostgreSQL it first
/// locks the users at the domain: a user verifying their address right now has their row
/// locked, so the insert waits for them and then sees them verified (see
/// [`lock_for_verification`] for the other side). Answers how many were invited.
async fn backfill(
    state: &AppState,
    tx: &mut Tx,
    row: &DomainRow,
    me: &CurrentUser,
    at: Timestamp,
) -> ApiResult<usize> {
    let pattern = format!("%@{}", row.name);
    if state.db.kind == Kind::Postgres {
        sqlx::query("SELECT id FROM users WHERE email LIKE $1 ORDER BY id FOR UPDATE")
            .bind(&pattern)
            .fetch_all(&mut **tx)
            .await?;
    }
    let batch = &new_id_at("", at);
    let expires_at = at.millis() + invitation_ttl_ms(state);
    let default_role = crate::service::roles::default_role(tx, &row.org_id).await?;
    let invited: Vec<(String, String)> = sqlx::query_as(
        "INSERT INTO invitations (id, org_id, email, role, status, token_hash, inviter_id, \
         created_at, expires_at, domain_id) \
         SELECT 'inv_' || $1 || substr(u.id, 6), $2, u.email, $3, 'pending', \
           'none:' || $1 || u.id, $4, $5, $6, $7 \
         FROM users u WHERE u.email_verified = 1 AND u.email LIKE $8 \
           AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = $2 AND m.user_id = u.id) \
         ON CONFLICT DO NOTHING RETURNING id, email",
    )
    .bind(batch)
    .bind(row.org_id.as_str())
    .bind(&default_role)
    .bind(me.id().as_str())
    .bind(at.millis())
    .bind(expires_at)
    .bind(row.id.as_str())
    .bind(&pattern)
    .fetch_all(&mut **tx)
    .await?;
    announce(tx, &row.org_id, &invited, at, expires_at).await?;
    Ok(invited.len())
}

fn invitation_ttl_ms(state: &AppState) -> i64 {
    state.config.invitation_ttl_seconds.saturating_mul(1000)
}

/// Emits `organizationInvitation.created` for each automatic invitation, when an endpoint of
/// the organization receives it (one statement per invitation; a backfill of N users costs N).
async fn announce(
    tx: &mut Tx,
    org_id: &OrganizationId,
    invited: &[(String, String)],
    at: Timestamp,
    expires_at: i64,
) -> ApiResult<()> {
    if invited.is_empty() || !subscribed(tx, org_id, EventType::InvitationCreated).await? {
        return Ok(());
    }
    let (org_name,): (String,) = sqlx::query_as("SELECT name FROM organizations WHERE id = $1")
        .bind(org_id.as_str())
        .fetch_one(&mut **tx)
        .await?;
    let default_role = crate::service::roles::default_role(tx, org_id).await?;
    for (id, email) in invited {
        let invitation = Invitation {
            id: InvitationId(id.clone()),
            email_address: email.clone(),
            role: Role(default_role.clone()),
            status: InvitationStatus::Pending,
            organization_id: org_id.clone(),
            organization_name: org_name.clone(),
            created_at: at,
            expires_at: Timestamp(expires_at),
            accept_url: None,
            token: None,
        };
        // The caller wakes the queue after its commit.
        let _queued = emit(
            tx,
            org_id,
            EventType::InvitationCreated,
            wire_json(&invitation)?,
            at,
        )
        .await?;
    }
    Ok(())
}

/// The organization whose verified domain is `email`'s, locked for the rest of `tx` (before
/// the address is marked verified, so that the lock order is the organization, then the user,
/// as in [`backfill`]). `None` when no organization has verified that domain.
pub(crate) async fn lock_for_verification(
    state: &AppState,
    tx: &mut Tx,
    email: &str,
) -> ApiResult<Option<OrganizationId>> {
    let Some(name) = domain::email_domain(email) else {
        return Ok(None);
    };
    let org: Option<(String,)> =
        sqlx::query_as("SELECT org_id FROM org_domains WHERE name = $1 AND verified = 1")
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((org_id,)) = org else {
        return Ok(None);
    };
    if state.db.kind == Kind::Postgres {
        sqlx::query("SELECT id FROM organizations WHERE id = $1 FOR UPDATE")
            .bind(&org_id)
            .fetch_optional(&mut **tx)
            .await?;
    }
    Ok(Some(OrganizationId(org_id)))
}

/// Invites a user whose address just became verified, when the organization locked by
/// [`lock_for_verification`] has the address's domain verified in `automatic_invitation` mode
/// (read now, under the lock) and they are neither a member nor invited.
pub(crate) async fn invite_on_verification(
    state: &AppState,
    tx: &mut Tx,
    org_id: Option<OrganizationId>,
    user: &User,
) -> ApiResult<()> {
    let Some(org_id) = org_id else {
        return Ok(());
    };
    let Some(name) = domain::email_domain(&user.email_address) else {
        return Ok(());
    };
    let found: Option<(String, String)> = sqlx::query_as(
        "SELECT id, created_by FROM org_domains WHERE org_id = $1 AND name = $2 AND verified = 1 \
         AND enrollment_mode = 'automatic_invitation'",
    )
    .bind(org_id.as_str())
    .bind(name)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((domain_id, inviter)) = found else {
        return Ok(());
    };
    let at = now();
    let expires_at = at.millis() + invitation_ttl_ms(state);
    let id = new_id_at(InvitationId::PREFIX, at);
    let default_role = crate::service::roles::default_role(tx, &org_id).await?;
    let invited: Vec<(String, String)> = sqlx::query_as(
        "INSERT INTO invitations (id, org_id, email, role, status, token_hash, inviter_id, \
         created_at, expires_at, domain_id) \
         SELECT $1, $2, $3, $4, 'pending', 'none:' || $1, $5, $6, $7, $8 \
         WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = $2 AND m.user_id = $9) \
         ON CONFLICT DO NOTHING RETURNING id, email",
    )
    .bind(&id)
    .bind(org_id.as_str())
    .bind(&user.email_address)
    .bind(&default_role)
    .bind(&inviter)
    .bind(at.millis())
    .bind(expires_at)
    .bind(&domain_id)
    .bind(user.id.as_str())
    .fetch_all(&mut **tx)
    .await?;
    if invited.is_empty() {
        return Ok(());
    }
    let actor = CurrentUser {
        user: user.clone(),
        client: ClientInfo::default(),
        key: None,
    };
    let event = AuditEntry {
        org_id: &org_id,
        actor: &actor,
        action: "invitation.created_by_domain",
        subject: &id,
        detail: &user.email_address,
    };
    audit(tx, event).await?;
    announce(tx, &org_id, &invited, at, expires_at).await
}
