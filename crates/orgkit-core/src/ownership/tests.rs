//! The owner rules, case by case.

use super::*;
use crate::permission::PermissionSet;

const OWNER: Standing = Standing {
    is_owner: true,
    suspended: false,
    is_creator: false,
};
const CREATOR: Standing = Standing {
    is_owner: true,
    suspended: false,
    is_creator: true,
};
const MEMBER: Standing = Standing {
    is_owner: false,
    suspended: false,
    is_creator: false,
};
const SUSPENDED: Standing = Standing {
    is_owner: false,
    suspended: true,
    is_creator: false,
};

fn org(owners: u64, protection: bool) -> OrgFacts {
    OrgFacts {
        owner_count: Some(owners),
        creator_protection: protection,
    }
}

fn code(r: Result<(), DomainError>) -> Option<ErrorCode> {
    r.err().map(|e| e.code)
}

#[test]
fn removing_and_leaving() {
    use ErrorCode::*;
    // (actor is owner, target, leaving, org, expected)
    let cases = [
        (false, MEMBER, false, org(1, false), None),
        (false, OWNER, false, org(2, false), Some(OwnerRequired)),
        (true, OWNER, false, org(2, false), None),
        (true, OWNER, false, org(1, false), Some(LastOwner)),
        (true, OWNER, true, org(1, false), Some(LastOwner)),
        (true, OWNER, true, org(2, false), None),
        // A non-owner leaving is never an owner question.
        (false, MEMBER, true, org(1, true), None),
        // The creator protection: the owning creator can neither leave nor be removed.
        (true, CREATOR, true, org(2, true), Some(CreatorProtected)),
        (true, CREATOR, false, org(2, true), Some(CreatorProtected)),
        (true, CREATOR, false, org(2, false), None),
        // Once ownership is transferred away, the creator is a member like any other.
        (
            false,
            Standing {
                is_owner: false,
                ..CREATOR
            },
            false,
            org(1, true),
            None,
        ),
        // Unknown counts are left to the server.
        (
            true,
            OWNER,
            true,
            OrgFacts {
                owner_count: None,
                creator_protection: false,
            },
            None,
        ),
    ];
    for (i, (actor_owner, target, leaving, facts, want)) in cases.into_iter().enumerate() {
        assert_eq!(
            code(check_remove(actor_owner, target, leaving, facts)),
            want,
            "case {i}"
        );
    }
}

#[test]
fn changing_an_owners_roles_takes_an_owner() {
    assert_eq!(code(check_change_role(false, MEMBER)), None);
    assert_eq!(
        code(check_change_role(false, OWNER)),
        Some(ErrorCode::OwnerRequired)
    );
    assert_eq!(code(check_change_role(true, OWNER)), None);
}

#[test]
fn making_and_unmaking_owners() {
    use ErrorCode::*;
    // (actor is owner, target, is self, make, org, expected)
    let cases = [
        (
            false,
            MEMBER,
            false,
            true,
            org(1, false),
            Some(OwnerRequired),
        ),
        (true, MEMBER, false, true, org(1, false), None),
        (
            true,
            SUSPENDED,
            false,
            true,
            org(1, false),
            Some(MembershipSuspended),
        ),
        (
            false,
            OWNER,
            false,
            false,
            org(2, false),
            Some(OwnerRequired),
        ),
        (true, OWNER, false, false, org(2, false), None),
        (true, OWNER, true, false, org(1, false), Some(LastOwner)),
        (true, OWNER, false, false, org(1, false), Some(LastOwner)),
        (
            true,
            CREATOR,
            false,
            false,
            org(2, true),
            Some(CreatorProtected),
        ),
        (true, CREATOR, true, false, org(2, true), None),
    ];
    for (i, (actor_owner, target, is_self, make, facts, want)) in cases.into_iter().enumerate() {
        assert_eq!(
            code(check_set_owner(actor_owner, target, is_self, make, facts)),
            want,
            "case {i}"
        );
    }
}

#[test]
fn transferring_ownership() {
    use ErrorCode::*;
    let catalog = RoleCatalog::built_in();
    let all = PermissionSet::all();
    let member_perms = catalog.permissions(Role::BASIC_MEMBER).expect("built in");
    // (actor is owner, held, target, is self, keep role, expected)
    let cases = [
        (true, all, MEMBER, false, "basic_member", None),
        (true, all, MEMBER, false, "admin", None),
        (false, all, MEMBER, false, "admin", Some(OwnerRequired)),
        (true, all, MEMBER, true, "admin", Some(Forbidden)),
        (
            true,
            all,
            SUSPENDED,
            false,
            "admin",
            Some(MembershipSuspended),
        ),
        (true, all, MEMBER, false, "owner", Some(UnknownRole)),
        // An owner without the admin's permissions cannot hand out the admin role.
        (
            true,
            member_perms,
            MEMBER,
            false,
            "basic_member",
            Some(PermissionEscalation),
        ),
        // Another owner can receive it too.
        (true, all, OWNER, false, "basic_member", None),
    ];
    for (i, (actor_owner, held, target, is_self, keep, want)) in cases.into_iter().enumerate() {
        assert_eq!(
            code(check_transfer(
                &catalog,
                actor_owner,
                held,
                target,
                is_self,
                keep
            )),
            want,
            "case {i}"
        );
    }
    // The escalation names what the owner lacks: the admin's permissions beyond their own.
    let refusal = check_transfer(&catalog, true, member_perms, MEMBER, false, "basic_member")
        .expect_err("escalation");
    let admin = catalog.permissions(Role::ADMIN).expect("built in");
    assert_eq!(refusal.missing, admin.minus(member_perms));
}

#[test]
fn deleting_takes_an_owner_and_the_slug() {
    use ErrorCode::*;
    let cases = [
        (true, Some("acme"), None),
        (true, Some("Acme"), Some(ConfirmationMismatch)),
        (true, Some(""), Some(ConfirmationMismatch)),
        (true, None, Some(ConfirmationMismatch)),
        (false, Some("acme"), Some(OwnerRequired)),
    ];
    for (i, (owner, confirm, want)) in cases.into_iter().enumerate() {
        assert_eq!(code(check_delete(owner, "acme", confirm)), want, "case {i}");
    }
}

#[test]
fn the_creator_protection_setting_is_an_owners() {
    assert_eq!(code(check_creator_protection_setting(true)), None);
    assert_eq!(
        code(check_creator_protection_setting(false)),
        Some(ErrorCode::OwnerRequired)
    );
}
