//! An organization's logo: checked by the rule book (`orgkit_core::logo`: PNG, JPEG or WebP by
//! content, at most 1 MB), stored in `organization_logos` on both databases, served with an
//! `ETag` (the SHA-256 of the bytes) at the stable URL `/v1/organizations/{id}/logo`.
//! Setting and deleting need `org:profile:manage` and are audited.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::service::{audit, begin_org_write, AuditEntry};
use crate::state::AppState;
use crate::token::now;
use orgkit_core::policy::Action;
use orgkit_core::OrganizationId;
use sha2::{Digest, Sha256};

/// A stored logo as served.
pub struct Logo {
    pub content_type: String,
    /// A strong validator, quoted as the `ETag` header wants it.
    pub etag: String,
    pub bytes: Vec<u8>,
}

/// Replaces the organization's logo with `bytes`; answers its ETag.
pub async fn set(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    bytes: &[u8],
) -> ApiResult<String> {
    let format = orgkit_core::logo::check(bytes)?;
    let etag = format!("\"{}\"", hex::encode(Sha256::digest(bytes)));
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    locked.access.check(me, Action::UpdateOrganization)?;
    sqlx::query("DELETE FROM organization_logos WHERE org_id = $1")
        .bind(org_id.as_str())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO organization_logos (org_id, content_type, etag, bytes, updated_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(org_id.as_str())
    .bind(format.content_type())
    .bind(&etag)
    .bind(bytes)
    .bind(now().millis())
    .execute(&mut *tx)
    .await?;
    let detail = format!("{}, {} bytes", format.content_type(), bytes.len());
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "organization.logo_set",
        subject: org_id.as_str(),
        detail: &detail,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    Ok(etag)
}

/// Deletes the organization's logo (`not_found` when it has none).
pub async fn delete(state: &AppState, me: &CurrentUser, org_id: &OrganizationId) -> ApiResult<()> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    locked.access.check(me, Action::UpdateOrganization)?;
    let deleted = sqlx::query("DELETE FROM organization_logos WHERE org_id = $1")
        .bind(org_id.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(ApiError::not_found("Logo"));
    }
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "organization.logo_deleted",
        subject: org_id.as_str(),
        detail: "",
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    Ok(())
}

/// The organization's logo, for a member.
pub async fn get(state: &AppState, me: &CurrentUser, org_id: &OrganizationId) -> ApiResult<Logo> {
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    let row: Option<(String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT content_type, etag, bytes FROM organization_logos WHERE org_id = $1",
    )
    .bind(org_id.as_str())
    .fetch_optional(&state.db.pool)
    .await?;
    let (content_type, etag, bytes) = row.ok_or_else(|| ApiError::not_found("Logo"))?;
    Ok(Logo {
        content_type,
        etag,
        bytes,
    })
}
