//! Owners and suspended members: `/v1/organizations/{org_id}/transfer-ownership` and, per
//! member, `…/memberships/{user_id}/owner`, `…/suspend` and `…/reactivate`.

use super::memberships::resolve_me;
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath};
use crate::service::ownership;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use orgkit_core::wire::{ErrorBody, Membership, Organization, TransferOwnershipRequest};
use orgkit_core::OrganizationId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(transfer))
        .routes(routes!(make_owner, unmake_owner))
        .routes(routes!(suspend))
        .routes(routes!(reactivate))
}

/// Transfers ownership to another active member, in one transaction: they become an owner
/// with the `admin` role; I keep `keepRole` (default `admin`) and lose the owner flag.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/transfer-ownership", tag = "owners",
    params(("org_id" = OrganizationId, Path)), request_body = TransferOwnershipRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Organization, description = "The organization as I now see it"),
        (status = 403, body = ErrorBody, description = "owner_required; forbidden: the target is me, or a role I cannot grant; membership_suspended: I am, or the target is, suspended"),
        (status = 404, body = ErrorBody, description = "not_found: no such organization or member"),
        (status = 422, body = ErrorBody, description = "unknown_role")))]
pub async fn transfer(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<TransferOwnershipRequest>,
) -> ApiResult<Json<Organization>> {
    Ok(Json(ownership::transfer(&state, &me, &org_id, &req).await?))
}

/// Makes a member an owner (an owner only).
#[utoipa::path(put, path = "/v1/organizations/{org_id}/memberships/{user_id}/owner", tag = "owners",
    params(("org_id" = OrganizationId, Path),
        ("user_id" = String, Path, pattern = "^(me|user_[A-Za-z0-9]{1,64})$", description = "A member's user id, or `me`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Membership),
        (status = 403, body = ErrorBody, description = "owner_required; membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn make_owner(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, user_id)): AppPath<(OrganizationId, String)>,
) -> ApiResult<Json<Membership>> {
    let user_id = resolve_me(&me, user_id);
    Ok(Json(
        ownership::set_owner(&state, &me, &org_id, &user_id, true).await?,
    ))
}

/// Takes the owner flag away from a member (an owner only; the last owner keeps it).
#[utoipa::path(delete, path = "/v1/organizations/{org_id}/memberships/{user_id}/owner", tag = "owners",
    params(("org_id" = OrganizationId, Path),
        ("user_id" = String, Path, pattern = "^(me|user_[A-Za-z0-9]{1,64})$", description = "A member's user id, or `me`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Membership),
        (status = 403, body = ErrorBody, description = "owner_required; membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "last_owner; creator_protected")))]
pub async fn unmake_owner(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, user_id)): AppPath<(OrganizationId, String)>,
) -> ApiResult<Json<Membership>> {
    let user_id = resolve_me(&me, user_id);
    Ok(Json(
        ownership::set_owner(&state, &me, &org_id, &user_id, false).await?,
    ))
}

/// Suspends a member: roles and history kept, no access until reactivated. The last admin
/// and the last owner cannot be suspended.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/memberships/{user_id}/suspend", tag = "owners",
    params(("org_id" = OrganizationId, Path),
        ("user_id" = String, Path, pattern = "^user_[A-Za-z0-9]{1,64}$", description = "A member's user id")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Membership),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage members, or the target is me; owner_required; membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "last_admin; last_owner; creator_protected")))]
pub async fn suspend(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, user_id)): AppPath<(OrganizationId, String)>,
) -> ApiResult<Json<Membership>> {
    let user_id = resolve_me(&me, user_id);
    Ok(Json(
        ownership::suspend(&state, &me, &org_id, &user_id).await?,
    ))
}

/// Reactivates a suspended member, with exactly the roles and owner flag they had.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/memberships/{user_id}/reactivate", tag = "owners",
    params(("org_id" = OrganizationId, Path),
        ("user_id" = String, Path, pattern = "^user_[A-Za-z0-9]{1,64}$", description = "A member's user id")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Membership),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage members; membership_suspended"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn reactivate(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, user_id)): AppPath<(OrganizationId, String)>,
) -> ApiResult<Json<Membership>> {
    let user_id = resolve_me(&me, user_id);
    Ok(Json(
        ownership::reactivate(&state, &me, &org_id, &user_id).await?,
    ))
}
