//! The operations: each reads its facts and writes inside one transaction, asking
//! `orgkit_core::authorize` before every write. Handlers call exactly one of these.
//!
//! Signatures past the HTTP extractors take the rule book's id newtypes, never bare strings,
//! so an organization id cannot be passed where a user id belongs.

/// Runs a write body (an `async` expression generic over `WriteTx`, using the transaction
/// named `$tx`) in a classic transaction, after trying it on PostgreSQL as one replay call
/// (see `db::replay`). A body that fails on the replay runs again in the transaction, which
/// gives the answer: an error is never decided on the replay's unlocked reads.
macro_rules! transact {
    ($state:expr, |$tx:ident| $body:expr) => {
        transact!($state, replay_if true, |$tx| $body)
    };
    // `$replay`: whether to try the replay at all (false where the body is known to need the
    // classic transaction, such as one that reads back what it wrote).
    ($state:expr, replay_if $replay:expr, |$tx:ident| $body:expr) => {{
        let replay = match $replay {
            true => $state.db.begin_replay().await,
            false => None,
        };
        let replayed = match replay {
            Some(mut replay) => {
                let $tx = &mut replay;
                let body = $body.await;
                replay.finish(body).await
            }
            None => None,
        };
        match replayed {
            Some(done) => done,
            None => {
                let mut tx = $state.db.begin_write().await?;
                let $tx = &mut tx;
                let done = $body.await?;
                tx.commit().await?;
                done
            }
        }
    }};
}

pub mod access;
pub mod active_organization;
pub(crate) mod admins;
pub mod api_keys;
pub mod audit;
pub mod domains;
pub mod governance;
pub mod groups;
pub mod instance;
pub mod invitations;
pub mod join_requests;
pub mod limits;
pub mod links;
pub mod memberships;
pub mod organizations;
pub mod ownership;
pub mod password_reset;
pub mod roles;
pub mod roster;
mod rows;
pub mod secret_keys;
pub mod service_accounts;
pub(crate) mod shared_write;
pub mod sso;
pub mod users;
pub mod workspaces;

use crate::auth::CurrentUser;
use crate::db::{p, LockedOrg, Tx, WriteTx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::{new_id_at, now};
use orgkit_core::policy::Action;
use orgkit_core::wire::Page;
use orgkit_core::{AuditEventId, OrgLock, OrganizationId, UserId};

/// Opens a write transaction on an organization: locks its row (see `Db::lock_organization`)
/// and reads its name, its role catalog and my roles in it (`locked.access`). Non-members get
/// `not_found`, as if it did not exist; a suspended member `membership_suspended`.
pub(crate) async fn begin_org_write(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<(Tx, LockedOrg)> {
    let mut tx = state.db.begin_write().await?;
    let locked = lock_org(state, &mut tx, me, org_id).await?;
    Ok((tx, locked))
}

/// [`begin_org_write`] inside a transaction already open, over either driver (the SQLite
/// writer thread's batch already holds the database's write lock).
pub(crate) async fn lock_org<W: WriteTx + ?Sized>(
    state: &AppState,
    tx: &mut W,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<LockedOrg> {
    lock_org_as(state, tx, me, org_id, OrgLock::Exclusive).await
}

/// [`lock_org`], holding the organization as `lock` says (see `shared_write`).
pub(crate) async fn lock_org_as<W: WriteTx + ?Sized>(
    state: &AppState,
    tx: &mut W,
    me: &CurrentUser,
    org_id: &OrganizationId,
    lock: OrgLock,
) -> ApiResult<LockedOrg> {
    let db = &state.db;
    let locked = db.lock_organization_as(tx, org_id, me.id(), lock).await?;
    let Some(mut locked) = locked else {
        return Err(ApiError::not_found("Organization"));
    };
    // A service account has no membership: its role comes with its key (read with the key).
    if let Some(role) = me
        .key
        .as_ref()
        .and_then(|k| k.service_account_role.as_ref())
    {
        locked.my_role = Some(role.clone());
        locked.my_extra_roles = None;
    }
    locked.access = access::Access {
        catalog: access::catalog_at(state, tx, org_id, locked.roles_version).await?,
        roles: locked
            .my_role
            .as_deref()
            .map(|primary| access::roles_of(primary, locked.my_extra_roles.as_deref())),
    };
    locked.access.check(me, Action::ReadOrganization)?;
    orgkit_core::suspension::check_access(locked.my_suspended_at.is_some())?;
    Ok(locked)
}

/// Whether the actor owns the organization: its owner flag, or an instance secret key, which
/// acts with an owner's authority (as with an admin's, see [`access::Access::check`]).
pub(crate) fn acts_as_owner(me: &CurrentUser, locked: &LockedOrg) -> bool {
    locked.i_own_it() || is_instance_key(me.id())
}

/// Checks a page request: the size (1 to 100, default 20) and the cursor, which must have the
/// shape of the listed ids. The first page's cursor is `""`, which sorts before every id.
pub(crate) fn page_request(
    limit: Option<u32>,
    after: Option<&str>,
    well_formed: fn(&str) -> bool,
) -> ApiResult<(u32, &str)> {
    let limit = orgkit_core::validate::page_limit(limit)?;
    match after.filter(|a| !a.is_empty()) {
        Some(a) if well_formed(a) => Ok((limit, a)),
        Some(_) => Err(ApiError::validation("The cursor is not valid.")),
        None => Ok((limit, "")),
    }
}

/// Turns `limit + 1` fetched rows into a page: the extra row only says that more follow, and
/// the cursor is the last kept row's id.
pub(crate) fn finish_page<R, T>(
    mut rows: Vec<R>,
    limit: u32,
    id: fn(&R) -> &str,
    wire: impl FnMut(R) -> T,
) -> Page<T> {
    let next_cursor = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|r| id(r).to_owned())
    } else {
        None
    };
    Page {
        data: rows.into_iter().map(wire).collect(),
        next_cursor,
    }
}

/// Whether the actor is an instance secret key rather than a person: its actor id has the
/// key id prefix, which no user id has.
#[must_use]
pub fn is_instance_key(actor: &UserId) -> bool {
    actor.as_str().starts_with(secret_keys::KEY_ID_PREFIX)
}

/// One audit event: who did what to which subject in which organization, and from where (the
/// actor's request).
pub(crate) struct AuditEntry<'a> {
    pub org_id: &'a OrganizationId,
    pub actor: &'a CurrentUser,
    /// What happened, for example `membership.role_changed`.
    pub action: &'static str,
    /// The id of what it happened to.
    pub subject: &'a str,
    /// A short human-readable detail (an address, a role change).
    pub detail: &'a str,
}

/// Records a change, in the transaction that makes it.
pub(crate) async fn audit<W: WriteTx + ?Sized>(tx: &mut W, event: AuditEntry<'_>) -> ApiResult<()> {
    let at = now();
    tx.write(
        "INSERT INTO audit_events (id, org_id, actor_id, action, subject, detail, ip, user_agent, \
           created_at, api_key_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            p(new_id_at(AuditEventId::PREFIX, at)),
            p(event.org_id.as_str()),
            p(event.actor.id().as_str()),
            p(event.action),
            p(event.subject),
            p(event.detail),
            p(&event.actor.client.ip),
            p(event.actor.client.user_agent.as_deref()),
            p(at.millis()),
            p(event.actor.key.as_ref().map(|k| k.key_id.as_str())),
        ],
    )
    .await?;
    Ok(())
}
