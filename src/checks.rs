//! What the SDK knows about an organization's members, so that the rule book can refuse
//! demoting or removing the last admin locally, and which action a role change or removal
//! is (removing myself is leaving). Pure Rust: tested natively.

use orgkit_core::policy::{Action, Actor, TargetMember};
use orgkit_core::roster::{check_bulk_removal_ids, plan_bulk_removal, BulkTarget};
use orgkit_core::{DomainError, Role, RoleCatalog, UserId};

/// A stand-in id for the signed-in user: the SDK's checks only need to tell "me" apart.
/// `leave()` also sends it as the member id, which the server reads as the caller.
pub const ME: &str = "me";

/// The signed-in user, as one organization sees them.
#[derive(Debug, Clone, Copy)]
pub struct Me<'a> {
    /// My user id, once the client has learned it (signing in or `getUser`).
    pub id: Option<&'a str>,
    /// My roles in the organization, the primary one first.
    pub roles: &'a [&'a str],
    /// Whether my permissions include `org:memberships:manage`.
    pub manages_members: bool,
}

/// The members seen on the pages fetched so far, from the first page on.
#[derive(Debug, Default, Clone)]
pub struct MemberRoster {
    /// (user id, roles), in list order.
    members: Vec<(String, Vec<String>)>,
    /// The cursor that continues the pages seen so far, when they started at the first page.
    next_cursor: Option<String>,
    /// Whether the pages seen cover the whole list, from the first page to the last.
    complete: bool,
    /// Whether `members` starts at the first page and has no gap.
    contiguous: bool,
}

impl MemberRoster {
    /// Records a fetched page. `after` is the cursor it was asked with (`None`: first page).
    pub fn record_page(
        &mut self,
        after: Option<&str>,
        members: Vec<(String, Vec<String>)>,
        next_cursor: Option<String>,
    ) {
        match after {
            None => {
                self.members = members;
                self.contiguous = true;
            }
            Some(cursor) if self.contiguous && self.next_cursor.as_deref() == Some(cursor) => {
                self.members.extend(members);
            }
            Some(_) => {
                // A page out of sequence: what we hold no longer covers the list.
                self.contiguous = false;
                self.members.extend(members);
            }
        }
        self.complete = self.contiguous && next_cursor.is_none();
        self.next_cursor = next_cursor;
    }

    /// The roles of a member seen on a fetched page.
    #[must_use]
    pub fn roles_of(&self, user_id: &str) -> Option<Vec<&str>> {
        self.members
            .iter()
            .find(|(id, _)| id == user_id)
            .map(|(_, roles)| refs(roles))
    }

    /// How many members hold `role`, when the whole list has been seen.
    #[must_use]
    pub fn holders_of(&self, role: &str) -> Option<u64> {
        self.complete.then(|| {
            self.members
                .iter()
                .filter(|(_, roles)| roles.iter().any(|r| r == role))
                .count() as u64
        })
    }

    /// The number of admins, when the whole list has been seen.
    #[must_use]
    pub fn admin_count(&self, catalog: &RoleCatalog) -> Option<u64> {
        self.complete.then(|| {
            self.members
                .iter()
                .filter(|(_, roles)| catalog.holds_admin(&refs(roles)))
                .count() as u64
        })
    }

    /// Notes a change of roles the server accepted.
    pub fn set_roles(&mut self, user_id: &str, roles: Vec<String>) {
        if let Some(entry) = self.members.iter_mut().find(|(id, _)| id == user_id) {
            entry.1 = roles;
        }
    }

    /// Forgets every page: after a bulk removal, whose outcome the SDK does not read back, the
    /// last-admin checks go to the server until the pages are fetched again.
    pub fn forget(&mut self) {
        *self = MemberRoster::default();
    }

    /// Notes a removal the server accepted.
    pub fn remove(&mut self, user_id: &str) {
        self.members.retain(|(id, _)| id != user_id);
    }
}

/// The roles of a list as the rule book takes them.
#[must_use]
pub fn refs(roles: &[String]) -> Vec<&str> {
    roles.iter().map(String::as_str).collect()
}

/// Asks `authorize` about giving `user_id` the roles `new_roles`, or removing them when
/// `new_roles` is `None`, with what `roster` tells about the target and the admins. The
/// target is me ([`ME`]) when `user_id` is my id, so that removing myself is leaving.
///
/// Asks nothing, and leaves the decision to the server, when my id is unknown and I may not
/// manage members: the target may be me, leaving.
pub fn check_member_action<E>(
    me: Me<'_>,
    roster: &MemberRoster,
    catalog: &RoleCatalog,
    user_id: &str,
    new_roles: Option<&[&str]>,
    authorize: impl FnOnce(Action<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let user_id = if me.id == Some(user_id) { ME } else { user_id };
    if user_id != ME && me.id.is_none() && !me.manages_members {
        return Ok(());
    }
    let known_roles = if user_id == ME {
        Some(me.roles.to_vec())
    } else {
        roster.roles_of(user_id)
    };
    // An unknown target's roles are left to the server; only the permission is checked.
    let (target_roles, admin_count) = match known_roles {
        Some(roles) => (roles, roster.admin_count(catalog)),
        None => (
            new_roles.map_or_else(|| vec![Role::BASIC_MEMBER], <[&str]>::to_vec),
            None,
        ),
    };
    let target_id = UserId(user_id.to_owned());
    let target = TargetMember {
        user_id: &target_id,
        roles: &target_roles,
    };
    authorize(match new_roles {
        Some(new_roles) => Action::ChangeRole {
            target,
            new_roles,
            admin_count,
        },
        None => Action::RemoveMember {
            target,
            admin_count,
        },
    })
}

/// Checks a bulk removal of `ids` with what `roster` tells: the ids' shape and count, my
/// permission, and, when the whole list has been seen, whether every named member would be
/// refused (not a member, or the last admin): then the request is pointless, and refused with
/// the first member's reason. Otherwise the server answers per member.
pub fn check_bulk_removal(
    me: Me<'_>,
    roster: &MemberRoster,
    catalog: &RoleCatalog,
    ids: &[&str],
) -> Result<(), DomainError> {
    check_bulk_removal_ids(ids)?;
    let admin_count = roster.admin_count(catalog);
    let target_roles: Vec<Option<Vec<&str>>> = ids
        .iter()
        .map(|id| {
            let known = if me.id == Some(*id) {
                Some(me.roles.to_vec())
            } else {
                roster.roles_of(id)
            };
            // Unseen with the list incomplete: a member of unknown role, for the server.
            known.or_else(|| admin_count.is_none().then(|| vec![""]))
        })
        .collect();
    let targets: Vec<BulkTarget<'_>> = ids
        .iter()
        .zip(&target_roles)
        .map(|(id, roles)| BulkTarget {
            user_id: id,
            roles: roles.as_deref(),
        })
        .collect();
    let my_id = UserId(me.id.unwrap_or(ME).to_owned());
    let actor = Actor {
        user_id: &my_id,
        roles: Some(me.roles),
    };
    let plan = plan_bulk_removal(catalog, actor, &targets, admin_count)?;
    match plan.iter().find(|outcome| outcome.is_ok()) {
        Some(_) => Ok(()),
        None => plan.into_iter().find_map(Result::err).map_or(Ok(()), Err),
    }
}

#[cfg(test)]
mod tests;
