//! The email-verification token's lifecycle: single use, and a fixed lifetime.

use crate::error::{DomainError, ErrorCode};
use crate::time::Timestamp;

/// How long an email-verification link stays valid: 2 days.
pub const VERIFICATION_TTL_MS: i64 = 2 * 24 * 60 * 60 * 1000;

/// What the rule book needs to know about a verification token being used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerificationFacts {
    /// When the token was used, if it was.
    pub used_at: Option<Timestamp>,
    pub expires_at: Timestamp,
}

/// Decides whether a verification token may verify its address at `now`: unused, and before
/// its expiry. A used token is refused even when it has also expired, so the person learns
/// that the address is verified already.
pub fn check_verification(facts: VerificationFacts, now: Timestamp) -> Result<(), DomainError> {
    check_mailed_token(
        facts,
        now,
        "This verification link was already used.",
        "This verification link has expired. Sign in to get a new one.",
    )
}

/// The lifecycle every mailed single-use token shares (email verification, password reset):
/// `used` when it was used (even if it has also expired), `expired` from its expiry on.
pub(crate) fn check_mailed_token(
    facts: VerificationFacts,
    now: Timestamp,
    used: &'static str,
    expired: &'static str,
) -> Result<(), DomainError> {
    if facts.used_at.is_some() {
        return Err(DomainError::new(ErrorCode::VerificationTokenUsed, used));
    }
    if now >= facts.expires_at {
        return Err(DomainError::new(
            ErrorCode::VerificationTokenExpired,
            expired,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_000);

    #[test]
    fn verification_cases() {
        let facts = |used_at: Option<i64>, expires_at: i64| VerificationFacts {
            used_at: used_at.map(Timestamp),
            expires_at: Timestamp(expires_at),
        };
        let cases = [
            (facts(None, 1_001), Ok(())),
            (facts(None, 1_000), Err(ErrorCode::VerificationTokenExpired)),
            (facts(None, 10), Err(ErrorCode::VerificationTokenExpired)),
            (
                facts(Some(900), 2_000),
                Err(ErrorCode::VerificationTokenUsed),
            ),
            (facts(Some(900), 10), Err(ErrorCode::VerificationTokenUsed)),
        ];
        for (f, expected) in cases {
            assert_eq!(
                check_verification(f, NOW).map_err(|e| e.code),
                expected,
                "{f:?}"
            );
        }
    }
}
