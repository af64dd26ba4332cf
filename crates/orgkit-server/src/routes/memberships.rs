//! `/v1/organizations/{org_id}/memberships`.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery};
use crate::service::memberships;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use orgkit_core::wire::{ErrorBody, Membership, Page, UpdateMembershipRequest};
use orgkit_core::{OrganizationId, UserId};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(update, remove))
}

/// `me` in a member path stands for the signed-in user.
pub(crate) fn resolve_me(me: &CurrentUser, user_id: String) -> UserId {
    if user_id == "me" {
        me.id().clone()
    } else {
        UserId(user_id)
    }
}

/// Cursor pagination: `limit` (1 to 100, default 20) and `after` (the previous `nextCursor`,
/// documented by each list with the shape of its ids).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The page size: 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(ignore)]
    pub after: Option<String>,
}

/// One page of members, in join order.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/memberships", tag = "memberships",
    params(("org_id" = OrganizationId, Path), PageQuery,
        ("after" = Option<String>, Query, pattern = "^(mem_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<Membership>), (status = 400, body = ErrorBody, description = "validation_failed: limit or cursor out of bounds"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<impl IntoResponse> {
    let body = memberships::list_json(&state, &me, &org_id, q.limit, q.after.as_deref()).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body))
}

/// Gives a member another role.
#[utoipa::path(patch, path = "/v1/organizations/{org_id}/memberships/{user_id}", tag = "memberships",
    params(("org_id" = OrganizationId, Path),
        ("user_id" = String, Path, pattern = "^(me|user_[A-Za-z0-9]{1,64})$", description = "A member's user id, or `me`")), request_body = UpdateMembershipRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Membership), (status = 403, body = ErrorBody, description = "forbidden: my role may not manage members"),
        (status = 404, body = ErrorBody, description = "not_found"), (status = 409, body = ErrorBody, description = "last_admin"),
        (status = 422, body = ErrorBody, description = "unknown_role")))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, user_id)): AppPath<(OrganizationId, String)>,
    AppJson(req): AppJson<UpdateMembershipRequest>,
) -> ApiResult<Json<Membership>> {
    let user_id = resolve_me(&me, user_id);
    Ok(Json(
        memberships::update_roles(&state, &me, &org_id, &user_id, &req.roles()?).await?,
    ))
}

/// Removes a member, or leaves when the id is mine (or `me`).
#[utoipa::path(delete, path = "/v1/organizations/{org_id}/memberships/{user_id}", tag = "memberships",
    params(("org_id" = OrganizationId, Path),
        ("user_id" = String, Path, pattern = "^(me|user_[A-Za-z0-9]{1,64})$", description = "A member's user id, or `me`")), security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Removed"), (status = 403, body = ErrorBody, description = "forbidden: my role may not remove members"),
        (status = 404, body = ErrorBody, description = "not_found"), (status = 409, body = ErrorBody, description = "last_admin")))]
pub async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, user_id)): AppPath<(OrganizationId, String)>,
) -> ApiResult<StatusCode> {
    let user_id = resolve_me(&me, user_id);
    memberships::remove(&state, &me, &org_id, &user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
