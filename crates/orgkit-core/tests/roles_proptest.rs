//! Property test of the rule book's roles: random sequences of role grants, role edits, role
//! deletions, additions and removals by random actors, each applied only when
//! `authorize` allows it with the facts a server would read. None may leave the organization
//! without an admin, or let an actor grant a permission they did not hold.
#![cfg(not(target_arch = "wasm32"))]

use orgkit_core::custom_role::MAX_CUSTOM_ROLES;
use orgkit_core::policy::{Action, Actor, RoleUsage, TargetMember};
use orgkit_core::role::RoleDefinition;
use orgkit_core::{authorize, Permission, PermissionCatalog, PermissionSet, RoleCatalog};
use orgkit_core::{Timestamp, UserId};
use proptest::prelude::*;

const APP: [&str; 3] = [
    "org:invoices:create",
    "org:invoices:read",
    "org:reports:read",
];

/// One step, by the member at `actor` (modulo the members there are).
#[derive(Debug, Clone)]
enum Op {
    /// Give the member at `target` the roles at these catalog indexes.
    SetRoles {
        actor: usize,
        target: usize,
        roles: Vec<usize>,
    },
    Remove {
        actor: usize,
        target: usize,
    },
    /// Add a new member with the role at this catalog index.
    Add {
        actor: usize,
        role: usize,
    },
    CreateRole {
        actor: usize,
        perms: (u32, u8),
    },
    EditRole {
        actor: usize,
        role: usize,
        perms: (u32, u8),
    },
    DeleteRole {
        actor: usize,
        role: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let perms = (any::<u32>(), any::<u8>());
    prop_oneof![
        (
            any::<usize>(),
            any::<usize>(),
            prop::collection::vec(any::<usize>(), 0..4)
        )
            .prop_map(|(actor, target, roles)| Op::SetRoles {
                actor,
                target,
                roles
            }),
        (any::<usize>(), any::<usize>()).prop_map(|(actor, target)| Op::Remove { actor, target }),
        (any::<usize>(), any::<usize>()).prop_map(|(actor, role)| Op::Add { actor, role }),
        (any::<usize>(), perms).prop_map(|(actor, perms)| Op::CreateRole { actor, perms }),
        (any::<usize>(), any::<usize>(), perms).prop_map(|(actor, role, perms)| Op::EditRole {
            actor,
            role,
            perms
        }),
        (any::<usize>(), any::<usize>()).prop_map(|(actor, role)| Op::DeleteRole { actor, role }),
    ]
}

/// A random permission set: system permissions from the low bits, app ones from `app`.
fn set_of((system, app): (u32, u8)) -> PermissionSet {
    let mut set: PermissionSet = Permission::ALL
        .into_iter()
        .enumerate()
        .filter(|(i, _)| system & (1 << i) != 0)
        .map(|(_, p)| p)
        .collect();
    for i in 0..APP.len() {
        if app & (1 << i) != 0 {
            set = set.union(PermissionSet::app(i));
        }
    }
    set
}

struct Org {
    catalog: RoleCatalog,
    members: Vec<(UserId, Vec<String>)>,
    next_id: usize,
}

impl Org {
    fn new() -> Self {
        let perms = PermissionCatalog::new(&APP).expect("valid");
        Org {
            catalog: RoleCatalog::with_permissions(perms),
            members: vec![(UserId("user_0".into()), vec!["admin".into()])],
            next_id: 1,
        }
    }

    fn admins_in(&self, catalog: &RoleCatalog) -> u64 {
        self.members
            .iter()
            .filter(|(_, roles)| catalog.holds_admin(&refs(roles)))
            .count() as u64
    }

    fn role_key(&self, i: usize) -> String {
        let roles = self.catalog.roles();
        roles[i % roles.len()].key.clone()
    }

    fn held(&self, actor: usize) -> PermissionSet {
        let roles = refs(&self.members[actor].1);
        self.catalog
            .permissions_of(&roles)
            .expect("members hold known roles")
    }

    /// Asks the rule book as the member at `actor`.
    fn allows(&self, actor: usize, action: Action<'_>) -> bool {
        let roles = refs(&self.members[actor].1);
        let who = Actor {
            user_id: &self.members[actor].0,
            roles: Some(&roles),
        };
        authorize(&self.catalog, who, action, Timestamp(0)).is_ok()
    }

    /// Runs one step; answers the permissions it granted and what the actor held, if it ran.
    fn step(&mut self, op: Op) -> Option<(PermissionSet, PermissionSet)> {
        let n = self.members.len();
        let admins = self.admins_in(&self.catalog);
        match op {
            Op::SetRoles {
                actor,
                target,
                roles,
            } => {
                let (actor, target) = (actor % n, target % n);
                let new: Vec<String> = roles.iter().map(|r| self.role_key(*r)).collect();
                let old = self.members[target].1.clone();
                let (old_refs, new_refs) = (refs(&old), refs(&new));
                let action = Action::ChangeRole {
                    target: TargetMember {
                        user_id: &self.members[target].0,
                        roles: &old_refs,
                    },
                    new_roles: &new_refs,
                    admin_count: Some(admins),
                };
                if !self.allows(actor, action) {
                    return None;
                }
                let granted = orgkit_core::custom_role::changed_permissions(
                    &self.catalog,
                    &old_refs,
                    &new_refs,
                );
                let held = self.held(actor);
                self.members[target].1 = new;
                Some((granted, held))
            }
            Op::Remove { actor, target } => {
                let (actor, target) = (actor % n, target % n);
                let roles = refs(&self.members[target].1);
                let action = Action::RemoveMember {
                    target: TargetMember {
                        user_id: &self.members[target].0,
                        roles: &roles,
                    },
                    admin_count: Some(admins),
                };
                if !self.allows(actor, action) {
                    return None;
                }
                self.members.remove(target);
                Some((PermissionSet::EMPTY, PermissionSet::EMPTY))
            }
            Op::Add { actor, role } => {
                let actor = actor % n;
                let role = self.role_key(role);
                let action = Action::AddMember {
                    role: &role,
                    already_member: false,
                };
                if !self.allows(actor, action) {
                    return None;
                }
                let granted = self.catalog.permissions(&role).expect("known");
                let held = self.held(actor);
                self.members
                    .push((UserId(format!("user_{}", self.next_id)), vec![role]));
                self.next_id += 1;
                Some((granted, held))
            }
            Op::CreateRole { actor, perms } => {
                let actor = actor % n;
                let grants = set_of(perms);
                let custom_roles = self.catalog.custom_roles().count();
                let action = Action::CreateRole {
                    grants,
                    custom_roles,
                    key_taken: false,
                };
                if !self.allows(actor, action) {
                    return None;
                }
                let held = self.held(actor);
                let key = format!("org:r{}", self.next_id);
                self.next_id += 1;
                self.catalog = self.catalog.clone().with_custom([RoleDefinition {
                    key,
                    name: "Random".into(),
                    description: String::new(),
                    permissions: grants,
                }]);
                Some((grants, held))
            }
            Op::EditRole { actor, role, perms } => {
                let actor = actor % n;
                let role = self.role_key(role);
                let grants = set_of(perms);
                let edited = self.catalog.with_role_permissions(&role, grants);
                let action = Action::UpdateRole {
                    role: &role,
                    grants,
                    admin_count_after: Some(self.admins_in(&edited)),
                };
                if !self.allows(actor, action) {
                    return None;
                }
                let before = self.catalog.permissions(&role).expect("known");
                let held = self.held(actor);
                self.catalog = edited;
                Some((grants.union(before), held))
            }
            Op::DeleteRole { actor, role } => {
                let actor = actor % n;
                let role = self.role_key(role);
                let members = self
                    .members
                    .iter()
                    .filter(|(_, roles)| roles.contains(&role))
                    .count() as u64;
                let usage = RoleUsage {
                    members,
                    creator_role: role == "admin",
                    default_role: role == "basic_member",
                    grants: 0,
                };
                let action = Action::DeleteRole { role: &role, usage };
                if !self.allows(actor, action) {
                    return None;
                }
                let held = self.held(actor);
                self.catalog = self.catalog.without(&role);
                Some((PermissionSet::EMPTY, held))
            }
        }
    }
}

fn refs(roles: &[String]) -> Vec<&str> {
    roles.iter().map(String::as_str).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn roles_keep_an_admin_and_never_escalate(ops in prop::collection::vec(op(), 1..60)) {
        let mut org = Org::new();
        for op in ops {
            let shown = format!("{op:?}");
            if let Some((granted, held)) = org.step(op) {
                prop_assert!(
                    held.is_superset_of(granted),
                    "{shown} granted {:?} beyond {:?}",
                    org.catalog.names(granted.minus(held)),
                    org.catalog.names(held)
                );
            }
            prop_assert!(org.admins_in(&org.catalog) >= 1, "{shown} left no admin");
            prop_assert!(org.catalog.custom_roles().count() <= MAX_CUSTOM_ROLES);
            for (_, roles) in &org.members {
                prop_assert!(org.catalog.permissions_of(&refs(roles)).is_ok(), "{shown}: a member holds a deleted role");
            }
        }
    }
}
