//! `OrgRole`: one role of an organization, built-in or custom.

use crate::organization::Organization;
use js_sys::Promise;
use orgkit_core::wire::RoleInfo;
use wasm_bindgen::prelude::*;

use super::*;

/// A role of an organization: a built-in (`admin`, `basic_member`) or a custom role
/// (`org:<slug>`), with its permissions.
///
/// @example
/// ```js
/// const { data } = await org.getRoles();
/// const billing = data.find((r) => r.key === "org:billing");
/// await billing.update({ permissions: [...billing.permissions, "org:memberships:read"] });
/// ```
#[wasm_bindgen]
pub struct OrgRole {
    pub(super) organization: Organization,
    pub(super) info: RoleInfo,
}

#[wasm_bindgen]
impl OrgRole {
    /// `admin`, `basic_member`, or `org:<slug>`.
    #[wasm_bindgen(getter, unchecked_return_type = "Role")]
    pub fn key(&self) -> String {
        self.info.key.clone()
    }

    /// Its display name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.info.name.clone()
    }

    /// What it is for.
    #[wasm_bindgen(getter)]
    pub fn description(&self) -> String {
        self.info.description.clone()
    }

    /// The permission keys it holds, in catalog order.
    #[wasm_bindgen(getter, unchecked_return_type = "(Permission | AppPermission)[]")]
    pub fn permissions(&self) -> JsValue {
        crate::js::names(&self.info.permissions)
    }

    /// Whether it is `admin` or `basic_member`, which cannot be edited or deleted.
    #[wasm_bindgen(getter, js_name = builtIn)]
    pub fn built_in(&self) -> bool {
        self.info.built_in
    }

    /// Changes its name, description or permissions (the whole new set) (needs
    /// `org:roles:manage`, and every permission it held or will hold). Resolves to the role as
    /// changed.
    #[wasm_bindgen(unchecked_return_type = "Promise<OrgRole>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateOrgRoleParams")] p: JsValue,
    ) -> Promise {
        self.organization
            .role_call(Op::Update(self.info.key.clone(), p))
    }

    /// Deletes it (needs `org:roles:manage`): not a built-in, not while a member holds it or it
    /// is the creator or default role (`role_in_use`).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn destroy(&self) -> Promise {
        self.organization
            .role_call(Op::Delete(self.info.key.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::provisional;
    use orgkit_core::policy::{authorize, Action, Actor};
    use orgkit_core::{ErrorCode, Timestamp, UserId};

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_provisional_catalog_holds_my_permissions_and_leaves_unseen_roles_to_the_server() {
        let mine = strings(&["org:billing"]);
        let held = strings(&["org:billing:read", "org:invoices:create"]);
        let catalog = provisional(&mine, &held, &["org:support", "owner"]);
        assert!(catalog.can(&["org:billing"], "org:invoices:create"));
        assert!(catalog.can(&["org:billing"], "org:billing:read"));
        assert!(!catalog.can(&["org:billing"], "org:billing:manage"));
        let me = UserId("me".into());
        let roles = ["org:billing"];
        let actor = Actor {
            user_id: &me,
            roles: Some(&roles),
        };
        let ask = |action| authorize(&catalog, actor, action, Timestamp(0)).map_err(|e| e.code);
        // Not mine to invite with at all.
        let invite = |role| Action::Invite {
            role,
            already_member: false,
            already_invited: false,
        };
        assert_eq!(ask(invite("org:support")), Err(ErrorCode::Forbidden));
        let admin_roles = ["admin"];
        let admin = Actor {
            user_id: &me,
            roles: Some(&admin_roles),
        };
        let as_admin =
            |action| authorize(&catalog, admin, action, Timestamp(0)).map_err(|e| e.code);
        // An unseen custom role goes to the server; a key that names no role is refused.
        assert_eq!(as_admin(invite("org:support")), Ok(()));
        assert_eq!(as_admin(invite("owner")), Err(ErrorCode::UnknownRole));
    }
}
