//! Listing members, changing roles, removing members and leaving.

use super::{admin_count, audit, check, member, membership_wire, role_in, MEMBER_COLUMNS};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use orgkit_core::policy::{Action, TargetMember};
use orgkit_core::wire::{Membership, Page};
use orgkit_core::{validate, MembershipId, UserId};

/// One page of members in join order. The cursor is the last membership id, and the query
/// walks the `(org_id, id)` index, so every page costs the same at any organization size.
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &str,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<Membership>> {
    let limit = validate::page_limit(limit)?;
    let after = match after.filter(|a| !a.is_empty()) {
        Some(a) if MembershipId::is_well_formed(a) => a,
        Some(_) => return Err(ApiError::validation("The cursor is not valid.")),
        None => "",
    };
    let role: Option<(String,)> =
        sqlx::query_as("SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2")
            .bind(org_id)
            .bind(me.id())
            .fetch_optional(&state.db.pool)
            .await?;
    check(
        state,
        me.id(),
        role.as_ref().map(|r| r.0.as_str()),
        Action::ListMembers,
    )?;
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.org_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3"
    );
    let mut rows: Vec<super::MemberRow> = sqlx::query_as(&sql)
        .bind(org_id)
        .bind(after)
        .bind(i64::from(limit) + 1)
        .fetch_all(&state.db.pool)
        .await?;
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.0.clone())
    } else {
        None
    };
    Ok(Page {
        data: rows.into_iter().map(|r| membership_wire(r, None)).collect(),
        next_cursor,
    })
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
    let mut tx = state.db.begin_write().await?;
    state.db.lock_organization(&mut tx, org_id).await?;
    let my_role = role_in(&mut tx, org_id, me.id()).await?;
    check(state, me.id(), my_role.as_deref(), Action::ReadOrganization)?;
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
    let mut tx = state.db.begin_write().await?;
    state.db.lock_organization(&mut tx, org_id).await?;
    let my_role = role_in(&mut tx, org_id, me.id()).await?;
    check(state, me.id(), my_role.as_deref(), Action::ReadOrganization)?;
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
