//! Owners and suspended members: transferring ownership, making or unmaking an owner,
//! suspending and reactivating. Each is one transaction under the organization's lock that
//! asks `orgkit_core::ownership` or `orgkit_core::suspension`, writes, audits and emits
//! `organizationMembership.updated` for every membership it changes.

use super::memberships::wire_json;
use super::rows::{member_and_counts, MemberRow};
use super::{acts_as_owner, audit, begin_org_write, AuditEntry};
use crate::auth::CurrentUser;
use crate::db::{p, LockedOrg, Tx, WriteTx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::now;
use crate::webhooks::{self, emit, Queued};
use orgkit_core::ownership::{self, OrgFacts, Standing};
use orgkit_core::suspension::{self, SuspendFacts};
use orgkit_core::wire::{Membership, Organization, TransferOwnershipRequest};
use orgkit_core::{EventType, OrganizationId, Role, RoleCatalog, UserId};

/// The rule book's view of a member row (`is_creator`: they created the organization).
pub(crate) fn standing(row: &MemberRow, is_creator: bool) -> Standing {
    Standing {
        is_owner: row.is_owner == 1,
        suspended: row.suspended_at.is_some(),
        is_creator,
    }
}

/// Whether `member`'s roles together make them an admin under `catalog`.
pub(crate) fn holds_admin(catalog: &RoleCatalog, member: &MemberRow) -> bool {
    let roles = member.roles();
    let refs: Vec<&str> = roles.iter().map(String::as_str).collect();
    catalog.holds_admin(&refs)
}

/// The organization's owner facts (with `owners`, its active owners as counted by
/// `rows::member_and_counts`) and its creator's user id, read inside `tx`.
pub(crate) async fn org_facts<W: WriteTx + ?Sized>(
    tx: &mut W,
    org_id: &OrganizationId,
    owners: Option<u64>,
) -> ApiResult<(OrgFacts, String)> {
    let row = tx
        .fetch_optional(
            "SELECT created_by, creator_protection FROM organizations WHERE id = $1",
            &[p(org_id.as_str())],
        )
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let (created_by, protection) = (row.text("created_by")?, row.int("creator_protection")?);
    let facts = OrgFacts {
        owner_count: owners,
        creator_protection: protection != 0,
    };
    Ok((facts, created_by))
}

/// Whether I own the organization (an instance secret key acts as an owner), as locking it
/// read my membership: after the lock, so as the previous holder of the lock left it
/// (`Db::lock_organization_as`), and a suspended member was refused there. Without a
/// membership (a service account's key) the organization is `not_found`.
pub(crate) fn i_own_it(me: &CurrentUser, locked: &LockedOrg) -> ApiResult<bool> {
    if super::is_instance_key(me.id()) {
        return Ok(true);
    }
    match locked.my_is_owner {
        Some(is_owner) => Ok(is_owner == 1),
        None => Err(ApiError::not_found("Organization")),
    }
}

/// Before an instance secret key removes the last active owner `target` (Clerk's API has no
/// owners), ownership passes to the oldest other active admin, else the oldest other active
/// member, in `tx`. Answers the owner count the rule book then sees, and what to wake.
pub(crate) async fn succession_for_key<W: WriteTx + ?Sized>(
    catalog: &RoleCatalog,
    tx: &mut W,
    me: &CurrentUser,
    target: &MemberRow,
    owners: u64,
) -> ApiResult<(u64, Queued)> {
    if !super::is_instance_key(me.id()) || target.is_owner != 1 || owners > 1 {
        return Ok((owners, Queued::default()));
    }
    let admins = catalog.admin_role_keys();
    let slots: Vec<String> = (0..admins.len()).map(|i| format!("${}", i + 3)).collect();
    let slots = if slots.is_empty() {
        "NULL".to_owned()
    } else {
        slots.join(", ")
    };
    let sql = format!(
        "SELECT user_id FROM memberships WHERE org_id = $1 AND user_id <> $2 \
         AND suspended_at IS NULL ORDER BY CASE WHEN role IN ({slots}) THEN 0 ELSE 1 END, id \
         LIMIT 1"
    );
    let mut params = vec![p(target.org_id.as_str()), p(target.user_id.as_str())];
    params.extend(admins.into_iter().map(p));
    let heir = tx.fetch_optional(&sql, &params).await?;
    let Some(heir) = heir.map(|row| row.text("user_id")).transpose()? else {
        return Ok((owners, Queued::default()));
    };
    let org_id = &target.org_id;
    let (mut member, _, _) = member_and_counts(tx, catalog, org_id, &UserId(heir)).await?;
    set_owner_flag(tx, &mut member, true).await?;
    let queued = record(
        tx,
        me,
        &member,
        "membership.owner_granted",
        &member.email.clone(),
    )
    .await?;
    Ok((owners + 1, queued))
}

/// Audits a change to `member` and queues `organizationMembership.updated` with its new state.
async fn record<W: WriteTx + ?Sized>(
    tx: &mut W,
    me: &CurrentUser,
    member: &MemberRow,
    action: &'static str,
    detail: &str,
) -> ApiResult<Queued> {
    let org_id = &member.org_id;
    let event = AuditEntry {
        org_id,
        actor: me,
        action,
        subject: member.user_id.as_str(),
        detail,
    };
    audit(tx, event).await?;
    let data = wire_json(&member.clone().into_wire(None))?;
    emit(tx, org_id, EventType::MembershipUpdated, data, now()).await
}

/// Sets a member's owner flag.
async fn set_owner_flag<W: WriteTx + ?Sized>(
    tx: &mut W,
    member: &mut MemberRow,
    is_owner: bool,
) -> ApiResult<()> {
    tx.write(
        "UPDATE memberships SET is_owner = $1 WHERE org_id = $2 AND user_id = $3",
        &[
            p(i64::from(is_owner)),
            p(member.org_id.as_str()),
            p(member.user_id.as_str()),
        ],
    )
    .await?;
    member.is_owner = i64::from(is_owner);
    Ok(())
}

/// Transfers ownership from me to another active member, in one transaction: they become an
/// owner and are given the organization's `creatorRole` (`admin` unless set) beside their
/// roles, and I keep only `keepRole` (default `admin`), without the flag.
/// Answers the organization as I now see it.
pub async fn transfer(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    req: &TransferOwnershipRequest,
) -> ApiResult<Organization> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let catalog = &locked.access.catalog;
    let keep = req.keep_role.as_ref().map_or(Role::ADMIN, Role::as_str);
    // My row, which the transfer changes too.
    let (mut mine, _, _) = member_and_counts(&mut tx, catalog, org_id, me.id()).await?;
    suspension::check_access(mine.suspended_at.is_some())?;
    let (mut target, _, _) = member_and_counts(&mut tx, catalog, org_id, &req.user_id).await?;
    let my_roles = mine.roles();
    let my_refs: Vec<&str> = my_roles.iter().map(String::as_str).collect();
    let held = catalog.permissions_of(&my_refs).unwrap_or_default();
    ownership::check_transfer(
        catalog,
        mine.is_owner == 1,
        held,
        standing(&target, false),
        &req.user_id == me.id(),
        keep,
    )
    .map_err(|e| ApiError::judged(catalog, e))?;
    let creator_role = super::roles::settings(&mut tx, org_id).await?.creator_role;
    let mut target_roles = target.roles();
    if !target_roles.contains(&creator_role) {
        target_roles.insert(0, creator_role);
    }
    let target_refs: Vec<&str> = target_roles.iter().map(String::as_str).collect();
    super::memberships::set_roles(&mut tx, &mut target, &target_refs).await?;
    set_owner_flag(&mut tx, &mut target, true).await?;
    super::memberships::set_roles(&mut tx, &mut mine, &[keep]).await?;
    set_owner_flag(&mut tx, &mut mine, false).await?;
    let detail = format!("{} -> {}", mine.email, target.email);
    let mut queued = record(&mut tx, me, &target, "ownership.transferred", &detail).await?;
    queued = queued + record(&mut tx, me, &mine, "ownership.given_up", keep).await?;
    let membership = super::rows::membership_with_org(state, &mut tx, org_id, me.id()).await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    membership
        .organization
        .ok_or_else(|| crate::error::ApiError::not_found("Organization"))
}

/// Makes a member an owner (`make`) or takes the flag away; only an owner may, and the last
/// owner keeps it. Setting what is already set changes nothing.
pub async fn set_owner(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
    make: bool,
) -> ApiResult<Membership> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let owner = i_own_it(me, &locked)?;
    let (mut target, _, owners) =
        member_and_counts(&mut tx, &locked.access.catalog, org_id, user_id).await?;
    let (facts, creator) = org_facts(&mut tx, org_id, Some(owners)).await?;
    let is_creator = creator == user_id.as_str();
    ownership::check_set_owner(
        owner,
        standing(&target, is_creator),
        user_id == me.id(),
        make,
        facts,
    )?;
    if (target.is_owner == 1) == make {
        return Ok(target.into_wire(None));
    }
    set_owner_flag(&mut tx, &mut target, make).await?;
    let action = if make {
        "membership.owner_granted"
    } else {
        "membership.owner_revoked"
    };
    let queued = record(&mut tx, me, &target, action, &target.email.clone()).await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(target.into_wire(None))
}

/// Suspends a member: they keep their roles and owner flag and lose every access. The last
/// admin and the last owner cannot be suspended. Suspending twice changes nothing.
pub async fn suspend(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<Membership> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let catalog = &locked.access.catalog;
    let (mut target, admins, owners) = member_and_counts(&mut tx, catalog, org_id, user_id).await?;
    let (org, creator) = org_facts(&mut tx, org_id, Some(owners)).await?;
    let actor_is_owner = if target.is_owner == 1 {
        i_own_it(me, &locked)?
    } else {
        acts_as_owner(me, &locked)
    };
    let facts = SuspendFacts {
        held: locked.access.held(me),
        actor_is_owner,
        target: standing(&target, creator == user_id.as_str()),
        is_self: user_id == me.id(),
        target_is_admin: holds_admin(catalog, &target),
        admin_count: Some(admins),
        org,
    };
    suspension::check_suspend(facts)?;
    if target.suspended_at.is_some() {
        return Ok(target.into_wire(None));
    }
    let at = now();
    set_suspended(&mut tx, &target, Some(at.millis())).await?;
    target.suspended_at = Some(at.millis());
    let queued = record(
        &mut tx,
        me,
        &target,
        "membership.suspended",
        &target.email.clone(),
    )
    .await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(target.into_wire(None))
}

/// Reactivates a suspended member, with exactly the roles and owner flag they had.
/// Reactivating an active member changes nothing.
pub async fn reactivate(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<Membership> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let (mut target, _, _) =
        member_and_counts(&mut tx, &locked.access.catalog, org_id, user_id).await?;
    suspension::check_reactivate(locked.access.held(me))?;
    if target.suspended_at.is_none() {
        return Ok(target.into_wire(None));
    }
    super::limits::check_reactivate(&mut tx, org_id).await?;
    set_suspended(&mut tx, &target, None).await?;
    target.suspended_at = None;
    let queued = record(
        &mut tx,
        me,
        &target,
        "membership.reactivated",
        &target.email.clone(),
    )
    .await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(target.into_wire(None))
}

/// Suspends (`Some(at)`) or reactivates (`None`) a membership; the version goes up, so a
/// session token minted before tells its backend that the grant changed.
async fn set_suspended(tx: &mut Tx, member: &MemberRow, at: Option<i64>) -> ApiResult<()> {
    sqlx::query(
        "UPDATE memberships SET suspended_at = $1, version = version + 1 \
         WHERE org_id = $2 AND user_id = $3",
    )
    .bind(at)
    .bind(member.org_id.as_str())
    .bind(member.user_id.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
