//! `Invitation`: an invitation to join an organization.

use crate::context::Client;
use crate::http::Method;
use crate::js::{date, number, segment, string, text};
use crate::membership::OrganizationMembership;
use crate::organization::Organization;
use crate::pending::Pending;
use crate::send::{self, Then};
use js_sys::Promise;
use orgkit_core::invitation::{check_decline, check_dismiss, AcceptFacts};
use orgkit_core::policy::Action;
use orgkit_core::{DomainError, InvitationStatus, Timestamp};
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
    /// The organization, when the invitation was read through it (admins).
    organization: Option<Organization>,
    id: String,
    email_address: String,
    role: String,
    status: String,
    organization_id: String,
    organization_name: String,
    created_at: f64,
    expires_at: f64,
    accept_url: Option<String>,
    token: Option<String>,
}

impl Invitation {
    /// An invitation read from a server answer; `organization` when read through it.
    pub(crate) fn new(
        client: Rc<Client>,
        data: &JsValue,
        organization: Option<Organization>,
    ) -> Self {
        Invitation {
            client,
            organization,
            id: text(data, "id"),
            email_address: text(data, "emailAddress"),
            role: text(data, "role"),
            status: text(data, "status"),
            organization_id: text(data, "organizationId"),
            organization_name: text(data, "organizationName"),
            created_at: number(data, "createdAt"),
            expires_at: number(data, "expiresAt"),
            accept_url: string(data, "acceptUrl"),
            token: string(data, "token"),
        }
    }

    /// Checks an admin action locally when the organization (and so my role) is known.
    fn check(&self, manage: fn(InvitationStatus) -> Action<'static>) -> Result<(), JsValue> {
        let Some(org) = &self.organization else {
            return Ok(());
        };
        let Some(status) = InvitationStatus::parse(&self.status) else {
            return Ok(());
        };
        org.authorize(manage(status))
    }

    /// Declines or dismisses it as the invitee, after `check` (the rule book) agreed with what
    /// this object and the client know; one request.
    fn answer(
        &self,
        verb: &str,
        check: fn(AcceptFacts<'_>, Timestamp) -> Result<(), DomainError>,
    ) -> Promise {
        let mine = self.client.my_email.borrow().clone();
        if let Some(status) = InvitationStatus::parse(&self.status) {
            let facts = AcceptFacts {
                status,
                expires_at: Timestamp(self.expires_at as i64),
                invited_email: &self.email_address,
                user_email: mine.as_deref().unwrap_or(&self.email_address),
                already_member: false,
            };
            if let Err(e) = check(facts, crate::organization::now()) {
                return Promise::reject(&crate::error::local(e));
            }
        }
        let path = "/v1/me/invitations/".to_owned() + &segment(&self.id) + "/" + verb;
        crate::organization::send(self.client.clone(), Method::Post, path, None)
    }

    /// Revokes or resends it as an admin, after `check` with `manage`; resolves to the
    /// invitation as the server answers it.
    fn admin_action(
        &self,
        verb: &str,
        manage: fn(InvitationStatus) -> Action<'static>,
    ) -> Pending<Invitation> {
        let request = self.check(manage).map(|()| {
            let path = "/v1/organizations/".to_owned()
                + &segment(&self.organization_id)
                + "/invitations/"
                + &segment(&self.id)
                + "/"
                + verb;
            (Method::Post, path, None)
        });
        let (client, org) = (self.client.clone(), self.organization.clone());
        let then = Then::Map(Box::new(move |answer| {
            Ok(Invitation::new(client, &answer, org).into())
        }));
        send::pending(self.client.clone(), request, then)
    }
}

#[wasm_bindgen]
impl Invitation {
    /// The invitation's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.id.clone()
    }

    /// The link that accepts the invitation: only on the invitation `inviteMember` answers
    /// with `delivery: "none"`, for the app to share its own way; never shown again.
    #[wasm_bindgen(getter, js_name = acceptUrl)]
    pub fn accept_url(&self) -> Option<String> {
        self.accept_url.clone()
    }

    /// The invitation's secret token, shown as `acceptUrl` is.
    #[wasm_bindgen(getter)]
    pub fn token(&self) -> Option<String> {
        self.token.clone()
    }

    /// The invited address.
    #[wasm_bindgen(getter, js_name = emailAddress)]
    pub fn email_address(&self) -> String {
        self.email_address.clone()
    }

    /// The role the invitee gets on accepting.
    #[wasm_bindgen(getter, unchecked_return_type = "Role")]
    pub fn role(&self) -> String {
        self.role.clone()
    }

    /// `pending`, `accepted`, `revoked`, `expired` or `declined`.
    #[wasm_bindgen(getter, unchecked_return_type = "InvitationStatus")]
    pub fn status(&self) -> String {
        self.status.clone()
    }

    /// The organization's id.
    #[wasm_bindgen(getter, js_name = organizationId)]
    pub fn organization_id(&self) -> String {
        self.organization_id.clone()
    }

    /// The organization's name.
    #[wasm_bindgen(getter, js_name = organizationName)]
    pub fn organization_name(&self) -> String {
        self.organization_name.clone()
    }

    /// When it was sent.
    #[wasm_bindgen(getter, js_name = createdAt)]
    pub fn created_at(&self) -> js_sys::Date {
        date(self.created_at)
    }

    /// When it stops working.
    #[wasm_bindgen(getter, js_name = expiresAt)]
    pub fn expires_at(&self) -> js_sys::Date {
        date(self.expires_at)
    }

    /// Revokes it: its link stops working at once (admins). Resolves to the revoked invitation.
    #[wasm_bindgen(unchecked_return_type = "Promise<Invitation>")]
    pub fn revoke(&self) -> Pending<Invitation> {
        self.admin_action("revoke", |status| Action::RevokeInvitation { status })
    }

    /// Sends it again with a new link and a new expiry; the old link stops working (admins).
    #[wasm_bindgen(unchecked_return_type = "Promise<Invitation>")]
    pub fn resend(&self) -> Pending<Invitation> {
        self.admin_action("resend", |status| Action::ResendInvitation { status })
    }

    /// Declines it, as the invitee with a verified address (pending invitations only).
    /// Resolves to the declined invitation's data.
    #[wasm_bindgen(unchecked_return_type = "Promise<InvitationData>")]
    pub fn decline(&self) -> Promise {
        self.answer("decline", check_decline)
    }

    /// Dismisses it from my list, as the invitee (expired invitations only).
    #[wasm_bindgen(unchecked_return_type = "Promise<InvitationData>")]
    pub fn dismiss(&self) -> Promise {
        self.answer("dismiss", check_dismiss)
    }

    /// Accepts it, as the invitee with a verified address.
    #[wasm_bindgen(unchecked_return_type = "Promise<OrganizationMembership>")]
    pub fn accept(&self) -> Pending<OrganizationMembership> {
        let path = "/v1/me/invitations/".to_owned() + &segment(&self.id) + "/accept";
        send::pending(
            self.client.clone(),
            Ok((Method::Post, path, None)),
            Then::MyMembership,
        )
    }
}
