//! An organization's roles: its role catalog (fetched once per organization and kept in the
//! `Client`), the catalog the rule book judges with, custom roles (`OrgRole`), the role
//! settings, and giving a member several roles.

mod catalog;
mod exports;
mod role;

pub(crate) use catalog::*;
pub use role::OrgRole;

use super::Organization;
use crate::checks::{check_member_action, refs, Me};
use crate::context::KnownRoles;
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::{object, optional_param, param, params, segment, string_list};
use crate::membership::OrganizationMembership;
use crate::send::Then;
use js_sys::{Array, Promise};
use orgkit_core::custom_role::{check_role_key, check_role_text};
use orgkit_core::policy::{Action, RoleUsage};
use orgkit_core::role::is_built_in;
use orgkit_core::wire::{RoleCatalogBody, RoleInfo};
use orgkit_core::{Permission, PermissionSet, RoleCatalog};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

impl Organization {
    /// The organization's role catalog, once fetched.
    pub(crate) fn known(&self) -> Option<Rc<KnownRoles>> {
        let id = &self.state.data.borrow().id;
        self.client()
            .roles
            .borrow()
            .iter()
            .find(|(org, _)| org == id)
            .map(|(_, known)| known.clone())
    }

    /// The catalog the rule book judges with: the organization's, once known, so local checks
    /// are exact with custom roles; before, the provisional one (see [`provisional`]).
    pub(crate) fn judge(&self, named: &[&str]) -> RoleCatalog {
        match self.known() {
            Some(known) => known.catalog.clone(),
            None => {
                let data = self.state.data.borrow();
                provisional(&data.roles, &data.permissions, named)
            }
        }
    }

    /// My permissions, over the catalog I am judged with.
    pub(crate) fn held(&self) -> PermissionSet {
        let catalog = self.judge(&[]);
        let data = self.state.data.borrow();
        catalog
            .permissions_of(&refs(&data.roles))
            .unwrap_or(PermissionSet::EMPTY)
    }

    /// Forgets the kept catalog when it no longer gives my roles the permissions the server
    /// just sent (another admin changed a role I hold): it is fetched again when next needed.
    pub(crate) fn check_fresh(&self) {
        let Some(known) = self.known() else {
            return;
        };
        let data = self.state.data.borrow();
        let sent = &data.permissions;
        // The same keys, in any order (no sort: it would weigh 1.5 KB in the bundle).
        let fresh = known
            .catalog
            .permissions_of(&refs(&data.roles))
            .is_ok_and(|held| {
                let mine = known.catalog.names(held);
                mine.len() == sent.len() && mine.iter().all(|p| sent.contains(p))
            });
        if !fresh {
            let id = data.id.clone();
            self.client()
                .roles
                .borrow_mut()
                .retain(|(org, _)| *org != id);
        }
    }

    /// Keeps `body` as the organization's catalog for every object of this client, and my
    /// permissions in step with it (a role I hold may have changed).
    fn remember(&self, body: RoleCatalogBody) -> Result<Rc<KnownRoles>, JsValue> {
        let catalog = body.to_catalog().map_err(local)?;
        let known = Rc::new(KnownRoles { body, catalog });
        let id = self.state.data.borrow().id.clone();
        let mut all = self.client().roles.borrow_mut();
        all.retain(|(org, _)| *org != id);
        all.push((id, known.clone()));
        drop(all);
        let mut data = self.state.data.borrow_mut();
        if let Ok(held) = known.catalog.permissions_of(&refs(&data.roles)) {
            data.permissions = known.catalog.names(held);
        }
        Ok(known)
    }

    /// `{ data: OrgRole[], permissions, creatorRole, defaultRole }` of `known`.
    fn catalog_object(&self, known: &KnownRoles) -> JsValue {
        let roles: Array = known
            .body
            .data
            .iter()
            .map(|info| JsValue::from(self.org_role(info.clone())))
            .collect();
        let permissions: Array = known.body.permissions.iter().map(JsValue::from).collect();
        object(&[
            ("data", roles.into()),
            ("permissions", permissions.into()),
            ("creatorRole", known.body.creator_role.as_str().into()),
            ("defaultRole", known.body.default_role.as_str().into()),
        ])
    }

    fn org_role(&self, info: RoleInfo) -> OrgRole {
        OrgRole {
            organization: self.clone(),
            info,
        }
    }

    fn roles_path(&self, key: &str) -> String {
        self.path("/roles/") + &segment(key)
    }

    /// The permissions of `keys` in `catalog`, or `unknown_permission`.
    fn grants(catalog: &RoleCatalog, keys: &[String]) -> Result<PermissionSet, JsValue> {
        catalog.permission_catalog().parse_all(keys).map_err(local)
    }

    /// Whether `op` needs the catalog fetched first: every role change does; a member's roles
    /// only when a custom role is involved and the catalog is not known yet.
    fn needs_catalog(&self, op: &Op) -> bool {
        match op {
            Op::List => false,
            Op::Members(user_id, roles, _) => {
                let roster = self.state.roster.borrow();
                let target = roster.roles_of(user_id);
                self.known().is_none()
                    && roles
                        .iter()
                        .map(String::as_str)
                        .chain(target.into_iter().flatten())
                        .any(|r| !is_built_in(r))
            }
            _ => true,
        }
    }

    /// The local checks of `op` (with the catalog, once `needs_catalog` fetched it), and its
    /// request.
    fn check_role_op(&self, op: &Op) -> super::Checked {
        if let Op::Members(user_id, roles, as_list) = op {
            self.check_roles_of(user_id, roles)?;
            let body = if *as_list {
                let list: Array = roles.iter().map(JsValue::from).collect();
                object(&[("roles", list.into())])
            } else {
                object(&[("role", roles[0].as_str().into())])
            };
            return Ok((
                Method::Patch,
                self.path("/memberships/") + &segment(user_id),
                Some(body),
            ));
        }
        let Some(known) = self.known() else {
            return Ok((Method::Get, self.path("/roles"), None));
        };
        let catalog = &known.catalog;
        match op {
            Op::List | Op::Members(..) => Ok((Method::Get, self.path("/roles"), None)),
            Op::Create(p) => {
                params(p, CREATE_USAGE)?;
                let key = param(p, "key", CREATE_USAGE)?;
                let name = param(p, "name", CREATE_USAGE)?;
                let description = optional_param(p, "description", CREATE_USAGE)?;
                let permissions = string_list(p, "permissions", CREATE_USAGE)?
                    .ok_or_else(|| invalid_input(CREATE_USAGE))?;
                check_role_key(&key).map_err(local)?;
                let (name, description) =
                    check_role_text(&name, description.as_deref().unwrap_or("")).map_err(local)?;
                let grants = Self::grants(catalog, &permissions)?;
                self.authorize(Action::CreateRole {
                    grants,
                    custom_roles: catalog.custom_roles().count(),
                    key_taken: catalog.get(&key).is_some(),
                })?;
                let list: Array = permissions.iter().map(JsValue::from).collect();
                let body = object(&[
                    ("key", key.as_str().into()),
                    ("name", name.into()),
                    ("description", description.into()),
                    ("permissions", list.into()),
                ]);
                Ok((Method::Post, self.path("/roles"), Some(body)))
            }
            Op::Update(key, p) => {
                params(p, UPDATE_USAGE)?;
                let name = optional_param(p, "name", UPDATE_USAGE)?;
                let description = optional_param(p, "description", UPDATE_USAGE)?;
                let permissions = string_list(p, "permissions", UPDATE_USAGE)?;
                // In the server's order: the role, its text, its permissions, then the rules.
                let current = existing(catalog, key)?;
                check_role_text(
                    name.as_deref().unwrap_or(&current.name),
                    description.as_deref().unwrap_or(&current.description),
                )
                .map_err(local)?;
                let grants = match &permissions {
                    Some(keys) => Self::grants(catalog, keys)?,
                    None => current.permissions,
                };
                let admin_count_after = if grants == current.permissions {
                    None
                } else {
                    let edited = catalog.with_role_permissions(key, grants);
                    self.state.roster.borrow().admin_count(&edited)
                };
                self.authorize(Action::UpdateRole {
                    role: key,
                    grants,
                    admin_count_after,
                })?;
                let list = permissions.map_or(JsValue::UNDEFINED, |keys| {
                    keys.iter().map(JsValue::from).collect::<Array>().into()
                });
                let optional = |v: Option<String>| v.map_or(JsValue::UNDEFINED, JsValue::from);
                let body = object(&[
                    ("name", optional(name)),
                    ("description", optional(description)),
                    ("permissions", list),
                ]);
                Ok((Method::Patch, self.roles_path(key), Some(body)))
            }
            Op::Delete(key) => {
                existing(catalog, key)?;
                self.authorize(Action::DeleteRole {
                    role: key,
                    usage: RoleUsage {
                        // Holders seen on the member pages; the server counts the rest.
                        members: self.state.roster.borrow().holders_of(key).unwrap_or(0),
                        creator_role: known.body.creator_role == *key,
                        default_role: known.body.default_role == *key,
                        // Invitations, requests, links and SSO connections giving it are the
                        // server's to count.
                        ..RoleUsage::default()
                    },
                })?;
                Ok((Method::Delete, self.roles_path(key), None))
            }
            Op::Settings(p) => {
                params(p, SETTINGS_USAGE)?;
                let creator = optional_param(p, "creatorRole", SETTINGS_USAGE)?;
                let default = optional_param(p, "defaultRole", SETTINGS_USAGE)?;
                self.authorize(Action::SetRoleSettings {
                    creator_role: creator.as_deref(),
                    default_role: default.as_deref(),
                })?;
                let optional = |v: Option<String>| v.map_or(JsValue::UNDEFINED, JsValue::from);
                let body = object(&[
                    ("creatorRole", optional(creator)),
                    ("defaultRole", optional(default)),
                ]);
                Ok((Method::Put, self.path("/role-settings"), Some(body)))
            }
        }
    }

    /// Notes the server's answer to `op` in the catalog (or the roster), and what the method
    /// resolves to.
    fn apply_role_op(&self, op: &Op, answer: &JsValue) -> Result<JsValue, JsValue> {
        let mut body = match (op, self.known()) {
            (Op::Members(user_id, ..), _) => {
                let membership = OrganizationMembership::new(self.clone(), answer);
                let granted = membership.role_list();
                let member = membership.user_id();
                self.state
                    .roster
                    .borrow_mut()
                    .set_roles(&member, granted.clone());
                if self.is_me(user_id) || self.is_me(&member) {
                    self.set_my_roles(granted);
                }
                return Ok(membership.into());
            }
            (Op::Create(_) | Op::Update(..) | Op::Delete(_), Some(known)) => known.body.clone(),
            _ => {
                let known = self.remember(read_body(answer))?;
                return Ok(self.catalog_object(&known));
            }
        };
        let out = match op {
            Op::Create(_) => {
                let info = read_info(answer);
                body.data.push(info.clone());
                self.org_role(info).into()
            }
            Op::Update(key, _) => {
                let info = read_info(answer);
                for slot in body.data.iter_mut().filter(|r| r.key == *key) {
                    *slot = info.clone();
                }
                self.org_role(info).into()
            }
            Op::Delete(key) => {
                body.data.retain(|r| r.key != *key);
                JsValue::UNDEFINED
            }
            _ => JsValue::UNDEFINED,
        };
        self.remember(body)?;
        Ok(out)
    }

    /// Runs a role method: the catalog first when it needs it (fetched once), then the local
    /// checks, one request, and the answer noted in the catalog or the roster. Every role
    /// method (`getRoles`, `createRole`, `updateRoleSettings`, `OrgRole.update`/`destroy`,
    /// `org.updateRole`, `org.updateMember`, `membership.update`) goes through `send.rs`: the
    /// catalog's answer resolves to the Promise of the method's own request, which JS adopts.
    fn role_call(&self, op: Op) -> Promise {
        if let Err(refused) = check_shape(&op) {
            return Promise::reject(&refused);
        }
        if !(self.needs_catalog(&op) && self.known().is_none()) {
            return self.role_step(op);
        }
        let org = self.clone();
        let then = Then::Map(Box::new(move |answer| {
            org.remember(read_body(&answer))?;
            Ok(org.role_step(op).into())
        }));
        crate::send::send(
            self.client_rc(),
            Ok((Method::Get, self.path("/roles"), None)),
            then,
        )
    }

    /// The local checks of `op` over the known catalog, its request, and its answer noted.
    fn role_step(&self, op: Op) -> Promise {
        let request = self.check_role_op(&op);
        let org = self.clone();
        let then = Then::Map(Box::new(move |answer| org.apply_role_op(&op, &answer)));
        crate::send::send(self.client_rc(), request, then)
    }

    /// Gives `user_id` the roles `roles` (sent as `{ role }` unless `as_list`), after the
    /// local check over the catalog (fetched first when a custom role is involved and not
    /// known yet); notes it in the roster, and in my roles when it is me.
    pub(crate) fn update_roles_of(
        &self,
        user_id: String,
        roles: Vec<String>,
        as_list: bool,
    ) -> Promise {
        self.role_call(Op::Members(user_id, roles, as_list))
    }

    /// The local check of giving `user_id` the roles `roles`.
    fn check_roles_of(&self, user_id: &str, roles: &[String]) -> Result<(), JsValue> {
        let new_roles = refs(roles);
        let catalog = self.judge(&new_roles);
        let my_id = self.client().me.borrow().clone();
        let mine = self.state.data.borrow().roles.clone();
        let my_roles = refs(&mine);
        let me = Me {
            id: my_id.as_deref(),
            roles: &my_roles,
            manages_members: catalog
                .permissions_of(&my_roles)
                .is_ok_and(|p| p.contains(Permission::MembershipsManage)),
        };
        let roster = self.state.roster.borrow();
        check_member_action(me, &roster, &catalog, user_id, Some(&new_roles), |action| {
            self.authorize(action)
        })
    }

    /// Notes my new roles, and my permissions when the catalog tells them.
    fn set_my_roles(&self, roles: Vec<String>) {
        let known = self.known();
        let mut data = self.state.data.borrow_mut();
        data.role = roles.first().cloned().unwrap_or_default();
        if let Some(known) = known {
            if let Ok(held) = known.catalog.permissions_of(&refs(&roles)) {
                data.permissions = known.catalog.names(held);
            }
        }
        data.roles = roles;
    }
}
