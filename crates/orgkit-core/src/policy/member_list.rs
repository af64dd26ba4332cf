//! The member list is a permission like any other: who sees whose memberships.

use crate::permission::Permission;
use crate::role::RoleCatalog;

/// Whose memberships a member's list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberListScope {
    /// Every member: the roles hold `org:memberships:read`.
    Everyone,
    /// Only the member's own membership: reading the member list is a permission like any
    /// other, and a customer-portal role without it does not see its colleagues' addresses.
    OnlyMe,
}

/// What a member holding `roles` sees of the member list.
#[must_use]
pub fn member_list_scope(catalog: &RoleCatalog, roles: &[&str]) -> MemberListScope {
    if catalog
        .permissions_of(roles)
        .is_ok_and(|p| p.contains(Permission::MembershipsRead))
    {
        MemberListScope::Everyone
    } else {
        MemberListScope::OnlyMe
    }
}
