//! Webhooks, per the Standard Webhooks specification: an organization's endpoints
//! ([`endpoints`]), the events its changes queue for them ([`emit`], in the transaction of the
//! change), and the delivery of one queued message ([`deliver`], called by the queue worker).
//!
//! The rules (event catalog, URL checks, address policy, what an answer means) live in
//! `orgkit_core::webhook`; this module does the I/O.

mod crypto;
mod deliver;
mod emit;
pub mod endpoints;

pub use crypto::{new_signing_secret, sign, Sealer, SECRET_PREFIX};
pub use deliver::deliver;
pub use emit::{emit, emit_secret, subscribed, Queued};

use crate::config::Config;
use crate::error::ApiResult;
use crate::state::AppState;
use orgkit_core::webhook::UrlPolicy;
use orgkit_core::{DisabledReason, Timestamp};
use std::time::Duration;

/// What webhooks need from the configuration, read once at start-up.
pub struct Webhooks {
    /// Seals signing secrets; `None` without `--secret-key` (webhooks are then off).
    pub sealer: Option<Sealer>,
    /// Where endpoints may point (`--dev`, `--webhook-allow-private`).
    pub policy: UrlPolicy,
    /// How long a delivery waits for an answer (`--webhook-timeout-ms`).
    pub timeout: Duration,
}

impl Webhooks {
    pub fn from_config(config: &Config) -> anyhow::Result<Webhooks> {
        let sealer = match &config.secret_key {
            Some(key) if !key.0.trim().is_empty() => Some(Sealer::from_base64(&key.0)?),
            _ => None,
        };
        Ok(Webhooks {
            sealer,
            policy: UrlPolicy {
                dev: config.dev,
                allow_private: config.webhook_allow_private,
            },
            timeout: Duration::from_millis(config.webhook_timeout_ms.max(1)),
        })
    }
}

/// Tells the queue worker that a committed transaction queued messages, so it need not wait
/// for its next poll.
pub fn wake(state: &AppState, queued: Queued) {
    if queued.0 > 0 {
        state.queue.wake();
    }
}

/// Forgets what webhooks no longer need, at `now`: delivery attempts past the audit log's
/// retention (`--audit-retention-days`), and the endpoints of deleted organizations (with their
/// attempts) once no message for them is pending. Answers how many rows went.
pub async fn sweep(state: &AppState, now: Timestamp) -> ApiResult<u64> {
    let retention_ms = i64::from(state.config.audit_retention_days).saturating_mul(86_400_000);
    let cutoff = now.plus_millis(retention_ms.saturating_neg());
    let mut tx = state.db.begin_write().await?;
    let mut deleted = 0;
    let orphans = "SELECT id FROM webhook_endpoints e WHERE e.disabled_reason = $1 \
        AND NOT EXISTS (SELECT 1 FROM deliveries d \
          WHERE d.kind = 'webhook' AND d.target = e.id AND d.status = 'pending')";
    for sql in [
        format!("DELETE FROM webhook_attempts WHERE endpoint_id IN ({orphans})"),
        format!("DELETE FROM webhook_endpoints WHERE id IN ({orphans})"),
    ] {
        let done = sqlx::query(&sql)
            .bind(DisabledReason::OrganizationDeleted.as_str())
            .execute(&mut *tx)
            .await?;
        deleted += done.rows_affected();
    }
    let done = sqlx::query("DELETE FROM webhook_attempts WHERE created_at < $1")
        .bind(cutoff.millis())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(deleted + done.rows_affected())
}
