//! The password-reset token's lifecycle: single use and a short lifetime. It is a mailed token
//! like the email-verification one, so it shares its facts and its error codes
//! (`verification_token_used`, `verification_token_expired`).

use crate::error::DomainError;
use crate::time::Timestamp;
use crate::verification::{check_mailed_token, VerificationFacts};

/// How long a password-reset link stays valid: 30 minutes.
pub const PASSWORD_RESET_TTL_MS: i64 = 30 * 60 * 1000;

/// Decides whether a password-reset token may set a password at `now`: unused, and before its
/// expiry. A used token is refused even when it has also expired.
pub fn check_password_reset(facts: VerificationFacts, now: Timestamp) -> Result<(), DomainError> {
    check_mailed_token(
        facts,
        now,
        "This password-reset link was already used. Ask for a new one.",
        "This password-reset link has expired. Ask for a new one.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    const NOW: Timestamp = Timestamp(1_000);

    #[test]
    fn password_reset_cases() {
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
                check_password_reset(f, NOW).map_err(|e| e.code),
                expected,
                "{f:?}"
            );
        }
    }

    #[test]
    fn lifetime_is_thirty_minutes() {
        assert_eq!(PASSWORD_RESET_TTL_MS, 1_800_000);
    }
}
