use super::*;

const OPEN: Policy = Policy {
    max_organizations_per_user: None,
    one_organization_per_account: false,
};
const ONE: Policy = Policy {
    max_organizations_per_user: None,
    one_organization_per_account: true,
};

fn facts(memberships: u64, seated: u64, max: u64) -> JoinFacts {
    JoinFacts {
        memberships,
        seated_members: seated,
        max_allowed_memberships: max,
    }
}

fn code<T>(r: Result<T, DomainError>) -> Option<ErrorCode> {
    r.err().map(|e| e.code)
}

#[test]
fn joining() {
    use ErrorCode::{MembershipLimitReached as Full, OneOrganizationPerAccount as One};
    let cases: [(Policy, JoinFacts, Option<ErrorCode>); 9] = [
        (OPEN, facts(0, 0, 0), None),
        (OPEN, facts(5, 1000, 0), None),
        (OPEN, facts(0, 4, 5), None),
        (OPEN, facts(0, 5, 5), Some(Full)),
        (OPEN, facts(0, 9, 5), Some(Full)),
        (OPEN, facts(0, 0, 1), None),
        (ONE, facts(0, 0, 0), None),
        (ONE, facts(1, 0, 0), Some(One)),
        (ONE, facts(1, 5, 5), Some(One)),
    ];
    for (policy, f, want) in cases {
        assert_eq!(code(check_join(policy, f)), want, "{policy:?} {f:?}");
    }
}

#[test]
fn requesting() {
    assert_eq!(code(check_request(OPEN, 3)), None);
    assert_eq!(code(check_request(ONE, 0)), None);
    assert_eq!(
        code(check_request(ONE, 1)),
        Some(ErrorCode::OneOrganizationPerAccount)
    );
}

#[test]
fn creating() {
    let two = Policy {
        max_organizations_per_user: Some(2),
        one_organization_per_account: false,
    };
    let zero = Policy {
        max_organizations_per_user: Some(0),
        one_organization_per_account: false,
    };
    let cases: [(Policy, u64, u64, Option<ErrorCode>); 7] = [
        (OPEN, 100, 100, None),
        (two, 0, 3, None),
        (two, 1, 1, None),
        (two, 2, 0, Some(ErrorCode::OrganizationLimitReached)),
        (zero, 0, 0, Some(ErrorCode::OrganizationLimitReached)),
        (ONE, 0, 0, None),
        (ONE, 0, 1, Some(ErrorCode::OneOrganizationPerAccount)),
    ];
    for (policy, created, memberships, want) in cases {
        assert_eq!(
            code(check_create(policy, created, memberships)),
            want,
            "{policy:?} {created} {memberships}"
        );
    }
}

#[test]
fn the_member_limit_setting() {
    assert_eq!(check_max_allowed_memberships(0), Ok(0));
    assert_eq!(check_max_allowed_memberships(1), Ok(1));
    assert_eq!(
        check_max_allowed_memberships(MAX_ALLOWED_MEMBERSHIPS_CEILING),
        Ok(MAX_ALLOWED_MEMBERSHIPS_CEILING)
    );
    assert_eq!(
        code(check_max_allowed_memberships(
            MAX_ALLOWED_MEMBERSHIPS_CEILING + 1
        )),
        Some(ErrorCode::ValidationFailed)
    );
}
