//! Proving ownership: a DNS TXT record at `_orgkit-challenge.<domain>`.

use super::{begin_manage, check_read, load, mark_verified};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::service::{audit, AuditEntry};
use crate::state::AppState;
use crate::token::now;
use orgkit_core::domain::{self};
use orgkit_core::wire::OrganizationDomain;
use orgkit_core::{DomainId, ErrorCode, OrganizationId};

/// Looks up `_orgkit-challenge.<domain>` and verifies the domain when one of its TXT records
/// holds the expected value. The lookup runs before the write transaction, so a slow DNS
/// server never holds the organization's lock.
pub async fn verify_ownership(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &DomainId,
) -> ApiResult<OrganizationDomain> {
    check_read(state, me, org_id).await?;
    let row = load(&state.db.pool, org_id, id).await?;
    let record = domain::ownership_record_name(&row.name);
    let expected = domain::ownership_record_value(&row.ownership_value);
    let found = match state.dns.txt(&record).await {
        Ok(values) => values.iter().any(|v| v.trim() == expected),
        Err(e) => {
            tracing::info!(error = %e, record, "TXT lookup failed");
            false
        }
    };
    if !found {
        return Err(ApiError::new(
            ErrorCode::OwnershipRecordNotFound,
            format!("No TXT record at {record} holds {expected}."),
        ));
    }
    let (mut tx, _) = begin_manage(state, me, org_id).await?;
    let row = load(&mut *tx, org_id, id).await?;
    if row.ownership_verified_at.is_none() {
        mark_verified(&mut tx, id, None, now()).await?;
        let event = AuditEntry {
            org_id,
            actor: me,
            action: "domain.ownership_verified",
            subject: id.as_str(),
            detail: &row.name,
        };
        audit(&mut tx, event).await?;
    }
    let answer = load(&mut *tx, org_id, id).await?;
    tx.commit().await?;
    Ok(answer.into_wire())
}
