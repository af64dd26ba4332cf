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
// TEMPORARY: the queue's types, until `crate::queue` lands on main.
pub mod queue_types;

pub use crypto::{new_signing_secret, sign, Sealer, SECRET_PREFIX};
pub use deliver::deliver;
pub use emit::{emit, Queued};

use crate::config::Config;
use crate::state::AppState;
use orgkit_core::webhook::UrlPolicy;
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
pub fn wake(_state: &AppState, queued: Queued) {
    if queued.0 > 0 {
        // wake: state.queue.wake() once the queue worker lands.
    }
}
