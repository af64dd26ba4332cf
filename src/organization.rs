//! `Organization`: one organization as the signed-in user sees it, with their role in it.

use crate::checks::MemberRoster;
use crate::client::Client;
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::invitation::Invitation;
use crate::js::{
    array, date, field, number, object, optional_param, param, params, segment, set, string,
    strings, text,
};
use crate::membership::OrganizationMembership;
use js_sys::Array;
use orgkit_core::policy::{authorize, Action, Actor, TargetMember};
use orgkit_core::wire::EmailList;
use orgkit_core::{validate, Permission, Role, Timestamp, UserId};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// An organization as the server describes it to me.
pub(crate) struct OrgData {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub created_at: f64,
    pub role: String,
    pub permissions: Vec<String>,
}

impl OrgData {
    fn read(value: &JsValue) -> OrgData {
        OrgData {
            id: text(value, "id"),
            name: text(value, "name"),
            slug: text(value, "slug"),
            created_at: number(value, "createdAt"),
            role: text(value, "role"),
            permissions: strings(value, "permissions"),
        }
    }
}

/// Shared by an organization and the memberships and invitations read through it.
pub(crate) struct OrgState {
    pub client: Rc<Client>,
    pub data: RefCell<OrgData>,
    pub roster: RefCell<MemberRoster>,
}

/// An organization, with the signed-in user's role in it.
///
/// @example
/// ```js
/// const org = await kit.createOrganization({ name: "Acme Corp" });
/// if (org.can("org:invitations:manage")) {
///   await org.inviteMember({ emailAddress: "grace@example.com", role: "basic_member" });
/// }
/// ```
#[wasm_bindgen]
#[derive(Clone)]
pub struct Organization {
    pub(crate) state: Rc<OrgState>,
}

/// A stand-in id for the signed-in user: the SDK's checks only need to tell "me" apart.
const ME: &str = "me";

fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

fn optional(value: Option<String>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from)
}

impl Organization {
    pub(crate) fn new(client: Rc<Client>, data: &JsValue) -> Organization {
        Organization {
            state: Rc::new(OrgState {
                client,
                data: RefCell::new(OrgData::read(data)),
                roster: RefCell::new(MemberRoster::default()),
            }),
        }
    }

    fn client(&self) -> &Client {
        &self.state.client
    }

    fn path(&self, rest: &str) -> String {
        "/v1/organizations/".to_owned() + &segment(&self.state.data.borrow().id) + rest
    }

    fn member_path(&self, user_id: &str) -> String {
        self.path("/memberships/") + &segment(user_id)
    }

    /// Asks the rule book with my role, acting as "me".
    fn check(&self, action: Action<'_>) -> Result<(), JsValue> {
        let data = self.state.data.borrow();
        let me = UserId(ME.to_owned());
        let actor = Actor {
            user_id: &me,
            role: Some(data.role.as_str()),
        };
        authorize(&self.client().catalog, actor, action, now()).map_err(local)
    }

    /// Checks a role change or removal of `user_id`, with what the fetched pages tell about
    /// the target and the admins.
    fn check_member_action(&self, user_id: &str, new_role: Option<&str>) -> Result<(), JsValue> {
        let my_id = self.client().me.borrow().clone();
        let user_id = if my_id.as_deref() == Some(user_id) {
            ME
        } else {
            user_id
        };
        if user_id != ME && my_id.is_none() && !self.can(Permission::MembershipsManage.as_str()) {
            // Without knowing who I am, this may be me leaving: the server decides.
            return Ok(());
        }
        let roster = self.state.roster.borrow();
        let known_role = if user_id == ME {
            Some(self.state.data.borrow().role.clone())
        } else {
            roster.role_of(user_id).map(str::to_owned)
        };
        let target_id = UserId(user_id.to_owned());
        // An unknown target's role is left to the server; only the permission is checked.
        let (target_role, admin_count) = match &known_role {
            Some(role) => (role.as_str(), roster.admin_count(&self.client().catalog)),
            None => (new_role.unwrap_or(Role::BASIC_MEMBER), None),
        };
        let target = TargetMember {
            user_id: &target_id,
            role: target_role,
        };
        match new_role {
            Some(new_role) => self.check(Action::ChangeRole {
                target,
                new_role,
                admin_count,
            }),
            None => self.check(Action::RemoveMember {
                target,
                admin_count,
            }),
        }
    }

    fn membership(&self, data: &JsValue) -> OrganizationMembership {
        OrganizationMembership::new(self.clone(), data)
    }

    fn invitation(&self, data: &JsValue) -> Invitation {
        Invitation::new(self.state.client.clone(), data, Some(self.clone()))
    }

    pub(crate) async fn update_role_of(
        &self,
        user_id: &str,
        role: &str,
    ) -> Result<OrganizationMembership, JsValue> {
        self.check_member_action(user_id, Some(role))?;
        let body = object(&[("role", role.into())]);
        let answer = self
            .client()
            .http
            .send(Method::Patch, &self.member_path(user_id), Some(&body))
            .await?;
        self.state.roster.borrow_mut().set_role(user_id, role);
        Ok(self.membership(&answer))
    }

    pub(crate) async fn remove(&self, user_id: &str) -> Result<(), JsValue> {
        self.check_member_action(user_id, None)?;
        self.client()
            .http
            .send(Method::Delete, &self.member_path(user_id), None)
            .await?;
        self.state.roster.borrow_mut().remove(user_id);
        Ok(())
    }

    async fn fetch_page(
        &self,
        limit: Option<u32>,
        after: Option<String>,
    ) -> Result<(Vec<OrganizationMembership>, Option<String>), JsValue> {
        self.check(Action::ListMembers)?;
        let limit = validate::page_limit(limit).map_err(local)?;
        let mut path = self.path("/memberships?limit=") + &limit.to_string();
        if let Some(after) = after.as_deref().filter(|a| !a.is_empty()) {
            path.push_str("&after=");
            path.push_str(&segment(after));
        }
        let answer = self.client().http.send(Method::Get, &path, None).await?;
        let members: Vec<OrganizationMembership> = array(&answer, "data")
            .iter()
            .map(|m| self.membership(&m))
            .collect();
        let next = string(&answer, "nextCursor");
        let seen = members.iter().map(|m| (m.user_id(), m.role())).collect();
        self.state
            .roster
            .borrow_mut()
            .record_page(after.as_deref(), seen, next.clone());
        Ok((members, next))
    }

    /// Sends an invitation request; `addresses` is one address (a string) or a list.
    async fn send_invitations(&self, addresses: JsValue, role: String) -> Result<JsValue, JsValue> {
        let key = if addresses.is_string() {
            "emailAddress"
        } else {
            "emailAddresses"
        };
        let body = object(&[(key, addresses), ("role", role.into())]);
        self.client()
            .http
            .send(Method::Post, &self.path("/invitations"), Some(&body))
            .await
    }
}

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

    /// My role in it.
    #[wasm_bindgen(getter, unchecked_return_type = "Role")]
    pub fn role(&self) -> String {
        self.state.data.borrow().role.clone()
    }

    /// The permissions my role grants.
    #[wasm_bindgen(getter, unchecked_return_type = "Permission[]")]
    pub fn permissions(&self) -> Vec<String> {
        self.state.data.borrow().permissions.clone()
    }

    /// Whether my role grants `permission`, such as `"org:memberships:manage"`. Local: no request.
    pub fn can(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Permission")] permission: &str,
    ) -> bool {
        Permission::parse(permission).is_some_and(|p| {
            self.state
                .data
                .borrow()
                .permissions
                .iter()
                .any(|q| q == p.as_str())
        })
    }

    /// Renames the organization or changes its slug (admins).
    pub async fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateOrganizationParams")] p: JsValue,
    ) -> Result<Organization, JsValue> {
        const USAGE: &str = "update needs { name?, slug? }.";
        params(&p, USAGE)?;
        let (name, slug) = (
            optional_param(&p, "name", USAGE)?,
            optional_param(&p, "slug", USAGE)?,
        );
        self.check(Action::UpdateOrganization)?;
        if let Some(name) = &name {
            validate::organization_name(name).map_err(local)?;
        }
        if let Some(slug) = &slug {
            validate::slug(slug).map_err(local)?;
        }
        let body = object(&[("name", optional(name)), ("slug", optional(slug))]);
        let answer = self
            .client()
            .http
            .send(Method::Patch, &self.path(""), Some(&body))
            .await?;
        *self.state.data.borrow_mut() = OrgData::read(&answer);
        Ok(self.clone())
    }

    /// Deletes the organization with its memberships and invitations (admins).
    pub async fn destroy(&self) -> Result<(), JsValue> {
        self.check(Action::DeleteOrganization)?;
        self.client()
            .http
            .send(Method::Delete, &self.path(""), None)
            .await
            .map(drop)
    }

    /// The first page of members (up to 100), in join order.
    #[wasm_bindgen(js_name = getMemberships)]
    pub async fn get_memberships(&self) -> Result<Vec<OrganizationMembership>, JsValue> {
        Ok(self.fetch_page(Some(100), None).await?.0)
    }

    /// One page of members: `{ data, nextCursor }`; pass `nextCursor` as `after` for the next.
    #[wasm_bindgen(js_name = getMembershipsPage, unchecked_return_type = "MembershipsPage")]
    pub async fn get_memberships_page(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageParams | undefined")] p: JsValue,
    ) -> Result<JsValue, JsValue> {
        const USAGE: &str = "getMembershipsPage takes { limit?, after? }.";
        let (limit, after) = if p.is_undefined() || p.is_null() {
            (None, None)
        } else {
            params(&p, USAGE)?;
            let raw = field(&p, "limit");
            let limit = if raw.is_undefined() {
                None
            } else {
                let n = raw
                    .as_f64()
                    .filter(|n| n.fract() == 0.0 && *n >= 0.0)
                    .ok_or_else(|| invalid_input(USAGE))?;
                Some(n.min(f64::from(u32::MAX)) as u32)
            };
            (limit, optional_param(&p, "after", USAGE)?)
        };
        validate::page_limit(limit).map_err(local)?;
        let (data, next) = self.fetch_page(limit, after).await?;
        let list: Array = data.into_iter().map(JsValue::from).collect();
        Ok(object(&[
            ("data", list.into()),
            ("nextCursor", next.map_or(JsValue::NULL, JsValue::from)),
        ]))
    }

    /// Invites one person by email address with a role (admins).
    #[wasm_bindgen(js_name = inviteMember)]
    pub async fn invite_member(
        &self,
        #[wasm_bindgen(unchecked_param_type = "InviteMemberParams")] p: JsValue,
    ) -> Result<Invitation, JsValue> {
        const USAGE: &str = "inviteMember needs { emailAddress, role }.";
        params(&p, USAGE)?;
        let (address, role) = (param(&p, "emailAddress", USAGE)?, param(&p, "role", USAGE)?);
        self.check(Action::Invite {
            role: &role,
            already_member: false,
            already_invited: false,
        })?;
        validate::email(&address).map_err(local)?;
        let answer = self.send_invitations(address.into(), role).await?;
        Ok(self.invitation(&answer))
    }

    /// Invites several people at once: an array of addresses, or one comma-separated string.
    /// Each address gets its own result, so one bad address does not sink the others.
    #[wasm_bindgen(js_name = inviteMembers, unchecked_return_type = "InviteResult[]")]
    pub async fn invite_members(
        &self,
        #[wasm_bindgen(unchecked_param_type = "InviteMembersParams")] p: JsValue,
    ) -> Result<JsValue, JsValue> {
        const USAGE: &str = "inviteMembers needs { emailAddresses, role }.";
        params(&p, USAGE)?;
        let role = param(&p, "role", USAGE)?;
        let raw = field(&p, "emailAddresses");
        let list = if let Some(joined) = raw.as_string() {
            EmailList::Joined(joined)
        } else if Array::is_array(&raw) {
            EmailList::List(
                Array::from(&raw)
                    .iter()
                    .filter_map(|v| v.as_string())
                    .collect(),
            )
        } else {
            return Err(invalid_input(USAGE));
        };
        let addresses = list.entries();
        self.check(Action::Invite {
            role: &role,
            already_member: false,
            already_invited: false,
        })?;
        validate::bulk_invite_count(addresses.len()).map_err(local)?;
        let sent: Array = addresses.into_iter().map(JsValue::from).collect();
        let answer = self.send_invitations(sent.into(), role).await?;
        let results = array(&answer, "data");
        for result in results.iter() {
            let invitation = field(&result, "invitation");
            if invitation.is_object() {
                set(&result, "invitation", &self.invitation(&invitation).into());
            }
        }
        Ok(results.into())
    }

    /// The pending invitations (admins).
    #[wasm_bindgen(js_name = getPendingInvitations)]
    pub async fn get_pending_invitations(&self) -> Result<Vec<Invitation>, JsValue> {
        self.check(Action::ListInvitations)?;
        let answer = self
            .client()
            .http
            .send(
                Method::Get,
                &self.path("/invitations?status=pending&limit=100"),
                None,
            )
            .await?;
        Ok(array(&answer, "data")
            .iter()
            .map(|i| self.invitation(&i))
            .collect())
    }

    /// Gives a member another role (admins). An organization always keeps an admin.
    #[wasm_bindgen(js_name = updateRole)]
    pub async fn update_role(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateRoleParams")] p: JsValue,
    ) -> Result<OrganizationMembership, JsValue> {
        const USAGE: &str = "updateRole needs { userId, role }.";
        params(&p, USAGE)?;
        self.update_role_of(&param(&p, "userId", USAGE)?, &param(&p, "role", USAGE)?)
            .await
    }

    /// Removes a member (admins), or leaves when the id is mine.
    #[wasm_bindgen(js_name = removeMember)]
    pub async fn remove_member(&self, user_id: String) -> Result<(), JsValue> {
        self.remove(&user_id).await
    }

    /// Leaves the organization. The last admin cannot leave.
    pub async fn leave(&self) -> Result<(), JsValue> {
        self.remove(ME).await
    }
}
