//! An organization's roles: the catalog every member reads (the SDK runs `authorize` over it),
//! its custom roles (create, edit, delete) and its role settings (`creatorRole`,
//! `defaultRole`). Each write is one transaction under the organization's lock that asks the
//! rule book, bumps `organizations.roles_version` (every server's cached catalog is then
//! stale, see `access`) and audits.

use super::{audit, begin_org_write, AuditEntry};
use crate::auth::CurrentUser;
use crate::db::{p, Tx, WriteTx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::now;
use orgkit_core::custom_role::{check_role_key, check_role_text, RoleSettings};
use orgkit_core::policy::{Action, RoleUsage};
use orgkit_core::role::RoleDefinition;
use orgkit_core::wire::{
    CreateRoleRequest, RoleCatalogBody, RoleInfo, RoleSettingsRequest, UpdateRoleRequest,
};
use orgkit_core::{OrganizationId, PermissionSet, Role, RoleCatalog};

/// The organization's roles, permission catalog and role settings, for any member;
/// `not_found` for others.
pub async fn catalog(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<RoleCatalogBody> {
    let access = super::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ReadOrganization)?;
    let mut conn = state.db.pool.acquire().await?;
    let settings = settings(&mut *conn, org_id).await?;
    Ok(RoleCatalogBody::of(&access.catalog, &settings))
}

/// The organization's role settings, read through `conn` (a transaction over either driver,
/// or a pool connection).
pub(crate) async fn settings<W: WriteTx + ?Sized>(
    conn: &mut W,
    org_id: &OrganizationId,
) -> ApiResult<RoleSettings> {
    let row = conn
        .fetch_optional(
            "SELECT creator_role, default_role FROM organizations WHERE id = $1",
            &[p(org_id.as_str())],
        )
        .await?
        .ok_or_else(|| ApiError::not_found("Organization"))?;
    let (creator, default) = (row.opt_text("creator_role")?, row.opt_text("default_role")?);
    Ok(RoleSettings::stored(creator, default))
}

/// The role the organization gives when none is named (`defaultRole`).
pub(crate) async fn default_role<W: WriteTx + ?Sized>(
    conn: &mut W,
    org_id: &OrganizationId,
) -> ApiResult<String> {
    Ok(settings(conn, org_id).await?.default_role)
}

/// The permissions named by `keys`, from the catalog (`unknown_permission` otherwise).
fn grants(catalog: &RoleCatalog, keys: &[String]) -> ApiResult<PermissionSet> {
    Ok(catalog.permission_catalog().parse_all(keys)?)
}

/// Creates a custom role (`org:roles:manage`; nothing beyond my own permissions; at most 20).
pub async fn create(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    req: &CreateRoleRequest,
) -> ApiResult<RoleInfo> {
    check_role_key(&req.key)?;
    let (name, description) = check_role_text(&req.name, &req.description)?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let catalog = &locked.access.catalog;
    let granted = grants(catalog, &req.permissions)?;
    let action = Action::CreateRole {
        grants: granted,
        custom_roles: catalog.custom_roles().count(),
        key_taken: catalog.get(&req.key).is_some(),
    };
    locked.access.check(me, action)?;
    let at = now().millis();
    sqlx::query(
        "INSERT INTO organization_roles (org_id, key, name, description, permissions, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(org_id.as_str())
    .bind(&req.key)
    .bind(name)
    .bind(description)
    .bind(permission_json(catalog, granted)?)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    bump_version(&mut tx, org_id).await?;
    let role = RoleDefinition {
        key: req.key.clone(),
        name: name.to_owned(),
        description: description.to_owned(),
        permissions: granted,
    };
    let detail = catalog.names(granted).join(" ");
    record(&mut tx, me, org_id, "role.created", &role.key, &detail).await?;
    tx.commit().await?;
    Ok(RoleInfo::of(catalog, &role))
}

/// Changes a custom role's name, description or permissions. Its current and new permissions
/// must both be within mine, and an edit never leaves the organization without an admin.
pub async fn update(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    key: &str,
    req: &UpdateRoleRequest,
) -> ApiResult<RoleInfo> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let catalog = &locked.access.catalog;
    let current = existing(catalog, key)?;
    let name = req.name.as_deref().unwrap_or(&current.name);
    let description = req.description.as_deref().unwrap_or(&current.description);
    let (name, description) = check_role_text(name, description)?;
    let granted = match &req.permissions {
        Some(keys) => grants(catalog, keys)?,
        None => current.permissions,
    };
    let edited = catalog.with_role_permissions(key, granted);
    let admin_count_after = if granted == current.permissions {
        None
    } else {
        Some(admins_under(&mut tx, &edited, org_id).await?)
    };
    let action = Action::UpdateRole {
        role: key,
        grants: granted,
        admin_count_after,
    };
    locked.access.check(me, action)?;
    sqlx::query(
        "UPDATE organization_roles SET name = $3, description = $4, permissions = $5, updated_at = $6 \
         WHERE org_id = $1 AND key = $2",
    )
    .bind(org_id.as_str())
    .bind(key)
    .bind(name)
    .bind(description)
    .bind(permission_json(catalog, granted)?)
    .bind(now().millis())
    .execute(&mut *tx)
    .await?;
    bump_version(&mut tx, org_id).await?;
    if granted != current.permissions {
        // Session tokens minted for the role's holders carry its old permissions.
        sqlx::query(
            "UPDATE memberships SET version = version + 1 WHERE org_id = $1 AND (role = $2 OR \
             user_id IN (SELECT user_id FROM membership_roles WHERE org_id = $1 AND role = $2))",
        )
        .bind(org_id.as_str())
        .bind(key)
        .execute(&mut *tx)
        .await?;
    }
    let role = RoleDefinition {
        key: key.to_owned(),
        name: name.to_owned(),
        description: description.to_owned(),
        permissions: granted,
    };
    let detail = catalog.names(granted).join(" ");
    record(&mut tx, me, org_id, "role.updated", key, &detail).await?;
    tx.commit().await?;
    Ok(RoleInfo::of(catalog, &role))
}

/// Deletes a custom role that nothing uses: no member holds it, it is neither the creator
/// nor the default role, and no pending invitation or request, live invite link or SSO
/// connection gives it.
pub async fn delete(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    key: &str,
) -> ApiResult<()> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let catalog = &locked.access.catalog;
    existing(catalog, key)?;
    let usage = usage(&mut tx, org_id, key).await?;
    locked
        .access
        .check(me, Action::DeleteRole { role: key, usage })?;
    sqlx::query("DELETE FROM organization_roles WHERE org_id = $1 AND key = $2")
        .bind(org_id.as_str())
        .bind(key)
        .execute(&mut *tx)
        .await?;
    bump_version(&mut tx, org_id).await?;
    record(&mut tx, me, org_id, "role.deleted", key, "").await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the creator and/or default role (`org:roles:manage`; the creator role must hold
/// memberships manage and read, and delete; neither beyond my permissions).
pub async fn set_settings(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    req: &RoleSettingsRequest,
) -> ApiResult<RoleCatalogBody> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let catalog = &locked.access.catalog;
    let action = Action::SetRoleSettings {
        creator_role: req.creator_role.as_ref().map(Role::as_str),
        default_role: req.default_role.as_ref().map(Role::as_str),
    };
    locked.access.check(me, action)?;
    let before = settings(&mut tx, org_id).await?;
    let after = RoleSettings {
        creator_role: req
            .creator_role
            .as_ref()
            .map_or_else(|| before.creator_role.clone(), |r| r.0.clone()),
        default_role: req
            .default_role
            .as_ref()
            .map_or_else(|| before.default_role.clone(), |r| r.0.clone()),
    };
    if after != before {
        sqlx::query("UPDATE organizations SET creator_role = $2, default_role = $3 WHERE id = $1")
            .bind(org_id.as_str())
            .bind(&after.creator_role)
            .bind(&after.default_role)
            .execute(&mut *tx)
            .await?;
        let detail = format!(
            "creator {} -> {}, default {} -> {}",
            before.creator_role, after.creator_role, before.default_role, after.default_role
        );
        record(
            &mut tx,
            me,
            org_id,
            "roles.settings_changed",
            org_id.as_str(),
            &detail,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(RoleCatalogBody::of(catalog, &after))
}

/// The custom or built-in role `key` (`not_found` when the organization has none).
fn existing<'c>(catalog: &'c RoleCatalog, key: &str) -> ApiResult<&'c RoleDefinition> {
    catalog.get(key).ok_or_else(|| ApiError::not_found("Role"))
}

/// The active admins once the catalog is `edited`, counted under the edited catalog.
async fn admins_under(
    tx: &mut Tx,
    edited: &RoleCatalog,
    org_id: &OrganizationId,
) -> ApiResult<u64> {
    let count = super::admins::admin_count_sql(edited, 3, |user| format!("{user} = $2"), None);
    let sql = format!("SELECT {}", count.columns);
    let mut query = sqlx::query_as::<_, (i64, Option<String>)>(&sql)
        .bind(org_id.as_str())
        .bind("");
    for key in count.keys {
        query = query.bind(key);
    }
    let (full, partial) = query.fetch_one(&mut **tx).await?;
    Ok(super::admins::admins(edited, full, partial.as_deref()))
}

/// What still uses the role `key`, read inside `tx`.
async fn usage(tx: &mut Tx, org_id: &OrganizationId, key: &str) -> ApiResult<RoleUsage> {
    let (members, grants, creator, default): (i64, i64, Option<String>, Option<String>) =
        sqlx::query_as(
            "SELECT \
               (SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = $2) + \
               (SELECT COUNT(*) FROM membership_roles WHERE org_id = $1 AND role = $2), \
               (SELECT COUNT(*) FROM invitations WHERE org_id = $1 AND role = $2 AND status = 'pending') + \
               (SELECT COUNT(*) FROM invite_links WHERE org_id = $1 AND role = $2 AND revoked_at IS NULL) + \
               (SELECT COUNT(*) FROM join_requests WHERE org_id = $1 AND role = $2 AND status = 'pending') + \
               (SELECT COUNT(*) FROM sso_connections WHERE org_id = $1 AND jit_role = $2), \
               o.creator_role, o.default_role FROM organizations o WHERE o.id = $1",
        )
        .bind(org_id.as_str())
        .bind(key)
        .fetch_one(&mut **tx)
        .await?;
    let settings = RoleSettings::stored(creator, default);
    Ok(RoleUsage {
        members: members.max(0) as u64,
        creator_role: settings.creator_role == key,
        default_role: settings.default_role == key,
        grants: grants.max(0) as u64,
    })
}

/// The permission keys of `set` as stored: a JSON array.
fn permission_json(catalog: &RoleCatalog, set: PermissionSet) -> ApiResult<String> {
    serde_json::to_string(&catalog.names(set)).map_err(|e| ApiError::Internal(e.into()))
}

/// Moves the organization's `roles_version`, so every server reads its catalog again.
async fn bump_version(tx: &mut Tx, org_id: &OrganizationId) -> ApiResult<()> {
    sqlx::query("UPDATE organizations SET roles_version = roles_version + 1 WHERE id = $1")
        .bind(org_id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Audits a role change.
async fn record(
    tx: &mut Tx,
    me: &CurrentUser,
    org_id: &OrganizationId,
    action: &'static str,
    subject: &str,
    detail: &str,
) -> ApiResult<()> {
    let event = AuditEntry {
        org_id,
        actor: me,
        action,
        subject,
        detail,
    };
    audit(tx, event).await
}
