//! Join requests: a person asks to be let into an organization, and someone holding
//! `org:requests:manage` accepts (with a role) or rejects; the requester may withdraw while it
//! is pending. Filing is [`check_file`]; deciding goes through `policy::authorize`
//! (`Action::AcceptJoinRequest`, `Action::RejectJoinRequest`), so the role granted passes the
//! same escalation guard as an invitation's; withdrawing is [`check_withdraw`].

use crate::error::{DomainError, ErrorCode};
use crate::ids::UserId;
use serde::{Deserialize, Serialize};

/// The longest message a requester may attach, in characters (after trimming).
pub const MAX_MESSAGE_CHARS: usize = 500;

/// Where a join request stands.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum JoinRequestStatus {
    Pending,
    Accepted,
    Rejected,
    Withdrawn,
}

impl JoinRequestStatus {
    /// Every status, in declaration order.
    pub const ALL: [JoinRequestStatus; 4] = [
        JoinRequestStatus::Pending,
        JoinRequestStatus::Accepted,
        JoinRequestStatus::Rejected,
        JoinRequestStatus::Withdrawn,
    ];

    /// The stored form.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            JoinRequestStatus::Pending => "pending",
            JoinRequestStatus::Accepted => "accepted",
            JoinRequestStatus::Rejected => "rejected",
            JoinRequestStatus::Withdrawn => "withdrawn",
        }
    }

    /// Parses the stored form.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// How a join request came to be.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum JoinRequestSource {
    /// The person asked.
    Request,
    /// The person used an invite link that requires approval.
    Link,
    /// The person acted on a suggestion from a verified domain.
    Suggestion,
}

impl JoinRequestSource {
    /// Every source, in declaration order.
    pub const ALL: [JoinRequestSource; 3] = [
        JoinRequestSource::Request,
        JoinRequestSource::Link,
        JoinRequestSource::Suggestion,
    ];

    /// The stored form.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            JoinRequestSource::Request => "request",
            JoinRequestSource::Link => "link",
            JoinRequestSource::Suggestion => "suggestion",
        }
    }

    /// Parses the stored form.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// The requester's message: optional, trimmed, empty means none, at most
/// [`MAX_MESSAGE_CHARS`] characters.
pub fn message(raw: Option<&str>) -> Result<Option<String>, DomainError> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(DomainError::new(
            ErrorCode::ValidationFailed,
            "The message must be at most 500 characters.",
        ));
    }
    Ok(Some(text.to_owned()))
}

/// The role a request's acceptance grants: the one chosen, else the one proposed (a link's),
/// else the organization's `default` role.
#[must_use]
pub fn accept_role<'a>(
    chosen: Option<&'a str>,
    proposed: Option<&'a str>,
    default: &'a str,
) -> &'a str {
    chosen.or(proposed).unwrap_or(default)
}

/// What the rule book needs to know about a signed-in person asking to join.
#[derive(Debug, Clone, Copy)]
pub struct FileFacts {
    /// The organization's "allow requests to join" setting.
    pub allows_requests: bool,
    pub email_verified: bool,
    pub already_member: bool,
    /// The person already has a pending request to this organization.
    pub already_requested: bool,
}

/// Decides whether a signed-in person may ask to join. An organization that takes no requests
/// answers `join_requests_disabled` before anything else, so it tells nothing more.
pub fn check_file(facts: FileFacts) -> Result<(), DomainError> {
    if !facts.allows_requests {
        return Err(DomainError::new(
            ErrorCode::JoinRequestsDisabled,
            "This organization does not take requests to join.",
        ));
    }
    if !facts.email_verified {
        return Err(DomainError::new(
            ErrorCode::EmailNotVerified,
            "Verify your email address first.",
        ));
    }
    if facts.already_member {
        return Err(DomainError::new(
            ErrorCode::AlreadyMember,
            "You are already a member of this organization.",
        ));
    }
    if facts.already_requested {
        return Err(DomainError::new(
            ErrorCode::AlreadyRequested,
            "You already asked to join this organization.",
        ));
    }
    Ok(())
}

/// Whether `raw` is a cursor of an organization's request list: `1` (pending) or `0`, then
/// a request id (the list walks `(pending, id)`).
#[must_use]
pub fn is_list_cursor(raw: &str) -> bool {
    raw.strip_prefix(['0', '1'])
        .is_some_and(crate::ids::JoinRequestId::is_well_formed)
}

/// A decision or withdrawal needs a pending request.
pub(crate) fn pending(status: JoinRequestStatus) -> Result<(), DomainError> {
    if status == JoinRequestStatus::Pending {
        Ok(())
    } else {
        Err(DomainError::new(
            ErrorCode::JoinRequestNotPending,
            "This request was already decided or withdrawn.",
        ))
    }
}

/// Decides whether `actor` may withdraw a request: only its requester (anyone else gets
/// `not_found`), only while pending.
pub fn check_withdraw(
    actor: &UserId,
    requester: &UserId,
    status: JoinRequestStatus,
) -> Result<(), DomainError> {
    if actor != requester {
        return Err(DomainError::new(ErrorCode::NotFound, "Request not found."));
    }
    pending(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_cases() {
        let long = "é".repeat(MAX_MESSAGE_CHARS);
        let too_long = "x".repeat(MAX_MESSAGE_CHARS + 1);
        let padded = format!("  {long}  ");
        type Case<'a> = (Option<&'a str>, Result<Option<&'a str>, ErrorCode>);
        let cases: [Case<'_>; 6] = [
            (None, Ok(None)),
            (Some(""), Ok(None)),
            (Some("  \n "), Ok(None)),
            (Some("  hello\nthere "), Ok(Some("hello\nthere"))),
            (Some(&padded), Ok(Some(&long))),
            (Some(&too_long), Err(ErrorCode::ValidationFailed)),
        ];
        for (raw, expected) in cases {
            let got = message(raw);
            assert_eq!(
                got.as_ref().map(|m| m.as_deref()).map_err(|e| e.code),
                expected,
                "{raw:?}"
            );
        }
    }

    #[test]
    fn file_cases() {
        use ErrorCode::*;
        let f = |allows, verified, member, requested| FileFacts {
            allows_requests: allows,
            email_verified: verified,
            already_member: member,
            already_requested: requested,
        };
        let cases = [
            (f(true, true, false, false), Ok(())),
            (f(false, true, false, false), Err(JoinRequestsDisabled)),
            // A closed organization tells nothing else.
            (f(false, false, true, true), Err(JoinRequestsDisabled)),
            (f(true, false, false, false), Err(EmailNotVerified)),
            (f(true, true, true, false), Err(AlreadyMember)),
            (f(true, true, false, true), Err(AlreadyRequested)),
            (f(true, true, true, true), Err(AlreadyMember)),
        ];
        for (facts, expected) in cases {
            assert_eq!(check_file(facts).map_err(|e| e.code), expected, "{facts:?}");
        }
    }

    #[test]
    fn withdraw_cases() {
        use JoinRequestStatus::*;
        let me = UserId("user_me".into());
        let other = UserId("user_other".into());
        let cases = [
            (&me, Pending, Ok(())),
            (&me, Accepted, Err(ErrorCode::JoinRequestNotPending)),
            (&me, Rejected, Err(ErrorCode::JoinRequestNotPending)),
            (&me, Withdrawn, Err(ErrorCode::JoinRequestNotPending)),
            (&other, Pending, Err(ErrorCode::NotFound)),
        ];
        for (actor, status, expected) in cases {
            assert_eq!(
                check_withdraw(actor, &me, status).map_err(|e| e.code),
                expected,
                "{actor} {status:?}"
            );
        }
    }

    #[test]
    fn roles_and_forms() {
        assert_eq!(accept_role(None, None, "basic_member"), "basic_member");
        assert_eq!(accept_role(None, None, "org:billing"), "org:billing");
        assert_eq!(accept_role(None, Some("admin"), "basic_member"), "admin");
        assert_eq!(
            accept_role(Some("basic_member"), Some("admin"), "org:billing"),
            "basic_member"
        );
        for s in JoinRequestStatus::ALL {
            assert_eq!(JoinRequestStatus::parse(s.as_str()), Some(s));
        }
        for s in JoinRequestSource::ALL {
            assert_eq!(JoinRequestSource::parse(s.as_str()), Some(s));
        }
        assert_eq!(JoinRequestStatus::parse("nope"), None);
        assert!(is_list_cursor("1jrq_abc"));
        assert!(is_list_cursor("0jrq_abc"));
        assert!(!is_list_cursor("2jrq_abc"));
        assert!(!is_list_cursor("jrq_abc"));
        assert!(!is_list_cursor("1jrq_"));
        assert!(!is_list_cursor(""));
    }
}
