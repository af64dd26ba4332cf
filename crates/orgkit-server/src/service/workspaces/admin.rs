//! Creating, renaming, archiving and restoring workspaces: each one transaction under the
//! organization's lock that asks the rule book, writes and audits.

use super::{principal_of, reach, WorkspaceRow};
use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, Tx};
use crate::error::{ApiError, ApiResult};
use crate::service::{audit, begin_org_write, AuditEntry};
use crate::state::AppState;
use crate::token::{new_id_at, now};
use orgkit_core::validate;
use orgkit_core::wire::{CreateWorkspaceRequest, UpdateWorkspaceRequest, Workspace};
use orgkit_core::workspace::{check_create, check_name, WorkspaceAction};
use orgkit_core::{ErrorCode, OrganizationId, Timestamp, WorkspaceId};

/// Creates a shared workspace (`org:workspaces:manage`); without a slug, one is suggested
/// from the name. A slug in use is `workspace_slug_taken`.
pub async fn create(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    req: &CreateWorkspaceRequest,
) -> ApiResult<Workspace> {
    let name = check_name(&req.name)?;
    let slug = match &req.slug {
        Some(slug) => validate::slug(slug)?,
        None => validate::suggest_slug(&name),
    };
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    check_create(locked.access.held(me))?;
    let at = now();
    let id = WorkspaceId(new_id_at(WorkspaceId::PREFIX, at));
    insert(&mut tx, org_id, &id, &name, &slug, None, at).await?;
    record(&mut tx, me, org_id, "workspace.created", &id, &slug).await?;
    let (_, id_str) = principal_of(me);
    let row = WorkspaceRow {
        id: id.0,
        org_id: org_id.0.clone(),
        name,
        slug,
        personal_owner: None,
        archived_at: None,
        created_at: at.millis(),
        direct_level: None,
        group_level: None,
    };
    let mine = row.access(id_str, super::org_manages(&locked.access, me));
    tx.commit().await?;
    Ok(row.into_wire(mine))
}

/// Inserts a workspace, `workspace_slug_taken` when its slug is in use in the organization.
pub(crate) async fn insert(
    tx: &mut Tx,
    org_id: &OrganizationId,
    id: &WorkspaceId,
    name: &str,
    slug: &str,
    personal_owner: Option<&str>,
    at: Timestamp,
) -> ApiResult<()> {
    check_slug_free(tx, org_id, slug, id).await?;
    let inserted = sqlx::query(
        "INSERT INTO workspaces (id, org_id, name, slug, personal_owner, archived_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, NULL, $6)",
    )
    .bind(id.as_str())
    .bind(org_id.as_str())
    .bind(name)
    .bind(slug)
    .bind(personal_owner)
    .bind(at.millis())
    .execute(&mut **tx)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(slug_taken()),
        Err(e) => Err(e.into()),
    }
}

async fn check_slug_free(
    tx: &mut Tx,
    org_id: &OrganizationId,
    slug: &str,
    except: &WorkspaceId,
) -> ApiResult<()> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT id FROM workspaces WHERE org_id = $1 AND slug = $2 AND id <> $3")
            .bind(org_id.as_str())
            .bind(slug)
            .bind(except.as_str())
            .fetch_optional(&mut **tx)
            .await?;
    match found {
        Some(_) => Err(slug_taken()),
        None => Ok(()),
    }
}

fn slug_taken() -> ApiError {
    ApiError::new(
        ErrorCode::WorkspaceSlugTaken,
        "Another workspace of the organization has this slug.",
    )
}

/// Renames a workspace or changes its slug (its managers).
pub async fn update(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    ws_id: &WorkspaceId,
    req: &UpdateWorkspaceRequest,
) -> ApiResult<Workspace> {
    let name = req.name.as_deref().map(check_name).transpose()?;
    let slug = req.slug.as_deref().map(validate::slug).transpose()?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let action = WorkspaceAction::Update;
    let (mut row, mine) = reach(&mut tx, &locked.access, me, org_id, ws_id, action).await?;
    if let Some(slug) = &slug {
        check_slug_free(&mut tx, org_id, slug, ws_id).await?;
    }
    row.name = name.unwrap_or(row.name);
    row.slug = slug.unwrap_or(row.slug);
    let updated =
        sqlx::query("UPDATE workspaces SET name = $3, slug = $4 WHERE org_id = $1 AND id = $2")
            .bind(org_id.as_str())
            .bind(ws_id.as_str())
            .bind(&row.name)
            .bind(&row.slug)
            .execute(&mut *tx)
            .await;
    match updated {
        Err(e) if is_unique_violation(&e) => return Err(slug_taken()),
        other => other?,
    };
    record(&mut tx, me, org_id, "workspace.updated", ws_id, &row.slug).await?;
    tx.commit().await?;
    Ok(row.into_wire(mine))
}

/// Archives (`archive`) or restores a workspace (its managers). Archived, it keeps its
/// grants but only managers reach it, and it takes no new grant. Doing it twice changes
/// nothing.
pub async fn set_archived(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    ws_id: &WorkspaceId,
    archive: bool,
) -> ApiResult<Workspace> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let action = WorkspaceAction::Archive;
    let (mut row, _) = reach(&mut tx, &locked.access, me, org_id, ws_id, action).await?;
    if row.archived_at.is_some() != archive {
        row.archived_at = archive.then(|| now().millis());
        sqlx::query("UPDATE workspaces SET archived_at = $3 WHERE org_id = $1 AND id = $2")
            .bind(org_id.as_str())
            .bind(ws_id.as_str())
            .bind(row.archived_at)
            .execute(&mut *tx)
            .await?;
        let event = if archive {
            "workspace.archived"
        } else {
            "workspace.unarchived"
        };
        record(&mut tx, me, org_id, event, ws_id, "").await?;
    }
    let (_, id) = principal_of(me);
    let mine = row.access(id, super::org_manages(&locked.access, me));
    tx.commit().await?;
    Ok(row.into_wire(mine))
}

/// Records a workspace change.
pub(crate) async fn record(
    tx: &mut Tx,
    me: &CurrentUser,
    org_id: &OrganizationId,
    action: &'static str,
    ws_id: &WorkspaceId,
    detail: &str,
) -> ApiResult<()> {
    let event = AuditEntry {
        org_id,
        actor: me,
        action,
        subject: ws_id.as_str(),
        detail,
    };
    audit(tx, event).await
}
