//! Verified email domains: which names an organization may claim, how many, how an admin proves
//! affiliation (a 6-digit code mailed to an address at the domain) or ownership (a DNS TXT
//! record), and which enrollment modes need a verified domain.
//!
//! Every check here takes the ASCII form of a name. Internationalized names are converted
//! before they reach the rule book (the server with the `idna` crate, the SDK with the
//! browser's URL parser), so orgkit-core carries no Unicode tables.

use crate::error::{DomainError, ErrorCode};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The most domains one organization may have.
pub const MAX_DOMAINS_PER_ORGANIZATION: u64 = 10;
/// How long a mailed affiliation code stays valid: 10 minutes.
pub const AFFILIATION_CODE_TTL_MS: i64 = 10 * 60 * 1000;
/// How many codes may be tried against one mailed code.
pub const MAX_AFFILIATION_ATTEMPTS: u32 = 5;
/// The TXT record's name is this label, a dot, then the domain.
pub const OWNERSHIP_RECORD_LABEL: &str = "_orgkit-challenge";
/// The TXT record's value is this, then the domain's random value.
pub const OWNERSHIP_VALUE_PREFIX: &str = "orgkit-domain-verification=";

/// Consumer and disposable email providers: anyone can hold an address there, so no
/// organization may claim them (nor a subdomain of them). `gmx` stands for every `gmx.<tld>`.
const BLOCKED: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "hotmail.co.uk",
    "hotmail.fr",
    "live.com",
    "msn.com",
    "passport.com",
    "yahoo.com",
    "yahoo.co.uk",
    "yahoo.co.jp",
    "yahoo.fr",
    "ymail.com",
    "rocketmail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "aim.com",
    "proton.me",
    "protonmail.com",
    "protonmail.ch",
    "pm.me",
    "tutanota.com",
    "tuta.io",
    "mail.com",
    "email.com",
    "zoho.com",
    "zohomail.com",
    "fastmail.com",
    "hey.com",
    "mail.ru",
    "inbox.ru",
    "bk.ru",
    "list.ru",
    "yandex.ru",
    "yandex.com",
    "ya.ru",
    "rambler.ru",
    "qq.com",
    "163.com",
    "126.com",
    "yeah.net",
    "sina.com",
    "naver.com",
    "daum.net",
    "web.de",
    "t-online.de",
    "freenet.de",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "libero.it",
    "virgilio.it",
    "rediffmail.com",
    "comcast.net",
    "verizon.net",
    "att.net",
    "mailinator.com",
    "guerrillamail.com",
    "guerrillamail.net",
    "sharklasers.com",
    "10minutemail.com",
    "tempmail.com",
    "temp-mail.org",
    "tempmailo.com",
    "throwawaymail.com",
    "yopmail.com",
    "trashmail.com",
    "getnada.com",
    "dispostable.com",
    "maildrop.cc",
    "fakeinbox.com",
    "mintemail.com",
    "mohmal.com",
    "emailondeck.com",
];

/// How members come from a domain (Clerk's enrollment modes).
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EnrollmentMode {
    /// Nothing automatic: admins invite people themselves.
    ManualInvitation,
    /// Everyone with a verified address at the domain gets a pending invitation.
    AutomaticInvitation,
    /// Everyone with a verified address at the domain sees the organization as a suggestion
    /// and may ask to join.
    AutomaticSuggestion,
}

impl EnrollmentMode {
    /// Every mode, in declaration order.
    pub const ALL: [EnrollmentMode; 3] = [
        EnrollmentMode::ManualInvitation,
        EnrollmentMode::AutomaticInvitation,
        EnrollmentMode::AutomaticSuggestion,
    ];

    /// The wire and stored name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            EnrollmentMode::ManualInvitation => "manual_invitation",
            EnrollmentMode::AutomaticInvitation => "automatic_invitation",
            EnrollmentMode::AutomaticSuggestion => "automatic_suggestion",
        }
    }

    /// The mode named `s`.
    #[must_use]
    pub fn parse(s: &str) -> Option<EnrollmentMode> {
        EnrollmentMode::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Whether the mode acts on its own, and so needs a verified domain.
    #[must_use]
    pub const fn needs_verified_domain(self) -> bool {
        !matches!(self, EnrollmentMode::ManualInvitation)
    }
}

const fn invalid(message: &'static str) -> DomainError {
    DomainError::new(ErrorCode::DomainInvalid, message)
}

/// Checks a domain name in its ASCII form and answers it lowercased, without a final dot:
/// labels of 1 to 63 letters, digits and inner hyphens, at least two labels, at most 253
/// characters, and a top-level label that is not all digits (so no IP address). A consumer
/// or disposable email provider, or a subdomain of one, is `domain_not_allowed`.
pub fn check_domain(ascii: &str) -> Result<String, DomainError> {
    let trimmed = ascii.trim();
    let name = trimmed
        .strip_suffix('.')
        .unwrap_or(trimmed)
        .to_ascii_lowercase();
    if name.is_empty() || name.len() > 253 {
        return Err(invalid("A domain has 1 to 253 characters."));
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 {
        return Err(invalid(
            "A domain has at least two labels, like example.com.",
        ));
    }
    let label_ok = |label: &&str| {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !labels.iter().all(label_ok) {
        return Err(invalid(
            "Each label of a domain has 1 to 63 letters, digits or inner hyphens.",
        ));
    }
    if labels
        .last()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(invalid("A domain cannot be an IP address."));
    }
    if is_blocked(&labels) {
        return Err(DomainError::new(
            ErrorCode::DomainNotAllowed,
            "Addresses at this provider are open to anyone; it cannot be an organization's domain.",
        ));
    }
    Ok(name)
}

/// Whether the domain (its labels) is a listed provider or under one.
fn is_blocked(labels: &[&str]) -> bool {
    let n = labels.len();
    if n >= 2 && labels[n - 2] == "gmx" {
        return true;
    }
    (0..n - 1).any(|start| {
        let tail = &labels[start..];
        BLOCKED.iter().any(|blocked| {
            let mut parts = blocked.split('.');
            tail.iter().all(|l| parts.next() == Some(*l)) && parts.next().is_none()
        })
    })
}

/// Whether one more domain fits in an organization that has `existing`.
pub fn check_domain_count(existing: u64) -> Result<(), DomainError> {
    if existing >= MAX_DOMAINS_PER_ORGANIZATION {
        Err(DomainError::new(
            ErrorCode::DomainLimitReached,
            "An organization can have at most 10 domains.",
        ))
    } else {
        Ok(())
    }
}

/// The domain of an address: what follows its last `@`.
#[must_use]
pub fn email_domain(email: &str) -> Option<&str> {
    email.rsplit_once('@').map(|(_, domain)| domain)
}

/// The address proving affiliation must be at the domain itself (not a subdomain).
pub fn check_email_at_domain(email: &str, domain: &str) -> Result<(), DomainError> {
    if email_domain(email).is_some_and(|d| d.eq_ignore_ascii_case(domain)) {
        Ok(())
    } else {
        Err(DomainError::new(
            ErrorCode::EmailNotAtDomain,
            "The address must be at the domain being verified.",
        ))
    }
}

const WRONG_CODE: DomainError = DomainError::new(
    ErrorCode::VerificationCodeInvalid,
    "That code is not the one we sent.",
);

/// A code has exactly six digits; anything else is wrong without looking further.
pub fn check_code_format(code: &str) -> Result<(), DomainError> {
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(WRONG_CODE)
    }
}

/// The stored state of a mailed code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeFacts {
    pub expires_at: Timestamp,
    /// Wrong codes tried so far.
    pub attempts: u32,
}

/// Decides an attempt at `now`: `None` facts means no code was sent (or it was used).
/// Expiry is checked first, then the attempts left, then the code itself (`matches`).
pub fn check_code_attempt(
    facts: Option<CodeFacts>,
    matches: bool,
    now: Timestamp,
) -> Result<(), DomainError> {
    let Some(facts) = facts else {
        return Err(DomainError::new(
            ErrorCode::VerificationCodeExpired,
            "No code is waiting; send a new one.",
        ));
    };
    if now >= facts.expires_at {
        return Err(DomainError::new(
            ErrorCode::VerificationCodeExpired,
            "This code has expired; send a new one.",
        ));
    }
    if facts.attempts >= MAX_AFFILIATION_ATTEMPTS {
        return Err(DomainError::new(
            ErrorCode::VerificationAttemptsExceeded,
            "Too many wrong codes; send a new one.",
        ));
    }
    if matches {
        Ok(())
    } else {
        Err(WRONG_CODE)
    }
}

/// The name of the TXT record that proves ownership of `domain`.
#[must_use]
pub fn ownership_record_name(domain: &str) -> String {
    format!("{OWNERSHIP_RECORD_LABEL}.{domain}")
}

/// The TXT record's value for the random part `random`.
#[must_use]
pub fn ownership_record_value(random: &str) -> String {
    format!("{OWNERSHIP_VALUE_PREFIX}{random}")
}

/// Whether a domain in `mode` needs verification it does not have (`verified`).
pub fn check_enrollment_mode(mode: EnrollmentMode, verified: bool) -> Result<(), DomainError> {
    if mode.needs_verified_domain() && !verified {
        Err(DomainError::new(
            ErrorCode::DomainNotVerified,
            "Verify the domain before members can join through it automatically.",
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
