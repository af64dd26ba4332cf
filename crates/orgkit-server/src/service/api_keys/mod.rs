//! API keys: creating, listing and revoking them, the organization's policy on who may
//! create them (`api_key_policy`), authentication by key (`auth`) and when each was last used
//! (`usage`). Every decision is `orgkit_core::api_key`'s.

pub(crate) mod auth;
mod list;
pub mod usage;

pub use list::list;

use super::{audit, begin_org_write, AuditEntry};
use crate::auth::CurrentUser;
use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::{hash, new_id_at, now};
use list::KeyRow;
use orgkit_core::api_key::{
    check_create, check_expiry, check_reason, check_revoke, check_set_policy, key_permissions,
    last4, ApiKeyPolicy, NewKey, SECRET_PREFIX,
};
use orgkit_core::policy::Action;
use orgkit_core::wire::{
    ApiKey, ApiKeyPolicyBody, CreateApiKeyRequest, CreatedApiKey, RevokeApiKeyRequest,
};
use orgkit_core::workspace::{check_description, check_name, PrincipalKind};
use orgkit_core::{ApiKeyId, OrganizationId, ServiceAccountId, Timestamp};
use rand::RngCore;

/// A new secret: `ok_` and 64 lowercase hex digits from 32 bytes of the OS's randomness.
fn new_key_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{SECRET_PREFIX}{}", hex::encode(bytes))
}

/// The kind of principal an actor id names: a service account's `sa_…`, else a person.
fn kind_of(id: &str) -> PrincipalKind {
    if id.starts_with(ServiceAccountId::PREFIX) {
        PrincipalKind::ServiceAccount
    } else {
        PrincipalKind::User
    }
}

async fn policy_of(tx: &mut Tx, org_id: &OrganizationId) -> ApiResult<ApiKeyPolicy> {
    let (raw,): (String,) =
        sqlx::query_as("SELECT api_key_policy FROM organizations WHERE id = $1")
            .bind(org_id.as_str())
            .fetch_one(&mut **tx)
            .await?;
    Ok(ApiKeyPolicy::parse(&raw).unwrap_or_default())
}

/// Creates a key for me, or for one of the organization's service accounts, under the
/// organization's policy; its scope within its owner's permissions. Made with a scoped key, a
/// key without a scope of its own gets that scope. Answers the secret, this once.
pub async fn create(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    req: CreateApiKeyRequest,
) -> ApiResult<CreatedApiKey> {
    let name = check_name(&req.name)?;
    let description = check_description(req.description.as_deref().unwrap_or(""))?;
    let at = now();
    check_expiry(req.expires_at, at)?;
    let permissions = state.catalog.permission_catalog();
    let requested = match &req.permissions {
        Some(keys) => Some(permissions.parse_all(keys)?),
        None => None,
    };
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let access = &locked.access;
    let held = access.held(me);
    let policy = policy_of(&mut tx, org_id).await?;
    let (owner_kind, owner_id, owner_permissions) = match &req.service_account_id {
        Some(sa) => {
            let role: Option<(String,)> =
                sqlx::query_as("SELECT role FROM service_accounts WHERE org_id = $1 AND id = $2")
                    .bind(org_id.as_str())
                    .bind(sa.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            let (role,) = role.ok_or_else(|| ApiError::not_found("Service account"))?;
            let of_role = access.catalog.permissions(&role).unwrap_or_default();
            let kind = PrincipalKind::ServiceAccount;
            (kind, sa.as_str(), key_permissions(of_role, me.limit()))
        }
        None => (kind_of(me.id().as_str()), me.id().as_str(), held),
    };
    let scope = requested.or(me.limit());
    let key = NewKey {
        for_service_account: req.service_account_id.is_some(),
        scope,
        owner_permissions,
    };
    check_create(policy, held, key).map_err(|e| ApiError::judged(&access.catalog, e))?;
    let stored_scope = scope
        .map(|s| serde_json::to_string(&permissions.names(s)))
        .transpose()
        .map_err(|e| ApiError::Internal(e.into()))?;
    let secret = new_key_secret();
    let id = ApiKeyId(new_id_at(ApiKeyId::PREFIX, at));
    sqlx::query(
        "INSERT INTO api_keys (id, org_id, owner_kind, owner_id, name, description, secret_hash, \
           last4, permissions, expires_at, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id.as_str())
    .bind(org_id.as_str())
    .bind(owner_kind.as_str())
    .bind(owner_id)
    .bind(&name)
    .bind(&description)
    .bind(hash(&secret))
    .bind(last4(&secret))
    .bind(stored_scope)
    .bind(req.expires_at.map(Timestamp::millis))
    .bind(me.id().as_str())
    .bind(at.millis())
    .execute(&mut *tx)
    .await?;
    let entry = AuditEntry {
        org_id,
        actor: me,
        action: "api_key.created",
        subject: id.as_str(),
        detail: &name,
    };
    audit(&mut tx, entry).await?;
    let row = list::load(&mut *tx, org_id, &id).await?;
    tx.commit().await?;
    let row = row.ok_or_else(|| ApiError::not_found("API key"))?;
    Ok(CreatedApiKey {
        api_key: row.into_wire(state),
        secret,
    })
}

/// Revokes a key: my own, or (`org:api_keys:manage`, for a service account's key also
/// `org:service_accounts:manage`) anyone's. A revoked key keeps its first revocation.
pub async fn revoke(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    key_id: &ApiKeyId,
    req: RevokeApiKeyRequest,
) -> ApiResult<ApiKey> {
    let reason = req.reason.as_deref().map(check_reason).transpose()?;
    let reason = reason.filter(|r| !r.is_empty());
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let row = list::load(&mut *tx, org_id, key_id)
        .await?
        .ok_or_else(|| ApiError::not_found("API key"))?;
    let is_mine = row.owner_id == me.id().as_str();
    check_revoke(locked.access.held(me), is_mine, row.for_service_account())?;
    if row.revoked_at.is_some() {
        return Ok(row.into_wire(state));
    }
    let at = now();
    sqlx::query(
        "UPDATE api_keys SET revoked_at = $1, revoke_reason = $2 \
         WHERE id = $3 AND revoked_at IS NULL",
    )
    .bind(at.millis())
    .bind(reason.as_deref())
    .bind(key_id.as_str())
    .execute(&mut *tx)
    .await?;
    let entry = AuditEntry {
        org_id,
        actor: me,
        action: "api_key.revoked",
        subject: key_id.as_str(),
        detail: reason.as_deref().unwrap_or(&row.name),
    };
    audit(&mut tx, entry).await?;
    tx.commit().await?;
    let row = KeyRow {
        revoked_at: Some(at.millis()),
        revoke_reason: reason,
        ..row
    };
    Ok(row.into_wire(state))
}

/// Who may create keys in the organization; any member may read it.
pub async fn policy(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<ApiKeyPolicyBody> {
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    let (raw,): (String,) =
        sqlx::query_as("SELECT api_key_policy FROM organizations WHERE id = $1")
            .bind(org_id.as_str())
            .fetch_one(&state.db.pool)
            .await?;
    Ok(ApiKeyPolicyBody {
        policy: ApiKeyPolicy::parse(&raw).unwrap_or_default(),
    })
}

/// Sets who may create keys (`org:api_keys:manage`). Existing keys stay.
pub async fn set_policy(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    body: ApiKeyPolicyBody,
) -> ApiResult<ApiKeyPolicyBody> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    check_set_policy(locked.access.held(me))?;
    let old = policy_of(&mut tx, org_id).await?;
    if old != body.policy {
        sqlx::query("UPDATE organizations SET api_key_policy = $1 WHERE id = $2")
            .bind(body.policy.as_str())
            .bind(org_id.as_str())
            .execute(&mut *tx)
            .await?;
        let detail = format!("{} → {}", old.as_str(), body.policy.as_str());
        let entry = AuditEntry {
            org_id,
            actor: me,
            action: "api_keys.policy_changed",
            subject: org_id.as_str(),
            detail: &detail,
        };
        audit(&mut tx, entry).await?;
    }
    tx.commit().await?;
    Ok(body)
}
