//! Suspended members: a suspension keeps the membership (its roles, owner flag and history)
//! and takes away every access to the organization until it is reactivated.
//!
//! A suspended member counts neither as an admin for the last-admin rule nor as an owner, nor
//! against the organization's seats: counts of members take `suspended_at IS NULL`.

use crate::error::{DomainError, ErrorCode};
use crate::ownership::{self, OrgFacts, Standing};
use crate::permission::{Permission, PermissionSet};

/// The refusal a suspended member gets for everything in the organization.
pub const SUSPENDED: DomainError = DomainError::new(
    ErrorCode::MembershipSuspended,
    "Your membership in this organization is suspended.",
);

/// A suspended member has no access: every request naming the organization is refused.
pub fn check_access(suspended: bool) -> Result<(), DomainError> {
    if suspended {
        Err(SUSPENDED)
    } else {
        Ok(())
    }
}

/// The facts a suspension is decided on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuspendFacts {
    /// What the actor's roles hold.
    pub held: PermissionSet,
    pub actor_is_owner: bool,
    pub target: Standing,
    /// The target is the actor.
    pub is_self: bool,
    /// The target's roles make them an admin (`RoleCatalog::is_admin`).
    pub target_is_admin: bool,
    /// Active admins, counting the target (`None`: unknown, left to the server).
    pub admin_count: Option<u64>,
    pub org: OrgFacts,
}

/// Suspending a member. Suspending one already suspended is allowed and changes nothing.
pub fn check_suspend(f: SuspendFacts) -> Result<(), DomainError> {
    manage(f.held)?;
    if f.is_self {
        return Err(DomainError::new(
            ErrorCode::Forbidden,
            "You cannot suspend yourself.",
        ));
    }
    if f.target.is_owner && !f.actor_is_owner {
        return Err(DomainError::new(
            ErrorCode::OwnerRequired,
            "Only an owner can suspend an owner.",
        ));
    }
    if f.target.suspended {
        return Ok(());
    }
    if ownership::is_protected(f.target, f.org) {
        return Err(DomainError::new(
            ErrorCode::CreatorProtected,
            "This organization protects its creator until they transfer ownership.",
        ));
    }
    if f.target_is_admin && matches!(f.admin_count, Some(n) if n <= 1) {
        return Err(DomainError::new(
            ErrorCode::LastAdmin,
            "An organization must keep at least one admin.",
        ));
    }
    if f.target.is_owner && matches!(f.org.owner_count, Some(n) if n <= 1) {
        return Err(DomainError::new(
            ErrorCode::LastOwner,
            "An organization must keep at least one owner; transfer ownership first.",
        ));
    }
    Ok(())
}

/// Reactivating a member: they get back exactly what they had. Reactivating an active member
/// changes nothing.
pub fn check_reactivate(held: PermissionSet) -> Result<(), DomainError> {
    manage(held)
}

fn manage(held: PermissionSet) -> Result<(), DomainError> {
    if held.contains(Permission::MembershipsManage) {
        Ok(())
    } else {
        Err(DomainError::new(
            ErrorCode::Forbidden,
            "Only an admin can suspend or reactivate members.",
        ))
    }
}

#[cfg(test)]
mod tests;
