//! `Invitation`: an invitation to join an organization.

use crate::client::Client;
use crate::convert::{date, from_server, segment};
use crate::error::local;
use crate::http::Method;
use crate::membership::OrganizationMembership;
use crate::organization::Organization;
use orgkit_core::policy::{authorize, Action, Actor};
use orgkit_core::{wire, InvitationStatus, Timestamp, UserId};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// An invitation, as an admin sees it in the organization or the invitee in their list.
///
/// @example
/// ```js
/// const [invitation] = await org.getPendingInvitations();
/// await invitation.revoke();
/// ```
#[wasm_bindgen]
pub struct Invitation {
    client: Rc<Client>,
    data: RefCell<wire::Invitation>,
    /// The organization, when the invitation was read through it (admins).
    organization: Option<Organization>,
}

impl Invitation {
    pub(crate) fn new(
        client: Rc<Client>,
        data: wire::Invitation,
        organization: Option<Organization>,
    ) -> Self {
        Invitation {
            client,
            data: RefCell::new(data),
            organization,
        }
    }

    /// Checks an admin action locally when the organization (and so my role) is known.
    fn check(&self, manage: fn(InvitationStatus) -> Action<'static>) -> Result<(), JsValue> {
        let Some(org) = &self.organization else {
            return Ok(());
        };
        let role = org.state.data.borrow().role.0.clone();
        let me = UserId("me".to_owned());
        let status = self.data.borrow().status;
        let now = Timestamp(js_sys::Date::now() as i64);
        authorize(
            &self.client.catalog,
            Actor {
                user_id: &me,
                role: Some(&role),
            },
            manage(status),
            now,
        )
        .map_err(local)
    }

    fn admin_path(&self, verb: &str) -> String {
        let data = self.data.borrow();
        format!(
            "/v1/organizations/{}/invitations/{}/{verb}",
            segment(data.organization_id.as_str()),
            segment(data.id.as_str())
        )
    }

    async fn admin_action(&self, verb: &str) -> Result<Invitation, JsValue> {
        let answer = self
            .client
            .http
            .send(Method::Post, &self.admin_path(verb), None)
            .await?;
        let data: wire::Invitation = from_server(answer)?;
        *self.data.borrow_mut() = data.clone();
        Ok(Invitation::new(
            self.client.clone(),
            data,
            self.organization.clone(),
        ))
    }
}

#[wasm_bindgen]
impl Invitation {
    /// The invitation's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.data.borrow().id.0.clone()
    }

    /// The invited address.
    #[wasm_bindgen(getter, js_name = emailAddress)]
    pub fn email_address(&self) -> String {
        self.data.borrow().email_address.clone()
    }

    /// The role the invitee gets on accepting.
    #[wasm_bindgen(getter, unchecked_return_type = "Role")]
    pub fn role(&self) -> String {
        self.data.borrow().role.0.clone()
    }

    /// `pending`, `accepted`, `revoked` or `expired`.
    #[wasm_bindgen(getter, unchecked_return_type = "InvitationStatus")]
    pub fn status(&self) -> String {
        self.data.borrow().status.as_str().to_owned()
    }

    /// The organization's id.
    #[wasm_bindgen(getter, js_name = organizationId)]
    pub fn organization_id(&self) -> String {
        self.data.borrow().organization_id.0.clone()
    }

    /// The organization's name.
    #[wasm_bindgen(getter, js_name = organizationName)]
    pub fn organization_name(&self) -> String {
        self.data.borrow().organization_name.clone()
    }

    /// When it was sent.
    #[wasm_bindgen(getter, js_name = createdAt)]
    pub fn created_at(&self) -> js_sys::Date {
        date(self.data.borrow().created_at)
    }

    /// When it stops working.
    #[wasm_bindgen(getter, js_name = expiresAt)]
    pub fn expires_at(&self) -> js_sys::Date {
        date(self.data.borrow().expires_at)
    }

    /// Revokes it: its link stops working at once (admins).
    pub async fn revoke(&self) -> Result<Invitation, JsValue> {
        self.check(|status| Action::RevokeInvitation { status })?;
        self.admin_action("revoke").await
    }

    /// Sends it again with a new link and a new expiry; the old link stops working (admins).
    pub async fn resend(&self) -> Result<Invitation, JsValue> {
        self.check(|status| Action::ResendInvitation { status })?;
        self.admin_action("resend").await
    }

    /// Accepts it, as the invitee with a verified address.
    pub async fn accept(&self) -> Result<OrganizationMembership, JsValue> {
        let path = format!(
            "/v1/me/invitations/{}/accept",
            segment(self.data.borrow().id.as_str())
        );
        let answer = self.client.http.send(Method::Post, &path, None).await?;
        OrganizationMembership::with_own_organization(&self.client, from_server(answer)?)
            .ok_or_else(|| crate::error::network("The server's answer has no organization."))
    }
}
