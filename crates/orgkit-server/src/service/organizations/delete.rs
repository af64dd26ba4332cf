//! Deleting an organization: an owner, who repeats its slug.

use super::load;
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::service::{audit, is_instance_key, AuditEntry};
use crate::state::AppState;
use crate::token::now;
use crate::webhooks::{self, emit};
use orgkit_core::policy::Action;
use orgkit_core::{DisabledReason, EventType, OrganizationId};
use serde_json::json;

/// How a deletion is confirmed.
#[derive(Debug, Clone, Copy)]
pub enum DeleteConfirmation<'a> {
    /// `/v1`: the organization's slug, repeated by the caller (`None`: not given).
    Slug(Option<&'a str>),
    /// The Clerk-compatible API, whose `deleteOrganization` has no confirmation: an instance
    /// secret key only.
    InstanceKey,
}

/// Deletes the organization with its memberships and invitations, in one transaction: an
/// owner (or an instance secret key) with `org:profile:delete`, confirmed.
pub async fn delete(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    confirm: DeleteConfirmation<'_>,
) -> ApiResult<()> {
    let mut tx = state.db.begin_write().await?;
    state.db.lock_organization(&mut tx, org_id, me.id()).await?;
    let loaded = load(&mut *tx, org_id, me).await?;
    let access = loaded.access(state, &mut tx).await?;
    access.check(me, Action::ReadOrganization)?;
    let owner = loaded.owner_if_active(me)?;
    access.check(me, Action::DeleteOrganization)?;
    let org = loaded.org;
    match confirm {
        DeleteConfirmation::Slug(given) => {
            orgkit_core::ownership::check_delete(owner, &org.slug, given)?;
        }
        DeleteConfirmation::InstanceKey if is_instance_key(me.id()) => {}
        DeleteConfirmation::InstanceKey => {
            orgkit_core::ownership::check_delete(owner, &org.slug, None)?;
        }
    }
    for sql in [
        "DELETE FROM invitations WHERE org_id = $1",
        "DELETE FROM memberships WHERE org_id = $1",
        "DELETE FROM organizations WHERE id = $1",
    ] {
        sqlx::query(sql)
            .bind(org_id.as_str())
            .execute(&mut *tx)
            .await?;
    }
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "organization.deleted",
        subject: org_id.as_str(),
        detail: &org.name,
    };
    audit(&mut tx, event).await?;
    let data = json!({"id": org_id, "deleted": true});
    let queued = emit(&mut tx, org_id, EventType::OrganizationDeleted, data, now()).await?;
    // The endpoints stay, disabled, until this last message and those before it are out.
    sqlx::query(
        "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = $1, updated_at = $2 \
         WHERE org_id = $3",
    )
    .bind(DisabledReason::OrganizationDeleted.as_str())
    .bind(now().millis())
    .bind(org_id.as_str())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(())
}
