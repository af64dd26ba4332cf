//! The only place that talks to the network: one `fetch` per method call, JSON in and out.
//!
//! The session travels as the HttpOnly cookie (`credentials: "include"`), or, when the app
//! passed a token or signed in through this client, as `Authorization: Bearer`, which also
//! works across sites where third-party cookies are blocked.

use crate::error::{network, orgkit_error, server_error};
use gloo_net::http::{Request, RequestBuilder};
use js_sys::{Reflect, JSON};
use orgkit_core::ErrorCode;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::RequestCredentials;

/// The server's base URL and the session token, when the client holds one.
pub struct Http {
    base_url: String,
    token: RefCell<Option<String>>,
    /// The reactive store, once the app used it: told what every successful write touched.
    pub(crate) store: RefCell<Option<crate::store::Store>>,
}

/// HTTP methods the API uses.
#[derive(Clone, Copy)]
pub enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl Http {
    /// A client of `base_url` (no trailing slash needed; the page's origin when `None`).
    pub fn new(base_url: Option<String>, token: Option<String>) -> Self {
        let base_url = base_url
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_owned();
        Http {
            base_url,
            token: RefCell::new(token),
            store: RefCell::new(None),
        }
    }

    /// Sends `token` as `Authorization: Bearer` from now on, or only the cookie when `None`.
    pub fn set_token(&self, token: Option<String>) {
        *self.token.borrow_mut() = token;
    }

    /// Sends one request; resolves to the parsed JSON body (`undefined` for 204), or rejects
    /// with an `OrgKitError` carrying the server's code.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&JsValue>,
    ) -> Result<JsValue, JsValue> {
        let url = self.base_url.clone() + path;
        let mut builder: RequestBuilder = match method {
            Method::Get => Request::get(&url),
            Method::Post => Request::post(&url),
            Method::Patch => Request::patch(&url),
            Method::Put => Request::put(&url),
            Method::Delete => Request::delete(&url),
        }
        .credentials(RequestCredentials::Include);
        if let Some(token) = self.token.borrow().as_deref() {
            builder = builder.header("Authorization", &("Bearer ".to_owned() + token));
        }
        let request = match body {
            // A file goes as it is, with its own type.
            Some(blob) if blob.is_instance_of::<web_sys::Blob>() => builder.body(blob),
            Some(body) => {
                let text = JSON::stringify(body)
                    .map_err(|_| network("The request could not be encoded."))?;
                builder
                    .header("Content-Type", "application/json")
                    .body(String::from(text))
            }
            None => builder.build(),
        }
        .map_err(|_| network("The request could not be built."))?;
        let response = request
            .send()
            .await
            .map_err(|_| network("The server could not be reached."))?;
        let status = response.status();
        let retry_after = response.headers().get("Retry-After");
        let text = response
            .text()
            .await
            .map_err(|_| network("The response could not be read."))?;
        // A refusal without an orgkit body (a proxy's HTML page) is read by its status.
        let json = JSON::parse(&text).ok();
        if !(200..300).contains(&status) {
            return Err(refusal(
                status,
                &json.unwrap_or_default(),
                retry_after.as_deref(),
            ));
        }
        let json = match json {
            Some(json) => json,
            None if text.is_empty() => JsValue::UNDEFINED,
            None => {
                return Err(orgkit_error(
                    ErrorCode::Internal,
                    status,
                    "The server sent a malformed answer.",
                ))
            }
        };
        self.touched(method, path);
        Ok(json)
    }
}

impl Http {
    /// Tells the store, when there is one, what a successful request touched
    /// (`store::touched`): the one hook behind "every mutation updates the snapshot".
    fn touched(&self, method: Method, path: &str) {
        let store = self.store.borrow().clone();
        if let Some(store) = store {
            let (bits, org) = crate::store::touched::touched(method, path);
            if bits != 0 {
                store.touched(bits, org.map(str::to_owned));
            }
        }
    }
}

/// Turns `{"error": {"code", "message"}}` and a `Retry-After` header into an `OrgKitError`.
fn refusal(status: u16, body: &JsValue, retry_after: Option<&str>) -> JsValue {
    let error = Reflect::get(body, &"error".into()).unwrap_or(JsValue::UNDEFINED);
    let field = |name: &str| {
        Reflect::get(&error, &name.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let message = field("message").unwrap_or_else(|| "The server refused the request.".to_owned());
    let refused = server_error(status, field("code").as_deref(), &message, retry_after);
    // `sso_required` says where to sign in instead.
    let sso = Reflect::get(&error, &"sso".into()).unwrap_or(JsValue::UNDEFINED);
    if sso.is_object() {
        let _ = Reflect::set(&refused, &"sso".into(), &sso);
    }
    // `permission_escalation` lists the permissions the actor lacks.
    let missing = Reflect::get(&error, &"missingPermissions".into()).unwrap_or(JsValue::UNDEFINED);
    if js_sys::Array::is_array(&missing) {
        let _ = Reflect::set(&refused, &"missingPermissions".into(), &missing);
    }
    refused
}
