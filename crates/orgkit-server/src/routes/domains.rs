//! `/v1/organizations/{org_id}/domains`: an organization's verified email domains (all need
//! `org:domains:manage`), and `/v1/me/suggestions`, the organizations my verified address's
//! domain suggests.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{AppJson, AppPath};
use crate::service::domains;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use orgkit_core::wire::{
    AttemptAffiliationRequest, CreateDomainRequest, DomainSuggestion, ErrorBody, List,
    OrganizationDomain, PrepareAffiliationRequest, SuggestionAccepted, UpdateDomainRequest,
};
use orgkit_core::{DomainId, OrganizationId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get, update, delete))
        .routes(routes!(prepare_affiliation))
        .routes(routes!(attempt_affiliation))
        .routes(routes!(verify_ownership))
        .routes(routes!(suggestions))
        .routes(routes!(accept_suggestion))
}

/// Adds an email domain, unverified. Unicode names are stored in their ASCII (IDNA) form.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/domains", tag = "domains",
    params(("org_id" = OrganizationId, Path)), request_body = CreateDomainRequest,
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = OrganizationDomain),
        (status = 400, body = ErrorBody, description = "domain_invalid: not a domain name, an IP address, or too long"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage domains; domain_not_allowed: a consumer or disposable email provider"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "domain_limit_reached: 10 domains already; domain_taken: the organization has it already; domain_not_verified: an automatic mode for a new domain")))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
    AppJson(req): AppJson<CreateDomainRequest>,
) -> ApiResult<(StatusCode, Json<OrganizationDomain>)> {
    let created = domains::create(&state, &me, &org_id, req).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// The organization's domains (at most 10), oldest first.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/domains", tag = "domains",
    params(("org_id" = OrganizationId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = List<OrganizationDomain>),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage domains"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(org_id): AppPath<OrganizationId>,
) -> ApiResult<Json<List<OrganizationDomain>>> {
    Ok(Json(List {
        data: domains::list(&state, &me, &org_id).await?,
    }))
}

/// One domain.
#[utoipa::path(get, path = "/v1/organizations/{org_id}/domains/{id}", tag = "domains",
    params(("org_id" = OrganizationId, Path), ("id" = DomainId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = OrganizationDomain),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage domains"),
        (status = 404, body = ErrorBody, description = "not_found")))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, DomainId)>,
) -> ApiResult<Json<OrganizationDomain>> {
    Ok(Json(domains::get(&state, &me, &org_id, &id).await?))
}

/// Sets the enrollment mode. `automatic_invitation` invites, at once, every user with a
/// verified address at the domain who is neither a member nor invited; `deletePending` revokes
/// the invitations the domain created and withdraws the join requests its suggestions led to.
#[utoipa::path(patch, path = "/v1/organizations/{org_id}/domains/{id}", tag = "domains",
    params(("org_id" = OrganizationId, Path), ("id" = DomainId, Path)),
    request_body = UpdateDomainRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = OrganizationDomain),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage domains"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "domain_not_verified: the automatic modes need a verified domain; sso_domain_conflict: an SSO connection serves the domain, which enrolls nobody automatically")))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, DomainId)>,
    AppJson(req): AppJson<UpdateDomainRequest>,
) -> ApiResult<Json<OrganizationDomain>> {
    Ok(Json(domains::update(&state, &me, &org_id, &id, req).await?))
}

/// Deletes a domain; the invitations it created stay. A domain an SSO connection serves
/// must be taken off the connection first.
#[utoipa::path(delete, path = "/v1/organizations/{org_id}/domains/{id}", tag = "domains",
    params(("org_id" = OrganizationId, Path), ("id" = DomainId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage domains"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "sso_domain_conflict: an SSO connection serves the domain")))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, DomainId)>,
) -> ApiResult<StatusCode> {
    domains::delete(&state, &me, &org_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Starts affiliation verification: mails a 6-digit code (valid 10 minutes) to an address at
/// the domain. My own verified address verifies the domain at once, with no code.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/domains/{id}/prepare-affiliation", tag = "domains",
    params(("org_id" = OrganizationId, Path), ("id" = DomainId, Path)),
    request_body = PrepareAffiliationRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = OrganizationDomain),
        (status = 400, body = ErrorBody, description = "validation_failed: not an email address"),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage domains"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "domain_taken: verified by another organization; email_not_at_domain: the address is not at the domain"),
        (status = 429, body = ErrorBody, description = "rate_limited: too many emails to this address")))]
pub async fn prepare_affiliation(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, DomainId)>,
    AppJson(req): AppJson<PrepareAffiliationRequest>,
) -> ApiResult<Json<OrganizationDomain>> {
    Ok(Json(
        domains::prepare_affiliation(&state, &me, &org_id, &id, req).await?,
    ))
}

/// Verifies affiliation with the mailed code; five wrong codes need a new one.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/domains/{id}/attempt-affiliation", tag = "domains",
    params(("org_id" = OrganizationId, Path), ("id" = DomainId, Path)),
    request_body = AttemptAffiliationRequest, security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = OrganizationDomain),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage domains"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "verification_code_expired: expired or never sent; verification_attempts_exceeded; domain_taken: verified by another organization"),
        (status = 422, body = ErrorBody, description = "verification_code_invalid: the wrong code")))]
pub async fn attempt_affiliation(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, DomainId)>,
    AppJson(req): AppJson<AttemptAffiliationRequest>,
) -> ApiResult<Json<OrganizationDomain>> {
    Ok(Json(
        domains::attempt_affiliation(&state, &me, &org_id, &id, req).await?,
    ))
}

/// Verifies ownership: looks up the TXT record `_orgkit-challenge.<domain>` for the domain's
/// `ownershipRecordValue`.
#[utoipa::path(post, path = "/v1/organizations/{org_id}/domains/{id}/verify-ownership", tag = "domains",
    params(("org_id" = OrganizationId, Path), ("id" = DomainId, Path)),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = OrganizationDomain),
        (status = 403, body = ErrorBody, description = "forbidden: my role may not manage domains"),
        (status = 404, body = ErrorBody, description = "not_found"),
        (status = 409, body = ErrorBody, description = "ownership_record_not_found; domain_taken: verified by another organization")))]
pub async fn verify_ownership(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath((org_id, id)): AppPath<(OrganizationId, DomainId)>,
) -> ApiResult<Json<OrganizationDomain>> {
    Ok(Json(
        domains::verify_ownership(&state, &me, &org_id, &id).await?,
    ))
}

/// Organizations I could ask to join: a verified domain at my verified address's domain in
/// `automatic_suggestion` mode, where I am not a member and have not asked yet.
#[utoipa::path(get, path = "/v1/me/suggestions", tag = "domains", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = List<DomainSuggestion>)))]
pub async fn suggestions(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<List<DomainSuggestion>>> {
    Ok(Json(List {
        data: domains::suggestions(&state, &me).await?,
    }))
}

/// Acts on a suggestion: asks to join the organization (a join request for its admins).
#[utoipa::path(post, path = "/v1/me/suggestions/{id}/accept", tag = "domains",
    params(("id" = DomainId, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 201, body = SuggestionAccepted),
        (status = 404, body = ErrorBody, description = "not_found: no such suggestion for me"),
        (status = 409, body = ErrorBody, description = "already_requested or already_member")))]
pub async fn accept_suggestion(
    State(state): State<AppState>,
    me: CurrentUser,
    AppPath(domain_id): AppPath<DomainId>,
) -> ApiResult<(StatusCode, Json<SuggestionAccepted>)> {
    let accepted = domains::accept_suggestion(&state, &me, &domain_id).await?;
    Ok((StatusCode::CREATED, Json(accepted)))
}
