//! The policy as a table: every action × actor role × target case.

use super::*;
use crate::ids::UserId;
use crate::invitation::AcceptFacts;
use crate::ErrorCode::*;

const NOW: Timestamp = Timestamp(1_000);

fn me() -> UserId {
    UserId("user_me".into())
}
fn other() -> UserId {
    UserId("user_other".into())
}

/// Who acts: their role in the organization, or not a member at all.
#[derive(Debug, Clone, Copy)]
enum Who {
    Admin,
    Member,
    Outsider,
}

impl Who {
    fn roles(self) -> Option<&'static [&'static str]> {
        match self {
            Who::Admin => Some(&["admin"]),
            Who::Member => Some(&["basic_member"]),
            Who::Outsider => None,
        }
    }
}

fn check(who: Who, action: Action<'_>, expected: Result<(), ErrorCode>) {
    let id = me();
    let actor = Actor {
        user_id: &id,
        roles: who.roles(),
    };
    let got = authorize(&RoleCatalog::built_in(), actor, action, NOW).map_err(|e| e.code);
    assert_eq!(got, expected, "{who:?} doing {action:?}");
}

const ALL: [Who; 3] = [Who::Admin, Who::Member, Who::Outsider];

/// Runs one action for each actor kind with the expected result for (admin, member, outsider).
fn each(action: Action<'_>, expected: [Result<(), ErrorCode>; 3]) {
    for (who, exp) in ALL.into_iter().zip(expected) {
        check(who, action, exp);
    }
}

#[test]
fn organization_actions() {
    each(Action::ReadOrganization, [Ok(()), Ok(()), Err(NotFound)]);
    each(Action::ListMembers, [Ok(()), Ok(()), Err(NotFound)]);
    each(
        Action::UpdateOrganization,
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    each(
        Action::DeleteOrganization,
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    each(
        Action::ListInvitations,
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    each(
        Action::ReadAuditLog,
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    each(
        Action::ManageWebhooks,
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
}

#[test]
fn inviting() {
    let invite = |role, already_member, already_invited| Action::Invite {
        role,
        already_member,
        already_invited,
    };
    each(
        invite("basic_member", false, false),
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    each(
        invite("admin", false, false),
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    each(
        invite("owner", false, false),
        [Err(UnknownRole), Err(Forbidden), Err(NotFound)],
    );
    each(
        invite("basic_member", true, false),
        [Err(AlreadyMember), Err(Forbidden), Err(NotFound)],
    );
    each(
        invite("basic_member", false, true),
        [Err(AlreadyInvited), Err(Forbidden), Err(NotFound)],
    );
    each(
        invite("basic_member", true, true),
        [Err(AlreadyMember), Err(Forbidden), Err(NotFound)],
    );
}

#[test]
fn adding_members_directly() {
    let add = |role, already_member| Action::AddMember {
        role,
        already_member,
    };
    each(
        add("basic_member", false),
        [Ok(()), Err(Forbidden), Err(NotFound)],
    );
    each(add("admin", false), [Ok(()), Err(Forbidden), Err(NotFound)]);
    each(
        add("owner", false),
        [Err(UnknownRole), Err(Forbidden), Err(NotFound)],
    );
    each(
        add("basic_member", true),
        [Err(AlreadyMember), Err(Forbidden), Err(NotFound)],
    );
}

#[test]
fn managing_invitations() {
    use InvitationStatus::*;
    for (status, admin) in [
        (Pending, Ok(())),
        (Expired, Ok(())),
        (Accepted, Err(InvitationNotPending)),
        (Revoked, Err(InvitationNotPending)),
    ] {
        each(
            Action::RevokeInvitation { status },
            [admin, Err(Forbidden), Err(NotFound)],
        );
        each(
            Action::ResendInvitation { status },
            [admin, Err(Forbidden), Err(NotFound)],
        );
    }
}

/// A member targeted by an action.
fn target<'a>(id: &'a UserId, role: &'static str) -> TargetMember<'a> {
    TargetMember {
        user_id: id,
        roles: std::slice::from_ref(leak(role)),
    }
}

/// A `'static` one-role list for a table.
fn leak(role: &'static str) -> &'static &'static str {
    Box::leak(Box::new(role))
}

#[test]
fn changing_roles() {
    let (me, other) = (me(), other());
    let change = |t, new_role, admin_count| Action::ChangeRole {
        target: t,
        new_roles: std::slice::from_ref(leak(new_role)),
        admin_count,
    };
    let cases = [
        // promote a member
        (
            target(&other, "basic_member"),
            "admin",
            Some(1),
            [Ok(()), Err(Forbidden), Err(NotFound)],
        ),
        // demote another admin while two remain
        (
            target(&other, "admin"),
            "basic_member",
            Some(2),
            [Ok(()), Err(Forbidden), Err(NotFound)],
        ),
        // demote the last admin
        (
            target(&other, "admin"),
            "basic_member",
            Some(1),
            [Err(LastAdmin), Err(Forbidden), Err(NotFound)],
        ),
        // demote myself, the last admin
        (
            target(&me, "admin"),
            "basic_member",
            Some(1),
            [Err(LastAdmin), Err(Forbidden), Err(NotFound)],
        ),
        // demote myself while another admin remains
        (
            target(&me, "admin"),
            "basic_member",
            Some(2),
            [Ok(()), Err(Forbidden), Err(NotFound)],
        ),
        // unknown admin count: left to the server
        (
            target(&other, "admin"),
            "basic_member",
            None,
            [Ok(()), Err(Forbidden), Err(NotFound)],
        ),
        // admin to admin never loses an admin
        (
            target(&other, "admin"),
            "admin",
            Some(1),
            [Ok(()), Err(Forbidden), Err(NotFound)],
        ),
        // a member promoting themself
        (
            target(&me, "basic_member"),
            "admin",
            Some(1),
            [Ok(()), Err(Forbidden), Err(NotFound)],
        ),
        // unknown role
        (
            target(&other, "basic_member"),
            "owner",
            Some(1),
            [Err(UnknownRole), Err(Forbidden), Err(NotFound)],
        ),
    ];
    for (t, new_role, count, expected) in cases {
        each(change(t, new_role, count), expected);
    }
}

#[test]
fn removing_and_leaving() {
    let (me, other) = (me(), other());
    let remove = |t, admin_count| Action::RemoveMember {
        target: t,
        admin_count,
    };
    let cases = [
        // remove a member
        (
            target(&other, "basic_member"),
            Some(1),
            [Ok(()), Err(Forbidden), Err(NotFound)],
        ),
        // remove another admin while two remain
        (
            target(&other, "admin"),
            Some(2),
            [Ok(()), Err(Forbidden), Err(NotFound)],
        ),
        // remove the last admin
        (
            target(&other, "admin"),
            Some(1),
            [Err(LastAdmin), Err(Forbidden), Err(NotFound)],
        ),
        // a member leaves
        (
            target(&me, "basic_member"),
            Some(1),
            [Ok(()), Ok(()), Err(NotFound)],
        ),
        // the last admin leaves
        (
            target(&me, "admin"),
            Some(1),
            [Err(LastAdmin), Err(LastAdmin), Err(NotFound)],
        ),
        // an admin leaves while another remains
        (
            target(&me, "admin"),
            Some(2),
            [Ok(()), Ok(()), Err(NotFound)],
        ),
        // unknown admin count: left to the server
        (
            target(&other, "admin"),
            None,
            [Ok(()), Err(Forbidden), Err(NotFound)],
        ),
    ];
    for (t, count, expected) in cases {
        each(remove(t, count), expected);
    }
}

#[test]
fn accepting_needs_no_membership() {
    let facts = AcceptFacts {
        status: InvitationStatus::Pending,
        expires_at: Timestamp(2_000),
        invited_email: "me@example.com",
        user_email: "me@example.com",
        already_member: false,
    };
    each(Action::AcceptInvitation(facts), [Ok(()), Ok(()), Ok(())]);
    let expired = AcceptFacts {
        expires_at: NOW,
        ..facts
    };
    each(
        Action::AcceptInvitation(expired),
        [
            Err(InvitationExpired),
            Err(InvitationExpired),
            Err(InvitationExpired),
        ],
    );
}

#[test]
fn an_actor_with_an_unknown_role_is_refused() {
    let id = me();
    let actor = Actor {
        user_id: &id,
        roles: Some(&["ghost"]),
    };
    let got = authorize(
        &RoleCatalog::built_in(),
        actor,
        Action::ReadOrganization,
        NOW,
    );
    assert_eq!(got.map_err(|e| e.code), Err(UnknownRole));
}

/// The joining paths and the organization's own settings: requests, links, domains, SSO.
mod joining;

/// Custom roles, sets of roles and the escalation guard on every path.
mod roles;
