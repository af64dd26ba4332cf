//! Adding, changing and removing a group's members: `org:groups:manage` or the group's
//! manager; only members of the organization and its service accounts. Under the
//! organization's lock, so an addition racing the member's removal never outlives it.

use super::admin::record;
use super::{load, members_sql, MemberRow};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::service::begin_org_write;
use crate::service::workspaces::grantee_name;
use crate::state::AppState;
use crate::token::{new_id_at, now};
use orgkit_core::wire::GroupMember;
use orgkit_core::workspace::{
    check_group_member_kind, decide_group, GroupAction, GroupRole, PrincipalKind,
};
use orgkit_core::{GroupId, OrganizationId};

/// Puts `kind`/`principal_id` in the group with `role` (or changes its role).
pub async fn put(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    group_id: &GroupId,
    kind: PrincipalKind,
    principal_id: &str,
    role: GroupRole,
) -> ApiResult<GroupMember> {
    check_group_member_kind(kind)?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let group = load(&mut tx, me, org_id, group_id).await?;
    let my_role = group.my_role.as_deref().and_then(GroupRole::parse);
    decide_group(GroupAction::ChangeMembers, locked.access.held(me), my_role)?;
    grantee_name(&mut tx, org_id, kind, principal_id).await?;
    let at = now();
    sqlx::query(
        "INSERT INTO group_members (id, org_id, group_id, principal_kind, principal_id, role, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (group_id, principal_kind, principal_id) DO UPDATE SET role = excluded.role",
    )
    .bind(new_id_at(orgkit_core::GroupMemberId::PREFIX, at))
    .bind(org_id.as_str())
    .bind(group_id.as_str())
    .bind(kind.as_str())
    .bind(principal_id)
    .bind(role.as_str())
    .bind(at.millis())
    .execute(&mut *tx)
    .await?;
    let detail = format!("{}:{principal_id} {}", kind.as_str(), role.as_str());
    record(&mut tx, me, org_id, "group.member_added", group_id, &detail).await?;
    let sql = members_sql("t.principal_kind = $2 AND t.principal_id = $3");
    let row: MemberRow = sqlx::query_as(&sql)
        .bind(group_id.as_str())
        .bind(kind.as_str())
        .bind(principal_id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    row.into_wire()
}

/// Takes `kind`/`principal_id` out of the group; `not_found` when it is not in it.
pub async fn remove(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    group_id: &GroupId,
    kind: PrincipalKind,
    principal_id: &str,
) -> ApiResult<()> {
    check_group_member_kind(kind)?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let group = load(&mut tx, me, org_id, group_id).await?;
    let my_role = group.my_role.as_deref().and_then(GroupRole::parse);
    decide_group(GroupAction::ChangeMembers, locked.access.held(me), my_role)?;
    let deleted = sqlx::query(
        "DELETE FROM group_members WHERE group_id = $1 AND principal_kind = $2 AND principal_id = $3",
    )
    .bind(group_id.as_str())
    .bind(kind.as_str())
    .bind(principal_id)
    .execute(&mut *tx)
    .await?;
    if deleted.rows_affected() == 0 {
        return Err(ApiError::not_found("Group member"));
    }
    let detail = format!("{}:{principal_id}", kind.as_str());
    record(
        &mut tx,
        me,
        org_id,
        "group.member_removed",
        group_id,
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
