//! Creating, changing and deleting connections, each in one transaction that locks the
//! organization.

use super::domains::{distinct, replace};
use super::{active_count, answer, load, requires_sso};
use crate::auth::CurrentUser;
use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::service::{audit, begin_org_write, AuditEntry};
use crate::state::AppState;
use crate::token::{new_id_at, now};
use crate::webhooks::Sealer;
use orgkit_core::policy::Action;
use orgkit_core::sso::connection::{self as rules, ConnectionChange, ConnectionState};
use orgkit_core::wire::{
    CreateSsoConnectionRequest, SsoClaimMappingInput, SsoConnection, UpdateSsoConnectionRequest,
};
use orgkit_core::{ErrorCode, OrganizationId, SsoConnectionId};

fn sealer(state: &AppState) -> ApiResult<&Sealer> {
    state.webhooks.sealer.as_ref().ok_or_else(|| {
        ApiError::new(
            ErrorCode::SsoNotConfigured,
            "SSO is off: the server has no --secret-key to keep client secrets with.",
        )
    })
}

/// The claim names after applying `input` to `current` (email, name, email verified).
fn claims(current: [String; 3], input: Option<SsoClaimMappingInput>) -> ApiResult<[String; 3]> {
    let [email, name, verified] = current;
    let input = input.unwrap_or_default();
    let claims = [
        input.email.unwrap_or(email),
        input.name.unwrap_or(name),
        input.email_verified.unwrap_or(verified),
    ];
    for claim in &claims {
        rules::check_claim(claim)?;
    }
    Ok(claims)
}

async fn audit_event(
    tx: &mut Tx,
    me: &CurrentUser,
    org_id: &OrganizationId,
    action: &'static str,
    connection: &SsoConnection,
) -> ApiResult<()> {
    let detail = format!("{} ({})", connection.name, connection.issuer);
    let event = AuditEntry {
        org_id,
        actor: me,
        action,
        subject: connection.id.as_str(),
        detail: &detail,
    };
    audit(tx, event).await
}

/// Creates a connection, as a draft, serving the domains given.
pub async fn create(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    req: CreateSsoConnectionRequest,
) -> ApiResult<SsoConnection> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    locked.access.check(me, Action::ManageSso)?;
    if let Some(jit_role) = &req.jit_role {
        locked.access.check(
            me,
            Action::SetSsoJitRole {
                role: jit_role.as_str(),
            },
        )?;
    }
    let name = rules::check_name(&req.name)?;
    let issuer = rules::check_issuer(&req.issuer, state.config.dev)?;
    rules::check_client_id(&req.client_id)?;
    rules::check_client_secret(&req.client_secret)?;
    let scopes = rules::check_scopes(req.scopes.as_deref().unwrap_or(rules::DEFAULT_SCOPES))?;
    let defaults = ["email", "name", "email_verified"].map(str::to_owned);
    let [claim_email, claim_name, claim_verified] = claims(defaults, req.claim_mapping)?;
    let domain_ids = req.domain_ids.unwrap_or_default();
    let domain_ids = distinct(&domain_ids);
    rules::check_domain_count(ConnectionState::Draft, domain_ids.len())?;
    let sealer = sealer(state)?;
    let at = now();
    let id = SsoConnectionId(new_id_at(SsoConnectionId::PREFIX, at));
    sqlx::query(
        "INSERT INTO sso_connections (id, org_id, name, issuer, client_id, client_secret_sealed, \
         scopes, pkce, claim_email, claim_name, claim_email_verified, state, jit_enabled, \
         jit_role, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $13, $14, $15, $15)",
    )
    .bind(id.as_str())
    .bind(org_id.as_str())
    .bind(name)
    .bind(&issuer)
    .bind(&req.client_id)
    .bind(sealer.seal(id.as_str(), &req.client_secret)?)
    .bind(&scopes)
    .bind(i64::from(req.pkce.unwrap_or(true)))
    .bind(&claim_email)
    .bind(&claim_name)
    .bind(&claim_verified)
    .bind(i64::from(req.jit_enabled.unwrap_or(true)))
    .bind(req.jit_role.as_ref().map(|r| r.as_str()))
    .bind(me.id().as_str())
    .bind(at.millis())
    .execute(&mut *tx)
    .await?;
    replace(&mut tx, org_id, &id, &domain_ids).await?;
    let row = load(&mut *tx, org_id, &id).await?;
    let created = answer(state, &mut tx, row).await?;
    audit_event(&mut tx, me, org_id, "sso_connection.created", &created).await?;
    tx.commit().await?;
    Ok(created)
}

/// Changes a connection: its settings, its domains, its state (`active` / `inactive`), its
/// client secret. The rule book decides what may change in which state.
pub async fn update(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &SsoConnectionId,
    req: UpdateSsoConnectionRequest,
) -> ApiResult<SsoConnection> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    locked.access.check(me, Action::ManageSso)?;
    if let Some(jit_role) = &req.jit_role {
        locked.access.check(
            me,
            Action::SetSsoJitRole {
                role: jit_role.as_str(),
            },
        )?;
    }
    let row = load(&mut *tx, org_id, id).await?;
    let from = row.state();
    let to = req.state.unwrap_or(from);
    let name = req.name.as_deref().map(rules::check_name).transpose()?;
    let issuer = req
        .issuer
        .as_deref()
        .map(|i| rules::check_issuer(i, state.config.dev))
        .transpose()?;
    if let Some(client_id) = &req.client_id {
        rules::check_client_id(client_id)?;
    }
    if let Some(secret) = &req.client_secret {
        rules::check_client_secret(secret)?;
    }
    let scopes = req.scopes.as_deref().map(rules::check_scopes).transpose()?;
    let current = [
        row.claim_email.clone(),
        row.claim_name.clone(),
        row.claim_email_verified.clone(),
    ];
    let [claim_email, claim_name, claim_verified] = claims(current, req.claim_mapping)?;
    let changes_provider = issuer.as_ref().is_some_and(|i| *i != row.issuer)
        || req.client_id.as_ref().is_some_and(|c| *c != row.client_id);
    let new_domains = req.domain_ids.as_deref().map(distinct);
    let domain_count = match &new_domains {
        Some(ids) => ids.len(),
        None => {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM sso_connection_domains WHERE connection_id = $1",
            )
            .bind(id.as_str())
            .fetch_one(&mut *tx)
            .await?;
            n.max(0) as usize
        }
    };
    rules::check_change(ConnectionChange {
        from,
        to,
        changes_provider,
        domain_count,
        require_sso: requires_sso(&mut tx, org_id).await?,
        other_active: active_count(&mut tx, org_id, Some(id)).await?,
    })?;
    let sealed = match &req.client_secret {
        Some(secret) => Some(sealer(state)?.seal(id.as_str(), secret)?),
        None => None,
    };
    sqlx::query(
        "UPDATE sso_connections SET name = $2, issuer = $3, client_id = $4, \
         client_secret_sealed = COALESCE($5, client_secret_sealed), scopes = $6, pkce = $7, \
         claim_email = $8, claim_name = $9, claim_email_verified = $10, state = $11, \
         jit_enabled = $12, jit_role = $13, updated_at = $14 WHERE id = $1",
    )
    .bind(id.as_str())
    .bind(name.unwrap_or(&row.name))
    .bind(issuer.as_deref().unwrap_or(&row.issuer))
    .bind(req.client_id.as_deref().unwrap_or(&row.client_id))
    .bind(sealed)
    .bind(scopes.as_deref().unwrap_or(&row.scopes))
    .bind(req.pkce.map_or(row.pkce, i64::from))
    .bind(&claim_email)
    .bind(&claim_name)
    .bind(&claim_verified)
    .bind(to.as_str())
    .bind(req.jit_enabled.map_or(row.jit_enabled, i64::from))
    .bind(
        req.jit_role
            .as_ref()
            .map(|r| r.as_str().to_owned())
            .or(row.jit_role.clone()),
    )
    .bind(now().millis())
    .execute(&mut *tx)
    .await?;
    if let Some(ids) = &new_domains {
        replace(&mut tx, org_id, id, ids).await?;
    }
    let row = load(&mut *tx, org_id, id).await?;
    let updated = answer(state, &mut tx, row).await?;
    audit_event(&mut tx, me, org_id, "sso_connection.updated", &updated).await?;
    if from != to {
        let action = match to {
            ConnectionState::Active => "sso_connection.activated",
            _ => "sso_connection.deactivated",
        };
        audit_event(&mut tx, me, org_id, action, &updated).await?;
    }
    tx.commit().await?;
    Ok(updated)
}

/// Deletes a connection that is not active; the identities it linked stay with their users.
pub async fn delete(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &SsoConnectionId,
) -> ApiResult<()> {
    let (mut tx, locked) = begin_org_write(state, me, org_id).await?;
    locked.access.check(me, Action::ManageSso)?;
    let row = load(&mut *tx, org_id, id).await?;
    rules::check_delete(row.state())?;
    let gone = answer(state, &mut tx, row).await?;
    sqlx::query("DELETE FROM sso_connection_domains WHERE connection_id = $1")
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sso_connections WHERE id = $1")
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
    audit_event(&mut tx, me, org_id, "sso_connection.deleted", &gone).await?;
    tx.commit().await?;
    Ok(())
}
