//! Listing members, changing roles, removing members and leaving.

use super::{
    admin_count, audit, begin_org_write, check, finish_page, member, membership_wire, page_request,
    role_for_read, MEMBER_COLUMNS,
};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use orgkit_core::policy::{Action, TargetMember};
use orgkit_core::wire::{Membership, Page};
use orgkit_core::{MembershipId, UserId};

/// One page of members in join order. The cursor is the last membership id, and the query
/// walks the `(org_id, id)` index, so every page costs the same at any organization size.
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &str,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<Membership>> {
    let (limit, after) = page_request(limit, after, MembershipId::is_well_formed)?;
    let role = role_for_read(state, org_id, me.id()).await?;
    check(state, me.id(), role.as_deref(), Action::ListMembers)?;
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.org_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3"
    );
    let rows: Vec<super::MemberRow> = sqlx::query_as(&sql)
        .bind(org_id)
        .bind(after)
        .bind(i64::from(limit) + 1)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(finish_page(
        rows,
        limit,
        |r| r.0.as_str(),
        |r| membership_wire(r, None),
    ))
}

/// Gives a member another role. The organization row is locked first, so two admins demoting
/// each other run one after the other and the second sees the first's change.
pub async fn update_role(
    state: &AppState,
    me: &CurrentUser,
    org_id: &str,
    user_id: &str,
    new_role: &str,
) -> ApiResult<Membership> {
    let (mut tx, my_role) = begin_org_write(state, me, org_id).await?;
    let target = member(&mut tx, org_id, user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("Member"))?;
    let admins = admin_count(state, &mut tx, org_id).await?;
    let target_id = UserId(user_id.to_owned());
    check(
        state,
        me.id(),
        my_role.as_deref(),
        Action::ChangeRole {
            target: TargetMember {
                user_id: &target_id,
                role: &target.3,
            },
            new_role,
            admin_count: Some(admins),
        },
    )?;
    sqlx::query("UPDATE memberships SET role = $1 WHERE org_id = $2 AND user_id = $3")
        .bind(new_role)
        .bind(org_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        org_id,
        me.id(),
        "membership.role_changed",
        user_id,
        &format!("{} -> {new_role}", target.3),
    )
    .await?;
    tx.commit().await?;
    let mut updated = target;
    updated.3 = new_role.to_owned();
    Ok(membership_wire(updated, None))
}

/// Removes a member, or leaves when `user_id` is mine.
pub async fn remove(
    state: &AppState,
    me: &CurrentUser,
    org_id: &str,
    user_id: &str,
) -> ApiResult<()> {
    let (mut tx, my_role) = begin_org_write(state, me, org_id).await?;
    let target = member(&mut tx, org_id, user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("Member"))?;
    let admins = admin_count(state, &mut tx, org_id).await?;
    let target_id = UserId(user_id.to_owned());
    check(
        state,
        me.id(),
        my_role.as_deref(),
        Action::RemoveMember {
            target: TargetMember {
                user_id: &target_id,
                role: &target.3,
            },
            admin_count: Some(admins),
        },
    )?;
    sqlx::query("DELETE FROM memberships WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let action = if user_id == me.id() {
        "membership.left"
    } else {
        "membership.removed"
    };
    audit(&mut tx, org_id, me.id(), action, user_id, &target.3).await?;
    tx.commit().await?;
    Ok(())
}
