//! The provider's answer to a sign-in: the state (single use, 10 minutes), the code exchange
//! and the ID token (signature, issuer, audience, nonce and expiry by `openidconnect`; the
//! mapped claims by the rule book). The records follow in `sign_in_records`.

use super::oidc::{self, ConnectionRow, CONNECTION_COLUMNS};
use super::sign_in_records::{record, Identity};
use crate::auth::ClientInfo;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::{hash, now};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use openidconnect::{AuthorizationCode, ClaimsVerificationError, SignatureVerificationError};
use orgkit_core::sso::sign_in::{check_claims, check_state, Claims};
use orgkit_core::{ErrorCode, Timestamp};
use serde::Deserialize;

/// The callback's query: the provider's `code` and `state`, or its `error`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    #[param(max_length = 2048)]
    pub code: Option<String>,
    #[param(max_length = 256)]
    pub state: Option<String>,
    /// The provider's refusal (`access_denied`, …).
    #[param(max_length = 256)]
    pub error: Option<String>,
}

/// A finished sign-in: the session's token and where to go.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub return_to: String,
}

#[derive(sqlx::FromRow)]
struct StateRow {
    connection_id: String,
    return_to: Option<String>,
    expires_at: i64,
}

/// Completes a sign-in through `connection_id` with the provider's answer.
pub async fn callback(
    state: &AppState,
    connection_id: &str,
    query: CallbackQuery,
    browser_binding: Option<&str>,
    client_info: ClientInfo,
) -> ApiResult<SignedIn> {
    let raw_state = query.state.unwrap_or_default();
    // Single use: the row goes as it is read, whatever follows.
    let found: Option<StateRow> = sqlx::query_as(
        "DELETE FROM sso_states WHERE state_hash = $1 \
         RETURNING connection_id, return_to, expires_at",
    )
    .bind(hash(&raw_state))
    .fetch_optional(&state.db.pool)
    .await?;
    // The state must be for this connection, and come back to the browser that started it.
    let same_browser = browser_binding == Some(oidc::browser_binding(&raw_state).as_str());
    let found = found.filter(|f| f.connection_id == connection_id && same_browser);
    check_state(found.as_ref().map(|f| Timestamp(f.expires_at)), now())?;
    let return_to = found
        .and_then(|f| f.return_to)
        .unwrap_or_else(|| "/".to_owned());
    if let Some(error) = query.error {
        tracing::info!(error = %error, "SSO provider refused the sign-in");
        return Err(ApiError::new(
            ErrorCode::SsoProviderError,
            "The identity provider did not sign you in.",
        ));
    }
    let code = query.code.filter(|c| !c.is_empty()).ok_or_else(|| {
        ApiError::new(
            ErrorCode::SsoProviderError,
            "The identity provider gave no code.",
        )
    })?;
    let connection = load_active(state, connection_id).await?;
    let identity = exchange(state, &connection, &raw_state, code).await?;
    let token = record(state, &connection, &identity, client_info).await?;
    Ok(SignedIn { token, return_to })
}

async fn load_active(state: &AppState, connection_id: &str) -> ApiResult<ConnectionRow> {
    let sql = format!("SELECT {CONNECTION_COLUMNS} FROM sso_connections c WHERE c.id = $1");
    let connection: ConnectionRow = sqlx::query_as(&sql)
        .bind(connection_id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| {
            ApiError::new(ErrorCode::SsoConnectionNotFound, "No such SSO connection.")
        })?;
    if connection.state != "active" {
        return Err(ApiError::new(
            ErrorCode::SsoConnectionInactive,
            "This SSO connection is not active.",
        ));
    }
    Ok(connection)
}

fn token_invalid(e: impl std::fmt::Display) -> ApiError {
    tracing::warn!(error = %e, "SSO ID token refused");
    ApiError::new(
        ErrorCode::SsoTokenInvalid,
        "The identity provider's ID token is not valid.",
    )
}

/// Exchanges the code (with the PKCE verifier derived from the state), verifies the ID token
/// and checks its mapped claims.
async fn exchange(
    state: &AppState,
    connection: &ConnectionRow,
    raw_state: &str,
    code: String,
) -> ApiResult<Identity> {
    let metadata = state.sso.metadata(&connection.issuer).await?;
    let client = oidc::client_from(state, connection, &metadata)?;
    let mut request = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| oidc::exchange_failed(&e))?;
    if connection.pkce != 0 {
        request = request.set_pkce_verifier(oidc::pkce_verifier(raw_state));
    }
    let tokens = request
        .request_async(&state.sso.http)
        .await
        .map_err(|e| oidc::exchange_failed(&e))?;
    let id_token = tokens
        .extra_fields()
        .id_token()
        .ok_or_else(|| token_invalid("no id_token"))?;
    let nonce = oidc::nonce(raw_state);
    let verified = match id_token.claims(&client.id_token_verifier(), &nonce) {
        // A key the cached set does not hold: the provider may have rotated; ask once more.
        Err(ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        )) => {
            let metadata = state
                .sso
                .refresh_keys(&connection.issuer, &metadata)
                .await?;
            let client = oidc::client_from(state, connection, &metadata)?;
            let verified = id_token
                .claims(&client.id_token_verifier(), &nonce)
                .cloned();
            verified
        }
        verified => verified.cloned(),
    }
    .map_err(token_invalid)?;
    let issuer = verified.issuer().to_string();
    let subject = verified.subject().to_string();
    // The signature is verified: the payload's other claims may be read by the mapping's names.
    let payload = payload(&id_token.to_string()).map_err(token_invalid)?;
    let text = |name: &str| payload.get(name).and_then(|v| v.as_str());
    let email_verified = payload
        .get(&connection.claim_email_verified)
        .and_then(|v| v.as_bool().or_else(|| v.as_str().map(|s| s == "true")));
    let domains = oidc::connection_domains(&state.db.pool, &connection.id).await?;
    let claims = Claims {
        email: text(&connection.claim_email),
        email_verified,
    };
    let email = check_claims(claims, &domains)?;
    let name = text(&connection.claim_name)
        .map(str::trim)
        .filter(|n| orgkit_core::validate::person_name(n).is_ok())
        .map(str::to_owned);
    Ok(Identity {
        issuer,
        subject,
        email,
        name,
    })
}

/// The JSON payload of a compact JWT.
fn payload(jwt: &str) -> anyhow::Result<serde_json::Map<String, serde_json::Value>> {
    let part = jwt
        .split('.')
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("not a JWT"))?;
    Ok(serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part)?)?)
}
