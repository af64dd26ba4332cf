//! The Clerk-compatible Backend API, mounted at `--clerk-prefix` (default `/clerk`), so that
//! `@clerk/backend`'s `createClerkClient({ secretKey, apiUrl: "<url>/clerk" })` works
//! unchanged. A module of adapters: each handler reads Clerk's request, calls the same
//! `service` functions as `/v1` (same rule book, transactions, audit and webhooks) acting as
//! the instance secret key, and writes Clerk's JSON.

mod errors;
mod invitations;
mod jwks;
mod memberships;
pub mod openapi;
mod organizations;
mod query;
mod users;
mod wire;

use crate::auth::{ClientInfo, CurrentUser};
use crate::extract::ClientIp;
use crate::service::secret_keys;
use crate::state::AppState;
use crate::token::now;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::Router;
use errors::ClerkApiError;
use orgkit_core::clerk::{ClerkCode, ClerkError};
use orgkit_core::wire::User;
use orgkit_core::UserId;

/// The routes under the prefix: `/v1/...` as Clerk's Backend API names them, and the
/// OpenAPI document at `/openapi.json`.
pub fn router() -> Router<AppState> {
    let not_found = || async {
        ClerkApiError::from(ClerkError::new(
            ClerkCode::ResourceNotFound,
            "No such route.",
        ))
    };
    Router::new()
        .merge(organizations::router())
        .merge(memberships::router())
        .merge(invitations::router())
        .merge(users::router())
        .merge(jwks::router())
        .route("/openapi.json", axum::routing::get(openapi::serve))
        .fallback(not_found)
}

/// The instance secret key a request carries, as the actor the services see: its id stands in
/// for a user id (see `service::is_instance_key`). Every use counts against the key's rate
/// limit; a missing, unknown or revoked key is `clerk_key_invalid`.
pub struct Key(pub CurrentUser);

impl FromRequestParts<AppState> for Key {
    type Rejection = ClerkApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(ClerkApiError::key_invalid)?;
        let key = secret_keys::find(&state.db, presented)
            .await?
            .ok_or_else(ClerkApiError::key_invalid)?;
        state
            .limiter
            .check(
                &[format!("clerk:key:{}", key.id)],
                1,
                state.config.clerk_key_limit_per_minute,
                now().millis(),
            )
            .await?;
        let ClientIp(ip) = ClientIp::from_request_parts(parts, state).await?;
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(crate::auth::MAX_USER_AGENT_CHARS).collect());
        let user = User {
            id: UserId(key.id),
            email_address: String::new(),
            name: format!("secret key {}", key.name),
            email_verified: true,
            created_at: key.created_at.into(),
            last_active_organization_id: None,
        };
        Ok(Key(CurrentUser {
            user,
            client: ClientInfo { ip, user_agent },
            key: None,
        }))
    }
}
