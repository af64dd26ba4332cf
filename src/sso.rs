//! Signing in through an organization's SSO connection: `kit.signInWithSso`.

use crate::client::OrgKit;
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::{field, object, optional_param, params, text};
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
    #[wasm_bindgen(js_name = signInWithSso, unchecked_return_type = "string")]
    pub async fn sign_in_with_sso(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInWithSsoParams")] p: JsValue,
    ) -> Result<JsValue, JsValue> {
        const USAGE: &str =
            "signInWithSso needs { emailAddress } or { organizationSlug }, and optionally returnTo and navigate.";
        params(&p, USAGE)?;
        let email = optional_param(&p, "emailAddress", USAGE)?;
        let slug = optional_param(&p, "organizationSlug", USAGE)?;
        let return_to = optional_param(&p, "returnTo", USAGE)?;
        let navigate = match field(&p, "navigate") {
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
        let answer = self
            .client
            .http
            .send(Method::Post, "/v1/sso/start", Some(&object(&pairs)))
            .await?;
        let url = text(&answer, "redirectUrl");
        if navigate {
            let location = field(&js_sys::global(), "location");
            let assign: js_sys::Function = field(&location, "assign").dyn_into().map_err(|_| {
                invalid_input("signInWithSso navigates a page: there is none here.")
            })?;
            assign.call1(&location, &JsValue::from(&url))?;
        }
        Ok(url.into())
    }
}
