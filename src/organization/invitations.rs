//! An organization's invitations: sending them, one or many, and listing the pending ones.

use super::Organization;
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::invitation::Invitation;
use crate::js::{array, field, object, optional_param, param, params, set, string, string_list};
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

    /// Sends an invitation request; `addresses` is one address (a string) or a list.
    async fn send_invitations(
        &self,
        addresses: JsValue,
        role: String,
        delivery: Option<InvitationDelivery>,
    ) -> Result<JsValue, JsValue> {
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
        self.client()
            .http
            .send(Method::Post, &self.path("/invitations"), Some(&body))
            .await
    }
}

#[wasm_bindgen]
impl Organization {
    /// Invites one person by email address with a role (admins).
    #[wasm_bindgen(js_name = inviteMember)]
    pub async fn invite_member(
        &self,
        #[wasm_bindgen(unchecked_param_type = "InviteMemberParams")] p: JsValue,
    ) -> Result<Invitation, JsValue> {
        const USAGE: &str =
            "inviteMember needs { emailAddress, role, delivery? } (delivery: email, none or webhook).";
        params(&p, USAGE)?;
        let (address, role) = (param(&p, "emailAddress", USAGE)?, param(&p, "role", USAGE)?);
        let delivery = delivery_param(&p, USAGE)?;
        self.check_invite(&role)?;
        validate::email(&address).map_err(local)?;
        let answer = self
            .send_invitations(address.into(), role, delivery)
            .await?;
        Ok(self.invitation(&answer))
    }

    /// Invites several people at once: an array of addresses, or one comma-separated string.
    /// Each address gets its own result, so one bad address does not sink the others.
    #[wasm_bindgen(js_name = inviteMembers, unchecked_return_type = "InviteResult[]")]
    pub async fn invite_members(
        &self,
        #[wasm_bindgen(unchecked_param_type = "InviteMembersParams")] p: JsValue,
    ) -> Result<JsValue, JsValue> {
        const USAGE: &str =
            "inviteMembers needs { emailAddresses, role, delivery? } (delivery: email, none or webhook).";
        params(&p, USAGE)?;
        let role = param(&p, "role", USAGE)?;
        let delivery = delivery_param(&p, USAGE)?;
        let list = match string(&p, "emailAddresses") {
            Some(joined) => EmailList::Joined(joined),
            None => EmailList::List(
                string_list(&p, "emailAddresses", USAGE)?.ok_or_else(|| invalid_input(USAGE))?,
            ),
        };
        let addresses = list.entries();
        self.check_invite(&role)?;
        validate::bulk_invite_count(addresses.len()).map_err(local)?;
        let sent: Array = addresses.into_iter().map(JsValue::from).collect();
        let answer = self.send_invitations(sent.into(), role, delivery).await?;
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
        self.authorize(Action::ListInvitations)?;
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
}
