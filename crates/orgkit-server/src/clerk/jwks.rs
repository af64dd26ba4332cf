//! `/v1/jwks`: the public keys that verify orgkit's session tokens, as `@clerk/backend`'s
//! `jwks.getJwks()` asks for them (with the secret key). The same set as
//! `/v1/.well-known/jwks.json`.

use super::errors::ClerkResult;
use super::{wire, Key};
use crate::error::ApiError;
use crate::session_tokens;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/jwks", get(jwks))
}

/// `GET /v1/jwks`: `{keys: [...]}`, the active key and any retired key whose tokens may
/// still be live.
async fn jwks(State(state): State<AppState>, Key(_key): Key) -> ClerkResult<Response> {
    let keys = session_tokens::jwks(&state).await?;
    let body = serde_json::to_value(keys).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(wire::ok(&body))
}
