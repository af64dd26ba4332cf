//! `/v1/organizations/{id}/roles`: the organization's role catalog.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::AppPath;
use crate::service::roles;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use orgkit_core::wire::{ErrorBody, RoleCatalogBody};
use orgkit_core::OrganizationId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// The organization's roles (built-ins first) and every permission a role may hold, system and
/// app ones. Any member may read it.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/roles", tag = "roles",
    params(("org_id" = OrganizationId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = RoleCatalogBody), (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
) -> ApiResult<Json<RoleCatalogBody>> {
    Ok(Json(roles::catalog(&state, &me, &org_id).await?))
}
