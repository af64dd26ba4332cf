//! What the SDK knows about an organization's members, so that the rule book can refuse
//! demoting or removing the last admin locally, and which action a role change or removal
//! is (removing myself is leaving). Pure Rust: tested natively.

use orgkit_core::policy::{Action, Actor, TargetMember};
use orgkit_core::roster::{check_bulk_removal_ids, plan_bulk_removal, BulkTarget};
use orgkit_core::{DomainError, Role, RoleCatalog, UserId};

/// A stand-in id for the signed-in user: the SDK's checks only need to tell "me" apart.
/// `leave()` also sends it as the member id, which the server reads as the caller.
pub const ME: &str = "me";

/// The signed-in user, as one organization sees them.
#[derive(Debug, Clone, Copy)]
pub struct Me<'a> {
    /// My user id, once the client has learned it (signing in or `getUser`).
    pub id: Option<&'a str>,
    /// My roles in the organization, the primary one first.
    pub roles: &'a [&'a str],
    /// Whether my permissions include `org:memberships:manage`.
    pub manages_members: bool,
}

/// The members seen on the pages fetched so far, from the first page on.
#[derive(Debug, Default, Clone)]
pub struct MemberRoster {
    /// (user id, roles), in list order.
    members: Vec<(String, Vec<String>)>,
    /// The cursor that continues the pages seen so far, when they started at the first page.
    next_cursor: Option<String>,
    /// Whether the pages seen cover the whole list, from the first page to the last.
    complete: bool,
    /// Whether `members` starts at the first page and has no gap.
    contiguous: bool,
}

impl MemberRoster {
    /// Records a fetched page. `after` is the cursor it was asked with (`None`: first page).
    pub fn record_page(
        &mut self,
        after: Option<&str>,
        members: Vec<(String, Vec<String>)>,
        next_cursor: Option<String>,
    ) {
        match after {
            None => {
                self.members = members;
                self.contiguous = true;
            }
            Some(cursor) if self.contiguous && self.next_cursor.as_deref() == Some(cursor) => {
                self.members.extend(members);
            }
            Some(_) => {
                // A page out of sequence: what we hold no longer covers the list.
                self.contiguous = false;
                self.members.extend(members);
            }
        }
        self.complete = self.contiguous && next_cursor.is_none();
        self.next_cursor = next_cursor;
    }

    /// The roles of a member seen on a fetched page.
    #[must_use]
    pub fn roles_of(&self, user_id: &str) -> Option<Vec<&str>> {
        self.members
            .iter()
            .find(|(id, _)| id == user_id)
            .map(|(_, roles)| refs(roles))
    }

    /// How many members hold `role`, when the whole list has been seen.
    #[must_use]
    pub fn holders_of(&self, role: &str) -> Option<u64> {
        self.complete.then(|| {
            self.members
                .iter()
                .filter(|(_, roles)| roles.iter().any(|r| r == role))
                .count() as u64
        })
    }

    /// The number of admins, when the whole list has been seen.
    #[must_use]
    pub fn admin_count(&self, catalog: &RoleCatalog) -> Option<u64> {
        self.complete.then(|| {
            self.members
                .iter()
                .filter(|(_, roles)| catalog.holds_admin(&refs(roles)))
                .count() as u64
        })
    }

    /// Notes a change of roles the server accepted.
    pub fn set_roles(&mut self, user_id: &str, roles: Vec<String>) {
        if let Some(entry) = self.members.iter_mut().find(|(id, _)| id == user_id) {
            entry.1 = roles;
        }
    }

    /// Forgets every page: after a bulk removal, whose outcome the SDK does not read back, the
    /// last-admin checks go to the server until the pages are fetched again.
    pub fn forget(&mut self) {
        *self = MemberRoster::default();
    }

    /// Notes a removal the server accepted.
    pub fn remove(&mut self, user_id: &str) {
        self.members.retain(|(id, _)| id != user_id);
    }
}

/// The roles of a list as the rule book takes them.
#[must_use]
pub fn refs(roles: &[String]) -> Vec<&str> {
    roles.iter().map(String::as_str).collect()
}

/// Asks `authorize` about giving `user_id` the roles `new_roles`, or removing them when
/// `new_roles` is `None`, with what `roster` tells about the target and the admins. The
/// target is me ([`ME`]) when `user_id` is my id, so that removing myself is leaving.
///
/// Asks nothing, and leaves the decision to the server, when my id is unknown and I may not
/// manage members: the target may be me, leaving.
pub fn check_member_action<E>(
    me: Me<'_>,
    roster: &MemberRoster,
    catalog: &RoleCatalog,
    user_id: &str,
    new_roles: Option<&[&str]>,
    authorize: impl FnOnce(Action<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let user_id = if me.id == Some(user_id) { ME } else { user_id };
    if user_id != ME && me.id.is_none() && !me.manages_members {
        return Ok(());
    }
    let known_roles = if user_id == ME {
        Some(me.roles.to_vec())
    } else {
        roster.roles_of(user_id)
    };
    // An unknown target's roles are left to the server; only the permission is checked.
    let (target_roles, admin_count) = match known_roles {
        Some(roles) => (roles, roster.admin_count(catalog)),
        None => (
            new_roles.map_or_else(|| vec![Role::BASIC_MEMBER], <[&str]>::to_vec),
            None,
        ),
    };
    let target_id = UserId(user_id.to_owned());
    let target = TargetMember {
        user_id: &target_id,
        roles: &target_roles,
    };
    authorize(match new_roles {
        Some(new_roles) => Action::ChangeRole {
            target,
            new_roles,
            admin_count,
        },
        None => Action::RemoveMember {
            target,
            admin_count,
        },
    })
}

/// Checks a bulk removal of `ids` with what `roster` tells: the ids' shape and count, my
/// permission, and, when the whole list has been seen, whether every named member would be
/// refused (not a member, or the last admin): then the request is pointless, and refused with
/// the first member's reason. Otherwise the server answers per member.
pub fn check_bulk_removal(
    me: Me<'_>,
    roster: &MemberRoster,
    catalog: &RoleCatalog,
    ids: &[&str],
) -> Result<(), DomainError> {
    check_bulk_removal_ids(ids)?;
    let admin_count = roster.admin_count(catalog);
    let target_roles: Vec<Option<Vec<&str>>> = ids
        .iter()
        .map(|id| {
            let known = if me.id == Some(*id) {
                Some(me.roles.to_vec())
            } else {
                roster.roles_of(id)
            };
            // Unseen with the list incomplete: a member of unknown role, for the server.
            known.or_else(|| admin_count.is_none().then(|| vec![""]))
        })
        .collect();
    let targets: Vec<BulkTarget<'_>> = ids
        .iter()
        .zip(&target_roles)
        .map(|(id, roles)| BulkTarget {
            user_id: id,
            roles: roles.as_deref(),
        })
        .collect();
    let my_id = UserId(me.id.unwrap_or(ME).to_owned());
    let actor = Actor {
        user_id: &my_id,
        roles: Some(me.roles),
    };
    let plan = plan_bulk_removal(catalog, actor, &targets, admin_count)?;
    match plan.iter().find(|outcome| outcome.is_ok()) {
        Some(_) => Ok(()),
        None => plan.into_iter().find_map(Result::err).map_or(Ok(()), Err),
    }
}

#[cfg(test)]
mod tests {
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
}
