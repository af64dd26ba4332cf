//! The domains a connection serves: each must be the organization's, owned (DNS TXT), served
//! by no other connection, and enroll nobody automatically. The enrollment-mode side of the
//! last rule is [`check_enrollment_mode`], which the domains code calls.

use crate::db::{is_unique_violation, Tx};
use crate::error::{ApiError, ApiResult};
use orgkit_core::domain::EnrollmentMode;
use orgkit_core::sso::connection::{self as rules, DomainFacts};
use orgkit_core::{DomainId, ErrorCode, OrganizationId, SsoConnectionId};

/// The ids given, each once, in the order given.
pub(super) fn distinct(ids: &[DomainId]) -> Vec<&DomainId> {
    let mut seen: Vec<&DomainId> = Vec::with_capacity(ids.len());
    for id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    seen
}

/// Replaces the domains `connection` serves by `ids`, in `tx` (which holds the
/// organization's lock), holding each to the rule book.
pub(super) async fn replace(
    tx: &mut Tx,
    org_id: &OrganizationId,
    connection: &SsoConnectionId,
    ids: &[&DomainId],
) -> ApiResult<()> {
    sqlx::query("DELETE FROM sso_connection_domains WHERE connection_id = $1")
        .bind(connection.as_str())
        .execute(&mut **tx)
        .await?;
    for id in ids {
        let facts: Option<(Option<i64>, String, i64)> = sqlx::query_as(
            "SELECT d.ownership_verified_at, d.enrollment_mode, \
             (SELECT COUNT(*) FROM sso_connection_domains cd WHERE cd.domain_id = d.id) \
             FROM org_domains d WHERE d.org_id = $1 AND d.id = $2",
        )
        .bind(org_id.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut **tx)
        .await?;
        let (owned_at, mode, others) = facts.ok_or_else(|| ApiError::not_found("Domain"))?;
        rules::check_domain(DomainFacts {
            ownership_verified: owned_at.is_some(),
            enrollment_mode: EnrollmentMode::parse(&mode)
                .unwrap_or(EnrollmentMode::ManualInvitation),
            other_connection: others > 0,
        })?;
        sqlx::query(
            "INSERT INTO sso_connection_domains (connection_id, domain_id) VALUES ($1, $2)",
        )
        .bind(connection.as_str())
        .bind(id.as_str())
        .execute(&mut **tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                ApiError::new(
                    ErrorCode::SsoDomainConflict,
                    "This domain already belongs to another SSO connection.",
                )
            } else {
                e.into()
            }
        })?;
    }
    Ok(())
}

/// Whether an SSO connection serves `domain`, read in `tx`.
async fn used_by_sso(tx: &mut Tx, domain: &DomainId) -> ApiResult<bool> {
    let (used,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sso_connection_domains WHERE domain_id = $1")
            .bind(domain.as_str())
            .fetch_one(&mut **tx)
            .await?;
    Ok(used > 0)
}

/// Refuses an automatic enrollment mode for a domain an SSO connection serves; the domains
/// code calls this inside its write, which holds the organization's lock.
pub(crate) async fn check_enrollment_mode(
    tx: &mut Tx,
    domain: &DomainId,
    mode: EnrollmentMode,
) -> ApiResult<()> {
    Ok(rules::check_enrollment_mode(
        mode,
        used_by_sso(tx, domain).await?,
    )?)
}

/// Refuses deleting a domain an SSO connection serves; the domains code calls this inside its
/// write, which holds the organization's lock.
pub(crate) async fn check_domain_delete(tx: &mut Tx, domain: &DomainId) -> ApiResult<()> {
    Ok(rules::check_domain_delete(used_by_sso(tx, domain).await?)?)
}
