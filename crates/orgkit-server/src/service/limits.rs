//! Limits and policies in the transactions that add members and create organizations: the
//! facts `orgkit_core::limits` decides on, read under the organization's lock (taken by the
//! caller) and the person's (taken here), so concurrent joins are counted one at a time.
//!
//! Lock order: the organization, then the person, as every path that locks both.

use crate::auth::CurrentUser;
use crate::db::{p, Kind, Tx, Value, WriteTx};
use crate::error::ApiResult;
use crate::service::{audit, AuditEntry};
use crate::state::AppState;
use orgkit_core::limits::{self, JoinFacts};
use orgkit_core::policy::Action;
use orgkit_core::{OrganizationId, UserId};

/// Locks the person's row until the transaction ends (PostgreSQL; SQLite's write lock already
/// serializes every writer), so two joins of one person into two organizations, or two
/// creations, run one after the other.
async fn lock_person<W: WriteTx + ?Sized>(
    state: &AppState,
    tx: &mut W,
    user_id: &UserId,
) -> ApiResult<()> {
    if state.db.kind == Kind::Postgres {
        tx.fetch_optional(
            "SELECT id FROM users WHERE id = $1 FOR UPDATE",
            &[p(user_id.as_str())],
        )
        .await?;
    }
    Ok(())
}

/// The organization's members that take a seat against `maxAllowedMemberships` (`max`), counted
/// only as far as the rule book needs (`limits::seats_to_count`): none without a limit. The one
/// place that says who counts: a suspended member will not.
async fn seated_members(tx: &mut Tx, org_id: &OrganizationId, max: u64) -> ApiResult<u64> {
    let Some(cap) = limits::seats_to_count(max) else {
        return Ok(0);
    };
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM (SELECT 1 FROM memberships \
           WHERE org_id = $1 AND suspended_at IS NULL LIMIT $2) seated",
    )
    .bind(org_id.as_str())
    .bind(i64::try_from(cap).unwrap_or(i64::MAX))
    .fetch_one(&mut **tx)
    .await?;
    Ok(n.max(0) as u64)
}

/// The person's memberships in any organization, counted only as far as the rule book needs
/// (`limits::memberships_to_count`): none without "one organization per account".
async fn memberships_of<W: WriteTx + ?Sized>(
    state: &AppState,
    tx: &mut W,
    user_id: &UserId,
) -> ApiResult<u64> {
    let Some(cap) = limits::memberships_to_count(state.config.limits()) else {
        return Ok(0);
    };
    let sql =
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM memberships WHERE user_id = $1 LIMIT $2) mine";
    let cap = i64::try_from(cap).unwrap_or(i64::MAX);
    count(tx, sql, &[p(user_id.as_str()), p(cap)]).await
}

/// The one count `sql` answers (its column `n`) with `params`.
async fn count<W: WriteTx + ?Sized>(tx: &mut W, sql: &str, params: &[Value]) -> ApiResult<u64> {
    let row = tx
        .fetch_optional(sql, params)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    Ok(row.int("n")?.max(0) as u64)
}

/// Whether `user_id` may join `org_id` now. Call it in the joining transaction, after the
/// organization is locked and before the membership is inserted.
pub(crate) async fn check_join(
    state: &AppState,
    tx: &mut Tx,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<()> {
    lock_person(state, tx, user_id).await?;
    let (max,): (i64,) =
        sqlx::query_as("SELECT max_allowed_memberships FROM organizations WHERE id = $1")
            .bind(org_id.as_str())
            .fetch_one(&mut **tx)
            .await?;
    let facts = JoinFacts {
        memberships: memberships_of(state, tx, user_id).await?,
        seated_members: seated_members(tx, org_id, max.max(0) as u64).await?,
        max_allowed_memberships: max.max(0) as u64,
    };
    limits::check_join(state.config.limits(), facts)?;
    Ok(())
}

/// Whether a suspended member of `org_id` may be reactivated: they take a seat again. Call it
/// in the reactivating transaction, under the organization's lock.
pub(crate) async fn check_reactivate(tx: &mut Tx, org_id: &OrganizationId) -> ApiResult<()> {
    let (max,): (i64,) =
        sqlx::query_as("SELECT max_allowed_memberships FROM organizations WHERE id = $1")
            .bind(org_id.as_str())
            .fetch_one(&mut **tx)
            .await?;
    let max = max.max(0) as u64;
    limits::check_seat(seated_members(tx, org_id, max).await?, max)?;
    Ok(())
}

/// Whether `user_id` may file a join request ("one organization per account").
pub(crate) async fn check_request(
    state: &AppState,
    tx: &mut Tx,
    user_id: &UserId,
) -> ApiResult<()> {
    let policy = state.config.limits();
    if policy.one_organization_per_account {
        limits::check_request(policy, memberships_of(state, tx, user_id).await?)?;
    }
    Ok(())
}

/// Whether `user_id` may create one more organization; locks the person first.
pub(crate) async fn check_create<W: WriteTx + ?Sized>(
    state: &AppState,
    tx: &mut W,
    user_id: &UserId,
) -> ApiResult<()> {
    let policy = state.config.limits();
    if policy == limits::Policy::default() {
        return Ok(());
    }
    lock_person(state, tx, user_id).await?;
    let created = count(
        tx,
        "SELECT COUNT(*) AS n FROM organizations WHERE created_by = $1",
        &[p(user_id.as_str())],
    )
    .await?;
    let memberships = memberships_of(state, tx, user_id).await?;
    limits::check_create(policy, created, memberships)?;
    Ok(())
}

/// A requested `maxAllowedMemberships`: checked by the rule book, allowed by the profile's
/// permission (`org:profile:manage`); answers it when it differs from the stored one.
pub(crate) fn change(
    state: &AppState,
    me: &CurrentUser,
    access: &super::access::Access,
    requested: Option<u64>,
    org: &super::rows::OrgRow,
) -> ApiResult<Option<u64>> {
    let Some(max) = requested else {
        return Ok(None);
    };
    let max = limits::check_max_allowed_memberships(max)?;
    let _ = state;
    access.check(me, Action::UpdateOrganization)?;
    Ok((max as i64 != org.max_allowed_memberships).then_some(max))
}

/// Audits a new `maxAllowedMemberships` (0: unlimited), in the transaction that sets it.
pub(crate) async fn record_member_limit(
    tx: &mut Tx,
    me: &CurrentUser,
    org_id: &OrganizationId,
    max: Option<u64>,
) -> ApiResult<()> {
    let Some(max) = max else {
        return Ok(());
    };
    let detail = if max == 0 {
        "unlimited".to_owned()
    } else {
        max.to_string()
    };
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "organization.member_limit_changed",
        subject: org_id.as_str(),
        detail: &detail,
    };
    audit(tx, event).await
}
