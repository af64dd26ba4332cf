//! PostgreSQL writes that share their organization's lock (`orgkit_core::OrgLock`).
//!
//! A write that cannot lower the number of admins or owners (an invitation, a role change
//! that keeps admin where it was, the removal of a member who is neither admin nor owner)
//! takes the organization's row `FOR KEY SHARE`, so such writes commit side by side. It then
//! locks the member it changes `FOR UPDATE`, and my own membership `FOR SHARE`, and asks the
//! rule book which lock its decision needs. When that is the exclusive one, or my membership
//! changed between the two reads, or two shared writes deadlocked on each other's members,
//! the write runs again from the start under the exclusive lock (`FOR UPDATE`), as every
//! write of the organization did before. SQLite's writer thread runs one write at a time, so
//! there every write takes the exclusive path.

use super::rows::{MemberRow, MEMBER_COLUMNS};
use crate::auth::CurrentUser;
use crate::db::{p, LockedOrg, WriteTx};
use crate::error::{ApiError, ApiResult};
use orgkit_core::{OrganizationId, UserId};

/// Runs a write body (`|tx, lock| ...`, answering `ApiResult<Option<T>>`, `None` when its
/// decision needs the exclusive lock) in a PostgreSQL transaction under the shared lock, and
/// once more under the exclusive lock when it must (see the module's doc). With
/// `first: Exclusive` it runs under the exclusive lock at once.
macro_rules! shared_first {
    ($state:expr, |$tx:ident, $lock:ident| $body:expr) => {
        shared_first!($state, first: orgkit_core::OrgLock::Shared, |$tx, $lock| $body)
    };
    ($state:expr, first: $first:expr, |$tx:ident, $lock:ident| $body:expr) => {{
        let shared = if $first == orgkit_core::OrgLock::Exclusive {
            None
        } else {
            let mut tx = $state.db.begin_write().await?;
            let $tx = &mut tx;
            let $lock = orgkit_core::OrgLock::Shared;
            let done = match $body.await {
                Ok(done) => done,
                Err(e) if $crate::service::shared_write::deadlocked(&e) => None,
                Err(e) => return Err(e),
            };
            // The shared locks go now, not when the connection is next used: the second
            // attempt may run on another connection and wait for them.
            match done {
                Some(done) => tx.commit().await.map(|()| Some(done))?,
                None => tx.rollback().await.map(|()| None)?,
            }
        };
        match shared {
            Some(done) => done,
            None => {
                let mut tx = $state.db.begin_write().await?;
                let $tx = &mut tx;
                let $lock = orgkit_core::OrgLock::Exclusive;
                let done = $crate::service::shared_write::decided($body.await?)?;
                tx.commit().await?;
                done
            }
        }
    }};
}
pub(crate) use shared_first;

/// What a body run under the exclusive lock answered: it never asks for that lock again.
pub(crate) fn decided<T>(done: Option<T>) -> ApiResult<T> {
    done.ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "a write under the exclusive lock asked for the exclusive lock"
        ))
    })
}

/// Whether PostgreSQL broke a deadlock by failing this write ([`crate::db::is_deadlock`]).
pub(crate) fn deadlocked(e: &ApiError) -> bool {
    let ApiError::Internal(e) = e else {
        return false;
    };
    e.downcast_ref::<sqlx::Error>()
        .is_some_and(crate::db::is_deadlock)
}

/// Under the shared lock: the member `user_id` of `org_id`, locked `FOR UPDATE` until the
/// commit, with my own membership locked `FOR SHARE`. `Ok(None)` when my membership no
/// longer reads as it did when the organization was locked (`locked`): the write then runs
/// under the exclusive lock. A service account's key carries its role and has no membership.
pub(crate) async fn member_for_update<W: WriteTx + ?Sized>(
    tx: &mut W,
    locked: &LockedOrg,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<Option<MemberRow>> {
    let extra_roles = super::access::EXTRA_ROLES_SQL;
    let sql = format!(
        "SELECT {MEMBER_COLUMNS}, a.role AS my_role, a.my_extra_roles, \
           a.is_owner AS my_is_owner, a.suspended_at AS my_suspended_at \
         FROM memberships m JOIN users u ON u.id = m.user_id \
         LEFT JOIN LATERAL (SELECT m.role, m.is_owner, m.suspended_at, \
             {extra_roles} AS my_extra_roles \
           FROM memberships m WHERE m.org_id = $1 AND m.user_id = $3 FOR SHARE) a ON true \
         WHERE m.org_id = $1 AND m.user_id = $2 FOR UPDATE OF m"
    );
    let params = [p(org_id.as_str()), p(user_id.as_str()), p(me.id().as_str())];
    let row = tx.fetch_optional(&sql, &params).await?;
    let row = row.ok_or_else(|| ApiError::not_found("Member"))?;
    let has_key_role = me
        .key
        .as_ref()
        .is_some_and(|k| k.service_account_role.is_some());
    let unchanged = has_key_role
        || (row.opt_text("my_role")? == locked.my_role
            && row.opt_text("my_extra_roles")? == locked.my_extra_roles
            && row.opt_int("my_is_owner")? == locked.my_is_owner
            && row.opt_int("my_suspended_at")? == locked.my_suspended_at);
    Ok(unchanged.then(|| MemberRow::from_row(&row)).transpose()?)
}
