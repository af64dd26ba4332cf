//! `Organization`: one organization as the signed-in user sees it, with their role in it.

use crate::checks::MemberRoster;
use crate::client::Client;
use crate::convert::{date, from_js, from_server, segment, to_js};
use crate::error::local;
use crate::http::Method;
use crate::invitation::Invitation;
use crate::membership::OrganizationMembership;
use js_sys::{Array, Object, Reflect};
use orgkit_core::policy::{authorize, Action, Actor, TargetMember};
use orgkit_core::wire::{
    self, BulkInviteResponse, EmailList, InviteRequest, Page, UpdateOrganizationRequest,
};
use orgkit_core::{validate, Permission, Role, Timestamp, UserId};
use serde::Deserialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// Shared by an organization and the memberships and invitations read through it.
pub(crate) struct OrgState {
    pub client: Rc<Client>,
    pub data: RefCell<wire::Organization>,
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageParams {
    limit: Option<u32>,
    after: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateRoleParams {
    user_id: String,
    role: String,
}

/// A stand-in id for the signed-in user: the SDK's checks only need to tell "me" apart.
const ME: &str = "me";

fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

impl Organization {
    pub(crate) fn new(client: Rc<Client>, data: wire::Organization) -> Organization {
        Organization {
            state: Rc::new(OrgState {
                client,
                data: RefCell::new(data),
                roster: RefCell::new(MemberRoster::default()),
            }),
        }
    }

    fn client(&self) -> &Client {
        &self.state.client
    }

    fn path(&self, rest: &str) -> String {
        format!(
            "/v1/organizations/{}{rest}",
            segment(self.state.data.borrow().id.as_str())
        )
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

    /// Checks a role change or removal of `user_id` (`"me"` for myself), with what the
    /// fetched pages tell about the target and the admins.
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
            Some(self.state.data.borrow().role.0.clone())
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

    fn membership(&self, data: wire::Membership) -> OrganizationMembership {
        OrganizationMembership::new(self.clone(), data)
    }

    pub(crate) async fn update_role_of(
        &self,
        user_id: &str,
        role: &str,
    ) -> Result<OrganizationMembership, JsValue> {
        self.check_member_action(user_id, Some(role))?;
        let body = to_js(&wire::UpdateMembershipRequest {
            role: Role(role.to_owned()),
        });
        let answer = self
            .client()
            .http
            .send(
                Method::Patch,
                &self.path(&format!("/memberships/{}", segment(user_id))),
                Some(&body),
            )
            .await?;
        let data: wire::Membership = from_server(answer)?;
        self.state.roster.borrow_mut().set_role(user_id, role);
        Ok(self.membership(data))
    }

    pub(crate) async fn remove(&self, user_id: &str) -> Result<(), JsValue> {
        self.check_member_action(user_id, None)?;
        self.client()
            .http
            .send(
                Method::Delete,
                &self.path(&format!("/memberships/{}", segment(user_id))),
                None,
            )
            .await?;
        self.state.roster.borrow_mut().remove(user_id);
        Ok(())
    }
}

#[wasm_bindgen]
impl Organization {
    /// The organization's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.state.data.borrow().id.0.clone()
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
        self.state.data.borrow().role.0.clone()
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
        #[wasm_bindgen(unchecked_param_type = "UpdateOrganizationParams")] params: JsValue,
    ) -> Result<Organization, JsValue> {
        let params: UpdateOrganizationRequest = from_js(params, "update needs { name?, slug? }.")?;
        self.check(Action::UpdateOrganization)?;
        if let Some(name) = &params.name {
            validate::organization_name(name).map_err(local)?;
        }
        if let Some(slug) = &params.slug {
            validate::slug(slug).map_err(local)?;
        }
        let body = to_js(&params);
        let answer = self
            .client()
            .http
            .send(Method::Patch, &self.path(""), Some(&body))
            .await?;
        *self.state.data.borrow_mut() = from_server(answer)?;
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
        let (data, _) = self.fetch_page(Some(100), None).await?;
        Ok(data)
    }

    /// One page of members: `{ data, nextCursor }`; pass `nextCursor` as `after` for the next.
    #[wasm_bindgen(js_name = getMembershipsPage, unchecked_return_type = "MembershipsPage")]
    pub async fn get_memberships_page(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageParams | undefined")] params: JsValue,
    ) -> Result<JsValue, JsValue> {
        let params: PageParams = if params.is_undefined() {
            PageParams {
                limit: None,
                after: None,
            }
        } else {
            from_js(params, "getMembershipsPage takes { limit?, after? }.")?
        };
        validate::page_limit(params.limit).map_err(local)?;
        let (data, next) = self.fetch_page(params.limit, params.after).await?;
        let page = Object::new();
        let list: Array = data.into_iter().map(JsValue::from).collect();
        let _ = Reflect::set(&page, &"data".into(), &list);
        let _ = Reflect::set(
            &page,
            &"nextCursor".into(),
            &next.map_or(JsValue::NULL, JsValue::from),
        );
        Ok(page.into())
    }

    async fn fetch_page(
        &self,
        limit: Option<u32>,
        after: Option<String>,
    ) -> Result<(Vec<OrganizationMembership>, Option<String>), JsValue> {
        self.check(Action::ListMembers)?;
        let mut query = format!("?limit={}", validate::page_limit(limit).map_err(local)?);
        if let Some(after) = after.as_deref().filter(|a| !a.is_empty()) {
            query.push_str("&after=");
            query.push_str(&segment(after));
        }
        let answer = self
            .client()
            .http
            .send(
                Method::Get,
                &self.path(&format!("/memberships{query}")),
                None,
            )
            .await?;
        let page: Page<wire::Membership> = from_server(answer)?;
        let seen = page
            .data
            .iter()
            .map(|m| (m.public_user_data.user_id.0.clone(), m.role.0.clone()))
            .collect();
        self.state.roster.borrow_mut().record_page(
            after.as_deref(),
            seen,
            page.next_cursor.clone(),
        );
        Ok((
            page.data.into_iter().map(|m| self.membership(m)).collect(),
            page.next_cursor,
        ))
    }

    /// Invites one person by email address with a role (admins).
    #[wasm_bindgen(js_name = inviteMember)]
    pub async fn invite_member(
        &self,
        #[wasm_bindgen(unchecked_param_type = "InviteMemberParams")] params: JsValue,
    ) -> Result<Invitation, JsValue> {
        let params: InviteRequest = from_js(params, "inviteMember needs { emailAddress, role }.")?;
        let address = params.email_address.clone().unwrap_or_default();
        self.check(Action::Invite {
            role: params.role.as_str(),
            already_member: false,
            already_invited: false,
        })?;
        validate::email(&address).map_err(local)?;
        let body = to_js(&InviteRequest {
            email_address: Some(address),
            email_addresses: None,
            role: params.role,
        });
        let answer = self
            .client()
            .http
            .send(Method::Post, &self.path("/invitations"), Some(&body))
            .await?;
        Ok(Invitation::new(
            self.state.client.clone(),
            from_server(answer)?,
            Some(self.clone()),
        ))
    }

    /// Invites several people at once: an array of addresses, or one comma-separated string.
    /// Each address gets its own result, so one bad address does not sink the others.
    #[wasm_bindgen(js_name = inviteMembers, unchecked_return_type = "InviteResult[]")]
    pub async fn invite_members(
        &self,
        #[wasm_bindgen(unchecked_param_type = "InviteMembersParams")] params: JsValue,
    ) -> Result<JsValue, JsValue> {
        let params: InviteRequest =
            from_js(params, "inviteMembers needs { emailAddresses, role }.")?;
        let addresses = params
            .email_addresses
            .as_ref()
            .map(EmailList::entries)
            .unwrap_or_default();
        self.check(Action::Invite {
            role: params.role.as_str(),
            already_member: false,
            already_invited: false,
        })?;
        validate::bulk_invite_count(addresses.len()).map_err(local)?;
        let body = to_js(&InviteRequest {
            email_address: None,
            email_addresses: Some(EmailList::List(addresses)),
            role: params.role,
        });
        let answer = self
            .client()
            .http
            .send(Method::Post, &self.path("/invitations"), Some(&body))
            .await?;
        let response: BulkInviteResponse = from_server(answer)?;
        let out = Array::new();
        for result in response.data {
            let item = Object::new();
            let _ = Reflect::set(&item, &"emailAddress".into(), &result.email_address.into());
            if let Some(invitation) = result.invitation {
                let invitation =
                    Invitation::new(self.state.client.clone(), invitation, Some(self.clone()));
                let _ = Reflect::set(&item, &"invitation".into(), &invitation.into());
            }
            if let Some(error) = result.error {
                let _ = Reflect::set(&item, &"error".into(), &to_js(&error));
            }
            out.push(&item);
        }
        Ok(out.into())
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
        let page: Page<wire::Invitation> = from_server(answer)?;
        Ok(page
            .data
            .into_iter()
            .map(|i| Invitation::new(self.state.client.clone(), i, Some(self.clone())))
            .collect())
    }

    /// Gives a member another role (admins). An organization always keeps an admin.
    #[wasm_bindgen(js_name = updateRole)]
    pub async fn update_role(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateRoleParams")] params: JsValue,
    ) -> Result<OrganizationMembership, JsValue> {
        let params: UpdateRoleParams = from_js(params, "updateRole needs { userId, role }.")?;
        self.update_role_of(&params.user_id, &params.role).await
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
