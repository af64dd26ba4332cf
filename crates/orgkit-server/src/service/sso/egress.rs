//! The one HTTP client for identity providers (discovery, keys, code exchange): redirects
//! refused, bounded timeouts, no proxy, and every address checked with the webhook rules
//! (`orgkit_core::webhook::check_address`): a resolver that drops refused addresses, and the
//! same check on IP literals, which never reach a resolver. `--sso-allow-private` lets an
//! on-premises provider on a private network (or loopback) through.

use openidconnect::{AsyncHttpClient, HttpClientError, HttpRequest, HttpResponse};
use orgkit_core::webhook;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// The words every refusal starts with, so that callers can tell it from a provider failure.
pub(super) const REFUSED: &str = "refused by the server's address rules";

/// A refused address, as an error a resolver can return.
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

fn refusal(host: &str, ip: IpAddr) -> String {
    let kind = webhook::classify(ip).describe();
    format!("{REFUSED}: {host} is {ip}, {kind} (an operator may allow private providers with --sso-allow-private)")
}

/// Resolves with the system resolver, then keeps only the addresses the rules allow.
struct FilteringResolver {
    allow_private: bool,
}

impl Resolve for FilteringResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let resolved = tokio::time::timeout(
                Duration::from_secs(5),
                tokio::net::lookup_host((host.as_str(), 0)),
            )
            .await
            .map_err(|_| Box::new(Refused(format!("resolving {host} timed out"))))??;
            let mut kept = Vec::new();
            let mut first_refused = None;
            for addr in resolved {
                if webhook::check_address(addr.ip(), allow_private).is_ok() {
                    kept.push(addr);
                } else {
                    first_refused.get_or_insert(addr.ip());
                }
            }
            match (kept.is_empty(), first_refused) {
                (true, Some(ip)) => Err(Box::new(Refused(refusal(&host, ip))) as _),
                _ => Ok(Box::new(kept.into_iter()) as Addrs),
            }
        })
    }
}

/// The filtered provider client, built once and kept in the app state.
#[derive(Clone)]
pub struct ProviderHttp {
    client: reqwest::Client,
    allow_private: bool,
}

impl ProviderHttp {
    /// No redirects followed, 5 s to connect, 10 s in all.
    pub fn new(allow_private: bool) -> anyhow::Result<ProviderHttp> {
        let client = reqwest::Client::builder()
            .use_rustls_tls()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .dns_resolver(Arc::new(FilteringResolver { allow_private }))
            .user_agent(concat!("orgkit-sso/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(ProviderHttp {
            client,
            allow_private,
        })
    }

    /// The check for a URL whose host is an IP literal (a name goes through the resolver).
    fn check_literal(&self, uri: &openidconnect::http::Uri) -> Result<(), String> {
        let Some(host) = uri.host() else {
            return Err(format!("{REFUSED}: the URL has no host"));
        };
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        match bare.parse::<IpAddr>() {
            Ok(ip) if webhook::check_address(ip, self.allow_private).is_err() => {
                Err(refusal(host, ip))
            }
            _ => Ok(()),
        }
    }
}

impl<'c> AsyncHttpClient<'c> for ProviderHttp {
    type Error = HttpClientError<reqwest::Error>;
    type Future =
        Pin<Box<dyn Future<Output = Result<HttpResponse, Self::Error>> + Send + Sync + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            self.check_literal(request.uri())
                .map_err(HttpClientError::Other)?;
            self.client.call(request).await
        })
    }
}

/// Whether an error (or one of its causes) is an address refusal; its text if so.
pub(super) fn refused(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut current = Some(e);
    while let Some(error) = current {
        let text = error.to_string();
        if let Some(at) = text.find(REFUSED) {
            return Some(text[at..].to_owned());
        }
        current = error.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_checked_with_the_webhook_rules() -> anyhow::Result<()> {
        let strict = ProviderHttp::new(false)?;
        let open = ProviderHttp::new(true)?;
        let uri = |s: &str| s.parse::<openidconnect::http::Uri>().unwrap_or_default();
        for refused in [
            "http://127.0.0.1:8080/x",
            "http://10.0.0.1/",
            "http://[::1]:80/",
            "http://169.254.169.254/latest",
        ] {
            assert!(strict.check_literal(&uri(refused)).is_err(), "{refused}");
        }
        assert!(open.check_literal(&uri("http://127.0.0.1:8080/x")).is_ok());
        assert!(strict.check_literal(&uri("https://93.184.216.34/")).is_ok());
        assert!(strict
            .check_literal(&uri("https://idp.example.com/"))
            .is_ok());
        // Unspecified and the like stay refused even when private networks are allowed.
        assert!(open.check_literal(&uri("http://0.0.0.0/")).is_err());
        Ok(())
    }
}
