//! An organization's webhook endpoints (holders of `org:webhooks:manage`): create, list, change
//! and delete them, rotate a secret, send a test message, read the delivery attempts and resend
//! a message.
//!
//! Lean by design: each method checks synchronously and hands its one request to
//! `Organization::call`, whose one future the audit log shares too (see `organization.rs`).

use super::members::page_params;
use super::Organization;
use crate::error::{invalid_input, local};
use crate::http::Method;
use crate::js::{cursor, field, object, optional_param, params, segment, string_list};
use js_sys::Promise;
use orgkit_core::policy::Action;
use orgkit_core::webhook::{self, UrlPolicy};
use orgkit_core::{validate, WebhookAttemptId, WebhookEndpointId, WebhookMessageId};
use wasm_bindgen::prelude::*;

/// The most permissive server: the SDK cannot know whether the server runs with `--dev` (plain
/// `http` to loopback) or `--webhook-allow-private`, so it refuses locally only the URLs every
/// server refuses, and leaves the rest to the server.
const ANY_SERVER: UrlPolicy = UrlPolicy {
    dev: true,
    allow_private: true,
};

/// `?limit=…&after=…` of a page request: a limit the rule book accepts, and an empty cursor
/// (the first page) or an id `well_formed` accepts.
pub(crate) fn page_query(
    p: &JsValue,
    usage: &str,
    well_formed: fn(&str) -> bool,
) -> Result<String, JsValue> {
    let (limit, after) = page_params(p, usage)?;
    let limit = validate::page_limit(limit).map_err(local)?;
    let mut query = "?limit=".to_owned() + &limit.to_string();
    if let Some(after) = cursor(after, well_formed)? {
        query.push_str("&after=");
        query.push_str(&segment(&after));
    }
    Ok(query)
}

impl Organization {
    /// Checks that I may manage webhooks here, and that `id` (when given) is an endpoint id;
    /// answers the path `/webhooks[/{id}]{rest}`.
    fn webhooks_path(&self, id: Option<&str>, rest: &str) -> Result<String, JsValue> {
        self.authorize(Action::ManageWebhooks)?;
        let mut path = self.path("/webhooks");
        if let Some(id) = id {
            if !WebhookEndpointId::is_well_formed(id) {
                return Err(invalid_input("The webhook endpoint id is not valid."));
            }
            path.push('/');
            path.push_str(&segment(id));
        }
        Ok(path + rest)
    }

    /// The body of a creation (`create`: `url` and `eventTypes` required) or of a change (every
    /// field optional, and `enabled`), after the rule book's checks: my permission, the URL, the
    /// event types and the description.
    fn endpoint_body(&self, p: &JsValue, usage: &str, create: bool) -> Result<JsValue, JsValue> {
        params(p, usage)?;
        let url = optional_param(p, "url", usage)?;
        let description = optional_param(p, "description", usage)?;
        let names = string_list(p, "eventTypes", usage)?;
        let enabled = if create {
            JsValue::UNDEFINED
        } else {
            field(p, "enabled")
        };
        if (create && (url.is_none() || names.is_none()))
            || !(enabled.is_undefined() || enabled.as_bool().is_some())
        {
            return Err(invalid_input(usage));
        }
        self.authorize(Action::ManageWebhooks)?;
        if let Some(url) = &url {
            webhook::check_endpoint_url(url, ANY_SERVER).map_err(local)?;
        }
        if let Some(names) = &names {
            webhook::event_types(names).map_err(local)?;
        }
        if let Some(description) = &description {
            webhook::description(description).map_err(local)?;
        }
        let text = |v: Option<String>| v.map_or(JsValue::UNDEFINED, JsValue::from);
        Ok(object(&[
            ("url", text(url)),
            (
                "eventTypes",
                names.map_or(JsValue::UNDEFINED, |_| field(p, "eventTypes")),
            ),
            ("description", text(description)),
            ("enabled", enabled),
        ]))
    }
}

#[wasm_bindgen]
impl Organization {
    /// One page of the organization's webhook endpoints, oldest first: `{ data, nextCursor }`
    /// (needs `org:webhooks:manage`). Endpoints never carry their secret.
    ///
    /// @example
    /// ```js
    /// const { data, nextCursor } = await org.getWebhookEndpoints({ limit: 20 });
    /// ```
    #[wasm_bindgen(
        js_name = getWebhookEndpoints,
        unchecked_return_type = "Promise<WebhookEndpointsPage>"
    )]
    pub fn get_webhook_endpoints(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageParams | void")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "getWebhookEndpoints takes { limit?, after? }.";
        self.call(
            page_query(&p, USAGE, WebhookEndpointId::is_well_formed)
                .and_then(|query| Ok((Method::Get, self.webhooks_path(None, &query)?, None))),
        )
    }

    /// Creates a webhook endpoint: an `https` URL (plain `http` only to a loopback host on a
    /// `--dev` server) and the event types it receives. The answer carries its signing secret
    /// (`whsec_…`), shown only this once: store it now.
    ///
    /// @example
    /// ```js
    /// const { id, secret } = await org.createWebhookEndpoint({
    ///   url: "https://example.com/webhooks/orgkit",
    ///   eventTypes: ["organizationMembership.created", "organizationMembership.deleted"],
    /// });
    /// ```
    #[wasm_bindgen(
        js_name = createWebhookEndpoint,
        unchecked_return_type = "Promise<WebhookEndpointWithSecret>"
    )]
    pub fn create_webhook_endpoint(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateWebhookEndpointParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "createWebhookEndpoint needs { url, eventTypes, description? }.";
        self.call(
            self.endpoint_body(&p, USAGE, true)
                .and_then(|body| Ok((Method::Post, self.webhooks_path(None, "")?, Some(body)))),
        )
    }

    /// Changes a webhook endpoint: its URL, event types or description, or `enabled` (`false`
    /// disables it; `true` enables it again, whatever disabled it).
    #[wasm_bindgen(js_name = updateWebhookEndpoint, unchecked_return_type = "Promise<WebhookEndpoint>")]
    pub fn update_webhook_endpoint(
        &self,
        id: &str,
        #[wasm_bindgen(unchecked_param_type = "UpdateWebhookEndpointParams")] p: JsValue,
    ) -> Promise {
        const USAGE: &str =
            "updateWebhookEndpoint takes { url?, eventTypes?, description?, enabled? }.";
        self.call(
            self.endpoint_body(&p, USAGE, false).and_then(|body| {
                Ok((Method::Patch, self.webhooks_path(Some(id), "")?, Some(body)))
            }),
        )
    }

    /// Deletes a webhook endpoint with its delivery attempts; what was queued for it is dropped.
    #[wasm_bindgen(js_name = deleteWebhookEndpoint, unchecked_return_type = "Promise<void>")]
    pub fn delete_webhook_endpoint(&self, id: &str) -> Promise {
        self.call(
            self.webhooks_path(Some(id), "")
                .map(|path| (Method::Delete, path, None)),
        )
    }

    /// Gives a webhook endpoint a new signing secret, shown only this once. The replaced secret
    /// keeps signing beside it for 24 hours (`previousSecretExpiresAt`), so receivers can switch.
    #[wasm_bindgen(
        js_name = rotateWebhookSecret,
        unchecked_return_type = "Promise<WebhookEndpointWithSecret>"
    )]
    pub fn rotate_webhook_secret(&self, id: &str) -> Promise {
        self.call(
            self.webhooks_path(Some(id), "/rotate-secret")
                .map(|path| (Method::Post, path, None)),
        )
    }

    /// Queues a `webhook.test` message for this endpoint, whatever it subscribes to; its
    /// attempts then show in `getWebhookAttempts`.
    #[wasm_bindgen(js_name = sendTestWebhook, unchecked_return_type = "Promise<WebhookMessageQueued>")]
    pub fn send_test_webhook(&self, id: &str) -> Promise {
        self.call(
            self.webhooks_path(Some(id), "/test")
                .map(|path| (Method::Post, path, None)),
        )
    }

    /// One page of an endpoint's delivery attempts, newest first: `{ data, nextCursor }`.
    #[wasm_bindgen(js_name = getWebhookAttempts, unchecked_return_type = "Promise<WebhookAttemptsPage>")]
    pub fn get_webhook_attempts(
        &self,
        id: &str,
        #[wasm_bindgen(unchecked_param_type = "PageParams | void")] p: JsValue,
    ) -> Promise {
        const USAGE: &str = "getWebhookAttempts takes { limit?, after? }.";
        self.call(
            page_query(&p, USAGE, WebhookAttemptId::is_well_formed).and_then(|query| {
                let path = self.webhooks_path(Some(id), &("/attempts".to_owned() + &query))?;
                Ok((Method::Get, path, None))
            }),
        )
    }

    /// Queues a message this endpoint was sent before once more, with the same `webhook-id`
    /// (`messageId`, from an attempt) and body.
    #[wasm_bindgen(js_name = resendWebhook, unchecked_return_type = "Promise<WebhookMessageQueued>")]
    pub fn resend_webhook(
        &self,
        id: &str,
        #[wasm_bindgen(js_name = messageId)] message_id: &str,
    ) -> Promise {
        self.call(self.webhooks_path(Some(id), "/resend").and_then(|path| {
            if !WebhookMessageId::is_well_formed(message_id) {
                return Err(invalid_input("The message id is not valid."));
            }
            let body = object(&[("messageId", message_id.into())]);
            Ok((Method::Post, path, Some(body)))
        }))
    }
}
