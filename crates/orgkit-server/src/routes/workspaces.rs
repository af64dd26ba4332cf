//! `/v1/organizations/{org_id}/workspaces`: shared and personal workspaces, their grants and
//! a person's effective access.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery};
use crate::routes::memberships::PageQuery;
use crate::service::workspaces::{self, admin, grants, personal};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orgkit_core::wire::{
    CreateWorkspaceRequest, EffectiveAccessBody, ErrorBody, GrantRequest, Page,
    UpdateWorkspaceRequest, Workspace, WorkspaceGrant,
};
use orgkit_core::workspace::PrincipalKind;
use orgkit_core::{OrganizationId, UserId, WorkspaceId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(my_personal))
        .routes(routes!(get, update))
        .routes(routes!(archive))
        .routes(routes!(unarchive))
        .routes(routes!(list_principals))
        .routes(routes!(grant, revoke))
        .routes(routes!(effective_access))
}

/// The workspaces I reach, by id: every one with `org:workspaces:manage`; otherwise my
/// personal one and those granted to me or my groups (archived ones only as a manager).
#[utoipa::path(get, path = "/v1/organizations/{org_id}/workspaces", tag = "workspaces",
    params(("org_id" = OrganizationId, Path), PageQuery,
        ("after" = Option<String>, Query, pattern = "^(ws_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<Workspace>),
        (status = 400, body = ErrorBody, description = "validation_failed: limit or cursor out of bounds"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<Page<Workspace>>> {
    let page = workspaces::list(&state, &me, &org_id, q.limit, q.after.as_deref()).await?;
    Ok(Json(page))
}

/// Creates a shared workspace (`org:workspaces:manage`); without a slug, one is suggested
/// from the name.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/workspaces", tag = "workspaces",
    params(("org_id" = OrganizationId, Path)), request_body = CreateWorkspaceRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = Workspace),
        (status = 400, body = ErrorBody, description = "validation_failed: the name or slug"),
        (status = 403, body = ErrorBody, description = "forbidden: my roles may not manage workspaces"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "workspace_slug_taken")))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<CreateWorkspaceRequest>,
) -> ApiResult<(StatusCode, Json<Workspace>)> {
    let ws = admin::create(&state, &me, &org_id, &req).await?;
    Ok((StatusCode::CREATED, Json(ws)))
}

/// My personal workspace in the organization, created the first time I ask. Members only: a
/// service account's key is refused.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/workspaces/personal", tag = "workspaces",
    params(("org_id" = OrganizationId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Workspace),
        (status = 403, body = ErrorBody, description = "forbidden: a service account has no personal workspace"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn my_personal(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
) -> ApiResult<Json<Workspace>> {
    Ok(Json(personal::mine(&state, &me, &org_id).await?))
}

/// One workspace I reach (`not_found` otherwise), with my role in it.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/workspaces/{ws_id}", tag = "workspaces",
    params(("org_id" = OrganizationId, Path), ("ws_id" = WorkspaceId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Workspace),
        (status = 404, body = ErrorBody, description = "not_found: no such organization or workspace I reach")))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, ws_id)): AppPath<(OrganizationId, WorkspaceId)>,
) -> ApiResult<Json<Workspace>> {
    Ok(Json(workspaces::get(&state, &me, &org_id, &ws_id).await?))
}

/// Renames a workspace or changes its slug (its managers).
#[utoipa::path(patch, path = "/v1/organizations/{org_id}/workspaces/{ws_id}", tag = "workspaces",
    params(("org_id" = OrganizationId, Path), ("ws_id" = WorkspaceId, Path)),
    request_body = UpdateWorkspaceRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Workspace),
        (status = 400, body = ErrorBody, description = "validation_failed: the name or slug"),
        (status = 403, body = ErrorBody, description = "forbidden: not a manager of the workspace"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "workspace_slug_taken")))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, ws_id)): AppPath<(OrganizationId, WorkspaceId)>,
    AppJson(req): AppJson<UpdateWorkspaceRequest>,
) -> ApiResult<Json<Workspace>> {
    Ok(Json(
        admin::update(&state, &me, &org_id, &ws_id, &req).await?,
    ))
}

/// Archives a workspace (its managers): it keeps its grants, takes no new ones, and only its
/// managers reach it. Archiving an archived workspace changes nothing.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/workspaces/{ws_id}/archive", tag = "workspaces",
    params(("org_id" = OrganizationId, Path), ("ws_id" = WorkspaceId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Workspace),
        (status = 403, body = ErrorBody, description = "forbidden: not a manager of the workspace"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn archive(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, ws_id)): AppPath<(OrganizationId, WorkspaceId)>,
) -> ApiResult<Json<Workspace>> {
    Ok(Json(
        admin::set_archived(&state, &me, &org_id, &ws_id, true).await?,
    ))
}

/// Restores an archived workspace (its managers).
#[utoipa::path(post, path = "/v1/organizations/{org_id}/workspaces/{ws_id}/unarchive", tag = "workspaces",
    params(("org_id" = OrganizationId, Path), ("ws_id" = WorkspaceId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Workspace),
        (status = 403, body = ErrorBody, description = "forbidden: not a manager of the workspace"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn unarchive(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, ws_id)): AppPath<(OrganizationId, WorkspaceId)>,
) -> ApiResult<Json<Workspace>> {
    Ok(Json(
        admin::set_archived(&state, &me, &org_id, &ws_id, false).await?,
    ))
}

/// The workspace's grants, by grant id (its managers).
#[utoipa::path(get, path = "/v1/organizations/{org_id}/workspaces/{ws_id}/principals", tag = "workspaces",
    params(("org_id" = OrganizationId, Path), ("ws_id" = WorkspaceId, Path), PageQuery,
        ("after" = Option<String>, Query, pattern = "^(wsg_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<WorkspaceGrant>),
        (status = 400, body = ErrorBody, description = "validation_failed: limit or cursor out of bounds"),
        (status = 403, body = ErrorBody, description = "forbidden: not a manager of the workspace"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list_principals(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, ws_id)): AppPath<(OrganizationId, WorkspaceId)>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<Page<WorkspaceGrant>>> {
    let after = q.after.as_deref();
    let page = grants::list(&state, &me, &org_id, &ws_id, q.limit, after).await?;
    Ok(Json(page))
}

/// Grants a member, a group or a service account a role in the workspace, or changes its
/// role (its managers). Not in an archived or a personal workspace.
#[utoipa::path(put, path = "/v1/organizations/{org_id}/workspaces/{ws_id}/principals/{kind}/{principal_id}", tag = "workspaces",
    params(("org_id" = OrganizationId, Path), ("ws_id" = WorkspaceId, Path),
        ("kind" = PrincipalKind, Path), ("principal_id" = String, Path, description = "A user, group or service account id")),
    request_body = GrantRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = WorkspaceGrant),
        (status = 403, body = ErrorBody, description = "forbidden: not a manager of the workspace"),
        (status = 404, body = ErrorBody, description = "not_found: no such workspace, group or service account"),
        (status = 409, body = ErrorBody, description = "workspace_archived, workspace_personal, not_a_member")))]
pub async fn grant(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, ws_id, kind, principal_id)): AppPath<(
        OrganizationId,
        WorkspaceId,
        PrincipalKind,
        String,
    )>,
    AppJson(req): AppJson<GrantRequest>,
) -> ApiResult<Json<WorkspaceGrant>> {
    let granted =
        grants::grant(&state, &me, &org_id, &ws_id, kind, &principal_id, req.role).await?;
    Ok(Json(granted))
}

/// Takes a principal's grant away (its managers).
#[utoipa::path(delete, path = "/v1/organizations/{org_id}/workspaces/{ws_id}/principals/{kind}/{principal_id}", tag = "workspaces",
    params(("org_id" = OrganizationId, Path), ("ws_id" = WorkspaceId, Path),
        ("kind" = PrincipalKind, Path), ("principal_id" = String, Path, description = "A user, group or service account id")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Revoked"),
        (status = 403, body = ErrorBody, description = "forbidden: not a manager of the workspace"),
        (status = 404, body = ErrorBody, description = "not_found: no such workspace or grant")))]
pub async fn revoke(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, ws_id, kind, principal_id)): AppPath<(
        OrganizationId,
        WorkspaceId,
        PrincipalKind,
        String,
    )>,
) -> ApiResult<StatusCode> {
    grants::revoke(&state, &me, &org_id, &ws_id, kind, &principal_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A person's effective role in the workspace and where it comes from (its managers, or the
/// person themself).
#[utoipa::path(get, path = "/v1/organizations/{org_id}/workspaces/{ws_id}/access/{user_id}", tag = "workspaces",
    params(("org_id" = OrganizationId, Path), ("ws_id" = WorkspaceId, Path), ("user_id" = UserId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = EffectiveAccessBody),
        (status = 403, body = ErrorBody, description = "forbidden: not a manager of the workspace"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn effective_access(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, ws_id, user_id)): AppPath<(OrganizationId, WorkspaceId, UserId)>,
) -> ApiResult<Json<EffectiveAccessBody>> {
    let body = grants::effective(&state, &me, &org_id, &ws_id, &user_id).await?;
    Ok(Json(body))
}
