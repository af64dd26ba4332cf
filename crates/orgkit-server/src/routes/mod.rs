//! The HTTP surface: one router per resource, merged into [`app`], used by `main` and tests.

pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod dev;
pub mod domains;
pub mod governance;
pub mod groups;
pub mod invitations;
pub mod join_requests;
pub mod links;
pub mod memberships;
pub mod organizations;
pub mod ownership;
pub mod roles;
pub mod roster;
pub mod service_accounts;
pub mod session_tokens;
pub mod sso;
pub mod sso_connections;
pub mod static_files;
pub mod webhooks;
pub mod workspaces;

use crate::error::ApiError;
use crate::state::AppState;
use axum::http::{header, Method};
use axum::routing::any;
use axum::Router;
use orgkit_core::ErrorCode;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use utoipa_axum::router::OpenApiRouter;

/// Every API route, each listed once for both the router and the OpenAPI document.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(crate::openapi::base())
        .merge(auth::router())
        .merge(organizations::router())
        .merge(audit::router())
        .merge(memberships::router())
        .merge(invitations::router())
        .merge(join_requests::router())
        .merge(links::router())
        .merge(roster::router())
        .merge(webhooks::router())
        .merge(domains::router())
        .merge(sso_connections::router())
        .merge(sso::router())
        .merge(session_tokens::router())
        .merge(dev::router())
        .merge(governance::router())
        .merge(ownership::router())
        .merge(roles::router())
        .merge(workspaces::router())
        .merge(groups::router())
        .merge(service_accounts::router())
        .merge(api_keys::router())
}

/// The whole server: the API under `/v1`, the OpenAPI document, the demo and the SDK package.
pub fn app(state: AppState) -> Router {
    let no_route = || async { ApiError::new(ErrorCode::NotFound, "No such route.") };
    let (api, doc) = api().split_for_parts();
    let doc = crate::openapi::complete(&doc, &state.catalog);
    let clerk_prefix = state.config.clerk_prefix.trim_end_matches('/');
    let mut router = Router::new();
    if !clerk_prefix.is_empty() {
        router = router.nest(clerk_prefix, crate::clerk::router());
    }
    router
        .merge(api)
        .route("/v1/openapi.json", crate::openapi::serve(&doc))
        .route("/v1", any(no_route))
        .route("/v1/{*rest}", any(no_route))
        .merge(static_files::router(&state))
        .layer(cors(&state))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
        .with_state(state)
}

/// CORS with an explicit allow-list, credentials allowed.
fn cors(state: &AppState) -> CorsLayer {
    let allowed = state.allowed_origins.clone();
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, _| {
            allowed.iter().any(|o| o == origin)
        }))
        .allow_credentials(true)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PATCH,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        // The SDK reads it for `retryAfter` on `rate_limited` and `unavailable`.
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}
