//! Service accounts: machine principals of one organization, acting through their API keys
//! with an organization role (`org:service_accounts:manage`; the role passes the escalation
//! guard, `Action::ManageServiceAccount`). Deleting one removes its workspace grants and
//! group memberships and revokes its keys, in the same transaction.

use super::{audit, begin_org_write, finish_page, page_request, AuditEntry};
use crate::auth::CurrentUser;
use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::token::{new_id_at, now};
use orgkit_core::policy::Action;
use orgkit_core::wire::{
    CreateServiceAccountRequest, Page, ServiceAccount, UpdateServiceAccountRequest,
};
use orgkit_core::workspace::{check_description, check_name};
use orgkit_core::{OrganizationId, ServiceAccountId, Timestamp};

/// A service account as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
struct AccountRow {
    id: String,
    org_id: String,
    name: String,
    description: String,
    role: String,
    created_by: String,
    created_at: i64,
}

const COLUMNS: &str = "id, org_id, name, description, role, created_by, created_at";

impl AccountRow {
    fn into_wire(self) -> ServiceAccount {
        ServiceAccount {
            id: ServiceAccountId(self.id),
            organization_id: OrganizationId(self.org_id),
            name: self.name,
            description: self.description,
            role: self.role,
            created_at: Timestamp(self.created_at),
            created_by: self.created_by,
        }
    }
}

async fn load(
    tx: &mut Tx,
    org_id: &OrganizationId,
    id: &ServiceAccountId,
) -> ApiResult<AccountRow> {
    let sql = format!("SELECT {COLUMNS} FROM service_accounts WHERE org_id = $1 AND id = $2");
    let row: Option<AccountRow> = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    row.ok_or_else(|| ApiError::not_found("Service account"))
}

/// Creates a service account with a role of the organization's catalog (`unknown_role`
/// otherwise) that I could grant.
pub async fn create(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    req: CreateServiceAccountRequest,
) -> ApiResult<ServiceAccount> {
    let name = check_name(&req.name)?;
    let description = check_description(req.description.as_deref().unwrap_or(""))?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let role = req.role.trim();
    locked
        .access
        .check(me, Action::ManageServiceAccount { role: Some(role) })?;
    let at = now();
    let row = AccountRow {
        id: new_id_at(ServiceAccountId::PREFIX, at),
        org_id: org_id.as_str().to_owned(),
        name,
        description,
        role: role.to_owned(),
        created_by: me.id().as_str().to_owned(),
        created_at: at.millis(),
    };
    sqlx::query(
        "INSERT INTO service_accounts (id, org_id, name, description, role, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&row.id)
    .bind(&row.org_id)
    .bind(&row.name)
    .bind(&row.description)
    .bind(&row.role)
    .bind(&row.created_by)
    .bind(row.created_at)
    .execute(&mut *tx)
    .await?;
    let detail = format!("{} ({})", row.name, row.role);
    let entry = AuditEntry {
        org_id,
        actor: me,
        action: "service_account.created",
        subject: &row.id,
        detail: &detail,
    };
    audit(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(row.into_wire())
}

/// One page of the organization's service accounts, oldest first (`org:memberships:read`).
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<ServiceAccount>> {
    let (limit, after) = page_request(limit, after, ServiceAccountId::is_well_formed)?;
    let access = super::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ListMembers)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM service_accounts WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT {}",
        i64::from(limit) + 1
    );
    let rows: Vec<AccountRow> = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(after)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(finish_page(
        rows,
        limit,
        |r| r.id.as_str(),
        AccountRow::into_wire,
    ))
}

/// Changes a service account's name, description or role. A new role must be one I could
/// grant, and so must the role it replaces (when the catalog still has it).
pub async fn update(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &ServiceAccountId,
    req: UpdateServiceAccountRequest,
) -> ApiResult<ServiceAccount> {
    let name = req.name.as_deref().map(check_name).transpose()?;
    let description = req
        .description
        .as_deref()
        .map(check_description)
        .transpose()?;
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    let access = &locked.access;
    let new_role = req.role.as_deref().map(str::trim);
    access.check(me, Action::ManageServiceAccount { role: new_role })?;
    let old = load(&mut tx, org_id, id).await?;
    let changes_role = new_role.is_some_and(|r| r != old.role);
    if changes_role && access.catalog.get(&old.role).is_some() {
        access.check(
            me,
            Action::ManageServiceAccount {
                role: Some(&old.role),
            },
        )?;
    }
    let row = AccountRow {
        name: name.unwrap_or_else(|| old.name.clone()),
        description: description.unwrap_or_else(|| old.description.clone()),
        role: new_role.map_or_else(|| old.role.clone(), str::to_owned),
        ..old.clone()
    };
    sqlx::query(
        "UPDATE service_accounts SET name = $1, description = $2, role = $3 \
         WHERE org_id = $4 AND id = $5",
    )
    .bind(&row.name)
    .bind(&row.description)
    .bind(&row.role)
    .bind(org_id.as_str())
    .bind(id.as_str())
    .execute(&mut *tx)
    .await?;
    let detail = if changes_role {
        format!("{}: {} → {}", row.name, old.role, row.role)
    } else {
        row.name.clone()
    };
    let entry = AuditEntry {
        org_id,
        actor: me,
        action: "service_account.updated",
        subject: id.as_str(),
        detail: &detail,
    };
    audit(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(row.into_wire())
}

/// Deletes a service account with its workspace grants and group memberships, and revokes
/// its keys, in one transaction.
pub async fn delete(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &ServiceAccountId,
) -> ApiResult<()> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    locked
        .access
        .check(me, Action::ManageServiceAccount { role: None })?;
    let row = load(&mut tx, org_id, id).await?;
    // Its grants and group rows go, and its live keys are revoked, in this transaction.
    super::workspaces::cascade::service_account_deleted(&mut tx, org_id, id).await?;
    sqlx::query("DELETE FROM service_accounts WHERE org_id = $1 AND id = $2")
        .bind(org_id.as_str())
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
    let entry = AuditEntry {
        org_id,
        actor: me,
        action: "service_account.deleted",
        subject: id.as_str(),
        detail: &row.name,
    };
    audit(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(())
}
