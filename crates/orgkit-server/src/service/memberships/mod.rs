//! Listing members, changing roles, removing members and leaving.

mod list;

pub use list::list_json;

use super::ownership::standing;
use super::rows::{member_and_counts, MemberRow};
use super::shared_write::{self, decided, shared_first};
use super::{acts_as_owner, audit, begin_org_write, lock_org_as, page_request, AuditEntry};
use crate::auth::CurrentUser;
use crate::db::writer::block_on;
use crate::db::{p, LockedOrg, WriteTx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::now;
use crate::webhooks::{self, emit, Queued};
use orgkit_core::policy::{Action, TargetMember};
use orgkit_core::wire::Membership;
use orgkit_core::OrgLock::{self, Exclusive, Shared};
use orgkit_core::{ErrorCode, EventType, MembershipId, OrganizationId, Timestamp, UserId};

/// Gives a member another set of roles (the first is the primary one; `[role]` is the
/// single-role API), an owner's only as an owner. The organization row is locked first, so two
/// admins demoting each other run one after the other and the second sees the first's change.
pub async fn update_roles(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
    new_roles: &[&str],
) -> ApiResult<Membership> {
    let (membership, queued) = if let Some(writer) = &state.db.lite_writer {
        let (st, me, org_id, user_id) =
            (state.clone(), me.clone(), org_id.clone(), user_id.clone());
        let roles: Vec<String> = new_roles.iter().map(|r| (*r).to_owned()).collect();
        writer
            .run(move |tx| {
                let refs: Vec<&str> = roles.iter().map(String::as_str).collect();
                let done = update_roles_in(&st, tx, &me, &org_id, &user_id, &refs, Exclusive);
                decided(block_on(done)?)
            })
            .await?
    } else {
        // The locked transaction, not a replay (`transact!`): concurrent role changes in one
        // organization change the admin count every replay reads, so nearly all of them fell
        // back, and those that did not re-planned their reads under the lock (BENCHMARKS.md).
        // A change that keeps admin where it was shares the lock (`shared_write`).
        let catalog = state.role_catalogs.last_seen(org_id);
        let first = orgkit_core::policy::first_lock_for_role_change(&catalog, new_roles);
        shared_first!(state, first: first, |tx, lock| update_roles_in(
            state, tx, me, org_id, user_id, new_roles, lock
        ))
    };
    webhooks::wake(state, queued);
    Ok(membership)
}

/// The body of [`update_roles`], inside an open write transaction over either driver, holding
/// the organization as `lock` says: `None` when the change needs the exclusive lock.
async fn update_roles_in<W: WriteTx + ?Sized>(
    state: &AppState,
    tx: &mut W,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
    new_roles: &[&str],
    lock: OrgLock,
) -> ApiResult<Option<(Membership, Queued)>> {
    let locked = lock_org_as(state, tx, me, org_id, lock).await?;
    let catalog = &locked.access.catalog;
    let Some((mut target, admins, _)) =
        member_to_change(tx, &locked, me, org_id, user_id, lock).await?
    else {
        return Ok(None);
    };
    let old_roles = target.roles();
    let old_refs: Vec<&str> = old_roles.iter().map(String::as_str).collect();
    let action = Action::ChangeRole {
        target: target_of(&target, &old_refs),
        new_roles,
        admin_count: admins,
    };
    if lock == Shared && action.org_lock(catalog, target.is_owner == 1) == Exclusive {
        return Ok(None);
    }
    locked.access.check(me, action)?;
    if target.is_owner == 1 {
        let owner = super::ownership::i_own_it(me, &locked)?;
        orgkit_core::ownership::check_change_role(owner, standing(&target, false))?;
    }
    set_roles(tx, &mut target, new_roles).await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "membership.role_changed",
        subject: user_id.as_str(),
        detail: &format!("{} -> {}", old_refs.join(" "), new_roles.join(" ")),
    };
    audit(tx, event).await?;
    let membership = target.into_wire(None);
    let data = wire_json(&membership)?;
    let queued = emit(tx, org_id, EventType::MembershipUpdated, data, now()).await?;
    Ok(Some((membership, queued)))
}

/// The member a write changes, with the organization's admin and owner counts under the
/// exclusive lock; under the shared lock its row locked and no count (the rule book then
/// decides whether the write needs them, and so the exclusive lock). `None`: my own
/// membership changed meanwhile (see `shared_write`).
async fn member_to_change<W: WriteTx + ?Sized>(
    tx: &mut W,
    locked: &LockedOrg,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
    lock: OrgLock,
) -> ApiResult<Option<(MemberRow, Option<u64>, Option<u64>)>> {
    Ok(match lock {
        Exclusive => {
            let catalog = &locked.access.catalog;
            let (member, admins, owners) = member_and_counts(tx, catalog, org_id, user_id).await?;
            Some((member, Some(admins), Some(owners)))
        }
        Shared => shared_write::member_for_update(tx, locked, me, org_id, user_id)
            .await?
            .map(|member| (member, None, None)),
    })
}

/// Replaces `member`'s roles with `roles` (checked by the caller; the first is the primary
/// one, the others one `membership_roles` row each), inside `tx`. The version goes up when
/// they change, so a session token minted before tells its backend that the grant changed.
pub(crate) async fn set_roles<W: WriteTx + ?Sized>(
    tx: &mut W,
    member: &mut MemberRow,
    roles: &[&str],
) -> ApiResult<()> {
    let Some((primary, extra)) = roles.split_first() else {
        return Err(ApiError::validation("A member holds at least one role."));
    };
    if member.roles() == roles {
        return Ok(());
    }
    let (org_id, user_id) = (member.org_id.as_str(), member.user_id.as_str());
    tx.write(
        "UPDATE memberships SET role = $1, extra_roles = $4, version = version + 1 \
         WHERE org_id = $2 AND user_id = $3",
        &[p(*primary), p(org_id), p(user_id), p(extra.len() as i64)],
    )
    .await?;
    // The row read says whether there are further roles to take away: a one-role change (the
    // common case) costs one statement.
    if member.extra_roles.is_some() {
        tx.write(
            "DELETE FROM membership_roles WHERE org_id = $1 AND user_id = $2",
            &[p(org_id), p(user_id)],
        )
        .await?;
    }
    for (position, role) in extra.iter().enumerate() {
        tx.write(
            "INSERT INTO membership_roles (org_id, user_id, role, position) VALUES ($1, $2, $3, $4)",
            &[p(org_id), p(user_id), p(*role), p(position as i64)],
        )
        .await?;
    }
    (*primary).clone_into(&mut member.role);
    member.extra_roles = (!extra.is_empty()).then(|| extra.join(","));
    Ok(())
}

/// Adds `user_id` as a member with `role` directly, without an invitation: what the instance's
/// secret key does through the Clerk-compatible API. The organization is locked first, like
/// every membership change.
pub async fn add(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
    role: &str,
) -> ApiResult<Membership> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let facts: Option<(i64,)> = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND user_id = $2) \
         FROM users WHERE id = $2",
    )
    .bind(org_id.as_str())
    .bind(user_id.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let (members,) = facts.ok_or_else(|| ApiError::not_found("User"))?;
    let action = Action::AddMember {
        role,
        already_member: members > 0,
    };
    locked.access.check(me, action)?;
    super::limits::check_join(state, &mut tx, org_id, user_id).await?;
    insert_member(&mut tx, org_id, user_id, role, None, now()).await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "membership.added",
        subject: user_id.as_str(),
        detail: role,
    };
    audit(&mut tx, event).await?;
    let membership = super::rows::membership_with_org(state, &mut tx, org_id, user_id).await?;
    // The message carries the membership as the other paths that add members send it.
    let data = wire_json(&Membership {
        organization: None,
        ..membership.clone()
    })?;
    let queued = emit(&mut tx, org_id, EventType::MembershipCreated, data, now()).await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(membership)
}

/// Removes a member, or leaves when `user_id` is mine. The last owner stays, and so does a
/// protected creator.
pub async fn remove(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<()> {
    let queued = if let Some(writer) = &state.db.lite_writer {
        let (st, me, org_id, user_id) =
            (state.clone(), me.clone(), org_id.clone(), user_id.clone());
        writer
            .run(move |tx| {
                decided(block_on(remove_in(
                    &st, tx, &me, &org_id, &user_id, Exclusive,
                ))?)
            })
            .await?
    } else {
        // The locked transaction, as for role changes (see `update_roles`).
        shared_first!(state, |tx, lock| remove_in(
            state, tx, me, org_id, user_id, lock
        ))
    };
    webhooks::wake(state, queued);
    Ok(())
}

/// The body of [`remove`], inside an open write transaction over either driver, holding the
/// organization as `lock` says: `None` when the removal needs the exclusive lock.
async fn remove_in<W: WriteTx + ?Sized>(
    state: &AppState,
    tx: &mut W,
    me: &CurrentUser,
    org_id: &OrganizationId,
    user_id: &UserId,
    lock: OrgLock,
) -> ApiResult<Option<Queued>> {
    let locked = lock_org_as(state, tx, me, org_id, lock).await?;
    let catalog = &locked.access.catalog;
    let Some((target, admins, owners)) =
        member_to_change(tx, &locked, me, org_id, user_id, lock).await?
    else {
        return Ok(None);
    };
    let target_roles = target.roles();
    let target_refs: Vec<&str> = target_roles.iter().map(String::as_str).collect();
    let action = Action::RemoveMember {
        target: target_of(&target, &target_refs),
        admin_count: admins,
    };
    if lock == Shared && action.org_lock(catalog, target.is_owner == 1) == Exclusive {
        return Ok(None);
    }
    locked.access.check(me, action)?;
    let (owners, handed_over) = match owners {
        Some(owners) => {
            let (owners, handed_over) =
                super::ownership::succession_for_key(catalog, tx, me, &target, owners).await?;
            (Some(owners), handed_over)
        }
        // A shared write removes no owner: no succession, and no owner count to ask.
        None => (None, Queued::default()),
    };
    let facts = super::ownership::org_facts(tx, org_id, owners).await?;
    let creator = facts.1 == target.user_id.as_str();
    let owner = if target.is_owner == 1 && user_id != me.id() {
        super::ownership::i_own_it(me, &locked)?
    } else {
        acts_as_owner(me, &locked)
    };
    orgkit_core::ownership::check_remove(
        owner,
        standing(&target, creator),
        user_id == me.id(),
        facts.0,
    )?;
    let queued = delete_member(tx, org_id, me, &target).await?;
    Ok(Some(queued + handed_over))
}

/// Deletes `member`'s membership inside `tx` (whose caller holds the organization's lock and
/// has asked the rule book): the audit row (`membership.left` when it is mine, else
/// `membership.removed`) and `organizationMembership.deleted`. Shared by [`remove`] and the
/// roster's bulk removal; the caller wakes the queue after its commit.
pub(crate) async fn delete_member<W: WriteTx + ?Sized>(
    tx: &mut W,
    org_id: &OrganizationId,
    me: &CurrentUser,
    member: &MemberRow,
) -> ApiResult<Queued> {
    let user_id = &member.user_id;
    tx.write(
        "DELETE FROM memberships WHERE org_id = $1 AND user_id = $2",
        &[p(org_id.as_str()), p(user_id.as_str())],
    )
    .await?;
    super::workspaces::cascade::member_removed(tx, org_id, user_id).await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: if user_id == me.id() {
            "membership.left"
        } else {
            "membership.removed"
        },
        subject: user_id.as_str(),
        detail: &member.roles().join(" "),
    };
    audit(tx, event).await?;
    let removed = wire_json(&member.clone().into_wire(None))?;
    emit(tx, org_id, EventType::MembershipDeleted, removed, now()).await
}

/// A wire object as the `data` of a webhook message.
pub(crate) fn wire_json(value: &impl serde::Serialize) -> ApiResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| ApiError::Internal(e.into()))
}

/// The rule book's view of a member row holding `roles`.
fn target_of<'a>(row: &'a MemberRow, roles: &'a [&'a str]) -> TargetMember<'a> {
    TargetMember {
        user_id: &row.user_id,
        roles,
    }
}

/// Inserts a membership of `user_id` in `org_id` with `role`, made at `at`, marking how it
/// began (`source`: `Some("sso")` for a just-in-time member, `None` otherwise). The caller
/// holds the organization's lock. Answers `already_member` on a unique violation.
pub(crate) async fn insert_member(
    tx: &mut crate::db::Tx,
    org_id: &OrganizationId,
    user_id: &UserId,
    role: &str,
    source: Option<&str>,
    at: Timestamp,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO memberships (id, org_id, user_id, role, created_at, source) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(crate::token::new_id_at(MembershipId::PREFIX, at))
    .bind(org_id.as_str())
    .bind(user_id.as_str())
    .bind(role)
    .bind(at.millis())
    .bind(source)
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        if crate::db::is_unique_violation(&e) {
            ApiError::new(ErrorCode::AlreadyMember, "This person is already a member.")
        } else {
            e.into()
        }
    })?;
    Ok(())
}
