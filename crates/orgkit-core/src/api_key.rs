//! API keys: who may create one, what a request made with one may do, and when it stops.
//!
//! A key belongs to a member or a service account of one organization. Its secret is `ok_`
//! and 64 hex digits (256 random bits), shown once and stored hashed. A request made with it
//! holds the owner's permissions at that moment, cut to the key's optional scope, so demoting
//! the owner narrows the key at once.

use crate::error::{DomainError, ErrorCode};
use crate::permission::{Permission, PermissionSet};
use crate::policy::no_escalation;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Every secret starts with this, so a leaked one is recognisable (for example by secret
/// scanners).
pub const SECRET_PREFIX: &str = "ok_";
/// The hex digits after the prefix: 32 random bytes.
pub const SECRET_HEX_DIGITS: usize = 64;
/// The longest revocation reason.
pub const MAX_REASON_CHARS: usize = 200;

/// Who in an organization may create API keys.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApiKeyPolicy {
    /// Nobody: no new key.
    Nobody,
    /// Holders of `org:api_keys:manage`.
    #[default]
    Admins,
    /// Every member, for their own keys.
    Members,
}

impl ApiKeyPolicy {
    /// The wire and stored form.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ApiKeyPolicy::Nobody => "nobody",
            ApiKeyPolicy::Admins => "admins",
            ApiKeyPolicy::Members => "members",
        }
    }

    /// Parses the wire and stored form.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        [
            ApiKeyPolicy::Nobody,
            ApiKeyPolicy::Admins,
            ApiKeyPolicy::Members,
        ]
        .into_iter()
        .find(|p| p.as_str() == raw)
    }
}

/// Whether `raw` has the shape of a secret: the prefix, then 64 lowercase hex digits.
#[must_use]
pub fn is_secret_shaped(raw: &str) -> bool {
    raw.strip_prefix(SECRET_PREFIX).is_some_and(|hex| {
        hex.len() == SECRET_HEX_DIGITS
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The last four characters of a secret, kept to tell keys apart.
#[must_use]
pub fn last4(secret: &str) -> &str {
    secret.get(secret.len().saturating_sub(4)..).unwrap_or("")
}

/// What a request made with a key may do: the owner's permissions now, within the key's
/// scope (`None`: all of the owner's).
#[must_use]
pub const fn key_permissions(
    owner_now: PermissionSet,
    scope: Option<PermissionSet>,
) -> PermissionSet {
    match scope {
        Some(scope) => owner_now.intersect(scope),
        None => owner_now,
    }
}

/// Who a new key is for, as its creation is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewKey {
    /// The key is a service account's, not the creator's own.
    pub for_service_account: bool,
    /// The permissions it is limited to (`None`: all of its owner's).
    pub scope: Option<PermissionSet>,
    /// What its owner holds now.
    pub owner_permissions: PermissionSet,
}

/// Decides creating a key, for an actor holding `held`, under the organization's `policy`:
/// `nobody` refuses every key (`api_keys_disabled`); `admins` needs `org:api_keys:manage`; a
/// service account's key needs `org:service_accounts:manage` as well. The scope must lie within
/// the owner's permissions (`permission_escalation`, naming the rest).
pub fn check_create(
    policy: ApiKeyPolicy,
    held: PermissionSet,
    key: NewKey,
) -> Result<(), DomainError> {
    match policy {
        ApiKeyPolicy::Nobody => {
            return Err(DomainError::new(
                ErrorCode::ApiKeysDisabled,
                "The organization allows no new API keys.",
            ))
        }
        ApiKeyPolicy::Admins if !held.contains(Permission::ApiKeysManage) => {
            return Err(forbidden("Only an admin can create API keys here."))
        }
        _ => {}
    }
    if key.for_service_account && !held.contains(Permission::ServiceAccountsManage) {
        return Err(forbidden(
            "Only an admin can create a service account's API keys.",
        ));
    }
    match key.scope {
        Some(scope) => no_escalation(key.owner_permissions, scope),
        None => Ok(()),
    }
}

/// Decides revoking a key: my own always; anyone else's needs `org:api_keys:manage`, or for
/// a service account's key `org:service_accounts:manage`.
pub fn check_revoke(
    held: PermissionSet,
    is_mine: bool,
    for_service_account: bool,
) -> Result<(), DomainError> {
    if is_mine
        || held.contains(Permission::ApiKeysManage)
        || (for_service_account && held.contains(Permission::ServiceAccountsManage))
    {
        Ok(())
    } else {
        Err(forbidden(
            "Only an admin can revoke another member's API key.",
        ))
    }
}

/// Listing every key of the organization (not only mine) needs `org:api_keys:manage` or,
/// for service accounts' keys, `org:service_accounts:manage`.
#[must_use]
pub fn sees_all_keys(held: PermissionSet, service_accounts_only: bool) -> bool {
    held.contains(Permission::ApiKeysManage)
        || (service_accounts_only && held.contains(Permission::ServiceAccountsManage))
}

/// Changing the policy needs `org:api_keys:manage`.
pub fn check_set_policy(held: PermissionSet) -> Result<(), DomainError> {
    if held.contains(Permission::ApiKeysManage) {
        Ok(())
    } else {
        Err(forbidden(
            "Only an admin can change who may create API keys.",
        ))
    }
}

/// A new key's expiry, when it has one, lies in the future.
pub fn check_expiry(expires_at: Option<Timestamp>, now: Timestamp) -> Result<(), DomainError> {
    match expires_at {
        Some(at) if at <= now => Err(DomainError::new(
            ErrorCode::ValidationFailed,
            "The expiry must be in the future.",
        )),
        _ => Ok(()),
    }
}

/// Trims a revocation reason and checks it: at most 200 characters, no control characters.
pub fn check_reason(raw: &str) -> Result<String, DomainError> {
    let text = raw.trim();
    if text.chars().count() > MAX_REASON_CHARS || text.chars().any(char::is_control) {
        return Err(DomainError::new(
            ErrorCode::ValidationFailed,
            "The reason must be at most 200 characters, without control characters.",
        ));
    }
    Ok(text.to_owned())
}

/// Why a key no longer authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRefusal {
    /// No key has this secret.
    Unknown,
    Revoked,
    Expired,
}

impl KeyRefusal {
    /// The `reason` of the `unauthenticated` error.
    #[must_use]
    pub const fn reason(self) -> &'static str {
        match self {
            KeyRefusal::Unknown => "api_key_unknown",
            KeyRefusal::Revoked => "api_key_revoked",
            KeyRefusal::Expired => "api_key_expired",
        }
    }

    /// A message a person can read.
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            KeyRefusal::Unknown => "This API key is not valid.",
            KeyRefusal::Revoked => "This API key was revoked.",
            KeyRefusal::Expired => "This API key has expired.",
        }
    }
}

/// Whether a key still authenticates at `now`: not revoked, and not past its expiry (a key
/// expires at the instant its expiry names).
pub fn check_usable(
    revoked: bool,
    expires_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<(), KeyRefusal> {
    if revoked {
        return Err(KeyRefusal::Revoked);
    }
    match expires_at {
        Some(at) if at <= now => Err(KeyRefusal::Expired),
        _ => Ok(()),
    }
}

fn forbidden(message: &'static str) -> DomainError {
    DomainError::new(ErrorCode::Forbidden, message)
}

#[cfg(test)]
mod tests;
