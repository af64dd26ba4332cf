//! The member list is a permission like any other: who sees whose memberships.

use crate::permission::{Permission, PermissionSet};
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
    catalog
        .permissions_of(roles)
        .map_or(MemberListScope::OnlyMe, member_list_scope_of)
}

/// What a holder of `held` sees of the member list (an API key: its permissions).
#[must_use]
pub fn member_list_scope_of(held: PermissionSet) -> MemberListScope {
    if held.contains(Permission::MembershipsRead) {
        MemberListScope::Everyone
    } else {
        MemberListScope::OnlyMe
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::RoleDefinition;

    /// Without `org:memberships:read` a member sees only themselves; any role holding it,
    /// built-in or custom, alone or in a union, sees everyone.
    #[test]
    fn member_list_scope_follows_memberships_read() {
        use MemberListScope::*;
        let role = |key: &str, held: &[Permission]| RoleDefinition {
            key: key.into(),
            name: key.into(),
            description: String::new(),
            permissions: PermissionSet::of(held),
        };
        let catalog = RoleCatalog::built_in().with_custom([
            role(
                "org:billing",
                &[Permission::MembershipsRead, Permission::BillingRead],
            ),
            role("org:inviter", &[Permission::InvitationsManage]),
            role("org:empty", &[]),
        ]);
        let cases: [(&[&str], MemberListScope); 6] = [
            (&["admin"], Everyone),
            (&["basic_member"], Everyone),
            (&["org:billing"], Everyone),
            (&["org:inviter"], OnlyMe),
            (&["org:empty", "basic_member"], Everyone),
            (&["org:nope"], OnlyMe),
        ];
        for (roles, scope) in cases {
            assert_eq!(member_list_scope(&catalog, roles), scope, "{roles:?}");
        }
    }
}
