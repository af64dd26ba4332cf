//! Talking to a connection's identity provider with `openidconnect`: the client built from
//! the (cached) discovery, and the secrets derived from a sign-in's state so that only the
//! state's hash is stored. Every request goes through `state.sso.http` (see `egress`).

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use openidconnect::core::{CoreClient, CoreProviderMetadata};
use openidconnect::{
    ClientId, ClientSecret, EndpointMaybeSet, EndpointNotSet, EndpointSet, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
};
use orgkit_core::ErrorCode;
use sha2::{Digest, Sha256};

/// A client configured from discovery, with the redirect URI set.
pub(super) type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A connection's row, as signing in reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct ConnectionRow {
    pub id: String,
    pub org_id: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret_sealed: String,
    pub scopes: String,
    pub pkce: i64,
    pub claim_email: String,
    pub claim_name: String,
    pub claim_email_verified: String,
    pub state: String,
    pub jit_enabled: i64,
    pub jit_role: Option<String>,
}

/// The select list yielding a [`ConnectionRow`] from `sso_connections c`.
pub(super) const CONNECTION_COLUMNS: &str = "c.id, c.org_id, c.issuer, c.client_id, \
    c.client_secret_sealed, c.scopes, c.pkce, c.claim_email, c.claim_name, \
    c.claim_email_verified, c.state, c.jit_enabled, c.jit_role";

/// The ownership-verified domains a connection serves.
pub(super) async fn connection_domains(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    connection_id: &str,
) -> ApiResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT d.name FROM sso_connection_domains cd JOIN org_domains d ON d.id = cd.domain_id \
         WHERE cd.connection_id = $1 AND d.verified = 1 AND d.ownership_verified_at IS NOT NULL \
         ORDER BY d.name",
    )
    .bind(connection_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The callback URL of a connection, registered at the provider.
pub(super) fn callback_url(state: &AppState, connection_id: &str) -> String {
    format!("{}/v1/sso/callback/{connection_id}", state.public_url)
}

/// The client of `connection` from the issuer's cached (or newly discovered) metadata.
pub(super) async fn client(state: &AppState, connection: &ConnectionRow) -> ApiResult<Client> {
    let metadata = state.sso.metadata(&connection.issuer).await?;
    client_from(state, connection, &metadata)
}

/// The client of `connection` from the given metadata, with its secret opened.
pub(super) fn client_from(
    state: &AppState,
    connection: &ConnectionRow,
    metadata: &CoreProviderMetadata,
) -> ApiResult<Client> {
    let sealer = state.webhooks.sealer.as_ref().ok_or_else(|| {
        ApiError::new(
            ErrorCode::SsoNotConfigured,
            "This server has no --secret-key, so it cannot use SSO connections.",
        )
    })?;
    let secret = sealer.open(&connection.id, &connection.client_secret_sealed)?;
    let redirect = RedirectUrl::new(callback_url(state, &connection.id))
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(CoreClient::from_provider_metadata(
        metadata.clone(),
        ClientId::new(connection.client_id.clone()),
        Some(ClientSecret::new(secret)),
    )
    .set_redirect_uri(redirect))
}

pub(super) fn exchange_failed(e: &(dyn std::error::Error + 'static)) -> ApiError {
    super::providers::provider_error("code exchange", e)
}

/// A value derived from the state: base64url(SHA-256(label, 0, state)), 43 characters. The
/// state is 256 random bits known only to the browser, so these are as unguessable, and the
/// server keeps none of them.
fn derive(state: &str, label: &str) -> String {
    let mut digest = Sha256::new();
    digest.update(label.as_bytes());
    digest.update([0u8]);
    digest.update(state.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.finalize())
}

/// What the browser that started the sign-in keeps in its `orgkit_sso` cookie: the callback
/// must come from that browser (no signing someone in to another person's account by sending
/// them a callback URL).
pub(crate) fn browser_binding(state: &str) -> String {
    derive(state, "orgkit sso browser")
}

/// The nonce the ID token must carry for this state.
pub(super) fn nonce(state: &str) -> Nonce {
    Nonce::new(derive(state, "orgkit sso nonce"))
}

/// The PKCE verifier for this state (43 characters of base64url, as RFC 7636 allows).
pub(super) fn pkce_verifier(state: &str) -> PkceCodeVerifier {
    PkceCodeVerifier::new(derive(state, "orgkit sso pkce"))
}

/// The S256 challenge of [`pkce_verifier`].
pub(super) fn pkce_challenge(state: &str) -> PkceCodeChallenge {
    PkceCodeChallenge::from_code_verifier_sha256(&pkce_verifier(state))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_values_differ_by_label_and_state() {
        let (a, b) = ("state-a", "state-b");
        assert_eq!(nonce(a).secret(), nonce(a).secret());
        assert_ne!(nonce(a).secret(), nonce(b).secret());
        assert_ne!(nonce(a).secret(), pkce_verifier(a).secret());
        assert_eq!(pkce_verifier(a).secret().len(), 43);
    }
}
