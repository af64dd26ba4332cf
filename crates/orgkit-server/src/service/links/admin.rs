//! The organization's side of invite links: create, list, reset, revoke.

use super::{LinkRow, NewLink, COLUMNS};
use crate::auth::CurrentUser;
use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::service::{audit, begin_org_write, finish_page, page_request, AuditEntry};
use crate::state::AppState;
use crate::token::{hash, new_id_at, new_secret, now};
use orgkit_core::link::{self, LinkOptions};
use orgkit_core::policy::Action;
use orgkit_core::wire::{InviteLink, Page};
use orgkit_core::{ErrorCode, InviteLinkId, OrganizationId, Role, Timestamp};

/// Writes a new link with a fresh token; answers it with its token and URL (the only time).
async fn insert(
    state: &AppState,
    tx: &mut Tx,
    org_id: &OrganizationId,
    me: &CurrentUser,
    new: &NewLink<'_>,
    at: Timestamp,
) -> ApiResult<InviteLink> {
    let id = InviteLinkId(new_id_at(InviteLinkId::PREFIX, at));
    let token = new_secret();
    sqlx::query(
        "INSERT INTO invite_links (id, org_id, role, token_hash, requires_approval, max_uses, \
         uses, expires_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9)",
    )
    .bind(id.as_str())
    .bind(org_id.as_str())
    .bind(new.role)
    .bind(hash(&token))
    .bind(i64::from(new.options.requires_approval))
    .bind(new.options.max_uses.map(i64::from))
    .bind(new.options.expires_at.map(Timestamp::millis))
    .bind(me.id().as_str())
    .bind(at.millis())
    .execute(&mut **tx)
    .await?;
    let url = format!("{}/join?token={token}", state.public_url);
    Ok(InviteLink {
        id,
        organization_id: org_id.clone(),
        role: Role::from(new.role),
        status: orgkit_core::InviteLinkStatus::Active,
        requires_approval: new.options.requires_approval,
        max_uses: new.options.max_uses,
        uses: 0,
        expires_at: new.options.expires_at,
        created_by: me.id().clone(),
        created_at: at,
        token: Some(token),
        url: Some(url),
    })
}

fn describe(link: &InviteLink) -> String {
    let uses = link
        .max_uses
        .map_or_else(|| "unlimited uses".to_owned(), |n| format!("{n} uses"));
    let approval = if link.requires_approval {
        ", requires approval"
    } else {
        ""
    };
    format!("{}, {uses}{approval}", link.role.as_str())
}

/// Creates a link; answers it with its token and URL, once.
pub async fn create(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    role: Option<&str>,
    options: LinkOptions,
) -> ApiResult<InviteLink> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let role = match role {
        Some(role) => role.to_owned(),
        None => crate::service::roles::default_role(&mut tx, org_id).await?,
    };
    let new = NewLink {
        role: &role,
        options,
    };
    let action = Action::CreateInviteLink { role: new.role };
    locked.access.check(me, action)?;
    let at = now();
    link::check_options(new.options, at)?;
    let created = insert(state, &mut tx, org_id, me, &new, at).await?;
    let detail = describe(&created);
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "invite_link.created",
        subject: created.id.as_str(),
        detail: &detail,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    Ok(created)
}

/// One page of an organization's links, oldest first, never with a token.
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<InviteLink>> {
    let (limit, after) = page_request(limit, after, InviteLinkId::is_well_formed)?;
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ManageInviteLinks)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM invite_links l WHERE l.org_id = $1 AND l.id > $2 \
         ORDER BY l.id LIMIT $3"
    );
    let rows: Vec<LinkRow> = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(after)
        .bind(i64::from(limit) + 1)
        .fetch_all(&state.db.pool)
        .await?;
    let at = now();
    Ok(finish_page(
        rows,
        limit,
        |r| r.id.as_str(),
        |r| r.into_wire(at),
    ))
}

async fn load(tx: &mut Tx, org_id: &OrganizationId, id: &InviteLinkId) -> ApiResult<LinkRow> {
    let sql = format!("SELECT {COLUMNS} FROM invite_links l WHERE l.org_id = $1 AND l.id = $2");
    sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| ApiError::not_found("Invite link"))
}

fn already_revoked() -> ApiError {
    ApiError::new(
        ErrorCode::InviteLinkRevoked,
        "This invite link was already revoked.",
    )
}

async fn mark_revoked(tx: &mut Tx, id: &str, at: Timestamp) -> ApiResult<()> {
    sqlx::query("UPDATE invite_links SET revoked_at = $1 WHERE id = $2")
        .bind(at.millis())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Revokes a link: its token stops working at once. A revoked link answers
/// `invite_link_revoked`.
pub async fn revoke(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &InviteLinkId,
) -> ApiResult<InviteLink> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    locked.access.check(me, Action::ManageInviteLinks)?;
    let mut row = load(&mut tx, org_id, id).await?;
    if row.revoked_at.is_some() {
        return Err(already_revoked());
    }
    let at = now();
    mark_revoked(&mut tx, id.as_str(), at).await?;
    row.revoked_at = Some(at.millis());
    let revoked = row.into_wire(at);
    let detail = describe(&revoked);
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "invite_link.revoked",
        subject: id.as_str(),
        detail: &detail,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    Ok(revoked)
}

/// Replaces a link by a new one with the same options (role, uses allowed, approval, and the
/// same lifetime from now), in one transaction: the old token stops working, the new one is
/// answered once. A revoked link cannot be reset (`invite_link_revoked`).
pub async fn reset(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &InviteLinkId,
) -> ApiResult<InviteLink> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    locked.access.check(me, Action::ManageInviteLinks)?;
    let old = load(&mut tx, org_id, id).await?;
    // The new link grants the old one's role: the creator's guard applies again.
    let action = Action::CreateInviteLink { role: &old.role };
    locked.access.check(me, action)?;
    if old.revoked_at.is_some() {
        return Err(already_revoked());
    }
    let at = now();
    mark_revoked(&mut tx, id.as_str(), at).await?;
    let state_now = old.state();
    let new = NewLink {
        role: &old.role,
        options: LinkOptions {
            expires_at: link::reset_expiry(Timestamp(old.created_at), state_now.expires_at, at),
            max_uses: state_now.max_uses,
            requires_approval: old.requires_approval != 0,
        },
    };
    let created = insert(state, &mut tx, org_id, me, &new, at).await?;
    let detail = format!("replaced by {}", created.id);
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "invite_link.reset",
        subject: id.as_str(),
        detail: &detail,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    Ok(created)
}
