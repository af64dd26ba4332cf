//! What goes with a principal when it leaves: its workspace grants, its group rows and (for
//! keys it owns) its API keys, in the transaction that removes it, so no grant outlives its
//! holder's membership.

use crate::db::{p, Tx, WriteTx};
use crate::error::ApiResult;
use crate::token::now;
use orgkit_core::workspace::PrincipalKind;
use orgkit_core::{GroupId, OrganizationId, ServiceAccountId, UserId};

/// Why a removed member's keys were revoked.
pub const OWNER_REMOVED: &str = "owner removed";
/// Why a deleted service account's keys were revoked.
pub const SERVICE_ACCOUNT_DELETED: &str = "service account deleted";

/// A member left `org_id` (removed, bulk removed, left, deleted through the Clerk API): their
/// workspace grants and group rows there are deleted and their API keys there revoked.
pub async fn member_removed<W: WriteTx + ?Sized>(
    tx: &mut W,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<()> {
    principal_removed(
        tx,
        org_id,
        PrincipalKind::User,
        user_id.as_str(),
        OWNER_REMOVED,
    )
    .await
}

/// A service account was deleted: its grants and group rows are deleted, its keys revoked.
pub async fn service_account_deleted(
    tx: &mut Tx,
    org_id: &OrganizationId,
    sa_id: &ServiceAccountId,
) -> ApiResult<()> {
    principal_removed(
        tx,
        org_id,
        PrincipalKind::ServiceAccount,
        sa_id.as_str(),
        SERVICE_ACCOUNT_DELETED,
    )
    .await
}

/// A user was deleted from the instance: their grants and group rows in every organization
/// go (their memberships went through [`member_removed`] already; this catches any row left).
pub async fn user_deleted(tx: &mut Tx, user_id: &UserId) -> ApiResult<()> {
    for table in ["workspace_grants", "group_members"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE principal_kind = 'user' AND principal_id = $1"
        ))
        .bind(user_id.as_str())
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "UPDATE api_keys SET revoked_at = $2, revoke_reason = $3 \
         WHERE owner_kind = 'user' AND owner_id = $1 AND revoked_at IS NULL",
    )
    .bind(user_id.as_str())
    .bind(now().millis())
    .bind(OWNER_REMOVED)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes the grants to a group and its member rows (a group's deletion).
pub async fn group_deleted(
    tx: &mut Tx,
    org_id: &OrganizationId,
    group_id: &GroupId,
) -> ApiResult<()> {
    sqlx::query(
        "DELETE FROM workspace_grants WHERE org_id = $1 AND principal_kind = 'group' AND principal_id = $2",
    )
    .bind(org_id.as_str())
    .bind(group_id.as_str())
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM group_members WHERE org_id = $1 AND group_id = $2")
        .bind(org_id.as_str())
        .bind(group_id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn principal_removed<W: WriteTx + ?Sized>(
    tx: &mut W,
    org_id: &OrganizationId,
    kind: PrincipalKind,
    id: &str,
    reason: &str,
) -> ApiResult<()> {
    for table in ["workspace_grants", "group_members"] {
        let sql = format!(
            "DELETE FROM {table} WHERE org_id = $1 AND principal_kind = $2 AND principal_id = $3"
        );
        tx.write(&sql, &[p(org_id.as_str()), p(kind.as_str()), p(id)])
            .await?;
    }
    tx.write(
        "UPDATE api_keys SET revoked_at = $4, revoke_reason = $5 \
         WHERE org_id = $1 AND owner_kind = $2 AND owner_id = $3 AND revoked_at IS NULL",
        &[
            p(org_id.as_str()),
            p(kind.as_str()),
            p(id),
            p(now().millis()),
            p(reason),
        ],
    )
    .await?;
    Ok(())
}
