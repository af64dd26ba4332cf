//! The SMTP transport behind `--smtp-url`, built by lettre's own URL parser, with TLS (rustls):
//!
//! - `smtp://host[:port]`: port 25, STARTTLS whenever the server offers it;
//! - `smtp://host[:port]?tls=required`: port 587, STARTTLS or no delivery;
//! - `smtps://host[:port]`: port 465, TLS from the first byte;
//! - `smtp://host[:port]?tls=none`: plain text, for a relay on the same machine.
//!
//! `user:password@` in the URL logs in, or else `--smtp-username` and `--smtp-password`; never
//! both. Certificates are checked against the public roots (webpki-roots) and the ones in
//! `--smtp-ca-file`. Errors name the flag and never repeat the URL, which may hold a password.

use crate::config::Config;
use anyhow::{anyhow, bail, Context};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use std::path::Path;
use url::{Host, Url};

/// The transport every email goes through.
pub type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// How a connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    /// `?tls=none`: never TLS.
    Plain,
    /// `smtp://` (or `?tls=opportunistic`): STARTTLS when the server offers it.
    Opportunistic,
    /// `?tls=required`: STARTTLS, or the message is not sent.
    Required,
    /// `smtps://`: TLS from the start.
    Implicit,
}

/// The transport `config` asks for; `None` without `--smtp-url`.
pub fn transport(config: &Config) -> anyhow::Result<Option<Transport>> {
    let Some(raw) = &config.smtp_url else {
        return Ok(None);
    };
    let url = Url::parse(raw).map_err(|e| anyhow!("--smtp-url is not a URL: {e}"))?;
    let security = security(&url)?;
    let login = login(
        &url,
        config.smtp_username.as_deref(),
        config.smtp_password.as_deref(),
    )?;
    let roots = match &config.smtp_ca_file {
        Some(_) if security == Security::Plain => {
            bail!("--smtp-ca-file is for TLS, but --smtp-url says tls=none")
        }
        Some(path) => Some(read_roots(path)?),
        None => None,
    };
    // lettre knows `smtp://` only as plain text: hand it the URL without `tls=none`, then
    // ask for STARTTLS ourselves.
    let mut for_lettre = url.clone();
    if matches!(security, Security::Plain | Security::Opportunistic) {
        for_lettre.set_query(None);
    }
    let mut builder = Transport::from_url(for_lettre.as_str())
        .map_err(|e| anyhow!("--smtp-url is not an SMTP URL: {e}"))?;
    if let Some(credentials) = login {
        builder = builder.credentials(credentials);
    }
    let parameters = move || tls_parameters(&url, roots);
    let tls = match security {
        Security::Plain => Tls::None,
        Security::Opportunistic => Tls::Opportunistic(parameters()?),
        Security::Required => Tls::Required(parameters()?),
        Security::Implicit => Tls::Wrapper(parameters()?),
    };
    Ok(Some(builder.tls(tls).build()))
}

/// The security `url` asks for: its scheme and its `tls` parameter, the only one it may have.
fn security(url: &Url) -> anyhow::Result<Security> {
    if url.host_str().is_none_or(str::is_empty) {
        bail!("--smtp-url has no host");
    }
    let mut tls = None;
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "tls" if tls.is_none() => tls = Some(value.into_owned()),
            "tls" => bail!("--smtp-url has `tls` twice"),
            other => bail!("--smtp-url has an unknown parameter `{other}` (only `tls` is known)"),
        }
    }
    match (url.scheme(), tls.as_deref()) {
        ("smtp", None | Some("opportunistic")) => Ok(Security::Opportunistic),
        ("smtp", Some("required")) => Ok(Security::Required),
        ("smtp", Some("none")) => Ok(Security::Plain),
        ("smtp", Some(other)) => {
            bail!("--smtp-url has tls={other}; use tls=required, tls=opportunistic or tls=none")
        }
        ("smtps", None) => Ok(Security::Implicit),
        ("smtps", Some(_)) => bail!("--smtp-url: smtps:// is always TLS and takes no `tls`"),
        (scheme, _) => bail!("--smtp-url has the scheme `{scheme}`; use smtp:// or smtps://"),
    }
}

/// The login from the URL's `user:password@`, or else from `--smtp-username` and
/// `--smtp-password`. The URL's is left for lettre to decode; the flags' is returned.
fn login(
    url: &Url,
    username: Option<&str>,
    password: Option<&str>,
) -> anyhow::Result<Option<Credentials>> {
    let in_url = !url.username().is_empty() || url.password().is_some();
    let flags = username.is_some() || password.is_some();
    if in_url && flags {
        bail!("--smtp-url has a user name and password: do not set --smtp-username or --smtp-password too");
    }
    if in_url && url.password().is_none() {
        bail!("--smtp-url has a user name but no password (`smtp://user:password@host`)");
    }
    match (username, password) {
        (Some(user), Some(password)) => {
            Ok(Some(Credentials::new(user.to_owned(), password.to_owned())))
        }
        (Some(_), None) => bail!("--smtp-username needs --smtp-password"),
        (None, Some(_)) => bail!("--smtp-password needs --smtp-username"),
        (None, None) => Ok(None),
    }
}

/// TLS for the URL's host, trusting the public roots and `roots`.
fn tls_parameters(url: &Url, roots: Option<Certificate>) -> anyhow::Result<TlsParameters> {
    let name = match url.host() {
        Some(Host::Domain(domain)) => domain.to_owned(),
        Some(Host::Ipv4(ip)) => ip.to_string(),
        Some(Host::Ipv6(ip)) => ip.to_string(),
        None => bail!("--smtp-url has no host"),
    };
    let mut builder = TlsParameters::builder(name);
    if let Some(roots) = roots {
        builder = builder.add_root_certificate(roots);
    }
    builder
        .build_rustls()
        .map_err(|e| anyhow!("--smtp-ca-file: {e}"))
}

/// The PEM certificates of `--smtp-ca-file`.
fn read_roots(path: &Path) -> anyhow::Result<Certificate> {
    let pem = std::fs::read(path).with_context(|| format!("--smtp-ca-file {}", path.display()))?;
    if !pem
        .windows(b"-----BEGIN CERTIFICATE-----".len())
        .any(|w| w == b"-----BEGIN CERTIFICATE-----")
    {
        bail!("--smtp-ca-file {} holds no PEM certificate", path.display());
    }
    Certificate::from_pem(&pem).map_err(|e| anyhow!("--smtp-ca-file {}: {e}", path.display()))
}

#[cfg(test)]
mod tests;
