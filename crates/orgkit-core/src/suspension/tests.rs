//! The suspension rules, case by case.

use super::*;

const MEMBER: Standing = Standing {
    is_owner: false,
    suspended: false,
    is_creator: false,
};

fn facts() -> SuspendFacts {
    SuspendFacts {
        held: PermissionSet::all(),
        actor_is_owner: false,
        target: MEMBER,
        is_self: false,
        target_is_admin: false,
        admin_count: Some(2),
        org: OrgFacts {
            owner_count: Some(1),
            creator_protection: false,
        },
    }
}

fn code(r: Result<(), DomainError>) -> Option<ErrorCode> {
    r.err().map(|e| e.code)
}

#[test]
fn suspending() {
    use ErrorCode::*;
    let owner = Standing {
        is_owner: true,
        ..MEMBER
    };
    let creator = Standing {
        is_creator: true,
        ..owner
    };
    let cases: Vec<(SuspendFacts, Option<ErrorCode>)> = vec![
        (facts(), None),
        (
            SuspendFacts {
                held: PermissionSet::of(&[Permission::MembershipsRead]),
                ..facts()
            },
            Some(Forbidden),
        ),
        (
            SuspendFacts {
                is_self: true,
                ..facts()
            },
            Some(Forbidden),
        ),
        // The last admin cannot be suspended; another admin can.
        (
            SuspendFacts {
                target_is_admin: true,
                admin_count: Some(1),
                ..facts()
            },
            Some(LastAdmin),
        ),
        (
            SuspendFacts {
                target_is_admin: true,
                admin_count: Some(2),
                ..facts()
            },
            None,
        ),
        // An owner takes an owner, and the last owner stays.
        (
            SuspendFacts {
                target: owner,
                org: OrgFacts {
                    owner_count: Some(2),
                    creator_protection: false,
                },
                ..facts()
            },
            Some(OwnerRequired),
        ),
        (
            SuspendFacts {
                target: owner,
                actor_is_owner: true,
                org: OrgFacts {
                    owner_count: Some(2),
                    creator_protection: false,
                },
                ..facts()
            },
            None,
        ),
        (
            SuspendFacts {
                target: owner,
                actor_is_owner: true,
                ..facts()
            },
            Some(LastOwner),
        ),
        (
            SuspendFacts {
                target: creator,
                actor_is_owner: true,
                org: OrgFacts {
                    owner_count: Some(2),
                    creator_protection: true,
                },
                ..facts()
            },
            Some(CreatorProtected),
        ),
        // Suspending twice changes nothing and is not refused.
        (
            SuspendFacts {
                target: Standing {
                    suspended: true,
                    ..MEMBER
                },
                target_is_admin: true,
                admin_count: Some(1),
                ..facts()
            },
            None,
        ),
        // Unknown counts are left to the server.
        (
            SuspendFacts {
                target_is_admin: true,
                admin_count: None,
                ..facts()
            },
            None,
        ),
    ];
    for (i, (f, want)) in cases.into_iter().enumerate() {
        assert_eq!(code(check_suspend(f)), want, "case {i}");
    }
}

#[test]
fn reactivating_and_access() {
    assert_eq!(code(check_reactivate(PermissionSet::all())), None);
    assert_eq!(
        code(check_reactivate(PermissionSet::of(&[
            Permission::MembershipsRead
        ]))),
        Some(ErrorCode::Forbidden)
    );
    assert_eq!(code(check_access(false)), None);
    assert_eq!(
        code(check_access(true)),
        Some(ErrorCode::MembershipSuspended)
    );
}
