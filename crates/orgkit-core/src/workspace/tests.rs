use super::*;
use crate::permission::{Permission, PermissionSet};
use AccessVia::*;
use WorkspaceRole::{Manager, Member};

fn facts(
    org_manages: bool,
    personal: Option<bool>,
    archived: bool,
    direct: Option<WorkspaceRole>,
    best_group: Option<WorkspaceRole>,
) -> AccessFacts {
    AccessFacts {
        org_manages,
        personal_owner_is_me: personal,
        archived,
        direct,
        best_group,
    }
}

fn access(role: WorkspaceRole, via: AccessVia) -> Option<WorkspaceAccess> {
    Some(WorkspaceAccess { role, via })
}

/// The effective role: direct, group, the higher of both, the organization override, the
/// personal owner, and archived workspaces keeping only managers.
#[test]
fn effective_access_table() {
    let cases: [(&str, AccessFacts, Option<WorkspaceAccess>); 16] = [
        ("nothing", facts(false, None, false, None, None), None),
        (
            "direct member",
            facts(false, None, false, Some(Member), None),
            access(Member, Direct),
        ),
        (
            "direct manager",
            facts(false, None, false, Some(Manager), None),
            access(Manager, Direct),
        ),
        (
            "group member",
            facts(false, None, false, None, Some(Member)),
            access(Member, Group),
        ),
        (
            "group manager",
            facts(false, None, false, None, Some(Manager)),
            access(Manager, Group),
        ),
        (
            "group outranks direct",
            facts(false, None, false, Some(Member), Some(Manager)),
            access(Manager, Group),
        ),
        (
            "direct outranks group",
            facts(false, None, false, Some(Manager), Some(Member)),
            access(Manager, Direct),
        ),
        (
            "tie goes to direct",
            facts(false, None, false, Some(Member), Some(Member)),
            access(Member, Direct),
        ),
        (
            "admin override",
            facts(true, None, false, None, None),
            access(Manager, Organization),
        ),
        (
            "admin override beats a member grant",
            facts(true, None, false, Some(Member), None),
            access(Manager, Organization),
        ),
        (
            "my personal workspace",
            facts(false, Some(true), false, None, None),
            access(Manager, Personal),
        ),
        (
            "someone's personal workspace",
            facts(false, Some(false), false, None, None),
            None,
        ),
        (
            "an admin sees every personal workspace",
            facts(true, Some(false), false, None, None),
            access(Manager, Organization),
        ),
        (
            "archived: members lose access",
            facts(false, None, true, Some(Member), Some(Member)),
            None,
        ),
        (
            "archived: managers keep it",
            facts(false, None, true, Some(Member), Some(Manager)),
            access(Manager, Group),
        ),
        (
            "archived: the admin override stays",
            facts(true, None, true, None, None),
            access(Manager, Organization),
        ),
    ];
    for (name, f, expected) in cases {
        assert_eq!(effective_access(&f), expected, "{name}");
    }
}

#[test]
fn workspace_decisions_table() {
    use WorkspaceAction::*;
    let shared = WorkspaceState::default();
    let archived = WorkspaceState {
        personal: false,
        archived: true,
    };
    let personal = WorkspaceState {
        personal: true,
        archived: false,
    };
    let m = access(Member, Direct);
    let mgr = access(Manager, Group);
    let code = |r: Result<(), DomainError>| r.err().map(|e| e.code);
    let cases = [
        (Read, None, shared, Some(ErrorCode::NotFound)),
        (Read, m, shared, None),
        (Update, m, shared, Some(ErrorCode::Forbidden)),
        (Update, mgr, shared, None),
        (Archive, mgr, archived, None),
        (ListPrincipals, m, shared, Some(ErrorCode::Forbidden)),
        (ListPrincipals, mgr, shared, None),
        (Grant, m, shared, Some(ErrorCode::Forbidden)),
        (Grant, mgr, shared, None),
        (Grant, mgr, archived, Some(ErrorCode::WorkspaceArchived)),
        (
            Grant,
            access(Manager, Personal),
            personal,
            Some(ErrorCode::WorkspacePersonal),
        ),
        (Revoke, mgr, archived, None),
        (Revoke, m, shared, Some(ErrorCode::Forbidden)),
    ];
    for (action, acc, ws, expected) in cases {
        assert_eq!(
            code(decide(action, acc, ws)),
            expected,
            "{action:?} {acc:?} {ws:?}"
        );
    }
}

#[test]
fn create_needs_workspaces_manage() {
    assert!(check_create(PermissionSet::of(&[Permission::WorkspacesManage])).is_ok());
    assert_eq!(
        check_create(PermissionSet::of(&[Permission::MembershipsManage])).map_err(|e| e.code),
        Err(ErrorCode::Forbidden)
    );
}

#[test]
fn group_decisions_table() {
    use GroupAction::*;
    let admin = PermissionSet::of(&[Permission::GroupsManage]);
    let none = PermissionSet::EMPTY;
    let cases = [
        (Manage, admin, None, true),
        (Manage, none, Some(GroupRole::Manager), false),
        (ChangeMembers, admin, None, true),
        (ChangeMembers, none, Some(GroupRole::Manager), true),
        (ChangeMembers, none, Some(GroupRole::Member), false),
        (ChangeMembers, none, None, false),
    ];
    for (action, held, role, ok) in cases {
        assert_eq!(
            decide_group(action, held, role).is_ok(),
            ok,
            "{action:?} {role:?}"
        );
    }
}

#[test]
fn names_descriptions_and_kinds() {
    assert_eq!(check_name("  Research  ").as_deref(), Ok("Research"));
    assert!(check_name("   ").is_err());
    assert!(check_name(&"x".repeat(101)).is_err());
    assert!(check_name("a\u{7}b").is_err());
    assert_eq!(
        check_description(" two\nlines ").as_deref(),
        Ok("two\nlines")
    );
    assert!(check_description(&"x".repeat(501)).is_err());
    assert!(check_description("tab\there").is_err());
    assert!(check_group_member_kind(PrincipalKind::Group).is_err());
    assert!(check_group_member_kind(PrincipalKind::ServiceAccount).is_ok());
    assert_eq!(
        check_in_organization(false).map_err(|e| e.code),
        Err(ErrorCode::NotAMember)
    );
    assert!(PrincipalKind::User.is_well_formed_id("user_abc"));
    assert!(!PrincipalKind::Group.is_well_formed_id("user_abc"));
    assert_eq!(
        PrincipalKind::parse("service_account"),
        Some(PrincipalKind::ServiceAccount)
    );
    assert_eq!(WorkspaceRole::parse("ws:manager"), Some(Manager));
    assert_eq!(WorkspaceRole::from_level(Member.level()), Some(Member));
    assert_eq!(WorkspaceRole::from_level(3), None);
    assert_eq!(GroupRole::parse("manager"), Some(GroupRole::Manager));
}

/// Only a member has a personal workspace: a service account's key gets `forbidden`.
#[test]
fn personal_workspace_principals_table() {
    let cases = [
        (PrincipalKind::User, None),
        (PrincipalKind::ServiceAccount, Some(ErrorCode::Forbidden)),
        (PrincipalKind::Group, Some(ErrorCode::Forbidden)),
    ];
    for (principal, want) in cases {
        let got = check_personal(principal).err().map(|e| e.code);
        assert_eq!(got, want, "{principal:?}");
    }
}
