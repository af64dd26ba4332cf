//! Creating, reading, changing and deleting organizations.

use super::rows::{MemberRow, OrgRow, MEMBER_COLUMNS};
use super::{audit, check, sso, AuditEntry};
use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, Tx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::{new_id, now};
use crate::webhooks::{self, emit};
use orgkit_core::policy::Action;
use orgkit_core::wire::{
    CreateOrganizationRequest, Membership, Organization, UpdateOrganizationRequest,
};
use orgkit_core::{
    validate, DisabledReason, ErrorCode, EventType, MembershipId, OrganizationId, Role, UserId,
};
use serde_json::json;

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

/// Creates an organization; its creator becomes its admin in the same transaction.
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
    sqlx::query("INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4, $5)")
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
    let org = OrgRow {
        id,
        name,
        slug,
        created_at: at,
        allow_join_requests: 0,
        require_sso: 0,
    };
    Ok(org.into_wire(state, Role::ADMIN.to_owned()))
}

/// An organization with my role in it (`None`: not a member).
#[derive(sqlx::FromRow)]
struct OrgWithMyRole {
    #[sqlx(flatten)]
    org: OrgRow,
    my_role: Option<String>,
}

/// The organization and my role in it, in one query.
async fn load(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org_id: &OrganizationId,
    me: &CurrentUser,
) -> ApiResult<OrgWithMyRole> {
    sqlx::query_as(
        "SELECT o.id, o.name, o.slug, o.created_at, o.allow_join_requests, o.require_sso, m.role AS my_role FROM organizations o \
         LEFT JOIN memberships m ON m.org_id = o.id AND m.user_id = $2 WHERE o.id = $1",
    )
    .bind(org_id.as_str())
    .bind(me.id().as_str())
    .fetch_optional(executor)
    .await?
    .ok_or_else(|| ApiError::not_found("Organization"))
}

/// The organization, as a member sees it; non-members get `not_found`.
pub async fn get(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<Organization> {
    let OrgWithMyRole { org, my_role } = load(&state.db.pool, org_id, me).await?;
    check(state, me.id(), my_role.as_deref(), Action::ReadOrganization)?;
    Ok(org.into_wire(state, my_role.unwrap_or_default()))
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
    let OrgWithMyRole { mut org, my_role } = load(&mut *tx, org_id, me).await?;
    let allow = req.allow_join_requests;
    let require_sso = req.require_sso;
    let only_settings = allow.is_some() || require_sso.is_some();
    // The profile needs `org:profile:manage`; the join-request setting `org:requests:manage`;
    // "require SSO" `org:sso:manage`.
    if name.is_some() || slug.is_some() || !only_settings {
        check(
            state,
            me.id(),
            my_role.as_deref(),
            Action::UpdateOrganization,
        )?;
    }
    let allow_changed = allow.is_some_and(|a| a != (org.allow_join_requests != 0));
    if allow.is_some() {
        check(
            state,
            me.id(),
            my_role.as_deref(),
            Action::SetAllowJoinRequests,
        )?;
    }
    if let Some(on) = require_sso {
        check(state, me.id(), my_role.as_deref(), Action::ManageSso)?;
        if sso::set_require_sso(&mut tx, me, org_id, org.require_sso != 0, on).await? {
            org.require_sso = i64::from(on);
        }
    }
    let profile_changed = name.is_some() || slug.is_some() || !only_settings;
    org.name = name.unwrap_or(org.name);
    org.slug = slug.unwrap_or(org.slug);
    org.allow_join_requests = allow.map_or(org.allow_join_requests, i64::from);
    sqlx::query(
        "UPDATE organizations SET name = $1, slug = $2, allow_join_requests = $3, updated_at = $4 \
         WHERE id = $5",
    )
    .bind(&org.name)
    .bind(&org.slug)
    .bind(org.allow_join_requests)
    .bind(now().millis())
    .bind(org.id.as_str())
    .execute(&mut *tx)
    .await
    .map_err(slug_conflict)?;
    if profile_changed {
        let event = AuditEntry {
            org_id,
            actor: me,
            action: "organization.updated",
            subject: org_id.as_str(),
            detail: &org.name,
        };
        audit(&mut tx, event).await?;
    }
    if allow_changed {
        let on = org.allow_join_requests != 0;
        let event = AuditEntry {
            org_id,
            actor: me,
            action: "organization.join_requests_changed",
            subject: org_id.as_str(),
            detail: if on { "allowed" } else { "not allowed" },
        };
        audit(&mut tx, event).await?;
    }
    let data = json!({"id": org.id, "name": org.name, "slug": org.slug,
        "createdAt": org.created_at, "allowJoinRequests": org.allow_join_requests != 0});
    let queued = emit(&mut tx, org_id, EventType::OrganizationUpdated, data, now()).await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(org.into_wire(state, my_role.unwrap_or_default()))
}

/// Deletes the organization with its memberships and invitations, in one transaction.
pub async fn delete(state: &AppState, me: &CurrentUser, org_id: &OrganizationId) -> ApiResult<()> {
    let mut tx = state.db.begin_write().await?;
    state.db.lock_organization(&mut tx, org_id, me.id()).await?;
    let OrgWithMyRole { org, my_role } = load(&mut *tx, org_id, me).await?;
    check(
        state,
        me.id(),
        my_role.as_deref(),
        Action::DeleteOrganization,
    )?;
    for sql in [
        "DELETE FROM invitations WHERE org_id = $1",
        "DELETE FROM memberships WHERE org_id = $1",
        "DELETE FROM organizations WHERE id = $1",
    ] {
        sqlx::query(sql)
            .bind(org_id.as_str())
            .execute(&mut *tx)
            .await?;
    }
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "organization.deleted",
        subject: org_id.as_str(),
        detail: &org.name,
    };
    audit(&mut tx, event).await?;
    let data = json!({"id": org_id, "deleted": true});
    let queued = emit(&mut tx, org_id, EventType::OrganizationDeleted, data, now()).await?;
    // The endpoints stay, disabled, until this last message and those before it are out.
    sqlx::query(
        "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = $1, updated_at = $2 \
         WHERE org_id = $3",
    )
    .bind(DisabledReason::OrganizationDeleted.as_str())
    .bind(now().millis())
    .bind(org_id.as_str())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    webhooks::wake(state, queued);
    Ok(())
}

/// My memberships, each with its organization.
pub async fn my_memberships(state: &AppState, me: &CurrentUser) -> ApiResult<Vec<Membership>> {
    #[derive(sqlx::FromRow)]
    struct MemberOfOrg {
        #[sqlx(flatten)]
        member: MemberRow,
        org_name: String,
        org_slug: String,
        org_created_at: i64,
        org_allow_join_requests: i64,
        org_require_sso: i64,
    }
    let sql = format!(
        "SELECT {MEMBER_COLUMNS}, o.name AS org_name, o.slug AS org_slug, \
           o.created_at AS org_created_at, o.allow_join_requests AS org_allow_join_requests, \
           o.require_sso AS org_require_sso \
         FROM memberships m \
         JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.org_id \
         WHERE m.user_id = $1 ORDER BY m.id"
    );
    let rows: Vec<MemberOfOrg> = sqlx::query_as(&sql)
        .bind(me.id().as_str())
        .fetch_all(&state.db.pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let org = OrgRow {
                id: row.member.org_id.clone(),
                name: row.org_name,
                slug: row.org_slug,
                created_at: row.org_created_at.into(),
                allow_join_requests: row.org_allow_join_requests,
                require_sso: row.org_require_sso,
            };
            let organization = org.into_wire(state, row.member.role.clone());
            row.member.into_wire(Some(organization))
        })
        .collect())
}
