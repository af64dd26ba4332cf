//! Creating, reading, changing and deleting organizations.

use super::{audit, check, member, membership_wire, organization_wire, MEMBER_COLUMNS};
use crate::auth::CurrentUser;
use crate::db::{is_unique_violation, Tx};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::{new_id, now};
use orgkit_core::policy::Action;
use orgkit_core::wire::{
    CreateOrganizationRequest, Membership, Organization, UpdateOrganizationRequest,
};
use orgkit_core::{validate, ErrorCode, Permission, Role};

fn slug_taken() -> ApiError {
    ApiError::new(
        ErrorCode::SlugTaken,
        "Another organization already uses this slug.",
    )
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
    let name = validate::organization_name(&req.name)?;
    let explicit = match req.slug.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => Some(validate::slug(s)?),
        _ => None,
    };
    let id = new_id("org_");
    let at = now().millis();
    let mut tx = state.db.begin_write().await?;
    let slug = match explicit {
        Some(slug) => slug,
        None => free_slug(&mut tx, &validate::suggest_slug(&name)).await?,
    };
    let inserted = sqlx::query(
        "INSERT INTO organizations (id, name, slug, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(&id)
    .bind(&name)
    .bind(&slug)
    .bind(me.id())
    .bind(at)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => return Err(slug_taken()),
        other => other?,
    };
    sqlx::query("INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(new_id("mem_"))
        .bind(&id)
        .bind(me.id())
        .bind(Role::ADMIN)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    audit(&mut tx, &id, me.id(), "organization.created", &id, &name).await?;
    tx.commit().await?;
    Ok(organization_wire(
        state,
        id,
        name,
        slug,
        at,
        Role::ADMIN.to_owned(),
    ))
}

type OrgRow = (String, String, String, i64, Option<String>);

/// The organization and my role in it (`None`: not a member), in one query.
async fn load(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org_id: &str,
    user_id: &str,
) -> ApiResult<Option<OrgRow>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.name, o.slug, o.created_at, m.role FROM organizations o \
         LEFT JOIN memberships m ON m.org_id = o.id AND m.user_id = $2 WHERE o.id = $1",
    )
    .bind(org_id)
    .bind(user_id)
    .fetch_optional(executor)
    .await?)
}

/// The organization, as a member sees it; non-members get `not_found`.
pub async fn get(state: &AppState, me: &CurrentUser, org_id: &str) -> ApiResult<Organization> {
    let row = load(&state.db.pool, org_id, me.id()).await?;
    let (id, name, slug, created_at, role) =
        row.ok_or_else(|| ApiError::not_found("Organization"))?;
    check(state, me.id(), role.as_deref(), Action::ReadOrganization)?;
    Ok(organization_wire(
        state,
        id,
        name,
        slug,
        created_at,
        role.unwrap_or_default(),
    ))
}

/// Whether I hold `permission` in the organization.
pub async fn has_permission(
    state: &AppState,
    me: &CurrentUser,
    org_id: &str,
    permission: &str,
) -> ApiResult<bool> {
    let permission =
        Permission::parse(permission).ok_or_else(|| ApiError::validation("Unknown permission."))?;
    let org = get(state, me, org_id).await?;
    Ok(org.permissions.iter().any(|p| p == permission.as_str()))
}

/// Renames the organization or changes its slug.
pub async fn update(
    state: &AppState,
    me: &CurrentUser,
    org_id: &str,
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
    let (id, old_name, old_slug, created_at, role) = load(&mut *tx, org_id, me.id())
        .await?
        .ok_or_else(|| ApiError::not_found("Organization"))?;
    check(state, me.id(), role.as_deref(), Action::UpdateOrganization)?;
    let (name, slug) = (name.unwrap_or(old_name), slug.unwrap_or(old_slug));
    let updated =
        sqlx::query("UPDATE organizations SET name = $1, slug = $2, updated_at = $3 WHERE id = $4")
            .bind(&name)
            .bind(&slug)
            .bind(now().millis())
            .bind(&id)
            .execute(&mut *tx)
            .await;
    match updated {
        Err(e) if is_unique_violation(&e) => return Err(slug_taken()),
        other => other?,
    };
    audit(&mut tx, &id, me.id(), "organization.updated", &id, &name).await?;
    tx.commit().await?;
    Ok(organization_wire(
        state,
        id,
        name,
        slug,
        created_at,
        role.unwrap_or_default(),
    ))
}

/// Deletes the organization with its memberships and invitations, in one transaction.
pub async fn delete(state: &AppState, me: &CurrentUser, org_id: &str) -> ApiResult<()> {
    let mut tx = state.db.begin_write().await?;
    state.db.lock_organization(&mut tx, org_id, me.id()).await?;
    let row = load(&mut *tx, org_id, me.id())
        .await?
        .ok_or_else(|| ApiError::not_found("Organization"))?;
    check(state, me.id(), row.4.as_deref(), Action::DeleteOrganization)?;
    for sql in [
        "DELETE FROM invitations WHERE org_id = $1",
        "DELETE FROM memberships WHERE org_id = $1",
        "DELETE FROM organizations WHERE id = $1",
    ] {
        sqlx::query(sql).bind(org_id).execute(&mut *tx).await?;
    }
    audit(
        &mut tx,
        org_id,
        me.id(),
        "organization.deleted",
        org_id,
        &row.1,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// My memberships, each with its organization.
pub async fn my_memberships(state: &AppState, me: &CurrentUser) -> ApiResult<Vec<Membership>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS}, o.name, o.slug, o.created_at FROM memberships m \
         JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.org_id \
         WHERE m.user_id = $1 ORDER BY m.id"
    );
    let rows: Vec<sqlx::any::AnyRow> = sqlx::query(&sql)
        .bind(me.id())
        .fetch_all(&state.db.pool)
        .await?;
    rows.into_iter()
        .map(|row| {
            use sqlx::Row;
            let member: super::MemberRow = (
                row.try_get(0)?,
                row.try_get(1)?,
                row.try_get(2)?,
                row.try_get(3)?,
                row.try_get(4)?,
                row.try_get(5)?,
                row.try_get(6)?,
            );
            let org = organization_wire(
                state,
                member.1.clone(),
                row.try_get(7)?,
                row.try_get(8)?,
                row.try_get(9)?,
                member.3.clone(),
            );
            Ok(membership_wire(member, Some(org)))
        })
        .collect()
}

/// One member of an organization with the organization filled in, read inside `tx`.
pub(crate) async fn membership_with_org(
    state: &AppState,
    tx: &mut Tx,
    org_id: &str,
    user_id: &str,
) -> ApiResult<Membership> {
    let row = member(tx, org_id, user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("Member"))?;
    let org: (String, String, String, i64) =
        sqlx::query_as("SELECT id, name, slug, created_at FROM organizations WHERE id = $1")
            .bind(org_id)
            .fetch_one(&mut **tx)
            .await?;
    let organization = organization_wire(state, org.0, org.1, org.2, org.3, row.3.clone());
    Ok(membership_wire(row, Some(organization)))
}
