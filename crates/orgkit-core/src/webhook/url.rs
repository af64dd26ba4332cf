//! The checks of an endpoint URL: scheme, host, port and path, IP literals held to the
//! address policy.

use super::address::check_class;
use super::{check_address, classify, ip, is_localhost_name, AddressClass, MAX_URL_CHARS};
use crate::error::{DomainError, ErrorCode};
use core::net::IpAddr;

/// Where the server may send webhooks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UrlPolicy {
    /// A `--dev` server: plain `http` is allowed to loopback hosts.
    pub dev: bool,
    /// `--webhook-allow-private`: private networks (loopback included) are allowed targets.
    pub allow_private: bool,
}

/// The host of a checked URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlHost {
    /// A DNS name, lowercase. Its addresses are checked when a message is sent.
    Name(String),
    /// An IP address literal, already checked.
    Ip(IpAddr),
}

/// A checked endpoint URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointUrl {
    /// The URL to store: the scheme and host lowercased, `/` when the path was empty.
    pub url: String,
    pub host: UrlHost,
}

const fn bad_url(message: &'static str) -> DomainError {
    DomainError::new(ErrorCode::WebhookUrlInvalid, message)
}

/// Checks an endpoint URL: `https://host[:port][/path][?query]`, printable ASCII (no space, not
/// even around it), at most [`MAX_URL_CHARS`], no credentials, no fragment, no backslash. Plain `http` only to a
/// loopback host on a `--dev` server. A host whose last label starts with a digit must be a
/// dotted-quad IPv4 address (URL parsers read `2130706433` or `0x7f.1` as IPv4 addresses).
/// IP literals and `localhost` names are held to [`check_address`] here; DNS names are held
/// to it at each delivery, on the addresses they resolve to then.
pub fn endpoint_url(raw: &str, policy: UrlPolicy) -> Result<EndpointUrl, DomainError> {
    let CheckedUrl {
        https,
        host,
        port,
        path,
    } = check_endpoint_url(raw, policy)?;
    let mut url = String::with_capacity(raw.len() + 1);
    url.push_str(if https { "https://" } else { "http://" });
    match &host {
        UrlHost::Name(name) => url.push_str(name),
        UrlHost::Ip(IpAddr::V4(v4)) => push_display(&mut url, v4),
        UrlHost::Ip(IpAddr::V6(v6)) => {
            url.push('[');
            push_display(&mut url, v6);
            url.push(']');
        }
    }
    if let Some(port) = port {
        url.push(':');
        push_display(&mut url, &port);
    }
    if !path.starts_with('/') {
        url.push('/');
    }
    url.push_str(path);
    Ok(EndpointUrl { url, host })
}

/// An endpoint URL that passed the checks, in parts, not yet written out again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedUrl<'a> {
    /// `https`, or plain `http` (to a loopback host on a `--dev` server).
    pub https: bool,
    pub host: UrlHost,
    pub port: Option<u16>,
    /// The path and query as given; empty when the URL had none.
    pub path: &'a str,
}

/// Every check of [`endpoint_url`], without writing the URL out again: what a client (the
/// browser SDK) needs to refuse a URL before sending it. Leaving out the writing keeps the IP
/// address formatting out of the SDK's `.wasm`.
pub fn check_endpoint_url(raw: &str, policy: UrlPolicy) -> Result<CheckedUrl<'_>, DomainError> {
    if raw.is_empty() {
        return Err(bad_url("The webhook URL must not be empty."));
    }
    if raw.len() > MAX_URL_CHARS {
        return Err(bad_url("The webhook URL must be at most 2048 characters."));
    }
    if !raw.bytes().all(|b| b.is_ascii_graphic()) || raw.bytes().any(|b| b == b'\\') {
        return Err(bad_url(
            "The webhook URL must be printable ASCII without spaces or backslashes (encode the rest).",
        ));
    }
    if raw.bytes().any(|b| b == b'#') {
        return Err(bad_url("The webhook URL must not have a fragment (#)."));
    }
    let (scheme, rest) =
        split_once(raw, b':').ok_or(bad_url("The webhook URL must start with https://."))?;
    let rest = rest
        .strip_prefix("//")
        .ok_or(bad_url("The webhook URL must start with https://."))?;
    let https = if scheme.eq_ignore_ascii_case("https") {
        true
    } else if scheme.eq_ignore_ascii_case("http") {
        false
    } else {
        return Err(bad_url("The webhook URL must start with https://."));
    };
    let end = rest
        .bytes()
        .position(|b| b == b'/' || b == b'?')
        .unwrap_or(rest.len());
    let (authority, path) = rest.split_at_checked(end).unwrap_or((rest, ""));
    if authority.bytes().any(|b| b == b'@') {
        return Err(bad_url(
            "The webhook URL must not carry credentials (user@).",
        ));
    }
    let (host_part, port) = split_host_port(authority)?;
    let host = parse_host(host_part)?;
    let loopback = match &host {
        UrlHost::Ip(ip) => classify(*ip) == AddressClass::Loopback,
        UrlHost::Name(name) => is_localhost_name(name),
    };
    let plain_http_allowed = policy.dev && loopback;
    if !(https || plain_http_allowed) {
        return Err(bad_url(
            "The webhook URL must use https (http only to a loopback host on a --dev server).",
        ));
    }
    match &host {
        UrlHost::Ip(ip) => check_address(*ip, policy.allow_private)?,
        UrlHost::Name(_) if loopback => check_class(AddressClass::Loopback, policy.allow_private)?,
        UrlHost::Name(_) => {}
    }
    Ok(CheckedUrl {
        https,
        host,
        port,
        path,
    })
}

fn push_display(out: &mut String, value: &impl core::fmt::Display) {
    use core::fmt::Write;
    let _ = write!(out, "{value}");
}

fn split_once(raw: &str, byte: u8) -> Option<(&str, &str)> {
    let at = raw.bytes().position(|b| b == byte)?;
    let (head, tail) = raw.split_at_checked(at)?;
    Some((head, tail.get(1..)?))
}

fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), DomainError> {
    let (host, port) = if authority.starts_with('[') {
        let close = authority.bytes().position(|b| b == b']').ok_or(bad_url(
            "The webhook URL's IPv6 address is not closed with ].",
        ))?;
        let (host, after) = authority
            .split_at_checked(close + 1)
            .ok_or(bad_url("The webhook URL's host is malformed."))?;
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => return Err(bad_url("The webhook URL's host is malformed.")),
        }
    } else {
        match split_once(authority, b':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(p) => {
            let valid = (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
            // One to five digits fit a u32 without an integer parser; 0 stands for invalid.
            let n = if valid {
                p.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
            } else {
                0
            };
            match u16::try_from(n) {
                Ok(n) if n > 0 => Some(n),
                _ => return Err(bad_url("The webhook URL's port must be 1 to 65535.")),
            }
        }
    };
    Ok((host, port))
}

fn parse_host(host: &str) -> Result<UrlHost, DomainError> {
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']').unwrap_or(inner);
        return ip::parse_ipv6(inner)
            .map(|ip| UrlHost::Ip(IpAddr::V6(ip)))
            .ok_or(bad_url("The webhook URL's IPv6 address is malformed."));
    }
    if host.is_empty() {
        return Err(bad_url("The webhook URL has no host."));
    }
    // The first byte of the last label (a byte scan: `rsplit` costs the SDK's `.wasm` a searcher).
    let last_label = host
        .bytes()
        .rposition(|b| b == b'.')
        .map_or(0, |dot| dot + 1);
    if host
        .as_bytes()
        .get(last_label)
        .is_some_and(u8::is_ascii_digit)
    {
        return ip::parse_ipv4(host)
            .map(|ip| UrlHost::Ip(IpAddr::V4(ip)))
            .ok_or(bad_url(
                "The webhook URL's host must be a name or a dotted-quad IPv4 address.",
            ));
    }
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if !host.split('.').all(label_ok) {
        return Err(bad_url(
            "The webhook URL's host must be letters, digits and hyphens in dot-separated labels (punycode for other letters).",
        ));
    }
    Ok(UrlHost::Name(host.to_ascii_lowercase()))
}
