//! Single sign-on through an organization's OIDC connections.
//!
//! The admin side: create, list, read, change, delete ([`admin`]), test discovery
//! ([`discovery`]), the domains a connection serves (`domains`), and "require SSO".
//!
//! Signing in:
//! - [`sign_in`]: start (pick the connection, store the state's hash, answer the provider's
//!   URL) and the password sign-in's "require SSO" check.
//! - [`sign_in_callback`]: the provider's answer: state, code exchange, ID token.
//! - `sign_in_records`: the one transaction that follows (user, identity, membership,
//!   session, audit, webhook).
//! - `oidc`: the provider client built from discovery, and what is derived from the state
//!   (nonce, PKCE verifier).
//! - `egress`: the one HTTP client for providers (redirects refused, bounded timeouts,
//!   addresses filtered with the webhook rules unless `--sso-allow-private`).
//! - `providers`: that client and the per-issuer cache of metadata and keys (in the state).
//!
//! Every write locks the organization and asks the rule book (`org:sso:manage`,
//! `sso::connection`). The client secret is sealed with the server's key, the connection id
//! as associated data, and never answered. A domain serves at most one connection: the rule
//! book refuses it under the organization's lock, and the unique index
//! `sso_connection_domains_domain` backs that up.

mod admin;
mod discovery;
mod domains;
mod egress;
mod oidc;
mod providers;
pub mod sign_in;
pub mod sign_in_callback;
mod sign_in_records;

pub use admin::{create, delete, update};
pub use discovery::test;
pub(crate) use domains::{check_domain_delete, check_enrollment_mode};
pub use providers::Providers;
pub(crate) use sign_in_records::NO_PASSWORD;

use crate::auth::CurrentUser;
use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::service::{audit, finish_page, page_request, AuditEntry};
use crate::state::AppState;
use orgkit_core::policy::Action;
use orgkit_core::sso::connection::{self as rules, ConnectionState};
use orgkit_core::wire::{Page, SsoClaimMapping, SsoConnection, SsoConnectionDomain};
use orgkit_core::{DomainId, OrganizationId, Role, SsoConnectionId, Timestamp, UserId};
use std::collections::HashMap;

const COLUMNS: &str = "c.id, c.org_id, c.name, c.issuer, c.client_id, c.scopes, c.pkce, \
    c.claim_email, c.claim_name, c.claim_email_verified, c.state, c.jit_enabled, c.jit_role, \
    c.created_by, c.created_at, c.updated_at";

#[derive(Debug, Clone, sqlx::FromRow)]
struct ConnectionRow {
    #[sqlx(try_from = "String")]
    id: SsoConnectionId,
    #[sqlx(try_from = "String")]
    org_id: OrganizationId,
    name: String,
    issuer: String,
    client_id: String,
    scopes: String,
    pkce: i64,
    claim_email: String,
    claim_name: String,
    claim_email_verified: String,
    state: String,
    jit_enabled: i64,
    jit_role: Option<String>,
    #[sqlx(try_from = "String")]
    created_by: UserId,
    #[sqlx(try_from = "i64")]
    created_at: Timestamp,
    #[sqlx(try_from = "i64")]
    updated_at: Timestamp,
}

impl ConnectionRow {
    fn state(&self) -> ConnectionState {
        ConnectionState::parse(&self.state).unwrap_or(ConnectionState::Inactive)
    }

    fn into_wire(self, state: &AppState, domains: Vec<SsoConnectionDomain>) -> SsoConnection {
        SsoConnection {
            callback_url: format!("{}/v1/sso/callback/{}", state.public_url, self.id),
            state: self.state(),
            id: self.id,
            organization_id: self.org_id,
            name: self.name,
            issuer: self.issuer,
            client_id: self.client_id,
            has_client_secret: true,
            scopes: self.scopes,
            pkce: self.pkce != 0,
            claim_mapping: SsoClaimMapping {
                email: self.claim_email,
                name: self.claim_name,
                email_verified: self.claim_email_verified,
            },
            jit_enabled: self.jit_enabled != 0,
            jit_role: Role(
                self.jit_role
                    .unwrap_or_else(|| Role::BASIC_MEMBER.to_owned()),
            ),
            domains,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// The domains of the organization's connections, by connection id, each list by name.
async fn domains_by_connection(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org_id: &OrganizationId,
) -> ApiResult<HashMap<String, Vec<SsoConnectionDomain>>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT cd.connection_id, d.id, d.name FROM sso_connection_domains cd \
         JOIN org_domains d ON d.id = cd.domain_id WHERE d.org_id = $1 ORDER BY d.name",
    )
    .bind(org_id.as_str())
    .fetch_all(executor)
    .await?;
    let mut by_connection: HashMap<String, Vec<SsoConnectionDomain>> = HashMap::new();
    for (connection, id, name) in rows {
        by_connection
            .entry(connection)
            .or_default()
            .push(SsoConnectionDomain {
                id: DomainId(id),
                name,
            });
    }
    Ok(by_connection)
}

async fn load(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org_id: &OrganizationId,
    id: &SsoConnectionId,
) -> ApiResult<ConnectionRow> {
    let sql = format!("SELECT {COLUMNS} FROM sso_connections c WHERE c.org_id = $1 AND c.id = $2");
    sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(id.as_str())
        .fetch_optional(executor)
        .await?
        .ok_or_else(not_found)
}

fn not_found() -> ApiError {
    ApiError::not_found("SSO connection")
}

/// A connection as the answer shows it, read in `tx`.
async fn answer(state: &AppState, tx: &mut Tx, row: ConnectionRow) -> ApiResult<SsoConnection> {
    let mut domains = domains_by_connection(&mut **tx, &row.org_id).await?;
    let mine = domains.remove(row.id.as_str()).unwrap_or_default();
    Ok(row.into_wire(state, mine))
}

async fn check_read(state: &AppState, me: &CurrentUser, org_id: &OrganizationId) -> ApiResult<()> {
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ManageSso)
}

/// One page of the organization's connections, oldest first.
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<SsoConnection>> {
    let (limit, after) = page_request(limit, after, SsoConnectionId::is_well_formed)?;
    check_read(state, me, org_id).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM sso_connections c WHERE c.org_id = $1 AND c.id > $2 \
         ORDER BY c.id LIMIT $3"
    );
    let rows: Vec<ConnectionRow> = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(after)
        .bind(i64::from(limit) + 1)
        .fetch_all(&state.db.pool)
        .await?;
    let mut domains = domains_by_connection(&state.db.pool, org_id).await?;
    Ok(finish_page(
        rows,
        limit,
        |r| r.id.as_str(),
        |r| {
            let mine = domains.remove(r.id.as_str()).unwrap_or_default();
            r.into_wire(state, mine)
        },
    ))
}

/// One connection.
pub async fn get(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &SsoConnectionId,
) -> ApiResult<SsoConnection> {
    check_read(state, me, org_id).await?;
    let row = load(&state.db.pool, org_id, id).await?;
    let mut domains = domains_by_connection(&state.db.pool, org_id).await?;
    let mine = domains.remove(row.id.as_str()).unwrap_or_default();
    Ok(row.into_wire(state, mine))
}

/// How many of the organization's connections are active, leaving out `except`.
async fn active_count(
    tx: &mut Tx,
    org_id: &OrganizationId,
    except: Option<&SsoConnectionId>,
) -> ApiResult<u64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sso_connections WHERE org_id = $1 AND state = 'active' AND id <> $2",
    )
    .bind(org_id.as_str())
    .bind(except.map_or("", SsoConnectionId::as_str))
    .fetch_one(&mut **tx)
    .await?;
    Ok(n.max(0) as u64)
}

/// Whether the organization requires SSO, read in `tx` (which holds its lock).
async fn requires_sso(tx: &mut Tx, org_id: &OrganizationId) -> ApiResult<bool> {
    let (on,): (i64,) = sqlx::query_as("SELECT require_sso FROM organizations WHERE id = $1")
        .bind(org_id.as_str())
        .fetch_one(&mut **tx)
        .await?;
    Ok(on != 0)
}

/// Turns "require SSO" on or off inside an organization update (`tx` holds the lock, the
/// caller checked `org:sso:manage`). Answers whether it changed; a change is audited.
pub(crate) async fn set_require_sso(
    tx: &mut Tx,
    me: &CurrentUser,
    org_id: &OrganizationId,
    was: bool,
    on: bool,
) -> ApiResult<bool> {
    if was == on {
        return Ok(false);
    }
    rules::check_require_sso(on, active_count(tx, org_id, None).await?)?;
    sqlx::query("UPDATE organizations SET require_sso = $2 WHERE id = $1")
        .bind(org_id.as_str())
        .bind(i64::from(on))
        .execute(&mut **tx)
        .await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "organization.require_sso_changed",
        subject: org_id.as_str(),
        detail: if on { "required" } else { "not required" },
    };
    audit(tx, event).await?;
    Ok(true)
}
