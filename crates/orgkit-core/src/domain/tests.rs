#![allow(clippy::unwrap_used)]

use super::*;

fn code<T: core::fmt::Debug>(r: Result<T, DomainError>) -> Option<ErrorCode> {
    r.err().map(|e| e.code)
}

#[test]
fn domain_cases() {
    let long_label = "a".repeat(63);
    let too_long_label = "a".repeat(64);
    let near_limit = format!("{}.com", vec!["b".repeat(62); 4].join("."));
    let cases: Vec<(String, Result<&str, ErrorCode>)> = vec![
        ("example.com".into(), Ok("example.com")),
        ("  Example.COM. ".into(), Ok("example.com")),
        ("xn--bcher-kva.example".into(), Ok("xn--bcher-kva.example")),
        ("a-b.c-d.example".into(), Ok("a-b.c-d.example")),
        ("acme-42.test".into(), Ok("acme-42.test")),
        (format!("{long_label}.com"), Ok("")),
        (
            format!("{too_long_label}.com"),
            Err(ErrorCode::DomainInvalid),
        ),
        (near_limit.clone(), Err(ErrorCode::DomainInvalid)),
        ("".into(), Err(ErrorCode::DomainInvalid)),
        (".".into(), Err(ErrorCode::DomainInvalid)),
        ("localhost".into(), Err(ErrorCode::DomainInvalid)),
        ("example..com".into(), Err(ErrorCode::DomainInvalid)),
        (".example.com".into(), Err(ErrorCode::DomainInvalid)),
        ("-a.com".into(), Err(ErrorCode::DomainInvalid)),
        ("a-.com".into(), Err(ErrorCode::DomainInvalid)),
        ("a_b.com".into(), Err(ErrorCode::DomainInvalid)),
        ("bücher.example".into(), Err(ErrorCode::DomainInvalid)),
        ("exa mple.com".into(), Err(ErrorCode::DomainInvalid)),
        ("user@example.com".into(), Err(ErrorCode::DomainInvalid)),
        ("127.0.0.1".into(), Err(ErrorCode::DomainInvalid)),
        ("10.0.0.300".into(), Err(ErrorCode::DomainInvalid)),
        ("[::1]".into(), Err(ErrorCode::DomainInvalid)),
        ("::1".into(), Err(ErrorCode::DomainInvalid)),
        ("example.123".into(), Err(ErrorCode::DomainInvalid)),
        ("123.example".into(), Ok("123.example")),
        ("gmail.com".into(), Err(ErrorCode::DomainNotAllowed)),
        ("GMail.com".into(), Err(ErrorCode::DomainNotAllowed)),
        ("mail.gmail.com".into(), Err(ErrorCode::DomainNotAllowed)),
        ("proton.me".into(), Err(ErrorCode::DomainNotAllowed)),
        ("gmx.de".into(), Err(ErrorCode::DomainNotAllowed)),
        ("gmx.net".into(), Err(ErrorCode::DomainNotAllowed)),
        ("mailinator.com".into(), Err(ErrorCode::DomainNotAllowed)),
        ("163.com".into(), Err(ErrorCode::DomainNotAllowed)),
        ("yandex.ru".into(), Err(ErrorCode::DomainNotAllowed)),
        ("notgmail.com".into(), Ok("notgmail.com")),
        ("gmail.com.example".into(), Ok("gmail.com.example")),
        ("gmx.example.org".into(), Ok("gmx.example.org")),
    ];
    for (input, expected) in cases {
        let got = check_domain(&input);
        match expected {
            Ok("") => assert!(got.is_ok(), "{input}: {got:?}"),
            Ok(name) => assert_eq!(got.as_deref(), Ok(name), "{input}"),
            Err(c) => assert_eq!(code(got), Some(c), "{input}"),
        }
    }
    assert!(BLOCKED.len() >= 60);
    for blocked in BLOCKED {
        assert_eq!(
            code(check_domain(blocked)),
            Some(ErrorCode::DomainNotAllowed),
            "{blocked}"
        );
    }
}

#[test]
fn count_cases() {
    for (existing, expected) in [
        (0, None),
        (9, None),
        (10, Some(ErrorCode::DomainLimitReached)),
        (11, Some(ErrorCode::DomainLimitReached)),
    ] {
        assert_eq!(code(check_domain_count(existing)), expected, "{existing}");
    }
}

#[test]
fn email_cases() {
    assert_eq!(email_domain("a@example.com"), Some("example.com"));
    assert_eq!(email_domain("nobody"), None);
    for (email, domain, expected) in [
        ("a@example.com", "example.com", None),
        ("a@Example.com", "example.com", None),
        (
            "a@sub.example.com",
            "example.com",
            Some(ErrorCode::EmailNotAtDomain),
        ),
        (
            "a@example.com.evil",
            "example.com",
            Some(ErrorCode::EmailNotAtDomain),
        ),
        (
            "a@other.com",
            "example.com",
            Some(ErrorCode::EmailNotAtDomain),
        ),
        (
            "example.com",
            "example.com",
            Some(ErrorCode::EmailNotAtDomain),
        ),
    ] {
        assert_eq!(
            code(check_email_at_domain(email, domain)),
            expected,
            "{email}"
        );
    }
}

#[test]
fn code_cases() {
    for (c, ok) in [
        ("123456", true),
        ("000000", true),
        ("12345", false),
        ("1234567", false),
        ("12a456", false),
        ("", false),
        ("١٢٣٤٥٦", false),
    ] {
        assert_eq!(check_code_format(c).is_ok(), ok, "{c}");
    }
    let now = Timestamp(1_000);
    let facts = |expires_at: i64, attempts: u32| {
        Some(CodeFacts {
            expires_at: Timestamp(expires_at),
            attempts,
        })
    };
    let cases = [
        (facts(1_001, 0), true, None),
        (facts(1_001, 4), true, None),
        (
            facts(1_001, 0),
            false,
            Some(ErrorCode::VerificationCodeInvalid),
        ),
        (
            facts(1_001, 5),
            true,
            Some(ErrorCode::VerificationAttemptsExceeded),
        ),
        (
            facts(1_000, 0),
            true,
            Some(ErrorCode::VerificationCodeExpired),
        ),
        (
            facts(10, 9),
            false,
            Some(ErrorCode::VerificationCodeExpired),
        ),
        (None, true, Some(ErrorCode::VerificationCodeExpired)),
    ];
    for (f, matches, expected) in cases {
        assert_eq!(
            code(check_code_attempt(f, matches, now)),
            expected,
            "{f:?} {matches}"
        );
    }
    assert_eq!(AFFILIATION_CODE_TTL_MS, 600_000);
}

#[test]
fn ownership_record() {
    assert_eq!(
        ownership_record_name("example.com"),
        "_orgkit-challenge.example.com"
    );
    assert_eq!(
        ownership_record_value("abc"),
        "orgkit-domain-verification=abc"
    );
}

#[test]
fn enrollment_cases() {
    use EnrollmentMode::*;
    for mode in EnrollmentMode::ALL {
        assert_eq!(EnrollmentMode::parse(mode.as_str()), Some(mode));
        let json = serde_json::to_string(&mode).unwrap();
        assert_eq!(json, format!("\"{}\"", mode.as_str()));
    }
    assert_eq!(EnrollmentMode::parse("automatic"), None);
    for (mode, verified, expected) in [
        (ManualInvitation, false, None),
        (ManualInvitation, true, None),
        (
            AutomaticInvitation,
            false,
            Some(ErrorCode::DomainNotVerified),
        ),
        (AutomaticInvitation, true, None),
        (
            AutomaticSuggestion,
            false,
            Some(ErrorCode::DomainNotVerified),
        ),
        (AutomaticSuggestion, true, None),
    ] {
        assert_eq!(
            code(check_enrollment_mode(mode, verified)),
            expected,
            "{mode:?}"
        );
    }
}
