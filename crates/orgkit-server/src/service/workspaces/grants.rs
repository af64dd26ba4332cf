//! Who a workspace is granted to: the list of grants, granting (or changing) a role, taking
//! it away, and one person's effective access. Grants are written under the organization's
//! lock, so a grant racing a member's removal either sees the member (and the removal then
//! deletes it, `cascade::member_removed`) or refuses with `not_a_member`.

use super::admin::record;
use super::{grantee_name, load, reach, PRINCIPAL_JOINS, PRINCIPAL_NAME_SQL};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::service::access::{self, EXTRA_ROLES_SQL};
use crate::service::{begin_org_write, finish_page, page_request};
use crate::state::AppState;
use crate::token::{new_id_at, now};
use orgkit_core::policy::Action;
use orgkit_core::wire::{EffectiveAccessBody, Page, Principal, WorkspaceGrant};
use orgkit_core::workspace::{PrincipalKind, WorkspaceAction, WorkspaceRole};
use orgkit_core::{OrganizationId, Permission, Timestamp, UserId, WorkspaceGrantId, WorkspaceId};

/// A grant joined with its principal's name.
#[derive(Debug, sqlx::FromRow)]
struct GrantRow {
    id: String,
    workspace_id: String,
    principal_kind: String,
    principal_id: String,
    level: i64,
    created_at: i64,
    name: String,
}

impl GrantRow {
    fn into_wire(self) -> ApiResult<WorkspaceGrant> {
        let stored = || ApiError::Internal(anyhow::anyhow!("a stored grant is malformed"));
        Ok(WorkspaceGrant {
            workspace_id: WorkspaceId(self.workspace_id),
            principal: Principal {
                kind: PrincipalKind::parse(&self.principal_kind).ok_or_else(stored)?,
                id: self.principal_id,
                name: self.name,
            },
            role: WorkspaceRole::from_level(self.level).ok_or_else(stored)?,
            created_at: Timestamp::from_millis(self.created_at),
        })
    }
}

fn grants_sql(filter: &str) -> String {
    format!(
        "SELECT t.id, t.workspace_id, t.principal_kind, t.principal_id, t.level, t.created_at, \
         {PRINCIPAL_NAME_SQL} AS name FROM workspace_grants t {PRINCIPAL_JOINS} \
         WHERE t.workspace_id = $1 AND {filter}"
    )
}

/// The workspace's grants, by grant id (its managers).
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    ws_id: &WorkspaceId,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<WorkspaceGrant>> {
    let (limit, after) = page_request(limit, after, WorkspaceGrantId::is_well_formed)?;
    let access = access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    let mut conn = state.db.pool.acquire().await?;
    let action = WorkspaceAction::ListPrincipals;
    reach(&mut conn, &access, me, org_id, ws_id, action).await?;
    let sql = grants_sql("t.id > $2 ORDER BY t.id LIMIT $3");
    let rows: Vec<GrantRow> = sqlx::query_as(&sql)
        .bind(ws_id.as_str())
        .bind(after)
        .bind(i64::from(limit) + 1)
        .fetch_all(&mut *conn)
        .await?;
    let page = finish_page(rows, limit, |r| r.id.as_str(), GrantRow::into_wire);
    Ok(Page {
        data: page.data.into_iter().collect::<ApiResult<_>>()?,
        next_cursor: page.next_cursor,
    })
}

/// Grants `kind`/`principal_id` `role` in the workspace, or changes its role (its managers;
/// not an archived or personal workspace). A user must be a member (`not_a_member`), a group
/// or service account of this organization (`not_found`).
pub async fn grant(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    ws_id: &WorkspaceId,
    kind: PrincipalKind,
    principal_id: &str,
    role: WorkspaceRole,
) -> ApiResult<WorkspaceGrant> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let action = WorkspaceAction::Grant;
    reach(&mut tx, &locked.access, me, org_id, ws_id, action).await?;
    grantee_name(&mut tx, org_id, kind, principal_id).await?;
    let at = now();
    sqlx::query(
        "INSERT INTO workspace_grants (id, org_id, workspace_id, principal_kind, principal_id, level, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (workspace_id, principal_kind, principal_id) DO UPDATE SET level = excluded.level",
    )
    .bind(new_id_at(WorkspaceGrantId::PREFIX, at))
    .bind(org_id.as_str())
    .bind(ws_id.as_str())
    .bind(kind.as_str())
    .bind(principal_id)
    .bind(role.level())
    .bind(at.millis())
    .execute(&mut *tx)
    .await?;
    let detail = format!("{}:{principal_id} {}", kind.as_str(), role.as_str());
    record(&mut tx, me, org_id, "workspace.granted", ws_id, &detail).await?;
    let sql = grants_sql("t.principal_kind = $2 AND t.principal_id = $3");
    let row: GrantRow = sqlx::query_as(&sql)
        .bind(ws_id.as_str())
        .bind(kind.as_str())
        .bind(principal_id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    row.into_wire()
}

/// Takes `kind`/`principal_id`'s grant away (its managers); `not_found` when there is none.
pub async fn revoke(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    ws_id: &WorkspaceId,
    kind: PrincipalKind,
    principal_id: &str,
) -> ApiResult<()> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let action = WorkspaceAction::Revoke;
    reach(&mut tx, &locked.access, me, org_id, ws_id, action).await?;
    let deleted = sqlx::query(
        "DELETE FROM workspace_grants WHERE workspace_id = $1 AND principal_kind = $2 AND principal_id = $3",
    )
    .bind(ws_id.as_str())
    .bind(kind.as_str())
    .bind(principal_id)
    .execute(&mut *tx)
    .await?;
    if deleted.rows_affected() == 0 {
        return Err(ApiError::not_found("Grant"));
    }
    let detail = format!("{}:{principal_id}", kind.as_str());
    record(&mut tx, me, org_id, "workspace.revoked", ws_id, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// A person's effective access to the workspace, for its managers or the person themself. A
/// non-member or suspended member has none.
pub async fn effective(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    ws_id: &WorkspaceId,
    user_id: &UserId,
) -> ApiResult<EffectiveAccessBody> {
    let access = access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    let mut conn = state.db.pool.acquire().await?;
    let action = if user_id == me.id() {
        WorkspaceAction::Read
    } else {
        WorkspaceAction::ListPrincipals
    };
    reach(&mut conn, &access, me, org_id, ws_id, action).await?;
    let sql = format!(
        "SELECT m.role, m.suspended_at, {EXTRA_ROLES_SQL} AS extra_roles FROM memberships m \
         WHERE m.org_id = $1 AND m.user_id = $2"
    );
    let member: Option<(String, Option<i64>, Option<String>)> = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(user_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let theirs = match member {
        Some((primary, None, extra)) => {
            let roles = access::roles_of(&primary, extra.as_deref());
            let roles: Vec<&str> = roles.iter().map(String::as_str).collect();
            let held = access.catalog.permissions_of(&roles).unwrap_or_default();
            let row = load(
                &mut conn,
                org_id,
                ws_id,
                PrincipalKind::User,
                user_id.as_str(),
            )
            .await?
            .ok_or_else(|| ApiError::not_found("Workspace"))?;
            row.access(
                user_id.as_str(),
                held.contains(Permission::WorkspacesManage),
            )
        }
        _ => None,
    };
    Ok(EffectiveAccessBody {
        user_id: user_id.clone(),
        role: theirs.map(|a| a.role),
        via: theirs.map(|a| a.via),
    })
}
