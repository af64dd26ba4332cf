//! The operations: each reads its facts and writes inside one transaction, asking
//! `orgkit_core::authorize` before every write. Handlers call exactly one of these.
//!
//! Signatures past the HTTP extractors take the rule book's id newtypes, never bare strings,
//! so an organization id cannot be passed where a user id belongs.

pub mod audit;
pub mod domains;
pub mod governance;
pub mod instance;
pub mod invitations;
pub mod join_requests;
pub mod limits;
pub mod links;
pub mod memberships;
pub mod organizations;
pub mod ownership;
pub mod password_reset;
pub mod roles;
pub mod roster;
mod rows;
pub mod secret_keys;
pub mod sso;
pub mod users;

use crate::auth::CurrentUser;
use crate::db::{LockedOrg, Tx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::{new_id_at, now};
use orgkit_core::policy::{authorize, Action, Actor};
use orgkit_core::wire::Page;
use orgkit_core::{AuditEventId, OrganizationId, UserId};

/// Opens a write transaction on an organization: locks its row (see `Db::lock_organization`)
/// and reads its name and my role in it. Non-members get `not_found`, as if it did not exist;
/// a suspended member `membership_suspended`.
pub(crate) async fn begin_org_write(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<(Tx, LockedOrg)> {
    let mut tx = state.db.begin_write().await?;
    let locked = state.db.lock_organization(&mut tx, org_id, me.id()).await?;
    let my_role = locked.as_ref().and_then(|l| l.my_role.as_deref());
    check(state, me.id(), my_role, Action::ReadOrganization)?;
    let locked = locked.ok_or_else(|| ApiError::not_found("Organization"))?;
    orgkit_core::suspension::check_access(locked.my_suspended_at.is_some())?;
    Ok((tx, locked))
}

/// Whether the actor owns the organization: its owner flag, or an instance secret key, which
/// acts with an owner's authority (as with an admin's, see [`check`]).
pub(crate) fn acts_as_owner(me: &CurrentUser, locked: &LockedOrg) -> bool {
    locked.i_own_it() || is_instance_key(me.id())
}

/// What the actor's role holds (an instance secret key: everything, as `admin`).
pub(crate) fn held_permissions(
    state: &AppState,
    me: &CurrentUser,
    role: Option<&str>,
) -> orgkit_core::PermissionSet {
    let role = if is_instance_key(me.id()) {
        Some(orgkit_core::Role::ADMIN)
    } else {
        role
    };
    role.and_then(|r| state.catalog.permissions(r).ok())
        .unwrap_or_default()
}

/// My role in `org_id`, for a read (no transaction). A suspended member gets
/// `membership_suspended`.
pub(crate) async fn role_for_read(
    state: &AppState,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<Option<String>> {
    let row: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT role, suspended_at FROM memberships WHERE org_id = $1 AND user_id = $2",
    )
    .bind(org_id.as_str())
    .bind(user_id.as_str())
    .fetch_optional(&state.db.pool)
    .await?;
    if let Some((_, suspended_at)) = &row {
        orgkit_core::suspension::check_access(suspended_at.is_some())?;
    }
    Ok(row.map(|r| r.0))
}

/// Checks a page request: the size (1 to 100, default 20) and the cursor, which must have the
/// shape of the listed ids. The first page's cursor is `""`, which sorts before every id.
pub(crate) fn page_request(
    limit: Option<u32>,
    after: Option<&str>,
    well_formed: fn(&str) -> bool,
) -> ApiResult<(u32, &str)> {
    let limit = orgkit_core::validate::page_limit(limit)?;
    match after.filter(|a| !a.is_empty()) {
        Some(a) if well_formed(a) => Ok((limit, a)),
        Some(_) => Err(ApiError::validation("The cursor is not valid.")),
        None => Ok((limit, "")),
    }
}

/// Turns `limit + 1` fetched rows into a page: the extra row only says that more follow, and
/// the cursor is the last kept row's id.
pub(crate) fn finish_page<R, T>(
    mut rows: Vec<R>,
    limit: u32,
    id: fn(&R) -> &str,
    wire: impl FnMut(R) -> T,
) -> Page<T> {
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|r| id(r).to_owned())
    } else {
        None
    };
    Page {
        data: rows.into_iter().map(wire).collect(),
        next_cursor,
    }
}

/// Asks the rule book, now. An instance secret key (see [`is_instance_key`]) acts with an
/// admin's authority in every organization, and still under every invariant (the last admin,
/// the roles that exist).
pub(crate) fn check(
    state: &AppState,
    user_id: &UserId,
    role: Option<&str>,
    action: Action<'_>,
) -> ApiResult<()> {
    let role = if is_instance_key(user_id) {
        Some(orgkit_core::Role::ADMIN)
    } else {
        role
    };
    let roles = role.as_ref().map(std::slice::from_ref);
    authorize(&state.catalog, Actor { user_id, roles }, action, now())
        .map_err(|e| ApiError::judged(&state.catalog, e))
}

/// Whether the actor is an instance secret key rather than a person: its actor id has the
/// key id prefix, which no user id has.
#[must_use]
pub fn is_instance_key(actor: &UserId) -> bool {
    actor.as_str().starts_with(secret_keys::KEY_ID_PREFIX)
}

/// One audit event: who did what to which subject in which organization, and from where (the
/// actor's request).
pub(crate) struct AuditEntry<'a> {
    pub org_id: &'a OrganizationId,
    pub actor: &'a CurrentUser,
    /// What happened, for example `membership.role_changed`.
    pub action: &'static str,
    /// The id of what it happened to.
    pub subject: &'a str,
    /// A short human-readable detail (an address, a role change).
    pub detail: &'a str,
}

/// Records a change, in the transaction that makes it.
pub(crate) async fn audit(tx: &mut Tx, event: AuditEntry<'_>) -> ApiResult<()> {
    let at = now();
    sqlx::query(
        "INSERT INTO audit_events (id, org_id, actor_id, action, subject, detail, ip, user_agent, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id_at(AuditEventId::PREFIX, at))
    .bind(event.org_id.as_str())
    .bind(event.actor.id().as_str())
    .bind(event.action)
    .bind(event.subject)
    .bind(event.detail)
    .bind(&event.actor.client.ip)
    .bind(event.actor.client.user_agent.as_deref())
    .bind(at.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
