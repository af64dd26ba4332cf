//! What the actor is in one organization: the organization's role catalog (the built-ins and
//! its custom roles) and the actor's roles in it. Every check asks [`Access::check`].
//!
//! A member's roles are `memberships.role` (the primary one) and one `membership_roles` row per
//! further role. The statements here read them with the organization's `roles_version`, and
//! [`RoleCatalogs`] keeps each organization's catalog in memory until that number moves, so a
//! check costs no extra statement and many stateless servers can share one database.

use crate::auth::CurrentUser;
use crate::db::{p, WriteTx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::now;
use orgkit_core::custom_role::stored_role;
use orgkit_core::policy::{
    authorize_limited, member_list_scope_of, Action, Actor, MemberListScope,
};
use orgkit_core::{OrganizationId, PermissionSet, Role, RoleCatalog, ServiceAccountId, UserId};
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The actor in one organization: its catalog and their roles.
#[derive(Debug, Clone, Default)]
pub struct Access {
    pub catalog: Arc<RoleCatalog>,
    /// My roles, the primary one first; `None` when I am not a member.
    pub roles: Option<Vec<String>>,
}

impl Access {
    /// My roles as the rule book takes them. An instance secret key acts as `admin`.
    pub(crate) fn acting_roles<'a>(&'a self, user_id: &UserId) -> Option<Vec<&'a str>> {
        if super::is_instance_key(user_id) {
            return Some(vec![Role::ADMIN]);
        }
        self.roles
            .as_ref()
            .map(|r| r.iter().map(String::as_str).collect())
    }

    /// Asks the rule book, now, with this organization's catalog. An instance secret key acts
    /// with an admin's authority, still under every invariant; an API key with its owner's
    /// permissions cut to its scope.
    pub fn check(&self, me: &CurrentUser, action: Action<'_>) -> ApiResult<()> {
        let user_id = me.id();
        let roles = self.acting_roles(user_id);
        let actor = Actor {
            user_id,
            roles: roles.as_deref(),
        };
        authorize_limited(&self.catalog, actor, action, now(), me.limit())
            .map_err(|e| ApiError::judged(&self.catalog, e))
    }

    /// What my roles hold together (an instance key: everything), cut to my API key's scope.
    pub fn held(&self, me: &CurrentUser) -> PermissionSet {
        let held = self
            .acting_roles(me.id())
            .and_then(|r| self.catalog.permissions_of(&r).ok())
            .unwrap_or_default();
        orgkit_core::api_key::key_permissions(held, me.limit())
    }

    /// What I see of the member list (an instance key: everyone).
    pub fn scope(&self, me: &CurrentUser) -> MemberListScope {
        match self.acting_roles(me.id()) {
            Some(_) => member_list_scope_of(self.held(me)),
            None => MemberListScope::OnlyMe,
        }
    }

    /// My primary role, when I am a member.
    pub fn primary(&self) -> Option<&str> {
        self.roles
            .as_ref()
            .and_then(|r| r.first())
            .map(String::as_str)
    }

    /// Whether I am a member.
    pub fn is_member(&self) -> bool {
        self.roles.is_some()
    }
}

/// A member's roles from their primary role and the aggregated further ones (see
/// [`EXTRA_ROLES_SQL`]).
pub(crate) fn roles_of(primary: &str, extra: Option<&str>) -> Vec<String> {
    std::iter::once(primary)
        .chain(extra.into_iter().flat_map(|e| e.split(',')))
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An expression giving the further roles of the membership `m`, in order, joined by commas
/// (role keys hold none), or NULL; rows are read only for a member who has some
/// (`memberships.extra_roles`). The one expression both dialects share.
pub const EXTRA_ROLES_SQL: &str = "CASE WHEN m.extra_roles > 0 THEN \
    (SELECT string_agg(r.role, ',' ORDER BY r.position) FROM membership_roles r \
     WHERE r.org_id = m.org_id AND r.user_id = m.user_id) END";

/// Every organization's catalog this process has read, with the `roles_version` it was read
/// at. An organization without custom roles (version 0) shares the instance's catalog.
#[derive(Debug)]
pub struct RoleCatalogs {
    base: Arc<RoleCatalog>,
    cached: Mutex<HashMap<String, (i64, Arc<RoleCatalog>)>>,
}

/// The most organizations' catalogs kept; past it the cache starts over.
const MAX_CACHED: usize = 10_000;

impl RoleCatalogs {
    pub fn new(base: RoleCatalog) -> Self {
        RoleCatalogs {
            base: Arc::new(base),
            cached: Mutex::default(),
        }
    }

    /// The instance's catalog: the built-ins over the system and app permissions.
    pub fn base(&self) -> &Arc<RoleCatalog> {
        &self.base
    }

    /// The catalog of `org_id` at `version` when no statement is needed: the instance's for
    /// version 0, or the one this process read at that version.
    pub(crate) fn known(&self, org_id: &OrganizationId, version: i64) -> Option<Arc<RoleCatalog>> {
        if version == 0 {
            return Some(Arc::clone(&self.base));
        }
        let cached = self.cached.lock().ok()?;
        cached
            .get(org_id.as_str())
            .filter(|(v, _)| *v == version)
            .map(|(_, c)| Arc::clone(c))
    }

    /// The catalog of `org_id` this process read last, whatever its version (else the
    /// instance's): a guess, for what may be decided before the organization is locked.
    pub(crate) fn last_seen(&self, org_id: &OrganizationId) -> Arc<RoleCatalog> {
        let cached = self.cached.lock().ok();
        let seen = cached.as_ref().and_then(|c| c.get(org_id.as_str()));
        seen.map_or_else(|| Arc::clone(&self.base), |(_, c)| Arc::clone(c))
    }

    fn keep(&self, org_id: &OrganizationId, version: i64, catalog: Arc<RoleCatalog>) {
        if let Ok(mut cached) = self.cached.lock() {
            if cached.len() >= MAX_CACHED {
                cached.clear();
            }
            cached.insert(org_id.as_str().to_owned(), (version, catalog));
        }
    }
}

/// `org_id`'s catalog at `version`, read through `conn` (inside the caller's transaction when
/// it writes) unless this process has it.
pub(crate) async fn catalog_at<W: WriteTx + ?Sized>(
    state: &AppState,
    conn: &mut W,
    org_id: &OrganizationId,
    version: i64,
) -> ApiResult<Arc<RoleCatalog>> {
    let catalogs = &state.role_catalogs;
    if let Some(catalog) = catalogs.known(org_id, version) {
        return Ok(catalog);
    }
    let mut rows = Vec::new();
    for row in conn
        .fetch_all(
            "SELECT key, name, description, permissions FROM organization_roles \
             WHERE org_id = $1 ORDER BY created_at, key",
            &[p(org_id.as_str())],
        )
        .await?
    {
        rows.push((
            row.text("key")?,
            row.text("name")?,
            row.text("description")?,
            row.text("permissions")?,
        ));
    }
    let base = catalogs.base();
    let mut custom = Vec::with_capacity(rows.len());
    for (key, name, description, permissions) in rows {
        let keys: Vec<String> =
            serde_json::from_str(&permissions).map_err(|e| ApiError::Internal(e.into()))?;
        custom.push(stored_role(
            base.permission_catalog(),
            key,
            name,
            description,
            &keys,
        ));
    }
    let catalog = Arc::new(RoleCatalog::clone(base).with_custom(custom));
    catalogs.keep(org_id, version, Arc::clone(&catalog));
    Ok(catalog)
}

/// My access to `org_id` from my roles as read (`primary`: `None` when I am not a member)
/// and the organization's `version`, its catalog read through `conn` if need be.
pub(crate) async fn from_parts(
    state: &AppState,
    conn: &mut AnyConnection,
    org_id: &OrganizationId,
    version: i64,
    primary: Option<&str>,
    extra: Option<&str>,
) -> ApiResult<Access> {
    Ok(Access {
        catalog: catalog_at(state, conn, org_id, version).await?,
        roles: primary.map(|p| roles_of(p, extra)),
    })
}

/// `org_id`'s catalog at `version`, outside a transaction: a pool connection is taken only
/// when this process must read it.
pub(crate) async fn catalog_for_read(
    state: &AppState,
    org_id: &OrganizationId,
    version: i64,
) -> ApiResult<Arc<RoleCatalog>> {
    if let Some(catalog) = state.role_catalogs.known(org_id, version) {
        return Ok(catalog);
    }
    let mut conn = state.db.pool.acquire().await?;
    catalog_at(state, &mut *conn, org_id, version).await
}

/// An access without roles, judged with the instance's catalog: for actions that need no
/// membership (accepting an invitation).
pub(crate) fn outsider(state: &AppState) -> Access {
    Access {
        catalog: Arc::clone(state.role_catalogs.base()),
        roles: None,
    }
}

/// My access to `org_id`, for a read (no transaction). A suspended member gets
/// `membership_suspended`; a non-member an access without roles, which the rule book answers
/// with `not_found`.
pub(crate) async fn for_read(
    state: &AppState,
    org_id: &OrganizationId,
    user_id: &UserId,
) -> ApiResult<Access> {
    if user_id.as_str().starts_with(ServiceAccountId::PREFIX) {
        return for_service_account(state, org_id, user_id).await;
    }
    // Every organization request runs this: built once, read inline on SQLite.
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT m.role, m.suspended_at, o.roles_version, {EXTRA_ROLES_SQL} AS extra_roles \
             FROM memberships m JOIN organizations o ON o.id = m.org_id \
             WHERE m.org_id = $1 AND m.user_id = $2"
        )
    });
    let row = state
        .db
        .read_optional(&SQL, &[p(org_id.as_str()), p(user_id.as_str())])
        .await?;
    let Some(row) = row else {
        return Ok(Access {
            catalog: Arc::clone(state.role_catalogs.base()),
            roles: None,
        });
    };
    orgkit_core::suspension::check_access(row.opt_int("suspended_at")?.is_some())?;
    let catalog = catalog_for_read(state, org_id, row.int("roles_version")?).await?;
    Ok(Access {
        catalog,
        roles: Some(roles_of(
            &row.text("role")?,
            row.opt_text("extra_roles")?.as_deref(),
        )),
    })
}

/// A service account's access (an API key request's actor, `sa_…`): its role as it is now,
/// read in place of a membership; a service account of another organization is an outsider.
async fn for_service_account(
    state: &AppState,
    org_id: &OrganizationId,
    id: &UserId,
) -> ApiResult<Access> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT s.role, o.roles_version FROM service_accounts s \
         JOIN organizations o ON o.id = s.org_id WHERE s.org_id = $1 AND s.id = $2",
    )
    .bind(org_id.as_str())
    .bind(id.as_str())
    .fetch_optional(&state.db.pool)
    .await?;
    let Some((role, version)) = row else {
        return Ok(outsider(state));
    };
    Ok(Access {
        catalog: catalog_for_read(state, org_id, version).await?,
        roles: Some(vec![role]),
    })
}

#[cfg(test)]
mod tests {
    use super::roles_of;

    #[test]
    fn roles_read_back_primary_first() {
        assert_eq!(roles_of("admin", None), ["admin"]);
        assert_eq!(
            roles_of("basic_member", Some("org:billing,org:support")),
            ["basic_member", "org:billing", "org:support"]
        );
        assert_eq!(roles_of("admin", Some("")), ["admin"]);
    }
}
