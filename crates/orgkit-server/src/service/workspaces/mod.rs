//! Workspaces: shared ones, granted to members, groups and service accounts, and each
//! member's personal one. Every answer's role comes from `orgkit_core::workspace::
//! effective_access`, fed by one statement that reads a workspace with my direct grant and my
//! groups' best grant (`FACTS_SQL`).
//!
//! `admin.rs` creates, renames, archives and restores; `grants.rs` lists, grants and revokes
//! principals and reads a person's effective access; `personal.rs` is my personal workspace;
//! `cascade.rs` deletes what a leaving principal held.

pub mod admin;
pub mod cascade;
pub mod grants;
pub mod personal;

use super::access::{self, Access};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use orgkit_core::policy::Action;
use orgkit_core::wire::{Page, Workspace};
use orgkit_core::workspace::{
    decide, effective_access, AccessFacts, PrincipalKind, WorkspaceAccess, WorkspaceAction,
    WorkspaceRole, WorkspaceState,
};
use orgkit_core::{OrganizationId, Permission, Timestamp, WorkspaceId};
use sqlx::AnyConnection;

/// A workspace with one principal's grants in it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct WorkspaceRow {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub slug: String,
    pub personal_owner: Option<String>,
    pub archived_at: Option<i64>,
    pub created_at: i64,
    /// The principal's own grant's level.
    pub direct_level: Option<i64>,
    /// The highest level granted to a group the principal is in.
    pub group_level: Option<i64>,
}

/// Workspaces of organization `$1` with the grants of the principal of kind `$2` and id `$3`.
const FACTS_SQL: &str = "SELECT w.id, w.org_id, w.name, w.slug, w.personal_owner, w.archived_at, \
    w.created_at, \
    (SELECT g.level FROM workspace_grants g WHERE g.workspace_id = w.id \
     AND g.principal_kind = $2 AND g.principal_id = $3) AS direct_level, \
    (SELECT MAX(g.level) FROM workspace_grants g JOIN group_members gm ON gm.group_id = g.principal_id \
     WHERE g.workspace_id = w.id AND g.principal_kind = 'group' \
     AND gm.principal_kind = $2 AND gm.principal_id = $3) AS group_level \
    FROM workspaces w WHERE w.org_id = $1";

impl WorkspaceRow {
    /// The principal's effective access, `org_manages` when they hold `org:workspaces:manage`.
    pub(crate) fn access(&self, me: &str, org_manages: bool) -> Option<WorkspaceAccess> {
        effective_access(&AccessFacts {
            org_manages,
            personal_owner_is_me: self.personal_owner.as_deref().map(|o| o == me),
            archived: self.archived_at.is_some(),
            direct: self.direct_level.and_then(WorkspaceRole::from_level),
            best_group: self.group_level.and_then(WorkspaceRole::from_level),
        })
    }

    /// What the decision needs to know of the workspace.
    pub(crate) fn state(&self) -> WorkspaceState {
        WorkspaceState {
            personal: self.personal_owner.is_some(),
            archived: self.archived_at.is_some(),
        }
    }

    /// The wire form, with the caller's access.
    pub(crate) fn into_wire(self, access: Option<WorkspaceAccess>) -> Workspace {
        Workspace {
            id: WorkspaceId(self.id),
            organization_id: OrganizationId(self.org_id),
            name: self.name,
            slug: self.slug,
            personal: self.personal_owner.is_some(),
            archived: self.archived_at.is_some(),
            created_at: Timestamp::from_millis(self.created_at),
            my_role: access.map(|a| a.role),
            my_access_via: access.map(|a| a.via),
        }
    }
}

/// The principal a request acts as: a service account for its API key, else the user.
pub(crate) fn principal_of(me: &CurrentUser) -> (PrincipalKind, &str) {
    let service_account = me
        .key
        .as_ref()
        .and_then(|k| k.service_account_role.as_ref())
        .is_some();
    let kind = if service_account {
        PrincipalKind::ServiceAccount
    } else {
        PrincipalKind::User
    };
    (kind, me.id().as_str())
}

/// Whether my permissions make me a manager of every workspace.
pub(crate) fn org_manages(access: &Access, me: &CurrentUser) -> bool {
    access.held(me).contains(Permission::WorkspacesManage)
}

/// One workspace of `org_id` with the grants of `kind`/`id` in it, or `None`.
pub(crate) async fn load(
    conn: &mut AnyConnection,
    org_id: &OrganizationId,
    ws_id: &WorkspaceId,
    kind: PrincipalKind,
    id: &str,
) -> ApiResult<Option<WorkspaceRow>> {
    let sql = format!("{FACTS_SQL} AND w.id = $4");
    Ok(sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(kind.as_str())
        .bind(id)
        .bind(ws_id.as_str())
        .fetch_optional(conn)
        .await?)
}

/// The workspace as I reach it, after the rule book allowed `action` (no access:
/// `not_found`), with my access.
pub(crate) async fn reach(
    conn: &mut AnyConnection,
    access: &Access,
    me: &CurrentUser,
    org_id: &OrganizationId,
    ws_id: &WorkspaceId,
    action: WorkspaceAction,
) -> ApiResult<(WorkspaceRow, Option<WorkspaceAccess>)> {
    let (kind, id) = principal_of(me);
    let row = load(conn, org_id, ws_id, kind, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Workspace"))?;
    let mine = row.access(id, org_manages(access, me));
    decide(action, mine, row.state())?;
    Ok((row, mine))
}

/// One workspace I reach (`not_found` otherwise).
pub async fn get(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    ws_id: &WorkspaceId,
) -> ApiResult<Workspace> {
    let access = access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    let mut conn = state.db.pool.acquire().await?;
    let (row, mine) = reach(&mut conn, &access, me, org_id, ws_id, WorkspaceAction::Read).await?;
    Ok(row.into_wire(mine))
}

/// The workspaces I reach, by id: all of them with `org:workspaces:manage`; otherwise my
/// personal one and those granted to me or my groups (archived ones only as their manager).
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<Workspace>> {
    let (limit, after) = super::page_request(limit, after, WorkspaceId::is_well_formed)?;
    let access = access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    let manages = org_manages(&access, me);
    let (kind, id) = principal_of(me);
    let sql = format!(
        "SELECT * FROM ({FACTS_SQL} AND w.id > $4) x WHERE $5 = 1 OR x.personal_owner = $3 \
         OR COALESCE(x.direct_level, 0) = 2 OR COALESCE(x.group_level, 0) = 2 \
         OR (x.archived_at IS NULL AND (x.direct_level IS NOT NULL OR x.group_level IS NOT NULL)) \
         ORDER BY x.id LIMIT $6"
    );
    let rows: Vec<WorkspaceRow> = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(kind.as_str())
        .bind(id)
        .bind(after)
        .bind(i64::from(manages))
        .bind(i64::from(limit) + 1)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(super::finish_page(
        rows,
        limit,
        |r| r.id.as_str(),
        |r| {
            let mine = r.access(id, manages);
            r.into_wire(mine)
        },
    ))
}

/// Checks that a principal may be granted something in `org_id`: a user must be a member
/// (`not_a_member`), a group or service account must exist there (`not_found`). Answers its
/// name to show.
pub(crate) async fn grantee_name(
    conn: &mut AnyConnection,
    org_id: &OrganizationId,
    kind: PrincipalKind,
    id: &str,
) -> ApiResult<String> {
    let (sql, what) = match kind {
        PrincipalKind::User => (
            "SELECT COALESCE(NULLIF(u.name, ''), u.email) FROM memberships m \
             JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND m.user_id = $2",
            "Member",
        ),
        PrincipalKind::Group => (
            "SELECT name FROM groups WHERE org_id = $1 AND id = $2",
            "Group",
        ),
        PrincipalKind::ServiceAccount => (
            "SELECT name FROM service_accounts WHERE org_id = $1 AND id = $2",
            "Service account",
        ),
    };
    let found: Option<(String,)> = sqlx::query_as(sql)
        .bind(org_id.as_str())
        .bind(id)
        .fetch_optional(conn)
        .await?;
    match (found, kind) {
        (Some((name,)), _) => Ok(name),
        (None, PrincipalKind::User) => {
            orgkit_core::workspace::check_in_organization(false)?;
            Err(ApiError::not_found(what))
        }
        (None, _) => Err(ApiError::not_found(what)),
    }
}

/// The column expression naming the principal `{t}.principal_kind`/`{t}.principal_id` (joined
/// as `u`, `gr` and `sa` by [`PRINCIPAL_JOINS`]).
pub(crate) const PRINCIPAL_NAME_SQL: &str =
    "COALESCE(NULLIF(u.name, ''), u.email, gr.name, sa.name, '')";

/// Joins that name the principal of the row `t`.
pub(crate) const PRINCIPAL_JOINS: &str = "LEFT JOIN users u ON t.principal_kind = 'user' AND u.id = t.principal_id \
    LEFT JOIN groups gr ON t.principal_kind = 'group' AND gr.id = t.principal_id \
    LEFT JOIN service_accounts sa ON t.principal_kind = 'service_account' AND sa.id = t.principal_id";
