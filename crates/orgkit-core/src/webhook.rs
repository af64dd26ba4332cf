//! Webhooks (the Standard Webhooks specification): the event type catalog, the checks of an
//! endpoint (its URL, event types and description), the address policy that keeps the server
//! from calling into its own network, and what an endpoint's answer means.
//!
//! Event types use Clerk's names. orgkit adds, in the same style, `organizationInvitation.delivery`
//! (an invitation for the app to deliver itself) and `webhook.test` (the test message an admin
//! sends to one endpoint; it cannot be subscribed to).

use crate::error::{DomainError, ErrorCode};
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use serde::{Deserialize, Serialize};

/// The longest endpoint URL, in bytes (URLs are ASCII).
pub const MAX_URL_CHARS: usize = 2048;
/// The longest endpoint description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 512;
/// The most webhook endpoints one organization may have: every event is queued once per
/// subscribed endpoint.
pub const MAX_ENDPOINTS_PER_ORGANIZATION: usize = 20;
/// How long a rotated-out secret keeps signing alongside the new one: 24 hours.
pub const SECRET_ROTATION_OVERLAP_MS: i64 = 24 * 60 * 60 * 1000;
/// How many bytes of an endpoint's answer a delivery attempt keeps.
pub const MAX_RESPONSE_BYTES: usize = 1024;

/// What happened, as sent in a webhook's `type` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[non_exhaustive]
pub enum EventType {
    /// An organization was created. In the catalog for parity with Clerk; an organization's
    /// own endpoints are created after it, so they never receive it.
    #[serde(rename = "organization.created")]
    OrganizationCreated,
    /// An organization was renamed or got a new slug.
    #[serde(rename = "organization.updated")]
    OrganizationUpdated,
    /// An organization was deleted. Its endpoints still receive this last message.
    #[serde(rename = "organization.deleted")]
    OrganizationDeleted,
    /// Someone joined (by accepting an invitation).
    #[serde(rename = "organizationMembership.created")]
    MembershipCreated,
    /// A member got another role.
    #[serde(rename = "organizationMembership.updated")]
    MembershipUpdated,
    /// A member was removed, or left.
    #[serde(rename = "organizationMembership.deleted")]
    MembershipDeleted,
    /// An address was invited.
    #[serde(rename = "organizationInvitation.created")]
    InvitationCreated,
    /// An invitation was accepted.
    #[serde(rename = "organizationInvitation.accepted")]
    InvitationAccepted,
    /// An invitation was revoked.
    #[serde(rename = "organizationInvitation.revoked")]
    InvitationRevoked,
    /// orgkit's own: an invitation made with `delivery: "webhook"`, with its accept URL and
    /// token, for the app to send its own way (SMS, chat). The queue erases the message once
    /// delivered (outside `--dev`), and it is never resent.
    #[serde(rename = "organizationInvitation.delivery")]
    InvitationDelivery,
    /// orgkit's own: the test message sent to one endpoint on request. Not subscribable.
    #[serde(rename = "webhook.test")]
    WebhookTest,
}

impl EventType {
    /// Every event type, in catalog order.
    pub const ALL: [EventType; 11] = [
        EventType::OrganizationCreated,
        EventType::OrganizationUpdated,
        EventType::OrganizationDeleted,
        EventType::MembershipCreated,
        EventType::MembershipUpdated,
        EventType::MembershipDeleted,
        EventType::InvitationCreated,
        EventType::InvitationAccepted,
        EventType::InvitationRevoked,
        EventType::InvitationDelivery,
        EventType::WebhookTest,
    ];

    /// The wire form, for example `"organizationMembership.updated"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            EventType::OrganizationCreated => "organization.created",
            EventType::OrganizationUpdated => "organization.updated",
            EventType::OrganizationDeleted => "organization.deleted",
            EventType::MembershipCreated => "organizationMembership.created",
            EventType::MembershipUpdated => "organizationMembership.updated",
            EventType::MembershipDeleted => "organizationMembership.deleted",
            EventType::InvitationCreated => "organizationInvitation.created",
            EventType::InvitationAccepted => "organizationInvitation.accepted",
            EventType::InvitationRevoked => "organizationInvitation.revoked",
            EventType::InvitationDelivery => "organizationInvitation.delivery",
            EventType::WebhookTest => "webhook.test",
        }
    }

    /// Parses the wire form; unknown names give `None`.
    #[must_use]
    pub fn parse(raw: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|e| e.as_str() == raw)
    }

    /// Whether an endpoint may subscribe to it (every type but `webhook.test`).
    #[must_use]
    pub const fn is_subscribable(self) -> bool {
        !matches!(self, EventType::WebhookTest)
    }
}

/// Why an endpoint receives nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DisabledReason {
    /// An admin turned it off.
    Manual,
    /// It answered `410 Gone`: the receiver asked to stop.
    Gone,
    /// Its organization was deleted; the messages queued before that still go out.
    OrganizationDeleted,
}

impl DisabledReason {
    pub const ALL: [DisabledReason; 3] = [
        DisabledReason::Manual,
        DisabledReason::Gone,
        DisabledReason::OrganizationDeleted,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            DisabledReason::Manual => "manual",
            DisabledReason::Gone => "gone",
            DisabledReason::OrganizationDeleted => "organization_deleted",
        }
    }

    #[must_use]
    pub fn parse(raw: &str) -> Option<DisabledReason> {
        DisabledReason::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// What an endpoint's HTTP status means for a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerOutcome {
    /// A 2xx: delivered.
    Delivered,
    /// `410 Gone`: the endpoint is disabled and the message is dead.
    Gone,
    /// Anything else, redirects included (they are never followed): try again later.
    Retry,
}

/// Only a 2xx is success; 410 disables the endpoint; everything else is retried.
#[must_use]
pub const fn answer_outcome(status: u16) -> AnswerOutcome {
    match status {
        200..=299 => AnswerOutcome::Delivered,
        410 => AnswerOutcome::Gone,
        _ => AnswerOutcome::Retry,
    }
}

/// The kind of an IP address, for the address policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddressClass {
    /// Reachable on the public internet: always allowed.
    Public,
    /// `127.0.0.0/8`, `::1`, and `localhost` names.
    Loopback,
    /// `10/8`, `172.16/12`, `192.168/16`.
    Private,
    /// `100.64.0.0/10`, carrier-grade NAT.
    SharedAddressSpace,
    /// `169.254/16`, `fe80::/10` (cloud metadata services live here).
    LinkLocal,
    /// `fc00::/7`, and the deprecated site-local `fec0::/10`.
    UniqueLocal,
    /// `0.0.0.0/8`, `::`.
    Unspecified,
    /// `224/4`, `ff00::/8`.
    Multicast,
    /// `255.255.255.255`.
    Broadcast,
    /// Documentation, benchmarking, protocol-assignment, reserved and discard ranges, and
    /// IPv6 transition prefixes that could hide an IPv4 address (6to4, Teredo).
    Reserved,
}

impl AddressClass {
    /// Whether `--webhook-allow-private` lets the server call it: private networks yes,
    /// addresses that are no single host (unspecified, multicast, broadcast, reserved) never.
    #[must_use]
    pub const fn is_private_network(self) -> bool {
        matches!(
            self,
            AddressClass::Loopback
                | AddressClass::Private
                | AddressClass::SharedAddressSpace
                | AddressClass::LinkLocal
                | AddressClass::UniqueLocal
        )
    }

    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            AddressClass::Public => "a public address",
            AddressClass::Loopback => "a loopback address",
            AddressClass::Private => "a private address",
            AddressClass::SharedAddressSpace => "a carrier-grade NAT address",
            AddressClass::LinkLocal => "a link-local address",
            AddressClass::UniqueLocal => "a unique-local address",
            AddressClass::Unspecified => "the unspecified address",
            AddressClass::Multicast => "a multicast address",
            AddressClass::Broadcast => "the broadcast address",
            AddressClass::Reserved => "a reserved address",
        }
    }
}

/// The class of an IP address. IPv4 addresses embedded in IPv6 (IPv4-mapped `::ffff:0:0/96`,
/// IPv4-compatible `::/96`, NAT64 `64:ff9b::/96`) are classed as the IPv4 address they carry.
#[must_use]
pub fn classify(ip: IpAddr) -> AddressClass {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    let [a, b, c, _] = ip.octets();
    match (a, b, c) {
        (0, ..) => AddressClass::Unspecified,
        (10, ..) => AddressClass::Private,
        (100, 64..=127, _) => AddressClass::SharedAddressSpace,
        (127, ..) => AddressClass::Loopback,
        (169, 254, _) => AddressClass::LinkLocal,
        (172, 16..=31, _) => AddressClass::Private,
        (192, 168, _) => AddressClass::Private,
        (192, 0, 0) | (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => AddressClass::Reserved,
        (198, 18..=19, _) => AddressClass::Reserved,
        (224..=239, ..) => AddressClass::Multicast,
        _ if ip == Ipv4Addr::BROADCAST => AddressClass::Broadcast,
        (240..=255, ..) => AddressClass::Reserved,
        _ => AddressClass::Public,
    }
}

fn classify_v6(ip: Ipv6Addr) -> AddressClass {
    let s = ip.segments();
    let embedded_v4 =
        || Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if ip.is_unspecified() {
        return AddressClass::Unspecified;
    }
    if ip.is_loopback() {
        return AddressClass::Loopback;
    }
    match s {
        // IPv4-mapped, IPv4-compatible (deprecated) and NAT64: the IPv4 address decides.
        [0, 0, 0, 0, 0, 0xffff, ..] | [0, 0, 0, 0, 0, 0, ..] | [0x64, 0xff9b, 0, 0, 0, 0, ..] => {
            classify_v4(embedded_v4())
        }
        [x, ..] if x & 0xfe00 == 0xfc00 => AddressClass::UniqueLocal,
        [x, ..] if x & 0xffc0 == 0xfe80 => AddressClass::LinkLocal,
        [x, ..] if x & 0xffc0 == 0xfec0 => AddressClass::UniqueLocal,
        [x, ..] if x & 0xff00 == 0xff00 => AddressClass::Multicast,
        // Documentation, 6to4, Teredo and ORCHID/benchmarking prefixes, discard-only, and the
        // rest of the NAT64 local-use prefix.
        [0x2001, 0x0db8, ..] | [0x2002, ..] | [0x2001, 0, ..] | [0x2001, 0x0002, 0, ..] => {
            AddressClass::Reserved
        }
        [0x2001, x, ..] if x & 0xfff0 == 0x0010 || x & 0xfff0 == 0x0020 => AddressClass::Reserved,
        [0x0100, 0, 0, 0, ..] | [0x64, 0xff9b, 1, ..] => AddressClass::Reserved,
        _ => AddressClass::Public,
    }
}

/// Whether the server may call `ip`: public addresses always, private networks only when
/// `allow_private` (`--webhook-allow-private`), the rest never.
pub fn check_address(ip: IpAddr, allow_private: bool) -> Result<(), DomainError> {
    check_class(classify(ip), allow_private)
}

fn check_class(class: AddressClass, allow_private: bool) -> Result<(), DomainError> {
    match class {
        AddressClass::Public => Ok(()),
        c if c.is_private_network() && allow_private => Ok(()),
        _ => Err(DomainError::new(
            ErrorCode::WebhookUrlForbidden,
            "The webhook URL points into a private or reserved network, which the server does not call.",
        )),
    }
}

/// Whether a host name is `localhost` or under it (RFC 6761: always loopback).
#[must_use]
pub fn is_localhost_name(host: &str) -> bool {
    let lower = |b: &u8| b.to_ascii_lowercase();
    let bytes = host.as_bytes();
    let tail = b"localhost";
    bytes.len() >= tail.len()
        && bytes[bytes.len() - tail.len()..]
            .iter()
            .map(lower)
            .eq(tail.iter().copied())
        && (bytes.len() == tail.len() || bytes[bytes.len() - tail.len() - 1] == b'.')
}

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

/// Checks the event types an endpoint subscribes to: at least one, each in the catalog and
/// subscribable. Answers them without repeats, in catalog order.
pub fn event_types(raw: &[String]) -> Result<Vec<EventType>, DomainError> {
    if raw.is_empty() {
        return Err(DomainError::new(
            ErrorCode::ValidationFailed,
            "Subscribe to at least one event type.",
        ));
    }
    let mut wanted = [false; EventType::ALL.len()];
    for name in raw {
        let index = EventType::ALL
            .iter()
            .position(|e| e.as_str() == name.as_str())
            .ok_or(DomainError::new(
                ErrorCode::UnknownEventType,
                "That event type is not in the catalog.",
            ))?;
        if !EventType::ALL[index].is_subscribable() {
            return Err(DomainError::new(
                ErrorCode::ValidationFailed,
                "webhook.test is sent only on request, to one endpoint; it cannot be subscribed to.",
            ));
        }
        wanted[index] = true;
    }
    Ok(EventType::ALL
        .into_iter()
        .zip(wanted)
        .filter_map(|(e, w)| w.then_some(e))
        .collect())
}

/// Checks a description, then trims it: at most [`MAX_DESCRIPTION_CHARS`], no control
/// characters, counted and checked before trimming (as the OpenAPI schema states them). Empty
/// is fine.
pub fn description(raw: &str) -> Result<String, DomainError> {
    let text = raw;
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(DomainError::new(
            ErrorCode::ValidationFailed,
            "The description must be at most 512 characters.",
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(DomainError::new(
            ErrorCode::ValidationFailed,
            "The description must not contain control characters.",
        ));
    }
    Ok(text.trim().to_owned())
}

/// Whether one more endpoint fits in an organization that has `existing`.
pub fn check_endpoint_count(existing: u64) -> Result<(), DomainError> {
    if existing >= MAX_ENDPOINTS_PER_ORGANIZATION as u64 {
        Err(DomainError::new(
            ErrorCode::WebhookLimitReached,
            "An organization can have at most 20 webhook endpoints.",
        ))
    } else {
        Ok(())
    }
}

mod ip;
#[cfg(test)]
mod tests;
