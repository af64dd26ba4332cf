//! `Group` and the organization's group methods.

use super::{principal_of, principal_path, role_body, Kind};
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::{object, optional_param, param, params, segment, text};
use crate::organization::webhooks::page_query;
use crate::organization::{Checked, Organization};
use js_sys::Promise;
use orgkit_core::workspace::{
    check_description, check_name, decide_group, GroupAction, GroupRole, PrincipalKind,
};
use orgkit_core::{GroupId, GroupMemberId};
use wasm_bindgen::prelude::*;

/// A group of an organization's members and service accounts: granted a workspace role, it
/// gives it to each of them. Its fields (`id`, `organizationId`, `name`, `description`,
/// `memberCount`, `createdAt`, `myRole`) are own properties.
///
/// @example
/// ```js
/// const group = await org.createGroup({ name: "Payments team" });
/// await group.addMember({ userId: grace.id, role: "member" });
/// ```
#[wasm_bindgen]
pub struct Group {
    pub(super) org: Organization,
    pub(super) data: JsValue,
}

/// Who a group's member parameters may name.
const MEMBER_KINDS: [(&str, PrincipalKind); 2] = [
    ("userId", PrincipalKind::User),
    ("serviceAccountId", PrincipalKind::ServiceAccount),
];

/// The body of a group's creation or change: its name and description checked when given.
fn group_body(name: Option<String>, description: Option<String>) -> Result<JsValue, JsValue> {
    let name = name.map(|n| check_name(&n)).transpose().map_err(local)?;
    let description = description
        .map(|d| check_description(&d))
        .transpose()
        .map_err(local)?;
    Ok(object(&[
        ("name", name.map_or(JsValue::UNDEFINED, JsValue::from)),
        (
            "description",
            description.map_or(JsValue::UNDEFINED, JsValue::from),
        ),
    ]))
}

impl Group {
    /// Asks the rule book about `action` with my permissions and my role in the group;
    /// answers the request to `/groups/{id}{rest}`.
    fn checked(
        &self,
        action: GroupAction,
        method: Method,
        rest: &str,
        body: Option<JsValue>,
    ) -> Checked {
        let my_role = GroupRole::parse(&text(&self.data, "myRole"));
        decide_group(action, self.org.held(), my_role).map_err(local)?;
        let path = self.org.path("/groups/") + &segment(&text(&self.data, "id")) + rest;
        Ok((method, path, body))
    }
}

#[wasm_bindgen]
impl Group {
    /// Renames it or changes its description (needs `org:groups:manage`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Group>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateGroupParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "update takes { name?, description? }.";
        let checked = params(&p, USAGE).and_then(|()| {
            let body = group_body(
                optional_param(&p, "name", USAGE)?,
                optional_param(&p, "description", USAGE)?,
            )?;
            self.checked(GroupAction::Manage, Method::Patch, "", Some(body))
        });
        self.org.resource(checked, Kind::Group)
    }

    /// Deletes it (needs `org:groups:manage`), with its grants and memberships.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn destroy(&self) -> Promise {
        let checked = self.checked(GroupAction::Manage, Method::Delete, "", None);
        self.org.resource(checked, Kind::Plain)
    }

    /// Adds a member of the organization (`userId`) or a service account
    /// (`serviceAccountId`) with a role in the group, or changes their role (needs
    /// `org:groups:manage`, or to be a manager of the group). Resolves to the group membership.
    #[wasm_bindgen(js_name = addMember, unchecked_return_type = "Promise<GroupMember>")]
    pub fn add_member(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AddGroupMemberParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "addMember needs { userId or serviceAccountId, role }.";
        let checked = principal_of(&p, &MEMBER_KINDS, USAGE).and_then(|(kind, id)| {
            let role = param(&p, "role", USAGE)?;
            GroupRole::parse(&role)
                .ok_or_else(|| invalid_input("The role must be member or manager."))?;
            let rest = "/members".to_owned() + &principal_path(kind, &id);
            self.checked(
                GroupAction::ChangeMembers,
                Method::Put,
                &rest,
                role_body(&role),
            )
        });
        self.org.resource(checked, Kind::Plain)
    }

    /// Takes a member (`userId`) or a service account (`serviceAccountId`) out of the group
    /// (needs `org:groups:manage`, or to be a manager of the group).
    #[wasm_bindgen(js_name = removeMember, unchecked_return_type = "Promise<void>")]
    pub fn remove_member(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RemoveGroupMemberParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "removeMember needs { userId } or { serviceAccountId }.";
        let checked = principal_of(&p, &MEMBER_KINDS, USAGE).and_then(|(kind, id)| {
            let rest = "/members".to_owned() + &principal_path(kind, &id);
            self.checked(GroupAction::ChangeMembers, Method::Delete, &rest, None)
        });
        self.org.resource(checked, Kind::Plain)
    }

    /// One page of its members, oldest first: `{ data, nextCursor }`.
    #[wasm_bindgen(js_name = getMembers, unchecked_return_type = "Promise<GroupMembersPage>")]
    pub fn get_members(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageParams | void")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "getMembers takes { limit?, after? }.";
        let checked = page_query(&p, USAGE, GroupMemberId::is_well_formed).map(|query| {
            let path = self.org.path("/groups/") + &segment(&text(&self.data, "id"));
            (Method::Get, path + "/members" + &query, None)
        });
        self.org.resource(checked, Kind::Plain)
    }
}

#[wasm_bindgen]
impl Organization {
    /// Creates a group (needs `org:groups:manage`).
    #[wasm_bindgen(js_name = createGroup, unchecked_return_type = "Promise<Group>")]
    pub fn create_group(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateGroupParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "createGroup needs { name, description? }.";
        let checked = params(&p, USAGE).and_then(|()| {
            let body = group_body(
                Some(param(&p, "name", USAGE)?),
                optional_param(&p, "description", USAGE)?,
            )?;
            decide_group(GroupAction::Manage, self.held(), None).map_err(local)?;
            Ok((Method::Post, self.path("/groups"), Some(body)))
        });
        self.resource(checked, Kind::Group)
    }

    /// One page of the organization's groups, by id (any member): `{ data, nextCursor }`.
    #[wasm_bindgen(js_name = getGroups, unchecked_return_type = "Promise<GroupsPage>")]
    pub fn get_groups(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageParams | void")] p: JsValue,
    ) -> Promise {
        let query = page_query(
            &p,
            "getGroups takes { limit?, after? }.",
            GroupId::is_well_formed,
        );
        self.resource(self.list("/groups", query), Kind::Group)
    }
}
