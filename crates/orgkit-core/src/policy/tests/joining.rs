//! The policy table for the joining paths: join requests, invite links, domains and SSO.

use super::*;

#[test]
fn join_requests() {
    use crate::join_request::JoinRequestStatus::*;
    each(
        Action::ListJoinRequests,
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    each(
        Action::SetAllowJoinRequests,
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    let accept = |status, role, already_member| Action::AcceptJoinRequest {
        status,
        role,
        already_member,
    };
    each(
        accept(Pending, "basic_member", false),
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    each(
        accept(Pending, "admin", false),
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    for status in [Accepted, Rejected, Withdrawn] {
        each(
            accept(status, "basic_member", false),
            [Err(JoinRequestNotPending), Err(Forbidden), Err(NotFound)],
        );
        each(
            Action::RejectJoinRequest { status },
            [Err(JoinRequestNotPending), Err(Forbidden), Err(NotFound)],
        );
    }
    each(
        accept(Pending, "owner", false),
        [Err(UnknownRole), Err(Forbidden), Err(NotFound)],
    );
    each(
        accept(Pending, "basic_member", true),
        [Err(AlreadyMember), Err(Forbidden), Err(NotFound)],
    );
    each(
        Action::RejectJoinRequest { status: Pending },
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
}

#[test]
fn invite_links() {
    each(
        Action::CreateInviteLink {
            role: "basic_member",
        },
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    each(
        Action::CreateInviteLink { role: "admin" },
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    each(
        Action::CreateInviteLink { role: "ghost" },
        [Err(UnknownRole), Err(Forbidden), Err(NotFound)],
    );
    each(
        Action::ManageInviteLinks,
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
}

/// The escalation guard: a role that may manage links but holds less than admin can make
/// links for roles within its own permissions only. The built-in two roles cannot show it.
#[test]
fn invite_links_grant_no_more_than_their_creator_holds() {
    use crate::permission::Permission;
    let catalog = super::roles::catalog_with(&[(
        "recruiter",
        &[Permission::MembershipsRead, Permission::LinksManage],
    )]);
    let id = me();
    let cases = [
        ("recruiter", "basic_member", Ok(())),
        ("recruiter", "recruiter", Ok(())),
        ("recruiter", "admin", Err(PermissionEscalation)),
        ("admin", "recruiter", Ok(())),
        ("basic_member", "basic_member", Err(Forbidden)),
    ];
    for (actor_role, link_role, expected) in cases {
        let actor = Actor {
            user_id: &id,
            roles: Some(std::slice::from_ref(&actor_role)),
        };
        let action = Action::CreateInviteLink { role: link_role };
        let got = authorize(&catalog, actor, action, NOW).map_err(|e| e.code);
        assert_eq!(got, expected, "{actor_role} making a {link_role} link");
    }
    let recruiter = Actor {
        user_id: &id,
        roles: Some(&["recruiter"]),
    };
    let got = authorize(&catalog, recruiter, Action::ManageInviteLinks, NOW);
    assert_eq!(got.map_err(|e| e.code), Ok(()));
}

#[test]
fn managing_domains() {
    use crate::domain::EnrollmentMode::*;
    each(
        Action::ManageDomains,
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    let set = |mode, verified| Action::SetEnrollmentMode { mode, verified };
    each(
        set(ManualInvitation, false),
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    each(
        set(AutomaticInvitation, false),
        [
            Err(ErrorCode::DomainNotVerified),
            Err(Forbidden),
            Err(NotFound),
        ],
    );
    each(
        set(AutomaticInvitation, true),
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    each(
        set(AutomaticSuggestion, false),
        [
            Err(ErrorCode::DomainNotVerified),
            Err(Forbidden),
            Err(NotFound),
        ],
    );
    each(
        set(AutomaticSuggestion, true),
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
}

#[test]
fn managing_sso() {
    each(Action::ManageSso, [Ok(()), Err(Forbidden), Err(NotFound)]);
    let jit = |role| Action::SetSsoJitRole { role };
    each(jit("basic_member"), [Ok(()), Err(Forbidden), Err(NotFound)]);
    each(jit("admin"), [Ok(()), Err(Forbidden), Err(NotFound)]);
    each(
        jit("owner"),
        [Err(UnknownRole), Err(Forbidden), Err(NotFound)],
    );
    // The escalation guard: a role holding org:sso:manage but not every admin permission may
    // not make people admins just in time.
    let catalog = super::roles::catalog_with(&[(
        "sso_admin",
        &[
            crate::permission::Permission::MembershipsRead,
            crate::permission::Permission::SsoManage,
        ],
    )]);
    let id = me();
    let actor = Actor {
        user_id: &id,
        roles: Some(&["sso_admin"]),
    };
    for (role, expected) in [
        ("basic_member", Ok(())),
        ("sso_admin", Ok(())),
        ("admin", Err(PermissionEscalation)),
    ] {
        let got = authorize(&catalog, actor, jit(role), NOW).map_err(|e| e.code);
        assert_eq!(got, expected, "sso_admin giving {role} just in time");
    }
}
