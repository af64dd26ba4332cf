//! `OrganizationMembership`: one person's membership in one organization.

use crate::client::Client;
use crate::convert::{date, to_js};
use crate::organization::Organization;
use orgkit_core::wire;
use serde::Deserialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A member of an organization, with their role.
///
/// @example
/// ```js
/// const [first] = await org.getMemberships();
/// await first.update({ role: "admin" });
/// ```
#[wasm_bindgen]
pub struct OrganizationMembership {
    organization: Organization,
    data: wire::Membership,
}

#[derive(Deserialize)]
struct UpdateParams {
    role: String,
}

impl OrganizationMembership {
    pub(crate) fn new(organization: Organization, data: wire::Membership) -> Self {
        OrganizationMembership { organization, data }
    }

    /// A membership whose answer carried its organization (mine, or just accepted).
    pub(crate) fn with_own_organization(
        client: &Rc<Client>,
        mut data: wire::Membership,
    ) -> Option<Self> {
        let organization = Organization::new(client.clone(), data.organization.take()?);
        Some(OrganizationMembership { organization, data })
    }
}

#[wasm_bindgen]
impl OrganizationMembership {
    /// The membership's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.data.id.0.clone()
    }

    /// The member's role.
    #[wasm_bindgen(getter, unchecked_return_type = "Role")]
    pub fn role(&self) -> String {
        self.data.role.0.clone()
    }

    /// The organization.
    #[wasm_bindgen(getter)]
    pub fn organization(&self) -> Organization {
        self.organization.clone()
    }

    /// The member: `{ userId, identifier, name }` (`identifier` is the email address).
    #[wasm_bindgen(getter, js_name = publicUserData, unchecked_return_type = "PublicUserData")]
    pub fn public_user_data(&self) -> JsValue {
        to_js(&self.data.public_user_data)
    }

    /// When they joined.
    #[wasm_bindgen(getter, js_name = createdAt)]
    pub fn created_at(&self) -> js_sys::Date {
        date(self.data.created_at)
    }

    /// Gives this member another role (admins).
    pub async fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ role: Role }")] params: JsValue,
    ) -> Result<OrganizationMembership, JsValue> {
        let params: UpdateParams = crate::convert::from_js(params, "update needs { role }.")?;
        self.organization
            .update_role_of(self.data.public_user_data.user_id.as_str(), &params.role)
            .await
    }

    /// Removes this member (admins), or leaves when it is my own membership.
    pub async fn destroy(&self) -> Result<(), JsValue> {
        self.organization
            .remove(self.data.public_user_data.user_id.as_str())
            .await
    }
}
