//! An organization's roles: the catalog every member reads (the SDK runs `authorize` over it).

use super::{check, role_for_read};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::state::AppState;
use orgkit_core::policy::Action;
use orgkit_core::wire::RoleCatalogBody;
use orgkit_core::OrganizationId;

/// The organization's roles and permission catalog, for any member; `not_found` for others.
pub async fn catalog(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<RoleCatalogBody> {
    let role = role_for_read(state, org_id, me.id()).await?;
    check(state, me.id(), role.as_deref(), Action::ReadOrganization)?;
    Ok(RoleCatalogBody::of(&state.catalog))
}
