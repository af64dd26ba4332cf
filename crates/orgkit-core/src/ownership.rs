//! Owners: a flag on a membership, independent of its roles.
//!
//! The creator of an organization is its first owner. Only an owner may change, remove,
//! suspend or make another owner, transfer ownership, switch the creator protection or delete
//! the organization, and the organization always keeps an active owner. These rules come
//! after `policy::authorize` (which asks for the permissions) and add what owners change.
//!
//! Counts are of *active* owners: a suspended owner holds no authority. The server counts the
//! target too when it is suspended (`suspended_at IS NULL OR user_id = target`), so removing a
//! suspended owner never looks like removing the last one.

use crate::error::{DomainError, ErrorCode};
use crate::permission::PermissionSet;
use crate::role::{Role, RoleCatalog};

/// A member as the owner rules see them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    pub is_owner: bool,
    pub suspended: bool,
    /// The member created the organization.
    pub is_creator: bool,
}

/// The organization's facts these rules need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgFacts {
    /// Active owners, counting the target (see the module's doc). `None`: unknown (an SDK
    /// holding a partial list), left to the server.
    pub owner_count: Option<u64>,
    /// The organization's creator protection setting.
    pub creator_protection: bool,
}

const LAST_OWNER: DomainError = DomainError::new(
    ErrorCode::LastOwner,
    "An organization must keep at least one owner; transfer ownership first.",
);
const OWNER_REQUIRED: DomainError = DomainError::new(
    ErrorCode::OwnerRequired,
    "Only an owner of the organization can do this.",
);
const CREATOR_PROTECTED: DomainError = DomainError::new(
    ErrorCode::CreatorProtected,
    "This organization protects its creator until they transfer ownership.",
);
const TARGET_SUSPENDED: DomainError = DomainError::new(
    ErrorCode::MembershipSuspended,
    "This member is suspended; reactivate them first.",
);

/// Whether the creator protection covers `target`: the setting is on and the target is the
/// creator who still owns the organization.
#[must_use]
pub fn is_protected(target: Standing, org: OrgFacts) -> bool {
    org.creator_protection && target.is_creator && target.is_owner
}

/// Losing `target` as an owner must leave another one.
fn keeps_an_owner(target: Standing, org: OrgFacts) -> Result<(), DomainError> {
    match org.owner_count {
        Some(n) if target.is_owner && n <= 1 => Err(LAST_OWNER),
        _ => Ok(()),
    }
}

/// Removing `target`, or leaving when `leaving` (the target is the actor).
pub fn check_remove(
    actor_is_owner: bool,
    target: Standing,
    leaving: bool,
    org: OrgFacts,
) -> Result<(), DomainError> {
    if target.is_owner && !leaving && !actor_is_owner {
        return Err(OWNER_REQUIRED);
    }
    if is_protected(target, org) {
        return Err(CREATOR_PROTECTED);
    }
    keeps_an_owner(target, org)
}

/// Changing the roles of `target`: an owner's roles are an owner's to change.
pub fn check_change_role(actor_is_owner: bool, target: Standing) -> Result<(), DomainError> {
    if target.is_owner && !actor_is_owner {
        return Err(OWNER_REQUIRED);
    }
    Ok(())
}

/// Making `target` an owner (`make`) or taking the flag away. With the creator protection
/// on, only the creator gives up their own ownership (`is_self`).
pub fn check_set_owner(
    actor_is_owner: bool,
    target: Standing,
    is_self: bool,
    make: bool,
    org: OrgFacts,
) -> Result<(), DomainError> {
    if !actor_is_owner {
        return Err(OWNER_REQUIRED);
    }
    if make {
        return if target.suspended {
            Err(TARGET_SUSPENDED)
        } else {
            Ok(())
        };
    }
    if is_protected(target, org) && !is_self {
        return Err(CREATOR_PROTECTED);
    }
    keeps_an_owner(target, org)
}

/// Transferring ownership from the actor to `target`: the actor must own the organization,
/// the target must be another, active member; the target becomes an owner with the `admin`
/// role, and the actor keeps `keep_role` and loses the owner flag. Both roles pass the
/// escalation guard against what the actor holds (`held`): `permission_escalation`, with the
/// permissions missing.
pub fn check_transfer(
    catalog: &RoleCatalog,
    actor_is_owner: bool,
    held: PermissionSet,
    target: Standing,
    is_self: bool,
    keep_role: &str,
) -> Result<(), DomainError> {
    if !actor_is_owner {
        return Err(OWNER_REQUIRED);
    }
    if is_self {
        return Err(DomainError::new(
            ErrorCode::Forbidden,
            "Ownership goes to another member.",
        ));
    }
    if target.suspended {
        return Err(TARGET_SUSPENDED);
    }
    for role in [Role::ADMIN, keep_role] {
        crate::policy::no_escalation(held, catalog.permissions(role)?)?;
    }
    Ok(())
}

/// Switching the creator protection setting.
pub fn check_creator_protection_setting(actor_is_owner: bool) -> Result<(), DomainError> {
    if actor_is_owner {
        Ok(())
    } else {
        Err(OWNER_REQUIRED)
    }
}

/// Deleting the organization: an owner, who repeated its slug as `confirm`.
pub fn check_delete(
    actor_is_owner: bool,
    slug: &str,
    confirm: Option<&str>,
) -> Result<(), DomainError> {
    if !actor_is_owner {
        return Err(OWNER_REQUIRED);
    }
    match confirm {
        Some(c) if c == slug => Ok(()),
        _ => Err(DomainError::new(
            ErrorCode::ConfirmationMismatch,
            "Type the organization's slug to confirm its deletion.",
        )),
    }
}

#[cfg(test)]
mod tests;
