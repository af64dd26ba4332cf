//! "Test connection": fetches the issuer's OIDC discovery document with `openidconnect` and
//! reports what it found, always from the provider (the answer refreshes the cache). The HTTP
//! client (`egress`, shared with signing in) refuses redirects (a provider that moved must be
//! given its new issuer), bounds the time and refuses private addresses unless the operator
//! allows them (`sso_provider_error`); nothing is written.

use super::{check_read, load};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::state::AppState;
use openidconnect::IssuerUrl;
use orgkit_core::wire::SsoConnectionTest;
use orgkit_core::{OrganizationId, SsoConnectionId};
use std::error::Error;

/// An error and its causes, on one line.
fn explain(e: &dyn Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

/// Runs discovery for the connection and reports it; a failure is a report too (`ok: false`).
pub async fn test(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &SsoConnectionId,
) -> ApiResult<SsoConnectionTest> {
    check_read(state, me, org_id).await?;
    let row = load(&state.db.pool, org_id, id).await?;
    let mut report = SsoConnectionTest {
        issuer: row.issuer.clone(),
        ..SsoConnectionTest::default()
    };
    let found = match IssuerUrl::new(row.issuer.clone()) {
        Ok(_) => match state.sso.discover(&row.issuer).await {
            Ok(metadata) => Ok(metadata),
            // The server's own address rules are not the provider's failure: an error code.
            Err(e) if super::egress::refused(&e).is_some() => {
                return Err(super::providers::provider_error("discovery", &e))
            }
            Err(e) => Err(explain(&e)),
        },
        Err(e) => Err(explain(&e)),
    };
    let metadata = match found {
        Ok(metadata) => metadata,
        Err(error) => {
            report.error = Some(error);
            return Ok(report);
        }
    };
    report.ok = true;
    report.authorization_endpoint = Some(metadata.authorization_endpoint().to_string());
    report.token_endpoint = metadata.token_endpoint().map(|u| u.to_string());
    report.userinfo_endpoint = metadata.userinfo_endpoint().map(|u| u.to_string());
    report.jwks_uri = Some(metadata.jwks_uri().to_string());
    report.signing_algs = metadata
        .id_token_signing_alg_values_supported()
        .iter()
        .filter_map(|alg| serde_json::to_value(alg).ok())
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    if let Some(supported) = metadata.scopes_supported() {
        report.unsupported_scopes = row
            .scopes
            .split(' ')
            .filter(|s| !supported.iter().any(|x| x.as_str() == *s))
            .map(str::to_owned)
            .collect();
    }
    if let Some(supported) = metadata.claims_supported() {
        report.unsupported_claims = [&row.claim_email, &row.claim_name, &row.claim_email_verified]
            .into_iter()
            .filter(|c| !supported.iter().any(|x| x.as_str() == c.as_str()))
            .cloned()
            .collect();
    }
    Ok(report)
}
