//! The role methods of `Organization` that JavaScript calls.

use crate::js::param;
use crate::organization::Organization;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::*;

#[wasm_bindgen]
impl Organization {
    /// The organization's roles (built-ins first, then the custom ones in creation order), the
    /// permission catalog a role may hold (system and app keys) and the creator and default
    /// roles, for any member. Always asks the server, and keeps the answer as the catalog the
    /// SDK's local checks judge with.
    ///
    /// @example
    /// ```js
    /// const { data: roles, permissions } = await org.getRoles();
    /// ```
    #[wasm_bindgen(js_name = getRoles, unchecked_return_type = "Promise<RoleCatalog>")]
    pub fn get_roles(&self) -> Promise {
        self.role_call(Op::List)
    }

    /// Creates a custom role (needs `org:roles:manage`): `key` is `org:<slug>`, `permissions`
    /// keys of the catalog, none of them beyond mine (`permission_escalation`, with
    /// `missingPermissions`); at most 20 custom roles.
    ///
    /// @example
    /// ```js
    /// const role = await org.createRole({
    ///   key: "org:billing", name: "Billing manager",
    ///   permissions: ["org:billing:read", "org:billing:manage", "org:memberships:read"],
    /// });
    /// ```
    #[wasm_bindgen(js_name = createRole, unchecked_return_type = "Promise<OrgRole>")]
    pub fn create_role(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateRoleParams")] p: JsValue,
    ) -> Promise {
        self.role_call(Op::Create(p))
    }

    /// Sets the creator role (given to a new owner; it must hold memberships manage and read,
    /// and delete) and the default role (of invitations, links, domains and SSO) (needs
    /// `org:roles:manage`). Resolves to the catalog, as `getRoles`.
    #[wasm_bindgen(js_name = updateRoleSettings, unchecked_return_type = "Promise<RoleCatalog>")]
    pub fn update_role_settings(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateRoleSettingsParams")] p: JsValue,
    ) -> Promise {
        self.role_call(Op::Settings(p))
    }

    /// Gives a member a set of roles, the first primary (needs `org:memberships:manage`, and
    /// every permission added or taken away). An organization always keeps an admin.
    #[wasm_bindgen(js_name = updateMember, unchecked_return_type = "Promise<OrganizationMembership>")]
    pub fn update_member(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateMemberParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "updateMember needs { userId, roles } (or { userId, role }).";
        match param(&p, "userId", USAGE).and_then(|id| Ok((id, role_params(&p, USAGE)?))) {
            Ok((user_id, (roles, as_list))) => self.update_roles_of(user_id, roles, as_list),
            Err(refusal) => Promise::reject(&refusal),
        }
    }
}
