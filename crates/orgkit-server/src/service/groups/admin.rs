//! Creating, renaming and deleting groups (`org:groups:manage`), each one transaction under
//! the organization's lock, audited. Deleting a group deletes its grants and members with it.

use super::load;
use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, Tx};
use crate::error::{ApiError, ApiResult};
use crate::service::workspaces::cascade;
use crate::service::{audit, begin_org_write, AuditEntry};
use crate::state::AppState;
use crate::token::{new_id_at, now};
use orgkit_core::wire::{CreateGroupRequest, Group, UpdateGroupRequest};
use orgkit_core::workspace::{check_description, check_name, decide_group, GroupAction};
use orgkit_core::{ErrorCode, GroupId, OrganizationId, Timestamp};

/// Creates a group; its name is unique in the organization (`group_name_taken`).
pub async fn create(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    req: &CreateGroupRequest,
) -> ApiResult<Group> {
    let name = check_name(&req.name)?;
    let description = check_description(req.description.as_deref().unwrap_or(""))?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    decide_group(GroupAction::Manage, locked.access.held(me), None)?;
    let at = now();
    let id = GroupId(new_id_at(GroupId::PREFIX, at));
    check_name_free(&mut tx, org_id, &name, &id).await?;
    let inserted = sqlx::query(
        "INSERT INTO groups (id, org_id, name, description, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.as_str())
    .bind(org_id.as_str())
    .bind(&name)
    .bind(&description)
    .bind(at.millis())
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => return Err(name_taken()),
        other => other?,
    };
    record(&mut tx, me, org_id, "group.created", &id, &name).await?;
    tx.commit().await?;
    Ok(Group {
        id,
        organization_id: org_id.clone(),
        name,
        description,
        member_count: 0,
        created_at: Timestamp::from_millis(at.millis()),
        my_role: None,
    })
}

/// Renames a group or changes its description.
pub async fn update(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    group_id: &GroupId,
    req: &UpdateGroupRequest,
) -> ApiResult<Group> {
    let name = req.name.as_deref().map(check_name).transpose()?;
    let description = req
        .description
        .as_deref()
        .map(check_description)
        .transpose()?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let mut row = load(&mut tx, me, org_id, group_id).await?;
    decide_group(GroupAction::Manage, locked.access.held(me), None)?;
    if let Some(name) = &name {
        check_name_free(&mut tx, org_id, name, group_id).await?;
    }
    row.name = name.unwrap_or(row.name);
    row.description = description.unwrap_or(row.description);
    let updated =
        sqlx::query("UPDATE groups SET name = $3, description = $4 WHERE org_id = $1 AND id = $2")
            .bind(org_id.as_str())
            .bind(group_id.as_str())
            .bind(&row.name)
            .bind(&row.description)
            .execute(&mut *tx)
            .await;
    match updated {
        Err(e) if is_unique_violation(&e) => return Err(name_taken()),
        other => other?,
    };
    record(&mut tx, me, org_id, "group.updated", group_id, &row.name).await?;
    tx.commit().await?;
    Ok(row.into_wire())
}

/// Deletes a group, its grants and its member rows.
pub async fn delete(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    group_id: &GroupId,
) -> ApiResult<()> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let row = load(&mut tx, me, org_id, group_id).await?;
    decide_group(GroupAction::Manage, locked.access.held(me), None)?;
    cascade::group_deleted(&mut tx, org_id, group_id).await?;
    sqlx::query("DELETE FROM groups WHERE org_id = $1 AND id = $2")
        .bind(org_id.as_str())
        .bind(group_id.as_str())
        .execute(&mut *tx)
        .await?;
    record(&mut tx, me, org_id, "group.deleted", group_id, &row.name).await?;
    tx.commit().await?;
    Ok(())
}

async fn check_name_free(
    tx: &mut Tx,
    org_id: &OrganizationId,
    name: &str,
    except: &GroupId,
) -> ApiResult<()> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT id FROM groups WHERE org_id = $1 AND name = $2 AND id <> $3")
            .bind(org_id.as_str())
            .bind(name)
            .bind(except.as_str())
            .fetch_optional(&mut **tx)
            .await?;
    match found {
        Some(_) => Err(name_taken()),
        None => Ok(()),
    }
}

fn name_taken() -> ApiError {
    ApiError::new(
        ErrorCode::GroupNameTaken,
        "Another group of the organization has this name.",
    )
}

/// Records a group change.
pub(crate) async fn record(
    tx: &mut Tx,
    me: &CurrentUser,
    org_id: &OrganizationId,
    action: &'static str,
    group_id: &GroupId,
    detail: &str,
) -> ApiResult<()> {
    let event = AuditEntry {
        org_id,
        actor: me,
        action,
        subject: group_id.as_str(),
        detail,
    };
    audit(tx, event).await
}
