//! Governance on `/v1`: metadata reads and writes (`metadata.rs`, the writes through
//! `service::instance::metadata`, shared with the Clerk API), the logo (`logo.rs`) and the
//! billing profile (`billing.rs`). The limits are `service::limits`.

pub mod billing;
pub mod logo;
pub mod metadata;

use crate::error::ApiResult;
use crate::state::AppState;
use orgkit_core::PermissionSet;

/// The permissions `role` holds (none for a non-member), as the rule book's checks take them.
/// An instance secret key is treated as the service's `check` treats it: as an admin.
pub(crate) fn held(
    state: &AppState,
    actor: &orgkit_core::UserId,
    role: Option<&str>,
) -> ApiResult<PermissionSet> {
    let role = if super::is_instance_key(actor) {
        Some(orgkit_core::Role::ADMIN)
    } else {
        role
    };
    match role {
        None => Ok(PermissionSet::EMPTY),
        Some(role) => Ok(state.catalog.permissions(role)?),
    }
}
