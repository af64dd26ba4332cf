//! Roles: a key such as `admin`, mapped to a [`PermissionSet`] by a [`RoleCatalog`].
//!
//! Today the catalog holds the built-in `admin` and `basic_member`. Custom per-organization
//! roles slot in as more catalog entries; no check names a role, they all ask for permissions.

use crate::error::{DomainError, ErrorCode};
use crate::permission::{Permission, PermissionSet};
use serde::{Deserialize, Serialize};

/// A role key as stored and sent on the wire, for example `"admin"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Role(pub String);

impl Role {
    /// The built-in administrator key.
    pub const ADMIN: &'static str = "admin";
    /// The built-in basic member key.
    pub const BASIC_MEMBER: &'static str = "basic_member";

    #[must_use]
    pub fn admin() -> Self {
        Role(Self::ADMIN.to_owned())
    }

    #[must_use]
    pub fn basic_member() -> Self {
        Role(Self::BASIC_MEMBER.to_owned())
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Role {
    fn from(raw: &str) -> Self {
        Role(raw.to_owned())
    }
}

/// The permissions that make a member count as an admin for the last-admin invariant: whoever
/// holds them can always restore order in the organization.
pub const ADMIN_PERMISSIONS: PermissionSet =
    PermissionSet::of(&[Permission::MembershipsManage, Permission::InvitationsManage]);

/// One role definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDefinition {
    pub key: &'static str,
    pub name: &'static str,
    pub permissions: PermissionSet,
}

const BUILT_IN: [RoleDefinition; 2] = [
    RoleDefinition {
        key: Role::ADMIN,
        name: "Admin",
        permissions: PermissionSet::all(),
    },
    RoleDefinition {
        key: Role::BASIC_MEMBER,
        name: "Member",
        permissions: PermissionSet::of(&[Permission::MembershipsRead]),
    },
];

/// The roles an organization knows, and what each may do.
#[derive(Debug, Clone, Copy)]
pub struct RoleCatalog {
    roles: &'static [RoleDefinition],
}

impl Default for RoleCatalog {
    fn default() -> Self {
        RoleCatalog::built_in()
    }
}

impl RoleCatalog {
    /// `admin` and `basic_member`.
    #[must_use]
    pub const fn built_in() -> Self {
        RoleCatalog { roles: &BUILT_IN }
    }

    /// A catalog of other roles, for tables of cases the built-in two cannot reach.
    #[cfg(test)]
    pub(crate) const fn of(roles: &'static [RoleDefinition]) -> Self {
        RoleCatalog { roles }
    }

    /// Every role, in display order.
    #[must_use]
    pub fn roles(&self) -> &'static [RoleDefinition] {
        self.roles
    }

    /// The permissions of `role`, or `unknown_role`.
    pub fn permissions(&self, role: &str) -> Result<PermissionSet, DomainError> {
        self.roles
            .iter()
            .find(|r| r.key == role)
            .map(|r| r.permissions)
            .ok_or(DomainError::new(
                ErrorCode::UnknownRole,
                "That role does not exist.",
            ))
    }

    /// Checks that `role` exists and returns it as a [`Role`].
    pub fn parse(&self, role: &str) -> Result<Role, DomainError> {
        self.permissions(role).map(|_| Role(role.to_owned()))
    }

    /// Whether a member with `role` counts as an admin for the last-admin invariant.
    #[must_use]
    pub fn is_admin(&self, role: &str) -> bool {
        self.permissions(role)
            .is_ok_and(|p| p.is_superset_of(ADMIN_PERMISSIONS))
    }

    /// The keys of every admin role, for counting admins in a database query.
    #[must_use]
    pub fn admin_role_keys(&self) -> Vec<&'static str> {
        self.roles
            .iter()
            .filter(|r| r.permissions.is_superset_of(ADMIN_PERMISSIONS))
            .map(|r| r.key)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_roles() {
        let catalog = RoleCatalog::built_in();
        assert_eq!(catalog.permissions("admin"), Ok(PermissionSet::all()));
        let member = catalog.permissions("basic_member").expect("exists");
        assert!(member.contains(Permission::MembershipsRead));
        assert!(!member.contains(Permission::InvitationsManage));
        assert_eq!(
            catalog.permissions("owner").map_err(|e| e.code),
            Err(ErrorCode::UnknownRole)
        );
        assert!(catalog.is_admin("admin"));
        assert!(!catalog.is_admin("basic_member"));
        assert!(!catalog.is_admin("nope"));
        assert_eq!(catalog.admin_role_keys(), vec!["admin"]);
    }
}
