//! Signing in through an organization's SSO connection: `kit.signInWithSso`.

use crate::client::OrgKit;
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::{field, object, optional_param, params, text};
use crate::organization::Checked;
use crate::pending::Pending;
use crate::send::{self, Then};
use orgkit_core::sso::sign_in::start_by;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
impl OrgKit {
    /// Starts signing in with SSO, by email address (the connection serving its domain) or
    /// organization slug (its connection; with several, also give the email): asks the server
    /// for the identity provider's URL and navigates the page there. The provider sends the
    /// browser back to the server, which signs in and goes on to `returnTo` (a path here or an
    /// allowed origin; `/` by default). With `navigate: false` it answers the URL instead.
    /// A malformed address or slug is refused here (`sso_connection_not_found`), no request sent.
    #[wasm_bindgen(js_name = signInWithSso, unchecked_return_type = "Promise<string>")]
    pub fn sign_in_with_sso(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInWithSsoParams")] p: JsValue,
    ) -> Pending<JsValue> {
        let mut navigate = true;
        let request = start_request(&p, &mut navigate);
        let then = Then::Map(Box::new(move |answer| {
            let url = text(&answer, "redirectUrl");
            if navigate {
                let location = field(&js_sys::global(), "location");
                let assign: js_sys::Function =
                    field(&location, "assign").dyn_into().map_err(|_| {
                        invalid_input("signInWithSso navigates a page: there is none here.")
                    })?;
                assign.call1(&location, &JsValue::from(&url))?;
            }
            Ok(url.into())
        }));
        send::pending(self.client.clone(), request, then)
    }
}

/// The checks and the request of `signInWithSso`; `navigate` is set from its parameter.
fn start_request(p: &JsValue, navigate: &mut bool) -> Checked {
    const USAGE: &str =
        "signInWithSso needs { emailAddress } or { organizationSlug }, and optionally returnTo and navigate.";
    params(p, USAGE)?;
    let email = optional_param(p, "emailAddress", USAGE)?;
    let slug = optional_param(p, "organizationSlug", USAGE)?;
    let return_to = optional_param(p, "returnTo", USAGE)?;
    *navigate = match field(p, "navigate") {
        v if v.is_undefined() => true,
        v => v.as_bool().ok_or_else(|| invalid_input(USAGE))?,
    };
    if email.is_none() && slug.is_none() {
        return Err(invalid_input(USAGE));
    }
    start_by(email.as_deref(), slug.as_deref(), None).map_err(local)?;
    let mut pairs = Vec::with_capacity(3);
    if let Some(email) = email {
        pairs.push(("emailAddress", JsValue::from(email)));
    }
    if let Some(slug) = slug {
        pairs.push(("organizationSlug", JsValue::from(slug)));
    }
    if let Some(return_to) = return_to {
        pairs.push(("returnTo", JsValue::from(return_to)));
    }
    Ok((
        Method::Post,
        "/v1/sso/start".to_owned(),
        Some(object(&pairs)),
    ))
}
