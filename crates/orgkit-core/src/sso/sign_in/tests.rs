use super::*;

fn domains(list: &[&str]) -> Vec<String> {
    list.iter().map(|d| (*d).to_owned()).collect()
}

/// An email, an organization slug and a connection id, and what the start request names.
type StartCase<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Result<StartBy<'a>, ErrorCode>,
);

#[test]
fn start_requests_name_one_thing() {
    let id = "sso_01JABCDEF";
    let cases: &[StartCase<'_>] = &[
        (
            Some("ann@acme.test"),
            None,
            None,
            Ok(StartBy::Email("ann@acme.test")),
        ),
        (
            None,
            Some("acme"),
            None,
            Ok(StartBy::Organization {
                slug: "acme",
                email: None,
            }),
        ),
        (
            Some("ann@acme.test"),
            Some("acme"),
            None,
            Ok(StartBy::Organization {
                slug: "acme",
                email: Some("ann@acme.test"),
            }),
        ),
        (None, Some("acme"), Some(id), Ok(StartBy::Connection(id))),
        (None, None, None, Err(ErrorCode::SsoConnectionNotFound)),
        (
            Some(""),
            Some(""),
            Some(""),
            Err(ErrorCode::SsoConnectionNotFound),
        ),
        (
            Some("not an email"),
            None,
            None,
            Err(ErrorCode::SsoConnectionNotFound),
        ),
        (
            None,
            Some("Not A Slug"),
            None,
            Err(ErrorCode::SsoConnectionNotFound),
        ),
        (
            None,
            None,
            Some("org_01JABC"),
            Err(ErrorCode::SsoConnectionNotFound),
        ),
    ];
    for (email, slug, conn, expected) in cases {
        let got = start_by(*email, *slug, *conn).map_err(|e| e.code);
        assert_eq!(&got, expected, "{email:?} {slug:?} {conn:?}");
    }
}

#[test]
fn the_connection_is_picked_by_id_domain_or_organization() {
    let acme = domains(&["acme.test"]);
    let labs = domains(&["labs.acme.test"]);
    let a = Candidate {
        id: "sso_a",
        active: true,
        domains: &acme,
    };
    let b = Candidate {
        id: "sso_b",
        active: true,
        domains: &labs,
    };
    let draft = Candidate {
        id: "sso_d",
        active: false,
        domains: &acme,
    };
    let org = |email| StartBy::Organization {
        slug: "acme",
        email,
    };
    let cases: Vec<(StartBy<'_>, Vec<Candidate<'_>>, Result<&str, ErrorCode>)> = vec![
        (StartBy::Connection("sso_a"), vec![a.clone()], Ok("sso_a")),
        (
            StartBy::Connection("sso_d"),
            vec![draft.clone()],
            Err(ErrorCode::SsoConnectionInactive),
        ),
        (
            StartBy::Connection("sso_x"),
            vec![],
            Err(ErrorCode::SsoConnectionNotFound),
        ),
        (
            StartBy::Email("ann@ACME.test"),
            vec![a.clone()],
            Ok("sso_a"),
        ),
        (
            StartBy::Email("ann@acme.test"),
            vec![draft.clone()],
            Err(ErrorCode::SsoConnectionNotFound),
        ),
        (
            StartBy::Email("ann@other.test"),
            vec![a.clone()],
            Err(ErrorCode::SsoConnectionNotFound),
        ),
        (org(None), vec![a.clone(), draft.clone()], Ok("sso_a")),
        (
            org(None),
            vec![draft.clone()],
            Err(ErrorCode::SsoConnectionNotFound),
        ),
        (
            org(None),
            vec![a.clone(), b.clone()],
            Err(ErrorCode::SsoConnectionNotFound),
        ),
        (
            org(Some("bo@labs.acme.test")),
            vec![a.clone(), b.clone()],
            Ok("sso_b"),
        ),
        (
            org(Some("bo@acme.test")),
            vec![a.clone(), b.clone()],
            Ok("sso_a"),
        ),
        (
            org(Some("bo@else.test")),
            vec![a.clone(), b.clone()],
            Err(ErrorCode::SsoConnectionNotFound),
        ),
        // An email given must be at a domain of the connection, even when there is one.
        (
            org(Some("bo@else.test")),
            vec![a.clone()],
            Err(ErrorCode::SsoConnectionNotFound),
        ),
    ];
    for (by, candidates, expected) in cases {
        let got = pick_connection(by, &candidates)
            .map(|c| c.id)
            .map_err(|e| e.code);
        assert_eq!(got, expected, "{by:?}");
    }
}

#[test]
fn claims_need_a_verified_email_at_a_connection_domain() {
    let acme = domains(&["acme.test", "acme.example"]);
    let claims = |email, email_verified| Claims {
        email,
        email_verified,
    };
    let cases = [
        (
            claims(Some("Ann@Acme.Test"), Some(true)),
            Ok("ann@acme.test".to_owned()),
        ),
        (
            claims(Some("bo@acme.example"), Some(true)),
            Ok("bo@acme.example".to_owned()),
        ),
        (claims(None, Some(true)), Err(ErrorCode::SsoTokenInvalid)),
        (
            claims(Some("nope"), Some(true)),
            Err(ErrorCode::SsoTokenInvalid),
        ),
        (
            claims(Some("ann@evil.test"), Some(true)),
            Err(ErrorCode::SsoEmailOutsideDomains),
        ),
        (
            claims(Some("ann@sub.acme.test"), Some(true)),
            Err(ErrorCode::SsoEmailOutsideDomains),
        ),
        (
            claims(Some("ann@acme.test"), Some(false)),
            Err(ErrorCode::EmailNotVerified),
        ),
        (
            claims(Some("ann@acme.test"), None),
            Err(ErrorCode::EmailNotVerified),
        ),
    ];
    for (c, expected) in cases {
        assert_eq!(
            check_claims(c, &acme).map_err(|e| e.code),
            expected,
            "{c:?}"
        );
    }
}

#[test]
fn users_are_found_by_identity_then_linked_by_email_then_created() {
    let facts = |by_identity, by_email, jit_enabled| UserFacts {
        by_identity,
        by_email,
        jit_enabled,
    };
    let cases = [
        (
            facts(Some("u1"), Some("u2"), true),
            Ok(UserDecision::Known("u1")),
        ),
        (
            facts(Some("u1"), None, false),
            Ok(UserDecision::Known("u1")),
        ),
        (facts(None, Some("u2"), true), Ok(UserDecision::Link("u2"))),
        (facts(None, Some("u2"), false), Ok(UserDecision::Link("u2"))),
        (facts(None, None, true), Ok(UserDecision::Create)),
        (facts(None, None, false), Err(ErrorCode::SsoJitDisabled)),
    ];
    for (f, expected) in cases {
        assert_eq!(decide_user(f).map_err(|e| e.code), expected, "{f:?}");
    }
}

#[test]
fn memberships_are_added_just_in_time_and_never_lowered() {
    let cases = [
        (Some("admin"), true, MembershipDecision::Keep),
        (Some("basic_member"), true, MembershipDecision::Keep),
        (Some("admin"), false, MembershipDecision::Keep),
        (None, true, MembershipDecision::Add("basic_member")),
        (None, false, MembershipDecision::None),
    ];
    for (role, jit, expected) in cases {
        assert_eq!(
            decide_membership(role, jit, "basic_member"),
            expected,
            "{role:?} {jit}"
        );
    }
}

#[test]
fn states_are_single_use_and_last_ten_minutes() {
    let start = Timestamp(1_000_000);
    let expires = Timestamp(start.millis() + STATE_TTL_MS);
    let cases = [
        (Some(expires), start, Ok(())),
        (Some(expires), Timestamp(expires.millis() - 1), Ok(())),
        (Some(expires), expires, Err(ErrorCode::SsoStateExpired)),
        (None, start, Err(ErrorCode::SsoStateInvalid)),
    ];
    for (at, now, expected) in cases {
        assert_eq!(
            check_state(at, now).map_err(|e| e.code),
            expected,
            "{at:?} {now:?}"
        );
    }
}

#[test]
fn return_urls_stay_on_the_allow_list() {
    let allowed = ["http://127.0.0.1:8080", "https://app.example.com"];
    let cases = [
        ("/", true),
        ("/organization/?id=org_1#members", true),
        ("http://127.0.0.1:8080/x", true),
        ("https://APP.example.com", true),
        ("https://app.example.com?x=1", true),
        ("//evil.test/", false),
        ("/\\evil.test", false),
        ("https://app.example.com.evil.test/", false),
        ("https://app.example.com@evil.test/", false),
        ("http://app.example.com/", false),
        ("javascript:alert(1)", false),
        ("relative/path", false),
        ("/with space", false),
        ("", false),
    ];
    for (raw, ok) in cases {
        assert_eq!(check_return_to(raw, &allowed).is_ok(), ok, "{raw}");
        if let Err(e) = check_return_to(raw, &allowed) {
            assert_eq!(e.code, ErrorCode::SsoReturnUrlForbidden);
        }
    }
    assert!(check_return_to(&format!("/{}", "a".repeat(MAX_RETURN_TO_CHARS)), &allowed).is_err());
}

#[test]
fn password_sign_in_is_refused_where_sso_is_required() {
    assert_eq!(check_password_sign_in(&[]), Ok(()));
    let required = [SsoRequirement {
        organization_slug: "acme",
    }];
    assert_eq!(
        check_password_sign_in(&required).map_err(|r| r.organization_slug),
        Err("acme")
    );
}
