//! Creating, reading, changing and deleting organizations.

use super::access::Access;
use super::rows::{OrgRow, ORG_EXTRA_COLUMNS};
use super::{audit, sso, AuditEntry};
use crate::auth::CurrentUser;
use crate::db::is_unique_violation;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::now;
use crate::webhooks::{self, emit};
use orgkit_core::policy::Action;
use orgkit_core::wire::{Organization, UpdateOrganizationRequest};
use orgkit_core::{validate, ErrorCode, EventType, OrganizationId};
use serde_json::json;

mod create;
mod delete;
mod mine;
pub use create::{create, create_for, Metadata};
pub use delete::{delete, DeleteConfirmation};
pub use mine::my_memberships;

fn slug_taken() -> ApiError {
    ApiError::new(
        ErrorCode::SlugTaken,
        "Another organization already uses this slug.",
    )
}

/// Maps a violation of the unique slug index to `slug_taken`.
fn slug_conflict(e: sqlx::Error) -> ApiError {
    if is_unique_violation(&e) {
        slug_taken()
    } else {
        e.into()
    }
}

/// An organization with my role in it (`None`: not a member), whether I own it and am
/// suspended.
#[derive(sqlx::FromRow)]
pub(crate) struct OrgWithMyRole {
    #[sqlx(flatten)]
    pub(crate) org: OrgRow,
    my_role: Option<String>,
    my_extra_roles: Option<String>,
    my_is_owner: Option<i64>,
    my_suspended_at: Option<i64>,
}

impl OrgWithMyRole {
    /// Refuses a suspended member, then answers whether I act as an owner (an instance secret
    /// key does, see `service::acts_as_owner`).
    pub(crate) fn owner_if_active(&self, me: &CurrentUser) -> ApiResult<bool> {
        if self.my_role.is_some() {
            orgkit_core::suspension::check_access(self.my_suspended_at.is_some())?;
        }
        Ok(self.my_is_owner == Some(1) || super::is_instance_key(me.id()))
    }

    /// The organization's catalog and my roles in it, its catalog read through `conn` if
    /// this process does not have it.
    pub(crate) async fn access(
        &self,
        state: &AppState,
        conn: &mut sqlx::AnyConnection,
    ) -> ApiResult<Access> {
        super::access::from_parts(
            state,
            conn,
            &self.org.id,
            self.org.roles_version,
            self.my_role.as_deref(),
            self.my_extra_roles.as_deref(),
        )
        .await
    }
}

/// The organization and my role in it, in one query.
pub(crate) async fn load(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org_id: &OrganizationId,
    me: &CurrentUser,
) -> ApiResult<OrgWithMyRole> {
    let sql = format!(
        "SELECT o.id, o.name, o.slug, o.created_at, o.allow_join_requests, o.require_sso, \
           o.creator_protection, {ORG_EXTRA_COLUMNS}, m.role AS my_role, {} AS my_extra_roles, \
           m.is_owner AS my_is_owner, m.suspended_at AS my_suspended_at FROM organizations o \
         LEFT JOIN memberships m ON m.org_id = o.id AND m.user_id = $2 WHERE o.id = $1",
        super::access::EXTRA_ROLES_SQL
    );
    let mut loaded: OrgWithMyRole = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(me.id().as_str())
        .fetch_optional(executor)
        .await?
        .ok_or_else(|| ApiError::not_found("Organization"))?;
    // A service account's role comes with its key (it has no membership).
    if let Some(role) = me
        .key
        .as_ref()
        .and_then(|k| k.service_account_role.as_ref())
    {
        loaded.my_role = Some(role.clone());
        loaded.my_extra_roles = None;
    }
    Ok(loaded)
}

/// The organization, as a member sees it; non-members get `not_found`.
pub async fn get(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<Organization> {
    let loaded = load(&state.db.pool, org_id, me).await?;
    let access = Access {
        catalog: super::access::catalog_for_read(state, org_id, loaded.org.roles_version).await?,
        roles: loaded
            .my_role
            .as_deref()
            .map(|p| super::access::roles_of(p, loaded.my_extra_roles.as_deref())),
    };
    access.check(me, Action::ReadOrganization)?;
    let owner = loaded.owner_if_active(me)?;
    let roles = access.roles.unwrap_or_default();
    Ok(loaded.org.into_wire(state, &access.catalog, roles, owner))
}

/// Whether I hold `permission` in the organization.
pub async fn has_permission(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    permission: &str,
) -> ApiResult<bool> {
    // A system permission or one the app declared (`--app-permission`).
    if state
        .catalog
        .permission_catalog()
        .parse(permission)
        .is_err()
    {
        return Err(ApiError::validation("Unknown permission."));
    }
    let org = get(state, me, org_id).await?;
    Ok(org.permissions.iter().any(|p| p == permission))
}

/// Renames the organization or changes its slug.
pub async fn update(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    req: UpdateOrganizationRequest,
) -> ApiResult<Organization> {
    let name = req
        .name
        .as_deref()
        .map(validate::organization_name)
        .transpose()?;
    let slug = req.slug.as_deref().map(validate::slug).transpose()?;
    let mut tx = state.db.begin_write().await?;
    state.db.lock_organization(&mut tx, org_id, me.id()).await?;
    let loaded = load(&mut *tx, org_id, me).await?;
    let access = loaded.access(state, &mut tx).await?;
    access.check(me, Action::ReadOrganization)?;
    let owner = loaded.owner_if_active(me)?;
    let mut org = loaded.org;
    let allow = req.allow_join_requests;
    let require_sso = req.require_sso;
    let max = req.max_allowed_memberships;
    let protection = req.creator_protection;
    let only_settings =
        allow.is_some() || require_sso.is_some() || protection.is_some() || max.is_some();
    // The profile needs `org:profile:manage`; the join-request setting `org:requests:manage`;
    // "require SSO" `org:sso:manage`; the member limit the profile's (`limits::change`).
    if name.is_some() || slug.is_some() || !only_settings {
        access.check(me, Action::UpdateOrganization)?;
    }
    let max_changed = super::limits::change(state, me, &access, max, &org)?;
    let allow_changed = allow.is_some_and(|a| a != (org.allow_join_requests != 0));
    if allow.is_some() {
        access.check(me, Action::SetAllowJoinRequests)?;
    }
    if let Some(on) = require_sso {
        access.check(me, Action::ManageSso)?;
        if sso::set_require_sso(&mut tx, me, org_id, org.require_sso != 0, on).await? {
            org.require_sso = i64::from(on);
        }
    }
    let protection_changed = protection.is_some_and(|p| p != (org.creator_protection != 0));
    if protection.is_some() {
        orgkit_core::ownership::check_creator_protection_setting(owner)?;
        org.creator_protection = protection.map_or(org.creator_protection, i64::from);
    }
    let profile_changed = name.is_some() || slug.is_some() || !only_settings;
    org.name = name.unwrap_or(org.name);
    org.slug = slug.unwrap_or(org.slug);
    org.allow_join_requests = allow.map_or(org.allow_join_requests, i64::from);
    org.max_allowed_memberships = max_changed.map_or(org.max_allowed_memberships, |m| m as i64);
    sqlx::query(
        "UPDATE organizations SET name = $1, slug = $2, allow_join_requests = $3, updated_at = $4, \
           max_allowed_memberships = $6, creator_protection = $7 WHERE id = $5",
    )
    .bind(&org.name)
    .bind(&org.slug)
    .bind(org.allow_join_requests)
    .bind(now().millis())
    .bind(org.id.as_str())
    .bind(org.max_allowed_memberships)
    .bind(org.creator_protection)
    .execute(&mut *tx)
    .await
    .map_err(slug_conflict)?;
    super::limits::record_member_limit(&mut tx, me, org_id, max_changed).await?;
    let subject = org_id.as_str();
    let settings = [
        (profile_changed, "organization.updated", org.name.as_str()),
        (
            allow_changed,
            "organization.join_requests_changed",
            if org.allow_join_requests != 0 {
                "allowed"
            } else {
                "not allowed"
            },
        ),
        (
            protection_changed,
            "organization.creator_protection_changed",
            if org.creator_protection != 0 {
                "on"
            } else {
                "off"
            },
        ),
    ];
    for (changed, action, detail) in settings {
        if changed {
            let event = AuditEntry {
                org_id,
                actor: me,
                action,
                subject,
                detail,
            };
            audit(&mut tx, event).await?;
        }
    }
    let data = json!({"id": org.id, "name": org.name, "slug": org.slug,
        "createdAt": org.created_at, "allowJoinRequests": org.allow_join_requests != 0,
        "creatorProtection": org.creator_protection != 0});
    let queued = emit(&mut tx, org_id, EventType::OrganizationUpdated, data, now()).await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    let roles = access.roles.clone().unwrap_or_default();
    Ok(org.into_wire(state, &access.catalog, roles, owner))
}
