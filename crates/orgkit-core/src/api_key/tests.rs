use super::*;
use crate::permission::{Permission, PermissionSet};

const READ: Permission = Permission::MembershipsRead;
const MANAGE: Permission = Permission::MembershipsManage;

fn set(p: &[Permission]) -> PermissionSet {
    PermissionSet::of(p)
}

/// A key holds its owner's permissions now, within its scope: demoting the owner narrows it.
#[test]
fn key_permissions_table() {
    let cases = [
        (
            "no scope: all of the owner's",
            set(&[READ, MANAGE]),
            None,
            set(&[READ, MANAGE]),
        ),
        (
            "scope within",
            set(&[READ, MANAGE]),
            Some(set(&[READ])),
            set(&[READ]),
        ),
        (
            "owner demoted below the scope",
            set(&[READ]),
            Some(set(&[READ, MANAGE])),
            set(&[READ]),
        ),
        (
            "owner lost everything",
            PermissionSet::EMPTY,
            Some(set(&[READ])),
            PermissionSet::EMPTY,
        ),
        (
            "empty scope",
            set(&[READ]),
            Some(PermissionSet::EMPTY),
            PermissionSet::EMPTY,
        ),
    ];
    for (name, owner, scope, expected) in cases {
        assert_eq!(key_permissions(owner, scope), expected, "{name}");
    }
}

#[test]
fn create_decisions_table() {
    use ApiKeyPolicy::*;
    let admin = set(&[
        Permission::ApiKeysManage,
        Permission::ServiceAccountsManage,
        READ,
    ]);
    let key_admin = set(&[Permission::ApiKeysManage, READ]);
    let member = set(&[READ]);
    let mine = |scope| NewKey {
        for_service_account: false,
        scope,
        owner_permissions: member,
    };
    let sa = NewKey {
        for_service_account: true,
        scope: None,
        owner_permissions: member,
    };
    let code = |r: Result<(), DomainError>| r.err().map(|e| e.code);
    let cases = [
        (Nobody, admin, mine(None), Some(ErrorCode::ApiKeysDisabled)),
        (Admins, member, mine(None), Some(ErrorCode::Forbidden)),
        (Admins, admin, mine(None), None),
        (Members, member, mine(None), None),
        (Members, member, mine(Some(set(&[READ]))), None),
        (
            Members,
            member,
            mine(Some(set(&[READ, MANAGE]))),
            Some(ErrorCode::PermissionEscalation),
        ),
        (Members, member, sa, Some(ErrorCode::Forbidden)),
        (Admins, key_admin, sa, Some(ErrorCode::Forbidden)),
        (Admins, admin, sa, None),
        (Nobody, admin, sa, Some(ErrorCode::ApiKeysDisabled)),
    ];
    for (policy, held, key, expected) in cases {
        assert_eq!(
            code(check_create(policy, held, key)),
            expected,
            "{policy:?} {key:?}"
        );
    }
    let escalation = check_create(Members, member, mine(Some(set(&[READ, MANAGE])))).err();
    assert_eq!(escalation.map(|e| e.missing), Some(set(&[MANAGE])));
}

#[test]
fn revoke_and_list_table() {
    let api = set(&[Permission::ApiKeysManage]);
    let sam = set(&[Permission::ServiceAccountsManage]);
    let none = PermissionSet::EMPTY;
    assert!(check_revoke(none, true, false).is_ok());
    assert!(check_revoke(none, false, false).is_err());
    assert!(check_revoke(api, false, false).is_ok());
    assert!(check_revoke(sam, false, true).is_ok());
    assert!(check_revoke(sam, false, false).is_err());
    assert!(sees_all_keys(api, false));
    assert!(sees_all_keys(sam, true));
    assert!(!sees_all_keys(sam, false));
    assert!(check_set_policy(api).is_ok());
    assert!(check_set_policy(sam).is_err());
}

/// A key stops when revoked, and at the instant it expires.
#[test]
fn usable_table() {
    let now = Timestamp::from_millis(1_000);
    let cases = [
        (false, None, Ok(())),
        (false, Some(1_001), Ok(())),
        (false, Some(1_000), Err(KeyRefusal::Expired)),
        (false, Some(10), Err(KeyRefusal::Expired)),
        (true, None, Err(KeyRefusal::Revoked)),
        (true, Some(10), Err(KeyRefusal::Revoked)),
    ];
    for (revoked, expires, expected) in cases {
        let expires = expires.map(Timestamp::from_millis);
        assert_eq!(
            check_usable(revoked, expires, now),
            expected,
            "{revoked} {expires:?}"
        );
    }
    assert_eq!(KeyRefusal::Revoked.reason(), "api_key_revoked");
    assert_eq!(KeyRefusal::Expired.reason(), "api_key_expired");
    assert_eq!(KeyRefusal::Unknown.reason(), "api_key_unknown");
}

#[test]
fn secrets_expiry_and_reasons() {
    let secret = format!("ok_{}", "0123456789abcdef".repeat(4));
    assert!(is_secret_shaped(&secret));
    assert_eq!(last4(&secret), "cdef");
    assert!(!is_secret_shaped("ok_abc"));
    assert!(!is_secret_shaped(&secret.to_uppercase()));
    assert!(!is_secret_shaped(&format!("sk_{}", &secret[3..])));
    let now = Timestamp::from_millis(5);
    assert!(check_expiry(None, now).is_ok());
    assert!(check_expiry(Some(Timestamp::from_millis(6)), now).is_ok());
    assert!(check_expiry(Some(now), now).is_err());
    assert_eq!(
        check_reason("  left the company ").as_deref(),
        Ok("left the company")
    );
    assert!(check_reason(&"x".repeat(201)).is_err());
    assert_eq!(ApiKeyPolicy::parse("members"), Some(ApiKeyPolicy::Members));
    assert_eq!(ApiKeyPolicy::default(), ApiKeyPolicy::Admins);
}

/// A key's scope cuts every check of `authorize`, escalation guards included.
#[test]
fn authorize_limited_cuts_to_the_scope() {
    use crate::policy::{authorize_limited, Action, Actor};
    use crate::role::{Role, RoleCatalog};
    let catalog = RoleCatalog::built_in();
    let me = crate::UserId("user_a".into());
    let roles = [Role::ADMIN];
    let actor = Actor {
        user_id: &me,
        roles: Some(&roles),
    };
    let now = Timestamp::from_millis(0);
    let invite = Action::Invite {
        role: "basic_member",
        already_member: false,
        already_invited: false,
    };
    assert!(authorize_limited(&catalog, actor, invite, now, None).is_ok());
    let read_only = Some(set(&[READ]));
    assert_eq!(
        authorize_limited(&catalog, actor, invite, now, read_only).map_err(|e| e.code),
        Err(ErrorCode::Forbidden)
    );
    assert!(authorize_limited(&catalog, actor, Action::ListMembers, now, read_only).is_ok());
}
