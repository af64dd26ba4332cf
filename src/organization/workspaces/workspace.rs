//! `Workspace`, the organization's workspace methods and `OrgKit.getMyWorkspaces`.

use super::{check_id, principal_of, principal_path, resource_call, role_body, Kind};
use crate::client::OrgKit;
use crate::context::Client;
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::{object, optional_param, param, params, segment, string, text};
use crate::organization::webhooks::page_query;
use crate::organization::{Checked, Organization};
use js_sys::Promise;
use orgkit_core::workspace::{
    check_create, check_name, decide, AccessVia, PrincipalKind, WorkspaceAccess, WorkspaceAction,
    WorkspaceRole, WorkspaceState,
};
use orgkit_core::{validate, OrganizationId, UserId, WorkspaceGrantId, WorkspaceId};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A workspace of an organization, with my effective role in it (`myRole`, `myAccessVia`).
/// Its fields (`id`, `organizationId`, `name`, `slug`, `personal`, `archived`, `createdAt`,
/// `myRole`, `myAccessVia`) are own properties, as the server answered them.
///
/// @example
/// ```js
/// const ws = await org.createWorkspace({ name: "Payments" });
/// await ws.addGroup({ groupId: group.id, role: "ws:member" });
/// ```
#[wasm_bindgen]
pub struct Workspace {
    pub(super) client: Rc<Client>,
    pub(super) data: JsValue,
}

/// Checks a workspace's name and slug when given: the rule book's bounds.
fn check_text(name: Option<&str>, slug: Option<&str>) -> Result<(), JsValue> {
    if let Some(name) = name {
        check_name(name).map_err(local)?;
    }
    if let Some(slug) = slug {
        validate::slug(slug).map_err(local)?;
    }
    Ok(())
}

impl Workspace {
    /// `/v1/organizations/{org}/workspaces/{id}{rest}`.
    fn path(&self, rest: &str) -> String {
        "/v1/organizations/".to_owned()
            + &segment(&text(&self.data, "organizationId"))
            + "/workspaces/"
            + &segment(&text(&self.data, "id"))
            + rest
    }

    /// Asks the rule book whether my role here allows `action` (the workspace knows my role,
    /// whether it is personal and whether it is archived); answers the request.
    fn checked(
        &self,
        action: WorkspaceAction,
        method: Method,
        rest: &str,
        body: Option<JsValue>,
    ) -> Checked {
        let role = WorkspaceRole::parse(&text(&self.data, "myRole"));
        // `decide` reads the role only; where it comes from does not matter to it.
        let access = role.map(|role| WorkspaceAccess {
            role,
            via: AccessVia::Direct,
        });
        let state = WorkspaceState {
            personal: crate::js::field(&self.data, "personal").is_truthy(),
            archived: crate::js::field(&self.data, "archived").is_truthy(),
        };
        decide(action, access, state).map_err(local)?;
        Ok((method, self.path(rest), body))
    }

    fn call(&self, checked: Checked, kind: Kind) -> Promise {
        resource_call(self.client.clone(), None, checked, kind)
    }

    /// Grants the principal named by `key` in `p` the role `p.role`.
    fn grant(&self, p: &JsValue, key: &str, kind: PrincipalKind, usage: &'static str) -> Promise {
        let checked = principal_of(p, &[(key, kind)], usage).and_then(|(kind, id)| {
            let role = param(p, "role", usage)?;
            WorkspaceRole::parse(&role)
                .ok_or_else(|| invalid_input("The role must be ws:member or ws:manager."))?;
            let rest = "/principals".to_owned() + &principal_path(kind, &id);
            self.checked(WorkspaceAction::Grant, Method::Put, &rest, role_body(&role))
        });
        self.call(checked, Kind::Plain)
    }
}

#[wasm_bindgen]
impl Workspace {
    /// Renames it or changes its slug (its managers).
    #[wasm_bindgen(unchecked_return_type = "Promise<Workspace>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateWorkspaceParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "update takes { name?, slug? }.";
        let checked = params(&p, USAGE).and_then(|()| {
            let name = optional_param(&p, "name", USAGE)?;
            let slug = optional_param(&p, "slug", USAGE)?;
            check_text(name.as_deref(), slug.as_deref())?;
            let body = object(&[
                ("name", name.map_or(JsValue::UNDEFINED, JsValue::from)),
                ("slug", slug.map_or(JsValue::UNDEFINED, JsValue::from)),
            ]);
            self.checked(WorkspaceAction::Update, Method::Patch, "", Some(body))
        });
        self.call(checked, Kind::Workspace)
    }

    /// Archives it (its managers): its data stays, it takes no new grants, and only managers
    /// still reach it.
    #[wasm_bindgen(unchecked_return_type = "Promise<Workspace>")]
    pub fn archive(&self) -> Promise {
        let checked = self.checked(WorkspaceAction::Archive, Method::Post, "/archive", None);
        self.call(checked, Kind::Workspace)
    }

    /// Restores an archived workspace (its managers).
    #[wasm_bindgen(unchecked_return_type = "Promise<Workspace>")]
    pub fn unarchive(&self) -> Promise {
        let checked = self.checked(WorkspaceAction::Archive, Method::Post, "/unarchive", None);
        self.call(checked, Kind::Workspace)
    }

    /// Grants a member of the organization a role here (its managers; not on a personal or an
    /// archived workspace). Resolves to the grant.
    #[wasm_bindgen(js_name = addMember, unchecked_return_type = "Promise<WorkspaceGrant>")]
    pub fn add_member(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ userId: string; role: WorkspaceRole }")]
        p: JsValue,
    ) -> Promise {
        let usage = "addMember needs { userId, role }.";
        self.grant(&p, "userId", PrincipalKind::User, usage)
    }

    /// Grants a group a role here: each of its members reaches the workspace with it.
    #[wasm_bindgen(js_name = addGroup, unchecked_return_type = "Promise<WorkspaceGrant>")]
    pub fn add_group(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ groupId: string; role: WorkspaceRole }")]
        p: JsValue,
    ) -> Promise {
        let usage = "addGroup needs { groupId, role }.";
        self.grant(&p, "groupId", PrincipalKind::Group, usage)
    }

    /// Grants a service account a role here.
    #[wasm_bindgen(js_name = addServiceAccount, unchecked_return_type = "Promise<WorkspaceGrant>")]
    pub fn add_service_account(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ serviceAccountId: string; role: WorkspaceRole }")]
        p: JsValue,
    ) -> Promise {
        let usage = "addServiceAccount needs { serviceAccountId, role }.";
        self.grant(&p, "serviceAccountId", PrincipalKind::ServiceAccount, usage)
    }

    /// Takes a principal's grant away (its managers): `{ type, id }`, as a grant's
    /// `principal` reads.
    #[wasm_bindgen(js_name = removePrincipal, unchecked_return_type = "Promise<void>")]
    pub fn remove_principal(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ type: PrincipalKind; id: string }")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "removePrincipal needs { type, id }.";
        let checked = params(&p, USAGE).and_then(|()| {
            let kind = PrincipalKind::parse(&param(&p, "type", USAGE)?)
                .ok_or_else(|| invalid_input(USAGE))?;
            let id = param(&p, "id", USAGE)?;
            check_id(kind.is_well_formed_id(&id))?;
            let rest = "/principals".to_owned() + &principal_path(kind, &id);
            self.checked(WorkspaceAction::Revoke, Method::Delete, &rest, None)
        });
        self.call(checked, Kind::Plain)
    }

    /// One page of its grants, oldest first (its managers): `{ data, nextCursor }`.
    #[wasm_bindgen(js_name = getMembers, unchecked_return_type = "Promise<WorkspaceGrantsPage>")]
    pub fn get_members(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageParams | void")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "getMembers takes { limit?, after? }.";
        let checked = page_query(&p, USAGE, WorkspaceGrantId::is_well_formed).and_then(|query| {
            let rest = "/principals".to_owned() + &query;
            self.checked(WorkspaceAction::ListPrincipals, Method::Get, &rest, None)
        });
        self.call(checked, Kind::Plain)
    }

    /// A member's effective access here, with where it comes from (its managers, or anyone
    /// about themselves).
    #[wasm_bindgen(js_name = getAccess, unchecked_return_type = "Promise<EffectiveAccess>")]
    pub fn get_access(&self, #[wasm_bindgen(js_name = userId)] user_id: &str) -> Promise {
        let checked = check_id(UserId::is_well_formed(user_id)).and_then(|()| {
            let rest = "/access/".to_owned() + &segment(user_id);
            let me = self.client.me.borrow().clone();
            if me.is_none() || me.as_deref() == Some(user_id) {
                Ok((Method::Get, self.path(&rest), None))
            } else {
                self.checked(WorkspaceAction::ListPrincipals, Method::Get, &rest, None)
            }
        });
        self.call(checked, Kind::Plain)
    }
}

#[wasm_bindgen]
impl Organization {
    /// Creates a shared workspace (needs `org:workspaces:manage`); without a slug, one is
    /// suggested from the name.
    ///
    /// @example
    /// ```js
    /// const ws = await org.createWorkspace({ name: "Payments" });
    /// ```
    #[wasm_bindgen(js_name = createWorkspace, unchecked_return_type = "Promise<Workspace>")]
    pub fn create_workspace(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateWorkspaceParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "createWorkspace needs { name, slug? }.";
        let checked = params(&p, USAGE).and_then(|()| {
            let name = param(&p, "name", USAGE)?;
            let slug = optional_param(&p, "slug", USAGE)?.filter(|s| !s.is_empty());
            check_text(Some(&name), slug.as_deref())?;
            check_create(self.held()).map_err(local)?;
            let body = object(&[
                ("name", name.into()),
                ("slug", slug.map_or(JsValue::UNDEFINED, JsValue::from)),
            ]);
            Ok((Method::Post, self.path("/workspaces"), Some(body)))
        });
        self.resource(checked, Kind::Workspace)
    }

    /// One page of the workspaces I reach (all of them with `org:workspaces:manage`), by id:
    /// `{ data, nextCursor }`.
    #[wasm_bindgen(js_name = getWorkspaces, unchecked_return_type = "Promise<WorkspacesPage>")]
    pub fn get_workspaces(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageParams | void")] p: JsValue,
    ) -> Promise {
        let query = page_query(&p, PAGE_USAGE, WorkspaceId::is_well_formed);
        self.resource(self.list("/workspaces", query), Kind::Workspace)
    }

    /// A workspace I reach, by id (`not_found` otherwise).
    #[wasm_bindgen(js_name = getWorkspace, unchecked_return_type = "Promise<Workspace>")]
    pub fn get_workspace(&self, id: &str) -> Promise {
        let checked = check_id(WorkspaceId::is_well_formed(id))
            .map(|()| (Method::Get, self.path("/workspaces/") + &segment(id), None));
        self.resource(checked, Kind::Workspace)
    }

    /// My personal workspace here, created on first use; I am its manager, and it takes no
    /// grants.
    #[wasm_bindgen(js_name = getPersonalWorkspace, unchecked_return_type = "Promise<Workspace>")]
    pub fn get_personal_workspace(&self) -> Promise {
        let checked = Ok((Method::Post, self.path("/workspaces/personal"), None));
        self.resource(checked, Kind::Workspace)
    }
}

const PAGE_USAGE: &str = "A page takes { limit?, after? }.";

#[wasm_bindgen]
impl OrgKit {
    /// One page of the workspaces I reach in an organization, by id: `{ data, nextCursor }`.
    #[wasm_bindgen(js_name = getMyWorkspaces, unchecked_return_type = "Promise<WorkspacesPage>")]
    pub fn get_my_workspaces(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GetMyWorkspacesParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "getMyWorkspaces needs { organizationId, limit?, after? }.";
        let checked = params(&p, USAGE).and_then(|()| {
            let org = string(&p, "organizationId").ok_or_else(|| invalid_input(USAGE))?;
            check_id(OrganizationId::is_well_formed(&org))?;
            let query = page_query(&p, USAGE, WorkspaceId::is_well_formed)?;
            let path = "/v1/organizations/".to_owned() + &org + "/workspaces" + &query;
            Ok((Method::Get, path, None))
        });
        resource_call(self.client.clone(), None, checked, Kind::Workspace)
    }
}
