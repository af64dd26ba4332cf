//! Issuer (or discovery) URLs: the checks the SDK runs, and the normalised issuer the server
//! stores.

use super::{invalid, DISCOVERY_SUFFIX, MAX_ISSUER_CHARS};
use crate::error::{DomainError, ErrorCode};
use crate::webhook::{ip, is_localhost_name};

/// Whether `host` (lowercase, IPv6 in brackets) is this machine: `localhost`, a name under
/// `.localhost`, `127.0.0.0/8` or `[::1]`. IP literals are read by the webhook rules' parser,
/// which keeps std's (and its size) out of the SDK.
fn is_loopback_host(host: &str) -> bool {
    if is_localhost_name(host) {
        return true;
    }
    match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => ip::parse_ipv6(v6).is_some_and(|a| a.is_loopback()),
        None => ip::parse_ipv4(host).is_some_and(|a| a.is_loopback()),
    }
}

/// Checks an issuer (or discovery) URL: `https://host[:port][/path]`, printable ASCII, at most
/// [`MAX_ISSUER_CHARS`], no credentials, query or fragment. Plain `http` only to a loopback host
/// on a `--dev` server (`dev`), as webhook URLs; elsewhere it is `forbidden`. Writes nothing:
/// what the SDK needs ([`check_issuer`] adds the normalised issuer).
pub fn check_issuer_url(raw: &str, dev: bool) -> Result<(), DomainError> {
    const SHAPE: DomainError =
        invalid("The issuer must be a URL like https://login.example.com (no query, no #).");
    if raw.is_empty() || raw.len() > MAX_ISSUER_CHARS {
        return Err(invalid("The issuer URL has 1 to 2048 characters."));
    }
    if !raw.bytes().all(|b| b.is_ascii_graphic()) || raw.bytes().any(|b| b"\\?#".contains(&b)) {
        return Err(SHAPE);
    }
    let (scheme, rest) = split_scheme(raw).ok_or(SHAPE)?;
    let https = scheme.eq_ignore_ascii_case("https");
    if !https && !scheme.eq_ignore_ascii_case("http") {
        return Err(SHAPE);
    }
    let authority = rest.split('/').next().unwrap_or(rest);
    if authority.contains('@') {
        return Err(invalid("The issuer URL cannot hold credentials."));
    }
    let host = match authority.rfind(':') {
        Some(i) if !authority.ends_with(']') => {
            let (host, port) = authority.split_at_checked(i).ok_or(SHAPE)?;
            if !is_port(port.get(1..).unwrap_or_default()) {
                return Err(SHAPE);
            }
            host
        }
        _ => authority,
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b));
    if !host_ok {
        return Err(SHAPE);
    }
    let plain_http_allowed = dev && is_loopback_host(host);
    if !https && !plain_http_allowed {
        return Err(DomainError::new(
            ErrorCode::Forbidden,
            "The issuer must use https (plain http only to localhost on a --dev server).",
        ));
    }
    Ok(())
}

/// Checks an issuer (or discovery) URL ([`check_issuer_url`]) and answers the issuer: the
/// scheme and host lowercased, a trailing [`DISCOVERY_SUFFIX`] removed.
pub fn check_issuer(raw: &str, dev: bool) -> Result<String, DomainError> {
    check_issuer_url(raw, dev)?;
    let (scheme, rest) = split_scheme(raw).unwrap_or(("https", raw));
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    let path = path.strip_suffix(DISCOVERY_SUFFIX).unwrap_or(path);
    Ok(format!(
        "{}://{}{path}",
        scheme.to_ascii_lowercase(),
        authority.to_ascii_lowercase()
    ))
}

/// `raw` split around its first `://`. A byte scan and checked splits: the SDK compiles this
/// check, and `split_once("://")` and `&s[i..]` would bring in the substring searcher and the
/// slicing panic's formatting.
fn split_scheme(raw: &str) -> Option<(&str, &str)> {
    let at = raw.as_bytes().windows(3).position(|w| w == b"://")?;
    let (scheme, rest) = raw.split_at_checked(at)?;
    Some((scheme, rest.get(3..)?))
}

/// A port: 1 to 5 ASCII digits, at most 65535.
fn is_port(raw: &str) -> bool {
    (1..=5).contains(&raw.len())
        && raw.bytes().all(|b| b.is_ascii_digit())
        && raw.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0')) <= u32::from(u16::MAX)
}
