//! DNS lookups for domain ownership: the TXT records at a name, through [`TxtResolver`].
//!
//! Production uses hickory-resolver with the system's configuration; the hidden
//! `--dns-server` flag points it at one server instead (the tests start their own on
//! 127.0.0.1). Tests may also give `AppState` any other implementation.

use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::proto::xfer::Protocol;
use hickory_resolver::Resolver;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Duration;

/// The TXT lookups ownership verification needs.
pub trait TxtResolver: Send + Sync {
    /// Every TXT string at `name` (each record's strings joined), or none when the name has no
    /// TXT record. An error means the lookup itself failed.
    fn txt(
        &self,
        name: &str,
    ) -> Pin<Box<dyn Future<Output = anyhow::Result<Vec<String>>> + Send + '_>>;
}

/// hickory-resolver, over the system's name servers or the one given.
pub struct HickoryResolver {
    inner: Resolver<TokioConnectionProvider>,
}

impl HickoryResolver {
    /// A resolver asking `server` only (UDP, then TCP for truncated answers), or the system's
    /// name servers when `None`.
    pub fn new(server: Option<SocketAddr>) -> anyhow::Result<Self> {
        let provider = TokioConnectionProvider::default();
        let mut builder = match server {
            Some(addr) => {
                let mut config = ResolverConfig::new();
                config.add_name_server(NameServerConfig::new(addr, Protocol::Udp));
                config.add_name_server(NameServerConfig::new(addr, Protocol::Tcp));
                Resolver::builder_with_config(config, provider)
            }
            None => Resolver::builder(provider).or_else(|_| -> anyhow::Result<_> {
                Ok(Resolver::builder_with_config(
                    ResolverConfig::default(),
                    TokioConnectionProvider::default(),
                ))
            })?,
        };
        let opts: &mut ResolverOpts = builder.options_mut();
        opts.timeout = Duration::from_secs(3);
        opts.attempts = 2;
        // Ownership is checked on demand: a cached "no record" would hide a record just
        // published.
        opts.cache_size = 0;
        Ok(HickoryResolver {
            inner: builder.build(),
        })
    }
}

impl TxtResolver for HickoryResolver {
    fn txt(
        &self,
        name: &str,
    ) -> Pin<Box<dyn Future<Output = anyhow::Result<Vec<String>>> + Send + '_>> {
        // A final dot: the name is absolute, never completed with the system's search list.
        let name = format!("{}.", name.trim_end_matches('.'));
        Box::pin(async move {
            match self.inner.txt_lookup(name).await {
                Ok(lookup) => Ok(lookup
                    .iter()
                    .map(|txt| {
                        txt.iter()
                            .map(|part| String::from_utf8_lossy(part))
                            .collect::<String>()
                    })
                    .collect()),
                Err(e) if e.is_no_records_found() || e.is_nx_domain() => Ok(Vec::new()),
                Err(e) => Err(e.into()),
            }
        })
    }
}
