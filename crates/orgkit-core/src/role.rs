//! Roles: a key such as `admin`, mapped to a [`PermissionSet`] by a [`RoleCatalog`].
//!
//! The catalog holds the built-in `admin` and `basic_member`, then an organization's custom
//! roles (`org:<slug>`, see `custom_role`); no check names a role, they all ask for
//! permissions. A member may hold several roles: their permissions are the union.

use crate::error::{DomainError, ErrorCode};
use crate::permission::{Permission, PermissionCatalog, PermissionSet};
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

/// One role definition: a built-in role, or an organization's custom role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDefinition {
    /// `admin`, `basic_member`, or `org:<slug>` for a custom role.
    pub key: String,
    pub name: String,
    pub description: String,
    pub permissions: PermissionSet,
}

impl RoleDefinition {
    /// Whether this is `admin` or `basic_member`, which cannot be edited or deleted.
    #[must_use]
    pub fn is_built_in(&self) -> bool {
        is_built_in(&self.key)
    }
}

/// Whether `key` names a built-in role.
#[must_use]
pub fn is_built_in(key: &str) -> bool {
    key == Role::ADMIN || key == Role::BASIC_MEMBER
}

/// The roles an organization knows, and what each may do: the built-in `admin` (every
/// permission of the catalog) and `basic_member` (reads members), then its custom roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleCatalog {
    permissions: PermissionCatalog,
    roles: Vec<RoleDefinition>,
}

impl Default for RoleCatalog {
    fn default() -> Self {
        RoleCatalog::built_in()
    }
}

impl RoleCatalog {
    /// `admin` and `basic_member`, over the system permissions only.
    #[must_use]
    pub fn built_in() -> Self {
        RoleCatalog::with_permissions(PermissionCatalog::default())
    }

    /// `admin` and `basic_member` over `permissions`: `admin` holds every one of them.
    #[must_use]
    pub fn with_permissions(permissions: PermissionCatalog) -> Self {
        let roles = vec![
            RoleDefinition {
                key: Role::ADMIN.to_owned(),
                name: "Admin".to_owned(),
                description: "Every permission.".to_owned(),
                permissions: permissions.everything(),
            },
            RoleDefinition {
                key: Role::BASIC_MEMBER.to_owned(),
                name: "Member".to_owned(),
                description: "Reads the member list.".to_owned(),
                permissions: PermissionSet::of(&[Permission::MembershipsRead]),
            },
        ];
        RoleCatalog { permissions, roles }
    }

    /// This catalog with an organization's custom roles added after the built-ins (the caller
    /// checked them with `custom_role`; a built-in key among them is skipped).
    #[must_use]
    pub fn with_custom(mut self, custom: impl IntoIterator<Item = RoleDefinition>) -> Self {
        self.roles
            .extend(custom.into_iter().filter(|r| !r.is_built_in()));
        self
    }

    /// The permission catalog the roles are built from.
    #[must_use]
    pub fn permission_catalog(&self) -> &PermissionCatalog {
        &self.permissions
    }

    /// Every role, in display order: the built-ins, then the custom roles.
    #[must_use]
    pub fn roles(&self) -> &[RoleDefinition] {
        &self.roles
    }

    /// The custom roles, in display order.
    pub fn custom_roles(&self) -> impl Iterator<Item = &RoleDefinition> {
        self.roles.iter().filter(|r| !r.is_built_in())
    }

    /// The definition of `role`, if it exists.
    #[must_use]
    pub fn get(&self, role: &str) -> Option<&RoleDefinition> {
        self.roles.iter().find(|r| r.key == role)
    }

    /// The permissions of `role`, or `unknown_role`.
    pub fn permissions(&self, role: &str) -> Result<PermissionSet, DomainError> {
        self.get(role)
            .map(|r| r.permissions)
            .ok_or(DomainError::new(
                ErrorCode::UnknownRole,
                "That role does not exist.",
            ))
    }

    /// The permissions of a member holding `roles`: their union (`unknown_role` if one of
    /// them does not exist).
    pub fn permissions_of(&self, roles: &[&str]) -> Result<PermissionSet, DomainError> {
        roles.iter().try_fold(PermissionSet::EMPTY, |set, role| {
            Ok(set.union(self.permissions(role)?))
        })
    }

    /// Checks that `role` exists and returns it as a [`Role`].
    pub fn parse(&self, role: &str) -> Result<Role, DomainError> {
        self.permissions(role).map(|_| Role(role.to_owned()))
    }

    /// Whether a member with `role` counts as an admin for the last-admin invariant.
    #[must_use]
    pub fn is_admin(&self, role: &str) -> bool {
        self.holds_admin(&[role])
    }

    /// Whether a member holding `roles` counts as an admin: the union of their roles holds
    /// [`ADMIN_PERMISSIONS`] (through any role, or several together).
    #[must_use]
    pub fn holds_admin(&self, roles: &[&str]) -> bool {
        self.permissions_of(roles)
            .is_ok_and(|p| p.is_superset_of(ADMIN_PERMISSIONS))
    }

    /// The keys of every role that alone makes its holder an admin.
    #[must_use]
    pub fn admin_role_keys(&self) -> Vec<&str> {
        self.roles
            .iter()
            .filter(|r| r.permissions.is_superset_of(ADMIN_PERMISSIONS))
            .map(|r| r.key.as_str())
            .collect()
    }

    /// The keys of every role holding at least one of [`ADMIN_PERMISSIONS`]: only members
    /// holding one of these can count as admins, so counting admins reads only their roles.
    #[must_use]
    pub fn admin_granting_keys(&self) -> Vec<&str> {
        self.roles
            .iter()
            .filter(|r| ADMIN_PERMISSIONS.minus(r.permissions) != ADMIN_PERMISSIONS)
            .map(|r| r.key.as_str())
            .collect()
    }

    /// Whether a member holding `roles` has the permission `key` (system or app): the
    /// `can()` of the server and the SDK. Unknown roles and keys give `false`.
    #[must_use]
    pub fn can(&self, roles: &[&str], key: &str) -> bool {
        self.permissions_of(roles)
            .is_ok_and(|held| self.permissions.can(held, key))
    }

    /// The keys of `set`'s permissions, in catalog order.
    #[must_use]
    pub fn names(&self, set: PermissionSet) -> Vec<String> {
        self.permissions.names(set)
    }

    /// This catalog with `role`'s permissions replaced, to count who stays an admin after an
    /// edit.
    #[must_use]
    pub fn with_role_permissions(&self, role: &str, permissions: PermissionSet) -> Self {
        let mut edited = self.clone();
        if let Some(def) = edited.roles.iter_mut().find(|r| r.key == role) {
            def.permissions = permissions;
        }
        edited
    }

    /// This catalog without `role`.
    #[must_use]
    pub fn without(&self, role: &str) -> Self {
        let mut edited = self.clone();
        edited.roles.retain(|r| r.key != role);
        edited
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

    #[test]
    fn custom_roles_and_unions() {
        let perms = PermissionCatalog::new(&["org:invoices:create"]).expect("valid");
        let catalog = RoleCatalog::with_permissions(perms).with_custom([
            RoleDefinition {
                key: "org:inviter".into(),
                name: "Inviter".into(),
                description: String::new(),
                permissions: PermissionSet::of(&[Permission::InvitationsManage]),
            },
            RoleDefinition {
                key: "org:manager".into(),
                name: "Manager".into(),
                description: String::new(),
                permissions: PermissionSet::of(&[Permission::MembershipsManage]),
            },
            RoleDefinition {
                key: "admin".into(),
                name: "Impostor".into(),
                description: String::new(),
                permissions: PermissionSet::EMPTY,
            },
        ]);
        assert_eq!(catalog.roles().len(), 4, "a built-in key is not redefined");
        assert_eq!(catalog.custom_roles().count(), 2);
        assert!(catalog.can(&["admin"], "org:invoices:create"));
        assert!(!catalog.can(&["basic_member"], "org:invoices:create"));
        assert!(!catalog.holds_admin(&["org:inviter"]));
        assert!(!catalog.holds_admin(&["org:manager"]));
        assert!(catalog.holds_admin(&["org:inviter", "org:manager"]));
        assert!(!catalog.holds_admin(&[]));
        assert!(!catalog.holds_admin(&["org:inviter", "org:nope"]));
        assert_eq!(catalog.admin_role_keys(), vec!["admin"]);
        assert_eq!(
            catalog.admin_granting_keys(),
            vec!["admin", "org:inviter", "org:manager"]
        );
        assert_eq!(
            catalog.permissions_of(&["basic_member", "org:inviter"]),
            Ok(PermissionSet::of(&[
                Permission::MembershipsRead,
                Permission::InvitationsManage
            ]))
        );
        let edited = catalog.with_role_permissions("org:inviter", PermissionSet::EMPTY);
        assert!(!edited.holds_admin(&["org:inviter", "org:manager"]));
        assert_eq!(catalog.without("org:inviter").roles().len(), 3);
    }
}
