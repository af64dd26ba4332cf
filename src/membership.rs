//! `OrganizationMembership`: one person's membership in one organization.

use crate::checks::refs;
use crate::context::Client;
use crate::js::{date, field, number, object, text};
use crate::organization::Organization;
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
    id: String,
    role: String,
    roles: Vec<String>,
    user_id: String,
    identifier: String,
    name: String,
    created_at: f64,
    source: Option<String>,
    is_owner: bool,
    suspended: bool,
}

impl OrganizationMembership {
    /// A membership of `organization`, read from a server answer.
    pub(crate) fn new(organization: Organization, data: &JsValue) -> Self {
        let user = field(data, "publicUserData");
        let role = text(data, "role");
        OrganizationMembership {
            organization,
            id: text(data, "id"),
            roles: crate::organization::role_list(data, &role),
            role,
            user_id: text(&user, "userId"),
            identifier: text(&user, "identifier"),
            name: text(&user, "name"),
            created_at: number(data, "createdAt"),
            source: field(data, "source").as_string(),
            is_owner: field(data, "isOwner").is_truthy(),
            suspended: field(data, "suspended").is_truthy(),
        }
    }

    /// A membership whose answer carried its organization (mine, or just accepted).
    pub(crate) fn with_own_organization(client: &Rc<Client>, data: JsValue) -> Self {
        let organization = Organization::new(client.clone(), &field(&data, "organization"));
        OrganizationMembership::new(organization, &data)
    }

    /// The member's user id.
    pub(crate) fn user_id(&self) -> String {
        self.user_id.clone()
    }

    /// The member's roles, the primary one first.
    pub(crate) fn role_list(&self) -> Vec<String> {
        self.roles.clone()
    }

    fn set_suspended(&self, suspend: bool) -> js_sys::Promise {
        let target = orgkit_core::ownership::Standing {
            is_owner: self.is_owner,
            suspended: self.suspended,
            is_creator: false,
        };
        self.organization
            .set_suspended(&self.user_id, &refs(&self.roles), target, suspend)
    }
}

#[wasm_bindgen]
impl OrganizationMembership {
    /// The membership's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.id.clone()
    }

    /// The member's primary role: the first of `roles`.
    #[wasm_bindgen(getter, unchecked_return_type = "Role")]
    pub fn role(&self) -> String {
        self.role.clone()
    }

    /// Every role the member holds, the primary one first; their permissions are the union.
    #[wasm_bindgen(getter, unchecked_return_type = "Role[]")]
    pub fn roles(&self) -> JsValue {
        crate::js::names(&self.roles)
    }

    /// The organization.
    #[wasm_bindgen(getter)]
    pub fn organization(&self) -> Organization {
        self.organization.clone()
    }

    /// The member: `{ userId, identifier, name }` (`identifier` is the email address).
    #[wasm_bindgen(getter, js_name = publicUserData, unchecked_return_type = "PublicUserData")]
    pub fn public_user_data(&self) -> JsValue {
        object(&[
            ("userId", self.user_id.clone().into()),
            ("identifier", self.identifier.clone().into()),
            ("name", self.name.clone().into()),
        ])
    }

    /// When they joined.
    #[wasm_bindgen(getter, js_name = createdAt)]
    pub fn created_at(&self) -> js_sys::Date {
        date(self.created_at)
    }

    /// How the membership began: `"sso"` for a member added at SSO sign-in, who is added
    /// again at their next SSO sign-in after a removal; `null` otherwise.
    #[wasm_bindgen(getter, unchecked_return_type = "\"sso\" | null")]
    pub fn source(&self) -> Option<String> {
        self.source.clone()
    }

    /// Gives this member another role, `{ role }`, or a set of roles, `{ roles }` (the first
    /// primary) (needs `org:memberships:manage`, and every permission added or taken away).
    #[wasm_bindgen(unchecked_return_type = "Promise<OrganizationMembership>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateMembershipParams")] p: JsValue,
    ) -> js_sys::Promise {
        match crate::organization::role_params(&p, "update needs { role } or { roles }.") {
            Ok((roles, as_list)) => {
                self.organization
                    .update_roles_of(self.user_id.clone(), roles, as_list)
            }
            Err(refusal) => js_sys::Promise::reject(&refusal),
        }
    }

    /// This member's metadata: `{ publicMetadata, privateMetadata? }` (the public part for
    /// holders of `org:memberships:read` and the member, the private part for holders of
    /// `org:memberships:manage`).
    #[wasm_bindgen(js_name = getMetadata, unchecked_return_type = "Promise<OrganizationMetadata>")]
    pub fn get_metadata(&self) -> js_sys::Promise {
        let path = self.organization.path("/memberships/")
            + &crate::js::segment(&self.user_id)
            + "/metadata";
        self.organization
            .call(Ok((crate::http::Method::Get, path, None)))
    }

    /// Merges into this member's metadata (`org:memberships:manage`), as
    /// `org.updateMetadata` does for the organization's.
    #[wasm_bindgen(js_name = updateMetadata, unchecked_return_type = "Promise<OrganizationMetadata>")]
    pub fn update_metadata(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateMetadataParams")] p: JsValue,
    ) -> js_sys::Promise {
        let checked = self
            .organization
            .member_metadata(&self.user_id, &refs(&self.roles), &p);
        self.organization.call(checked)
    }

    /// Whether the member owns the organization (a flag beside the role).
    #[wasm_bindgen(getter, js_name = isOwner)]
    pub fn is_owner(&self) -> bool {
        self.is_owner
    }

    /// Whether the membership is suspended: roles kept, no access until reactivated.
    #[wasm_bindgen(getter)]
    pub fn suspended(&self) -> bool {
        self.suspended
    }

    /// Suspends this member (admins; an owner only by an owner): they keep their roles and
    /// lose every access. Resolves to the suspended membership.
    #[wasm_bindgen(unchecked_return_type = "Promise<OrganizationMembership>")]
    pub fn suspend(&self) -> js_sys::Promise {
        self.set_suspended(true)
    }

    /// Reactivates this member with exactly what they had (admins).
    #[wasm_bindgen(unchecked_return_type = "Promise<OrganizationMembership>")]
    pub fn reactivate(&self) -> js_sys::Promise {
        self.set_suspended(false)
    }

    /// Removes this member (admins), or leaves when it is my own membership.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn destroy(&self) -> crate::pending::Pending<()> {
        self.organization.remove(self.user_id.clone())
    }
}
