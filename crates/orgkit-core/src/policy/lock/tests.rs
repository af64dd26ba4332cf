//! Which writes share their organization, as a table.

use super::*;
use crate::ids::UserId;
use crate::permission::{Permission, PermissionCatalog, PermissionSet};
use crate::role::RoleDefinition;
use crate::InvitationStatus;
use crate::TargetMember;
use OrgLock::{Exclusive, Shared};

/// The built-in roles, plus `org:inviter` and `org:manager`, each half of an admin.
fn catalog() -> RoleCatalog {
    let perms = PermissionCatalog::new::<&str>(&[]).expect("no app permissions");
    let halves = [
        ("org:inviter", Permission::InvitationsManage),
        ("org:manager", Permission::MembershipsManage),
    ];
    RoleCatalog::with_permissions(perms).with_custom(halves.into_iter().map(|(key, held)| {
        RoleDefinition {
            key: key.to_owned(),
            name: key.to_owned(),
            description: String::new(),
            permissions: PermissionSet::of(&[held]),
        }
    }))
}

#[test]
fn role_changes_share_the_organization_unless_they_take_admin_away_or_touch_an_owner() {
    let id = UserId("user_target".into());
    let both: &[&str] = &["org:inviter", "org:manager"];
    let cases: [(&[&str], &[&str], bool, OrgLock); 9] = [
        (&["basic_member"], &["admin"], false, Shared),
        (&["basic_member"], &["org:manager"], false, Shared),
        (&["admin"], &["admin"], false, Shared),
        (&["admin"], both, false, Shared),
        (&["admin"], &["basic_member"], false, Exclusive),
        (both, &["org:manager"], false, Exclusive),
        (both, &["basic_member"], false, Exclusive),
        // an owner's change can lower the owner count, whatever the roles
        (&["basic_member"], &["admin"], true, Exclusive),
        (&["admin"], &["admin"], true, Exclusive),
    ];
    for (from, to, owner, expected) in cases {
        let action = Action::ChangeRole {
            target: TargetMember {
                user_id: &id,
                roles: from,
            },
            new_roles: to,
            admin_count: None,
        };
        let got = action.org_lock(&catalog(), owner);
        assert_eq!(got, expected, "{from:?} -> {to:?}, owner {owner}");
    }
}

#[test]
fn removals_share_the_organization_unless_the_member_is_an_admin_or_an_owner() {
    let id = UserId("user_target".into());
    let cases: [(&[&str], bool, OrgLock); 6] = [
        (&["basic_member"], false, Shared),
        (&["org:manager"], false, Shared),
        (&["admin"], false, Exclusive),
        (&["org:inviter", "org:manager"], false, Exclusive),
        (&["basic_member"], true, Exclusive),
        (&["admin"], true, Exclusive),
    ];
    for (roles, owner, expected) in cases {
        let action = Action::RemoveMember {
            target: TargetMember {
                user_id: &id,
                roles,
            },
            admin_count: None,
        };
        assert_eq!(action.org_lock(&catalog(), owner), expected, "{roles:?}");
    }
}

#[test]
fn invitations_share_the_organization_and_other_actions_hold_it_alone() {
    let cases = [
        (
            Action::Invite {
                role: "admin",
                already_member: false,
                already_invited: false,
            },
            Shared,
        ),
        (Action::UpdateOrganization, Exclusive),
        (Action::DeleteOrganization, Exclusive),
        (
            Action::RevokeInvitation {
                status: InvitationStatus::Pending,
            },
            Exclusive,
        ),
        (
            Action::AddMember {
                role: "basic_member",
                already_member: false,
            },
            Exclusive,
        ),
    ];
    for (action, expected) in cases {
        assert_eq!(action.org_lock(&catalog(), false), expected, "{action:?}");
    }
}

#[test]
fn losing_admin_is_judged_on_the_roles_together() {
    let catalog = catalog();
    let both: &[&str] = &["org:inviter", "org:manager"];
    assert!(takes_admin_away(&catalog, &["admin"], None));
    assert!(takes_admin_away(&catalog, both, Some(&["org:inviter"])));
    assert!(!takes_admin_away(&catalog, both, Some(&["admin"])));
    assert!(!takes_admin_away(&catalog, &["org:manager"], None));
    assert!(!takes_admin_away(
        &catalog,
        &["basic_member"],
        Some(&["admin"])
    ));
}

#[test]
fn a_role_change_that_gives_admin_tries_the_shared_lock_first() {
    let catalog = catalog();
    let cases: [(&[&str], OrgLock); 5] = [
        (&["admin"], Shared),
        (&["org:inviter", "org:manager"], Shared),
        (&["basic_member", "admin"], Shared),
        (&["basic_member"], Exclusive),
        (&["org:manager"], Exclusive),
    ];
    for (roles, expected) in cases {
        assert_eq!(
            first_lock_for_role_change(&catalog, roles),
            expected,
            "{roles:?}"
        );
    }
}
