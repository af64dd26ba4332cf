//! `PUT /v1/me/active-organization`: the organization a new tab of mine starts in.
//!
//! A user preference, not a change to the organization: it takes no organization lock and
//! writes no audit event and no webhook. The value is kept in `users.last_active_org_id` and
//! read back only through my active membership (`auth::USER_COLUMNS`), so whatever removes or
//! suspends me later, or deletes the organization, the `User` answers `null` for it.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use orgkit_core::wire::ActiveOrganization;
use orgkit_core::{ErrorCode, OrganizationId};

/// Sets (an organization I am an active member of) or clears (`None`) my last active
/// organization, in one conditional `UPDATE`. Not a member, or no such organization:
/// `not_found` (the same answer, so nothing leaks); a suspended member: `membership_suspended`,
/// as every other request of theirs into the organization. An API key never gets here: a key
/// acts only under its organization's path (`api_keys::auth`), so `/v1/me/…` is `forbidden`.
pub async fn set(
    state: &AppState,
    me: &CurrentUser,
    org_id: Option<OrganizationId>,
) -> ApiResult<ActiveOrganization> {
    if me.key.is_some() {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "An API key has no active organization.",
        ));
    }
    let mut tx = state.db.begin_write().await?;
    let Some(org) = org_id else {
        sqlx::query("UPDATE users SET last_active_org_id = NULL WHERE id = $1")
            .bind(me.id().as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(ActiveOrganization {
            organization_id: None,
        });
    };
    let updated = sqlx::query(
        "UPDATE users SET last_active_org_id = $1 WHERE id = $2 AND EXISTS \
         (SELECT 1 FROM memberships m WHERE m.org_id = $1 AND m.user_id = $2 \
          AND m.suspended_at IS NULL)",
    )
    .bind(org.as_str())
    .bind(me.id().as_str())
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        // Only a refusal reads more: whether I am a suspended member, or none at all.
        let row: Option<(Option<i64>,)> = sqlx::query_as(
            "SELECT suspended_at FROM memberships WHERE org_id = $1 AND user_id = $2",
        )
        .bind(org.as_str())
        .bind(me.id().as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((suspended_at,)) = row {
            orgkit_core::suspension::check_access(suspended_at.is_some())?;
        }
        return Err(ApiError::not_found("Organization"));
    }
    tx.commit().await?;
    Ok(ActiveOrganization {
        organization_id: Some(org),
    })
}
