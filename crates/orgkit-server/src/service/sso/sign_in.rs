//! Starting an SSO sign-in, and the password sign-in's "require SSO" check.

use super::oidc::{self, ConnectionRow, CONNECTION_COLUMNS};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::{hash, new_secret, now};
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{CsrfToken, Scope};
use orgkit_core::sso::sign_in::{
    check_password_sign_in, check_return_to, email_domain, pick_connection, start_by, Candidate,
    SsoRequirement, StartBy, STATE_TTL_MS,
};
use orgkit_core::wire::{SsoRequiredDetail, SsoStartRequest, SsoStartResponse};

/// Starts a sign-in: picks the connection (by email domain, organization slug or connection
/// id), stores the new state's hash for 10 minutes and answers the provider's authorization
/// URL, with the nonce and the PKCE challenge derived from the state and the email as
/// `login_hint`; the browser keeps a value derived from the state in a cookie, which the
/// callback checks. Rate-limited per client address like password sign-in.
pub async fn start(state: &AppState, req: SsoStartRequest, client_ip: &str) -> ApiResult<Started> {
    state
        .limiter
        .check(
            &[format!("sso-start:ip:{client_ip}")],
            1,
            state.config.sign_in_limit_per_minute,
            now().millis(),
        )
        .await?;
    let by = start_by(
        req.email_address.as_deref(),
        req.organization_slug.as_deref(),
        req.connection_id.as_deref(),
    )?;
    let return_to = match req.return_to.as_deref().filter(|r| !r.is_empty()) {
        Some(raw) => {
            let origins: Vec<&str> = state
                .allowed_origins
                .iter()
                .filter_map(|o| o.to_str().ok())
                .collect();
            check_return_to(raw, &origins)?.to_owned()
        }
        None => "/".to_owned(),
    };
    let rows = candidates(state, by).await?;
    let mut domains = Vec::with_capacity(rows.len());
    for row in &rows {
        domains.push(oidc::connection_domains(&state.db.pool, &row.id).await?);
    }
    let listed: Vec<Candidate<'_>> = rows
        .iter()
        .zip(&domains)
        .map(|(row, domains)| Candidate {
            id: &row.id,
            active: row.state == "active",
            domains,
        })
        .collect();
    let picked = pick_connection(by, &listed)?.id;
    let connection = rows
        .iter()
        .find(|r| r.id == picked)
        .ok_or_else(|| ApiError::not_found("SSO connection"))?;
    let client = oidc::client(state, connection).await?;
    let secret_state = new_secret();
    let (nonce, challenge) = (
        oidc::nonce(&secret_state),
        oidc::pkce_challenge(&secret_state),
    );
    let csrf = secret_state.clone();
    let mut request = client.authorize_url(
        CoreAuthenticationFlow::AuthorizationCode,
        move || CsrfToken::new(csrf),
        move || nonce,
    );
    for scope in connection
        .scopes
        .split(' ')
        .filter(|s| *s != "openid" && !s.is_empty())
    {
        request = request.add_scope(Scope::new(scope.to_owned()));
    }
    if connection.pkce != 0 {
        request = request.set_pkce_challenge(challenge);
    }
    let hint = match by {
        StartBy::Email(email)
        | StartBy::Organization {
            email: Some(email), ..
        } => Some(email),
        _ => None,
    };
    if let Some(email) = hint {
        request = request.add_extra_param("login_hint", email.trim().to_ascii_lowercase());
    }
    let (url, _, _) = request.url();
    let at = now().millis();
    sqlx::query(
        "INSERT INTO sso_states (state_hash, connection_id, return_to, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash(&secret_state))
    .bind(&connection.id)
    .bind(&return_to)
    .bind(at)
    .bind(at + STATE_TTL_MS)
    .execute(&state.db.pool)
    .await?;
    Ok(Started {
        answer: SsoStartResponse {
            redirect_url: url.to_string(),
        },
        browser_binding: oidc::browser_binding(&secret_state),
    })
}

/// A started sign-in: the answer, and the value for the browser's `orgkit_sso` cookie.
#[derive(Debug)]
pub struct Started {
    pub answer: SsoStartResponse,
    pub browser_binding: String,
}

/// The connections a start request may pick from.
async fn candidates(state: &AppState, by: StartBy<'_>) -> ApiResult<Vec<ConnectionRow>> {
    let (filter, arg) = match by {
        StartBy::Connection(id) => ("c.id = $1", id.to_owned()),
        StartBy::Organization { slug, .. } => (
            "c.org_id = (SELECT id FROM organizations WHERE slug = $1)",
            slug.to_owned(),
        ),
        StartBy::Email(email) => (
            "c.id IN (SELECT cd.connection_id FROM sso_connection_domains cd \
             JOIN org_domains d ON d.id = cd.domain_id WHERE d.name = $1)",
            email_domain(email).unwrap_or_default(),
        ),
    };
    let sql =
        format!("SELECT {CONNECTION_COLUMNS} FROM sso_connections c WHERE {filter} ORDER BY c.id");
    Ok(sqlx::query_as(&sql)
        .bind(arg)
        .fetch_all(&state.db.pool)
        .await?)
}

/// Refuses password sign-in (`sso_required`) for an address at a domain that an active
/// connection of an organization requiring SSO serves; the refusal names the organization.
pub(crate) async fn check_password_allowed(state: &AppState, email: &str) -> ApiResult<()> {
    let Some(domain) = email_domain(email) else {
        return Ok(());
    };
    let slugs: Vec<(String,)> = sqlx::query_as(
        "SELECT o.slug FROM org_domains d \
         JOIN sso_connection_domains cd ON cd.domain_id = d.id \
         JOIN sso_connections c ON c.id = cd.connection_id \
         JOIN organizations o ON o.id = c.org_id \
         WHERE d.name = $1 AND d.verified = 1 AND d.ownership_verified_at IS NOT NULL \
         AND c.state = 'active' AND o.require_sso = 1 ORDER BY o.slug",
    )
    .bind(&domain)
    .fetch_all(&state.db.pool)
    .await?;
    let requirements: Vec<SsoRequirement<'_>> = slugs
        .iter()
        .map(|(slug,)| SsoRequirement {
            organization_slug: slug,
        })
        .collect();
    check_password_sign_in(&requirements).map_err(|required| {
        let slug = required.organization_slug.to_owned();
        ApiError::SsoRequired(Box::new(SsoRequiredDetail {
            start_url: format!(
                "{}{}",
                state.public_url,
                orgkit_core::sso::connection::join_path(&slug)
            ),
            organization_slug: slug,
        }))
    })
}
