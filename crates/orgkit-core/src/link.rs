//! Invite link rules: the options a link may have, where a link stands at `now`, and who may
//! use it.
//!
//! A link is reusable: anyone holding its token may join with the link's role (or, when it
//! requires approval, ask to). Who may create one, and with which role, is the policy's
//! (`Action::CreateInviteLink`: the creator must be able to grant the role).
//!
//! Every use counts: a join, and a join request filed through a link that requires approval, so
//! that a one-use link cannot flood the admins with requests.

use crate::error::{DomainError, ErrorCode};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The most uses a link may allow.
pub const MAX_LINK_USES: u32 = 10_000;

/// The latest expiry a link may have: the last millisecond of the year 9999.
pub const MAX_LINK_EXPIRY: Timestamp = Timestamp(253_402_300_799_999);

/// Where a link stands at a given instant.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InviteLinkStatus {
    Active,
    Revoked,
    Expired,
    Exhausted,
}

impl InviteLinkStatus {
    /// Every status, in declaration order.
    pub const ALL: [InviteLinkStatus; 4] = [
        InviteLinkStatus::Active,
        InviteLinkStatus::Revoked,
        InviteLinkStatus::Expired,
        InviteLinkStatus::Exhausted,
    ];

    /// The wire form.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            InviteLinkStatus::Active => "active",
            InviteLinkStatus::Revoked => "revoked",
            InviteLinkStatus::Expired => "expired",
            InviteLinkStatus::Exhausted => "exhausted",
        }
    }
}

/// The stored facts of a link that decide its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkState {
    pub revoked: bool,
    /// `None`: never expires.
    pub expires_at: Option<Timestamp>,
    /// `None`: unlimited.
    pub max_uses: Option<u32>,
    pub uses: u32,
}

impl LinkState {
    /// The status at `now`: revoked wins over expired, which wins over exhausted.
    #[must_use]
    pub fn status(self, now: Timestamp) -> InviteLinkStatus {
        if self.revoked {
            InviteLinkStatus::Revoked
        } else if self.expires_at.is_some_and(|at| now >= at) {
            InviteLinkStatus::Expired
        } else if self.max_uses.is_some_and(|max| self.uses >= max) {
            InviteLinkStatus::Exhausted
        } else {
            InviteLinkStatus::Active
        }
    }
}

/// Refuses a link that is not active, with the code of its status.
pub fn check_active(state: LinkState, now: Timestamp) -> Result<(), DomainError> {
    match state.status(now) {
        InviteLinkStatus::Active => Ok(()),
        InviteLinkStatus::Revoked => Err(DomainError::new(
            ErrorCode::InviteLinkRevoked,
            "This invite link was revoked.",
        )),
        InviteLinkStatus::Expired => Err(DomainError::new(
            ErrorCode::InviteLinkExpired,
            "This invite link has expired.",
        )),
        InviteLinkStatus::Exhausted => Err(DomainError::new(
            ErrorCode::InviteLinkExhausted,
            "This invite link has been used as many times as it allows.",
        )),
    }
}

/// The options of a new link (its role is the policy's to check).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LinkOptions {
    /// `None` (the default): never expires.
    pub expires_at: Option<Timestamp>,
    /// `None` (the default): unlimited.
    pub max_uses: Option<u32>,
    pub requires_approval: bool,
}

/// Checks a new link's options at `now`: at most [`MAX_LINK_USES`] uses and at least one
/// (`validation_failed`), and an expiry in the future. A link that would be born expired is
/// refused as `invite_link_expired`.
pub fn check_options(options: LinkOptions, now: Timestamp) -> Result<(), DomainError> {
    if options
        .max_uses
        .is_some_and(|n| !(1..=MAX_LINK_USES).contains(&n))
    {
        return Err(DomainError::new(
            ErrorCode::ValidationFailed,
            "maxUses must be between 1 and 10000.",
        ));
    }
    if options.expires_at.is_some_and(|at| at > MAX_LINK_EXPIRY) {
        return Err(DomainError::new(
            ErrorCode::ValidationFailed,
            "The expiry must be before the year 10000.",
        ));
    }
    if options.expires_at.is_some_and(|at| at <= now) {
        return Err(DomainError::new(
            ErrorCode::InviteLinkExpired,
            "The expiry must be in the future.",
        ));
    }
    Ok(())
}

/// The lifetime a reset link keeps: a link created at `created_at` expiring at `expires_at`,
/// reset at `now`, expires as long after `now`. Resetting keeps the options, not the instant.
#[must_use]
pub fn reset_expiry(
    created_at: Timestamp,
    expires_at: Option<Timestamp>,
    now: Timestamp,
) -> Option<Timestamp> {
    expires_at.map(|at| now.plus_millis((at.millis() - created_at.millis()).max(1)))
}

/// What the rule book needs to know about a person accepting a link.
#[derive(Debug, Clone, Copy)]
pub struct LinkAcceptFacts {
    pub link: LinkState,
    pub already_member: bool,
    pub email_verified: bool,
}

/// Decides whether the signed-in user may accept a link at `now`: the link must be active,
/// the user not yet a member, and their address verified (a link proves nothing about it).
pub fn check_accept(facts: LinkAcceptFacts, now: Timestamp) -> Result<(), DomainError> {
    check_active(facts.link, now)?;
    if facts.already_member {
        return Err(DomainError::new(
            ErrorCode::AlreadyMember,
            "You are already a member of this organization.",
        ));
    }
    if !facts.email_verified {
        return Err(DomainError::new(
            ErrorCode::EmailNotVerified,
            "Verify your email address first.",
        ));
    }
    Ok(())
}

/// Whether `raw` has the shape of a link token: 256 bits in base64url, 43 characters.
#[must_use]
pub fn is_token(raw: &str) -> bool {
    crate::secret::is_secret_token(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use InviteLinkStatus::*;

    const NOW: Timestamp = Timestamp(1_000_000);

    fn state(revoked: bool, expires: Option<i64>, max: Option<u32>, uses: u32) -> LinkState {
        LinkState {
            revoked,
            expires_at: expires.map(Timestamp),
            max_uses: max,
            uses,
        }
    }

    #[test]
    fn status_cases() {
        let cases = [
            (state(false, None, None, 0), Active),
            (state(false, None, None, 50_000), Active),
            (state(false, Some(1_000_001), Some(2), 1), Active),
            (state(false, Some(1_000_000), None, 0), Expired),
            (state(false, Some(999_999), None, 0), Expired),
            (state(false, None, Some(1), 1), Exhausted),
            (state(false, None, Some(3), 4), Exhausted),
            (state(false, Some(5), Some(1), 1), Expired),
            (state(true, Some(5), Some(1), 1), Revoked),
            (state(true, None, None, 0), Revoked),
        ];
        for (s, expected) in cases {
            assert_eq!(s.status(NOW), expected, "{s:?}");
        }
        for s in InviteLinkStatus::ALL {
            let json = serde_json::to_string(&s).expect("serializes");
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
    }

    #[test]
    fn option_cases() {
        let opts = |expires: Option<i64>, max: Option<u32>| LinkOptions {
            expires_at: expires.map(Timestamp),
            max_uses: max,
            requires_approval: false,
        };
        let cases = [
            (opts(None, None), Ok(())),
            (opts(Some(1_000_001), Some(1)), Ok(())),
            (opts(None, Some(MAX_LINK_USES)), Ok(())),
            (opts(None, Some(0)), Err(ErrorCode::ValidationFailed)),
            (
                opts(None, Some(MAX_LINK_USES + 1)),
                Err(ErrorCode::ValidationFailed),
            ),
            (
                opts(Some(1_000_000), None),
                Err(ErrorCode::InviteLinkExpired),
            ),
            (opts(Some(-5), Some(3)), Err(ErrorCode::InviteLinkExpired)),
            (opts(Some(MAX_LINK_EXPIRY.0), None), Ok(())),
            (
                opts(Some(MAX_LINK_EXPIRY.0 + 1), None),
                Err(ErrorCode::ValidationFailed),
            ),
        ];
        for (o, expected) in cases {
            assert_eq!(check_options(o, NOW).map_err(|e| e.code), expected, "{o:?}");
        }
        assert_eq!(LinkOptions::default().max_uses, None);
        assert!(!LinkOptions::default().requires_approval);
    }

    #[test]
    fn accept_cases() {
        let facts = |link: LinkState, member: bool, verified: bool| LinkAcceptFacts {
            link,
            already_member: member,
            email_verified: verified,
        };
        let active = state(false, None, Some(2), 1);
        let cases = [
            (facts(active, false, true), Ok(())),
            (
                facts(state(true, None, None, 0), false, true),
                Err(ErrorCode::InviteLinkRevoked),
            ),
            (
                facts(state(false, Some(10), None, 0), false, true),
                Err(ErrorCode::InviteLinkExpired),
            ),
            (
                facts(state(false, None, Some(1), 1), false, true),
                Err(ErrorCode::InviteLinkExhausted),
            ),
            (facts(active, true, true), Err(ErrorCode::AlreadyMember)),
            (
                facts(active, false, false),
                Err(ErrorCode::EmailNotVerified),
            ),
            // A dead link says so before anything about the person.
            (
                facts(state(true, None, None, 0), true, false),
                Err(ErrorCode::InviteLinkRevoked),
            ),
        ];
        for (f, expected) in cases {
            assert_eq!(check_accept(f, NOW).map_err(|e| e.code), expected, "{f:?}");
        }
    }

    #[test]
    fn resets_keep_the_lifetime() {
        assert_eq!(reset_expiry(Timestamp(100), None, NOW), None);
        assert_eq!(
            reset_expiry(Timestamp(100), Some(Timestamp(600)), NOW),
            Some(Timestamp(1_000_500))
        );
    }

    #[test]
    fn token_shapes() {
        assert!(is_token(&"a".repeat(43)));
        assert!(is_token("AZaz09-_AZaz09-_AZaz09-_AZaz09-_AZaz09-_abc"));
        assert!(!is_token(""));
        assert!(!is_token(&"a".repeat(42)));
        assert!(!is_token(&"a".repeat(44)));
        assert!(!is_token(&format!("{}=", "a".repeat(42))));
    }
}
