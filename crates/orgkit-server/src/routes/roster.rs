//! The roster, bulk removal, and the invitee declining or dismissing an invitation.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath, AppQuery};
use crate::service::invitations::{self, AcceptBy, Answer};
use crate::service::roster;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use orgkit_core::roster::{parse_statuses, roster_query};
use orgkit_core::wire::{
    BulkRemoveRequest, BulkRemoveResponse, ErrorBody, Invitation, Page, RosterEntry, TokenRequest,
};
use orgkit_core::{InvitationId, OrganizationId};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(bulk_remove))
        .routes(routes!(decline))
        .routes(routes!(decline_mine))
        .routes(routes!(dismiss_mine))
}

/// The roster's filters and page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RosterQuery {
    /// Comma-separated statuses to show (`joined`, `invited`, `requested`); none: every status
    /// my role may see.
    #[param(pattern = "^((joined|invited|requested)(,(joined|invited|requested))*)?$")]
    pub status: Option<String>,
    /// A prefix of the name or email address, matched case-insensitively.
    #[param(max_length = 254, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")]
    pub q: Option<String>,
    /// The page size: 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The previous page's `nextCursor`.
    #[param(pattern = "^((mem|inv|jrq)_[A-Za-z0-9]{1,64}\\.([0-9a-f]{2}){1,254})?$")]
    pub after: Option<String>,
}

/// One page of the organization's people (members, pending invitations, pending requests to
/// join), ordered by email address, then id.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/roster", tag = "memberships",
    params(("org_id" = OrganizationId, Path), RosterQuery),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<RosterEntry>),
        (status = 400, body = ErrorBody, description = "validation_failed: status, search text, limit or cursor out of bounds"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not see a status asked for"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(q): AppQuery<RosterQuery>,
) -> ApiResult<Json<Page<RosterEntry>>> {
    let statuses = parse_statuses(q.status.as_deref().unwrap_or(""))?;
    let query = roster_query(q.q.as_deref().unwrap_or(""))?.map(|q| q.to_lowercase());
    Ok(Json(
        roster::roster(
            &state,
            &me,
            &org_id,
            &statuses,
            query.as_deref(),
            q.limit,
            q.after.as_deref(),
        )
        .await?,
    ))
}

/// Removes 1 to 100 members at once (my own id too: I leave), in one transaction; answers one
/// result per member, in the order given.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/memberships/bulk-remove", tag = "memberships",
    params(("org_id" = OrganizationId, Path)), request_body = BulkRemoveRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = BulkRemoveResponse, description = "One result per member: removed, or why not (not_found, last_admin)"),
        (status = 400, body = ErrorBody, description = "validation_failed: no ids, more than 100, or one named twice"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not remove members"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn bulk_remove(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<BulkRemoveRequest>,
) -> ApiResult<Json<BulkRemoveResponse>> {
    let data = roster::bulk_remove(&state, &me, &org_id, &req.member_ids).await?;
    Ok(Json(BulkRemoveResponse { data }))
}

/// Declines an invitation with the emailed token (signed in as the invited address).
#[utoipa::path(post, path = "/v1/invitations/decline", tag = "invitations", request_body = TokenRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Invitation),
        (status = 403, body = ErrorBody, description = "wrong_recipient"), (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "invitation_not_pending or invitation_expired")))]
pub async fn decline(
    State(state): State<AppState>,
    me: CurrentUser,
    AppJson(req): AppJson<TokenRequest>,
) -> ApiResult<Json<Invitation>> {
    Ok(Json(
        invitations::answer(&state, &me, AcceptBy::Token(&req.token), Answer::Decline).await?,
    ))
}

/// Declines one of my pending invitations by id (needs a verified address).
#[utoipa::path(post, path = "/v1/me/invitations/{id}/decline", tag = "invitations", params(("id" = InvitationId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Invitation),
        (status = 403, body = ErrorBody, description = "email_not_verified or wrong_recipient"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "invitation_not_pending or invitation_expired")))]
pub async fn decline_mine(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(id): AppPath<InvitationId>,
) -> ApiResult<Json<Invitation>> {
    Ok(Json(
        invitations::answer(&state, &me, AcceptBy::Id(&id), Answer::Decline).await?,
    ))
}

/// Dismisses one of my expired invitations: it leaves my list (needs a verified address).
#[utoipa::path(post, path = "/v1/me/invitations/{id}/dismiss", tag = "invitations", params(("id" = InvitationId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Invitation),
        (status = 403, body = ErrorBody, description = "email_not_verified or wrong_recipient"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "invitation_not_pending: only an expired invitation can be dismissed")))]
pub async fn dismiss_mine(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(id): AppPath<InvitationId>,
) -> ApiResult<Json<Invitation>> {
    Ok(Json(
        invitations::answer(&state, &me, AcceptBy::Id(&id), Answer::Dismiss).await?,
    ))
}
