//! Input validation: names, slugs, email addresses, passwords and page sizes.
//!
//! Each function returns the normalized value or a `validation_failed` [`DomainError`] whose
//! message says what to fix.

use crate::error::{DomainError, ErrorCode};

/// The most characters an organization or person name may have.
pub const MAX_NAME_CHARS: usize = 256;
/// Slug length bounds, in characters.
pub const SLUG_CHARS: core::ops::RangeInclusive<usize> = 3..=64;
/// Password length bounds, in characters.
pub const PASSWORD_CHARS: core::ops::RangeInclusive<usize> = 8..=256;
/// The most addresses one bulk invitation may carry.
pub const MAX_BULK_INVITES: usize = 50;
/// The page size used when a list request names none.
pub const DEFAULT_PAGE_LIMIT: u32 = 20;
/// The largest page a list request may ask for.
pub const MAX_PAGE_LIMIT: u32 = 100;

const fn invalid(message: &'static str) -> DomainError {
    DomainError::new(ErrorCode::ValidationFailed, message)
}

/// Trims an organization name and checks it: 1 to 256 characters, no control characters.
pub fn organization_name(raw: &str) -> Result<String, DomainError> {
    display_name(
        raw,
        "The organization name must not be empty.",
        "The organization name must be at most 256 characters.",
        "The organization name must not contain control characters.",
    )
}

/// Trims a person's name and checks it like an organization name.
pub fn person_name(raw: &str) -> Result<String, DomainError> {
    display_name(
        raw,
        "The name must not be empty.",
        "The name must be at most 256 characters.",
        "The name must not contain control characters.",
    )
}

fn display_name(
    raw: &str,
    empty: &'static str,
    too_long: &'static str,
    control: &'static str,
) -> Result<String, DomainError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(invalid(empty));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(too_long));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid(control));
    }
    Ok(name.to_owned())
}

/// Checks a slug: lowercase `a-z`, `0-9` and `-`, 3 to 64 characters, no leading, trailing or
/// doubled hyphen.
pub fn slug(raw: &str) -> Result<String, DomainError> {
    if !SLUG_CHARS.contains(&raw.len()) {
        return Err(invalid("The slug must be 3 to 64 characters."));
    }
    if !raw
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(invalid(
            "The slug may only contain lowercase letters, digits and hyphens.",
        ));
    }
    if raw.starts_with('-') || raw.ends_with('-') || repeats(raw, b'-') {
        return Err(invalid(
            "The slug must not start or end with a hyphen, nor repeat one.",
        ));
    }
    Ok(raw.to_owned())
}

/// Whether `byte` appears twice in a row in `raw`. A byte scan: `str::contains("--")` would
/// bring the two-way substring search into the SDK's `.wasm`.
fn repeats(raw: &str, byte: u8) -> bool {
    raw.as_bytes().windows(2).any(|w| w == [byte, byte])
}

/// Suggests a slug from a name: "Acme Corp" gives `acme-corp`. Letters with accents lose
/// them where ASCII has a plain form; other characters become hyphens. A result shorter than 3
/// characters is padded with `-org`, so the suggestion is always a valid slug unless the name
/// holds no letter or digit at all (then it is `org`-based too).
#[must_use]
pub fn suggest_slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_hyphen = false;
    for c in name.chars() {
        let mapped = fold_to_ascii(c);
        match mapped {
            Some(m) if m.is_ascii_alphanumeric() => {
                if pending_hyphen && !out.is_empty() {
                    out.push('-');
                }
                pending_hyphen = false;
                out.push(m.to_ascii_lowercase());
            }
            _ => pending_hyphen = true,
        }
        if out.len() >= *SLUG_CHARS.end() {
            break;
        }
    }
    out.truncate(*SLUG_CHARS.end());
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("org");
    }
    if out.len() < *SLUG_CHARS.start() {
        out.push_str("-org");
    }
    out
}

fn fold_to_ascii(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    let folded = match c {
        'à'..='å' | 'À'..='Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è'..='ë' | 'È'..='Ë' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò'..='ö' | 'ø' | 'Ò'..='Ö' | 'Ø' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ß' => 's',
        _ => return None,
    };
    Some(folded)
}

/// Trims and lowercases an email address and checks its syntax. Addresses compare
/// case-insensitively, so the lowercase form is the one to store and compare.
pub fn email(raw: &str) -> Result<String, DomainError> {
    const BAD: DomainError = invalid("That is not a valid email address.");
    let address = raw.trim().to_ascii_lowercase();
    if address.len() > 254 {
        return Err(BAD);
    }
    let (local, domain) = address.split_once('@').ok_or(BAD)?;
    let local_ok = (1..=64).contains(&local.len())
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !repeats(local, b'.')
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~.".contains(&b));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(address)
    } else {
        Err(BAD)
    }
}

/// Splits a comma-, semicolon- or whitespace-separated list of addresses into its entries,
/// trimmed, with empty entries dropped. Each entry still needs [`email`].
#[must_use]
pub fn split_email_list(raw: &str) -> Vec<String> {
    raw.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Checks the number of addresses in one bulk invitation: 1 to [`MAX_BULK_INVITES`].
pub fn bulk_invite_count(count: usize) -> Result<(), DomainError> {
    match count {
        0 => Err(invalid("Give at least one email address.")),
        n if n > MAX_BULK_INVITES => Err(invalid("At most 50 addresses can be invited at once.")),
        _ => Ok(()),
    }
}

/// Checks a new password: 8 to 256 characters.
pub fn password(raw: &str) -> Result<(), DomainError> {
    if PASSWORD_CHARS.contains(&raw.chars().count()) {
        Ok(())
    } else {
        Err(invalid("The password must be 8 to 256 characters."))
    }
}

/// Resolves a requested page size: absent gives the default; 1 to 100 is accepted.
pub fn page_limit(requested: Option<u32>) -> Result<u32, DomainError> {
    match requested {
        None => Ok(DEFAULT_PAGE_LIMIT),
        Some(n) if (1..=MAX_PAGE_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(invalid("The page limit must be 1 to 100.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code<T: core::fmt::Debug>(r: Result<T, DomainError>) -> ErrorCode {
        r.expect_err("should be refused").code
    }

    #[test]
    fn organization_names() {
        assert_eq!(
            organization_name("  Acme Corp \n").as_deref(),
            Ok("Acme Corp")
        );
        for bad in ["", "   ", "a\u{7}b", &"x".repeat(257)] {
            assert_eq!(
                code(organization_name(bad)),
                ErrorCode::ValidationFailed,
                "{bad:?}"
            );
        }
        assert!(organization_name(&"é".repeat(256)).is_ok());
    }

    #[test]
    fn slugs() {
        for good in ["acme", "acme-corp", "a1b", &"a".repeat(64)] {
            assert!(slug(good).is_ok(), "{good}");
        }
        for bad in [
            "ab",
            "Acme",
            "acme_corp",
            "-acme",
            "acme-",
            "ac--me",
            &"a".repeat(65),
            "acmé",
        ] {
            assert_eq!(code(slug(bad)), ErrorCode::ValidationFailed, "{bad}");
        }
    }

    #[test]
    fn slug_suggestions_are_valid_slugs() {
        let cases = [
            ("Acme Corp", "acme-corp"),
            ("  Acme   Corp!! ", "acme-corp"),
            ("Café Zürich", "cafe-zurich"),
            ("AB", "ab-org"),
            ("日本", "org"),
            ("x", "x-org"),
        ];
        for (name, expected) in cases {
            assert_eq!(suggest_slug(name), expected, "{name}");
            assert!(slug(&suggest_slug(name)).is_ok());
        }
        let long = suggest_slug(&"word ".repeat(40));
        assert!(slug(&long).is_ok(), "{long}");
    }

    #[test]
    fn emails() {
        assert_eq!(
            email(" Alice@Example.COM ").as_deref(),
            Ok("alice@example.com")
        );
        assert!(email("a.b+tag@sub.example.io").is_ok());
        for bad in [
            "",
            "alice",
            "alice@",
            "@example.com",
            "alice@example",
            "alice@@example.com",
            "al ice@example.com",
            ".alice@example.com",
            "alice@-example.com",
            "alice@example.c0m",
            "a..b@example.com",
        ] {
            assert_eq!(code(email(bad)), ErrorCode::ValidationFailed, "{bad}");
        }
    }

    #[test]
    fn email_lists() {
        assert_eq!(
            split_email_list("a@x.io, b@y.io;c@z.io  ,, "),
            vec!["a@x.io", "b@y.io", "c@z.io"]
        );
        assert!(bulk_invite_count(1).is_ok());
        assert_eq!(code(bulk_invite_count(0)), ErrorCode::ValidationFailed);
        assert_eq!(code(bulk_invite_count(51)), ErrorCode::ValidationFailed);
    }

    #[test]
    fn passwords_and_limits() {
        assert!(password("12345678").is_ok());
        assert_eq!(code(password("1234567")), ErrorCode::ValidationFailed);
        assert_eq!(page_limit(None), Ok(20));
        assert_eq!(page_limit(Some(100)), Ok(100));
        assert_eq!(code(page_limit(Some(0))), ErrorCode::ValidationFailed);
        assert_eq!(code(page_limit(Some(101))), ErrorCode::ValidationFailed);
    }
}
