//! The operations: each reads its facts and writes inside one transaction, asking
//! `orgkit_core::authorize` before every write. Handlers call exactly one of these.

pub mod invitations;
pub mod memberships;
pub mod organizations;
pub mod users;

use crate::auth::CurrentUser;
use crate::db::{LockedOrg, Tx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::{new_id, now};
use orgkit_core::policy::{authorize, Action, Actor};
use orgkit_core::wire::{Membership, Organization, Page, PublicUserData};
use orgkit_core::{MembershipId, OrganizationId, Role, Timestamp, UserId};

/// Opens a write transaction on an organization: locks its row (see `Db::lock_organization`)
/// and reads its name and my role in it. Non-members get `not_found`, as if it did not exist.
pub(crate) async fn begin_org_write(
    state: &AppState,
    me: &CurrentUser,
    org_id: &str,
) -> ApiResult<(Tx, LockedOrg)> {
    let mut tx = state.db.begin_write().await?;
    let locked = state.db.lock_organization(&mut tx, org_id, me.id()).await?;
    let my_role = locked.as_ref().and_then(|l| l.my_role.as_deref());
    check(state, me.id(), my_role, Action::ReadOrganization)?;
    let locked = locked.ok_or_else(|| ApiError::not_found("Organization"))?;
    Ok((tx, locked))
}

/// A [`MemberRow`] followed by the organization's admin count.
type MemberWithAdmins = (String, String, String, String, i64, String, String, i64);

/// A member of `org_id` with their user, and the organization's admin count, in one statement.
pub(crate) async fn member_and_admins(
    state: &AppState,
    tx: &mut Tx,
    org_id: &str,
    user_id: &str,
) -> ApiResult<(MemberRow, u64)> {
    let admin_roles = state.catalog.admin_role_keys();
    let placeholders: Vec<String> = (0..admin_roles.len())
        .map(|i| format!("${}", i + 3))
        .collect();
    let sql = format!(
        "SELECT {MEMBER_COLUMNS}, (SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role IN ({})) \
         FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND m.user_id = $2",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql).bind(org_id).bind(user_id);
    for role in admin_roles {
        query = query.bind(role);
    }
    let row: Option<MemberWithAdmins> = query.fetch_optional(&mut **tx).await?;
    let (id, org, user, role, created_at, email, name, admins) =
        row.ok_or_else(|| ApiError::not_found("Member"))?;
    Ok((
        (id, org, user, role, created_at, email, name),
        admins.max(0) as u64,
    ))
}

/// My role in `org_id`, for a read (no transaction).
pub(crate) async fn role_for_read(
    state: &AppState,
    org_id: &str,
    user_id: &str,
) -> ApiResult<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2")
            .bind(org_id)
            .bind(user_id)
            .fetch_optional(&state.db.pool)
            .await?;
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

/// Asks the rule book, now.
pub(crate) fn check(
    state: &AppState,
    user_id: &str,
    role: Option<&str>,
    action: Action<'_>,
) -> ApiResult<()> {
    let id = UserId(user_id.to_owned());
    authorize(&state.catalog, Actor { user_id: &id, role }, action, now()).map_err(ApiError::from)
}

/// Records a membership change, in the transaction that makes it.
pub(crate) async fn audit(
    tx: &mut Tx,
    org_id: &str,
    actor_id: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO audit_events (id, org_id, actor_id, action, subject, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id("evt_"))
    .bind(org_id)
    .bind(actor_id)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .bind(now().millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The organization as `role` sees it.
pub(crate) fn organization_wire(
    state: &AppState,
    id: String,
    name: String,
    slug: String,
    created_at: i64,
    role: String,
) -> Organization {
    let permissions = state
        .catalog
        .permissions(&role)
        .map(|p| p.names())
        .unwrap_or_default();
    Organization {
        id: OrganizationId(id),
        name,
        slug,
        created_at: Timestamp(created_at),
        role: Role(role),
        permissions,
    }
}

/// A membership row joined with its user: id, org_id, user_id, role, created_at, email, name.
pub(crate) type MemberRow = (String, String, String, String, i64, String, String);

/// The select list that yields a [`MemberRow`] from `memberships m JOIN users u`.
pub(crate) const MEMBER_COLUMNS: &str =
    "m.id, m.org_id, m.user_id, m.role, m.created_at, u.email, u.name";

pub(crate) fn membership_wire(row: MemberRow, organization: Option<Organization>) -> Membership {
    let (id, org_id, user_id, role, created_at, email, name) = row;
    Membership {
        id: MembershipId(id),
        organization_id: OrganizationId(org_id),
        role: Role(role),
        public_user_data: PublicUserData {
            user_id: UserId(user_id),
            identifier: email,
            name,
        },
        created_at: Timestamp(created_at),
        organization,
    }
}

/// One membership with its user, read inside `tx`.
pub(crate) async fn member(
    tx: &mut Tx,
    org_id: &str,
    user_id: &str,
) -> ApiResult<Option<MemberRow>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND m.user_id = $2"
    );
    Ok(sqlx::query_as(&sql)
        .bind(org_id)
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?)
}
