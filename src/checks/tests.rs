use super::*;
use orgkit_core::policy::{authorize, Actor};
use orgkit_core::{ErrorCode, Timestamp};

fn m(id: &str, role: &str) -> (String, Vec<String>) {
    (id.to_owned(), vec![role.to_owned()])
}

#[test]
fn a_single_complete_page_knows_the_admin_count() {
    let catalog = RoleCatalog::built_in();
    let mut roster = MemberRoster::default();
    assert_eq!(roster.admin_count(&catalog), None, "nothing seen yet");
    roster.record_page(None, vec![m("u1", "admin"), m("u2", "basic_member")], None);
    assert_eq!(roster.admin_count(&catalog), Some(1));
    assert_eq!(roster.roles_of("u2"), Some(vec!["basic_member"]));
    assert_eq!(roster.holders_of("basic_member"), Some(1));
    roster.set_roles("u2", vec!["admin".to_owned()]);
    assert_eq!(roster.admin_count(&catalog), Some(2));
    roster.remove("u1");
    assert_eq!(roster.admin_count(&catalog), Some(1));
}

#[test]
fn pages_count_only_once_the_list_is_walked_to_its_end() {
    let catalog = RoleCatalog::built_in();
    let mut roster = MemberRoster::default();
    roster.record_page(None, vec![m("u1", "admin")], Some("c1".into()));
    assert_eq!(roster.admin_count(&catalog), None, "more pages to come");
    roster.record_page(Some("c1"), vec![m("u2", "admin")], None);
    assert_eq!(roster.admin_count(&catalog), Some(2));
    // A page out of sequence breaks the knowledge until the first page is fetched again.
    roster.record_page(Some("elsewhere"), vec![m("u9", "admin")], None);
    assert_eq!(roster.admin_count(&catalog), None);
    roster.record_page(None, vec![m("u1", "admin")], None);
    assert_eq!(roster.admin_count(&catalog), Some(1));
}

/// `check_member_action` against the rule book: `None` when it asked nothing.
fn decide(
    me: Me<'_>,
    roster: &MemberRoster,
    user_id: &str,
    new_role: Option<&str>,
) -> Option<Result<(), ErrorCode>> {
    let catalog = RoleCatalog::built_in();
    let mut asked = false;
    let new_roles = new_role.map(|r| [r]);
    let new_roles = new_roles.as_ref().map(|r| &r[..]);
    let result = check_member_action(me, roster, &catalog, user_id, new_roles, |action| {
        asked = true;
        let actor = Actor {
            user_id: &UserId(ME.to_owned()),
            roles: Some(me.roles),
        };
        authorize(&catalog, actor, action, Timestamp(0)).map_err(|e| e.code)
    });
    asked.then_some(result)
}

#[test]
fn member_actions_tell_leaving_from_removing() {
    let admin = Me {
        id: Some("u1"),
        roles: &[Role::ADMIN],
        manages_members: true,
    };
    let member = Me {
        id: Some("u2"),
        roles: &[Role::BASIC_MEMBER],
        manages_members: false,
    };
    let anonymous_admin = Me { id: None, ..admin };
    let anonymous_member = Me { id: None, ..member };
    // One admin (u1) and one member (u2), on one complete page.
    let mut whole = MemberRoster::default();
    whole.record_page(None, vec![m("u1", "admin"), m("u2", "basic_member")], None);
    let mut partial = MemberRoster::default();
    partial.record_page(None, vec![m("u1", "admin")], Some("c1".into()));
    let mut two_admins = MemberRoster::default();
    two_admins.record_page(None, vec![m("u1", "admin"), m("u3", "admin")], None);

    let last_admin = Some(Err(ErrorCode::LastAdmin));
    let forbidden = Some(Err(ErrorCode::Forbidden));
    let cases = [
        // (who, roster, target, new role, expected)
        (admin, &whole, "u1", None, last_admin),
        (admin, &whole, ME, None, last_admin),
        (admin, &whole, "u1", Some("basic_member"), last_admin),
        (admin, &partial, "u1", None, Some(Ok(()))),
        (admin, &two_admins, "u1", Some("basic_member"), Some(Ok(()))),
        (admin, &whole, "u2", None, Some(Ok(()))),
        (admin, &whole, "u2", Some("admin"), Some(Ok(()))),
        (
            admin,
            &whole,
            "u9",
            Some("owner"),
            Some(Err(ErrorCode::UnknownRole)),
        ),
        (anonymous_admin, &whole, "u9", None, Some(Ok(()))),
        (anonymous_admin, &whole, ME, None, last_admin),
        (member, &whole, "u2", None, Some(Ok(()))),
        (member, &whole, "u1", None, forbidden),
        (member, &whole, "u2", Some("admin"), forbidden),
        (anonymous_member, &whole, ME, None, Some(Ok(()))),
        // Without my id, "u1" may be me leaving: the server decides.
        (anonymous_member, &whole, "u1", None, None),
    ];
    for (i, (me, roster, user_id, new_role, expected)) in cases.into_iter().enumerate() {
        assert_eq!(
            decide(me, roster, user_id, new_role),
            expected,
            "case {i}: {me:?} on {user_id} ({new_role:?})"
        );
    }
}

#[test]
fn bulk_removals_refused_locally_only_when_every_member_would_be() {
    let catalog = RoleCatalog::built_in();
    let me = Me {
        id: Some("user_me"),
        roles: &["admin"],
        manages_members: true,
    };
    let code = |roster: &MemberRoster, me: Me<'_>, ids: &[&str]| {
        check_bulk_removal(me, roster, &catalog, ids).map_err(|e| e.code)
    };
    let mut roster = MemberRoster::default();
    roster.record_page(
        None,
        vec![m("user_me", "admin"), m("user_bob", "basic_member")],
        None,
    );
    assert_eq!(code(&roster, me, &["user_me"]), Err(ErrorCode::LastAdmin));
    assert_eq!(
        code(&roster, me, &["user_nobody"]),
        Err(ErrorCode::NotFound)
    );
    assert_eq!(code(&roster, me, &["user_bob", "user_me"]), Ok(()));
    assert_eq!(code(&roster, me, &[]), Err(ErrorCode::ValidationFailed));
    assert_eq!(
        code(&roster, me, &["mem_1"]),
        Err(ErrorCode::ValidationFailed)
    );
    let member = Me {
        roles: &["basic_member"],
        manages_members: false,
        ..me
    };
    assert_eq!(
        code(&roster, member, &["user_bob"]),
        Err(ErrorCode::Forbidden)
    );
    // Pages not seen to the end: only the shape and the permission are checked here.
    roster.forget();
    assert_eq!(code(&roster, me, &["user_me"]), Ok(()));
    assert_eq!(code(&roster, me, &["user_nobody"]), Ok(()));
}

#[test]
fn rosters_hold_role_sets_and_custom_roles_count_through_their_union() {
    use orgkit_core::role::RoleDefinition;
    use orgkit_core::{Permission, PermissionSet};
    let role = |key: &str, perms: &[Permission]| RoleDefinition {
        key: key.into(),
        name: key.into(),
        description: String::new(),
        permissions: PermissionSet::of(perms),
    };
    let catalog = RoleCatalog::built_in().with_custom([
        role("org:inviter", &[Permission::InvitationsManage]),
        role(
            "org:manager",
            &[Permission::MembershipsManage, Permission::MembershipsRead],
        ),
    ]);
    let both = vec!["org:inviter".to_owned(), "org:manager".to_owned()];
    let mut roster = MemberRoster::default();
    roster.record_page(
        None,
        vec![("u1".into(), both.clone()), m("u2", "basic_member")],
        None,
    );
    assert_eq!(
        roster.admin_count(&catalog),
        Some(1),
        "two roles make an admin"
    );
    assert_eq!(roster.holders_of("org:manager"), Some(1));
    let manager = Me {
        id: Some("u3"),
        roles: &["org:manager"],
        manages_members: true,
    };
    let ask = |new: &[&str], target: &str| {
        check_member_action(manager, &roster, &catalog, target, Some(new), |action| {
            let actor = Actor {
                user_id: &UserId(ME.to_owned()),
                roles: Some(manager.roles),
            };
            authorize(&catalog, actor, action, Timestamp(0)).map_err(|e| e.code)
        })
    };
    // Granting the inviter role adds invitations:manage, which the manager lacks.
    assert_eq!(
        ask(&["basic_member", "org:inviter"], "u2"),
        Err(ErrorCode::PermissionEscalation)
    );
    assert_eq!(ask(&["org:manager"], "u2"), Ok(()));
    // Taking the inviter role away from u1 takes a permission the manager lacks too.
    assert_eq!(
        ask(&["org:manager"], "u1"),
        Err(ErrorCode::PermissionEscalation)
    );
    assert_eq!(ask(&[], "u2"), Err(ErrorCode::ValidationFailed));
}
