//! Custom roles, sets of roles and the escalation guard, as tables.

use super::*;
use crate::permission::{Permission, PermissionCatalog, PermissionSet};
use crate::role::RoleDefinition;

/// The app permissions of the test catalog.
const APP: [&str; 2] = ["org:invoices:create", "org:invoices:read"];

/// The built-ins over [`APP`], plus custom roles holding the given system permissions.
pub(super) fn catalog_with(roles: &[(&str, &[Permission])]) -> RoleCatalog {
    let perms = PermissionCatalog::new(&APP).expect("valid app permissions");
    RoleCatalog::with_permissions(perms).with_custom(roles.iter().map(|(key, held)| {
        RoleDefinition {
            key: (*key).to_owned(),
            name: (*key).to_owned(),
            description: String::new(),
            permissions: PermissionSet::of(held),
        }
    }))
}

/// A test organization's catalog: `org:deputy` holds every system permission but the audit
/// log's and no app permission; `org:billing` reads members and creates invoices;
/// `org:inviter` and `org:manager` are each half of an admin.
fn org() -> RoleCatalog {
    let deputy: Vec<Permission> = Permission::ALL
        .into_iter()
        .filter(|p| *p != Permission::AuditRead)
        .collect();
    let catalog = catalog_with(&[
        ("org:deputy", &deputy),
        ("org:inviter", &[Permission::InvitationsManage]),
        ("org:manager", &[Permission::MembershipsManage]),
        ("org:empty", &[]),
    ]);
    let billing = catalog
        .permission_catalog()
        .parse_all(&["org:memberships:read", "org:invoices:create"])
        .expect("known");
    catalog.with_custom([RoleDefinition {
        key: "org:billing".into(),
        name: "Billing".into(),
        description: String::new(),
        permissions: billing,
    }])
}

/// A decision: allowed, or the code and the missing permissions listed.
type Verdict = Result<(), (ErrorCode, Vec<String>)>;

/// What `roles` get doing `action` in [`org`]: the code and the missing permissions listed.
fn decide(roles: &[&str], action: Action<'_>) -> Verdict {
    let id = me();
    let actor = Actor {
        user_id: &id,
        roles: Some(roles),
    };
    let catalog = org();
    authorize(&catalog, actor, action, NOW).map_err(|e| (e.code, catalog.names(e.missing)))
}

fn escalation(missing: &[&str]) -> Verdict {
    Err((
        PermissionEscalation,
        missing.iter().map(|m| (*m).to_owned()).collect(),
    ))
}

/// Every path that grants a role, for granting `role` (holding `grants`).
fn granting_paths<'a>(
    role: &'a &'a str,
    grants: PermissionSet,
    target: TargetMember<'a>,
) -> Vec<(&'static str, Action<'a>)> {
    vec![
        (
            "invite",
            Action::Invite {
                role,
                already_member: false,
                already_invited: false,
            },
        ),
        (
            "add member",
            Action::AddMember {
                role,
                already_member: false,
            },
        ),
        ("invite link", Action::CreateInviteLink { role }),
        (
            "accept join request",
            Action::AcceptJoinRequest {
                status: JoinRequestStatus::Pending,
                role,
                already_member: false,
            },
        ),
        (
            "change member roles",
            Action::ChangeRole {
                target,
                new_roles: std::slice::from_ref(role),
                admin_count: Some(2),
            },
        ),
        ("sso jit role", Action::SetSsoJitRole { role }),
        (
            "create role",
            Action::CreateRole {
                grants,
                custom_roles: 5,
                key_taken: false,
            },
        ),
        (
            "edit role",
            Action::UpdateRole {
                role: "org:empty",
                grants,
                admin_count_after: Some(1),
            },
        ),
        (
            "default role",
            Action::SetRoleSettings {
                creator_role: None,
                default_role: Some(role),
            },
        ),
    ]
}

use crate::join_request::JoinRequestStatus;

/// The escalation guard on every path: the deputy grants what it holds and is refused, with
/// the missing permissions listed, what it lacks.
#[test]
fn escalation_on_every_path() {
    let catalog = org();
    let other = other();
    let basic = ["basic_member"];
    let target = TargetMember {
        user_id: &other,
        roles: &basic,
    };
    let cases: [(&str, Verdict); 5] = [
        ("org:deputy", Ok(())),
        ("org:inviter", Ok(())),
        ("org:billing", escalation(&["org:invoices:create"])),
        (
            "admin",
            escalation(&["org:audit:read", "org:invoices:create", "org:invoices:read"]),
        ),
        ("org:empty", Ok(())),
    ];
    for (role, expected) in cases {
        let grants = catalog.permissions(role).expect("known");
        for (path, action) in granting_paths(&role, grants, target) {
            assert_eq!(
                decide(&["org:deputy"], action),
                expected,
                "deputy, {path}, {role}"
            );
            // An admin holds every permission of the catalog, app ones included.
            assert_eq!(decide(&["admin"], action), Ok(()), "admin, {path}, {role}");
        }
    }
}

/// Sets of roles: permissions are the union, and the last-admin rule counts admins through
/// any roles together.
#[test]
fn members_hold_sets_of_roles() {
    let other = other();
    let change =
        |from: &'static [&'static str], to: &'static [&'static str], admins| Action::ChangeRole {
            target: TargetMember {
                user_id: &other,
                roles: from,
            },
            new_roles: to,
            admin_count: admins,
        };
    let cases: [(&[&str], Action<'_>, Result<(), ErrorCode>); 9] = [
        // Two halves of an admin together are an admin.
        (
            &["admin"],
            change(&["admin"], &["org:inviter", "org:manager"], Some(1)),
            Ok(()),
        ),
        (
            &["admin"],
            change(&["org:inviter", "org:manager"], &["org:inviter"], Some(1)),
            Err(LastAdmin),
        ),
        (
            &["admin"],
            change(&["org:inviter", "org:manager"], &["org:inviter"], Some(2)),
            Ok(()),
        ),
        (
            &["admin"],
            change(&["basic_member"], &[], Some(2)),
            Err(ValidationFailed),
        ),
        (
            &["admin"],
            change(&["basic_member"], &["org:billing", "org:billing"], Some(2)),
            Err(ValidationFailed),
        ),
        (
            &["admin"],
            change(&["basic_member"], &["org:ghost"], Some(2)),
            Err(UnknownRole),
        ),
        // The manager half may change roles and grant what the pair holds (taking away a
        // role that reads members would need org:memberships:read too).
        (
            &["org:inviter", "org:manager"],
            change(&["org:empty"], &["org:inviter"], Some(1)),
            Ok(()),
        ),
        (
            &["org:inviter"],
            change(&["org:empty"], &["org:inviter"], Some(1)),
            Err(Forbidden),
        ),
        // Taking an admin's role away needs its permissions too.
        (
            &["org:deputy"],
            change(&["admin"], &["org:deputy"], Some(2)),
            Err(PermissionEscalation),
        ),
    ];
    for (actor, action, expected) in cases {
        let got = decide(actor, action).map_err(|(code, _)| code);
        assert_eq!(got, expected, "{actor:?} doing {action:?}");
    }
    let remove = |from: &'static [&'static str], admins| Action::RemoveMember {
        target: TargetMember {
            user_id: &other,
            roles: from,
        },
        admin_count: admins,
    };
    let pair: &[&str] = &["org:inviter", "org:manager"];
    assert_eq!(
        decide(&["admin"], remove(pair, Some(1))).map_err(|e| e.0),
        Err(LastAdmin)
    );
    assert_eq!(
        decide(&["admin"], remove(&["org:inviter"], Some(1))),
        Ok(())
    );
    assert_eq!(decide(&["org:billing"], Action::ListMembers), Ok(()));
    assert_eq!(
        decide(&["org:empty"], Action::ListMembers).map_err(|e| e.0),
        Err(Forbidden)
    );
}

#[test]
fn creating_and_editing_roles() {
    let grants = PermissionSet::of(&[Permission::MembershipsRead]);
    let create = |custom_roles, key_taken| Action::CreateRole {
        grants,
        custom_roles,
        key_taken,
    };
    let update = |role, admin_count_after| Action::UpdateRole {
        role,
        grants,
        admin_count_after,
    };
    let cases: [(&[&str], Action<'_>, Result<(), ErrorCode>); 12] = [
        (&["admin"], create(19, false), Ok(())),
        (&["admin"], create(20, false), Err(RoleLimitReached)),
        (&["admin"], create(3, true), Err(RoleKeyTaken)),
        (&["basic_member"], create(3, false), Err(Forbidden)),
        (&["org:billing"], create(3, false), Err(Forbidden)),
        (&["admin"], update("org:billing", Some(1)), Ok(())),
        (&["admin"], update("admin", Some(1)), Err(BuiltInRole)),
        (
            &["admin"],
            update("basic_member", Some(1)),
            Err(BuiltInRole),
        ),
        (&["admin"], update("org:ghost", Some(1)), Err(UnknownRole)),
        (&["admin"], update("org:manager", Some(0)), Err(LastAdmin)),
        // Editing away a permission the editor lacks is refused as well.
        (
            &["org:deputy"],
            update("org:billing", Some(1)),
            Err(PermissionEscalation),
        ),
        (&["org:deputy"], update("org:inviter", None), Ok(())),
    ];
    for (actor, action, expected) in cases {
        let got = decide(actor, action).map_err(|(code, _)| code);
        assert_eq!(got, expected, "{actor:?} doing {action:?}");
    }
}

/// Role deletion rules: built-ins never, a role in use never (with the reason), and only
/// within the actor's permissions.
#[test]
fn deleting_roles() {
    let unused = RoleUsage::default();
    let delete = |role, usage| Action::DeleteRole { role, usage };
    let cases: [(&[&str], Action<'_>, Result<(), ErrorCode>); 11] = [
        (&["admin"], delete("org:billing", unused), Ok(())),
        (
            &["admin"],
            delete(
                "org:billing",
                RoleUsage {
                    grants: 2,
                    ..unused
                },
            ),
            Err(RoleInUse),
        ),
        (&["admin"], delete("admin", unused), Err(BuiltInRole)),
        (&["admin"], delete("basic_member", unused), Err(BuiltInRole)),
        (&["admin"], delete("org:ghost", unused), Err(UnknownRole)),
        (
            &["admin"],
            delete(
                "org:billing",
                RoleUsage {
                    members: 1,
                    ..unused
                },
            ),
            Err(RoleInUse),
        ),
        (
            &["admin"],
            delete(
                "org:deputy",
                RoleUsage {
                    creator_role: true,
                    ..unused
                },
            ),
            Err(RoleInUse),
        ),
        (
            &["admin"],
            delete(
                "org:billing",
                RoleUsage {
                    default_role: true,
                    ..unused
                },
            ),
            Err(RoleInUse),
        ),
        (
            &["org:deputy"],
            delete("org:billing", unused),
            Err(PermissionEscalation),
        ),
        (
            &["basic_member"],
            delete("org:billing", unused),
            Err(Forbidden),
        ),
        (&["org:deputy"], delete("org:inviter", unused), Ok(())),
    ];
    for (actor, action, expected) in cases {
        let got = decide(actor, action).map_err(|(code, _)| code);
        assert_eq!(got, expected, "{actor:?} doing {action:?}");
    }
    let id = me();
    let outsider = Actor {
        user_id: &id,
        roles: None,
    };
    let got = authorize(&org(), outsider, delete("org:billing", unused), NOW);
    assert_eq!(got.map_err(|e| e.code), Err(NotFound));
}

#[test]
fn creator_and_default_roles() {
    let settings = |creator_role, default_role| Action::SetRoleSettings {
        creator_role,
        default_role,
    };
    let cases: [(&[&str], Action<'_>, Result<(), ErrorCode>); 8] = [
        (
            &["admin"],
            settings(Some("admin"), Some("basic_member")),
            Ok(()),
        ),
        (&["admin"], settings(Some("org:deputy"), None), Ok(())),
        (
            &["admin"],
            settings(Some("basic_member"), None),
            Err(CreatorRoleInsufficient),
        ),
        (
            &["admin"],
            settings(Some("org:manager"), None),
            Err(CreatorRoleInsufficient),
        ),
        (
            &["admin"],
            settings(None, Some("org:ghost")),
            Err(UnknownRole),
        ),
        (
            &["org:deputy"],
            settings(Some("admin"), None),
            Err(PermissionEscalation),
        ),
        (
            &["org:deputy"],
            settings(None, Some("org:billing")),
            Err(PermissionEscalation),
        ),
        (
            &["basic_member"],
            settings(None, Some("basic_member")),
            Err(Forbidden),
        ),
    ];
    for (actor, action, expected) in cases {
        let got = decide(actor, action).map_err(|(code, _)| code);
        assert_eq!(got, expected, "{actor:?} doing {action:?}");
    }
}
