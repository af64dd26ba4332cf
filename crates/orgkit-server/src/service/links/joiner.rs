//! The joiner's side of invite links: preview (before signing in) and accept.

use super::{LinkRow, COLUMNS};
use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, Tx};
use crate::error::{ApiError, ApiResult};
use crate::service::join_requests::{file_pending, JoinRequestSource, NewJoinRequest};
use crate::service::memberships::wire_json;
use crate::service::rows::membership_with_org;
use crate::service::{audit, AuditEntry};
use crate::state::AppState;
use crate::token::{hash, new_id_at, now};
use crate::webhooks::{self, emit};
use orgkit_core::link::{self, LinkAcceptFacts, LinkState};
use orgkit_core::secret::TokenKind;
use orgkit_core::wire::{InviteLinkAcceptance, InviteLinkPreview, LinkJoinRequest, Membership};
use orgkit_core::{
    ErrorCode, EventType, InviteLinkId, MembershipId, OrganizationId, Role, Timestamp,
};

#[derive(sqlx::FromRow)]
struct PreviewRow {
    name: String,
    slug: String,
    role: String,
    requires_approval: i64,
    max_uses: Option<i64>,
    uses: i64,
    expires_at: Option<i64>,
    revoked_at: Option<i64>,
}

/// What the join page shows before anyone signs in: the organization's name and slug, the
/// role and the link's status. The token is the secret; nothing about members.
pub async fn preview(state: &AppState, token: &str) -> ApiResult<InviteLinkPreview> {
    TokenKind::InviteLink.check(token)?;
    let row: PreviewRow = sqlx::query_as(
        "SELECT o.name, o.slug, l.role, l.requires_approval, l.max_uses, l.uses, l.expires_at, \
         l.revoked_at FROM invite_links l JOIN organizations o ON o.id = l.org_id \
         WHERE l.token_hash = $1",
    )
    .bind(hash(token))
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| ApiError::not_found("Invite link"))?;
    let link_state = LinkState {
        revoked: row.revoked_at.is_some(),
        expires_at: row.expires_at.map(Timestamp),
        max_uses: row.max_uses.map(|n| n.clamp(0, i64::from(u32::MAX)) as u32),
        uses: row.uses.clamp(0, i64::from(u32::MAX)) as u32,
    };
    Ok(InviteLinkPreview {
        organization_name: row.name,
        organization_slug: row.slug,
        role: Role(row.role),
        status: link_state.status(now()),
        requires_approval: row.requires_approval != 0,
    })
}

/// Accepts a link: joins with its role, or files a join request when it requires approval.
/// Either way one use is counted, under the organization's lock.
pub async fn accept(
    state: &AppState,
    me: &CurrentUser,
    token: &str,
) -> ApiResult<InviteLinkAcceptance> {
    TokenKind::InviteLink.check(token)?;
    let key = hash(token);
    let mut tx = state.db.begin_write().await?;
    let org: Option<(String,)> =
        sqlx::query_as("SELECT org_id FROM invite_links WHERE token_hash = $1")
            .bind(&key)
            .fetch_optional(&mut *tx)
            .await?;
    let org_id = OrganizationId(org.ok_or_else(|| ApiError::not_found("Invite link"))?.0);
    // Every change to this organization holds this lock: the uses read below are the latest.
    let locked = state
        .db
        .lock_organization(&mut tx, &org_id, me.id())
        .await?;
    let sql = format!("SELECT {COLUMNS} FROM invite_links l WHERE l.token_hash = $1");
    let row: LinkRow = sqlx::query_as(&sql).bind(&key).fetch_one(&mut *tx).await?;
    let at = now();
    let facts = LinkAcceptFacts {
        link: row.state(),
        already_member: locked.is_some_and(|l| l.my_role.is_some()),
        email_verified: me.user.email_verified,
    };
    link::check_accept(facts, at)?;
    let link_id = InviteLinkId(row.id.clone());
    sqlx::query("UPDATE invite_links SET uses = uses + 1 WHERE id = $1")
        .bind(link_id.as_str())
        .execute(&mut *tx)
        .await?;
    if row.requires_approval != 0 {
        let filed = file_pending(
            state,
            &mut tx,
            NewJoinRequest {
                org_id: &org_id,
                user_id: me.id(),
                message: None,
                source: JoinRequestSource::Link(&link_id),
                role: Some(&row.role),
                at,
            },
        )
        .await?;
        let event = AuditEntry {
            org_id: &org_id,
            actor: me,
            action: "invite_link.accepted",
            subject: link_id.as_str(),
            detail: &format!("join request {filed}"),
        };
        audit(&mut tx, event).await?;
        tx.commit().await?;
        // file_pending queued the admins' email.
        state.queue.wake();
        return Ok(InviteLinkAcceptance {
            membership: None,
            join_request: Some(LinkJoinRequest {
                id: filed,
                organization_id: org_id,
                status: "pending".to_owned(),
                created_at: at,
            }),
        });
    }
    let membership = join(state, &mut tx, &org_id, me, &row.role, at).await?;
    let event = AuditEntry {
        org_id: &org_id,
        actor: me,
        action: "invite_link.accepted",
        subject: link_id.as_str(),
        detail: &format!("joined as {}", row.role),
    };
    audit(&mut tx, event).await?;
    let joined = Membership {
        organization: None,
        ..membership.clone()
    };
    let queued = emit(
        &mut tx,
        &org_id,
        EventType::MembershipCreated,
        wire_json(&joined)?,
        at,
    )
    .await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(InviteLinkAcceptance {
        membership: Some(membership),
        join_request: None,
    })
}

/// Adds me as a member with `role`, inside `tx`.
async fn join(
    state: &AppState,
    tx: &mut Tx,
    org_id: &OrganizationId,
    me: &CurrentUser,
    role: &str,
    at: Timestamp,
) -> ApiResult<Membership> {
    crate::service::limits::check_join(state, tx, org_id, me.id()).await?;
    sqlx::query(
        "INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_id_at(MembershipId::PREFIX, at))
    .bind(org_id.as_str())
    .bind(me.id().as_str())
    .bind(role)
    .bind(at.millis())
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            ApiError::new(
                ErrorCode::AlreadyMember,
                "You are already a member of this organization.",
            )
        } else {
            e.into()
        }
    })?;
    membership_with_org(state, tx, org_id, me.id()).await
}
