//! The claims of a session token: the short-lived signed JWT an app's backend verifies offline
//! (with the keys at `/v1/.well-known/jwks.json`) to learn who calls, for which organization,
//! with which role and permissions.
//!
//! The layout is Clerk's session token version 2 (`v: 2`, `o: {id, slg, rol, per, fpm}`,
//! `fea`), so Clerk's claim parser reads orgkit's tokens into the same `orgId`, `orgRole`,
//! `orgSlug` and `orgPermissions`. orgkit adds `o.ver`, the membership version.
//!
//! Permissions are compact: every key is `org:<feature>:<action>`; `fea` lists the features
//! (`o:<feature>`), `o.per` the actions, and `o.fpm` one decimal bitmask per feature over `per`
//! (bit `i` set: the member may do `per[i]` on that feature). Fifty permissions over ten
//! features fit in a few dozen bytes.

use crate::role::Role;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// How long a token lives, in seconds.
pub const TOKEN_TTL_SECONDS: i64 = 60;

/// How far a verifier's clock may run behind ours: `nbf` is this much before `iat`.
pub const CLOCK_SKEW_SECONDS: i64 = 5;

/// How long a retired signing key stays published: every token it signed has expired by then,
/// even on a verifier whose clock runs [`CLOCK_SKEW_SECONDS`] late.
pub const RETIRED_KEY_GRACE_SECONDS: i64 = TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS;

/// The version of the claim layout (Clerk's session token version 2).
pub const CLAIMS_VERSION: u8 = 2;

/// A token's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClaims {
    /// The layout version, [`CLAIMS_VERSION`].
    pub v: u8,
    /// The issuer: the server's public URL.
    pub iss: String,
    /// The user id.
    pub sub: String,
    /// The session id.
    pub sid: String,
    /// Issued at, in seconds.
    pub iat: i64,
    /// Not before, in seconds.
    pub nbf: i64,
    /// Expires at, in seconds.
    pub exp: i64,
    /// The organization's features, `o:<feature>`, comma-separated, in the order of `o.fpm`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fea: Option<String>,
    /// The organization the token speaks for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub o: Option<OrgClaims>,
}

/// The organization part of a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgClaims {
    /// The organization id.
    pub id: String,
    /// Its slug.
    pub slg: String,
    /// The member's role key without the `org:` prefix (Clerk's keys: `admin`, `member`).
    pub rol: String,
    /// The actions, comma-separated.
    pub per: String,
    /// One decimal bitmask over `per` per feature of `fea`, comma-separated.
    pub fpm: String,
    /// The membership version: bumped by every role change.
    pub ver: i64,
}

/// What a token says about one membership.
#[derive(Debug, Clone, Copy)]
pub struct OrgGrant<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    /// orgkit's role key (`admin`, `basic_member` or a custom key).
    pub role: &'a str,
    /// The permission keys the role holds, each `org:<feature>:<action>`.
    pub permissions: &'a [&'a str],
    pub version: i64,
}

/// The claims for `user_id`'s session `session_id` at `now`, with `org` when the token speaks
/// for an organization.
#[must_use]
pub fn claims(
    issuer: &str,
    user_id: &str,
    session_id: &str,
    org: Option<OrgGrant<'_>>,
    now: Timestamp,
) -> SessionClaims {
    let iat = now.seconds();
    let (fea, o) = match org {
        None => (None, None),
        Some(grant) => {
            let packed = pack_permissions(grant.permissions);
            let o = OrgClaims {
                id: grant.id.to_owned(),
                slg: grant.slug.to_owned(),
                rol: clerk_role_key(grant.role).to_owned(),
                per: packed.actions,
                fpm: packed.masks,
                ver: grant.version,
            };
            (Some(packed.features), Some(o))
        }
    };
    SessionClaims {
        v: CLAIMS_VERSION,
        iss: issuer.to_owned(),
        sub: user_id.to_owned(),
        sid: session_id.to_owned(),
        iat,
        nbf: iat - CLOCK_SKEW_SECONDS,
        exp: iat + TOKEN_TTL_SECONDS,
        fea,
        o,
    }
}

/// The role key a token carries: Clerk's `member` for orgkit's `basic_member`, every other
/// key as it is (`admin`, custom keys).
#[must_use]
pub fn clerk_role_key(role: &str) -> &str {
    if role == Role::BASIC_MEMBER {
        "member"
    } else {
        role
    }
}

/// `fea`, `per` and `fpm` for a list of permission keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedPermissions {
    /// `o:<feature>`, comma-separated.
    pub features: String,
    /// The actions, comma-separated.
    pub actions: String,
    /// One decimal bitmask per feature, comma-separated.
    pub masks: String,
}

/// Packs permission keys (`org:<feature>:<action>`) into features, actions and one bitmask per
/// feature, in first-seen order. Keys of another shape are skipped: they cannot be named in
/// this layout (orgkit's keys all have it; custom keys are validated to it).
#[must_use]
pub fn pack_permissions(permissions: &[&str]) -> PackedPermissions {
    let mut features: Vec<&str> = Vec::new();
    let mut actions: Vec<&str> = Vec::new();
    let mut bits: Vec<Vec<bool>> = Vec::new();
    for key in permissions {
        let Some((feature, action)) = split_key(key) else {
            continue;
        };
        let f = index_of(&mut features, feature);
        let a = index_of(&mut actions, action);
        if bits.len() <= f {
            bits.resize(f + 1, Vec::new());
        }
        if bits[f].len() <= a {
            bits[f].resize(a + 1, false);
        }
        bits[f][a] = true;
    }
    PackedPermissions {
        features: features
            .iter()
            .map(|f| format!("o:{f}"))
            .collect::<Vec<_>>()
            .join(","),
        actions: actions.join(","),
        masks: bits
            .iter()
            .map(|b| decimal(b))
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// The permission keys of a token, as Clerk's parser reads them back: `org:<feature>:<action>`
/// for each set bit.
#[must_use]
pub fn unpack_permissions(fea: &str, per: &str, fpm: &str) -> Vec<String> {
    let actions: Vec<&str> = per.split(',').filter(|a| !a.is_empty()).collect();
    let features = fea.split(',').filter_map(|f| f.strip_prefix("o:"));
    let mut keys = Vec::new();
    for (feature, mask) in features.zip(fpm.split(',')) {
        for (i, set) in binary(mask).into_iter().enumerate() {
            if let (true, Some(action)) = (set, actions.get(i)) {
                keys.push(format!("org:{feature}:{action}"));
            }
        }
    }
    keys
}

fn split_key(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix("org:")?;
    let (feature, action) = rest.split_once(':')?;
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    (plain(feature) && plain(action)).then_some((feature, action))
}

fn index_of<'a>(list: &mut Vec<&'a str>, item: &'a str) -> usize {
    match list.iter().position(|x| *x == item) {
        Some(i) => i,
        None => {
            list.push(item);
            list.len() - 1
        }
    }
}

/// Bits (least significant first) as a decimal string of any length.
fn decimal(bits: &[bool]) -> String {
    // Little-endian base-10 digits, doubled and incremented from the top bit down.
    let mut digits: Vec<u8> = vec![0];
    for &bit in bits.iter().rev() {
        let mut carry = u8::from(bit);
        for d in &mut digits {
            let v = *d * 2 + carry;
            *d = v % 10;
            carry = v / 10;
        }
        if carry > 0 {
            digits.push(carry);
        }
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

/// A decimal string of any length as bits, least significant first; not a number: no bits.
fn binary(decimal: &str) -> Vec<bool> {
    if decimal.is_empty() || !decimal.bytes().all(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let mut digits: Vec<u8> = decimal.bytes().map(|b| b - b'0').collect();
    let mut bits = Vec::new();
    while digits.iter().any(|d| *d != 0) {
        let mut remainder = 0;
        for d in &mut digits {
            let v = remainder * 10 + *d;
            *d = v / 2;
            remainder = v % 2;
        }
        bits.push(remainder == 1);
    }
    bits
}

#[cfg(test)]
mod tests;
