//! An organization's webhook endpoints: create, list, read, change, delete, rotate the
//! secret, send a test message, list delivery attempts, resend a message. Each write is one
//! transaction that locks the organization, asks the rule book (`org:webhooks:manage`), writes,
//! records an audit event and commits.

use super::emit::payload;
use super::{new_signing_secret, Queued, Sealer};
use crate::auth::CurrentUser;
use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::service::{audit, begin_org_write, finish_page, page_request, AuditEntry};
use crate::state::AppState;
use crate::token::{new_id, new_id_at, now};
use orgkit_core::policy::Action;
use orgkit_core::webhook::{self, SECRET_ROTATION_OVERLAP_MS};
use orgkit_core::wire::{
    CreateWebhookEndpointRequest, Page, UpdateWebhookEndpointRequest, WebhookAttempt,
    WebhookEndpoint, WebhookEndpointWithSecret, WebhookMessageQueued,
};
use orgkit_core::{
    DisabledReason, ErrorCode, EventType, OrganizationId, Timestamp, WebhookAttemptId,
    WebhookEndpointId, WebhookMessageId,
};
use serde_json::json;

mod messages;
pub use messages::{attempts, resend, send_test};

/// An endpoint as stored, without its secrets.
#[derive(Debug, Clone, sqlx::FromRow)]
struct EndpointRow {
    #[sqlx(try_from = "String")]
    id: WebhookEndpointId,
    #[sqlx(try_from = "String")]
    org_id: OrganizationId,
    url: String,
    event_types: String,
    description: String,
    enabled: i64,
    disabled_reason: Option<String>,
    previous_secret_expires_at: Option<i64>,
    #[sqlx(try_from = "i64")]
    created_at: Timestamp,
    #[sqlx(try_from = "i64")]
    updated_at: Timestamp,
}

const ENDPOINT_COLUMNS: &str = "id, org_id, url, event_types, description, enabled, \
    disabled_reason, previous_secret_expires_at, created_at, updated_at";

impl EndpointRow {
    fn into_wire(self) -> WebhookEndpoint {
        let at = now();
        WebhookEndpoint {
            event_types: self
                .event_types
                .split(' ')
                .filter_map(EventType::parse)
                .collect(),
            disabled_reason: if self.enabled == 1 {
                None
            } else {
                Some(
                    self.disabled_reason
                        .as_deref()
                        .and_then(DisabledReason::parse)
                        .unwrap_or(DisabledReason::Manual),
                )
            },
            previous_secret_expires_at: self
                .previous_secret_expires_at
                .map(Timestamp)
                .filter(|expiry| *expiry > at),
            enabled: self.enabled == 1,
            id: self.id,
            organization_id: self.org_id,
            url: self.url,
            description: self.description,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// The stored form of a subscription: space-separated, in catalog order.
fn stored_types(types: &[EventType]) -> String {
    types
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn sealer(state: &AppState) -> ApiResult<&Sealer> {
    state.webhooks.sealer.as_ref().ok_or_else(|| {
        ApiError::new(
            ErrorCode::WebhooksNotConfigured,
            "Webhooks are off: the server has no --secret-key to keep their secrets with.",
        )
    })
}

/// Checks a URL against the rule book, with the server's policy.
fn checked_url(state: &AppState, raw: &str) -> ApiResult<String> {
    Ok(webhook::endpoint_url(raw, state.webhooks.policy)?.url)
}

/// Opens a write on the organization as a holder of `org:webhooks:manage`.
async fn begin_manage(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
) -> ApiResult<Tx> {
    let (tx, locked) = begin_org_write(state, me, org_id).await?;
    locked.access.check(me, Action::ManageWebhooks)?;
    Ok(tx)
}

/// Checks that I may manage the organization's webhooks, for a read.
async fn check_read(state: &AppState, me: &CurrentUser, org_id: &OrganizationId) -> ApiResult<()> {
    let access = crate::service::access::for_read(state, org_id, me.id()).await?;
    access.check(me, Action::ManageWebhooks)
}

async fn load(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    org_id: &OrganizationId,
    id: &WebhookEndpointId,
) -> ApiResult<EndpointRow> {
    let sql =
        format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE org_id = $1 AND id = $2");
    sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(id.as_str())
        .fetch_optional(executor)
        .await?
        .ok_or_else(|| ApiError::not_found("Webhook endpoint"))
}

/// Creates an endpoint; the answer carries its signing secret, shown this once.
pub async fn create(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    req: CreateWebhookEndpointRequest,
) -> ApiResult<WebhookEndpointWithSecret> {
    let url = checked_url(state, &req.url)?;
    let types = webhook::event_types(&req.event_types)?;
    let description = webhook::description(req.description.as_deref().unwrap_or(""))?;
    let sealer = sealer(state)?;
    let mut tx = begin_manage(state, me, org_id).await?;
    let (existing,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM webhook_endpoints WHERE org_id = $1")
            .bind(org_id.as_str())
            .fetch_one(&mut *tx)
            .await?;
    webhook::check_endpoint_count(existing.max(0) as u64)?;
    let at = now();
    let id = WebhookEndpointId(new_id_at(WebhookEndpointId::PREFIX, at));
    let secret = new_signing_secret();
    let sealed = sealer.seal(id.as_str(), &secret)?;
    sqlx::query(
        "INSERT INTO webhook_endpoints (id, org_id, url, event_types, description, enabled, \
           secret, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7)",
    )
    .bind(id.as_str())
    .bind(org_id.as_str())
    .bind(&url)
    .bind(stored_types(&types))
    .bind(&description)
    .bind(sealed)
    .bind(at.millis())
    .execute(&mut *tx)
    .await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "webhook.created",
        subject: id.as_str(),
        detail: &url,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    let endpoint = WebhookEndpoint {
        id,
        organization_id: org_id.clone(),
        url,
        event_types: types,
        description,
        enabled: true,
        disabled_reason: None,
        previous_secret_expires_at: None,
        created_at: at,
        updated_at: at,
    };
    Ok(WebhookEndpointWithSecret { endpoint, secret })
}

/// One page of the organization's endpoints, oldest first.
pub async fn list(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    limit: Option<u32>,
    after: Option<&str>,
) -> ApiResult<Page<WebhookEndpoint>> {
    let (limit, after) = page_request(limit, after, WebhookEndpointId::is_well_formed)?;
    check_read(state, me, org_id).await?;
    let sql = format!(
        "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE org_id = $1 AND id > $2 \
         ORDER BY id LIMIT $3"
    );
    let rows: Vec<EndpointRow> = sqlx::query_as(&sql)
        .bind(org_id.as_str())
        .bind(after)
        .bind(i64::from(limit) + 1)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(finish_page(
        rows,
        limit,
        |r| r.id.as_str(),
        EndpointRow::into_wire,
    ))
}

/// One endpoint.
pub async fn get(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &WebhookEndpointId,
) -> ApiResult<WebhookEndpoint> {
    check_read(state, me, org_id).await?;
    Ok(load(&state.db.pool, org_id, id).await?.into_wire())
}

/// Changes an endpoint's URL, subscription, description, or whether it is enabled.
pub async fn update(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &WebhookEndpointId,
    req: UpdateWebhookEndpointRequest,
) -> ApiResult<WebhookEndpoint> {
    let url = req
        .url
        .as_deref()
        .map(|u| checked_url(state, u))
        .transpose()?;
    let types = req
        .event_types
        .as_deref()
        .map(webhook::event_types)
        .transpose()?;
    let description = req
        .description
        .as_deref()
        .map(webhook::description)
        .transpose()?;
    let mut tx = begin_manage(state, me, org_id).await?;
    let mut row = load(&mut *tx, org_id, id).await?;
    if let Some(url) = url {
        row.url = url;
    }
    if let Some(types) = types {
        row.event_types = stored_types(&types);
    }
    if let Some(description) = description {
        row.description = description;
    }
    match req.enabled {
        Some(true) => {
            row.enabled = 1;
            row.disabled_reason = None;
        }
        Some(false) if row.enabled == 1 => {
            row.enabled = 0;
            row.disabled_reason = Some(DisabledReason::Manual.as_str().to_owned());
        }
        _ => {}
    }
    row.updated_at = now();
    sqlx::query(
        "UPDATE webhook_endpoints SET url = $1, event_types = $2, description = $3, \
           enabled = $4, disabled_reason = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(&row.url)
    .bind(&row.event_types)
    .bind(&row.description)
    .bind(row.enabled)
    .bind(row.disabled_reason.as_deref())
    .bind(row.updated_at.millis())
    .bind(id.as_str())
    .execute(&mut *tx)
    .await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "webhook.updated",
        subject: id.as_str(),
        detail: &row.url,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    Ok(row.into_wire())
}

/// Deletes an endpoint and its attempts. Messages still queued for it are dropped by the
/// worker (`deliver` finds no endpoint).
pub async fn delete(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &WebhookEndpointId,
) -> ApiResult<()> {
    let mut tx = begin_manage(state, me, org_id).await?;
    let row = load(&mut *tx, org_id, id).await?;
    for sql in [
        "DELETE FROM webhook_attempts WHERE endpoint_id = $1",
        "DELETE FROM webhook_endpoints WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id.as_str()).execute(&mut *tx).await?;
    }
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "webhook.deleted",
        subject: id.as_str(),
        detail: &row.url,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives an endpoint a new signing secret, answered this once. The replaced secret keeps
/// signing beside it for [`SECRET_ROTATION_OVERLAP_MS`] (24 hours), so the receiver can switch
/// without losing a message; a second rotation within that time drops the oldest secret.
pub async fn rotate_secret(
    state: &AppState,
    me: &CurrentUser,
    org_id: &OrganizationId,
    id: &WebhookEndpointId,
) -> ApiResult<WebhookEndpointWithSecret> {
    let sealer = sealer(state)?;
    let mut tx = begin_manage(state, me, org_id).await?;
    let mut row = load(&mut *tx, org_id, id).await?;
    let at = now();
    let expires_at = at.plus_millis(SECRET_ROTATION_OVERLAP_MS);
    let secret = new_signing_secret();
    sqlx::query(
        "UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = $1, \
           secret = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(expires_at.millis())
    .bind(sealer.seal(id.as_str(), &secret)?)
    .bind(at.millis())
    .bind(id.as_str())
    .execute(&mut *tx)
    .await?;
    let event = AuditEntry {
        org_id,
        actor: me,
        action: "webhook.secret_rotated",
        subject: id.as_str(),
        detail: &row.url,
    };
    audit(&mut tx, event).await?;
    tx.commit().await?;
    row.previous_secret_expires_at = Some(expires_at.millis());
    row.updated_at = at;
    Ok(WebhookEndpointWithSecret {
        endpoint: row.into_wire(),
        secret,
    })
}

/// A new id for an attempt row.
pub(super) fn new_attempt_id() -> String {
    new_id(WebhookAttemptId::PREFIX)
}
