//! The audit log's query rules: which filters a reader may combine, and their bounds.

use crate::error::{DomainError, ErrorCode};
use crate::time::Timestamp;

/// The longest action name or subject a filter may name.
pub const MAX_FILTER_CHARS: usize = 128;

/// A reader's filters over an organization's audit events. Every filter is optional; the time
/// range is `from` inclusive, `to` exclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditFilter<'a> {
    /// Events by this actor (a user id).
    pub actor: Option<&'a str>,
    /// Events of this action, for example `membership.role_changed`.
    pub action: Option<&'a str>,
    /// Events about this subject (a user, invitation or organization id).
    pub subject: Option<&'a str>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

fn invalid(message: &'static str) -> DomainError {
    DomainError::new(ErrorCode::ValidationFailed, message)
}

/// An action name: `resource.verb`, lowercase ASCII letters, digits, `_` and one or more dots.
#[must_use]
pub fn is_action_name(raw: &str) -> bool {
    raw.len() <= MAX_FILTER_CHARS
        && raw.contains('.')
        && !raw.starts_with('.')
        && !raw.ends_with('.')
        && raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
}

/// Checks a filter: known shapes and bounded lengths. Empty strings mean "no filter" and are
/// dropped. A time range that ends before it starts is no error: it matches nothing.
pub fn check_filter(filter: AuditFilter<'_>) -> Result<AuditFilter<'_>, DomainError> {
    fn keep(f: Option<&str>) -> Option<&str> {
        f.filter(|v| !v.is_empty())
    }
    let filter = AuditFilter {
        actor: keep(filter.actor),
        action: keep(filter.action),
        subject: keep(filter.subject),
        ..filter
    };
    if filter
        .actor
        .is_some_and(|a| !crate::ids::UserId::is_well_formed(a))
    {
        return Err(invalid("The actor filter must be a user id."));
    }
    if filter.action.is_some_and(|a| !is_action_name(a)) {
        return Err(invalid(
            "The action filter must be an action name such as membership.role_changed.",
        ));
    }
    if filter
        .subject
        .is_some_and(|s| s.chars().count() > MAX_FILTER_CHARS)
    {
        return Err(invalid("The subject filter is too long."));
    }
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_cases() {
        let ok = AuditFilter::default();
        let with = |f: AuditFilter<'static>| check_filter(f).map(|_| ()).map_err(|e| e.code);
        let long = "x".repeat(MAX_FILTER_CHARS + 1);
        let long: &'static str = Box::leak(long.into_boxed_str());
        let cases: [(AuditFilter<'static>, Result<(), ErrorCode>); 10] = [
            (ok, Ok(())),
            (
                AuditFilter {
                    actor: Some("user_01ABC"),
                    ..ok
                },
                Ok(()),
            ),
            (
                AuditFilter {
                    actor: Some("org_01ABC"),
                    ..ok
                },
                Err(ErrorCode::ValidationFailed),
            ),
            (
                AuditFilter {
                    action: Some("membership.role_changed"),
                    ..ok
                },
                Ok(()),
            ),
            (
                AuditFilter {
                    action: Some("Membership.Removed"),
                    ..ok
                },
                Err(ErrorCode::ValidationFailed),
            ),
            (
                AuditFilter {
                    action: Some("removed"),
                    ..ok
                },
                Err(ErrorCode::ValidationFailed),
            ),
            (
                AuditFilter {
                    subject: Some("inv_01ABC"),
                    ..ok
                },
                Ok(()),
            ),
            (
                AuditFilter {
                    subject: Some(long),
                    ..ok
                },
                Err(ErrorCode::ValidationFailed),
            ),
            (
                AuditFilter {
                    from: Some(Timestamp(5)),
                    to: Some(Timestamp(5)),
                    ..ok
                },
                Ok(()),
            ),
            (
                AuditFilter {
                    from: Some(Timestamp(6)),
                    to: Some(Timestamp(5)),
                    ..ok
                },
                Ok(()),
            ),
        ];
        for (filter, expected) in cases {
            assert_eq!(with(filter), expected, "{filter:?}");
        }
        let blank = AuditFilter {
            actor: Some(""),
            action: Some(""),
            ..ok
        };
        assert_eq!(check_filter(blank), Ok(ok));
    }
}
