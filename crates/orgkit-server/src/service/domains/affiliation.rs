//! Proving affiliation: a 6-digit code mailed to an address at the domain (or none, when
//! the address is my own verified one), then checked with a bounded number of attempts.

use super::{begin_manage, load, mark_verified};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::mail::Email;
use crate::queue::enqueue_mail;
use crate::rate_limit::Limit;
use crate::service::{audit, AuditEntry};
use crate::state::AppState;
use crate::token::{hash, now};
use orgkit_core::domain::{self, CodeFacts, AFFILIATION_CODE_TTL_MS};
use orgkit_core::wire::{AttemptAffiliationRequest, OrganizationDomain, PrepareAffiliationRequest};
use orgkit_core::{validate, DomainId, ErrorCode, OrganizationId, Timestamp};
use rand::Rng;

/// Starts affiliation verification: mails a 6-digit code to an address at the domain. When
/// that address is my own verified address, the domain is verified at once and no code is
/// sent (the answer's `affiliationVerifiedAt` says so).
pub async fn prepare_affiliation(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &DomainId,
    req: PrepareAffiliationRequest,
) -> ApiResult<OrganizationDomain> {
    let email = validate::email(&req.email_address)?;
    let (mut tx, _) = begin_manage(state, me, org_id).await?;
    let row = load(&mut *tx, org_id, id).await?;
    domain::check_email_at_domain(&email, &row.name)?;
    let at = now();
    if me.user.email_verified && me.user.email_address == email {
        mark_verified(&mut tx, id, Some(&email), at).await?;
        let event = AuditEntry {
            org_id,
            actor: me,
            action: "domain.affiliation_verified",
            subject: id.as_str(),
            detail: &email,
        };
        audit(&mut tx, event).await?;
    } else {
        let limit = Limit::mail_to(&email, state.config.mail_to_address_limit_per_minute);
        state.limiter.check_all(&[limit], at.millis()).await?;
        let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000u32));
        sqlx::query("DELETE FROM domain_affiliation_codes WHERE domain_id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO domain_affiliation_codes (domain_id, email, code_hash, expires_at, attempts) \
             VALUES ($1, $2, $3, $4, 0)",
        )
        .bind(id.as_str())
        .bind(&email)
        .bind(code_hash(id, &code))
        .bind(at.millis() + AFFILIATION_CODE_TTL_MS)
        .execute(&mut *tx)
        .await?;
        let message = Email {
            to: email.clone(),
            subject: format!("Your code for {}: {code}", row.name),
            body: format!(
                "Enter this code to confirm that you are at {}:\n\n{code}\n\nIt expires in 10 minutes. If you did not ask for it, ignore this email.\n",
                row.name
            ),
            link: None,
        };
        enqueue_mail(&mut tx, &message, Some(org_id.as_str())).await?;
        let event = AuditEntry {
            org_id,
            actor: me,
            action: "domain.affiliation_code_sent",
            subject: id.as_str(),
            detail: &email,
        };
        audit(&mut tx, event).await?;
    }
    let answer = load(&mut *tx, org_id, id).await?;
    tx.commit().await?;
    state.queue.wake();
    Ok(answer.into_wire())
}

/// A code is stored hashed with its domain's id.
fn code_hash(id: &DomainId, code: &str) -> String {
    hash(&format!("{}:{code}", id.as_str()))
}

/// Checks a mailed code. A wrong one counts an attempt (committed, though the answer is an
/// error); the fifth wrong one, or expiry, needs a new code.
pub async fn attempt_affiliation(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &DomainId,
    req: AttemptAffiliationRequest,
) -> ApiResult<OrganizationDomain> {
    domain::check_code_format(&req.code)?;
    let (mut tx, _) = begin_manage(state, me, org_id).await?;
    load(&mut *tx, org_id, id).await?;
    let stored: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT email, code_hash, expires_at, attempts FROM domain_affiliation_codes WHERE domain_id = $1",
    )
    .bind(id.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let at = now();
    let facts = stored
        .as_ref()
        .map(|(_, _, expires_at, attempts)| CodeFacts {
            expires_at: Timestamp(*expires_at),
            attempts: (*attempts).clamp(0, i64::from(u32::MAX)) as u32,
        });
    let matches = stored
        .as_ref()
        .is_some_and(|(_, stored_hash, _, _)| *stored_hash == code_hash(id, &req.code));
    if let Err(refused) = domain::check_code_attempt(facts, matches, at) {
        if refused.code == ErrorCode::VerificationCodeInvalid {
            sqlx::query(
                "UPDATE domain_affiliation_codes SET attempts = attempts + 1 WHERE domain_id = $1",
            )
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
        return Err(refused.into());
    }
    let email = stored.map(|(email, ..)| email).unwrap_or_default();
    sqlx::query("DELETE FROM domain_affiliation_codes WHERE domain_id = $1")
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
    mark_verified(&mut tx, id, Some(&email), at).await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "domain.affiliation_verified",
        subject: id.as_str(),
        detail: &email,
    };
    audit(&mut tx, event).await?;
    let answer = load(&mut *tx, org_id, id).await?;
    tx.commit().await?;
    Ok(answer.into_wire())
}
