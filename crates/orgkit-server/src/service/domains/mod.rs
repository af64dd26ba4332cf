//! An organization's verified email domains: add, list, read, delete; prove affiliation (a
//! 6-digit code mailed to an address at the domain) or ownership (a DNS TXT record); set the
//! enrollment mode, whose `automatic_invitation` invites every verified address at the domain
//! and whose `automatic_suggestion` shows the organization to them ([`suggestions`]).
//!
//! Every write locks the organization and asks the rule book (`org:domains:manage`). A name is
//! verified for one organization at a time: the unique index `org_domains_verified_name`
//! refuses the second (`domain_taken`).

mod affiliation;
mod enrollment;
mod ownership;
mod suggestions;

pub use affiliation::{attempt_affiliation, prepare_affiliation};
pub use enrollment::update;
pub(crate) use enrollment::{invite_on_verification, lock_for_verification};
pub use ownership::verify_ownership;
pub use suggestions::{accept_suggestion, suggestions};

use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, Tx};
use crate::error::{ApiError, ApiResult};
use crate::service::{audit, begin_org_write, AuditEntry};
use crate::state::AppState;
use crate::token::{new_id_at, new_secret, now};
use orgkit_core::domain::{self, EnrollmentMode};
use orgkit_core::policy::Action;
use orgkit_core::wire::{CreateDomainRequest, OrganizationDomain};
use orgkit_core::{DomainId, ErrorCode, OrganizationId, Timestamp};

/// Converts a name to its ASCII form (IDNA, UTS #46) and holds it to the rule book.
pub fn ascii_name(raw: &str) -> ApiResult<String> {
    let ascii = idna::domain_to_ascii(raw.trim())
        .map_err(|_| ApiError::new(ErrorCode::DomainInvalid, "That is not a valid domain name."))?;
    Ok(domain::check_domain(&ascii)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct DomainRow {
    #[sqlx(try_from = "String")]
    id: DomainId,
    #[sqlx(try_from = "String")]
    org_id: OrganizationId,
    name: String,
    enrollment_mode: String,
    verified: i64,
    affiliation_verified_at: Option<i64>,
    affiliation_email: Option<String>,
    ownership_value: String,
    ownership_verified_at: Option<i64>,
    pending_invitations: i64,
    #[sqlx(try_from = "i64")]
    created_at: Timestamp,
}

const DOMAIN_COLUMNS: &str = "d.id, d.org_id, d.name, d.enrollment_mode, d.verified, \
    d.affiliation_verified_at, d.affiliation_email, d.ownership_value, d.ownership_verified_at, \
    (SELECT COUNT(*) FROM invitations i WHERE i.domain_id = d.id AND i.status = 'pending') \
    AS pending_invitations, d.created_at";

impl DomainRow {
    fn mode(&self) -> EnrollmentMode {
        EnrollmentMode::parse(&self.enrollment_mode).unwrap_or(EnrollmentMode::ManualInvitation)
    }

    fn into_wire(self) -> OrganizationDomain {
        OrganizationDomain {
            enrollment_mode: self.mode(),
            verified: self.verified == 1,
            ownership_record_name: domain::ownership_record_name(&self.name),
            ownership_record_value: domain::ownership_record_value(&self.ownership_value),
            id: self.id,
            organization_id: self.org_id,
            name: self.name,
            affiliation_email_address: self.affiliation_email,
            affiliation_verified_at: self.affiliation_verified_at.map(Timestamp),
            ownership_verified_at: self.ownership_verified_at.map(Timestamp),
            pending_invitations: self.pending_invitations.clamp(0, i64::from(u32::MAX)) as u32,
            created_at: self.created_at,
        }
    }
}

async fn load(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org_id: &OrganizationId,
    id: &DomainId,
) -> ApiResult<DomainRow> {
    let sql =
        format!("SELECT {DOMAIN_COLUMNS} FROM org_domains d WHERE d.org_id = $1 AND d.id = $2");
    sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(id.as_str())
        .fetch_optional(executor)
        .await?
        .ok_or_else(|| ApiError::not_found("Domain"))
}

/// Opens a write on the organization as a holder of `org:domains:manage`; answers the
/// transaction and my role.
async fn begin_manage(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<(Tx, crate::service::access::Access)> {
    let (tx, locked) = begin_org_write(state, me, org_id).await?;
    locked.access.check(me, Action::ManageDomains)?;
    Ok((tx, locked.access))
}

async fn check_read(state: &AppState, me: &CurrentUser, org_id: &OrganizationId) -> ApiResult<()> {
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ManageDomains)
}

fn taken() -> ApiError {
    ApiError::new(
        ErrorCode::DomainTaken,
        "This domain is already verified by another organization.",
    )
}

/// Adds a domain, unverified, in `manual_invitation` unless told otherwise (and the automatic
/// modes need a verified domain, so a new domain cannot start in one).
pub async fn create(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    req: CreateDomainRequest,
) -> ApiResult<OrganizationDomain> {
    let name = ascii_name(&req.name)?;
    let mode = req
        .enrollment_mode
        .unwrap_or(EnrollmentMode::ManualInvitation);
    let (mut tx, access) = begin_manage(state, me, org_id).await?;
    let verified = false;
    access.check(me, Action::SetEnrollmentMode { mode, verified })?;
    let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM org_domains WHERE org_id = $1")
        .bind(org_id.as_str())
        .fetch_one(&mut *tx)
        .await?;
    domain::check_domain_count(existing.max(0) as u64)?;
    let at = now();
    let id = DomainId(new_id_at(DomainId::PREFIX, at));
    let inserted = sqlx::query(
        "INSERT INTO org_domains (id, org_id, name, enrollment_mode, verified, ownership_value, \
         created_by, created_at) VALUES ($1, $2, $3, $4, 0, $5, $6, $7)",
    )
    .bind(id.as_str())
    .bind(org_id.as_str())
    .bind(&name)
    .bind(mode.as_str())
    .bind(new_secret())
    .bind(me.id().as_str())
    .bind(at.millis())
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => {
            return Err(ApiError::new(
                ErrorCode::DomainTaken,
                "This organization already has this domain.",
            ))
        }
        other => other?,
    };
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "domain.created",
        subject: id.as_str(),
        detail: &name,
    };
    audit(&mut tx, event).await?;
    let created = load(&mut *tx, org_id, &id).await?;
    tx.commit().await?;
    Ok(created.into_wire())
}

/// The organization's domains (at most 10), oldest first.
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<Vec<OrganizationDomain>> {
    check_read(state, me, org_id).await?;
    let sql =
        format!("SELECT {DOMAIN_COLUMNS} FROM org_domains d WHERE d.org_id = $1 ORDER BY d.id");
    let rows: Vec<DomainRow> = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .fetch_all(&state.db.pool)
        .await?;
    Ok(rows.into_iter().map(DomainRow::into_wire).collect())
}

/// One domain.
pub async fn get(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &DomainId,
) -> ApiResult<OrganizationDomain> {
    check_read(state, me, org_id).await?;
    Ok(load(&state.db.pool, org_id, id).await?.into_wire())
}

/// Deletes a domain. The invitations it created stay, as ordinary invitations.
pub async fn delete(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &DomainId,
) -> ApiResult<()> {
    let (mut tx, _) = begin_manage(state, me, org_id).await?;
    let row = load(&mut *tx, org_id, id).await?;
    crate::service::sso::check_domain_delete(&mut tx, id).await?;
    sqlx::query("DELETE FROM org_domains WHERE id = $1")
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "domain.deleted",
        subject: id.as_str(),
        detail: &row.name,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks a domain verified by `how` (`affiliation` with the address, or `ownership`); a
/// name verified by another organization is `domain_taken`.
async fn mark_verified(
    tx: &mut Tx,
    id: &DomainId,
    affiliation_email: Option<&str>,
    at: Timestamp,
) -> ApiResult<()> {
    let sql = match affiliation_email {
        Some(_) => {
            "UPDATE org_domains SET verified = 1, affiliation_verified_at = $2, \
             affiliation_email = $3 WHERE id = $1"
        }
        None => "UPDATE org_domains SET verified = 1, ownership_verified_at = $2 WHERE id = $1 AND $3 IS NULL",
    };
    sqlx::query(sql)
        .bind(id.as_str())
        .bind(at.millis())
        .bind(affiliation_email)
        .execute(&mut **tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                taken()
            } else {
                e.into()
            }
        })?;
    Ok(())
}
