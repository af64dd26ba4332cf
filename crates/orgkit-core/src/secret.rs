//! The shape of the secret tokens the server hands out (invitation, email-verification,
//! invite-link and password-reset tokens): 256 random bits in base64url, 43 characters. A
//! string of another shape was never issued, so it is refused as an unknown token would be
//! (`not_found`), by the SDK without a request and by the server without a lookup.

use crate::error::{DomainError, ErrorCode};

/// Which secret token a string is meant to be; it names the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An invitation's emailed token.
    Invitation,
    /// An email-verification token.
    Verification,
    /// An invite link's token.
    InviteLink,
    /// A password-reset token.
    PasswordReset,
}

/// The length of a secret token: 32 bytes in unpadded base64url.
pub const TOKEN_LEN: usize = 43;

/// Whether `raw` has the shape of a secret token: 43 base64url characters, no padding.
#[must_use]
pub fn is_secret_token(raw: &str) -> bool {
    raw.len() == TOKEN_LEN
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl TokenKind {
    /// Refuses `raw` with `not_found` when it cannot be a token of this kind.
    pub fn check(self, raw: &str) -> Result<(), DomainError> {
        if is_secret_token(raw) {
            Ok(())
        } else {
            Err(DomainError::new(ErrorCode::NotFound, self.not_found()))
        }
    }

    /// The message of an unknown token of this kind.
    #[must_use]
    pub const fn not_found(self) -> &'static str {
        match self {
            TokenKind::Invitation => "Invitation not found.",
            TokenKind::Verification => "This verification link is not valid.",
            TokenKind::InviteLink => "Invite link not found.",
            TokenKind::PasswordReset => "This password-reset link is not valid.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_shapes() {
        let cases = [
            ("a".repeat(43), true),
            (
                "AZaz09-_AZaz09-_AZaz09-_AZaz09-_AZaz09-_abc".to_owned(),
                true,
            ),
            (String::new(), false),
            ("a".repeat(42), false),
            ("a".repeat(44), false),
            (format!("{}=", "a".repeat(42)), false),
            (format!("{}+", "a".repeat(42)), false),
            (format!("{}/", "a".repeat(42)), false),
            (format!("{} ", "a".repeat(42)), false),
            (format!("{}é", "a".repeat(41)), false),
            ("token".to_owned(), false),
        ];
        for (raw, expected) in cases {
            assert_eq!(is_secret_token(&raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn malformed_tokens_are_not_found_for_every_kind() {
        for kind in [
            TokenKind::Invitation,
            TokenKind::Verification,
            TokenKind::InviteLink,
            TokenKind::PasswordReset,
        ] {
            assert_eq!(kind.check(&"x".repeat(43)), Ok(()));
            let refused = kind.check("").expect_err("empty");
            assert_eq!(refused.code, ErrorCode::NotFound);
            assert_eq!(refused.message, kind.not_found());
        }
    }
}
