//! Invitation lifecycle rules: status, expiry, and who may accept.

use crate::error::{DomainError, ErrorCode};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// How long an invitation stays valid unless the server is configured otherwise: 7 days.
pub const DEFAULT_INVITATION_TTL_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Where an invitation stands. A pending invitation whose expiry has passed is `expired` at
/// once (`InvitationStatus::effective`); the server also stores `expired` when it replaces
/// such an invitation with a new one.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
    /// The invitee said no (by token or from their list); it can no longer be accepted.
    Declined,
}

impl InvitationStatus {
    /// Every status, in declaration order.
    pub const ALL: [InvitationStatus; 5] = [
        InvitationStatus::Pending,
        InvitationStatus::Accepted,
        InvitationStatus::Revoked,
        InvitationStatus::Expired,
        InvitationStatus::Declined,
    ];

    /// The stored form.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "pending",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Revoked => "revoked",
            InvitationStatus::Expired => "expired",
            InvitationStatus::Declined => "declined",
        }
    }

    /// Parses the stored form.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The status a person sees at `now`: a stored `pending` past its expiry is `expired`.
    #[must_use]
    pub fn effective(stored: InvitationStatus, expires_at: Timestamp, now: Timestamp) -> Self {
        if stored == InvitationStatus::Pending && now >= expires_at {
            InvitationStatus::Expired
        } else {
            stored
        }
    }
}

/// How an invitee reaches invitations addressed to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InviteeAccess {
    /// With the emailed token, which itself proves the address.
    Token,
    /// By id, from my list of invitations.
    Id,
    /// Listing the pending invitations addressed to me.
    ListMine,
}

/// Decides whether a user reaches invitations by `access`. Everything but the emailed token
/// needs a verified address, so nobody can sign up under another person's address and
/// collect their invitations.
pub fn check_invitee_access(
    access: InviteeAccess,
    email_verified: bool,
) -> Result<(), DomainError> {
    match access {
        InviteeAccess::Token => Ok(()),
        InviteeAccess::Id | InviteeAccess::ListMine if email_verified => Ok(()),
        InviteeAccess::Id | InviteeAccess::ListMine => Err(DomainError::new(
            ErrorCode::EmailNotVerified,
            "Verify your email address first.",
        )),
    }
}

/// What the rule book needs to know about an invitation being accepted.
#[derive(Debug, Clone, Copy)]
pub struct AcceptFacts<'a> {
    /// The stored status.
    pub status: InvitationStatus,
    pub expires_at: Timestamp,
    /// The invited address, normalized.
    pub invited_email: &'a str,
    /// The signed-in user's address, normalized.
    pub user_email: &'a str,
    /// Whether the user is already a member of the organization.
    pub already_member: bool,
}

/// Decides whether the signed-in user may accept an invitation at `now`.
pub fn check_accept(facts: AcceptFacts<'_>, now: Timestamp) -> Result<(), DomainError> {
    match InvitationStatus::effective(facts.status, facts.expires_at, now) {
        InvitationStatus::Pending => {}
        InvitationStatus::Expired => {
            return Err(DomainError::new(
                ErrorCode::InvitationExpired,
                "This invitation has expired. Ask for a new one.",
            ))
        }
        _ => {
            return Err(DomainError::new(
                ErrorCode::InvitationNotPending,
                "This invitation was already accepted, declined or revoked.",
            ))
        }
    }
    if !facts.invited_email.eq_ignore_ascii_case(facts.user_email) {
        return Err(DomainError::new(
            ErrorCode::WrongRecipient,
            "This invitation is addressed to another email address.",
        ));
    }
    if facts.already_member {
        return Err(DomainError::new(
            ErrorCode::AlreadyMember,
            "You are already a member of this organization.",
        ));
    }
    Ok(())
}

/// Decides whether the signed-in user may decline an invitation at `now`: only the invitee, and
/// only while it is pending. (How they reach it is [`check_invitee_access`]'s question.)
pub fn check_decline(facts: AcceptFacts<'_>, now: Timestamp) -> Result<(), DomainError> {
    check_accept(
        AcceptFacts {
            already_member: false,
            ..facts
        },
        now,
    )
}

/// Decides whether the signed-in user may dismiss an invitation from their list at `now`: only
/// the invitee, and only once it has expired (a pending one is declined, not dismissed).
pub fn check_dismiss(facts: AcceptFacts<'_>, now: Timestamp) -> Result<(), DomainError> {
    if !facts.invited_email.eq_ignore_ascii_case(facts.user_email) {
        return Err(DomainError::new(
            ErrorCode::WrongRecipient,
            "This invitation is addressed to another email address.",
        ));
    }
    match InvitationStatus::effective(facts.status, facts.expires_at, now) {
        InvitationStatus::Expired => Ok(()),
        _ => Err(DomainError::new(
            ErrorCode::InvitationNotPending,
            "Only an expired invitation can be dismissed; decline a pending one.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_000_000);

    fn facts(
        status: InvitationStatus,
        expires_at: i64,
        user: &str,
        member: bool,
    ) -> AcceptFacts<'_> {
        AcceptFacts {
            status,
            expires_at: Timestamp(expires_at),
            invited_email: "bob@example.com",
            user_email: user,
            already_member: member,
        }
    }

    #[test]
    fn accept_cases() {
        use InvitationStatus::*;
        let cases: [(AcceptFacts<'_>, Result<(), ErrorCode>); 7] = [
            (facts(Pending, 2_000_000, "bob@example.com", false), Ok(())),
            (facts(Pending, 2_000_000, "BOB@example.com", false), Ok(())),
            (
                facts(Pending, 1_000_000, "bob@example.com", false),
                Err(ErrorCode::InvitationExpired),
            ),
            (
                facts(Accepted, 2_000_000, "bob@example.com", false),
                Err(ErrorCode::InvitationNotPending),
            ),
            (
                facts(Revoked, 2_000_000, "bob@example.com", false),
                Err(ErrorCode::InvitationNotPending),
            ),
            (
                facts(Pending, 2_000_000, "eve@example.com", false),
                Err(ErrorCode::WrongRecipient),
            ),
            (
                facts(Pending, 2_000_000, "bob@example.com", true),
                Err(ErrorCode::AlreadyMember),
            ),
        ];
        for (f, expected) in cases {
            assert_eq!(check_accept(f, NOW).map_err(|e| e.code), expected, "{f:?}");
        }
    }

    #[test]
    fn decline_and_dismiss_cases() {
        use InvitationStatus::*;
        type Check = fn(AcceptFacts<'_>, Timestamp) -> Result<(), DomainError>;
        let decline: Check = check_decline;
        let dismiss: Check = check_dismiss;
        let cases = [
            (
                decline,
                facts(Pending, 2_000_000, "bob@example.com", false),
                Ok(()),
            ),
            // A member may still say no to a second invitation.
            (
                decline,
                facts(Pending, 2_000_000, "bob@example.com", true),
                Ok(()),
            ),
            (
                decline,
                facts(Pending, 1_000_000, "bob@example.com", false),
                Err(ErrorCode::InvitationExpired),
            ),
            (
                decline,
                facts(Declined, 2_000_000, "bob@example.com", false),
                Err(ErrorCode::InvitationNotPending),
            ),
            (
                decline,
                facts(Accepted, 2_000_000, "bob@example.com", false),
                Err(ErrorCode::InvitationNotPending),
            ),
            (
                decline,
                facts(Pending, 2_000_000, "eve@example.com", false),
                Err(ErrorCode::WrongRecipient),
            ),
            (
                dismiss,
                facts(Pending, 1_000_000, "bob@example.com", false),
                Ok(()),
            ),
            (
                dismiss,
                facts(Expired, 2_000_000, "BOB@example.com", false),
                Ok(()),
            ),
            (
                dismiss,
                facts(Pending, 2_000_000, "bob@example.com", false),
                Err(ErrorCode::InvitationNotPending),
            ),
            (
                dismiss,
                facts(Declined, 1_000_000, "bob@example.com", false),
                Err(ErrorCode::InvitationNotPending),
            ),
            (
                dismiss,
                facts(Pending, 1_000_000, "eve@example.com", false),
                Err(ErrorCode::WrongRecipient),
            ),
        ];
        for (i, (check, f, expected)) in cases.into_iter().enumerate() {
            assert_eq!(
                check(f, NOW).map_err(|e| e.code),
                expected,
                "case {i}: {f:?}"
            );
        }
    }

    #[test]
    fn invitee_access_cases() {
        use InviteeAccess::*;
        let cases = [
            (Token, false, Ok(())),
            (Token, true, Ok(())),
            (Id, true, Ok(())),
            (Id, false, Err(ErrorCode::EmailNotVerified)),
            (ListMine, true, Ok(())),
            (ListMine, false, Err(ErrorCode::EmailNotVerified)),
        ];
        for (access, verified, expected) in cases {
            assert_eq!(
                check_invitee_access(access, verified).map_err(|e| e.code),
                expected,
                "{access:?} verified={verified}"
            );
        }
    }

    #[test]
    fn effective_status() {
        use InvitationStatus::*;
        assert_eq!(
            InvitationStatus::effective(Pending, Timestamp(5), Timestamp(4)),
            Pending
        );
        assert_eq!(
            InvitationStatus::effective(Pending, Timestamp(5), Timestamp(5)),
            Expired
        );
        assert_eq!(
            InvitationStatus::effective(Revoked, Timestamp(5), Timestamp(9)),
            Revoked
        );
        for s in InvitationStatus::ALL {
            assert_eq!(InvitationStatus::parse(s.as_str()), Some(s));
        }
    }
}
