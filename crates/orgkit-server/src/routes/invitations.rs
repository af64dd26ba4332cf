//! Invitations: per organization, mine, and accepting.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppPath, AppQuery, ClientIp};
use crate::routes::memberships::PageQuery;
use crate::service::invitations::{self, AcceptBy};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use orgkit_core::wire::{
    BulkInviteResponse, EmailList, ErrorBody, Invitation, InvitationPreview, InviteRequest, List,
    Membership, Page, TokenRequest,
};
use orgkit_core::{InvitationId, InvitationStatus, OrganizationId};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(invite, list))
        .routes(routes!(revoke))
        .routes(routes!(resend))
        .routes(routes!(accept))
        .routes(routes!(preview))
        .routes(routes!(mine))
        .routes(routes!(accept_mine))
}

/// Invites one address (`emailAddress`: answers the Invitation) or many (`emailAddresses`, a
/// list or one comma-separated string: answers one result per address).
#[utoipa::path(post, path = "/v1/organizations/{org_id}/invitations", tag = "invitations",
    params(("org_id" = OrganizationId, Path)), request_body = InviteRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = Invitation, description = "One address invited"),
        (status = 200, body = BulkInviteResponse, description = "Several addresses: one result each"),
        (status = 400, body = ErrorBody, description = "validation_failed: a bad address, none, or more than 50, or an unknown delivery"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not invite"), (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "already_member, already_invited, or no_webhook_endpoint (delivery webhook and no endpoint receives it)"),
        (status = 422, body = ErrorBody, description = "unknown_role"), (status = 429, body = ErrorBody, description = "rate_limited")))]
pub async fn invite(
    State(state): State<AppState>,
    me: CurrentUser,
    ClientIp(ip): ClientIp,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<InviteRequest>,
) -> ApiResult<Response> {
    let role = req.role.as_ref().map(orgkit_core::Role::as_str);
    let delivery = req.delivery.unwrap_or_default();
    match (req.email_address, req.email_addresses) {
        (Some(address), None) => {
            let mut results =
                invitations::invite(&state, &me, &org_id, &[address], role, delivery, &ip).await?;
            let invitation = results
                .pop()
                .unwrap_or_else(|| Err(ApiError::Internal(anyhow::anyhow!("no result"))))?;
            Ok((StatusCode::CREATED, Json(invitation)).into_response())
        }
        (None, Some(list)) => {
            // A list is answered entry by entry, in its order (a blank entry fails on its
            // own, as a bad address); a joined string is split into its entries.
            let addresses = match list {
                EmailList::List(list) => list.iter().map(|a| a.trim().to_owned()).collect(),
                joined => joined.entries(),
            };
            let results =
                invitations::invite(&state, &me, &org_id, &addresses, role, delivery, &ip).await?;
            Ok(Json(BulkInviteResponse {
                data: invitations::bulk_results(&addresses, results),
            })
            .into_response())
        }
        _ => Err(ApiError::validation(
            "Give either emailAddress or emailAddresses.",
        )),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// `pending` (default), `accepted`, `revoked`, `expired` or `declined`.
    #[param(value_type = Option<InvitationStatus>)]
    pub status: Option<String>,
}

/// One page of an organization's invitations.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/invitations", tag = "invitations",
    params(("org_id" = OrganizationId, Path), StatusQuery, PageQuery,
        ("after" = Option<String>, Query, pattern = "^(inv_[A-Za-z0-9]{1,64})?$", description = "The previous page's `nextCursor`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Page<Invitation>), (status = 400, body = ErrorBody, description = "validation_failed: status, limit or cursor out of bounds"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage invitations"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppQuery(s): AppQuery<StatusQuery>,
    AppQuery(q): AppQuery<PageQuery>,
) -> ApiResult<Json<Page<Invitation>>> {
    let status = match s.status.as_deref() {
        None => InvitationStatus::Pending,
        Some(raw) => InvitationStatus::parse(raw)
            .ok_or_else(|| ApiError::validation("Unknown invitation status."))?,
    };
    Ok(Json(
        invitations::list(&state, &me, &org_id, status, q.limit, q.after.as_deref()).await?,
    ))
}

/// Revokes a pending invitation.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/invitations/{id}/revoke", tag = "invitations",
    params(("org_id" = OrganizationId, Path), ("id" = InvitationId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Invitation), (status = 403, body = ErrorBody, description = "forbidden: my role may not manage invitations"),
        (status = 404, body = ErrorBody, description = "not_found"), (status = 409, body = ErrorBody, description = "invitation_not_pending")))]
pub async fn revoke(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, InvitationId)>,
) -> ApiResult<Json<Invitation>> {
    Ok(Json(invitations::revoke(&state, &me, &org_id, &id).await?))
}

/// Sends an invitation again, with a new token and a new expiry.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/invitations/{id}/resend", tag = "invitations",
    params(("org_id" = OrganizationId, Path), ("id" = InvitationId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Invitation), (status = 403, body = ErrorBody, description = "forbidden: my role may not manage invitations"),
        (status = 404, body = ErrorBody, description = "not_found"), (status = 409, body = ErrorBody, description = "invitation_not_pending"),
        (status = 429, body = ErrorBody, description = "rate_limited")))]
pub async fn resend(
    State(state): State<AppState>,
    me: CurrentUser,
    ClientIp(ip): ClientIp,
    AppPath((org_id, id)): AppPath<(OrganizationId, InvitationId)>,
) -> ApiResult<Json<Invitation>> {
    Ok(Json(
        invitations::resend(&state, &me, &org_id, &id, &ip).await?,
    ))
}

/// Accepts an invitation with the emailed token; this also verifies the address.
#[utoipa::path(post, path = "/v1/invitations/accept", tag = "invitations", request_body = TokenRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Membership),
        (status = 403, body = ErrorBody, description = "wrong_recipient"), (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "invitation_not_pending, invitation_expired or already_member")))]
pub async fn accept(
    State(state): State<AppState>,
    me: CurrentUser,
    AppJson(req): AppJson<TokenRequest>,
) -> ApiResult<Json<Membership>> {
    Ok(Json(
        invitations::accept(&state, &me, AcceptBy::Token(&req.token)).await?,
    ))
}

/// What an invitation token is for, before signing in.
#[utoipa::path(post, path = "/v1/invitations/preview", tag = "invitations", request_body = TokenRequest,
    responses((status = 200, body = InvitationPreview), (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn preview(
    State(state): State<AppState>,
    AppJson(req): AppJson<TokenRequest>,
) -> ApiResult<Json<InvitationPreview>> {
    Ok(Json(invitations::preview(&state, &req.token).await?))
}

/// The pending invitations addressed to my verified address.
#[utoipa::path(get, path = "/v1/me/invitations", tag = "invitations", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = List<Invitation>), (status = 403, body = ErrorBody, description = "email_not_verified")))]
pub async fn mine(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<List<Invitation>>> {
    Ok(Json(List {
        data: invitations::mine(&state, &me).await?,
    }))
}

/// Accepts one of my invitations by id (needs a verified address).
#[utoipa::path(post, path = "/v1/me/invitations/{id}/accept", tag = "invitations", params(("id" = InvitationId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Membership), (status = 403, body = ErrorBody, description = "email_not_verified or wrong_recipient"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "invitation_not_pending, invitation_expired or already_member")))]
pub async fn accept_mine(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(id): AppPath<InvitationId>,
) -> ApiResult<Json<Membership>> {
    Ok(Json(
        invitations::accept(&state, &me, AcceptBy::Id(&id)).await?,
    ))
}
