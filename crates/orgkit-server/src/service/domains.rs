//! An organization's verified email domains: add, list, read, delete; prove affiliation (a
//! 6-digit code mailed to an address at the domain) or ownership (a DNS TXT record); set the
//! enrollment mode, whose `automatic_invitation` invites every verified address at the domain
//! and whose `automatic_suggestion` shows the organization to them ([`suggestions`]).
//!
//! Every write locks the organization and asks the rule book (`org:domains:manage`). A name is
//! verified for one organization at a time: the unique index `org_domains_verified_name`
//! refuses the second (`domain_taken`).

use crate::auth::{ClientInfo, CurrentUser};
use crate::db::{is_unique_violation, Kind, Tx};
use crate::error::{ApiError, ApiResult};
use crate::mail::Email;
use crate::queue::enqueue_mail;
use crate::rate_limit::Limit;
use crate::service::join_requests::{file_pending, JoinRequestSource, NewJoinRequest};
use crate::service::memberships::wire_json;
use crate::service::{audit, begin_org_write, check, role_for_read, AuditEntry};
use crate::state::AppState;
use crate::token::{hash, new_id_at, new_secret, now};
use crate::webhooks::{emit, subscribed};
use orgkit_core::domain::{self, CodeFacts, EnrollmentMode, AFFILIATION_CODE_TTL_MS};
use orgkit_core::policy::Action;
use orgkit_core::wire::{
    AttemptAffiliationRequest, CreateDomainRequest, DomainSuggestion, Invitation,
    OrganizationDomain, PrepareAffiliationRequest, SuggestionAccepted, UpdateDomainRequest, User,
};
use orgkit_core::{
    validate, DomainId, ErrorCode, EventType, InvitationId, InvitationStatus, OrganizationId, Role,
    Timestamp,
};
use rand::Rng;

/// The role automatic invitations and accepted suggestions give (a later issue makes it per
/// organization).
fn default_role() -> &'static str {
    Role::BASIC_MEMBER
}

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
) -> ApiResult<(Tx, Option<String>)> {
    let (tx, locked) = begin_org_write(state, me, org_id).await?;
    check(
        state,
        me.id(),
        locked.my_role.as_deref(),
        Action::ManageDomains,
    )?;
    Ok((tx, locked.my_role))
}

async fn check_read(state: &AppState, me: &CurrentUser, org_id: &OrganizationId) -> ApiResult<()> {
    let role = role_for_read(state, org_id, me.id()).await?;
    check(state, me.id(), role.as_deref(), Action::ManageDomains)
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
    let (mut tx, role) = begin_manage(state, me, org_id).await?;
    let verified = false;
    check(
        state,
        me.id(),
        role.as_deref(),
        Action::SetEnrollmentMode { mode, verified },
    )?;
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

/// Sets the enrollment mode. Switching to `automatic_invitation` invites, in the same
/// transaction, every user with a verified address at the domain who is neither a member nor
/// invited. `deletePending` revokes the pending invitations the domain created and withdraws
/// the pending join requests that came from suggestions by users at the domain.
pub async fn update(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &DomainId,
    req: UpdateDomainRequest,
) -> ApiResult<OrganizationDomain> {
    let (mut tx, role) = begin_manage(state, me, org_id).await?;
    let row = load(&mut *tx, org_id, id).await?;
    let mode = req.enrollment_mode;
    let verified = row.verified == 1;
    check(
        state,
        me.id(),
        role.as_deref(),
        Action::SetEnrollmentMode { mode, verified },
    )?;
    let at = now();
    sqlx::query("UPDATE org_domains SET enrollment_mode = $2 WHERE id = $1")
        .bind(id.as_str())
        .bind(mode.as_str())
        .execute(&mut *tx)
        .await?;
    let mut detail = format!("{} → {}", row.enrollment_mode, mode.as_str());
    if req.delete_pending == Some(true) {
        let revoked = sqlx::query(
            "UPDATE invitations SET status = 'revoked' WHERE domain_id = $1 AND status = 'pending'",
        )
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let withdrawn = sqlx::query(
            "UPDATE join_requests SET status = 'withdrawn', pending = 0, decided_by = $3, \
             decided_at = $4 WHERE org_id = $1 AND source = 'suggestion' AND status = 'pending' \
             AND user_id IN (SELECT u.id FROM users u WHERE u.email LIKE $2)",
        )
        .bind(org_id.as_str())
        .bind(format!("%@{}", row.name))
        .bind(me.id().as_str())
        .bind(at.millis())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        detail.push_str(&format!(
            "; {revoked} invitations revoked, {withdrawn} requests withdrawn"
        ));
    }
    if mode == EnrollmentMode::AutomaticInvitation {
        let invited = backfill(state, &mut tx, &row, me, at).await?;
        detail.push_str(&format!("; {invited} invited"));
    }
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "domain.enrollment_mode_changed",
        subject: id.as_str(),
        detail: &detail,
    };
    audit(&mut tx, event).await?;
    let answer = load(&mut *tx, org_id, id).await?;
    tx.commit().await?;
    state.queue.wake();
    Ok(answer.into_wire())
}

/// Invites every verified address at the domain that is neither a member nor invited, in one
/// `INSERT … SELECT` (the pending-invitation index skips the invited). On PostgreSQL it first
/// locks the users at the domain: a user verifying their address right now has their row
/// locked, so the insert waits for them and then sees them verified (see
/// [`lock_for_verification`] for the other side). Answers how many were invited.
async fn backfill(
    state: &AppState,
    tx: &mut Tx,
    row: &DomainRow,
    me: &CurrentUser,
    at: Timestamp,
) -> ApiResult<usize> {
    let pattern = format!("%@{}", row.name);
    if state.db.kind == Kind::Postgres {
        sqlx::query("SELECT id FROM users WHERE email LIKE $1 ORDER BY id FOR UPDATE")
            .bind(&pattern)
            .fetch_all(&mut **tx)
            .await?;
    }
    let batch = &new_id_at("", at);
    let expires_at = at.millis() + invitation_ttl_ms(state);
    let invited: Vec<(String, String)> = sqlx::query_as(
        "INSERT INTO invitations (id, org_id, email, role, status, token_hash, inviter_id, \
         created_at, expires_at, domain_id) \
         SELECT 'inv_' || $1 || substr(u.id, 6), $2, u.email, $3, 'pending', \
           'none:' || $1 || u.id, $4, $5, $6, $7 \
         FROM users u WHERE u.email_verified = 1 AND u.email LIKE $8 \
           AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = $2 AND m.user_id = u.id) \
         ON CONFLICT DO NOTHING RETURNING id, email",
    )
    .bind(batch)
    .bind(row.org_id.as_str())
    .bind(default_role())
    .bind(me.id().as_str())
    .bind(at.millis())
    .bind(expires_at)
    .bind(row.id.as_str())
    .bind(&pattern)
    .fetch_all(&mut **tx)
    .await?;
    announce(tx, &row.org_id, &invited, at, expires_at).await?;
    Ok(invited.len())
}

fn invitation_ttl_ms(state: &AppState) -> i64 {
    state.config.invitation_ttl_seconds.saturating_mul(1000)
}

/// Emits `organizationInvitation.created` for each automatic invitation, when an endpoint of
/// the organization receives it (one statement per invitation; a backfill of N users costs N).
async fn announce(
    tx: &mut Tx,
    org_id: &OrganizationId,
    invited: &[(String, String)],
    at: Timestamp,
    expires_at: i64,
) -> ApiResult<()> {
    if invited.is_empty() || !subscribed(tx, org_id, EventType::InvitationCreated).await? {
        return Ok(());
    }
    let (org_name,): (String,) = sqlx::query_as("SELECT name FROM organizations WHERE id = $1")
        .bind(org_id.as_str())
        .fetch_one(&mut **tx)
        .await?;
    for (id, email) in invited {
        let invitation = Invitation {
            id: InvitationId(id.clone()),
            email_address: email.clone(),
            role: Role(default_role().to_owned()),
            status: InvitationStatus::Pending,
            organization_id: org_id.clone(),
            organization_name: org_name.clone(),
            created_at: at,
            expires_at: Timestamp(expires_at),
            accept_url: None,
            token: None,
        };
        // The caller wakes the queue after its commit.
        let _queued = emit(
            tx,
            org_id,
            EventType::InvitationCreated,
            wire_json(&invitation)?,
            at,
        )
        .await?;
    }
    Ok(())
}

/// The organization whose verified domain is `email`'s, locked for the rest of `tx` (before
/// the address is marked verified, so that the lock order is the organization, then the user,
/// as in [`backfill`]). `None` when no organization has verified that domain.
pub(crate) async fn lock_for_verification(
    state: &AppState,
    tx: &mut Tx,
    email: &str,
) -> ApiResult<Option<OrganizationId>> {
    let Some(name) = domain::email_domain(email) else {
        return Ok(None);
    };
    let org: Option<(String,)> =
        sqlx::query_as("SELECT org_id FROM org_domains WHERE name = $1 AND verified = 1")
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((org_id,)) = org else {
        return Ok(None);
    };
    if state.db.kind == Kind::Postgres {
        sqlx::query("SELECT id FROM organizations WHERE id = $1 FOR UPDATE")
            .bind(&org_id)
            .fetch_optional(&mut **tx)
            .await?;
    }
    Ok(Some(OrganizationId(org_id)))
}

/// Invites a user whose address just became verified, when the organization locked by
/// [`lock_for_verification`] has the address's domain verified in `automatic_invitation` mode
/// (read now, under the lock) and they are neither a member nor invited.
pub(crate) async fn invite_on_verification(
    state: &AppState,
    tx: &mut Tx,
    org_id: Option<OrganizationId>,
    user: &User,
) -> ApiResult<()> {
    let Some(org_id) = org_id else {
        return Ok(());
    };
    let Some(name) = domain::email_domain(&user.email_address) else {
        return Ok(());
    };
    let found: Option<(String, String)> = sqlx::query_as(
        "SELECT id, created_by FROM org_domains WHERE org_id = $1 AND name = $2 AND verified = 1 \
         AND enrollment_mode = 'automatic_invitation'",
    )
    .bind(org_id.as_str())
    .bind(name)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((domain_id, inviter)) = found else {
        return Ok(());
    };
    let at = now();
    let expires_at = at.millis() + invitation_ttl_ms(state);
    let id = new_id_at(InvitationId::PREFIX, at);
    let invited: Vec<(String, String)> = sqlx::query_as(
        "INSERT INTO invitations (id, org_id, email, role, status, token_hash, inviter_id, \
         created_at, expires_at, domain_id) \
         SELECT $1, $2, $3, $4, 'pending', 'none:' || $1, $5, $6, $7, $8 \
         WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = $2 AND m.user_id = $9) \
         ON CONFLICT DO NOTHING RETURNING id, email",
    )
    .bind(&id)
    .bind(org_id.as_str())
    .bind(&user.email_address)
    .bind(default_role())
    .bind(&inviter)
    .bind(at.millis())
    .bind(expires_at)
    .bind(&domain_id)
    .bind(user.id.as_str())
    .fetch_all(&mut **tx)
    .await?;
    if invited.is_empty() {
        return Ok(());
    }
    let actor = CurrentUser {
        user: user.clone(),
        client: ClientInfo::default(),
    };
    let event = AuditEntry {
        org_id: &org_id,
        actor: &actor,
        action: "invitation.created_by_domain",
        subject: &id,
        detail: &user.email_address,
    };
    audit(tx, event).await?;
    announce(tx, &org_id, &invited, at, expires_at).await
}

/// Organizations I could ask to join: a verified domain in `automatic_suggestion` mode at my
/// verified address's domain, where I am not a member and have no pending request.
pub async fn suggestions(state: &AppState, me: &CurrentUser) -> ApiResult<Vec<DomainSuggestion>> {
    let Some(name) =
        domain::email_domain(&me.user.email_address).filter(|_| me.user.email_verified)
    else {
        return Ok(Vec::new());
    };
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(SUGGESTIONS)
        .bind(name)
        .bind(me.id().as_str())
        .bind("")
        .fetch_all(&state.db.pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(domain_id, domain_name, org_id, org_name, slug)| DomainSuggestion {
                domain_id: DomainId(domain_id),
                domain_name,
                organization_id: OrganizationId(org_id),
                organization_name: org_name,
                organization_slug: slug,
            },
        )
        .collect())
}

/// `$1` the domain, `$2` me, `$3` one domain id or `""` for all.
const SUGGESTIONS: &str = "SELECT d.id, d.name, o.id, o.name, o.slug FROM org_domains d \
    JOIN organizations o ON o.id = d.org_id \
    WHERE d.name = $1 AND d.verified = 1 AND d.enrollment_mode = 'automatic_suggestion' \
      AND ($3 = '' OR d.id = $3) \
      AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = d.org_id AND m.user_id = $2) \
      AND NOT EXISTS (SELECT 1 FROM join_requests r WHERE r.org_id = d.org_id AND r.user_id = $2 \
        AND r.status = 'pending') \
    ORDER BY d.id";

/// Acts on a suggestion: files a join request (source `suggestion`) for the admins to decide.
pub async fn accept_suggestion(
    state: &AppState,
    me: &CurrentUser,
    domain_id: &DomainId,
) -> ApiResult<SuggestionAccepted> {
    let not_found = || ApiError::not_found("Suggestion");
    let name = domain::email_domain(&me.user.email_address)
        .filter(|_| me.user.email_verified)
        .ok_or_else(not_found)?;
    let org: Option<(String,)> = sqlx::query_as("SELECT org_id FROM org_domains WHERE id = $1")
        .bind(domain_id.as_str())
        .fetch_optional(&state.db.pool)
        .await?;
    let org_id = OrganizationId(org.ok_or_else(not_found)?.0);
    let mut tx = state.db.begin_write().await?;
    state
        .db
        .lock_organization(&mut tx, &org_id, me.id())
        .await?
        .ok_or_else(not_found)?;
    let pending: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM join_requests WHERE org_id = $1 AND user_id = $2 AND status = 'pending'",
    )
    .bind(org_id.as_str())
    .bind(me.id().as_str())
    .fetch_optional(&mut *tx)
    .await?;
    if pending.is_some() {
        return Err(ApiError::new(
            ErrorCode::AlreadyRequested,
            "You already asked to join this organization.",
        ));
    }
    let found: Vec<(String, String, String, String, String)> = sqlx::query_as(SUGGESTIONS)
        .bind(name)
        .bind(me.id().as_str())
        .bind(domain_id.as_str())
        .fetch_all(&mut *tx)
        .await?;
    if found.is_empty() {
        let member: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM memberships WHERE org_id = $1 AND user_id = $2")
                .bind(org_id.as_str())
                .bind(me.id().as_str())
                .fetch_optional(&mut *tx)
                .await?;
        return Err(match member {
            Some(_) => ApiError::new(ErrorCode::AlreadyMember, "You are already a member."),
            None => not_found(),
        });
    }
    let at = now();
    let join_request_id = file_pending(
        &mut tx,
        NewJoinRequest {
            org_id: &org_id,
            user_id: me.id(),
            message: None,
            source: JoinRequestSource::Suggestion,
            role: None,
            at,
        },
    )
    .await?;
    let event = AuditEntry {
        org_id: &org_id,
        actor: me,
        action: "join_request.filed",
        subject: join_request_id.as_str(),
        detail: "suggestion",
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    // file_pending queued the admins' email.
    state.queue.wake();
    Ok(SuggestionAccepted {
        join_request_id,
        organization_id: org_id,
    })
}
