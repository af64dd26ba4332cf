//! `OrganizationSuggestion`: an organization my verified address's domain suggests (its domain
//! is in `automatic_suggestion` mode); accepting asks to join it.

use crate::context::Client;
use crate::http::Method;
use crate::js::{segment, text};
use crate::organization::{domain_send as send, Shape};
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// An organization I could ask to join, suggested by my address's verified domain.
#[wasm_bindgen]
pub struct OrganizationSuggestion {
    pub(crate) client: Rc<Client>,
    pub(crate) data: JsValue,
}

#[wasm_bindgen]
impl OrganizationSuggestion {
    /// The suggesting domain's id.
    #[wasm_bindgen(getter, js_name = domainId)]
    pub fn domain_id(&self) -> String {
        text(&self.data, "domainId")
    }

    /// The suggesting domain.
    #[wasm_bindgen(getter, js_name = domainName)]
    pub fn domain_name(&self) -> String {
        text(&self.data, "domainName")
    }

    /// The organization's id.
    #[wasm_bindgen(getter, js_name = organizationId)]
    pub fn organization_id(&self) -> String {
        text(&self.data, "organizationId")
    }

    /// The organization's name.
    #[wasm_bindgen(getter, js_name = organizationName)]
    pub fn organization_name(&self) -> String {
        text(&self.data, "organizationName")
    }

    /// Asks to join: a join request the organization's admins accept or reject.
    #[wasm_bindgen(unchecked_return_type = "Promise<SuggestionAccepted>")]
    pub fn accept(&self) -> Promise {
        let path = "/v1/me/suggestions/".to_owned() + &segment(&self.domain_id()) + "/accept";
        let checked = Ok((Method::Post, path, None));
        send(self.client.clone(), None, checked, Shape::Plain)
    }
}
