//! Authentication by API key: `Authorization: Bearer ok_…`.
//!
//! One statement finds the key by the hash of its secret, joined with its owner (a member's
//! `users` row, or a service account's row with its role as it is now), so revoking a key,
//! removing its owner or changing a service account's role takes effect at the next request;
//! nothing is cached. A member's roles are read later, as for a session, by the operation.

use crate::auth::{ClientInfo, CurrentUser, KeyActor};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::{hash, now};
use orgkit_core::api_key::{check_usable, is_secret_shaped, KeyRefusal};
use orgkit_core::wire::User;
use orgkit_core::{ApiKeyId, ErrorCode, OrganizationId, PermissionSet, Timestamp, UserId};
use std::sync::Arc;

/// A key and its owner, as the lookup reads them.
#[derive(Debug, sqlx::FromRow)]
struct KeyRow {
    id: String,
    org_id: String,
    permissions: Option<String>,
    expires_at: Option<i64>,
    revoked_at: Option<i64>,
    user_id: Option<String>,
    user_email: Option<String>,
    user_name: Option<String>,
    user_verified: Option<i64>,
    user_created_at: Option<i64>,
    sa_id: Option<String>,
    sa_name: Option<String>,
    sa_role: Option<String>,
    sa_created_at: Option<i64>,
}

const LOOKUP_SQL: &str = "SELECT k.id, k.org_id, k.permissions, k.expires_at, k.revoked_at, \
    u.id AS user_id, u.email AS user_email, u.name AS user_name, \
    u.email_verified AS user_verified, u.created_at AS user_created_at, \
    s.id AS sa_id, s.name AS sa_name, s.role AS sa_role, s.created_at AS sa_created_at \
    FROM api_keys k \
    LEFT JOIN users u ON k.owner_kind = 'user' AND u.id = k.owner_id \
    LEFT JOIN service_accounts s ON k.owner_kind = 'service_account' AND s.id = k.owner_id \
      AND s.org_id = k.org_id \
    WHERE k.secret_hash = $1";

/// The actor of a request made with the API key `secret` to `path`: the key's owner, limited
/// to the key's scope. An unknown, revoked or expired key is `401 unauthenticated` with its
/// reason; a path outside the key's organization `403 forbidden`.
pub(crate) async fn authenticate(
    state: &AppState,
    secret: &str,
    path: &str,
    client: ClientInfo,
) -> ApiResult<CurrentUser> {
    if !is_secret_shaped(secret) {
        return Err(ApiError::KeyRefused(KeyRefusal::Unknown));
    }
    let row: Option<KeyRow> = sqlx::query_as(LOOKUP_SQL)
        .bind(hash(secret))
        .fetch_optional(&state.db.pool)
        .await?;
    let row = row.ok_or(ApiError::KeyRefused(KeyRefusal::Unknown))?;
    let at = now();
    check_usable(row.revoked_at.is_some(), row.expires_at.map(Timestamp), at)
        .map_err(ApiError::KeyRefused)?;
    if !in_organization(path, &row.org_id) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "This API key acts only inside its own organization.",
        ));
    }
    let scope = row
        .permissions
        .as_deref()
        .map(|keys| parse_scope(state, keys));
    let (user, service_account_role) = match (row.user_id, row.sa_id) {
        (Some(id), _) => (
            User {
                id: UserId(id),
                email_address: row.user_email.unwrap_or_default(),
                name: row.user_name.unwrap_or_default(),
                email_verified: row.user_verified.unwrap_or(0) != 0,
                created_at: Timestamp(row.user_created_at.unwrap_or(0)),
                // A key acts only under its organization's path, never on `/v1/me`.
                last_active_organization_id: None,
            },
            None,
        ),
        (None, Some(id)) => (
            User {
                id: UserId(id),
                email_address: String::new(),
                name: row.sa_name.unwrap_or_default(),
                email_verified: false,
                created_at: Timestamp(row.sa_created_at.unwrap_or(0)),
                last_active_organization_id: None,
            },
            row.sa_role,
        ),
        // The owner is gone (its removal revokes its keys; this is the belt to those braces).
        (None, None) => return Err(ApiError::KeyRefused(KeyRefusal::Unknown)),
    };
    state.api_key_usage.record(&row.id, at);
    Ok(CurrentUser {
        user,
        client,
        key: Some(Arc::new(KeyActor {
            key_id: ApiKeyId(row.id),
            org_id: OrganizationId(row.org_id),
            scope,
            service_account_role,
        })),
    })
}

/// Whether `path` is the organization `org_id` or under it.
fn in_organization(path: &str, org_id: &str) -> bool {
    path.strip_prefix("/v1/organizations/")
        .and_then(|rest| rest.strip_prefix(org_id))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A stored scope (a JSON array of permission keys) as a set of this instance's catalog; a
/// key the catalog no longer has grants nothing.
pub(crate) fn parse_scope(state: &AppState, stored: &str) -> PermissionSet {
    let keys: Vec<String> = serde_json::from_str(stored).unwrap_or_default();
    state.catalog.permission_catalog().parse_stored(&keys)
}

#[cfg(test)]
mod tests {
    use super::in_organization;

    #[test]
    fn a_key_acts_only_under_its_organization() {
        assert!(in_organization("/v1/organizations/org_A", "org_A"));
        assert!(in_organization(
            "/v1/organizations/org_A/memberships",
            "org_A"
        ));
        assert!(!in_organization(
            "/v1/organizations/org_AB/memberships",
            "org_A"
        ));
        assert!(!in_organization(
            "/v1/organizations/org_B/memberships",
            "org_A"
        ));
        assert!(!in_organization("/v1/organizations", "org_A"));
        assert!(!in_organization("/v1/me", "org_A"));
    }
}
