//! Signing in through an SSO connection: which connection starts, what the provider's answer
//! must hold, and what happens to the user and the membership (just in time, never lowering a
//! role).
//!
//! The server reads the facts (connections, identities, memberships, the sign-in's state) and
//! verifies the ID token's signature, issuer, audience, nonce and expiry; these functions
//! decide. Identity is `(issuer, subject)`, never an email alone.

use crate::error::{DomainError, ErrorCode};
use crate::time::Timestamp;
use crate::validate;

/// How long a sign-in may take between start and callback: 10 minutes.
pub const STATE_TTL_MS: i64 = 10 * 60 * 1000;
/// The longest return URL accepted.
pub const MAX_RETURN_TO_CHARS: usize = 2048;

/// What a start request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartBy<'a> {
    /// The person's email address: the connection serving its domain.
    Email(&'a str),
    /// An organization (its slug), and optionally the person's email to choose among several
    /// connections.
    Organization {
        slug: &'a str,
        email: Option<&'a str>,
    },
    /// A connection id.
    Connection(&'a str),
}

const NOT_FOUND: DomainError = DomainError::new(
    ErrorCode::SsoConnectionNotFound,
    "No SSO connection signs in this address or organization.",
);

/// Reads a start request's fields into what it names: a connection id first, then an
/// organization slug (with the email, if any, to choose), then an email. Malformed values name
/// nothing (`sso_connection_not_found`), as no connection could match them.
pub fn start_by<'a>(
    email: Option<&'a str>,
    organization_slug: Option<&'a str>,
    connection_id: Option<&'a str>,
) -> Result<StartBy<'a>, DomainError> {
    let email = email.filter(|e| !e.is_empty());
    if email.is_some_and(|e| validate::email(e).is_err()) {
        return Err(NOT_FOUND);
    }
    if let Some(id) = connection_id.filter(|c| !c.is_empty()) {
        return if crate::ids::SsoConnectionId::is_well_formed(id) {
            Ok(StartBy::Connection(id))
        } else {
            Err(NOT_FOUND)
        };
    }
    if let Some(slug) = organization_slug.filter(|s| !s.is_empty()) {
        return if validate::slug(slug).is_ok() {
            Ok(StartBy::Organization { slug, email })
        } else {
            Err(NOT_FOUND)
        };
    }
    match email {
        Some(email) => Ok(StartBy::Email(email)),
        None => Err(DomainError::new(
            ErrorCode::SsoConnectionNotFound,
            "Give an email address, an organization slug or a connection id to sign in with SSO.",
        )),
    }
}

/// The domain of an address, lowercased.
#[must_use]
pub fn email_domain(email: &str) -> Option<String> {
    email
        .trim()
        .rsplit_once('@')
        .map(|(_, d)| d.to_ascii_lowercase())
        .filter(|d| !d.is_empty())
}

/// A connection as the server read it for a start request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<'a> {
    pub id: &'a str,
    pub active: bool,
    /// The ownership-verified domains it serves.
    pub domains: &'a [String],
}

/// Picks the connection a start request signs in with, among the candidates the server read
/// for it (the connection with the id; the organization's connections; the connection serving
/// the email's domain). Only active connections sign in; with several active ones in an
/// organization, the email's domain chooses.
pub fn pick_connection<'c, 'a>(
    by: StartBy<'_>,
    candidates: &'c [Candidate<'a>],
) -> Result<&'c Candidate<'a>, DomainError> {
    let serves = |c: &Candidate<'_>, email: &str| {
        email_domain(email).is_some_and(|d| c.domains.iter().any(|x| x.eq_ignore_ascii_case(&d)))
    };
    match by {
        StartBy::Connection(id) => {
            let found = candidates.iter().find(|c| c.id == id).ok_or(NOT_FOUND)?;
            if found.active {
                Ok(found)
            } else {
                Err(DomainError::new(
                    ErrorCode::SsoConnectionInactive,
                    "This SSO connection is not active.",
                ))
            }
        }
        StartBy::Email(email) => candidates
            .iter()
            .find(|c| c.active && serves(c, email))
            .ok_or(NOT_FOUND),
        StartBy::Organization { email, .. } => {
            let active: Vec<&Candidate<'a>> = candidates.iter().filter(|c| c.active).collect();
            match (active.as_slice(), email) {
                ([], _) => Err(NOT_FOUND),
                ([only], None) => Ok(only),
                (_, Some(email)) => active
                    .into_iter()
                    .find(|c| serves(c, email))
                    .ok_or(NOT_FOUND),
                (_, None) => Err(DomainError::new(
                    ErrorCode::SsoConnectionNotFound,
                    "This organization has several SSO connections: give your email address.",
                )),
            }
        }
    }
}

/// The claims of a verified ID token (signature, issuer, audience, nonce and expiry already
/// checked), read through the connection's claim mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claims<'a> {
    pub email: Option<&'a str>,
    /// `None`: the claim is absent.
    pub email_verified: Option<bool>,
}

/// Checks the claims against the connection: an email is present and well formed, at one of
/// the connection's domains, and verified by the provider. Answers the email, normalised.
pub fn check_claims(claims: Claims<'_>, domains: &[String]) -> Result<String, DomainError> {
    let email = claims
        .email
        .and_then(|e| validate::email(e).ok())
        .ok_or(DomainError::new(
            ErrorCode::SsoTokenInvalid,
            "The identity provider gave no valid email address.",
        ))?;
    let inside =
        email_domain(&email).is_some_and(|d| domains.iter().any(|x| x.eq_ignore_ascii_case(&d)));
    if !inside {
        return Err(DomainError::new(
            ErrorCode::SsoEmailOutsideDomains,
            "This email address is not at a domain of the SSO connection.",
        ));
    }
    if claims.email_verified != Some(true) {
        return Err(DomainError::new(
            ErrorCode::EmailNotVerified,
            "The identity provider has not verified this email address.",
        ));
    }
    Ok(email)
}

/// Who signs in, as the server found them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserFacts<'a> {
    /// The user tied to the token's `(issuer, subject)`.
    pub by_identity: Option<&'a str>,
    /// The user with the token's (checked) email, whose domain is a verified domain of the
    /// connection.
    pub by_email: Option<&'a str>,
    pub jit_enabled: bool,
}

/// What to do about the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserDecision<'a> {
    /// The identity is known: that user.
    Known(&'a str),
    /// An account with the address exists: tie the identity to it.
    Link(&'a str),
    /// Nobody yet: create the user (just in time) and tie the identity.
    Create,
}

/// Decides the user: by `(issuer, subject)`; else the account with the email (the claims check
/// put it at a verified domain of the connection); else a new user when JIT is on.
pub fn decide_user(facts: UserFacts<'_>) -> Result<UserDecision<'_>, DomainError> {
    match facts {
        UserFacts {
            by_identity: Some(id),
            ..
        } => Ok(UserDecision::Known(id)),
        UserFacts {
            by_email: Some(id), ..
        } => Ok(UserDecision::Link(id)),
        UserFacts {
            jit_enabled: true, ..
        } => Ok(UserDecision::Create),
        _ => Err(DomainError::new(
            ErrorCode::SsoJitDisabled,
            "This organization does not create accounts at SSO sign-in; ask an admin to invite you.",
        )),
    }
}

/// What to do about the membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipDecision<'a> {
    /// A member already: the role stays as it is (SSO never lowers a role).
    Keep,
    /// Add the user with this role (just in time; also a member who was removed).
    Add(&'a str),
    /// JIT is off and the user is no member: signed in, no membership.
    None,
}

/// Decides the membership: an existing one is kept with its role; otherwise the user is added
/// with the JIT role when JIT is on.
#[must_use]
pub fn decide_membership<'a>(
    current_role: Option<&str>,
    jit_enabled: bool,
    jit_role: &'a str,
) -> MembershipDecision<'a> {
    match (current_role, jit_enabled) {
        (Some(_), _) => MembershipDecision::Keep,
        (None, true) => MembershipDecision::Add(jit_role),
        (None, false) => MembershipDecision::None,
    }
}

/// Checks a sign-in's state as found by its hash: known (not yet used: using it deletes it)
/// and within its 10 minutes.
pub fn check_state(expires_at: Option<Timestamp>, now: Timestamp) -> Result<(), DomainError> {
    match expires_at {
        None => Err(DomainError::new(
            ErrorCode::SsoStateInvalid,
            "This SSO sign-in is unknown or was already used; start again.",
        )),
        Some(at) if now.millis() >= at.millis() => Err(DomainError::new(
            ErrorCode::SsoStateExpired,
            "This SSO sign-in took more than 10 minutes; start again.",
        )),
        Some(_) => Ok(()),
    }
}

/// Checks where to go after signing in: a path on this server (`/…`, not `//…`), or an
/// absolute URL at one of the allowed origins (the server's own and `--allowed-origin`s,
/// written `scheme://host[:port]`). Answers it unchanged.
pub fn check_return_to<'a>(raw: &'a str, allowed_origins: &[&str]) -> Result<&'a str, DomainError> {
    const FORBIDDEN: DomainError = DomainError::new(
        ErrorCode::SsoReturnUrlForbidden,
        "The return URL must be a path on this site or an allowed origin.",
    );
    if raw.is_empty()
        || raw.len() > MAX_RETURN_TO_CHARS
        || !raw.bytes().all(|b| b.is_ascii_graphic())
        || raw.contains('\\')
    {
        return Err(FORBIDDEN);
    }
    if raw.starts_with('/') {
        return if raw.starts_with("//") {
            Err(FORBIDDEN)
        } else {
            Ok(raw)
        };
    }
    let (scheme, rest) = raw.split_once("://").ok_or(FORBIDDEN)?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        rest[..end].to_ascii_lowercase()
    );
    if rest[..end].contains('@')
        || !allowed_origins
            .iter()
            .any(|o| o.eq_ignore_ascii_case(&origin))
    {
        return Err(FORBIDDEN);
    }
    Ok(raw)
}

/// One organization that requires SSO of an address (its domain is served by an active
/// connection of the organization).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoRequirement<'a> {
    pub organization_slug: &'a str,
}

/// Password sign-in is refused (`sso_required`) for an address at an SSO domain of an
/// organization requiring SSO; the refusal names the organization to start SSO with.
pub fn check_password_sign_in<'r, 'a>(
    requirements: &'r [SsoRequirement<'a>],
) -> Result<(), &'r SsoRequirement<'a>> {
    match requirements.first() {
        Some(first) => Err(first),
        None => Ok(()),
    }
}

/// The message of `sso_required`.
pub const SSO_REQUIRED_MESSAGE: &str =
    "Your organization requires single sign-on for this address: sign in with SSO.";

#[cfg(test)]
mod tests;
