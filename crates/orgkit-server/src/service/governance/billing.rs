//! The billing profile: read with `org:billing:read`, replaced with `org:billing:manage`, each
//! field checked by the rule book (`orgkit_core::billing`), and any card number anywhere in the
//! request refused before it is parsed. Stored as the checked profile's JSON text.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::service::{audit, begin_org_write, AuditEntry};
use crate::state::AppState;
use crate::token::now;
use orgkit_core::policy::Action;
use orgkit_core::wire::BillingProfile;
use orgkit_core::{billing, OrganizationId, Timestamp};

/// The stored profile, or an empty one.
async fn stored(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org_id: &OrganizationId,
) -> ApiResult<BillingProfile> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT profile, updated_at FROM billing_profiles WHERE org_id = $1")
            .bind(org_id.as_str())
            .fetch_optional(executor)
            .await?;
    match row {
        None => Ok(BillingProfile::default()),
        Some((text, at)) => {
            let mut profile: BillingProfile =
                serde_json::from_str(&text).map_err(|e| ApiError::Internal(e.into()))?;
            profile.updated_at = Some(Timestamp(at));
            Ok(profile)
        }
    }
}

/// The organization's billing profile (`org:billing:read`).
pub async fn get(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<BillingProfile> {
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    billing::check_read(access.held(me))?;
    stored(&state.db.pool, org_id).await
}

/// Replaces the billing profile with `raw`, the request's JSON body (`org:billing:manage`).
pub async fn replace(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    raw: &str,
) -> ApiResult<BillingProfile> {
    billing::check_no_card_data(raw)?;
    let requested: BillingProfile = serde_json::from_str(raw)
        .map_err(|e| ApiError::validation(format!("The body does not fit: {e}")))?;
    let mut profile = billing::check_profile(&requested)?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    billing::check_manage(locked.access.held(me))?;
    let text = serde_json::to_string(&profile).map_err(|e| ApiError::Internal(e.into()))?;
    let at = now();
    sqlx::query("DELETE FROM billing_profiles WHERE org_id = $1")
        .bind(org_id.as_str())
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO billing_profiles (org_id, profile, updated_at) VALUES ($1, $2, $3)")
        .bind(org_id.as_str())
        .bind(&text)
        .bind(at.millis())
        .execute(&mut *tx)
        .await?;
    let detail = match &profile.payment_method {
        Some(m) => format!("payment method {} ending {}", m.brand, m.last4),
        None => "no payment method".to_owned(),
    };
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "organization.billing_updated",
        subject: org_id.as_str(),
        detail: &detail,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    profile.updated_at = Some(at);
    Ok(profile)
}
