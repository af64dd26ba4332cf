//! Session tokens for the app's own backend: `getToken` (cached per organization, refreshed
//! before expiry, concurrent calls sharing one request), for the tab's active organization
//! (`setActive`, in `store.rs`) by default.

use crate::client::OrgKit;
use crate::error::invalid_input;
use crate::http::Method;
use crate::js::{field, number, object, params, text};
use crate::send::Then;
use js_sys::{Date, Promise};
use orgkit_core::OrganizationId;
use wasm_bindgen::prelude::*;

/// A cached token is renewed when it has less than this left, in milliseconds.
const REFRESH_MARGIN_MS: f64 = 10_000.0;

/// One organization's token (key `""`: no organization): the request's promise, and when its
/// token expires (infinite while the request runs, so callers share it).
pub(crate) type TokenEntry = (String, Promise, f64);

/// Reads `{ organizationId }` or `{ organization }`: `undefined` when absent, `null` for none,
/// or a well-formed organization id; anything else is refused.
pub(crate) fn organization(
    p: &JsValue,
    key: &str,
    usage: &'static str,
) -> Result<Option<Option<String>>, JsValue> {
    if p.is_undefined() {
        return Ok(None);
    }
    params(p, usage)?;
    let v = field(p, key);
    if v.is_undefined() {
        return Ok(None);
    }
    if v.is_null() {
        return Ok(Some(None));
    }
    match v.as_string() {
        Some(id) if OrganizationId::is_well_formed(&id) => Ok(Some(Some(id))),
        _ => Err(invalid_input(usage)),
    }
}

#[wasm_bindgen]
impl OrgKit {
    /// This tab's active organization id, or `null`.
    #[wasm_bindgen(getter, js_name = activeOrganizationId)]
    #[must_use]
    pub fn active_organization_id(&self) -> Option<String> {
        self.client.active.borrow().clone()
    }

    /// A short-lived signed token (ES256, 60 s) for the app's backend, which verifies it with
    /// the keys at `/v1/.well-known/jwks.json`. It speaks for `organizationId` (`null`: no
    /// organization), or by default for the active organization. Cached per organization and
    /// renewed when less than 10 s are left; concurrent calls share one request.
    #[wasm_bindgen(js_name = getToken, unchecked_return_type = "Promise<string>")]
    pub fn get_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GetTokenParams | void")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "getToken takes { organizationId?: an organization id, or null }.";
        let org = match organization(&p, "organizationId", USAGE) {
            Ok(Some(chosen)) => chosen,
            Ok(None) => self.client.active.borrow().clone(),
            Err(e) => return Promise::reject(&e),
        };
        let key = org.clone().unwrap_or_default();
        let mut tokens = self.client.tokens.borrow_mut();
        if let Some((_, promise, expires)) = tokens.iter().find(|(k, _, _)| *k == key) {
            if *expires - Date::now() > REFRESH_MARGIN_MS {
                return promise.clone();
            }
        }
        tokens.retain(|(k, _, _)| *k != key);
        let client = self.client.clone();
        let body = object(&[(
            "organizationId",
            org.map_or(JsValue::UNDEFINED, JsValue::from),
        )]);
        let entry = key.clone();
        let shared = client.clone();
        let then = Then::Settle(Box::new(move |answer| {
            // The entry is this request's: a newer one would have replaced it only once expired.
            let mut tokens = client.tokens.borrow_mut();
            let ours = tokens.iter().position(|(k, _, _)| *k == entry);
            match answer {
                Ok(answer) => {
                    if let Some(i) = ours {
                        tokens[i].2 = number(&answer, "expiresAt");
                    }
                    Ok(text(&answer, "jwt").into())
                }
                Err(e) => {
                    if let Some(i) = ours {
                        drop(tokens.remove(i));
                    }
                    Err(e)
                }
            }
        }));
        let request = Ok((Method::Post, "/v1/session/token".to_owned(), Some(body)));
        let promise = crate::send::send(shared, request, then);
        tokens.push((key, promise.clone(), f64::INFINITY));
        promise
    }
}
