//! Groups of members and service accounts: a workspace granted to a group reaches everyone
//! in it. Any member reads them; `admin.rs` creates, renames and deletes them
//! (`org:groups:manage`); `members.rs` adds and removes members (that, or the group's
//! manager).

pub mod admin;
pub mod members;

use super::access;
use super::workspaces::{principal_of, PRINCIPAL_JOINS, PRINCIPAL_NAME_SQL};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use orgkit_core::policy::Action;
use orgkit_core::wire::{Group, GroupMember, Page, Principal};
use orgkit_core::workspace::{GroupRole, PrincipalKind};
use orgkit_core::{GroupId, OrganizationId, Timestamp};
use sqlx::AnyConnection;

/// A group with its member count and the caller's role in it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct GroupRow {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub description: String,
    pub created_at: i64,
    pub member_count: i64,
    pub my_role: Option<String>,
}

impl GroupRow {
    pub(crate) fn into_wire(self) -> Group {
        Group {
            id: GroupId(self.id),
            organization_id: OrganizationId(self.org_id),
            name: self.name,
            description: self.description,
            member_count: self.member_count,
            created_at: Timestamp::from_millis(self.created_at),
            my_role: self.my_role.as_deref().and_then(GroupRole::parse),
        }
    }
}

/// Groups of organization `$1` with the role of the principal `$2`/`$3` in each.
const GROUP_SQL: &str = "SELECT g.id, g.org_id, g.name, g.description, g.created_at, \
    (SELECT COUNT(*) FROM group_members c WHERE c.group_id = g.id) AS member_count, \
    (SELECT r.role FROM group_members r WHERE r.group_id = g.id AND r.principal_kind = $2 \
     AND r.principal_id = $3) AS my_role \
    FROM groups g WHERE g.org_id = $1";

/// One group of `org_id` as I see it, or `not_found`.
pub(crate) async fn load(
    conn: &mut AnyConnection,
    me: &CurrentUser,
    org_id: &OrganizationId,
    group_id: &GroupId,
) -> ApiResult<GroupRow> {
    let (kind, id) = principal_of(me);
    let sql = format!("{GROUP_SQL} AND g.id = $4");
    let row: Option<GroupRow> = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(kind.as_str())
        .bind(id)
        .bind(group_id.as_str())
        .fetch_optional(conn)
        .await?;
    row.ok_or_else(|| ApiError::not_found("Group"))
}

/// The organization's groups, by id (any member).
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<Group>> {
    let (limit, after) = super::page_request(limit, after, GroupId::is_well_formed)?;
    let access = access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    let (kind, id) = principal_of(me);
    let sql = format!("{GROUP_SQL} AND g.id > $4 ORDER BY g.id LIMIT $5");
    let rows: Vec<GroupRow> = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(kind.as_str())
        .bind(id)
        .bind(after)
        .bind(i64::from(limit) + 1)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(super::finish_page(
        rows,
        limit,
        |r| r.id.as_str(),
        GroupRow::into_wire,
    ))
}

/// One group (any member).
pub async fn get(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    group_id: &GroupId,
) -> ApiResult<Group> {
    let access = access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(load(&mut conn, me, org_id, group_id).await?.into_wire())
}

/// A group member joined with its name.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct MemberRow {
    pub id: String,
    pub group_id: String,
    pub principal_kind: String,
    pub principal_id: String,
    pub role: String,
    pub created_at: i64,
    pub name: String,
}

impl MemberRow {
    pub(crate) fn into_wire(self) -> ApiResult<GroupMember> {
        let stored = || ApiError::Internal(anyhow::anyhow!("a stored group member is malformed"));
        Ok(GroupMember {
            group_id: GroupId(self.group_id),
            principal: Principal {
                kind: PrincipalKind::parse(&self.principal_kind).ok_or_else(stored)?,
                id: self.principal_id,
                name: self.name,
            },
            role: GroupRole::parse(&self.role).ok_or_else(stored)?,
            created_at: Timestamp::from_millis(self.created_at),
        })
    }
}

/// The member rows of group `$1` matching `filter`, with their names.
pub(crate) fn members_sql(filter: &str) -> String {
    format!(
        "SELECT t.id, t.group_id, t.principal_kind, t.principal_id, t.role, t.created_at, \
         {PRINCIPAL_NAME_SQL} AS name FROM group_members t {PRINCIPAL_JOINS} \
         WHERE t.group_id = $1 AND {filter}"
    )
}

/// A group's members, by row id (any member of the organization).
pub async fn list_members(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    group_id: &GroupId,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<GroupMember>> {
    let (limit, after) =
        super::page_request(limit, after, orgkit_core::GroupMemberId::is_well_formed)?;
    let access = access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    let mut conn = state.db.pool.acquire().await?;
    load(&mut conn, me, org_id, group_id).await?;
    let sql = members_sql("t.id > $2 ORDER BY t.id LIMIT $3");
    let rows: Vec<MemberRow> = sqlx::query_as(&sql)
        .bind(group_id.as_str())
        .bind(after)
        .bind(i64::from(limit) + 1)
        .fetch_all(&mut *conn)
        .await?;
    let page = super::finish_page(rows, limit, |r| r.id.as_str(), MemberRow::into_wire);
    Ok(Page {
        data: page.data.into_iter().collect::<ApiResult<_>>()?,
        next_cursor: page.next_cursor,
    })
}
