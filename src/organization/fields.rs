//! What an `Organization` shows JavaScript: its fields and my roles and permissions in it.

use super::*;

#[wasm_bindgen]
impl Organization {
    /// The organization's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.state.data.borrow().id.clone()
    }

    /// Its display name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.state.data.borrow().name.clone()
    }

    /// Its URL slug.
    #[wasm_bindgen(getter)]
    pub fn slug(&self) -> String {
        self.state.data.borrow().slug.clone()
    }

    /// When it was created.
    #[wasm_bindgen(getter, js_name = createdAt)]
    pub fn created_at(&self) -> js_sys::Date {
        date(self.state.data.borrow().created_at)
    }

    /// My primary role in it: the first of `roles`.
    #[wasm_bindgen(getter, unchecked_return_type = "Role")]
    pub fn role(&self) -> String {
        self.state.data.borrow().role.clone()
    }

    /// Every role I hold in it, the primary one first; my permissions are their union.
    #[wasm_bindgen(getter, unchecked_return_type = "Role[]")]
    pub fn roles(&self) -> JsValue {
        crate::js::names(&self.state.data.borrow().roles)
    }

    /// The permissions my roles grant together, system and app ones.
    #[wasm_bindgen(getter, unchecked_return_type = "(Permission | AppPermission)[]")]
    pub fn permissions(&self) -> JsValue {
        crate::js::names(&self.state.data.borrow().permissions)
    }

    /// Whether my roles grant `permission`, such as `"org:memberships:manage"` or an app
    /// permission such as `"org:invoices:create"`: the rule book's `can` over the
    /// organization's role catalog once it is known, my `permissions` before. Local: no request.
    pub fn can(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Permission | AppPermission")] permission: &str,
    ) -> bool {
        let data = self.state.data.borrow();
        match self.known() {
            Some(known) => known.catalog.can(&refs(&data.roles), permission),
            // The server lists only catalog keys, system or app ones (`--app-permission`).
            None => data.permissions.iter().any(|q| q == permission),
        }
    }

    /// Whether I may give `role` to someone (a member, an invitation, an invite link or a
    /// service account): the rule book's escalation guard, over the organization's role
    /// catalog once it is known: the role grants no permission my roles lack. `false` for a
    /// role the catalog does not name. Local: no request.
    #[wasm_bindgen(js_name = canGrant)]
    pub fn can_grant(&self, role: &str) -> bool {
        let catalog = self.judge(&[role]);
        catalog
            .permissions_of(&[role])
            .is_ok_and(|granted| orgkit_core::policy::no_escalation(self.held(), granted).is_ok())
    }

    /// Whether signed-in people may ask to join (`kit.requestToJoin`).
    #[wasm_bindgen(getter, js_name = allowJoinRequests)]
    pub fn allow_join_requests(&self) -> bool {
        self.state.data.borrow().allow_join_requests
    }

    /// Whether members at the organization's SSO domains must sign in through SSO.
    #[wasm_bindgen(getter, js_name = requireSso)]
    pub fn require_sso(&self) -> bool {
        self.state.data.borrow().require_sso
    }

    /// The SSO join link, `{server}/sso/{slug}`: it starts SSO for this organization.
    #[wasm_bindgen(getter, js_name = ssoJoinUrl)]
    pub fn sso_join_url(&self) -> String {
        self.state.data.borrow().sso_join_url.clone()
    }

    /// The most members it may have; 0 is unlimited.
    #[wasm_bindgen(getter, js_name = maxAllowedMemberships)]
    pub fn max_allowed_memberships(&self) -> f64 {
        self.state.data.borrow().max_allowed_memberships
    }

    /// Whether it has a logo.
    #[wasm_bindgen(getter, js_name = hasImage)]
    pub fn has_image(&self) -> bool {
        self.state.data.borrow().has_image
    }

    /// The logo's URL, when it has one (members only; served with an `ETag`). Each logo has its
    /// own: the URL changes when the logo does.
    #[wasm_bindgen(getter, js_name = imageUrl)]
    pub fn image_url(&self) -> Option<String> {
        self.state.data.borrow().image_url.clone()
    }

    /// Who may create API keys here (`nobody`, `admins` or `members`), as the server last said;
    /// `null` when it did not.
    #[wasm_bindgen(getter, js_name = apiKeyPolicy, unchecked_return_type = "ApiKeyPolicy | null")]
    pub fn api_key_policy(&self) -> JsValue {
        self.state
            .data
            .borrow()
            .api_key_policy
            .map_or(JsValue::NULL, |p| p.as_str().into())
    }
}
