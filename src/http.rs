//! The only place that talks to the network: one `fetch` per method call, JSON in and out.
//!
//! The session travels as the HttpOnly cookie (`credentials: "include"`), or, when the app
//! passed a token or signed in through this client, as `Authorization: Bearer`, which also
//! works across sites where third-party cookies are blocked.

use crate::error::{network, orgkit_error, server_error};
use js_sys::{Promise, Reflect, JSON};
use orgkit_core::ErrorCode;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCredentials, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, in a page and in a worker alike.
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_with_request(request: &Request) -> Promise;
}

/// The server's base URL and the session token, when the client holds one.
pub struct Http {
    base_url: String,
    token: RefCell<Option<String>>,
}

/// HTTP methods the API uses.
#[derive(Clone, Copy)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
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
        let init = RequestInit::new();
        init.set_method(method.as_str());
        init.set_credentials(RequestCredentials::Include);
        let headers = Headers::new().map_err(|_| network("The request could not be built."))?;
        if let Some(token) = self.token.borrow().as_deref() {
            let _ = headers.set("Authorization", &("Bearer ".to_owned() + token));
        }
        if let Some(body) = body {
            let text =
                JSON::stringify(body).map_err(|_| network("The request could not be encoded."))?;
            let _ = headers.set("Content-Type", "application/json");
            init.set_body(&text);
        }
        init.set_headers(&headers);
        let request = Request::new_with_str_and_init(&url, &init)
            .map_err(|_| network("The request could not be built."))?;
        let response: Response = JsFuture::from(fetch_with_request(&request))
            .await
            .map_err(|_| network("The server could not be reached."))?
            .unchecked_into();
        let status = response.status();
        let retry_after = response.headers().get("Retry-After").ok().flatten();
        let text = match response.text() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|t| t.as_string()),
            Err(_) => None,
        }
        .ok_or_else(|| network("The response could not be read."))?;
        let json = if text.is_empty() {
            JsValue::UNDEFINED
        } else {
            JSON::parse(&text).map_err(|_| {
                orgkit_error(
                    ErrorCode::Internal,
                    status,
                    "The server sent a malformed answer.",
                )
            })?
        };
        if (200..300).contains(&status) {
            Ok(json)
        } else {
            Err(refusal(status, &json, retry_after.as_deref()))
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
    server_error(status, field("code").as_deref(), &message, retry_after)
}
