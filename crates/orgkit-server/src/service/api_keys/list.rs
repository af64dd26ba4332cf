//! An API key as stored and listed: the row, its wire form, and the list.

use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::service::{finish_page, page_request};
use crate::state::AppState;
use orgkit_core::api_key::sees_all_keys;
use orgkit_core::policy::Action;
use orgkit_core::wire::{ApiKey, Page, Principal};
use orgkit_core::workspace::PrincipalKind;
use orgkit_core::{ApiKeyId, ErrorCode, OrganizationId, ServiceAccountId, Timestamp};

/// The select list of a [`KeyRow`], from `api_keys k` joined by [`KEY_JOINS`].
pub(crate) const KEY_COLUMNS: &str = "k.id, k.org_id, k.owner_kind, k.owner_id, k.name, \
    k.description, k.last4, k.permissions, k.expires_at, k.created_at, k.last_used_at, \
    k.revoked_at, k.revoke_reason, COALESCE(NULLIF(u.name, ''), u.email, s.name, '') AS owner_name";

/// The owner's rows, for its name.
pub(crate) const KEY_JOINS: &str =
    "LEFT JOIN users u ON k.owner_kind = 'user' AND u.id = k.owner_id \
    LEFT JOIN service_accounts s ON k.owner_kind = 'service_account' AND s.id = k.owner_id";

/// An API key as stored, never its secret (the hash is not selected).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct KeyRow {
    pub id: String,
    pub org_id: String,
    pub owner_kind: String,
    pub owner_id: String,
    pub name: String,
    pub description: String,
    pub last4: String,
    pub permissions: Option<String>,
    pub expires_at: Option<i64>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub revoke_reason: Option<String>,
    pub owner_name: String,
}

impl KeyRow {
    /// Whether a service account owns the key.
    pub(crate) fn for_service_account(&self) -> bool {
        self.owner_kind == PrincipalKind::ServiceAccount.as_str()
    }

    /// The wire form; `lastUsedAt` includes a use this process has not written yet.
    pub(crate) fn into_wire(self, state: &AppState) -> ApiKey {
        let pending = state.api_key_usage.pending(&self.id);
        let last_used_at = match (self.last_used_at, pending) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let kind = if self.for_service_account() {
            PrincipalKind::ServiceAccount
        } else {
            PrincipalKind::User
        };
        ApiKey {
            id: ApiKeyId(self.id),
            organization_id: OrganizationId(self.org_id),
            owner: Principal {
                kind,
                id: self.owner_id,
                name: self.owner_name,
            },
            name: self.name,
            description: self.description,
            last4: self.last4,
            permissions: self
                .permissions
                .and_then(|p| serde_json::from_str::<Vec<String>>(&p).ok()),
            expires_at: self.expires_at.map(Timestamp),
            created_at: Timestamp(self.created_at),
            last_used_at: last_used_at.map(Timestamp),
            revoked_at: self.revoked_at.map(Timestamp),
            revoke_reason: self.revoke_reason,
        }
    }
}

/// Reads one key of `org_id` through `executor`.
pub(crate) async fn load(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org_id: &OrganizationId,
    key_id: &ApiKeyId,
) -> ApiResult<Option<KeyRow>> {
    let sql = format!(
        "SELECT {KEY_COLUMNS} FROM api_keys k {KEY_JOINS} WHERE k.org_id = $1 AND k.id = $2"
    );
    Ok(sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(key_id.as_str())
        .fetch_optional(executor)
        .await?)
}

/// One page of keys, oldest first: my own; everyone's for holders of `org:api_keys:manage`.
/// With `service_account`, that account's keys: for holders of `org:api_keys:manage` or
/// `org:service_accounts:manage`, or the account itself.
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    service_account: Option<&ServiceAccountId>,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<ApiKey>> {
    let (limit, after) = page_request(limit, after, ApiKeyId::is_well_formed)?;
    if service_account.is_some_and(|sa| !ServiceAccountId::is_well_formed(sa.as_str())) {
        return Err(crate::error::ApiError::validation(
            "serviceAccountId is not a service account id.",
        ));
    }
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    let held = access.held(me);
    let mut binds = vec![org_id.as_str().to_owned(), after.to_owned()];
    let owner_condition = match service_account {
        Some(sa) => {
            if !sees_all_keys(held, true) && sa.as_str() != me.id().as_str() {
                return Err(crate::error::ApiError::new(
                    ErrorCode::Forbidden,
                    "Only an admin can list a service account's API keys.",
                ));
            }
            binds.push(sa.as_str().to_owned());
            "AND k.owner_kind = 'service_account' AND k.owner_id = $3"
        }
        None if sees_all_keys(held, false) => "",
        None => {
            binds.push(me.id().as_str().to_owned());
            "AND k.owner_id = $3"
        }
    };
    let sql = format!(
        "SELECT {KEY_COLUMNS} FROM api_keys k {KEY_JOINS} \
         WHERE k.org_id = $1 AND k.id > $2 {owner_condition} ORDER BY k.id LIMIT {}",
        i64::from(limit) + 1
    );
    let mut query = sqlx::query_as(&sql);
    for value in &binds {
        query = query.bind(value.as_str());
    }
    let rows: Vec<KeyRow> = query.fetch_all(&state.db.pool).await?;
    Ok(finish_page(
        rows,
        limit,
        |r| r.id.as_str(),
        |r| r.into_wire(state),
    ))
}
