//! An organization's invitations: sending them, one or many, and listing the pending ones.

use super::Checked;
use super::Organization;
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::invitation::Invitation;
use crate::js::{array, field, object, optional_param, param, params, set, string, string_list};
use crate::pending::Pending;
use crate::send::Then;
use js_sys::Array;
use orgkit_core::delivery::InvitationDelivery;
use orgkit_core::policy::Action;
use orgkit_core::validate;
use orgkit_core::wire::EmailList;
use wasm_bindgen::prelude::*;

/// The optional `delivery` parameter: absent, or one of the rule book's choices.
fn delivery_param(p: &JsValue, usage: &'static str) -> Result<Option<InvitationDelivery>, JsValue> {
    match optional_param(p, "delivery", usage)? {
        None => Ok(None),
        Some(raw) => InvitationDelivery::parse(&raw)
            .map(Some)
            .ok_or_else(|| invalid_input(usage)),
    }
}

impl Organization {
    fn invitation(&self, data: &JsValue) -> Invitation {
        Invitation::new(self.state.client.clone(), data, Some(self.clone()))
    }

    /// Checks that I may invite people with `role`.
    fn check_invite(&self, role: &str) -> Result<(), JsValue> {
        self.authorize(Action::Invite {
            role,
            already_member: false,
            already_invited: false,
        })
    }

    /// The invitation request; `addresses` is one address (a string) or a list.
    fn invitations_request(
        &self,
        addresses: JsValue,
        role: String,
        delivery: Option<InvitationDelivery>,
    ) -> (Method, String, Option<JsValue>) {
        let key = if addresses.is_string() {
            "emailAddress"
        } else {
            "emailAddresses"
        };
        let delivery = delivery.map_or(JsValue::UNDEFINED, |d| d.as_str().into());
        let body = object(&[
            (key, addresses),
            ("role", role.into()),
            ("delivery", delivery),
        ]);
        (Method::Post, self.path("/invitations"), Some(body))
    }

    /// The checks and the request of `inviteMember`.
    fn invite_member_request(&self, p: &JsValue) -> Checked {
        const USAGE: &str =
            "inviteMember needs { emailAddress, role, delivery? } (delivery: email, none or webhook).";
        params(p, USAGE)?;
        let (address, role) = (param(p, "emailAddress", USAGE)?, param(p, "role", USAGE)?);
        let delivery = delivery_param(p, USAGE)?;
        self.check_invite(&role)?;
        validate::email(&address).map_err(local)?;
        Ok(self.invitations_request(address.into(), role, delivery))
    }

    /// The checks and the request of `inviteMembers`.
    fn invite_members_request(&self, p: &JsValue) -> Checked {
        const USAGE: &str =
            "inviteMembers needs { emailAddresses, role, delivery? } (delivery: email, none or webhook).";
        params(p, USAGE)?;
        let role = param(p, "role", USAGE)?;
        let delivery = delivery_param(p, USAGE)?;
        let list = match string(p, "emailAddresses") {
            Some(joined) => EmailList::Joined(joined),
            None => EmailList::List(
                string_list(p, "emailAddresses", USAGE)?.ok_or_else(|| invalid_input(USAGE))?,
            ),
        };
        let addresses = list.entries();
        self.check_invite(&role)?;
        validate::bulk_invite_count(addresses.len()).map_err(local)?;
        let sent: Array = addresses.into_iter().map(JsValue::from).collect();
        Ok(self.invitations_request(sent.into(), role, delivery))
    }
}

#[wasm_bindgen]
impl Organization {
    /// Invites one person by email address with a role (admins).
    #[wasm_bindgen(js_name = inviteMember, unchecked_return_type = "Promise<Invitation>")]
    pub fn invite_member(
        &self,
        #[wasm_bindgen(unchecked_param_type = "InviteMemberParams")] p: JsValue,
    ) -> Pending<Invitation> {
        let org = self.clone();
        let then = Then::Map(Box::new(move |answer| Ok(org.invitation(&answer).into())));
        crate::send::pending(self.client_rc(), self.invite_member_request(&p), then)
    }

    /// Invites several people at once: an array of addresses, or one comma-separated string.
    /// Each address gets its own result, so one bad address does not sink the others.
    #[wasm_bindgen(js_name = inviteMembers, unchecked_return_type = "Promise<InviteResult[]>")]
    pub fn invite_members(
        &self,
        #[wasm_bindgen(unchecked_param_type = "InviteMembersParams")] p: JsValue,
    ) -> Pending<JsValue> {
        let org = self.clone();
        let then = Then::Map(Box::new(move |answer| {
            let results = array(&answer, "data");
            for result in results.iter() {
                let invitation = field(&result, "invitation");
                if invitation.is_object() {
                    set(&result, "invitation", &org.invitation(&invitation).into());
                }
            }
            Ok(results.into())
        }));
        crate::send::pending(self.client_rc(), self.invite_members_request(&p), then)
    }

    /// The pending invitations (admins).
    #[wasm_bindgen(
        js_name = getPendingInvitations,
        unchecked_return_type = "Promise<Invitation[]>"
    )]
    pub fn get_pending_invitations(&self) -> Pending<Vec<Invitation>> {
        let request = self.authorize(Action::ListInvitations).map(|()| {
            let path = self.path("/invitations?status=pending&limit=100");
            (Method::Get, path, None)
        });
        let org = self.clone();
        let then = Then::Map(Box::new(move |answer| {
            Ok(array(&answer, "data")
                .iter()
                .map(|i| JsValue::from(org.invitation(&i)))
                .collect::<Array>()
                .into())
        }));
        crate::send::pending(self.client_rc(), request, then)
    }
}
