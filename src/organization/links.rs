//! An organization's invite links (holders of `org:links:manage`): create one, list them, and
//! through each `InviteLink` reset or revoke it; and, for anyone holding a link's token,
//! preview and accept it (`OrgKit.previewInviteLink`, `OrgKit.acceptInviteLink`).
//!
//! Lean by design: every method checks synchronously and hands its one request to one of two
//! shared futures (`link_call` for the organization's side, `token_call` for the joiner's), as
//! `Organization::call` does for plain data.

use super::members::page_query;
use super::{now, Checked, Organization};
use crate::client::OrgKit;
use crate::context::Client;
use crate::error::{invalid_input, local, orgkit_error};
use crate::http::Method;
use crate::js::{check_token, date, field, object, params, segment, set, text};
use crate::membership::OrganizationMembership;
use crate::send::Then;
use js_sys::{Array, Promise};
use orgkit_core::link::{self, LinkOptions};
use orgkit_core::policy::Action;
use orgkit_core::secret::TokenKind;
use orgkit_core::{ErrorCode, InviteLinkId, Timestamp};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// An invite link of an organization. `token` and `url` are set only on the link that
/// `createInviteLink` or `reset` answered: they are shown once.
///
/// @example
/// ```js
/// const link = await org.createInviteLink({ role: "basic_member", maxUses: 10 });
/// navigator.clipboard.writeText(link.url);
/// const fresh = await link.reset(); // the old URL stops working
/// ```
#[wasm_bindgen]
pub struct InviteLink {
    org: Organization,
    data: JsValue,
}

/// Turns the millisecond timestamps of `value` into `Date`s; `null` stays `null`.
fn to_dates(value: &JsValue, keys: &[&str]) {
    for key in keys {
        if let Some(ms) = field(value, key).as_f64() {
            set(value, key, &date(ms));
        }
    }
}

impl InviteLink {
    /// The instance for an answer, with the answer's fields as its own properties.
    fn wrap(org: Organization, data: JsValue) -> JsValue {
        to_dates(&data, &["createdAt", "expiresAt"]);
        let fields = js_sys::Object::from(data.clone());
        let instance = JsValue::from(InviteLink { org, data });
        js_sys::Object::assign(&js_sys::Object::from(instance.clone()), &fields);
        instance
    }
}

/// Sends a checked request about links; answers an `InviteLink`, or a page of them.
fn link_call(org: &Organization, checked: Checked) -> Promise {
    let shared = org.state.client.clone();
    let org = org.clone();
    let then = Then::Map(Box::new(move |answer| {
        let data = field(&answer, "data");
        if !Array::is_array(&data) {
            return Ok(InviteLink::wrap(org, answer));
        }
        let links: Array = Array::from(&data)
            .iter()
            .map(|item| InviteLink::wrap(org.clone(), item))
            .collect();
        set(&answer, "data", &links);
        Ok(answer)
    }));
    crate::send::send(shared, checked, then)
}

/// A whole number in `0..=u32::MAX` (larger ones become `u32::MAX`), or `None` when absent.
fn count(p: &JsValue, key: &str, usage: &'static str) -> Result<Option<u32>, JsValue> {
    let raw = field(p, key);
    if raw.is_undefined() || raw.is_null() {
        return Ok(None);
    }
    raw.as_f64()
        .filter(|n| n.fract() == 0.0 && *n >= 0.0)
        .map(|n| Some(n.min(f64::from(u32::MAX)) as u32))
        .ok_or_else(|| invalid_input(usage))
}

impl Organization {
    fn links_path(&self, rest: &str) -> String {
        self.path("/invite-links") + rest
    }

    /// The body of `createInviteLink`, after the rule book's checks at the browser's clock.
    fn link_body(&self, p: &JsValue) -> Checked {
        const USAGE: &str =
            "createInviteLink needs { role, expiresAt?: Date | number, maxUses?, requiresApproval? }.";
        params(p, USAGE)?;
        let role = crate::js::param(p, "role", USAGE)?;
        let raw_expiry = field(p, "expiresAt");
        let expires_at = if raw_expiry.is_undefined() || raw_expiry.is_null() {
            None
        } else {
            let ms = match raw_expiry.dyn_ref::<js_sys::Date>() {
                Some(d) => d.get_time(),
                None => raw_expiry.as_f64().unwrap_or(f64::NAN),
            };
            if !ms.is_finite() {
                return Err(invalid_input(USAGE));
            }
            Some(Timestamp(ms as i64))
        };
        let max_uses = count(p, "maxUses", USAGE)?;
        let approval = field(p, "requiresApproval");
        if !(approval.is_undefined() || approval.as_bool().is_some()) {
            return Err(invalid_input(USAGE));
        }
        self.authorize(Action::CreateInviteLink { role: &role })?;
        let options = LinkOptions {
            expires_at,
            max_uses,
            requires_approval: approval.as_bool().unwrap_or(false),
        };
        link::check_options(options, now()).map_err(local)?;
        let optional = |n: Option<f64>| n.map_or(JsValue::UNDEFINED, JsValue::from);
        let body = object(&[
            ("role", role.into()),
            ("expiresAt", optional(expires_at.map(|t| t.millis() as f64))),
            ("maxUses", optional(max_uses.map(f64::from))),
            ("requiresApproval", options.requires_approval.into()),
        ]);
        Ok((Method::Post, self.links_path(""), Some(body)))
    }
}

#[wasm_bindgen]
impl Organization {
    /// Creates an invite link (needs `org:links:manage`, and a role I could grant). Anyone with
    /// its URL may join with `role`, or ask to when `requiresApproval`. The answer carries
    /// `token` and `url`, shown only this once. `expiresAt` (a `Date`, in the future) and
    /// `maxUses` (1 to 10000) are optional: by default the link never expires and has no limit.
    ///
    /// @example
    /// ```js
    /// const link = await org.createInviteLink({ role: "basic_member", requiresApproval: true });
    /// ```
    #[wasm_bindgen(js_name = createInviteLink, unchecked_return_type = "Promise<InviteLink>")]
    pub fn create_invite_link(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateInviteLinkParams")] p: JsValue,
    ) -> Promise {
        link_call(self, self.link_body(&p))
    }

    /// One page of the organization's invite links, oldest first, with their status and uses
    /// (needs `org:links:manage`). Listed links never carry their token.
    #[wasm_bindgen(js_name = getInviteLinks, unchecked_return_type = "Promise<InviteLinksPage>")]
    pub fn get_invite_links(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageParams | void")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "getInviteLinks takes { limit?, after? }.";
        let checked = self.authorize(Action::ManageInviteLinks).and_then(|()| {
            let query = page_query(&p, USAGE, InviteLinkId::is_well_formed)?;
            Ok((Method::Get, self.links_path(&query), None))
        });
        link_call(self, checked)
    }
}

impl InviteLink {
    /// The request of `reset` or `revoke`, after the local checks: my permission, a link that
    /// is not revoked, and for a reset a role I could grant.
    fn admin(&self, verb: &str) -> Checked {
        let role = text(&self.data, "role");
        let action = if verb == "/reset" {
            Action::CreateInviteLink { role: &role }
        } else {
            Action::ManageInviteLinks
        };
        self.org.authorize(action)?;
        if text(&self.data, "status") == "revoked" {
            return Err(orgkit_error(
                ErrorCode::InviteLinkRevoked,
                0,
                "This invite link was already revoked.",
            ));
        }
        let id = text(&self.data, "id");
        Ok((
            Method::Post,
            self.org
                .links_path(&("/".to_owned() + &segment(&id) + verb)),
            None,
        ))
    }
}

/// `InviteLink`'s data fields (`id`, `role`, `status`, `uses`, …) are own properties of each
/// instance, copied from the answer (declared in `types.rs`), rather than one exported getter
/// each, for size.
#[wasm_bindgen]
impl InviteLink {
    /// Revokes the link: its URL stops working at once.
    #[wasm_bindgen(unchecked_return_type = "Promise<InviteLink>")]
    pub fn revoke(&self) -> Promise {
        link_call(&self.org, self.admin("/revoke"))
    }

    /// Replaces the link by a new one with the same options (and the same lifetime from now):
    /// the old URL stops working; the new link carries its `token` and `url`, once.
    #[wasm_bindgen(unchecked_return_type = "Promise<InviteLink>")]
    pub fn reset(&self) -> Promise {
        link_call(&self.org, self.admin("/reset"))
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
