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
fn reactivating_takes_a_seat() {
    let full = Some(ErrorCode::MembershipLimitReached);
    let cases: [(u64, u64, Option<ErrorCode>); 5] = [
        (0, 0, None),
        (100, 0, None),
        (4, 5, None),
        (5, 5, full),
        (6, 5, full),
    ];
    for (seated, max, want) in cases {
        assert_eq!(code(check_seat(seated, max)), want, "{seated} of {max}");
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

/// A count stopped where `seats_to_count` and `memberships_to_count` say (none counted when they
/// say `None`) decides every join, reactivation and request as the whole count does.
#[test]
fn counts_stopped_early_decide_as_whole_counts() {
    let stopped = |whole: u64, cap: Option<u64>| cap.map_or(0, |cap| whole.min(cap));
    for policy in [OPEN, ONE] {
        for memberships in 0..4 {
            for seated in 0..8 {
                for max in 0..6 {
                    let whole = facts(memberships, seated, max);
                    let counted = facts(
                        stopped(memberships, memberships_to_count(policy)),
                        stopped(seated, seats_to_count(max)),
                        max,
                    );
                    assert_eq!(
                        check_join(policy, whole),
                        check_join(policy, counted),
                        "{policy:?} {whole:?}"
                    );
                    assert_eq!(
                        check_seat(seated, max),
                        check_seat(counted.seated_members, max)
                    );
                    assert_eq!(
                        check_request(policy, memberships),
                        check_request(policy, counted.memberships)
                    );
                }
            }
        }
    }
}
