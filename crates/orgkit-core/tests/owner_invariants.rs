//! Random sequences of removals, leaves, role changes, suspensions, reactivations, owner
//! changes and transfers, by random actors, each applied only when the rule book allows it,
//! never leave an organization without an active owner or an active admin.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use orgkit_core::ownership::{self, OrgFacts, Standing};
use orgkit_core::policy::{authorize, Action, Actor, TargetMember};
use orgkit_core::suspension::{self, SuspendFacts};
use orgkit_core::{RoleCatalog, Timestamp, UserId};
use proptest::prelude::*;
use std::sync::LazyLock;

#[derive(Debug, Clone)]
struct Member {
    id: UserId,
    role: &'static str,
    owner: bool,
    suspended: bool,
    creator: bool,
}

#[derive(Debug, Clone)]
enum Op {
    Remove(usize, usize),
    ChangeRole(usize, usize, bool),
    Suspend(usize, usize),
    Reactivate(usize, usize),
    SetOwner(usize, usize, bool),
    Transfer(usize, usize, bool),
}

/// The built-in catalog (owned since roles, so built once rather than as a constant).
static CATALOG: LazyLock<RoleCatalog> = LazyLock::new(RoleCatalog::built_in);

fn role(admin: bool) -> &'static str {
    if admin {
        "admin"
    } else {
        "basic_member"
    }
}

fn op() -> impl Strategy<Value = Op> {
    let i = 0..6usize;
    prop_oneof![
        (i.clone(), i.clone()).prop_map(|(a, t)| Op::Remove(a, t)),
        (i.clone(), i.clone(), any::<bool>()).prop_map(|(a, t, r)| Op::ChangeRole(a, t, r)),
        (i.clone(), i.clone()).prop_map(|(a, t)| Op::Suspend(a, t)),
        (i.clone(), i.clone()).prop_map(|(a, t)| Op::Reactivate(a, t)),
        (i.clone(), i.clone(), any::<bool>()).prop_map(|(a, t, m)| Op::SetOwner(a, t, m)),
        (i.clone(), i, any::<bool>()).prop_map(|(a, t, r)| Op::Transfer(a, t, r)),
    ]
}

struct Org {
    members: Vec<Member>,
    protection: bool,
}

impl Org {
    fn standing(&self, i: usize) -> Standing {
        let m = &self.members[i];
        Standing {
            is_owner: m.owner,
            suspended: m.suspended,
            is_creator: m.creator,
        }
    }

    /// Active admins and owners, counting `target` as the server does.
    fn counts(&self, target: usize) -> (u64, u64) {
        let counted = |j: usize| !self.members[j].suspended || j == target;
        let admins = (0..self.members.len())
            .filter(|&j| counted(j) && CATALOG.is_admin(self.members[j].role))
            .count() as u64;
        let owners = (0..self.members.len())
            .filter(|&j| counted(j) && self.members[j].owner)
            .count() as u64;
        (admins, owners)
    }

    fn facts(&self, target: usize) -> OrgFacts {
        OrgFacts {
            owner_count: Some(self.counts(target).1),
            creator_protection: self.protection,
        }
    }

    /// Applies `op` when the rule book allows it; answers whether it did.
    fn apply(&mut self, op: &Op) -> bool {
        let (a, t) = match *op {
            Op::Remove(a, t)
            | Op::ChangeRole(a, t, _)
            | Op::Suspend(a, t)
            | Op::Reactivate(a, t)
            | Op::SetOwner(a, t, _)
            | Op::Transfer(a, t, _) => (a, t),
        };
        if a >= self.members.len() || t >= self.members.len() {
            return false;
        }
        let actor = self.members[a].clone();
        if suspension::check_access(actor.suspended).is_err() {
            return false;
        }
        let target = self.members[t].clone();
        let actor_roles = [actor.role];
        let target_roles = [target.role];
        let who = Actor {
            user_id: &actor.id,
            roles: Some(&actor_roles),
        };
        let aimed = TargetMember {
            user_id: &target.id,
            roles: &target_roles,
        };
        let now = Timestamp::from_millis(0);
        let (admins, _) = self.counts(t);
        let held = CATALOG.permissions(actor.role).unwrap();
        match *op {
            Op::Remove(..) => {
                let action = Action::RemoveMember {
                    target: aimed,
                    admin_count: Some(admins),
                };
                let ok = authorize(&CATALOG, who, action, now).is_ok()
                    && ownership::check_remove(
                        actor.owner,
                        self.standing(t),
                        a == t,
                        self.facts(t),
                    )
                    .is_ok();
                if ok {
                    self.members.remove(t);
                }
                ok
            }
            Op::ChangeRole(_, _, to_admin) => {
                let action = Action::ChangeRole {
                    target: aimed,
                    new_roles: &[role(to_admin)],
                    admin_count: Some(admins),
                };
                let ok = authorize(&CATALOG, who, action, now).is_ok()
                    && ownership::check_change_role(actor.owner, self.standing(t)).is_ok();
                if ok {
                    self.members[t].role = role(to_admin);
                }
                ok
            }
            Op::Suspend(..) => {
                let facts = SuspendFacts {
                    held,
                    actor_is_owner: actor.owner,
                    target: self.standing(t),
                    is_self: a == t,
                    target_is_admin: CATALOG.is_admin(target.role),
                    admin_count: Some(admins),
                    org: self.facts(t),
                };
                let ok = suspension::check_suspend(facts).is_ok();
                if ok {
                    self.members[t].suspended = true;
                }
                ok
            }
            Op::Reactivate(..) => {
                let ok = suspension::check_reactivate(held).is_ok();
                if ok {
                    self.members[t].suspended = false;
                }
                ok
            }
            Op::SetOwner(_, _, make) => {
                let ok = ownership::check_set_owner(
                    actor.owner,
                    self.standing(t),
                    a == t,
                    make,
                    self.facts(t),
                )
                .is_ok();
                if ok {
                    self.members[t].owner = make;
                }
                ok
            }
            Op::Transfer(_, _, keep_admin) => {
                let ok = ownership::check_transfer(
                    &CATALOG,
                    actor.owner,
                    held,
                    self.standing(t),
                    a == t,
                    role(keep_admin),
                )
                .is_ok();
                if ok {
                    self.members[t].owner = true;
                    self.members[t].role = "admin";
                    self.members[a].owner = false;
                    self.members[a].role = role(keep_admin);
                }
                ok
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn owner_and_admin_invariants_hold(
        protection in any::<bool>(),
        roles in proptest::collection::vec((any::<bool>(), any::<bool>()), 5),
        ops in proptest::collection::vec(op(), 1..60),
    ) {
        // The creator owns and administers; five more members with random roles and flags.
        let mut members = vec![Member {
            id: UserId("user_0".into()),
            role: "admin",
            owner: true,
            suspended: false,
            creator: true,
        }];
        for (i, (admin, owner)) in roles.into_iter().enumerate() {
            members.push(Member {
                id: UserId(format!("user_{}", i + 1)),
                role: role(admin),
                owner,
                suspended: false,
                creator: false,
            });
        }
        let mut org = Org { members, protection };
        for op in &ops {
            org.apply(op);
            let active = || org.members.iter().filter(|m| !m.suspended);
            prop_assert!(active().any(|m| m.owner), "no active owner after {op:?}: {:?}", org.members);
            prop_assert!(
                active().any(|m| CATALOG.is_admin(m.role)),
                "no active admin after {op:?}: {:?}", org.members
            );
            if protection {
                // The protected creator stays until they give ownership away.
                let creator = org.members.iter().find(|m| m.creator);
                if let Some(c) = creator {
                    prop_assert!(!(c.suspended && c.owner), "protected creator suspended");
                }
            }
        }
    }
}
