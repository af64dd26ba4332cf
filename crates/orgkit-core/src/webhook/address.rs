//! The address policy of webhooks: which IP addresses the server may call, so that an
//! endpoint URL cannot make it call into its own network.

use crate::error::{DomainError, ErrorCode};
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

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

pub(super) fn check_class(class: AddressClass, allow_private: bool) -> Result<(), DomainError> {
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
