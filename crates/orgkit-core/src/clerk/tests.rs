use super::*;

/// A paging case: `limit`, `offset`, and the expected `(limit, offset)` or a refusal.
type PagingCase = (
    Option<&'static str>,
    Option<&'static str>,
    Option<(u32, u64)>,
);
/// An `order_by` case: the raw value and the expected `(field, descending)` or a refusal.
type OrderCase = (Option<&'static str>, Option<(&'static str, bool)>);

#[test]
fn paging_defaults_and_bounds() {
    let cases: &[PagingCase] = &[
        (None, None, Some((10, 0))),
        (Some("1"), Some("0"), Some((1, 0))),
        (Some("500"), Some("1000000"), Some((500, 1_000_000))),
        (Some("501"), None, None),
        (Some("0"), None, None),
        (Some("-1"), None, None),
        (Some("ten"), None, None),
        (None, Some("-5"), None),
        (None, Some("x"), None),
    ];
    for (limit, offset, expected) in cases {
        let got = paging(*limit, *offset);
        match expected {
            Some((l, o)) => assert_eq!(
                got,
                Ok(Paging {
                    limit: *l,
                    offset: *o
                })
            ),
            None => {
                let code = got.map_err(|e| (e.code, e.param.is_some()));
                assert_eq!(
                    code,
                    Err((ClerkCode::FormParamFormatInvalid, true)),
                    "{limit:?}"
                );
            }
        }
    }
}

#[test]
fn order_by_takes_a_sign_and_an_allowed_field() {
    let allowed = ["created_at", "name"];
    let cases: &[OrderCase] = &[
        (None, Some(("created_at", true))),
        (Some("name"), Some(("name", false))),
        (Some("+name"), Some(("name", false))),
        (Some("-created_at"), Some(("created_at", true))),
        (Some("-"), None),
        (Some("*name"), None),
        (Some("members"), None),
        (Some(""), None),
    ];
    for (raw, expected) in cases {
        match (order_by(*raw, &allowed), expected) {
            (Ok(got), Some((field, descending))) => {
                assert_eq!(
                    (got.field, got.descending),
                    (*field, *descending),
                    "{raw:?}"
                );
            }
            (Err(e), None) => {
                assert_eq!(e.code, ClerkCode::FormParamFormatInvalid);
                assert_eq!(e.param.as_deref(), Some("order_by"));
            }
            (got, _) => panic!("{raw:?}: {got:?}"),
        }
    }
}

#[test]
fn role_keys_map_both_ways() {
    for (key, role) in [
        ("org:admin", "admin"),
        ("org:member", "basic_member"),
        ("org:billing", "billing"),
    ] {
        assert_eq!(role_from_key(key).as_deref(), Ok(role));
        assert_eq!(role_key(role), key);
    }
    for bad in ["admin", "org:", "", "member"] {
        assert!(role_from_key(bad).is_err(), "{bad}");
    }
    assert_eq!(role_name("admin"), "Admin");
    assert_eq!(role_name("basic_member"), "Member");
}

#[test]
fn bulk_invitations_are_one_to_ten() {
    for (count, ok) in [(0, false), (1, true), (10, true), (11, false)] {
        assert_eq!(bulk_invitations(count).is_ok(), ok, "{count}");
    }
}

#[test]
fn rule_book_codes_map_to_clerk_codes() {
    let cases = [
        (ErrorCode::NotFound, "resource_not_found", 404),
        (
            ErrorCode::AlreadyMember,
            "already_a_member_in_organization",
            400,
        ),
        (
            ErrorCode::ValidationFailed,
            "form_param_format_invalid",
            422,
        ),
        (ErrorCode::SlugTaken, "form_identifier_exists", 422),
        (ErrorCode::EmailTaken, "form_identifier_exists", 422),
        (ErrorCode::AlreadyInvited, "form_identifier_exists", 422),
        (
            ErrorCode::LastAdmin,
            "organization_minimum_admins_required",
            409,
        ),
        (ErrorCode::Unauthenticated, "clerk_key_invalid", 401),
        (ErrorCode::RateLimited, "too_many_requests", 429),
        (ErrorCode::InvitationNotPending, "request_refused", 409),
    ];
    for (code, clerk, status) in cases {
        assert_eq!(ClerkCode::of(code).as_str(), clerk);
        assert_eq!(ClerkCode::of(code).http_status(), status);
    }
    assert_eq!(ClerkCode::FormParamMissing.as_str(), "form_param_missing");
}
