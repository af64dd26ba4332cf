use super::*;
use ConnectionState::*;
use EnrollmentMode::*;

fn code<T>(r: Result<T, DomainError>) -> Result<(), ErrorCode> {
    r.map(|_| ()).map_err(|e| e.code)
}

#[test]
fn states_round_trip() {
    for s in ConnectionState::ALL {
        assert_eq!(ConnectionState::parse(s.as_str()), Some(s));
        let json = serde_json::to_string(&s).expect("serializes");
        assert_eq!(json, format!("\"{}\"", s.as_str()));
    }
    assert_eq!(ConnectionState::parse("on"), None);
}

#[test]
fn name_cases() {
    let long = "n".repeat(MAX_NAME_CHARS + 1);
    let cases: [(&str, Result<(), ErrorCode>); 6] = [
        ("Okta", Ok(())),
        ("  Acme Okta ", Ok(())),
        (&long[1..], Ok(())),
        ("", Err(ErrorCode::ValidationFailed)),
        ("   ", Err(ErrorCode::ValidationFailed)),
        (&long, Err(ErrorCode::ValidationFailed)),
    ];
    for (raw, expected) in cases {
        assert_eq!(code(check_name(raw)), expected, "{raw:?}");
    }
    assert_eq!(check_name("  Acme ").ok(), Some("Acme"));
    assert_eq!(
        code(check_name("a\u{7}b")),
        Err(ErrorCode::ValidationFailed)
    );
}

#[test]
fn issuer_cases() {
    use ErrorCode::{Forbidden, ValidationFailed};
    let too_long = format!("https://a.example/{}", "p".repeat(MAX_ISSUER_CHARS));
    let cases: [(&str, bool, Result<&str, ErrorCode>); 25] = [
        (
            "https://login.example.com",
            false,
            Ok("https://login.example.com"),
        ),
        (
            "HTTPS://Login.Example.COM/Tenant/",
            false,
            Ok("https://login.example.com/Tenant/"),
        ),
        (
            "https://login.example.com/t1/.well-known/openid-configuration",
            false,
            Ok("https://login.example.com/t1"),
        ),
        (
            "https://idp.example:8443/realms/a",
            false,
            Ok("https://idp.example:8443/realms/a"),
        ),
        ("http://127.0.0.1:4000", true, Ok("http://127.0.0.1:4000")),
        (
            "http://localhost:4000/oidc",
            true,
            Ok("http://localhost:4000/oidc"),
        ),
        ("http://[::1]:4000", true, Ok("http://[::1]:4000")),
        ("http://127.0.0.1:4000", false, Err(Forbidden)),
        ("http://idp.example", true, Err(Forbidden)),
        ("http://10.0.0.1", true, Err(Forbidden)),
        ("ftp://idp.example", false, Err(ValidationFailed)),
        ("idp.example", false, Err(ValidationFailed)),
        ("", false, Err(ValidationFailed)),
        ("https://", false, Err(ValidationFailed)),
        (
            "https://idp.example/?tenant=a",
            false,
            Err(ValidationFailed),
        ),
        ("https://idp.example/#x", false, Err(ValidationFailed)),
        ("https://user:pw@idp.example", false, Err(ValidationFailed)),
        ("https://idp.example:99999", false, Err(ValidationFailed)),
        (
            "https://idp.example:65535",
            false,
            Ok("https://idp.example:65535"),
        ),
        ("https://idp.example:65536", false, Err(ValidationFailed)),
        ("https://idp.example:+443", false, Err(ValidationFailed)),
        ("https://idp.example:", false, Err(ValidationFailed)),
        ("https:/idp.example", false, Err(ValidationFailed)),
        (" https://idp.example", false, Err(ValidationFailed)),
        (&too_long, false, Err(ValidationFailed)),
    ];
    for (raw, dev, expected) in cases {
        assert_eq!(
            check_issuer(raw, dev).map_err(|e| e.code),
            expected.map(str::to_owned),
            "{raw:?} dev={dev}"
        );
        // The SDK's check, which writes nothing, decides alike.
        assert_eq!(
            code(check_issuer_url(raw, dev)),
            expected.map(drop),
            "{raw:?}"
        );
    }
}

#[test]
fn client_cases() {
    assert_eq!(code(check_client_id("orgkit-app_1")), Ok(()));
    assert_eq!(code(check_client_id("")), Err(ErrorCode::ValidationFailed));
    assert_eq!(
        code(check_client_id("a b")),
        Err(ErrorCode::ValidationFailed)
    );
    assert_eq!(
        code(check_client_id(&"a".repeat(MAX_CLIENT_ID_CHARS + 1))),
        Err(ErrorCode::ValidationFailed)
    );
    assert_eq!(code(check_client_secret("s3cr3t~!")), Ok(()));
    assert_eq!(
        code(check_client_secret(&"s".repeat(MAX_CLIENT_SECRET_CHARS))),
        Ok(())
    );
    assert_eq!(
        code(check_client_secret("")),
        Err(ErrorCode::ValidationFailed)
    );
    assert_eq!(
        code(check_client_secret(
            &"s".repeat(MAX_CLIENT_SECRET_CHARS + 1)
        )),
        Err(ErrorCode::ValidationFailed)
    );
    assert_eq!(
        code(check_client_secret("é")),
        Err(ErrorCode::ValidationFailed)
    );
}

#[test]
fn scope_cases() {
    let cases: [(&str, Result<&str, ErrorCode>); 8] = [
        ("openid", Ok("openid")),
        (DEFAULT_SCOPES, Ok(DEFAULT_SCOPES)),
        (
            "  email  openid email groups:read ",
            Ok("email openid groups:read"),
        ),
        ("email profile", Err(ErrorCode::ValidationFailed)),
        ("", Err(ErrorCode::ValidationFailed)),
        ("openid \"quoted\"", Err(ErrorCode::ValidationFailed)),
        ("openid back\\slash", Err(ErrorCode::ValidationFailed)),
        ("openid\temail", Err(ErrorCode::ValidationFailed)),
    ];
    for (raw, expected) in cases {
        assert_eq!(
            check_scopes(raw).map_err(|e| e.code),
            expected.map(str::to_owned),
            "{raw:?}"
        );
        assert_eq!(code(check_scope_list(raw)), expected.map(drop), "{raw:?}");
    }
    let long = format!("openid {}", "s".repeat(MAX_SCOPES_CHARS));
    assert_eq!(code(check_scopes(&long)), Err(ErrorCode::ValidationFailed));
}

#[test]
fn claim_cases() {
    for ok in [
        "email",
        "email_verified",
        "https://example.com/claims/email",
        "a.b-c:d",
    ] {
        assert_eq!(code(check_claim(ok)), Ok(()), "{ok}");
    }
    for bad in ["", "e mail", "email\"", &"c".repeat(MAX_CLAIM_CHARS + 1)] {
        assert_eq!(
            code(check_claim(bad)),
            Err(ErrorCode::ValidationFailed),
            "{bad}"
        );
    }
}

#[test]
fn domain_cases() {
    let facts = |owned: bool, mode: EnrollmentMode, other: bool| DomainFacts {
        ownership_verified: owned,
        enrollment_mode: mode,
        other_connection: other,
    };
    let cases = [
        (facts(true, ManualInvitation, false), Ok(())),
        (
            facts(false, ManualInvitation, false),
            Err(ErrorCode::DomainNotVerified),
        ),
        (
            facts(true, ManualInvitation, true),
            Err(ErrorCode::SsoDomainConflict),
        ),
        (
            facts(true, AutomaticInvitation, false),
            Err(ErrorCode::SsoDomainConflict),
        ),
        (
            facts(true, AutomaticSuggestion, false),
            Err(ErrorCode::SsoDomainConflict),
        ),
        // Ownership is asked first.
        (
            facts(false, AutomaticInvitation, true),
            Err(ErrorCode::DomainNotVerified),
        ),
    ];
    for (f, expected) in cases {
        assert_eq!(code(check_domain(f)), expected, "{f:?}");
    }
    for mode in EnrollmentMode::ALL {
        assert_eq!(code(check_enrollment_mode(mode, false)), Ok(()));
    }
    assert_eq!(code(check_enrollment_mode(ManualInvitation, true)), Ok(()));
    assert_eq!(code(check_domain_delete(false)), Ok(()));
    assert_eq!(
        code(check_domain_delete(true)),
        Err(ErrorCode::SsoDomainConflict)
    );
    assert_eq!(
        code(check_enrollment_mode(AutomaticSuggestion, true)),
        Err(ErrorCode::SsoDomainConflict)
    );
}

#[test]
fn transition_cases() {
    let cases = [
        (Draft, Draft, Ok(())),
        (Draft, Active, Ok(())),
        (Draft, Inactive, Err(ErrorCode::SsoConnectionInactive)),
        (Active, Active, Ok(())),
        (Active, Inactive, Ok(())),
        (Active, Draft, Err(ErrorCode::SsoConnectionInUse)),
        (Inactive, Active, Ok(())),
        (Inactive, Inactive, Ok(())),
        (Inactive, Draft, Err(ErrorCode::SsoConnectionInUse)),
    ];
    for (from, to, expected) in cases {
        assert_eq!(
            code(check_transition(from, to)),
            expected,
            "{from:?} → {to:?}"
        );
    }
}

#[test]
fn change_cases() {
    let change =
        |from, to, provider: bool, domains: usize, require: bool, others: u64| ConnectionChange {
            from,
            to,
            changes_provider: provider,
            domain_count: domains,
            require_sso: require,
            other_active: others,
        };
    let cases = [
        (change(Draft, Draft, true, 0, false, 0), Ok(())),
        (change(Draft, Active, true, 1, false, 0), Ok(())),
        (
            change(Draft, Active, false, 0, false, 0),
            Err(ErrorCode::DomainNotVerified),
        ),
        (
            change(Active, Active, true, 1, false, 0),
            Err(ErrorCode::SsoConnectionInUse),
        ),
        (
            change(Active, Active, false, 0, false, 0),
            Err(ErrorCode::DomainNotVerified),
        ),
        (change(Active, Active, false, 2, true, 0), Ok(())),
        (change(Active, Inactive, false, 1, false, 0), Ok(())),
        (
            change(Active, Inactive, false, 1, true, 0),
            Err(ErrorCode::SsoConnectionInUse),
        ),
        (change(Active, Inactive, false, 1, true, 1), Ok(())),
        (change(Inactive, Inactive, true, 0, true, 0), Ok(())),
        (change(Inactive, Active, true, 1, false, 0), Ok(())),
        (
            change(Draft, Draft, false, MAX_CONNECTION_DOMAINS + 1, false, 0),
            Err(ErrorCode::ValidationFailed),
        ),
    ];
    for (c, expected) in cases {
        assert_eq!(code(check_change(c)), expected, "{c:?}");
    }
}

#[test]
fn delete_and_require_cases() {
    assert_eq!(code(check_delete(Draft)), Ok(()));
    assert_eq!(code(check_delete(Inactive)), Ok(()));
    assert_eq!(
        code(check_delete(Active)),
        Err(ErrorCode::SsoConnectionInUse)
    );
    assert_eq!(code(check_require_sso(false, 0)), Ok(()));
    assert_eq!(code(check_require_sso(true, 1)), Ok(()));
    assert_eq!(
        code(check_require_sso(true, 0)),
        Err(ErrorCode::SsoConnectionInactive)
    );
    assert_eq!(join_path("acme"), "/sso/acme");
}
