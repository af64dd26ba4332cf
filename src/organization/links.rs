//! Invite links, for anyone holding a link's token: preview and accept it
//! (`OrgKit.previewInviteLink`, `OrgKit.acceptInviteLink`). The organization's side
//! (`InviteLink`, `createInviteLink`, `getInviteLinks`) is written in JS: `src/js/links.js`.
//!
//! Every method checks synchronously and hands its one request to `token_call`'s send.

use crate::client::OrgKit;
use crate::context::Client;
use crate::http::Method;
use crate::js::{check_token, date, field, object, set};
use crate::membership::OrganizationMembership;
use crate::send::Then;
use js_sys::Promise;
use orgkit_core::secret::TokenKind;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// Turns the millisecond timestamps of `value` into `Date`s; `null` stays `null`.
fn to_dates(value: &JsValue, keys: &[&str]) {
    for key in keys {
        if let Some(ms) = field(value, key).as_f64() {
            set(value, key, &date(ms));
        }
    }
}

/// Sends a link token to `path`; answers the preview, or what accepting did (its membership
/// as an `OrganizationMembership`). A token that cannot be one is refused without a request,
/// as the server would: `not_found`.
fn token_call(client: &Rc<Client>, path: &'static str, token: &str) -> Promise {
    let request = check_token(TokenKind::InviteLink, token).map(|()| {
        (
            Method::Post,
            path.to_owned(),
            Some(object(&[("token", token.into())])),
        )
    });
    let shared = client.clone();
    let client = client.clone();
    let then = Then::Map(Box::new(move |answer| {
        let membership = field(&answer, "membership");
        if membership.is_object() {
            let joined = OrganizationMembership::with_own_organization(&client, membership);
            set(&answer, "membership", &joined.into());
        }
        to_dates(&field(&answer, "joinRequest"), &["createdAt"]);
        Ok(answer)
    }));
    crate::send::send(shared, request, then)
}

#[wasm_bindgen]
impl OrgKit {
    /// What an invite link leads to, without signing in: the organization's name and slug, the
    /// role, whether joining needs approval, and the link's status.
    #[wasm_bindgen(js_name = previewInviteLink, unchecked_return_type = "Promise<InviteLinkPreview>")]
    pub fn preview_invite_link(&self, token: &str) -> Promise {
        token_call(&self.client, "/v1/invite-links/preview", token)
    }

    /// Accepts an invite link (needs a verified address): answers `{ membership }` when I
    /// joined, or `{ joinRequest }` when the link requires approval and my request waits for an
    /// admin.
    #[wasm_bindgen(js_name = acceptInviteLink, unchecked_return_type = "Promise<InviteLinkAcceptance>")]
    pub fn accept_invite_link(&self, token: &str) -> Promise {
        token_call(&self.client, "/v1/invite-links/accept", token)
    }
}
