//! Session tokens for app backends: short-lived ES256 JWTs that say who calls, for which
//! organization, with which role, permissions and membership version. The claims are the rule
//! book's (`orgkit_core::session_token`); this module reads the membership, signs, and serves
//! the public keys.

pub mod keys;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::now;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use orgkit_core::session_token::{claims, OrgGrant, SessionClaims};
use orgkit_core::wire::{Jwks, SessionToken};
use orgkit_core::{Action, ErrorCode, OrganizationId, Timestamp};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::Signature;
use sha2::{Digest, Sha256};

/// The session id a token carries for the session whose secret is `session_token`: derived
/// from the stored hash, so neither the secret nor the database key leaves the server.
#[must_use]
pub fn session_id(session_token: &str) -> String {
    let digest = Sha256::digest(format!("sid:{}", crate::token::hash(session_token)));
    format!("sess_{}", hex::encode(&digest[..16]))
}

/// The time tokens are issued at: the clock, moved by the test-only offset.
fn issue_time(state: &AppState) -> Timestamp {
    now().plus_millis(state.config.session_token_clock_offset_seconds * 1000)
}

/// Signs a token for `me`'s session, for `org_id` if given (a member only).
pub async fn issue(
    state: &AppState,
    me: &CurrentUser,
    session_token: &str,
    org_id: Option<&OrganizationId>,
) -> ApiResult<SessionToken> {
    let sealer = state.webhooks.sealer.as_ref().ok_or_else(|| {
        ApiError::new(
            ErrorCode::SessionTokensNotConfigured,
            "Session tokens are off: the server has no --secret-key to keep its signing keys with.",
        )
    })?;
    let at = issue_time(state);
    let issuer = state.public_url.as_str();
    let sid = session_id(session_token);
    let payload = match org_id {
        None => claims(issuer, me.id().as_str(), &sid, None, at),
        Some(org_id) => {
            // One read: the organization's slug with my role and membership version; not a
            // member is the policy's refusal, as for every read of an organization.
            // A suspended member gets no token for the organization.
            let sql = format!(
                "SELECT o.slug, m.role, m.version, m.suspended_at, o.roles_version, {} \
                 FROM memberships m JOIN organizations o ON o.id = m.org_id \
                 WHERE m.org_id = $1 AND m.user_id = $2",
                crate::service::access::EXTRA_ROLES_SQL
            );
            type Row = (String, String, i64, Option<i64>, i64, Option<String>);
            let row: Option<Row> = sqlx::query_as(&sql)
                .bind(org_id.as_str())
                .bind(me.id().as_str())
                .fetch_optional(&state.db.pool)
                .await?;
            let Some((slug, role, version, suspended_at, roles_version, extra)) = row else {
                let outsider = crate::service::access::outsider(state);
                outsider.check(me, Action::ReadOrganization)?;
                return Err(ApiError::not_found("Organization"));
            };
            orgkit_core::suspension::check_access(suspended_at.is_some())?;
            let access = crate::service::access::Access {
                catalog: crate::service::access::catalog_for_read(state, org_id, roles_version)
                    .await?,
                roles: Some(crate::service::access::roles_of(&role, extra.as_deref())),
            };
            let held = access.held(me);
            let names = access.catalog.names(held);
            let permissions: Vec<&str> = names.iter().map(String::as_str).collect();
            let grant = OrgGrant {
                id: org_id.as_str(),
                slug: &slug,
                role: &role,
                permissions: &permissions,
                version,
            };
            claims(issuer, me.id().as_str(), &sid, Some(grant), at)
        }
    };
    let key = state
        .signing_keys
        .active(&state.db, sealer)
        .await
        .map_err(ApiError::from)?;
    let jwt = sign(&key, &payload)?;
    Ok(SessionToken {
        jwt,
        expires_at: Timestamp::from_millis(payload.exp * 1000),
    })
}

/// The compact JWS of `claims` signed with `key`.
pub fn sign(key: &keys::ActiveKey, claims: &SessionClaims) -> ApiResult<String> {
    let header = serde_json::json!({"alg": keys::ALGORITHM, "kid": key.kid, "typ": "JWT"});
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).map_err(anyhow::Error::from)?),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).map_err(anyhow::Error::from)?)
    );
    let signature: Signature = key.key.sign(input.as_bytes());
    Ok(format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    ))
}

/// The key set at `/v1/.well-known/jwks.json` (and, after the Clerk-compatible API lands, at
/// `/clerk/v1/jwks`): read from the database on every call, so a rotation shows at once.
pub async fn jwks(state: &AppState) -> ApiResult<Jwks> {
    let keys = keys::published(&state.db, now())
        .await
        .map_err(ApiError::from)?;
    Ok(Jwks { keys })
}
