//! How a write holds its organization while it decides: alone, or beside other writes.
//!
//! The server locks the organization's row before it reads the facts of a decision. A write
//! that can lower the number of admins or owners decides on a count, so two of them must
//! decide one after the other (two admins demoting each other at the same moment): they hold
//! the organization alone. Every other write of this list reads no count that a concurrent
//! write could lower, so such writes share the organization and commit side by side.

use super::Action;
use crate::role::RoleCatalog;

/// How a write holds its organization (on PostgreSQL, the mode of the row lock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgLock {
    /// Alone: no other write of the organization runs meanwhile.
    Exclusive,
    /// Beside other shared writes; never beside an exclusive one.
    Shared,
}

/// Whether a member holding `from` loses admin by holding `to` instead (`None`: by leaving).
#[must_use]
pub fn takes_admin_away(catalog: &RoleCatalog, from: &[&str], to: Option<&[&str]>) -> bool {
    catalog.holds_admin(from) && !to.is_some_and(|roles| catalog.holds_admin(roles))
}

impl Action<'_> {
    /// How the write doing this action must hold its organization. `target_is_owner` says
    /// whether the member it changes or removes owns the organization: an owner's change can
    /// lower the owner count. Invitations, role changes that keep admin where it was and
    /// removals of members who are neither admin nor owner share it; every other action,
    /// including the ones this list does not know, holds it alone.
    #[must_use]
    pub fn org_lock(&self, catalog: &RoleCatalog, target_is_owner: bool) -> OrgLock {
        let shared = match *self {
            Action::Invite { .. } => true,
            Action::ChangeRole {
                target, new_roles, ..
            } => !target_is_owner && !takes_admin_away(catalog, target.roles, Some(new_roles)),
            Action::RemoveMember { target, .. } => {
                !target_is_owner && !takes_admin_away(catalog, target.roles, None)
            }
            _ => false,
        };
        if shared {
            OrgLock::Shared
        } else {
            OrgLock::Exclusive
        }
    }
}

/// Which lock a role change to `new_roles` tries first, before the member is read: one that
/// gives admin cannot take it away, so it shares the organization (and runs again alone if
/// the member turns out to own it). One that does not may be a demotion, so it holds the
/// organization alone from the start: a shared attempt would be rolled back for every admin
/// it demotes, and a change between roles that are not admin's loses only the sharing.
#[must_use]
pub fn first_lock_for_role_change(catalog: &RoleCatalog, new_roles: &[&str]) -> OrgLock {
    if catalog.holds_admin(new_roles) {
        OrgLock::Shared
    } else {
        OrgLock::Exclusive
    }
}

#[cfg(test)]
mod tests;
