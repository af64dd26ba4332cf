//! My personal workspace in an organization: made on first use, named "Personal", managed by
//! me alone (it takes no grants).

use super::admin::{insert, record};
use super::{load, principal_of};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::service::begin_org_write;
use crate::state::AppState;
use crate::token::{new_id_at, now};
use orgkit_core::wire::Workspace;
use orgkit_core::workspace::check_personal;
use orgkit_core::{OrganizationId, WorkspaceId};

/// The name every personal workspace starts with.
pub const PERSONAL_NAME: &str = "Personal";

/// My personal workspace, created (and audited) the first time I ask for it. A service
/// account has none (`forbidden`): it would outlive the account.
pub async fn mine(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<Workspace> {
    let (kind, my_id) = principal_of(me);
    check_personal(kind)?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let found: Option<(String,)> =
        sqlx::query_as("SELECT id FROM workspaces WHERE org_id = $1 AND personal_owner = $2")
            .bind(org_id.as_str())
            .bind(my_id)
            .fetch_optional(&mut *tx)
            .await?;
    let ws_id = match found {
        Some((id,)) => WorkspaceId(id),
        None => {
            let at = now();
            let id = WorkspaceId(new_id_at(WorkspaceId::PREFIX, at));
            let suffix = id.as_str()[WorkspaceId::PREFIX.len()..].to_ascii_lowercase();
            let slug = format!("personal-{suffix}");
            insert(&mut tx, org_id, &id, PERSONAL_NAME, &slug, Some(my_id), at).await?;
            record(&mut tx, me, org_id, "workspace.created", &id, &slug).await?;
            id
        }
    };
    let row = load(&mut tx, org_id, &ws_id, kind, my_id)
        .await?
        .ok_or_else(|| ApiError::not_found("Workspace"))?;
    let mine = row.access(my_id, super::org_manages(&locked.access, me));
    tx.commit().await?;
    Ok(row.into_wire(mine))
}
