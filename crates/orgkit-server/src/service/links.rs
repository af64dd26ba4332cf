//! Invite links: the organization's side (create, list, reset, revoke) and the joiner's
//! (preview, accept). The token is 256 random bits, answered once, stored as its SHA-256 hash.
//!
//! Accepting counts a use inside the transaction that locks the organization, so a link with
//! `n` uses left lets exactly `n` people in however many accept at once. A link that requires
//! approval counts a use when it files the join request (a one-use link files one request).

use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, Tx};
use crate::error::{ApiError, ApiResult};
use crate::service::join_requests::{file_pending, JoinRequestSource, NewJoinRequest};
use crate::service::memberships::wire_json;
use crate::service::rows::membership_with_org;
use crate::service::{
    audit, begin_org_write, check, finish_page, page_request, role_for_read, AuditEntry,
};
use crate::state::AppState;
use crate::token::{hash, new_id_at, new_secret, now};
use crate::webhooks::{self, emit};
use orgkit_core::link::{self, LinkAcceptFacts, LinkOptions, LinkState};
use orgkit_core::policy::Action;
use orgkit_core::wire::{
    InviteLink, InviteLinkAcceptance, InviteLinkPreview, LinkJoinRequest, Membership, Page,
};
use orgkit_core::{
    ErrorCode, EventType, InviteLinkId, MembershipId, OrganizationId, Role, Timestamp, UserId,
};

const COLUMNS: &str = "l.id, l.org_id, l.role, l.requires_approval, l.max_uses, l.uses, \
    l.expires_at, l.revoked_at, l.created_by, l.created_at";

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: String,
    org_id: String,
    role: String,
    requires_approval: i64,
    max_uses: Option<i64>,
    uses: i64,
    expires_at: Option<i64>,
    revoked_at: Option<i64>,
    created_by: String,
    created_at: i64,
}

impl LinkRow {
    fn state(&self) -> LinkState {
        LinkState {
            revoked: self.revoked_at.is_some(),
            expires_at: self.expires_at.map(Timestamp),
            max_uses: self
                .max_uses
                .map(|n| n.clamp(0, i64::from(u32::MAX)) as u32),
            uses: self.uses.clamp(0, i64::from(u32::MAX)) as u32,
        }
    }

    fn into_wire(self, now: Timestamp) -> InviteLink {
        let state = self.state();
        InviteLink {
            id: InviteLinkId(self.id),
            organization_id: OrganizationId(self.org_id),
            role: Role(self.role),
            status: state.status(now),
            requires_approval: self.requires_approval != 0,
            max_uses: state.max_uses,
            uses: state.uses,
            expires_at: state.expires_at,
            created_by: UserId(self.created_by),
            created_at: Timestamp(self.created_at),
            token: None,
            url: None,
        }
    }
}

/// A new link's options, checked by the rule book.
pub struct NewLink<'a> {
    pub role: &'a str,
    pub options: LinkOptions,
}

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
    new: NewLink<'_>,
) -> ApiResult<InviteLink> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let action = Action::CreateInviteLink { role: new.role };
    check(state, me.id(), locked.my_role.as_deref(), action)?;
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
    let role = role_for_read(state, org_id, me.id()).await?;
    check(state, me.id(), role.as_deref(), Action::ManageInviteLinks)?;
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
    check(
        state,
        me.id(),
        locked.my_role.as_deref(),
        Action::ManageInviteLinks,
    )?;
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
    check(
        state,
        me.id(),
        locked.my_role.as_deref(),
        Action::ManageInviteLinks,
    )?;
    let old = load(&mut tx, org_id, id).await?;
    // The new link grants the old one's role: the creator's guard applies again.
    let action = Action::CreateInviteLink { role: &old.role };
    check(state, me.id(), locked.my_role.as_deref(), action)?;
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
