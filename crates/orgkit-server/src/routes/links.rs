//! Invite links: per organization (create, list, reset, revoke), and previewing and accepting
//! one by its token.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery, ClientIp};
use crate::routes::memberships::PageQuery;
use crate::service::links;
use crate::state::AppState;
use crate::token::now;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orgkit_core::link::LinkOptions;
use orgkit_core::wire::{
    CreateInviteLinkRequest, ErrorBody, InviteLink, InviteLinkAcceptance, InviteLinkPreview, Page,
    TokenRequest,
};
use orgkit_core::{InviteLinkId, OrganizationId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(reset))
        .routes(routes!(revoke))
        .routes(routes!(preview))
        .routes(routes!(accept))
}

/// Creates an invite link; the answer holds its token and URL, the only time they are shown.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/invite-links", tag = "invite-links",
    params(("org_id" = OrganizationId, Path)), request_body = CreateInviteLinkRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = InviteLink, description = "The link, with its token and URL (shown once)"),
        (status = 400, body = ErrorBody, description = "validation_failed: maxUses out of 1 to 10000"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage links, or not grant this role"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "invite_link_expired: the expiry is not in the future"),
        (status = 422, body = ErrorBody, description = "unknown_role")))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<CreateInviteLinkRequest>,
) -> ApiResult<(StatusCode, Json<InviteLink>)> {
    let options = LinkOptions {
        expires_at: req.expires_at,
        max_uses: req.max_uses,
        requires_approval: req.requires_approval.unwrap_or(false),
    };
    let role = req.role.as_ref().map(orgkit_core::Role::as_str);
    let link = links::create(&state, &me, &org_id, role, options).await?;
    Ok((StatusCode::CREATED, Json(link)))
}

/// One page of an organization's invite links, oldest first, with their status and uses.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/invite-links", tag = "invite-links",
    params(("org_id" = OrganizationId, Path), PageQuery,
        ("after" = Option<String>, Query, pattern = "^(lnk_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<InviteLink>), (status = 400, body = ErrorBody, description = "validation_failed: limit or cursor out of bounds"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage links"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<Page<InviteLink>>> {
    Ok(Json(
        links::list(&state, &me, &org_id, q.limit, q.after.as_deref()).await?,
    ))
}

/// Replaces a link by a new one with the same options, in one step: the old token stops
/// working and the new one is answered, once.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/invite-links/{id}/reset", tag = "invite-links",
    params(("org_id" = OrganizationId, Path), ("id" = InviteLinkId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = InviteLink, description = "The new link, with its token and URL (shown once)"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage links"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "invite_link_revoked")))]
pub async fn reset(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, InviteLinkId)>,
) -> ApiResult<(StatusCode, Json<InviteLink>)> {
    let link = links::reset(&state, &me, &org_id, &id).await?;
    Ok((StatusCode::CREATED, Json(link)))
}

/// Revokes a link: its token stops working at once.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/invite-links/{id}/revoke", tag = "invite-links",
    params(("org_id" = OrganizationId, Path), ("id" = InviteLinkId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = InviteLink),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage links"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "invite_link_revoked: already revoked")))]
pub async fn revoke(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, InviteLinkId)>,
) -> ApiResult<Json<InviteLink>> {
    Ok(Json(links::revoke(&state, &me, &org_id, &id).await?))
}

/// What an invite link leads to, before signing in: the organization's name and slug, the
/// role and the link's status. Counted per client address against the invite limit.
#[utoipa::path(post, path = "/v1/invite-links/preview", tag = "invite-links", request_body = TokenRequest,
    responses((status = 200, body = InviteLinkPreview), (status = 404, body = ErrorBody, description = "not_found"),
        (status = 429, body = ErrorBody, description = "rate_limited")))]
pub async fn preview(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppJson(req): AppJson<TokenRequest>,
) -> ApiResult<Json<InviteLinkPreview>> {
    state
        .limiter
        .check(
            &[format!("link-preview:ip:{ip}")],
            1,
            state.config.invite_limit_per_minute,
            now().millis(),
        )
        .await?;
    Ok(Json(links::preview(&state, &req.token).await?))
}

/// Accepts an invite link (a verified address is needed): joins with the link's role
/// (`membership`), or, when the link requires approval, files a join request
/// (`joinRequest`). Either counts one use.
#[utoipa::path(post, path = "/v1/invite-links/accept", tag = "invite-links", request_body = TokenRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = InviteLinkAcceptance),
        (status = 403, body = ErrorBody, description = "email_not_verified"), (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "invite_link_revoked, invite_link_expired, invite_link_exhausted, already_member or already_requested")))]
pub async fn accept(
    State(state): State<AppState>,
    me: CurrentUser,
    AppJson(req): AppJson<TokenRequest>,
) -> ApiResult<Json<InviteLinkAcceptance>> {
    Ok(Json(links::accept(&state, &me, &req.token).await?))
}
