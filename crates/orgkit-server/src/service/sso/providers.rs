//! What this instance knows of identity providers: the filtered HTTP client
//! ([`ProviderHttp`]) and, per issuer, the discovered metadata with its signing keys, kept
//! for [`TTL`] (at most [`MAX_ISSUERS`] issuers). Signing in reads the cache; "test
//! connection" always asks the provider and refreshes it; a token signed by a key the cache
//! does not hold makes the callback fetch the keys once more (key rotation) before refusing.
//! The cache is per instance: instances share nothing, each learns a provider on first use.

use super::egress::{self, ProviderHttp};
use crate::error::{ApiError, ApiResult};
use openidconnect::core::{CoreJsonWebKeySet, CoreProviderMetadata};
use openidconnect::{DiscoveryError, HttpClientError, IssuerUrl};
use orgkit_core::ErrorCode;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long discovered metadata and keys are used before asking the provider again.
pub const TTL: Duration = Duration::from_secs(10 * 60);
/// How many issuers the cache holds; the oldest entry makes room for a new one.
pub const MAX_ISSUERS: usize = 1024;

type FetchError = DiscoveryError<HttpClientError<reqwest::Error>>;

struct Cached {
    fetched: Instant,
    metadata: Arc<CoreProviderMetadata>,
}

/// The provider client and the per-issuer cache, in the app state.
pub struct Providers {
    pub http: ProviderHttp,
    cache: Mutex<HashMap<String, Cached>>,
}

impl Providers {
    pub fn new(allow_private: bool) -> anyhow::Result<Providers> {
        Ok(Providers {
            http: ProviderHttp::new(allow_private)?,
            cache: Mutex::new(HashMap::new()),
        })
    }

    fn cached(&self, issuer: &str) -> Option<Arc<CoreProviderMetadata>> {
        let cache = self.cache.lock().ok()?;
        cache
            .get(issuer)
            .filter(|c| c.fetched.elapsed() < TTL)
            .map(|c| c.metadata.clone())
    }

    fn store(&self, issuer: &str, metadata: Arc<CoreProviderMetadata>) {
        let Ok(mut cache) = self.cache.lock() else {
            return;
        };
        cache.retain(|_, c| c.fetched.elapsed() < TTL);
        if cache.len() >= MAX_ISSUERS && !cache.contains_key(issuer) {
            let oldest = cache
                .iter()
                .min_by_key(|(_, c)| c.fetched)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                cache.remove(&oldest);
            }
        }
        let fetched = Instant::now();
        cache.insert(issuer.to_owned(), Cached { fetched, metadata });
    }

    /// Asks the provider for its discovery document and keys, and caches them.
    pub(super) async fn discover(
        &self,
        issuer: &str,
    ) -> Result<Arc<CoreProviderMetadata>, FetchError> {
        let url =
            IssuerUrl::new(issuer.to_owned()).map_err(|e| DiscoveryError::Other(e.to_string()))?;
        let metadata = Arc::new(CoreProviderMetadata::discover_async(url, &self.http).await?);
        self.store(issuer, metadata.clone());
        Ok(metadata)
    }

    /// The issuer's metadata and keys, from the cache while fresh.
    pub(super) async fn metadata(&self, issuer: &str) -> ApiResult<Arc<CoreProviderMetadata>> {
        match self.cached(issuer) {
            Some(metadata) => Ok(metadata),
            None => self
                .discover(issuer)
                .await
                .map_err(|e| provider_error("discovery", &e)),
        }
    }

    /// Fetches the issuer's keys again (a token named a key the cache does not hold).
    pub(super) async fn refresh_keys(
        &self,
        issuer: &str,
        metadata: &CoreProviderMetadata,
    ) -> ApiResult<Arc<CoreProviderMetadata>> {
        let keys = CoreJsonWebKeySet::fetch_async(metadata.jwks_uri(), &self.http)
            .await
            .map_err(|e| provider_error("keys", &e))?;
        let refreshed = Arc::new(metadata.clone().set_jwks(keys));
        self.store(issuer, refreshed.clone());
        Ok(refreshed)
    }
}

/// A provider failure as `sso_provider_error`; an address refusal says so.
pub(super) fn provider_error(what: &str, e: &(dyn std::error::Error + 'static)) -> ApiError {
    if let Some(refused) = egress::refused(e) {
        tracing::warn!(error = %refused, "SSO provider address refused");
        return ApiError::new(
            ErrorCode::SsoProviderError,
            format!("The identity provider's address is {refused}."),
        );
    }
    tracing::warn!(error = %e, "SSO provider: {what}");
    ApiError::new(
        ErrorCode::SsoProviderError,
        format!("The identity provider failed: {what}."),
    )
}
