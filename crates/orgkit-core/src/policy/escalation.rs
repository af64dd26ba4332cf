//! The escalation guard: no one grants a permission they do not hold, on any path.

use super::refuse;
use crate::error::{DomainError, ErrorCode};
use crate::permission::PermissionSet;
use crate::role::RoleCatalog;

/// The roles must exist, and grant nothing the actor does not hold (the escalation guard).
pub(crate) fn grantable(
    catalog: &RoleCatalog,
    held: PermissionSet,
    roles: &[&str],
) -> Result<(), DomainError> {
    no_escalation(held, catalog.permissions_of(roles)?)
}

/// The escalation guard: `granted` must be within `held`; the refusal,
/// `permission_escalation`, carries the missing permissions (`RoleCatalog::names` lists them).
pub fn no_escalation(held: PermissionSet, granted: PermissionSet) -> Result<(), DomainError> {
    let missing = granted.minus(held);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(DomainError {
            missing,
            ..refuse(
                ErrorCode::PermissionEscalation,
                "You cannot grant permissions you do not hold.",
            )
        })
    }
}
