//! Custom roles: an organization's own roles (`org:<slug>`), their limits, who may create, edit
//! and delete them, the creator and default roles, and a member's set of roles.
//!
//! Who may act is `policy::authorize` (`CreateRole`, `UpdateRole`, `DeleteRole`,
//! `SetRoleSettings`, `ChangeRole`), which calls [`decide`] once `org:roles:manage` is held.

use crate::error::{DomainError, ErrorCode};
use crate::permission::{Permission, PermissionCatalog, PermissionSet};
use crate::policy::{no_escalation, Action, RoleUsage};
use crate::role::{is_built_in, RoleCatalog, RoleDefinition};

/// The most custom roles an organization may have.
pub const MAX_CUSTOM_ROLES: usize = 20;

/// The most roles one member may hold: every built-in and custom role.
pub const MAX_ROLES_PER_MEMBER: usize = MAX_CUSTOM_ROLES + 2;

/// The longest slug of a custom role's key (`org:<slug>`).
const MAX_SLUG: usize = 40;
/// The longest role name, in characters.
pub const MAX_ROLE_NAME: usize = 64;
/// The longest role description, in characters.
pub const MAX_ROLE_DESCRIPTION: usize = 500;

/// What the creator role must hold: whoever makes an organization can run it and delete it.
pub const CREATOR_ROLE_NEEDS: PermissionSet = PermissionSet::of(&[
    Permission::MembershipsManage,
    Permission::MembershipsRead,
    Permission::ProfileDelete,
]);

/// The `creatorRole` of an organization that never set one.
pub const DEFAULT_CREATOR_ROLE: &str = crate::role::Role::ADMIN;
/// The `defaultRole` of an organization that never set one.
pub const DEFAULT_DEFAULT_ROLE: &str = crate::role::Role::BASIC_MEMBER;

/// An organization's role settings: the role an ownership transfer gives the new owner, and the
/// role every join path gives when none is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSettings {
    pub creator_role: String,
    pub default_role: String,
}

impl Default for RoleSettings {
    fn default() -> Self {
        RoleSettings {
            creator_role: DEFAULT_CREATOR_ROLE.to_owned(),
            default_role: DEFAULT_DEFAULT_ROLE.to_owned(),
        }
    }
}

impl RoleSettings {
    /// The settings as stored: a column left NULL is the default.
    #[must_use]
    pub fn stored(creator_role: Option<String>, default_role: Option<String>) -> Self {
        RoleSettings {
            creator_role: creator_role.unwrap_or_else(|| DEFAULT_CREATOR_ROLE.to_owned()),
            default_role: default_role.unwrap_or_else(|| DEFAULT_DEFAULT_ROLE.to_owned()),
        }
    }
}

/// A custom role as stored: its permission keys are kept by name, and a key the catalog no
/// longer declares (an app permission dropped from the configuration) grants nothing.
#[must_use]
pub fn stored_role(
    catalog: &PermissionCatalog,
    key: String,
    name: String,
    description: String,
    permission_keys: &[String],
) -> RoleDefinition {
    RoleDefinition {
        key,
        name,
        description,
        permissions: catalog.parse_stored(permission_keys),
    }
}

const fn invalid(message: &'static str) -> DomainError {
    DomainError::new(ErrorCode::ValidationFailed, message)
}

/// Checks a custom role's key: `org:<slug>`, the slug 1 to 40 of `a-z`, `0-9`, `_` and `-`,
/// and not Clerk's `org:admin` or `org:member`, which name the built-ins.
pub fn check_role_key(key: &str) -> Result<(), DomainError> {
    let Some(slug) = key.strip_prefix("org:") else {
        return Err(invalid(
            "A role key is org:<slug>, the slug 1 to 40 of a-z, 0-9, _ and -.",
        ));
    };
    let well_formed = (1..=MAX_SLUG).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if !well_formed {
        return Err(invalid(
            "A role key is org:<slug>, the slug 1 to 40 of a-z, 0-9, _ and -.",
        ));
    }
    if slug == "admin" || slug == "member" {
        return Err(DomainError::new(
            ErrorCode::RoleKeyTaken,
            "org:admin and org:member name the built-in roles.",
        ));
    }
    Ok(())
}

/// Checks a role's name (1 to 64 characters, not blank) and description (up to 500) and
/// returns them trimmed.
pub fn check_role_text<'a>(
    name: &'a str,
    description: &'a str,
) -> Result<(&'a str, &'a str), DomainError> {
    let name = name.trim();
    let description = description.trim();
    if name.is_empty() || name.chars().count() > MAX_ROLE_NAME {
        return Err(invalid("A role's name is 1 to 64 characters."));
    }
    if description.chars().count() > MAX_ROLE_DESCRIPTION {
        return Err(invalid("A role's description is at most 500 characters."));
    }
    if name
        .chars()
        .chain(description.chars())
        .any(char::is_control)
    {
        return Err(invalid(
            "A role's name and description hold no control characters.",
        ));
    }
    Ok((name, description))
}

/// A member's roles: one or more, each named once, at most [`MAX_ROLES_PER_MEMBER`].
pub fn check_role_list(roles: &[&str]) -> Result<(), DomainError> {
    if roles.is_empty() || roles.len() > MAX_ROLES_PER_MEMBER {
        return Err(invalid("A member holds 1 to 22 roles."));
    }
    if roles
        .iter()
        .enumerate()
        .any(|(i, r)| roles[..i].contains(r))
    {
        return Err(invalid("A member holds each role once."));
    }
    Ok(())
}

/// The permissions a change of a member's roles from `old` to `new` touches: those of the
/// roles added and of the roles taken away (unknown old roles count for nothing).
#[must_use]
pub fn changed_permissions(catalog: &RoleCatalog, old: &[&str], new: &[&str]) -> PermissionSet {
    let of = |role: &&str| catalog.permissions(role).unwrap_or(PermissionSet::EMPTY);
    let added = new.iter().filter(|r| !old.contains(r)).map(of);
    let removed = old.iter().filter(|r| !new.contains(r)).map(of);
    added
        .chain(removed)
        .fold(PermissionSet::EMPTY, PermissionSet::union)
}

/// The role actions' rules, once the actor holds `org:roles:manage` (`held`).
pub(crate) fn decide(
    catalog: &RoleCatalog,
    held: PermissionSet,
    action: Action<'_>,
) -> Result<(), DomainError> {
    match action {
        Action::CreateRole {
            grants,
            custom_roles,
            key_taken,
        } => {
            if key_taken {
                return Err(DomainError::new(
                    ErrorCode::RoleKeyTaken,
                    "The organization already has a role with this key.",
                ));
            }
            if custom_roles >= MAX_CUSTOM_ROLES {
                return Err(DomainError::new(
                    ErrorCode::RoleLimitReached,
                    "An organization has at most 20 custom roles.",
                ));
            }
            no_escalation(held, grants)
        }
        Action::UpdateRole {
            role,
            grants,
            admin_count_after,
        } => {
            let current = editable(catalog, role)?;
            no_escalation(held, current.union(grants))?;
            match admin_count_after {
                Some(0) => Err(DomainError::new(
                    ErrorCode::LastAdmin,
                    "An organization must keep at least one admin.",
                )),
                _ => Ok(()),
            }
        }
        Action::DeleteRole { role, usage } => {
            let current = editable(catalog, role)?;
            no_escalation(held, current)?;
            check_unused(usage)
        }
        Action::SetRoleSettings {
            creator_role,
            default_role,
        } => {
            let mut granted = PermissionSet::EMPTY;
            if let Some(creator) = creator_role {
                let perms = catalog.permissions(creator)?;
                if !perms.is_superset_of(CREATOR_ROLE_NEEDS) {
                    return Err(DomainError::new(
                        ErrorCode::CreatorRoleInsufficient,
                        "The creator role must hold org:memberships:manage, org:memberships:read and org:profile:delete.",
                    ));
                }
                granted = granted.union(perms);
            }
            if let Some(default) = default_role {
                granted = granted.union(catalog.permissions(default)?);
            }
            no_escalation(held, granted)
        }
        _ => Ok(()),
    }
}

/// The current permissions of a custom role that may be edited or deleted.
fn editable(catalog: &RoleCatalog, role: &str) -> Result<PermissionSet, DomainError> {
    if is_built_in(role) {
        return Err(DomainError::new(
            ErrorCode::BuiltInRole,
            "Built-in roles cannot be edited or deleted.",
        ));
    }
    catalog.permissions(role)
}

/// A role may be deleted only when no member holds it and it is neither the creator nor the
/// default role.
fn check_unused(usage: RoleUsage) -> Result<(), DomainError> {
    let message = if usage.members > 0 {
        "Members hold this role: give them another one first."
    } else if usage.creator_role {
        "This is the organization's creator role: choose another one first."
    } else if usage.default_role {
        "This is the organization's default role: choose another one first."
    } else if usage.grants > 0 {
        "Pending invitations or requests, invite links or SSO connections give this role: change or revoke them first."
    } else {
        return Ok(());
    };
    Err(DomainError::new(ErrorCode::RoleInUse, message))
}

#[cfg(test)]
mod tests;
