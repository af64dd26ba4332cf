//! What every handler shares.

use crate::config::Config;
use crate::db::Db;
use crate::mail::Mailer;
use crate::queue::Queue;
use crate::rate_limit::RateLimiter;
use axum::http::HeaderValue;
use orgkit_core::{PermissionCatalog, RoleCatalog};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub mailer: Arc<Mailer>,
    /// Wakes this process's delivery worker.
    pub queue: Arc<Queue>,
    pub limiter: Arc<RateLimiter>,
    /// The instance's catalog: the built-in roles over the system and app permissions.
    pub catalog: RoleCatalog,
    /// Each organization's catalog (its custom roles), cached by `roles_version`.
    pub role_catalogs: Arc<crate::service::access::RoleCatalogs>,
    /// The base of emailed links, without a trailing slash.
    pub public_url: String,
    /// Origins allowed for CORS and for cookie-authenticated writes.
    pub allowed_origins: Arc<Vec<HeaderValue>>,
    pub passwords: Arc<crate::auth::PasswordHasher>,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Arc<crate::extract::TrustedProxies>,
    /// Webhook settings and the key that seals their secrets.
    pub webhooks: Arc<crate::webhooks::Webhooks>,
    /// TXT lookups for domain ownership.
    pub dns: Arc<dyn crate::dns::TxtResolver>,
    /// The filtered HTTP client for identity providers and their cached metadata and keys.
    pub sso: Arc<crate::service::sso::Providers>,
    /// This instance's copy of the key that signs session tokens.
    pub signing_keys: Arc<crate::session_tokens::keys::KeyCache>,
    /// API key uses not yet written to `api_keys.last_used_at` (see
    /// `service::api_keys::usage`).
    pub api_key_usage: Arc<crate::service::api_keys::usage::KeyUsage>,
}

impl AppState {
    pub fn new(config: Config, db: Db, public_url: String) -> anyhow::Result<Self> {
        let public_url = public_url.trim_end_matches('/').to_owned();
        let mut origins = vec![origin_of(&public_url)?];
        for origin in &config.allowed_origins {
            let origin = origin.trim().trim_end_matches('/');
            if !origin.is_empty() {
                origins.push(HeaderValue::from_str(origin)?);
            }
        }
        let catalog = RoleCatalog::with_permissions(
            PermissionCatalog::new(&config.app_permissions)
                .map_err(|e| anyhow::anyhow!("--app-permission: {e}"))?,
        );
        Ok(AppState {
            role_catalogs: Arc::new(crate::service::access::RoleCatalogs::new(catalog.clone())),
            catalog,
            mailer: Arc::new(Mailer::new(&config)?),
            queue: Arc::new(Queue::default()),
            limiter: Arc::new(RateLimiter::for_db(&db)),
            passwords: Arc::new(crate::auth::PasswordHasher::new(&config.password_hashing)?),
            allowed_origins: Arc::new(origins),
            trusted_proxies: Arc::new(crate::extract::TrustedProxies::parse(
                &config.trusted_proxies,
            )?),
            webhooks: Arc::new(crate::webhooks::Webhooks::from_config(&config)?),
            dns: Arc::new(crate::dns::HickoryResolver::new(config.dns_server)?),
            sso: Arc::new(crate::service::sso::Providers::new(
                config.sso_allow_private,
            )?),
            signing_keys: Arc::default(),
            api_key_usage: Arc::default(),
            public_url,
            db,
            config: Arc::new(config),
        })
    }

    /// Whether a browser `Origin` may call the API.
    #[must_use]
    pub fn origin_allowed(&self, origin: &HeaderValue) -> bool {
        self.allowed_origins.iter().any(|o| o == origin)
    }
}

fn origin_of(url: &str) -> anyhow::Result<HeaderValue> {
    let parsed = url::Url::parse(url)?;
    Ok(HeaderValue::from_str(
        &parsed.origin().ascii_serialization(),
    )?)
}
