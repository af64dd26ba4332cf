//! Governance routes: metadata of an organization and of its members, the logo, the billing
//! profile (the member limit is a field of `PATCH /v1/organizations/{org_id}`).

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, AppPath};
use crate::service::governance::metadata::{MetadataBody, UpdateMetadataRequest};
use crate::service::governance::{billing, logo, metadata};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use orgkit_core::logo::MAX_LOGO_BYTES;
use orgkit_core::wire::{BillingProfile, ErrorBody, Organization};
use orgkit_core::{ErrorCode, OrganizationId, UserId};
use serde_json::value::RawValue;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read_org_metadata, update_org_metadata))
        .routes(routes!(read_member_metadata, update_member_metadata))
        .routes(routes!(read_billing, replace_billing))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(read_logo, set_logo, delete_logo))
                // Past 1 MB the rule book answers `logo_too_large`; past twice that, the body
                // is not even read.
                .layer(DefaultBodyLimit::max(2 * MAX_LOGO_BYTES)),
        )
}

/// `me` in a member path stands for the signed-in user.
fn resolve_me(me: &CurrentUser, user_id: String) -> UserId {
    if user_id == "me" {
        me.id().clone()
    } else {
        UserId(user_id)
    }
}

/// An organization's metadata: `publicMetadata` for every member, `privateMetadata` only for
/// holders of `org:profile:manage`.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/metadata", tag = "governance", params(("org_id" = OrganizationId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = MetadataBody), (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn read_org_metadata(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
) -> ApiResult<Json<MetadataBody>> {
    Ok(Json(
        metadata::read_organization(&state, &me, &org_id).await?,
    ))
}

/// Merges into an organization's metadata (`org:profile:manage`): objects merge key by key and
/// a key set to `null` is removed. Each field stays at most 8 KiB of JSON.
#[utoipa::path(patch, path = "/v1/organizations/{org_id}/metadata", tag = "governance", params(("org_id" = OrganizationId, Path)),
    request_body = UpdateMetadataRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = MetadataBody), (status = 400, body = ErrorBody, description = "validation_failed: a field is not an object"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage the profile"),
        (status = 404, body = ErrorBody, description = "not_found"), (status = 409, body = ErrorBody, description = "metadata_too_large")))]
pub async fn update_org_metadata(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<UpdateMetadataRequest>,
) -> ApiResult<Json<MetadataBody>> {
    Ok(Json(
        metadata::update_organization(&state, &me, &org_id, req).await?,
    ))
}

/// A member's metadata: `publicMetadata` for holders of `org:memberships:read` (and the member),
/// `privateMetadata` only for holders of `org:memberships:manage`.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/memberships/{user_id}/metadata", tag = "governance",
    params(("org_id" = OrganizationId, Path),
        ("user_id" = String, Path, pattern = "^(me|user_[A-Za-z0-9]{1,64})$", description = "A member's user id, or `me`")),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = MetadataBody), (status = 403, body = ErrorBody, description = "forbidden: my role may not read members"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn read_member_metadata(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, user_id)): AppPath<(OrganizationId, String)>,
) -> ApiResult<Json<MetadataBody>> {
    let user_id = resolve_me(&me, user_id);
    Ok(Json(
        metadata::read_membership(&state, &me, &org_id, &user_id).await?,
    ))
}

/// Merges into a member's metadata (`org:memberships:manage`), as for an organization's.
#[utoipa::path(patch, path = "/v1/organizations/{org_id}/memberships/{user_id}/metadata", tag = "governance",
    params(("org_id" = OrganizationId, Path),
        ("user_id" = String, Path, pattern = "^(me|user_[A-Za-z0-9]{1,64})$", description = "A member's user id, or `me`")),
    request_body = UpdateMetadataRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = MetadataBody), (status = 400, body = ErrorBody, description = "validation_failed: a field is not an object"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage members"),
        (status = 404, body = ErrorBody, description = "not_found"), (status = 409, body = ErrorBody, description = "metadata_too_large")))]
pub async fn update_member_metadata(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, user_id)): AppPath<(OrganizationId, String)>,
    AppJson(req): AppJson<UpdateMetadataRequest>,
) -> ApiResult<Json<MetadataBody>> {
    let user_id = resolve_me(&me, user_id);
    Ok(Json(
        metadata::update_membership(&state, &me, &org_id, &user_id, req).await?,
    ))
}

/// The organization's logo, for members, with an `ETag`; `If-None-Match` answers 304.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/logo", tag = "governance", params(("org_id" = OrganizationId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The logo", content(("image/png"), ("image/jpeg"), ("image/webp")),
            headers(("ETag" = String, description = "The logo's SHA-256, quoted"), ("Cache-Control" = String))),
        (status = 304, description = "Not modified since the given ETag"),
        (status = 404, body = ErrorBody, description = "not_found: no such organization, or no logo")))]
pub async fn read_logo(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let logo = logo::get(&state, &me, &org_id).await?;
    let cache = [
        (header::ETAG, logo.etag.clone()),
        // Members only, and revalidated every time: a new logo shows at once at the same URL.
        (header::CACHE_CONTROL, "private, no-cache".to_owned()),
    ];
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim() == logo.etag || tag.trim() == "*")
        });
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((
        cache,
        [(header::CONTENT_TYPE, logo.content_type)],
        logo.bytes,
    )
        .into_response())
}

/// Sets the organization's logo (`org:profile:manage`): a PNG, JPEG or WebP image of at most
/// 1 MB as the raw body, its format judged by its content. Answers the organization (as
/// `GET /v1/organizations/{org_id}` does), whose `imageUrl` names the new logo.
#[utoipa::path(put, path = "/v1/organizations/{org_id}/logo", tag = "governance", params(("org_id" = OrganizationId, Path)),
    request_body(content(("image/png"), ("image/jpeg"), ("image/webp"), ("application/octet-stream"))),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Organization, description = "The organization, its `imageUrl` naming the new logo",
            headers(("ETag" = String, description = "The new logo's SHA-256, quoted"))),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage the profile"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 413, body = ErrorBody, description = "logo_too_large: more than 1 MB"),
        (status = 409, body = ErrorBody, description = "logo_unsupported: not a PNG, JPEG or WebP image")))]
pub async fn set_logo(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            // The rest of the body stays unread and the connection is closed after the
            // answer: say so, so that no client sends its next request on it.
            let mut refused =
                ApiError::new(ErrorCode::LogoTooLarge, "A logo must be at most 1 MB.")
                    .into_response();
            refused.headers_mut().insert(
                header::CONNECTION,
                axum::http::HeaderValue::from_static("close"),
            );
            return Ok(refused);
        }
        Err(rejection) => return Err(ApiError::validation(rejection.body_text())),
    };
    let etag = logo::set(&state, &me, &org_id, &body).await?;
    let organization = crate::service::organizations::get(&state, &me, &org_id).await?;
    Ok(([(header::ETAG, etag)], Json(organization)).into_response())
}

/// Deletes the organization's logo (`org:profile:manage`).
#[utoipa::path(delete, path = "/v1/organizations/{org_id}/logo", tag = "governance", params(("org_id" = OrganizationId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorBody, description = "forbidden: my role may not manage the profile"),
        (status = 404, body = ErrorBody, description = "not_found: no such organization, or no logo")))]
pub async fn delete_logo(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
) -> ApiResult<StatusCode> {
    logo::delete(&state, &me, &org_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The billing profile (`org:billing:read`); empty fields until it is first written.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/billing", tag = "governance", params(("org_id" = OrganizationId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = BillingProfile), (status = 403, body = ErrorBody, description = "forbidden: no org:billing:read"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn read_billing(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
) -> ApiResult<Json<BillingProfile>> {
    Ok(Json(billing::get(&state, &me, &org_id).await?))
}

/// Replaces the billing profile (`org:billing:manage`). The payment method is a provider's
/// reference and display fields: a card number anywhere in the body is refused.
#[utoipa::path(put, path = "/v1/organizations/{org_id}/billing", tag = "governance", params(("org_id" = OrganizationId, Path)),
    request_body = BillingProfile, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = BillingProfile), (status = 400, body = ErrorBody, description = "validation_failed: the body does not fit"),
        (status = 403, body = ErrorBody, description = "forbidden: no org:billing:manage"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "billing_profile_invalid (the message names the field), or card_data_refused")))]
pub async fn replace_billing(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(raw): AppJson<Box<RawValue>>,
) -> ApiResult<Json<BillingProfile>> {
    Ok(Json(
        billing::replace(&state, &me, &org_id, raw.get()).await?,
    ))
}
