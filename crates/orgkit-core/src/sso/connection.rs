//! SSO connection rules: what a connection's settings may be, how its state moves
//! (draft → active ⇄ inactive) and what may change in each state, which domains it may serve,
//! and when an organization may require SSO.
//!
//! Who may manage connections, and which JIT role they may pick, is the policy's
//! (`Action::ManageSso`, `Action::SetSsoJitRole`: the escalation guard).

use crate::domain::EnrollmentMode;
use crate::error::{DomainError, ErrorCode};
use serde::{Deserialize, Serialize};

mod issuer;
pub use issuer::{check_issuer, check_issuer_url};

/// The most characters of a connection's name.
pub const MAX_NAME_CHARS: usize = 100;
/// The most characters of an issuer or discovery URL.
pub const MAX_ISSUER_CHARS: usize = 2048;
/// The most characters of a client id.
pub const MAX_CLIENT_ID_CHARS: usize = 255;
/// The most characters of a client secret.
pub const MAX_CLIENT_SECRET_CHARS: usize = 1024;
/// The most characters of the space-separated scopes.
pub const MAX_SCOPES_CHARS: usize = 512;
/// The most characters of a claim name.
pub const MAX_CLAIM_CHARS: usize = 128;
/// The most domains one connection may serve (an organization has at most as many).
pub const MAX_CONNECTION_DOMAINS: usize = crate::domain::MAX_DOMAINS_PER_ORGANIZATION as usize;
/// The scopes of a connection created without any.
pub const DEFAULT_SCOPES: &str = "openid email profile";
/// What an admin may give instead of the issuer: the issuer followed by this.
pub const DISCOVERY_SUFFIX: &str = "/.well-known/openid-configuration";

/// Where a connection stands: a `draft` is being set up, only an `active` one signs people
/// in, an `inactive` one was turned off.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConnectionState {
    Draft,
    Active,
    Inactive,
}

impl ConnectionState {
    /// Every state, in declaration order.
    pub const ALL: [ConnectionState; 3] = [
        ConnectionState::Draft,
        ConnectionState::Active,
        ConnectionState::Inactive,
    ];

    /// The wire and stored name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ConnectionState::Draft => "draft",
            ConnectionState::Active => "active",
            ConnectionState::Inactive => "inactive",
        }
    }

    /// The state named `s`.
    #[must_use]
    pub fn parse(s: &str) -> Option<ConnectionState> {
        ConnectionState::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

const fn invalid(message: &'static str) -> DomainError {
    DomainError::new(ErrorCode::ValidationFailed, message)
}

const fn in_use(message: &'static str) -> DomainError {
    DomainError::new(ErrorCode::SsoConnectionInUse, message)
}

/// Checks a connection's name: 1 to [`MAX_NAME_CHARS`] characters, not only spaces, no
/// control characters. Answers it trimmed.
pub fn check_name(raw: &str) -> Result<&str, DomainError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid("A connection's name has 1 to 100 characters."));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid(
            "A connection's name cannot hold control characters.",
        ));
    }
    Ok(name)
}

/// Checks a client id: 1 to [`MAX_CLIENT_ID_CHARS`] printable ASCII characters, no spaces.
pub fn check_client_id(raw: &str) -> Result<(), DomainError> {
    if raw.is_empty()
        || raw.len() > MAX_CLIENT_ID_CHARS
        || !raw.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(invalid(
            "The client id has 1 to 255 printable characters, without spaces.",
        ));
    }
    Ok(())
}

/// Checks a client secret: 1 to [`MAX_CLIENT_SECRET_CHARS`] printable ASCII characters, no
/// spaces.
pub fn check_client_secret(raw: &str) -> Result<(), DomainError> {
    if raw.is_empty()
        || raw.len() > MAX_CLIENT_SECRET_CHARS
        || !raw.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(invalid(
            "The client secret has 1 to 1024 printable characters, without spaces.",
        ));
    }
    Ok(())
}

/// Whether `b` may appear in a scope token (RFC 6749 §3.3: `%x21 / %x23-5B / %x5D-7E`).
const fn is_scope_byte(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E)
}

/// Checks space-separated scopes: at most [`MAX_SCOPES_CHARS`], RFC 6749 scope tokens, `openid`
/// among them. Writes nothing: what the SDK needs ([`check_scopes`] adds the normalised list).
pub fn check_scope_list(raw: &str) -> Result<(), DomainError> {
    if raw.len() > MAX_SCOPES_CHARS {
        return Err(invalid("The scopes have at most 512 characters."));
    }
    let mut openid = false;
    for scope in raw.split(' ').filter(|s| !s.is_empty()) {
        if !scope.bytes().all(is_scope_byte) {
            return Err(invalid(
                "A scope is printable ASCII without quotes or backslashes; separate scopes by spaces.",
            ));
        }
        openid |= scope == "openid";
    }
    if openid {
        Ok(())
    } else {
        Err(invalid("The scopes must include openid."))
    }
}

/// Checks scopes ([`check_scope_list`]) and answers them normalised: single spaces, each once,
/// in the order given.
pub fn check_scopes(raw: &str) -> Result<String, DomainError> {
    check_scope_list(raw)?;
    let mut scopes: Vec<&str> = Vec::new();
    for scope in raw.split(' ').filter(|s| !s.is_empty()) {
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    Ok(scopes.join(" "))
}

/// Checks a claim name of the claim mapping: 1 to [`MAX_CLAIM_CHARS`] letters, digits or
/// `_ - . : /` (custom claims are often URLs).
pub fn check_claim(raw: &str) -> Result<(), DomainError> {
    let ok = !raw.is_empty()
        && raw.len() <= MAX_CLAIM_CHARS
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.:/".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "A claim name has 1 to 128 letters, digits or _ - . : / characters.",
        ))
    }
}

/// What the rule book needs to know about a domain a connection is to serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DomainFacts {
    /// Proved by a DNS TXT record (affiliation alone is not enough for SSO).
    pub ownership_verified: bool,
    pub enrollment_mode: EnrollmentMode,
    /// Another connection already serves it.
    pub other_connection: bool,
}

/// A connection may serve a domain the organization owns (verified by DNS), that no other
/// connection serves, and that enrolls nobody automatically.
pub fn check_domain(facts: DomainFacts) -> Result<(), DomainError> {
    if !facts.ownership_verified {
        return Err(DomainError::new(
            ErrorCode::DomainNotVerified,
            "Verify the domain's ownership by DNS before using it for SSO.",
        ));
    }
    if facts.other_connection {
        return Err(DomainError::new(
            ErrorCode::SsoDomainConflict,
            "This domain already belongs to another SSO connection.",
        ));
    }
    check_enrollment_mode(facts.enrollment_mode, true)
}

/// A domain an SSO connection serves enrolls nobody automatically: its people come through
/// SSO. `used_by_sso`: a connection serves the domain.
pub fn check_enrollment_mode(mode: EnrollmentMode, used_by_sso: bool) -> Result<(), DomainError> {
    if used_by_sso && mode.needs_verified_domain() {
        Err(DomainError::new(
            ErrorCode::SsoDomainConflict,
            "A domain used for SSO cannot enroll people automatically; set it to manual invitation.",
        ))
    } else {
        Ok(())
    }
}

/// A domain an SSO connection serves stays while it does: take it off the connection first
/// (else an active connection could be left serving nothing).
pub fn check_domain_delete(used_by_sso: bool) -> Result<(), DomainError> {
    if used_by_sso {
        Err(DomainError::new(
            ErrorCode::SsoDomainConflict,
            "This domain serves an SSO connection: take it off the connection first.",
        ))
    } else {
        Ok(())
    }
}

/// A connection serves 1 to [`MAX_CONNECTION_DOMAINS`] domains once active; a draft or an
/// inactive one may have none yet.
pub fn check_domain_count(state: ConnectionState, count: usize) -> Result<(), DomainError> {
    if count > MAX_CONNECTION_DOMAINS {
        return Err(invalid("A connection serves at most 10 domains."));
    }
    if state == ConnectionState::Active && count == 0 {
        return Err(DomainError::new(
            ErrorCode::DomainNotVerified,
            "An active connection needs at least one verified domain.",
        ));
    }
    Ok(())
}

/// Moves a connection from `from` to `to`: a draft may become active; active and inactive
/// swap; nothing goes back to draft. Staying is always fine.
pub fn check_transition(from: ConnectionState, to: ConnectionState) -> Result<(), DomainError> {
    use ConnectionState::*;
    match (from, to) {
        (a, b) if a == b => Ok(()),
        (Draft, Active) | (Active, Inactive) | (Inactive, Active) => Ok(()),
        (_, Draft) => Err(in_use(
            "A connection that was activated cannot become a draft again.",
        )),
        _ => Err(DomainError::new(
            ErrorCode::SsoConnectionInactive,
            "Activate the draft before deactivating it.",
        )),
    }
}

/// The changes an update makes, as far as the state rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionChange {
    /// The state before the update.
    pub from: ConnectionState,
    /// The state after it.
    pub to: ConnectionState,
    /// The issuer or the client id changes: who the identity provider is.
    pub changes_provider: bool,
    /// Domains served after the update.
    pub domain_count: usize,
    /// The organization requires SSO…
    pub require_sso: bool,
    /// …and this many other connections are active.
    pub other_active: u64,
}

/// Decides an update: the transition, the domain count in the new state, an active connection
/// keeps its provider (identities are tied to its issuer: deactivate first), and the last
/// active connection stays active while the organization requires SSO.
pub fn check_change(change: ConnectionChange) -> Result<(), DomainError> {
    check_transition(change.from, change.to)?;
    if change.changes_provider && change.from == ConnectionState::Active {
        return Err(in_use(
            "Deactivate the connection before changing its issuer or client id.",
        ));
    }
    check_domain_count(change.to, change.domain_count)?;
    let deactivates = change.from == ConnectionState::Active && change.to != change.from;
    if deactivates && change.require_sso && change.other_active == 0 {
        return Err(in_use(
            "The organization requires SSO: turn that off before deactivating its last active connection.",
        ));
    }
    Ok(())
}

/// An active connection cannot be deleted: deactivate it first.
pub fn check_delete(state: ConnectionState) -> Result<(), DomainError> {
    if state == ConnectionState::Active {
        Err(in_use("Deactivate the connection before deleting it."))
    } else {
        Ok(())
    }
}

/// Turning "require SSO" on needs an active connection (turning it off is always fine).
pub fn check_require_sso(on: bool, active_connections: u64) -> Result<(), DomainError> {
    if on && active_connections == 0 {
        Err(DomainError::new(
            ErrorCode::SsoConnectionInactive,
            "Activate an SSO connection before requiring SSO.",
        ))
    } else {
        Ok(())
    }
}

/// The path of the SSO join link of the organization `slug`, under the public URL.
#[must_use]
pub fn join_path(slug: &str) -> String {
    format!("/sso/{slug}")
}

#[cfg(test)]
mod tests;
