//! Creating, reading, changing and deleting organizations.

use super::access::Access;
use super::rows::{OrgRow, ORG_EXTRA_COLUMNS};
use super::{audit, sso, AuditEntry};
use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, Tx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::{new_id, now};
use crate::webhooks::{self, emit};
use orgkit_core::policy::Action;
use orgkit_core::wire::{CreateOrganizationRequest, Organization, UpdateOrganizationRequest};
use orgkit_core::{validate, ErrorCode, EventType, MembershipId, OrganizationId, Role, UserId};
use serde_json::json;

mod delete;
mod mine;
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

async fn slug_exists(tx: &mut Tx, slug: &str) -> ApiResult<bool> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM organizations WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}

/// The first free slug among `base`, `base-2`, `base-3`, … (the suggestion, when none was given).
async fn free_slug(tx: &mut Tx, base: &str) -> ApiResult<String> {
    for n in 1..=50u32 {
        let candidate = if n == 1 {
            base.to_owned()
        } else {
            let suffix = format!("-{n}");
            let keep = base.len().min(64 - suffix.len());
            format!("{}{suffix}", base[..keep].trim_end_matches('-'))
        };
        if !slug_exists(tx, &candidate).await? {
            return Ok(candidate);
        }
    }
    Ok(format!("{}-{}", &base[..base.len().min(40)], &new_id("")[14..]).to_ascii_lowercase())
}

/// Creates an organization; its creator becomes its admin and owner in the same transaction.
pub async fn create(
    state: &AppState,
    me: &CurrentUser,
    req: CreateOrganizationRequest,
) -> ApiResult<Organization> {
    create_for(state, me, me.id(), req, &Metadata::default()).await
}

/// The public and private metadata of an organization, a membership or an invitation: JSON
/// objects as text (the Clerk-compatible API's `public_metadata` and `private_metadata`).
#[derive(Debug, Clone)]
pub struct Metadata {
    pub public: String,
    pub private: String,
}

impl Default for Metadata {
    fn default() -> Self {
        Metadata {
            public: "{}".to_owned(),
            private: "{}".to_owned(),
        }
    }
}

/// Creates an organization whose first admin is `owner`, with `metadata`, as `me` (the owner
/// itself, or an instance secret key), in one transaction.
pub async fn create_for(
    state: &AppState,
    me: &CurrentUser,
    owner: &UserId,
    req: CreateOrganizationRequest,
    metadata: &Metadata,
) -> ApiResult<Organization> {
    let name = validate::organization_name(&req.name)?;
    let explicit = match req.slug.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => Some(validate::slug(s)?),
        _ => None,
    };
    let id = OrganizationId(new_id(OrganizationId::PREFIX));
    let at = now();
    // Only an instance secret key makes organizations for someone else.
    if owner != me.id() && !super::is_instance_key(me.id()) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "Only an instance secret key creates organizations for another person.",
        ));
    }
    let mut tx = state.db.begin_write().await?;
    super::limits::check_create(state, &mut tx, owner).await?;
    if owner != me.id() {
        let found: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE id = $1")
            .bind(owner.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        found.ok_or_else(|| ApiError::not_found("User"))?;
    }
    let slug = match explicit {
        Some(slug) => slug,
        None => free_slug(&mut tx, &validate::suggest_slug(&name)).await?,
    };
    sqlx::query(
        "INSERT INTO organizations (id, name, slug, created_by, created_at, updated_at, \
           public_metadata, private_metadata) VALUES ($1, $2, $3, $4, $5, $5, $6, $7)",
    )
    .bind(id.as_str())
    .bind(&name)
    .bind(&slug)
    .bind(owner.as_str())
    .bind(at.millis())
    .bind(&metadata.public)
    .bind(&metadata.private)
    .execute(&mut *tx)
    .await
    .map_err(slug_conflict)?;
    sqlx::query("INSERT INTO memberships (id, org_id, user_id, role, created_at, is_owner) VALUES ($1, $2, $3, $4, $5, 1)")
        .bind(new_id(MembershipId::PREFIX))
        .bind(id.as_str())
        .bind(owner.as_str())
        .bind(Role::ADMIN)
        .bind(at.millis())
        .execute(&mut *tx)
        .await?;
    let event = AuditEntry {
        org_id: &id,
        actor: me,
        action: "organization.created",
        subject: id.as_str(),
        detail: &name,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    let org = OrgRow::created(id, name, slug, at);
    let catalog = std::sync::Arc::clone(state.role_catalogs.base());
    Ok(org.into_wire(state, &catalog, vec![Role::ADMIN.to_owned()], true))
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
